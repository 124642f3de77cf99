//! Exams and attempts: an exam gives a paper to assigned candidates within a time window; a
//! candidate's attempt saves answers one question at a time (ordered by a client sequence
//! number) and is graded automatically at submission where the question types allow.
//!
//! Nothing a candidate receives here carries answer keys, explanations or rubrics.

mod entry;
mod integrity;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::papers::CandidatePaper;
use crate::questions::QuestionType;

pub use entry::{
    ACCESS_CODE_ALPHABET, ACCESS_CODE_LEN, EntryAccess, EntryResult, EntrySettings, ExamEntryInfo,
    InviteLink, InviteRequest, MAX_REGISTRATION_FIELDS, RegistrationDto, RegistrationExists,
    RegistrationField, RegistrationFieldKind, RegistrationRequest, normalise_access_code,
};
#[cfg(feature = "openapi")]
pub use integrity::ClientEventKind;
pub use integrity::{
    AttemptEventDto, AttemptEventKind, AttemptReview, ClientEvent, ClientEvents, EventCounts,
    EventsRecorded, IntegritySettings, MAX_EVENTS_PER_CALL, MonitorRow, ProctorMinutes,
    ProctoredAttempt, ReviewItem, SubmitReason,
};

/// Which attempt counts when a candidate may try several times.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Scoring {
    Best,
    Last,
    Average,
}

/// When a candidate sees their score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReleasePolicy {
    /// As soon as the attempt is graded automatically.
    Immediately,
    /// Once every answer is graded (essays by a person).
    AfterGrading,
    /// At `release_at`.
    AtTime,
}

/// When a candidate may review their answers with the correct ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReviewPolicy {
    Never,
    AfterRelease,
    AfterClose,
}

/// `POST /api/exams`, `PUT /api/exams/{id}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExamInput {
    /// A paper of the organisation (422 `not_found` otherwise).
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub paper_id: String,
    /// 1–200 characters.
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 200, pattern = r"\S")
    )]
    pub name: String,
    /// Rich text, sanitised by the server; at most 20,000 characters once sanitised.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 20000))]
    pub instructions: String,
    /// RFC 3339.
    #[cfg_attr(feature = "openapi", schema(value_type = crate::schema::DateTime))]
    pub opens_at: String,
    /// RFC 3339; later than `opens_at` (422 `before_opens_at` otherwise).
    #[cfg_attr(feature = "openapi", schema(value_type = crate::schema::DateTime))]
    pub closes_at: String,
    /// 1 to 1,440.
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 1440))]
    pub duration_minutes: u32,
    /// Minutes after `opens_at` during which a first start is still allowed (at most
    /// 527,040, a leap year); absent: until the exam closes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 527040))]
    pub late_entry_minutes: Option<u32>,
    /// 1 to 100.
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 100))]
    pub attempts_allowed: u32,
    pub scoring: Scoring,
    /// Points needed to pass: from 0 to the paper's total points (422 `out_of_range`
    /// otherwise).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0))]
    pub pass_mark: f64,
    /// Wrong objective answers subtract the question's points × `negative_fraction` (never
    /// below 0 for a question).
    #[serde(default)]
    pub negative_marking: bool,
    /// 0 to 1 (default 0.25).
    #[serde(default = "default_fraction")]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 1))]
    pub negative_fraction: f64,
    pub release_policy: ReleasePolicy,
    /// RFC 3339; required with `at_time` (422 `required` otherwise), ignored otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::schema::DateTime>))]
    pub release_at: Option<String>,
    pub review_policy: ReviewPolicy,
    /// Whether candidates see their rank among the released results.
    #[serde(default)]
    pub show_rank: bool,
    /// A certificate template of the organisation: a certificate is issued automatically for
    /// every graded attempt that passes (422 `not_found` for an unknown template).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<uuid::Uuid>))]
    pub certificate_template_id: Option<String>,
    /// Who may enter and how (invite links, open link, access code, registration fields,
    /// one device at a time).
    #[serde(default)]
    pub entry: EntrySettings,
    /// Anti-cheat settings (see [`IntegritySettings`]); all off by default.
    #[serde(default)]
    pub integrity: IntegritySettings,
}

