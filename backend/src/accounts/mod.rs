//! Organisation registration, sign-in, sessions and the signed-in account.

mod bind_contact;
mod get_me;
mod list_sessions;
mod login;
mod logout;
pub mod model;
mod password;
mod refresh_session;
mod register_org;
mod send_code;
pub(crate) mod throttle;

use actix_web::cookie::Cookie;
use actix_web::{HttpRequest, HttpResponseBuilder, web};

pub use bind_contact::{__path_bind_contact, __path_send_bind_code, bind_contact, send_bind_code};
pub use get_me::{__path_get_me, get_me};
pub use list_sessions::{
    __path_list_sessions, __path_revoke_session, list_sessions, revoke_session,
};
pub use login::{__path_login, login};
pub use logout::{__path_logout, __path_logout_all, logout, logout_all};
pub use password::{
    __path_change_password, __path_reset_password, change_password, reset_password,
};
pub(crate) use refresh_session::refresh_in;
pub use refresh_session::{__path_refresh_session, refresh_session};
pub use register_org::{__path_register_org, register_org};
pub(crate) use send_code::code_message;
pub use send_code::{__path_send_code, send_code};

use crate::audit::{Actor, AuditEntry, Outcome};
use crate::auth::cookies;
use crate::auth::cookies::Area;
use crate::auth::sessions::{Issued, PrincipalKind};
use crate::db::types::DbUuid;
use crate::domain::Invalid;
use crate::errors::{ApiError, FieldError};
use crate::http::RequestId;
use crate::state::AppState;

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/auth/codes").post(send_code))
        .service(web::resource("/orgs").post(register_org))
        .service(web::resource("/auth/login").post(login))
        .service(web::resource("/auth/refresh").post(refresh_session))
        .service(web::resource("/auth/logout").post(logout))
        .service(web::resource("/auth/logout-all").post(logout_all))
        .service(web::resource("/auth/me").get(get_me))
        .service(web::resource("/auth/password").post(change_password))
        .service(web::resource("/auth/password/reset").post(reset_password))
        .service(web::resource("/auth/sessions").get(list_sessions))
        .service(web::resource("/auth/sessions/{id}").delete(revoke_session))
        .service(web::resource("/account/contact/code").post(send_bind_code))
        .service(web::resource("/account/contact").put(bind_contact));
}

/// Who is on the other end, for the audit log and throttling; owned so it can move to the
/// blocking pool with the database work.
#[derive(Debug, Clone, Default)]
pub struct ClientInfo {
    pub request_id: Option<String>,
    /// The client's address, resolved once by [`crate::http::client_addr`] (behind trusted
    /// proxies, from `X-Forwarded-For`). Personal data.
    pub ip: Option<String>,
    /// Truncated. Personal data.
    pub user_agent: Option<String>,
}

impl ClientInfo {
    pub fn of(req: &HttpRequest) -> ClientInfo {
        use actix_web::HttpMessage;
        ClientInfo {
            request_id: req.extensions().get::<RequestId>().map(|r| r.0.clone()),
            ip: crate::http::client_addr(req).map(|ip| ip.to_string()),
            user_agent: req
                .headers()
                .get(actix_web::http::header::USER_AGENT)
                .and_then(|v| v.to_str().ok())
                .map(|ua| ua.chars().take(512).collect()),
        }
    }

    /// What per-address limits count this client by: the address, an IPv6 one by its /64.
    pub fn address_group(&self) -> Option<String> {
        let ip: std::net::IpAddr = self.ip.as_deref()?.parse().ok()?;
        Some(crate::http::address_group(ip))
    }

    /// An audit entry with this client's request id, IP and user agent.
    pub fn audit<'a>(
        &'a self,
        org_id: Option<DbUuid>,
        actor: Actor,
        action: &'a str,
        outcome: Outcome,
        details: serde_json::Value,
    ) -> AuditEntry<'a> {
        AuditEntry {
            org_id,
            actor,
            action,
            target_kind: None,
            target_id: None,
            outcome,
            request_id: self.request_id.as_deref(),
            details,
            ip: self.ip.as_deref(),
            user_agent: self.user_agent.as_deref(),
            device: None,
        }
    }
}

impl ClientInfo {
    /// Appends the audit entry of a successful change made by `scope`'s caller to `target`
    /// (kind, id; an empty id names none), inside the change's transaction.
    pub fn log_change(
        &self,
        conn: &mut crate::db::DbConnection,
        cipher: &crate::crypto::FieldCipher,
        scope: &crate::tenancy::OrgScope,
        action: &str,
        target: Option<(&str, String)>,
        details: serde_json::Value,
    ) -> anyhow::Result<DbUuid> {
        let mut entry = self.audit(
            Some(scope.org_id()),
            scope.actor(),
            action,
            Outcome::Success,
            details,
        );
        if let Some((kind, id)) = target {
            entry.target_kind = Some(kind);
            entry.target_id = Some(id).filter(|id| !id.is_empty());
        }
        crate::audit::append(conn, cipher, entry)
    }
}

/// Adds the session cookies of a newly issued session or rotation: the portal's for a
/// candidate, the console's for everyone else.
pub(crate) fn set_session_cookies(
    res: &mut HttpResponseBuilder,
    state: &AppState,
    issued: &Issued,
) -> Result<(), ApiError> {
    let secure = state.secure_cookies();
    let area = match issued.user.kind {
        PrincipalKind::Candidate => Area::Portal,
        PrincipalKind::User | PrincipalKind::Staff => Area::Console,
    };
    let access = state.signer.issue(&issued.user)?;
    let cookies: [Cookie<'static>; 2] = [
        cookies::access(area, access, state.signer.ttl_secs(), secure),
        cookies::refresh(area, issued.refresh_token.clone(), secure),
    ];
    for cookie in cookies {
        res.cookie(cookie);
    }
    Ok(())
}

/// A message to a person's email address or mobile number (the channel follows the contact).
pub(crate) fn message_to(
    contact: &crate::domain::Contact,
    subject: &str,
    body: String,
    template: &str,
) -> crate::notifications::OutboundMessage {
    use crate::domain::Contact;
    use crate::notifications::Channel;
    let (channel, to) = match contact {
        Contact::Email(e) => (Channel::Email, e.as_str().to_owned()),
        Contact::Mobile(m) => (Channel::Sms, m.as_str().to_owned()),
    };
    crate::notifications::OutboundMessage {
        channel,
        to,
        subject: Some(subject.to_owned()),
        body,
        template: template.to_owned(),
    }
}

/// Collects field errors; `finish` fails with all of them at once.
#[derive(Default)]
pub struct Fields(Vec<FieldError>);

impl Fields {
    pub fn check<T>(&mut self, field: &str, parsed: Result<T, Invalid>) -> Option<T> {
        match parsed {
            Ok(v) => Some(v),
            Err(why) => {
                self.0.push(FieldError {
                    field: field.to_owned(),
                    reason: why.as_str().to_owned(),
                });
                None
            }
        }
    }

    pub fn push(&mut self, field: &str, reason: &str) {
        self.0.push(FieldError {
            field: field.to_owned(),
            reason: reason.to_owned(),
        });
    }

    /// A validation error naming one field.
    pub fn single(field: &str, reason: &str) -> ApiError {
        ApiError::Validation {
            fields: vec![FieldError {
                field: field.to_owned(),
                reason: reason.to_owned(),
            }],
        }
    }

    pub fn finish(self) -> Result<(), ApiError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Validation { fields: self.0 })
        }
    }
}
