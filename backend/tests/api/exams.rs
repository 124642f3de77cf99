//! Exams and attempts: creation and assignment, the attempt lifecycle end to end, answers
//! ordered by `seq`, no answer keys in anything a candidate receives, the window, late entry
//! and attempt limits, grading, auto-submission by the job queue, and tenancy.

use chrono::{Duration, Utc};
use reqwest::{Client, Method};
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp, label_of, spawn_app};

async fn send(app: &TestApp, c: &Client, method: Method, path: &str, body: Value) -> (u16, Value) {
    let (status, json) = app.send_json(c, method, path, &body).await;
    (status.as_u16(), json)
}

fn id(v: &Value) -> String {
    v["id"].as_str().expect("id").to_owned()
}

fn at(minutes_from_now: i64) -> String {
    (Utc::now() + Duration::minutes(minutes_from_now)).to_rfc3339()
}

/// An organisation with one question of every type on a paper (3 points each), and two
/// candidates who can sign in.
struct Org {
    owner: Client,
    slug: String,
    paper_id: String,
    /// Question ids by type, in the paper's order.
    questions: Vec<(&'static str, String)>,
    candidates: Vec<String>,
}

async fn org(app: &TestApp, tag: &str) -> Org {
    let owner = app
        .register_org(
            &format!("考试单位 {tag}"),
            &format!("exams-{tag}@example.com"),
        )
        .await;
    let slug = app.slug_of(&owner).await;
    let (status, bank) = send(
        app,
        &owner,
        Method::POST,
        "/api/question-banks",
        json!({ "name": "题库" }),
    )
    .await;
    assert_eq!(status, 201, "{bank}");
    let bank = id(&bank);
    let mut questions = Vec::new();
    for (kind, content) in [
        (
            "single_choice",
            json!({ "type": "single_choice", "stem": "<p>单选</p>",
                "options": [{ "id": "A", "text": "甲" }, { "id": "B", "text": "乙" }], "answer": "B" }),
        ),
        (
            "multiple_choice",
            json!({ "type": "multiple_choice", "stem": "<p>多选</p>",
                "options": [{ "id": "A", "text": "甲" }, { "id": "B", "text": "乙" }, { "id": "C", "text": "丙" }],
                "answers": ["A", "C"] }),
        ),
        (
            "true_false",
            json!({ "type": "true_false", "stem": "<p>判断</p>", "answer": true }),
        ),
        (
            "fill_blank",
            json!({ "type": "fill_blank", "stem": "<p>首都是{{1}}</p>", "blanks": [{ "answers": ["SECRET-BLANK"] }] }),
        ),
        (
            "essay",
            json!({ "type": "essay", "stem": "<p>论述</p>", "reference_answer": "<p>SECRET-REFERENCE</p>",
                "rubric": [{ "criterion": "SECRET-RUBRIC", "points": 5 }] }),
        ),
        (
            "ordering",
            json!({ "type": "ordering", "stem": "<p>排序</p>",
                "items": [{ "id": "1", "text": "秦" }, { "id": "2", "text": "汉" }, { "id": "3", "text": "唐" }] }),
        ),
        (
            "matching",
            json!({ "type": "matching", "stem": "<p>配对</p>",
                "prompts": [{ "id": "1", "text": "H2O" }, { "id": "2", "text": "NaCl" }],
                "answers": [{ "id": "a", "text": "水" }, { "id": "b", "text": "盐" }],
                "pairs": [{ "prompt": "1", "answer": "a" }, { "prompt": "2", "answer": "b" }] }),
        ),
        (
            "composite",
            json!({ "type": "composite", "passage": "<p>材料</p>",
                "parts": [{ "points": 2, "content": { "type": "fill_blank", "stem": "<p>{{1}}</p>",
                            "blanks": [{ "answers": ["SECRET-PART"] }] } }] }),
        ),
    ] {
        let (status, q) = send(
            app,
            &owner,
            Method::POST,
            &format!("/api/question-banks/{bank}/questions"),
            json!({ "content": content, "points": 3, "difficulty": 2,
                    "explanation": "<p>SECRET-EXPLANATION</p>" }),
        )
        .await;
        assert_eq!(status, 201, "{q}");
        questions.push((kind, id(&q)));
    }
    let (status, paper) = send(
        app,
        &owner,
        Method::POST,
        "/api/papers",
        json!({ "name": "期中考试", "shuffle_options": true, "shuffle_questions": true, "sections": [
            { "title": "一", "questions": questions.iter().map(|(_, q)| json!({ "question_id": q })).collect::<Vec<_>>() },
        ] }),
    )
    .await;
    assert_eq!(status, 201, "{paper}");
    let mut candidates = Vec::new();
    for i in 0..2 {
        let c = app
            .create_candidate(
                &owner,
                json!({ "account": format!("stu-{tag}-{i}"), "name": format!("学生{i}"), "password": PASSWORD }),
            )
            .await;
        candidates.push(id(&c));
    }
    Org {
        owner,
        slug,
        paper_id: id(&paper),
        questions,
        candidates,
    }
}

impl Org {
    async fn candidate(&self, app: &TestApp, tag: &str, i: usize) -> Client {
        app.portal_login(&self.slug, &format!("stu-{tag}-{i}"), PASSWORD)
            .await
    }

