//! No candidate view lets one infer a key from ids or order.
//!
//! For every question of every import fixture (each interchange format and the spreadsheets)
//! and for questions of every type written so that their authored ids carry the key (ordering
//! items `1, 2, 3`, matching `1↔a`, the correct option first), the candidate's view is built
//! as an attempt builds it (`generate::arrange` with a seed, then `CandidateContent::of` with
//! the attempt's labels) many times. Guessing strategies that read ids or positions (the order
//! shown, its reverse, the labels sorted, prompts paired with answers by position or by sorted
//! labels) are graded on each view, and on an ideal view whose order and labels are drawn
//! independently of the key. A strategy that does better (or worse) than on the ideal view
//! reads the key: the test fails. With authored ids (the code before labels) sorting ids
//! answers every ordering and matching question in full.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use shared::exams::AnswerValue;
use shared::labels::{IdList, Relabel, answer_to_authored};
use shared::papers::CandidateContent;
use shared::questions::{Choice, Pair, Part, QuestionContent};

use super::generate::arrange;
use super::labels::Labels;
use crate::crypto::BlindIndex;
use crate::db::types::DbUuid;
use crate::exams::grading;
use crate::keys::KeyRing;

/// Views per question and per mode.
const VIEWS: u64 = 400;

/// A fixed key ring, so the test is the same on every run.
fn fixed_mac() -> BlindIndex {
    let json = r#"{"format":1,"encryption_keys":[{"id":1,"key":"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="}],"primary_encryption_key":1,"blind_index_key":"ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=","token_signing_key":"QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFlaW1xdXl8="}"#;
    BlindIndex::new(&KeyRing::from_json(json).expect("fixed keys"))
}

/// Every question of every import fixture.
fn fixture_questions() -> Vec<(String, QuestionContent)> {
    use question_formats::{Format, parse};
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../formats/fixtures");
    let read = |p: &str| std::fs::read(root.join(p)).unwrap_or_else(|e| panic!("{p}: {e}"));
    let mut out = Vec::new();
    for (format, file) in [
        (Format::Gift, "gift/valid.gift"),
        (Format::Aiken, "aiken/valid.txt"),
        (Format::MoodleXml, "moodle/valid.xml"),
        (Format::Qti21, "qti21/single-choice.xml"),
        (Format::Qti21, "qti21/package.zip"),
        (Format::Qti30, "qti30/single-choice.xml"),
        (Format::Qti30, "qti30/package.zip"),
        (Format::Qti30, "qti30/examcloud-sample.zip"),
    ] {
        let parsed = parse(format, &read(file));
        assert!(!parsed.questions.is_empty(), "{file}: no questions");
        out.extend(
            parsed
                .questions
                .into_iter()
                .enumerate()
                .map(|(i, q)| (format!("{file}#{i}"), q.question.content)),
        );
    }
    for file in [
        "xlsx/questions-zh.xlsx",
        "xlsx/questions-en.xlsx",
        "csv/questions-utf8.csv",
        "csv/questions-gbk.csv",
    ] {
        let (errors, questions) = crate::questions::import::read_back(&read(file));
        assert!(errors.is_empty(), "{file}: {errors:?}");
        out.extend(
            questions
                .into_iter()
                .enumerate()
                .map(|(i, q)| (format!("{file}#{i}"), q.0)),
        );
    }
    out
}

fn choices(ids: &[&str]) -> Vec<Choice> {
    ids.iter()
        .map(|id| Choice {
            id: (*id).to_owned(),
            text: format!("<p>text {id}</p>"),
        })
        .collect()
}

