//! Admins read and export their organisation's audit log; nobody else's.

use serde_json::json;
use shared::accounts::AuditPage;

use crate::helpers::{CSRF, PASSWORD, TestApp, spawn_app};

async fn page(app: &TestApp, client: &reqwest::Client, query: &str) -> AuditPage {
    let res = client
        .get(app.url(&format!("/api/audit{query}")))
        .send()
        .await
        .expect("audit");
    assert_eq!(res.status(), 200, "{query}");
    res.json().await.expect("page")
}

#[tokio::test]
async fn admins_read_filter_page_and_export_their_audit_log() {
    let app = spawn_app().await;
    let a = app.register_org("审计甲", "audit-a@example.com").await;
    let b = app.register_org("审计乙", "audit-b@example.com").await;
    a.patch(app.url("/api/org"))
        .header(CSRF.0, CSRF.1)
        .json(&json!({ "candidate_app_name": "甲考试" }))
        .send()
        .await
        .expect("patch");
    let login = reqwest::Client::new()
        .post(app.url("/api/auth/login"))
        .header("user-agent", "SecondDevice/2.0")
        .json(&json!({ "identifier": "audit-a@example.com", "password": PASSWORD }))
        .send()
        .await
        .expect("login");
    assert_eq!(login.status(), 200);

    let all = page(&app, &a, "").await;
    let actions: Vec<&str> = all.entries.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        ["auth.login", "org.update", "org.register"],
        "newest first, only org A's"
    );
    assert_eq!(all.entries[0].ip.as_deref(), Some("127.0.0.1"));
    assert_eq!(
        all.entries[0].user_agent.as_deref(),
        Some("SecondDevice/2.0")
    );
    assert_eq!(
        all.entries[1].details,
        json!({ "fields": ["candidate_app_name"] })
    );

    let auth = page(&app, &a, "?action=auth.").await;
    assert_eq!(auth.entries.len(), 1);
    let none = page(&app, &a, "?outcome=failure").await;
    assert!(none.entries.is_empty());

    let first = page(&app, &a, "?limit=2").await;
    assert_eq!(first.entries.len(), 2);
    let before = first.next_before_seq.expect("more pages");
    let second = page(&app, &a, &format!("?limit=2&before_seq={before}")).await;
    assert_eq!(second.entries.len(), 1);
    assert_eq!(second.entries[0].action, "org.register");
    assert!(second.next_before_seq.is_none());

    let only_b = page(&app, &b, "").await;
    assert_eq!(only_b.entries.len(), 1);
    assert_eq!(only_b.entries[0].action, "org.register");

    let res = a
        .get(app.url("/api/audit/export?action=org."))
        .send()
        .await
        .expect("export");
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap_or_default()
            .starts_with("text/csv")
    );
    let bytes = res.bytes().await.expect("csv");
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "BOM for spreadsheet programs"
    );
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let headers = reader.headers().expect("headers").clone();
    assert_eq!(&headers[5], "action");
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(&rows[0][5], "org.update");
}

#[tokio::test]
async fn bad_filters_are_422() {
    let app = spawn_app().await;
    let a = app.register_org("审计丙", "audit-c@example.com").await;
    for query in [
        "?from=yesterday",
        "?outcome=maybe",
        "?limit=0",
        "?limit=501",
    ] {
        let res = a
            .get(app.url(&format!("/api/audit{query}")))
            .send()
            .await
            .expect("audit");
        assert_eq!(res.status(), 422, "{query}");
    }
    let res = a
        .get(app.url("/api/audit?before_seq=abc"))
        .send()
        .await
        .expect("audit");
    assert_eq!(res.status(), 400);
}

