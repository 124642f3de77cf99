//! Questions of a question bank: the eight types, their validation, and how a fill-in-blank
//! answer is matched. Shared so the SPA's editor checks exactly what the server checks and its
//! preview matches answers exactly as grading will.
//!
//! Text fields (stems, options, explanations, passages) are rich text: HTML that the server
//! sanitises on the way in (no scripts, no event handlers); formulas are LaTeX between `$…$`
//! (inline) or `$$…$$` (display), rendered by the SPA.

mod blanks;
#[cfg(test)]
mod tests;
mod validate;

use serde::{Deserialize, Serialize};

pub use blanks::{blank_markers, to_half_width};
pub use validate::{MAX_ENTRIES, MAX_TEXT, Problem, valid_points};

/// The type of a question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum QuestionType {
    SingleChoice,
    MultipleChoice,
    TrueFalse,
    FillBlank,
    Essay,
    Ordering,
    Matching,
    Composite,
}

impl QuestionType {
    pub const ALL: [QuestionType; 8] = [
        QuestionType::SingleChoice,
        QuestionType::MultipleChoice,
        QuestionType::TrueFalse,
        QuestionType::FillBlank,
        QuestionType::Essay,
        QuestionType::Ordering,
        QuestionType::Matching,
        QuestionType::Composite,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            QuestionType::SingleChoice => "single_choice",
            QuestionType::MultipleChoice => "multiple_choice",
            QuestionType::TrueFalse => "true_false",
            QuestionType::FillBlank => "fill_blank",
            QuestionType::Essay => "essay",
            QuestionType::Ordering => "ordering",
            QuestionType::Matching => "matching",
            QuestionType::Composite => "composite",
        }
    }

    pub fn parse(s: &str) -> Option<QuestionType> {
        QuestionType::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// Whether answers of this type are graded automatically.
    pub fn is_objective(self) -> bool {
        !matches!(self, QuestionType::Essay | QuestionType::Composite)
    }
}

/// An option of a choice question, an item to order, or one side of a matching pair.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Choice {
    /// Stable within the question (`A`, `B`, … or any short id), 1–20 characters; unique in
    /// its list (422 `duplicate`).
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 20, pattern = r"\S")
    )]
    pub id: String,
    /// Rich text with some visible content, at most 20,000 characters.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 20000))]
    pub text: String,
}

/// One blank of a fill-in-blank question and how answers to it are matched.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Blank {
    /// Accepted answers (any one matches); at least one that is not blank.
    #[cfg_attr(feature = "openapi", schema(min_items = 1))]
    pub answers: Vec<String>,
    /// Letter case must match (default: it need not).
    #[serde(default)]
    pub case_sensitive: bool,
    /// Spaces inside the answer must match too (surrounding spaces are always ignored).
    #[serde(default)]
    pub exact_spaces: bool,
    /// Full-width and half-width forms differ (default: `１２Ａ` matches `12A`).
    #[serde(default)]
    pub width_sensitive: bool,
    /// For numeric answers (every accepted answer a number, 422 `invalid_format` otherwise):
    /// accepted distance from an answer (e.g. `0.01`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(minimum = 0))]
    pub numeric_tolerance: Option<f64>,
}

/// A scoring criterion of an essay.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RubricItem {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, pattern = r"\S"))]
    pub criterion: String,
    /// 0.01 to 1,000, in hundredths.
    #[cfg_attr(feature = "openapi", schema(minimum = 0.01, maximum = 1000))]
    pub points: f64,
}

/// A correct pair of a matching question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Pair {
    pub prompt: String,
    pub answer: String,
}

/// A sub-question of a composite question (never itself composite).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Part {
    #[cfg_attr(feature = "openapi", schema(no_recursion))]
    pub content: QuestionContent,
    /// 0.01 to 1,000, in hundredths.
    #[cfg_attr(feature = "openapi", schema(minimum = 0.01, maximum = 1000))]
    pub points: f64,
}

