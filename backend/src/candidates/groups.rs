//! `GET/POST /api/candidate-groups`, `PATCH/DELETE /api/candidate-groups/{id}`.
//! Group names are not personal data; they are stored in plain text.

use actix_web::{HttpRequest, HttpResponse, web};
use diesel::prelude::*;
use shared::access::{Level, Module};
use shared::candidates::{GroupDto, GroupRequest};

use crate::db::DbConnection;
use crate::db::schema::{candidate_group_members, candidate_groups};
use crate::db::types::{DbUuid, Timestamp};
use crate::errors::ApiError;
use crate::http::{ClientInfo, Fields};
use crate::scoped;
use crate::state::AppState;
use crate::tenancy::OrgScope;

/// A group name: 1–50 characters after trimming, no control characters.
pub(crate) fn parse_group_name(input: &str) -> Result<String, &'static str> {
    let name = input.trim();
    let len = name.chars().count();
    if len == 0 {
        return Err("required");
    }
    if len > 50 {
        return Err("too_long");
    }
    if name.chars().any(char::is_control) {
        return Err("invalid_format");
    }
    Ok(name.to_owned())
}

/// The groups the scope may see (an admin limited to some groups sees those).
fn load(conn: &mut DbConnection, scope: &OrgScope) -> QueryResult<Vec<GroupDto>> {
    let mut q = scoped!(candidate_groups, scope)
        .order(candidate_groups::name.asc())
        .select((
            candidate_groups::id,
            candidate_groups::name,
            candidate_groups::created_at,
        ))
        .into_boxed();
    if let Some(allowed) = scope.group_scope() {
        q = q.filter(candidate_groups::id.eq_any(allowed.to_vec()));
    }
    let groups: Vec<(DbUuid, String, Timestamp)> = q.load(conn)?;
    let counts: Vec<(DbUuid, i64)> = scoped!(candidate_group_members, scope)
        .group_by(candidate_group_members::group_id)
        .select((candidate_group_members::group_id, diesel::dsl::count_star()))
        .load(conn)?;
    Ok(groups
        .into_iter()
        .map(|(id, name, created)| GroupDto {
            id: id.to_string(),
            member_count: counts.iter().find(|(g, _)| *g == id).map_or(0, |(_, n)| *n),
            name,
            created_at: created.to_canonical_string(),
        })
        .collect())
}

