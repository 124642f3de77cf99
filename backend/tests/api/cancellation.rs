//! Cancelling an organisation (privacy statement 5.3, 4.2.3): the owner asks with a code sent
//! to their bound address, can undo within the grace period, is reminded before it ends; then
//! a job deletes everything personal of the organisation. Afterwards nobody of it signs in, no
//! personal value of it is in either raw database or the storage folder, another
//! organisation is untouched, and the audit chain still verifies.

use chrono::{Duration, Utc};
use reqwest::Client;
use serde_json::{Value, json};

use crate::helpers::{
    PASSWORD, TestApp, code_in, delete, exam_org_with, get, post, save, spawn_app, start, submit,
};
use crate::results::run_jobs_at;

/// The outbox messages of `template` to `to`.
async fn messages(app: &TestApp, to: &str, template: &str) -> Vec<Value> {
    app.outbox(0)
        .await
        .into_iter()
        .filter(|m| m["to"] == to && m["template"] == template)
        .collect()
}

/// The newest outbox message of `template` to `to`, waiting for it.
async fn message(app: &TestApp, to: &str, template: &str) -> Value {
    message_after(app, to, template, 0).await
}

/// The newest outbox message of `template` to `to` once there are more than `before`.
async fn message_after(app: &TestApp, to: &str, template: &str, before: usize) -> Value {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    loop {
        let found = messages(app, to, template).await;
        if found.len() > before {
            return found.last().cloned().unwrap_or_default();
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no {template} message to {to}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// Requests a code and cancels with it; answers the cancellation.
async fn cancel(app: &TestApp, owner: &Client, to: &str) -> Value {
    app.age_code_requests();
    let before = messages(app, to, "verification_code").await.len();
    let (status, body) = post(app, owner, "/api/org/cancellation/code", json!({})).await;
    assert_eq!(status, 202, "{body}");
    let code = code_in(&message_after(app, to, "verification_code", before).await);
    let (status, body) = post(app, owner, "/api/org/cancellation", json!({ "code": code })).await;
    assert_eq!(status, 200, "{body}");
    body
}

fn files_under(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(files_under(&path));
        } else {
            out.push(path.display().to_string());
        }
    }
    out
}

#[tokio::test]
async fn an_owner_cancels_the_org_and_after_the_grace_period_nothing_personal_is_left() {
    let app = spawn_app().await;
    let org = exam_org_with(&app, "gone", &["essay"]).await;
    let owner_email = "exams-gone@example.com";
    let keep = exam_org_with(&app, "kept", &["essay"]).await;

    // Personal data of every kind: a candidate's contacts and ID number, an essay, a
    // registration-free attempt, consent, a device, an export file in storage.
    let secrets = [
        "注销考生甲乙丙",
        "gone-candidate@example.com",
        "13912345678",
        "11010519491231002X",
        "注销作文的独特内容XQZ",
        owner_email,
    ];
    app.create_candidate(
        &org.owner,
        json!({ "account": "gone-pii", "name": secrets[0], "password": PASSWORD,
                "email": secrets[1], "phone": secrets[2], "id_number": secrets[3] }),
    )
    .await;
    let exam = org.exam(&app, json!({})).await;
    let cand = org.candidate(&app, 0).await;
    let (status, attempt) = start(&app, &cand, &exam).await;
    assert_eq!(status, 201, "{attempt}");
    let attempt = attempt["id"].as_str().unwrap_or_default().to_owned();
    let essay = org.question("essay").to_owned();
    let (status, saved) = save(
        &app,
        &cand,
        &attempt,
        &essay,
        json!({ "type": "essay", "text": secrets[4] }),
        1,
    )
    .await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!(submit(&app, &cand, &attempt).await.0, 200);
    let (status, _) = post(&app, &cand, "/api/candidate/me/data/exports", json!({})).await;
    assert_eq!(status, 202);
    // The kept organisation has the same kinds of data.
    let kept_exam = keep.exam(&app, json!({})).await;
    let kept_cand = keep.candidate(&app, 0).await;
    let (status, kept_attempt) = start(&app, &kept_cand, &kept_exam).await;
    assert_eq!(status, 201);
    // Submitted, so that no deadline job is left for the clock the test moves ahead.
    let kept_attempt = kept_attempt["id"].as_str().unwrap_or_default().to_owned();
    assert_eq!(submit(&app, &kept_cand, &kept_attempt).await.0, 200);

    // Only the owner, and only with the code sent to their address.
    let (_, admin) = app
        .create_admin(&org.owner, "goneadmin", &["candidates:read"])
        .await;
    let (status, seen) = get(&app, &admin, "/api/org/cancellation").await;
    assert_eq!(status, 200);
    assert!(
        seen["code_destination"].is_null(),
        "only the owner sees it: {seen}"
    );
    assert_eq!(
        post(
            &app,
            &admin,
            "/api/org/cancellation",
            json!({ "code": "123456" })
        )
        .await
        .0,
        403
    );
    assert_eq!(delete(&app, &admin, "/api/org/cancellation").await.0, 403);
    assert_eq!(
        post(&app, &admin, "/api/org/cancellation/code", json!({}))
            .await
            .0,
        403
    );
    let (status, state) = get(&app, &org.owner, "/api/org/cancellation").await;
    assert_eq!(status, 200);
    assert_eq!(state["status"], "none");
    assert_eq!(state["grace_days"], 15);
    assert_eq!(state["code_destination"], "e***@example.com");
    let (status, _) = post(&app, &org.owner, "/api/org/cancellation/code", json!({})).await;
    assert_eq!(status, 202);
    let code = code_in(&message(&app, owner_email, "verification_code").await);
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let (status, err) = post(
        &app,
        &org.owner,
        "/api/org/cancellation",
        json!({ "code": wrong }),
    )
    .await;
    assert_eq!(status, 422, "{err}");
    let (status, state) = post(
        &app,
        &org.owner,
        "/api/org/cancellation",
        json!({ "code": code }),
    )
    .await;
    assert_eq!(status, 200, "{state}");
    assert_eq!(state["status"], "scheduled");
    message(&app, owner_email, "org_cancellation").await;

    // Undone within the grace period: the deletion's jobs then do nothing.
    let (status, state) = delete(&app, &org.owner, "/api/org/cancellation").await;
    assert_eq!(status, 200, "{state}");
    assert_eq!(state["status"], "none");
    assert_eq!(
        delete(&app, &org.owner, "/api/org/cancellation").await.0,
        409
    );
    message(&app, owner_email, "org_cancellation_undone").await;
    run_jobs_at(&app, Utc::now() + Duration::days(16));
    assert_eq!(get(&app, &org.owner, "/api/auth/me").await.0, 200);

    // Asked again; reminded before the end, still working until then.
    let state = cancel(&app, &org.owner, owner_email).await;
    let effective: chrono::DateTime<Utc> = state["effective_at"]
        .as_str()
        .and_then(|t| t.parse().ok())
        .expect("effective_at");
    let days = (effective - Utc::now()).num_hours();
    assert!((14 * 24..=15 * 24).contains(&days), "{state}");
    let (status, _) = post(&app, &org.owner, "/api/org/cancellation/code", json!({})).await;
    assert_eq!(status, 409, "already scheduled");
    run_jobs_at(&app, effective - Duration::days(2));
    message(&app, owner_email, "org_cancellation_reminder").await;
    assert_eq!(get(&app, &org.owner, "/api/auth/me").await.0, 200);

    // The grace period passes.
    let audit_before = crate::retention::examcloud(&app, &["audit-verify"], &[]);
    assert!(audit_before.status.success());
    run_jobs_at(&app, effective + Duration::minutes(1));

    // Nobody of the organisation signs in; its portal is gone.
    assert_eq!(get(&app, &org.owner, "/api/auth/me").await.0, 401);
    assert_eq!(get(&app, &cand, "/api/candidate/me").await.0, 401);
    let fresh = crate::helpers::cookie_client();
    let (status, _) = post(
        &app,
        &fresh,
        "/api/auth/login",
        json!({ "identifier": owner_email, "password": PASSWORD }),
    )
    .await;
    assert_eq!(status, 401);
    let (status, _) = post(
        &app,
        &fresh,
        &format!("/api/portal/{}/login", org.slug),
        json!({ "identifier": org.account(0), "password": PASSWORD }),
    )
    .await;
    assert!(status == 401 || status == 404, "portal sign-in: {status}");
    assert_eq!(
        get(&app, &fresh, &format!("/api/portal/{}", org.slug))
            .await
            .0,
        404
    );

    // No personal value of it anywhere: not in the raw database, not in storage.
    let dump = app.raw_database_dump();
    for secret in secrets {
        assert!(!dump.contains(secret), "{secret} is still in the database");
    }
    let storage = files_under(&app.settings.storage.local_dir);
    assert!(
        !storage
            .iter()
            .any(|f| f.contains(&org_id_of(&app, &org.slug))),
        "files of the organisation are left: {storage:?}"
    );

    // The other organisation is untouched, and the audit chain still verifies.
    assert_eq!(get(&app, &keep.owner, "/api/auth/me").await.0, 200);
    let (_, list) = get(&app, &keep.owner, "/api/candidates").await;
    assert_eq!(list["total"], 2, "{list}");
    assert_eq!(get(&app, &kept_cand, "/api/candidate/me").await.0, 200);
    let out = crate::retention::examcloud(&app, &["audit-verify"], &[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    let (_, audit) = get(&app, &keep.owner, "/api/audit").await;
    assert!(audit["entries"].as_array().is_some_and(|e| !e.is_empty()));
}

/// The organisation id behind a portal slug, read before it is gone (here: from the slug's
/// organisation row, which stays with a new slug; so the test reads it from the database).
fn org_id_of(app: &TestApp, slug: &str) -> String {
    use backend::db::schema::{audit_log, orgs};
    use diesel::prelude::*;
    let by_slug: Option<backend::db::types::DbUuid> = orgs::table
        .filter(orgs::slug.eq(slug))
        .select(orgs::id)
        .first(&mut *app.db())
        .optional()
        .expect("org");
    let id = by_slug.or_else(|| {
        audit_log::table
            .filter(audit_log::action.eq("org.cancel_complete"))
            .select(audit_log::org_id)
            .first::<Option<backend::db::types::DbUuid>>(&mut *app.db())
            .expect("cancelled org")
    });
    id.expect("the organisation").to_string()
}
