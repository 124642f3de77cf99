//! The re-grade routes: the preview, starting a run and reading one.

use std::collections::{BTreeMap, HashSet};

use actix_web::{HttpRequest, HttpResponse, web};
use diesel::prelude::*;
use shared::access::{Level, Module};
use shared::regrade::{
    MAX_DIFFERENCES, RegradeAccepted, RegradeDifference, RegradeExam, RegradeInput, RegradePreview,
    RegradeRun,
};

use super::{compute, run};
use crate::crypto::FieldCipher;
use crate::db::DbConnection;
use crate::db::schema::exams;
use crate::db::types::{DbUuid, Timestamp};
use crate::errors::{ApiError, ModelError};
use crate::http::{ClientInfo, Fields};
use crate::scoped;
use crate::state::AppState;
use crate::tenancy::OrgScope;

/// Attempts read per query of the preview.
const PAGE: i64 = 500;
/// Exams a run may be limited to.
const MAX_EXAMS: usize = 1000;

/// Adds each candidate's account and name to `list`, decrypted for this answer only, when the
/// caller may read candidates (the same lookup as the results table); otherwise the ids stay
/// alone.
fn with_names(
    conn: &mut DbConnection,
    cipher: &FieldCipher,
    scope: &OrgScope,
    list: &mut [RegradeDifference],
) -> Result<(), ModelError> {
    if !scope.can(Module::Candidates, Level::Read) || list.is_empty() {
        return Ok(());
    }
    let ids: Vec<DbUuid> = list
        .iter()
        .filter_map(|d| uuid::Uuid::parse_str(&d.candidate_id).ok().map(DbUuid))
        .collect();
    let found = crate::results::export::names_of(conn, cipher, scope, &ids)?;
    for d in list {
        if let Some((account, name)) = found.get(&d.candidate_id) {
            d.account = Some(account.clone());
            d.name = Some(name.clone());
        }
    }
    Ok(())
}

/// Everything a re-grade against the question's current version would change.
fn preview(
    conn: &mut DbConnection,
    scope: &OrgScope,
    question: DbUuid,
) -> Result<RegradePreview, ModelError> {
    let target = compute::target(conn, scope, question, None)?;
    let now = Timestamp::now();
    let mut exams: BTreeMap<DbUuid, RegradeExam> = BTreeMap::new();
    let mut rows = compute::Exams::new();
    let (mut examined, mut changed) = (0u32, 0u32);
    let mut differences = Vec::new();
    let mut after = None;
    loop {
        let found = compute::finished_batch(conn, scope, question, &[], after, PAGE)?;
        let ids: Vec<DbUuid> = found.iter().map(|a| a.id).collect();
        let answers = compute::answers_of(conn, scope, question, &ids)?;
        for attempt in &found {
            let Some(exam) = compute::exam_of(conn, scope, &mut rows, attempt.exam_id)? else {
                continue;
            };
            examined += 1;
            let summary = exams.entry(attempt.exam_id).or_insert_with(|| RegradeExam {
                exam_id: attempt.exam_id.to_string(),
                name: exam.settings.name.clone(),
                attempts: 0,
                changed: 0,
            });
            summary.attempts += 1;
            let answer = answers.get(&attempt.id);
            if let Some(r) = compute::recompute(attempt, exam, &target, answer, now)? {
                summary.changed += 1;
                changed += 1;
                if differences.len() < MAX_DIFFERENCES {
                    differences.push(r.difference(attempt));
                }
            }
        }
        if (found.len() as i64) < PAGE {
            break;
        }
        after = ids.last().copied();
    }
    Ok(RegradePreview {
        question_id: question.to_string(),
        version: target.version,
        exams: exams.into_values().collect(),
        examined,
        changed,
        truncated: changed as usize > differences.len(),
        differences,
    })
}

