//! The ids a candidate sees: options, ordering items, matching prompts and answers carry
//! candidate-facing labels instead of their authored ids.
//!
//! Authored ids often carry the key: ordering items are authored in the right order (`1`, `2`,
//! `3`), matching prompts and answers imported from GIFT or Moodle pair up by position (`1`↔`a`,
//! `2`↔`b`), and many imports put the correct option first (`A`). So nothing sent to a candidate
//! names an authored id: the server labels each id with a keyed MAC of the attempt, question,
//! part, list and authored id ([`Relabel`]), and maps the candidate's answers back before it
//! stores or grades them ([`answer_to_authored`]). The console's previews use [`Authored`].

use std::collections::{BTreeMap, HashMap};

use crate::exams::AnswerValue;
use crate::questions::{Choice, Pair, QuestionContent};

/// Which list of a question an id belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IdList {
    /// Options of a single or multiple choice question.
    Options,
    /// Items of an ordering question.
    Items,
    /// Prompts of a matching question.
    Prompts,
    /// Answers of a matching question.
    Answers,
}

impl IdList {
    pub fn as_str(self) -> &'static str {
        match self {
            IdList::Options => "options",
            IdList::Items => "items",
            IdList::Prompts => "prompts",
            IdList::Answers => "answers",
        }
    }
}

/// Names the candidate-facing label of an authored id. `part` is the index of a composite
/// question's part (`None` for the question itself). Labels must be distinct within one list.
pub trait Relabel {
    fn label(&self, part: Option<usize>, list: IdList, authored: &str) -> String;
}

/// Authored ids as they are: the console's previews, which the organisation may see.
#[derive(Debug, Clone, Copy, Default)]
pub struct Authored;

impl Relabel for Authored {
    fn label(&self, _: Option<usize>, _: IdList, authored: &str) -> String {
        authored.to_owned()
    }
}

/// A list's choices with their ids relabelled, in the same order.
pub fn relabel_choices(
    list: &[Choice],
    part: Option<usize>,
    kind: IdList,
    relabel: &dyn Relabel,
) -> Vec<Choice> {
    list.iter()
        .map(|c| Choice {
            id: relabel.label(part, kind, &c.id),
            text: c.text.clone(),
        })
        .collect()
}

/// `content` with every id relabelled (keys included): what an answer review shows beside the
/// candidate's paper, so both name the same ids.
pub fn content_to_candidate(content: &QuestionContent, relabel: &dyn Relabel) -> QuestionContent {
    content_at(content, None, relabel)
}

fn content_at(
    content: &QuestionContent,
    part: Option<usize>,
    relabel: &dyn Relabel,
) -> QuestionContent {
    let l = |list: IdList, id: &str| relabel.label(part, list, id);
    match content {
        QuestionContent::SingleChoice {
            stem,
            options,
            answer,
        } => QuestionContent::SingleChoice {
            stem: stem.clone(),
            options: relabel_choices(options, part, IdList::Options, relabel),
            answer: l(IdList::Options, answer),
        },
        QuestionContent::MultipleChoice {
            stem,
            options,
            answers,
        } => QuestionContent::MultipleChoice {
            stem: stem.clone(),
            options: relabel_choices(options, part, IdList::Options, relabel),
            answers: answers.iter().map(|a| l(IdList::Options, a)).collect(),
        },
        QuestionContent::Ordering { stem, items } => QuestionContent::Ordering {
            stem: stem.clone(),
            items: relabel_choices(items, part, IdList::Items, relabel),
        },
        QuestionContent::Matching {
            stem,
            prompts,
            answers,
            pairs,
        } => QuestionContent::Matching {
            stem: stem.clone(),
            prompts: relabel_choices(prompts, part, IdList::Prompts, relabel),
            answers: relabel_choices(answers, part, IdList::Answers, relabel),
            pairs: pairs
                .iter()
                .map(|p| Pair {
                    prompt: l(IdList::Prompts, &p.prompt),
                    answer: l(IdList::Answers, &p.answer),
                })
                .collect(),
        },
        QuestionContent::Composite { passage, parts } => QuestionContent::Composite {
            passage: passage.clone(),
            parts: parts
                .iter()
                .enumerate()
                .map(|(i, p)| crate::questions::Part {
                    content: content_at(&p.content, Some(i), relabel),
                    points: p.points,
                })
                .collect(),
        },
        other => other.clone(),
    }
}

