//! Papers: fixed papers pin question versions; random papers are checked against the banks
//! (overlapping rules included) and drawn per candidate from a stored seed; the candidate's
//! view never carries answers; pre-generation is idempotent per revision.

use std::collections::HashSet;

use serde_json::{Value, json};

use crate::helpers::{TestApp, create_bank, delete, exam_org, get, id, post, put, spawn_app};

/// A bank with `n` single-choice questions tagged `tag`, of difficulty `difficulty`.
async fn add_questions(
    app: &TestApp,
    owner: &reqwest::Client,
    bank: &str,
    n: usize,
    tag: &str,
    difficulty: i32,
    qtype: &str,
) -> Vec<String> {
    let mut ids = Vec::new();
    for i in 0..n {
        let content = match qtype {
            "true_false" => {
                json!({ "type": "true_false", "stem": format!("<p>{tag} 判断 {i}</p>"), "answer": true })
            }
            _ => json!({ "type": "single_choice", "stem": format!("<p>{tag} 单选 {i}</p>"),
                         "options": [{ "id": "A", "text": "甲" }, { "id": "B", "text": "乙" },
                                     { "id": "C", "text": "丙" }, { "id": "D", "text": "丁" }],
                         "answer": "B" }),
        };
        let (status, q) = post(
            app,
            owner,
            &format!("/api/question-banks/{bank}/questions"),
            json!({ "content": content, "points": 2, "difficulty": difficulty, "tags": [tag] }),
        )
        .await;
        assert_eq!(status, 201, "{q}");
        ids.push(id(&q));
    }
    ids
}

fn question_ids(paper: &Value) -> Vec<String> {
    paper["sections"]
        .as_array()
        .expect("sections")
        .iter()
        .flat_map(|s| s["questions"].as_array().expect("questions").clone())
        .map(|q| q["question_id"].as_str().expect("question id").to_owned())
        .collect()
}

