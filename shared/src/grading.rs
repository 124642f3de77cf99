//! Manual grading (permission `grading`): answers that need a person (essays, and the essay
//! parts of composite questions) become grading items; graders mark them blind (an anonymous
//! code, never the candidate), against the question's rubric or with a single score; an exam
//! may require several independent marks per answer, with an arbiter when they differ by more
//! than a tolerance.

use serde::{Deserialize, Serialize};

use crate::exams::AnswerValue;
use crate::questions::{QuestionContent, RubricItem};

/// Most independent marks an exam may require per answer.
pub const MAX_GRADERS_PER_ANSWER: u32 = 3;
/// Most characters of a comment to the candidate.
pub const MAX_COMMENT_CHARS: usize = 5000;

/// `GET`/`PUT /api/exams/{id}/marking`: how the exam's answers that need a person are marked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MarkingSettings {
    /// Independent marks each answer needs (1 to 3); the final mark is their mean, unless two
    /// differ by more than `tolerance`: then an arbiter (a grader who did not mark it) decides.
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 3))]
    pub graders_per_answer: u32,
    /// Points by which marks may differ before the answer goes to an arbiter (0 to 1,000).
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 1000))]
    pub tolerance: f64,
    /// Graders limited at this exam to some questions and/or some candidate groups (at most
    /// 200). A grader not listed marks any item (an admin whose account is limited to some
    /// candidate groups: those groups' items). Replaced as a whole on `PUT`.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 200))]
    pub limits: Vec<GraderLimit>,
}

/// Most graders limited at one exam.
pub const MAX_GRADER_LIMITS: usize = 200;
/// Most questions or groups in one grader's limit.
pub const MAX_LIMIT_IDS: usize = 500;

/// What one grader may mark at an exam: items of these questions (empty: any question) of
/// candidates in these groups (empty: any group).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GraderLimit {
    /// An organisation user (422 `not_found` otherwise; once per list: `duplicate`).
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub user_id: String,
    /// Questions of the organisation (422 `not_found` otherwise), at most 500.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<uuid::Uuid>, max_items = 500))]
    pub question_ids: Vec<String>,
    /// Candidate groups of the organisation (422 `not_found` otherwise), at most 500.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<uuid::Uuid>, max_items = 500))]
    pub group_ids: Vec<String>,
}

impl Default for MarkingSettings {
    fn default() -> MarkingSettings {
        MarkingSettings {
            graders_per_answer: 1,
            tolerance: 0.0,
            limits: Vec::new(),
        }
    }
}

/// Where a grading item stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ItemStatus {
    /// Waiting for marks.
    Open,
    /// The marks differ by more than the tolerance: waiting for an arbiter.
    Arbitration,
    /// Final mark set.
    Done,
}

impl ItemStatus {
    pub const ALL: [ItemStatus; 3] = [ItemStatus::Open, ItemStatus::Arbitration, ItemStatus::Done];

    pub fn as_str(self) -> &'static str {
        match self {
            ItemStatus::Open => "open",
            ItemStatus::Arbitration => "arbitration",
            ItemStatus::Done => "done",
        }
    }

    pub fn parse(s: &str) -> Option<ItemStatus> {
        ItemStatus::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

/// Why an item is in the queue.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ItemOrigin {
    /// An answer only a person can mark (an essay, or an essay part of a composite).
    #[default]
    Essay,
    /// An automatically graded answer an admin sent for review: the final mark replaces the
    /// question's automatic points. Graded against the question's key (`GradingTask::key`).
    Review,
}

impl ItemOrigin {
    pub fn as_str(self) -> &'static str {
        match self {
            ItemOrigin::Essay => "essay",
            ItemOrigin::Review => "review",
        }
    }

    pub fn parse(s: &str) -> Option<ItemOrigin> {
        [ItemOrigin::Essay, ItemOrigin::Review]
            .into_iter()
            .find(|o| o.as_str() == s)
    }
}

/// Most characters of the reason for sending an answer for review.
pub const MAX_REVIEW_REASON_CHARS: usize = 500;

/// `POST /api/exams/{id}/attempts/{attempt_id}/questions/{question_id}/review`: send an
/// automatically graded answer to the graders.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewRequestInput {
    /// Why (1 to 500 characters once trimmed; 422 `required` / `too_long`). Audited; not shown
    /// to graders.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 500))]
    pub reason: String,
}

/// One answer (or essay part of a composite answer) that needs a person, as the queue lists
/// it. Blind: the attempt is named by an anonymous code only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GradingItemDto {
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub id: String,
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub exam_id: String,
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub question_id: String,
    /// The question's number in this exam's grading queue (1-based, in the order questions first
    /// reached it; the same for every attempt).
    pub question_number: u32,
    /// The part of a composite question (0-based), absent for a whole question.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part: Option<u32>,
    /// The attempt's anonymous code (the same for all its items).
    pub anonymous_code: String,
    /// An essay, or an automatically graded answer sent for review.
    #[serde(default)]
    pub origin: ItemOrigin,
    pub max_points: f64,
    pub status: ItemStatus,
    /// Marks given so far, and how many the exam requires.
    pub marks_given: u32,
    pub marks_required: u32,
    /// The final mark, once done.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub final_points: Option<f64>,
    /// The caller's own mark, if they gave one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub my_points: Option<f64>,
}

/// A page of grading items.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GradingItemPage {
    pub items: Vec<GradingItemDto>,
    pub total: i64,
    pub offset: i64,
    pub limit: i64,
}

