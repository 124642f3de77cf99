//! `GET/POST /api/candidates`, `GET/PATCH/DELETE /api/candidates/{id}`.

use actix_web::{HttpRequest, HttpResponse, web};
use diesel::prelude::*;
use serde::Deserialize;
use shared::access::{Level, Module};
use shared::candidates::{
    CandidateDto, CandidatePage, CreateCandidateRequest, UpdateCandidateRequest,
};

use super::model::{self, NewCandidate};
use super::update::{Changes, optional};
use crate::accounts::model::contact_index;
use crate::auth::sessions::{self, PrincipalKind};
use crate::db::schema::{candidate_group_members, candidates};
use crate::db::types::DbUuid;
use crate::domain::{CandidateAccount, CnMobile, Contact, Email, IdNumber, Password, PersonName};
use crate::errors::ApiError;
use crate::http::{ClientInfo, Fields};
use crate::state::AppState;
use crate::tenancy::OrgScope;

/// Filters of `GET /api/candidates`.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CandidateQuery {
    /// Only members of this group.
    #[param(value_type = Option<uuid::Uuid>)]
    pub group_id: Option<uuid::Uuid>,
    /// `active` or `disabled`.
    #[param(value_type = Option<shared::access::AccountStatus>)]
    pub status: Option<String>,
    /// An exact account, email address or mobile number (personal data is encrypted, so
    /// lookups are exact, not substring).
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
    path = "/api/candidates",
    operation_id = "list_candidates",
    tag = "candidates",
    security(("session_cookie" = []), ("api_key" = ["candidates:read"])),
    params(CandidateQuery),
    responses(
        (status = 200, description = "Candidates, newest first.", body = CandidatePage),
        (status = 403, description = "Needs `candidates:read`.", body = shared::ErrorBody),
        (status = 422, description = "Invalid filters.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn list_candidates(
    scope: OrgScope,
    state: web::Data<AppState>,
    query: web::Query<CandidateQuery>,
) -> Result<web::Json<CandidatePage>, ApiError> {
    scope.require(Module::Candidates, Level::Read)?;
    let q = query.into_inner();
    let mut fields = Fields::default();
    let (offset, limit) = fields.page(q.offset, q.limit);
    if q.status
        .as_deref()
        .is_some_and(|s| s != "active" && s != "disabled")
    {
        fields.push("status", "invalid_format");
    }
    fields.finish()?;
    let st = state.clone();
    let page = state
        .db
        .run(move |conn| {
            let filtered = || {
                let mut query = model::visible(&scope);
                if let Some(g) = q.group_id {
                    query = query.filter(
                        candidates::id.eq_any(
                            candidate_group_members::table
                                .filter(candidate_group_members::group_id.eq(DbUuid(g)))
                                .select(candidate_group_members::candidate_id),
                        ),
                    );
                }
                if let Some(s) = &q.status {
                    query = query.filter(candidates::status.eq(s.clone()));
                }
                if let Some(text) = q.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
                    let mut any: Vec<Vec<u8>> = Vec::new();
                    if let Ok(account) = CandidateAccount::parse(text) {
                        any.push(model::account_index(&st.bidx, &account));
                    }
                    let contact = Contact::parse(text).ok();
                    let contact_idx = contact.as_ref().map(|c| contact_index(&st.bidx, c));
                    let idx = contact_idx.clone().unwrap_or_default();
                    query = query.filter(
                        candidates::account_bidx
                            .eq_any(any)
                            .or(candidates::email_bidx.eq(idx.clone()))
                            .or(candidates::phone_bidx.eq(idx)),
                    );
                }
                query
            };
            let total: i64 = filtered().count().get_result(conn)?;
            let rows = filtered()
                .order(candidates::created_at.desc())
                .then_order_by(candidates::id.desc())
                .offset(offset)
                .limit(limit)
                .select(model::Row::as_select())
                .load(conn)?;
            let items = model::to_dtos(conn, &st.cipher, &scope, rows)?;
            Ok::<_, ApiError>(CandidatePage {
                items,
                total,
                offset,
                limit,
            })
        })
        .await?;
    Ok(web::Json(page))
}

