//! Automatic grading: a pure function from a question version, its points and a candidate's
//! answer to the points earned. Objective types are graded here; essays (alone or inside a
//! composite) wait for a person.
//!
//! Credit rules: multiple choice is proportional, (correct chosen − wrong chosen) / correct,
//! never below 0; fill-in-blank splits the points evenly between blanks; ordering is all or
//! nothing; matching splits the points evenly between prompts; a composite scales each part's
//! points to the question's points and sums its parts. With negative marking, an answered
//! objective question that did not earn full credit loses `points × fraction`, never going
//! below 0 for that question.

use shared::exams::{AnswerValue, Scoring};
use shared::questions::QuestionContent;

/// The grade of one answer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Grade {
    pub earned: f64,
    pub max: f64,
    /// Part of the answer waits for manual grading (its points are not in `earned` yet).
    pub needs_manual: bool,
}

/// Why an answer does not fit its question.
pub fn check_shape(content: &QuestionContent, answer: &AnswerValue) -> Result<(), &'static str> {
    if content.question_type() != answer.question_type() {
        return Err("wrong_type");
    }
    match (content, answer) {
        (QuestionContent::FillBlank { blanks, .. }, AnswerValue::FillBlank { blanks: given })
            if given.len() > blanks.len() =>
        {
            Err("too_many")
        }
        (QuestionContent::Composite { parts, .. }, AnswerValue::Composite { parts: given }) => {
            if given.len() > parts.len() {
                return Err("too_many");
            }
            for (part, given) in parts.iter().zip(given) {
                if let Some(given) = given {
                    check_shape(&part.content, given)?;
                }
            }
            Ok(())
        }
        (_, AnswerValue::Essay { text }) if text.chars().count() > 100_000 => Err("too_long"),
        _ => Ok(()),
    }
}

/// Grades `answer` (absent: not answered) to `content` worth `points`. `negative` is the
/// negative-marking fraction, if the exam uses it.
pub fn grade(
    content: &QuestionContent,
    points: f64,
    answer: Option<&AnswerValue>,
    negative: Option<f64>,
) -> Grade {
    let Some(answer) = answer.filter(|a| check_shape(content, a).is_ok()) else {
        let needs_manual = needs_person(content);
        return Grade {
            earned: 0.0,
            max: points,
            needs_manual,
        };
    };
    let (fraction, needs_manual) = credit(content, answer);
    let mut earned = points * fraction;
    if let Some(f) = negative
        && content.question_type().is_objective()
        && fraction < 1.0 - 1e-9
    {
        earned -= points * f;
    }
    Grade {
        earned: round_centi(earned.max(0.0)),
        max: points,
        needs_manual,
    }
}

/// The score that counts among the scores of finished attempts, oldest first.
pub fn counting_score(scoring: Scoring, scores: &[f64]) -> Option<f64> {
    let last = *scores.last()?;
    Some(match scoring {
        Scoring::Best => scores.iter().copied().fold(last, f64::max),
        Scoring::Last => last,
        Scoring::Average => round_centi(scores.iter().sum::<f64>() / scores.len() as f64),
    })
}

