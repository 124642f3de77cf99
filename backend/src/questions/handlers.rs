//! Questions: list with filters, create, read, edit (a new version), delete, history, restore.

use actix_web::{HttpRequest, HttpResponse, web};
use diesel::prelude::*;
use serde::Deserialize;
use shared::access::{Level, Module};
use shared::questions::{
    BulkAction, BulkResult, QuestionDto, QuestionInput, QuestionPage, QuestionType,
    QuestionVersionDto,
};

use super::bulk;
use super::model::{self, VersionRow};
use super::search::{self, Filter};
use crate::db::schema::{question_versions, questions};
use crate::db::types::{DbUuid, Timestamp};
use crate::errors::{ApiError, FieldErrors};
use crate::http::{ClientInfo, Fields, audited_delete};
use crate::scoped;
use crate::state::AppState;
use crate::tenancy::OrgScope;

/// Filters of a bank's question list.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QuestionQuery {
    /// A question type, e.g. `single_choice`.
    #[serde(rename = "type")]
    #[param(value_type = Option<shared::questions::QuestionType>)]
    pub qtype: Option<String>,
    /// 1–5.
    #[param(minimum = 1, maximum = 5)]
    pub difficulty: Option<i32>,
    /// Questions with this tag.
    pub tag: Option<String>,
    /// Questions in this category or below it.
    #[param(value_type = Option<uuid::Uuid>)]
    pub category_id: Option<uuid::Uuid>,
    /// Text in the stem or options (case-insensitive).
    pub q: Option<String>,
    /// Skip this many (default 0).
    #[param(minimum = 0)]
    pub offset: Option<i64>,
    /// Page size 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
}

#[utoipa::path(
    get,
    path = "/api/question-banks/{id}/questions",
    operation_id = "list_questions",
    tag = "questions",
    security(("session_cookie" = []), ("api_key" = ["questions:read"])),
    params(("id" = String, Path, description = "The bank id."), QuestionQuery),
    responses(
        (status = 200, description = "The bank's questions, most recently changed first.", body = QuestionPage),
        (status = 403, description = "Needs `questions:read`.", body = shared::ErrorBody),
        (status = 404, description = "No such bank in this organisation.", body = shared::ErrorBody),
        (status = 422, description = "Invalid filters.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn list_questions(
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<uuid::Uuid>,
    query: web::Query<QuestionQuery>,
) -> Result<web::Json<QuestionPage>, ApiError> {
    scope.require(Module::Questions, Level::Read)?;
    let bank = DbUuid(path.into_inner());
    let filter = filter_of(query.into_inner())?;
    let page = state
        .db
        .run(move |conn| Ok::<_, ApiError>(search::page(conn, &scope, bank, &filter)?))
        .await?;
    Ok(web::Json(page))
}

/// The query's filter and page, every field checked at once.
fn filter_of(q: QuestionQuery) -> Result<Filter, FieldErrors> {
    let mut fields = Fields::default();
    let qtype = match q.qtype.as_deref() {
        None => None,
        Some(t) => match QuestionType::parse(t) {
            Some(t) => Some(t),
            None => {
                fields.push("type", "invalid_format");
                None
            }
        },
    };
    if q.difficulty.is_some_and(|d| !(1..=5).contains(&d)) {
        fields.push("difficulty", "out_of_range");
    }
    let (offset, limit) = fields.page(q.offset, q.limit);
    fields.finish()?;
    Ok(Filter {
        qtype,
        difficulty: q.difficulty,
        category: q.category_id.map(DbUuid),
        tag: q.tag.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty()),
        text: q.q.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty()),
        offset,
        limit,
    })
}