#[utoipa::path(
    get,
    path = "/api/questions/{id}/regrade",
    operation_id = "preview_regrade",
    tag = "regrade",
    security(("session_cookie" = []), ("api_key" = ["questions:read", "exams:read"])),
    params(("id" = String, Path, description = "The question id.")),
    responses(
        (status = 200, description = "The finished attempts that used the question (any version), per exam, and the first 500 whose result a re-grade against the question's current version would change, before and after (with the candidate's `account` and `name` for callers with `candidates:read`). Nothing is written.", body = RegradePreview),
        (status = 403, description = "Needs `questions:read` and `exams:read`.", body = shared::ErrorBody),
        (status = 404, description = "No such question in this organisation.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn preview_regrade(
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<uuid::Uuid>,
) -> Result<web::Json<RegradePreview>, ApiError> {
    scope.require(Module::Questions, Level::Read)?;
    scope.require(Module::Exams, Level::Read)?;
    let question = DbUuid(path.into_inner());
    let cipher = state.cipher.clone();
    let dto = state
        .db
        .run(move |conn| {
            let mut dto = preview(conn, &scope, question)?;
            with_names(conn, &cipher, &scope, &mut dto.differences)?;
            Ok::<_, ApiError>(dto)
        })
        .await?;
    Ok(web::Json(dto))
}

/// The exam ids of the input, each once: well-formed and at most [`MAX_EXAMS`].
fn exam_ids(input: &RegradeInput) -> Result<Vec<DbUuid>, ApiError> {
    if input.exam_ids.len() > MAX_EXAMS {
        return Err(Fields::single("exam_ids", "too_many"));
    }
    let mut seen = HashSet::new();
    let mut ids = Vec::new();
    for (i, s) in input.exam_ids.iter().enumerate() {
        let id = uuid::Uuid::parse_str(s.trim())
            .map(DbUuid)
            .map_err(|_| Fields::single(&format!("exam_ids[{i}]"), "invalid_format"))?;
        if seen.insert(id) {
            ids.push(id);
        }
    }
    Ok(ids)
}

#[utoipa::path(
    post,
    path = "/api/questions/{id}/regrade",
    operation_id = "start_regrade",
    tag = "regrade",
    security(("session_cookie" = []), ("api_key" = ["questions:read", "exams:write"])),
    params(("id" = String, Path, description = "The question id.")),
    request_body = RegradeInput,
    responses(
        (status = 202, description = "Queued (audited `question.regrade`): a job grades the question again, against its current version, in every finished attempt that used it (of the listed exams only, if any). Only attempts whose result changes are written, each audited `attempt.regraded` with its before and after; released ones get a \"result changed\" notice. A grader's marks are kept. Follow it at `/api/regrades/{id}`.", body = RegradeAccepted),
        (status = 403, description = "Needs `questions:read` and `exams:write`.", body = shared::ErrorBody),
        (status = 404, description = "No such question in this organisation.", body = shared::ErrorBody),
        (status = 422, description = "`exam_ids`: `too_many` (over 1,000); `exam_ids[i]`: `invalid_format`, or `not_found` (no such exam in this organisation).", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn start_regrade(
    req: HttpRequest,
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<uuid::Uuid>,
    body: web::Json<RegradeInput>,
) -> Result<HttpResponse, ApiError> {
    scope.require(Module::Questions, Level::Read)?;
    scope.require(Module::Exams, Level::Write)?;
    let question = DbUuid(path.into_inner());
    let exam_ids = exam_ids(&body)?;
    let client = ClientInfo::of(&req);
    let id = state
        .transaction(move |conn, st| {
            let (_, _, version) = crate::questions::model::find(conn, &scope, question)?;
            let known: HashSet<DbUuid> = scoped!(exams, &scope)
                .filter(exams::id.eq_any(exam_ids.clone()))
                .filter(exams::status.eq("active"))
                .select(exams::id)
                .load::<DbUuid>(conn)?
                .into_iter()
                .collect();
            if let Some(i) = exam_ids.iter().position(|e| !known.contains(e)) {
                return Err(Fields::single(&format!("exam_ids[{i}]"), "not_found"));
            }
            let id = run::create(conn, &scope, question, version, &exam_ids)?;
            client.log_change(
                conn,
                &st.cipher,
                &scope,
                "question.regrade",
                Some(("question", question.to_string())),
                serde_json::json!({ "regrade_id": id.to_string(), "version": version,
                    "exam_ids": exam_ids.iter().map(ToString::to_string).collect::<Vec<_>>() }),
            )?;
            Ok::<_, ApiError>(id)
        })
        .await?;
    Ok(HttpResponse::Accepted().json(RegradeAccepted { id: id.to_string() }))
}

#[utoipa::path(
    get,
    path = "/api/regrades/{id}",
    operation_id = "get_regrade",
    tag = "regrade",
    security(("session_cookie" = []), ("api_key" = ["exams:read"])),
    params(("id" = String, Path, description = "The re-grade run's id.")),
    responses(
        (status = 200, description = "The run: its status, how many attempts it examined and changed so far, and the first 500 changes with their before and after (with the candidate's `account` and `name` for callers with `candidates:read`).", body = RegradeRun),
        (status = 403, description = "Needs `exams:read`.", body = shared::ErrorBody),
        (status = 404, description = "No such run in this organisation.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn get_regrade(
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<uuid::Uuid>,
) -> Result<web::Json<RegradeRun>, ApiError> {
    scope.require(Module::Exams, Level::Read)?;
    let id = DbUuid(path.into_inner());
    let cipher = state.cipher.clone();
    let dto = state
        .db
        .run(move |conn| {
            let mut dto = run::find(conn, &scope, id)?.to_dto()?;
            with_names(conn, &cipher, &scope, &mut dto.differences)?;
            Ok::<_, ApiError>(dto)
        })
        .await?;
    Ok(web::Json(dto))
}