/// Questions of every type whose authored ids follow the key, of several sizes.
fn keyed_questions() -> Vec<(String, QuestionContent)> {
    let letters = ["A", "B", "C", "D", "E", "F"];
    let numbers = ["1", "2", "3", "4", "5", "6"];
    let lower = ["a", "b", "c", "d", "e", "f", "g"];
    let mut out = Vec::new();
    for n in 2..=5 {
        out.push((
            format!("single {n}"),
            QuestionContent::SingleChoice {
                stem: "s".into(),
                options: choices(&letters[..n]),
                answer: "A".into(),
            },
        ));
        out.push((
            format!("multiple {n}"),
            QuestionContent::MultipleChoice {
                stem: "m".into(),
                options: choices(&letters[..n]),
                answers: letters[..n.div_ceil(2)]
                    .iter()
                    .map(|s| (*s).to_owned())
                    .collect(),
            },
        ));
        out.push((
            format!("ordering {n}"),
            QuestionContent::Ordering {
                stem: "o".into(),
                items: choices(&numbers[..n]),
            },
        ));
        out.push((
            format!("matching {n}"),
            QuestionContent::Matching {
                stem: "p".into(),
                prompts: choices(&numbers[..n]),
                // One distractor after the paired answers.
                answers: choices(&lower[..=n]),
                pairs: (0..n)
                    .map(|i| Pair {
                        prompt: numbers[i].to_owned(),
                        answer: lower[i].to_owned(),
                    })
                    .collect(),
            },
        ));
    }
    let (_, ordering) = out[2].clone();
    let (_, matching) = out[3].clone();
    out.push((
        "composite".into(),
        QuestionContent::Composite {
            passage: "c".into(),
            parts: vec![
                Part {
                    content: ordering,
                    points: 1.0,
                },
                Part {
                    content: matching,
                    points: 1.0,
                },
            ],
        },
    ));
    out
}

/// A guessing strategy: an answer (in the view's ids) from what the view shows.
type Strategy = fn(&CandidateContent) -> Option<AnswerValue>;

fn ids(list: &[Choice]) -> Vec<String> {
    list.iter().map(|c| c.id.clone()).collect()
}

fn sorted(list: &[Choice]) -> Vec<String> {
    let mut v = ids(list);
    v.sort();
    v
}

fn reversed(mut v: Vec<String>) -> Vec<String> {
    v.reverse();
    v
}

/// Applies `pick` (which orders a list's ids) to a view: the first choice, the first half of a
/// multiple choice, the items in that order, prompts paired with answers in those orders.
fn by(view: &CandidateContent, pick: fn(&[Choice]) -> Vec<String>) -> Option<AnswerValue> {
    Some(match view {
        CandidateContent::SingleChoice { options, .. } => AnswerValue::SingleChoice {
            choice: pick(options).first()?.clone(),
        },
        CandidateContent::MultipleChoice { options, .. } => AnswerValue::MultipleChoice {
            choices: pick(options)
                .into_iter()
                .take(options.len().div_ceil(2))
                .collect(),
        },
        CandidateContent::Ordering { items, .. } => AnswerValue::Ordering { order: pick(items) },
        CandidateContent::Matching {
            prompts, answers, ..
        } => AnswerValue::Matching {
            pairs: pick(prompts).into_iter().zip(pick(answers)).collect(),
        },
        CandidateContent::Composite { parts, .. } => AnswerValue::Composite {
            parts: parts.iter().map(|p| by(&p.content, pick)).collect(),
        },
        _ => return None,
    })
}

const STRATEGIES: &[(&str, Strategy)] = &[
    ("as shown", |v| by(v, ids)),
    ("reverse of shown", |v| by(v, |l| reversed(ids(l)))),
    ("ids sorted", |v| by(v, sorted)),
    ("ids reverse sorted", |v| by(v, |l| reversed(sorted(l)))),
];

/// Labels drawn at random for each id: the ideal a real view is compared with.
struct RandomLabels(HashMap<(Option<usize>, IdList, String), String>);

impl Relabel for RandomLabels {
    fn label(&self, part: Option<usize>, list: IdList, authored: &str) -> String {
        self.0
            .get(&(part, list, authored.to_owned()))
            .cloned()
            .unwrap_or_default()
    }
}

