//! The question editor's draft: what the form holds (text as typed), how it becomes a
//! [`QuestionInput`] and back, and the problems `QuestionContent::validate` (the server's own
//! check) and the points/difficulty rules find in it, by the API's field paths.

use shared::questions::{
    Blank, Choice, Pair, Part, QuestionContent, QuestionDto, QuestionInput, QuestionType,
    RubricItem, valid_points,
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

/// One scoring criterion of an essay as the form holds it (points as typed).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RubricDraft {
    pub criterion: String,
    pub points: String,
}

/// One part of a composite question: its own draft (never composite) and its points as typed.
#[derive(Debug, Clone, PartialEq)]
pub struct PartDraft {
    pub draft: Draft,
    pub points: String,
}

impl Default for PartDraft {
    fn default() -> Self {
        PartDraft {
            draft: Draft::default(),
            points: "1".to_owned(),
        }
    }
}

/// Everything the editor form holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub question_type: QuestionType,
    /// The stem, or the passage of a composite question.
    pub stem: String,
    /// Options of a choice question, or items of an ordering question (in order).
    pub options: Vec<Choice>,
    /// The correct option ids (one for single choice).
    pub correct: Vec<String>,
    pub truth: bool,
    pub blanks: Vec<BlankDraft>,
    pub reference_answer: String,
    pub rubric: Vec<RubricDraft>,
    /// The left-hand side of a matching question.
    pub prompts: Vec<Choice>,
    /// The right-hand side of a matching question, distractors included.
    pub match_answers: Vec<Choice>,
    /// For each prompt (by position), the id of its answer; empty while none is chosen.
    pub pairs: Vec<String>,
    pub parts: Vec<PartDraft>,
    pub points: String,
    pub difficulty: String,
    pub explanation: String,
    pub tags: String,
    pub category_id: String,
}

/// The ids given to options: `A`, `B`, … then `O27`, ….
pub fn option_id(index: usize) -> String {
    u8::try_from(index)
        .ok()
        .filter(|i| *i < 26)
        .map(|i| char::from(b'A' + i).to_string())
        .unwrap_or_else(|| format!("O{}", index + 1))
}

/// The ids given to matching prompts: `1`, `2`, ….
pub fn prompt_id(index: usize) -> String {
    (index + 1).to_string()
}

/// The ids given to matching answers: `a`, `b`, … then `a27`, ….
pub fn match_answer_id(index: usize) -> String {
    u8::try_from(index)
        .ok()
        .filter(|i| *i < 26)
        .map(|i| char::from(b'a' + i).to_string())
        .unwrap_or_else(|| format!("a{}", index + 1))
}

fn fresh(n: usize, id: fn(usize) -> String) -> Vec<Choice> {
    (0..n)
        .map(|i| Choice {
            id: id(i),
            text: String::new(),
        })
        .collect()
}

/// The next id of `id`'s sequence that no entry of `list` has yet.
fn next_id(list: &[Choice], id: fn(usize) -> String) -> String {
    (0..)
        .map(id)
        .find(|candidate| !list.iter().any(|c| c.id == *candidate))
        .unwrap_or_default()
}

/// Points as typed; what is not a number becomes NaN, which validation refuses.
fn parse_points(text: &str) -> f64 {
    text.trim().parse::<f64>().unwrap_or(f64::NAN)
}

impl Default for Draft {
    fn default() -> Self {
        Draft {
            question_type: QuestionType::SingleChoice,
            stem: String::new(),
            options: fresh(4, option_id),
            correct: Vec::new(),
            truth: true,
            blanks: vec![BlankDraft::default()],
            reference_answer: String::new(),
            rubric: Vec::new(),
            prompts: Vec::new(),
            match_answers: Vec::new(),
            pairs: Vec::new(),
            parts: Vec::new(),
            points: "1".to_owned(),
            difficulty: "3".to_owned(),
            explanation: String::new(),
            tags: String::new(),
            category_id: String::new(),
        }
    }
}

impl Draft {
    pub fn from_question(question: &QuestionDto) -> Self {
        Draft {
            points: question.points.to_string(),
            difficulty: question.difficulty.to_string(),
            explanation: question.explanation.clone(),
            tags: question.tags.join(", "),
            category_id: question.category_id.clone().unwrap_or_default(),
            ..Draft::from_content(&question.content)
        }
    }

