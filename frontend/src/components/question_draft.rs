//! The question editor's draft: what the form holds (text as typed), how it becomes a
//! [`QuestionInput`] and back, and the problems `QuestionContent::validate` (the server's own
//! check) and the points/difficulty rules find in it, by the API's field paths.

use shared::questions::{
    Blank, Choice, QuestionContent, QuestionDto, QuestionInput, QuestionType, valid_points,
};

use crate::api::FieldError;

/// One blank as the form holds it: alternatives separated by `;`, the tolerance as typed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BlankDraft {
    pub answers: String,
    pub case_sensitive: bool,
    pub exact_spaces: bool,
    pub width_sensitive: bool,
    pub tolerance: String,
}

impl BlankDraft {
    fn from_blank(blank: &Blank) -> Self {
        BlankDraft {
            answers: blank.answers.join(";"),
            case_sensitive: blank.case_sensitive,
            exact_spaces: blank.exact_spaces,
            width_sensitive: blank.width_sensitive,
            tolerance: blank
                .numeric_tolerance
                .map(|t| t.to_string())
                .unwrap_or_default(),
        }
    }

    /// The blank; a tolerance that is not a number becomes NaN, which validation refuses.
    pub fn to_blank(&self) -> Blank {
        let tolerance = self.tolerance.trim();
        Blank {
            answers: self
                .answers
                .split([';', '；'])
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .map(str::to_owned)
                .collect(),
            case_sensitive: self.case_sensitive,
            exact_spaces: self.exact_spaces,
            width_sensitive: self.width_sensitive,
            numeric_tolerance: (!tolerance.is_empty())
                .then(|| tolerance.parse::<f64>().unwrap_or(f64::NAN)),
        }
    }
}

/// Everything the editor form holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub question_type: QuestionType,
    pub stem: String,
    /// Options of a choice question, or items of an ordering question (in order).
    pub options: Vec<Choice>,
    /// The correct option ids (one for single choice).
    pub correct: Vec<String>,
    pub truth: bool,
    pub blanks: Vec<BlankDraft>,
    pub reference_answer: String,
    pub points: String,
    pub difficulty: String,
    pub explanation: String,
    pub tags: String,
    pub category_id: String,
    /// The content of a type the form cannot edit (matching, composite), kept as it was.
    pub kept: Option<QuestionContent>,
}

/// The ids given to options: `A`, `B`, … then `O27`, ….
pub fn option_id(index: usize) -> String {
    u8::try_from(index)
        .ok()
        .filter(|i| *i < 26)
        .map(|i| char::from(b'A' + i).to_string())
        .unwrap_or_else(|| format!("O{}", index + 1))
}

fn fresh_options(n: usize) -> Vec<Choice> {
    (0..n)
        .map(|i| Choice {
            id: option_id(i),
            text: String::new(),
        })
        .collect()
}

impl Default for Draft {
    fn default() -> Self {
        Draft {
            question_type: QuestionType::SingleChoice,
            stem: String::new(),
            options: fresh_options(4),
            correct: Vec::new(),
            truth: true,
            blanks: vec![BlankDraft::default()],
            reference_answer: String::new(),
            points: "1".to_owned(),
            difficulty: "3".to_owned(),
            explanation: String::new(),
            tags: String::new(),
            category_id: String::new(),
            kept: None,
        }
    }
}

/// Whether the form edits this type's content (the others keep theirs).
pub fn editable(question_type: QuestionType) -> bool {
    !matches!(
        question_type,
        QuestionType::Matching | QuestionType::Composite
    )
}