fn default_fraction() -> f64 {
    0.25
}

/// An exam as the console shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExamDto {
    pub id: String,
    #[serde(flatten)]
    pub settings: ExamInput,
    /// The open link and access code, when those entry modes are on.
    #[serde(default)]
    pub entry_access: EntryAccess,
    pub assigned_count: i64,
    pub created_at: String,
    pub updated_at: String,
}

/// `POST /api/exams/{id}/assignments`: candidates and every current member of the groups.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssignmentRequest {
    /// Candidates of the organisation (422 `not_found` otherwise). With `group_ids`, at least
    /// one candidate in all (422 `required`) and at most 5,000 (422 `too_many`).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<uuid::Uuid>))]
    #[cfg_attr(feature = "openapi", schema(max_items = 5000))]
    pub candidate_ids: Vec<String>,
    /// Groups of the organisation (422 `not_found` otherwise).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<uuid::Uuid>))]
    pub group_ids: Vec<String>,
}

/// What an assignment did. Papers are generated for the new candidates at once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssignmentResult {
    pub assigned: i64,
    pub already_assigned: i64,
    pub papers_generated: i64,
}

/// Extra time and attempts for one candidate (`PUT /api/exams/{id}/assignments/{candidate_id}`).
/// Extra time is `extra_minutes` plus `extra_percent` of the duration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Accommodation {
    /// 0 to 1,440.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 1440))]
    pub extra_minutes: u32,
    /// 0 to 400.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 400))]
    pub extra_percent: u32,
    /// 0 to 100.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 100))]
    pub extra_attempts: u32,
}

/// One assigned candidate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssignmentDto {
    pub candidate_id: String,
    #[serde(flatten)]
    pub accommodation: Accommodation,
    pub attempts_used: i64,
}

/// Where an exam stands for one candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ExamState {
    /// Not open yet.
    Upcoming,
    /// May be started now.
    Open,
    /// An attempt is running (resume it).
    InProgress,
    /// Closed, past late entry, or no attempts left.
    Closed,
}

/// An attempt's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AttemptStatus {
    InProgress,
    /// Submitted; some answers wait for manual grading.
    Submitted,
    Graded,
}

impl AttemptStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            AttemptStatus::InProgress => "in_progress",
            AttemptStatus::Submitted => "submitted",
            AttemptStatus::Graded => "graded",
        }
    }

    pub fn parse(s: &str) -> Option<AttemptStatus> {
        match s {
            "in_progress" => Some(AttemptStatus::InProgress),
            "submitted" => Some(AttemptStatus::Submitted),
            "graded" => Some(AttemptStatus::Graded),
            _ => None,
        }
    }
}

/// An attempt as listed for its candidate; the score only once released.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttemptSummary {
    pub id: String,
    pub number: i32,
    pub status: AttemptStatus,
    pub started_at: String,
    pub deadline: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub submitted_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passed: Option<bool>,
}

/// An exam in the candidate's list (`GET /api/candidate/exams`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CandidateExam {
    pub id: String,
    pub name: String,
    pub instructions: String,
    pub opens_at: String,
    pub closes_at: String,
    pub duration_minutes: u32,
    /// The last moment a first attempt may start.
    pub late_entry_until: String,
    pub state: ExamState,
    pub attempts_allowed: u32,
    pub attempts_left: u32,
    pub attempts: Vec<AttemptSummary>,
    /// The score that counts under the exam's scoring (best, last or average of the released
    /// scores of finished attempts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    /// The attempts whose answer review is open to the candidate now (review policy).
    #[serde(default)]
    pub reviewable: Vec<String>,
}