#[utoipa::path(
    post,
    path = "/api/question-banks/{id}/questions",
    operation_id = "create_question",
    tag = "questions",
    security(("session_cookie" = []), ("api_key" = ["questions:write"])),
    params(("id" = String, Path, description = "The bank id.")),
    request_body = QuestionInput,
    responses(
        (status = 201, description = "Created as version 1; rich text is returned sanitised.", body = QuestionDto),
        (status = 403, description = "Needs `questions:write`.", body = shared::ErrorBody),
        (status = 404, description = "No such bank in this organisation.", body = shared::ErrorBody),
        (status = 422, description = "Invalid fields (`details.fields` names each, e.g. `content.options[1].text`).", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn create_question(
    req: HttpRequest,
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<uuid::Uuid>,
    body: web::Json<QuestionInput>,
) -> Result<HttpResponse, ApiError> {
    scope.require(Module::Questions, Level::Write)?;
    let bank = DbUuid(path.into_inner());
    let checked = model::check(body.into_inner())?;
    let client = ClientInfo::of(&req);
    let dto = state
        .transaction(move |conn, st| {
            model::find_bank(conn, &scope, bank)?;
            super::categories::check_in_bank(
                conn,
                &scope,
                bank,
                checked.category_id,
                "category_id",
            )?;
            let id = DbUuid::new_v7();
            model::write_version(conn, &scope, bank, id, 1, &checked)?;
            client.log_change(
                conn,
                &st.cipher,
                &scope,
                "question.create",
                Some(("question", id.to_string())),
                serde_json::json!({ "type": checked.content.question_type().as_str() }),
            )?;
            model::load_current(conn, &scope, &[id])?
                .pop()
                .ok_or(ApiError::NotFound)
        })
        .await?;
    Ok(HttpResponse::Created().json(dto))
}

#[utoipa::path(
    get,
    path = "/api/questions/{id}",
    operation_id = "get_question",
    tag = "questions",
    security(("session_cookie" = []), ("api_key" = ["questions:read"])),
    params(("id" = String, Path, description = "The question id.")),
    responses(
        (status = 200, description = "The question's current version.", body = QuestionDto),
        (status = 403, description = "Needs `questions:read`.", body = shared::ErrorBody),
        (status = 404, description = "No such question in this organisation.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn get_question(
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<uuid::Uuid>,
) -> Result<web::Json<QuestionDto>, ApiError> {
    scope.require(Module::Questions, Level::Read)?;
    let id = DbUuid(path.into_inner());
    let dto = state
        .db
        .run(move |conn| {
            model::load_current(conn, &scope, &[id])?
                .pop()
                .ok_or(ApiError::NotFound)
        })
        .await?;
    Ok(web::Json(dto))
}

#[utoipa::path(
    put,
    path = "/api/questions/{id}",
    operation_id = "update_question",
    tag = "questions",
    security(("session_cookie" = []), ("api_key" = ["questions:write"])),
    params(("id" = String, Path, description = "The question id.")),
    request_body = QuestionInput,
    responses(
        (status = 200, description = "Saved as a new version; earlier versions stay as they were.", body = QuestionDto),
        (status = 403, description = "Needs `questions:write`.", body = shared::ErrorBody),
        (status = 404, description = "No such question in this organisation.", body = shared::ErrorBody),
        (status = 422, description = "Invalid fields.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn update_question(
    req: HttpRequest,
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<uuid::Uuid>,
    body: web::Json<QuestionInput>,
) -> Result<web::Json<QuestionDto>, ApiError> {
    scope.require(Module::Questions, Level::Write)?;
    let id = DbUuid(path.into_inner());
    let checked = model::check(body.into_inner())?;
    let client = ClientInfo::of(&req);
    let dto = state
        .transaction(move |conn, st| {
            save_new_version(conn, st, &client, &scope, id, &checked, "question.update")
        })
        .await?;
    Ok(web::Json(dto))
}

fn save_new_version(
    conn: &mut crate::db::DbConnection,
    st: &AppState,
    client: &ClientInfo,
    scope: &OrgScope,
    id: DbUuid,
    checked: &model::Checked,
    action: &str,
) -> Result<QuestionDto, ApiError> {
    let (bank, _, current) = model::find(conn, scope, id)?;
    super::categories::check_in_bank(conn, scope, bank, checked.category_id, "category_id")?;
    let version = current + 1;
    model::write_version(conn, scope, bank, id, version, checked)?;
    client.log_change(
        conn,
        &st.cipher,
        scope,
        action,
        Some(("question", id.to_string())),
        serde_json::json!({ "version": version }),
    )?;
    model::load_current(conn, scope, &[id])?
        .pop()
        .ok_or(ApiError::NotFound)
}

#[utoipa::path(
    delete,
    path = "/api/questions/{id}",
    operation_id = "delete_question",
    tag = "questions",
    security(("session_cookie" = []), ("api_key" = ["questions:write"])),
    params(("id" = String, Path, description = "The question id.")),
    responses(
        (status = 204, description = "Removed from the bank (its versions stay for papers and attempts that use them)."),
        (status = 403, description = "Needs `questions:write`.", body = shared::ErrorBody),
        (status = 404, description = "No such question in this organisation.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn delete_question(
    req: HttpRequest,
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<uuid::Uuid>,
) -> Result<HttpResponse, ApiError> {
    scope.require(Module::Questions, Level::Write)?;
    let id = DbUuid(path.into_inner());
    audited_delete(&req, scope, &state, "question", id, move |conn, scope| {
        model::find(conn, scope, id)?;
        diesel::update(scoped!(questions, scope).filter(questions::id.eq(id)))
            .set((
                questions::status.eq("deleted"),
                questions::updated_at.eq(Timestamp::now()),
            ))
            .execute(conn)?;
        Ok(((), serde_json::json!({})))
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(
    get,
    path = "/api/questions/{id}/versions",
    operation_id = "list_question_versions",
    tag = "questions",
    security(("session_cookie" = []), ("api_key" = ["questions:read"])),
    params(("id" = String, Path, description = "The question id.")),
    responses(
        (status = 200, description = "Every version, newest first.", body = Vec<QuestionVersionDto>),
        (status = 403, description = "Needs `questions:read`.", body = shared::ErrorBody),
        (status = 404, description = "No such question in this organisation.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn list_question_versions(
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<uuid::Uuid>,
) -> Result<web::Json<Vec<QuestionVersionDto>>, ApiError> {
    scope.require(Module::Questions, Level::Read)?;
    let id = DbUuid(path.into_inner());
    let list = state
        .db
        .run(move |conn| {
            model::find(conn, &scope, id)?;
            let rows: Vec<VersionRow> = scoped!(question_versions, scope)
                .filter(question_versions::question_id.eq(id))
                .order(question_versions::version.desc())
                .select(VersionRow::as_select())
                .load(conn)?;
            rows.iter()
                .map(VersionRow::to_version_dto)
                .collect::<Result<Vec<_>, _>>()
                .map_err(ApiError::from)
        })
        .await?;
    Ok(web::Json(list))
}

#[utoipa::path(
    post,
    path = "/api/questions/{id}/versions/{version}/restore",
    operation_id = "restore_question_version",
    tag = "questions",
    security(("session_cookie" = []), ("api_key" = ["questions:write"])),
    params(
        ("id" = String, Path, description = "The question id."),
        ("version" = i32, Path, description = "The version to restore."),
    ),
    responses(
        (status = 200, description = "The old version's content saved as a new version.", body = QuestionDto),
        (status = 403, description = "Needs `questions:write`.", body = shared::ErrorBody),
        (status = 404, description = "No such question or version in this organisation.", body = shared::ErrorBody),
        (status = 422, description = "`validation_failed`: the old version does not pass today's checks (`details.fields` names what), for example a category deleted since or points no longer allowed.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn restore_question_version(
    req: HttpRequest,
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<(uuid::Uuid, i32)>,
) -> Result<web::Json<QuestionDto>, ApiError> {
    scope.require(Module::Questions, Level::Write)?;
    let (id, version) = path.into_inner();
    let id = DbUuid(id);
    let client = ClientInfo::of(&req);
    let dto = state
        .transaction(move |conn, st| {
            let (_, category, _) = model::find(conn, &scope, id)?;
            let old: VersionRow = scoped!(question_versions, scope)
                .filter(question_versions::question_id.eq(id))
                .filter(question_versions::version.eq(version))
                .select(VersionRow::as_select())
                .first(conn)
                .optional()?
                .ok_or(ApiError::NotFound)?;
            let checked = model::check(old.to_input(category)?)?;
            save_new_version(conn, st, &client, &scope, id, &checked, "question.restore")
        })
        .await?;
    Ok(web::Json(dto))
}

#[utoipa::path(
    post,
    path = "/api/question-banks/{id}/questions/bulk",
    operation_id = "bulk_questions",
    tag = "questions",
    security(("session_cookie" = []), ("api_key" = ["questions:write"])),
    params(("id" = String, Path, description = "The bank id.")),
    request_body = BulkAction,
    responses(
        (status = 200, description = "Done for every listed question (all or none).", body = BulkResult),
        (status = 403, description = "Needs `questions:write`.", body = shared::ErrorBody),
        (status = 404, description = "No such bank in this organisation.", body = shared::ErrorBody),
        (status = 422, description = "An id that is not an active question of this bank, an unknown category, bad tags, or more than 1000 questions.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn bulk_questions(
    req: HttpRequest,
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<uuid::Uuid>,
    body: web::Json<BulkAction>,
) -> Result<web::Json<BulkResult>, ApiError> {
    scope.require(Module::Questions, Level::Write)?;
    let bank = DbUuid(path.into_inner());
    let action = body.into_inner();
    let ids = bulk::question_ids(&action)?;
    let client = ClientInfo::of(&req);
    let result = state
        .transaction(move |conn, st| {
            let (name, mut details) = bulk::apply(conn, &scope, bank, &action, &ids)?;
            details["question_ids"] =
                serde_json::json!(ids.iter().map(ToString::to_string).collect::<Vec<_>>());
            client.log_change(
                conn,
                &st.cipher,
                &scope,
                name,
                Some(("question_bank", bank.to_string())),
                details,
            )?;
            Ok(BulkResult {
                affected: i64::try_from(ids.len()).unwrap_or(i64::MAX),
            })
        })
        .await?;
    Ok(web::Json(result))
}
