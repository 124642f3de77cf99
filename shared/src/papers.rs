//! Papers: fixed papers (chosen questions in sections) and random papers (rules that draw
//! questions from banks), and the paper a candidate sees — per-candidate order, no answers.
//!
//! A paper references question *versions*: a fixed paper pins each question's version when it
//! is saved, and a generated (per-candidate) paper pins the versions it drew, so nothing a
//! candidate was given ever changes when a question is edited.

use serde::{Deserialize, Serialize};

use crate::labels::{IdList, Relabel, relabel_choices};
use crate::questions::{Choice, QuestionContent, QuestionType};

/// Most sections in a paper.
pub const MAX_SECTIONS: usize = 20;
/// Most questions in a paper (fixed plus drawn by rules).
pub const MAX_QUESTIONS: usize = 500;
/// Most rules in a section.
pub const MAX_RULES: usize = 50;
/// Most candidates in one pre-generation request.
pub const MAX_PREGENERATE: usize = 5_000;

/// A chosen question of a fixed section.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaperQuestionRef {
    /// A question of the organisation, once per paper (422 `not_found` / `duplicate`
    /// otherwise).
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub question_id: String,
    /// The version to use (one the question has, 422 `not_found` otherwise); absent: the
    /// question's current version when the paper is saved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub version: Option<i32>,
    /// Points in this paper (0.01 to 1,000, in hundredths); absent: the
    /// question's own points.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(minimum = 0.01, maximum = 1000))]
    pub points: Option<f64>,
}

/// A rule of a random section: draw `count` questions of `question_type` from a bank,
/// optionally only from a category (and its sub-categories), with a tag, of a difficulty.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaperRule {
    /// A bank of the organisation (422 `not_found` otherwise).
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub bank_id: String,
    /// A category of that bank (422 `unknown_category` otherwise); empty or absent: any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::schema::IdOrEmpty>))]
    pub category_id: Option<String>,
    /// Only questions with this tag; empty or absent: any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    pub question_type: QuestionType,
    /// 1–5; absent: any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 5))]
    pub difficulty: Option<i32>,
    /// How many questions to draw (1–500); the banks must hold enough (422
    /// `not_enough_questions`).
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 500))]
    pub count: u32,
    /// Points of each drawn question (0.01 to 1,000, in hundredths).
    #[cfg_attr(feature = "openapi", schema(minimum = 0.01, maximum = 1000))]
    pub points: f64,
}

/// A section as written: chosen questions, rules, or both (chosen ones come first).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaperSectionInput {
    /// 1–200 characters.
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 200, pattern = r"\\S")
    )]
    pub title: String,
    /// At most 5,000 characters.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 5000))]
    pub description: String,
    /// With `rules`, at least one of them (422 `empty_section`).
    #[serde(default)]
    pub questions: Vec<PaperQuestionRef>,
    /// At most 50.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 50))]
    pub rules: Vec<PaperRule>,
}

/// `POST /api/papers`, `PUT /api/papers/{id}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaperInput {
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
    /// At most 2,000 characters.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub description: String,
    /// 1–20 sections, at most 500 questions in all (422 `too_many_questions`); the rules must
    /// be satisfiable together (422 `rules_not_satisfiable`).
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 20))]
    pub sections: Vec<PaperSectionInput>,
    /// Shuffle the order of questions within each section, per candidate.
    #[serde(default)]
    pub shuffle_questions: bool,
    /// Shuffle the options of choice questions, per candidate.
    #[serde(default)]
    pub shuffle_options: bool,
}

/// `fixed` when every question is chosen; `random` when any section has rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PaperKind {
    Fixed,
    Random,
}

impl PaperKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PaperKind::Fixed => "fixed",
            PaperKind::Random => "random",
        }
    }

    pub fn parse(s: &str) -> Option<PaperKind> {
        [PaperKind::Fixed, PaperKind::Random]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// A chosen question of a saved paper: its pinned version and what the builder shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaperQuestion {
    pub question_id: String,
    pub version: i32,
    pub points: f64,
    pub question_type: QuestionType,
    /// The stem (or passage) of the pinned version.
    pub stem: String,
    /// A newer version of the question exists (save the paper without `version` to use it).
    pub outdated: bool,
}

