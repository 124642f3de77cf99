//! A bank's category tree: `GET/POST /api/question-banks/{id}/categories`,
//! `PATCH/DELETE /api/question-categories/{id}`, the lookups other modules use (a category's
//! bank, its descendants) and the categories an import names by path.

use std::collections::HashMap;

use actix_web::{HttpRequest, HttpResponse, web};
use diesel::prelude::*;
use shared::access::{Level, Module};
use shared::questions::{CategoryDto, CategoryInput};

use super::model::find_bank;
use crate::db::DbConnection;
use crate::db::schema::{question_categories, questions};
use crate::db::types::{DbUuid, Timestamp};
use crate::errors::{ApiError, ModelError};
use crate::http::{ClientInfo, Fields, audited_delete};
use crate::scoped;
use crate::state::AppState;
use crate::tenancy::OrgScope;

/// (id, parent) of every category of a bank.
fn tree(
    conn: &mut DbConnection,
    scope: &OrgScope,
    bank: DbUuid,
) -> QueryResult<Vec<(DbUuid, Option<DbUuid>)>> {
    scoped!(question_categories, scope)
        .filter(question_categories::bank_id.eq(bank))
        .select((question_categories::id, question_categories::parent_id))
        .load(conn)
}

/// `root` and every category below it.
pub fn with_descendants(
    conn: &mut DbConnection,
    scope: &OrgScope,
    bank: DbUuid,
    root: DbUuid,
) -> QueryResult<Vec<DbUuid>> {
    let all = tree(conn, scope, bank)?;
    let mut out = vec![root];
    let mut i = 0;
    while i < out.len() {
        let parent = out[i];
        out.extend(
            all.iter()
                .filter(|(_, p)| *p == Some(parent))
                .map(|(id, _)| *id),
        );
        i += 1;
    }
    Ok(out)
}

/// The bank of a category of the scope (`NotFound` when there is none).
pub fn bank_of(conn: &mut DbConnection, scope: &OrgScope, id: DbUuid) -> QueryResult<DbUuid> {
    scoped!(question_categories, scope)
        .filter(question_categories::id.eq(id))
        .select(question_categories::bank_id)
        .first(conn)
}

/// Checks that a category id (as given by a client) is one of `bank`'s.
pub fn check_in_bank(
    conn: &mut DbConnection,
    scope: &OrgScope,
    bank: DbUuid,
    id: Option<DbUuid>,
    field: &str,
) -> Result<(), ModelError> {
    match id {
        None => Ok(()),
        Some(id) => match bank_of(conn, scope, id) {
            Ok(b) if b == bank => Ok(()),
            Ok(_) | Err(diesel::result::Error::NotFound) => {
                Err(ModelError::field(field, "unknown_category"))
            }
            Err(other) => Err(other.into()),
        },
    }
}

/// Categories named by path (`数学/代数`) in an import, found or created once each.
#[derive(Default)]
pub(super) struct CategoryPaths(HashMap<String, DbUuid>);

impl CategoryPaths {
    pub(super) fn ensure(
        &mut self,
        conn: &mut DbConnection,
        scope: &OrgScope,
        bank: DbUuid,
        path: &str,
    ) -> Result<DbUuid, ModelError> {
        let mut parent: Option<DbUuid> = None;
        let mut so_far = String::new();
        for name in path
            .split(['/', '／', '>'])
            .map(str::trim)
            .filter(|n| !n.is_empty())
        {
            so_far.push('/');
            so_far.push_str(name);
            if let Some(id) = self.0.get(&so_far) {
                parent = Some(*id);
                continue;
            }
            let existing: Option<DbUuid> = scoped!(question_categories, scope)
                .filter(question_categories::bank_id.eq(bank))
                .filter(question_categories::name.eq(name))
                .select((question_categories::id, question_categories::parent_id))
                .load::<(DbUuid, Option<DbUuid>)>(conn)?
                .into_iter()
                .find(|(_, p)| *p == parent)
                .map(|(id, _)| id);
            let id = match existing {
                Some(id) => id,
                None => {
                    let id = DbUuid::new_v7();
                    diesel::insert_into(question_categories::table)
                        .values((
                            question_categories::id.eq(id),
                            question_categories::org_id.eq(scope.org_id()),
                            question_categories::bank_id.eq(bank),
                            question_categories::parent_id.eq(parent),
                            question_categories::name.eq(name),
                            question_categories::created_at.eq(Timestamp::now()),
                        ))
                        .execute(conn)?;
                    id
                }
            };
            self.0.insert(so_far.clone(), id);
            parent = Some(id);
        }
        parent.ok_or_else(|| ModelError::field("category", "invalid_format"))
    }
}

