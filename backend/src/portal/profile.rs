//! A candidate correcting their own data on the portal (privacy statement 5.1): their name
//! (`PUT /api/candidate/me/profile`) and their email or mobile number, proved by a code sent
//! to the new address (`POST /api/candidate/me/contact/code`, then
//! `PUT /api/candidate/me/contact`). The changes go through the same `candidates::Changes` as
//! an administrator's, audited `candidate.update` with the candidate as the actor.

use actix_web::{HttpRequest, HttpResponse, web};
use diesel::prelude::*;
use shared::Lang;
use shared::candidates::UpdateCandidateRequest;
use shared::my_data::{CandidateContactCode, CandidateContactUpdate, MyProfile, ProfileUpdate};

use crate::accounts::{destination, queue_code_message};
use crate::audit::{self, Actor, Outcome};
use crate::auth::AuthCandidate;
use crate::candidates::Changes;
use crate::db::DbConnection;
use crate::db::schema::candidates;
use crate::domain::Contact;
use crate::errors::ApiError;
use crate::http::ClientInfo;
use crate::notifications::OutboundMessage;
use crate::privacy::consent::Subject;
use crate::privacy::my_data::collect;
use crate::state::AppState;
use crate::tenancy::OrgScope;
use crate::verification;

/// Applies `body` to the candidate's own row and answers their profile as it is now.
fn apply_own(
    conn: &mut DbConnection,
    st: &AppState,
    client: &ClientInfo,
    cand: &AuthCandidate,
    body: UpdateCandidateRequest,
) -> Result<MyProfile, ApiError> {
    let changes = Changes::parse(body)?;
    // The candidate's own row, found by id within their organisation: the portal scope has no
    // permission to read candidates, and the change is the candidate's own.
    let scope = OrgScope::system(cand.org_id);
    let updated = changes.apply(conn, st, &scope, cand.candidate_id, None)?;
    let mut entry = client.audit(
        Some(cand.org_id),
        Actor::Candidate(cand.candidate_id),
        "candidate.update",
        Outcome::Success,
        serde_json::json!({ "fields": updated.changed, "by": "self" }),
    );
    entry.target_kind = Some("candidate");
    entry.target_id = Some(cand.candidate_id.to_string());
    audit::append(conn, &st.cipher, entry)?;
    let who = Subject::Candidate {
        org: cand.org_id,
        id: cand.candidate_id,
    };
    collect::profile(conn, &st.cipher, who)?.ok_or(ApiError::Unauthorized)
}

