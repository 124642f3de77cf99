//! The privacy endpoints: the public documents, a person's consents, staff publishing.

use actix_web::{HttpRequest, HttpResponse, web};
use shared::access::StaffRole;
use shared::policies::{
    ConsentMethod, ConsentPurpose, ConsentUpdate, MyConsents, PoliciesResponse, PolicyKind,
    PolicyVersionSummary, PublishPolicyRequest, PublishPolicyResponse,
};

use super::consent::{self, NewConsent, Subject};
use super::policies::{self, NewVersion};
use crate::audit::{self, Actor, Outcome};
use crate::auth::{AuthCandidate, AuthStaff, AuthUser};
use crate::db::DbConnection;
use crate::errors::ApiError;
use crate::http::{ClientInfo, Fields};
use crate::state::AppState;

#[utoipa::path(
    get,
    path = "/api/privacy/policies",
    operation_id = "get_policies",
    tag = "privacy",
    responses(
        (status = 200, description = "The current privacy statement and terms (both languages, with version and effective date) and the privacy contact channels. Public.", body = PoliciesResponse),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn get_policies(
    state: web::Data<AppState>,
) -> Result<web::Json<PoliciesResponse>, ApiError> {
    let docs = state
        .db
        .run(|conn| {
            let privacy = policies::current(conn, PolicyKind::Privacy)?;
            let terms = policies::current(conn, PolicyKind::Terms)?;
            Ok::<_, ApiError>((privacy, terms))
        })
        .await?;
    let (Some(privacy), Some(terms)) = docs else {
        return Err(ApiError::Internal(anyhow::anyhow!(
            "no policy documents are published"
        )));
    };
    Ok(web::Json(PoliciesResponse {
        privacy: privacy.document(),
        terms: terms.document(),
        contact: policies::contact(),
    }))
}

#[utoipa::path(
    get,
    path = "/api/privacy/policies/{kind}/versions",
    operation_id = "list_policy_versions",
    tag = "privacy",
    params(("kind" = PolicyKind, Path, description = "`privacy` or `terms`.")),
    responses(
        (status = 200, description = "Every published version of the document, newest first. Public.", body = Vec<PolicyVersionSummary>),
        (status = 404, description = "No such document.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn list_policy_versions(
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<web::Json<Vec<PolicyVersionSummary>>, ApiError> {
    let kind = PolicyKind::parse(&path.into_inner()).ok_or(ApiError::NotFound)?;
    let rows = state
        .db
        .run(move |conn| policies::history(conn, kind).map_err(ApiError::from))
        .await?;
    Ok(web::Json(rows.iter().map(|r| r.summary()).collect()))
}

fn mine(conn: &mut DbConnection, who: Subject) -> Result<MyConsents, ApiError> {
    Ok(MyConsents {
        required: consent::required(conn, who)?,
        device_details: consent::device_details_allowed(conn, who)?,
        history: consent::history(conn, who)?,
    })
}

/// Applies an update: agreement to the current documents the person still has to agree to,
/// and the optional device-details consent. One audit entry for what changed.
fn update(
    conn: &mut DbConnection,
    state: &AppState,
    client: &ClientInfo,
    who: Subject,
    actor: Actor,
    body: &ConsentUpdate,
) -> Result<MyConsents, ApiError> {
    if body.accept.is_none() && body.device_details.is_none() {
        return Err(Fields::single("accept", "required"));
    }
    crate::db::transaction(conn, |conn| {
        let mut agreed = Vec::new();
        if let Some(accept) = &body.accept {
            let required = consent::required(conn, who)?;
            let kinds: Vec<PolicyKind> = required.iter().map(|r| r.kind).collect();
            let rows = consent::check_acceptance(conn, Some(accept), &kinds)?;
            for (row, req) in rows.iter().zip(&required) {
                let method = if req.renewal {
                    ConsentMethod::ReConsent
                } else {
                    ConsentMethod::FirstSignIn
                };
                consent::record_agreement(conn, who, std::slice::from_ref(row), method)?;
                agreed.push(format!("{} {}", row.kind.as_str(), row.version));
            }
        }
        let mut device = None;
        if let Some(granted) = body.device_details
            && consent::device_details_allowed(conn, who)? != granted
        {
            consent::record(
                conn,
                who,
                &NewConsent {
                    purpose: ConsentPurpose::DeviceDetails,
                    version: None,
                    context: None,
                    granted,
                    method: ConsentMethod::PrivacyPage,
                    by_guardian: false,
                },
            )?;
            device = Some(granted);
        }
        if !agreed.is_empty() || device.is_some() {
            let org = match who {
                Subject::User { org, .. } | Subject::Candidate { org, .. } => org,
            };
            let entry = client.audit(
                Some(org),
                actor,
                "privacy.consent",
                Outcome::Success,
                serde_json::json!({ "agreed": agreed, "device_details": device }),
            );
            audit::append(conn, &state.cipher, entry)?;
        }
        mine(conn, who)
    })
}

#[utoipa::path(
    get,
    path = "/api/me/consents",
    operation_id = "get_my_consents",
    tag = "privacy",
    security(("session_cookie" = [])),
    responses(
        (status = 200, description = "The documents to agree to now, the device-details choice and every consent record.", body = MyConsents),
        (status = 401, description = "Not signed in.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn get_my_consents(
    user: AuthUser,
    state: web::Data<AppState>,
) -> Result<web::Json<MyConsents>, ApiError> {
    let who = Subject::User {
        org: user.org_id,
        id: user.user_id,
    };
    Ok(web::Json(state.db.run(move |conn| mine(conn, who)).await?))
}

#[utoipa::path(
    post,
    path = "/api/me/consents",
    operation_id = "update_my_consents",
    tag = "privacy",
    security(("session_cookie" = [])),
    request_body = ConsentUpdate,
    responses(
        (status = 200, description = "Recorded (audited `privacy.consent`); the consents as they are now.", body = MyConsents),
        (status = 401, description = "Not signed in.", body = shared::ErrorBody),
        (status = 422, description = "Nothing to change (`accept`: `required`), or `accept.privacy` / `accept.terms` missing (`required`) or not the current version (`outdated`).", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn update_my_consents(
    req: HttpRequest,
    user: AuthUser,
    state: web::Data<AppState>,
    body: web::Json<ConsentUpdate>,
) -> Result<web::Json<MyConsents>, ApiError> {
    let who = Subject::User {
        org: user.org_id,
        id: user.user_id,
    };
    let client = ClientInfo::of(&req);
    let st = state.clone();
    let body = body.into_inner();
    let out = state
        .db
        .run(move |conn| update(conn, &st, &client, who, Actor::User(user.user_id), &body))
        .await?;
    Ok(web::Json(out))
}

#[utoipa::path(
    get,
    path = "/api/candidate/me/consents",
    operation_id = "get_candidate_consents",
    tag = "privacy",
    security(("portal_cookie" = [])),
    responses(
        (status = 200, description = "The documents to agree to now (a first sign-in: the privacy statement), the device-details choice and every consent record.", body = MyConsents),
        (status = 401, description = "Not signed in to a portal.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn get_candidate_consents(
    cand: AuthCandidate,
    state: web::Data<AppState>,
) -> Result<web::Json<MyConsents>, ApiError> {
    let who = Subject::Candidate {
        org: cand.org_id,
        id: cand.candidate_id,
    };
    Ok(web::Json(state.db.run(move |conn| mine(conn, who)).await?))
}

#[utoipa::path(
    post,
    path = "/api/candidate/me/consents",
    operation_id = "update_candidate_consents",
    tag = "privacy",
    security(("portal_cookie" = [])),
    request_body = ConsentUpdate,
    responses(
        (status = 200, description = "Recorded (audited `privacy.consent`); the consents as they are now.", body = MyConsents),
        (status = 401, description = "Not signed in to a portal.", body = shared::ErrorBody),
        (status = 422, description = "Nothing to change (`accept`: `required`), or `accept.privacy` missing (`required`) or not the current version (`outdated`).", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn update_candidate_consents(
    req: HttpRequest,
    cand: AuthCandidate,
    state: web::Data<AppState>,
    body: web::Json<ConsentUpdate>,
) -> Result<web::Json<MyConsents>, ApiError> {
    let who = Subject::Candidate {
        org: cand.org_id,
        id: cand.candidate_id,
    };
    let client = ClientInfo::of(&req);
    let st = state.clone();
    let body = body.into_inner();
    let actor = Actor::Candidate(cand.candidate_id);
    let out = state
        .db
        .run(move |conn| update(conn, &st, &client, who, actor, &body))
        .await?;
    Ok(web::Json(out))
}

/// Checks a version to publish.
fn check_publish(body: &PublishPolicyRequest) -> Result<String, ApiError> {
    let mut fields = Fields::default();
    let v = body.version.trim();
    if v.is_empty()
        || v.len() > 20
        || !v
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
    {
        fields.push("version", "invalid_format");
    }
    if chrono::NaiveDate::parse_from_str(&body.effective_on, "%Y-%m-%d").is_err() {
        fields.push("effective_on", "invalid_format");
    }
    for (name, value, max) in [
        ("summary_zh", &body.summary_zh, 2_000),
        ("summary_en", &body.summary_en, 2_000),
        ("body_zh", &body.body_zh, 200_000),
        ("body_en", &body.body_en, 200_000),
    ] {
        match value.trim().chars().count() {
            0 => fields.push(name, "required"),
            n if n > max => fields.push(name, "too_long"),
            _ => {}
        }
    }
    let reason = crate::http::parse_reason(Some(&body.reason));
    fields.finish()?;
    reason
}

#[utoipa::path(
    post,
    path = "/api/staff/policies",
    operation_id = "publish_policy",
    tag = "staff",
    security(("session_cookie" = [])),
    request_body = PublishPolicyRequest,
    responses(
        (status = 201, description = "Published (audited `privacy.policy_publish` with the reason). A major version queues a notice to every organisation's owner and asks everyone to agree again at their next sign-in.", body = PublishPolicyResponse),
        (status = 401, description = "Not signed in as staff.", body = shared::ErrorBody),
        (status = 403, description = "Only the `security` staff role publishes policy versions.", body = shared::ErrorBody),
        (status = 409, description = "`version_exists`: the document already has this version.", body = shared::ErrorBody),
        (status = 422, description = "Invalid fields: `version` (1–20 of letters, digits, `.`, `-`), `effective_on` (`YYYY-MM-DD`), summaries and bodies (required; at most 2,000 / 200,000 characters), `reason` (5–500 characters).", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn publish_policy(
    req: HttpRequest,
    staff: AuthStaff,
    state: web::Data<AppState>,
    body: web::Json<PublishPolicyRequest>,
) -> Result<HttpResponse, ApiError> {
    if staff.role != StaffRole::Security {
        return Err(ApiError::Forbidden);
    }
    let body = body.into_inner();
    let reason = check_publish(&body)?;
    let client = ClientInfo::of(&req);
    let st = state.clone();
    let out = state
        .db
        .run(move |conn| {
            crate::db::transaction(conn, |conn| {
                let version = body.version.trim();
                if policies::exists(conn, body.kind, version)? {
                    return Err(ApiError::Conflict {
                        detail: "version_exists".to_owned(),
                    });
                }
                let row = policies::insert(
                    conn,
                    &NewVersion {
                        kind: body.kind,
                        version,
                        major: body.major,
                        effective_on: &body.effective_on,
                        summary_zh: body.summary_zh.trim(),
                        summary_en: body.summary_en.trim(),
                        body_zh: &body.body_zh,
                        body_en: &body.body_en,
                        published_by: Some(staff.staff_id),
                    },
                )?;
                let owners = if body.major {
                    policies::queue_notice(conn, row.id)?;
                    policies::organisations(conn)?
                } else {
                    0
                };
                let mut entry = client.audit(
                    None,
                    Actor::Staff(staff.staff_id),
                    "privacy.policy_publish",
                    Outcome::Success,
                    serde_json::json!({ "reason": reason, "kind": body.kind.as_str(),
                        "version": version, "major": body.major }),
                );
                entry.target_kind = Some("policy");
                entry.target_id = Some(row.id.to_string());
                audit::append(conn, &st.cipher, entry)?;
                Ok(PublishPolicyResponse {
                    document: row.document(),
                    owners_notified: owners,
                })
            })
        })
        .await?;
    Ok(HttpResponse::Created().json(out))
}