    /// The draft of some content (the question-level fields at their defaults).
    pub fn from_content(content: &QuestionContent) -> Self {
        let mut draft = Draft {
            question_type: content.question_type(),
            stem: content.stem().to_owned(),
            ..Draft::default()
        };
        match content {
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
                reference_answer,
                rubric,
                ..
            } => {
                draft.reference_answer = reference_answer.clone();
                draft.rubric = rubric
                    .iter()
                    .map(|r| RubricDraft {
                        criterion: r.criterion.clone(),
                        points: r.points.to_string(),
                    })
                    .collect();
            }
            QuestionContent::Ordering { items, .. } => draft.options = items.clone(),
            QuestionContent::Matching {
                prompts,
                answers,
                pairs,
                ..
            } => {
                draft.pairs = prompts
                    .iter()
                    .map(|p| {
                        pairs
                            .iter()
                            .find(|pair| pair.prompt == p.id)
                            .map(|pair| pair.answer.clone())
                            .unwrap_or_default()
                    })
                    .collect();
                draft.prompts = prompts.clone();
                draft.match_answers = answers.clone();
            }
            QuestionContent::Composite { parts, .. } => {
                draft.parts = parts
                    .iter()
                    .map(|p| PartDraft {
                        draft: Draft::from_content(&p.content),
                        points: p.points.to_string(),
                    })
                    .collect();
            }
        }
        draft
    }

    /// The content the form describes.
    pub fn content(&self) -> QuestionContent {
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
                rubric: self
                    .rubric
                    .iter()
                    .map(|r| RubricItem {
                        criterion: r.criterion.trim().to_owned(),
                        points: parse_points(&r.points),
                    })
                    .collect(),
            },
            QuestionType::Ordering => QuestionContent::Ordering {
                stem,
                items: self.options.clone(),
            },
            QuestionType::Matching => QuestionContent::Matching {
                stem,
                prompts: self.prompts.clone(),
                answers: self.match_answers.clone(),
                pairs: self
                    .prompts
                    .iter()
                    .zip(&self.pairs)
                    .filter(|(_, answer)| !answer.is_empty())
                    .map(|(prompt, answer)| Pair {
                        prompt: prompt.id.clone(),
                        answer: answer.clone(),
                    })
                    .collect(),
            },
            QuestionType::Composite => QuestionContent::Composite {
                passage: stem,
                parts: self
                    .parts
                    .iter()
                    .map(|p| Part {
                        content: p.draft.content(),
                        points: parse_points(&p.points),
                    })
                    .collect(),
            },
        }
    }

    /// The request, or every problem found (by the API's field paths) without sending it.
    pub fn to_input(&self) -> Result<QuestionInput, Vec<FieldError>> {
        let content = self.content();
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
        let points = parse_points(&self.points);
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
        if question_type == QuestionType::SingleChoice {
            self.correct.truncate(1);
        }
        if !was_choice && self.options.len() < 2 {
            self.options = fresh(4, option_id);
        }
        if self.blanks.is_empty() {
            self.blanks.push(BlankDraft::default());
        }
        if question_type == QuestionType::Matching && self.prompts.is_empty() {
            self.prompts = fresh(2, prompt_id);
            self.pairs = vec![String::new(); 2];
            if self.match_answers.len() < 2 {
                self.match_answers = fresh(3, match_answer_id);
            }
        }
        if question_type == QuestionType::Composite && self.parts.is_empty() {
            self.parts.push(PartDraft::default());
        }
    }

    /// Adds an option (or item) with the next free id.
    pub fn add_option(&mut self) {
        let id = next_id(&self.options, option_id);
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

    /// Adds a matching prompt, with no answer chosen yet.
    pub fn add_prompt(&mut self) {
        let id = next_id(&self.prompts, prompt_id);
        self.prompts.push(Choice {
            id,
            text: String::new(),
        });
        self.pairs.resize(self.prompts.len(), String::new());
    }

    pub fn remove_prompt(&mut self, index: usize) {
        if index < self.prompts.len() {
            self.prompts.remove(index);
            if index < self.pairs.len() {
                self.pairs.remove(index);
            }
        }
    }

    /// Adds a matching answer (a distractor until a prompt chooses it).
    pub fn add_match_answer(&mut self) {
        let id = next_id(&self.match_answers, match_answer_id);
        self.match_answers.push(Choice {
            id,
            text: String::new(),
        });
    }

    /// Removes a matching answer; prompts that had chosen it have none again.
    pub fn remove_match_answer(&mut self, index: usize) {
        if index < self.match_answers.len() {
            let removed = self.match_answers.remove(index);
            for pair in &mut self.pairs {
                if *pair == removed.id {
                    pair.clear();
                }
            }
        }
    }

    /// Chooses the answer of the prompt at `index` (empty: none).
    pub fn set_pair(&mut self, index: usize, answer: String) {
        if self.pairs.len() < self.prompts.len() {
            self.pairs.resize(self.prompts.len(), String::new());
        }
        if let Some(pair) = self.pairs.get_mut(index) {
            *pair = answer;
        }
    }

    /// Swaps the part at `index` with the one before it (`up`) or after it.
    pub fn move_part(&mut self, index: usize, up: bool) {
        let other = if up {
            index.checked_sub(1)
        } else {
            Some(index + 1)
        };
        if let Some(other) = other
            && index < self.parts.len()
            && other < self.parts.len()
        {
            self.parts.swap(index, other);
        }
    }
}

#[cfg(test)]
mod tests;
