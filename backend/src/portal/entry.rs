//! Entering an exam without a password: an assigned candidate's invite link, and anyone's
//! open link or access code with the exam's registration form. Each way ends like a portal
//! sign-in ([`super::sign_in`]: audited `portal.login`, portal session cookies).
//!
//! Access codes are short, so their lookups are throttled per client address with the
//! sign-in limiter (`accounts::throttle`), and an unknown code, a wrong token and an exam
//! without that entry mode all answer the same 404.

use actix_web::{HttpRequest, HttpResponse, web};
use diesel::prelude::*;
use shared::exams::{EntryResult, ExamEntryInfo, InviteRequest, RegistrationRequest};

use super::{portal_of, sign_in};
use crate::accounts::ClientInfo;
use crate::audit::{self, Actor, Outcome};
use crate::crypto::IndexKind;
use crate::db::DbConnection;
use crate::db::schema::{candidates, exam_assignments};
use crate::db::types::{DbUuid, Timestamp};
use crate::errors::ApiError;
use crate::exams::model::{self as exam_model, ExamRow};
use crate::exams::{entry, registrations};
use crate::scoped;
use crate::state::AppState;
use crate::tenancy::OrgScope;

/// How the exam was named.
#[derive(Debug, Clone)]
enum Way {
    OpenLink(String),
    AccessCode(String),
}

impl Way {
    fn method(&self) -> &'static str {
        match self {
            Way::OpenLink(_) => "open_link",
            Way::AccessCode(_) => "access_code",
        }
    }
}

fn exam_closed() -> ApiError {
    ApiError::Conflict {
        detail: "exam_closed".to_owned(),
    }
}

/// The exam `way` names on the portal `slug`, open for entry: 404 when there is none (or the
/// mode is off), 409 `exam_closed` once it closed. Access-code lookups are throttled per
/// client address and every miss counts as a failed sign-in; this runs outside a transaction
/// so a miss is recorded although the request fails.
fn lookup(
    conn: &mut DbConnection,
    state: &AppState,
    client: &ClientInfo,
    slug: &str,
    way: &Way,
) -> Result<(DbUuid, ExamRow), ApiError> {
    let org = portal_of(conn, slug)?;
    let exam = match way {
        Way::OpenLink(token) => exam_model::find_by(conn, org, Some(token.as_str()), None)?
            .filter(|e| e.settings.entry.open_link),
        Way::AccessCode(code) => {
            let ip = client.ip.as_deref().unwrap_or("unknown");
            let key = state
                .bidx
                .compute(IndexKind::Ip, &format!("exam-code:{org}:{ip}"));
            let ip_index = client
                .ip
                .as_deref()
                .map(|ip| state.bidx.compute(IndexKind::Ip, ip));
            crate::accounts::throttle(conn, &key, ip_index.as_deref())?;
            let wellformed = code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit());
            let found = if wellformed {
                exam_model::find_by(conn, org, None, Some(code.as_str()))?
                    .filter(|e| e.settings.entry.access_code)
            } else {
                None
            };
            if found.is_none() {
                crate::accounts::record_attempt(conn, key, ip_index, false)?;
            }
            found
        }
    };
    let exam = exam.ok_or(ApiError::NotFound)?;
    if exam.is_closed(Timestamp::now()) {
        return Err(exam_closed());
    }
    Ok((org, exam))
}

fn info(exam: &ExamRow) -> ExamEntryInfo {
    ExamEntryInfo {
        id: exam.id.to_string(),
        name: exam.settings.name.clone(),
        instructions: exam.settings.instructions.clone(),
        opens_at: exam.settings.opens_at.clone(),
        closes_at: exam.settings.closes_at.clone(),
        duration_minutes: exam.settings.duration_minutes,
        registration_fields: exam.settings.entry.registration_fields.clone(),
    }
}

async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: String,
    way: Way,
) -> Result<web::Json<ExamEntryInfo>, ApiError> {
    let client = ClientInfo::of(&req);
    let st = state.clone();
    let exam = state
        .db
        .run(move |conn| lookup(conn, &st, &client, &slug, &way).map(|(_, e)| info(&e)))
        .await?;
    Ok(web::Json(exam))
}

