//! Exam integrity: focus-loss and idle limits submit an attempt, events are stored with the
//! address encrypted (and `ip_changed` seen by the server), IP ranges refuse outside callers,
//! exam edit and delete rules, and answer review under each of its policies.

use chrono::{Duration, Utc};
use reqwest::Client;
use serde_json::{Value, json};

use crate::helpers::{
    ExamOrg, TestApp, answer_choice, answer_tf, at, delete, events, exam_org_with, fields, get, id,
    label_of, post, put, reason, review, save, spawn_app, start, submit, view,
};

/// The integrity tests' paper: the single choice (key 乙) and the true/false question (key
/// true), 3 points each.
const PAPER: &[&str] = &["single_choice", "true_false"];

/// Sets an attempt's last activity `minutes` ago, straight in the database.
fn idle_for(app: &TestApp, attempt: &str, minutes: i64) {
    use backend::db::schema::attempts;
    use backend::db::types::{DbUuid, Timestamp};
    use diesel::prelude::*;
    let mut conn = app.db();
    let id = DbUuid(uuid::Uuid::parse_str(attempt).expect("uuid"));
    let then = Timestamp::from(Utc::now() - Duration::minutes(minutes));
    diesel::update(attempts::table.find(id))
        .set(attempts::last_activity_at.eq(Some(then)))
        .execute(&mut *conn)
        .expect("update");
}

#[tokio::test]
async fn the_sixth_focus_loss_over_a_limit_of_five_submits_and_grades_the_attempt() {
    let app = spawn_app().await;
    let f = exam_org_with(&app, "focus", PAPER).await;
    let exam = f
        .exam(
            &app,
            json!({ "integrity": { "max_focus_losses": 5, "require_fullscreen": true } }),
        )
        .await;
    let cand = f.candidate(&app, 0).await;
    let (status, attempt) = start(&app, &cand, &exam).await;
    assert_eq!(status, 201, "{attempt}");
    assert_eq!(attempt["integrity"]["max_focus_losses"], 5);
    assert_eq!(attempt["integrity"]["require_fullscreen"], true);
    let second = label_of(&attempt, f.question("single_choice"), "乙");
    let attempt = id(&attempt);
    let (status, _) = save(
        &app,
        &cand,
        &attempt,
        f.question("true_false"),
        answer_tf(true),
        1,
    )
    .await;
    assert_eq!(status, 200);
    // Five switches (focus lost and hidden tabs count together) and other events are fine.
    let (status, r) = events(
        &app,
        &cand,
        &attempt,
        &["focus_lost", "tab_hidden", "copy_attempt", "resumed"],
    )
    .await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(
        (r["recorded"].clone(), r["submitted"].clone()),
        (json!(4), json!(false))
    );
    let mut last = Value::Null;
    for kind in ["focus_lost", "tab_hidden", "focus_lost"] {
        let (status, r) = events(&app, &cand, &attempt, &[kind]).await;
        assert_eq!(status, 200, "{r}");
        assert_eq!(r["submitted"], false, "{r}");
        last = r;
    }
    assert_eq!(last["counts"]["focus_losses"], 5);
    // The sixth submits.
    let (status, r) = events(&app, &cand, &attempt, &["tab_hidden"]).await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["submitted"], true, "{r}");
    assert_eq!(r["reason"], "integrity_limit");
    assert_eq!(r["limit"], "max_focus_losses");
    assert_eq!(r["counts"]["focus_losses"], 6);
    assert_eq!(r["counts"]["tab_hidden"], 3);
    assert_eq!(r["counts"]["copy_attempt"], 1);
    // Graded: the true/false answer earned its 3 points.
    let (_, list) = get(&app, &f.owner, &format!("/api/exams/{exam}/attempts")).await;
    assert_eq!(list[0]["status"], "graded", "{list}");
    assert_eq!(list[0]["auto_submitted"], true);
    assert_eq!(list[0]["score"], 3.0);
    // Later saves and events are refused.
    let (status, late) = save(
        &app,
        &cand,
        &attempt,
        f.question("single_choice"),
        answer_choice(&second),
        1,
    )
    .await;
    assert_eq!((status, reason(&late).as_str()), (409, "attempt_submitted"));
    let (status, late) = events(&app, &cand, &attempt, &["focus_lost"]).await;
    assert_eq!((status, reason(&late).as_str()), (409, "attempt_submitted"));
    let (_, monitor) = get(&app, &f.owner, &format!("/api/exams/{exam}/monitor")).await;
    assert_eq!(
        monitor[0]["submitted_reason"], "integrity_limit",
        "{monitor}"
    );
    assert_eq!(monitor[0]["events"]["focus_losses"], 6);
}