fn random_labels(content: &QuestionContent, rng: &mut ChaCha8Rng) -> RandomLabels {
    let mut map = HashMap::new();
    let mut add = |part: Option<usize>, list: IdList, items: &[Choice], rng: &mut ChaCha8Rng| {
        for c in items {
            map.insert(
                (part, list, c.id.clone()),
                format!("{:016x}", rng.random::<u64>()),
            );
        }
    };
    let mut visit = |part: Option<usize>, c: &QuestionContent, rng: &mut ChaCha8Rng| match c {
        QuestionContent::SingleChoice { options, .. }
        | QuestionContent::MultipleChoice { options, .. } => {
            add(part, IdList::Options, options, rng)
        }
        QuestionContent::Ordering { items, .. } => add(part, IdList::Items, items, rng),
        QuestionContent::Matching {
            prompts, answers, ..
        } => {
            add(part, IdList::Prompts, prompts, rng);
            add(part, IdList::Answers, answers, rng);
        }
        _ => {}
    };
    if let QuestionContent::Composite { parts, .. } = content {
        for (i, p) in parts.iter().enumerate() {
            visit(Some(i), &p.content, rng);
        }
    } else {
        visit(None, content, rng);
    }
    RandomLabels(map)
}

/// An order of `content`'s lists drawn independently of the key (uniform, every list).
fn random_order(
    content: &QuestionContent,
    rng: &mut ChaCha8Rng,
) -> (Vec<String>, Vec<Vec<String>>) {
    fn one(c: &QuestionContent, rng: &mut ChaCha8Rng) -> Vec<String> {
        let mut v: Vec<String> = match c {
            QuestionContent::SingleChoice { options, .. }
            | QuestionContent::MultipleChoice { options, .. } => ids(options),
            QuestionContent::Ordering { items, .. } => ids(items),
            QuestionContent::Matching { answers, .. } => ids(answers),
            _ => Vec::new(),
        };
        v.shuffle(rng);
        v
    }
    match content {
        QuestionContent::Composite { parts, .. } => (
            Vec::new(),
            parts.iter().map(|p| one(&p.content, rng)).collect(),
        ),
        c => (one(c, rng), Vec::new()),
    }
}

/// Whether choice questions keep their authored order in this mode (shuffling off).
fn skip_choice(content: &QuestionContent, shuffle_options: bool) -> bool {
    let choice = |c: &QuestionContent| {
        matches!(
            c,
            QuestionContent::SingleChoice { .. } | QuestionContent::MultipleChoice { .. }
        )
    };
    !shuffle_options
        && match content {
            QuestionContent::Composite { parts, .. } => parts.iter().any(|p| choice(&p.content)),
            c => choice(c),
        }
}

/// Authored ids of every list of `content`.
fn authored_ids(content: &QuestionContent) -> Vec<String> {
    match content {
        QuestionContent::SingleChoice { options, .. }
        | QuestionContent::MultipleChoice { options, .. } => ids(options),
        QuestionContent::Ordering { items, .. } => ids(items),
        QuestionContent::Matching {
            prompts, answers, ..
        } => ids(prompts).into_iter().chain(ids(answers)).collect(),
        QuestionContent::Composite { parts, .. } => parts
            .iter()
            .flat_map(|p| authored_ids(&p.content))
            .collect(),
        _ => Vec::new(),
    }
}

/// Ids a candidate view shows.
fn shown_ids(view: &CandidateContent) -> Vec<String> {
    match view {
        CandidateContent::SingleChoice { options, .. }
        | CandidateContent::MultipleChoice { options, .. } => ids(options),
        CandidateContent::Ordering { items, .. } => ids(items),
        CandidateContent::Matching {
            prompts, answers, ..
        } => ids(prompts).into_iter().chain(ids(answers)).collect(),
        CandidateContent::Composite { parts, .. } => {
            parts.iter().flat_map(|p| shown_ids(&p.content)).collect()
        }
        _ => Vec::new(),
    }
}

fn score(content: &QuestionContent, guess: &AnswerValue, relabel: &dyn Relabel) -> f64 {
    let authored = answer_to_authored(content, guess, relabel)
        .expect("a guess made of shown ids maps back to authored ids");
    grading::grade(content, 1.0, Some(&authored), None).earned
}

