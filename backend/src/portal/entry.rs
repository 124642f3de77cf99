//! Entering an exam without a password: an assigned candidate's invite link, and anyone's
//! open link or access code with the exam's registration form. Each way ends like a portal
//! sign-in ([`super::sign_in::sign_in`]: audited `portal.login`, portal session cookies).
//!
//! Registering again with values that match an earlier registration (same name and phone,
//! email or ID number) signs in that registration's candidate only with proof: the resume
//! token the first registration answered, or a code sent (`.../resume-code`) to the phone or
//! email registered the first time. Without it: 409 `registration_exists` and no session.
//!
//! Access-code lookups are throttled by the sign-in limiter (`accounts::throttle`): per
//! portal across all addresses, and per client address group; codes are long enough that this
//! budget makes guessing hopeless. An unknown or malformed code, a wrong token and an exam
//! without that entry mode all answer the same 404.

use actix_web::{HttpRequest, HttpResponse, web};
use diesel::prelude::*;
use shared::accounts::SendCodeResponse;
use shared::exams::{EntryResult, ExamEntryInfo, InviteRequest, RegistrationRequest};
use shared::policies::{ConsentMethod, ConsentPurpose, PolicyKind};

use super::sign_in::{portal_of, sign_in};
use crate::accounts::throttle;
use crate::audit::{self, Actor, Outcome};
use crate::db::DbConnection;
use crate::db::schema::{candidates, exam_assignments};
use crate::db::types::{DbUuid, Timestamp};
use crate::errors::{ApiError, ModelError};
use crate::exams::model::{self as exam_model, ExamRow};
use crate::exams::registrations::{self, Proof};
use crate::exams::tokens;
use crate::http::{ClientInfo, Fields};
use crate::privacy::consent::{self, NewConsent, Subject};
use crate::scoped;
use crate::state::AppState;
use crate::tenancy::OrgScope;
use crate::verification::{self, CODE_TTL_SECONDS};

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
/// portal and per address group and every miss counts as a failed sign-in; this runs outside
/// a transaction so a miss is recorded although the request fails (and so the limiter's
/// count sees every parallel guess).
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
        Way::AccessCode(typed) => {
            // A malformed code cannot name an exam: no lookup, nothing to count.
            let Some(code) = shared::exams::normalise_access_code(typed) else {
                return Err(ApiError::NotFound);
            };
            // Every guess on this portal, from any address, draws on one budget.
            let portal = throttle::principal_key(&state.bidx, &format!("access-code:{org}"));
            let address = throttle::address_key(&state.bidx, client);
            let attempt =
                throttle::begin(conn, &portal, address.as_deref(), throttle::ACCESS_CODE)?;
            let found = exam_model::find_by(conn, org, None, Some(code.as_str()))?
                .filter(|e| e.settings.entry.access_code);
            attempt.settle(conn, found.is_some())?;
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
        purpose: exam.settings.entry.purpose.clone(),
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

/// Registers the person and signs them in: 201 for a new candidate (with their resume
/// token), 200 for a returning one who proved it, 409 `registration_exists` for a returning
/// one who did not.
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
    // The proof is checked on its own, before the registration's transaction: a wrong code
    // must count against the code although the request fails.
    let (st, b) = (state.clone(), body.clone());
    let proof = state
        .db
        .run(move |conn| prove(conn, &st, org, exam_id, &b))
        .await?;
    let (registered, signed_in) = state
        .transaction(move |conn, st| {
            let scope = OrgScope::portal_entry(org);
            // Read again in the transaction: the exam may have changed since the lookup.
            let exam = exam_model::find(conn, &scope, exam_id)?;
            if exam.is_closed(Timestamp::now()) {
                return Err(exam_closed());
            }
            let checked = registrations::check(&exam, &body)?;
            let registered =
                registrations::register(conn, &st.cipher, &st.bidx, &exam, org, checked, proof)?;
            if registered.created {
                // A new person agrees to the privacy statement and the form's purpose notice
                // with their registration (in its transaction: no agreement, no candidate).
                let agreed =
                    consent::check_acceptance(conn, body.accept.as_ref(), &[PolicyKind::Privacy])?;
                let who = Subject::Candidate {
                    org,
                    id: registered.candidate,
                };
                consent::record_agreement(conn, who, &agreed, ConsentMethod::ExamRegistration)?;
                let exam_ref = exam_id.to_string();
                consent::record(
                    conn,
                    who,
                    &NewConsent {
                        purpose: ConsentPurpose::ExamForm,
                        version: None,
                        context: Some(&exam_ref),
                        granted: true,
                        method: ConsentMethod::ExamRegistration,
                        by_guardian: false,
                    },
                )?;
            }
            let method = match (&body.resume_token, &body.code) {
                _ if registered.created => "registration",
                (Some(_), _) => "resume_token",
                _ => "code",
            };
            let signed_in = sign_in(
                conn,
                &st.cipher,
                &client,
                org,
                registered.candidate,
                serde_json::json!({ "method": way.method(), "exam_id": exam_id.to_string(),
                    "registered": registered.created, "proof": method }),
                None,
            )?;
            Ok((registered, signed_in))
        })
        .await?;
    let status = if registered.created {
        HttpResponse::Created()
    } else {
        HttpResponse::Ok()
    };
    signed_in.respond(status, &state, |candidate| EntryResult {
        exam_id: exam_id.to_string(),
        candidate,
        resume_token: registered.resume_token,
    })
}

