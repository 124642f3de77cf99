//! Papers as candidates get them: the preview for a seed, pre-generating the papers of chosen
//! candidates, and reading the paper generated for one.

use actix_web::{HttpRequest, web};
use serde::Deserialize;
use shared::access::{Level, Module};
use shared::papers::{CandidatePaper, GenerateRequest, GenerateResult, MAX_PREGENERATE};

use super::candidate::candidate_paper;
use super::generate;
use super::instances::{draw, pregenerate};
use super::labels::Labels;
use super::model;
use crate::candidates::model::visible_ids;
use crate::db::DbConnection;
use crate::db::types::DbUuid;
use crate::errors::ApiError;
use crate::http::{ClientInfo, Fields};
use crate::state::AppState;
use crate::tenancy::OrgScope;

/// The seed of a preview.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PreviewQuery {
    /// A seed (0 to 2^64−1); absent: a new random one. The same seed gives the same paper
    /// while the paper and its banks are unchanged.
    #[param(
        format = "uint64",
        minimum = 0,
        maximum = 18_446_744_073_709_551_615_u64
    )]
    pub seed: Option<u64>,
}

#[utoipa::path(
    get,
    path = "/api/papers/{id}/preview",
    operation_id = "preview_paper",
    tag = "papers",
    security(("session_cookie" = []), ("api_key" = ["questions:read"])),
    params(("id" = String, Path, description = "The paper id."), PreviewQuery),
    responses(
        (status = 200, description = "The paper as a candidate would see it for this seed: drawn questions, candidate order, no answers. Nothing is stored.", body = CandidatePaper),
        (status = 403, description = "Needs `questions:read`.", body = shared::ErrorBody),
        (status = 404, description = "No such paper in this organisation.", body = shared::ErrorBody),
        (status = 409, description = "`rules_not_satisfiable`: questions were deleted or changed since the paper was saved and the rules can no longer be met.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn preview_paper(
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<uuid::Uuid>,
    query: web::Query<PreviewQuery>,
) -> Result<web::Json<CandidatePaper>, ApiError> {
    scope.require(Module::Questions, Level::Read)?;
    let id = DbUuid(path.into_inner());
    let seed = query.seed.unwrap_or_else(rand::random);
    let paper = state
        .db
        .run(move |conn| {
            let row = model::find_paper(conn, &scope, id)?;
            let arrangement = draw(conn, &scope, &row, seed)?;
            console_view(conn, &scope, &row, &arrangement, seed)
        })
        .await?;
    Ok(web::Json(paper))
}

#[utoipa::path(
    post,
    path = "/api/papers/{id}/generate",
    operation_id = "generate_papers",
    tag = "papers",
    security(("session_cookie" = []), ("api_key" = ["questions:write"])),
    params(("id" = String, Path, description = "The paper id.")),
    request_body = GenerateRequest,
    responses(
        (status = 200, description = "Each candidate has a paper of the current revision: new ones drawn with their own seed, existing ones kept unchanged. All or nothing.", body = GenerateResult),
        (status = 403, description = "Needs `questions:write`.", body = shared::ErrorBody),
        (status = 404, description = "No such paper in this organisation.", body = shared::ErrorBody),
        (status = 409, description = "`rules_not_satisfiable`: the banks changed and the rules can no longer be met.", body = shared::ErrorBody),
        (status = 422, description = "`candidate_ids[i]`: `invalid_format` or `not_found`; `candidate_ids`: `required` or `too_many` (at most 5,000).", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn generate_papers(
    req: HttpRequest,
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<uuid::Uuid>,
    body: web::Json<GenerateRequest>,
) -> Result<web::Json<GenerateResult>, ApiError> {
    scope.require(Module::Questions, Level::Write)?;
    let id = DbUuid(path.into_inner());
    let input = body.into_inner();
    let mut fields = Fields::default();
    if input.candidate_ids.is_empty() {
        fields.push("candidate_ids", "required");
    }
    if input.candidate_ids.len() > MAX_PREGENERATE {
        fields.push("candidate_ids", "too_many");
    }
    let mut wanted: Vec<DbUuid> = Vec::new();
    for (i, c) in input.candidate_ids.iter().enumerate() {
        match uuid::Uuid::parse_str(c.trim()) {
            Ok(c) if !wanted.contains(&DbUuid(c)) => wanted.push(DbUuid(c)),
            Ok(_) => {}
            Err(_) => fields.push(&format!("candidate_ids[{i}]"), "invalid_format"),
        }
    }
    fields.finish()?;
    let client = ClientInfo::of(&req);
    let result = state
        .transaction(move |conn, st| {
            let row = model::find_paper(conn, &scope, id)?;
            // Only candidates the caller may see (an admin's group scope applies).
            let known = visible_ids(conn, &scope, &wanted)?;
            let mut fields = Fields::default();
            for (i, c) in wanted.iter().enumerate() {
                if !known.contains(c) {
                    fields.push(&format!("candidate_ids[{i}]"), "not_found");
                }
            }
            fields.finish()?;
            let (generated, kept) = pregenerate(conn, &scope, &row, &wanted)?;
            client.log_change(
                conn,
                &st.cipher,
                &scope,
                "paper.generate",
                Some(("paper", id.to_string())),
                serde_json::json!({ "generated": generated, "kept": kept, "revision": row.revision }),
            )?;
            Ok(GenerateResult { generated, kept })
        })
        .await?;
    Ok(web::Json(result))
}

#[utoipa::path(
    get,
    path = "/api/papers/{id}/generated/{candidate_id}",
    operation_id = "get_generated_paper",
    tag = "papers",
    security(("session_cookie" = []), ("api_key" = ["questions:read"])),
    params(
        ("id" = String, Path, description = "The paper id."),
        ("candidate_id" = String, Path, description = "The candidate id."),
    ),
    responses(
        (status = 200, description = "The paper generated for this candidate's first attempt, in their order, with the authored ids (the candidate sees the same paper with per-attempt labels instead of ids, and no seed; later attempts get freshly drawn papers).", body = CandidatePaper),
        (status = 403, description = "Needs `questions:read`.", body = shared::ErrorBody),
        (status = 404, description = "No such paper, no such candidate the caller may see, or none generated for this candidate.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn get_generated_paper(
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<(uuid::Uuid, uuid::Uuid)>,
) -> Result<web::Json<CandidatePaper>, ApiError> {
    scope.require(Module::Questions, Level::Read)?;
    let (id, candidate) = path.into_inner();
    let (id, candidate) = (DbUuid(id), DbUuid(candidate));
    let paper = state
        .db
        .run(move |conn| {
            let row = model::find_paper(conn, &scope, id)?;
            // A candidate outside an admin's groups is not found, like everywhere else.
            crate::candidates::model::find(conn, &scope, candidate)?;
            let (seed, arrangement) =
                model::instance_of(conn, &scope, id, candidate)?.ok_or(ApiError::NotFound)?;
            let arrangement: generate::Arrangement =
                serde_json::from_str(&arrangement).map_err(anyhow::Error::from)?;
            let seed = seed.parse::<u64>().map_err(anyhow::Error::from)?;
            console_view(conn, &scope, &row, &arrangement, seed)
        })
        .await?;
    Ok(web::Json(paper))
}

/// The paper `row` drawn as `arrangement` from `seed` as the console shows it: the candidate's
/// paper with the authored ids and its seed.
fn console_view(
    conn: &mut DbConnection,
    scope: &OrgScope,
    row: &model::PaperRow,
    arrangement: &generate::Arrangement,
    seed: u64,
) -> Result<CandidatePaper, ApiError> {
    Ok(candidate_paper(
        conn,
        scope,
        (row.id, &row.name),
        &row.spec,
        arrangement,
        Some(seed),
        Labels::Authored,
    )?)
}
