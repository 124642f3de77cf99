//! The staff endpoints under `/api/staff`.

use actix_web::{HttpRequest, HttpResponse, web};
use diesel::prelude::*;
use serde::Deserialize;
use shared::access::{StaffLoginRequest, StaffMe, StaffOrgDto, StaffRole};
use shared::accounts::AuditPage;
use shared::candidates::CandidatePage;

use super::model;
use crate::accounts::{set_session_cookies, throttle};
use crate::audit::{self, Actor, AuditQuery, Outcome};
use crate::auth::AuthStaff;
use crate::auth::cookies::{self, Area};
use crate::auth::sessions::{self, PrincipalKind};
use crate::crypto::Aad;
use crate::db::schema::{orgs, staff};
use crate::db::types::{DbUuid, Timestamp};
use crate::domain::LoginAccount;
use crate::errors::ApiError;
use crate::http::{ClientInfo, Fields, parse_reason};
use crate::state::AppState;

/// Why a staff member reads personal data: recorded in the audit log with the read.
#[derive(Debug, Clone, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Reason {
    /// The reason for this read, 5–500 characters (e.g. a ticket number and what it needs);
    /// without one, 422 `required`.
    #[param(
        required = true,
        min_length = 5,
        max_length = 500,
        pattern = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$"
    )]
    pub reason: Option<String>,
}

fn require_role(staff: &AuthStaff, role: StaffRole) -> Result<(), ApiError> {
    if staff.role == role {
        Ok(())
    } else {
        Err(ApiError::Forbidden)
    }
}

/// Writes the audit entry of a staff read before the data leaves.
async fn log_read(
    state: &AppState,
    req: &HttpRequest,
    staff: &AuthStaff,
    org: Option<DbUuid>,
    action: &'static str,
    reason: String,
) -> Result<(), ApiError> {
    let client = ClientInfo::of(req);
    let cipher = state.cipher.clone();
    let staff_id = staff.staff_id;
    state
        .db
        .run(move |conn| {
            let mut entry = client.audit(
                org,
                Actor::Staff(staff_id),
                action,
                Outcome::Success,
                serde_json::json!({ "reason": reason }),
            );
            entry.target_kind = org.map(|_| "org");
            entry.target_id = org.map(|o| o.to_string());
            audit::append(conn, &cipher, entry)?;
            Ok::<_, ApiError>(())
        })
        .await
}

