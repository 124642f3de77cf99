//! What the server answers to every operation of a kind, written into the document once
//! instead of into each annotation: the OpenAPI document is the integrators' contract, and a
//! generated client must not meet a status, header or format the document does not name.
//!
//! - a protected operation can answer 401 (`unauthorized`); a console operation (session or
//!   API key), 429 (`rate_limited`, with `Retry-After`);
//! - a cookie-authenticated change (POST/PUT/PATCH/DELETE) needs the `X-ExamCloud-CSRF: 1`
//!   header (a parameter here) and otherwise answers 403 `csrf_rejected`;
//! - a JSON body can be refused with 400 (`invalid_json`: not a JSON object of the shape),
//!   413 (`payload_too_large`) and 415 (`unsupported_media_type`);
//! - path ids are UUIDs (`format: uuid`), and a malformed one or a malformed query answers 400
//!   (`bad_request`); an operation on a path with parameters can answer 404 (`not_found`);
//! - a body or a response that is not JSON is a string: `format: binary` unless its media type
//!   is text (utoipa writes raw bytes as an array of integers, which no client sends);
//! - where an operation takes an API key or a session, the API key is listed first (the
//!   integrators' way in; the session is the SPA's).
//!
//! Responses an annotation already documents are kept as written.

use serde_json::{Map, Value, json};

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];
const CHANGES: [&str; 4] = ["post", "put", "patch", "delete"];
const COOKIE_SCHEMES: [&str; 4] = [
    "session_cookie",
    "refresh_cookie",
    "portal_cookie",
    "portal_refresh_cookie",
];

pub(super) fn apply(doc: &mut Value) {
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for item in paths.values_mut() {
        for method in METHODS {
            if let Some(op) = item.get_mut(method).and_then(Value::as_object_mut) {
                operation(method, op);
            }
        }
    }
}

fn operation(method: &str, op: &mut Map<String, Value>) {
    api_key_first(op);
    for kind in ["requestBody", "responses"] {
        if let Some(v) = op.get_mut(kind) {
            strings_for_files(v);
        }
    }
    let schemes: Vec<String> = op
        .get("security")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .flat_map(|req| req.keys().cloned())
        .collect();
    let params = op
        .get_mut("parameters")
        .and_then(Value::as_array_mut)
        .map(std::mem::take)
        .unwrap_or_default();
    let mut params: Vec<Value> = params.into_iter().map(uuid_format).collect();
    let has = |params: &[Value], place: &str| params.iter().any(|p| p["in"] == place);
    let (in_path, in_query) = (has(&params, "path"), has(&params, "query"));
    let cookie = schemes.iter().any(|s| COOKIE_SCHEMES.contains(&s.as_str()));
    if cookie && CHANGES.contains(&method) {
        // No `enum`: with an API key the header means nothing and any value passes, so a
        // schema naming only `1` would call valid requests invalid.
        params.push(json!({
            "name": "X-ExamCloud-CSRF",
            "in": "header",
            "required": false,
            "description": "`1`. Required when the request carries a session cookie (not with an \
                API key alone): without it the change is refused with 403 `csrf_rejected`.",
            "schema": { "type": "string" },
            "example": "1"
        }));
    }
    if !params.is_empty() {
        op.insert("parameters".to_owned(), Value::Array(params));
    }
    let json_body = op
        .get("requestBody")
        .and_then(|b| b.get("content"))
        .and_then(Value::as_object)
        .is_some_and(|c| c.contains_key("application/json"));
    let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) else {
        return;
    };
    if json_body {
        add(
            responses,
            "400",
            "`invalid_json`: the body is not a JSON object of the documented shape (an array or \
             a scalar is refused too); `details.reason` says where.",
        );
        add(
            responses,
            "413",
            "`payload_too_large`: the body is larger than this endpoint accepts.",
        );
        add(
            responses,
            "415",
            "`unsupported_media_type`: the body is not `application/json`.",
        );
    }
    if in_path || in_query {
        add(
            responses,
            "400",
            "`bad_request`: a path id that is not a UUID, or a query parameter that does not parse.",
        );
    }
    if in_path {
        add(
            responses,
            "404",
            "`not_found`: nothing with this id (or slug, code, token) is visible to the caller.",
        );
    }
    if !schemes.is_empty() {
        add(
            responses,
            "401",
            "`unauthorized`: not signed in, the session expired, or the API key is unknown, \
             revoked, expired or its creator no longer holds it.",
        );
    }
    if cookie && CHANGES.contains(&method) {
        let csrf = "`csrf_rejected`: a change made with a session cookie came without the \
                    `X-ExamCloud-CSRF: 1` header or from another site.";
        match responses.get_mut("403") {
            Some(existing) => {
                if let Some(d) = existing.get("description").and_then(Value::as_str) {
                    let joined = format!("{d} Or {csrf}");
                    existing["description"] = Value::String(joined);
                }
            }
            None => add(responses, "403", csrf),
        }
    }
    // The console's scope extractor takes an API key wherever it takes a session, so a key
    // past its rate limit can meet 429 on any console operation.
    if schemes
        .iter()
        .any(|s| s == "api_key" || s == "session_cookie")
    {
        add(
            responses,
            "429",
            "`rate_limited`: the API key's requests per minute are used up; see `Retry-After`.",
        );
    }
}

