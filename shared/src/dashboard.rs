//! The console's dashboard (`GET /api/dashboard`): what is running now, what needs attention,
//! the recent exams and how far a new organisation has got with setting up. Each section is
//! present only when the caller may read what it counts; a section left out is absent (not
//! empty), so the SPA can tell "nothing to show" from "not yours to see".

use serde::{Deserialize, Serialize};

/// How many exams `running` lists at most (the busiest first).
pub const MAX_RUNNING: usize = 20;
/// How many exams `recent_exams` lists.
pub const MAX_RECENT_EXAMS: usize = 5;
/// How many imports `imports` lists.
pub const MAX_IMPORTS: usize = 5;
/// How far back failed notifications and imports are counted, in days.
pub const ATTENTION_DAYS: i64 = 30;

/// `GET /api/dashboard`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Dashboard {
    /// Exams open now or with attempts in progress, the most candidates in them first (at
    /// most 20). Needs `exams:read`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub running: Option<Vec<LiveExam>>,
    /// Exams with submitted attempts waiting for a person. Needs `grading:read`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grading: Option<Vec<GradingDue>>,
    /// Email and SMS messages of the organisation that could not be delivered in the last 30
    /// days. Needs `org:read` and no candidate-group limit (messages are not tied to groups).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failed_notifications: Option<u32>,
    /// Candidate imports (needs `candidates:read` and no group limit) and question imports
    /// (needs `questions:read`) of the last 30 days, newest first (at most 5). Absent when the
    /// caller may see neither kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub imports: Option<Vec<RecentImport>>,
    /// The five exams that open latest (upcoming ones included). Needs `exams:read`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recent_exams: Option<Vec<RecentExam>>,
    /// The setting-up steps the caller may see, in order; absent when they may see none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checklist: Option<Vec<ChecklistItem>>,
}

/// An exam that is running: its window is open, or someone is still in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LiveExam {
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub id: String,
    pub name: String,
    #[cfg_attr(feature = "openapi", schema(value_type = crate::schema::DateTime))]
    pub opens_at: String,
    #[cfg_attr(feature = "openapi", schema(value_type = crate::schema::DateTime))]
    pub closes_at: String,
    /// Candidates in the exam now: attempts started, not submitted, before their deadline
    /// (only candidates of the caller's groups when the caller is limited to some).
    pub in_progress: u32,
}

/// An exam with answers waiting for a grader.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GradingDue {
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub exam_id: String,
    pub exam_name: String,
    /// Submitted attempts still waiting for a person (as `GET /api/grading/exams` counts them).
    pub attempts_waiting: u32,
    /// Answers in the exam's grading queue not decided yet. The queue is filled when it is
    /// first read, so this may be 0 while attempts wait.
    pub answers_open: u32,
}

/// What an import brought in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ImportKind {
    Candidates,
    Questions,
}

/// An import, from the audit log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecentImport {
    pub kind: ImportKind,
    #[cfg_attr(feature = "openapi", schema(value_type = crate::schema::DateTime))]
    pub at: String,
    /// Rows imported.
    pub count: u32,
    /// The bank a question import went into.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<uuid::Uuid>))]
    pub bank_id: Option<String>,
    /// That bank's name, while it exists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bank_name: Option<String>,
}

/// A recent exam with its attempts and pass rate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecentExam {
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub id: String,
    pub name: String,
    #[cfg_attr(feature = "openapi", schema(value_type = crate::schema::DateTime))]
    pub opens_at: String,
    #[cfg_attr(feature = "openapi", schema(value_type = crate::schema::DateTime))]
    pub closes_at: String,
    /// Every attempt, in progress or finished.
    pub attempts: u32,
    /// Attempts fully graded.
    pub graded: u32,
    /// Graded attempts that reached the pass mark; the pass rate is `passed / graded`.
    pub passed: u32,
}

impl RecentExam {
    /// The share of graded attempts that passed, 0 to 1; `None` before any is graded.
    pub fn pass_rate(&self) -> Option<f64> {
        (self.graded > 0).then(|| f64::from(self.passed) / f64::from(self.graded))
    }
}

/// A step of setting up an organisation, in the order they build on each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ChecklistStep {
    /// A candidate app name or a logo for the portal (needs `org:read` to see).
    Branding,
    /// At least one candidate (`candidates:read`).
    Candidates,
    /// A question bank with at least one question (`questions:read`).
    Questions,
    /// A paper (`questions:read`).
    Paper,
    /// An exam (`exams:read`).
    Exam,
}

impl ChecklistStep {
    pub const ALL: [ChecklistStep; 5] = [
        ChecklistStep::Branding,
        ChecklistStep::Candidates,
        ChecklistStep::Questions,
        ChecklistStep::Paper,
        ChecklistStep::Exam,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ChecklistStep::Branding => "branding",
            ChecklistStep::Candidates => "candidates",
            ChecklistStep::Questions => "questions",
            ChecklistStep::Paper => "paper",
            ChecklistStep::Exam => "exam",
        }
    }
}

/// One step and whether it is done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChecklistItem {
    pub step: ChecklistStep,
    pub done: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pass_rate_counts_graded_attempts_only() {
        let exam = RecentExam {
            id: "e".into(),
            name: "n".into(),
            opens_at: String::new(),
            closes_at: String::new(),
            attempts: 7,
            graded: 4,
            passed: 3,
        };
        assert_eq!(exam.pass_rate(), Some(0.75));
        let none = RecentExam {
            graded: 0,
            passed: 0,
            ..exam
        };
        assert_eq!(none.pass_rate(), None);
    }

    #[test]
    fn sections_a_caller_may_not_see_are_absent_not_empty() {
        let json = serde_json::to_value(Dashboard::default()).unwrap();
        assert_eq!(json, serde_json::json!({}));
    }
}
