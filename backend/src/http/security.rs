//! Security headers on every response, and `Cache-Control: no-store` on API responses (they may
//! carry personal data) unless a handler chose otherwise.

use std::sync::Arc;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::web;

/// The SPA's policy. `'wasm-unsafe-eval'` allows compiling the WASM module and nothing else;
/// no inline scripts or styles anywhere.
const SPA_CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
    style-src 'self'; img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; \
    media-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'self'; \
    frame-ancestors 'none'";

/// Swagger UI sets inline styles; it runs no inline script.
const DOCS_CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
    img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; \
    form-action 'self'; frame-ancestors 'none'";

/// Settings the middleware needs, registered as app data.
#[derive(Debug, Clone)]
pub struct SecurityHeaders {
    /// Send HSTS: TLS is terminated in front of us.
    pub hsts: bool,
}

pub async fn security_headers(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let hsts = req
        .app_data::<web::Data<Arc<SecurityHeaders>>>()
        .map(|s| s.hsts)
        .unwrap_or(false);
    let path = req.path().to_owned();
    let mut res = next.call(req).await?;
    let csp = if path == "/api/docs" || path.starts_with("/api/docs/") {
        DOCS_CSP
    } else {
        SPA_CSP
    };
    let is_api = path == "/api" || path.starts_with("/api/");
    let headers = res.headers_mut();
    let mut set = |name: HeaderName, value: &'static str| {
        if !headers.contains_key(&name) {
            headers.insert(name, HeaderValue::from_static(value));
        }
    };
    set(header::CONTENT_SECURITY_POLICY, csp);
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(header::REFERRER_POLICY, "no-referrer");
    set(header::X_FRAME_OPTIONS, "DENY");
    set(
        HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    );
    set(
        HeaderName::from_static("cross-origin-resource-policy"),
        "same-origin",
    );
    set(
        HeaderName::from_static("permissions-policy"),
        "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    );
    if hsts {
        set(
            header::STRICT_TRANSPORT_SECURITY,
            "max-age=63072000; includeSubDomains",
        );
    }
    if is_api {
        set(header::CACHE_CONTROL, "no-store");
    }
    Ok(res)
}
