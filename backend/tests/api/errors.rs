//! The error envelope: one JSON shape, a stable code, a localised message, the request id.

use shared::{ErrorBody, ErrorCode};

use crate::helpers::spawn_app;

#[tokio::test]
async fn unknown_api_routes_get_a_json_404_with_the_request_id_of_the_header() {
    let app = spawn_app().await;
    let res = app.get("/api/no-such-thing").await;
    assert_eq!(res.status(), 404);
    assert_eq!(res.headers()["content-type"], "application/json");
    let header_id = res.headers()["x-request-id"]
        .to_str()
        .expect("ascii")
        .to_owned();
    let body: ErrorBody = res.json().await.expect("envelope");
    assert_eq!(body.code, ErrorCode::NotFound);
    assert_eq!(body.request_id, header_id);
    assert!(!body.request_id.is_empty());
}

#[tokio::test]
async fn messages_follow_accept_language() {
    let app = spawn_app().await;
    let get = |lang: &'static str| {
        app.client
            .get(app.url("/api/nothing"))
            .header("accept-language", lang)
            .send()
    };
    let en: ErrorBody = get("en-US,en;q=0.9")
        .await
        .expect("en")
        .json()
        .await
        .expect("json");
    let zh: ErrorBody = get("zh-CN,zh;q=0.9")
        .await
        .expect("zh")
        .json()
        .await
        .expect("json");
    assert_eq!(en.code, zh.code);
    assert_eq!(en.message, "The requested resource does not exist.");
    assert_eq!(zh.message, "请求的资源不存在。");
    // No header: the product's primary language.
    let default: ErrorBody = app.get("/api/nothing").await.json().await.expect("json");
    assert_eq!(default.message, zh.message);
}

#[tokio::test]
async fn a_wrong_method_gets_405_in_the_envelope() {
    let app = spawn_app().await;
    let res = app
        .client
        .post(app.url("/api/health"))
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), 405);
    let body: ErrorBody = res.json().await.expect("envelope");
    assert_eq!(body.code, ErrorCode::MethodNotAllowed);
}

#[tokio::test]
async fn a_sane_incoming_request_id_is_kept_and_a_hostile_one_replaced() {
    let app = spawn_app().await;
    let res = app
        .client
        .get(app.url("/api/health"))
        .header("x-request-id", "lb-1234.abc_DEF")
        .send()
        .await
        .expect("get");
    assert_eq!(res.headers()["x-request-id"], "lb-1234.abc_DEF");
    let hostile = "x".repeat(65);
    let res = app
        .client
        .get(app.url("/api/health"))
        .header("x-request-id", &hostile)
        .send()
        .await
        .expect("get");
    let id = res.headers()["x-request-id"].to_str().expect("ascii");
    assert_ne!(id, hostile);
    assert!(uuid::Uuid::parse_str(id).is_ok(), "{id}");
}