impl Draft {
    pub fn from_question(question: &QuestionDto) -> Self {
        let mut draft = Draft {
            question_type: question.content.question_type(),
            stem: question.content.stem().to_owned(),
            points: question.points.to_string(),
            difficulty: question.difficulty.to_string(),
            explanation: question.explanation.clone(),
            tags: question.tags.join(", "),
            category_id: question.category_id.clone().unwrap_or_default(),
            ..Draft::default()
        };
        match &question.content {
            QuestionContent::SingleChoice {
                options, answer, ..
            } => {
                draft.options = options.clone();
                draft.correct = vec![answer.clone()];
            }
            QuestionContent::MultipleChoice {
                options, answers, ..
            } => {
                draft.options = options.clone();
                draft.correct = answers.clone();
            }
            QuestionContent::TrueFalse { answer, .. } => draft.truth = *answer,
            QuestionContent::FillBlank { blanks, .. } => {
                draft.blanks = blanks.iter().map(BlankDraft::from_blank).collect();
            }
            QuestionContent::Essay {
                reference_answer, ..
            } => draft.reference_answer = reference_answer.clone(),
            QuestionContent::Ordering { items, .. } => draft.options = items.clone(),
            other => draft.kept = Some(other.clone()),
        }
        draft
    }

    /// The content the form describes. An essay's rubric is not edited here and is kept.
    pub fn content(&self, rubric: &[shared::questions::RubricItem]) -> QuestionContent {
        let stem = self.stem.clone();
        match self.question_type {
            QuestionType::SingleChoice => QuestionContent::SingleChoice {
                stem,
                options: self.options.clone(),
                answer: self.correct.first().cloned().unwrap_or_default(),
            },
            QuestionType::MultipleChoice => QuestionContent::MultipleChoice {
                stem,
                options: self.options.clone(),
                answers: self
                    .options
                    .iter()
                    .filter(|o| self.correct.contains(&o.id))
                    .map(|o| o.id.clone())
                    .collect(),
            },
            QuestionType::TrueFalse => QuestionContent::TrueFalse {
                stem,
                answer: self.truth,
            },
            QuestionType::FillBlank => QuestionContent::FillBlank {
                stem,
                blanks: self.blanks.iter().map(BlankDraft::to_blank).collect(),
            },
            QuestionType::Essay => QuestionContent::Essay {
                stem,
                reference_answer: self.reference_answer.clone(),
                rubric: rubric.to_vec(),
            },
            QuestionType::Ordering => QuestionContent::Ordering {
                stem,
                items: self.options.clone(),
            },
            QuestionType::Matching | QuestionType::Composite => {
                self.kept.clone().unwrap_or(QuestionContent::Essay {
                    stem,
                    reference_answer: String::new(),
                    rubric: Vec::new(),
                })
            }
        }
    }

    /// The request, or every problem found (by the API's field paths) without sending it.
    pub fn to_input(
        &self,
        rubric: &[shared::questions::RubricItem],
    ) -> Result<QuestionInput, Vec<FieldError>> {
        let content = self.content(rubric);
        let mut problems: Vec<FieldError> = content
            .validate("content")
            .into_iter()
            .map(|p| FieldError {
                field: p.field,
                reason: p.reason.to_owned(),
            })
            .collect();
        let mut problem = |field: &str, reason: &str| {
            problems.push(FieldError {
                field: field.to_owned(),
                reason: reason.to_owned(),
            })
        };
        let points = self.points.trim().parse::<f64>().unwrap_or(f64::NAN);
        if !valid_points(points) {
            problem("points", "out_of_range");
        }
        let difficulty = self.difficulty.trim().parse::<i32>().unwrap_or(0);
        if !(1..=5).contains(&difficulty) {
            problem("difficulty", "out_of_range");
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(QuestionInput {
            content,
            points,
            difficulty,
            explanation: self.explanation.clone(),
            tags: self
                .tags
                .split([',', '，'])
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_owned)
                .collect(),
            category_id: (!self.category_id.is_empty()).then(|| self.category_id.clone()),
        })
    }

    /// Switches type, keeping the stem and giving the new type sensible starting fields.
    pub fn set_type(&mut self, question_type: QuestionType) {
        if self.question_type == question_type {
            return;
        }
        let was_choice = matches!(
            self.question_type,
            QuestionType::SingleChoice | QuestionType::MultipleChoice
        );
        self.question_type = question_type;
        self.kept = None;
        if question_type == QuestionType::SingleChoice {
            self.correct.truncate(1);
        }
        if !was_choice && self.options.len() < 2 {
            self.options = fresh_options(4);
        }
        if self.blanks.is_empty() {
            self.blanks.push(BlankDraft::default());
        }
    }