/// Checks the resume token or code a returning registrant brought, against the earlier
/// registrations their values match. Without either there is nothing to check (a match will
/// answer 409); with one that matches nothing or fails, 422 on that field. A token is good
/// only until the exam closes, which the closed check here and in the transaction enforce.
fn prove(
    conn: &mut DbConnection,
    state: &AppState,
    org: DbUuid,
    exam_id: DbUuid,
    body: &RegistrationRequest,
) -> Result<Proof, ApiError> {
    if body.resume_token.is_none() && body.code.is_none() {
        return Ok(Proof::None);
    }
    let exam = exam_model::find(conn, &OrgScope::portal_entry(org), exam_id)?;
    if exam.is_closed(Timestamp::now()) {
        return Err(exam_closed());
    }
    let checked = registrations::check(&exam, body)?;
    let earlier = registrations::matching(conn, &state.bidx, exam.id, org, &checked)?;
    if let Some(token) = &body.resume_token {
        return registrations::check_resume_token(&state.bidx, &earlier, token)
            .map(Proof::Proved)
            .ok_or_else(|| Fields::single("resume_token", "invalid_token"));
    }
    let code = body.code.as_deref().unwrap_or_default();
    let Some(first) = earlier.first() else {
        return Err(Fields::single("code", "invalid_code"));
    };
    let Some(contact) = registrations::registered_contact(&state.cipher, &exam, first)? else {
        return Err(Fields::single("code", "invalid_code"));
    };
    verification::check_registration_code(conn, &state.bidx, exam.id, &contact, code)?;
    Ok(Proof::Proved(first.candidate))
}

