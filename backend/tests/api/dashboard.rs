//! The console's dashboard: a new organisation's empty checklist and zeros; the steps done one
//! by one; a live exam with the candidate in it; the pass rate of graded attempts; answers
//! waiting for a grader; failed notifications and imports; nothing of another organisation;
//! sections only for callers who may read them, counts within an admin's candidate groups.

use diesel::prelude::*;
use reqwest::Client;
use serde_json::{Value, json};

use crate::grading::{grader, take_answering};
use reqwest::Method;

use crate::helpers::{
    ExamOrg, PASSWORD, TestApp, XLSX, at, exam_org_with, get, post_bytes, send, spawn_app, start,
    xlsx,
};
use crate::results::take;

async fn dashboard(app: &TestApp, client: &Client) -> Value {
    let (status, body) = get(app, client, "/api/dashboard").await;
    assert_eq!(status, 200, "{body}");
    body
}

/// The checklist as `step → done`.
fn checklist(d: &Value) -> Vec<(String, bool)> {
    d["checklist"]
        .as_array()
        .expect("a checklist")
        .iter()
        .map(|s| {
            (
                s["step"].as_str().expect("step").to_owned(),
                s["done"].as_bool().expect("done"),
            )
        })
        .collect()
}

fn steps(done: [bool; 5]) -> Vec<(String, bool)> {
    ["branding", "candidates", "questions", "paper", "exam"]
        .into_iter()
        .map(str::to_owned)
        .zip(done)
        .collect()
}

/// The entry of `exam` in the list `section`.
fn entry<'a>(d: &'a Value, section: &str, key: &str, exam: &str) -> &'a Value {
    d[section]
        .as_array()
        .unwrap_or_else(|| panic!("no {section} in {d}"))
        .iter()
        .find(|e| e[key] == exam)
        .unwrap_or_else(|| panic!("{exam} not in {section}: {d}"))
}

/// An organisation whose paper is a single choice and a true/false (6 points, pass mark 3).
async fn org(app: &TestApp, tag: &str) -> ExamOrg {
    exam_org_with(app, tag, &["single_choice", "true_false"]).await
}

/// Candidate `i` starts `exam` and stays in it.
async fn enter(app: &TestApp, org: &ExamOrg, i: usize, exam: &str) {
    let cand = org.candidate(app, i).await;
    let (status, attempt) = start(app, &cand, exam).await;
    assert_eq!(status, 201, "{attempt}");
}

#[tokio::test]
async fn a_fresh_organisation_sees_an_empty_checklist_and_zeros() {
    let app = spawn_app().await;
    let owner = app.register_org("新单位", "fresh@example.com").await;
    let d = dashboard(&app, &owner).await;
    assert_eq!(checklist(&d), steps([false; 5]), "{d}");
    assert_eq!(d["running"], json!([]), "{d}");
    assert_eq!(d["grading"], json!([]), "{d}");
    assert_eq!(d["recent_exams"], json!([]), "{d}");
    assert_eq!(d["imports"], json!([]), "{d}");
    assert_eq!(d["failed_notifications"], 0, "{d}");
}

