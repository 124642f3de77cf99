//! The cross-tenant matrix, generated from the OpenAPI document: every documented operation is
//! called as each kind of caller, and must answer with the right status and never with another
//! organisation's data. New endpoints join the matrix by being documented.

use serde_json::{Value, json};

use crate::helpers::{CSRF, TestApp, spawn_app};

struct Org {
    client: reqwest::Client,
    id: String,
    name: String,
    /// Ids of this organisation's resources, by path parameter context: `(path, id)`.
    resources: Vec<(String, String)>,
}

async fn org(app: &TestApp, name: &str, email: &str) -> Org {
    let client = app.register_org(name, email).await;
    let me: Value = client
        .get(app.url("/api/auth/me"))
        .send()
        .await
        .expect("me")
        .json()
        .await
        .expect("json");
    let sessions: Value = client
        .get(app.url("/api/auth/sessions"))
        .send()
        .await
        .expect("sessions")
        .json()
        .await
        .expect("json");
    let session_id = sessions[0]["id"].as_str().expect("session id").to_owned();
    Org {
        client,
        id: me["org"]["id"].as_str().expect("org id").to_owned(),
        name: name.to_owned(),
        resources: vec![("/api/auth/sessions/{id}".to_owned(), session_id)],
    }
}

/// Operations that end or change the caller's own session: run last, or skipped where they
/// would sign the matrix's callers out.
const SESSION_ENDING: [&str; 4] = [
    "/api/auth/logout",
    "/api/auth/logout-all",
    "/api/auth/password",
    "/api/auth/refresh",
];

#[tokio::test]
async fn every_documented_operation_is_tenant_scoped() {
    let app = spawn_app().await;
    let a = org(&app, "甲单位 Tenant A", "tenant-a@example.com").await;
    let b = org(&app, "乙单位 Tenant B", "tenant-b@example.com").await;
    let anonymous = reqwest::Client::new();
    let doc: Value = app.get_json("/api/openapi.json").await.1;

    let mut checked = 0;
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("item") {
            let secured = op["security"].as_array().is_some_and(|s| !s.is_empty());
            let method =
                reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).expect("method");
            let templated = path.contains('{');
            let concrete = |owner: &Org| {
                owner
                    .resources
                    .iter()
                    .find(|(p, _)| p == path)
                    .map(|(_, id)| path.replace("{id}", id))
                    .unwrap_or_else(|| path.replace("{id}", "0193a000-0000-7000-8000-000000000000"))
            };

            // Anonymous callers get 401 from every secured operation (the refresh endpoint is
            // secured by its own cookie and answers 401 too).
            if secured {
                let res = anonymous
                    .request(method.clone(), app.url(&concrete(&a)))
                    .header(CSRF.0, CSRF.1)
                    .json(&json!({}))
                    .send()
                    .await
                    .expect("anonymous call");
                assert_eq!(res.status(), 401, "anonymous {method} {path}");
                checked += 1;
            }
            if !secured || SESSION_ENDING.contains(&path.as_str()) {
                continue;
            }

            // B may not reach A's resources: A's ids are simply not found for B.
            if templated {
                let res = b
                    .client
                    .request(method.clone(), app.url(&concrete(&a)))
                    .header(CSRF.0, CSRF.1)
                    .send()
                    .await
                    .expect("cross-tenant call");
                assert_eq!(res.status(), 404, "org B {method} {path} with org A's id");
                checked += 1;
                continue;
            }

            // Reads answer each org with its own data and never the other's.
            if method == reqwest::Method::GET {
                for (me, other) in [(&a, &b), (&b, &a)] {
                    let res = me.client.get(app.url(path)).send().await.expect("own read");
                    assert_eq!(res.status(), 200, "{} GET {path}", me.name);
                    let body = res.text().await.expect("body");
                    assert!(
                        !body.contains(&other.id),
                        "{} GET {path} leaked the other org's id",
                        me.name
                    );
                    assert!(
                        !body.contains(&other.name),
                        "{} GET {path} leaked the other org's name",
                        me.name
                    );
                    checked += 1;
                }
            }
        }
    }
    assert!(checked >= 10, "the matrix checked only {checked} cases");
}
