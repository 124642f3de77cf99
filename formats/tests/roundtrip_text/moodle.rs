//! Moodle XML: generated questions (with media) round-trip, and what Moodle XML cannot
//! express is skipped.

use proptest::prelude::*;
use question_formats::{Format, MediaFile, Question, export, parse, plain_to_html};
use shared::questions::{Blank, QuestionContent, QuestionType, RubricItem};

use super::{
    distinct, fill_blank_stem, html_escape, items, matching, moodle_carries, multiple_choice,
    numeric_blank, options_from, plain, plain_blank, question_of, rich, round_trip, single_choice,
    true_false,
};

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
    question_of(moodle_content(), moodle_rich())
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