/// Registers (or finds again) the person and signs them in: 201 for a new candidate, 200 for
/// a returning one.
async fn enter(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: String,
    way: Way,
    body: RegistrationRequest,
) -> Result<HttpResponse, ApiError> {
    let client = ClientInfo::of(&req);
    let (st, c) = (state.clone(), client.clone());
    let (org, exam_id, way) = state
        .db
        .run(move |conn| lookup(conn, &st, &c, &slug, &way).map(|(o, e)| (o, e.id, way)))
        .await?;
    let (created, signed_in) = state
        .transaction(move |conn, st| {
            let scope = OrgScope::portal_entry(org);
            // Read again in the transaction: the exam may have changed since the lookup.
            let exam = exam_model::find(conn, &scope, exam_id)?;
            if exam.is_closed(Timestamp::now()) {
                return Err(exam_closed());
            }
            let checked = registrations::check(&exam, &body)?;
            let registered =
                registrations::register(conn, &st.cipher, &st.bidx, &exam, org, checked)?;
            let signed_in = sign_in(
                conn,
                &st.cipher,
                &client,
                org,
                registered.candidate,
                serde_json::json!({ "method": way.method(), "exam_id": exam_id.to_string(),
                    "registered": registered.created }),
                None,
            )?;
            Ok((registered.created, signed_in))
        })
        .await?;
    let status = if created {
        HttpResponse::Created()
    } else {
        HttpResponse::Ok()
    };
    signed_in.respond(status, &state, |candidate| EntryResult {
        exam_id: exam_id.to_string(),
        candidate,
    })
}

