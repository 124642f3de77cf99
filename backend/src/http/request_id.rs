//! Gives every request an id (the caller's `X-Request-Id` when it is a sane token, otherwise a
//! new UUIDv7), echoes it in the response, and runs the request inside a tracing span that
//! carries it, so every log line of a request can be found from the id a user reports.
//! Secrets that travel in paths (open-link tokens, access codes) are replaced in the logged
//! path by `…` ([`loggable_path`]).

use std::time::Instant;

use actix_web::HttpMessage;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use tracing::Instrument;

pub const REQUEST_ID_HEADER: HeaderName = HeaderName::from_static("x-request-id");

/// The id of the current request, stored in the request's extensions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestId(pub String);

impl RequestId {
    /// Accepts an incoming id only if it is short and made of token characters, so it cannot
    /// inject anything into logs or headers.
    fn from_incoming(value: &HeaderValue) -> Option<RequestId> {
        let s = value.to_str().ok()?;
        let ok = (1..=64).contains(&s.len())
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
        ok.then(|| RequestId(s.to_owned()))
    }
}

/// Path segments that are secrets by position: the segment after `…/exams/open/` (an open
/// link's token, in the API and in the SPA's `/o/{slug}/open/{token}`), after
/// `…/exams/code/` (an access code) and after `/o/{slug}/open/`.
const SECRET_AFTER: [&[&str]; 3] = [&["exams", "open"], &["exams", "code"], &["o", "*", "open"]];

/// `path` with every secret segment replaced by `…`, for logs.
pub fn loggable_path(path: &str) -> std::borrow::Cow<'_, str> {
    let segments: Vec<&str> = path.split('/').collect();
    let mut secret = vec![false; segments.len()];
    for prefix in SECRET_AFTER {
        for start in 0..segments.len() {
            let end = start + prefix.len();
            if end < segments.len()
                && prefix
                    .iter()
                    .zip(&segments[start..end])
                    .all(|(want, got)| *want == "*" || want == got)
            {
                secret[end] = true;
            }
        }
    }
    if !secret.contains(&true) {
        return std::borrow::Cow::Borrowed(path);
    }
    let redacted: Vec<&str> = segments
        .iter()
        .zip(&secret)
        .map(|(s, hide)| if *hide && !s.is_empty() { "…" } else { s })
        .collect();
    std::borrow::Cow::Owned(redacted.join("/"))
}

pub async fn request_id(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let id = req
        .headers()
        .get(&REQUEST_ID_HEADER)
        .and_then(RequestId::from_incoming)
        .unwrap_or_else(|| RequestId(uuid::Uuid::now_v7().to_string()));
    req.extensions_mut().insert(id.clone());
    // The path, never the query string: queries may carry search terms with personal data.
    let span = tracing::info_span!(
        "http",
        request_id = %id.0,
        method = %req.method(),
        path = %loggable_path(req.path()),
    );
    let started = Instant::now();
    let mut res = next.call(req).instrument(span.clone()).await?;
    if let Ok(value) = HeaderValue::from_str(&id.0) {
        res.headers_mut().insert(REQUEST_ID_HEADER, value);
    }
    span.in_scope(|| {
        tracing::info!(
            status = res.status().as_u16(),
            duration_ms = started.elapsed().as_millis() as u64,
            "request finished"
        );
    });
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::loggable_path;

    #[test]
    fn open_link_tokens_and_access_codes_never_reach_the_log() {
        for (path, logged) in [
            (
                "/api/portal/acme/exams/open/tok3nSECRET",
                "/api/portal/acme/exams/open/…",
            ),
            (
                "/api/portal/acme/exams/open/tok3nSECRET/register",
                "/api/portal/acme/exams/open/…/register",
            ),
            (
                "/api/portal/acme/exams/code/123456/register",
                "/api/portal/acme/exams/code/…/register",
            ),
            ("/o/acme/open/tok3nSECRET", "/o/acme/open/…"),
            (
                "/api/exams/0196f1e2/open-link",
                "/api/exams/0196f1e2/open-link",
            ),
            ("/api/candidates", "/api/candidates"),
            ("/", "/"),
        ] {
            assert_eq!(loggable_path(path), logged, "{path}");
        }
    }
}
