//! Integrity: anti-cheat settings, attempt events, proctoring and answer review.

use serde::{Deserialize, Serialize};

use super::{AnswerValue, AttemptStatus, ExamAttemptDto};
use crate::papers::CandidatePaper;

/// An exam's anti-cheat settings (`ExamInput::integrity`). Every field is optional; the
/// default lets everything through.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct IntegritySettings {
    /// Focus losses and hidden tabs (counted together) allowed (at most 10,000); one more
    /// submits the attempt.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 10000))]
    pub max_focus_losses: Option<u32>,
    /// Fullscreen exits allowed (at most 10,000); one more submits the attempt.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 10000))]
    pub max_fullscreen_exits: Option<u32>,
    /// The client keeps the exam in fullscreen.
    pub require_fullscreen: bool,
    /// The client blocks copy and paste (attempts are reported as events).
    pub block_copy_paste: bool,
    /// 1 to 1,440. An `idle` event this long, or this long without a save or another event,
    /// submits the attempt.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 1440))]
    pub idle_timeout_minutes: Option<u32>,
    /// CIDR ranges (IPv4 or IPv6, e.g. `10.0.0.0/8`, `2001:db8::/32`) a candidate may start,
    /// resume, save and submit from; empty: anywhere. At most 100.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<crate::schema::IpRange>, max_items = 100))]
    pub ip_ranges: Vec<String>,
}

/// Why an attempt was submitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SubmitReason {
    /// The candidate submitted.
    Candidate,
    /// The server, at the deadline.
    Deadline,
    /// The server, when an integrity limit was exceeded.
    IntegrityLimit,
    /// A proctor (`force-submit`).
    Proctor,
}

impl SubmitReason {
    pub fn as_str(self) -> &'static str {
        match self {
            SubmitReason::Candidate => "candidate",
            SubmitReason::Deadline => "deadline",
            SubmitReason::IntegrityLimit => "integrity_limit",
            SubmitReason::Proctor => "proctor",
        }
    }

    pub fn parse(s: &str) -> Option<SubmitReason> {
        match s {
            "candidate" => Some(SubmitReason::Candidate),
            "deadline" => Some(SubmitReason::Deadline),
            "integrity_limit" => Some(SubmitReason::IntegrityLimit),
            "proctor" => Some(SubmitReason::Proctor),
            _ => None,
        }
    }
}

/// What happened during an attempt. `ip_changed` is recorded by the server only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AttemptEventKind {
    FocusLost,
    TabHidden,
    CopyAttempt,
    PasteAttempt,
    FullscreenExit,
    Idle,
    Resumed,
    IpChanged,
}

impl AttemptEventKind {
    pub const ALL: [AttemptEventKind; 8] = [
        AttemptEventKind::FocusLost,
        AttemptEventKind::TabHidden,
        AttemptEventKind::CopyAttempt,
        AttemptEventKind::PasteAttempt,
        AttemptEventKind::FullscreenExit,
        AttemptEventKind::Idle,
        AttemptEventKind::Resumed,
        AttemptEventKind::IpChanged,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AttemptEventKind::FocusLost => "focus_lost",
            AttemptEventKind::TabHidden => "tab_hidden",
            AttemptEventKind::CopyAttempt => "copy_attempt",
            AttemptEventKind::PasteAttempt => "paste_attempt",
            AttemptEventKind::FullscreenExit => "fullscreen_exit",
            AttemptEventKind::Idle => "idle",
            AttemptEventKind::Resumed => "resumed",
            AttemptEventKind::IpChanged => "ip_changed",
        }
    }

    pub fn parse(s: &str) -> Option<AttemptEventKind> {
        AttemptEventKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Most events one `POST /api/candidate/attempts/{id}/events` may carry.
pub const MAX_EVENTS_PER_CALL: usize = 100;

/// One event as the client reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClientEvent {
    /// Any kind but `ip_changed`.
    #[cfg_attr(feature = "openapi", schema(value_type = ClientEventKind))]
    pub kind: AttemptEventKind,
    /// RFC 3339, the client's clock (kept for the timeline; the server's time decides).
    #[cfg_attr(feature = "openapi", schema(value_type = crate::schema::DateTime))]
    pub client_time: String,
    /// At most 500 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub detail: Option<String>,
    /// For `idle`: how long the candidate was idle, in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idle_seconds: Option<u32>,
}