    /// Creates an exam with `overrides` and assigns both candidates; answers its id.
    async fn exam(&self, app: &TestApp, overrides: Value) -> String {
        let mut body = json!({
            "paper_id": self.paper_id, "name": "期中", "instructions": "<p>诚信<script>x()</script></p>",
            "opens_at": at(-1), "closes_at": at(60), "duration_minutes": 30,
            "attempts_allowed": 1, "scoring": "best", "pass_mark": 10,
            "release_policy": "immediately", "review_policy": "never",
        });
        for (k, v) in overrides.as_object().expect("object") {
            body[k] = v.clone();
        }
        let (status, exam) = send(app, &self.owner, Method::POST, "/api/exams", body).await;
        assert_eq!(status, 201, "{exam}");
        assert!(
            !exam["instructions"]
                .as_str()
                .unwrap_or("")
                .contains("script")
        );
        let exam = id(&exam);
        let (status, result) = send(
            app,
            &self.owner,
            Method::POST,
            &format!("/api/exams/{exam}/assignments"),
            json!({ "candidate_ids": self.candidates }),
        )
        .await;
        assert_eq!(status, 200, "{result}");
        exam
    }

    fn question(&self, kind: &str) -> &str {
        &self
            .questions
            .iter()
            .find(|(k, _)| *k == kind)
            .expect("kind")
            .1
    }
}

fn code_reason(v: &Value) -> String {
    v["details"]["reason"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

fn assert_no_keys(body: &Value) {
    let text = body.to_string();
    for secret in [
        "SECRET-BLANK",
        "SECRET-REFERENCE",
        "SECRET-RUBRIC",
        "SECRET-PART",
        "SECRET-EXPLANATION",
    ] {
        assert!(
            !text.contains(secret),
            "{secret} reached a candidate: {text}"
        );
    }
    let paper = body["paper"].to_string();
    for key in [
        "\"answer\"",
        "\"answers\":[\"",
        "\"pairs\"",
        "\"rubric\"",
        "\"reference_answer\"",
        "\"explanation\"",
    ] {
        assert!(
            !paper.contains(key),
            "{key} in the candidate's paper: {paper}"
        );
    }
}

#[tokio::test]
async fn an_exam_runs_end_to_end_with_grading_a_receipt_and_no_answer_keys() {
    let app = spawn_app().await;
    let o = org(&app, "e2e").await;
    let exam = o.exam(&app, json!({})).await;
    let (_, listed) = send(
        &app,
        &o.owner,
        Method::GET,
        &format!("/api/exams/{exam}"),
        Value::Null,
    )
    .await;
    assert_eq!(listed["assigned_count"], 2);

    let cand = o.candidate(&app, "e2e", 0).await;
    let (status, exams) = send(
        &app,
        &cand,
        Method::GET,
        "/api/candidate/exams",
        Value::Null,
    )
    .await;
    assert_eq!(status, 200, "{exams}");
    assert_eq!(exams[0]["state"], "open");
    assert_eq!(exams[0]["attempts_left"], 1);

    let (status, attempt) = send(
        &app,
        &cand,
        Method::POST,
        &format!("/api/candidate/exams/{exam}/attempts"),
        Value::Null,
    )
    .await;
    assert_eq!(status, 201, "{attempt}");
    assert_no_keys(&attempt);
    assert_eq!(
        attempt["paper"]["sections"][0]["questions"]
            .as_array()
            .map(Vec::len),
        Some(8)
    );
    assert!(attempt["server_time"].is_string() && attempt["deadline"].is_string());
    let attempt_id = id(&attempt);
    // Starting again resumes the same attempt.
    let (status, again) = send(
        &app,
        &cand,
        Method::POST,
        &format!("/api/candidate/exams/{exam}/attempts"),
        Value::Null,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(id(&again), attempt_id);
    let (_, exams) = send(
        &app,
        &cand,
        Method::GET,
        "/api/candidate/exams",
        Value::Null,
    )
    .await;
    assert_eq!(exams[0]["state"], "in_progress");

    // Choices are named by the labels this attempt's paper shows.
    let l = |kind: &str, text: &str| label_of(&attempt, o.question(kind), text);
    let answers = [
        (
            "single_choice",
            json!({ "type": "single_choice", "choice": l("single_choice", "乙") }),
        ),
        (
            "multiple_choice",
            json!({ "type": "multiple_choice", "choices": [l("multiple_choice", "甲")] }),
        ),
        ("true_false", json!({ "type": "true_false", "value": true })),
        (
            "fill_blank",
            json!({ "type": "fill_blank", "blanks": [" secret-blank "] }),
        ),
        ("essay", json!({ "type": "essay", "text": "我的论述" })),
        (
            "ordering",
            json!({ "type": "ordering", "order": [l("ordering", "秦"), l("ordering", "汉"), l("ordering", "唐")] }),
        ),
        (
            "matching",
            json!({ "type": "matching", "pairs": {
                l("matching", "H2O"): l("matching", "水"), l("matching", "NaCl"): l("matching", "水") } }),
        ),
        (
            "composite",
            json!({ "type": "composite", "parts": [{ "type": "fill_blank", "blanks": ["SECRET-PART"] }] }),
        ),
    ];
    for (kind, answer) in &answers {
        let path = format!(
            "/api/candidate/attempts/{attempt_id}/answers/{}",
            o.question(kind)
        );
        let (status, saved) = send(
            &app,
            &cand,
            Method::PUT,
            &path,
            json!({ "answer": answer, "seq": 1 }),
        )
        .await;
        assert_eq!(status, 200, "{kind}: {saved}");
        assert_eq!(saved["applied"], true);
    }
    // A shape that does not fit the question is refused.
    let path = format!(
        "/api/candidate/attempts/{attempt_id}/answers/{}",
        o.question("true_false")
    );
    let (status, bad) = send(
        &app,
        &cand,
        Method::PUT,
        &path,
        json!({ "answer": { "type": "essay", "text": "x" }, "seq": 9 }),
    )
    .await;
    assert_eq!(status, 422, "{bad}");

    let (status, view) = send(
        &app,
        &cand,
        Method::GET,
        &format!("/api/candidate/attempts/{attempt_id}"),
        Value::Null,
    )
    .await;
    assert_eq!(status, 200);
    assert_no_keys(&json!({ "paper": view["paper"] }));
    assert_eq!(view["answers"].as_array().map(Vec::len), Some(8));

    let (status, receipt) = send(
        &app,
        &cand,
        Method::POST,
        &format!("/api/candidate/attempts/{attempt_id}/submit"),
        Value::Null,
    )
    .await;
    assert_eq!(status, 200, "{receipt}");
    let hash = receipt["receipt"].as_str().expect("receipt");
    assert_eq!(hash.len(), 64);
    assert!(hash.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_eq!(receipt["answer_count"], 8);
    // The essay waits for a person; the rest: 3 + 1.5 + 3 + 3 + 3 + 1.5 + 3.
    assert_eq!(receipt["status"], "submitted");
    assert_eq!(receipt["score"], 18.0);
    // Submitting again changes nothing and returns the same receipt.
    let (_, again) = send(
        &app,
        &cand,
        Method::POST,
        &format!("/api/candidate/attempts/{attempt_id}/submit"),
        Value::Null,
    )
    .await;
    assert_eq!(again["receipt"], receipt["receipt"]);
    // Saves after submission are refused.
    let (status, late) = send(
        &app,
        &cand,
        Method::PUT,
        &path,
        json!({ "answer": { "type": "true_false", "value": false }, "seq": 5 }),
    )
    .await;
    assert_eq!(status, 409, "{late}");
    assert_eq!(code_reason(&late), "attempt_submitted");
    let (_, attempts) = send(
        &app,
        &o.owner,
        Method::GET,
        &format!("/api/exams/{exam}/attempts"),
        Value::Null,
    )
    .await;
    assert_eq!(attempts[0]["needs_manual_grading"], true);
    assert_eq!(attempts[0]["auto_submitted"], false);
    assert_eq!(attempts[0]["max_score"], 24.0);

    // No attempts left.
    let (_, exams) = send(
        &app,
        &cand,
        Method::GET,
        "/api/candidate/exams",
        Value::Null,
    )
    .await;
    assert_eq!(exams[0]["score"], 18.0);
    assert_eq!(exams[0]["state"], "closed");
    assert_eq!(exams[0]["attempts_left"], 0);
    let (status, refused) = send(
        &app,
        &cand,
        Method::POST,
        &format!("/api/candidate/exams/{exam}/attempts"),
        Value::Null,
    )
    .await;
    assert_eq!(status, 409);
    assert_eq!(code_reason(&refused), "no_attempts_left");
}

#[tokio::test]
async fn saves_are_ordered_by_seq_and_a_replay_returns_the_same_result() {
    let app = spawn_app().await;
    let o = org(&app, "seq").await;
    let exam = o.exam(&app, json!({})).await;
    let cand = o.candidate(&app, "seq", 0).await;
    let (_, attempt) = send(
        &app,
        &cand,
        Method::POST,
        &format!("/api/candidate/exams/{exam}/attempts"),
        Value::Null,
    )
    .await;
    let path = format!(
        "/api/candidate/attempts/{}/answers/{}",
        id(&attempt),
        o.question("single_choice")
    );
    let (a, b) = (
        label_of(&attempt, o.question("single_choice"), "甲"),
        label_of(&attempt, o.question("single_choice"), "乙"),
    );
    let save = |choice: &str, seq: u64| json!({ "answer": { "type": "single_choice", "choice": choice }, "seq": seq });
    let (_, first) = send(&app, &cand, Method::PUT, &path, save(&a, 2)).await;
    assert_eq!(first["applied"], true);
    // The same save again (a retry after a lost response) answers exactly as before.
    let (status, replay) = send(&app, &cand, Method::PUT, &path, save(&a, 2)).await;
    assert_eq!(status, 200);
    assert_eq!(replay, first);
    // An older save arriving late is ignored.
    let (status, old) = send(&app, &cand, Method::PUT, &path, save(&b, 1)).await;
    assert_eq!(status, 200);
    assert_eq!(old["applied"], false);
    assert_eq!(old["answer"]["choice"], a.as_str());
    assert_eq!(old["seq"], 2);
    // An authored id is not a label of this attempt.
    let (status, authored) = send(&app, &cand, Method::PUT, &path, save("B", 5)).await;
    assert_eq!(status, 422, "{authored}");
    let (_, newer) = send(&app, &cand, Method::PUT, &path, save(&b, 3)).await;
    assert_eq!(newer["applied"], true);
    let (_, view) = send(
        &app,
        &cand,
        Method::GET,
        &format!("/api/candidate/attempts/{}", id(&attempt)),
        Value::Null,
    )
    .await;
    assert_eq!(view["answers"][0]["answer"]["choice"], b.as_str());
    assert_eq!(view["answers"][0]["seq"], 3);
    // A question that is not on the paper is not found.
    let other = format!(
        "/api/candidate/attempts/{}/answers/0193a000-0000-7000-8000-000000000000",
        id(&attempt)
    );
    let (status, _) = send(&app, &cand, Method::PUT, &other, save(&b, 4)).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn the_window_late_entry_attempt_limits_and_accommodations_are_enforced() {
    let app = spawn_app().await;
    let o = org(&app, "win").await;
    let cand = o.candidate(&app, "win", 0).await;
    let start = |exam: String| {
        let (app, cand) = (&app, &cand);
        async move {
            send(
                app,
                cand,
                Method::POST,
                &format!("/api/candidate/exams/{exam}/attempts"),
                Value::Null,
            )
            .await
        }
    };
    let upcoming = o
        .exam(&app, json!({ "opens_at": at(30), "closes_at": at(90) }))
        .await;
    let (status, body) = start(upcoming).await;
    assert_eq!(
        (status, code_reason(&body).as_str()),
        (409, "exam_not_open")
    );
    let closed = o
        .exam(&app, json!({ "opens_at": at(-90), "closes_at": at(-30) }))
        .await;
    let (status, body) = start(closed).await;
    assert_eq!((status, code_reason(&body).as_str()), (409, "exam_closed"));
    let late = o
        .exam(
            &app,
            json!({ "opens_at": at(-30), "late_entry_minutes": 10 }),
        )
        .await;
    let (status, body) = start(late).await;
    assert_eq!(
        (status, code_reason(&body).as_str()),
        (409, "late_entry_over")
    );

    // Extra time and an extra attempt for this candidate.
    let exam = o
        .exam(
            &app,
            json!({ "closes_at": at(600), "duration_minutes": 60 }),
        )
        .await;
    let (status, acc) = send(
        &app,
        &o.owner,
        Method::PUT,
        &format!("/api/exams/{exam}/assignments/{}", o.candidates[0]),
        json!({ "extra_minutes": 10, "extra_percent": 50, "extra_attempts": 1 }),
    )
    .await;
    assert_eq!(status, 200, "{acc}");
    let (status, first) = start(exam.clone()).await;
    assert_eq!(status, 201);
    let started =
        chrono::DateTime::parse_from_rfc3339(first["started_at"].as_str().expect("start"))
            .expect("time");
    let deadline =
        chrono::DateTime::parse_from_rfc3339(first["deadline"].as_str().expect("deadline"))
            .expect("time");
    assert_eq!((deadline - started).num_minutes(), 60 + 10 + 30);
    send(
        &app,
        &cand,
        Method::POST,
        &format!("/api/candidate/attempts/{}/submit", id(&first)),
        Value::Null,
    )
    .await;
    let (status, second) = start(exam.clone()).await;
    assert_eq!(status, 201, "{second}");
    assert_eq!(second["number"], 2);
    send(
        &app,
        &cand,
        Method::POST,
        &format!("/api/candidate/attempts/{}/submit", id(&second)),
        Value::Null,
    )
    .await;
    let (status, body) = start(exam.clone()).await;
    assert_eq!(
        (status, code_reason(&body).as_str()),
        (409, "no_attempts_left")
    );

    // A deadline never passes the exam's close.
    let short = o
        .exam(&app, json!({ "closes_at": at(5), "duration_minutes": 60 }))
        .await;
    let (_, attempt) = start(short).await;
    let deadline =
        chrono::DateTime::parse_from_rfc3339(attempt["deadline"].as_str().expect("deadline"))
            .expect("time");
    assert!(deadline <= Utc::now() + Duration::minutes(5) + Duration::seconds(1));

    // Invalid settings name their fields.
    let (status, invalid) = send(
        &app,
        &o.owner,
        Method::POST,
        "/api/exams",
        json!({ "paper_id": "0193a000-0000-7000-8000-000000000000", "name": " ",
                "opens_at": at(10), "closes_at": at(5), "duration_minutes": 0, "attempts_allowed": 1,
                "scoring": "last", "release_policy": "at_time", "review_policy": "after_close" }),
    )
    .await;
    assert_eq!(status, 422);
    let fields: Vec<String> = invalid["details"]["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|f| {
            format!(
                "{}:{}",
                f["field"].as_str().unwrap_or(""),
                f["reason"].as_str().unwrap_or("")
            )
        })
        .collect();
    for expected in [
        "name:required",
        "closes_at:before_opens_at",
        "duration_minutes:out_of_range",
        "release_at:required",
        "paper_id:not_found",
    ] {
        assert!(
            fields.iter().any(|f| f == expected),
            "{expected} missing from {fields:?}"
        );
    }
}

#[tokio::test]
async fn an_attempt_is_submitted_and_graded_at_its_deadline_by_the_job_queue() {
    let app = spawn_app().await;
    let o = org(&app, "auto").await;
    // A paper of one true/false question, so the attempt is fully graded automatically.
    let (status, paper) = send(
        &app,
        &o.owner,
        Method::POST,
        "/api/papers",
        json!({ "name": "小测", "sections": [{ "title": "一", "questions": [{ "question_id": o.question("true_false") }] }] }),
    )
    .await;
    assert_eq!(status, 201, "{paper}");
    let closes = (Utc::now() + Duration::seconds(3)).to_rfc3339();
    let exam = o
        .exam(
            &app,
            json!({ "paper_id": id(&paper), "closes_at": closes, "pass_mark": 3 }),
        )
        .await;
    let cand = o.candidate(&app, "auto", 0).await;
    let (status, attempt) = send(
        &app,
        &cand,
        Method::POST,
        &format!("/api/candidate/exams/{exam}/attempts"),
        Value::Null,
    )
    .await;
    assert_eq!(status, 201, "{attempt}");
    let path = format!(
        "/api/candidate/attempts/{}/answers/{}",
        id(&attempt),
        o.question("true_false")
    );
    let (status, _) = send(
        &app,
        &cand,
        Method::PUT,
        &path,
        json!({ "answer": { "type": "true_false", "value": true }, "seq": 1 }),
    )
    .await;
    assert_eq!(status, 200);
    // The candidate goes away; only the console looks.
    let mut row = Value::Null;
    for _ in 0..40 {
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
        let (_, list) = send(
            &app,
            &o.owner,
            Method::GET,
            &format!("/api/exams/{exam}/attempts"),
            Value::Null,
        )
        .await;
        row = list[0].clone();
        if row["status"] != "in_progress" {
            break;
        }
    }
    assert_eq!(row["status"], "graded", "{row}");
    assert_eq!(row["auto_submitted"], true);
    assert_eq!(row["score"], 3.0);
    // The candidate then sees the result and the receipt.
    let (_, view) = send(
        &app,
        &cand,
        Method::GET,
        &format!("/api/candidate/attempts/{}", id(&attempt)),
        Value::Null,
    )
    .await;
    assert_eq!(view["status"], "graded");
    assert_eq!(view["passed"], true);
    assert_eq!(view["receipt"].as_str().map(str::len), Some(64));
}

#[tokio::test]
async fn attempts_and_exams_of_others_are_not_found() {
    let app = spawn_app().await;
    let a = org(&app, "ta").await;
    let b = org(&app, "tb").await;
    let exam = a.exam(&app, json!({})).await;
    let mine = a.candidate(&app, "ta", 0).await;
    let neighbour = a.candidate(&app, "ta", 1).await;
    let stranger = b.candidate(&app, "tb", 0).await;
    let (_, attempt) = send(
        &app,
        &mine,
        Method::POST,
        &format!("/api/candidate/exams/{exam}/attempts"),
        Value::Null,
    )
    .await;
    let attempt = id(&attempt);
    let save = json!({ "answer": { "type": "single_choice", "choice": "B" }, "seq": 1 });
    for who in [&neighbour, &stranger] {
        let (status, _) = send(
            &app,
            who,
            Method::GET,
            &format!("/api/candidate/attempts/{attempt}"),
            Value::Null,
        )
        .await;
        assert_eq!(status, 404);
        let path = format!(
            "/api/candidate/attempts/{attempt}/answers/{}",
            a.question("single_choice")
        );
        let (status, _) = send(&app, who, Method::PUT, &path, save.clone()).await;
        assert_eq!(status, 404);
        let (status, _) = send(
            &app,
            who,
            Method::POST,
            &format!("/api/candidate/attempts/{attempt}/submit"),
            Value::Null,
        )
        .await;
        assert_eq!(status, 404);
    }
    // Another organisation's candidate is not assigned; its owner cannot see the exam.
    let (status, _) = send(
        &app,
        &stranger,
        Method::POST,
        &format!("/api/candidate/exams/{exam}/attempts"),
        Value::Null,
    )
    .await;
    assert_eq!(status, 404);
    let (_, listed) = send(
        &app,
        &stranger,
        Method::GET,
        "/api/candidate/exams",
        Value::Null,
    )
    .await;
    assert_eq!(listed, json!([]));
    for path in [
        format!("/api/exams/{exam}"),
        format!("/api/exams/{exam}/attempts"),
        format!("/api/exams/{exam}/assignments"),
    ] {
        let (status, _) = send(&app, &b.owner, Method::GET, &path, Value::Null).await;
        assert_eq!(status, 404, "{path}");
    }
    // Assigning another organisation's candidate is refused by field.
    let (status, refused) = send(
        &app,
        &a.owner,
        Method::POST,
        &format!("/api/exams/{exam}/assignments"),
        json!({ "candidate_ids": [b.candidates[0]] }),
    )
    .await;
    assert_eq!(status, 422, "{refused}");
    assert_eq!(refused["details"]["fields"][0]["field"], "candidate_ids[0]");
    // The attempt itself is untouched.
    let (status, view) = send(
        &app,
        &mine,
        Method::GET,
        &format!("/api/candidate/attempts/{attempt}"),
        Value::Null,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(view["answers"], json!([]));
}