/// Sends a returning registrant a code to the phone (else email) of the earliest registration
/// their values match. The answer is the same 202 whether or not anything matched (what
/// matched is said by the entry's 409, and only to someone who typed the values).
async fn send_resume_code(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: String,
    way: Way,
    body: RegistrationRequest,
) -> Result<HttpResponse, ApiError> {
    let client = ClientInfo::of(&req);
    let lang = crate::http::request_lang(&req);
    let (st, c) = (state.clone(), client.clone());
    let (org, exam_id) = state
        .db
        .run(move |conn| lookup(conn, &st, &c, &slug, &way).map(|(o, e)| (o, e.id)))
        .await?;
    state
        .transaction(move |conn, st| {
            let exam = exam_model::find(conn, &OrgScope::portal_entry(org), exam_id)?;
            if exam.is_closed(Timestamp::now()) {
                return Err(exam_closed());
            }
            let checked = registrations::check(&exam, &body)?;
            let earlier = registrations::matching(conn, &st.bidx, exam.id, org, &checked)?;
            let contact = match earlier.first() {
                Some(first) => registrations::registered_contact(&st.cipher, &exam, first)?,
                None => None,
            };
            if let Some(contact) = contact {
                let code = verification::request_registration_code(
                    conn,
                    &st.bidx,
                    exam.id,
                    &contact,
                    client.ip.as_deref(),
                )?;
                if let Some(code) = code {
                    let message = crate::accounts::code_message(&contact, &code, lang);
                    st.notifier.enqueue(conn, Some(org), &message)?;
                }
            }
            Ok(())
        })
        .await?;
    state.notifier.wake();
    Ok(HttpResponse::Accepted().json(SendCodeResponse {
        cooldown_seconds: 60,
        expires_in_seconds: CODE_TTL_SECONDS as u32,
    }))
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
        (status = 201, description = "Registered: a candidate was created, assigned to the exam and signed in (portal session cookies set); `resume_token` proves this person if they come back.", body = EntryResult),
        (status = 200, description = "The same person again (same name and phone, email or ID number) with the proof `resume_token` or `code`: their candidate is signed in.", body = EntryResult),
        (status = 403, description = "The returning person's candidate is disabled.", body = shared::ErrorBody),
        (status = 404, description = "No such portal, or no exam open by this link.", body = shared::ErrorBody),
        (status = 409, description = "`exam_closed` (`details.reason`), or `registration_exists`: the values match an earlier registration and no proof came with them; nobody is signed in. `details` (`RegistrationExists`) says whether a code can be sent and where, masked.", body = shared::ErrorBody),
        (status = 422, description = "`fields.{key}`: `required`, `invalid_format`, `too_long` or `unknown_field`; `resume_token`: `invalid_token`; `code`: `invalid_code` (wrong, expired or used up); `accept.privacy`: `required` or `outdated` (a first registration agrees to the current privacy statement and the form's purpose notice).", body = shared::ErrorBody),
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
        ("code" = String, Path, description = "The exam's access code: 10 characters of `23456789ABCDEFGHJKMNPQRSTUVWXYZ` (case, spaces and `-` ignored)."),
    ),
    responses(
        (status = 200, description = "The exam's public face and its registration form.", body = ExamEntryInfo),
        (status = 404, description = "No such portal, or no exam with this code (every miss of a well-formed code counts against the portal's and the client's budgets).", body = shared::ErrorBody),
        (status = 409, description = "`exam_closed`.", body = shared::ErrorBody),
        (status = 429, description = "Too many wrong codes on this portal or from this address; see `Retry-After`.", body = shared::ErrorBody),
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
        ("code" = String, Path, description = "The exam's access code: 10 characters of `23456789ABCDEFGHJKMNPQRSTUVWXYZ` (case, spaces and `-` ignored)."),
    ),
    request_body = RegistrationRequest,
    responses(
        (status = 201, description = "Registered: a candidate was created, assigned to the exam and signed in (portal session cookies set); `resume_token` proves this person if they come back.", body = EntryResult),
        (status = 200, description = "The same person again (same name and phone, email or ID number) with the proof `resume_token` or `code`: their candidate is signed in.", body = EntryResult),
        (status = 403, description = "The returning person's candidate is disabled.", body = shared::ErrorBody),
        (status = 404, description = "No such portal, or no exam with this code.", body = shared::ErrorBody),
        (status = 409, description = "`exam_closed` (`details.reason`), or `registration_exists`: the values match an earlier registration and no proof came with them; nobody is signed in. `details` (`RegistrationExists`) says whether a code can be sent and where, masked.", body = shared::ErrorBody),
        (status = 422, description = "`fields.{key}`: `required`, `invalid_format`, `too_long` or `unknown_field`; `resume_token`: `invalid_token`; `code`: `invalid_code` (wrong, expired or used up); `accept.privacy`: `required` or `outdated` (a first registration agrees to the current privacy statement and the form's purpose notice).", body = shared::ErrorBody),
        (status = 429, description = "Too many wrong codes on this portal or from this address; see `Retry-After`.", body = shared::ErrorBody),
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
    path = "/api/portal/{slug}/exams/open/{token}/resume-code",
    operation_id = "send_resume_code_by_open_link",
    tag = "portal",
    params(
        ("slug" = String, Path, description = "The organisation's portal slug."),
        ("token" = String, Path, description = "The exam's open-link token."),
    ),
    request_body = RegistrationRequest,
    responses(
        (status = 202, description = "If the values match an earlier registration that gave a phone or email, a code is on its way there (the answer is the same either way). Send it back as `code` with the same values.", body = SendCodeResponse),
        (status = 404, description = "No such portal, or no exam open by this link.", body = shared::ErrorBody),
        (status = 409, description = "`exam_closed`.", body = shared::ErrorBody),
        (status = 422, description = "`fields.{key}`: `required`, `invalid_format`, `too_long` or `unknown_field`.", body = shared::ErrorBody),
        (status = 429, description = "Too many codes for this registration or client; see `Retry-After`.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn send_resume_code_by_open_link(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    body: web::Json<RegistrationRequest>,
) -> Result<HttpResponse, ApiError> {
    let (slug, token) = path.into_inner();
    send_resume_code(req, state, slug, Way::OpenLink(token), body.into_inner()).await
}

#[utoipa::path(
    post,
    path = "/api/portal/{slug}/exams/code/{code}/resume-code",
    operation_id = "send_resume_code_by_access_code",
    tag = "portal",
    params(
        ("slug" = String, Path, description = "The organisation's portal slug."),
        ("code" = String, Path, description = "The exam's access code: 10 characters of `23456789ABCDEFGHJKMNPQRSTUVWXYZ` (case, spaces and `-` ignored)."),
    ),
    request_body = RegistrationRequest,
    responses(
        (status = 202, description = "If the values match an earlier registration that gave a phone or email, a code is on its way there (the answer is the same either way). Send it back as `code` with the same values.", body = SendCodeResponse),
        (status = 404, description = "No such portal, or no exam with this code (every miss counts against the client's address).", body = shared::ErrorBody),
        (status = 409, description = "`exam_closed`.", body = shared::ErrorBody),
        (status = 422, description = "`fields.{key}`: `required`, `invalid_format`, `too_long` or `unknown_field`.", body = shared::ErrorBody),
        (status = 429, description = "Too many codes for this registration or client, or too many wrong access codes from this address; see `Retry-After`.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn send_resume_code_by_access_code(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    body: web::Json<RegistrationRequest>,
) -> Result<HttpResponse, ApiError> {
    let (slug, code) = path.into_inner();
    send_resume_code(req, state, slug, Way::AccessCode(code), body.into_inner()).await
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
    let invite = tokens::parse_invite(&state.bidx, &body.token);
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
        resume_token: None,
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
        Err(ModelError::NotFound) => return Ok(false),
        Err(other) => return Err(other.into()),
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
