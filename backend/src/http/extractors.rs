//! Extractor configuration: body size limits and the mapping of extractor failures to
//! [`ApiError`], so a bad body, path or query gets the standard envelope and a stable code.

use actix_web::error::{JsonPayloadError, PathError, QueryPayloadError};
use actix_web::web;

use crate::errors::ApiError;

/// JSON bodies: at most `limit` bytes, `application/json` (or `+json`) only.
pub fn json_config(limit: usize) -> web::JsonConfig {
    web::JsonConfig::default()
        .limit(limit)
        .error_handler(|err, _req| {
            let api = match err {
                JsonPayloadError::ContentType => ApiError::UnsupportedMediaType,
                JsonPayloadError::Overflow { limit }
                | JsonPayloadError::OverflowKnownLength { limit, .. } => {
                    ApiError::PayloadTooLarge { limit }
                }
                JsonPayloadError::Deserialize(e) => ApiError::InvalidJson {
                    detail: e.to_string(),
                },
                JsonPayloadError::Serialize(e) => ApiError::Internal(anyhow::Error::new(e)),
                other => ApiError::BadRequest {
                    detail: other.to_string(),
                },
            };
            api.into()
        })
}

pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|err: PathError, _req| {
        ApiError::BadRequest {
            detail: err.to_string(),
        }
        .into()
    })
}

pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|err: QueryPayloadError, _req| {
        ApiError::BadRequest {
            detail: err.to_string(),
        }
        .into()
    })
}

#[cfg(test)]
mod tests {
    use actix_web::middleware::from_fn;
    use actix_web::{App, HttpResponse, test, web};
    use shared::{ErrorBody, ErrorCode};

    use super::*;
    use crate::http::{error_envelope, request_id};

    async fn echo(body: web::Json<serde_json::Value>) -> HttpResponse {
        HttpResponse::Ok().json(body.into_inner())
    }

    macro_rules! app {
        () => {
            test::init_service(
                App::new()
                    .wrap(from_fn(error_envelope))
                    .wrap(from_fn(request_id))
                    .app_data(json_config(64))
                    .route("/echo", web::post().to(echo)),
            )
            .await
        };
    }

    #[actix_web::test]
    async fn wrong_content_type_is_415_with_the_envelope() {
        let app = app!();
        let req = test::TestRequest::post()
            .uri("/echo")
            .insert_header(("content-type", "text/plain"))
            .insert_header(("accept-language", "en"))
            .set_payload("{}")
            .to_request();
        let res = test::call_service(&app, req).await;
        assert_eq!(res.status().as_u16(), 415);
        let body: ErrorBody = test::read_body_json(res).await;
        assert_eq!(body.code, ErrorCode::UnsupportedMediaType);
        assert!(body.message.contains("application/json"));
        assert!(!body.request_id.is_empty());
    }

    #[actix_web::test]
    async fn oversized_body_is_413_and_malformed_json_is_400() {
        let app = app!();
        let big = format!("{{\"a\":\"{}\"}}", "x".repeat(200));
        let req = test::TestRequest::post()
            .uri("/echo")
            .insert_header(("content-type", "application/json"))
            .set_payload(big)
            .to_request();
        let res = test::call_service(&app, req).await;
        assert_eq!(res.status().as_u16(), 413);
        let body: ErrorBody = test::read_body_json(res).await;
        assert_eq!(body.code, ErrorCode::PayloadTooLarge);
        assert_eq!(body.details, Some(serde_json::json!({"limit_bytes": 64})));

        let req = test::TestRequest::post()
            .uri("/echo")
            .insert_header(("content-type", "application/json"))
            .insert_header(("accept-language", "zh-CN"))
            .set_payload("{\"a\":")
            .to_request();
        let res = test::call_service(&app, req).await;
        assert_eq!(res.status().as_u16(), 400);
        let body: ErrorBody = test::read_body_json(res).await;
        assert_eq!(body.code, ErrorCode::InvalidJson);
        assert!(body.message.contains("JSON"));

        let req = test::TestRequest::post()
            .uri("/echo")
            .insert_header(("content-type", "application/json"))
            .set_payload("{\"ok\":true}")
            .to_request();
        let res = test::call_service(&app, req).await;
        assert_eq!(res.status().as_u16(), 200);
    }
}
