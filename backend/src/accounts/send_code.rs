//! `POST /api/auth/codes`: send a verification code by email or SMS.
//!
//! The answer is the same whether or not the destination is registered (no account
//! enumeration): a registration request for a registered address gets a notice instead of a
//! code, a login or recovery request for an unknown address gets nothing — and every request
//! counts against the same sending limits.

use actix_web::{HttpRequest, HttpResponse, web};
use shared::Lang;
use shared::accounts::{CodePurpose, SendCodeRequest, SendCodeResponse};

use super::model;
use crate::db::DbConnection;
use crate::domain::Contact;
use crate::errors::ApiError;
use crate::http::{ClientInfo, Fields};
use crate::notifications::OutboundMessage;
use crate::state::AppState;
use crate::verification::{self, CODE_TTL_SECONDS, Purpose};

#[utoipa::path(
    post,
    path = "/api/auth/codes",
    operation_id = "send_code",
    tag = "accounts",
    request_body = SendCodeRequest,
    responses(
        (status = 202, description = "Accepted. The same answer whether or not the destination is registered.", body = SendCodeResponse),
        (status = 422, description = "Not an email address or a mainland-China mobile number.", body = shared::ErrorBody),
        (status = 429, description = "Too many codes for this destination or client; see `Retry-After`.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn send_code(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<SendCodeRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let contact = destination(&body.destination)?;
    let lang = crate::http::request_lang(&req);
    let client = ClientInfo::of(&req);
    queue_code_message(&state, move |conn, st| {
        let registered = model::contact_registered(conn, &st.bidx, &contact)?;
        let purpose = match body.purpose {
            CodePurpose::Register => Purpose::Register,
            CodePurpose::Login => Purpose::Login,
            CodePurpose::Recover => Purpose::Recover,
        };
        // Who gets a code: new destinations registering, known ones signing in or
        // recovering. A known destination registering again gets a notice instead.
        let gets_code = match purpose {
            Purpose::Register => !registered,
            _ => registered,
        };
        let code = verification::request_code(
            conn,
            &st.bidx,
            purpose,
            &contact,
            client.address_group().as_deref(),
            gets_code,
        )?;
        let message = match (code, purpose, registered) {
            (Some(code), _, _) => Some(code_message(&contact, &code, lang)),
            (None, Purpose::Register, true) => Some(already_registered_message(&contact, lang)),
            _ => None,
        };
        if let Some(message) = message {
            st.notifier.enqueue(conn, None, &message)?;
        }
        Ok(())
    })
    .await
}

/// The destination of a code request: 422 (`destination`) unless it is an email address or a
/// mainland-China mobile number.
pub(crate) fn destination(text: &str) -> Result<Contact, ApiError> {
    Contact::parse(text).map_err(|why| Fields::single("destination", why.as_str()))
}

/// Runs `queue` (which queues the request's message, if any) in one transaction, wakes the
/// sender and answers 202 with the code's cooldown and lifetime: the same answer whatever was
/// queued, so it tells nothing about the destination.
pub(crate) async fn queue_code_message<F>(
    state: &AppState,
    queue: F,
) -> Result<HttpResponse, ApiError>
where
    F: FnOnce(&mut DbConnection, &AppState) -> Result<(), ApiError> + Send + 'static,
{
    state.transaction(queue).await?;
    state.notifier.wake();
    Ok(HttpResponse::Accepted().json(SendCodeResponse {
        cooldown_seconds: 60,
        expires_in_seconds: CODE_TTL_SECONDS as u32,
    }))
}

pub(crate) fn code_message(contact: &Contact, code: &str, lang: Lang) -> OutboundMessage {
    let (subject, body) = match lang {
        Lang::ZhCn => (
            "考试云验证码",
            format!("【考试云】您的验证码是 {code}，5 分钟内有效。请勿将验证码告诉他人。"),
        ),
        Lang::En => (
            "Your ExamCloud verification code",
            format!(
                "[ExamCloud] Your verification code is {code}. It expires in 5 minutes. Never share it."
            ),
        ),
    };
    OutboundMessage::to_contact(contact, subject, body, "verification_code")
}

fn already_registered_message(contact: &Contact, lang: Lang) -> OutboundMessage {
    let (subject, body) = match lang {
        Lang::ZhCn => (
            "考试云注册提醒",
            "【考试云】有人尝试使用此地址注册考试云。您已有账号，可直接登录；忘记密码可通过“找回密码”重置。如非本人操作，请忽略。".to_owned(),
        ),
        Lang::En => (
            "ExamCloud registration attempt",
            "[ExamCloud] Someone tried to register with this address. You already have an account: sign in, or reset your password if you forgot it. If this was not you, ignore this message.".to_owned(),
        ),
    };
    OutboundMessage::to_contact(contact, subject, body, "already_registered")
}
