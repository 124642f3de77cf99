//! Papers (`/api/papers`): fixed papers of chosen question versions, random papers drawn by
//! rules, a candidate's-eye preview, and pre-generated per-candidate papers so exam start
//! does no heavy work. Needs the `questions` permission (papers are built from banks).
//!
//! See `generate` for how rules are checked and papers drawn.

pub mod generate;
pub mod labels;
#[cfg(test)]
mod leak_tests;
pub mod model;

use std::collections::{HashMap, HashSet};

use actix_web::{HttpRequest, HttpResponse, web};
use diesel::prelude::*;
use serde::Deserialize;
use shared::access::{Level, Module};
use shared::papers::{
    CandidatePaper, GenerateRequest, GenerateResult, MAX_PREGENERATE, PaperDto, PaperInput,
    PaperQuestion, PaperRuleDto, PaperSectionDto, PaperSummary, RuleCheckRequest, RuleCheckResult,
};

use self::model::{CheckedPaper, Spec};
use crate::accounts::{ClientInfo, Fields};
use crate::db::DbConnection;
use crate::db::schema::{candidates, paper_instances, papers, questions};
use crate::db::types::{DbUuid, Timestamp};
use crate::errors::ApiError;
use crate::scoped;
use crate::state::AppState;
use crate::tenancy::OrgScope;

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/papers").get(list_papers).post(create_paper))
        .service(web::resource("/papers/check-rules").post(check_paper_rules))
        .service(
            web::resource("/papers/{id}")
                .get(get_paper)
                .put(update_paper)
                .delete(delete_paper),
        )
        .service(web::resource("/papers/{id}/preview").get(preview_paper))
        .service(web::resource("/papers/{id}/generate").post(generate_papers))
        .service(web::resource("/papers/{id}/generated/{candidate_id}").get(get_generated_paper));
}

/// A saved paper row.
struct PaperRow {
    id: DbUuid,
    name: String,
    description: String,
    spec: Spec,
    shuffle_questions: bool,
    shuffle_options: bool,
    revision: i32,
    created_at: Timestamp,
    updated_at: Timestamp,
}

fn find_paper(conn: &mut DbConnection, scope: &OrgScope, id: DbUuid) -> Result<PaperRow, ApiError> {
    type Row = (
        DbUuid,
        String,
        String,
        String,
        bool,
        bool,
        i32,
        Timestamp,
        Timestamp,
    );
    let row: Option<Row> = scoped!(papers, scope)
        .filter(papers::id.eq(id))
        .filter(papers::status.eq("active"))
        .select((
            papers::id,
            papers::name,
            papers::description,
            papers::spec,
            papers::shuffle_questions,
            papers::shuffle_options,
            papers::revision,
            papers::created_at,
            papers::updated_at,
        ))
        .first(conn)
        .optional()?;
    let (id, name, description, spec, shuffle_questions, shuffle_options, revision, c, u) =
        row.ok_or(ApiError::NotFound)?;
    Ok(PaperRow {
        id,
        name,
        description,
        spec: serde_json::from_str(&spec).map_err(anyhow::Error::from)?,
        shuffle_questions,
        shuffle_options,
        revision,
        created_at: c,
        updated_at: u,
    })
}

