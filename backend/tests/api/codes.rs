//! Verification codes end to end: requested over HTTP, delivered through the outbox to the
//! development provider's file (as a person running locally reads them), and used to register
//! and sign in. Answers never reveal whether a destination is registered.

use serde_json::{Value, json};

use crate::helpers::{TestApp, code_in, spawn_app};

const CSRF: (&str, &str) = ("x-examcloud-csrf", "1");
const PASSWORD: &str = "correct horse battery";

async fn send_code(
    app: &TestApp,
    purpose: &str,
    destination: &str,
    lang: &str,
) -> reqwest::Response {
    reqwest::Client::new()
        .post(app.url("/api/auth/codes"))
        .header("accept-language", lang)
        .json(&json!({ "purpose": purpose, "destination": destination }))
        .send()
        .await
        .expect("send code")
}

#[tokio::test]
async fn an_org_registers_with_the_code_from_the_outbox_and_signs_in_by_code() {
    let app = spawn_app().await;
    let res = send_code(&app, "register", "13812345678", "zh-CN").await;
    assert_eq!(res.status(), 202);
    let body: Value = res.json().await.expect("json");
    assert_eq!(
        body,
        json!({ "cooldown_seconds": 60, "expires_in_seconds": 300 })
    );
    let lines = app.outbox(1).await;
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["channel"], "sms");
    assert_eq!(lines[0]["to"], "+8613812345678");
    assert_eq!(lines[0]["template"], "verification_code");
    assert!(
        lines[0]["body"]
            .as_str()
            .unwrap_or_default()
            .contains("验证码")
    );
    let code = code_in(&lines[0]);

    let client = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .expect("client");
    let res = client
        .post(app.url("/api/orgs"))
        .header(CSRF.0, CSRF.1)
        .json(&json!({ "org_name": "短信注册单位", "password": PASSWORD, "destination": "138 1234 5678", "code": code, "accept": { "privacy": "1.0", "terms": "1.0" } }))
        .send()
        .await
        .expect("register");
    assert_eq!(res.status(), 201);

    // Later: sign in with a code instead of the password.
    a_minute_later(&app);
    assert_eq!(
        send_code(&app, "login", "+86 13812345678", "en")
            .await
            .status(),
        202
    );
    let lines = app.outbox(2).await;
    assert!(
        lines[1]["body"]
            .as_str()
            .unwrap_or_default()
            .contains("verification code"),
        "English on request"
    );
    let res = reqwest::Client::new()
        .post(app.url("/api/auth/login"))
        .json(&json!({ "identifier": "13812345678", "code": code_in(&lines[1]) }))
        .send()
        .await
        .expect("login");
    assert_eq!(res.status(), 200);
}

/// As if a minute had passed since every earlier code request (the per-minute limit).
fn a_minute_later(app: &TestApp) {
    use backend::db::schema::verification_codes::dsl::*;
    use diesel::prelude::*;
    let db = backend::db::Database::connect(&app.settings.database).expect("connect");
    let earlier =
        backend::db::types::Timestamp::from(chrono::Utc::now() - chrono::Duration::seconds(61));
    diesel::update(verification_codes)
        .set(created_at.eq(earlier))
        .execute(&mut *db.get().expect("conn"))
        .expect("age");
}

/// An answer without its request id, for comparing two answers.
async fn answer(res: reqwest::Response) -> (u16, Value) {
    let status = res.status().as_u16();
    let mut body: Value = res.json().await.expect("json");
    if let Some(obj) = body.as_object_mut() {
        obj.remove("request_id");
    }
    (status, body)
}

#[tokio::test]
async fn answers_are_the_same_for_registered_and_unregistered_destinations() {
    let app = spawn_app().await;
    assert_eq!(
        send_code(&app, "register", "known@example.com", "zh-CN")
            .await
            .status(),
        202
    );
    let code = code_in(&app.outbox(1).await[0]);
    let res = reqwest::Client::new()
        .post(app.url("/api/orgs"))
        .json(&json!({ "org_name": "已注册单位", "password": PASSWORD, "destination": "known@example.com", "code": code, "accept": { "privacy": "1.0", "terms": "1.0" } }))
        .send()
        .await
        .expect("register");
    assert_eq!(res.status(), 201);

    for purpose in ["login", "recover"] {
        a_minute_later(&app);
        let known = answer(send_code(&app, purpose, "known@example.com", "zh-CN").await).await;
        let unknown = answer(send_code(&app, purpose, "unknown@example.com", "zh-CN").await).await;
        assert_eq!(known.0, 202, "{purpose}");
        assert_eq!(known, unknown, "{purpose}");
        // A second request within the minute is limited alike, known or not.
        let known = answer(send_code(&app, purpose, "known@example.com", "zh-CN").await).await;
        let unknown = answer(send_code(&app, purpose, "unknown@example.com", "zh-CN").await).await;
        assert_eq!(known.0, 429, "{purpose}");
        assert_eq!(known, unknown, "{purpose}");
    }
    // The registered address got its login and recovery codes; the unknown one got nothing.
    let lines = app.outbox(3).await;
    assert_eq!(lines.len(), 3);
    assert!(
        lines
            .iter()
            .all(|l| l["to"] == "known@example.com" && l["template"] == "verification_code")
    );

    // Registering an address that already has an account answers like any other request, and
    // its owner gets a notice (no code) instead.
    a_minute_later(&app);
    let known = answer(send_code(&app, "register", "known@example.com", "zh-CN").await).await;
    let fresh = answer(send_code(&app, "register", "fresh@example.com", "zh-CN").await).await;
    assert_eq!(known, fresh);
    let lines = app.outbox(5).await;
    let notice = lines
        .iter()
        .find(|l| l["template"] == "already_registered")
        .expect("notice");
    assert_eq!(notice["to"], "known@example.com");
    assert!(
        notice["body"]
            .as_str()
            .unwrap_or_default()
            .split(|c: char| !c.is_ascii_digit())
            .all(|w| w.len() != 6)
    );
    let fresh_code = lines
        .iter()
        .find(|l| l["to"] == "fresh@example.com")
        .expect("code for a new address");
    assert_eq!(fresh_code["template"], "verification_code");
}

#[tokio::test]
async fn an_invalid_destination_is_a_clear_422() {
    let app = spawn_app().await;
    for bad in ["12345", "not-an-email@", "+1 415 555 0100"] {
        let res = send_code(&app, "register", bad, "en").await;
        assert_eq!(res.status(), 422, "{bad}");
        let body: Value = res.json().await.expect("json");
        assert_eq!(body["details"]["fields"][0]["field"], "destination");
    }
    let res = reqwest::Client::new()
        .post(app.url("/api/auth/codes"))
        .json(&json!({ "purpose": "teleport", "destination": "a@example.com" }))
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), 400);
}
