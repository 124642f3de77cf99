//! Re-grading: after a question's key or points are corrected (a new version), the finished
//! attempts that used the question are graded again against that version. The preview shows
//! what would change; a run (a job) changes it and records each change.

use serde::{Deserialize, Serialize};

/// How many differences a preview or a run lists (the counts cover every attempt).
pub const MAX_DIFFERENCES: usize = 500;

/// One attempt's result for the re-graded question and as a whole.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegradeScore {
    /// Points earned on the question.
    pub question_points: f64,
    /// The question's points in the attempt.
    pub question_max: f64,
    pub score: f64,
    pub max_score: f64,
    pub percent: f64,
    pub passed: bool,
}

/// An attempt whose result the re-grade changes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegradeDifference {
    pub attempt_id: String,
    pub attempt_number: i32,
    pub exam_id: String,
    pub candidate_id: String,
    /// The candidate's login account, only for callers with `candidates:read` (and the
    /// candidate within their data scope).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// The candidate's name, as `account`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Whether the candidate sees the result already (a "changed" notice is then sent).
    pub released: bool,
    pub before: RegradeScore,
    pub after: RegradeScore,
}

/// An exam whose finished attempts used the question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegradeExam {
    pub exam_id: String,
    pub name: String,
    /// Finished attempts that used the question.
    pub attempts: u32,
    /// Of those, the attempts whose result changes.
    pub changed: u32,
}

/// `GET /api/questions/{id}/regrade`: what a re-grade against the current version would do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegradePreview {
    pub question_id: String,
    /// The version attempts would be graded against (the question's current one).
    pub version: i32,
    pub exams: Vec<RegradeExam>,
    /// Finished attempts that used the question.
    pub examined: u32,
    /// Of those, the attempts whose result changes.
    pub changed: u32,
    /// The first 500 changes.
    pub differences: Vec<RegradeDifference>,
    /// More changes than listed.
    pub truncated: bool,
}

/// `POST /api/questions/{id}/regrade`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegradeInput {
    /// Only these exams of the organisation (at most 1,000; 422 `invalid_format`, `not_found`
    /// or `too_many` otherwise); absent or empty: every exam that used the question.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<uuid::Uuid>))]
    #[cfg_attr(feature = "openapi", schema(max_items = 1000))]
    pub exam_ids: Vec<String>,
}

/// Where a re-grade run is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RegradeStatus {
    Queued,
    Running,
    Done,
    /// A batch failed (it is retried; the status turns back when a retry succeeds).
    Failed,
}

impl RegradeStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RegradeStatus::Queued => "queued",
            RegradeStatus::Running => "running",
            RegradeStatus::Done => "done",
            RegradeStatus::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "queued" => RegradeStatus::Queued,
            "running" => RegradeStatus::Running,
            "done" => RegradeStatus::Done,
            "failed" => RegradeStatus::Failed,
            _ => return None,
        })
    }

    /// The run will change nothing more.
    pub fn is_finished(self) -> bool {
        self == RegradeStatus::Done
    }
}

/// `POST /api/questions/{id}/regrade` answers the run's id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegradeAccepted {
    pub id: String,
}

/// `GET /api/regrades/{id}`: a run, its counts and the changes it made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegradeRun {
    pub id: String,
    pub question_id: String,
    pub version: i32,
    /// The exams it was limited to (empty: every exam).
    pub exam_ids: Vec<String>,
    pub status: RegradeStatus,
    /// Finished attempts examined so far.
    pub examined: u32,
    /// Attempts changed so far.
    pub changed: u32,
    /// The first 500 changes.
    pub differences: Vec<RegradeDifference>,
    pub created_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<String>,
}