#[utoipa::path(
    post,
    path = "/api/staff/login",
    operation_id = "staff_login",
    tag = "staff",
    request_body = StaffLoginRequest,
    responses(
        (status = 200, description = "Signed in (console session cookies set).", body = StaffMe),
        (status = 401, description = "Wrong account or password.", body = shared::ErrorBody),
        (status = 422, description = "`account`: not a valid staff login account (`details.fields[0].reason` says why).", body = shared::ErrorBody),
        (status = 429, description = "Too many failures; see `Retry-After`.", body = shared::ErrorBody),
        (status = 503, description = "`server_busy`: every password-hashing slot of this node is taken and the queue is full; nothing was done. Retry after `Retry-After` seconds.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn staff_login(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<StaffLoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let account = LoginAccount::parse(&body.account)
        .map_err(|why| Fields::single("account", why.as_str()))?;
    let client = ClientInfo::of(&req);
    let key = model::account_index(&state.bidx, &account);
    let address = throttle::address_key(&state.bidx, &client);
    let st = state.clone();
    let (found, attempt) = state
        .db
        .run(move |conn| {
            let attempt = throttle::begin(conn, &key, address.as_deref(), throttle::SIGN_IN)?;
            Ok::<_, ApiError>((model::find(conn, &st.bidx, &account)?, attempt))
        })
        .await?;
    let hash = found.as_ref().map(|f| f.1.clone());
    let verified = state.hasher.verify(&body.password, hash).await?;
    let active = found.filter(|f| verified && f.2 == "active").map(|f| f.0);
    let cipher = state.cipher.clone();
    let issued = state
        .db
        .run(move |conn| {
            crate::db::transaction(conn, |conn| {
                attempt.settle(conn, active.is_some())?;
                let (actor, outcome) = match active {
                    Some(id) => (Actor::Staff(id), Outcome::Success),
                    None => (Actor::Anonymous, Outcome::Failure),
                };
                let entry =
                    client.audit(None, actor, "staff.login", outcome, serde_json::json!({}));
                audit::append(conn, &cipher, entry)?;
                let Some(id) = active else {
                    return Ok(None);
                };
                let issued = sessions::create(
                    conn,
                    &cipher,
                    PrincipalKind::Staff,
                    id,
                    client.user_agent.as_deref(),
                )?;
                Ok::<_, ApiError>(Some(issued))
            })
        })
        .await?;
    let Some(issued) = issued else {
        return Err(ApiError::InvalidCredentials);
    };
    let me = StaffMe {
        id: issued.user.user_id.to_string(),
        role: StaffRole::parse(&issued.user.role).ok_or(ApiError::Unauthorized)?,
        account: body.account.trim().to_ascii_lowercase(),
    };
    let mut res = HttpResponse::Ok();
    set_session_cookies(&mut res, &state, &issued)?;
    Ok(res.json(me))
}

#[utoipa::path(
    post,
    path = "/api/staff/logout",
    operation_id = "staff_logout",
    tag = "staff",
    security(("session_cookie" = [])),
    responses(
        (status = 204, description = "Signed out; the session cookies are cleared."),
        (status = 401, description = "Not signed in as staff.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn staff_logout(
    staff: AuthStaff,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    state
        .db
        .run(move |conn| sessions::revoke(conn, staff.session_id, "logout").map_err(ApiError::from))
        .await?;
    let mut res = HttpResponse::NoContent();
    for cookie in cookies::cleared(Area::Console, state.secure_cookies()) {
        res.cookie(cookie);
    }
    Ok(res.finish())
}

#[utoipa::path(
    get,
    path = "/api/staff/me",
    operation_id = "staff_me",
    tag = "staff",
    security(("session_cookie" = [])),
    responses(
        (status = 200, description = "The signed-in staff member.", body = StaffMe),
        (status = 401, description = "Not signed in as staff.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn staff_me(
    staff: AuthStaff,
    state: web::Data<AppState>,
) -> Result<web::Json<StaffMe>, ApiError> {
    let cipher = state.cipher.clone();
    let account = state
        .db
        .run(move |conn| {
            let ct: Vec<u8> = staff::table
                .find(staff.staff_id)
                .select(staff::login_account_enc)
                .first(conn)?;
            let row = staff.staff_id.to_string();
            Ok::<_, ApiError>(cipher.decrypt(
                &ct,
                Aad {
                    table: "staff",
                    column: "login_account_enc",
                    row_id: &row,
                },
            )?)
        })
        .await?;
    Ok(web::Json(StaffMe {
        id: staff.staff_id.to_string(),
        role: staff.role,
        account,
    }))
}

#[utoipa::path(
    get,
    path = "/api/staff/orgs",
    operation_id = "staff_orgs",
    tag = "staff",
    security(("session_cookie" = [])),
    responses(
        (status = 200, description = "Every organisation (no personal data), newest first.", body = Vec<StaffOrgDto>),
        (status = 401, description = "Not signed in as staff.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn staff_orgs(
    _staff: AuthStaff,
    state: web::Data<AppState>,
) -> Result<web::Json<Vec<StaffOrgDto>>, ApiError> {
    let rows: Vec<(DbUuid, String, String, String, Timestamp)> = state
        .db
        .run(|conn| {
            orgs::table
                .order(orgs::created_at.desc())
                .select((
                    orgs::id,
                    orgs::name,
                    orgs::slug,
                    orgs::status,
                    orgs::created_at,
                ))
                .load(conn)
                .map_err(ApiError::from)
        })
        .await?;
    Ok(web::Json(
        rows.into_iter()
            .map(|(id, name, slug, status, created)| StaffOrgDto {
                id: id.to_string(),
                name,
                slug,
                status,
                created_at: created.to_canonical_string(),
            })
            .collect(),
    ))
}

#[utoipa::path(
    get,
    path = "/api/staff/orgs/{id}/candidates",
    operation_id = "staff_candidates",
    tag = "staff",
    security(("session_cookie" = [])),
    params(("id" = String, Path, description = "The organisation id."), Reason),
    responses(
        (status = 200, description = "The organisation's candidates (first 200); the read is logged with its reason.", body = CandidatePage),
        (status = 403, description = "Support staff only.", body = shared::ErrorBody),
        (status = 404, description = "No such organisation.", body = shared::ErrorBody),
        (status = 422, description = "No reason given.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn staff_candidates(
    req: HttpRequest,
    staff: AuthStaff,
    state: web::Data<AppState>,
    path: web::Path<uuid::Uuid>,
    query: web::Query<Reason>,
) -> Result<web::Json<CandidatePage>, ApiError> {
    require_role(&staff, StaffRole::Support)?;
    let reason = parse_reason(query.reason.as_deref())?;
    let org = DbUuid(path.into_inner());
    let exists: i64 = state
        .db
        .run(move |conn| {
            orgs::table
                .filter(orgs::id.eq(org))
                .count()
                .get_result(conn)
                .map_err(ApiError::from)
        })
        .await?;
    if exists == 0 {
        return Err(ApiError::NotFound);
    }
    log_read(
        &state,
        &req,
        &staff,
        Some(org),
        "staff.candidates_read",
        reason,
    )
    .await?;
    let scope = crate::tenancy::OrgScope::for_staff(org);
    let cipher = state.cipher.clone();
    let page = state
        .db
        .run(move |conn| {
            use crate::db::schema::candidates;
            let total: i64 = crate::candidates::model::visible(&scope)
                .count()
                .get_result(conn)?;
            let rows = crate::candidates::model::visible(&scope)
                .order(candidates::created_at.desc())
                .limit(200)
                .select(crate::candidates::model::Row::as_select())
                .load(conn)?;
            let items = crate::candidates::model::to_dtos(conn, &cipher, &scope, rows)?;
            Ok::<_, ApiError>(CandidatePage {
                items,
                total,
                offset: 0,
                limit: 200,
            })
        })
        .await?;
    Ok(web::Json(page))
}

/// Query of `GET /api/staff/audit`, besides the filters of [`AuditQuery`].
#[derive(Debug, Clone, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StaffAuditQuery {
    /// The reason for this read, 5–500 characters; without one, 422 `required`.
    #[param(
        required = true,
        min_length = 5,
        max_length = 500,
        pattern = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$"
    )]
    pub reason: Option<String>,
    /// Only this organisation's entries; absent: all (platform entries included).
    #[param(value_type = Option<uuid::Uuid>)]
    pub org_id: Option<uuid::Uuid>,
}

#[utoipa::path(
    get,
    path = "/api/staff/audit",
    operation_id = "staff_audit",
    tag = "staff",
    security(("session_cookie" = [])),
    params(StaffAuditQuery, AuditQuery),
    responses(
        (status = 200, description = "Audit entries of all organisations (or one), newest first; the read is logged with its reason.", body = AuditPage),
        (status = 403, description = "Security staff only.", body = shared::ErrorBody),
        (status = 422, description = "No reason given, or invalid filters.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn staff_audit(
    req: HttpRequest,
    staff: AuthStaff,
    state: web::Data<AppState>,
    query: web::Query<StaffAuditQuery>,
    filters: web::Query<AuditQuery>,
) -> Result<web::Json<AuditPage>, ApiError> {
    require_role(&staff, StaffRole::Security)?;
    let reason = parse_reason(query.reason.as_deref())?;
    let org = query.org_id.map(DbUuid);
    let filters = filters.into_inner();
    log_read(&state, &req, &staff, org, "staff.audit_read", reason).await?;
    Ok(web::Json(crate::audit::page(&state, org, &filters).await?))
}
