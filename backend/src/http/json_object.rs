//! Every JSON body the API accepts is an object. serde reads a struct from a JSON array too
//! (its fields in order), so without this `PATCH /api/org` with `["Renamed"]` would rename the
//! organisation; an integrator's mistake must get a clear 400 instead. The body is buffered up
//! to the JSON limit (what the `Json` extractor would read anyway) and handed on unchanged,
//! except for integral numbers written as floats: JSON has one number type, so to JSON Schema
//! (and the OpenAPI document's `type: integer`) `30.0` is the integer 30, which serde would
//! refuse for an integer field. Those are handed on as integers.

use actix_web::body::{BodyStream, EitherBody, MessageBody, to_bytes_limited};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{Method, header};
use actix_web::middleware::Next;
use actix_web::{HttpMessage, web};

use crate::errors::ApiError;
use crate::state::AppState;

/// The JSON limit when the app carries no settings (unit tests of other middleware).
const DEFAULT_LIMIT: usize = 256 * 1024;

pub async fn json_objects_only(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    if has_json_body(&req) {
        let limit = req
            .app_data::<web::Data<AppState>>()
            .map_or(DEFAULT_LIMIT, |s| s.settings.server.json_limit_bytes);
        let bytes = match to_bytes_limited(BodyStream::new(req.take_payload()), limit).await {
            Ok(Ok(bytes)) => bytes,
            Ok(Err(e)) => return Err(e.into()),
            Err(_) => return Ok(refuse(req, ApiError::PayloadTooLarge { limit })),
        };
        if !is_object(&bytes) {
            let detail = "the body must be a JSON object".to_owned();
            return Ok(refuse(req, ApiError::InvalidJson { detail }));
        }
        req.set_payload(integral_numbers(bytes).into());
    }
    next.call(req)
        .await
        .map(ServiceResponse::map_into_left_body)
}

/// Whether the body's first non-blank byte opens an object. An empty body and a bare `null`
/// (what clients send to operations that take no body) pass: an operation that wants an
/// object refuses them in its extractor as before.
fn is_object(body: &[u8]) -> bool {
    let trimmed = body.trim_ascii();
    trimmed.is_empty() || trimmed == b"null" || trimmed.first() == Some(&b'{')
}

/// The body with every float that is a whole number (below 2^63 in size) written as an
/// integer; the body as it came when it has none or is not JSON (the extractor reports that).
fn integral_numbers(body: web::Bytes) -> web::Bytes {
    // Every float is written with a `.` or an exponent; most bodies have neither.
    if !body.iter().any(|b| matches!(b, b'.' | b'e' | b'E')) {
        return body;
    }
    let Ok(mut value) = serde_json::from_slice::<serde_json::Value>(&body) else {
        return body;
    };
    if !make_integral(&mut value) {
        return body;
    }
    serde_json::to_vec(&value).map_or(body, web::Bytes::from)
}

/// Rewrites whole-number floats in `value` as integers; whether it changed anything.
fn make_integral(value: &mut serde_json::Value) -> bool {
    use serde_json::Value;
    /// 2^63: every whole float below it in size is exactly an `i64`.
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    match value {
        Value::Number(n) => match n.as_f64() {
            Some(f) if n.is_f64() && f.fract() == 0.0 && f.abs() < LIMIT => {
                // Exact: `f` is whole and within the range of `i64`.
                *value = Value::from(f as i64);
                true
            }
            _ => false,
        },
        Value::Array(items) => items
            .iter_mut()
            .fold(false, |changed, v| make_integral(v) | changed),
        Value::Object(map) => map
            .values_mut()
            .fold(false, |changed, v| make_integral(v) | changed),
        _ => false,
    }
}

fn has_json_body(req: &ServiceRequest) -> bool {
    let with_body = matches!(
        *req.method(),
        Method::POST | Method::PUT | Method::PATCH | Method::DELETE
    );
    let json = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .is_some_and(|v| v == "application/json" || v.ends_with("+json"));
    with_body && json && req.path().starts_with("/api/")
}

fn refuse<B>(req: ServiceRequest, error: ApiError) -> ServiceResponse<EitherBody<B>> {
    let (http_req, _) = req.into_parts();
    // `from_error` attaches the error, so the envelope middleware renders its code.
    let res = actix_web::HttpResponse::from_error(error);
    ServiceResponse::new(http_req, res).map_into_right_body()
}

#[cfg(test)]
mod tests {
    use actix_web::middleware::from_fn;
    use actix_web::{App, HttpResponse, test, web};
    use serde::Deserialize;
    use shared::ErrorBody;

    use super::*;
    use crate::http::{error_envelope, json_config, request_id};

    #[derive(Deserialize)]
    struct Rename {
        name: String,
    }

    async fn rename(body: web::Json<Rename>) -> HttpResponse {
        HttpResponse::Ok().body(body.into_inner().name)
    }

    #[actix_web::test]
    async fn an_array_is_refused_where_an_object_is_expected_and_an_object_passes() {
        let app = test::init_service(
            App::new()
                .wrap(from_fn(json_objects_only))
                .wrap(from_fn(error_envelope))
                .wrap(from_fn(request_id))
                .app_data(json_config(1024))
                .route("/api/org", web::patch().to(rename)),
        )
        .await;
        for body in [r#"["Renamed"]"#, " \n[\"Renamed\"]", "\"Renamed\"", "42"] {
            let req = test::TestRequest::patch()
                .uri("/api/org")
                .insert_header(("content-type", "application/json"))
                .set_payload(body)
                .to_request();
            let res = test::call_service(&app, req).await;
            assert_eq!(res.status(), 400, "{body}");
            let err: ErrorBody = test::read_body_json(res).await;
            assert_eq!(err.code, shared::ErrorCode::InvalidJson, "{body}");
        }
        let req = test::TestRequest::patch()
            .uri("/api/org")
            .insert_header(("content-type", "application/json; charset=utf-8"))
            .set_payload(r#" {"name":"Renamed"}"#)
            .to_request();
        let res = test::call_service(&app, req).await;
        assert_eq!(res.status(), 200);
        assert_eq!(test::read_body(res).await, "Renamed");
    }

    // `test` here is actix-web's module and attribute; this one is synchronous.
    #[::core::prelude::v1::test]
    fn whole_floats_become_integers_and_everything_else_is_kept() {
        let read = |s: &str| {
            let out = integral_numbers(web::Bytes::copy_from_slice(s.as_bytes()));
            String::from_utf8(out.to_vec()).unwrap_or_default()
        };
        assert_eq!(read(r#"{"minutes":30.0}"#), r#"{"minutes":30}"#);
        assert_eq!(
            read(r#"{"a":[1.0e2,-2.0],"b":{"c":0.0}}"#),
            r#"{"a":[100,-2],"b":{"c":0}}"#
        );
        // Nothing to rewrite: the bytes pass untouched (spacing, key order, duplicates).
        for kept in [
            r#"{"b": 1, "a": 2.5}"#,
            r#"{"name": "3.0 e"}"#,
            r#"{"big": 1e30}"#,
            r#"{"a": 1, "a": 2}"#,
            "{not json",
        ] {
            assert_eq!(read(kept), kept);
        }
    }
}
