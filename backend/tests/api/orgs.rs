//! Account information (name, candidate app name, login account, logo) and the public
//! branding of the candidate portal.

use serde_json::{Value, json};
use shared::accounts::{OrgSettings, PortalBranding};

use crate::helpers::{CSRF, PASSWORD, TestApp, spawn_app};

/// A 1×1 PNG.
pub const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0xF0,
    0x1F, 0x00, 0x05, 0x00, 0x01, 0xFF, 0x89, 0x99, 0x3D, 0x1D, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
];

async fn patch(app: &TestApp, client: &reqwest::Client, body: Value) -> reqwest::Response {
    client
        .patch(app.url("/api/org"))
        .header(CSRF.0, CSRF.1)
        .json(&body)
        .send()
        .await
        .expect("patch")
}

async fn upload(
    app: &TestApp,
    client: &reqwest::Client,
    content_type: &str,
    bytes: Vec<u8>,
) -> reqwest::Response {
    client
        .put(app.url("/api/org/logo"))
        .header(CSRF.0, CSRF.1)
        .header("content-type", content_type)
        .body(bytes)
        .send()
        .await
        .expect("upload")
}

#[tokio::test]
async fn the_owner_edits_name_app_name_and_login_account_and_signs_in_with_it() {
    let app = spawn_app().await;
    let client = app.register_org("原名称", "edit@example.com").await;
    let res = patch(&app, &client, json!({ "name": "新名称中学", "candidate_app_name": "新名称考试", "login_account": "XinMing_Admin" })).await;
    assert_eq!(res.status(), 200);
    let org: OrgSettings = res.json().await.expect("org");
    assert_eq!(org.name, "新名称中学");
    assert_eq!(org.candidate_app_name.as_deref(), Some("新名称考试"));
    assert_eq!(org.login_account.as_deref(), Some("xinming_admin"));
    let again: OrgSettings = client
        .get(app.url("/api/org"))
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert_eq!(again, org);

    let res = reqwest::Client::new()
        .post(app.url("/api/auth/login"))
        .json(&json!({ "identifier": "XINMING_ADMIN", "password": PASSWORD }))
        .send()
        .await
        .expect("login");
    assert_eq!(res.status(), 200);

    // Clearing the app name falls back to the organisation name on the portal.
    patch(&app, &client, json!({ "candidate_app_name": "" })).await;
    let portal: PortalBranding = app.get_json(&format!("/api/portal/{}", org.slug)).await.1;
    assert_eq!(portal.app_name, "新名称中学");
}