/// A rule of a saved paper, with how many questions match it now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaperRuleDto {
    #[serde(flatten)]
    pub rule: PaperRule,
    pub available: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaperSectionDto {
    pub title: String,
    pub description: String,
    pub questions: Vec<PaperQuestion>,
    pub rules: Vec<PaperRuleDto>,
    /// Questions in the section (chosen plus drawn).
    pub question_count: i64,
    pub points: f64,
}

/// A paper.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaperDto {
    pub id: String,
    pub name: String,
    pub description: String,
    pub kind: PaperKind,
    pub sections: Vec<PaperSectionDto>,
    pub shuffle_questions: bool,
    pub shuffle_options: bool,
    pub question_count: i64,
    pub total_points: f64,
    /// Increases with every save; generated papers of older revisions are replaced.
    pub revision: i32,
    /// Per-candidate papers generated for this revision.
    pub generated_count: i64,
    pub created_at: String,
    pub updated_at: String,
}

/// A paper in the list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaperSummary {
    pub id: String,
    pub name: String,
    pub kind: PaperKind,
    pub question_count: i64,
    pub total_points: f64,
    pub updated_at: String,
}

/// `POST /api/papers/check-rules`: can the banks satisfy these rules together (no question
/// drawn twice)?
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RuleCheckRequest {
    /// At most 1,000 (50 rules in each of 20 sections).
    #[cfg_attr(feature = "openapi", schema(max_items = 1000))]
    pub rules: Vec<PaperRule>,
    /// Questions chosen by hand in the same paper (never drawn again).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<uuid::Uuid>))]
    pub exclude_question_ids: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RuleCheckResult {
    /// Questions matching each rule on its own, in the rules' order.
    pub available: Vec<i64>,
    /// All rules can be satisfied at once.
    pub feasible: bool,
    /// Questions required by all rules together.
    pub required: i64,
    /// Most questions the rules can draw at once without repeating one.
    pub satisfiable: i64,
}

/// `POST /api/papers/{id}/generate`: pre-generate per-candidate papers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GenerateRequest {
    /// 1–5,000 candidates of the organisation.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<uuid::Uuid>))]
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 5000))]
    pub candidate_ids: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GenerateResult {
    /// Papers generated now.
    pub generated: i64,
    /// Papers already generated for this revision, kept as they were.
    pub kept: i64,
}

