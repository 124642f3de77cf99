//! CSRF protection for cookie-authenticated changes: an unsafe request (POST, PUT, PATCH,
//! DELETE) under `/api` that carries a session cookie must come from our own pages — the
//! browser's `Sec-Fetch-Site` (when sent) says `same-origin`, `Origin` (when sent) is this
//! host — and must carry the `X-ExamCloud-CSRF` header, which a cross-site form cannot set and
//! a cross-site script cannot send without a CORS preflight we never grant.

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{Method, header};
use actix_web::middleware::Next;

use super::cookies;
use crate::errors::ApiError;

pub const CSRF_HEADER: &str = "x-examcloud-csrf";

pub async fn csrf_guard(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    if needs_check(&req) && !passes(&req) {
        tracing::warn!("rejected a cookie-authenticated request failing the CSRF check");
        let (http_req, _) = req.into_parts();
        // `from_error` attaches the error, so the envelope middleware renders its code.
        let res = actix_web::HttpResponse::from_error(ApiError::CsrfRejected);
        return Ok(ServiceResponse::new(http_req, res).map_into_right_body());
    }
    next.call(req)
        .await
        .map(ServiceResponse::map_into_left_body)
}

fn needs_check(req: &ServiceRequest) -> bool {
    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let api = req.path().starts_with("/api/");
    let has_session = cookies::ALL.iter().any(|name| req.cookie(name).is_some());
    unsafe_method && api && has_session
}

fn passes(req: &ServiceRequest) -> bool {
    let headers = req.headers();
    let header_ok = headers
        .get(CSRF_HEADER)
        .is_some_and(|v| v.as_bytes() == b"1");
    let fetch_site_ok = headers
        .get("sec-fetch-site")
        .is_none_or(|v| matches!(v.as_bytes(), b"same-origin" | b"none"));
    let origin_ok = match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        None => true,
        Some(origin) => {
            let host = headers
                .get(header::HOST)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            url::Url::parse(origin).ok().is_some_and(|url| {
                let authority = match (url.host_str(), url.port()) {
                    (Some(h), Some(p)) => format!("{h}:{p}"),
                    (Some(h), None) => h.to_owned(),
                    _ => return false,
                };
                authority.eq_ignore_ascii_case(host)
            })
        }
    };
    header_ok && fetch_site_ok && origin_ok
}
