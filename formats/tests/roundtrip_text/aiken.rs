//! Aiken: generated questions round-trip, and what Aiken cannot express is skipped.

use proptest::prelude::*;
use question_formats::{Format, Question, export, plain_to_html};
use shared::questions::{QuestionContent, QuestionType};

use super::{
    aiken_carries, distinct, items, options_from, plain, plain_with_formula, points, round_trip,
};

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
