//! `GET /api/health`: answers as long as the process serves HTTP; touches nothing else.

use actix_web::web;
use shared::{CheckStatus, HealthResponse};

#[utoipa::path(
    get,
    path = "/api/health",
    operation_id = "get_health",
    tag = "health",
    responses((status = 200, description = "The server is up.", body = HealthResponse))
)]
#[tracing::instrument(level = "debug")]
pub async fn get_health() -> web::Json<HealthResponse> {
    web::Json(HealthResponse {
        status: CheckStatus::Ok,
        version: env!("CARGO_PKG_VERSION").to_owned(),
    })
}
