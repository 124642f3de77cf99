//! Binding or changing the account's email or mobile number: a code goes to the new address
//! (`POST /api/account/contact/code`), then `PUT /api/account/contact` with that code and the
//! current password makes the change and tells the old address about it.

use actix_web::{HttpRequest, HttpResponse, web};
use diesel::prelude::*;
use shared::Lang;
use shared::accounts::{BindCodeRequest, BindContactRequest, MeResponse, SendCodeResponse};

use super::model::{self, contact_index};
use super::send_code::{destination, queue_code_message};
use crate::audit::{self, Actor, Outcome};
use crate::auth::AuthUser;
use crate::crypto::Aad;
use crate::db::schema::users;
use crate::db::types::Timestamp;
use crate::domain::{CnMobile, Contact, Email};
use crate::errors::ApiError;
use crate::http::ClientInfo;
use crate::notifications::OutboundMessage;
use crate::state::AppState;
use crate::verification::{self, Purpose};

#[utoipa::path(
    post,
    path = "/api/account/contact/code",
    operation_id = "send_bind_code",
    tag = "accounts",
    security(("session_cookie" = [])),
    request_body = BindCodeRequest,
    responses(
        (status = 202, description = "A code is on its way to the new address. The same answer when the address belongs to another account (then its owner is told instead, and no code is sent), so the answer never reveals whether an address has an account.", body = SendCodeResponse),
        (status = 422, description = "Not an email address or a mainland-China mobile number.", body = shared::ErrorBody),
        (status = 429, description = "Too many codes; see `Retry-After`.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn send_bind_code(
    req: HttpRequest,
    user: AuthUser,
    state: web::Data<AppState>,
    body: web::Json<BindCodeRequest>,
) -> Result<HttpResponse, ApiError> {
    let contact = destination(&body.destination)?;
    let lang = crate::http::request_lang(&req);
    let client = ClientInfo::of(&req);
    queue_code_message(&state, move |conn, st| {
        // The same answer (and the same sending limits) whether or not the address
        // belongs to another account, so this cannot be used to find out who has an
        // account: only the address's owner learns it, from the message.
        let registered = model::contact_registered(conn, &st.bidx, &contact)?;
        let code = verification::request_code(conn, &st.bidx, Purpose::Bind, &contact, client.address_group().as_deref(), true)
            ?
            .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("no code issued")))?;
        let message = if registered {
            let (subject, text) = match lang {
                Lang::ZhCn => ("考试云账号提醒", "【考试云】有人尝试将此地址绑定到另一个考试云账号，但它已属于一个账号，未做更改。如非本人操作，请忽略。".to_owned()),
                Lang::En => ("ExamCloud notice", "[ExamCloud] Someone tried to bind this address to another ExamCloud account, but it already belongs to an account; nothing changed. If this was not you, ignore this message.".to_owned()),
            };
            OutboundMessage::to_contact(&contact, subject, text, "contact_taken")
        } else {
            let (subject, text) = match lang {
                Lang::ZhCn => ("考试云验证码", format!("【考试云】您正在绑定此地址，验证码是 {code}，5 分钟内有效。请勿将验证码告诉他人。")),
                Lang::En => ("Your ExamCloud verification code", format!("[ExamCloud] Your code to bind this address is {code}. It expires in 5 minutes. Never share it.")),
            };
            OutboundMessage::to_contact(&contact, subject, text, "verification_code")
        };
        st.notifier.enqueue(conn, Some(user.org_id), &message)?;
        Ok(())
    })
    .await
}

