//! How the exam screen's save queue stands (saved, saving, offline, …), shown by its status
//! indicator, and what a failed save means for the queue.

use crate::api;
use crate::i18n::ExamMsg;

/// How the save queue stands, for the status indicator (`data-state` is the wire name).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveState {
    Saved,
    Saving,
    /// The network or the server is away: the queue waits and retries.
    Offline,
    /// The portal session ended: the queue waits for the candidate to sign in again.
    SignedOut,
    /// Another device took the attempt over: this page stops saving.
    AnotherDevice,
    /// The exam's IP ranges exclude this network: the queue waits and retries.
    NotAllowed,
}

impl SaveState {
    pub fn name(self) -> &'static str {
        match self {
            SaveState::Saved => "saved",
            SaveState::Saving => "saving",
            SaveState::Offline => "offline",
            SaveState::SignedOut => "signed_out",
            SaveState::AnotherDevice => "another_device",
            SaveState::NotAllowed => "not_allowed",
        }
    }

    pub fn msg(self) -> ExamMsg {
        match self {
            SaveState::Saved => ExamMsg::StatusSaved,
            SaveState::Saving => ExamMsg::StatusSaving,
            SaveState::Offline => ExamMsg::StatusOffline,
            SaveState::SignedOut => ExamMsg::StatusSignedOut,
            SaveState::AnotherDevice => ExamMsg::AnotherDevice,
            SaveState::NotAllowed => ExamMsg::StatusNotAllowed,
        }
    }
}

/// What a failed save means for the queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// No answer, a server error or a busy server: keep the save and try again.
    Retry,
    /// 401 after renewing: the candidate must sign in again; the save stays queued.
    SignedOut,
    /// 409 `another_device`.
    AnotherDevice,
    /// 403 `ip_not_allowed`: keep the save; the candidate may change networks.
    NotAllowed,
    /// 409 `attempt_submitted` / `deadline_passed`: nothing more can be saved.
    Closed,
    /// The server refused this save for good (invalid answer, unknown question).
    Refused,
}

pub fn classify(err: &api::Error) -> Failure {
    match err {
        api::Error::Network(_) | api::Error::UnexpectedResponse { .. } => Failure::Retry,
        api::Error::Api { status, .. } => match *status {
            401 => Failure::SignedOut,
            403 => Failure::NotAllowed,
            409 => match err.conflict_reason() {
                Some("attempt_submitted" | "deadline_passed") => Failure::Closed,
                Some("another_device") => Failure::AnotherDevice,
                _ if err.code().map(|c| c.as_str()) == Some("another_device") => {
                    Failure::AnotherDevice
                }
                _ => Failure::Retry,
            },
            408 | 429 | 500.. => Failure::Retry,
            _ => Failure::Refused,
        },
    }
}

#[cfg(test)]
mod tests {
    use shared::{ErrorBody, ErrorCode};

    use super::{Failure, classify};
    use crate::api;

    fn api_error(status: u16, code: ErrorCode, reason: Option<&str>) -> api::Error {
        api::Error::Api {
            status,
            body: ErrorBody {
                code,
                message: "m".to_owned(),
                details: reason.map(|r| serde_json::json!({ "reason": r })),
                request_id: "r".to_owned(),
            },
            retry_after: None,
        }
    }

    #[test]
    fn a_lost_or_busy_server_is_retried() {
        assert_eq!(
            classify(&api::Error::Network("down".to_owned())),
            Failure::Retry
        );
        let bad_gateway = api::Error::UnexpectedResponse {
            status: 502,
            request_id: None,
            detail: "html".to_owned(),
        };
        assert_eq!(classify(&bad_gateway), Failure::Retry);
        for status in [408, 429, 500, 503] {
            let err = api_error(status, ErrorCode::ServiceUnavailable, None);
            assert_eq!(classify(&err), Failure::Retry, "{status}");
        }
    }

    #[test]
    fn conflicts_say_whether_the_attempt_is_over_or_elsewhere() {
        let closed = api_error(409, ErrorCode::Conflict, Some("deadline_passed"));
        assert_eq!(classify(&closed), Failure::Closed);
        let submitted = api_error(409, ErrorCode::Conflict, Some("attempt_submitted"));
        assert_eq!(classify(&submitted), Failure::Closed);
        let elsewhere = api_error(409, ErrorCode::AnotherDevice, None);
        assert_eq!(classify(&elsewhere), Failure::AnotherDevice);
    }

    #[test]
    fn the_session_the_network_and_invalid_answers_each_have_their_state() {
        let signed_out = api_error(401, ErrorCode::Unauthorized, None);
        assert_eq!(classify(&signed_out), Failure::SignedOut);
        let not_allowed = api_error(403, ErrorCode::IpNotAllowed, None);
        assert_eq!(classify(&not_allowed), Failure::NotAllowed);
        let invalid = api_error(422, ErrorCode::ValidationFailed, None);
        assert_eq!(classify(&invalid), Failure::Refused);
    }
}
