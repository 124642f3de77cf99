//! `GET/POST /api/question-banks`, `PATCH/DELETE /api/question-banks/{id}`.

use actix_web::{HttpRequest, HttpResponse, web};
use diesel::prelude::*;
use shared::access::{Level, Module};
use shared::questions::{BankDto, BankInput};

use crate::db::DbConnection;
use crate::db::schema::{attachments, question_banks, questions};
use crate::db::types::{DbUuid, Timestamp};
use crate::errors::ApiError;
use crate::http::{ClientInfo, Fields, audited_delete};
use crate::scoped;
use crate::state::AppState;
use crate::tenancy::OrgScope;

fn parse(input: &BankInput) -> Result<(String, String), ApiError> {
    let mut fields = Fields::default();
    let (name, description) = fields.name_and_description(&input.name, &input.description);
    fields.finish()?;
    Ok((name, description))
}

fn load(conn: &mut DbConnection, scope: &OrgScope) -> QueryResult<Vec<BankDto>> {
    let banks: Vec<(DbUuid, String, String, Timestamp)> = scoped!(question_banks, scope)
        .order(question_banks::name.asc())
        .select((
            question_banks::id,
            question_banks::name,
            question_banks::description,
            question_banks::created_at,
        ))
        .load(conn)?;
    let counts: Vec<(DbUuid, i64)> = scoped!(questions, scope)
        .filter(questions::status.eq("active"))
        .group_by(questions::bank_id)
        .select((questions::bank_id, diesel::dsl::count_star()))
        .load(conn)?;
    Ok(banks
        .into_iter()
        .map(|(id, name, description, created)| BankDto {
            id: id.to_string(),
            question_count: counts.iter().find(|c| c.0 == id).map_or(0, |c| c.1),
            name,
            description,
            created_at: created.to_canonical_string(),
        })
        .collect())
}

fn one(conn: &mut DbConnection, scope: &OrgScope, id: DbUuid) -> Result<BankDto, ApiError> {
    load(conn, scope)?
        .into_iter()
        .find(|b| b.id == id.to_string())
        .ok_or(ApiError::NotFound)
}

