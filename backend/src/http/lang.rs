//! The caller's language.

/// The caller's language from `Accept-Language` (zh-CN when absent or unsupported).
pub fn request_lang(req: &actix_web::HttpRequest) -> shared::Lang {
    req.headers()
        .get(actix_web::http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map(shared::Lang::negotiate)
        .unwrap_or_default()
}