/// Mean score of each strategy on real views and on ideal views of `content`.
fn means(content: &QuestionContent, shuffle_options: bool, mac: &BlindIndex) -> Vec<(f64, f64)> {
    let mut real = vec![0.0; STRATEGIES.len()];
    let mut ideal = vec![0.0; STRATEGIES.len()];
    let authored = authored_ids(content);
    let mut independent = ChaCha8Rng::seed_from_u64(7);
    for seed in 0..VIEWS {
        let (order, parts) = arrange(
            content,
            shuffle_options,
            &mut ChaCha8Rng::seed_from_u64(seed),
        );
        let attempt = DbUuid(uuid::Uuid::from_u128(u128::from(seed) + 1));
        let labels = Labels::Attempt { mac, attempt }.question("q");
        let view = CandidateContent::of(content, &order, &parts, &labels);
        for id in shown_ids(&view) {
            assert!(
                !authored.contains(&id),
                "an authored id reached the candidate: {id}"
            );
        }
        let random = random_labels(content, &mut independent);
        let (order, parts) = random_order(content, &mut independent);
        let ideal_view = CandidateContent::of(content, &order, &parts, &random);
        for (i, (_, strategy)) in STRATEGIES.iter().enumerate() {
            if let Some(guess) = strategy(&view) {
                real[i] += score(content, &guess, &labels);
            }
            if let Some(guess) = strategy(&ideal_view) {
                ideal[i] += score(content, &guess, &random);
            }
        }
    }
    real.into_iter()
        .zip(ideal)
        .map(|(r, i)| (r / VIEWS as f64, i / VIEWS as f64))
        .collect()
}

#[test]
fn no_candidate_view_lets_ids_or_order_tell_the_key() {
    let mac = fixed_mac();
    let mut questions = fixture_questions();
    questions.extend(keyed_questions());
    let mut checked = 0;
    let mut failures = Vec::new();
    for (name, content) in &questions {
        for shuffle_options in [true, false] {
            if skip_choice(content, shuffle_options) {
                continue;
            }
            for ((strategy, _), (real, ideal)) in
                STRATEGIES.iter().zip(means(content, shuffle_options, &mac))
            {
                checked += 1;
                // About five standard errors of the difference of two means of scores in
                // 0..=1 over 400 views: the run is deterministic, so this never flickers, and
                // any strategy that reads the key misses it by far more.
                if (real - ideal).abs() > 0.15 {
                    failures.push(format!(
                        "{name} (shuffle options: {shuffle_options}): \"{strategy}\" scores {real:.2} against {ideal:.2} by chance"
                    ));
                }
            }
        }
    }
    assert!(checked > 100, "only {checked} checks");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn authored_ids_would_be_caught() {
    // The same measure on views with authored ids and an order that avoids the right one:
    // what candidates got before labels. It must find the leak, or the test above proves
    // nothing.
    let content = QuestionContent::Ordering {
        stem: "o".into(),
        items: choices(&["1", "2", "3"]),
    };
    let mut sorted_score = 0.0;
    for seed in 0..VIEWS {
        let (order, _) = arrange(&content, true, &mut ChaCha8Rng::seed_from_u64(seed));
        let view = CandidateContent::of(&content, &order, &[], &shared::labels::Authored);
        if let Some(guess) = by(&view, sorted) {
            sorted_score += score(&content, &guess, &shared::labels::Authored);
        }
    }
    assert!(sorted_score / VIEWS as f64 > 0.99);
    // And a matching question pairs by sorted ids.
    let matching = keyed_questions()
        .into_iter()
        .find(|(n, _)| n == "matching 3")
        .map(|(_, c)| c)
        .expect("matching 3");
    let view = CandidateContent::of(&matching, &[], &[], &shared::labels::Authored);
    let guess = by(&view, sorted).expect("a guess");
    let pairs: BTreeMap<String, String> = match &guess {
        AnswerValue::Matching { pairs } => pairs.clone(),
        _ => BTreeMap::new(),
    };
    assert_eq!(pairs.get("1").map(String::as_str), Some("a"));
}