/// The paper as the builder shows it: pinned questions with their stems, rules with how many
/// questions match them now.
fn paper_dto(
    conn: &mut DbConnection,
    scope: &OrgScope,
    row: &PaperRow,
) -> Result<PaperDto, ApiError> {
    let chosen: Vec<(DbUuid, i32)> = row
        .spec
        .sections
        .iter()
        .flat_map(|s| s.questions.iter().map(|q| (q.question_id, q.version)))
        .collect();
    let contents = model::load_contents(conn, scope, &chosen)?;
    let ids: Vec<DbUuid> = chosen.iter().map(|c| c.0).collect();
    let current: HashMap<DbUuid, i32> = scoped!(questions, scope)
        .filter(questions::id.eq_any(&ids))
        .select((questions::id, questions::current_version))
        .load::<(DbUuid, i32)>(conn)?
        .into_iter()
        .collect();
    let available: Vec<i64> = if row.spec.kind() == shared::papers::PaperKind::Random {
        match model::pool_of_spec(conn, scope, &row.spec) {
            Ok(pool) => pool.matches.iter().map(|m| m.len() as i64).collect(),
            Err(ApiError::Conflict { .. }) => Vec::new(),
            Err(other) => return Err(other),
        }
    } else {
        Vec::new()
    };
    let mut rule_index = 0;
    let sections = row
        .spec
        .sections
        .iter()
        .map(|s| {
            let questions = s
                .questions
                .iter()
                .filter_map(|q| {
                    let content = contents.get(&(q.question_id, q.version))?;
                    Some(PaperQuestion {
                        question_id: q.question_id.to_string(),
                        version: q.version,
                        points: f64::from(q.points_centi) / 100.0,
                        question_type: content.question_type(),
                        stem: content.stem().to_owned(),
                        outdated: current.get(&q.question_id).is_some_and(|c| *c > q.version),
                    })
                })
                .collect();
            let rules = s
                .rules
                .iter()
                .map(|r| {
                    let dto = PaperRuleDto {
                        rule: r.clone(),
                        available: available.get(rule_index).copied().unwrap_or(0),
                    };
                    rule_index += 1;
                    dto
                })
                .collect();
            let count =
                s.questions.len() as i64 + s.rules.iter().map(|r| i64::from(r.count)).sum::<i64>();
            let points = s
                .questions
                .iter()
                .map(|q| i64::from(q.points_centi))
                .sum::<i64>()
                + s.rules
                    .iter()
                    .map(|r| i64::from(r.count) * model::centi(r.points))
                    .sum::<i64>();
            PaperSectionDto {
                title: s.title.clone(),
                description: s.description.clone(),
                questions,
                rules,
                question_count: count,
                points: points as f64 / 100.0,
            }
        })
        .collect();
    let generated_count: i64 = scoped!(paper_instances, scope)
        .filter(paper_instances::paper_id.eq(row.id))
        .filter(paper_instances::revision.eq(row.revision))
        .count()
        .get_result(conn)?;
    Ok(PaperDto {
        id: row.id.to_string(),
        name: row.name.clone(),
        description: row.description.clone(),
        kind: row.spec.kind(),
        sections,
        shuffle_questions: row.shuffle_questions,
        shuffle_options: row.shuffle_options,
        question_count: row.spec.question_count() as i64,
        total_points: row.spec.total_points_centi() as f64 / 100.0,
        revision: row.revision,
        generated_count,
        created_at: row.created_at.to_canonical_string(),
        updated_at: row.updated_at.to_canonical_string(),
    })
}

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
        .run(move |conn| {
            let rows: Vec<(DbUuid, String, String, i32, i32, Timestamp)> = scoped!(papers, scope)
                .filter(papers::status.eq("active"))
                .order(papers::updated_at.desc())
                .select((
                    papers::id,
                    papers::name,
                    papers::kind,
                    papers::question_count,
                    papers::total_points_centi,
                    papers::updated_at,
                ))
                .load(conn)?;
            Ok::<_, ApiError>(
                rows.into_iter()
                    .map(|(id, name, kind, count, points, updated)| PaperSummary {
                        id: id.to_string(),
                        name,
                        // The column's CHECK allows only the two kinds.
                        kind: shared::papers::PaperKind::parse(&kind)
                            .unwrap_or(shared::papers::PaperKind::Fixed),
                        question_count: i64::from(count),
                        total_points: f64::from(points) / 100.0,
                        updated_at: updated.to_canonical_string(),
                    })
                    .collect(),
            )
        })
        .await?;
    Ok(web::Json(list))
}

