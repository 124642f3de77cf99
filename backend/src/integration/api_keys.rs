//! `GET/POST /api/api-keys`, `DELETE /api/api-keys/{id}`.

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Duration;
use diesel::prelude::*;
use shared::access::{ApiKeyDto, CreateApiKeyRequest, CreatedApiKey, Level, Module};

use crate::db::DbConnection;
use crate::db::schema::api_keys;
use crate::db::types::{DbUuid, Timestamp};
use crate::errors::ApiError;
use crate::http::{ClientInfo, Fields};
use crate::scoped;
use crate::state::AppState;
use crate::tenancy::{self, OrgScope};

const DEFAULT_RATE: i32 = 600;

#[derive(Queryable, Selectable)]
#[diesel(table_name = api_keys)]
struct Row {
    id: DbUuid,
    name: String,
    prefix: String,
    scopes: String,
    rate_limit_per_minute: i32,
    expires_at: Option<Timestamp>,
    revoked_at: Option<Timestamp>,
    last_used_at: Option<Timestamp>,
    created_at: Timestamp,
}

fn to_dto(r: Row, now: Timestamp) -> ApiKeyDto {
    let status = if r.revoked_at.is_some() {
        "revoked"
    } else if r.expires_at.is_some_and(|e| e <= now) {
        "expired"
    } else {
        "active"
    };
    ApiKeyDto {
        id: r.id.to_string(),
        name: r.name,
        prefix: format!("{}{}", tenancy::KEY_PREFIX, r.prefix),
        scopes: tenancy::parse_permissions(&r.scopes),
        rate_limit_per_minute: r.rate_limit_per_minute,
        expires_at: r.expires_at.map(Timestamp::to_canonical_string),
        revoked_at: r.revoked_at.map(Timestamp::to_canonical_string),
        last_used_at: r.last_used_at.map(Timestamp::to_canonical_string),
        created_at: r.created_at.to_canonical_string(),
        status: status.to_owned(),
    }
}

fn load(conn: &mut DbConnection, scope: &OrgScope) -> QueryResult<Vec<Row>> {
    scoped!(api_keys, scope)
        .order(api_keys::created_at.desc())
        .select(Row::as_select())
        .load(conn)
}