#[tokio::test]
async fn device_details_shared_at_sign_in_are_logged_encrypted() {
    let app = crate::helpers::spawn_app().await;
    let owner = app.register_org("设备单位", "device@example.com").await;
    let client = reqwest::Client::new();
    let (status, _) = app
        .send_json(
            &client,
            reqwest::Method::POST,
            "/api/auth/login",
            &serde_json::json!({
                "identifier": "device@example.com",
                "password": crate::helpers::PASSWORD,
                "device": { "platform": "PlatformMarker-OS", "screen": "1920x1080", "timezone": "Asia/Shanghai" },
            }),
        )
        .await;
    assert_eq!(status, 200);
    let (_, page) = app
        .send_json(
            &owner,
            reqwest::Method::GET,
            "/api/audit?action=auth.login",
            &serde_json::Value::Null,
        )
        .await;
    assert_eq!(
        page["entries"][0]["device"]["platform"],
        "PlatformMarker-OS"
    );
    assert_eq!(page["entries"][0]["device"]["timezone"], "Asia/Shanghai");
    assert!(!app.raw_database_dump().contains("PlatformMarker-OS"));
    // Without consent the client sends nothing, and nothing is recorded.
    let (status, _) = app
        .send_json(
            &client,
            reqwest::Method::POST,
            "/api/auth/login",
            &serde_json::json!({ "identifier": "device@example.com", "password": crate::helpers::PASSWORD }),
        )
        .await;
    assert_eq!(status, 200);
    let (_, page) = app
        .send_json(
            &owner,
            reqwest::Method::GET,
            "/api/audit?action=auth.login",
            &serde_json::Value::Null,
        )
        .await;
    assert!(page["entries"][0].get("device").is_none());
    // Oversized device details are refused.
    let (status, err) = app
        .send_json(
            &client,
            reqwest::Method::POST,
            "/api/auth/login",
            &serde_json::json!({
                "identifier": "device@example.com", "password": crate::helpers::PASSWORD,
                "device": { "platform": "x".repeat(101) },
            }),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(err["details"]["fields"][0]["field"], "device.platform");
}

#[tokio::test]
async fn the_viewer_names_who_acted_by_masked_name_and_role() {
    let app = spawn_app().await;
    let owner = app.register_org("审计丁", "audit-d@example.com").await;
    let res = owner
        .post(app.url("/api/org/users"))
        .header(CSRF.0, CSRF.1)
        .json(&json!({ "login_account": "wangxm", "display_name": "王小明", "password": PASSWORD, "role": "admin", "permissions": ["candidates:read"] }))
        .send()
        .await
        .expect("create admin");
    assert_eq!(res.status(), 201);
    let login = reqwest::Client::new()
        .post(app.url("/api/auth/login"))
        .json(&json!({ "identifier": "wangxm", "password": PASSWORD }))
        .send()
        .await
        .expect("login");
    assert_eq!(login.status(), 200);

    let all = page(&app, &owner, "").await;
    let by_action = |action: &str| {
        all.entries
            .iter()
            .find(|e| e.action == action)
            .unwrap_or_else(|| panic!("no {action} entry"))
    };
    let signed_in = by_action("auth.login");
    assert_eq!(signed_in.actor_name.as_deref(), Some("王*明"));
    assert_eq!(signed_in.actor_role.as_deref(), Some("admin"));
    let created = by_action("org_user.create");
    assert_eq!(created.actor_role.as_deref(), Some("owner"));
    // The full name is never in the page.
    let body = serde_json::to_string(&all).expect("json");
    assert!(!body.contains("王小明"), "{body}");

    // The export carries the same two columns, last.
    let csv = owner
        .get(app.url("/api/audit/export?action=auth.login"))
        .send()
        .await
        .expect("export")
        .bytes()
        .await
        .expect("csv");
    let mut reader = csv::Reader::from_reader(&csv[3..]);
    let headers = reader.headers().expect("headers").clone();
    assert_eq!(
        headers.iter().rev().take(2).collect::<Vec<_>>(),
        ["actor_role", "actor_name"]
    );
    let row = reader.records().next().expect("a row").expect("row");
    assert_eq!(&row[row.len() - 2], "王*明");
}
