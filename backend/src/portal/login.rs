//! Signing in to the portal with a password or a code sent to the candidate's email or phone.
//! Failures answer the same `invalid_credentials` whether or not the candidate exists, and are
//! throttled like console sign-ins.

use actix_web::{HttpRequest, HttpResponse, web};
use diesel::prelude::*;
use shared::accounts::SendCodeResponse;
use shared::candidates::{CandidateLoginRequest, CandidateMe, PortalCodeRequest};

use super::sign_in::{SignedIn, portal_of, sign_in};
use crate::accounts::throttle;
use crate::audit::{self, Actor, Outcome};
use crate::candidates::model::account_index;
use crate::crypto::FieldCipher;
use crate::db::DbConnection;
use crate::db::schema::candidates;
use crate::db::types::DbUuid;
use crate::domain::{CandidateAccount, Contact};
use crate::errors::ApiError;
use crate::http::{ClientInfo, Fields};
use crate::state::AppState;
use crate::verification::{self, CODE_TTL_SECONDS, CodeError};

/// A candidate found by how they named themselves: the account first, then email or phone.
#[derive(Debug, Clone)]
struct Found {
    id: DbUuid,
    password_hash: Option<String>,
    status: String,
}

/// How a sign-in names the candidate: a password sign-in by account, email or phone; a code
/// sign-in only by the email or phone the code was sent to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lookup {
    AccountOrContact,
    ContactOnly,
}

fn find_candidate(
    conn: &mut DbConnection,
    state: &AppState,
    org: DbUuid,
    identifier: &str,
    lookup: Lookup,
) -> QueryResult<Option<Found>> {
    let select = (
        candidates::id,
        candidates::password_hash,
        candidates::status,
    );
    let in_org = || candidates::table.filter(candidates::org_id.eq(org));
    // A code proves the holder of a contact, never an account: an account named like a phone
    // number (`13800138000`) must not be signed in by a code sent to that phone.
    if lookup == Lookup::AccountOrContact
        && let Ok(account) = CandidateAccount::parse(identifier)
    {
        let hit: Option<(DbUuid, Option<String>, String)> = in_org()
            .filter(candidates::account_bidx.eq(account_index(&state.bidx, &account)))
            .select(select)
            .first(conn)
            .optional()?;
        if let Some((id, password_hash, status)) = hit {
            return Ok(Some(Found {
                id,
                password_hash,
                status,
            }));
        }
    }
    let Ok(contact) = Contact::parse(identifier) else {
        return Ok(None);
    };
    let index = crate::accounts::model::contact_index(&state.bidx, &contact);
    let q = in_org().select(select);
    let hit: Option<(DbUuid, Option<String>, String)> = match contact {
        Contact::Email(_) => q.filter(candidates::email_bidx.eq(index)).first(conn),
        Contact::Mobile(_) => q.filter(candidates::phone_bidx.eq(index)).first(conn),
    }
    .optional()?;
    Ok(hit.map(|(id, password_hash, status)| Found {
        id,
        password_hash,
        status,
    }))
}

/// The form of an identifier no candidate has, for throttling: every spelling of one phone
/// number or email address is the same contact, anything else is compared case-insensitively.
fn normalised_identifier(identifier: &str) -> String {
    match Contact::parse(identifier) {
        Ok(contact) => format!("contact:{}", contact.lookup_key()),
        Err(_) => format!("account:{}", identifier.trim().to_lowercase()),
    }
}