#[tokio::test]
async fn a_fixed_paper_pins_versions_and_the_preview_has_no_answers() {
    let app = spawn_app().await;
    // One question of every type, each with answers that must never reach a candidate.
    let o = exam_org(&app, "papers").await;
    let ids: Vec<String> = o.questions.iter().map(|(_, q)| q.clone()).collect();
    let owner = o.owner;
    let (status, paper) = post(
        &app,
        &owner,
        "/api/papers",
        json!({ "name": "期中考试", "shuffle_options": true, "sections": [
            { "title": "一、客观题", "questions": ids[..4].iter().map(|q| json!({ "question_id": q })).collect::<Vec<_>>() },
            { "title": "二、主观题", "description": "认真作答", "questions": ids[4..].iter().enumerate()
                .map(|(i, q)| if i == 0 { json!({ "question_id": q, "points": 10 }) } else { json!({ "question_id": q }) })
                .collect::<Vec<_>>() },
        ] }),
    )
    .await;
    assert_eq!(status, 201, "{paper}");
    assert_eq!(paper["kind"], "fixed");
    assert_eq!(paper["question_count"], 8);
    assert_eq!(paper["total_points"], 3.0 * 7.0 + 10.0);
    assert_eq!(paper["sections"][1]["questions"][0]["points"], 10.0);
    assert_eq!(question_ids(&paper), ids);
    let paper_id = id(&paper);

    // Editing a question does not change the paper: it keeps version 1 and says a newer
    // version exists.
    let (status, edited) = put(&app, &owner, &format!("/api/questions/{}", ids[0]), json!({ "content": { "type": "single_choice", "stem": "<p>改过的单选</p>",
                     "options": [{ "id": "A", "text": "甲" }, { "id": "B", "text": "乙" }], "answer": "A" },
                     "points": 3, "difficulty": 2 }))
        .await;
    assert_eq!(status, 200, "{edited}");
    let (_, paper) = get(&app, &owner, &format!("/api/papers/{paper_id}")).await;
    let first = &paper["sections"][0]["questions"][0];
    assert_eq!(first["version"], 1);
    assert_eq!(first["stem"], "<p>单选</p>");
    assert_eq!(first["outdated"], true);

    let (status, preview) = get(
        &app,
        &owner,
        &format!("/api/papers/{paper_id}/preview?seed=42"),
    )
    .await;
    assert_eq!(status, 200, "{preview}");
    assert_eq!(preview["seed"], "42");
    let text = preview.to_string();
    for secret in [
        "SECRET-BLANK",
        "SECRET-REFERENCE",
        "SECRET-RUBRIC",
        "SECRET-PART",
        "SECRET-EXPLANATION",
        "pairs",
        "\"answer\"",
        "reference_answer",
        "rubric",
        "explanation",
    ] {
        assert!(
            !text.contains(secret),
            "the candidate's paper contains {secret}: {text}"
        );
    }
    assert!(
        text.contains("<p>单选</p>") && !text.contains("改过的"),
        "version 1 is shown"
    );
    let numbers: Vec<i64> = preview["sections"]
        .as_array()
        .expect("sections")
        .iter()
        .flat_map(|s| s["questions"].as_array().expect("questions").clone())
        .map(|q| q["number"].as_i64().expect("number"))
        .collect();
    assert_eq!(numbers, (1..=8).collect::<Vec<_>>());
    assert_eq!(preview["sections"][1]["description"], "认真作答");
    // Fixed order without shuffle_questions; the same seed gives the same option order.
    let (_, again) = get(
        &app,
        &owner,
        &format!("/api/papers/{paper_id}/preview?seed=42"),
    )
    .await;
    assert_eq!(again, preview);
    // Ordering items never come in the right order.
    let ordering = &preview["sections"][1]["questions"][1]["content"];
    assert_eq!(ordering["type"], "ordering");
    let order: Vec<&str> = ordering["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["id"].as_str().unwrap_or(""))
        .collect();
    assert_ne!(order, ["1", "2", "3"]);

    // Saving the question without a version moves the paper to the current version.
    let mut input = json!({ "name": "期中考试", "sections": [
        { "title": "一", "questions": [{ "question_id": ids[0] }] } ] });
    let (status, saved) = put(
        &app,
        &owner,
        &format!("/api/papers/{paper_id}"),
        input.clone(),
    )
    .await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!(saved["sections"][0]["questions"][0]["version"], 2);
    assert_eq!(saved["revision"], 2);
    // An explicit old version is kept.
    input["sections"][0]["questions"][0]["version"] = json!(1);
    let (_, saved) = put(
        &app,
        &owner,
        &format!("/api/papers/{paper_id}"),
        input.clone(),
    )
    .await;
    assert_eq!(saved["sections"][0]["questions"][0]["version"], 1);
}

#[tokio::test]
async fn invalid_papers_name_the_field_and_nothing_is_saved() {
    let app = spawn_app().await;
    let owner = app.register_org("试卷单位", "papers2@example.com").await;
    let other = app.register_org("别的单位", "papers3@example.com").await;
    let bank = create_bank(&app, &owner, "题库").await;
    let their_bank = create_bank(&app, &other, "他们的").await;
    let theirs = add_questions(&app, &other, &their_bank, 1, "x", 3, "single_choice").await;
    let mine = add_questions(&app, &owner, &bank, 3, "代数", 3, "single_choice").await;
    let (status, err) = post(
        &app,
        &owner,
        "/api/papers",
        json!({ "name": " ", "sections": [
            { "title": "一", "questions": [
                { "question_id": mine[0] }, { "question_id": mine[0] },
                { "question_id": theirs[0] }, { "question_id": "nope" },
                { "question_id": mine[1], "version": 9 }, { "question_id": mine[2], "points": 0 } ] },
            { "title": "" },
            { "title": "三", "rules": [
                { "bank_id": bank, "question_type": "single_choice", "count": 4, "points": 1 },
                { "bank_id": their_bank, "question_type": "single_choice", "count": 1, "points": 1 },
                { "bank_id": bank, "question_type": "true_false", "count": 0, "points": 1, "difficulty": 6 } ] },
        ] }),
    )
    .await;
    assert_eq!(status, 422, "{err}");
    let fields: HashSet<(String, String)> = err["details"]["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|f| {
            (
                f["field"].as_str().unwrap_or("").to_owned(),
                f["reason"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    for (field, reason) in [
        ("name", "required"),
        ("sections[0].questions[1].question_id", "duplicate"),
        ("sections[0].questions[2].question_id", "not_found"),
        ("sections[0].questions[3].question_id", "invalid_format"),
        ("sections[0].questions[4].version", "not_found"),
        ("sections[0].questions[5].points", "out_of_range"),
        ("sections[1].title", "required"),
        ("sections[1]", "empty_section"),
        ("sections[2].rules[1].bank_id", "not_found"),
        ("sections[2].rules[2].count", "out_of_range"),
        ("sections[2].rules[2].difficulty", "out_of_range"),
    ] {
        assert!(
            fields.contains(&(field.to_owned(), reason.to_owned())),
            "{field} {reason} in {err}"
        );
    }
    let (_, list) = get(&app, &owner, "/api/papers").await;
    assert_eq!(list, json!([]));

    // Rules alone: four single-choice questions are not in a bank of three (and chosen
    // questions are never drawn again).
    let (status, err) = post(
        &app,
        &owner,
        "/api/papers",
        json!({ "name": "随机", "sections": [{ "title": "一", "questions": [{ "question_id": mine[0] }],
            "rules": [{ "bank_id": bank, "question_type": "single_choice", "count": 3, "points": 1 }] }] }),
    )
    .await;
    assert_eq!(status, 422, "{err}");
    assert_eq!(
        err["details"]["fields"][0]["field"],
        "sections[0].rules[0].count"
    );
    assert_eq!(
        err["details"]["fields"][0]["reason"],
        "not_enough_questions"
    );
}

#[tokio::test]
async fn random_papers_draw_by_rules_per_candidate_and_pre_generation_is_idempotent() {
    let app = spawn_app().await;
    let owner = app.register_org("随机单位", "random@example.com").await;
    let bank = create_bank(&app, &owner, "题库").await;
    let (_, category) = post(
        &app,
        &owner,
        &format!("/api/question-banks/{bank}/categories"),
        json!({ "name": "代数" }),
    )
    .await;
    let category = id(&category);
    let (_, sub) = post(
        &app,
        &owner,
        &format!("/api/question-banks/{bank}/categories"),
        json!({ "name": "方程", "parent_id": category }),
    )
    .await;
    let sub = id(&sub);
    let easy = add_questions(&app, &owner, &bank, 6, "easy", 1, "single_choice").await;
    let hard = add_questions(&app, &owner, &bank, 4, "hard", 5, "single_choice").await;
    let tf = add_questions(&app, &owner, &bank, 5, "tf", 3, "true_false").await;
    // Three true/false questions are in the sub-category of 代数.
    let (status, moved) = post(
        &app,
        &owner,
        &format!("/api/question-banks/{bank}/questions/bulk"),
        json!({ "action": "move", "question_ids": tf[..3], "category_id": sub }),
    )
    .await;
    assert_eq!(status, 200, "{moved}");

    let rules = json!([
        { "bank_id": bank, "question_type": "single_choice", "difficulty": 1, "count": 3, "points": 2 },
        { "bank_id": bank, "question_type": "single_choice", "count": 5, "points": 1.5 },
        { "bank_id": bank, "question_type": "true_false", "category_id": category, "count": 2, "points": 1 },
        { "bank_id": bank, "question_type": "single_choice", "tag": " hard ", "count": 1, "points": 4 },
    ]);
    let (status, check) = post(
        &app,
        &owner,
        "/api/papers/check-rules",
        json!({ "rules": rules }),
    )
    .await;
    assert_eq!(status, 200, "{check}");
    assert_eq!(check["available"], json!([6, 10, 3, 4]));
    assert_eq!(check["required"], 11);
    assert_eq!(check["feasible"], true);
    // Overlap: ten single-choice questions cannot give 3 easy + 5 any + 3 hard.
    let mut too_many = rules.clone();
    too_many[3]["count"] = json!(3);
    let (_, check) = post(
        &app,
        &owner,
        "/api/papers/check-rules",
        json!({ "rules": too_many }),
    )
    .await;
    assert_eq!(check["feasible"], false);
    assert_eq!(
        check["satisfiable"], 12,
        "ten single choice plus two true/false"
    );
    let (status, err) = post(
        &app,
        &owner,
        "/api/papers",
        json!({ "name": "太多", "sections": [
        { "title": "一", "rules": too_many }] }),
    )
    .await;
    assert_eq!(status, 422, "{err}");
    assert_eq!(err["details"]["fields"][0]["field"], "sections");
    assert_eq!(
        err["details"]["fields"][0]["reason"],
        "rules_not_satisfiable"
    );

    let (status, paper) = post(&app, &owner, "/api/papers", json!({
        "name": "随机卷", "shuffle_questions": true, "shuffle_options": true,
        "sections": [{ "title": "一", "rules": [rules[0], rules[1]] }, { "title": "二", "rules": [rules[2], rules[3]] }] })).await;
    assert_eq!(status, 201, "{paper}");
    assert_eq!(paper["kind"], "random");
    assert_eq!(paper["question_count"], 11);
    assert_eq!(paper["total_points"], 3.0 * 2.0 + 5.0 * 1.5 + 2.0 + 4.0);
    assert_eq!(paper["sections"][1]["rules"][0]["available"], 3);
    assert_eq!(
        paper["sections"][1]["rules"][1]["rule"]["tag"],
        Value::Null,
        "flattened"
    );
    assert_eq!(
        paper["sections"][1]["rules"][1]["tag"], "hard",
        "tags are trimmed"
    );
    let paper_id = id(&paper);
    let (_, list) = get(&app, &owner, "/api/papers").await;
    assert_eq!(list[0]["kind"], "random", "{list}");
    assert_eq!(list[0]["question_count"], 11);

    // Every preview obeys the rules; the same seed gives the same paper, others differ.
    let obeys = |p: &Value| {
        let s0: Vec<&Value> = p["sections"][0]["questions"]
            .as_array()
            .expect("s0")
            .iter()
            .collect();
        let s1: Vec<&Value> = p["sections"][1]["questions"]
            .as_array()
            .expect("s1")
            .iter()
            .collect();
        assert_eq!(s0.len(), 8, "{p}");
        assert_eq!(s1.len(), 3, "{p}");
        let ids_of = |v: &[&Value], points: f64| -> Vec<String> {
            v.iter()
                .filter(|q| q["points"] == points)
                .map(|q| q["question_id"].as_str().unwrap_or("").to_owned())
                .collect()
        };
        let two = ids_of(&s0, 2.0);
        assert_eq!(two.len(), 3);
        assert!(
            two.iter().all(|q| easy.contains(q)),
            "difficulty 1 rule drew {two:?}"
        );
        let one_half = ids_of(&s0, 1.5);
        assert_eq!(one_half.len(), 5);
        assert!(
            one_half
                .iter()
                .all(|q| easy.contains(q) || hard.contains(q))
        );
        let tfs = ids_of(&s1, 1.0);
        assert_eq!(tfs.len(), 2);
        assert!(
            tfs.iter().all(|q| tf[..3].contains(q)),
            "category rule includes sub-categories only: {tfs:?}"
        );
        let four = ids_of(&s1, 4.0);
        assert!(four.len() == 1 && hard.contains(&four[0]));
        let all: HashSet<String> = s0
            .iter()
            .chain(s1.iter())
            .map(|q| q["question_id"].as_str().unwrap_or("").to_owned())
            .collect();
        assert_eq!(all.len(), 11, "no question twice");
    };
    let mut seen = HashSet::new();
    for seed in 1..=6u64 {
        let (status, p) = get(
            &app,
            &owner,
            &format!("/api/papers/{paper_id}/preview?seed={seed}"),
        )
        .await;
        assert_eq!(status, 200, "{p}");
        obeys(&p);
        let (_, again) = get(
            &app,
            &owner,
            &format!("/api/papers/{paper_id}/preview?seed={seed}"),
        )
        .await;
        assert_eq!(again, p, "seed {seed} reproduces");
        seen.insert(p["sections"].to_string());
    }
    assert!(seen.len() >= 5, "different seeds give different papers");

    // Pre-generation for two candidates, idempotent per revision.
    let c1 = id(&app
        .create_candidate(
            &owner,
            json!({ "account": "stu1", "name": "学生一", "password": "candidate-2026" }),
        )
        .await);
    let c2 = id(&app
        .create_candidate(
            &owner,
            json!({ "account": "stu2", "name": "学生二", "password": "candidate-2026" }),
        )
        .await);
    let (status, err) = post(
        &app,
        &owner,
        &format!("/api/papers/{paper_id}/generate"),
        json!({ "candidate_ids": [c1, "0193a000-0000-7000-8000-000000000000"] }),
    )
    .await;
    assert_eq!(status, 422, "{err}");
    assert_eq!(err["details"]["fields"][0]["field"], "candidate_ids[1]");
    let (status, result) = post(
        &app,
        &owner,
        &format!("/api/papers/{paper_id}/generate"),
        json!({ "candidate_ids": [c1, c2] }),
    )
    .await;
    assert_eq!(status, 200, "{result}");
    assert_eq!(result, json!({ "generated": 2, "kept": 0 }));
    let (_, p1) = get(
        &app,
        &owner,
        &format!("/api/papers/{paper_id}/generated/{c1}"),
    )
    .await;
    obeys(&p1);
    let (status, result) = post(
        &app,
        &owner,
        &format!("/api/papers/{paper_id}/generate"),
        json!({ "candidate_ids": [c1, c2] }),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(result, json!({ "generated": 0, "kept": 2 }));
    let (_, p1_again) = get(
        &app,
        &owner,
        &format!("/api/papers/{paper_id}/generated/{c1}"),
    )
    .await;
    assert_eq!(p1_again, p1, "a generated paper never changes");
    // The stored seed reproduces the candidate's paper in the preview.
    let seed = p1["seed"].as_str().expect("seed");
    let (_, by_seed) = get(
        &app,
        &owner,
        &format!("/api/papers/{paper_id}/preview?seed={seed}"),
    )
    .await;
    assert_eq!(by_seed, p1);
    let (_, paper_now) = get(&app, &owner, &format!("/api/papers/{paper_id}")).await;
    assert_eq!(paper_now["generated_count"], 2);

    // Editing a question later does not change the generated paper.
    let drawn = p1["sections"][0]["questions"][0]["question_id"]
        .as_str()
        .expect("id")
        .to_owned();
    let (_, q) = get(&app, &owner, &format!("/api/questions/{drawn}")).await;
    let mut input = json!({ "content": q["content"], "points": q["points"], "difficulty": q["difficulty"], "tags": q["tags"] });
    input["content"]["stem"] = json!("<p>后来改的</p>");
    let (status, _) = put(
        &app,
        &owner,
        &format!("/api/questions/{drawn}"),
        input.clone(),
    )
    .await;
    assert_eq!(status, 200);
    let (_, p1_later) = get(
        &app,
        &owner,
        &format!("/api/papers/{paper_id}/generated/{c1}"),
    )
    .await;
    assert_eq!(p1_later, p1);

    // A new revision replaces generated papers when generating again.
    let (status, _) = put(
        &app,
        &owner,
        &format!("/api/papers/{paper_id}"),
        json!({
        "name": "随机卷", "sections": [{ "title": "一", "rules": [rules[2]] }] }),
    )
    .await;
    assert_eq!(status, 200);
    let (_, result) = post(
        &app,
        &owner,
        &format!("/api/papers/{paper_id}/generate"),
        json!({ "candidate_ids": [c1] }),
    )
    .await;
    assert_eq!(result, json!({ "generated": 1, "kept": 0 }));
    let (_, p1_new) = get(
        &app,
        &owner,
        &format!("/api/papers/{paper_id}/generated/{c1}"),
    )
    .await;
    assert_eq!(
        p1_new["sections"][0]["questions"].as_array().map(Vec::len),
        Some(2)
    );

    // Deleting the paper: gone from the list and from reads.
    let (status, _) = delete(&app, &owner, &format!("/api/papers/{paper_id}")).await;
    assert_eq!(status, 204);
    let (status, _) = get(&app, &owner, &format!("/api/papers/{paper_id}")).await;
    assert_eq!(status, 404);
}