/// A candidate's answer to one question, by type (the same names as the question types).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AnswerValue {
    SingleChoice {
        choice: String,
    },
    MultipleChoice {
        choices: Vec<String>,
    },
    TrueFalse {
        value: bool,
    },
    /// One entry per blank, in order (empty: not answered).
    FillBlank {
        blanks: Vec<String>,
    },
    Essay {
        text: String,
    },
    /// Item ids in the candidate's order.
    Ordering {
        order: Vec<String>,
    },
    /// Prompt id → answer id.
    Matching {
        pairs: BTreeMap<String, String>,
    },
    /// One entry per part, in order (`null`: not answered).
    Composite {
        #[cfg_attr(feature = "openapi", schema(no_recursion))]
        parts: Vec<Option<AnswerValue>>,
    },
}

impl AnswerValue {
    pub fn question_type(&self) -> QuestionType {
        match self {
            AnswerValue::SingleChoice { .. } => QuestionType::SingleChoice,
            AnswerValue::MultipleChoice { .. } => QuestionType::MultipleChoice,
            AnswerValue::TrueFalse { .. } => QuestionType::TrueFalse,
            AnswerValue::FillBlank { .. } => QuestionType::FillBlank,
            AnswerValue::Essay { .. } => QuestionType::Essay,
            AnswerValue::Ordering { .. } => QuestionType::Ordering,
            AnswerValue::Matching { .. } => QuestionType::Matching,
            AnswerValue::Composite { .. } => QuestionType::Composite,
        }
    }
}

/// `PUT /api/candidate/attempts/{id}/answers/{question_id}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SaveAnswer {
    pub answer: AnswerValue,
    /// Increases with every change the client makes to this question's answer (at most
    /// 2^63 − 1).
    #[cfg_attr(
        feature = "openapi",
        schema(minimum = 0, maximum = 9223372036854775807_u64)
    )]
    pub seq: u64,
}

/// The stored answer after a save. `applied` is false when the save was older than (or the
/// same as) the stored one; the stored answer is returned either way.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SavedAnswer {
    pub question_id: String,
    pub answer: AnswerValue,
    pub seq: u64,
    pub saved_at: String,
    #[serde(default)]
    pub applied: bool,
}

/// `GET /api/candidate/attempts/{id}`: the paper (no answer keys), the saved answers and the
/// clock.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttemptView {
    #[serde(flatten)]
    pub summary: AttemptSummary,
    pub exam_id: String,
    pub exam_name: String,
    pub instructions: String,
    /// The server's clock when answering, to correct the countdown for clock skew.
    pub server_time: String,
    pub paper: CandidatePaper,
    pub answers: Vec<SavedAnswer>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receipt: Option<String>,
    /// What the client enforces (fullscreen, copy/paste) and reports; `ip_ranges` is left out.
    #[serde(default)]
    pub integrity: IntegritySettings,
    /// The review of this attempt (`GET /api/candidate/attempts/{id}/review`) can be opened
    /// now under the exam's review policy.
    #[serde(default)]
    pub review_available: bool,
}

/// What submission returns: keep the receipt (SHA-256 over the stored answers).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SubmitReceipt {
    pub attempt_id: String,
    pub submitted_at: String,
    pub answer_count: i64,
    /// Lowercase hex SHA-256.
    pub receipt: String,
    pub status: AttemptStatus,
    /// The score, once the exam's release policy allows the candidate to see it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    /// The paper's total points, with the score.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_score: Option<f64>,
    /// Passed the exam's pass mark: with the score, once the attempt is fully graded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passed: Option<bool>,
    /// The review of this attempt can be opened now under the exam's review policy.
    #[serde(default)]
    pub review_available: bool,
}

/// An attempt as the console lists it (`GET /api/exams/{id}/attempts`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExamAttemptDto {
    pub id: String,
    pub candidate_id: String,
    pub number: i32,
    pub status: AttemptStatus,
    pub started_at: String,
    pub deadline: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub submitted_at: Option<String>,
    /// Submitted by the server at the deadline.
    pub auto_submitted: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    pub max_score: f64,
    pub needs_manual_grading: bool,
}