/// A stored answer (authored ids) as the candidate's labels. Ids the question does not have
/// are labelled all the same (they never match anything either way).
pub fn answer_to_candidate(
    content: &QuestionContent,
    answer: &AnswerValue,
    relabel: &dyn Relabel,
) -> AnswerValue {
    map_answer(content, answer, None, &mut |part, list, id| {
        Some(relabel.label(part, list, id))
    })
    .unwrap_or_else(|| answer.clone())
}

/// The candidate's answer (labels) in authored ids, for storing and grading. `None` when it
/// names a label the question does not have (`unknown_id`).
pub fn answer_to_authored(
    content: &QuestionContent,
    answer: &AnswerValue,
    relabel: &dyn Relabel,
) -> Option<AnswerValue> {
    let mut tables: HashMap<(Option<usize>, IdList), HashMap<String, String>> = HashMap::new();
    let mut lookup = |part: Option<usize>, list: IdList, label: &str| -> Option<String> {
        let table = tables.entry((part, list)).or_insert_with(|| {
            list_of(content, part, list)
                .iter()
                .map(|c| (relabel.label(part, list, &c.id), c.id.clone()))
                .collect()
        });
        table.get(label).cloned()
    };
    map_answer(content, answer, None, &mut lookup)
}

/// The authored choices of `list` in `content` (or in its part `part`).
fn list_of(content: &QuestionContent, part: Option<usize>, list: IdList) -> &[Choice] {
    let content = match (part, content) {
        (Some(i), QuestionContent::Composite { parts, .. }) => match parts.get(i) {
            Some(p) => &p.content,
            None => return &[],
        },
        (Some(_), _) => return &[],
        (None, c) => c,
    };
    match (content, list) {
        (QuestionContent::SingleChoice { options, .. }, IdList::Options)
        | (QuestionContent::MultipleChoice { options, .. }, IdList::Options) => options,
        (QuestionContent::Ordering { items, .. }, IdList::Items) => items,
        (QuestionContent::Matching { prompts, .. }, IdList::Prompts) => prompts,
        (QuestionContent::Matching { answers, .. }, IdList::Answers) => answers,
        _ => &[],
    }
}

/// Maps one id of a list (of a part) to another, or `None` when it has no counterpart.
type IdMap<'a> = dyn FnMut(Option<usize>, IdList, &str) -> Option<String> + 'a;