#[utoipa::path(
    post,
    path = "/api/candidates",
    operation_id = "create_candidate",
    tag = "candidates",
    security(("session_cookie" = []), ("api_key" = ["candidates:write"])),
    request_body = CreateCandidateRequest,
    responses(
        (status = 201, description = "Created.", body = CandidateDto),
        (status = 403, description = "Needs `candidates:write`.", body = shared::ErrorBody),
        (status = 409, description = "The account, email or phone is taken in this organisation.", body = shared::ErrorBody),
        (status = 422, description = "Invalid fields.", body = shared::ErrorBody),
        (status = 503, description = "`server_busy`: every password-hashing slot of this node is taken and the queue is full; nothing was done. Retry after `Retry-After` seconds.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn create_candidate(
    req: HttpRequest,
    scope: OrgScope,
    state: web::Data<AppState>,
    body: web::Json<CreateCandidateRequest>,
) -> Result<HttpResponse, ApiError> {
    scope.require(Module::Candidates, Level::Write)?;
    let body = body.into_inner();
    let mut fields = Fields::default();
    let account = fields.check("account", CandidateAccount::parse(&body.account));
    let name = fields.check("name", PersonName::parse(&body.name));
    let email = optional(&mut fields, "email", body.email.as_deref(), Email::parse).flatten();
    let phone = optional(&mut fields, "phone", body.phone.as_deref(), CnMobile::parse).flatten();
    let id_number = optional(
        &mut fields,
        "id_number",
        body.id_number.as_deref(),
        IdNumber::parse,
    )
    .flatten();
    let password = optional(
        &mut fields,
        "password",
        body.password.as_deref(),
        Password::parse,
    )
    .flatten();
    if password.is_none() && email.is_none() && phone.is_none() {
        // Without a password the candidate signs in by a code, sent to a phone or email.
        fields.push("password", "required");
    }
    fields.finish()?;
    let (Some(account), Some(name)) = (account, name) else {
        return Err(ApiError::Internal(anyhow::anyhow!(
            "validated fields missing"
        )));
    };
    let password_hash = match password {
        Some(p) => Some(state.hasher.hash(p.expose()).await?),
        None => None,
    };
    let client = ClientInfo::of(&req);
    let dto = state
        .transaction(move |conn, st| {
            let group_ids = model::check_groups(conn, &scope, &body.group_ids, "group_ids")?;
            let candidate = NewCandidate {
                account,
                name,
                email,
                phone,
                id_number,
                password_hash,
                group_ids,
            };
            let id = model::insert(conn, &st.cipher, &st.bidx, &scope, &candidate)?;
            client.log_change(
                conn,
                &st.cipher,
                &scope,
                "candidate.create",
                Some(("candidate", id.to_string())),
                serde_json::json!({}),
            )?;
            let row = model::find(conn, &scope, id)?;
            let mut dtos = model::to_dtos(conn, &st.cipher, &scope, vec![row])?;
            dtos.pop().ok_or(ApiError::NotFound)
        })
        .await?;
    Ok(HttpResponse::Created().json(dto))
}

#[utoipa::path(
    get,
    path = "/api/candidates/{id}",
    operation_id = "get_candidate",
    tag = "candidates",
    security(("session_cookie" = []), ("api_key" = ["candidates:read"])),
    params(("id" = String, Path, description = "The candidate id.")),
    responses(
        (status = 200, description = "The candidate.", body = CandidateDto),
        (status = 403, description = "Needs `candidates:read`.", body = shared::ErrorBody),
        (status = 404, description = "No such candidate in this organisation.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn get_candidate(
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<uuid::Uuid>,
) -> Result<web::Json<CandidateDto>, ApiError> {
    scope.require(Module::Candidates, Level::Read)?;
    let id = DbUuid(path.into_inner());
    let st = state.clone();
    let dto = state
        .db
        .run(move |conn| {
            let row = model::find(conn, &scope, id)?;
            let mut dtos = model::to_dtos(conn, &st.cipher, &scope, vec![row])?;
            dtos.pop().ok_or(ApiError::NotFound)
        })
        .await?;
    Ok(web::Json(dto))
}

#[utoipa::path(
    patch,
    path = "/api/candidates/{id}",
    operation_id = "update_candidate",
    tag = "candidates",
    security(("session_cookie" = []), ("api_key" = ["candidates:write"])),
    params(("id" = String, Path, description = "The candidate id.")),
    request_body = UpdateCandidateRequest,
    responses(
        (status = 200, description = "Updated.", body = CandidateDto),
        (status = 403, description = "Needs `candidates:write`.", body = shared::ErrorBody),
        (status = 404, description = "No such candidate in this organisation.", body = shared::ErrorBody),
        (status = 409, description = "The account, email or phone is taken in this organisation.", body = shared::ErrorBody),
        (status = 422, description = "Invalid fields.", body = shared::ErrorBody),
        (status = 503, description = "`server_busy`: every password-hashing slot of this node is taken and the queue is full; nothing was done. Retry after `Retry-After` seconds.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn update_candidate(
    req: HttpRequest,
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<uuid::Uuid>,
    body: web::Json<UpdateCandidateRequest>,
) -> Result<web::Json<CandidateDto>, ApiError> {
    scope.require(Module::Candidates, Level::Write)?;
    let id = DbUuid(path.into_inner());
    let changes = Changes::parse(body.into_inner())?;
    let password_hash = match &changes.password {
        Some(p) => Some(state.hasher.hash(p.expose()).await?),
        None => None,
    };
    let client = ClientInfo::of(&req);
    let dto = state
        .transaction(move |conn, st| {
            let updated = changes.apply(conn, st, &scope, id, password_hash.as_deref())?;
            client.log_change(
                conn,
                &st.cipher,
                &scope,
                "candidate.update",
                Some(("candidate", id.to_string())),
                serde_json::json!({ "fields": updated.changed }),
            )?;
            let mut dtos = model::to_dtos(conn, &st.cipher, &scope, vec![updated.row])?;
            dtos.pop().ok_or(ApiError::NotFound)
        })
        .await?;
    Ok(web::Json(dto))
}

#[utoipa::path(
    delete,
    path = "/api/candidates/{id}",
    operation_id = "delete_candidate",
    tag = "candidates",
    security(("session_cookie" = []), ("api_key" = ["candidates:write"])),
    params(("id" = String, Path, description = "The candidate id.")),
    responses(
        (status = 204, description = "Deleted, with their sessions and group memberships."),
        (status = 403, description = "Needs `candidates:write`.", body = shared::ErrorBody),
        (status = 404, description = "No such candidate in this organisation.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn delete_candidate(
    req: HttpRequest,
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<uuid::Uuid>,
) -> Result<HttpResponse, ApiError> {
    scope.require(Module::Candidates, Level::Write)?;
    let id = DbUuid(path.into_inner());
    let client = ClientInfo::of(&req);
    state
        .transaction(move |conn, st| {
            model::find(conn, &scope, id)?;
            sessions::delete_all(conn, PrincipalKind::Candidate, id)?;
            diesel::delete(crate::scoped!(candidates, scope).filter(candidates::id.eq(id)))
                .execute(conn)?;
            client.log_change(
                conn,
                &st.cipher,
                &scope,
                "candidate.delete",
                Some(("candidate", id.to_string())),
                serde_json::json!({}),
            )?;
            Ok::<_, ApiError>(())
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