/// The kinds of event a client reports: every [`AttemptEventKind`] but `ip_changed`, which
/// the server records. Only in the OpenAPI document.
#[cfg(feature = "openapi")]
#[derive(utoipa::ToSchema)]
#[schema(rename_all = "snake_case")]
#[allow(dead_code)]
pub enum ClientEventKind {
    FocusLost,
    TabHidden,
    CopyAttempt,
    PasteAttempt,
    FullscreenExit,
    Idle,
    Resumed,
}

/// `POST /api/candidate/attempts/{id}/events`: 1 to 100 events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClientEvents {
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 100))]
    pub events: Vec<ClientEvent>,
}

/// Events of an attempt by kind; `focus_losses` is `focus_lost` + `tab_hidden`, the count
/// `max_focus_losses` limits.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EventCounts {
    pub focus_lost: i64,
    pub tab_hidden: i64,
    pub copy_attempt: i64,
    pub paste_attempt: i64,
    pub fullscreen_exit: i64,
    pub idle: i64,
    pub resumed: i64,
    pub ip_changed: i64,
    pub focus_losses: i64,
}

impl EventCounts {
    pub fn add(&mut self, kind: AttemptEventKind, n: i64) {
        let slot = match kind {
            AttemptEventKind::FocusLost => &mut self.focus_lost,
            AttemptEventKind::TabHidden => &mut self.tab_hidden,
            AttemptEventKind::CopyAttempt => &mut self.copy_attempt,
            AttemptEventKind::PasteAttempt => &mut self.paste_attempt,
            AttemptEventKind::FullscreenExit => &mut self.fullscreen_exit,
            AttemptEventKind::Idle => &mut self.idle,
            AttemptEventKind::Resumed => &mut self.resumed,
            AttemptEventKind::IpChanged => &mut self.ip_changed,
        };
        *slot += n;
        self.focus_losses = self.focus_lost + self.tab_hidden;
    }
}

/// What recording events did. When a limit was exceeded the attempt is now submitted
/// (`submitted`, `reason: integrity_limit`, `limit` names it: `max_focus_losses`,
/// `max_fullscreen_exits` or `idle_timeout`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EventsRecorded {
    pub recorded: usize,
    pub submitted: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<SubmitReason>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<String>,
    pub counts: EventCounts,
}

/// One event of an attempt's timeline, as the proctor sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttemptEventDto {
    pub id: String,
    pub kind: AttemptEventKind,
    /// The server's time.
    pub occurred_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idle_seconds: Option<u32>,
    /// The address the event came from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip: Option<String>,
}

/// One assigned candidate in the proctor's monitor (`GET /api/exams/{id}/monitor`), with
/// their latest attempt if they started one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MonitorRow {
    pub candidate_id: String,
    pub candidate_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attempt_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attempt_number: Option<i32>,
    /// Absent: not started.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<AttemptStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<String>,
    /// Seconds to the deadline for an attempt in progress (0 once past).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seconds_left: Option<i64>,
    pub answered: i64,
    pub question_count: i64,
    pub events: EventCounts,
    /// The latest save, event or start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_activity_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub submitted_reason: Option<SubmitReason>,
    /// When the candidate first read this exam's answer keys in a review: from then on no
    /// attempt of theirs at it can start or be reopened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::schema::DateTime>))]
    pub keys_shown_at: Option<String>,
}

/// `POST /api/exams/{id}/attempts/{attempt_id}/extend` and `.../reopen`: 1 to 600 minutes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProctorMinutes {
    /// 1 to 600.
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 600))]
    pub minutes: u32,
}

/// An attempt after a proctor's action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProctoredAttempt {
    #[serde(flatten)]
    pub attempt: ExamAttemptDto,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub submitted_reason: Option<SubmitReason>,
}

/// One question of a finished attempt under review: the candidate's answer beside the correct
/// one, the explanation and the points earned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewItem {
    /// As numbered on the candidate's paper.
    pub number: u32,
    pub question_id: String,
    /// The question with its answer key.
    pub correct: crate::questions::QuestionContent,
    pub explanation: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<AnswerValue>,
    pub points: f64,
    /// Absent while a person has not graded it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub earned: Option<f64>,
    pub needs_manual: bool,
    /// The graders' comments to the candidate (essays).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub comments: Vec<crate::results::GraderComment>,
}

/// `GET /api/candidate/attempts/{id}/review`: the paper as the candidate saw it, and per
/// question the answer, the key, the explanation and the points.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttemptReview {
    pub attempt_id: String,
    pub exam_id: String,
    pub exam_name: String,
    pub status: AttemptStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    pub max_score: f64,
    pub paper: CandidatePaper,
    pub items: Vec<ReviewItem>,
}
