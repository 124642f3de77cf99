//! The papers themselves: list, create, read, update, delete, and the live check of rules.

use std::collections::HashSet;

use actix_web::{HttpRequest, HttpResponse, web};
use shared::access::{Level, Module};
use shared::papers::{PaperDto, PaperInput, PaperSummary, RuleCheckRequest, RuleCheckResult};

use super::input::check_input;
use super::model;
use super::rules::rule_counts;
use crate::db::types::DbUuid;
use crate::errors::ApiError;
use crate::http::{ClientInfo, Fields, audited_delete};
use crate::state::AppState;
use crate::tenancy::OrgScope;

#[utoipa::path(
    get,
    path = "/api/papers",
    operation_id = "list_papers",
    tag = "papers",
    security(("session_cookie" = []), ("api_key" = ["questions:read"])),
    responses(
        (status = 200, description = "The organisation's papers, most recently changed first.", body = Vec<PaperSummary>),
        (status = 403, description = "Needs `questions:read`.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn list_papers(
    scope: OrgScope,
    state: web::Data<AppState>,
) -> Result<web::Json<Vec<PaperSummary>>, ApiError> {
    scope.require(Module::Questions, Level::Read)?;
    let list = state
        .db
        .run(move |conn| Ok::<_, ApiError>(model::list(conn, &scope)?))
        .await?;
    Ok(web::Json(list))
}

#[utoipa::path(
    post,
    path = "/api/papers",
    operation_id = "create_paper",
    tag = "papers",
    security(("session_cookie" = []), ("api_key" = ["questions:write"])),
    request_body = PaperInput,
    responses(
        (status = 201, description = "Created. Chosen questions are pinned to their current version (or the one given).", body = PaperDto),
        (status = 403, description = "Needs `questions:write`.", body = shared::ErrorBody),
        (status = 422, description = "Invalid fields, e.g. `sections[0].rules[1].count`: `not_enough_questions`, or `sections`: `rules_not_satisfiable` when rules overlap so that they cannot all be met.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn create_paper(
    req: HttpRequest,
    scope: OrgScope,
    state: web::Data<AppState>,
    body: web::Json<PaperInput>,
) -> Result<HttpResponse, ApiError> {
    scope.require(Module::Questions, Level::Write)?;
    let input = body.into_inner();
    let client = ClientInfo::of(&req);
    let paper = state
        .transaction(move |conn, st| {
            let checked = check_input(conn, &scope, &input)?;
            let id = DbUuid::new_v7();
            model::write_paper(conn, &scope, id, &checked, 1)?;
            client.log_change(
                conn,
                &st.cipher,
                &scope,
                "paper.create",
                Some(("paper", id.to_string())),
                serde_json::json!({ "name": checked.name, "kind": checked.spec.kind().as_str() }),
            )?;
            let row = model::find_paper(conn, &scope, id)?;
            Ok::<_, ApiError>(model::dto(conn, &scope, &row)?)
        })
        .await?;
    Ok(HttpResponse::Created().json(paper))
}

#[utoipa::path(
    get,
    path = "/api/papers/{id}",
    operation_id = "get_paper",
    tag = "papers",
    security(("session_cookie" = []), ("api_key" = ["questions:read"])),
    params(("id" = String, Path, description = "The paper id.")),
    responses(
        (status = 200, description = "The paper with its pinned questions and rules.", body = PaperDto),
        (status = 403, description = "Needs `questions:read`.", body = shared::ErrorBody),
        (status = 404, description = "No such paper in this organisation.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn get_paper(
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<uuid::Uuid>,
) -> Result<web::Json<PaperDto>, ApiError> {
    scope.require(Module::Questions, Level::Read)?;
    let id = DbUuid(path.into_inner());
    let paper = state
        .db
        .run(move |conn| {
            let row = model::find_paper(conn, &scope, id)?;
            Ok::<_, ApiError>(model::dto(conn, &scope, &row)?)
        })
        .await?;
    Ok(web::Json(paper))
}

#[utoipa::path(
    put,
    path = "/api/papers/{id}",
    operation_id = "update_paper",
    tag = "papers",
    security(("session_cookie" = []), ("api_key" = ["questions:write"])),
    params(("id" = String, Path, description = "The paper id.")),
    request_body = PaperInput,
    responses(
        (status = 200, description = "Saved as the next revision. Papers generated for earlier revisions are replaced when papers are generated again.", body = PaperDto),
        (status = 403, description = "Needs `questions:write`.", body = shared::ErrorBody),
        (status = 404, description = "No such paper in this organisation.", body = shared::ErrorBody),
        (status = 422, description = "Invalid fields (as for create).", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn update_paper(
    req: HttpRequest,
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<uuid::Uuid>,
    body: web::Json<PaperInput>,
) -> Result<web::Json<PaperDto>, ApiError> {
    scope.require(Module::Questions, Level::Write)?;
    let id = DbUuid(path.into_inner());
    let input = body.into_inner();
    let client = ClientInfo::of(&req);
    let paper = state
        .transaction(move |conn, st| {
            let row = model::find_paper(conn, &scope, id)?;
            let checked = check_input(conn, &scope, &input)?;
            model::write_paper(conn, &scope, id, &checked, row.revision + 1)?;
            client.log_change(
                conn,
                &st.cipher,
                &scope,
                "paper.update",
                Some(("paper", id.to_string())),
                serde_json::json!({ "name": checked.name, "revision": row.revision + 1 }),
            )?;
            let row = model::find_paper(conn, &scope, id)?;
            Ok::<_, ApiError>(model::dto(conn, &scope, &row)?)
        })
        .await?;
    Ok(web::Json(paper))
}

#[utoipa::path(
    delete,
    path = "/api/papers/{id}",
    operation_id = "delete_paper",
    tag = "papers",
    security(("session_cookie" = []), ("api_key" = ["questions:write"])),
    params(("id" = String, Path, description = "The paper id.")),
    responses(
        (status = 204, description = "Deleted (generated papers already given out stay readable by their attempts)."),
        (status = 403, description = "Needs `questions:write`.", body = shared::ErrorBody),
        (status = 404, description = "No such paper in this organisation.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn delete_paper(
    req: HttpRequest,
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<uuid::Uuid>,
) -> Result<HttpResponse, ApiError> {
    scope.require(Module::Questions, Level::Write)?;
    let id = DbUuid(path.into_inner());
    audited_delete(&req, scope, &state, "paper", id, move |conn, scope| {
        model::find_paper(conn, scope, id)?;
        model::mark_deleted(conn, scope, id)?;
        Ok(((), serde_json::json!({})))
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(
    post,
    path = "/api/papers/check-rules",
    operation_id = "check_paper_rules",
    tag = "papers",
    security(("session_cookie" = []), ("api_key" = ["questions:read"])),
    request_body = RuleCheckRequest,
    responses(
        (status = 200, description = "How many questions match each rule, and whether the rules can be met together (no question drawn twice).", body = RuleCheckResult),
        (status = 403, description = "Needs `questions:read`.", body = shared::ErrorBody),
        (status = 422, description = "A rule names an unknown bank or category, or has an invalid count, difficulty or points (`rules[i].field`).", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn check_paper_rules(
    scope: OrgScope,
    state: web::Data<AppState>,
    body: web::Json<RuleCheckRequest>,
) -> Result<web::Json<RuleCheckResult>, ApiError> {
    scope.require(Module::Questions, Level::Read)?;
    let input = body.into_inner();
    if input.rules.len() > shared::papers::MAX_RULES * shared::papers::MAX_SECTIONS {
        return Err(Fields::single("rules", "too_many"));
    }
    let mut fields = Fields::default();
    let mut exclude = HashSet::new();
    for (i, id) in input.exclude_question_ids.iter().enumerate() {
        match uuid::Uuid::parse_str(id.trim()) {
            Ok(id) => {
                exclude.insert(DbUuid(id));
            }
            Err(_) => fields.push(&format!("exclude_question_ids[{i}]"), "invalid_format"),
        }
    }
    fields.finish()?;
    let result = state
        .db
        .run(move |conn| {
            let (available, satisfiable) = rule_counts(conn, &scope, &input.rules, &exclude)?;
            let required: i64 = input.rules.iter().map(|r| i64::from(r.count)).sum();
            Ok::<_, ApiError>(RuleCheckResult {
                available,
                feasible: satisfiable == required,
                required,
                satisfiable,
            })
        })
        .await?;
    Ok(web::Json(result))
}