/// What a question asks and what is correct, by type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum QuestionContent {
    /// One correct option.
    SingleChoice {
        #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 20000))]
        stem: String,
        #[cfg_attr(feature = "openapi", schema(min_items = 2, max_items = 50))]
        options: Vec<Choice>,
        /// The id of one of `options` (422 `unknown_option` otherwise).
        answer: String,
    },
    /// One or more correct options.
    MultipleChoice {
        #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 20000))]
        stem: String,
        #[cfg_attr(feature = "openapi", schema(min_items = 2, max_items = 50))]
        options: Vec<Choice>,
        /// Ids of `options`, each once (422 `unknown_option` / `duplicate` otherwise).
        #[cfg_attr(feature = "openapi", schema(min_items = 1))]
        answers: Vec<String>,
    },
    TrueFalse {
        #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 20000))]
        stem: String,
        answer: bool,
    },
    /// The stem marks each blank as `{{1}}`, `{{2}}`, … in order, one marker per blank (422
    /// `blank_markers_mismatch` otherwise).
    FillBlank {
        #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 20000))]
        stem: String,
        #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 50))]
        blanks: Vec<Blank>,
    },
    /// Graded by people, with a reference answer and an optional rubric.
    Essay {
        #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 20000))]
        stem: String,
        #[serde(default)]
        reference_answer: String,
        #[serde(default)]
        rubric: Vec<RubricItem>,
    },
    /// `items` in their correct order (shown shuffled).
    Ordering {
        #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 20000))]
        stem: String,
        #[cfg_attr(feature = "openapi", schema(min_items = 2, max_items = 50))]
        items: Vec<Choice>,
    },
    /// Each prompt has exactly one answer; answers may be left over as distractors.
    Matching {
        #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 20000))]
        stem: String,
        #[cfg_attr(feature = "openapi", schema(min_items = 2, max_items = 50))]
        prompts: Vec<Choice>,
        #[cfg_attr(feature = "openapi", schema(min_items = 2, max_items = 50))]
        answers: Vec<Choice>,
        /// One pair per prompt, naming ids of `prompts` and `answers` (422
        /// `prompt_without_answer` / `unknown_option` otherwise).
        pairs: Vec<Pair>,
    },
    /// A passage or case with its own sub-questions (none of them composite, 422
    /// `nested_composite`).
    Composite {
        #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 20000))]
        passage: String,
        #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 50))]
        parts: Vec<Part>,
    },
}

impl QuestionContent {
    pub fn question_type(&self) -> QuestionType {
        match self {
            QuestionContent::SingleChoice { .. } => QuestionType::SingleChoice,
            QuestionContent::MultipleChoice { .. } => QuestionType::MultipleChoice,
            QuestionContent::TrueFalse { .. } => QuestionType::TrueFalse,
            QuestionContent::FillBlank { .. } => QuestionType::FillBlank,
            QuestionContent::Essay { .. } => QuestionType::Essay,
            QuestionContent::Ordering { .. } => QuestionType::Ordering,
            QuestionContent::Matching { .. } => QuestionType::Matching,
            QuestionContent::Composite { .. } => QuestionType::Composite,
        }
    }

    /// The stem, or the passage of a composite question.
    pub fn stem(&self) -> &str {
        match self {
            QuestionContent::SingleChoice { stem, .. }
            | QuestionContent::MultipleChoice { stem, .. }
            | QuestionContent::TrueFalse { stem, .. }
            | QuestionContent::FillBlank { stem, .. }
            | QuestionContent::Essay { stem, .. }
            | QuestionContent::Ordering { stem, .. }
            | QuestionContent::Matching { stem, .. } => stem,
            QuestionContent::Composite { passage, .. } => passage,
        }
    }

    /// Every rich-text field, mutably (for sanitising).
    pub fn texts_mut(&mut self) -> Vec<&mut String> {
        let mut out: Vec<&mut String> = Vec::new();
        match self {
            QuestionContent::SingleChoice { stem, options, .. }
            | QuestionContent::MultipleChoice { stem, options, .. } => {
                out.push(stem);
                out.extend(options.iter_mut().map(|o| &mut o.text));
            }
            QuestionContent::TrueFalse { stem, .. } | QuestionContent::FillBlank { stem, .. } => {
                out.push(stem)
            }
            QuestionContent::Essay {
                stem,
                reference_answer,
                ..
            } => {
                out.push(stem);
                out.push(reference_answer);
            }
            QuestionContent::Ordering { stem, items } => {
                out.push(stem);
                out.extend(items.iter_mut().map(|o| &mut o.text));
            }
            QuestionContent::Matching {
                stem,
                prompts,
                answers,
                ..
            } => {
                out.push(stem);
                out.extend(prompts.iter_mut().map(|o| &mut o.text));
                out.extend(answers.iter_mut().map(|o| &mut o.text));
            }
            QuestionContent::Composite { passage, parts } => {
                out.push(passage);
                for p in parts {
                    out.extend(p.content.texts_mut());
                }
            }
        }
        out
    }
}

/// A question as listed and edited: its current version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuestionDto {
    pub id: String,
    pub bank_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category_id: Option<String>,
    /// The current version (1 for a new question; each edit adds one).
    pub version: i32,
    pub content: QuestionContent,
    pub points: f64,
    /// 1 (easiest) to 5.
    pub difficulty: i32,
    #[serde(default)]
    pub explanation: String,
    #[serde(default)]
    pub tags: Vec<String>,
    pub updated_at: String,
}

/// `POST /api/question-banks/{id}/questions` and `PUT /api/questions/{id}` (a new version).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuestionInput {
    /// Rich text is sanitised; every text needs visible content (422 `required`).
    pub content: QuestionContent,
    /// 0.01 to 1,000, in hundredths.
    #[cfg_attr(feature = "openapi", schema(minimum = 0.01, maximum = 1000))]
    pub points: f64,
    /// 1 (easy) to 5 (hard).
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 5))]
    pub difficulty: i32,
    /// Rich text, at most 20,000 characters once sanitised.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 20000))]
    pub explanation: String,
    /// At most 20 different tags.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<crate::schema::Tag>, max_items = 20))]
    pub tags: Vec<String>,
    /// A category of the question's bank (422 `unknown_category` otherwise); empty or absent:
    /// none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::schema::IdOrEmpty>))]
    pub category_id: Option<String>,
}

