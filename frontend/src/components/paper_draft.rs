//! The paper builder's working copy: a paper as signals (sections, chosen questions, rules),
//! so each input edits its own value without redrawing the rest, and the conversions to and
//! from the API's DTOs. Numbers the user typed badly are sent as out-of-range values so the
//! server names the field.

use leptos::prelude::*;
use shared::papers::{PaperDto, PaperInput, PaperQuestionRef, PaperRule, PaperSectionInput};
use shared::questions::{BankDto, QuestionDto, QuestionType};

use crate::api::FieldError;
use crate::i18n::{paper_problem_text, use_i18n};

/// A chosen question of a section.
#[derive(Debug, Clone, Copy)]
pub struct QuestionSlot {
    pub key: u64,
    pub question_id: StoredValue<String>,
    pub question_type: QuestionType,
    pub stem: StoredValue<String>,
    /// The pinned version; `None`: the latest when saved.
    pub version: RwSignal<Option<i32>>,
    pub outdated: RwSignal<bool>,
    pub points: RwSignal<String>,
}

impl QuestionSlot {
    /// The points as typed, when they are a number.
    pub fn points_value(&self) -> Option<f64> {
        parse_points(&self.points.get())
    }

    /// A question just picked from a bank: its current version and own points.
    pub fn picked(key: u64, question: &QuestionDto) -> Self {
        QuestionSlot {
            key,
            question_id: StoredValue::new(question.id.clone()),
            question_type: question.content.question_type(),
            stem: StoredValue::new(question.content.stem().to_owned()),
            version: RwSignal::new(None),
            outdated: RwSignal::new(false),
            points: RwSignal::new(number_text(question.points)),
        }
    }
}

/// A rule of a section, every field as the user typed or chose it.
#[derive(Debug, Clone, Copy)]
pub struct RuleSlot {
    pub key: u64,
    pub bank_id: RwSignal<String>,
    pub category_id: RwSignal<String>,
    pub tag: RwSignal<String>,
    /// A question type's wire name.
    pub question_type: RwSignal<String>,
    /// `""` (any) or 1–5.
    pub difficulty: RwSignal<String>,
    pub count: RwSignal<String>,
    pub points: RwSignal<String>,
}

impl RuleSlot {
    fn new(key: u64, bank_id: String) -> Self {
        RuleSlot {
            key,
            bank_id: RwSignal::new(bank_id),
            category_id: RwSignal::new(String::new()),
            tag: RwSignal::new(String::new()),
            question_type: RwSignal::new(QuestionType::SingleChoice.as_str().to_owned()),
            difficulty: RwSignal::new(String::new()),
            count: RwSignal::new("1".to_owned()),
            points: RwSignal::new("1".to_owned()),
        }
    }

    /// The count as typed, when it is a whole number.
    pub fn count_value(&self) -> Option<u32> {
        self.count.get().trim().parse().ok()
    }

    /// The rule as the API takes it (tracked); invalid numbers become out-of-range ones.
    pub fn to_rule(self) -> PaperRule {
        let text = |s: RwSignal<String>| {
            let value = s.get().trim().to_owned();
            (!value.is_empty()).then_some(value)
        };
        PaperRule {
            bank_id: self.bank_id.get(),
            category_id: text(self.category_id),
            tag: text(self.tag),
            question_type: QuestionType::parse(&self.question_type.get())
                .unwrap_or(QuestionType::SingleChoice),
            difficulty: text(self.difficulty).and_then(|d| d.parse().ok()),
            count: self.count_value().unwrap_or(0),
            points: parse_points(&self.points.get()).unwrap_or(-1.0),
        }
    }

    /// The rule, when it is complete enough to ask the server how many questions match.
    pub fn to_checkable(self) -> Option<PaperRule> {
        let rule = self.to_rule();
        (!rule.bank_id.is_empty() && rule.count >= 1 && rule.points >= 0.0).then_some(rule)
    }
}

/// A section of the paper.
#[derive(Debug, Clone, Copy)]
pub struct SectionSlot {
    pub key: u64,
    pub title: RwSignal<String>,
    pub description: RwSignal<String>,
    pub questions: RwSignal<Vec<QuestionSlot>>,
    pub rules: RwSignal<Vec<RuleSlot>>,
}

