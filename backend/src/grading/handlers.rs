//! The grading workspace's operations: the exam's marking rule, its queue and progress, the
//! next item for a grader, one item, a mark, and giving an item back.

use std::collections::{BTreeMap, HashMap};

use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use shared::access::{Level, Module};
use shared::grading::{
    GraderProgress, GradingExam, GradingItemPage, GradingProgress, GradingTask, ItemStatus,
    MAX_COMMENT_CHARS, MAX_GRADERS_PER_ANSWER, MarkInput, MarkingSettings, NextItemInput,
    QuestionProgress, rubric_points,
};
use shared::questions::QuestionContent;
use utoipa::IntoParams;

use super::items::{self, PageFilter};
use super::limits;
use super::marks::{self, NewMark};
use super::task;
use crate::db::types::DbUuid;
use crate::errors::{ApiError, FieldErrors};
use crate::http::{ClientInfo, Fields, request_lang};
use crate::state::AppState;
use crate::tenancy::OrgScope;

/// The person grading: API keys read the queue but never mark (a mark is a person's).
/// 403 unless the caller's limit at the item's exam allows it.
fn allowed(
    conn: &mut crate::db::DbConnection,
    scope: &OrgScope,
    row: &items::ItemRow,
) -> Result<(), ApiError> {
    let limit = limits::of_caller(conn, scope, row.exam_id)?;
    if limits::allows(conn, &limit, row.id)? {
        Ok(())
    } else {
        Err(ApiError::Forbidden)
    }
}

fn grader(scope: &OrgScope) -> Result<DbUuid, ApiError> {
    scope.require(Module::Grading, Level::Write)?;
    scope.user_id().ok_or(ApiError::Forbidden)
}