    /// Adds an option (or item) with the next free id.
    pub fn add_option(&mut self) {
        let id = (0..)
            .map(option_id)
            .find(|id| !self.options.iter().any(|o| o.id == *id))
            .unwrap_or_default();
        self.options.push(Choice {
            id,
            text: String::new(),
        });
    }

    pub fn remove_option(&mut self, index: usize) {
        if index < self.options.len() {
            let removed = self.options.remove(index);
            self.correct.retain(|c| *c != removed.id);
        }
    }

    /// Marks an option correct: the only one for single choice, toggled for multiple choice.
    pub fn toggle_correct(&mut self, id: &str) {
        if self.question_type == QuestionType::SingleChoice {
            self.correct = vec![id.to_owned()];
        } else if let Some(at) = self.correct.iter().position(|c| c == id) {
            self.correct.remove(at);
        } else {
            self.correct.push(id.to_owned());
        }
    }
}

#[cfg(test)]
mod tests {
    use shared::questions::QuestionType;

    use super::{BlankDraft, Draft, option_id};

    fn fields(draft: &Draft) -> Vec<(String, String)> {
        match draft.to_input(&[]) {
            Ok(_) => Vec::new(),
            Err(problems) => problems.into_iter().map(|p| (p.field, p.reason)).collect(),
        }
    }

    #[test]
    fn an_empty_single_choice_names_its_stem_options_and_answer() {
        let found = fields(&Draft::default());
        for field in ["content.stem", "content.options[0].text", "content.answer"] {
            assert!(
                found.iter().any(|(f, _)| f == field),
                "{field} in {found:?}"
            );
        }
    }

    #[test]
    fn a_complete_single_choice_becomes_a_request() {
        let mut draft = Draft {
            stem: "<p>2 + 2 = ?</p>".to_owned(),
            ..Draft::default()
        };
        for (i, text) in ["3", "4", "5", "6"].iter().enumerate() {
            draft.options[i].text = (*text).to_owned();
        }
        draft.toggle_correct("B");
        draft.tags = "math, easy".to_owned();
        let input = draft.to_input(&[]).expect("valid");
        assert_eq!(input.tags, vec!["math", "easy"]);
        assert_eq!(input.difficulty, 3);
    }

    #[test]
    fn fill_blank_markers_must_match_the_blanks_and_alternatives_split_on_semicolons() {
        let mut draft = Draft {
            question_type: QuestionType::FillBlank,
            stem: "The capital of France is {{1}}.".to_owned(),
            blanks: vec![BlankDraft::default(), BlankDraft::default()],
            ..Draft::default()
        };
        draft.blanks[0].answers = "Paris; paris".to_owned();
        draft.blanks[1].answers = "x".to_owned();
        assert!(
            fields(&draft)
                .iter()
                .any(|(f, r)| f == "content.stem" && r == "blank_markers_mismatch")
        );
        draft.blanks.pop();
        let input = draft.to_input(&[]).expect("valid");
        let shared::questions::QuestionContent::FillBlank { blanks, .. } = input.content else {
            panic!("not a fill-in-blank");
        };
        assert_eq!(blanks[0].answers, vec!["Paris", "paris"]);
    }

    #[test]
    fn a_tolerance_that_is_not_a_number_is_refused() {
        let mut draft = Draft {
            question_type: QuestionType::FillBlank,
            stem: "{{1}}".to_owned(),
            ..Draft::default()
        };
        draft.blanks[0].answers = "3.14".to_owned();
        draft.blanks[0].tolerance = "abc".to_owned();
        assert!(
            fields(&draft)
                .iter()
                .any(|(f, _)| f == "content.blanks[0].numeric_tolerance")
        );
    }

    #[test]
    fn points_and_difficulty_are_checked() {
        let draft = Draft {
            points: "0".to_owned(),
            difficulty: "9".to_owned(),
            ..Draft::default()
        };
        let found = fields(&draft);
        assert!(found.iter().any(|(f, _)| f == "points"));
        assert!(found.iter().any(|(f, _)| f == "difficulty"));
    }

    #[test]
    fn option_ids_are_letters_then_numbered() {
        assert_eq!(option_id(0), "A");
        assert_eq!(option_id(25), "Z");
        assert_eq!(option_id(26), "O27");
    }
}
