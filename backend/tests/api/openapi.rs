//! The OpenAPI document: served, rendered by Swagger UI, and equal to the committed file.

use std::path::Path;

use serde_json::{Value, json};

use crate::helpers::{CSRF, spawn_app};

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

/// The operations of the document: (method, path, operation).
fn operations(doc: &Value) -> Vec<(String, String, Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for (method, op) in item.as_object().into_iter().flatten() {
            out.push((method.clone(), path.clone(), op.clone()));
        }
    }
    out
}

fn schemes(op: &Value) -> Vec<String> {
    op["security"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .flat_map(|req| req.keys().cloned())
        .collect()
}

fn enum_of(doc: &Value, schema: &str) -> Vec<String> {
    doc["components"]["schemas"][schema]["enum"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect()
}

/// `schema` with its reference followed.
fn deref<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(r) => &doc["components"]["schemas"][r.rsplit('/').next().unwrap_or_default()],
        None => schema,
    }
}

/// The smallest value of the shape `schema` describes (required properties only, empty
/// arrays, the first alternative): what the handler's extractor reads without complaint.
fn sample(doc: &Value, schema: &Value) -> Value {
    let schema = deref(doc, schema);
    let alternatives = schema["oneOf"].as_array().into_iter().flatten();
    if let Some(first) = alternatives.clone().find(|s| s["type"] != "null") {
        return sample(doc, first);
    }
    if let Some(first) = schema["enum"].as_array().and_then(|e| e.first()) {
        return first.clone();
    }
    let ty = match &schema["type"] {
        Value::String(t) => t.as_str(),
        Value::Array(types) => types
            .iter()
            .filter_map(Value::as_str)
            .find(|t| *t != "null")
            .unwrap_or("null"),
        _ if schema["properties"].is_object() => "object",
        _ => "string",
    };
    match ty {
        "object" => {
            let mut out = serde_json::Map::new();
            for name in schema["required"].as_array().into_iter().flatten() {
                let name = name.as_str().unwrap_or_default();
                out.insert(name.to_owned(), sample(doc, &schema["properties"][name]));
            }
            Value::Object(out)
        }
        "array" => json!([]),
        "integer" => schema["minimum"]
            .as_i64()
            .map_or(json!(1), |m| json!(m.max(1))),
        "number" => json!(1.0),
        "boolean" => json!(false),
        "null" => Value::Null,
        _ => json!("x"),
    }
}

/// A path with every parameter filled: ids are fresh UUIDs (nothing has them), `version` 1.
fn filled(path: &str) -> String {
    let mut out = String::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let end = rest[start..].find('}').map_or(rest.len(), |e| start + e);
        let value = match &rest[start + 1..end] {
            "version" => "1".to_owned(),
            _ => uuid::Uuid::now_v7().to_string(),
        };
        out.push_str(&value);
        rest = &rest[(end + 1).min(rest.len())..];
    }
    out.push_str(rest);
    out
}

#[tokio::test]
async fn an_operation_lists_the_api_key_exactly_where_a_key_gets_through() {
    let app = spawn_app().await;
    let owner = app
        .register_org("Contract School", "contract@example.com")
        .await;
    let doc = backend::openapi::document();
    let every_scope = enum_of(&doc, "ApiKeyScope");
    let scopes: Vec<&str> = every_scope.iter().map(String::as_str).collect();
    let (_, key) = app.create_api_key(&owner, &scopes).await;
    // No cookies: the key is the only credential.
    let plain = reqwest::Client::new();
    let mut checked = 0;
    for (method, path, op) in operations(&doc) {
        let schemes = schemes(&op);
        if !schemes
            .iter()
            .any(|s| s == "api_key" || s == "session_cookie")
        {
            continue;
        }
        let method = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).expect("method");
        let mut req = plain
            .request(method.clone(), app.url(&filled(&path)))
            .bearer_auth(&key);
        let content = op["requestBody"]["content"].as_object().cloned();
        match content {
            Some(c) if c.contains_key("application/json") => {
                req = req.json(&sample(&doc, &c["application/json"]["schema"]));
            }
            Some(c) => {
                let media = c.keys().next().cloned().unwrap_or_default();
                req = req.header("content-type", media).body(Vec::<u8>::new());
            }
            None => {}
        }
        let res = req.send().await.expect("request");
        let status = res.status().as_u16();
        let body: Value = res.json().await.unwrap_or(Value::Null);
        // Refused for who it is: unknown (401), or never allowed this (403 `forbidden`).
        let refused = status == 401 || (status == 403 && body["code"] == "forbidden");
        assert_eq!(
            schemes.iter().any(|s| s == "api_key"),
            !refused,
            "{method} {path}: a key with every scope got {status} {body}; the document's security \
             must list `api_key` exactly where a key gets through"
        );
        checked += 1;
    }
    assert!(checked > 80, "{checked}");
}

