//! GIFT: generated questions round-trip, and what GIFT cannot express is skipped.

use proptest::prelude::*;
use question_formats::{Format, Question, export};
use shared::questions::{Blank, QuestionContent, QuestionType, RubricItem};

use super::{
    essay, fill_blank_stem, gift_carries, items, matching, multiple_choice, numeric_blank,
    options_from, plain_blank, question_of, rich, round_trip, single_choice, true_false,
};

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
    question_of(gift_content(), rich())
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
