//! `GET /api/dashboard`.

use actix_web::web;
use shared::access::{Level, Module};
use shared::dashboard::{ChecklistStep, Dashboard, ImportKind};

use super::model;
use crate::db::DbConnection;
use crate::db::types::Timestamp;
use crate::errors::ApiError;
use crate::state::AppState;
use crate::tenancy::OrgScope;

/// The permission that shows a checklist step.
fn step_module(step: ChecklistStep) -> Module {
    match step {
        ChecklistStep::Branding => Module::Org,
        ChecklistStep::Candidates => Module::Candidates,
        ChecklistStep::Questions | ChecklistStep::Paper => Module::Questions,
        ChecklistStep::Exam => Module::Exams,
    }
}

#[utoipa::path(
    get,
    path = "/api/dashboard",
    operation_id = "get_dashboard",
    tag = "dashboard",
    security(("session_cookie" = [])),
    responses(
        (status = 200, description = "The caller's dashboard. Each section is present only when the caller may read what it counts (`running` and `recent_exams`: `exams:read`; `grading`: `grading:read`; `failed_notifications`: `org:read` without a candidate-group limit; `imports`: `candidates:read` without a group limit for candidate imports, `questions:read` for question imports; `checklist`: the steps the caller may read). Counts of candidates' attempts cover only the caller's candidate groups when the caller is limited to some.", body = Dashboard),
        (status = 401, description = "Not signed in.", body = shared::ErrorBody),
        (status = 403, description = "`forbidden`: an API key (the dashboard is a person's).", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn get_dashboard(
    scope: OrgScope,
    state: web::Data<AppState>,
) -> Result<web::Json<Dashboard>, ApiError> {
    scope.user_id().ok_or(ApiError::Forbidden)?;
    let dashboard = state.db.run(move |conn| build(conn, &scope)).await?;
    Ok(web::Json(dashboard))
}

fn build(conn: &mut DbConnection, scope: &OrgScope) -> Result<Dashboard, ApiError> {
    let now = Timestamp::now();
    let since = model::attention_since(now);
    let groups = model::counted_groups(scope);
    let groups = groups.as_deref();
    // Messages and other admins' candidate imports are not tied to candidate groups, so a
    // caller limited to some groups does not see them.
    let whole_org = scope.group_scope().is_none();
    let exams = scope.can(Module::Exams, Level::Read);
    let mut kinds = Vec::new();
    if whole_org && scope.can(Module::Candidates, Level::Read) {
        kinds.push(ImportKind::Candidates);
    }
    if scope.can(Module::Questions, Level::Read) {
        kinds.push(ImportKind::Questions);
    }
    let steps: Vec<ChecklistStep> = ChecklistStep::ALL
        .into_iter()
        .filter(|s| scope.can(step_module(*s), Level::Read))
        .collect();
    Ok(Dashboard {
        running: exams
            .then(|| model::running(conn, scope, groups, now))
            .transpose()?,
        grading: scope
            .can(Module::Grading, Level::Read)
            .then(|| model::grading_due(conn, scope, groups))
            .transpose()?,
        failed_notifications: (whole_org && scope.can(Module::Org, Level::Read))
            .then(|| model::failed_notifications(conn, scope, since))
            .transpose()?,
        imports: (!kinds.is_empty())
            .then(|| model::imports(conn, scope, &kinds, since))
            .transpose()?,
        recent_exams: exams
            .then(|| model::recent_exams(conn, scope, groups))
            .transpose()?,
        checklist: (!steps.is_empty())
            .then(|| model::checklist(conn, scope, &steps))
            .transpose()?,
    })
}
