//! Candidates signing in to their organisation's portal: by account, email or phone with a
//! password, or by a code bound to that portal; the same answer for unknown candidates; portal
//! sessions are separate from the console's and rotate like them.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{CSRF, PASSWORD, TestApp, code_in, spawn_app};

async fn login(
    app: &TestApp,
    slug: &str,
    body: Value,
) -> (reqwest::StatusCode, Value, reqwest::Client) {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .expect("client");
    let (status, json) = app
        .send_json(
            &client,
            Method::POST,
            &format!("/api/portal/{slug}/login"),
            &body,
        )
        .await;
    (status, json, client)
}

#[tokio::test]
async fn candidates_sign_in_by_account_email_or_phone_and_only_on_their_portal() {
    let app = spawn_app().await;
    let a = app.register_org("门户甲", "portal-a@example.com").await;
    let b = app.register_org("门户乙", "portal-b@example.com").await;
    let (slug_a, slug_b) = (app.slug_of(&a).await, app.slug_of(&b).await);
    let (status, _) = app
        .send_json(
            &a,
            Method::PATCH,
            "/api/org",
            &json!({ "candidate_app_name": "甲考试中心" }),
        )
        .await;
    assert_eq!(status, 200);
    app.create_candidate(
        &a,
        json!({ "account": "s001", "name": "孙悟空", "email": "wukong@example.com", "phone": "13700001234", "password": PASSWORD }),
    )
    .await;

    for identifier in ["s001", "S001", "wukong@example.com", "+86 137 0000 1234"] {
        let (status, me, _) = login(
            &app,
            &slug_a,
            json!({ "identifier": identifier, "password": PASSWORD }),
        )
        .await;
        assert_eq!(status, 200, "{identifier}: {me}");
        assert_eq!(me["name"], "孙悟空");
        assert_eq!(me["portal"]["app_name"], "甲考试中心");
        assert_eq!(me["portal"]["org_name"], "门户甲");
    }
    // Wrong password, unknown candidate, another org's portal: one and the same answer.
    let mut answers = Vec::new();
    for (slug, identifier, password) in [
        (&slug_a, "s001", "wrong password!"),
        (&slug_a, "nobody", PASSWORD),
        (&slug_b, "s001", PASSWORD),
    ] {
        let (status, body, _) = login(
            &app,
            slug,
            json!({ "identifier": identifier, "password": password }),
        )
        .await;
        assert_eq!(status, 401, "{slug} {identifier}");
        answers.push(body["code"].clone());
    }
    assert!(
        answers.iter().all(|c| c == "invalid_credentials"),
        "{answers:?}"
    );
    let (status, _, _) = login(
        &app,
        "no-such-portal",
        json!({ "identifier": "s001", "password": PASSWORD }),
    )
    .await;
    assert_eq!(status, 404);

    // The portal session is not a console session, and the console's is not the portal's.
    let (_, _, portal) = login(
        &app,
        &slug_a,
        json!({ "identifier": "s001", "password": PASSWORD }),
    )
    .await;
    let (status, _) = app
        .send_json(&portal, Method::GET, "/api/auth/me", &Value::Null)
        .await;
    assert_eq!(status, 401);
    let (status, _) = app
        .send_json(&a, Method::GET, "/api/candidate/me", &Value::Null)
        .await;
    assert_eq!(status, 401);

    // Refresh rotates; a spent refresh token revokes the session.
    let refresh = |c: &reqwest::Client| {
        c.post(app.url("/api/candidate/auth/refresh"))
            .header(CSRF.0, CSRF.1)
            .send()
    };
    assert_eq!(refresh(&portal).await.expect("refresh").status(), 204);
    assert_eq!(refresh(&portal).await.expect("refresh").status(), 204);
    let (status, _) = app
        .send_json(&portal, Method::GET, "/api/candidate/me", &Value::Null)
        .await;
    assert_eq!(status, 200);

    // Logout ends it.
    let (status, _) = app
        .send_json(
            &portal,
            Method::POST,
            "/api/candidate/auth/logout",
            &json!({}),
        )
        .await;
    assert_eq!(status, 204);
    let (status, _) = app
        .send_json(&portal, Method::GET, "/api/candidate/me", &Value::Null)
        .await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn a_code_from_one_portal_signs_in_only_there() {
    let app = spawn_app().await;
    let a = app.register_org("验证码门户甲", "code-a@example.com").await;
    let b = app.register_org("验证码门户乙", "code-b@example.com").await;
    let (slug_a, slug_b) = (app.slug_of(&a).await, app.slug_of(&b).await);
    for owner in [&a, &b] {
        // The same person is a candidate of both organisations, without a password.
        app.create_candidate(
            owner,
            json!({ "account": "zhu", "name": "猪八戒", "email": "bajie@example.com" }),
        )
        .await;
    }
    let before = app.outbox(0).await.len();
    let anon = reqwest::Client::new();
    let (status, body) = app
        .send_json(
            &anon,
            Method::POST,
            &format!("/api/portal/{slug_a}/codes"),
            &json!({ "destination": "bajie@example.com" }),
        )
        .await;
    assert_eq!(status, 202, "{body}");
    // Unknown destination: same answer, nothing sent.
    let (status, unknown) = app
        .send_json(
            &anon,
            Method::POST,
            &format!("/api/portal/{slug_a}/codes"),
            &json!({ "destination": "nobody@example.com" }),
        )
        .await;
    assert_eq!((status, &unknown), (reqwest::StatusCode::ACCEPTED, &body));
    let messages = app.outbox(before + 1).await;
    let sent: Vec<&Value> = messages[before..].iter().collect();
    assert_eq!(sent.len(), 1, "{sent:?}");
    let code = code_in(sent[0]);

    // Not valid on the other portal, and no password sign-in for a code-only candidate.
    let (status, _, _) = login(
        &app,
        &slug_b,
        json!({ "identifier": "bajie@example.com", "code": code }),
    )
    .await;
    assert_eq!(status, 401);
    let (status, _, _) = login(
        &app,
        &slug_a,
        json!({ "identifier": "zhu", "password": "anything at all" }),
    )
    .await;
    assert_eq!(status, 401);
    let (status, me, _) = login(
        &app,
        &slug_a,
        json!({ "identifier": "bajie@example.com", "code": code }),
    )
    .await;
    assert_eq!(status, 200, "{me}");
    assert_eq!(me["portal"]["org_name"], "验证码门户甲");
    // Single use.
    let (status, _, _) = login(
        &app,
        &slug_a,
        json!({ "identifier": "bajie@example.com", "code": code }),
    )
    .await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn portal_cookie_changes_need_the_csrf_header_too() {
    let app = spawn_app().await;
    let owner = app
        .register_org("门户防护", "portal-csrf@example.com")
        .await;
    let slug = app.slug_of(&owner).await;
    app.create_candidate(
        &owner,
        json!({ "account": "c1", "name": "考生", "password": PASSWORD }),
    )
    .await;
    let portal = app.portal_login(&slug, "c1", PASSWORD).await;
    for path in ["/api/candidate/auth/logout", "/api/candidate/auth/refresh"] {
        let res = portal.post(app.url(path)).send().await.expect("no header");
        assert_eq!(res.status(), 403, "{path}");
        let body: Value = res.json().await.expect("envelope");
        assert_eq!(body["code"], "csrf_rejected");
    }
    let (status, _) = app
        .send_json(&portal, Method::GET, "/api/candidate/me", &Value::Null)
        .await;
    assert_eq!(status, 200, "the rejected requests changed nothing");
}
