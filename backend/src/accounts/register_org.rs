//! `POST /api/orgs`: register an organisation with a verified email or mobile number; the
//! owner is signed in at once.

use actix_web::{HttpRequest, HttpResponse, web};
use shared::accounts::{MeResponse, RegisterOrgRequest};
use shared::policies::{ConsentMethod, PolicyKind};

use super::model::{self, NewOrg};
use super::set_session_cookies;
use crate::audit::{self, Actor, AuditEntry, Outcome};
use crate::auth::sessions::{self, PrincipalKind};
use crate::domain::{Contact, OrgName, Password};
use crate::errors::ApiError;
use crate::http::{ClientInfo, Fields};
use crate::privacy::consent::{self, Subject};
use crate::state::AppState;
use crate::verification::{self, Purpose};

#[utoipa::path(
    post,
    path = "/api/orgs",
    operation_id = "register_org",
    tag = "accounts",
    request_body = RegisterOrgRequest,
    responses(
        (status = 201, description = "Registered and signed in (session cookies set).", body = MeResponse),
        (status = 409, description = "The email or mobile number already has an account.", body = shared::ErrorBody),
        (status = 422, description = "Invalid fields, or a wrong or expired code (`details.fields`); `accept.privacy` / `accept.terms`: `required`, or `outdated` when they are not the current versions.", body = shared::ErrorBody),
        (status = 503, description = "`server_busy`: every password-hashing slot of this node is taken and the queue is full; nothing was done. Retry after `Retry-After` seconds.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn register_org(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<RegisterOrgRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let mut fields = Fields::default();
    let name = fields.check("org_name", OrgName::parse(&body.org_name));
    let password = fields.check("password", Password::parse(&body.password));
    let contact = fields.check("destination", Contact::parse(&body.destination));
    if !(body.code.len() == 6 && body.code.bytes().all(|b| b.is_ascii_digit())) {
        fields.push("code", "invalid_format");
    }
    match &body.accept {
        None => {
            fields.push("accept.privacy", "required");
            fields.push("accept.terms", "required");
        }
        Some(a) if a.terms.as_deref().unwrap_or_default().is_empty() => {
            fields.push("accept.terms", "required");
        }
        Some(_) => {}
    }
    fields.finish()?;
    let (Some(name), Some(password), Some(contact)) = (name, password, contact) else {
        return Err(ApiError::Internal(anyhow::anyhow!(
            "validated fields missing"
        )));
    };

    // Hashing is deliberately slow: off the request threads, under the node's limit.
    let password_hash = state.hasher.hash(password.expose()).await?;

    let client = ClientInfo::of(&req);
    let st = state.clone();
    let issued = state
        .db
        .run(move |conn| {
            // The versions agreed to must be the current ones (checked before the code is
            // spent, so a stale page can retry with the same code).
            let agreed = consent::check_acceptance(
                conn,
                body.accept.as_ref(),
                &[PolicyKind::Privacy, PolicyKind::Terms],
            )?;
            verification::check_code(conn, &st.bidx, Purpose::Register, &contact, &body.code)?;
            crate::db::transaction(conn, |conn| {
                if model::contact_registered(conn, &st.bidx, &contact)? {
                    return Err(ApiError::Conflict { detail: "destination_registered".to_owned() });
                }
                let (org_id, user_id) = model::insert_org_with_owner(
                    conn,
                    &st.cipher,
                    &st.bidx,
                    NewOrg { name: name.as_str(), contact: &contact, password_hash },
                )?;
                audit::append(
                    conn,
                    &st.cipher,
                    AuditEntry {
                        org_id: Some(org_id),
                        actor: Actor::User(user_id),
                        action: "org.register",
                        target_kind: Some("org"),
                        target_id: Some(org_id.to_string()),
                        outcome: Outcome::Success,
                        request_id: client.request_id.as_deref(),
                        details: serde_json::json!({ "via": match contact { Contact::Email(_) => "email", Contact::Mobile(_) => "mobile" } }),
                        ip: client.ip.as_deref(),
                        user_agent: client.user_agent.as_deref(),
                        device: None,
                    },
                )?;
                consent::record_agreement(
                    conn,
                    Subject::User { org: org_id, id: user_id },
                    &agreed,
                    ConsentMethod::Registration,
                )?;
                let issued = sessions::create(
                    conn,
                    &st.cipher,
                    PrincipalKind::User,
                    user_id,
                    client.user_agent.as_deref(),
                )?;
                let me = model::load_me(conn, &st.cipher, user_id, org_id)?;
                Ok((issued, me))
            })
        })
        .await?;
    let (issued, me) = issued;
    let mut res = HttpResponse::Created();
    set_session_cookies(&mut res, &state, &issued)?;
    Ok(res.json(me))
}