#[tokio::test]
async fn fullscreen_exits_over_the_limit_submit_too() {
    let app = spawn_app().await;
    let f = exam_org_with(&app, "full", PAPER).await;
    let exam = f
        .exam(&app, json!({ "integrity": { "max_fullscreen_exits": 1 } }))
        .await;
    let cand = f.candidate(&app, 0).await;
    let (_, attempt) = start(&app, &cand, &exam).await;
    let attempt = id(&attempt);
    let (_, r) = events(
        &app,
        &cand,
        &attempt,
        &["fullscreen_exit", "focus_lost", "focus_lost"],
    )
    .await;
    assert_eq!(r["submitted"], false, "{r}");
    let (_, r) = events(&app, &cand, &attempt, &["fullscreen_exit"]).await;
    assert_eq!(r["submitted"], true, "{r}");
    assert_eq!(r["limit"], "max_fullscreen_exits");
}

#[tokio::test]
async fn events_are_validated_and_stored_with_the_address_encrypted() {
    let app = spawn_app().await;
    let f = exam_org_with(&app, "ev", PAPER).await;
    let exam = f.exam(&app, json!({})).await;
    let cand = f.candidate_from(&app, 0, "127.0.0.77").await;
    let (_, attempt) = start(&app, &cand, &exam).await;
    let attempt = id(&attempt);
    let path = format!("/api/candidate/attempts/{attempt}/events");
    let now = Utc::now().to_rfc3339();
    let many: Vec<Value> = (0..101)
        .map(|_| json!({ "kind": "focus_lost", "client_time": now }))
        .collect();
    for (body, expected) in [
        (json!({ "events": [] }), "events:required"),
        (json!({ "events": many }), "events:too_many"),
        (
            json!({ "events": [{ "kind": "ip_changed", "client_time": now }] }),
            "events[0].kind:not_allowed",
        ),
        (
            json!({ "events": [{ "kind": "idle", "client_time": "yesterday" }] }),
            "events[0].client_time:invalid_format",
        ),
        (
            json!({ "events": [{ "kind": "idle", "client_time": now, "detail": "x".repeat(501) }] }),
            "events[0].detail:too_long",
        ),
    ] {
        let (status, body) = post(&app, &cand, &path, body).await;
        assert_eq!(status, 422, "{expected}: {body}");
        assert!(
            fields(&body).iter().any(|f| f == expected),
            "{expected}: {body}"
        );
    }
    let (status, body) = post(
        &app,
        &cand,
        &path,
        json!({ "events": [{ "kind": "teleported", "client_time": now }] }),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    let (status, r) = post(
        &app,
        &cand,
        &path,
        json!({ "events": [{ "kind": "paste_attempt", "client_time": "2026-11-29T10:00:00+08:00",
                             "detail": "SECRET-DETAIL-7f3" }] }),
    )
    .await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["recorded"], 1);
    // The same candidate resumes and saves from another address (one device at a time: the
    // new one takes over): the server records the change.
    let other = f.candidate_from(&app, 0, "127.0.0.78").await;
    let (status, _) = start(&app, &other, &exam).await;
    assert_eq!(status, 200);
    let (status, _) = save(
        &app,
        &other,
        &attempt,
        f.question("true_false"),
        answer_tf(true),
        1,
    )
    .await;
    assert_eq!(status, 200);
    let (status, timeline) = get(
        &app,
        &f.owner,
        &format!("/api/exams/{exam}/attempts/{attempt}/events"),
    )
    .await;
    assert_eq!(status, 200, "{timeline}");
    let list = timeline.as_array().expect("list");
    assert_eq!(list.len(), 2, "{timeline}");
    assert_eq!(list[0]["kind"], "paste_attempt");
    assert_eq!(list[0]["ip"], "127.0.0.77");
    assert_eq!(list[0]["detail"], "SECRET-DETAIL-7f3");
    assert_eq!(list[0]["client_time"], "2026-11-29T02:00:00.000000Z");
    assert_eq!(list[1]["kind"], "ip_changed");
    assert_eq!(list[1]["ip"], "127.0.0.78");
    // Nothing of it is stored in plaintext.
    let dump = app.raw_database_dump();
    for secret in ["SECRET-DETAIL-7f3", "127.0.0.77", "127.0.0.78"] {
        assert!(!dump.contains(secret), "{secret} stored in plaintext");
    }
}

