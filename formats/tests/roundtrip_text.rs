//! Property tests of the text formats: questions a format supports, written and read back,
//! come back with everything the format carries (option ids aside: formats number options by
//! position).

use proptest::prelude::*;
use question_formats::{ExportItem, Format, MediaFile, Question, export, parse, plain_to_html};
use shared::questions::{Blank, Choice, Pair, QuestionContent, QuestionType, RubricItem};

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
// Aiken

fn aiken_question() -> impl Strategy<Value = Question> {
    let stem = (plain_with_formula(), prop::option::of(plain()))
        .prop_map(|(a, b)| match b {
            Some(b) => plain_to_html(&format!("{a}\n说明：{b}")),
            None => plain_to_html(&a),
        })
        .boxed();
    (
        stem,
        distinct(plain_with_formula(), 2..7),
        any::<prop::sample::Index>(),
        points(),
    )
        .prop_filter("two options", |(_, o, _, _)| o.len() >= 2)
        .prop_map(|(stem, texts, i, points)| {
            let texts: Vec<String> = texts.iter().map(|t| plain_to_html(t)).collect();
            let options = options_from(&texts);
            let answer = options[i.index(options.len())].id.clone();
            Question {
                points,
                explanation: "<p>不导出</p>".to_owned(),
                ..Question::new(QuestionContent::SingleChoice {
                    stem,
                    options,
                    answer,
                })
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn aiken_round_trips(questions in prop::collection::vec(aiken_question(), 1..5)) {
        round_trip(Format::Aiken, questions, &[], aiken_carries)?;
    }
}

#[test]
fn aiken_skips_what_it_cannot_express() {
    let single = QuestionContent::SingleChoice {
        stem: "<p>题目</p>".to_owned(),
        options: options_from(&["<p>甲</p>".to_owned(), "<p>乙</p>".to_owned()]),
        answer: "o0".to_owned(),
    };
    let rich = QuestionContent::SingleChoice {
        stem: "<p><strong>粗体</strong></p>".to_owned(),
        options: options_from(&["<p>甲</p>".to_owned(), "<p>乙</p>".to_owned()]),
        answer: "o0".to_owned(),
    };
    let tf = QuestionContent::TrueFalse {
        stem: "<p>对吗</p>".to_owned(),
        answer: true,
    };
    let written = export(
        Format::Aiken,
        &items(vec![
            Question::new(single),
            Question::new(rich),
            Question::new(tf),
        ]),
        &[],
    );
    assert_eq!(
        written.skipped,
        vec![
            ("q1".to_owned(), QuestionType::SingleChoice),
            ("q2".to_owned(), QuestionType::TrueFalse),
        ]
    );
    assert_eq!(
        String::from_utf8_lossy(&written.bytes),
        "题目\nA. 甲\nB. 乙\nANSWER: A\n\n"
    );
}

// ---------------------------------------------------------------------------------------------
// GIFT

fn fill_blank_stem(text: BoxedStrategy<String>) -> impl Strategy<Value = String> {
    (plain(), prop::option::of(plain()), text).prop_map(|(a, b, rich)| match b {
        Some(b) => plain_to_html(&format!("{a} {{{{1}}}} {b}")),
        None if rich.starts_with("<p><strong>") => rich.replacen("</p>", "{{1}}</p>", 1),
        None => plain_to_html(&format!("{a}{{{{1}}}}")),
    })
}

fn gift_blank() -> impl Strategy<Value = Blank> {
    prop_oneof![
        plain_blank(false).prop_map(|mut b| {
            for a in &mut b.answers {
                *a = a.replace("->", "-");
            }
            b
        }),
        numeric_blank(),
    ]
}

fn gift_content() -> impl Strategy<Value = QuestionContent> {
    let text = rich().boxed();
    prop_oneof![
        single_choice(text.clone()),
        multiple_choice(text.clone()),
        true_false(text.clone()),
        essay(text.clone()),
        matching(text.clone(), text.clone()),
        (fill_blank_stem(text), gift_blank()).prop_map(|(stem, b)| QuestionContent::FillBlank {
            stem,
            blanks: vec![b]
        }),
    ]
    .prop_filter("valid", |c| c.validate("").is_empty())
}

fn gift_question() -> impl Strategy<Value = Question> {
    (
        gift_content(),
        prop_oneof![Just(String::new()), rich()],
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

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn gift_round_trips(questions in prop::collection::vec(gift_question(), 1..5)) {
        round_trip(Format::Gift, questions, &[], gift_carries)?;
    }
}

fn unsupported_by_gift() -> Vec<Question> {
    let blank = |case_sensitive| Blank {
        answers: vec!["x".to_owned()],
        case_sensitive,
        exact_spaces: false,
        width_sensitive: false,
        numeric_tolerance: None,
    };
    vec![
        Question::new(QuestionContent::Ordering {
            stem: "<p>排序</p>".to_owned(),
            items: options_from(&["<p>一</p>".to_owned(), "<p>二</p>".to_owned()]),
        }),
        Question::new(QuestionContent::FillBlank {
            stem: "<p>{{1}} 和 {{2}}</p>".to_owned(),
            blanks: vec![blank(false), blank(false)],
        }),
        Question::new(QuestionContent::FillBlank {
            stem: "<p>区分大小写 {{1}}</p>".to_owned(),
            blanks: vec![blank(true)],
        }),
        Question::new(QuestionContent::Essay {
            stem: "<p>论述</p>".to_owned(),
            reference_answer: "<p>参考答案</p>".to_owned(),
            rubric: vec![RubricItem {
                criterion: "观点".to_owned(),
                points: 2.0,
            }],
        }),
        Question::new(QuestionContent::Composite {
            passage: "<p>材料</p>".to_owned(),
            parts: vec![],
        }),
    ]
}

#[test]
fn gift_skips_what_it_cannot_express() {
    let mut questions = vec![Question::new(QuestionContent::TrueFalse {
        stem: "<p>对吗</p>".to_owned(),
        answer: true,
    })];
    questions.extend(unsupported_by_gift());
    let written = export(Format::Gift, &items(questions), &[]);
    assert_eq!(
        written.skipped,
        vec![
            ("q1".to_owned(), QuestionType::Ordering),
            ("q2".to_owned(), QuestionType::FillBlank),
            ("q3".to_owned(), QuestionType::FillBlank),
            ("q4".to_owned(), QuestionType::Essay),
            ("q5".to_owned(), QuestionType::Composite),
        ]
    );
    assert_eq!(
        String::from_utf8_lossy(&written.bytes),
        "::q0::对吗{TRUE}\n\n"
    );
}

// ---------------------------------------------------------------------------------------------
// Moodle XML

fn media() -> Vec<MediaFile> {
    vec![
        MediaFile {
            name: "图1.png".to_owned(),
            bytes: vec![0x89, b'P', b'N', b'G', 0, 1, 2, 255],
        },
        MediaFile {
            name: "b c.gif".to_owned(),
            bytes: b"GIF89a".to_vec(),
        },
    ]
}

/// Rich text, sometimes with an image of [`media`].
fn moodle_rich() -> BoxedStrategy<String> {
    prop_oneof![
        3 => rich(),
        1 => (plain(), prop::sample::select(vec!["图1.png", "b c.gif"])).prop_map(|(a, img)| {
            format!("<p>{} <img src=\"{img}\" alt=\"图\"></p>", html_escape(&a))
        }),
    ]
    .boxed()
}

fn moodle_content() -> impl Strategy<Value = QuestionContent> {
    let text = moodle_rich();
    let inline = plain().prop_map(|s| plain_to_html(&s)).boxed();
    let fill_stem = fill_blank_stem(text.clone()).prop_map(|s| s.replace('_', "-"));
    prop_oneof![
        single_choice(text.clone()),
        multiple_choice(text.clone()),
        true_false(text.clone()),
        (text.clone(), prop_oneof![Just(String::new()), text.clone()]).prop_map(
            |(stem, reference_answer)| QuestionContent::Essay {
                stem,
                reference_answer,
                rubric: vec![],
            }
        ),
        (text.clone(), distinct(text.clone(), 2..6))
            .prop_filter("two items", |(_, i)| i.len() >= 2)
            .prop_map(|(stem, items)| QuestionContent::Ordering {
                stem,
                items: options_from(&items),
            }),
        matching(text, inline),
        (
            fill_stem,
            prop_oneof![plain_blank(true).boxed(), numeric_blank().boxed()]
        )
            .prop_map(|(stem, b)| QuestionContent::FillBlank {
                stem,
                blanks: vec![b]
            }),
    ]
    .prop_filter("valid", |c| c.validate("").is_empty())
}

fn moodle_question() -> impl Strategy<Value = Question> {
    (
        moodle_content(),
        prop_oneof![Just(String::new()), moodle_rich()],
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

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn moodle_round_trips(questions in prop::collection::vec(moodle_question(), 1..5)) {
        let media = media();
        round_trip(Format::MoodleXml, questions.clone(), &media, moodle_carries)?;
        // Every image a text refers to comes back, once, with its bytes; nothing else does.
        let written = export(Format::MoodleXml, &items(questions.clone()), &media);
        let parsed = parse(Format::MoodleXml, &written.bytes);
        let mut texts: Vec<String> = Vec::new();
        for q in questions {
            let mut q = q;
            texts.push(q.explanation.clone());
            texts.extend(q.content.texts_mut().into_iter().map(|t| t.clone()));
        }
        let referenced: Vec<&MediaFile> = media
            .iter()
            .filter(|m| texts.iter().any(|t| t.contains(&format!("src=\"{}\"", m.name))))
            .collect();
        let got: Vec<&MediaFile> = parsed.media.iter().collect();
        prop_assert_eq!(got.len(), referenced.len());
        for m in referenced {
            prop_assert!(parsed.media.contains(m));
        }
    }
}

#[test]
fn moodle_skips_what_it_cannot_express() {
    let blank = |exact_spaces| Blank {
        answers: vec!["x".to_owned()],
        case_sensitive: false,
        exact_spaces,
        width_sensitive: false,
        numeric_tolerance: None,
    };
    let questions = vec![
        Question::new(QuestionContent::FillBlank {
            stem: "<p>{{1}} 和 {{2}}</p>".to_owned(),
            blanks: vec![blank(false), blank(false)],
        }),
        Question::new(QuestionContent::FillBlank {
            stem: "<p>空格 {{1}}</p>".to_owned(),
            blanks: vec![blank(true)],
        }),
        Question::new(QuestionContent::Essay {
            stem: "<p>论述</p>".to_owned(),
            reference_answer: String::new(),
            rubric: vec![RubricItem {
                criterion: "观点".to_owned(),
                points: 2.0,
            }],
        }),
        Question::new(QuestionContent::Composite {
            passage: "<p>材料</p>".to_owned(),
            parts: vec![],
        }),
        Question::new(QuestionContent::Ordering {
            stem: "<p>排序</p>".to_owned(),
            items: options_from(&["<p>一</p>".to_owned(), "<p>二</p>".to_owned()]),
        }),
    ];
    let written = export(Format::MoodleXml, &items(questions), &[]);
    assert_eq!(
        written.skipped,
        vec![
            ("q0".to_owned(), QuestionType::FillBlank),
            ("q1".to_owned(), QuestionType::FillBlank),
            ("q2".to_owned(), QuestionType::Essay),
            ("q3".to_owned(), QuestionType::Composite),
        ]
    );
    let parsed = parse(Format::MoodleXml, &written.bytes);
    assert_eq!(parsed.questions.len(), 1);
    assert!(parsed.problems.is_empty());
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
