//! The retention policy (privacy statement 4.1.2: personal data is kept only as long as it is
//! needed, then deleted or anonymised): which kinds of data have an end of life, what happens
//! to them then, and after how many days. `GET /api/privacy/retention` answers the policy in
//! effect; the SPA words each kind in the reader's language.

use serde::{Deserialize, Serialize};

/// A kind of data with an end of life. The snake_case names are stable: they are the keys of
/// the `[retention]` settings, of the policy's JSON and of the retention run's counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RetentionKind {
    /// One-time codes, counted from their expiry.
    VerificationCodes,
    /// Sign-in attempts kept for throttling, counted from the attempt.
    LoginAttempts,
    /// Signed-in devices (sessions), counted from their expiry or revocation.
    Sessions,
    /// Refresh tokens, used or not, counted from their expiry (a used token is kept until then
    /// so that replaying it is still recognised as theft).
    RefreshTokens,
    /// Email and SMS messages that were sent or given up, counted from when they were queued.
    NotificationOutbox,
    /// The network address of each exam integrity event, counted from the event; the event
    /// itself stays.
    AttemptEventIps,
    /// The last network address of an attempt, counted from its submission.
    AttemptIps,
    /// Device details of a session shared with consent, counted from the session's last use.
    SessionDevices,
    /// The address, user agent and device details of an audit log entry, counted from the
    /// entry; the entry itself stays and the chain still verifies.
    AuditLogPii,
    /// Background jobs that finished, counted from when they finished.
    Jobs,
    /// Records of a person's data exports that ended (downloaded, expired or failed; the ZIP
    /// itself is deleted at download or expiry), counted from the request.
    DataExports,
}

impl RetentionKind {
    pub const ALL: [RetentionKind; 11] = [
        RetentionKind::VerificationCodes,
        RetentionKind::LoginAttempts,
        RetentionKind::Sessions,
        RetentionKind::RefreshTokens,
        RetentionKind::NotificationOutbox,
        RetentionKind::AttemptEventIps,
        RetentionKind::AttemptIps,
        RetentionKind::SessionDevices,
        RetentionKind::AuditLogPii,
        RetentionKind::Jobs,
        RetentionKind::DataExports,
    ];

    /// The stable key (as serialised).
    pub fn as_str(self) -> &'static str {
        match self {
            RetentionKind::VerificationCodes => "verification_codes",
            RetentionKind::LoginAttempts => "login_attempts",
            RetentionKind::Sessions => "sessions",
            RetentionKind::RefreshTokens => "refresh_tokens",
            RetentionKind::NotificationOutbox => "notification_outbox",
            RetentionKind::AttemptEventIps => "attempt_event_ips",
            RetentionKind::AttemptIps => "attempt_ips",
            RetentionKind::SessionDevices => "session_devices",
            RetentionKind::AuditLogPii => "audit_log_pii",
            RetentionKind::Jobs => "jobs",
            RetentionKind::DataExports => "data_exports",
        }
    }

    /// What happens at the end of life.
    pub fn action(self) -> RetentionAction {
        match self {
            RetentionKind::AttemptEventIps
            | RetentionKind::AttemptIps
            | RetentionKind::SessionDevices
            | RetentionKind::AuditLogPii => RetentionAction::Anonymise,
            _ => RetentionAction::Delete,
        }
    }
}

/// What happens to data at the end of its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RetentionAction {
    /// The rows are deleted.
    Delete,
    /// The personal data is removed from the rows; the rest stays.
    Anonymise,
}

/// One kind's rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RetentionRule {
    pub kind: RetentionKind,
    pub action: RetentionAction,
    /// Days after the kind's starting point (see `kind`) before the action is taken.
    pub days: u32,
}

/// `GET /api/privacy/retention`: the policy in effect, one rule per kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RetentionPolicy {
    pub kinds: Vec<RetentionRule>,
}

impl RetentionPolicy {
    /// The rule of `kind`, if the policy has one.
    pub fn rule(&self, kind: RetentionKind) -> Option<RetentionRule> {
        self.kinds.iter().copied().find(|r| r.kind == kind)
    }
}

/// Where an organisation's cancellation stands (`GET /api/org/cancellation`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CancellationStatus {
    /// Nothing requested.
    None,
    /// Requested: everything personal is deleted at `effective_at` unless the owner undoes it.
    Scheduled,
}

/// `GET /api/org/cancellation`: the organisation's cancellation (privacy statement 5.3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrgCancellation {
    pub status: CancellationStatus,
    /// RFC 3339, when scheduled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requested_at: Option<String>,
    /// RFC 3339: when the deletion runs, when scheduled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective_at: Option<String>,
    /// Days of grace between a request and the deletion.
    pub grace_days: u32,
    /// Where the confirmation code goes (masked), e.g. `o***@example.com`; for the owner only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_destination: Option<String>,
}

/// `POST /api/org/cancellation`: cancel the organisation, confirmed by the code sent to the
/// owner's bound email or mobile number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CancelOrgRequest {
    /// The six-digit code from `POST /api/org/cancellation/code`.
    #[cfg_attr(feature = "openapi", schema(pattern = r"^[0-9]{6}$"))]
    pub code: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_serialises_as_its_key() {
        for kind in RetentionKind::ALL {
            let json = serde_json::to_value(kind).unwrap_or_default();
            assert_eq!(json, serde_json::Value::from(kind.as_str()));
        }
        let action = serde_json::to_value(RetentionAction::Anonymise).unwrap_or_default();
        assert_eq!(action, "anonymise");
    }
}
