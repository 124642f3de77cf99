//! A JSON array where an object belongs: serde reads a struct's fields from an array in order,
//! so `["Renamed"]` used to rename the organisation. Every JSON body must be an object.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{get, send, spawn_app};

#[tokio::test]
async fn a_json_array_or_scalar_body_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let owner = app.register_org("数组攻击单位", "arrays@example.com").await;
    for body in [json!(["Renamed"]), json!("Renamed"), json!(42)] {
        let (status, err) = send(&app, &owner, Method::PATCH, "/api/org", body.clone()).await;
        assert_eq!(status, 400, "{body}: {err}");
        assert_eq!(err["code"], "invalid_json", "{err}");
        assert!(
            err.to_string().contains("JSON object"),
            "the error says what is wrong: {err}"
        );
    }
    let (status, org): (_, Value) = get(&app, &owner, "/api/org").await;
    assert_eq!(status, 200, "{org}");
    assert_eq!(org["name"], "数组攻击单位", "{org}");
    // An object still works.
    let (status, org) = send(
        &app,
        &owner,
        Method::PATCH,
        "/api/org",
        json!({ "name": "改名单位" }),
    )
    .await;
    assert_eq!(status, 200, "{org}");
    assert_eq!(org["name"], "改名单位", "{org}");
}