impl SectionSlot {
    /// Questions (chosen plus drawn) and points of the section (tracked).
    pub fn totals(&self) -> (i64, f64) {
        let mut count = 0;
        let mut points = 0.0;
        self.questions.with(|qs| {
            for q in qs {
                count += 1;
                points += q.points_value().unwrap_or(0.0);
            }
        });
        self.rules.with(|rules| {
            for r in rules {
                let n = r.count_value().unwrap_or(0);
                count += i64::from(n);
                points += f64::from(n) * parse_points(&r.points.get()).unwrap_or(0.0);
            }
        });
        (count, round_points(points))
    }
}

/// The whole paper being built.
#[derive(Debug, Clone, Copy)]
pub struct Draft {
    /// The saved paper's id; `None` until first saved.
    pub id: RwSignal<Option<String>>,
    pub name: RwSignal<String>,
    pub description: RwSignal<String>,
    pub shuffle_questions: RwSignal<bool>,
    pub shuffle_options: RwSignal<bool>,
    pub sections: RwSignal<Vec<SectionSlot>>,
    next_key: StoredValue<u64>,
}

impl Draft {
    /// An empty paper with one empty section titled `first_title`.
    pub fn new(first_title: &str) -> Self {
        let draft = Draft {
            id: RwSignal::new(None),
            name: RwSignal::new(String::new()),
            description: RwSignal::new(String::new()),
            shuffle_questions: RwSignal::new(false),
            shuffle_options: RwSignal::new(false),
            sections: RwSignal::new(Vec::new()),
            next_key: StoredValue::new(0),
        };
        draft.add_section(first_title);
        draft
    }

    /// A key no other slot of this draft has.
    pub fn key(&self) -> u64 {
        self.next_key.update_value(|k| *k += 1);
        self.next_key.get_value()
    }

    pub fn add_section(&self, title: &str) {
        let section = SectionSlot {
            key: self.key(),
            title: RwSignal::new(title.to_owned()),
            description: RwSignal::new(String::new()),
            questions: RwSignal::new(Vec::new()),
            rules: RwSignal::new(Vec::new()),
        };
        self.sections.update(|s| s.push(section));
    }

    /// Adds a rule to `section`, drawing from `bank_id` to begin with.
    pub fn add_rule(&self, section: SectionSlot, bank_id: String) {
        let rule = RuleSlot::new(self.key(), bank_id);
        section.rules.update(|r| r.push(rule));
    }

    /// Replaces everything with the saved `paper`.
    pub fn load(&self, paper: &PaperDto) {
        self.id.set(Some(paper.id.clone()));
        self.name.set(paper.name.clone());
        self.description.set(paper.description.clone());
        self.shuffle_questions.set(paper.shuffle_questions);
        self.shuffle_options.set(paper.shuffle_options);
        let sections = paper
            .sections
            .iter()
            .map(|s| SectionSlot {
                key: self.key(),
                title: RwSignal::new(s.title.clone()),
                description: RwSignal::new(s.description.clone()),
                questions: RwSignal::new(
                    s.questions
                        .iter()
                        .map(|q| QuestionSlot {
                            key: self.key(),
                            question_id: StoredValue::new(q.question_id.clone()),
                            question_type: q.question_type,
                            stem: StoredValue::new(q.stem.clone()),
                            version: RwSignal::new(Some(q.version)),
                            outdated: RwSignal::new(q.outdated),
                            points: RwSignal::new(number_text(q.points)),
                        })
                        .collect(),
                ),
                rules: RwSignal::new(
                    s.rules
                        .iter()
                        .map(|r| {
                            let rule = &r.rule;
                            let slot = RuleSlot::new(self.key(), rule.bank_id.clone());
                            slot.category_id
                                .set(rule.category_id.clone().unwrap_or_default());
                            slot.tag.set(rule.tag.clone().unwrap_or_default());
                            slot.question_type
                                .set(rule.question_type.as_str().to_owned());
                            slot.difficulty
                                .set(rule.difficulty.map(|d| d.to_string()).unwrap_or_default());
                            slot.count.set(rule.count.to_string());
                            slot.points.set(number_text(rule.points));
                            slot
                        })
                        .collect(),
                ),
            })
            .collect();
        self.sections.set(sections);
    }

