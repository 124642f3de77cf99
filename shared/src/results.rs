//! Results: per exam, one row per candidate with a finished attempt (the attempt that counts
//! under the exam's scoring, the score, pass/fail, the rank with ties), the per-attempt score
//! sheet, and what a candidate sees of their own results once released.

use serde::{Deserialize, Serialize};

use crate::exams::{AnswerValue, AttemptStatus, SubmitReason};
use crate::questions::QuestionContent;

/// Whether a row's score is final.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum GradingState {
    /// Every counted answer is graded.
    Graded,
    /// Some answer still waits for a person (the score holds the automatic points so far).
    Pending,
}

impl GradingState {
    pub fn as_str(self) -> &'static str {
        match self {
            GradingState::Graded => "graded",
            GradingState::Pending => "pending",
        }
    }
}

/// The order of the results table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ResultSort {
    /// Best score first; ties by less time used (the rank ignores time: equal scores share it).
    #[default]
    Rank,
    /// Quickest first.
    TimeUsed,
    /// Latest submission first.
    Submitted,
}

/// One candidate's line of the results table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResultRow {
    pub candidate_id: String,
    /// The candidate's account and name, only for callers who may read candidates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The attempt that counts (best or last; with `average`, the latest finished one).
    pub attempt_id: String,
    pub attempt_number: i32,
    /// Finished attempts of the candidate at this exam.
    pub attempts: u32,
    pub score: f64,
    pub max_score: f64,
    /// 0 to 100, two decimals.
    pub percent: f64,
    pub passed: bool,
    /// Standard competition ranking: equal scores share a rank and the next rank skips
    /// (1, 2, 2, 4).
    pub rank: u32,
    /// Seconds from start to submission of the counted attempt.
    pub time_used_seconds: i64,
    pub submitted_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub submitted_reason: Option<SubmitReason>,
    pub grading: GradingState,
    /// Whether the candidate already sees this result (the exam's release policy).
    pub released: bool,
}

/// Figures over the whole exam (not only the page).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResultSummary {
    /// Candidates assigned to the exam or who entered it.
    pub candidates: u32,
    /// Candidates with a finished attempt.
    pub finished: u32,
    pub passed: u32,
    /// Candidates whose counted attempt waits for a person.
    pub pending: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mean_score: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub highest_score: Option<f64>,
    pub max_score: f64,
    pub pass_mark: f64,
}

/// `GET /api/exams/{id}/results`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResultPage {
    pub rows: Vec<ResultRow>,
    /// Rows matching the filters.
    pub total: i64,
    pub offset: i64,
    pub limit: i64,
    pub summary: ResultSummary,
}

/// A final mark's comment to the candidate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GraderComment {
    /// The essay part it is about (composite questions), counted from 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part: Option<u32>,
    pub comment: String,
}

/// One question of a score sheet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScoreSheetItem {
    /// As numbered on the candidate's paper.
    pub number: u32,
    pub question_id: String,
    pub version: i32,
    /// The question with its key, as authored.
    pub question: QuestionContent,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<AnswerValue>,
    pub points: f64,
    /// Absent while a person has not graded it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub earned: Option<f64>,
    pub needs_manual: bool,
    /// The points came from automatic grading (or an admin's override of it): such a
    /// question may be sent for review.
    #[serde(default)]
    pub auto_graded: bool,
    /// Sent for review: waiting for the graders, or their mark replaced the automatic points.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<ReviewState>,
    pub comments: Vec<GraderComment>,
}

/// Where an automatically graded answer sent for review stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReviewState {
    /// Waiting for the graders' final mark.
    InReview,
    /// The graders' final mark replaced the automatic points (an admin's later override
    /// replaces it in turn: then the item is not marked reviewed).
    Reviewed,
}

/// `GET /api/exams/{id}/attempts/{attempt_id}/score-sheet`: each question of one attempt with
/// the candidate's answer, the key, the points and the graders' comments.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScoreSheet {
    pub attempt_id: String,
    pub exam_id: String,
    pub exam_name: String,
    pub candidate_id: String,
    /// Only for callers who may read candidates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub candidate_name: Option<String>,
    pub number: i32,
    pub status: AttemptStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    pub max_score: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passed: Option<bool>,
    pub started_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub submitted_at: Option<String>,
    pub items: Vec<ScoreSheetItem>,
}

/// One released result in the portal's "my results" (`GET /api/candidate/results`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyResult {
    pub exam_id: String,
    pub exam_name: String,
    /// The counted attempt.
    pub attempt_id: String,
    pub score: f64,
    pub max_score: f64,
    pub percent: f64,
    pub passed: bool,
    /// Only when the exam shows ranks: the candidate's rank among the released results, and
    /// of how many.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rank: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ranked: Option<u32>,
    pub submitted_at: String,
    /// Whether the review (answers with keys) may be opened now.
    pub review_available: bool,
    /// Certificates issued for this exam to the candidate (numbers).
    pub certificates: Vec<String>,
}

/// Rich text as plain text: tags dropped, the common entities decoded, spaces collapsed.
pub fn plain_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let out = out
        .replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// An essay as text with its paragraphs: plain text stays as written; rich text loses its
