//! Platform staff: created by the operator CLI, signed in to the console, and every read of an
//! organisation's personal data or audit log needs a reason that is logged with it.

use serde_json::json;

use crate::helpers::{PASSWORD, TestApp, get, post, spawn_app};

pub(crate) fn create_staff(app: &TestApp, account: &str, role: &str) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_examcloud"))
        .args([
            "create-staff",
            "--account",
            account,
            "--role",
            role,
            "--name",
            "值班员",
            "--database-url",
        ])
        .arg(secrecy::ExposeSecret::expose_secret(
            &app.settings.database.url,
        ))
        .env("APP_LOG__FILTER", "error")
        .env("APP_KEYS__FILE", &app.settings.keys.file)
        .env("APP_KEYS__GENERATE_IF_MISSING", "false")
        .env("EXAMCLOUD_STAFF_PASSWORD", PASSWORD)
        .output()
        .expect("run create-staff")
}

pub(crate) async fn staff_login(app: &TestApp, account: &str) -> reqwest::Client {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .expect("client");
    let (status, me) = post(
        app,
        &client,
        "/api/staff/login",
        json!({ "account": account, "password": PASSWORD }),
    )
    .await;
    assert_eq!(status, 200, "{me}");
    client
}

#[tokio::test]
async fn staff_reads_need_a_reason_and_are_logged() {
    let app = spawn_app().await;
    let owner = app
        .register_org("被支持单位", "supported@example.com")
        .await;
    app.create_candidate(
        &owner,
        json!({ "account": "k1", "name": "被查看的考生", "password": PASSWORD }),
    )
    .await;
    let out = create_staff(&app, "sec.officer", "security");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = create_staff(&app, "help.desk", "support");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = create_staff(&app, "help.desk", "support");
    assert!(!out.status.success(), "a taken account is refused");
    let out = create_staff(&app, "x.y", "janitor");
    assert!(!out.status.success(), "unknown role refused");

    // Staff are not organisation users: the organisation console refuses them.
    let security = staff_login(&app, "sec.officer").await;
    let (_, me) = get(&app, &security, "/api/staff/me").await;
    assert_eq!(me["role"], "security");
    assert_eq!(me["account"], "sec.officer");
    assert_eq!(get(&app, &security, "/api/auth/me").await.0, 401);
    assert_eq!(get(&app, &security, "/api/candidates").await.0, 401);
    let (status, wrong) = post(
        &app,
        &reqwest::Client::new(),
        "/api/staff/login",
        json!({ "account": "sec.officer", "password": "not the password" }),
    )
    .await;
    assert_eq!(
        (status, wrong["code"].as_str()),
        (401, Some("invalid_credentials"))
    );

    // Organisations are listed without personal data.
    let (status, orgs) = get(&app, &security, "/api/staff/orgs").await;
    assert_eq!(status, 200);
    let org_id = orgs[0]["id"].as_str().expect("org id").to_owned();

    // The audit log of all organisations: only with a reason.
    for query in ["", "?reason=", "?reason=abc"] {
        let (status, _) = get(&app, &security, &format!("/api/staff/audit{query}")).await;
        assert_eq!(status, 422, "{query}");
    }
    let (status, page) = get(
        &app,
        &security,
        "/api/staff/audit?reason=incident%20INC-42%20review",
    )
    .await;
    assert_eq!(status, 200, "{page}");
    let first = &page["entries"][0];
    assert_eq!(
        first["action"], "staff.audit_read",
        "the read is logged before it answers"
    );
    assert_eq!(first["details"]["reason"], "incident INC-42 review");
    assert_eq!(first["actor_kind"], "staff");
    // Security staff do not read candidates.
    let path = format!("/api/staff/orgs/{org_id}/candidates?reason=ticket%20T-1%20check");
    assert_eq!(get(&app, &security, &path).await.0, 403);

    // Support reads an organisation's candidates with a reason; the organisation sees the read
    // in its own audit log.
    let support = staff_login(&app, "help.desk").await;
    let (status, _) = get(
        &app,
        &support,
        &format!("/api/staff/orgs/{org_id}/candidates"),
    )
    .await;
    assert_eq!(status, 422);
    let (status, page) = get(&app, &support, &path).await;
    assert_eq!(status, 200);
    assert_eq!(page["items"][0]["name"], "被查看的考生");
    assert_eq!(
        get(&app, &support, "/api/staff/audit?reason=just%20looking")
            .await
            .0,
        403
    );
    let (_, org_audit) = get(&app, &owner, "/api/audit?action=staff.candidates_read").await;
    assert_eq!(
        org_audit["entries"][0]["details"]["reason"],
        "ticket T-1 check"
    );

    // Staff sign out.
    assert_eq!(
        post(&app, &support, "/api/staff/logout", json!({})).await.0,
        204
    );
    assert_eq!(get(&app, &support, "/api/staff/me").await.0, 401);
}
