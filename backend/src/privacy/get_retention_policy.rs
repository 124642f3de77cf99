//! `GET /api/privacy/retention`: the retention policy in effect (public, no sign-in): for each
//! kind of data, whether it is deleted or anonymised and after how many days.

use actix_web::{HttpResponse, web};
use shared::privacy::RetentionPolicy;

use crate::errors::ApiError;
use crate::state::AppState;

#[utoipa::path(
    get,
    path = "/api/privacy/retention",
    operation_id = "get_retention_policy",
    tag = "privacy",
    responses(
        (status = 200, description = "The retention policy in effect, one rule per kind of data.", body = RetentionPolicy),
    )
)]
#[tracing::instrument(skip(state))]
pub async fn get_retention_policy(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    // Checked at start-up, so this does not fail on a running node.
    let policy = crate::privacy::retention::policy(&state.settings.retention)?;
    Ok(HttpResponse::Ok().json(policy))
}
