//! The proctor's console: the monitor, extending a deadline (the old deadline job does not
//! submit early), force-submitting, reopening, permissions, and every action in the audit log.

use chrono::{Duration, Utc};
use serde_json::{Value, json};

use crate::helpers::{
    TestApp, answer_choice, answer_tf, events, exam_org_with, get, id, label_of, post, reason,
    save, spawn_app, start, submit, view,
};

/// The single choice (key 乙) and the true/false question (key true), 3 points each.
const PAPER: &[&str] = &["single_choice", "true_false"];

fn time(v: &Value) -> chrono::DateTime<chrono::FixedOffset> {
    chrono::DateTime::parse_from_rfc3339(v.as_str().expect("time")).expect("rfc3339")
}

#[tokio::test]
async fn the_monitor_shows_every_assigned_candidate_with_progress_and_events() {
    let app = spawn_app().await;
    let f = exam_org_with(&app, "mon", PAPER).await;
    let exam = f.exam(&app, json!({})).await;
    let cand = f.candidate(&app, 0).await;
    let (_, attempt) = start(&app, &cand, &exam).await;
    let attempt = id(&attempt);
    save(
        &app,
        &cand,
        &attempt,
        f.question("true_false"),
        answer_tf(false),
        1,
    )
    .await;
    events(
        &app,
        &cand,
        &attempt,
        &["focus_lost", "copy_attempt", "copy_attempt"],
    )
    .await;
    let (status, rows) = get(&app, &f.owner, &format!("/api/exams/{exam}/monitor")).await;
    assert_eq!(status, 200, "{rows}");
    let rows = rows.as_array().expect("rows");
    assert_eq!(rows.len(), 2);
    let started = &rows[0];
    assert_eq!(started["candidate_id"], f.candidates[0].as_str());
    assert_eq!(started["candidate_name"], "学生0");
    assert_eq!(started["attempt_id"], attempt.as_str());
    assert_eq!(started["status"], "in_progress");
    let left = started["seconds_left"].as_i64().expect("seconds left");
    assert!((29 * 60..=30 * 60).contains(&left), "{left}");
    assert_eq!(started["answered"], 1);
    assert_eq!(started["question_count"], 2);
    assert_eq!(started["events"]["focus_lost"], 1);
    assert_eq!(started["events"]["copy_attempt"], 2);
    assert!(started["last_activity_at"].is_string());
    let waiting = &rows[1];
    assert_eq!(waiting["candidate_name"], "学生1");
    assert!(
        waiting["attempt_id"].is_null() && waiting["status"].is_null(),
        "{waiting}"
    );
    assert_eq!(waiting["answered"], 0);

    // Reading needs `exams:read`, acting `exams:write`.
    let (_, reader) = app
        .create_admin(&f.owner, "proctor-reader", &["exams:read"])
        .await;
    let (status, _) = get(&app, &reader, &format!("/api/exams/{exam}/monitor")).await;
    assert_eq!(status, 200);
    let (status, _) = get(
        &app,
        &reader,
        &format!("/api/exams/{exam}/attempts/{attempt}/events"),
    )
    .await;
    assert_eq!(status, 200);
    for action in ["extend", "force-submit", "reopen"] {
        let (status, _) = post(
            &app,
            &reader,
            &format!("/api/exams/{exam}/attempts/{attempt}/{action}"),
            json!({ "minutes": 5 }),
        )
        .await;
        assert_eq!(status, 403, "{action}");
    }
    // An attempt of another exam is not found under this one.
    let other = f.exam(&app, json!({})).await;
    let (status, _) = get(
        &app,
        &f.owner,
        &format!("/api/exams/{other}/attempts/{attempt}/events"),
    )
    .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn extending_moves_the_deadline_and_the_old_job_does_not_submit_early() {
    let app = spawn_app().await;
    let f = exam_org_with(&app, "ext", PAPER).await;
    // The deadline is the close, a few seconds away, when the first deadline job runs.
    let closes = (Utc::now() + Duration::seconds(5)).to_rfc3339();
    let exam = f.exam(&app, json!({ "closes_at": closes })).await;
    let cand = f.candidate(&app, 0).await;
    let (_, attempt) = start(&app, &cand, &exam).await;
    let before = time(&attempt["deadline"]);
    let attempt = id(&attempt);
    let path = format!("/api/exams/{exam}/attempts/{attempt}/extend");
    for minutes in [0, 601] {
        let (status, body) = post(&app, &f.owner, &path, json!({ "minutes": minutes })).await;
        assert_eq!(status, 422, "{body}");
    }
    let (status, extended) = post(&app, &f.owner, &path, json!({ "minutes": 2 })).await;
    assert_eq!(status, 200, "{extended}");
    assert_eq!(time(&extended["deadline"]) - before, Duration::minutes(2));
    assert_eq!(extended["status"], "in_progress");
    // Past the old deadline, the attempt still runs and saves are accepted.
    let wait = before.with_timezone(&Utc) - Utc::now() + Duration::milliseconds(2500);
    tokio::time::sleep(wait.to_std().unwrap_or_default()).await;
    let (_, list) = get(&app, &f.owner, &format!("/api/exams/{exam}/attempts")).await;
    assert_eq!(list[0]["status"], "in_progress", "{list}");
    let (status, body) = save(
        &app,
        &cand,
        &attempt,
        f.question("true_false"),
        answer_tf(true),
        1,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (_, view) = view(&app, &cand, &attempt).await;
    assert_eq!(view["status"], "in_progress");
    assert_eq!(time(&view["deadline"]), time(&extended["deadline"]));
    // The old job queued itself again for the new deadline.
    assert_eq!(pending_deadline_jobs(&app, &attempt), 1);
    // A finished attempt cannot be extended.
    submit(&app, &cand, &attempt).await;
    let (status, body) = post(&app, &f.owner, &path, json!({ "minutes": 5 })).await;
    assert_eq!(
        (status, reason(&body).as_str()),
        (409, "attempt_not_in_progress")
    );
}

/// Deadline jobs of an attempt not done yet.
fn pending_deadline_jobs(app: &TestApp, attempt: &str) -> usize {
    use backend::db::schema::jobs;
    use diesel::prelude::*;
    let mut conn = app.db();
    let payloads: Vec<String> = jobs::table
        .filter(jobs::done_at.is_null())
        .select(jobs::payload)
        .load(&mut *conn)
        .expect("jobs");
    payloads.iter().filter(|p| p.contains(attempt)).count()
}

#[tokio::test]
async fn force_submit_and_reopen_and_every_action_is_audited() {
    let app = spawn_app().await;
    let f = exam_org_with(&app, "force", PAPER).await;
    let exam = f.exam(&app, json!({})).await;
    let cand = f.candidate(&app, 0).await;
    let (_, attempt) = start(&app, &cand, &exam).await;
    let second = label_of(&attempt, f.question("single_choice"), "乙");
    let attempt = id(&attempt);
    let base = format!("/api/exams/{exam}/attempts/{attempt}");
    save(
        &app,
        &cand,
        &attempt,
        f.question("true_false"),
        answer_tf(true),
        1,
    )
    .await;
    let (status, body) = post(
        &app,
        &f.owner,
        &format!("{base}/reopen"),
        json!({ "minutes": 5 }),
    )
    .await;
    assert_eq!(
        (status, reason(&body).as_str()),
        (409, "attempt_in_progress")
    );
    let (status, body) = post(
        &app,
        &f.owner,
        &format!("{base}/extend"),
        json!({ "minutes": 5 }),
    )
    .await;
    assert_eq!(status, 200, "{body}");

    let (status, forced) = post(&app, &f.owner, &format!("{base}/force-submit"), Value::Null).await;
    assert_eq!(status, 200, "{forced}");
    assert_eq!(forced["status"], "graded");
    assert_eq!(forced["submitted_reason"], "proctor");
    assert_eq!(forced["auto_submitted"], true);
    assert_eq!(forced["score"], 3.0);
    let (status, body) = post(&app, &f.owner, &format!("{base}/force-submit"), Value::Null).await;
    assert_eq!(
        (status, reason(&body).as_str()),
        (409, "attempt_not_in_progress")
    );
    let answer = answer_choice(&second);
    let (status, body) = save(
        &app,
        &cand,
        &attempt,
        f.question("single_choice"),
        answer.clone(),
        1,
    )
    .await;
    assert_eq!((status, reason(&body).as_str()), (409, "attempt_submitted"));

    // Reopened: in progress again with its answers, a new deadline, no score.
    let (status, body) = post(
        &app,
        &f.owner,
        &format!("{base}/reopen"),
        json!({ "minutes": 0 }),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    let (status, reopened) = post(
        &app,
        &f.owner,
        &format!("{base}/reopen"),
        json!({ "minutes": 10 }),
    )
    .await;
    assert_eq!(status, 200, "{reopened}");
    assert_eq!(reopened["status"], "in_progress");
    assert!(
        reopened["score"].is_null() && reopened["submitted_reason"].is_null(),
        "{reopened}"
    );
    let deadline = time(&reopened["deadline"]);
    let expected = Utc::now() + Duration::minutes(10);
    assert!(
        (deadline.with_timezone(&Utc) - expected)
            .num_seconds()
            .abs()
            <= 5,
        "{deadline}"
    );
    let (status, body) = save(
        &app,
        &cand,
        &attempt,
        f.question("single_choice"),
        answer,
        1,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (status, receipt) = submit(&app, &cand, &attempt).await;
    assert_eq!(status, 200, "{receipt}");
    assert_eq!(receipt["score"], 6.0);
    let (_, monitor) = get(&app, &f.owner, &format!("/api/exams/{exam}/monitor")).await;
    assert_eq!(monitor[0]["submitted_reason"], "candidate");

    let (_, audit) = get(&app, &f.owner, "/api/audit?action=exam.attempt.").await;
    let entries = audit["entries"].as_array().expect("entries");
    let mut actions: Vec<&str> = entries
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    actions.sort_unstable();
    assert_eq!(
        actions,
        [
            "exam.attempt.extend",
            "exam.attempt.force_submit",
            "exam.attempt.reopen"
        ]
    );
    for e in entries {
        assert_eq!(e["target_kind"], "attempt");
        assert_eq!(e["target_id"], attempt.as_str());
        assert_eq!(e["details"]["exam_id"], exam.as_str());
    }
}