/// tags, paragraphs and line breaks becoming new lines.
pub fn essay_text(text: &str) -> String {
    if !text.contains('<') {
        return text.trim().to_owned();
    }
    let mut broken = String::with_capacity(text.len());
    let lower = text.to_ascii_lowercase();
    let mut rest = 0;
    for (at, _) in lower.match_indices('<') {
        let tag = &lower[at..];
        if ["<br", "</p", "</div", "</li", "</h"]
            .iter()
            .any(|t| tag.starts_with(t))
        {
            broken.push_str(&text[rest..at]);
            broken.push('\n');
            rest = at;
        }
    }
    broken.push_str(&text[rest..]);
    broken
        .split('\n')
        .map(plain_text)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

fn choice_text(choices: &[crate::questions::Choice], id: &str) -> String {
    choices
        .iter()
        .find(|c| c.id == id)
        .map_or_else(|| id.to_owned(), |c| plain_text(&c.text))
}

fn yes_no(value: bool, lang: crate::Lang) -> &'static str {
    match (value, lang) {
        (true, crate::Lang::ZhCn) => "对",
        (false, crate::Lang::ZhCn) => "错",
        (true, crate::Lang::En) => "True",
        (false, crate::Lang::En) => "False",
    }
}

/// A candidate's answer to `content` as one line of plain text (options by their text).
pub fn answer_text(content: &QuestionContent, answer: &AnswerValue, lang: crate::Lang) -> String {
    match (content, answer) {
        (QuestionContent::SingleChoice { options, .. }, AnswerValue::SingleChoice { choice }) => {
            choice_text(options, choice)
        }
        (
            QuestionContent::MultipleChoice { options, .. },
            AnswerValue::MultipleChoice { choices },
        ) => choices
            .iter()
            .map(|c| choice_text(options, c))
            .collect::<Vec<_>>()
            .join("; "),
        (_, AnswerValue::TrueFalse { value }) => yes_no(*value, lang).to_owned(),
        (_, AnswerValue::FillBlank { blanks }) => blanks.join(" | "),
        (_, AnswerValue::Essay { text }) => essay_text(text),
        (QuestionContent::Ordering { items, .. }, AnswerValue::Ordering { order }) => order
            .iter()
            .map(|i| choice_text(items, i))
            .collect::<Vec<_>>()
            .join(" → "),
        (
            QuestionContent::Matching {
                prompts, answers, ..
            },
            AnswerValue::Matching { pairs },
        ) => pairs
            .iter()
            .map(|(p, a)| format!("{} → {}", choice_text(prompts, p), choice_text(answers, a)))
            .collect::<Vec<_>>()
            .join("; "),
        (QuestionContent::Composite { parts, .. }, AnswerValue::Composite { parts: given }) => {
            parts
                .iter()
                .zip(given)
                .enumerate()
                .map(|(i, (part, given))| {
                    let text = given
                        .as_ref()
                        .map(|g| answer_text(&part.content, g, lang))
                        .unwrap_or_default();
                    format!("({}) {text}", i + 1)
                })
                .collect::<Vec<_>>()
                .join(" ")
        }
        _ => String::new(),
    }
}

/// The key of `content` as one line of plain text (an essay's reference answer).
pub fn key_text(content: &QuestionContent, lang: crate::Lang) -> String {
    match content {
        QuestionContent::SingleChoice {
            options, answer, ..
        } => choice_text(options, answer),
        QuestionContent::MultipleChoice {
            options, answers, ..
        } => answers
            .iter()
            .map(|a| choice_text(options, a))
            .collect::<Vec<_>>()
            .join("; "),
        QuestionContent::TrueFalse { answer, .. } => yes_no(*answer, lang).to_owned(),
        QuestionContent::FillBlank { blanks, .. } => blanks
            .iter()
            .map(|b| b.answers.join(" / "))
            .collect::<Vec<_>>()
            .join(" | "),
        QuestionContent::Essay {
            reference_answer, ..
        } => plain_text(reference_answer),
        QuestionContent::Ordering { items, .. } => items
            .iter()
            .map(|i| plain_text(&i.text))
            .collect::<Vec<_>>()
            .join(" → "),
        QuestionContent::Matching {
            prompts,
            answers,
            pairs,
            ..
        } => pairs
            .iter()
            .map(|p| {
                format!(
                    "{} → {}",
                    choice_text(prompts, &p.prompt),
                    choice_text(answers, &p.answer)
                )
            })
            .collect::<Vec<_>>()
            .join("; "),
        QuestionContent::Composite { parts, .. } => parts
            .iter()
            .enumerate()
            .map(|(i, p)| format!("({}) {}", i + 1, key_text(&p.content, lang)))
            .collect::<Vec<_>>()
            .join(" "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rich_text_reads_as_plain_text() {
        assert_eq!(plain_text("<p>甲 &amp; <b>乙</b></p>"), "甲 & 乙");
    }

    #[test]
    fn answers_and_keys_read_by_option_text() {
        let content: QuestionContent = serde_json::from_value(serde_json::json!({
            "type": "single_choice", "stem": "<p>?</p>",
            "options": [{ "id": "A", "text": "<p>甲</p>" }, { "id": "B", "text": "乙" }],
            "answer": "B" }))
        .expect("content");
        let answer = AnswerValue::SingleChoice {
            choice: "A".to_owned(),
        };
        assert_eq!(answer_text(&content, &answer, crate::Lang::En), "甲");
        assert_eq!(key_text(&content, crate::Lang::En), "乙");
    }

    #[test]
    fn essays_keep_their_paragraphs() {
        assert_eq!(essay_text("  plain\ntext  "), "plain\ntext");
        assert_eq!(
            essay_text("<p>一 &amp; <b>二</b></p><P>three<br>four</P>"),
            "一 & 二\nthree\nfour"
        );
    }
}
