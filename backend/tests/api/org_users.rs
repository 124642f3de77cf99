//! The organisation's admin accounts: per-module permissions, disabling signs out at once, no
//! granting beyond one's own rights, the owner is untouchable.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, delete, get, post, send, spawn_app};

#[tokio::test]
async fn admins_act_within_their_permissions_and_disabling_signs_them_out() {
    let app = spawn_app().await;
    let owner = app.register_org("权限单位", "perm@example.com").await;
    let (admin_id, admin) = app
        .create_admin(&owner, "reader1", &["candidates:read", "users:write"])
        .await;
    let (_, me) = get(&app, &admin, "/api/auth/me").await;
    assert_eq!(me["role"], "admin");
    assert_eq!(me["permissions"], json!(["candidates:read", "users:write"]));

    assert_eq!(get(&app, &admin, "/api/candidates").await.0, 200);
    let (status, _) = post(
        &app,
        &admin,
        "/api/candidates",
        json!({ "account": "c1", "name": "甲", "password": PASSWORD }),
    )
    .await;
    assert_eq!(status, 403, "read-only on candidates");
    assert_eq!(get(&app, &admin, "/api/audit").await.0, 403);
    assert_eq!(
        send(
            &app,
            &admin,
            Method::PATCH,
            "/api/org",
            json!({ "name": "改名" })
        )
        .await
        .0,
        403
    );

    // No granting beyond one's own rights; the owner and oneself are off limits.
    let grant = |perms: Value| json!({ "login_account": "helper1", "display_name": "助手", "password": PASSWORD, "role": "admin", "permissions": perms });
    let (status, _) = post(
        &app,
        &admin,
        "/api/org/users",
        grant(json!(["candidates:write"])).clone(),
    )
    .await;
    assert_eq!(status, 403);
    let (status, helper) = post(
        &app,
        &admin,
        "/api/org/users",
        grant(json!(["candidates:read"])).clone(),
    )
    .await;
    assert_eq!(status, 201, "{helper}");
    let (_, users) = get(&app, &admin, "/api/org/users").await;
    let owner_id = users
        .as_array()
        .expect("users")
        .iter()
        .find(|u| u["role"] == "owner")
        .map(|u| u["id"].as_str().expect("id").to_owned())
        .expect("owner");
    for id in [&owner_id, &admin_id] {
        let (status, _) = send(
            &app,
            &admin,
            Method::PATCH,
            &format!("/api/org/users/{id}"),
            json!({ "status": "disabled" }),
        )
        .await;
        assert_eq!(status, 403, "owner or self");
    }
    let (status, _) = post(&app, &admin, "/api/org/users", json!({ "login_account": "boss2", "display_name": "老板", "password": PASSWORD, "role": "owner" }))
        .await;
    assert_eq!(status, 422);

    // The owner disables the admin: every session of theirs ends at once.
    let (status, disabled) = send(
        &app,
        &owner,
        Method::PATCH,
        &format!("/api/org/users/{admin_id}"),
        json!({ "status": "disabled" }),
    )
    .await;
    assert_eq!(status, 200, "{disabled}");
    assert_eq!(disabled["status"], "disabled");
    assert_eq!(get(&app, &admin, "/api/auth/me").await.0, 401);
    let (status, _) = post(
        &app,
        &reqwest::Client::new(),
        "/api/auth/login",
        json!({ "identifier": "reader1", "password": PASSWORD }),
    )
    .await;
    assert_eq!(status, 401);
    let (_, audit) = get(&app, &owner, "/api/audit?action=org_user.update").await;
    assert_eq!(
        audit["entries"][0]["details"]["sessions_revoked"], 1,
        "{audit}"
    );

    // A grader has no console modules.
    let (status, grader) = post(&app, &owner, "/api/org/users", json!({ "login_account": "grader1", "display_name": "阅卷老师", "password": PASSWORD, "role": "grader" }))
        .await;
    assert_eq!(status, 201, "{grader}");
    let grader_client = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .expect("client");
    let (status, _) = post(
        &app,
        &grader_client,
        "/api/auth/login",
        json!({ "identifier": "grader1", "password": PASSWORD }),
    )
    .await;
    assert_eq!(status, 200);
    for path in [
        "/api/candidates",
        "/api/org",
        "/api/audit",
        "/api/org/users",
    ] {
        assert_eq!(get(&app, &grader_client, path).await.0, 403, "{path}");
    }
    // Deleting a user ends their sessions too.
    let grader_id = grader["id"].as_str().expect("id");
    assert_eq!(
        delete(&app, &owner, &format!("/api/org/users/{grader_id}"))
            .await
            .0,
        204
    );
    assert_eq!(get(&app, &grader_client, "/api/auth/me").await.0, 401);
}

#[tokio::test]
async fn a_user_manager_cannot_take_over_a_more_powerful_admin() {
    let app = spawn_app().await;
    let owner = app.register_org("提权测试", "escalate@example.com").await;
    let (_, manager) = app.create_admin(&owner, "manager1", &["users:write"]).await;
    let (auditor_id, _) = app.create_admin(&owner, "auditor1", &["audit:read"]).await;
    let (peer_id, _) = app.create_admin(&owner, "peer1", &["users:read"]).await;
    let path = format!("/api/org/users/{auditor_id}");
    for body in [
        json!({ "password": "a takeover password" }),
        json!({ "status": "disabled" }),
        json!({ "permissions": [] }),
    ] {
        let (status, _) = send(&app, &manager, Method::PATCH, &path, body.clone()).await;
        assert_eq!(status, 403, "{body}");
    }
    assert_eq!(delete(&app, &manager, &path).await.0, 403);
    // Someone with fewer rights they may manage.
    let (status, _) = send(
        &app,
        &manager,
        Method::PATCH,
        &format!("/api/org/users/{peer_id}"),
        json!({ "password": "a new password 1" }),
    )
    .await;
    assert_eq!(status, 200);
}
