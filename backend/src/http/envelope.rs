//! Renders every error response as the one JSON envelope `{code, message, details?, request_id}`
//! with the message in the caller's language, whether the error came from one of our handlers
//! ([`ApiError`]), from an extractor, or from actix itself (an unknown route, a wrong method).
//! Internal errors are logged here, once, with the request id; their text is never sent.

use actix_web::HttpMessage;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;
use shared::ErrorBody;

use crate::errors::{ApiError, code_for_status};
use crate::http::RequestId;

pub async fn error_envelope(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let lang = super::lang::request_lang(req.request());
    let request_id = req
        .extensions()
        .get::<RequestId>()
        .map(|id| id.0.clone())
        .unwrap_or_default();
    // Handlers' and extractors' errors arrive as responses with the error attached. (The
    // request must not be cloned before routing, so an `Err` from the inner service — which no
    // inner middleware of ours produces — is passed on as it is.)
    let res = next.call(req).await?.map_into_boxed_body();

    let status = res.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return Ok(res);
    }
    let attached = res.response().error();
    let has_body_type = res.headers().contains_key(header::CONTENT_TYPE);
    // A handler may deliberately answer an error status with its own JSON (the readiness
    // check's 503); only bodies that are errors or empty get the envelope.
    if attached.is_none() && has_body_type {
        return Ok(res);
    }
    let api_error = attached.and_then(|e| e.as_error::<ApiError>());
    let (code, details) = match api_error {
        Some(err) => (err.code(), err.details()),
        None => (code_for_status(status), None),
    };
    if status.is_server_error() {
        let internal = attached.map(ToString::to_string).unwrap_or_default();
        tracing::error!(request_id = %request_id, status = status.as_u16(), error = %internal, "request failed");
    } else if let Some(err) = attached {
        tracing::debug!(request_id = %request_id, status = status.as_u16(), error = %err, "request rejected");
    }
    let body = ErrorBody {
        code,
        message: code.message(lang).to_owned(),
        details,
        request_id,
    };
    let json = serde_json::to_string(&body).unwrap_or_else(|_| String::from("{}"));
    let mut res = res.map_body(|_, _| BoxBody::new(json));
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
}