/// A mark given to an item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MarkDto {
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub grader_id: String,
    pub points: f64,
    /// Points per rubric criterion, in the rubric's order, when marked against it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rubric: Option<Vec<f64>>,
    pub comment: String,
    /// The arbiter's mark (final).
    pub arbiter: bool,
    #[cfg_attr(feature = "openapi", schema(value_type = crate::schema::DateTime))]
    pub marked_at: String,
}

/// An item opened for marking: the question with its reference answer and rubric, the
/// candidate's answer, the caller's mark, and (for an arbiter) the marks given.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GradingTask {
    pub item: GradingItemDto,
    /// The question (for a composite part: the part's question; `passage` holds the passage).
    pub question: QuestionContent,
    /// A composite question's passage, for a part.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passage: Option<String>,
    pub rubric: Vec<RubricItem>,
    /// The candidate's answer text (empty: not answered); for a review item, the answer as
    /// one line of plain text (options by their text, in the caller's language).
    pub answer: String,
    /// A review item's answer as stored (authored ids), absent for essays or no answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer_value: Option<AnswerValue>,
    /// A review item's key as one line of plain text (the grader judges the answer against
    /// it; `question` holds it as authored). Absent for essays (see `question`'s reference
    /// answer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub my_mark: Option<MarkDto>,
    /// The marks of the other graders: shown to an arbiter only (independent marking).
    pub other_marks: Vec<MarkDto>,
    /// The caller holds the item until then (others get other items meanwhile).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::schema::DateTime>))]
    pub leased_until: Option<String>,
}

/// `POST /api/exams/{id}/grading/next`: the next item for the caller, optionally of one
/// question.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NextItemInput {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<uuid::Uuid>))]
    pub question_id: Option<String>,
    /// Items to pass over (skipped in this sitting), at most 500.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<uuid::Uuid>, max_items = 500))]
    pub skip: Vec<String>,
}

/// `PUT /api/grading/items/{id}/mark`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MarkInput {
    /// 0 to the item's `max_points`, in hundredths (422 `out_of_range`).
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 1000))]
    pub points: f64,
    /// Points per rubric criterion (each 0 to the criterion's points); their sum, scaled from
    /// the rubric's total to the item's points, must equal `points` (422 `rubric_mismatch`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_items = 100))]
    pub rubric: Option<Vec<f64>>,
    /// A comment to the candidate (at most 5,000 characters).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 5000))]
    pub comment: String,
}

/// Progress of one question's items.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuestionProgress {
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub question_id: String,
    pub question_number: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part: Option<u32>,
    pub total: u32,
    pub done: u32,
    pub arbitration: u32,
}

/// How many marks one grader gave.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GraderProgress {
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub grader_id: String,
    pub marks: u32,
    pub arbitrations: u32,
}

/// `GET /api/exams/{id}/grading/progress`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GradingProgress {
    pub total: u32,
    pub done: u32,
    pub arbitration: u32,
    /// Attempts still waiting for a person.
    pub attempts_waiting: u32,
    pub questions: Vec<QuestionProgress>,
    pub graders: Vec<GraderProgress>,
}

/// `GET /api/grading/exams`: an exam with answers that need a person, as a grader finds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GradingExam {
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub id: String,
    pub name: String,
    #[cfg_attr(feature = "openapi", schema(value_type = crate::schema::DateTime))]
    pub closes_at: String,
    /// Submitted attempts still waiting for a person.
    pub attempts_waiting: u32,
}

/// The points of a rubric marking scaled to an item worth `max`: each criterion's points, over
/// the rubric's total, times `max`, in hundredths. `None` when a score is outside its
/// criterion or the lengths differ.
pub fn rubric_points(rubric: &[RubricItem], scores: &[f64], max: f64) -> Option<f64> {
    if rubric.len() != scores.len() || rubric.is_empty() {
        return None;
    }
    let mut total = 0.0;
    let mut got = 0.0;
    for (item, score) in rubric.iter().zip(scores) {
        if !score.is_finite() || *score < 0.0 || *score > item.points + 1e-9 {
            return None;
        }
        total += item.points;
        got += score;
    }
    if total <= 0.0 {
        return None;
    }
    Some(((got / total) * max * 100.0).round() / 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn criterion(points: f64) -> RubricItem {
        RubricItem {
            criterion: "c".to_owned(),
            points,
        }
    }

    #[test]
    fn rubric_points_scale_to_the_items_points() {
        let rubric = [criterion(4.0), criterion(6.0)];
        assert_eq!(rubric_points(&rubric, &[4.0, 6.0], 20.0), Some(20.0));
        assert_eq!(rubric_points(&rubric, &[2.0, 3.0], 20.0), Some(10.0));
        assert_eq!(rubric_points(&rubric, &[1.0, 0.0], 3.0), Some(0.3));
    }

    #[test]
    fn rubric_scores_outside_their_criterion_or_of_the_wrong_length_are_refused() {
        let rubric = [criterion(4.0), criterion(6.0)];
        assert_eq!(rubric_points(&rubric, &[5.0, 0.0], 10.0), None);
        assert_eq!(rubric_points(&rubric, &[-1.0, 0.0], 10.0), None);
        assert_eq!(rubric_points(&rubric, &[1.0], 10.0), None);
        assert_eq!(rubric_points(&[], &[], 10.0), None);
    }
}