/// A question bank.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BankDto {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub question_count: i64,
    pub created_at: String,
}

/// `POST /api/question-banks`, `PATCH /api/question-banks/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BankInput {
    /// 1–100 characters (no control characters), unique in the organisation (409).
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 100,
            pattern = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$"
        )
    )]
    pub name: String,
    /// At most 2,000 characters.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub description: String,
}

/// A category of a bank (the tree is built from `parent_id`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CategoryDto {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_id: Option<String>,
    pub name: String,
    /// Active questions directly in this category.
    pub question_count: i64,
}

/// `POST /api/question-banks/{id}/categories`, `PATCH /api/question-categories/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CategoryInput {
    /// 1–100 characters (no control characters).
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 100,
            pattern = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$"
        )
    )]
    pub name: String,
    /// The parent category (same bank, 422 `unknown_category` otherwise; not below itself,
    /// 422 `would_cycle`); empty or absent: top level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::schema::IdOrEmpty>))]
    pub parent_id: Option<String>,
}

/// `POST /api/question-banks/{id}/questions/bulk`: one action on many questions of a bank.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum BulkAction {
    /// Move to a category of the same bank (`null`: no category).
    Move {
        #[cfg_attr(feature = "openapi", schema(value_type = Vec<uuid::Uuid>, min_items = 1, max_items = 1000))]
        question_ids: Vec<String>,
        #[cfg_attr(feature = "openapi", schema(value_type = Option<uuid::Uuid>))]
        category_id: Option<String>,
    },
    /// Add tags (a new version of each question).
    Tag {
        #[cfg_attr(feature = "openapi", schema(value_type = Vec<uuid::Uuid>, min_items = 1, max_items = 1000))]
        question_ids: Vec<String>,
        #[cfg_attr(feature = "openapi", schema(value_type = Vec<crate::schema::Tag>))]
        tags: Vec<String>,
    },
    Delete {
        #[cfg_attr(feature = "openapi", schema(value_type = Vec<uuid::Uuid>, min_items = 1, max_items = 1000))]
        question_ids: Vec<String>,
    },
}

/// What a bulk action did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BulkResult {
    pub affected: i64,
}

/// One parsed row of a question import, as the preview shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuestionPreviewRow {
    pub row: u32,
    pub question_type: QuestionType,
    /// The stem as it will be stored (sanitised rich text).
    pub stem: String,
    pub points: f64,
    /// The category path, if any (created by the import when missing).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
}

/// The outcome of a question import: a preview (`dry_run`) or the committed import. With any
/// error nothing is imported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuestionImportReport {
    pub committed: bool,
    pub total_rows: u32,
    pub imported: u32,
    /// Every problem: row, column (`type`, `stem`, `option_A`…, `answer`, `points`, …) and
    /// reason.
    pub errors: Vec<crate::candidates::ImportRowError>,
    /// The first rows as parsed (at most 100).
    pub preview: Vec<QuestionPreviewRow>,
}

/// A page of questions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuestionPage {
    pub items: Vec<QuestionDto>,
    pub total: i64,
    pub offset: i64,
    pub limit: i64,
}

/// One version in a question's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuestionVersionDto {
    pub version: i32,
    pub content: QuestionContent,
    pub points: f64,
    pub difficulty: i32,
    pub explanation: String,
    pub tags: Vec<String>,
    pub created_at: String,
}

/// `POST /api/question-banks/{id}/attachments`: an uploaded image, audio or video file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttachmentDto {
    pub id: String,
    /// Where it is served: `/api/attachments/<id>` (use it as `src` in question text).
    pub url: String,
    pub mime: String,
    /// Bytes.
    pub size: u64,
}

/// `POST /api/question-banks/{id}/export`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuestionExportRequest {
    /// `xlsx`, `csv`, `gift`, `aiken`, `moodle_xml`, `qti21` or `qti30`.
    #[cfg_attr(feature = "openapi", schema(value_type = crate::schema::QuestionFileFormat))]
    pub format: String,
    /// These questions of the bank; absent: every active question of the bank.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Vec<uuid::Uuid>>))]
    pub question_ids: Option<Vec<String>>,
    /// Only say what the format can hold (`QuestionExportCheck`), without the file.
    #[serde(default)]
    pub check_only: bool,
}

/// What an export would hold: the questions it can write and those the format cannot express.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuestionExportCheck {
    pub exportable: u32,
    pub skipped: Vec<SkippedQuestion>,
}

/// A question an export leaves out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SkippedQuestion {
    pub question_id: String,
    pub question_type: QuestionType,
}
