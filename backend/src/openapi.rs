//! The OpenAPI document, generated from the handlers' `#[utoipa::path]` annotations. The
//! committed `openapi/openapi.json` must equal it (a test checks; `cargo xtask openapi` rewrites
//! it). Architecture invariant: every endpoint the SPA or integrators use is listed here.

use utoipa::OpenApi;

use crate::health;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "ExamCloud API",
        description = "The REST API of ExamCloud (考试云). Every error response has the body \
            `ErrorBody` with a stable `code`; messages follow `Accept-Language` (zh-CN or en).",
    ),
    paths(health::get_health, health::get_ready),
    components(schemas(shared::ErrorBody, shared::ErrorCode)),
    tags((name = "health", description = "Liveness and readiness of this node."))
)]
pub struct ApiDoc;

/// The document as served at `/api/openapi.json` and committed in `openapi/openapi.json`.
pub fn document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// The committed form: pretty JSON with a trailing newline.
pub fn document_json() -> anyhow::Result<String> {
    Ok(format!("{}\n", serde_json::to_string_pretty(&document())?))
}
