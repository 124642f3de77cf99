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
    /// Anyone with the exam's access code (10 characters, see [`ACCESS_CODE_ALPHABET`]) may
    /// register and enter on the portal.
    pub access_code: bool,
    /// What people entering by open link or access code fill in (at most 20; unique keys; a
    /// `name` field is needed for those modes, 422 `name_required`; at most one field of each
    /// kind but `text`, 422 `duplicate`).
    #[cfg_attr(feature = "openapi", schema(max_items = 20))]
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
    /// 1–40 lower-case ASCII letters, digits and `_`, starting with a letter; unique in the
    /// form (422 `duplicate`).
    #[cfg_attr(feature = "openapi", schema(pattern = r"^[a-z][a-z0-9_]{0,39}$"))]
    pub key: String,
    /// 1–60 characters (no control characters).
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 60,
            pattern = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$"
        )
    )]
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
    /// The access code (10 characters of [`ACCESS_CODE_ALPHABET`]), when `access_code` is on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_code: Option<String>,
}

/// The characters of an access code: digits and upper-case letters without look-alikes (no
/// `0`/`O`, `1`/`I`/`L`).
pub const ACCESS_CODE_ALPHABET: &str = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
/// The length of an access code: 31^10 ≈ 8·10^14 codes, so the server's guessing budget makes
/// finding one hopeless.
pub const ACCESS_CODE_LEN: usize = 10;

/// An access code as someone typed it, in its canonical form: case, spaces and `-` are
/// ignored. `None` when it cannot be a code.
pub fn normalise_access_code(typed: &str) -> Option<String> {
    let code: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let wellformed = code.chars().count() == ACCESS_CODE_LEN
        && code.chars().all(|c| ACCESS_CODE_ALPHABET.contains(c));
    wellformed.then_some(code)
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
    /// The token of an invite link (what follows `#` in its URL).
    #[cfg_attr(feature = "openapi", schema(min_length = 1))]
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
/// values by field key. A person who registered before (409 `registration_exists`) proves it
/// with `resume_token` (from their first registration) or `code` (sent to the contact they
/// registered, `POST .../resume-code`); without proof nobody is signed in as them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegistrationRequest {
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
    /// The resume token the first registration answered (dashes and spaces are ignored).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resume_token: Option<String>,
    /// The 6-digit code sent to the registered phone or email.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

/// A signed-in entry: the exam to go to and the candidate (portal session cookies are set).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EntryResult {
    pub exam_id: String,
    pub candidate: crate::candidates::CandidateMe,
    /// Only on a first registration (201): the token that proves this person when they come
    /// back (`RegistrationRequest::resume_token`). Shown once; stored only as a keyed hash;
    /// valid until the exam closes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resume_token: Option<String>,
}

/// The `details` of a 409 `registration_exists`: how the returning person can prove who they
/// are. The same shape whichever value (phone, email or ID number) matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegistrationExists {
    /// Whether a code can be sent to the contact registered the first time
    /// (`POST .../resume-code`); false when the form has no phone or email, or none was given.
    pub can_send_code: bool,
    /// A masked hint of where the code goes (`138****8000`, `w***@example.com`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_hint: Option<String>,
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

// ---------------------------------------------------------------------------------------------
// Integrity: anti-cheat settings, attempt events, proctoring and answer review.
// ---------------------------------------------------------------------------------------------

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_codes_are_read_whatever_the_case_spaces_and_dashes() {
        assert_eq!(
            normalise_access_code(" abcde-fghjk ").as_deref(),
            Some("ABCDEFGHJK")
        );
        assert_eq!(
            normalise_access_code("23456 789AB").as_deref(),
            Some("23456789AB")
        );
    }

    #[test]
    fn access_codes_refuse_look_alikes_wrong_lengths_and_old_six_digit_codes() {
        assert_eq!(normalise_access_code("ABCDEFGHJ0"), None);
        assert_eq!(normalise_access_code("ABCDEFGHJI"), None);
        assert_eq!(normalise_access_code("ABCDEFGHJ"), None);
        assert_eq!(normalise_access_code("ABCDEFGHJKM"), None);
        assert_eq!(normalise_access_code("123456"), None);
        assert_eq!(normalise_access_code("ÄBCDEFGHJK"), None);
    }
}