#[utoipa::path(
    get,
    path = "/api/candidate-groups",
    operation_id = "list_groups",
    tag = "candidates",
    security(("session_cookie" = []), ("api_key" = ["candidates:read"])),
    responses(
        (status = 200, description = "The organisation's candidate groups by name.", body = Vec<GroupDto>),
        (status = 403, description = "Needs `candidates:read`.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn list_groups(
    scope: OrgScope,
    state: web::Data<AppState>,
) -> Result<web::Json<Vec<GroupDto>>, ApiError> {
    scope.require(Module::Candidates, Level::Read)?;
    let groups = state
        .db
        .run(move |conn| load(conn, &scope).map_err(ApiError::from))
        .await?;
    Ok(web::Json(groups))
}

#[utoipa::path(
    post,
    path = "/api/candidate-groups",
    operation_id = "create_group",
    tag = "candidates",
    security(("session_cookie" = []), ("api_key" = ["candidates:write"])),
    request_body = GroupRequest,
    responses(
        (status = 201, description = "Created.", body = GroupDto),
        (status = 403, description = "Needs `candidates:write` on all candidates.", body = shared::ErrorBody),
        (status = 409, description = "A group of that name exists.", body = shared::ErrorBody),
        (status = 422, description = "Invalid name.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn create_group(
    req: HttpRequest,
    scope: OrgScope,
    state: web::Data<AppState>,
    body: web::Json<GroupRequest>,
) -> Result<HttpResponse, ApiError> {
    scope.require(Module::Candidates, Level::Write)?;
    if scope.group_scope().is_some() {
        // An admin limited to some groups cannot widen their own scope.
        return Err(ApiError::Forbidden);
    }
    let name = parse_group_name(&body.name).map_err(|why| Fields::single("name", why))?;
    let client = ClientInfo::of(&req);
    let group = state
        .transaction(move |conn, st| {
            let id = insert_group(conn, &scope, &name)?;
            client.log_change(
                conn,
                &st.cipher,
                &scope,
                "candidate_group.create",
                Some(("candidate_group", id.to_string())),
                serde_json::json!({ "name": name }),
            )?;
            load(conn, &scope)?
                .into_iter()
                .find(|g| g.id == id.to_string())
                .ok_or(ApiError::NotFound)
        })
        .await?;
    Ok(HttpResponse::Created().json(group))
}

/// Inserts a group (a taken name is a unique violation, 409).
pub(crate) fn insert_group(
    conn: &mut DbConnection,
    scope: &OrgScope,
    name: &str,
) -> QueryResult<DbUuid> {
    let id = DbUuid::new_v7();
    let now = Timestamp::now();
    diesel::insert_into(candidate_groups::table)
        .values((
            candidate_groups::id.eq(id),
            candidate_groups::org_id.eq(scope.org_id()),
            candidate_groups::name.eq(name),
            candidate_groups::created_at.eq(now),
            candidate_groups::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(id)
}

fn find_group(conn: &mut DbConnection, scope: &OrgScope, id: DbUuid) -> Result<(), ApiError> {
    let found: i64 = scoped!(candidate_groups, scope)
        .filter(candidate_groups::id.eq(id))
        .count()
        .get_result(conn)?;
    let in_scope = scope.group_scope().is_none_or(|g| g.contains(&id));
    if found == 0 || !in_scope {
        return Err(ApiError::NotFound);
    }
    Ok(())
}

#[utoipa::path(
    patch,
    path = "/api/candidate-groups/{id}",
    operation_id = "update_group",
    tag = "candidates",
    security(("session_cookie" = []), ("api_key" = ["candidates:write"])),
    params(("id" = String, Path, description = "The group id.")),
    request_body = GroupRequest,
    responses(
        (status = 200, description = "Renamed.", body = GroupDto),
        (status = 403, description = "Needs `candidates:write`.", body = shared::ErrorBody),
        (status = 404, description = "No such group in this organisation.", body = shared::ErrorBody),
        (status = 409, description = "A group of that name exists.", body = shared::ErrorBody),
        (status = 422, description = "Invalid name.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn update_group(
    req: HttpRequest,
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<uuid::Uuid>,
    body: web::Json<GroupRequest>,
) -> Result<web::Json<GroupDto>, ApiError> {
    scope.require(Module::Candidates, Level::Write)?;
    let id = DbUuid(path.into_inner());
    let name = parse_group_name(&body.name).map_err(|why| Fields::single("name", why))?;
    let client = ClientInfo::of(&req);
    let group = state
        .transaction(move |conn, st| {
            find_group(conn, &scope, id)?;
            diesel::update(scoped!(candidate_groups, scope).filter(candidate_groups::id.eq(id)))
                .set((
                    candidate_groups::name.eq(&name),
                    candidate_groups::updated_at.eq(Timestamp::now()),
                ))
                .execute(conn)?;
            client.log_change(
                conn,
                &st.cipher,
                &scope,
                "candidate_group.rename",
                Some(("candidate_group", id.to_string())),
                serde_json::json!({ "name": name }),
            )?;
            load(conn, &scope)?
                .into_iter()
                .find(|g| g.id == id.to_string())
                .ok_or(ApiError::NotFound)
        })
        .await?;
    Ok(web::Json(group))
}

#[utoipa::path(
    delete,
    path = "/api/candidate-groups/{id}",
    operation_id = "delete_group",
    tag = "candidates",
    security(("session_cookie" = []), ("api_key" = ["candidates:write"])),
    params(("id" = String, Path, description = "The group id.")),
    responses(
        (status = 204, description = "Deleted; its candidates stay, without this group."),
        (status = 403, description = "Needs `candidates:write` on all candidates.", body = shared::ErrorBody),
        (status = 404, description = "No such group in this organisation.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn delete_group(
    req: HttpRequest,
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<uuid::Uuid>,
) -> Result<HttpResponse, ApiError> {
    scope.require(Module::Candidates, Level::Write)?;
    if scope.group_scope().is_some() {
        return Err(ApiError::Forbidden);
    }
    let id = DbUuid(path.into_inner());
    let client = ClientInfo::of(&req);
    state
        .transaction(move |conn, st| {
            find_group(conn, &scope, id)?;
            diesel::delete(
                scoped!(candidate_group_members, scope)
                    .filter(candidate_group_members::group_id.eq(id)),
            )
            .execute(conn)?;
            diesel::delete(scoped!(candidate_groups, scope).filter(candidate_groups::id.eq(id)))
                .execute(conn)?;
            client.log_change(
                conn,
                &st.cipher,
                &scope,
                "candidate_group.delete",
                Some(("candidate_group", id.to_string())),
                serde_json::json!({}),
            )?;
            Ok::<_, ApiError>(())
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
