//! Who is on the other end of a request: the client's address (resolved once by
//! [`super::client_addr`]), user agent and request id, owned so they can move to the blocking
//! pool with the database work, and the audit entries of what the client changes.

use actix_web::HttpRequest;

use crate::audit::{Actor, AuditEntry, Outcome};
use crate::crypto::FieldCipher;
use crate::db::DbConnection;
use crate::db::types::DbUuid;
use crate::http::RequestId;
use crate::tenancy::OrgScope;

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
        conn: &mut DbConnection,
        cipher: &FieldCipher,
        scope: &OrgScope,
        action: &str,
        target: Option<(&str, String)>,
        details: serde_json::Value,
    ) -> anyhow::Result<DbUuid> {
        let mut entry = self.audit(
            Some(scope.org_id()),
            Actor::of(scope),
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