#[tokio::test]
async fn the_dashboard_shows_the_steps_done_a_live_exam_and_its_pass_rate() {
    let app = spawn_app().await;
    let org = org(&app, "dash").await;
    let d = dashboard(&app, &org.owner).await;
    assert_eq!(
        checklist(&d),
        steps([false, true, true, true, false]),
        "{d}"
    );
    let (status, body) = send(
        &app,
        &org.owner,
        Method::PATCH,
        "/api/org",
        json!({ "candidate_app_name": "仪表考试" }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let exam = org.exam(&app, json!({ "attempts_allowed": 2 })).await;
    let upcoming = org
        .exam(
            &app,
            json!({ "name": "下周", "opens_at": at(7 * 24 * 60),
                    "closes_at": at(8 * 24 * 60) }),
        )
        .await;
    let d = dashboard(&app, &org.owner).await;
    assert_eq!(checklist(&d), steps([true; 5]), "{d}");
    assert_eq!(entry(&d, "running", "id", &exam)["in_progress"], 0);
    assert!(
        !d["running"].to_string().contains(&upcoming),
        "an upcoming exam is not running: {d}"
    );

    // One candidate is in the exam; another has taken it (3 of 6 points: passed), and the
    // first's earlier attempt failed (0 points).
    take(&app, &org, 0, &exam, false, false).await;
    take(&app, &org, 1, &exam, true, false).await;
    enter(&app, &org, 0, &exam).await;
    let d = dashboard(&app, &org.owner).await;
    let live = entry(&d, "running", "id", &exam);
    assert_eq!(live["in_progress"], 1, "{d}");
    assert_eq!(live["name"], "期中");
    let recent = entry(&d, "recent_exams", "id", &exam);
    assert_eq!(
        (&recent["attempts"], &recent["graded"], &recent["passed"]),
        (&json!(3), &json!(2), &json!(1)),
        "{d}"
    );
    // The upcoming exam opens latest, so it leads the recent exams, with no attempt yet.
    assert_eq!(d["recent_exams"][0]["id"], upcoming.as_str(), "{d}");
    assert_eq!(d["recent_exams"][0]["attempts"], 0);
}

#[tokio::test]
async fn answers_waiting_for_a_grader_are_counted_per_exam() {
    let app = spawn_app().await;
    let org = exam_org_with(&app, "mark", &["single_choice", "essay"]).await;
    let exam = org
        .exam(&app, json!({ "release_policy": "after_grading" }))
        .await;
    let answer = json!({ "type": "essay", "text": "我的论述" });
    take_answering(&app, &org, 0, &exam, "essay", answer.clone()).await;
    take_answering(&app, &org, 1, &exam, "essay", answer).await;
    let d = dashboard(&app, &org.owner).await;
    let due = entry(&d, "grading", "exam_id", &exam);
    assert_eq!(due["attempts_waiting"], 2, "{d}");
    assert_eq!(due["exam_name"], "期中");
    // The queue is filled when it is first read; then its open answers count too.
    let path = format!("/api/exams/{exam}/grading/items");
    assert_eq!(get(&app, &org.owner, &path).await.0, 200);
    let d = dashboard(&app, &org.owner).await;
    assert_eq!(
        entry(&d, "grading", "exam_id", &exam)["answers_open"],
        2,
        "{d}"
    );
    // A grader sees the grading section and nothing else.
    let (_, grader) = grader(&app, &org, "dash-grader").await;
    let d = dashboard(&app, &grader).await;
    assert_eq!(
        entry(&d, "grading", "exam_id", &exam)["attempts_waiting"],
        2
    );
    for section in [
        "running",
        "recent_exams",
        "checklist",
        "imports",
        "failed_notifications",
    ] {
        assert!(d.get(section).is_none(), "a grader got {section}: {d}");
    }
}

/// Queues a message of `org` that failed for good (as the outbox worker leaves one).
fn failed_message(app: &TestApp, org: &str) {
    use backend::db::schema::notification_outbox as o;
    use backend::db::types::{DbUuid, Timestamp};
    let org = DbUuid(uuid::Uuid::parse_str(org).expect("org id"));
    diesel::insert_into(o::table)
        .values((
            o::id.eq(DbUuid::new_v7()),
            o::org_id.eq(Some(org)),
            o::channel.eq("email"),
            o::template.eq("result_notice"),
            o::destination_enc.eq(vec![0u8; 8]),
            o::content_enc.eq(vec![0u8; 8]),
            o::status.eq("failed"),
            o::attempts.eq(5),
            o::next_attempt_at.eq(Timestamp::now()),
            o::last_error.eq(Some("550")),
            o::created_at.eq(Timestamp::now()),
        ))
        .execute(&mut *app.db())
        .expect("a failed message");
}

async fn org_id(app: &TestApp, owner: &Client) -> String {
    let (_, me) = get(app, owner, "/api/auth/me").await;
    me["org"]["id"].as_str().expect("org id").to_owned()
}

#[tokio::test]
async fn failed_notifications_and_imports_are_the_organisations_own() {
    let app = spawn_app().await;
    let a = org(&app, "tena").await;
    let b = org(&app, "tenb").await;
    let exam_a = a.exam(&app, json!({ "name": "甲考试" })).await;
    enter(&app, &a, 0, &exam_a).await;
    failed_message(&app, &org_id(&app, &a.owner).await);
    let rows: Vec<&[&str]> = vec![
        &[
            "账号*",
            "姓名*",
            "手机号",
            "邮箱",
            "身份证号",
            "初始密码",
            "分组",
        ],
        &["imp-1", "导入一", "", "", "", PASSWORD, ""],
        &["imp-2", "导入二", "", "", "", PASSWORD, ""],
    ];
    let (status, body) = post_bytes(
        &app,
        &a.owner,
        "/api/candidates/import?dry_run=false",
        XLSX,
        xlsx(&rows),
    )
    .await;
    assert_eq!(status, 200, "{body}");

    let d = dashboard(&app, &a.owner).await;
    assert_eq!(d["failed_notifications"], 1, "{d}");
    assert_eq!(d["imports"][0]["kind"], "candidates", "{d}");
    assert_eq!(d["imports"][0]["count"], 2, "{d}");

    // B sees none of it: not A's exam, its candidate in it, its message or its import.
    let d = dashboard(&app, &b.owner).await;
    let text = d.to_string();
    assert!(!text.contains(&exam_a) && !text.contains("甲考试"), "{d}");
    assert_eq!(d["running"], json!([]), "{d}");
    assert_eq!(d["failed_notifications"], 0, "{d}");
    assert_eq!(d["imports"], json!([]), "{d}");
}

#[tokio::test]
async fn sections_follow_the_callers_permissions_and_candidate_groups() {
    let app = spawn_app().await;
    let org = org(&app, "perm").await;
    let exam = org.exam(&app, json!({})).await;
    enter(&app, &org, 0, &exam).await;

    // Without `exams` no exam data: the sections are absent, not empty.
    let (_, reader) = app
        .create_admin(&org.owner, "cand-reader", &["candidates:read"])
        .await;
    let d = dashboard(&app, &reader).await;
    for section in ["running", "recent_exams", "grading", "failed_notifications"] {
        assert!(
            d.get(section).is_none(),
            "{section} without the permission: {d}"
        );
    }
    assert!(!d.to_string().contains(&exam), "{d}");
    assert_eq!(checklist(&d), vec![("candidates".to_owned(), true)]);

    // An admin limited to a group with none of the exam's candidates sees the exam, but no
    // one in it, and nothing organisation-wide.
    let group = app.create_group(&org.owner, "空班").await;
    let (_, limited) = app
        .create_admin_in_groups(
            &org.owner,
            "group-admin",
            &["exams:read", "candidates:read", "org:read"],
            &[&group],
        )
        .await;
    let d = dashboard(&app, &limited).await;
    assert_eq!(entry(&d, "running", "id", &exam)["in_progress"], 0, "{d}");
    assert_eq!(entry(&d, "recent_exams", "id", &exam)["attempts"], 0);
    assert!(d.get("failed_notifications").is_none(), "{d}");
    assert!(d.get("imports").is_none(), "{d}");
    assert_eq!(
        checklist(&d)[1],
        ("candidates".to_owned(), false),
        "no candidate of theirs yet: {d}"
    );
    let owner_view = dashboard(&app, &org.owner).await;
    assert_eq!(entry(&owner_view, "running", "id", &exam)["in_progress"], 1);

    // The dashboard is a person's: API keys are refused.
    let (_, key) = app.create_api_key(&org.owner, &["exams:read"]).await;
    let res = Client::new()
        .get(app.url("/api/dashboard"))
        .bearer_auth(key)
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 403);
    let anonymous = get(&app, &Client::new(), "/api/dashboard").await;
    assert_eq!(anonymous.0, 401);
}