/// `answer` with each id passed through `map`; `None` as soon as `map` gives `None`. An
/// answer of another type than the question's is returned as it is (its shape check refuses
/// it later).
fn map_answer(
    content: &QuestionContent,
    answer: &AnswerValue,
    part: Option<usize>,
    map: &mut IdMap<'_>,
) -> Option<AnswerValue> {
    Some(match (content, answer) {
        (QuestionContent::SingleChoice { .. }, AnswerValue::SingleChoice { choice }) => {
            AnswerValue::SingleChoice {
                choice: map(part, IdList::Options, choice)?,
            }
        }
        (QuestionContent::MultipleChoice { .. }, AnswerValue::MultipleChoice { choices }) => {
            AnswerValue::MultipleChoice {
                choices: choices
                    .iter()
                    .map(|c| map(part, IdList::Options, c))
                    .collect::<Option<_>>()?,
            }
        }
        (QuestionContent::Ordering { .. }, AnswerValue::Ordering { order }) => {
            AnswerValue::Ordering {
                order: order
                    .iter()
                    .map(|c| map(part, IdList::Items, c))
                    .collect::<Option<_>>()?,
            }
        }
        (QuestionContent::Matching { .. }, AnswerValue::Matching { pairs }) => {
            let mut out = BTreeMap::new();
            for (prompt, answer) in pairs {
                out.insert(
                    map(part, IdList::Prompts, prompt)?,
                    map(part, IdList::Answers, answer)?,
                );
            }
            AnswerValue::Matching { pairs: out }
        }
        (QuestionContent::Composite { parts, .. }, AnswerValue::Composite { parts: given })
            if part.is_none() =>
        {
            let mut out = Vec::with_capacity(given.len());
            for (i, g) in given.iter().enumerate() {
                out.push(match (parts.get(i), g) {
                    (Some(p), Some(g)) => Some(map_answer(&p.content, g, Some(i), map)?),
                    (_, g) => g.clone(),
                });
            }
            AnswerValue::Composite { parts: out }
        }
        (_, other) => other.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questions::Part;

    /// A test labeller: `x-` + the reversed authored id, different per list and part.
    struct Reverse;
    impl Relabel for Reverse {
        fn label(&self, part: Option<usize>, list: IdList, authored: &str) -> String {
            format!(
                "{}{}-{}",
                list.as_str(),
                part.map(|p| p.to_string()).unwrap_or_default(),
                authored.chars().rev().collect::<String>()
            )
        }
    }

    fn choices(ids: &[&str]) -> Vec<Choice> {
        ids.iter()
            .map(|id| Choice {
                id: (*id).to_owned(),
                text: format!("<p>{id}</p>"),
            })
            .collect()
    }

    fn matching() -> QuestionContent {
        QuestionContent::Matching {
            stem: "m".into(),
            prompts: choices(&["1", "2"]),
            answers: choices(&["a", "b", "c"]),
            pairs: vec![
                Pair {
                    prompt: "1".into(),
                    answer: "a".into(),
                },
                Pair {
                    prompt: "2".into(),
                    answer: "b".into(),
                },
            ],
        }
    }

    #[test]
    fn answers_go_to_labels_and_back_for_every_list() {
        let composite = QuestionContent::Composite {
            passage: "p".into(),
            parts: vec![
                Part {
                    content: QuestionContent::Ordering {
                        stem: "o".into(),
                        items: choices(&["1", "2", "3"]),
                    },
                    points: 1.0,
                },
                Part {
                    content: matching(),
                    points: 1.0,
                },
            ],
        };
        let authored = AnswerValue::Composite {
            parts: vec![
                Some(AnswerValue::Ordering {
                    order: vec!["2".into(), "1".into(), "3".into()],
                }),
                Some(AnswerValue::Matching {
                    pairs: [("1".into(), "c".into()), ("2".into(), "a".into())].into(),
                }),
            ],
        };
        let shown = answer_to_candidate(&composite, &authored, &Reverse);
        let json = serde_json::to_string(&shown).unwrap_or_default();
        assert!(
            json.contains("items0-2") && json.contains("prompts1-1"),
            "{json}"
        );
        assert_eq!(
            answer_to_authored(&composite, &shown, &Reverse),
            Some(authored)
        );
    }

    #[test]
    fn an_unknown_label_or_an_authored_id_is_refused() {
        let q = QuestionContent::SingleChoice {
            stem: "s".into(),
            options: choices(&["A", "B"]),
            answer: "A".into(),
        };
        let authored = AnswerValue::SingleChoice { choice: "A".into() };
        assert_eq!(answer_to_authored(&q, &authored, &Reverse), None);
        let label = AnswerValue::SingleChoice {
            choice: "options-B".into(),
        };
        assert_eq!(
            answer_to_authored(&q, &label, &Reverse),
            Some(AnswerValue::SingleChoice { choice: "B".into() })
        );
    }

    #[test]
    fn the_relabelled_key_pairs_the_relabelled_lists() {
        let QuestionContent::Matching {
            prompts,
            answers,
            pairs,
            ..
        } = content_to_candidate(&matching(), &Reverse)
        else {
            panic!("not matching");
        };
        assert_eq!(prompts[0].id, "prompts-1");
        assert_eq!(answers[2].id, "answers-c");
        assert_eq!(pairs[1].prompt, "prompts-2");
        assert_eq!(pairs[1].answer, "answers-b");
    }
}
