//! The owner's side of cancelling the organisation: the state (`GET /api/org/cancellation`), a
//! confirmation code to the owner's bound address (`POST …/code`), the request
//! (`POST /api/org/cancellation`, starting the grace period) and the undo
//! (`DELETE /api/org/cancellation`). Every step is audited and the owner is told by message.

use actix_web::{HttpRequest, HttpResponse, web};
use diesel::prelude::*;
use shared::Lang;
use shared::privacy::{CancelOrgRequest, CancellationStatus, OrgCancellation};

use super::erase::{ERASE_JOB, REMINDER_JOB};
use super::notices::{owner_contact, tell_owner};
use crate::audit::{self, Actor, Outcome};
use crate::auth::AuthUser;
use crate::db::DbConnection;
use crate::db::schema::orgs;
use crate::db::types::{DbUuid, Timestamp};
use crate::errors::ApiError;
use crate::http::ClientInfo;
use crate::notifications::OutboundMessage;
use crate::state::AppState;
use crate::verification;

/// The context binding a cancellation code to one organisation.
fn code_context(org: DbUuid) -> String {
    format!("cancel-org:{org}")
}

fn owner_only(user: &AuthUser) -> Result<(), ApiError> {
    if user.role == "owner" {
        Ok(())
    } else {
        Err(ApiError::Forbidden)
    }
}

/// The organisation's cancellation as it stands; with where the owner's code goes when
/// `for_owner` (only the owner needs it, and it costs a decryption).
fn state_of(
    conn: &mut DbConnection,
    st: &AppState,
    org: DbUuid,
    for_owner: bool,
) -> Result<OrgCancellation, ApiError> {
    let (requested, effective): (Option<Timestamp>, Option<Timestamp>) = orgs::table
        .find(org)
        .select((orgs::cancel_requested_at, orgs::cancel_effective_at))
        .first(conn)?;
    Ok(OrgCancellation {
        status: if effective.is_some() {
            CancellationStatus::Scheduled
        } else {
            CancellationStatus::None
        },
        requested_at: requested.map(Timestamp::to_canonical_string),
        effective_at: effective.map(Timestamp::to_canonical_string),
        grace_days: st.settings.cancellation.grace_days,
        code_destination: if for_owner {
            owner_contact(conn, st, org)?.map(|c| c.masked())
        } else {
            None
        },
    })
}