#[utoipa::path(
    put,
    path = "/api/candidate/me/profile",
    operation_id = "update_candidate_profile",
    tag = "portal",
    security(("portal_cookie" = [])),
    request_body = ProfileUpdate,
    responses(
        (status = 200, description = "The name is corrected (audited `candidate.update`, the candidate as actor); the profile as it is now (ID number in full: it is the candidate's own).", body = MyProfile),
        (status = 401, description = "Not signed in to a portal.", body = shared::ErrorBody),
        (status = 422, description = "`name` empty (`required`), longer than 50 characters (`too_long`) or with control characters (`invalid_format`).", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn update_candidate_profile(
    req: HttpRequest,
    cand: AuthCandidate,
    state: web::Data<AppState>,
    body: web::Json<ProfileUpdate>,
) -> Result<web::Json<MyProfile>, ApiError> {
    let body = UpdateCandidateRequest {
        name: Some(body.into_inner().name),
        ..UpdateCandidateRequest::default()
    };
    let client = ClientInfo::of(&req);
    let profile = state
        .transaction(move |conn, st| apply_own(conn, st, &client, &cand, body))
        .await?;
    Ok(web::Json(profile))
}

/// Whether another candidate of the organisation uses `contact`.
fn taken(
    conn: &mut DbConnection,
    st: &AppState,
    cand: &AuthCandidate,
    contact: &Contact,
) -> diesel::QueryResult<bool> {
    let index = crate::accounts::model::contact_index(&st.bidx, contact);
    let query = candidates::table
        .filter(candidates::org_id.eq(cand.org_id))
        .filter(candidates::id.ne(cand.candidate_id));
    let count: i64 = match contact {
        Contact::Email(_) => query
            .filter(candidates::email_bidx.eq(index))
            .count()
            .get_result(conn)?,
        Contact::Mobile(_) => query
            .filter(candidates::phone_bidx.eq(index))
            .count()
            .get_result(conn)?,
    };
    Ok(count > 0)
}

#[utoipa::path(
    post,
    path = "/api/candidate/me/contact/code",
    operation_id = "send_candidate_contact_code",
    tag = "portal",
    security(("portal_cookie" = [])),
    request_body = CandidateContactCode,
    responses(
        (status = 202, description = "A code is on its way to the new address. The same answer when another candidate of the organisation uses the address (then that address is told instead, and no code is sent).", body = shared::accounts::SendCodeResponse),
        (status = 401, description = "Not signed in to a portal.", body = shared::ErrorBody),
        (status = 422, description = "`destination` is not an email address or a mainland-China mobile number.", body = shared::ErrorBody),
        (status = 429, description = "Too many codes; see `Retry-After`.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn send_candidate_contact_code(
    req: HttpRequest,
    cand: AuthCandidate,
    state: web::Data<AppState>,
    body: web::Json<CandidateContactCode>,
) -> Result<HttpResponse, ApiError> {
    let contact = destination(&body.destination)?;
    let lang = crate::http::request_lang(&req);
    let client = ClientInfo::of(&req);
    queue_code_message(&state, move |conn, st| {
        let taken = taken(conn, st, &cand, &contact)?;
        let code = verification::request_candidate_bind_code(
            conn,
            &st.bidx,
            cand.candidate_id,
            &contact,
            client.address_group().as_deref(),
            !taken,
        )?;
        let message = match code {
            Some(code) => {
                let (subject, text) = match lang {
                    Lang::ZhCn => ("考试云验证码", format!("【考试云】您正在更改考生账号的联系方式，验证码是 {code}，5 分钟内有效。请勿将验证码告诉他人。")),
                    Lang::En => ("Your ExamCloud verification code", format!("[ExamCloud] Your code to use this address for your candidate account is {code}. It expires in 5 minutes. Never share it.")),
                };
                OutboundMessage::to_contact(&contact, subject, text, "verification_code")
            }
            None => {
                let (subject, text) = match lang {
                    Lang::ZhCn => ("考试云账号提醒", "【考试云】有考生尝试将此地址用于其账号，但它已属于同一机构的另一名考生，未做更改。如非本人操作，请忽略。".to_owned()),
                    Lang::En => ("ExamCloud notice", "[ExamCloud] A candidate tried to use this address for their account, but it belongs to another candidate of the same organisation; nothing changed. If this was not you, ignore this message.".to_owned()),
                };
                OutboundMessage::to_contact(&contact, subject, text, "contact_taken")
            }
        };
        st.notifier.enqueue(conn, Some(cand.org_id), &message)?;
        Ok(())
    })
    .await
}

#[utoipa::path(
    put,
    path = "/api/candidate/me/contact",
    operation_id = "update_candidate_contact",
    tag = "portal",
    security(("portal_cookie" = [])),
    request_body = CandidateContactUpdate,
    responses(
        (status = 200, description = "The email or mobile number is changed (audited `candidate.update`, the candidate as actor); the previous address is told. The profile as it is now.", body = MyProfile),
        (status = 401, description = "Not signed in to a portal.", body = shared::ErrorBody),
        (status = 409, description = "Another candidate of the organisation uses the address.", body = shared::ErrorBody),
        (status = 422, description = "`destination` invalid, or `code` wrong or expired (`invalid_code`).", body = shared::ErrorBody),
        (status = 429, description = "Too many wrong codes; see `Retry-After`.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn update_candidate_contact(
    req: HttpRequest,
    cand: AuthCandidate,
    state: web::Data<AppState>,
    body: web::Json<CandidateContactUpdate>,
) -> Result<web::Json<MyProfile>, ApiError> {
    let body = body.into_inner();
    let contact = destination(&body.destination)?;
    let lang = crate::http::request_lang(&req);
    let client = ClientInfo::of(&req);
    let st = state.clone();
    let (profile, previous) = state
        .db
        .run(move |conn| {
            verification::check_candidate_bind_code(
                conn,
                &st.bidx,
                cand.candidate_id,
                &contact,
                &body.code,
            )?;
            crate::db::transaction(conn, |conn| {
                let before = collect::profile(
                    conn,
                    &st.cipher,
                    Subject::Candidate {
                        org: cand.org_id,
                        id: cand.candidate_id,
                    },
                )?
                .ok_or(ApiError::Unauthorized)?;
                let (change, previous) = match &contact {
                    Contact::Email(e) => (
                        UpdateCandidateRequest {
                            email: Some(e.as_str().to_owned()),
                            ..UpdateCandidateRequest::default()
                        },
                        before.email.and_then(|e| Contact::parse(&e).ok()),
                    ),
                    Contact::Mobile(m) => (
                        UpdateCandidateRequest {
                            phone: Some(m.as_str().to_owned()),
                            ..UpdateCandidateRequest::default()
                        },
                        before.phone.and_then(|p| Contact::parse(&p).ok()),
                    ),
                };
                let profile = apply_own(conn, &st, &client, &cand, change)?;
                let previous = previous.filter(|p| p != &contact);
                if let Some(previous) = &previous {
                    let (subject, text) = match lang {
                        Lang::ZhCn => (
                            "考试云账号变更提醒",
                            format!("【考试云】您的考生账号已改为使用 {}。如非本人操作，请立即联系考试组织者。", contact.masked()),
                        ),
                        Lang::En => (
                            "Your ExamCloud account changed",
                            format!("[ExamCloud] Your candidate account now uses {}. If this was not you, contact the exam organiser now.", contact.masked()),
                        ),
                    };
                    st.notifier.enqueue(
                        conn,
                        Some(cand.org_id),
                        &OutboundMessage::to_contact(previous, subject, text, "contact_changed"),
                    )?;
                }
                Ok::<_, ApiError>((profile, previous.is_some()))
            })
        })
        .await?;
    if previous {
        state.notifier.wake();
    }
    Ok(web::Json(profile))
}