#[tokio::test]
async fn a_login_account_belongs_to_one_user_and_bad_values_are_refused() {
    let app = spawn_app().await;
    let a = app.register_org("甲单位", "a@example.com").await;
    let b = app.register_org("乙单位", "b@example.com").await;
    assert_eq!(
        patch(&app, &a, json!({ "login_account": "shared_name" }))
            .await
            .status(),
        200
    );
    assert_eq!(
        patch(&app, &b, json!({ "login_account": "Shared_Name" }))
            .await
            .status(),
        409
    );
    let res = patch(
        &app,
        &b,
        json!({ "name": "乙", "login_account": "1abc", "candidate_app_name": "x".repeat(41) }),
    )
    .await;
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await.expect("json");
    let fields: Vec<&str> = body["details"]["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .filter_map(|f| f["field"].as_str())
        .collect();
    assert_eq!(fields, ["name", "candidate_app_name", "login_account"]);
}

#[tokio::test]
async fn the_portal_shows_the_uploaded_logo_and_only_png_or_jpeg_is_accepted() {
    let app = spawn_app().await;
    let client = app.register_org("标志单位", "logo@example.com").await;
    let org: OrgSettings = client
        .get(app.url("/api/org"))
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert!(org.logo_url.is_none());

    let svg = b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>".to_vec();
    assert_eq!(
        upload(&app, &client, "image/svg+xml", svg.clone())
            .await
            .status(),
        415
    );
    let res = upload(&app, &client, "image/png", svg).await;
    assert_eq!(res.status(), 422, "content decides, not the declared type");
    let mut big = PNG.to_vec();
    big.resize(600 * 1024, 0);
    assert_eq!(upload(&app, &client, "image/png", big).await.status(), 413);

    let res = upload(&app, &client, "image/png", PNG.to_vec()).await;
    assert_eq!(res.status(), 200);
    let org: OrgSettings = res.json().await.expect("org");
    let logo_url = org.logo_url.expect("logo url");
    let portal: PortalBranding = app.get_json(&format!("/api/portal/{}", org.slug)).await.1;
    assert_eq!(portal.logo_url.as_deref(), Some(logo_url.as_str()));
    assert_eq!(portal.app_name, "标志单位");
    let logo = app.get(&logo_url).await;
    assert_eq!(logo.status(), 200);
    assert_eq!(logo.headers()["content-type"], "image/png");
    assert_eq!(logo.bytes().await.expect("bytes").as_ref(), PNG);

    let res = client
        .delete(app.url("/api/org/logo"))
        .header(CSRF.0, CSRF.1)
        .send()
        .await
        .expect("delete");
    assert_eq!(res.status(), 204);
    let portal: PortalBranding = app.get_json(&format!("/api/portal/{}", org.slug)).await.1;
    assert!(portal.logo_url.is_none());
    assert_eq!(app.get(&logo_url).await.status(), 404);
}

#[tokio::test]
async fn an_unknown_portal_is_404() {
    let app = spawn_app().await;
    assert_eq!(app.get("/api/portal/no-such-org").await.status(), 404);
    assert_eq!(app.get("/api/portal/no-such-org/logo").await.status(), 404);
}

#[tokio::test]
async fn the_demo_organisation_is_seeded_once_and_can_sign_in() {
    let app = spawn_app().await;
    let db = backend::db::Database::connect(&app.settings.database).expect("connect");
    let keys = backend::keys::KeyRing::load(&app.settings.keys).expect("keys");
    backend::demo::seed(&db, &keys).expect("seed");
    backend::demo::seed(&db, &keys).expect("seeding again changes nothing");
    let res = reqwest::Client::new()
        .post(app.url("/api/auth/login"))
        .json(&json!({ "identifier": backend::demo::DEMO_EMAIL, "password": backend::demo::DEMO_PASSWORD }))
        .send()
        .await
        .expect("login");
    assert_eq!(res.status(), 200);
    let portal: PortalBranding = app.get_json("/api/portal/demo").await.1;
    assert_eq!(portal.org_name, backend::demo::DEMO_ORG);
    assert_eq!(portal.app_name, "演示考试 Demo Exams");
    // Its candidates sign in on the portal.
    let candidate = app
        .portal_login("demo", "demo001", backend::demo::DEMO_CANDIDATE_PASSWORD)
        .await;
    let me: serde_json::Value = candidate
        .get(app.url("/api/candidate/me"))
        .send()
        .await
        .expect("me")
        .json()
        .await
        .expect("json");
    assert_eq!(me["name"], "王小明");
    // The demo exam is open for them, and starts on a paper of seven questions.
    let exams: serde_json::Value = candidate
        .get(app.url("/api/candidate/exams"))
        .send()
        .await
        .expect("exams")
        .json()
        .await
        .expect("json");
    let open = exams
        .as_array()
        .and_then(|e| e.iter().find(|e| e["name"] == backend::demo::DEMO_EXAM))
        .expect("the demo exam");
    assert_eq!(open["state"], "open", "{exams}");
    let exam_id = open["id"].as_str().expect("exam id");
    let res = candidate
        .post(app.url(&format!("/api/candidate/exams/{exam_id}/attempts")))
        .header("X-ExamCloud-CSRF", "1")
        .send()
        .await
        .expect("start");
    assert_eq!(res.status(), 201);
    let attempt: serde_json::Value = res.json().await.expect("json");
    assert_eq!(
        attempt["paper"]["sections"][0]["questions"]
            .as_array()
            .map(Vec::len),
        Some(7)
    );
}
