//! Property tests of the text formats: questions a format supports, written and read back,
//! come back with everything the format carries (option ids aside: formats number options by
//! position).

mod aiken;
mod gift;
mod moodle;

use proptest::prelude::*;
use question_formats::{ExportItem, Format, MediaFile, Question, export, parse, plain_to_html};
use shared::questions::{Blank, Choice, Pair, QuestionContent};

// ---------------------------------------------------------------------------------------------
// Normalisation

fn letter(i: usize) -> String {
    let c = char::from(b'A' + (i % 26) as u8);
    if i < 26 {
        c.to_string()
    } else {
        format!("{c}{}", i / 26 + 1)
    }
}

/// Options, items, prompts and answers renumbered by position (matching answers sorted by
/// text first: formats that write prompt → answer pairs do not keep the answers' order).
fn canonical(content: &QuestionContent) -> QuestionContent {
    fn reid(list: &[Choice]) -> Vec<Choice> {
        list.iter()
            .enumerate()
            .map(|(i, c)| Choice {
                id: letter(i),
                text: c.text.clone(),
            })
            .collect()
    }
    fn map(list: &[Choice], id: &str) -> String {
        list.iter()
            .position(|c| c.id == id)
            .map_or_else(|| format!("?{id}"), letter)
    }
    match content {
        QuestionContent::SingleChoice {
            stem,
            options,
            answer,
        } => QuestionContent::SingleChoice {
            stem: stem.clone(),
            options: reid(options),
            answer: map(options, answer),
        },
        QuestionContent::MultipleChoice {
            stem,
            options,
            answers,
        } => {
            let mut answers: Vec<String> = answers.iter().map(|a| map(options, a)).collect();
            answers.sort();
            QuestionContent::MultipleChoice {
                stem: stem.clone(),
                options: reid(options),
                answers,
            }
        }
        QuestionContent::Ordering { stem, items } => QuestionContent::Ordering {
            stem: stem.clone(),
            items: reid(items),
        },
        QuestionContent::Matching {
            stem,
            prompts,
            answers,
            pairs,
        } => {
            let mut sorted = answers.clone();
            sorted.sort_by(|a, b| a.text.cmp(&b.text));
            let mut pairs: Vec<Pair> = pairs
                .iter()
                .map(|p| Pair {
                    prompt: map(prompts, &p.prompt),
                    answer: map(&sorted, &p.answer),
                })
                .collect();
            pairs.sort_by(|a, b| (&a.prompt, &a.answer).cmp(&(&b.prompt, &b.answer)));
            QuestionContent::Matching {
                stem: stem.clone(),
                prompts: reid(prompts),
                answers: reid(&sorted),
                pairs,
            }
        }
        other => other.clone(),
    }
}

/// What Aiken carries: the content.
fn aiken_carries(q: &Question) -> Question {
    Question::new(canonical(&q.content))
}

/// What GIFT carries: the content, the explanation, tags and the category.
fn gift_carries(q: &Question) -> Question {
    Question {
        explanation: q.explanation.clone(),
        tags: q.tags.clone(),
        category: q.category.clone(),
        ..Question::new(canonical(&q.content))
    }
}

/// What Moodle XML carries: all but the difficulty.
fn moodle_carries(q: &Question) -> Question {
    Question {
        difficulty: 3,
        content: canonical(&q.content),
        ..q.clone()
    }
}

// ---------------------------------------------------------------------------------------------
// Generators

/// Plain text: Chinese and ASCII, with the characters GIFT and XML treat specially.
fn plain() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9中国数学代数几何题目选项答案，。？ ~=#{}:<>&\"'$^\\\\%\\[\\]()/_*-]{1,14}"
        .prop_map(|s| s.trim().to_owned())
        .prop_filter("not empty", |s| !s.is_empty())
}

/// Plain text with a formula sometimes.
fn plain_with_formula() -> impl Strategy<Value = String> {
    (plain(), prop::option::of("[a-z0-9^+=]{1,6}")).prop_map(|(s, f)| match f {
        Some(f) => format!("{s} ${f}$"),
        None => s,
    })
}

/// Rich text: a paragraph of plain text, or some markup.
fn rich() -> impl Strategy<Value = String> {
    prop_oneof![
        plain_with_formula().prop_map(|s| plain_to_html(&s)),
        (plain(), plain()).prop_map(|(a, b)| format!(
            "<p><strong>{}</strong> {}</p>",
            html_escape(&a),
            html_escape(&b)
        )),
        (plain(), plain()).prop_map(|(a, b)| format!(
            "<p>{}</p>\n<p>{}</p>",
            html_escape(&a),
            html_escape(&b)
        )),
    ]
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// `n` distinct texts.
fn distinct(
    text: impl Strategy<Value = String>,
    n: std::ops::Range<usize>,
) -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(text, n).prop_map(|mut v| {
        let mut seen = std::collections::HashSet::new();
        v.retain(|t| seen.insert(t.trim().to_owned()));
        v
    })
}

