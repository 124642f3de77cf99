//! Serves the built SPA from the same origin as the API.
//!
//! - `/assets/*` are content-hashed files: cached for a year and immutable; a missing asset is
//!   a real 404 (never `index.html` served as JavaScript).
//! - Other existing files at the top of the bundle (for example `favicon.ico`) are served with
//!   `no-cache`.
//! - Any other path that is not under `/api` gets `index.html` with `no-cache`, so deep links
//!   work and a new release is picked up on the next load.

use std::path::{Component, Path, PathBuf};

use actix_files::NamedFile;
use actix_web::http::Method;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};

use crate::errors::ApiError;

/// The directory holding `index.html` and `assets/`, as app data.
#[derive(Debug, Clone)]
pub struct SpaDir(pub PathBuf);

const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const NO_CACHE: &str = "no-cache";

/// The default service of the app: everything no other route matched.
pub async fn serve(req: HttpRequest, dir: web::Data<SpaDir>) -> Result<HttpResponse, ApiError> {
    let path = req.path();
    if path == "/api" || path.starts_with("/api/") {
        return Err(ApiError::NotFound);
    }
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return Ok(HttpResponse::MethodNotAllowed()
            .insert_header((header::ALLOW, "GET, HEAD"))
            .finish());
    }
    let Some(relative) = safe_relative_path(path) else {
        return Err(ApiError::NotFound);
    };
    if relative.starts_with("assets") {
        let file = dir.0.join(&relative);
        return if file.is_file() {
            send(&req, &file, IMMUTABLE).await
        } else {
            Err(ApiError::NotFound)
        };
    }
    let file = dir.0.join(&relative);
    if relative.components().count() == 1 && file.is_file() {
        return send(&req, &file, NO_CACHE).await;
    }
    let index = dir.0.join("index.html");
    if !index.is_file() {
        return Err(ApiError::Unavailable {
            detail: "spa_not_built: run `cargo xtask build-frontend`".to_owned(),
            retry_after_secs: 30,
        });
    }
    send(&req, &index, NO_CACHE).await
}

async fn send(
    req: &HttpRequest,
    file: &Path,
    cache: &'static str,
) -> Result<HttpResponse, ApiError> {
    let named = NamedFile::open_async(file)
        .await
        .map_err(|e| ApiError::Internal(anyhow::Error::new(e).context("opening a static file")))?
        .disable_content_disposition()
        .prefer_utf8(true);
    let mut res = named.into_response(req);
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    Ok(res)
}

/// The request path as a relative path of plain components, or `None` if it tries to climb
/// out (`..`), names a root, or hides a file (`.name`).
fn safe_relative_path(path: &str) -> Option<PathBuf> {
    let decoded = percent_encoding::percent_decode_str(path.trim_start_matches('/'))
        .decode_utf8()
        .ok()?;
    let mut out = PathBuf::new();
    for component in Path::new(decoded.as_ref()).components() {
        match component {
            Component::Normal(part) => {
                let part = part.to_str()?;
                if part.starts_with('.') || part.contains('\\') || part.contains('\0') {
                    return None;
                }
                out.push(part);
            }
            Component::CurDir => {}
            _ => return None,
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_climb_or_hide_are_refused() {
        assert_eq!(
            safe_relative_path("/assets/app-1.js"),
            Some(PathBuf::from("assets/app-1.js"))
        );
        assert_eq!(
            safe_relative_path("/zh/anything"),
            Some(PathBuf::from("zh/anything"))
        );
        assert_eq!(safe_relative_path("/"), Some(PathBuf::new()));
        assert_eq!(safe_relative_path("/assets/../../etc/passwd"), None);
        assert_eq!(safe_relative_path("/assets/%2e%2e/%2e%2e/etc/passwd"), None);
        assert_eq!(safe_relative_path("/.env"), None);
        assert_eq!(safe_relative_path("/a%5c..%5cb"), None);
        assert_eq!(safe_relative_path("/bad%ff"), None);
    }
}