fn parse(input: &CategoryInput) -> Result<(String, Option<DbUuid>), ApiError> {
    let mut fields = Fields::default();
    let name = input.name.trim().to_owned();
    match name.chars().count() {
        0 => fields.push("name", "required"),
        101.. => fields.push("name", "too_long"),
        _ if name.chars().any(char::is_control) => fields.push("name", "invalid_format"),
        _ => {}
    }
    let parent = match input.parent_id.as_deref() {
        None | Some("") => None,
        Some(p) => match uuid::Uuid::parse_str(p) {
            Ok(u) => Some(DbUuid(u)),
            Err(_) => {
                fields.push("parent_id", "unknown_category");
                None
            }
        },
    };
    fields.finish()?;
    Ok((name, parent))
}

fn load(conn: &mut DbConnection, scope: &OrgScope, bank: DbUuid) -> QueryResult<Vec<CategoryDto>> {
    let rows: Vec<(DbUuid, Option<DbUuid>, String)> = scoped!(question_categories, scope)
        .filter(question_categories::bank_id.eq(bank))
        .order(question_categories::name.asc())
        .select((
            question_categories::id,
            question_categories::parent_id,
            question_categories::name,
        ))
        .load(conn)?;
    let counts: Vec<(Option<DbUuid>, i64)> = scoped!(questions, scope)
        .filter(questions::bank_id.eq(bank))
        .filter(questions::status.eq("active"))
        .group_by(questions::category_id)
        .select((questions::category_id, diesel::dsl::count_star()))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, parent, name)| CategoryDto {
            id: id.to_string(),
            parent_id: parent.map(|p| p.to_string()),
            name,
            question_count: counts
                .iter()
                .find(|(c, _)| *c == Some(id))
                .map_or(0, |(_, n)| *n),
        })
        .collect())
}