#[utoipa::path(
    get,
    path = "/api/grading/exams",
    operation_id = "list_grading_exams",
    tag = "grading",
    security(("session_cookie" = []), ("api_key" = ["grading:read"])),
    responses(
        (status = 200, description = "The exams with submitted attempts that wait for a person, soonest closing first: where a grader starts (graders cannot list exams otherwise).", body = Vec<GradingExam>),
        (status = 403, description = "Needs `grading:read`.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn list_grading_exams(
    scope: OrgScope,
    state: web::Data<AppState>,
) -> Result<web::Json<Vec<GradingExam>>, ApiError> {
    scope.require(Module::Grading, Level::Read)?;
    let exams = state
        .db
        .run(move |conn| {
            let waiting: HashMap<DbUuid, i64> =
                items::exams_waiting(conn, &scope)?.into_iter().collect();
            let ids: Vec<DbUuid> = waiting.keys().copied().collect();
            let mut rows = crate::exams::model::find_many(conn, &scope, &ids)?;
            rows.sort_by_key(|e| (e.closes_at, e.id));
            Ok::<_, ApiError>(
                rows.into_iter()
                    .map(|e| GradingExam {
                        id: e.id.to_string(),
                        name: e.settings.name.clone(),
                        closes_at: e.closes_at.to_canonical_string(),
                        attempts_waiting: waiting
                            .get(&e.id)
                            .map_or(0, |n| u32::try_from(*n).unwrap_or(u32::MAX)),
                    })
                    .collect(),
            )
        })
        .await?;
    Ok(web::Json(exams))
}

#[utoipa::path(
    get,
    path = "/api/exams/{id}/marking",
    operation_id = "get_marking",
    tag = "grading",
    security(("session_cookie" = []), ("api_key" = ["grading:read"])),
    params(("id" = String, Path, description = "The exam id.")),
    responses(
        (status = 200, description = "How the exam's answers that need a person are marked (one mark, no tolerance, unless set).", body = MarkingSettings),
        (status = 403, description = "Needs `grading:read`.", body = shared::ErrorBody),
        (status = 404, description = "No such exam in this organisation.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn get_marking(
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<uuid::Uuid>,
) -> Result<web::Json<MarkingSettings>, ApiError> {
    scope.require(Module::Grading, Level::Read)?;
    let exam = DbUuid(path.into_inner());
    let settings = state
        .db
        .run(move |conn| {
            crate::exams::model::find(conn, &scope, exam)?;
            Ok::<_, ApiError>(marks::marking(conn, &scope, exam)?)
        })
        .await?;
    Ok(web::Json(settings))
}

#[utoipa::path(
    put,
    path = "/api/exams/{id}/marking",
    operation_id = "update_marking",
    tag = "grading",
    security(("session_cookie" = []), ("api_key" = ["exams:write"])),
    params(("id" = String, Path, description = "The exam id.")),
    request_body = MarkingSettings,
    responses(
        (status = 200, description = "Set; items already decided stay decided. Audited.", body = MarkingSettings),
        (status = 403, description = "Needs `exams:write`.", body = shared::ErrorBody),
        (status = 404, description = "No such exam in this organisation.", body = shared::ErrorBody),
        (status = 422, description = "`graders_per_answer` or `tolerance`: `out_of_range`.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn update_marking(
    req: HttpRequest,
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<uuid::Uuid>,
    body: web::Json<MarkingSettings>,
) -> Result<web::Json<MarkingSettings>, ApiError> {
    scope.require(Module::Exams, Level::Write)?;
    let exam = DbUuid(path.into_inner());
    let input = body.into_inner();
    let mut fields = Fields::default();
    if !(1..=MAX_GRADERS_PER_ANSWER).contains(&input.graders_per_answer) {
        fields.push("graders_per_answer", "out_of_range");
    }
    if !input.tolerance.is_finite() || !(0.0..=1000.0).contains(&input.tolerance) {
        fields.push("tolerance", "out_of_range");
    }
    fields.finish()?;
    let client = ClientInfo::of(&req);
    let settings = state
        .transaction(move |conn, st| {
            crate::exams::model::find(conn, &scope, exam)?;
            let checked = limits::check(conn, &scope, &input.limits)?;
            marks::set_marking(conn, &scope, exam, &input)?;
            limits::set(conn, &scope, exam, &checked)?;
            client.log_change(
                conn,
                &st.cipher,
                &scope,
                "grading.marking.update",
                Some(("exam", exam.to_string())),
                serde_json::json!({ "graders_per_answer": input.graders_per_answer,
                    "tolerance": input.tolerance, "limits": input.limits }),
            )?;
            Ok(marks::marking(conn, &scope, exam)?)
        })
        .await?;
    Ok(web::Json(settings))
}

/// `GET /api/exams/{id}/grading/items`: filters and page.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ItemQuery {
    /// Items of this question.
    #[param(value_type = Option<uuid::Uuid>)]
    pub question_id: Option<uuid::Uuid>,
    /// `open`, `arbitration` or `done`.
    #[param(value_type = Option<ItemStatus>)]
    pub status: Option<String>,
    /// Items this grader marked.
    #[param(value_type = Option<uuid::Uuid>)]
    pub grader_id: Option<uuid::Uuid>,
    /// Skip this many (default 0).
    #[param(minimum = 0)]
    pub offset: Option<i64>,
    /// Page size 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
}

fn filter_of(q: ItemQuery) -> Result<PageFilter, FieldErrors> {
    let mut fields = Fields::default();
    let status = match q.status.as_deref() {
        None => None,
        Some(s) => {
            let parsed = ItemStatus::parse(s);
            if parsed.is_none() {
                fields.push("status", "invalid_format");
            }
            parsed
        }
    };
    let (offset, limit) = fields.page(q.offset, q.limit);
    fields.finish()?;
    Ok(PageFilter {
        question: q.question_id.map(DbUuid),
        status,
        grader: q.grader_id.map(DbUuid),
        offset,
        limit,
    })
}

#[utoipa::path(
    get,
    path = "/api/exams/{id}/grading/items",
    operation_id = "list_grading_items",
    tag = "grading",
    security(("session_cookie" = []), ("api_key" = ["grading:read"])),
    params(("id" = String, Path, description = "The exam id."), ItemQuery),
    responses(
        (status = 200, description = "The exam's answers that need a person, in queue order (question, part, submission); blind: an anonymous code per attempt.", body = GradingItemPage),
        (status = 403, description = "Needs `grading:read`.", body = shared::ErrorBody),
        (status = 404, description = "No such exam in this organisation.", body = shared::ErrorBody),
        (status = 422, description = "Invalid filters.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn list_grading_items(
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<uuid::Uuid>,
    query: web::Query<ItemQuery>,
) -> Result<web::Json<GradingItemPage>, ApiError> {
    scope.require(Module::Grading, Level::Read)?;
    let exam = DbUuid(path.into_inner());
    let filter = filter_of(query.into_inner())?;
    let page = state
        .transaction(move |conn, _| {
            crate::exams::model::find(conn, &scope, exam)?;
            items::sync(conn, &scope, exam)?;
            let required = marks::marking(conn, &scope, exam)?.graders_per_answer;
            let limit = limits::of_caller(conn, &scope, exam)?;
            let (rows, total) = items::page(conn, &scope, exam, &filter, &limit)?;
            let mine: HashMap<DbUuid, i32> = match scope.user_id() {
                Some(u) => {
                    let ids: Vec<DbUuid> = rows.iter().map(|r| r.id).collect();
                    marks::mine_of(conn, &scope, &ids, u)?.into_iter().collect()
                }
                None => HashMap::new(),
            };
            Ok(GradingItemPage {
                items: rows
                    .iter()
                    .map(|r| task::item_dto(r, required, mine.get(&r.id).copied()))
                    .collect(),
                total,
                offset: filter.offset,
                limit: filter.limit,
            })
        })
        .await?;
    Ok(web::Json(page))
}

#[utoipa::path(
    post,
    path = "/api/exams/{id}/grading/next",
    operation_id = "next_grading_item",
    tag = "grading",
    security(("session_cookie" = [])),
    params(("id" = String, Path, description = "The exam id.")),
    request_body = NextItemInput,
    responses(
        (status = 200, description = "The next item the caller may mark (not marked by them, not held by another grader, wanting marks or an arbiter), held for them for 10 minutes; their other holds end.", body = GradingTask),
        (status = 204, description = "Nothing left for the caller to mark."),
        (status = 403, description = "Needs `grading:write`, as a person (API keys do not mark).", body = shared::ErrorBody),
        (status = 404, description = "No such exam in this organisation.", body = shared::ErrorBody),
        (status = 422, description = "`skip`: `too_many` (more than 500).", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn next_grading_item(
    req: HttpRequest,
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<uuid::Uuid>,
    body: web::Json<NextItemInput>,
) -> Result<HttpResponse, ApiError> {
    let user = grader(&scope)?;
    let lang = request_lang(&req);
    let exam = DbUuid(path.into_inner());
    let input = body.into_inner();
    let mut fields = Fields::default();
    if input.skip.len() > 500 {
        fields.push("skip", "too_many");
    }
    let question = match input.question_id.as_deref().map(uuid::Uuid::parse_str) {
        None => None,
        Some(Ok(q)) => Some(DbUuid(q)),
        Some(Err(_)) => {
            fields.push("question_id", "invalid_format");
            None
        }
    };
    let mut skip = Vec::with_capacity(input.skip.len());
    for s in &input.skip {
        match uuid::Uuid::parse_str(s) {
            Ok(id) => skip.push(DbUuid(id)),
            Err(_) => {
                fields.push("skip", "invalid_format");
                break;
            }
        }
    }
    fields.finish()?;
    let found = state
        .transaction(move |conn, _| {
            crate::exams::model::find(conn, &scope, exam)?;
            items::sync(conn, &scope, exam)?;
            let required = marks::marking(conn, &scope, exam)?.graders_per_answer;
            let required = i32::try_from(required).unwrap_or(1);
            let mut limit = limits::of_caller(conn, &scope, exam)?;
            if let Some(q) = question {
                // One question asked for: within the limit, or nothing.
                let within = limit.questions.as_ref().is_none_or(|l| l.contains(&q));
                limit.questions = Some(if within { vec![q] } else { Vec::new() });
            }
            match items::lease_next(conn, &scope, exam, user, &skip, required, &limit)? {
                Some(row) => Ok(Some(task::task(conn, &scope, &row, Some(user), lang)?)),
                None => Ok(None),
            }
        })
        .await?;
    Ok(match found {
        Some(task) => HttpResponse::Ok().json(task),
        None => HttpResponse::NoContent().finish(),
    })
}

#[utoipa::path(
    get,
    path = "/api/grading/items/{id}",
    operation_id = "get_grading_item",
    tag = "grading",
    security(("session_cookie" = []), ("api_key" = ["grading:read"])),
    params(("id" = String, Path, description = "The grading item id.")),
    responses(
        (status = 200, description = "The item with its question, rubric and answer; the caller's mark; others' marks only once the item needs an arbiter (to one who did not mark it) or is decided.", body = GradingTask),
        (status = 403, description = "Needs `grading:read`.", body = shared::ErrorBody),
        (status = 404, description = "No such item in this organisation.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn get_grading_item(
    req: HttpRequest,
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<uuid::Uuid>,
) -> Result<web::Json<GradingTask>, ApiError> {
    scope.require(Module::Grading, Level::Read)?;
    let lang = request_lang(&req);
    let id = DbUuid(path.into_inner());
    let task = state
        .db
        .run(move |conn| {
            let row = items::find(conn, &scope, id)?;
            allowed(conn, &scope, &row)?;
            Ok::<_, ApiError>(task::task(conn, &scope, &row, scope.user_id(), lang)?)
        })
        .await?;
    Ok(web::Json(task))
}

/// Checks a mark against the item's points and the question's rubric.
fn checked_mark(
    input: &MarkInput,
    max_centi: i32,
    question: &QuestionContent,
) -> Result<NewMark, FieldErrors> {
    let mut fields = Fields::default();
    let centi = (input.points * 100.0).round();
    if !input.points.is_finite()
        || (input.points * 100.0 - centi).abs() > 1e-6
        || centi < 0.0
        || centi > f64::from(max_centi)
    {
        fields.push("points", "out_of_range");
    }
    let comment = input.comment.trim().to_owned();
    if comment.chars().count() > MAX_COMMENT_CHARS {
        fields.push("comment", "too_long");
    }
    if let Some(scores) = &input.rubric {
        let rubric = match question {
            QuestionContent::Essay { rubric, .. } => rubric.as_slice(),
            _ => &[],
        };
        if rubric.is_empty() {
            fields.push("rubric", "no_rubric");
        } else {
            match rubric_points(rubric, scores, f64::from(max_centi) / 100.0) {
                None => fields.push("rubric", "out_of_range"),
                Some(p) if (p - input.points).abs() > 0.005 => {
                    fields.push("rubric", "rubric_mismatch");
                }
                Some(_) => {}
            }
        }
    }
    fields.finish()?;
    Ok(NewMark {
        points_centi: centi as i32,
        rubric: input.rubric.clone(),
        comment,
    })
}

#[utoipa::path(
    put,
    path = "/api/grading/items/{id}/mark",
    operation_id = "mark_grading_item",
    tag = "grading",
    security(("session_cookie" = [])),
    params(("id" = String, Path, description = "The grading item id.")),
    request_body = MarkInput,
    responses(
        (status = 200, description = "Recorded (or the caller's mark changed). With all marks in: the mean when they agree within the tolerance, else the item waits for an arbiter; an arbiter's mark is final. When the attempt's last item is decided, its score is set and it is graded. Audited.", body = GradingTask),
        (status = 403, description = "Needs `grading:write`, as a person.", body = shared::ErrorBody),
        (status = 404, description = "No such item in this organisation.", body = shared::ErrorBody),
        (status = 409, description = "`item_leased` (another grader holds it), `item_done` (decided), `awaiting_arbiter` (the caller's mark is in; an arbiter decides) or `enough_marks` (others gave the marks it needs).", body = shared::ErrorBody),
        (status = 422, description = "`points`: `out_of_range` (0 to the item's points, in hundredths); `comment`: `too_long`; `rubric`: `no_rubric`, `out_of_range` or `rubric_mismatch`.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn mark_grading_item(
    req: HttpRequest,
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<uuid::Uuid>,
    body: web::Json<MarkInput>,
) -> Result<web::Json<GradingTask>, ApiError> {
    let user = grader(&scope)?;
    let lang = request_lang(&req);
    let id = DbUuid(path.into_inner());
    let input = body.into_inner();
    let client = ClientInfo::of(&req);
    let task = state
        .transaction(move |conn, st| {
            let row = items::find(conn, &scope, id)?;
            allowed(conn, &scope, &row)?;
            let (question, _) = task::question_of(conn, &scope, &row)?;
            let mark = checked_mark(&input, row.max_centi, &question)?;
            let recorded = marks::record(conn, &scope, id, user, &mark)?;
            client.log_change(
                conn,
                &st.cipher,
                &scope,
                if recorded.arbiter {
                    "grading.arbitrate"
                } else {
                    "grading.mark"
                },
                Some(("grading_item", id.to_string())),
                serde_json::json!({
                    "exam_id": row.exam_id.to_string(),
                    "attempt_id": row.attempt_id.to_string(),
                    "question_id": row.question_id.to_string(),
                    "points": f64::from(mark.points_centi) / 100.0,
                    "previous_points": recorded.previous_centi.map(|c| f64::from(c) / 100.0),
                    "status": recorded.item.status().as_str(),
                    "final_points": recorded.item.final_centi.map(|c| f64::from(c) / 100.0),
                    "attempt_score": recorded.attempt_score_centi.map(|c| f64::from(c) / 100.0),
                }),
            )?;
            Ok(task::task(conn, &scope, &recorded.item, Some(user), lang)?)
        })
        .await?;
    Ok(web::Json(task))
}

#[utoipa::path(
    delete,
    path = "/api/grading/items/{id}/lease",
    operation_id = "release_grading_item",
    tag = "grading",
    security(("session_cookie" = [])),
    params(("id" = String, Path, description = "The grading item id.")),
    responses(
        (status = 204, description = "The caller no longer holds the item (nothing changes if they did not)."),
        (status = 403, description = "Needs `grading:write`, as a person.", body = shared::ErrorBody),
        (status = 404, description = "No such item in this organisation.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn release_grading_item(
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<uuid::Uuid>,
) -> Result<HttpResponse, ApiError> {
    let user = grader(&scope)?;
    let id = DbUuid(path.into_inner());
    state
        .db
        .run(move |conn| {
            items::find(conn, &scope, id)?;
            Ok::<_, ApiError>(items::release(conn, &scope, id, user)?)
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(
    get,
    path = "/api/exams/{id}/grading/progress",
    operation_id = "get_grading_progress",
    tag = "grading",
    security(("session_cookie" = []), ("api_key" = ["grading:read"])),
    params(("id" = String, Path, description = "The exam id.")),
    responses(
        (status = 200, description = "Items done, waiting for an arbiter and in all, per question and per grader, and the attempts still waiting for a person.", body = GradingProgress),
        (status = 403, description = "Needs `grading:read`.", body = shared::ErrorBody),
        (status = 404, description = "No such exam in this organisation.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn get_grading_progress(
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<uuid::Uuid>,
) -> Result<web::Json<GradingProgress>, ApiError> {
    scope.require(Module::Grading, Level::Read)?;
    let exam = DbUuid(path.into_inner());
    let progress = state
        .transaction(move |conn, _| {
            crate::exams::model::find(conn, &scope, exam)?;
            items::sync(conn, &scope, exam)?;
            let rows = items::all_of_exam(conn, &scope, exam)?;
            let mut questions: BTreeMap<(i32, i32), QuestionProgress> = BTreeMap::new();
            for r in &rows {
                let q = questions
                    .entry((r.question_number, r.part))
                    .or_insert_with(|| QuestionProgress {
                        question_id: r.question_id.to_string(),
                        question_number: u32::try_from(r.question_number).unwrap_or(0),
                        part: r.part(),
                        total: 0,
                        done: 0,
                        arbitration: 0,
                    });
                q.total += 1;
                match r.status() {
                    ItemStatus::Done => q.done += 1,
                    ItemStatus::Arbitration => q.arbitration += 1,
                    ItemStatus::Open => {}
                }
            }
            let mut graders: BTreeMap<String, GraderProgress> = BTreeMap::new();
            for (grader, arbiter) in marks::graders_of_exam(conn, &scope, exam)? {
                let g = graders
                    .entry(grader.to_string())
                    .or_insert_with(|| GraderProgress {
                        grader_id: grader.to_string(),
                        marks: 0,
                        arbitrations: 0,
                    });
                if arbiter {
                    g.arbitrations += 1;
                } else {
                    g.marks += 1;
                }
            }
            let count = |s: ItemStatus| rows.iter().filter(|r| r.status() == s).count() as u32;
            Ok(GradingProgress {
                total: rows.len() as u32,
                done: count(ItemStatus::Done),
                arbitration: count(ItemStatus::Arbitration),
                attempts_waiting: u32::try_from(items::attempts_waiting(conn, &scope, exam)?)
                    .unwrap_or(u32::MAX),
                questions: questions.into_values().collect(),
                graders: graders.into_values().collect(),
            })
        })
        .await?;
    Ok(web::Json(progress))
}