#[utoipa::path(
    get,
    path = "/api/question-banks",
    operation_id = "list_banks",
    tag = "questions",
    security(("session_cookie" = []), ("api_key" = ["questions:read"])),
    responses(
        (status = 200, description = "The organisation's question banks by name.", body = Vec<BankDto>),
        (status = 403, description = "Needs `questions:read`.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn list_banks(
    scope: OrgScope,
    state: web::Data<AppState>,
) -> Result<web::Json<Vec<BankDto>>, ApiError> {
    scope.require(Module::Questions, Level::Read)?;
    let banks = state
        .db
        .run(move |conn| load(conn, &scope).map_err(ApiError::from))
        .await?;
    Ok(web::Json(banks))
}

#[utoipa::path(
    post,
    path = "/api/question-banks",
    operation_id = "create_bank",
    tag = "questions",
    security(("session_cookie" = []), ("api_key" = ["questions:write"])),
    request_body = BankInput,
    responses(
        (status = 201, description = "Created.", body = BankDto),
        (status = 403, description = "Needs `questions:write`.", body = shared::ErrorBody),
        (status = 409, description = "A bank of that name exists.", body = shared::ErrorBody),
        (status = 422, description = "Invalid fields.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn create_bank(
    req: HttpRequest,
    scope: OrgScope,
    state: web::Data<AppState>,
    body: web::Json<BankInput>,
) -> Result<HttpResponse, ApiError> {
    scope.require(Module::Questions, Level::Write)?;
    let (name, description) = parse(&body)?;
    let client = ClientInfo::of(&req);
    let bank = state
        .transaction(move |conn, st| {
            let id = DbUuid::new_v7();
            let now = Timestamp::now();
            diesel::insert_into(question_banks::table)
                .values((
                    question_banks::id.eq(id),
                    question_banks::org_id.eq(scope.org_id()),
                    question_banks::name.eq(&name),
                    question_banks::description.eq(&description),
                    question_banks::created_at.eq(now),
                    question_banks::updated_at.eq(now),
                ))
                .execute(conn)?;
            client.log_change(
                conn,
                &st.cipher,
                &scope,
                "question_bank.create",
                Some(("question_bank", id.to_string())),
                serde_json::json!({ "name": name }),
            )?;
            one(conn, &scope, id)
        })
        .await?;
    Ok(HttpResponse::Created().json(bank))
}

#[utoipa::path(
    patch,
    path = "/api/question-banks/{id}",
    operation_id = "update_bank",
    tag = "questions",
    security(("session_cookie" = []), ("api_key" = ["questions:write"])),
    params(("id" = String, Path, description = "The bank id.")),
    request_body = BankInput,
    responses(
        (status = 200, description = "Updated.", body = BankDto),
        (status = 403, description = "Needs `questions:write`.", body = shared::ErrorBody),
        (status = 404, description = "No such bank in this organisation.", body = shared::ErrorBody),
        (status = 409, description = "A bank of that name exists.", body = shared::ErrorBody),
        (status = 422, description = "Invalid fields.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn update_bank(
    req: HttpRequest,
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<uuid::Uuid>,
    body: web::Json<BankInput>,
) -> Result<web::Json<BankDto>, ApiError> {
    scope.require(Module::Questions, Level::Write)?;
    let id = DbUuid(path.into_inner());
    let (name, description) = parse(&body)?;
    let client = ClientInfo::of(&req);
    let bank = state
        .transaction(move |conn, st| {
            super::model::find_bank(conn, &scope, id)?;
            diesel::update(scoped!(question_banks, scope).filter(question_banks::id.eq(id)))
                .set((
                    question_banks::name.eq(&name),
                    question_banks::description.eq(&description),
                    question_banks::updated_at.eq(Timestamp::now()),
                ))
                .execute(conn)?;
            client.log_change(
                conn,
                &st.cipher,
                &scope,
                "question_bank.update",
                Some(("question_bank", id.to_string())),
                serde_json::json!({ "name": name }),
            )?;
            one(conn, &scope, id)
        })
        .await?;
    Ok(web::Json(bank))
}

#[utoipa::path(
    delete,
    path = "/api/question-banks/{id}",
    operation_id = "delete_bank",
    tag = "questions",
    security(("session_cookie" = []), ("api_key" = ["questions:write"])),
    params(("id" = String, Path, description = "The bank id.")),
    responses(
        (status = 204, description = "Deleted."),
        (status = 403, description = "Needs `questions:write`.", body = shared::ErrorBody),
        (status = 404, description = "No such bank in this organisation.", body = shared::ErrorBody),
        (status = 409, description = "The bank still has questions (`details.reason`: `bank_not_empty`).", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn delete_bank(
    req: HttpRequest,
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<uuid::Uuid>,
) -> Result<HttpResponse, ApiError> {
    scope.require(Module::Questions, Level::Write)?;
    let id = DbUuid(path.into_inner());
    let files = audited_delete(
        &req,
        scope,
        &state,
        "question_bank",
        id,
        move |conn, scope| {
            super::model::find_bank(conn, scope, id)?;
            // Questions ever written stay: papers and attempts may reference their versions.
            let any: i64 = scoped!(questions, scope)
                .filter(questions::bank_id.eq(id))
                .count()
                .get_result(conn)?;
            if any > 0 {
                return Err(ApiError::Conflict {
                    detail: "bank_not_empty".to_owned(),
                });
            }
            // The bank's attachments go with it (rows by cascade); their files are removed
            // once the deletion has committed.
            let files: Vec<String> = scoped!(attachments, scope)
                .filter(attachments::bank_id.eq(id))
                .select(attachments::storage_key)
                .load(conn)?;
            diesel::delete(scoped!(attachments, scope).filter(attachments::bank_id.eq(id)))
                .execute(conn)?;
            diesel::delete(scoped!(question_banks, scope).filter(question_banks::id.eq(id)))
                .execute(conn)?;
            let details = serde_json::json!({ "attachments": files.len() });
            Ok((files, details))
        },
    )
    .await?;
    if !files.is_empty() {
        let storage = state.storage.clone();
        let _ = tokio::task::spawn_blocking(move || {
            super::attachments::remove_files(storage.as_ref(), &files)
        })
        .await;
    }
    Ok(HttpResponse::NoContent().finish())
}
