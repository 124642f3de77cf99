//! Binding and changing the account's email or mobile number: password plus a code sent to the
//! new address; the old address is told.

use serde_json::json;
use shared::accounts::MeResponse;

use crate::helpers::{CSRF, PASSWORD, TestApp, code_in, spawn_app};

async fn request_code(
    app: &TestApp,
    client: &reqwest::Client,
    destination: &str,
) -> reqwest::Response {
    client
        .post(app.url("/api/account/contact/code"))
        .header(CSRF.0, CSRF.1)
        .json(&json!({ "destination": destination }))
        .send()
        .await
        .expect("code")
}

async fn bind(
    app: &TestApp,
    client: &reqwest::Client,
    destination: &str,
    code: &str,
    password: &str,
) -> reqwest::Response {
    client
        .put(app.url("/api/account/contact"))
        .header(CSRF.0, CSRF.1)
        .json(&json!({ "destination": destination, "code": code, "password": password }))
        .send()
        .await
        .expect("bind")
}

#[tokio::test]
async fn an_email_is_bound_to_a_mobile_account_and_signs_in() {
    let app = spawn_app().await;
    let client = app.register_org("绑定单位", "13600136000").await;
    assert_eq!(
        request_code(&app, &client, "bind@example.com")
            .await
            .status(),
        202
    );
    let lines = app.outbox(1).await;
    assert_eq!(
        lines.last().expect("code message")["to"],
        "bind@example.com"
    );
    let code = code_in(lines.last().expect("code"));

    assert_eq!(
        bind(&app, &client, "bind@example.com", &code, "not my password")
            .await
            .status(),
        401
    );
    let res = bind(&app, &client, "bind@example.com", &code, PASSWORD).await;
    assert_eq!(res.status(), 200);
    let me: MeResponse = res.json().await.expect("me");
    assert_eq!(me.email.as_deref(), Some("b***@example.com"));
    assert_eq!(me.phone.as_deref(), Some("136****6000"));
    let login = reqwest::Client::new()
        .post(app.url("/api/auth/login"))
        .json(&json!({ "identifier": "bind@example.com", "password": PASSWORD }))
        .send()
        .await
        .expect("login");
    assert_eq!(login.status(), 200);
}

#[tokio::test]
async fn changing_the_mobile_number_tells_the_old_one_and_frees_it() {
    let app = spawn_app().await;
    let client = app.register_org("换号单位", "13500135000").await;
    assert_eq!(
        request_code(&app, &client, "13500135999").await.status(),
        202
    );
    let code = code_in(app.outbox(1).await.last().expect("code"));
    assert_eq!(
        bind(&app, &client, "13500135999", &code, PASSWORD)
            .await
            .status(),
        200
    );
    let lines = app.outbox(2).await;
    let notice = lines
        .iter()
        .find(|l| l["template"] == "contact_changed")
        .expect("notice to the old number");
    assert_eq!(notice["to"], "+8613500135000");
    assert!(
        notice["body"]
            .as_str()
            .unwrap_or_default()
            .contains("135****5999")
    );
    // The old number no longer signs in; the new one does.
    let login = |identifier: &'static str| {
        reqwest::Client::new()
            .post(app.url("/api/auth/login"))
            .json(&json!({ "identifier": identifier, "password": PASSWORD }))
            .send()
    };
    assert_eq!(login("13500135000").await.expect("old").status(), 401);
    assert_eq!(login("13500135999").await.expect("new").status(), 200);
}

#[tokio::test]
async fn an_address_of_another_account_or_a_wrong_code_is_refused() {
    let app = spawn_app().await;
    app.register_org("甲单位", "taken@example.com").await;
    let client = app.register_org("乙单位", "13400134000").await;
    // An address of another account answers like a free one (no enumeration); its owner is
    // told, and no code leaves.
    let taken = request_code(&app, &client, "TAKEN@example.com").await;
    assert_eq!(taken.status(), 202);
    let taken: serde_json::Value = taken.json().await.expect("json");
    assert_eq!(
        request_code(&app, &client, "not-an-address").await.status(),
        422
    );
    let free = request_code(&app, &client, "free@example.com").await;
    assert_eq!(free.status(), 202);
    assert_eq!(free.json::<serde_json::Value>().await.expect("json"), taken);
    let messages = app.outbox(2).await;
    let notice = messages
        .iter()
        .find(|m| m["to"].as_str().map(str::to_lowercase).as_deref() == Some("taken@example.com"))
        .expect("a notice to the taken address");
    assert!(
        !notice["body"]
            .as_str()
            .unwrap_or_default()
            .chars()
            .any(|c| c.is_ascii_digit()),
        "no code to the taken address: {notice}"
    );
    let code = code_in(
        messages
            .iter()
            .find(|m| m["to"] == "free@example.com")
            .expect("code"),
    );
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let res = bind(&app, &client, "free@example.com", wrong, PASSWORD).await;
    assert_eq!(res.status(), 422);
    // A code for one address does not bind another.
    let res = bind(&app, &client, "other@example.com", &code, PASSWORD).await;
    assert_eq!(res.status(), 422);
}
