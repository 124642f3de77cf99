//! A stored PNG or JPEG (a portal logo, a certificate template's image) as a response. Keys
//! end in the extension the upload was sniffed as, so the type follows from the key.

use actix_web::HttpResponse;
use actix_web::http::header;

/// `bytes` stored under `key`, with `Cache-Control: cache_control`. The URLs that serve these
/// carry the file's unique name, so they may be cached for long.
pub fn stored_image(key: &str, bytes: Vec<u8>, cache_control: &'static str) -> HttpResponse {
    let content_type = if key.ends_with(".png") {
        "image/png"
    } else {
        "image/jpeg"
    };
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, content_type))
        .insert_header((header::CACHE_CONTROL, cache_control))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .body(bytes)
}