/// A question as a candidate sees it: no answers, options in the candidate's order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum CandidateContent {
    SingleChoice {
        stem: String,
        options: Vec<Choice>,
    },
    MultipleChoice {
        stem: String,
        options: Vec<Choice>,
    },
    TrueFalse {
        stem: String,
    },
    /// The stem marks blanks as `{{1}}`, `{{2}}`, ….
    FillBlank {
        stem: String,
        blanks: u32,
    },
    Essay {
        stem: String,
    },
    /// Items in a shuffled order; the answer is the ids in the right order.
    Ordering {
        stem: String,
        items: Vec<Choice>,
    },
    /// Answers in a shuffled order (some may be distractors).
    Matching {
        stem: String,
        prompts: Vec<Choice>,
        answers: Vec<Choice>,
    },
    Composite {
        passage: String,
        parts: Vec<CandidatePart>,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CandidatePart {
    pub points: f64,
    #[cfg_attr(feature = "openapi", schema(no_recursion))]
    pub content: CandidateContent,
}

impl CandidateContent {
    /// The stem (a composite's passage).
    pub fn stem(&self) -> &str {
        match self {
            CandidateContent::SingleChoice { stem, .. }
            | CandidateContent::MultipleChoice { stem, .. }
            | CandidateContent::TrueFalse { stem }
            | CandidateContent::FillBlank { stem, .. }
            | CandidateContent::Essay { stem }
            | CandidateContent::Ordering { stem, .. }
            | CandidateContent::Matching { stem, .. } => stem,
            CandidateContent::Composite { passage, .. } => passage,
        }
    }

    /// The candidate's view of `content`: answers removed, the options (choice), items
    /// (ordering) or answers (matching) in `order` (authored ids; an empty or mismatched order
    /// keeps the authored order), and every id as `relabel` names it (see
    /// [`crate::labels`]). `parts` gives each composite part's order the same way.
    pub fn of(
        content: &QuestionContent,
        order: &[String],
        parts: &[Vec<String>],
        relabel: &dyn Relabel,
    ) -> Self {
        Self::at(content, order, parts, None, relabel)
    }

    fn at(
        content: &QuestionContent,
        order: &[String],
        parts: &[Vec<String>],
        part: Option<usize>,
        relabel: &dyn Relabel,
    ) -> Self {
        let arrange = |list: &[Choice], kind: IdList| -> Vec<Choice> {
            let mut out: Vec<Choice> = order
                .iter()
                .filter_map(|id| list.iter().find(|c| c.id == *id).cloned())
                .collect();
            if out.len() != list.len() {
                out = list.to_vec();
            }
            relabel_choices(&out, part, kind, relabel)
        };
        match content {
            QuestionContent::SingleChoice { stem, options, .. } => CandidateContent::SingleChoice {
                stem: stem.clone(),
                options: arrange(options, IdList::Options),
            },
            QuestionContent::MultipleChoice { stem, options, .. } => {
                CandidateContent::MultipleChoice {
                    stem: stem.clone(),
                    options: arrange(options, IdList::Options),
                }
            }
            QuestionContent::TrueFalse { stem, .. } => {
                CandidateContent::TrueFalse { stem: stem.clone() }
            }
            QuestionContent::FillBlank { stem, blanks } => CandidateContent::FillBlank {
                stem: stem.clone(),
                blanks: u32::try_from(blanks.len()).unwrap_or(u32::MAX),
            },
            QuestionContent::Essay { stem, .. } => CandidateContent::Essay { stem: stem.clone() },
            QuestionContent::Ordering { stem, items } => CandidateContent::Ordering {
                stem: stem.clone(),
                items: arrange(items, IdList::Items),
            },
            QuestionContent::Matching {
                stem,
                prompts,
                answers,
                ..
            } => CandidateContent::Matching {
                stem: stem.clone(),
                prompts: relabel_choices(prompts, part, IdList::Prompts, relabel),
                answers: arrange(answers, IdList::Answers),
            },
            QuestionContent::Composite { passage, parts: p } => CandidateContent::Composite {
                passage: passage.clone(),
                parts: p
                    .iter()
                    .enumerate()
                    .map(|(i, sub)| CandidatePart {
                        points: sub.points,
                        content: CandidateContent::at(
                            &sub.content,
                            parts.get(i).map_or(&[][..], Vec::as_slice),
                            &[],
                            Some(i),
                            relabel,
                        ),
                    })
                    .collect(),
            },
        }
    }
}

/// One question of a candidate's paper.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CandidateQuestion {
    /// 1, 2, … through the whole paper.
    pub number: u32,
    pub question_id: String,
    pub version: i32,
    pub points: f64,
    pub content: CandidateContent,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CandidateSection {
    pub title: String,
    pub description: String,
    pub questions: Vec<CandidateQuestion>,
}

/// A paper as one candidate sees it (`GET /api/papers/{id}/preview`, a generated paper).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CandidatePaper {
    pub paper_id: String,
    pub name: String,
    /// The seed of the draw and shuffles (the same seed gives the same paper): in the
    /// console's previews only. A candidate's own paper never carries it, since the seed and
    /// the paper's shape would let one replay the shuffles back to the authored order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<String>,
    pub total_points: f64,
    pub sections: Vec<CandidateSection>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::labels::Authored;

    fn choice(id: &str) -> Choice {
        Choice {
            id: id.to_owned(),
            text: format!("<p>{id}</p>"),
        }
    }

    #[test]
    fn the_candidate_view_has_no_answers_and_follows_the_order() {
        let q = QuestionContent::SingleChoice {
            stem: "<p>?</p>".into(),
            options: vec![choice("A"), choice("B"), choice("C")],
            answer: "B".into(),
        };
        let v = CandidateContent::of(&q, &["C".into(), "A".into(), "B".into()], &[], &Authored);
        let json = serde_json::to_string(&v).unwrap_or_default();
        assert!(!json.contains("answer"), "{json}");
        match v {
            CandidateContent::SingleChoice { options, .. } => {
                let ids: Vec<&str> = options.iter().map(|o| o.id.as_str()).collect();
                assert_eq!(ids, ["C", "A", "B"]);
            }
            other => panic!("{other:?}"),
        }
        // A wrong order keeps the authored one rather than losing options.
        let v = CandidateContent::of(&q, &["C".into()], &[], &Authored);
        assert!(matches!(v, CandidateContent::SingleChoice { options, .. } if options.len() == 3));
    }
}
