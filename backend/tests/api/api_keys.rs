//! API keys: shown once, stored hashed, scoped, expiring, revocable, last use recorded, and
//! rate limited per key.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp, delete, get, post, spawn_app};

async fn with_key(
    app: &TestApp,
    key: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut req = reqwest::Client::new()
        .request(method, app.url(path))
        .bearer_auth(key);
    if let Some(body) = body {
        req = req.json(&body);
    }
    let res = req.send().await.expect("call");
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn a_key_works_within_its_scopes_until_revoked() {
    let app = spawn_app().await;
    let owner = app.register_org("集成单位", "keys@example.com").await;
    let (id, key) = app
        .create_api_key(&owner, &["candidates:write", "org:read"])
        .await;
    assert!(key.starts_with("eck_"), "{key}");

    // The list never shows the secret again, nor does the database hold it.
    let (_, list) = get(&app, &owner, "/api/api-keys").await;
    assert_eq!(list[0]["id"], id.as_str());
    assert_eq!(list[0]["status"], "active");
    assert!(list[0].get("last_used_at").is_none());
    // `eck_<prefix>_<secret>`; the secret is URL-safe base64 and may itself hold `_`.
    let secret = key.splitn(3, '_').nth(2).expect("secret");
    assert!(secret.len() >= 43, "{key}");
    assert!(!list.to_string().contains(secret));
    assert!(!app.raw_database_dump().contains(secret));

    // Within scope: it works, and is recorded as the actor.
    let (status, created) = with_key(
        &app,
        &key,
        Method::POST,
        "/api/candidates",
        Some(json!({ "account": "api01", "name": "接口考生", "password": PASSWORD })),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    let (status, org) = with_key(&app, &key, Method::GET, "/api/org", None).await;
    assert_eq!((status, org["name"].as_str()), (200, Some("集成单位")));
    // Out of scope: 403; a key never manages keys or users.
    for (method, path) in [
        (Method::GET, "/api/audit"),
        (Method::PATCH, "/api/org"),
        (Method::GET, "/api/api-keys"),
        (Method::GET, "/api/org/users"),
    ] {
        let (status, _) = with_key(&app, &key, method.clone(), path, Some(json!({}))).await;
        assert!(status == 403 || status == 401, "{method} {path}: {status}");
    }
    let (_, audit) = get(&app, &owner, "/api/audit?action=candidate.create").await;
    assert_eq!(audit["entries"][0]["actor_kind"], "api_key");
    assert_eq!(audit["entries"][0]["actor_id"], id.as_str());
    let (_, list) = get(&app, &owner, "/api/api-keys").await;
    assert!(
        list[0]["last_used_at"].is_string(),
        "last use recorded: {list}"
    );

    // Malformed or unknown keys: 401.
    for bad in [
        "eck_nothex_abc",
        "eck_0123456789abcdef_wrongsecret",
        "not-a-key",
    ] {
        let (status, _) = with_key(&app, bad, Method::GET, "/api/org", None).await;
        assert_eq!(status, 401, "{bad}");
    }
    let tampered = format!("{}x", key);
    assert_eq!(
        with_key(&app, &tampered, Method::GET, "/api/org", None)
            .await
            .0,
        401
    );

    // Revoked: stops at once.
    let (status, _) = delete(&app, &owner, &format!("/api/api-keys/{id}")).await;
    assert_eq!(status, 204);
    assert_eq!(
        with_key(&app, &key, Method::GET, "/api/org", None).await.0,
        401
    );
    let (_, list) = get(&app, &owner, "/api/api-keys").await;
    assert_eq!(list[0]["status"], "revoked");
}

#[tokio::test]
async fn keys_expire_are_rate_limited_and_cannot_exceed_their_creator() {
    let app = spawn_app().await;
    let owner = app.register_org("限流单位", "limits@example.com").await;
    let (status, created) = post(&app, &owner, "/api/api-keys", json!({ "name": "slow", "scopes": ["org:read"], "rate_limit_per_minute": 2, "expires_in_days": 30 }))
        .await;
    assert_eq!(status, 201, "{created}");
    assert!(created["api_key"]["expires_at"].is_string());
    let key = created["key"].as_str().expect("key").to_owned();
    assert_eq!(
        with_key(&app, &key, Method::GET, "/api/org", None).await.0,
        200
    );
    assert_eq!(
        with_key(&app, &key, Method::GET, "/api/org", None).await.0,
        200
    );
    let res = reqwest::Client::new()
        .get(app.url("/api/org"))
        .bearer_auth(&key)
        .send()
        .await
        .expect("third");
    assert_eq!(res.status(), 429);
    let retry: u64 = res
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("Retry-After");
    assert!((1..=30).contains(&retry), "{retry}");

    // Expired: 401.
    {
        use diesel::prelude::*;
        let mut conn = app.db();
        let past =
            backend::db::types::Timestamp::from(chrono::Utc::now() - chrono::Duration::hours(1));
        diesel::update(backend::db::schema::api_keys::table)
            .set(backend::db::schema::api_keys::expires_at.eq(Some(past)))
            .execute(&mut *conn)
            .expect("expire");
    }
    assert_eq!(
        with_key(&app, &key, Method::GET, "/api/org", None).await.0,
        401
    );

    // Invalid requests.
    for body in [
        json!({ "name": "", "scopes": ["org:read"] }),
        json!({ "name": "x", "scopes": [] }),
        json!({ "name": "x", "scopes": ["users:write"] }),
        json!({ "name": "x", "scopes": ["org:read"], "expires_in_days": 0 }),
        json!({ "name": "x", "scopes": ["org:read"], "rate_limit_per_minute": 100000 }),
    ] {
        let (status, _) = post(&app, &owner, "/api/api-keys", body.clone()).await;
        assert_eq!(status, 422, "{body}");
    }
    let (status, _) = post(
        &app,
        &owner,
        "/api/api-keys",
        json!({ "name": "x", "scopes": ["proctoring:read"] }),
    )
    .await;
    assert_eq!(status, 400, "unknown permission");

    // An admin with api_keys:write and only candidates:read cannot mint a candidates:write key.
    let (_, admin) = app
        .create_admin(&owner, "keyadmin", &["api_keys:write", "candidates:read"])
        .await;
    let (status, _) = post(
        &app,
        &admin,
        "/api/api-keys",
        json!({ "name": "x", "scopes": ["candidates:write"] }),
    )
    .await;
    assert_eq!(status, 403);
    let (status, _) = post(
        &app,
        &admin,
        "/api/api-keys",
        json!({ "name": "x", "scopes": ["candidates:read"] }),
    )
    .await;
    assert_eq!(status, 201);
}
