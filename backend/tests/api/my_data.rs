//! "My data" (privacy statement 5.1, 5.3): a person sees what is held about them, corrects
//! their name and contacts (a code to the new address), and exports everything as a ZIP built
//! by a job, downloadable once and only by them; an export nobody downloads expires and its
//! file is deleted. Every export is audited.

use std::io::Read;

use chrono::{Duration, Utc};
use diesel::prelude::*;
use reqwest::Client;
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp, code_in, get, post, put, spawn_app};
use crate::results::run_jobs_at;

/// Polls `data_path` until the newest export is no longer pending; answers it.
async fn ready_export(app: &TestApp, client: &Client, data_path: &str) -> Value {
    for _ in 0..200 {
        let (status, data) = get(app, client, data_path).await;
        assert_eq!(status, 200, "{data}");
        let newest = data["exports"][0].clone();
        if newest["status"] != "pending" {
            return newest;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the export stayed pending");
}

/// Downloads `path`; answers the status, content type and bytes.
async fn download(app: &TestApp, client: &Client, path: &str) -> (u16, String, Vec<u8>) {
    let res = client.get(app.url(path)).send().await.expect("download");
    let status = res.status().as_u16();
    let kind = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    (status, kind, res.bytes().await.expect("bytes").to_vec())
}

/// The text of `name` in the ZIP `bytes`.
fn zip_text(bytes: &[u8], name: &str) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a ZIP");
    let mut file = archive.by_name(name).expect(name);
    let mut text = String::new();
    file.read_to_string(&mut text).expect("UTF-8");
    text
}

fn zip_names(bytes: &[u8]) -> Vec<String> {
    let archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a ZIP");
    archive
        .file_names()
        .map(|n| n.expect("a name").into_owned())
        .collect()
}

/// Every file under the storage folder.
fn stored_files(app: &TestApp) -> Vec<String> {
    fn walk(dir: &std::path::Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else {
                out.push(path.display().to_string());
            }
        }
    }
    let mut out = Vec::new();
    walk(&app.settings.storage.local_dir, &mut out);
    out
}

