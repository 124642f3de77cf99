//! Organisation registration, sign-in, sessions, CSRF and what lands in the database.

use backend::audit::{self, VerifyReport};
use backend::db::Database;
use backend::verification::Purpose;
use reqwest::StatusCode;
use serde_json::{Value, json};
use shared::ErrorBody;
use shared::accounts::MeResponse;

use crate::helpers::{CSRF, PASSWORD, TestApp, spawn_app};

/// A browser-like client: keeps cookies, sends the anti-CSRF header like the SPA does.
fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .expect("client")
}

async fn register(
    app: &TestApp,
    client: &reqwest::Client,
    org: &str,
    destination: &str,
) -> reqwest::Response {
    let code = app.issue_code(Purpose::Register, destination);
    client
        .post(app.url("/api/orgs"))
        .header(CSRF.0, CSRF.1)
        .json(&json!({ "org_name": org, "password": PASSWORD, "destination": destination, "code": code, "accept": { "privacy": "1.0", "terms": "1.0" } }))
        .send()
        .await
        .expect("register")
}

async fn login(
    app: &TestApp,
    client: &reqwest::Client,
    identifier: &str,
    password: &str,
) -> reqwest::Response {
    client
        .post(app.url("/api/auth/login"))
        .header(CSRF.0, CSRF.1)
        .json(&json!({ "identifier": identifier, "password": password }))
        .send()
        .await
        .expect("login")
}

async fn me(app: &TestApp, client: &reqwest::Client) -> reqwest::Response {
    client
        .get(app.url("/api/auth/me"))
        .send()
        .await
        .expect("me")
}

#[tokio::test]
async fn an_org_registers_by_email_and_is_signed_in() {
    let app = spawn_app().await;
    let client = browser();
    let res = register(&app, &client, "北京第一中学", "Zhang.San@Example.com").await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let cookies: Vec<String> = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(cookies.len(), 2, "{cookies:?}");
    for cookie in &cookies {
        assert!(cookie.contains("HttpOnly"), "{cookie}");
        assert!(cookie.contains("SameSite"), "{cookie}");
    }
    let created: MeResponse = res.json().await.expect("me");
    assert_eq!(created.role, "owner");
    assert_eq!(created.org.name, "北京第一中学");
    assert_eq!(created.email.as_deref(), Some("Z***@example.com"));

    let res = me(&app, &client).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<MeResponse>().await.expect("me"), created);
}

#[tokio::test]
async fn an_org_registers_by_mobile_and_signs_in_with_any_spelling_of_it() {
    let app = spawn_app().await;
    let res = register(&app, &browser(), "上海考试中心", "+86 139-0013-9000").await;
    assert_eq!(res.status(), 201);
    assert_eq!(
        res.json::<MeResponse>().await.expect("me").phone.as_deref(),
        Some("139****9000")
    );
    for spelling in ["13900139000", "+8613900139000", "86 139 0013 9000"] {
        let client = browser();
        assert_eq!(
            login(&app, &client, spelling, PASSWORD).await.status(),
            200,
            "{spelling}"
        );
        assert_eq!(me(&app, &client).await.status(), 200);
    }
}

#[tokio::test]
async fn registration_with_a_wrong_code_creates_nothing() {
    let app = spawn_app().await;
    let code = app.issue_code(Purpose::Register, "a@example.com");
    let wrong = if code == "123456" { "654321" } else { "123456" };
    let res = browser()
        .post(app.url("/api/orgs"))
        .json(&json!({ "org_name": "某某公司", "password": PASSWORD, "destination": "a@example.com", "code": wrong, "accept": { "privacy": "1.0", "terms": "1.0" } }))
        .send()
        .await
        .expect("register");
    assert_eq!(res.status(), 422);
    let body: ErrorBody = res.json().await.expect("envelope");
    assert_eq!(
        body.details,
        Some(json!({ "fields": [{ "field": "code", "reason": "invalid_code" }] }))
    );
    assert_eq!(
        login(&app, &browser(), "a@example.com", PASSWORD)
            .await
            .status(),
        401
    );
}