#[utoipa::path(
    put,
    path = "/api/account/contact",
    operation_id = "bind_contact",
    tag = "accounts",
    security(("session_cookie" = [])),
    request_body = BindContactRequest,
    responses(
        (status = 200, description = "Bound; the previous address (if any) is told.", body = MeResponse),
        (status = 401, description = "Wrong password.", body = shared::ErrorBody),
        (status = 409, description = "The address belongs to another account.", body = shared::ErrorBody),
        (status = 422, description = "Invalid fields or a wrong or expired code.", body = shared::ErrorBody),
        (status = 503, description = "`server_busy`: every password-hashing slot of this node is taken and the queue is full; nothing was done. Retry after `Retry-After` seconds.", body = shared::ErrorBody),
        (status = 429, description = "Too many wrong passwords for this account (five in fifteen minutes); see `Retry-After`.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn bind_contact(
    req: HttpRequest,
    user: AuthUser,
    state: web::Data<AppState>,
    body: web::Json<BindContactRequest>,
) -> Result<web::Json<MeResponse>, ApiError> {
    let body = body.into_inner();
    let contact = destination(&body.destination)?;
    super::password::require_current_password(&state, &user, &body.password).await?;
    let lang = crate::http::request_lang(&req);
    let client = ClientInfo::of(&req);
    let st = state.clone();
    let me = state
        .db
        .run(move |conn| {
            verification::check_code(conn, &st.bidx, Purpose::Bind, &contact, &body.code)?;
            crate::db::transaction(conn, |conn| {
                let row_id = user.user_id.to_string();
                let (old_enc, column): (Option<Vec<u8>>, &str) = match &contact {
                    Contact::Email(_) => (users::table.find(user.user_id).select(users::email_enc).first(conn)?, "email_enc"),
                    Contact::Mobile(_) => (users::table.find(user.user_id).select(users::phone_enc).first(conn)?, "phone_enc"),
                };
                let old = old_enc
                    .map(|ct| st.cipher.decrypt(&ct, Aad { table: "users", column, row_id: &row_id }))
                    .transpose()?;
                let new_value = match &contact {
                    Contact::Email(e) => e.as_str().to_owned(),
                    Contact::Mobile(m) => m.as_str().to_owned(),
                };
                let enc = st.cipher.encrypt(&new_value, Aad { table: "users", column, row_id: &row_id })?;
                let index = contact_index(&st.bidx, &contact);
                let now = Timestamp::now();
                // The unique blind index answers an address taken meanwhile with 409.
                let target = users::table.find(user.user_id).filter(users::org_id.eq(user.org_id));
                match &contact {
                    Contact::Email(_) => diesel::update(target)
                        .set((users::email_enc.eq(Some(enc)), users::email_bidx.eq(Some(index)), users::updated_at.eq(now)))
                        .execute(conn)?,
                    Contact::Mobile(_) => diesel::update(target)
                        .set((users::phone_enc.eq(Some(enc)), users::phone_bidx.eq(Some(index)), users::updated_at.eq(now)))
                        .execute(conn)?,
                };
                // Tell the previous address, so a hijacked session cannot move the account quietly.
                let previous = old.and_then(|o| match &contact {
                    Contact::Email(_) => Email::parse(&o).ok().map(Contact::Email),
                    Contact::Mobile(_) => CnMobile::parse(&o).ok().map(Contact::Mobile),
                });
                if let Some(previous) = &previous {
                    let (subject, text) = match lang {
                        Lang::ZhCn => (
                            "考试云账号变更提醒",
                            format!("【考试云】您的账号已改为使用 {}。如非本人操作，请立即联系管理员并修改密码。", contact.masked()),
                        ),
                        Lang::En => (
                            "Your ExamCloud account changed",
                            format!("[ExamCloud] Your account now uses {}. If this was not you, contact your administrator and change your password now.", contact.masked()),
                        ),
                    };
                    st.notifier.enqueue(conn, Some(user.org_id), &OutboundMessage::to_contact(previous, subject, text, "contact_changed"))?;
                }
                let kind = match &contact {
                    Contact::Email(_) => "email",
                    Contact::Mobile(_) => "phone",
                };
                let entry = client.audit(
                    Some(user.org_id),
                    Actor::User(user.user_id),
                    "account.contact_change",
                    Outcome::Success,
                    serde_json::json!({ "kind": kind, "replaced": previous.is_some() }),
                );
                audit::append(conn, &st.cipher, entry)?;
                Ok::<_, ApiError>(model::load_me(conn, &st.cipher, user.user_id, user.org_id)?)
            })
        })
        .await?;
    state.notifier.wake();
    Ok(web::Json(me))
}