#[utoipa::path(
    get,
    path = "/api/api-keys",
    operation_id = "list_api_keys",
    tag = "integration",
    security(("session_cookie" = [])),
    responses(
        (status = 200, description = "The organisation's API keys, newest first (never the secrets).", body = Vec<ApiKeyDto>),
        (status = 403, description = "Needs `api_keys:read`.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn list_api_keys(
    scope: OrgScope,
    state: web::Data<AppState>,
) -> Result<web::Json<Vec<ApiKeyDto>>, ApiError> {
    scope.require(Module::ApiKeys, Level::Read)?;
    let now = Timestamp::now();
    let rows = state
        .db
        .run(move |conn| load(conn, &scope).map_err(ApiError::from))
        .await?;
    Ok(web::Json(
        rows.into_iter().map(|r| to_dto(r, now)).collect(),
    ))
}

#[utoipa::path(
    post,
    path = "/api/api-keys",
    operation_id = "create_api_key",
    tag = "integration",
    security(("session_cookie" = [])),
    request_body = CreateApiKeyRequest,
    responses(
        (status = 201, description = "Created; `key` is shown this once.", body = CreatedApiKey),
        (status = 403, description = "Needs `api_keys:write`, and the scopes granted must be the caller's own.", body = shared::ErrorBody),
        (status = 422, description = "Invalid fields.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn create_api_key(
    req: HttpRequest,
    scope: OrgScope,
    state: web::Data<AppState>,
    body: web::Json<CreateApiKeyRequest>,
) -> Result<HttpResponse, ApiError> {
    scope.require(Module::ApiKeys, Level::Write)?;
    let body = body.into_inner();
    let mut fields = Fields::default();
    let name = body.name.trim().to_owned();
    match name.chars().count() {
        0 => fields.push("name", "required"),
        61.. => fields.push("name", "too_long"),
        _ if name.chars().any(char::is_control) => fields.push("name", "invalid_format"),
        _ => {}
    }
    if body.scopes.is_empty() {
        fields.push("scopes", "required");
    } else if body.scopes.iter().any(|p| !p.module.for_api_keys()) {
        fields.push("scopes", "not_allowed");
    }
    if body
        .expires_in_days
        .is_some_and(|d| !(1..=3650).contains(&d))
    {
        fields.push("expires_in_days", "out_of_range");
    }
    let rate = body.rate_limit_per_minute.unwrap_or(DEFAULT_RATE);
    if !(1..=6000).contains(&rate) {
        fields.push("rate_limit_per_minute", "out_of_range");
    }
    fields.finish()?;
    // Nobody hands a key more than they hold themselves.
    if body.scopes.iter().any(|p| !scope.can(p.module, p.level)) {
        return Err(ApiError::Forbidden);
    }
    let mut scopes = body.scopes.clone();
    scopes.sort();
    scopes.dedup();
    let scopes_json =
        serde_json::to_string(&scopes.iter().map(ToString::to_string).collect::<Vec<_>>())
            .map_err(anyhow::Error::from)?;
    let now = Timestamp::now();
    let expires_at = body
        .expires_in_days
        .map(|d| Timestamp::from(now.0 + Duration::days(d)));
    let (prefix, full, hash) = tenancy::new_api_key();
    let client = ClientInfo::of(&req);
    let row = state
        .transaction(move |conn, st| {
            let id = DbUuid::new_v7();
            diesel::insert_into(api_keys::table)
                .values((
                    api_keys::id.eq(id),
                    api_keys::org_id.eq(scope.org_id()),
                    api_keys::name.eq(&name),
                    api_keys::prefix.eq(&prefix),
                    api_keys::secret_hash.eq(&hash),
                    api_keys::scopes.eq(&scopes_json),
                    api_keys::rate_limit_per_minute.eq(rate),
                    api_keys::expires_at.eq(expires_at),
                    api_keys::created_by.eq(scope.user_id()),
                    api_keys::created_at.eq(now),
                ))
                .execute(conn)?;
            client.log_change(
                conn,
                &st.cipher,
                &scope,
                "api_key.create",
                Some(("api_key", id.to_string())),
                serde_json::json!({ "name": name, "scopes": scopes_json, "prefix": prefix }),
            )?;
            Ok::<_, ApiError>(
                scoped!(api_keys, scope)
                    .find(id)
                    .select(Row::as_select())
                    .first(conn)?,
            )
        })
        .await?;
    Ok(HttpResponse::Created().json(CreatedApiKey {
        key: full,
        api_key: to_dto(row, now),
    }))
}

#[utoipa::path(
    delete,
    path = "/api/api-keys/{id}",
    operation_id = "revoke_api_key",
    tag = "integration",
    security(("session_cookie" = [])),
    params(("id" = String, Path, description = "The key id.")),
    responses(
        (status = 204, description = "Revoked: the key stops working at once."),
        (status = 403, description = "Needs `api_keys:write`.", body = shared::ErrorBody),
        (status = 404, description = "No such key in this organisation.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn revoke_api_key(
    req: HttpRequest,
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<uuid::Uuid>,
) -> Result<HttpResponse, ApiError> {
    scope.require(Module::ApiKeys, Level::Write)?;
    let id = DbUuid(path.into_inner());
    let client = ClientInfo::of(&req);
    state
        .transaction(move |conn, st| {
            let found: i64 = scoped!(api_keys, scope)
                .filter(api_keys::id.eq(id))
                .count()
                .get_result(conn)?;
            if found == 0 {
                return Err(ApiError::NotFound);
            }
            diesel::update(
                scoped!(api_keys, scope)
                    .filter(api_keys::id.eq(id))
                    .filter(api_keys::revoked_at.is_null()),
            )
            .set(api_keys::revoked_at.eq(Some(Timestamp::now())))
            .execute(conn)?;
            client.log_change(
                conn,
                &st.cipher,
                &scope,
                "api_key.revoke",
                Some(("api_key", id.to_string())),
                serde_json::json!({}),
            )?;
            Ok(())
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
