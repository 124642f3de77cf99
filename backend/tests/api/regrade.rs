//! Re-grading: a corrected key (a new version of the question), the preview of what a
//! re-grade would change, and the run through the job queue on an injected clock — exactly
//! the affected attempts change, each change is audited, released results get a "changed"
//! notice and unreleased ones do not, and a second run changes nothing.

use chrono::{Duration, Utc};
use diesel::prelude::*;
use serde_json::{Value, json};

use crate::helpers::{
    ExamOrg, PASSWORD, TestApp, answer_choice, answer_tf, exam_org_with, get, id, label_of, post,
    put, save, spawn_app, start, submit,
};
use crate::results::run_jobs_at;

/// Candidate `i` takes `exam`: the single choice answered with the option showing `choice`
/// (`None`: left unanswered), the true/false right. Answers the attempt id.
pub(crate) async fn take(
    app: &TestApp,
    org: &ExamOrg,
    i: usize,
    exam: &str,
    choice: Option<&str>,
) -> String {
    let cand = org.candidate(app, i).await;
    let (status, attempt) = start(app, &cand, exam).await;
    assert_eq!(status, 201, "{attempt}");
    let single = org.question("single_choice");
    let label = choice.map(|c| label_of(&attempt, single, c));
    let attempt = id(&attempt);
    if let Some(label) = label {
        let (status, _) = save(app, &cand, &attempt, single, answer_choice(&label), 1).await;
        assert_eq!(status, 200);
    }
    let tf = org.question("true_false");
    assert_eq!(
        save(app, &cand, &attempt, tf, answer_tf(true), 2).await.0,
        200
    );
    let (status, receipt) = submit(app, &cand, &attempt).await;
    assert_eq!(status, 200, "{receipt}");
    attempt
}

/// The single choice's key was wrong: 甲 (`A`) is right. Saved as version 2; answers the
/// question's id.
pub(crate) async fn correct_key(app: &TestApp, org: &ExamOrg) -> String {
    let question = org.question("single_choice").to_owned();
    let (status, q) = put(
        app,
        &org.owner,
        &format!("/api/questions/{question}"),
        json!({ "content": { "type": "single_choice", "stem": "<p>单选</p>",
                    "options": [{ "id": "A", "text": "甲" }, { "id": "B", "text": "乙" }],
                    "answer": "A" },
                "points": 3, "difficulty": 2 }),
    )
    .await;
    assert_eq!(status, 200, "{q}");
    assert_eq!(q["version"], 2);
    question
}

/// Each attempt's stored result: score, maximum and grading.
type Stored = (i32, i32, Option<String>);

fn stored(app: &TestApp, attempt: &str) -> Stored {
    use backend::db::schema::attempts;
    let id = backend::db::types::DbUuid(attempt.parse().expect("uuid"));
    let (score, max, grading): (Option<i32>, i32, Option<String>) = attempts::table
        .find(id)
        .select((
            attempts::score_centi,
            attempts::max_score_centi,
            attempts::grading,
        ))
        .first(&mut *app.db())
        .expect("attempt");
    (score.unwrap_or(-1), max, grading)
}

/// The target ids of `action`'s audit entries, sorted, and their details.
pub(crate) fn audited(app: &TestApp, action: &str) -> (Vec<String>, Vec<Value>) {
    use backend::db::schema::audit_log;
    let rows: Vec<(Option<String>, String)> = audit_log::table
        .filter(audit_log::action.eq(action))
        .select((audit_log::target_id, audit_log::details))
        .load(&mut *app.db())
        .expect("audit");
    let mut ids: Vec<String> = rows.iter().filter_map(|r| r.0.clone()).collect();
    ids.sort();
    let details = rows
        .iter()
        .map(|r| serde_json::from_str(&r.1).expect("details"))
        .collect();
    (ids, details)
}

