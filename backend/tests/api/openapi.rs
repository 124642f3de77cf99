//! The OpenAPI document: served, rendered by Swagger UI, and equal to the committed file.

use std::path::Path;

use crate::helpers::spawn_app;

#[tokio::test]
async fn the_committed_openapi_document_equals_the_served_one() {
    let app = spawn_app().await;
    let (status, served): (_, serde_json::Value) = app.get_json("/api/openapi.json").await;
    assert_eq!(status, 200);
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../openapi/openapi.json");
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    let generated = backend::openapi::document_json().expect("generate");
    assert!(
        committed == generated,
        "openapi/openapi.json is out of date: run `cargo xtask openapi` and commit the result"
    );
    let committed: serde_json::Value = serde_json::from_str(&committed).expect("committed JSON");
    assert_eq!(served, committed);
}

#[tokio::test]
async fn every_documented_operation_has_an_id_and_responses_and_answers() {
    let app = spawn_app().await;
    let doc: serde_json::Value = app.get_json("/api/openapi.json").await.1;
    let paths = doc["paths"].as_object().expect("paths");
    assert!(paths.contains_key("/api/health") && paths.contains_key("/api/ready"));
    for (path, item) in paths {
        for (method, op) in item.as_object().expect("path item") {
            assert!(
                op["operationId"].is_string(),
                "{method} {path} has no operationId"
            );
            assert!(
                op["responses"].as_object().is_some_and(|r| !r.is_empty()),
                "{method} {path}"
            );
            if method == "get" && !path.contains('{') {
                let status = app.get(path).await.status().as_u16();
                assert_ne!(status, 404, "documented {path} is not served");
            }
        }
    }
}

#[tokio::test]
async fn swagger_ui_is_served_at_api_docs() {
    let app = spawn_app().await;
    let res = app.get("/api/docs").await;
    assert_eq!(res.status(), 308);
    assert_eq!(res.headers()["location"], "/api/docs/");
    let res = app.get("/api/docs/").await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.expect("html");
    assert!(html.contains("swagger-ui"), "{html}");
    let init = app
        .get("/api/docs/swagger-initializer.js")
        .await
        .text()
        .await
        .expect("js");
    assert!(init.contains("/api/openapi.json"), "{init}");
}
