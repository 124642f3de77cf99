//! HTTP plumbing shared by every route: request ids, the client's address, the error envelope,
//! security headers and body extractor configuration. Domain modules never repeat any of this.

mod client_addr;
mod envelope;
mod extractors;
mod json_object;
mod request_id;
mod security;

pub use client_addr::{TrustedProxies, address_group, client_addr};
pub use envelope::error_envelope;
pub use extractors::{json_config, path_config, query_config};
pub use json_object::json_objects_only;
pub use request_id::{RequestId, request_id};
pub use security::{SecurityHeaders, security_headers};

/// The caller's language from `Accept-Language` (zh-CN when absent or unsupported).
pub fn request_lang(req: &actix_web::HttpRequest) -> shared::Lang {
    req.headers()
        .get(actix_web::http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map(shared::Lang::negotiate)
        .unwrap_or_default()
}