#[utoipa::path(
    get,
    path = "/api/portal/{slug}/exams/open/{token}",
    operation_id = "exam_by_open_link",
    tag = "portal",
    params(
        ("slug" = String, Path, description = "The organisation's portal slug."),
        ("token" = String, Path, description = "The exam's open-link token."),
    ),
    responses(
        (status = 200, description = "The exam's public face and its registration form.", body = ExamEntryInfo),
        (status = 404, description = "No such portal, or no exam open by this link.", body = shared::ErrorBody),
        (status = 409, description = "`exam_closed`.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn exam_by_open_link(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<web::Json<ExamEntryInfo>, ApiError> {
    let (slug, token) = path.into_inner();
    show(req, state, slug, Way::OpenLink(token)).await
}

#[utoipa::path(
    post,
    path = "/api/portal/{slug}/exams/open/{token}",
    operation_id = "enter_by_open_link",
    tag = "portal",
    params(
        ("slug" = String, Path, description = "The organisation's portal slug."),
        ("token" = String, Path, description = "The exam's open-link token."),
    ),
    request_body = RegistrationRequest,
    responses(
        (status = 201, description = "Registered: a candidate was created, assigned to the exam and signed in (portal session cookies set).", body = EntryResult),
        (status = 200, description = "The same person again (same name and phone, email or ID number): their candidate is signed in.", body = EntryResult),
        (status = 403, description = "The returning person's candidate is disabled.", body = shared::ErrorBody),
        (status = 404, description = "No such portal, or no exam open by this link.", body = shared::ErrorBody),
        (status = 409, description = "`exam_closed`.", body = shared::ErrorBody),
        (status = 422, description = "`fields.{key}`: `required`, `invalid_format`, `too_long` or `unknown_field`.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn enter_by_open_link(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    body: web::Json<RegistrationRequest>,
) -> Result<HttpResponse, ApiError> {
    let (slug, token) = path.into_inner();
    enter(req, state, slug, Way::OpenLink(token), body.into_inner()).await
}

#[utoipa::path(
    get,
    path = "/api/portal/{slug}/exams/code/{code}",
    operation_id = "exam_by_access_code",
    tag = "portal",
    params(
        ("slug" = String, Path, description = "The organisation's portal slug."),
        ("code" = String, Path, description = "The exam's 6-digit access code."),
    ),
    responses(
        (status = 200, description = "The exam's public face and its registration form.", body = ExamEntryInfo),
        (status = 404, description = "No such portal, or no exam with this code (every miss counts against the client's address).", body = shared::ErrorBody),
        (status = 409, description = "`exam_closed`.", body = shared::ErrorBody),
        (status = 429, description = "Too many wrong codes from this address; see `Retry-After`.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn exam_by_access_code(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<web::Json<ExamEntryInfo>, ApiError> {
    let (slug, code) = path.into_inner();
    show(req, state, slug, Way::AccessCode(code)).await
}

#[utoipa::path(
    post,
    path = "/api/portal/{slug}/exams/code/{code}",
    operation_id = "enter_by_access_code",
    tag = "portal",
    params(
        ("slug" = String, Path, description = "The organisation's portal slug."),
        ("code" = String, Path, description = "The exam's 6-digit access code."),
    ),
    request_body = RegistrationRequest,
    responses(
        (status = 201, description = "Registered: a candidate was created, assigned to the exam and signed in (portal session cookies set).", body = EntryResult),
        (status = 200, description = "The same person again (same name and phone, email or ID number): their candidate is signed in.", body = EntryResult),
        (status = 403, description = "The returning person's candidate is disabled.", body = shared::ErrorBody),
        (status = 404, description = "No such portal, or no exam with this code.", body = shared::ErrorBody),
        (status = 409, description = "`exam_closed`.", body = shared::ErrorBody),
        (status = 422, description = "`fields.{key}`: `required`, `invalid_format`, `too_long` or `unknown_field`.", body = shared::ErrorBody),
        (status = 429, description = "Too many wrong codes from this address; see `Retry-After`.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn enter_by_access_code(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    body: web::Json<RegistrationRequest>,
) -> Result<HttpResponse, ApiError> {
    let (slug, code) = path.into_inner();
    enter(req, state, slug, Way::AccessCode(code), body.into_inner()).await
}

#[utoipa::path(
    post,
    path = "/api/portal/{slug}/invite",
    operation_id = "enter_by_invite",
    tag = "portal",
    params(("slug" = String, Path, description = "The organisation's portal slug.")),
    request_body = InviteRequest,
    responses(
        (status = 200, description = "Signed in as the invited candidate (portal session cookies set); go to `exam_id`.", body = EntryResult),
        (status = 401, description = "`invalid_credentials`: not a valid invite of this portal, or the exam closed, its invite links were turned off or the assignment was removed.", body = shared::ErrorBody),
        (status = 404, description = "No active organisation with this slug.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn enter_by_invite(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: web::Path<String>,
    body: web::Json<InviteRequest>,
) -> Result<HttpResponse, ApiError> {
    let client = ClientInfo::of(&req);
    let invite = entry::parse_invite(&state.bidx, &body.token);
    let slug = slug.into_inner();
    let signed_in = state
        .transaction(move |conn, st| {
            let org = portal_of(conn, &slug)?;
            let valid = match invite {
                Some((exam, candidate)) => still_invited(conn, org, exam, candidate)?,
                None => false,
            };
            let details = serde_json::json!({ "method": "invite",
                "exam_id": invite.map(|(e, _)| e.to_string()) });
            match invite.filter(|_| valid) {
                Some((exam, candidate)) => {
                    let signed_in =
                        sign_in(conn, &st.cipher, &client, org, candidate, details, None)?;
                    Ok(Some((exam, signed_in)))
                }
                None => {
                    let entry = client.audit(
                        Some(org),
                        Actor::Anonymous,
                        "portal.login",
                        Outcome::Failure,
                        details,
                    );
                    audit::append(conn, &st.cipher, entry)?;
                    Ok(None)
                }
            }
        })
        .await?;
    let Some((exam, signed_in)) = signed_in else {
        return Err(ApiError::InvalidCredentials);
    };
    signed_in.respond(HttpResponse::Ok(), &state, |candidate| EntryResult {
        exam_id: exam.to_string(),
        candidate,
    })
}

/// Whether an invite still admits: the exam is this organisation's, active, open for
/// invites and not closed; the candidate is active and still assigned to it.
fn still_invited(
    conn: &mut DbConnection,
    org: DbUuid,
    exam: DbUuid,
    candidate: DbUuid,
) -> Result<bool, ApiError> {
    let scope = OrgScope::portal_entry(org);
    let exam = match exam_model::find(conn, &scope, exam) {
        Ok(e) => e,
        Err(ApiError::NotFound) => return Ok(false),
        Err(other) => return Err(other),
    };
    if !exam.settings.entry.invite_links || exam.is_closed(Timestamp::now()) {
        return Ok(false);
    }
    let assigned: i64 = scoped!(exam_assignments, scope)
        .filter(exam_assignments::exam_id.eq(exam.id))
        .filter(exam_assignments::candidate_id.eq(candidate))
        .count()
        .get_result(conn)?;
    let active: i64 = scoped!(candidates, scope)
        .filter(candidates::id.eq(candidate))
        .filter(candidates::status.eq("active"))
        .count()
        .get_result(conn)?;
    Ok(assigned > 0 && active > 0)
}