#[tokio::test]
async fn every_invalid_field_is_reported_at_once() {
    let app = spawn_app().await;
    let res = browser()
        .post(app.url("/api/orgs"))
        .json(&json!({ "org_name": "x", "password": "short", "destination": "12345", "code": "12ab" }))
        .send()
        .await
        .expect("register");
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await.expect("json");
    let fields: Vec<(String, String)> = body["details"]["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|f| {
            (
                f["field"].as_str().unwrap_or("").to_owned(),
                f["reason"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    assert_eq!(
        fields,
        [
            ("org_name".to_owned(), "too_short".to_owned()),
            ("password".to_owned(), "too_short".to_owned()),
            ("destination".to_owned(), "invalid_format".to_owned()),
            ("code".to_owned(), "invalid_format".to_owned()),
            ("accept.privacy".to_owned(), "required".to_owned()),
            ("accept.terms".to_owned(), "required".to_owned()),
        ]
    );
}

#[tokio::test]
async fn a_destination_registers_only_once() {
    let app = spawn_app().await;
    assert_eq!(
        register(&app, &browser(), "第一单位", "dup@example.com")
            .await
            .status(),
        201
    );
    // A minute later (the per-minute sending limit), someone tries the same address again.
    let db = Database::connect(&app.settings.database).expect("connect");
    {
        use backend::db::schema::verification_codes::dsl::*;
        use backend::db::types::Timestamp;
        use diesel::prelude::*;
        let earlier = Timestamp::from(chrono::Utc::now() - chrono::Duration::seconds(61));
        diesel::update(verification_codes)
            .set(created_at.eq(earlier))
            .execute(&mut *db.get().expect("conn"))
            .expect("age");
    }
    let res = register(&app, &browser(), "第二单位", "DUP@example.com").await;
    assert_eq!(res.status(), 409);
}

#[tokio::test]
async fn login_failures_look_the_same_for_unknown_accounts_and_wrong_passwords() {
    let app = spawn_app().await;
    register(&app, &browser(), "某单位", "known@example.com").await;
    let wrong = login(&app, &browser(), "known@example.com", "wrong password!").await;
    let unknown = login(&app, &browser(), "nobody@example.com", "wrong password!").await;
    assert_eq!(wrong.status(), 401);
    assert_eq!(unknown.status(), 401);
    let (a, b): (ErrorBody, ErrorBody) = (
        wrong.json().await.expect("a"),
        unknown.json().await.expect("b"),
    );
    assert_eq!(
        (a.code, a.message, a.details),
        (b.code, b.message, b.details)
    );
}

#[tokio::test]
async fn repeated_failures_lock_the_account_for_a_while() {
    let app = spawn_app().await;
    register(&app, &browser(), "某单位", "lock@example.com").await;
    for _ in 0..5 {
        assert_eq!(
            login(&app, &browser(), "lock@example.com", "wrong password!")
                .await
                .status(),
            401
        );
    }
    let res = login(&app, &browser(), "lock@example.com", PASSWORD).await;
    assert_eq!(
        res.status(),
        429,
        "even the right password waits out the lock"
    );
    let retry: u64 = res.headers()["retry-after"]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("seconds");
    assert!((1..=900).contains(&retry));
    let body: ErrorBody = res.json().await.expect("envelope");
    assert_eq!(body.code, shared::ErrorCode::RateLimited);
}

#[tokio::test]
async fn refresh_rotates_and_reusing_a_spent_token_revokes_the_session() {
    let app = spawn_app().await;
    let client = browser();
    register(&app, &client, "某单位", "rotate@example.com").await;
    // Capture the refresh token the way a thief would.
    let plain = reqwest::Client::new();
    let res = login(&app, &plain, "rotate@example.com", PASSWORD).await;
    let stolen = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("ec_refresh="))
        .and_then(|c| c.split(';').next())
        .expect("refresh cookie")
        .to_owned();
    let refresh = |cookie: String| {
        plain
            .post(app.url("/api/auth/refresh"))
            .header("cookie", cookie)
            .header(CSRF.0, CSRF.1)
            .send()
    };
    let first = refresh(stolen.clone()).await.expect("refresh");
    assert_eq!(first.status(), 204);
    let next = first
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("ec_refresh="))
        .and_then(|c| c.split(';').next())
        .expect("rotated refresh cookie")
        .to_owned();
    assert_ne!(next, stolen);
    // The spent token again: refused, and the whole session dies, including the new token.
    assert_eq!(refresh(stolen).await.expect("reuse").status(), 401);
    assert_eq!(refresh(next).await.expect("after revoke").status(), 401);
    // The other session (the registering browser) is unaffected.
    assert_eq!(me(&app, &client).await.status(), 200);

    let db = Database::connect(&app.settings.database).expect("connect");
    let mut conn = db.get().expect("conn");
    assert!(matches!(
        audit::verify(&mut conn, Some(&app.cipher())).expect("verify"),
        VerifyReport::Intact { .. }
    ));
    use diesel::prelude::*;
    let reuse: i64 = backend::db::schema::audit_log::table
        .filter(backend::db::schema::audit_log::action.eq("auth.refresh_token_reuse"))
        .count()
        .get_result(&mut *conn)
        .expect("count");
    assert_eq!(reuse, 1);
}

#[tokio::test]
async fn logout_ends_this_session_and_logout_all_ends_every_session() {
    let app = spawn_app().await;
    let (laptop, phone, tablet) = (browser(), browser(), browser());
    register(&app, &laptop, "某单位", "13700137000").await;
    assert_eq!(
        login(&app, &phone, "13700137000", PASSWORD).await.status(),
        200
    );
    assert_eq!(
        login(&app, &tablet, "13700137000", PASSWORD).await.status(),
        200
    );

    let res = phone
        .post(app.url("/api/auth/logout"))
        .header(CSRF.0, CSRF.1)
        .send()
        .await
        .expect("logout");
    assert_eq!(res.status(), 204);
    assert_eq!(me(&app, &phone).await.status(), 401);
    assert_eq!(me(&app, &laptop).await.status(), 200);

    let res = laptop
        .post(app.url("/api/auth/logout-all"))
        .header(CSRF.0, CSRF.1)
        .send()
        .await
        .expect("logout all");
    assert_eq!(res.status(), 204);
    assert_eq!(me(&app, &laptop).await.status(), 401);
    assert_eq!(
        me(&app, &tablet).await.status(),
        401,
        "access tokens stop working at once"
    );
}

#[tokio::test]
async fn cookie_authenticated_changes_need_the_csrf_header_and_our_origin() {
    let app = spawn_app().await;
    let client = browser();
    register(&app, &client, "某单位", "csrf@example.com").await;
    let logout = || client.post(app.url("/api/auth/logout"));

    let res = logout().send().await.expect("no header");
    assert_eq!(res.status(), 403);
    assert_eq!(
        res.json::<ErrorBody>().await.expect("envelope").code,
        shared::ErrorCode::CsrfRejected
    );
    let res = logout()
        .header(CSRF.0, CSRF.1)
        .header("origin", "https://evil.example")
        .send()
        .await
        .expect("evil");
    assert_eq!(res.status(), 403);
    let res = logout()
        .header(CSRF.0, CSRF.1)
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .expect("xsite");
    assert_eq!(res.status(), 403);
    assert_eq!(
        me(&app, &client).await.status(),
        200,
        "the rejected requests changed nothing"
    );

    let own_origin = app.address.clone();
    let res = logout()
        .header(CSRF.0, CSRF.1)
        .header("origin", own_origin)
        .header("sec-fetch-site", "same-origin")
        .send()
        .await
        .expect("ok");
    assert_eq!(res.status(), 204);
}

#[tokio::test]
async fn no_email_or_phone_is_stored_in_plaintext() {
    let app = spawn_app().await;
    register(&app, &browser(), "明文检查单位", "plain.text@example.com").await;
    register(&app, &browser(), "明文检查单位二", "13812345678").await;
    login(&app, &browser(), "plain.text@example.com", PASSWORD).await;
    let needles = ["plain.text", "example.com", "13812345678", "8613812345678"];
    let dump = app.raw_database_dump();
    assert!(
        dump.contains("明文检查单位"),
        "the dump must include the data (sanity check)"
    );
    for needle in needles {
        assert!(!dump.contains(needle), "{needle} stored in plaintext");
    }
}

#[tokio::test]
async fn changing_the_password_signs_out_other_devices_but_not_this_one() {
    let app = spawn_app().await;
    let (laptop, phone) = (browser(), browser());
    register(&app, &laptop, "某单位", "pw@example.com").await;
    login(&app, &phone, "pw@example.com", PASSWORD).await;
    let change = |current: &str, new: &str| {
        laptop
            .post(app.url("/api/auth/password"))
            .header(CSRF.0, CSRF.1)
            .json(&json!({ "current_password": current, "new_password": new }))
            .send()
    };
    assert_eq!(
        change("not my password", "a brand new secret")
            .await
            .expect("wrong")
            .status(),
        401
    );
    assert_eq!(change(PASSWORD, "short").await.expect("weak").status(), 422);
    assert_eq!(
        change(PASSWORD, "a brand new secret")
            .await
            .expect("change")
            .status(),
        204
    );
    assert_eq!(
        me(&app, &laptop).await.status(),
        200,
        "this device stays signed in"
    );
    assert_eq!(
        me(&app, &phone).await.status(),
        401,
        "other devices are signed out"
    );
    assert_eq!(
        login(&app, &browser(), "pw@example.com", PASSWORD)
            .await
            .status(),
        401
    );
    assert_eq!(
        login(&app, &browser(), "pw@example.com", "a brand new secret")
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn a_forgotten_password_is_reset_with_a_recovery_code() {
    let app = spawn_app().await;
    let old_device = browser();
    register(&app, &old_device, "某单位", "13300133000").await;
    let code = app.issue_code(Purpose::Recover, "13300133000");
    let reset = |destination: &str, code: &str| {
        reqwest::Client::new()
            .post(app.url("/api/auth/password/reset"))
            .json(&json!({ "destination": destination, "code": code, "new_password": "recovered secret" }))
            .send()
    };
    let wrong = if code == "111111" { "222222" } else { "111111" };
    assert_eq!(
        reset("13300133000", wrong).await.expect("wrong").status(),
        422
    );
    assert_eq!(
        reset("13300133000", &code).await.expect("reset").status(),
        204
    );
    assert_eq!(
        reset("13300133000", &code).await.expect("again").status(),
        422,
        "codes are single-use"
    );
    assert_eq!(me(&app, &old_device).await.status(), 401);
    assert_eq!(
        login(&app, &browser(), "13300133000", "recovered secret")
            .await
            .status(),
        200
    );
    // An unknown destination fails like a wrong code.
    let res = reset("13300133999", "123456").await.expect("unknown");
    assert_eq!(res.status(), 422);
}

#[tokio::test]
async fn the_sessions_list_shows_devices_and_one_can_be_signed_out() {
    let app = spawn_app().await;
    let laptop = reqwest::Client::builder()
        .cookie_store(true)
        .user_agent("Laptop/1.0")
        .build()
        .expect("client");
    let phone = reqwest::Client::builder()
        .cookie_store(true)
        .user_agent("Phone/2.0")
        .build()
        .expect("client");
    register(&app, &laptop, "某单位", "devices@example.com").await;
    login(&app, &phone, "devices@example.com", PASSWORD).await;
    let list: Vec<shared::accounts::SessionInfo> = laptop
        .get(app.url("/api/auth/sessions"))
        .send()
        .await
        .expect("list")
        .json()
        .await
        .expect("json");
    assert_eq!(list.len(), 2);
    let mine = list.iter().find(|s| s.current).expect("current session");
    assert_eq!(mine.device.as_deref(), Some("Laptop/1.0"));
    let other = list.iter().find(|s| !s.current).expect("other session");
    assert_eq!(other.device.as_deref(), Some("Phone/2.0"));

    // Another organisation cannot sign out this account's devices.
    let stranger = browser();
    register(&app, &stranger, "别的单位", "stranger@example.com").await;
    let res = stranger
        .delete(app.url(&format!("/api/auth/sessions/{}", other.id)))
        .header(CSRF.0, CSRF.1)
        .send()
        .await
        .expect("delete");
    assert_eq!(res.status(), 404);
    assert_eq!(me(&app, &phone).await.status(), 200);

    let res = laptop
        .delete(app.url(&format!("/api/auth/sessions/{}", other.id)))
        .header(CSRF.0, CSRF.1)
        .send()
        .await
        .expect("delete");
    assert_eq!(res.status(), 204);
    assert_eq!(me(&app, &phone).await.status(), 401);
    assert_eq!(me(&app, &laptop).await.status(), 200);
}
