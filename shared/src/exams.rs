//! Exams and attempts: an exam gives a paper to assigned candidates within a time window; a
//! candidate's attempt saves answers one question at a time (ordered by a client sequence
//! number) and is graded automatically at submission where the question types allow.
//!
//! Nothing a candidate receives here carries answer keys, explanations or rubrics.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::papers::CandidatePaper;
use crate::questions::QuestionType;

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
    pub paper_id: String,
    pub name: String,
    /// Rich text, sanitised by the server.
    #[serde(default)]
    pub instructions: String,
    /// RFC 3339.
    pub opens_at: String,
    /// RFC 3339; later than `opens_at`.
    pub closes_at: String,
    /// 1 to 1,440.
    pub duration_minutes: u32,
    /// Minutes after `opens_at` during which a first start is still allowed; absent: until
    /// the exam closes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub late_entry_minutes: Option<u32>,
    /// 1 to 100.
    pub attempts_allowed: u32,
    pub scoring: Scoring,
    /// Points needed to pass.
    #[serde(default)]
    pub pass_mark: f64,
    /// Wrong objective answers subtract the question's points × `negative_fraction` (never
    /// below 0 for a question).
    #[serde(default)]
    pub negative_marking: bool,
    /// 0 to 1 (default 0.25).
    #[serde(default = "default_fraction")]
    pub negative_fraction: f64,
    pub release_policy: ReleasePolicy,
    /// RFC 3339; required with `at_time`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub release_at: Option<String>,
    pub review_policy: ReviewPolicy,
    /// Who may enter and how (invite links, open link, access code, registration fields,
    /// one device at a time).
    #[serde(default)]
    pub entry: EntrySettings,
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
    #[serde(default)]
    pub candidate_ids: Vec<String>,
    #[serde(default)]
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
    #[serde(default)]
    pub extra_minutes: u32,
    #[serde(default)]
    pub extra_percent: u32,
    #[serde(default)]
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
    /// Increases with every change the client makes to this question's answer.
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
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

// ---------------------------------------------------------------------------------------------
// Entry modes: invite links, an open link and an access code with registration fields, and one
// active device per attempt.
// ---------------------------------------------------------------------------------------------

/// Most registration fields an exam may ask for.
pub const MAX_REGISTRATION_FIELDS: usize = 20;

/// How candidates may enter an exam besides being assigned and signing in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct EntrySettings {
    /// Each assigned candidate gets a personal link that signs them in (`GET
    /// /api/exams/{id}/invites`).
    pub invite_links: bool,
    /// Anyone with the exam's open link may register and enter.
    pub open_link: bool,
    /// Anyone with the exam's 6-digit access code may register and enter on the portal.
    pub access_code: bool,
    /// What people entering by open link or access code fill in (at most 20; unique keys; a
    /// `name` field is needed for those modes).
    pub registration_fields: Vec<RegistrationField>,
    /// One active device per attempt: starting or resuming on another device takes the attempt
    /// over, and the previous device's requests answer 409 `another_device`.
    pub single_device: bool,
}

impl Default for EntrySettings {
    fn default() -> Self {
        EntrySettings {
            invite_links: false,
            open_link: false,
            access_code: false,
            registration_fields: Vec::new(),
            single_device: true,
        }
    }
}

/// One field of the registration form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegistrationField {
    /// 1–40 lower-case ASCII letters, digits and `_`, starting with a letter.
    pub key: String,
    /// 1–60 characters.
    pub label: String,
    pub kind: RegistrationFieldKind,
    #[serde(default)]
    pub required: bool,
}

/// What a registration field holds and how it is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RegistrationFieldKind {
    /// The person's name (1–50 characters).
    Name,
    /// A mainland-China mobile number.
    Phone,
    Email,
    /// An 18-character PRC resident ID number with a valid check character.
    IdNumber,
    /// Free text, 1–200 characters.
    Text,
}

/// The server-generated ways in (`ExamDto.entry_access`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EntryAccess {
    /// The open link's token, when `open_link` is on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub open_link_token: Option<String>,
    /// The SPA path of the open link (`/o/{slug}/open/{token}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub open_link_path: Option<String>,
    /// The 6-digit access code, when `access_code` is on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_code: Option<String>,
}

/// An assigned candidate's personal invite link (`GET /api/exams/{id}/invites`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InviteLink {
    pub candidate_id: String,
    /// The SPA path with the token in the fragment (never sent to a server by browsers):
    /// `/o/{slug}/invite#{token}`.
    pub url: String,
    pub token: String,
}

/// `POST /api/portal/{slug}/invite`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InviteRequest {
    pub token: String,
}

/// The public face of an exam reached by open link or access code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExamEntryInfo {
    pub id: String,
    pub name: String,
    pub instructions: String,
    pub opens_at: String,
    pub closes_at: String,
    pub duration_minutes: u32,
    pub registration_fields: Vec<RegistrationField>,
}

/// `POST /api/portal/{slug}/exams/open/{token}` and `.../code/{code}`: the registration form's
/// values by field key.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegistrationRequest {
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
}

/// A signed-in entry: the exam to go to and the candidate (portal session cookies are set).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EntryResult {
    pub exam_id: String,
    pub candidate: crate::candidates::CandidateMe,
}

/// A person's registration for an exam, decrypted for the console
/// (`GET /api/exams/{id}/registrations`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegistrationDto {
    pub id: String,
    pub candidate_id: String,
    /// The values by field key.
    pub fields: BTreeMap<String, String>,
    pub created_at: String,
}