#[test]
fn files_are_strings_and_permissions_and_scopes_are_enumerations() {
    let doc = backend::openapi::document();
    let text = doc.to_string();
    // Every reference resolves (utoipa collects no schema that only a query parameter names).
    for reference in text.split("\"$ref\":\"").skip(1) {
        let name = reference
            .split('"')
            .next()
            .and_then(|r| r.strip_prefix("#/components/schemas/"))
            .unwrap_or_default();
        assert!(
            doc["components"]["schemas"][name].is_object(),
            "unresolvable reference to `{name}`"
        );
    }
    // utoipa's form of raw bytes: no client sends a file as an array of integers.
    assert!(
        !text.contains(r#""items":{"format":"int32","minimum":0,"type":"integer"}"#),
        "a byte array is left in the document"
    );
    let mut files = 0;
    for (method, path, op) in operations(&doc) {
        let mut contents: Vec<(String, Value)> = Vec::new();
        if let Some(c) = op["requestBody"]["content"].as_object() {
            contents.extend(c.iter().map(|(m, e)| (m.clone(), e.clone())));
        }
        for response in op["responses"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|r| r.1)
        {
            if let Some(c) = response["content"].as_object() {
                contents.extend(c.iter().map(|(m, e)| (m.clone(), e.clone())));
            }
        }
        for (media, entry) in contents.into_iter().filter(|(m, _)| !m.contains("json")) {
            let want = if media.starts_with("text/") {
                json!({ "type": "string" })
            } else {
                json!({ "type": "string", "format": "binary" })
            };
            assert_eq!(entry["schema"], want, "{method} {path} {media}");
            files += 1;
        }
    }
    assert!(files > 30, "{files}");

    use shared::access::{Level, Module, Permission};
    let all = |modules: &mut dyn Iterator<Item = Module>| -> Vec<String> {
        modules
            .flat_map(|m| [Level::Read, Level::Write].map(|l| Permission::new(m, l).to_string()))
            .collect()
    };
    assert_eq!(
        enum_of(&doc, "Permission"),
        all(&mut Module::ALL.into_iter())
    );
    assert_eq!(
        enum_of(&doc, "ApiKeyScope"),
        all(&mut Module::ALL.into_iter().filter(|m| m.for_api_keys()))
    );
    let schemas = &doc["components"]["schemas"];
    for (name, property, wanted) in [
        ("CreateApiKeyRequest", "scopes", "ApiKeyScope"),
        ("ApiKeyDto", "scopes", "ApiKeyScope"),
        ("CreateOrgUserRequest", "permissions", "Permission"),
        ("OrgUserDto", "permissions", "Permission"),
        ("MeResponse", "permissions", "Permission"),
    ] {
        assert_eq!(
            schemas[name]["properties"][property]["items"]["$ref"],
            format!("#/components/schemas/{wanted}"),
            "{name}.{property}"
        );
    }
    // Every scope an operation asks of a key is one a key can be given.
    let grantable = enum_of(&doc, "ApiKeyScope");
    for (method, path, op) in operations(&doc) {
        for req in op["security"].as_array().into_iter().flatten() {
            for scope in req["api_key"].as_array().into_iter().flatten() {
                let scope = scope.as_str().unwrap_or_default();
                assert!(
                    grantable.iter().any(|g| g == scope),
                    "{method} {path}: {scope}"
                );
            }
        }
    }
}

/// The media type a response came with, without parameters.
fn media_of(res: &reqwest::Response) -> String {
    res.headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_owned()
}

#[tokio::test]
async fn every_download_answers_with_a_media_type_its_operation_names() {
    let app = spawn_app().await;
    let owner = app
        .register_org("Download School", "downloads@example.com")
        .await;
    let doc = backend::openapi::document();
    let named = |path: &str, method: &str| -> Vec<String> {
        doc["paths"][path][method]["responses"]["200"]["content"]
            .as_object()
            .map(|c| c.keys().cloned().collect())
            .unwrap_or_default()
    };
    let (status, bank) = app
        .send_json(
            &owner,
            reqwest::Method::POST,
            "/api/question-banks",
            &json!({ "name": "Exports" }),
        )
        .await;
    assert_eq!(status, 201, "{bank}");
    let bank = bank["id"].as_str().expect("bank id").to_owned();
    let question = json!({
        "content": { "type": "single_choice", "stem": "<p>1 + 1 = ?</p>",
            "options": [{ "id": "A", "text": "1" }, { "id": "B", "text": "2" }], "answer": "B" },
        "points": 2, "difficulty": 1,
    });
    let path = format!("/api/question-banks/{bank}/questions");
    let (status, body) = app
        .send_json(&owner, reqwest::Method::POST, &path, &question)
        .await;
    assert_eq!(status, 201, "{body}");

    let mut seen = Vec::new();
    let export = format!("/api/question-banks/{bank}/export");
    for (format, check_only) in [
        ("xlsx", true),
        ("xlsx", false),
        ("csv", false),
        ("gift", false),
        ("aiken", false),
        ("moodle_xml", false),
        ("qti21", false),
        ("qti30", false),
    ] {
        let res = owner
            .post(app.url(&export))
            .header(CSRF.0, CSRF.1)
            .json(&json!({ "format": format, "check_only": check_only }))
            .send()
            .await
            .expect("export");
        assert_eq!(res.status(), 200, "{format}");
        seen.push(("/api/question-banks/{id}/export", "post", media_of(&res)));
    }
    for (url, path) in [
        (
            "/api/candidates/import/template?format=xlsx",
            "/api/candidates/import/template",
        ),
        (
            "/api/candidates/import/template?format=csv",
            "/api/candidates/import/template",
        ),
        (
            "/api/question-import/template?lang=en",
            "/api/question-import/template",
        ),
        ("/api/audit/export", "/api/audit/export"),
    ] {
        let res = owner.get(app.url(url)).send().await.expect("download");
        assert_eq!(res.status(), 200, "{url}");
        seen.push((path, "get", media_of(&res)));
    }
    // A file served as it was uploaded.
    let res = owner
        .post(app.url(&format!("/api/question-banks/{bank}/attachments")))
        .header(CSRF.0, CSRF.1)
        .header("content-type", "image/png")
        .body(crate::orgs::PNG.to_vec())
        .send()
        .await
        .expect("upload");
    assert_eq!(res.status(), 201);
    let attachment: Value = res.json().await.expect("attachment");
    let res = app.get(attachment["url"].as_str().expect("url")).await;
    seen.push(("/api/attachments/{id}", "get", media_of(&res)));
    let res = owner
        .put(app.url("/api/org/logo"))
        .header(CSRF.0, CSRF.1)
        .header("content-type", "image/png")
        .body(crate::orgs::PNG.to_vec())
        .send()
        .await
        .expect("logo");
    assert_eq!(res.status(), 200);
    let slug = app.slug_of(&owner).await;
    let res = app.get(&format!("/api/portal/{slug}/logo")).await;
    seen.push(("/api/portal/{slug}/logo", "get", media_of(&res)));

    for (path, method, media) in seen {
        assert!(
            named(path, method).contains(&media),
            "{method} {path} answered {media}, which its 200 does not name: {:?}",
            named(path, method)
        );
    }
}

#[tokio::test]
async fn a_whole_number_written_as_a_float_is_the_integer_the_document_allows() {
    let app = spawn_app().await;
    let owner = app.register_org("Float School", "floats@example.com").await;
    let key = |rate: Value| {
        json!({ "name": "float", "scopes": ["audit:read"], "rate_limit_per_minute": rate,
            "expires_in_days": 30.0 })
    };
    let (status, body) = app
        .send_json(
            &owner,
            reqwest::Method::POST,
            "/api/api-keys",
            &key(json!(600.0)),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["api_key"]["rate_limit_per_minute"], 600);
    // A fraction is still not an integer.
    let (status, body) = app
        .send_json(
            &owner,
            reqwest::Method::POST,
            "/api/api-keys",
            &key(json!(600.5)),
        )
        .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["code"], "invalid_json");
}