pub(crate) fn write_paper(
    conn: &mut DbConnection,
    scope: &OrgScope,
    id: DbUuid,
    checked: &CheckedPaper,
    revision: i32,
) -> Result<(), ApiError> {
    let spec = serde_json::to_string(&checked.spec).map_err(anyhow::Error::from)?;
    let now = Timestamp::now();
    let count = i32::try_from(checked.spec.question_count()).unwrap_or(i32::MAX);
    let total = i32::try_from(checked.spec.total_points_centi()).unwrap_or(i32::MAX);
    if revision == 1 {
        diesel::insert_into(papers::table)
            .values((
                papers::id.eq(id),
                papers::org_id.eq(scope.org_id()),
                papers::name.eq(&checked.name),
                papers::description.eq(&checked.description),
                papers::kind.eq(checked.spec.kind().as_str()),
                papers::spec.eq(&spec),
                papers::shuffle_questions.eq(checked.shuffle_questions),
                papers::shuffle_options.eq(checked.shuffle_options),
                papers::question_count.eq(count),
                papers::total_points_centi.eq(total),
                papers::revision.eq(1),
                papers::status.eq("active"),
                papers::created_at.eq(now),
                papers::updated_at.eq(now),
            ))
            .execute(conn)?;
    } else {
        diesel::update(scoped!(papers, scope).filter(papers::id.eq(id)))
            .set((
                papers::name.eq(&checked.name),
                papers::description.eq(&checked.description),
                papers::kind.eq(checked.spec.kind().as_str()),
                papers::spec.eq(&spec),
                papers::shuffle_questions.eq(checked.shuffle_questions),
                papers::shuffle_options.eq(checked.shuffle_options),
                papers::question_count.eq(count),
                papers::total_points_centi.eq(total),
                papers::revision.eq(revision),
                papers::updated_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
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
            let checked = model::check_input(conn, &scope, &input)?;
            let id = DbUuid::new_v7();
            write_paper(conn, &scope, id, &checked, 1)?;
            client.log_change(
                conn,
                &st.cipher,
                &scope,
                "paper.create",
                Some(("paper", id.to_string())),
                serde_json::json!({ "name": checked.name, "kind": checked.spec.kind().as_str() }),
            )?;
            let row = find_paper(conn, &scope, id)?;
            paper_dto(conn, &scope, &row)
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
            let row = find_paper(conn, &scope, id)?;
            paper_dto(conn, &scope, &row)
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
            let row = find_paper(conn, &scope, id)?;
            let checked = model::check_input(conn, &scope, &input)?;
            write_paper(conn, &scope, id, &checked, row.revision + 1)?;
            client.log_change(
                conn,
                &st.cipher,
                &scope,
                "paper.update",
                Some(("paper", id.to_string())),
                serde_json::json!({ "name": checked.name, "revision": row.revision + 1 }),
            )?;
            let row = find_paper(conn, &scope, id)?;
            paper_dto(conn, &scope, &row)
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
    let client = ClientInfo::of(&req);
    state
        .transaction(move |conn, st| {
            find_paper(conn, &scope, id)?;
            diesel::update(scoped!(papers, scope).filter(papers::id.eq(id)))
                .set((
                    papers::status.eq("deleted"),
                    papers::updated_at.eq(Timestamp::now()),
                ))
                .execute(conn)?;
            client.log_change(
                conn,
                &st.cipher,
                &scope,
                "paper.delete",
                Some(("paper", id.to_string())),
                serde_json::json!({}),
            )?;
            Ok(())
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
            let (available, satisfiable) =
                model::rule_counts(conn, &scope, &input.rules, &exclude)?;
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

/// The seed of a preview.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PreviewQuery {
    /// A seed (0 to 2^64−1); absent: a new random one. The same seed gives the same paper
    /// while the paper and its banks are unchanged.
    #[param(format = "uint64", minimum = 0, maximum = 18_446_744_073_709_551_615_u64)]
    pub seed: Option<u64>,
}

/// Draws a paper for `seed` from the current banks.
fn draw(
    conn: &mut DbConnection,
    scope: &OrgScope,
    row: &PaperRow,
    seed: u64,
) -> Result<generate::Arrangement, ApiError> {
    let pool = model::pool_of_spec(conn, scope, &row.spec)?;
    let questions = model::generation_pool(conn, scope, &row.spec, &pool)?;
    let mut plan = model::plan_of(&row.spec, &pool);
    plan.shuffle_questions = row.shuffle_questions;
    plan.shuffle_options = row.shuffle_options;
    generate::generate(&plan, &questions, seed).ok_or_else(|| ApiError::Conflict {
        detail: "rules_not_satisfiable".to_owned(),
    })
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
            let row = find_paper(conn, &scope, id)?;
            let arrangement = draw(conn, &scope, &row, seed)?;
            model::candidate_paper(
                conn,
                &scope,
                (row.id, &row.name),
                &row.spec,
                &arrangement,
                Some(seed),
                labels::Labels::Authored,
            )
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
            let row = find_paper(conn, &scope, id)?;
            let known: HashSet<DbUuid> = wanted
                .chunks(500)
                .map(|chunk| {
                    // Only candidates the caller may see (an admin's group scope applies).
                    crate::candidates::model::visible(&scope)
                        .filter(candidates::id.eq_any(chunk))
                        .select(candidates::id)
                        .load::<DbUuid>(conn)
                })
                .collect::<QueryResult<Vec<_>>>()?
                .into_iter()
                .flatten()
                .collect();
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

/// Makes sure each of `wanted` has a paper of the current revision of `row`: new ones drawn
/// with their own seed, those of an older revision replaced, current ones kept. Returns
/// `(generated, kept)`. The candidates must belong to the scope's organisation.
fn pregenerate(
    conn: &mut DbConnection,
    scope: &OrgScope,
    row: &PaperRow,
    wanted: &[DbUuid],
) -> Result<(i64, i64), ApiError> {
    let existing: HashMap<DbUuid, i32> = scoped!(paper_instances, scope)
        .filter(paper_instances::paper_id.eq(row.id))
        .select((paper_instances::candidate_id, paper_instances::revision))
        .load::<(DbUuid, i32)>(conn)?
        .into_iter()
        .collect();
    let todo: Vec<DbUuid> = wanted
        .iter()
        .filter(|c| existing.get(c) != Some(&row.revision))
        .copied()
        .collect();
    let kept = (wanted.len() - todo.len()) as i64;
    if !todo.is_empty() {
        let pool = model::pool_of_spec(conn, scope, &row.spec)?;
        let questions = model::generation_pool(conn, scope, &row.spec, &pool)?;
        let mut plan = model::plan_of(&row.spec, &pool);
        plan.shuffle_questions = row.shuffle_questions;
        plan.shuffle_options = row.shuffle_options;
        let stale: Vec<DbUuid> = todo
            .iter()
            .filter(|c| existing.contains_key(c))
            .copied()
            .collect();
        for chunk in stale.chunks(500) {
            diesel::delete(
                scoped!(paper_instances, scope)
                    .filter(paper_instances::paper_id.eq(row.id))
                    .filter(paper_instances::candidate_id.eq_any(chunk)),
            )
            .execute(conn)?;
        }
        let now = Timestamp::now();
        for candidate in &todo {
            let seed: u64 = rand::random();
            let arrangement =
                generate::generate(&plan, &questions, seed).ok_or_else(|| ApiError::Conflict {
                    detail: "rules_not_satisfiable".to_owned(),
                })?;
            let json = serde_json::to_string(&arrangement).map_err(anyhow::Error::from)?;
            diesel::insert_into(paper_instances::table)
                .values((
                    paper_instances::id.eq(DbUuid::new_v7()),
                    paper_instances::org_id.eq(scope.org_id()),
                    paper_instances::paper_id.eq(row.id),
                    paper_instances::candidate_id.eq(candidate),
                    paper_instances::revision.eq(row.revision),
                    paper_instances::seed.eq(seed.to_string()),
                    paper_instances::arrangement.eq(&json),
                    paper_instances::created_at.eq(now),
                ))
                .execute(conn)?;
        }
    }
    Ok((todo.len() as i64, kept))
}

/// [`pregenerate`] for the paper `paper_id` (exam assignment uses it).
pub fn pregenerate_for(
    conn: &mut DbConnection,
    scope: &OrgScope,
    paper_id: DbUuid,
    wanted: &[DbUuid],
) -> Result<(i64, i64), ApiError> {
    let row = find_paper(conn, scope, paper_id)?;
    pregenerate(conn, scope, &row, wanted)
}

/// A freshly drawn and shuffled paper `(seed, arrangement JSON)` for a later attempt at an
/// exam: a retake never gets the paper of an earlier attempt, whose keys its candidate may have
/// reviewed. Nothing is stored here; the attempt keeps what it was given.
pub fn fresh_paper(
    conn: &mut DbConnection,
    scope: &OrgScope,
    paper_id: DbUuid,
) -> Result<(String, String), ApiError> {
    let row = find_paper(conn, scope, paper_id)?;
    let seed: u64 = rand::random();
    let arrangement = draw(conn, scope, &row, seed)?;
    let json = serde_json::to_string(&arrangement).map_err(anyhow::Error::from)?;
    Ok((seed.to_string(), json))
}

/// A paper's name and spec for an attempt, deleted or not (an attempt keeps the paper it was
/// given).
pub fn paper_for_attempt(
    conn: &mut DbConnection,
    scope: &OrgScope,
    id: DbUuid,
) -> Result<(String, Spec), ApiError> {
    let (name, spec): (String, String) = scoped!(papers, scope)
        .filter(papers::id.eq(id))
        .select((papers::name, papers::spec))
        .first(conn)
        .optional()?
        .ok_or(ApiError::NotFound)?;
    Ok((
        name,
        serde_json::from_str(&spec).map_err(anyhow::Error::from)?,
    ))
}

/// The `(seed, arrangement JSON)` pre-generated for a candidate, if any.
pub fn instance_of(
    conn: &mut DbConnection,
    scope: &OrgScope,
    paper_id: DbUuid,
    candidate: DbUuid,
) -> Result<Option<(String, String)>, ApiError> {
    Ok(scoped!(paper_instances, scope)
        .filter(paper_instances::paper_id.eq(paper_id))
        .filter(paper_instances::candidate_id.eq(candidate))
        .select((paper_instances::seed, paper_instances::arrangement))
        .first(conn)
        .optional()?)
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
            let row = find_paper(conn, &scope, id)?;
            // A candidate outside an admin's groups is not found, like everywhere else.
            crate::candidates::model::find(conn, &scope, candidate)?;
            let (seed, arrangement): (String, String) = scoped!(paper_instances, scope)
                .filter(paper_instances::paper_id.eq(id))
                .filter(paper_instances::candidate_id.eq(candidate))
                .select((paper_instances::seed, paper_instances::arrangement))
                .first(conn)
                .optional()?
                .ok_or(ApiError::NotFound)?;
            let arrangement: generate::Arrangement =
                serde_json::from_str(&arrangement).map_err(anyhow::Error::from)?;
            let seed = seed.parse::<u64>().map_err(anyhow::Error::from)?;
            model::candidate_paper(
                conn,
                &scope,
                (row.id, &row.name),
                &row.spec,
                &arrangement,
                Some(seed),
                labels::Labels::Authored,
            )
        })
        .await?;
    Ok(web::Json(paper))
}