fn round_centi(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn needs_person(content: &QuestionContent) -> bool {
    match content {
        QuestionContent::Essay { .. } => true,
        QuestionContent::Composite { parts, .. } => parts.iter().any(|p| needs_person(&p.content)),
        _ => false,
    }
}

/// The fraction of the points earned (0 to 1) and whether a person must grade part of it.
fn credit(content: &QuestionContent, answer: &AnswerValue) -> (f64, bool) {
    let all_or_nothing = |ok: bool| (if ok { 1.0 } else { 0.0 }, false);
    match (content, answer) {
        (
            QuestionContent::SingleChoice { answer: key, .. },
            AnswerValue::SingleChoice { choice },
        ) => all_or_nothing(key == choice),
        (
            QuestionContent::MultipleChoice { answers: keys, .. },
            AnswerValue::MultipleChoice { choices },
        ) => {
            let mut chosen: Vec<&String> = choices.iter().collect();
            chosen.sort();
            chosen.dedup();
            let right = chosen.iter().filter(|c| keys.contains(**c)).count() as f64;
            let wrong = chosen.len() as f64 - right;
            let total = keys.len().max(1) as f64;
            (((right - wrong) / total).max(0.0), false)
        }
        (QuestionContent::TrueFalse { answer: key, .. }, AnswerValue::TrueFalse { value }) => {
            all_or_nothing(key == value)
        }
        (QuestionContent::FillBlank { blanks, .. }, AnswerValue::FillBlank { blanks: given }) => {
            let right = blanks
                .iter()
                .zip(given)
                .filter(|(b, g)| !g.trim().is_empty() && b.matches(g))
                .count() as f64;
            (right / blanks.len().max(1) as f64, false)
        }
        (QuestionContent::Essay { .. }, _) => (0.0, true),
        (QuestionContent::Ordering { items, .. }, AnswerValue::Ordering { order }) => {
            all_or_nothing(
                items.len() == order.len() && items.iter().zip(order).all(|(i, o)| i.id == *o),
            )
        }
        (
            QuestionContent::Matching { prompts, pairs, .. },
            AnswerValue::Matching { pairs: given },
        ) => {
            let right = pairs
                .iter()
                .filter(|p| given.get(&p.prompt) == Some(&p.answer))
                .count() as f64;
            (right / prompts.len().max(1) as f64, false)
        }
        (QuestionContent::Composite { parts, .. }, AnswerValue::Composite { parts: given }) => {
            let total: f64 = parts.iter().map(|p| p.points).sum();
            let mut earned = 0.0;
            let mut manual = false;
            for (i, part) in parts.iter().enumerate() {
                let g = grade(
                    &part.content,
                    part.points,
                    given.get(i).and_then(Option::as_ref),
                    None,
                );
                earned += g.earned;
                manual |= g.needs_manual;
            }
            if total <= 0.0 {
                (0.0, manual)
            } else {
                ((earned / total).clamp(0.0, 1.0), manual)
            }
        }
        _ => (0.0, needs_person(content)),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use shared::questions::{Blank, Choice, Pair, Part};

    use super::*;

    fn c(id: &str) -> Choice {
        Choice {
            id: id.to_owned(),
            text: id.to_owned(),
        }
    }

    fn blank(a: &str) -> Blank {
        Blank {
            answers: vec![a.to_owned()],
            case_sensitive: false,
            exact_spaces: false,
            width_sensitive: false,
            numeric_tolerance: None,
        }
    }

    fn single() -> QuestionContent {
        QuestionContent::SingleChoice {
            stem: "?".into(),
            options: vec![c("A"), c("B")],
            answer: "B".into(),
        }
    }

    fn g(content: &QuestionContent, points: f64, a: AnswerValue) -> f64 {
        grade(content, points, Some(&a), None).earned
    }

    #[test]
    fn the_counting_score_follows_the_scoring_policy() {
        let scores = [6.0, 9.0, 7.0];
        assert_eq!(counting_score(Scoring::Best, &scores), Some(9.0));
        assert_eq!(counting_score(Scoring::Last, &scores), Some(7.0));
        assert_eq!(
            counting_score(Scoring::Average, &[6.0, 9.0, 7.5]),
            Some(7.5)
        );
        assert_eq!(
            counting_score(Scoring::Average, &[1.0, 1.0, 2.0]),
            Some(1.33)
        );
        assert_eq!(counting_score(Scoring::Best, &[]), None);
    }

    #[test]
    fn single_choice_and_true_false_are_all_or_nothing() {
        let q = single();
        assert_eq!(
            g(&q, 2.0, AnswerValue::SingleChoice { choice: "B".into() }),
            2.0
        );
        assert_eq!(
            g(&q, 2.0, AnswerValue::SingleChoice { choice: "A".into() }),
            0.0
        );
        assert_eq!(grade(&q, 2.0, None, None).earned, 0.0);
        let tf = QuestionContent::TrueFalse {
            stem: "?".into(),
            answer: true,
        };
        assert_eq!(g(&tf, 1.0, AnswerValue::TrueFalse { value: true }), 1.0);
        assert_eq!(g(&tf, 1.0, AnswerValue::TrueFalse { value: false }), 0.0);
        // An answer of the wrong type earns nothing.
        assert_eq!(
            g(&tf, 1.0, AnswerValue::SingleChoice { choice: "B".into() }),
            0.0
        );
    }

    #[test]
    fn multiple_choice_is_proportional_and_never_negative() {
        let q = QuestionContent::MultipleChoice {
            stem: "?".into(),
            options: vec![c("A"), c("B"), c("C"), c("D")],
            answers: vec!["A".into(), "B".into(), "C".into()],
        };
        let mc = |v: &[&str]| AnswerValue::MultipleChoice {
            choices: v.iter().map(|s| (*s).to_owned()).collect(),
        };
        assert_eq!(g(&q, 3.0, mc(&["A", "B", "C"])), 3.0);
        assert_eq!(g(&q, 3.0, mc(&["A", "B"])), 2.0);
        assert_eq!(g(&q, 3.0, mc(&["A", "B", "D"])), 1.0);
        assert_eq!(g(&q, 3.0, mc(&["A", "D"])), 0.0);
        assert_eq!(g(&q, 3.0, mc(&["D"])), 0.0);
        // Choosing the same option twice counts once.
        assert_eq!(g(&q, 3.0, mc(&["A", "A"])), 1.0);
    }

    #[test]
    fn fill_blank_splits_points_per_blank() {
        let q = QuestionContent::FillBlank {
            stem: "{{1}} {{2}}".into(),
            blanks: vec![blank("北京"), blank("Shanghai")],
        };
        let fb = |v: &[&str]| AnswerValue::FillBlank {
            blanks: v.iter().map(|s| (*s).to_owned()).collect(),
        };
        assert_eq!(g(&q, 4.0, fb(&["北京", " shanghai "])), 4.0);
        assert_eq!(g(&q, 4.0, fb(&["北京", "x"])), 2.0);
        assert_eq!(g(&q, 4.0, fb(&["", "SHANGHAI"])), 2.0);
        assert_eq!(g(&q, 4.0, fb(&[])), 0.0);
    }

    #[test]
    fn ordering_is_all_or_nothing_and_matching_is_per_pair() {
        let q = QuestionContent::Ordering {
            stem: "?".into(),
            items: vec![c("1"), c("2"), c("3")],
        };
        let ord = |v: &[&str]| AnswerValue::Ordering {
            order: v.iter().map(|s| (*s).to_owned()).collect(),
        };
        assert_eq!(g(&q, 2.0, ord(&["1", "2", "3"])), 2.0);
        assert_eq!(g(&q, 2.0, ord(&["1", "3", "2"])), 0.0);
        assert_eq!(g(&q, 2.0, ord(&["1", "2"])), 0.0);
        let m = QuestionContent::Matching {
            stem: "?".into(),
            prompts: vec![c("p1"), c("p2"), c("p3"), c("p4")],
            answers: vec![c("a"), c("b"), c("c"), c("d"), c("e")],
            pairs: ["a", "b", "c", "d"]
                .iter()
                .enumerate()
                .map(|(i, a)| Pair {
                    prompt: format!("p{}", i + 1),
                    answer: (*a).to_owned(),
                })
                .collect(),
        };
        let mut pairs = BTreeMap::new();
        pairs.insert("p1".to_owned(), "a".to_owned());
        pairs.insert("p2".to_owned(), "b".to_owned());
        pairs.insert("p3".to_owned(), "e".to_owned());
        assert_eq!(g(&m, 4.0, AnswerValue::Matching { pairs }), 2.0);
    }

    #[test]
    fn essays_wait_and_composites_sum_their_objective_parts() {
        let essay = QuestionContent::Essay {
            stem: "?".into(),
            reference_answer: String::new(),
            rubric: vec![],
        };
        let e = grade(
            &essay,
            10.0,
            Some(&AnswerValue::Essay { text: "t".into() }),
            None,
        );
        assert!(e.needs_manual);
        assert_eq!(e.earned, 0.0);
        let comp = QuestionContent::Composite {
            passage: "p".into(),
            parts: vec![
                Part {
                    content: single(),
                    points: 1.0,
                },
                Part {
                    content: QuestionContent::TrueFalse {
                        stem: "?".into(),
                        answer: false,
                    },
                    points: 1.0,
                },
                Part {
                    content: essay.clone(),
                    points: 2.0,
                },
            ],
        };
        let a = AnswerValue::Composite {
            parts: vec![
                Some(AnswerValue::SingleChoice { choice: "B".into() }),
                Some(AnswerValue::TrueFalse { value: true }),
                Some(AnswerValue::Essay { text: "x".into() }),
            ],
        };
        // Question worth 8, parts total 4: the right single choice (1 of 4) earns 2.
        let r = grade(&comp, 8.0, Some(&a), None);
        assert_eq!(r.earned, 2.0);
        assert!(r.needs_manual);
        let unanswered = grade(&comp, 8.0, None, None);
        assert!(unanswered.needs_manual);
        // A part of the wrong type makes the whole answer malformed.
        let bad = AnswerValue::Composite {
            parts: vec![Some(AnswerValue::TrueFalse { value: true })],
        };
        assert_eq!(check_shape(&comp, &bad), Err("wrong_type"));
    }

    #[test]
    fn negative_marking_subtracts_but_never_below_zero_per_question() {
        let q = QuestionContent::MultipleChoice {
            stem: "?".into(),
            options: vec![c("A"), c("B"), c("C"), c("D")],
            answers: vec!["A".into(), "B".into()],
        };
        let mc = |v: &[&str]| AnswerValue::MultipleChoice {
            choices: v.iter().map(|s| (*s).to_owned()).collect(),
        };
        // Half right (2 points) minus 4 × 0.25.
        assert_eq!(grade(&q, 4.0, Some(&mc(&["A"])), Some(0.25)).earned, 1.0);
        assert_eq!(
            grade(&q, 4.0, Some(&mc(&["A", "B"])), Some(0.25)).earned,
            4.0
        );
        assert_eq!(grade(&q, 4.0, Some(&mc(&["C"])), Some(0.25)).earned, 0.0);
        // Unanswered questions lose nothing.
        assert_eq!(grade(&q, 4.0, None, Some(0.25)).earned, 0.0);
        let s = grade(
            &single(),
            2.0,
            Some(&AnswerValue::SingleChoice { choice: "A".into() }),
            Some(1.0),
        );
        assert_eq!(s.earned, 0.0);
    }
}