/// The newest outbox message to `to`.
async fn last_message_to(app: &TestApp, to: &str) -> Value {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    loop {
        let messages = app.outbox(0).await;
        if let Some(m) = messages.iter().rev().find(|m| m["to"] == to) {
            return m.clone();
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no message to {to}: {messages:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

async fn signed_in_candidate(app: &TestApp, owner: &Client, slug: &str, body: Value) -> Client {
    let account = body["account"].as_str().unwrap_or_default().to_owned();
    app.create_candidate(owner, body).await;
    let cand = app.portal_login(slug, &account, PASSWORD).await;
    let (status, _) = post(
        app,
        &cand,
        "/api/candidate/me/consents",
        json!({ "accept": { "privacy": "1.0" } }),
    )
    .await;
    assert_eq!(status, 200);
    cand
}

#[tokio::test]
async fn a_candidate_sees_corrects_and_exports_their_data_once() {
    let app = spawn_app().await;
    let owner = app.register_org("我的数据单位", "mydata@example.com").await;
    let slug = app.slug_of(&owner).await;
    let group = app.create_group(&owner, "三年二班").await;
    let cand = signed_in_candidate(
        &app,
        &owner,
        &slug,
        json!({ "account": "stu-mine", "name": "张三", "password": PASSWORD,
                "email": "old@example.com", "id_number": "11010519491231002X",
                "group_ids": [group] }),
    )
    .await;
    let other = signed_in_candidate(
        &app,
        &owner,
        &slug,
        json!({ "account": "stu-other", "name": "李雷", "password": PASSWORD,
                "email": "taken@example.com" }),
    )
    .await;

    // What is held, the ID number masked on the page.
    let (status, data) = get(&app, &cand, "/api/candidate/me/data").await;
    assert_eq!(status, 200, "{data}");
    assert_eq!(data["subject"], "candidate");
    let profile = &data["profile"];
    assert_eq!(profile["organisation"], "我的数据单位");
    assert_eq!(profile["name"], "张三");
    assert_eq!(profile["login_account"], "stu-mine");
    assert_eq!(profile["email"], "old@example.com");
    assert_eq!(profile["id_number"], "110***********002X");
    assert_eq!(profile["groups"], json!(["三年二班"]));
    assert_eq!(data["devices"].as_array().map(Vec::len), Some(1), "{data}");
    assert_eq!(data["consents"][0]["purpose"], "privacy");
    assert!(
        data["audit_total"].as_u64().unwrap_or_default() >= 2,
        "{data}"
    );
    let actions: Vec<&str> = data["audit_latest"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert!(
        actions.contains(&"portal.login") && actions.contains(&"candidate.create"),
        "{actions:?}"
    );
    assert_eq!(data["audit_latest"][0]["by"], "self");

    // Correcting the name: checked, then done and audited with the candidate as the actor.
    let (status, err) = put(
        &app,
        &cand,
        "/api/candidate/me/profile",
        json!({ "name": " " }),
    )
    .await;
    assert_eq!(status, 422, "{err}");
    assert_eq!(err["details"]["fields"][0]["field"], "name");
    let (status, profile) = put(
        &app,
        &cand,
        "/api/candidate/me/profile",
        json!({ "name": "张小三" }),
    )
    .await;
    assert_eq!(status, 200, "{profile}");
    assert_eq!(profile["name"], "张小三");
    assert_eq!(profile["id_number"], "11010519491231002X");
    let (_, audit) = get(&app, &owner, "/api/audit?action=candidate.update").await;
    assert_eq!(audit["entries"][0]["actor_kind"], "candidate", "{audit}");

    // Changing the email: a code to the new address, a wrong one refused, the old one told.
    let (status, _) = post(
        &app,
        &cand,
        "/api/candidate/me/contact/code",
        json!({ "destination": "new@example.com" }),
    )
    .await;
    assert_eq!(status, 202);
    let code = code_in(&last_message_to(&app, "new@example.com").await);
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let (status, err) = put(
        &app,
        &cand,
        "/api/candidate/me/contact",
        json!({ "destination": "new@example.com", "code": wrong }),
    )
    .await;
    assert_eq!(status, 422, "{err}");
    assert_eq!(err["details"]["fields"][0]["reason"], "invalid_code");
    let (status, profile) = put(
        &app,
        &cand,
        "/api/candidate/me/contact",
        json!({ "destination": "new@example.com", "code": code }),
    )
    .await;
    assert_eq!(status, 200, "{profile}");
    assert_eq!(profile["email"], "new@example.com");
    let told = last_message_to(&app, "old@example.com").await;
    assert_eq!(told["template"], "contact_changed", "{told}");

    // An address another candidate uses gets a notice, never a code for this candidate.
    let (status, _) = post(
        &app,
        &cand,
        "/api/candidate/me/contact/code",
        json!({ "destination": "taken@example.com" }),
    )
    .await;
    assert_eq!(status, 202);
    let notice = last_message_to(&app, "taken@example.com").await;
    assert_eq!(notice["template"], "contact_taken", "{notice}");
    let (status, _) = put(
        &app,
        &cand,
        "/api/candidate/me/contact",
        json!({ "destination": "taken@example.com", "code": "123456" }),
    )
    .await;
    assert_eq!(status, 422);
    let (status, err) = post(
        &app,
        &cand,
        "/api/candidate/me/contact/code",
        json!({ "destination": "not an address" }),
    )
    .await;
    assert_eq!(
        (status, &err["details"]["fields"][0]["field"]),
        (422, &json!("destination"))
    );

    // The export: one at a time, built by the job, downloadable once, only by its owner.
    let (status, export) = post(&app, &cand, "/api/candidate/me/data/exports", json!({})).await;
    assert_eq!(status, 202, "{export}");
    assert_eq!(export["status"], "pending");
    let (status, err) = post(&app, &cand, "/api/candidate/me/data/exports", json!({})).await;
    assert_eq!(status, 409, "{err}");
    assert_eq!(err["details"]["reason"], "export_pending");
    let export = ready_export(&app, &cand, "/api/candidate/me/data").await;
    assert_eq!(export["status"], "ready", "{export}");
    let url = export["download_url"]
        .as_str()
        .expect("download url")
        .to_owned();
    let export_id = export["id"].as_str().unwrap_or_default().to_owned();
    assert!(
        stored_files(&app)
            .iter()
            .any(|f| f.ends_with(&format!("{export_id}.zip")))
    );

    let (status, _, _) = download(&app, &other, &url).await;
    assert_eq!(status, 404, "another candidate cannot download it");
    let (status, _, _) = download(
        &app,
        &owner,
        &format!("/api/me/data/exports/{export_id}/download"),
    )
    .await;
    assert_eq!(status, 404, "nor the organisation's owner");

    let (status, kind, bytes) = download(&app, &cand, &url).await;
    assert_eq!(status, 200);
    assert_eq!(kind, "application/zip");
    assert_eq!(export["size"].as_u64(), Some(bytes.len() as u64));
    let names = zip_names(&bytes);
    for name in [
        "README.txt",
        "profile.json",
        "devices.json",
        "devices.csv",
        "consents.json",
        "consents.csv",
        "attempts.json",
        "attempts.csv",
        "registrations.json",
        "certificates.json",
        "certificates.csv",
        "audit.json",
        "audit.csv",
    ] {
        assert!(names.iter().any(|n| n == name), "{name} in {names:?}");
    }
    let profile: Value = serde_json::from_str(&zip_text(&bytes, "profile.json")).expect("json");
    assert_eq!(profile["profile"]["name"], "张小三");
    assert_eq!(profile["profile"]["id_number"], "11010519491231002X");
    assert_eq!(profile["profile"]["email"], "new@example.com");
    let audit: Value = serde_json::from_str(&zip_text(&bytes, "audit.json")).expect("json");
    let audited: Vec<&str> = audit
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert!(audited.contains(&"privacy.export_request"), "{audited:?}");
    assert!(audited.contains(&"candidate.update"), "{audited:?}");
    assert!(zip_text(&bytes, "audit.csv").starts_with("\u{feff}at,action,outcome,by,details"));

    // Once: the file is gone, a second download is 410, the page says downloaded.
    let (status, _, _) = download(&app, &cand, &url).await;
    assert_eq!(status, 410);
    assert!(
        !stored_files(&app)
            .iter()
            .any(|f| f.ends_with(&format!("{export_id}.zip")))
    );
    let (_, data) = get(&app, &cand, "/api/candidate/me/data").await;
    assert_eq!(data["exports"][0]["status"], "downloaded");
    assert!(data["exports"][0]["download_url"].is_null());

    // The organisation sees both acts in its audit log.
    for action in ["privacy.export_request", "privacy.export_download"] {
        let (_, audit) = get(&app, &owner, &format!("/api/audit?action={action}")).await;
        assert_eq!(
            audit["entries"].as_array().map(Vec::len),
            Some(1),
            "{action}: {audit}"
        );
        assert_eq!(audit["entries"][0]["actor_kind"], "candidate");
    }
}

#[tokio::test]
async fn an_org_user_exports_their_data_and_an_export_nobody_downloads_expires() {
    let app = spawn_app().await;
    let owner = app.register_org("导出单位", "exporter@example.com").await;

    let (status, data) = get(&app, &owner, "/api/me/data").await;
    assert_eq!(status, 200, "{data}");
    assert_eq!(data["subject"], "user");
    assert_eq!(data["profile"]["role"], "owner");
    assert_eq!(data["profile"]["email"], "exporter@example.com");
    assert_eq!(data["attempts"], json!([]));
    let (status, err) = put(
        &app,
        &owner,
        "/api/account/profile",
        json!({ "name": "x".repeat(51) }),
    )
    .await;
    assert_eq!(status, 422, "{err}");
    assert_eq!(err["details"]["fields"][0]["reason"], "too_long");
    let (status, profile) = put(
        &app,
        &owner,
        "/api/account/profile",
        json!({ "name": "王五" }),
    )
    .await;
    assert_eq!(status, 200, "{profile}");
    assert_eq!(profile["name"], "王五");

    let (status, _) = post(&app, &owner, "/api/me/data/exports", json!({})).await;
    assert_eq!(status, 202);
    let export = ready_export(&app, &owner, "/api/me/data").await;
    assert_eq!(export["status"], "ready", "{export}");
    let id = export["id"].as_str().unwrap_or_default().to_owned();
    let url = export["download_url"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert_eq!(url, format!("/api/me/data/exports/{id}/download"));

    // Three days later the file is deleted, and the export can no longer be downloaded.
    run_jobs_at(&app, Utc::now() + Duration::hours(73));
    assert!(
        !stored_files(&app)
            .iter()
            .any(|f| f.ends_with(&format!("{id}.zip")))
    );
    let (_, data) = get(&app, &owner, "/api/me/data").await;
    assert_eq!(data["exports"][0]["status"], "expired", "{data}");
    let (status, _, _) = download(&app, &owner, &url).await;
    assert_eq!(status, 410);
    let (status, _, _) = download(&app, &owner, "/api/me/data/exports/not-an-id/download").await;
    assert_eq!(status, 404);

    // At most five a day.
    for _ in 0..4 {
        use backend::db::schema::data_exports;
        let (status, body) = post(&app, &owner, "/api/me/data/exports", json!({})).await;
        assert_eq!(status, 202, "{body}");
        let id = backend::db::types::DbUuid(
            body["id"].as_str().unwrap_or_default().parse().expect("id"),
        );
        diesel::update(data_exports::table.find(id))
            .set(data_exports::status.eq("failed"))
            .execute(&mut *app.db())
            .expect("fail it");
    }
    let res = owner
        .post(app.url("/api/me/data/exports"))
        .header(crate::helpers::CSRF.0, crate::helpers::CSRF.1)
        .send()
        .await
        .expect("post");
    assert_eq!(res.status().as_u16(), 429);
    assert!(res.headers().get("retry-after").is_some());
}
