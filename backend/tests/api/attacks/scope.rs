//! Scope escapes: API keys bounded by and dying with their creator, and console lists that
//! name candidates filtered by the caller's groups.

use reqwest::{Client, Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp, delete, exam_org, get, id, post, send, spawn_app, start};

/// `GET path` with the API key; answers the status and the JSON body.
async fn with_key(app: &TestApp, key: &str, path: &str) -> (StatusCode, Value) {
    let res = app
        .client
        .get(app.url(path))
        .bearer_auth(key)
        .send()
        .await
        .expect("request");
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// Two groups with a candidate each; answers (group of the first, [inside, outside] ids).
async fn two_groups(app: &TestApp, owner: &Client) -> (String, [String; 2]) {
    let mine = app.create_group(owner, "一班").await;
    let other = app.create_group(owner, "二班").await;
    let inside = app
        .create_candidate(
            owner,
            json!({ "account": "in1", "name": "组内", "password": PASSWORD, "group_ids": [mine] }),
        )
        .await;
    let outside = app
        .create_candidate(
            owner,
            json!({ "account": "out1", "name": "组外", "password": PASSWORD, "group_ids": [other] }),
        )
        .await;
    (mine, [id(&inside), id(&outside)])
}

#[tokio::test]
async fn an_admin_limited_to_a_group_cannot_read_every_candidate_through_an_api_key() {
    let app = spawn_app().await;
    let owner = app.register_org("范围单位", "scope-key@example.com").await;
    let (mine, [inside, _]) = two_groups(&app, &owner).await;
    let (_, admin) = app
        .create_admin_in_groups(
            &owner,
            "teacher1",
            &["candidates:read", "api_keys:write"],
            &[&mine],
        )
        .await;
    let (_, key) = app.create_api_key(&admin, &["candidates:read"]).await;
    let (status, page) = with_key(&app, &key, "/api/candidates").await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(
        page["total"], 1,
        "the key sees beyond its creator's group: {page}"
    );
    assert_eq!(page["items"][0]["id"], inside.as_str());
    // Nor can the admin hand a key more than they hold.
    let (status, body) = post(
        &app,
        &admin,
        "/api/api-keys",
        json!({ "name": "more", "scopes": ["candidates:write"] }),
    )
    .await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(body["code"], "forbidden");
}

#[tokio::test]
async fn a_key_dies_with_its_creator_disabled_or_deleted_and_shrinks_with_their_rights() {
    let app = spawn_app().await;
    let owner = app.register_org("范围单位", "scope-die@example.com").await;
    let perms = ["candidates:read", "api_keys:write"];
    let (disabled, a) = app
        .create_admin_in_groups(&owner, "teacher1", &perms, &[])
        .await;
    let (deleted, b) = app
        .create_admin_in_groups(&owner, "teacher2", &perms, &[])
        .await;
    let (reduced, c) = app
        .create_admin_in_groups(&owner, "teacher3", &perms, &[])
        .await;
    let (_, key_a) = app.create_api_key(&a, &["candidates:read"]).await;
    let (_, key_b) = app.create_api_key(&b, &["candidates:read"]).await;
    let (_, key_c) = app.create_api_key(&c, &["candidates:read"]).await;
    for key in [&key_a, &key_b, &key_c] {
        assert_eq!(with_key(&app, key, "/api/candidates").await.0, 200);
    }

    let (status, body) = send(
        &app,
        &owner,
        Method::PATCH,
        &format!("/api/org/users/{disabled}"),
        json!({ "status": "disabled" }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = delete(&app, &owner, &format!("/api/org/users/{deleted}")).await;
    assert_eq!(status, 204, "{body}");
    let (status, body) = send(
        &app,
        &owner,
        Method::PATCH,
        &format!("/api/org/users/{reduced}"),
        json!({ "permissions": ["api_keys:write"] }),
    )
    .await;
    assert_eq!(status, 200, "{body}");

    for key in [&key_a, &key_b] {
        let (status, body) = with_key(&app, key, "/api/candidates").await;
        assert_eq!(status, 401, "a key outlived its creator: {body}");
        assert_eq!(body["code"], "unauthorized");
    }
    let (status, body) = with_key(&app, &key_c, "/api/candidates").await;
    assert_eq!(status, 403, "a key kept what its creator lost: {body}");
    // The owner's own keys keep working.
    let (_, owners) = app.create_api_key(&owner, &["candidates:read"]).await;
    assert_eq!(with_key(&app, &owners, "/api/candidates").await.0, 200);
}

#[tokio::test]
async fn an_admin_limited_to_a_group_sees_only_its_candidates_assignments_attempts_and_papers() {
    let app = spawn_app().await;
    let f = exam_org(&app, "scope").await;
    let group = app.create_group(&f.owner, "一班").await;
    let (status, body) = send(
        &app,
        &f.owner,
        Method::PATCH,
        &format!("/api/candidates/{}", f.candidates[0]),
        json!({ "group_ids": [group] }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let exam = f.exam(&app, json!({})).await;
    for i in 0..2 {
        let cand = f.candidate(&app, i).await;
        let (status, body) = start(&app, &cand, &exam).await;
        assert_eq!(status, 201, "{body}");
    }
    let (_, admin) = app
        .create_admin_in_groups(
            &f.owner,
            "teacher1",
            &["exams:read", "questions:read"],
            &[&group],
        )
        .await;
    let (_, key) = app
        .create_api_key(&f.owner, &["exams:read", "questions:read"])
        .await;
    let (status, owner_view) = get(&app, &f.owner, &format!("/api/exams/{exam}/attempts")).await;
    assert_eq!(status, 200);
    assert_eq!(owner_view.as_array().expect("list").len(), 2);
    assert_eq!(
        with_key(&app, &key, &format!("/api/exams/{exam}/attempts"))
            .await
            .1,
        owner_view
    );

    for list in ["assignments", "attempts"] {
        let (status, body) = get(&app, &admin, &format!("/api/exams/{exam}/{list}")).await;
        assert_eq!(status, 200, "{body}");
        let ids: Vec<&str> = body
            .as_array()
            .expect("list")
            .iter()
            .map(|r| r["candidate_id"].as_str().expect("candidate"))
            .collect();
        assert_eq!(
            ids,
            [f.candidates[0].as_str()],
            "{list} beyond the group: {body}"
        );
    }
    let paper = &f.paper_id;
    let (status, _) = get(
        &app,
        &admin,
        &format!("/api/papers/{paper}/generated/{}", f.candidates[1]),
    )
    .await;
    assert_eq!(status, 404, "a paper of a candidate outside the group");
    let (status, _) = get(
        &app,
        &admin,
        &format!("/api/papers/{paper}/generated/{}", f.candidates[0]),
    )
    .await;
    assert_eq!(status, 200);
}