    /// The paper as the API takes it (untracked).
    pub fn to_input(self) -> PaperInput {
        untrack(|| PaperInput {
            name: self.name.get().trim().to_owned(),
            description: self.description.get(),
            shuffle_questions: self.shuffle_questions.get(),
            shuffle_options: self.shuffle_options.get(),
            sections: self
                .sections
                .get()
                .iter()
                .map(|s| PaperSectionInput {
                    title: s.title.get().trim().to_owned(),
                    description: s.description.get(),
                    questions: s
                        .questions
                        .get()
                        .iter()
                        .map(|q| PaperQuestionRef {
                            question_id: q.question_id.get_value(),
                            version: q.version.get(),
                            points: Some(q.points_value().unwrap_or(-1.0)),
                        })
                        .collect(),
                    rules: s.rules.get().iter().map(|r| r.to_rule()).collect(),
                })
                .collect(),
        })
    }

    /// Every chosen question's id (tracked).
    pub fn chosen_ids(&self) -> Vec<String> {
        self.sections.with(|sections| {
            sections
                .iter()
                .flat_map(|s| s.questions.get())
                .map(|q| q.question_id.get_value())
                .collect()
        })
    }

    /// Questions and points of the whole paper (tracked).
    pub fn totals(&self) -> (i64, f64) {
        self.sections.with(|sections| {
            let (count, points) = sections
                .iter()
                .map(SectionSlot::totals)
                .fold((0, 0.0), |(c, p), (sc, sp)| (c + sc, p + sp));
            (count, round_points(points))
        })
    }
}

/// Moves the item at `from` to `to` (both indexes into `list`).
pub fn move_item<T>(list: &mut Vec<T>, from: usize, to: usize) {
    if from < list.len() && to < list.len() && from != to {
        let item = list.remove(from);
        list.insert(to, item);
    }
}

fn parse_points(text: &str) -> Option<f64> {
    text.trim().parse::<f64>().ok().filter(|p| p.is_finite())
}

/// Points shown without a needless `.0`.
pub fn number_text(value: f64) -> String {
    format!("{}", round_points(value))
}

/// Points to hundredths, as the server keeps them (so sums do not show float noise).
fn round_points(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::{move_item, number_text};

    #[test]
    fn items_move_to_the_place_they_are_dropped_on() {
        let mut list = vec!['a', 'b', 'c', 'd'];
        move_item(&mut list, 0, 2);
        assert_eq!(list, ['b', 'c', 'a', 'd']);
        move_item(&mut list, 3, 0);
        assert_eq!(list, ['d', 'b', 'c', 'a']);
        move_item(&mut list, 9, 0);
        assert_eq!(list, ['d', 'b', 'c', 'a']);
    }

    #[test]
    fn points_read_without_float_noise() {
        assert_eq!(number_text(2.0), "2");
        assert_eq!(number_text(0.1 + 0.2), "0.3");
    }
}

/// What the builder's parts share.
#[derive(Clone, Copy)]
pub struct BuilderCtx {
    pub draft: Draft,
    /// The invalid fields of the last save, by the API's paths (`sections[0].rules[1].count`).
    pub errors: RwSignal<Vec<FieldError>>,
    /// The organisation's banks, for the picker and the rules.
    pub banks: RwSignal<Vec<BankDto>>,
    /// The last answer of the live rule check.
    pub live: RwSignal<LiveCheck>,
    /// The section whose question picker is open.
    pub picking: RwSignal<Option<u64>>,
    /// The chosen question being dragged.
    pub dragging: RwSignal<Option<u64>>,
    pub can_write: Memo<bool>,
}

/// How many questions each rule matches, and whether all rules can be met together.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LiveCheck {
    /// Rule key and the questions matching it on its own.
    pub available: Vec<(u64, i64)>,
    /// `None` while there is nothing to check (or the check failed).
    pub feasible: Option<bool>,
    pub pending: bool,
    pub failed: Option<String>,
}

impl LiveCheck {
    pub fn available_for(&self, key: u64) -> Option<i64> {
        self.available
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, n)| *n)
    }
}

/// The problems the last save found with the field at `path`, each worded, as
/// `field-error-<path>` with `data-reason`.
#[component]
pub fn PathError(
    #[prop(into)] path: Signal<String>,
    errors: RwSignal<Vec<FieldError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let path = path.get();
        errors.with(|errors| {
            errors
                .iter()
                .filter(|e| e.field == path)
                .map(|e| {
                    let reason = e.reason.clone();
                    let text = paper_problem_text(&reason, i18n.lang());
                    view! {
                        <p class="field__error" data-testid=format!("field-error-{path}") data-reason=reason>
                            {text}
                        </p>
                    }
                })
                .collect_view()
        })
    }
}