fn options_from(texts: &[String]) -> Vec<Choice> {
    texts
        .iter()
        .enumerate()
        .map(|(i, t)| Choice {
            id: format!("o{i}"),
            text: t.clone(),
        })
        .collect()
}

fn single_choice(text: BoxedStrategy<String>) -> impl Strategy<Value = QuestionContent> {
    (
        text.clone(),
        distinct(text, 2..7),
        any::<prop::sample::Index>(),
    )
        .prop_filter("two options", |(_, o, _)| o.len() >= 2)
        .prop_map(|(stem, texts, i)| {
            let options = options_from(&texts);
            let answer = options[i.index(options.len())].id.clone();
            QuestionContent::SingleChoice {
                stem,
                options,
                answer,
            }
        })
}

fn multiple_choice(text: BoxedStrategy<String>) -> impl Strategy<Value = QuestionContent> {
    (
        text.clone(),
        distinct(text, 2..7),
        prop::collection::vec(any::<bool>(), 7),
    )
        .prop_filter("two options", |(_, o, _)| o.len() >= 2)
        .prop_map(|(stem, texts, correct)| {
            let options = options_from(&texts);
            let mut answers: Vec<String> = options
                .iter()
                .zip(&correct)
                .filter(|(_, c)| **c)
                .map(|(o, _)| o.id.clone())
                .collect();
            if answers.is_empty() {
                answers.push(options[0].id.clone());
            }
            QuestionContent::MultipleChoice {
                stem,
                options,
                answers,
            }
        })
}

fn true_false(text: BoxedStrategy<String>) -> impl Strategy<Value = QuestionContent> {
    (text, any::<bool>()).prop_map(|(stem, answer)| QuestionContent::TrueFalse { stem, answer })
}

fn essay(text: BoxedStrategy<String>) -> impl Strategy<Value = QuestionContent> {
    text.prop_map(|stem| QuestionContent::Essay {
        stem,
        reference_answer: String::new(),
        rubric: vec![],
    })
}

fn matching(
    text: BoxedStrategy<String>,
    answer_text: BoxedStrategy<String>,
) -> impl Strategy<Value = QuestionContent> {
    (
        text.clone(),
        distinct(text, 2..5),
        distinct(answer_text, 2..6),
        prop::collection::vec(any::<prop::sample::Index>(), 5),
    )
        .prop_filter("two of each", |(_, p, a, _)| p.len() >= 2 && a.len() >= 2)
        .prop_map(|(stem, prompts, answers, picks)| {
            let prompts: Vec<Choice> = prompts
                .iter()
                .enumerate()
                .map(|(i, t)| Choice {
                    id: format!("p{i}"),
                    text: t.clone(),
                })
                .collect();
            let answers = options_from(&answers);
            let pairs = prompts
                .iter()
                .zip(&picks)
                .map(|(p, i)| Pair {
                    prompt: p.id.clone(),
                    answer: answers[i.index(answers.len())].id.clone(),
                })
                .collect();
            QuestionContent::Matching {
                stem,
                prompts,
                answers,
                pairs,
            }
        })
}

/// A plain blank answer (GIFT and Moodle trim answers).
fn blank_answer() -> impl Strategy<Value = String> {
    plain()
}

fn number() -> impl Strategy<Value = String> {
    prop_oneof![
        (-1000i32..1000).prop_map(|n| n.to_string()),
        (-100000i32..100000).prop_map(|n| format!("{}", f64::from(n) / 100.0)),
    ]
}

fn tolerance() -> impl Strategy<Value = f64> {
    prop_oneof![Just(0.0), Just(0.01), Just(0.5), Just(2.0)]
}

fn plain_blank(case_sensitive: bool) -> impl Strategy<Value = Blank> {
    (
        prop::collection::vec(blank_answer(), 1..4),
        if case_sensitive {
            any::<bool>().boxed()
        } else {
            Just(false).boxed()
        },
    )
        .prop_map(|(answers, case_sensitive)| Blank {
            answers,
            case_sensitive,
            exact_spaces: false,
            width_sensitive: false,
            numeric_tolerance: None,
        })
}

fn numeric_blank() -> impl Strategy<Value = Blank> {
    (prop::collection::vec(number(), 1..3), tolerance()).prop_map(|(answers, t)| Blank {
        answers,
        case_sensitive: false,
        exact_spaces: false,
        width_sensitive: false,
        numeric_tolerance: Some(t),
    })
}

/// Points with at most two decimals.
fn fill_blank_stem(text: BoxedStrategy<String>) -> impl Strategy<Value = String> {
    (plain(), prop::option::of(plain()), text).prop_map(|(a, b, rich)| match b {
        Some(b) => plain_to_html(&format!("{a} {{{{1}}}} {b}")),
        None if rich.starts_with("<p><strong>") => rich.replacen("</p>", "{{1}}</p>", 1),
        None => plain_to_html(&format!("{a}{{{{1}}}}")),
    })
}

