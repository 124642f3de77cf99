//! Every JSON body the API accepts is an object. serde reads a struct from a JSON array too
//! (its fields in order), so without this `PATCH /api/org` with `["Renamed"]` would rename the
//! organisation; an integrator's mistake must get a clear 400 instead. The body is buffered up
//! to the JSON limit (what the `Json` extractor would read anyway) and handed on unchanged.

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
        req.set_payload(bytes.into());
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
}