#[utoipa::path(
    post,
    path = "/api/portal/{slug}/codes",
    operation_id = "send_portal_code",
    tag = "portal",
    params(("slug" = String, Path, description = "The organisation's portal slug.")),
    request_body = PortalCodeRequest,
    responses(
        (status = 202, description = "If the address belongs to a candidate of this organisation, a sign-in code is on its way (the answer is the same either way).", body = SendCodeResponse),
        (status = 404, description = "No active organisation with this slug.", body = shared::ErrorBody),
        (status = 422, description = "Not an email address or mainland-China mobile number.", body = shared::ErrorBody),
        (status = 429, description = "Too many codes for this address or client; see `Retry-After`.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn send_portal_code(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: web::Path<String>,
    body: web::Json<PortalCodeRequest>,
) -> Result<HttpResponse, ApiError> {
    let contact = Contact::parse(&body.destination)
        .map_err(|why| Fields::single("destination", why.as_str()))?;
    let lang = crate::http::request_lang(&req);
    let client = ClientInfo::of(&req);
    let st = state.clone();
    let slug = slug.into_inner();
    state
        .db
        .run(move |conn| {
            let org = portal_of(conn, &slug)?;
            crate::db::transaction(conn, |conn| {
                let known = find_candidate(
                    conn,
                    &st,
                    org,
                    contact.lookup_key().as_str(),
                    Lookup::ContactOnly,
                )?
                .is_some_and(|c| c.status == "active");
                let code = verification::request_portal_code(
                    conn,
                    &st.bidx,
                    org,
                    &contact,
                    client.address_group().as_deref(),
                    known,
                )?;
                if let Some(code) = code {
                    let message = crate::accounts::code_message(&contact, &code, lang);
                    st.notifier.enqueue(conn, Some(org), &message)?;
                }
                Ok::<_, ApiError>(())
            })
        })
        .await?;
    state.notifier.wake();
    Ok(HttpResponse::Accepted().json(SendCodeResponse {
        cooldown_seconds: 60,
        expires_in_seconds: CODE_TTL_SECONDS as u32,
    }))
}

#[utoipa::path(
    post,
    path = "/api/portal/{slug}/login",
    operation_id = "candidate_login",
    tag = "portal",
    params(("slug" = String, Path, description = "The organisation's portal slug.")),
    request_body = CandidateLoginRequest,
    responses(
        (status = 200, description = "Signed in (portal session cookies set).", body = CandidateMe),
        (status = 401, description = "Wrong account, password or code.", body = shared::ErrorBody),
        (status = 404, description = "No active organisation with this slug.", body = shared::ErrorBody),
        (status = 422, description = "`identifier` (`invalid_format`: empty or longer than 254 characters), `password` (`required`: a password or a code, not both) or a device field (`invalid_format`).", body = shared::ErrorBody),
        (status = 429, description = "Too many failures; see `Retry-After`.", body = shared::ErrorBody),
        (status = 503, description = "`server_busy`: every password-hashing slot of this node is taken and the queue is full; nothing was done. Retry after `Retry-After` seconds.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn candidate_login(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: web::Path<String>,
    body: web::Json<CandidateLoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let identifier = checked_identifier(&body)?;
    let client = ClientInfo::of(&req);
    // A code signs in only the candidate whose contact it was sent to, never an account
    // that merely looks like that phone or email.
    let lookup = if body.code.is_some() {
        Lookup::ContactOnly
    } else {
        Lookup::AccountOrContact
    };
    let (org, found, attempt) =
        find_throttled(&state, slug.into_inner(), &identifier, lookup, &client).await?;
    let verified = verify(&state, &body, &identifier, org, found.as_ref()).await?;
    let active = found.filter(|c| verified && c.status == "active");
    let cipher = state.cipher.clone();
    let issued = state
        .db
        .run(move |conn| {
            crate::db::transaction(conn, |conn| {
                attempt.settle(conn, active.is_some())?;
                finish(conn, &cipher, &client, org, active.map(|c| c.id), &body)
            })
        })
        .await?;
    let Some(signed_in) = issued else {
        return Err(ApiError::InvalidCredentials);
    };
    signed_in.respond(HttpResponse::Ok(), &state, |me| me)
}

/// The trimmed identifier, once the request is well-formed: an identifier of 1–254
/// characters, a password or a code (not both), a valid device.
fn checked_identifier(body: &CandidateLoginRequest) -> Result<String, ApiError> {
    let identifier = body.identifier.trim().to_owned();
    if identifier.is_empty() || identifier.chars().count() > 254 {
        return Err(Fields::single("identifier", "invalid_format"));
    }
    if body.password.is_some() == body.code.is_some() {
        return Err(Fields::single("password", "required"));
    }
    if let Some(field) = body.device.as_ref().and_then(|d| d.invalid_field()) {
        return Err(Fields::single(field, "invalid_format"));
    }
    Ok(identifier)
}

/// The portal's organisation and the candidate the identifier names, with the sign-in
/// attempt recorded against them before anything is verified.
async fn find_throttled(
    state: &AppState,
    slug: String,
    identifier: &str,
    lookup: Lookup,
    client: &ClientInfo,
) -> Result<(DbUuid, Option<Found>, throttle::Attempt), ApiError> {
    let address = throttle::address_key(&state.bidx, client);
    let st = state.clone();
    let ident = identifier.to_owned();
    state
        .db
        .run(move |conn| {
            let org = portal_of(conn, &slug)?;
            // Throttled per candidate, however they name themselves; an unknown identifier by
            // its normalised form on this portal.
            let found = find_candidate(conn, &st, org, &ident, lookup)?;
            let principal = match &found {
                Some(c) => format!("candidate:{}", c.id),
                None => format!("portal:{org}:{}", normalised_identifier(&ident)),
            };
            let principal = throttle::principal_key(&st.bidx, &principal);
            let attempt = throttle::begin(conn, &principal, address.as_deref(), throttle::SIGN_IN)?;
            Ok::<_, ApiError>((org, found, attempt))
        })
        .await
}

/// Whether the password or code proves the candidate (always verified, found or not, so the
/// time taken does not tell).
async fn verify(
    state: &AppState,
    body: &CandidateLoginRequest,
    identifier: &str,
    org: DbUuid,
    found: Option<&Found>,
) -> Result<bool, ApiError> {
    Ok(match (&body.password, &body.code) {
        (Some(password), None) => {
            let hash = found.and_then(|c| c.password_hash.clone());
            state.hasher.verify(password, hash).await?
        }
        (None, Some(code)) => match Contact::parse(identifier) {
            Ok(contact) => {
                let (bidx, code) = (state.bidx.clone(), code.clone());
                let passed = state
                    .db
                    .run(move |conn| {
                        match verification::check_portal_code(conn, &bidx, org, &contact, &code) {
                            Ok(()) => Ok(true),
                            Err(CodeError::Invalid) => Ok(false),
                            Err(other) => Err(ApiError::from(other)),
                        }
                    })
                    .await?;
                passed && found.is_some()
            }
            Err(_) => false,
        },
        _ => false,
    })
}

/// Signs the active `candidate` in, or audits the failure (`None`), in the caller's
/// transaction.
fn finish(
    conn: &mut DbConnection,
    cipher: &FieldCipher,
    client: &ClientInfo,
    org: DbUuid,
    candidate: Option<DbUuid>,
    body: &CandidateLoginRequest,
) -> Result<Option<SignedIn>, ApiError> {
    let method = if body.code.is_some() {
        "code"
    } else {
        "password"
    };
    let Some(candidate) = candidate else {
        let mut entry = client.audit(
            Some(org),
            Actor::Anonymous,
            "portal.login",
            Outcome::Failure,
            serde_json::json!({ "method": method }),
        );
        entry.device = body.device.clone();
        audit::append(conn, cipher, entry)?;
        return Ok(None);
    };
    let signed_in = sign_in(
        conn,
        cipher,
        client,
        org,
        candidate,
        serde_json::json!({ "method": method }),
        body.device.clone(),
    )?;
    Ok(Some(signed_in))
}