fn points() -> impl Strategy<Value = f64> {
    (1u32..100000).prop_map(|n| f64::from(n) / 100.0)
}

fn tags() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec("[a-z中文数学代数]{1,6}( [a-z0-9]{1,3})?", 0..3).prop_map(|mut v| {
        let mut seen = std::collections::HashSet::new();
        v.retain(|t| seen.insert(t.clone()));
        v
    })
}

fn category() -> impl Strategy<Value = Option<String>> {
    prop::option::of(prop::collection::vec(
        "[a-z中文数学代数]([a-z中文数学代数 ]{0,4}[a-z中文数学代数])?",
        1..3,
    ))
    .prop_map(|levels| levels.map(|l| l.join("/")))
}

/// Questions of `content` with an explanation from `explanation` (or none), tags, a category
/// and points.
fn question_of(
    content: impl Strategy<Value = QuestionContent>,
    explanation: impl Strategy<Value = String>,
) -> impl Strategy<Value = Question> {
    (
        content,
        prop_oneof![Just(String::new()), explanation],
        tags(),
        category(),
        points(),
    )
        .prop_map(|(content, explanation, tags, category, points)| Question {
            points,
            explanation,
            tags,
            category,
            ..Question::new(content)
        })
}

fn items(questions: Vec<Question>) -> Vec<ExportItem> {
    questions
        .into_iter()
        .enumerate()
        .map(|(i, question)| ExportItem {
            id: format!("q{i}"),
            question,
        })
        .collect()
}

/// Writes, checks nothing was skipped, reads back, and compares what the format carries.
fn round_trip(
    format: Format,
    questions: Vec<Question>,
    media: &[MediaFile],
    carries: fn(&Question) -> Question,
) -> Result<(), TestCaseError> {
    let items = items(questions);
    let written = export(format, &items, media);
    prop_assert_eq!(&written.skipped, &vec![]);
    let parsed = parse(format, &written.bytes);
    let text = String::from_utf8_lossy(&written.bytes).into_owned();
    prop_assert_eq!(&parsed.problems, &vec![], "{}", text);
    let expected: Vec<Question> = items.iter().map(|i| carries(&i.question)).collect();
    let got: Vec<Question> = parsed
        .questions
        .iter()
        .map(|q| carries(&q.question))
        .collect();
    prop_assert_eq!(got, expected, "{}", text);
    for q in &parsed.questions {
        prop_assert_eq!(q.question.content.validate(""), vec![]);
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Robustness: fixtures with random edits never make a parser or writer panic, and what a
// parser reads from them its writer writes back exactly.

fn fixture_files() -> Vec<(Format, Vec<u8>)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut out = Vec::new();
    for (sub, format) in [
        ("aiken", Format::Aiken),
        ("gift", Format::Gift),
        ("moodle", Format::MoodleXml),
    ] {
        let Ok(entries) = std::fs::read_dir(dir.join(sub)) else {
            continue;
        };
        for entry in entries.flatten() {
            if let Ok(bytes) = std::fs::read(entry.path()) {
                out.push((format, bytes));
            }
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn edited_fixtures_never_panic_and_read_questions_write_back(
        pick in any::<prop::sample::Index>(),
        edits in prop::collection::vec(
            (any::<prop::sample::Index>(), prop::sample::select(
                b"{}~=#:\\<>&;/![]-%\n \x00\xff\xe4ABT".to_vec()), 0u8..3),
            1..20,
        ),
    ) {
        let files = fixture_files();
        prop_assume!(!files.is_empty());
        let (format, mut bytes) = files[pick.index(files.len())].clone();
        for (at, byte, op) in edits {
            let i = at.index(bytes.len() + 1);
            match op {
                0 => bytes.insert(i, byte),
                1 if i < bytes.len() => {
                    bytes.remove(i);
                }
                _ if i < bytes.len() => bytes[i] = byte,
                _ => bytes.push(byte),
            }
        }
        let parsed = parse(format, &bytes);
        let items: Vec<ExportItem> = parsed
            .questions
            .iter()
            .enumerate()
            .map(|(i, q)| ExportItem { id: i.to_string(), question: q.question.clone() })
            .collect();
        let written = export(format, &items, &parsed.media);
        // What a format reads, it writes back exactly.
        prop_assert_eq!(&written.skipped, &vec![]);
        let carries = match format {
            Format::Aiken => aiken_carries,
            Format::Gift => gift_carries,
            _ => moodle_carries,
        };
        let again: Vec<Question> = parse(format, &written.bytes)
            .questions
            .iter()
            .map(|q| carries(&q.question))
            .collect();
        let first: Vec<Question> = items.iter().map(|i| carries(&i.question)).collect();
        prop_assert_eq!(again, first);
    }
}
