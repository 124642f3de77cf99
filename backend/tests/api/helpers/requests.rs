//! Request helpers: JSON calls as a given client (a signed-in owner, admin or candidate, or
//! an anonymous one) answering the status code and the JSON body, raw uploads, and readers of
//! the parts of an answer that tests look at.

use chrono::{Duration, Utc};
use reqwest::{Client, Method, StatusCode};
use serde_json::{Value, json};

use super::{CSRF, TestApp};

/// Sends `body` as JSON to `url` with the anti-CSRF header; answers the status and the JSON
/// body (`Null` when there is none). For servers other than a [`TestApp`] (a child process).
pub async fn request(
    client: &Client,
    method: Method,
    url: &str,
    body: &Value,
) -> (StatusCode, Value) {
    let res = client
        .request(method, url)
        .header(CSRF.0, CSRF.1)
        .json(body)
        .send()
        .await
        .expect("request");
    let status = res.status();
    let text = res.text().await.expect("body");
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// `method path` as `client` with `body` as JSON; answers the status code and the JSON body.
pub async fn send(
    app: &TestApp,
    client: &Client,
    method: Method,
    path: &str,
    body: Value,
) -> (u16, Value) {
    let (status, json) = request(client, method, &app.url(path), &body).await;
    (status.as_u16(), json)
}

pub async fn get(app: &TestApp, client: &Client, path: &str) -> (u16, Value) {
    send(app, client, Method::GET, path, Value::Null).await
}

pub async fn post(app: &TestApp, client: &Client, path: &str, body: Value) -> (u16, Value) {
    send(app, client, Method::POST, path, body).await
}

pub async fn put(app: &TestApp, client: &Client, path: &str, body: Value) -> (u16, Value) {
    send(app, client, Method::PUT, path, body).await
}

pub async fn delete(app: &TestApp, client: &Client, path: &str) -> (u16, Value) {
    send(app, client, Method::DELETE, path, Value::Null).await
}

/// POSTs raw bytes (an upload or an import) with the anti-CSRF header; answers the status code
/// and the JSON body.
pub async fn post_bytes(
    app: &TestApp,
    client: &Client,
    path: &str,
    content_type: &str,
    body: Vec<u8>,
) -> (u16, Value) {
    let res = client
        .post(app.url(path))
        .header(CSRF.0, CSRF.1)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .expect("upload");
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// The content type of an xlsx workbook.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A workbook with these rows (the first is usually the header), every cell as text; empty
/// cells are left out.
pub fn xlsx<'a, R: AsRef<[&'a str]>>(rows: &[R]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.as_ref().iter().enumerate() {
            if !cell.is_empty() {
                let (r, c) = (
                    u32::try_from(r).expect("row"),
                    u16::try_from(c).expect("column"),
                );
                sheet.write_string(r, c, *cell).expect("cell");
            }
        }
    }
    book.save_to_buffer().expect("xlsx")
}

/// A client that keeps cookies (a browser), signed in as nobody yet.
pub fn cookie_client() -> Client {
    Client::builder()
        .cookie_store(true)
        .build()
        .expect("client")
}

/// Creates a question bank named `name`; answers its id.
pub async fn create_bank(app: &TestApp, owner: &Client, name: &str) -> String {
    let (status, bank) = post(app, owner, "/api/question-banks", json!({ "name": name })).await;
    assert_eq!(status, 201, "creating bank {name}: {bank}");
    id(&bank)
}

/// The `id` of a created or read resource.
pub fn id(v: &Value) -> String {
    v["id"].as_str().expect("id").to_owned()
}

/// RFC 3339 time `minutes_from_now` (negative: in the past).
pub fn at(minutes_from_now: i64) -> String {
    (Utc::now() + Duration::minutes(minutes_from_now)).to_rfc3339()
}

/// The `details.reason` of an error answer (empty if it has none).
pub fn reason(v: &Value) -> String {
    v["details"]["reason"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// The field errors of a 422 answer as `field:reason`.
pub fn fields(v: &Value) -> Vec<String> {
    v["details"]["fields"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|f| {
                    format!(
                        "{}:{}",
                        f["field"].as_str().unwrap_or(""),
                        f["reason"].as_str().unwrap_or("")
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}