/// The attempts with a queued "result changed" notice, sorted.
fn changed_notices(app: &TestApp) -> Vec<String> {
    use backend::db::schema::jobs;
    let payloads: Vec<String> = jobs::table
        .filter(jobs::kind.eq("result_notice"))
        .select(jobs::payload)
        .load(&mut *app.db())
        .expect("jobs");
    let mut ids: Vec<String> = payloads
        .iter()
        .map(|p| serde_json::from_str::<Value>(p).expect("payload"))
        .filter(|p| p["kind"] == "changed")
        .filter_map(|p| p["attempt_id"].as_str().map(str::to_owned))
        .collect();
    ids.sort();
    ids
}

/// Jobs that failed, with their errors.
fn failed_jobs(app: &TestApp) -> Vec<(String, String)> {
    use backend::db::schema::jobs;
    jobs::table
        .filter(jobs::last_error.is_not_null())
        .select((jobs::kind, jobs::last_error.assume_not_null()))
        .load(&mut *app.db())
        .expect("jobs")
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

#[tokio::test]
async fn a_key_correction_regrades_exactly_the_affected_attempts_and_audits_each_change() {
    let app = spawn_app().await;
    let mut org = exam_org_with(&app, "rg", &["single_choice", "true_false"]).await;
    for i in 2..4 {
        let body = json!({ "account": org.account(i), "name": format!("学生{i}"),
                           "password": PASSWORD });
        org.candidates
            .push(id(&app.create_candidate(&org.owner, body).await));
    }
    // Released at once, and one released only in two hours.
    let released = id(&org.create_exam(&app, json!({ "pass_mark": 4 })).await);
    let later = Utc::now() + Duration::hours(2);
    let unreleased = id(&org
        .create_exam(
            &app,
            json!({ "pass_mark": 4, "release_policy": "at_time",
                    "release_at": later.to_rfc3339() }),
        )
        .await);
    for (exam, who) in [(&released, [0, 1, 2]), (&unreleased, [1, 3, 3])] {
        let ids: Vec<&String> = who.iter().map(|&i| &org.candidates[i]).collect();
        let path = format!("/api/exams/{exam}/assignments");
        let (status, body) = post(&app, &org.owner, &path, json!({ "candidate_ids": ids })).await;
        assert_eq!(status, 200, "{body}");
    }
    // The key is 乙 (`B`): 甲 earns nothing, 乙 earns 3; the true/false adds 3 for everyone.
    let a0 = take(&app, &org, 0, &released, Some("甲")).await;
    let a1 = take(&app, &org, 1, &released, Some("乙")).await;
    let a2 = take(&app, &org, 2, &released, None).await;
    let b1 = take(&app, &org, 1, &unreleased, Some("乙")).await;
    let b3 = take(&app, &org, 3, &unreleased, Some("甲")).await;
    run_jobs_at(&app, Utc::now());
    let before: Vec<Stored> = [&a0, &a1, &a2, &b1, &b3]
        .iter()
        .map(|a| stored(&app, a))
        .collect();
    assert_eq!(
        before.iter().map(|s| s.0).collect::<Vec<_>>(),
        [300, 600, 300, 600, 300]
    );

    // The key was wrong: 甲 (`A`) is right. Saved as version 2.
    let question = correct_key(&app, &org).await;

    // The preview: five attempts used it, four change, nothing is written.
    let path = format!("/api/questions/{question}/regrade");
    let (status, preview) = get(&app, &org.owner, &path).await;
    assert_eq!(status, 200, "{preview}");
    assert_eq!(
        (preview["examined"].as_u64(), preview["changed"].as_u64()),
        (Some(5), Some(4)),
        "{preview}"
    );
    assert_eq!(preview["version"], 2);
    assert_eq!(preview["truncated"], false);
    assert_eq!(
        preview["exams"].as_array().map(Vec::len),
        Some(2),
        "{preview}"
    );
    let differences = preview["differences"].as_array().expect("differences");
    let of = |attempt: &str| -> Value {
        differences
            .iter()
            .find(|d| d["attempt_id"] == attempt)
            .cloned()
            .unwrap_or(Value::Null)
    };
    assert_eq!(
        sorted(
            differences
                .iter()
                .map(|d| d["attempt_id"].as_str().unwrap_or("").to_owned())
                .collect()
        ),
        sorted(vec![a0.clone(), a1.clone(), b1.clone(), b3.clone()])
    );
    let d0 = of(&a0);
    assert_eq!(
        d0["before"],
        json!({ "question_points": 0.0, "question_max": 3.0,
        "score": 3.0, "max_score": 6.0, "percent": 50.0, "passed": false })
    );
    assert_eq!(
        d0["after"],
        json!({ "question_points": 3.0, "question_max": 3.0,
        "score": 6.0, "max_score": 6.0, "percent": 100.0, "passed": true })
    );
    assert_eq!(d0["released"], true);
    let d1 = of(&a1);
    assert_eq!(
        (
            d1["before"]["score"].as_f64(),
            d1["after"]["score"].as_f64()
        ),
        (Some(6.0), Some(3.0))
    );
    assert_eq!(d1["after"]["passed"], false);
    assert_eq!(of(&b3)["released"], false);
    for (a, s) in [&a0, &a1, &a2, &b1, &b3].iter().zip(&before) {
        assert_eq!(&stored(&app, a), s, "the preview wrote {a}");
    }

    // Invalid input and another organisation's question.
    let (status, body) = post(&app, &org.owner, &path, json!({ "exam_ids": ["x"] })).await;
    assert_eq!(
        (status, body["details"]["fields"][0]["reason"].as_str()),
        (422, Some("invalid_format")),
        "{body}"
    );
    let other = "0190aaaa-0000-7000-8000-000000000001".to_owned();
    let (status, body) = post(&app, &org.owner, &path, json!({ "exam_ids": [other] })).await;
    assert_eq!(
        (status, body["details"]["fields"][0]["reason"].as_str()),
        (422, Some("not_found")),
        "{body}"
    );
    let (status, _) = get(&app, &org.owner, &format!("/api/questions/{other}/regrade")).await;
    assert_eq!(status, 404);

    // The run, through the queue.
    let (status, accepted) = post(&app, &org.owner, &path, json!({})).await;
    assert_eq!(status, 202, "{accepted}");
    let run_path = format!("/api/regrades/{}", id(&accepted));
    let (status, run) = get(&app, &org.owner, &run_path).await;
    assert_eq!(
        (status, run["status"].as_str()),
        (200, Some("queued")),
        "{run}"
    );
    assert!(changed_notices(&app).is_empty());
    run_jobs_at(&app, Utc::now());
    let (_, run) = get(&app, &org.owner, &run_path).await;
    assert_eq!(run["status"], "done", "{run}");
    assert_eq!(
        (run["examined"].as_u64(), run["changed"].as_u64()),
        (Some(5), Some(4))
    );
    assert_eq!(run["differences"].as_array().map(Vec::len), Some(4));
    assert_eq!(
        run["differences"]
            .as_array()
            .and_then(|d| d.iter().find(|d| d["attempt_id"] == a0.as_str()))
            .map(|d| d["after"].clone()),
        Some(d0["after"].clone())
    );

    // Exactly the affected attempts changed; the unanswered one is untouched.
    assert_eq!(stored(&app, &a2), before[2]);
    let after: Vec<i32> = [&a0, &a1, &b1, &b3]
        .iter()
        .map(|a| stored(&app, a).0)
        .collect();
    assert_eq!(after, [600, 300, 300, 600]);
    let (status, results) = get(&app, &org.owner, &format!("/api/exams/{released}/results")).await;
    assert_eq!(status, 200, "{results}");
    let row = |attempt: &str| {
        results["rows"]
            .as_array()
            .and_then(|r| r.iter().find(|r| r["attempt_id"] == attempt))
            .cloned()
            .unwrap_or(Value::Null)
    };
    assert_eq!(
        (row(&a0)["score"].as_f64(), &row(&a0)["passed"]),
        (Some(6.0), &json!(true))
    );
    assert_eq!(
        (row(&a1)["score"].as_f64(), &row(&a1)["passed"]),
        (Some(3.0), &json!(false))
    );

    // One audit entry per changed attempt, with before and after.
    let (ids, details) = audited(&app, "attempt.regraded");
    assert_eq!(
        ids,
        sorted(vec![a0.clone(), a1.clone(), b1.clone(), b3.clone()])
    );
    assert!(
        details
            .iter()
            .all(|d| d["question_id"] == question.as_str() && d["version"] == 2)
    );
    assert!(
        details
            .iter()
            .any(|d| d["before"]["score"] == 3.0 && d["after"]["score"] == 6.0)
    );
    assert_eq!(audited(&app, "question.regrade").0, vec![question.clone()]);
    // Released results get the "changed" notice; the unreleased exam's do not.
    assert_eq!(changed_notices(&app), sorted(vec![a0.clone(), a1.clone()]));
    assert_eq!(failed_jobs(&app), Vec::<(String, String)>::new());

    // Again: nothing left to change, nothing written, nothing audited.
    let (status, accepted) = post(&app, &org.owner, &path, json!({ "exam_ids": [released] })).await;
    assert_eq!(status, 202, "{accepted}");
    run_jobs_at(&app, Utc::now());
    let (_, run) = get(
        &app,
        &org.owner,
        &format!("/api/regrades/{}", id(&accepted)),
    )
    .await;
    assert_eq!(
        (
            run["status"].as_str(),
            run["examined"].as_u64(),
            run["changed"].as_u64()
        ),
        (Some("done"), Some(3), Some(0)),
        "{run}"
    );
    assert_eq!(audited(&app, "attempt.regraded").0.len(), 4);
    assert_eq!(changed_notices(&app).len(), 2);
}

#[tokio::test]
async fn a_points_correction_follows_papers_that_used_the_questions_own_points_only() {
    let app = spawn_app().await;
    let org = exam_org_with(&app, "rgp", &["single_choice", "true_false"]).await;
    let question = org.question("single_choice").to_owned();
    // A second paper sets the single choice's points itself (10).
    let (status, paper) = post(
        &app,
        &org.owner,
        "/api/papers",
        json!({ "name": "自定分值", "sections": [{ "title": "一", "questions": [
            { "question_id": question, "points": 10 },
            { "question_id": org.question("true_false") }] }] }),
    )
    .await;
    assert_eq!(status, 201, "{paper}");
    let own = org.exam(&app, json!({})).await;
    let fixed = org.exam(&app, json!({ "paper_id": id(&paper) })).await;
    let a_own = take(&app, &org, 0, &own, Some("乙")).await;
    let a_fixed = take(&app, &org, 0, &fixed, Some("乙")).await;
    run_jobs_at(&app, Utc::now());
    assert_eq!(stored(&app, &a_own).0, 600);
    assert_eq!(stored(&app, &a_fixed).0, 1300);
    let untouched = stored(&app, &a_fixed);

    // The key stays; the question is worth 5 now.
    let (status, q) = put(
        &app,
        &org.owner,
        &format!("/api/questions/{question}"),
        json!({ "content": { "type": "single_choice", "stem": "<p>单选</p>",
                    "options": [{ "id": "A", "text": "甲" }, { "id": "B", "text": "乙" }],
                    "answer": "B" },
                "points": 5, "difficulty": 2 }),
    )
    .await;
    assert_eq!(status, 200, "{q}");
    let path = format!("/api/questions/{question}/regrade");
    let (status, accepted) = post(&app, &org.owner, &path, json!({})).await;
    assert_eq!(status, 202, "{accepted}");
    run_jobs_at(&app, Utc::now());
    let (_, run) = get(
        &app,
        &org.owner,
        &format!("/api/regrades/{}", id(&accepted)),
    )
    .await;
    assert_eq!(
        (run["examined"].as_u64(), run["changed"].as_u64()),
        (Some(2), Some(1)),
        "{run}"
    );
    let after = &run["differences"][0]["after"];
    assert_eq!(run["differences"][0]["attempt_id"], a_own.as_str());
    assert_eq!(
        (
            after["question_points"].as_f64(),
            after["score"].as_f64(),
            after["max_score"].as_f64()
        ),
        (Some(5.0), Some(8.0), Some(8.0))
    );
    let (score, max, _) = stored(&app, &a_own);
    assert_eq!((score, max), (800, 800));
    assert_eq!(stored(&app, &a_fixed), untouched);
    assert_eq!(audited(&app, "attempt.regraded").0, vec![a_own]);
}