#[tokio::test]
async fn ip_ranges_are_validated_and_refuse_candidates_from_outside() {
    let app = spawn_app().await;
    let f = exam_org_with(&app, "ip", PAPER).await;
    let (status, body) = post(
        &app,
        &f.owner,
        "/api/exams",
        f.exam_body(
            json!({ "integrity": { "ip_ranges": ["10.0.0.0/8", "300.1.1.1/8", "fe80::/200"],
                                      "idle_timeout_minutes": 0 } }),
        ),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    let found = fields(&body);
    for expected in [
        "integrity.ip_ranges[1]:invalid_format",
        "integrity.ip_ranges[2]:invalid_format",
        "integrity.idle_timeout_minutes:out_of_range",
    ] {
        assert!(
            found.iter().any(|f| f == expected),
            "{expected} in {found:?}"
        );
    }
    let exam = f
        .exam(
            &app,
            json!({ "integrity": { "ip_ranges": ["127.0.0.1/32", "2001:db8::/32"] } }),
        )
        .await;
    let (_, dto) = get(&app, &f.owner, &format!("/api/exams/{exam}")).await;
    assert_eq!(
        dto["integrity"]["ip_ranges"],
        json!(["127.0.0.1/32", "2001:db8::/32"])
    );
    let inside = f.candidate_from(&app, 0, "127.0.0.1").await;
    let outside = f.candidate_from(&app, 0, "127.0.0.2").await;
    let (status, body) = start(&app, &outside, &exam).await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(body["code"], "ip_not_allowed");
    let (status, attempt) = start(&app, &inside, &exam).await;
    assert_eq!(status, 201, "{attempt}");
    let attempt = id(&attempt);
    // Resuming, saving and submitting from outside are refused too.
    let (status, body) = start(&app, &outside, &exam).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (403, Some("ip_not_allowed"))
    );
    let answer = answer_tf(true);
    let (status, _) = save(
        &app,
        &outside,
        &attempt,
        f.question("true_false"),
        answer.clone(),
        1,
    )
    .await;
    assert_eq!(status, 403);
    let (status, _) = submit(&app, &outside, &attempt).await;
    assert_eq!(status, 403);
    let (status, _) = save(&app, &inside, &attempt, f.question("true_false"), answer, 1).await;
    assert_eq!(status, 200);
    let (status, receipt) = submit(&app, &inside, &attempt).await;
    assert_eq!(status, 200, "{receipt}");
    assert_eq!(receipt["score"], 3.0);
    // The message is in the caller's language.
    let res = outside
        .get(app.url(&format!("/api/candidate/attempts/{attempt}")))
        .header("accept-language", "en")
        .send()
        .await
        .expect("get");
    assert_eq!(res.status(), 403);
    let body: Value = res.json().await.expect("json");
    assert!(
        body["message"].as_str().unwrap_or("").contains("IP"),
        "{body}"
    );
}

#[tokio::test]
async fn idleness_past_the_timeout_submits_by_event_and_by_last_activity() {
    let app = spawn_app().await;
    let f = exam_org_with(&app, "idle", PAPER).await;
    let exam = f
        .exam(
            &app,
            json!({ "attempts_allowed": 2, "integrity": { "idle_timeout_minutes": 5 } }),
        )
        .await;
    let cand = f.candidate(&app, 0).await;
    let (_, attempt) = start(&app, &cand, &exam).await;
    let attempt = id(&attempt);
    let path = format!("/api/candidate/attempts/{attempt}/events");
    let idle = |secs: u32| json!({ "events": [{ "kind": "idle", "client_time": Utc::now().to_rfc3339(), "idle_seconds": secs }] });
    let (_, r) = post(&app, &cand, &path, idle(299)).await;
    assert_eq!(r["submitted"], false, "{r}");
    let (_, r) = post(&app, &cand, &path, idle(300)).await;
    assert_eq!(r["submitted"], true, "{r}");
    assert_eq!(r["limit"], "idle_timeout");

    // The second attempt saves nothing for six minutes: the next save submits it.
    let (status, second) = start(&app, &cand, &exam).await;
    assert_eq!(status, 201, "{second}");
    let second = id(&second);
    let answer = answer_tf(true);
    let (status, _) = save(
        &app,
        &cand,
        &second,
        f.question("true_false"),
        answer.clone(),
        1,
    )
    .await;
    assert_eq!(status, 200);
    idle_for(&app, &second, 6);
    let (status, body) = save(&app, &cand, &second, f.question("true_false"), answer, 2).await;
    assert_eq!((status, reason(&body).as_str()), (409, "attempt_submitted"));
    let (_, monitor) = get(&app, &f.owner, &format!("/api/exams/{exam}/monitor")).await;
    assert_eq!(monitor[0]["attempt_id"], second.as_str());
    assert_eq!(monitor[0]["status"], "graded", "{monitor}");
    assert_eq!(monitor[0]["submitted_reason"], "integrity_limit");
}