#[utoipa::path(
    get,
    path = "/api/question-banks/{id}/categories",
    operation_id = "list_categories",
    tag = "questions",
    security(("session_cookie" = []), ("api_key" = ["questions:read"])),
    params(("id" = String, Path, description = "The bank id.")),
    responses(
        (status = 200, description = "Every category of the bank, by name (build the tree from `parent_id`).", body = Vec<CategoryDto>),
        (status = 403, description = "Needs `questions:read`.", body = shared::ErrorBody),
        (status = 404, description = "No such bank in this organisation.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn list_categories(
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<uuid::Uuid>,
) -> Result<web::Json<Vec<CategoryDto>>, ApiError> {
    scope.require(Module::Questions, Level::Read)?;
    let bank = DbUuid(path.into_inner());
    let list = state
        .db
        .run(move |conn| {
            find_bank(conn, &scope, bank)?;
            Ok::<_, ApiError>(load(conn, &scope, bank)?)
        })
        .await?;
    Ok(web::Json(list))
}

#[utoipa::path(
    post,
    path = "/api/question-banks/{id}/categories",
    operation_id = "create_category",
    tag = "questions",
    security(("session_cookie" = []), ("api_key" = ["questions:write"])),
    params(("id" = String, Path, description = "The bank id.")),
    request_body = CategoryInput,
    responses(
        (status = 201, description = "Created.", body = CategoryDto),
        (status = 403, description = "Needs `questions:write`.", body = shared::ErrorBody),
        (status = 404, description = "No such bank in this organisation.", body = shared::ErrorBody),
        (status = 422, description = "Invalid name or parent.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn create_category(
    req: HttpRequest,
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<uuid::Uuid>,
    body: web::Json<CategoryInput>,
) -> Result<HttpResponse, ApiError> {
    scope.require(Module::Questions, Level::Write)?;
    let bank = DbUuid(path.into_inner());
    let (name, parent) = parse(&body)?;
    let client = ClientInfo::of(&req);
    let category = state
        .transaction(move |conn, st| {
            find_bank(conn, &scope, bank)?;
            check_in_bank(conn, &scope, bank, parent, "parent_id")?;
            let id = DbUuid::new_v7();
            diesel::insert_into(question_categories::table)
                .values((
                    question_categories::id.eq(id),
                    question_categories::org_id.eq(scope.org_id()),
                    question_categories::bank_id.eq(bank),
                    question_categories::parent_id.eq(parent),
                    question_categories::name.eq(&name),
                    question_categories::created_at.eq(Timestamp::now()),
                ))
                .execute(conn)?;
            client.log_change(
                conn,
                &st.cipher,
                &scope,
                "question_category.create",
                Some(("question_category", id.to_string())),
                serde_json::json!({ "name": name }),
            )?;
            load(conn, &scope, bank)?
                .into_iter()
                .find(|c| c.id == id.to_string())
                .ok_or(ApiError::NotFound)
        })
        .await?;
    Ok(HttpResponse::Created().json(category))
}

#[utoipa::path(
    patch,
    path = "/api/question-categories/{id}",
    operation_id = "update_category",
    tag = "questions",
    security(("session_cookie" = []), ("api_key" = ["questions:write"])),
    params(("id" = String, Path, description = "The category id.")),
    request_body = CategoryInput,
    responses(
        (status = 200, description = "Renamed or moved.", body = CategoryDto),
        (status = 403, description = "Needs `questions:write`.", body = shared::ErrorBody),
        (status = 404, description = "No such category in this organisation.", body = shared::ErrorBody),
        (status = 422, description = "Invalid name, or a parent in another bank or below itself (`would_cycle`).", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn update_category(
    req: HttpRequest,
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<uuid::Uuid>,
    body: web::Json<CategoryInput>,
) -> Result<web::Json<CategoryDto>, ApiError> {
    scope.require(Module::Questions, Level::Write)?;
    let id = DbUuid(path.into_inner());
    let (name, parent) = parse(&body)?;
    let client = ClientInfo::of(&req);
    let category = state
        .transaction(move |conn, st| {
            let bank = bank_of(conn, &scope, id)?;
            check_in_bank(conn, &scope, bank, parent, "parent_id")?;
            if let Some(p) = parent
                && with_descendants(conn, &scope, bank, id)?.contains(&p)
            {
                return Err(Fields::single("parent_id", "would_cycle"));
            }
            diesel::update(
                scoped!(question_categories, scope).filter(question_categories::id.eq(id)),
            )
            .set((
                question_categories::name.eq(&name),
                question_categories::parent_id.eq(parent),
            ))
            .execute(conn)?;
            client.log_change(
                conn,
                &st.cipher,
                &scope,
                "question_category.update",
                Some(("question_category", id.to_string())),
                serde_json::json!({ "name": name }),
            )?;
            load(conn, &scope, bank)?
                .into_iter()
                .find(|c| c.id == id.to_string())
                .ok_or(ApiError::NotFound)
        })
        .await?;
    Ok(web::Json(category))
}

#[utoipa::path(
    delete,
    path = "/api/question-categories/{id}",
    operation_id = "delete_category",
    tag = "questions",
    security(("session_cookie" = []), ("api_key" = ["questions:write"])),
    params(("id" = String, Path, description = "The category id.")),
    responses(
        (status = 204, description = "Deleted."),
        (status = 403, description = "Needs `questions:write`.", body = shared::ErrorBody),
        (status = 404, description = "No such category in this organisation.", body = shared::ErrorBody),
        (status = 409, description = "It still has sub-categories or questions (`category_not_empty`).", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn delete_category(
    req: HttpRequest,
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<uuid::Uuid>,
) -> Result<HttpResponse, ApiError> {
    scope.require(Module::Questions, Level::Write)?;
    let id = DbUuid(path.into_inner());
    audited_delete(
        &req,
        scope,
        &state,
        "question_category",
        id,
        move |conn, scope| {
            let bank = bank_of(conn, scope, id)?;
            let children = with_descendants(conn, scope, bank, id)?.len() - 1;
            let used: i64 = scoped!(questions, scope)
                .filter(questions::category_id.eq(id))
                .filter(questions::status.eq("active"))
                .count()
                .get_result(conn)?;
            if children > 0 || used > 0 {
                return Err(ApiError::Conflict {
                    detail: "category_not_empty".to_owned(),
                });
            }
            // Deleted questions keep their history but leave the category.
            diesel::update(scoped!(questions, scope).filter(questions::category_id.eq(id)))
                .set(questions::category_id.eq(None::<DbUuid>))
                .execute(conn)?;
            diesel::delete(
                scoped!(question_categories, scope).filter(question_categories::id.eq(id)),
            )
            .execute(conn)?;
            Ok(((), serde_json::json!({})))
        },
    )
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
