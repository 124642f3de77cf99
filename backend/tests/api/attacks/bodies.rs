//! A JSON array where an object belongs: serde reads a struct's fields from an array in order,
//! so `["Renamed"]` used to rename the organisation. Every JSON body must be an object.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::spawn_app;

#[tokio::test]
async fn a_json_array_or_scalar_body_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let owner = app.register_org("数组攻击单位", "arrays@example.com").await;
    for body in [json!(["Renamed"]), json!("Renamed"), json!(42)] {
        let (status, err) = app
            .send_json(&owner, Method::PATCH, "/api/org", &body)
            .await;
        assert_eq!(status.as_u16(), 400, "{body}: {err}");
        assert_eq!(err["code"], "invalid_json", "{err}");
        assert!(
            err.to_string().contains("JSON object"),
            "the error says what is wrong: {err}"
        );
    }
    let (status, org): (_, Value) = app
        .send_json(&owner, Method::GET, "/api/org", &Value::Null)
        .await;
    assert_eq!(status.as_u16(), 200, "{org}");
    assert_eq!(org["name"], "数组攻击单位", "{org}");
    // An object still works.
    let (status, org) = app
        .send_json(
            &owner,
            Method::PATCH,
            "/api/org",
            &json!({ "name": "改名单位" }),
        )
        .await;
    assert_eq!(status.as_u16(), 200, "{org}");
    assert_eq!(org["name"], "改名单位", "{org}");
}