#[utoipa::path(
    get,
    path = "/api/org/cancellation",
    operation_id = "get_org_cancellation",
    tag = "orgs",
    security(("session_cookie" = [])),
    responses(
        (status = 200, description = "Whether the organisation's cancellation is scheduled, and when it takes effect: every user of the organisation sees it (the console warns them); only the owner acts on it.", body = OrgCancellation),
        (status = 401, description = "Not signed in.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn get_org_cancellation(
    user: AuthUser,
    state: web::Data<AppState>,
) -> Result<web::Json<OrgCancellation>, ApiError> {
    let st = state.clone();
    Ok(web::Json(
        state
            .db
            .run(move |conn| state_of(conn, &st, user.org_id, user.role == "owner"))
            .await?,
    ))
}

#[utoipa::path(
    post,
    path = "/api/org/cancellation/code",
    operation_id = "send_org_cancellation_code",
    tag = "orgs",
    security(("session_cookie" = [])),
    responses(
        (status = 202, description = "A code is on its way to the owner's bound email (else mobile number); it confirms only this organisation's cancellation.", body = shared::accounts::SendCodeResponse),
        (status = 401, description = "Not signed in.", body = shared::ErrorBody),
        (status = 403, description = "Only the owner cancels the organisation.", body = shared::ErrorBody),
        (status = 409, description = "The owner has no bound email or mobile number (`details.reason`: `no_contact`), or the cancellation is already scheduled (`already_scheduled`).", body = shared::ErrorBody),
        (status = 429, description = "Too many codes; see `Retry-After`.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn send_org_cancellation_code(
    req: HttpRequest,
    user: AuthUser,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    owner_only(&user)?;
    let lang = crate::http::request_lang(&req);
    let client = ClientInfo::of(&req);
    crate::accounts::queue_code_message(&state, move |conn, st| {
        if state_of(conn, st, user.org_id, false)?.status == CancellationStatus::Scheduled {
            return Err(ApiError::Conflict {
                detail: "already_scheduled".to_owned(),
            });
        }
        let contact = owner_contact(conn, st, user.org_id)?.ok_or(ApiError::Conflict {
            detail: "no_contact".to_owned(),
        })?;
        let code = verification::request_context_code(
            conn,
            &st.bidx,
            &code_context(user.org_id),
            &contact,
            client.address_group().as_deref(),
        )?
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("no code issued")))?;
        let (subject, text) = match lang {
            Lang::ZhCn => ("考试云注销验证码", format!("【考试云】您正在申请注销机构，验证码是 {code}，5 分钟内有效。注销后全部个人信息将被删除且不可恢复。如非本人操作，请立即修改密码。")),
            Lang::En => ("Your ExamCloud cancellation code", format!("[ExamCloud] Your code to cancel your organisation is {code}. It expires in 5 minutes. Cancellation deletes all personal data, irreversibly. If this was not you, change your password now.")),
        };
        st.notifier.enqueue(
            conn,
            Some(user.org_id),
            &OutboundMessage::to_contact(&contact, subject, text, "verification_code"),
        )?;
        Ok(())
    })
    .await
}

