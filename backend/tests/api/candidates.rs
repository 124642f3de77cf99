//! Candidates and groups: create, list, edit, disable, delete; validation; uniqueness within an
//! organisation; an admin's data scope; disabling signs the candidate out at once.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp, delete, get, post, send, spawn_app};

async fn owner(app: &TestApp, tag: &str) -> reqwest::Client {
    app.register_org(
        &format!("考生管理 {tag}"),
        &format!("cands-{tag}@example.com"),
    )
    .await
}

#[tokio::test]
async fn candidates_are_created_listed_edited_and_deleted() {
    let app = spawn_app().await;
    let owner = owner(&app, "crud").await;
    let class = app.create_group(&owner, "高三(1)班").await;
    let created = app
        .create_candidate(
            &owner,
            json!({
                "account": " Stu-001 ",
                "name": " 李雷 ",
                "phone": "138 0013 8000",
                "email": "LiLei@Example.com",
                "id_number": "11010519491231002x",
                "password": PASSWORD,
                "group_ids": [class],
            }),
        )
        .await;
    assert_eq!(created["account"], "stu-001");
    assert_eq!(created["name"], "李雷");
    assert_eq!(created["phone"], "+8613800138000");
    assert_eq!(created["id_number_masked"], "110***********002X");
    assert_eq!(created["has_password"], true);
    assert_eq!(created["groups"][0]["name"], "高三(1)班");
    let id = created["id"].as_str().expect("id").to_owned();

    // Exact search by account, phone or email; filters by group and status.
    for q in ["STU-001", "13800138000", "lilei@example.com"] {
        let (status, page) = get(&app, &owner, &format!("/api/candidates?q={q}")).await;
        assert_eq!(status, 200);
        assert_eq!(page["total"], 1, "search {q}");
    }
    let (_, page) = get(&app, &owner, "/api/candidates?q=nobody").await;
    assert_eq!(page["total"], 0);
    let (_, page) = get(&app, &owner, &format!("/api/candidates?group_id={class}")).await;
    assert_eq!(page["items"][0]["id"], id.as_str());

    // Uniqueness within the organisation: 409; invalid fields: 422 naming each.
    let (status, _) = post(
        &app,
        &owner,
        "/api/candidates",
        json!({ "account": "stu-001", "name": "韩梅梅", "password": PASSWORD }),
    )
    .await;
    assert_eq!(status, 409);
    let (status, err) = post(
        &app,
        &owner,
        "/api/candidates",
        json!({ "account": "x", "name": "", "phone": "12345", "id_number": "110105194912310021" }),
    )
    .await;
    assert_eq!(status, 422);
    let fields: Vec<&str> = err["details"]["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|f| f["field"].as_str().expect("field"))
        .collect();
    for f in ["account", "name", "phone", "id_number"] {
        assert!(fields.contains(&f), "{f} in {fields:?}");
    }
    // No password and no phone/email: no way to sign in.
    let (status, err) = post(
        &app,
        &owner,
        "/api/candidates",
        json!({ "account": "nosignin", "name": "无法登录" }),
    )
    .await;
    assert_eq!(status, 422, "{err}");

    // Edit: rename, clear the phone, leave groups.
    let (status, updated) = send(
        &app,
        &owner,
        Method::PATCH,
        &format!("/api/candidates/{id}"),
        json!({ "name": "李雷雷", "phone": "", "group_ids": [] }),
    )
    .await;
    assert_eq!(status, 200, "{updated}");
    assert_eq!(updated["name"], "李雷雷");
    assert!(updated.get("phone").is_none());
    assert_eq!(updated["groups"], json!([]));

    // Groups: rename, member counts, delete.
    let (status, groups) = get(&app, &owner, "/api/candidate-groups").await;
    assert_eq!(status, 200);
    assert_eq!(groups[0]["member_count"], 0);
    let (status, _) = send(
        &app,
        &owner,
        Method::PATCH,
        &format!("/api/candidate-groups/{class}"),
        json!({ "name": "高三(2)班" }),
    )
    .await;
    assert_eq!(status, 200);
    let (status, _) = post(
        &app,
        &owner,
        "/api/candidate-groups",
        json!({ "name": "高三(2)班" }),
    )
    .await;
    assert_eq!(status, 409, "group names are unique");
    let (status, _) = delete(&app, &owner, &format!("/api/candidate-groups/{class}")).await;
    assert_eq!(status, 204);

    // Delete.
    let (status, _) = delete(&app, &owner, &format!("/api/candidates/{id}")).await;
    assert_eq!(status, 204);
    let (status, _) = get(&app, &owner, &format!("/api/candidates/{id}")).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn disabling_a_candidate_signs_them_out_at_once() {
    let app = spawn_app().await;
    let owner = owner(&app, "disable").await;
    let slug = app.slug_of(&owner).await;
    let c = app
        .create_candidate(
            &owner,
            json!({ "account": "s1", "name": "张三", "password": PASSWORD }),
        )
        .await;
    let portal = app.portal_login(&slug, "s1", PASSWORD).await;
    let (status, _) = get(&app, &portal, "/api/candidate/me").await;
    assert_eq!(status, 200);
    let (status, _) = send(
        &app,
        &owner,
        Method::PATCH,
        &format!("/api/candidates/{}", c["id"].as_str().expect("id")),
        json!({ "status": "disabled" }),
    )
    .await;
    assert_eq!(status, 200);
    let (status, _) = get(&app, &portal, "/api/candidate/me").await;
    assert_eq!(status, 401, "the disabled candidate's session ends");
    let (status, _) = post(
        &app,
        &reqwest::Client::new(),
        &format!("/api/portal/{slug}/login"),
        json!({ "identifier": "s1", "password": PASSWORD }),
    )
    .await;
    assert_eq!(status, 401, "and cannot sign in again");
}

#[tokio::test]
async fn an_admin_limited_to_a_group_sees_and_changes_only_its_candidates() {
    let app = spawn_app().await;
    let owner = owner(&app, "scope").await;
    let mine = app.create_group(&owner, "一班").await;
    let other = app.create_group(&owner, "二班").await;
    let inside = app
        .create_candidate(
            &owner,
            json!({ "account": "in1", "name": "组内", "password": PASSWORD, "group_ids": [mine] }),
        )
        .await;
    let outside = app
        .create_candidate(
            &owner,
            json!({ "account": "out1", "name": "组外", "password": PASSWORD, "group_ids": [other] }),
        )
        .await;
    let (status, admin_user) = post(
        &app,
        &owner,
        "/api/org/users",
        json!({
            "login_account": "teacher1", "display_name": "王老师", "password": PASSWORD,
            "role": "admin", "permissions": ["candidates:write"], "group_ids": [mine],
        }),
    )
    .await;
    assert_eq!(status, 201, "{admin_user}");
    let admin = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .expect("client");
    let (status, _) = post(
        &app,
        &admin,
        "/api/auth/login",
        json!({ "identifier": "teacher1", "password": PASSWORD }),
    )
    .await;
    assert_eq!(status, 200);

    let (_, page) = get(&app, &admin, "/api/candidates").await;
    assert_eq!(page["total"], 1);
    assert_eq!(page["items"][0]["id"], inside["id"]);
    let outside_path = format!("/api/candidates/{}", outside["id"].as_str().expect("id"));
    for method in [Method::GET, Method::DELETE] {
        let (status, _) = app
            .send_json(&admin, method, &outside_path, &Value::Null)
            .await;
        assert_eq!(status, 404, "outside the admin's groups");
    }
    // New candidates must go into the admin's groups.
    let (status, _) = post(
        &app,
        &admin,
        "/api/candidates",
        json!({ "account": "new1", "name": "新生", "password": PASSWORD, "group_ids": [other] }),
    )
    .await;
    assert_eq!(status, 422);
    let (status, _) = post(
        &app,
        &admin,
        "/api/candidates",
        json!({ "account": "new1", "name": "新生", "password": PASSWORD, "group_ids": [mine] }),
    )
    .await;
    assert_eq!(status, 201);
    // They see only their groups and cannot widen their scope.
    let (_, groups) = get(&app, &admin, "/api/candidate-groups").await;
    assert_eq!(groups.as_array().map(Vec::len), Some(1));
    let (status, _) = post(
        &app,
        &admin,
        "/api/candidate-groups",
        json!({ "name": "三班" }),
    )
    .await;
    assert_eq!(status, 403);
    // Modules they were not given are closed.
    for path in ["/api/audit", "/api/org/users", "/api/api-keys"] {
        let (status, _) = get(&app, &admin, path).await;
        assert_eq!(status, 403, "{path}");
    }
}
