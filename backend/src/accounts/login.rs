//! `POST /api/auth/login`: sign in by login account, email or mobile number with a password or
//! a code. Every failure answers the same `invalid_credentials`, whether the account exists or
//! not (an unknown account costs the same password hashing as a known one). Repeated failures
//! lock the account (however it is named: login account, email or phone, in any spelling) for
//! a while and slow a client down; both answer 429 with `Retry-After` (see [`super::throttle`]).

use actix_web::{HttpRequest, HttpResponse, web};
use shared::accounts::{LoginRequest, MeResponse};

use super::model::{self, Credentials, Identifier};
use super::{set_session_cookies, throttle};
use crate::audit::{self, Actor, Outcome};
use crate::auth::sessions::{self, PrincipalKind};
use crate::crypto::BlindIndex;
use crate::domain::Contact;
use crate::errors::ApiError;
use crate::http::ClientInfo;
use crate::privacy::consent::{self, Subject};
use crate::state::AppState;
use crate::verification::{self, CodeError, Purpose};

#[utoipa::path(
    post,
    path = "/api/auth/login",
    operation_id = "login",
    tag = "accounts",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in (session cookies set).", body = MeResponse),
        (status = 401, description = "Wrong account, password or code.", body = shared::ErrorBody),
        (status = 422, description = "`identifier`: not a login account, email or mainland mobile number; or `password` (`required`): give a password or a code, not both. `details.fields` names the field and the reason.", body = shared::ErrorBody),
        (status = 429, description = "Too many failures; see `Retry-After`.", body = shared::ErrorBody),
        (status = 503, description = "`server_busy`: every password-hashing slot of this node is taken and the queue is full; nothing was done. Retry after `Retry-After` seconds.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn login(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let client = ClientInfo::of(&req);
    let Some(who) = Identifier::parse(&body.identifier) else {
        return Err(crate::http::Fields::single("identifier", "invalid_format"));
    };
    if let Some(field) = body.device.as_ref().and_then(|d| d.invalid_field()) {
        return Err(crate::http::Fields::single(field, "invalid_format"));
    }
    let address = throttle::address_key(&state.bidx, &client);

    // Resolve the account, then record the attempt against it before verifying anything.
    let st = state.clone();
    let w = who.clone();
    let (creds, attempt) = state
        .db
        .run(move |conn| {
            let creds = model::find_credentials(conn, &st.bidx, &w)?;
            let principal = match &creds {
                Some(c) => throttle::principal_key(&st.bidx, &format!("user:{}", c.id)),
                None => w.index(&st.bidx),
            };
            let attempt = throttle::begin(conn, &principal, address.as_deref(), throttle::SIGN_IN)?;
            Ok::<_, ApiError>((creds, attempt))
        })
        .await?;

    let verified = match (&body.password, &body.code) {
        (Some(password), None) => {
            let hash = creds.as_ref().map(|c| c.password_hash.clone());
            state.hasher.verify(password, hash).await?
        }
        (None, Some(code)) => match &who {
            Identifier::Contact(contact) => {
                check_login_code(&state, contact.clone(), code.clone()).await? && creds.is_some()
            }
            Identifier::Account(_) => false,
        },
        _ => return Err(crate::http::Fields::single("password", "required")),
    };
    let active = creds.filter(|c| verified && c.status == "active");

    let cipher = state.cipher.clone();
    let issued = state
        .db
        .run(move |conn| {
            crate::db::transaction(conn, |conn| {
                attempt.settle(conn, active.is_some())?;
                let (org_id, actor, outcome) = match &active {
                    Some(Credentials { id, org_id, .. }) => {
                        (Some(*org_id), Actor::User(*id), Outcome::Success)
                    }
                    None => (None, Actor::Anonymous, Outcome::Failure),
                };
                let method = if body.code.is_some() {
                    "code"
                } else {
                    "password"
                };
                let mut entry = client.audit(
                    org_id,
                    actor,
                    "auth.login",
                    outcome,
                    serde_json::json!({ "method": method }),
                );
                // Device details only while the person has not withdrawn that consent.
                let devices = match &active {
                    Some(c) => consent::device_details_allowed(
                        conn,
                        Subject::User {
                            org: c.org_id,
                            id: c.id,
                        },
                    )?,
                    None => true,
                };
                entry.device = body.device.clone().filter(|_| devices);
                audit::append(conn, &cipher, entry)?;
                let Some(user) = active else {
                    return Ok(None);
                };
                let issued = sessions::create(
                    conn,
                    &cipher,
                    PrincipalKind::User,
                    user.id,
                    client.user_agent.as_deref().filter(|_| devices),
                )?;
                let me = model::load_me(conn, &cipher, user.id, user.org_id)?;
                Ok::<_, ApiError>(Some((issued, me)))
            })
        })
        .await?;
    let Some((issued, me)) = issued else {
        return Err(ApiError::InvalidCredentials);
    };
    let mut res = HttpResponse::Ok();
    set_session_cookies(&mut res, &state, &issued)?;
    Ok(res.json(me))
}

async fn check_login_code(
    state: &AppState,
    contact: Contact,
    code: String,
) -> Result<bool, ApiError> {
    let bidx: BlindIndex = state.bidx.clone();
    state
        .db
        .run(move |conn| {
            match verification::check_code(conn, &bidx, Purpose::Login, &contact, &code) {
                Ok(()) => Ok(true),
                Err(CodeError::Invalid) => Ok(false),
                Err(other) => Err(ApiError::from(other)),
            }
        })
        .await
}
