//! `GET /api/staff/ready`: the readiness checks one by one, for platform operators signed in
//! as staff (the public `/api/ready` says only ready or not: the checks name migrations, key
//! ids and key usage).

use actix_web::{HttpResponse, web};
use shared::{CheckStatus, ReadyResponse};

use crate::auth::AuthStaff;
use crate::errors::ApiError;
use crate::state::AppState;

#[utoipa::path(
    get,
    path = "/api/staff/ready",
    operation_id = "get_ready_report",
    tag = "staff",
    security(("session_cookie" = [])),
    responses(
        (status = 200, description = "Every check passed; each is named with its detail.", body = ReadyResponse),
        (status = 401, description = "Not signed in as platform staff.", body = shared::ErrorBody),
        (status = 503, description = "At least one check failed; the body says which.", body = ReadyResponse),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn get_ready_report(
    _staff: AuthStaff,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let report = super::get_ready::report_of(&state).await?;
    Ok(match report.status {
        CheckStatus::Ok => HttpResponse::Ok().json(report),
        CheckStatus::Failing => HttpResponse::ServiceUnavailable().json(report),
    })
}