#[utoipa::path(
    post,
    path = "/api/org/cancellation",
    operation_id = "cancel_org",
    tag = "orgs",
    security(("session_cookie" = [])),
    request_body = CancelOrgRequest,
    responses(
        (status = 200, description = "Scheduled (audited `org.cancel_request`; the owner is told): after the grace period (`[cancellation] grace_days`, 15 by default; a reminder before it ends) a job deletes or anonymises everything personal of the organisation, irreversibly, and sign-in ends. Until then `DELETE` undoes it.", body = OrgCancellation),
        (status = 401, description = "Not signed in.", body = shared::ErrorBody),
        (status = 403, description = "Only the owner cancels the organisation.", body = shared::ErrorBody),
        (status = 409, description = "Already scheduled (`details.reason`: `already_scheduled`), or the owner has no bound address (`no_contact`).", body = shared::ErrorBody),
        (status = 422, description = "`code` wrong or expired (`invalid_code`).", body = shared::ErrorBody),
        (status = 429, description = "Too many wrong codes; see `Retry-After`.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn cancel_org(
    req: HttpRequest,
    user: AuthUser,
    state: web::Data<AppState>,
    body: web::Json<CancelOrgRequest>,
) -> Result<web::Json<OrgCancellation>, ApiError> {
    owner_only(&user)?;
    let lang = crate::http::request_lang(&req);
    let client = ClientInfo::of(&req);
    let st = state.clone();
    let out = state
        .db
        .run(move |conn| {
            let org = user.org_id;
            if state_of(conn, &st, org, false)?.status == CancellationStatus::Scheduled {
                return Err(ApiError::Conflict {
                    detail: "already_scheduled".to_owned(),
                });
            }
            let contact = owner_contact(conn, &st, org)?.ok_or(ApiError::Conflict {
                detail: "no_contact".to_owned(),
            })?;
            verification::check_context_code(
                conn,
                &st.bidx,
                &code_context(org),
                &contact,
                &body.code,
            )?;
            crate::db::transaction(conn, |conn| {
                let now = Timestamp::now();
                let grace = chrono::Duration::days(i64::from(st.settings.cancellation.grace_days));
                let effective = Timestamp::from(now.0 + grace);
                let changed = diesel::update(orgs::table.find(org))
                    .filter(orgs::cancel_effective_at.is_null())
                    .set((
                        orgs::cancel_requested_at.eq(Some(now)),
                        orgs::cancel_effective_at.eq(Some(effective)),
                        orgs::updated_at.eq(now),
                    ))
                    .execute(conn)?;
                if changed != 1 {
                    return Err(ApiError::Conflict {
                        detail: "already_scheduled".to_owned(),
                    });
                }
                let payload = serde_json::json!({
                    "org": org.to_string(),
                    "effective_at": effective.to_canonical_string(),
                    "lang": lang.tag(),
                });
                crate::jobs::enqueue(conn, ERASE_JOB, effective, &payload)?;
                let reminder = i64::from(st.settings.cancellation.reminder_days);
                let remind_at = Timestamp::from(effective.0 - chrono::Duration::days(reminder));
                if reminder > 0 && remind_at.0 > now.0 {
                    crate::jobs::enqueue(conn, REMINDER_JOB, remind_at, &payload)?;
                }
                let mut entry = client.audit(
                    Some(org),
                    Actor::User(user.user_id),
                    "org.cancel_request",
                    Outcome::Success,
                    serde_json::json!({ "effective_at": effective.to_canonical_string() }),
                );
                entry.target_kind = Some("org");
                entry.target_id = Some(org.to_string());
                audit::append(conn, &st.cipher, entry)?;
                tell_owner(
                    conn,
                    &st,
                    org,
                    lang,
                    "scheduled",
                    Some(&effective.to_canonical_string()),
                )?;
                state_of(conn, &st, org, true)
            })
        })
        .await?;
    state.notifier.wake();
    Ok(web::Json(out))
}

#[utoipa::path(
    delete,
    path = "/api/org/cancellation",
    operation_id = "undo_org_cancellation",
    tag = "orgs",
    security(("session_cookie" = [])),
    responses(
        (status = 200, description = "Undone within the grace period (audited `org.cancel_undo`; the owner is told); nothing is deleted.", body = OrgCancellation),
        (status = 401, description = "Not signed in.", body = shared::ErrorBody),
        (status = 403, description = "Only the owner cancels the organisation.", body = shared::ErrorBody),
        (status = 409, description = "No cancellation is scheduled (`details.reason`: `not_scheduled`).", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn undo_org_cancellation(
    req: HttpRequest,
    user: AuthUser,
    state: web::Data<AppState>,
) -> Result<web::Json<OrgCancellation>, ApiError> {
    owner_only(&user)?;
    let lang = crate::http::request_lang(&req);
    let client = ClientInfo::of(&req);
    let out = state
        .transaction(move |conn, st| {
            let org = user.org_id;
            let now = Timestamp::now();
            // Only before the deletion began: the job claims the row by clearing nothing and
            // setting `cancelled_at`, so an undo after that finds nothing to undo.
            let changed = diesel::update(orgs::table.find(org))
                .filter(orgs::cancel_effective_at.is_not_null())
                .filter(orgs::cancelled_at.is_null())
                .set((
                    orgs::cancel_requested_at.eq(None::<Timestamp>),
                    orgs::cancel_effective_at.eq(None::<Timestamp>),
                    orgs::updated_at.eq(now),
                ))
                .execute(conn)?;
            if changed != 1 {
                return Err(ApiError::Conflict {
                    detail: "not_scheduled".to_owned(),
                });
            }
            let mut entry = client.audit(
                Some(org),
                Actor::User(user.user_id),
                "org.cancel_undo",
                Outcome::Success,
                serde_json::json!({}),
            );
            entry.target_kind = Some("org");
            entry.target_id = Some(org.to_string());
            audit::append(conn, &st.cipher, entry)?;
            tell_owner(conn, st, org, lang, "undone", None)?;
            state_of(conn, st, org, true)
        })
        .await?;
    state.notifier.wake();
    Ok(web::Json(out))
}