/// Lists the API key before the session where an operation takes either: to a reader (and a
/// tool that tries the first) the key is the integrators' way in.
fn api_key_first(op: &mut Map<String, Value>) {
    if let Some(Value::Array(security)) = op.get_mut("security") {
        security.sort_by_key(|req| req.get("api_key").is_none());
    }
}

/// Every non-JSON body in `content` (a request body or each response) becomes a string:
/// `format: binary` unless the media type is text.
fn strings_for_files(v: &mut Value) {
    let contents: Vec<&mut Value> = if v.get("content").is_some() {
        vec![v]
    } else {
        v.as_object_mut()
            .into_iter()
            .flat_map(|m| m.values_mut())
            .collect()
    };
    for holder in contents {
        let Some(content) = holder.get_mut("content").and_then(Value::as_object_mut) else {
            continue;
        };
        for (media, entry) in content.iter_mut() {
            if media.contains("json") {
                continue;
            }
            let schema = if media.starts_with("text/") {
                json!({ "type": "string" })
            } else {
                json!({ "type": "string", "format": "binary" })
            };
            if let Some(entry) = entry.as_object_mut() {
                entry.insert("schema".to_owned(), schema);
            }
        }
    }
}

/// A path id (`id`, `…_id`) is a UUID.
fn uuid_format(mut param: Value) -> Value {
    let name = param["name"].as_str().unwrap_or_default();
    let is_id = param["in"] == "path" && (name == "id" || name.ends_with("_id"));
    if is_id && param["schema"]["type"] == "string" {
        param["schema"]["format"] = Value::String("uuid".to_owned());
    }
    param
}

/// Adds the response `status` unless the operation documents it already.
fn add(responses: &mut Map<String, Value>, status: &str, description: &str) {
    responses.entry(status.to_owned()).or_insert_with(|| {
        json!({
            "description": description,
            "content": { "application/json": { "schema": { "$ref": "#/components/schemas/ErrorBody" } } }
        })
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_documents_what_the_server_answers() {
        let doc = super::super::document();
        let mut checked = 0;
        for (path, item) in doc["paths"].as_object().into_iter().flatten() {
            for method in METHODS {
                let op = &item[method];
                if !op.is_object() {
                    continue;
                }
                checked += 1;
                let secured = op["security"].as_array().is_some_and(|s| !s.is_empty());
                if secured {
                    assert!(
                        op["responses"]["401"].is_object(),
                        "{method} {path}: no 401"
                    );
                }
                for p in op["parameters"].as_array().into_iter().flatten() {
                    let name = p["name"].as_str().unwrap_or_default();
                    if p["in"] == "path" && (name == "id" || name.ends_with("_id")) {
                        assert_eq!(p["schema"]["format"], "uuid", "{method} {path} {name}");
                    }
                }
                if op["requestBody"]["content"]["application/json"].is_object() {
                    for status in ["400", "413", "415"] {
                        assert!(
                            op["responses"][status].is_object(),
                            "{method} {path}: {status}"
                        );
                    }
                }
            }
        }
        assert!(checked > 100, "{checked}");
    }
}
