//! What a re-grade leads to beyond the scores: whom its preview and run name (the candidate's
//! account and name only for callers who may read candidates), and the automatic certificate
//! of an attempt that passes once its key is corrected.

use chrono::Utc;
use serde_json::{Value, json};

use crate::helpers::{ExamOrg, TestApp, exam_org_with, get, id, post, spawn_app};
use crate::regrade::{audited, correct_key, take};
use crate::results::run_jobs_at;

fn people(differences: &Value) -> Vec<(Value, Value, Value)> {
    differences
        .as_array()
        .expect("differences")
        .iter()
        .map(|d| {
            (
                d["candidate_id"].clone(),
                d.get("account").cloned().unwrap_or(Value::Null),
                d.get("name").cloned().unwrap_or(Value::Null),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_regrade_names_candidates_only_to_callers_who_may_read_candidates() {
    let app = spawn_app().await;
    let org = exam_org_with(&app, "rgn", &["single_choice", "true_false"]).await;
    let exam = org.exam(&app, json!({ "pass_mark": 4 })).await;
    take(&app, &org, 0, &exam, Some("甲")).await;
    run_jobs_at(&app, Utc::now());
    let question = correct_key(&app, &org).await;
    let path = format!("/api/questions/{question}/regrade");
    let (_, reader) = app
        .create_admin(&org.owner, "rgn.reader", &["questions:read", "exams:write"])
        .await;

    // With `candidates:read` (the owner): account and name beside the id.
    let (status, preview) = get(&app, &org.owner, &path).await;
    assert_eq!(status, 200, "{preview}");
    let named = vec![(
        json!(org.candidates[0]),
        json!(org.account(0)),
        json!("学生0"),
    )];
    assert_eq!(people(&preview["differences"]), named);
    // Without it: the id alone.
    let (status, preview) = get(&app, &reader, &path).await;
    assert_eq!(status, 200, "{preview}");
    let anonymous = vec![(json!(org.candidates[0]), Value::Null, Value::Null)];
    assert_eq!(people(&preview["differences"]), anonymous);

    // The run's changes alike; nothing personal is stored with the run.
    let (status, accepted) = post(&app, &reader, &path, json!({})).await;
    assert_eq!(status, 202, "{accepted}");
    run_jobs_at(&app, Utc::now());
    let run_path = format!("/api/regrades/{}", id(&accepted));
    let (_, run) = get(&app, &reader, &run_path).await;
    assert_eq!(run["status"], "done", "{run}");
    assert_eq!(people(&run["differences"]), anonymous);
    let (_, run) = get(&app, &org.owner, &run_path).await;
    assert_eq!(people(&run["differences"]), named);
}

/// The exam's certificates (waiting up to 10 s for the node's own job worker, which may have
/// claimed the job before the test's run did).
async fn certificates(app: &TestApp, org: &ExamOrg, exam: &str, n: usize) -> Vec<Value> {
    let path = format!("/api/exams/{exam}/certificates");
    let mut list = Vec::new();
    for _ in 0..50 {
        run_jobs_at(app, Utc::now());
        let (status, body) = get(app, &org.owner, &path).await;
        assert_eq!(status, 200, "{body}");
        list = body["items"].as_array().cloned().unwrap_or_default();
        if list.len() >= n {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    list
}

#[tokio::test]
async fn a_regrade_that_makes_an_attempt_pass_issues_the_automatic_certificate() {
    let app = spawn_app().await;
    let org = exam_org_with(&app, "rgc", &["single_choice", "true_false"]).await;
    let (status, template) = post(
        &app,
        &org.owner,
        "/api/certificate-templates",
        json!({ "name": "合格", "title": "合格证书", "body": "{name} {exam} {score}" }),
    )
    .await;
    assert_eq!(status, 201, "{template}");
    let exam = org
        .exam(
            &app,
            json!({ "pass_mark": 4, "certificate_template_id": id(&template) }),
        )
        .await;
    // 甲 is wrong under the first key: 3 of 6, below the pass mark.
    let attempt = take(&app, &org, 0, &exam, Some("甲")).await;
    run_jobs_at(&app, Utc::now());
    let (_, results) = get(&app, &org.owner, &format!("/api/exams/{exam}/results")).await;
    assert_eq!(
        (
            results["rows"][0]["score"].as_f64(),
            &results["rows"][0]["passed"]
        ),
        (Some(3.0), &json!(false)),
        "{results}"
    );
    assert!(certificates(&app, &org, &exam, 0).await.is_empty());

    let question = correct_key(&app, &org).await;
    let path = format!("/api/questions/{question}/regrade");
    let (status, accepted) = post(&app, &org.owner, &path, json!({})).await;
    assert_eq!(status, 202, "{accepted}");
    run_jobs_at(&app, Utc::now());

    // Now 6 of 6: passed, with the exam's certificate for that attempt.
    let (_, results) = get(&app, &org.owner, &format!("/api/exams/{exam}/results")).await;
    assert_eq!(
        (
            results["rows"][0]["score"].as_f64(),
            &results["rows"][0]["passed"]
        ),
        (Some(6.0), &json!(true)),
        "{results}"
    );
    let list = certificates(&app, &org, &exam, 1).await;
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(list[0]["attempt_id"], attempt.as_str());
    assert_eq!(list[0]["holder_name"], "学生0");
    // The audit log has the change, from failing to passing.
    let (ids, details) = audited(&app, "attempt.regraded");
    assert_eq!(ids, vec![attempt]);
    assert_eq!(
        (
            &details[0]["before"]["passed"],
            &details[0]["after"]["passed"]
        ),
        (&json!(false), &json!(true)),
        "{details:?}"
    );
}