#[tokio::test]
async fn exams_are_edited_and_deleted_under_their_rules() {
    let app = spawn_app().await;
    let f = exam_org_with(&app, "edit", PAPER).await;
    let exam = f.exam(&app, json!({})).await;
    let path = format!("/api/exams/{exam}");
    let other_paper = f.paper(&app, &["true_false"], false).await;
    // Invalid edits are refused by field, as on creation.
    let (status, body) = put(
        &app,
        &f.owner,
        &path,
        f.exam_body(json!({ "duration_minutes": 0 })),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    // Before any attempt, everything may change, the paper included.
    let (status, body) = put(
        &app,
        &f.owner,
        &path,
        f.exam_body(json!({ "name": "改名", "paper_id": other_paper, "duration_minutes": 45 })),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["name"], "改名");
    assert_eq!(body["paper_id"], other_paper.as_str());
    let cand = f.candidate(&app, 0).await;
    let (status, attempt) = start(&app, &cand, &exam).await;
    assert_eq!(status, 201, "{attempt}");
    assert_eq!(
        attempt["paper"]["sections"][0]["questions"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );
    // Now the paper is fixed; the window, duration and policies are not.
    let (status, body) = put(
        &app,
        &f.owner,
        &path,
        f.exam_body(json!({ "paper_id": f.paper_id })),
    )
    .await;
    assert_eq!((status, reason(&body).as_str()), (409, "exam_has_attempts"));
    let (status, body) = put(
        &app,
        &f.owner,
        &path,
        f.exam_body(
            json!({ "paper_id": other_paper, "closes_at": at(120), "review_policy": "after_close",
                       "integrity": { "block_copy_paste": true } }),
        ),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["review_policy"], "after_close");
    assert_eq!(body["integrity"]["block_copy_paste"], true);
    // Not deleted while an attempt runs.
    let (status, body) = delete(&app, &f.owner, &path).await;
    assert_eq!((status, reason(&body).as_str()), (409, "exam_has_attempts"));
    let (status, _) = submit(&app, &cand, &id(&attempt)).await;
    assert_eq!(status, 200);
    let (status, _) = delete(&app, &f.owner, &path).await;
    assert_eq!(status, 204);
    // Gone from the console and the candidate's views.
    let (status, _) = get(&app, &f.owner, &path).await;
    assert_eq!(status, 404);
    let (_, list) = get(&app, &f.owner, "/api/exams").await;
    assert_eq!(list, json!([]));
    let (_, mine) = get(&app, &cand, "/api/candidate/exams").await;
    assert_eq!(mine, json!([]));
    let (status, _) = view(&app, &cand, &id(&attempt)).await;
    assert_eq!(status, 404);
    let (status, _) = delete(&app, &f.owner, &path).await;
    assert_eq!(status, 404);
    // Audited.
    let (_, audit) = get(&app, &f.owner, "/api/audit?action=exam.").await;
    let actions: Vec<&str> = audit["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert_eq!(
        actions.iter().filter(|a| **a == "exam.update").count(),
        2,
        "{actions:?}"
    );
    assert!(actions.contains(&"exam.delete"), "{actions:?}");
}

/// Starts, answers the single choice wrongly and the true/false rightly, submits.
async fn take(app: &TestApp, f: &ExamOrg, cand: &Client, exam: &str) -> String {
    let (status, attempt) = start(app, cand, exam).await;
    assert_eq!(status, 201, "{attempt}");
    let first = label_of(&attempt, f.question("single_choice"), "甲");
    let attempt = id(&attempt);
    save(
        app,
        cand,
        &attempt,
        f.question("single_choice"),
        answer_choice(&first),
        1,
    )
    .await;
    save(
        app,
        cand,
        &attempt,
        f.question("true_false"),
        answer_tf(true),
        1,
    )
    .await;
    let (status, _) = review(app, cand, &attempt).await;
    assert_eq!(status, 409, "no review while the attempt runs");
    let (_, running) = view(app, cand, &attempt).await;
    assert_eq!(running["review_available"], false);
    let (status, receipt) = submit(app, cand, &attempt).await;
    assert_eq!(status, 200);
    // The receipt says whether the review opens now, without opening it (which would record
    // that the keys were seen); the attempt's view says the same.
    let (_, shown) = view(app, cand, &attempt).await;
    assert_eq!(shown["review_available"], receipt["review_available"]);
    // The exam's page in the portal links the review of exactly the attempts it is open for.
    let (_, list) = get(app, cand, "/api/candidate/exams").await;
    let listed = list
        .as_array()
        .and_then(|l| l.iter().find(|e| e["id"] == exam))
        .map(|e| e["reviewable"].clone())
        .unwrap_or_default();
    let linked = listed
        .as_array()
        .is_some_and(|ids| ids.iter().any(|i| i == attempt.as_str()));
    assert_eq!(json!(linked), receipt["review_available"], "{listed}");
    let (status, _) = review(app, cand, &attempt).await;
    assert_eq!(receipt["review_available"], status == 200, "{receipt}");
    attempt
}

#[tokio::test]
async fn review_follows_the_exams_policy_never_after_release_and_after_close() {
    let app = spawn_app().await;
    let f = exam_org_with(&app, "rev", PAPER).await;
    let cand = f.candidate(&app, 0).await;

    let never = f.exam(&app, json!({ "review_policy": "never" })).await;
    let attempt = take(&app, &f, &cand, &never).await;
    let (status, body) = review(&app, &cand, &attempt).await;
    assert_eq!(
        (status, reason(&body).as_str()),
        (409, "review_not_available")
    );

    // After release: the score of an `at_time` exam is released only at its time.
    let later = f
        .exam(&app, json!({ "review_policy": "after_release", "release_policy": "at_time", "release_at": at(30) }))
        .await;
    let attempt = take(&app, &f, &cand, &later).await;
    let (status, body) = review(&app, &cand, &attempt).await;
    assert_eq!(
        (status, reason(&body).as_str()),
        (409, "review_not_available")
    );
    let released = f
        .exam(&app, json!({ "review_policy": "after_release" }))
        .await;
    let attempt = take(&app, &f, &cand, &released).await;
    let (status, body) = review(&app, &cand, &attempt).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["score"], 3.0);
    // Released at once: the attempt's view carries the score and the verdict.
    let (_, shown) = view(&app, &cand, &attempt).await;
    assert_eq!(
        (shown["score"].clone(), shown["review_available"].clone()),
        (json!(3.0), json!(true))
    );
    assert_eq!(
        body["paper"]["sections"][0]["questions"]
            .as_array()
            .map(Vec::len),
        Some(2)
    );
    let items = body["items"].as_array().expect("items");
    assert_eq!(items.len(), 2);
    let single = items
        .iter()
        .find(|i| i["question_id"] == f.question("single_choice"))
        .expect("single");
    // The review names ids by the attempt's labels, in the paper, the answer and the key.
    assert_eq!(
        single["answer"]["choice"],
        label_of(&body, f.question("single_choice"), "甲").as_str()
    );
    assert_eq!(
        single["correct"]["answer"],
        label_of(&body, f.question("single_choice"), "乙").as_str()
    );
    assert_eq!(single["earned"], 0.0);
    assert_eq!(single["points"], 3.0);
    assert!(
        single["explanation"]
            .as_str()
            .unwrap_or("")
            .contains("SECRET-EXPLANATION")
    );
    let tf = items
        .iter()
        .find(|i| i["question_id"] == f.question("true_false"))
        .expect("tf");
    assert_eq!(tf["earned"], 3.0);
    assert_eq!(tf["correct"]["answer"], true);
    // Another candidate's attempt is not found.
    let neighbour = f.candidate(&app, 1).await;
    let (status, _) = review(&app, &neighbour, &attempt).await;
    assert_eq!(status, 404);

    // After close: not before the exam closes, then yes.
    let closes = Utc::now() + Duration::seconds(5);
    let closing = f
        .exam(
            &app,
            json!({ "review_policy": "after_close", "closes_at": closes.to_rfc3339() }),
        )
        .await;
    let attempt = take(&app, &f, &cand, &closing).await;
    let (status, body) = review(&app, &cand, &attempt).await;
    assert_eq!(
        (status, reason(&body).as_str()),
        (409, "review_not_available")
    );
    let wait = closes - Utc::now() + Duration::milliseconds(500);
    tokio::time::sleep(wait.to_std().unwrap_or_default()).await;
    let (status, body) = review(&app, &cand, &attempt).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["items"].as_array().map(Vec::len), Some(2));
}
