//! The GIFT fixtures.

use question_formats::{Format, Question, parse};
use shared::questions::QuestionContent;

use super::{
    assert_all_valid, at, blank, choices, fixture, in_category, lines, p, pairs, problems,
    questions, single,
};

#[test]
fn gift_valid_fixture() {
    let parsed = parse(Format::Gift, &fixture("gift", "valid.gift"));
    assert_eq!(problems(&parsed), vec![]);
    assert_all_valid(&parsed.questions);
    assert_eq!(
        lines(&parsed),
        vec![5, 12, 14, 16, 18, 20, 22, 26, 33, 35, 37, 41]
    );
    let algebra = "数学/代数";
    let chinese = "语文";
    let got = questions(&parsed);
    let expected = vec![
        Question {
            explanation: p("因为 $x &gt; 0$，所以 x = 2。"),
            tags: vec!["代数".to_owned(), "方程".to_owned()],
            category: Some(algebra.to_owned()),
            ..Question::new(single(
                &p("已知 $x^2 = 4$ 且 x &gt; 0，则 x 等于？"),
                &[("A", &p("2")), ("B", &p("-2")), ("C", &p("4"))],
                "A",
            ))
        },
        in_category(
            Question::new(QuestionContent::MultipleChoice {
                stem: p("下列哪些是质数？"),
                options: choices(&[("A", &p("2")), ("B", &p("3")), ("C", &p("4"))]),
                answers: vec!["A".to_owned(), "B".to_owned()],
            }),
            algebra,
        ),
        in_category(
            Question::new(QuestionContent::FillBlank {
                stem: p("中国的首都是 {{1}} 。"),
                blanks: vec![blank(&["北京", "北京市"], None)],
            }),
            algebra,
        ),
        in_category(
            Question::new(QuestionContent::FillBlank {
                stem: p("$\\pi$ 保留两位小数是多少？{{1}}"),
                blanks: vec![blank(&["3.14"], Some(0.005))],
            }),
            algebra,
        ),
        in_category(
            Question::new(QuestionContent::FillBlank {
                stem: p("一个 1 到 5 之间的数{{1}}"),
                blanks: vec![blank(&["3"], Some(2.0))],
            }),
            algebra,
        ),
        in_category(
            Question::new(QuestionContent::TrueFalse {
                stem: p("地球是圆的。"),
                answer: true,
            }),
            algebra,
        ),
        in_category(
            Question::new(QuestionContent::TrueFalse {
                stem: p("月亮会发光。"),
                answer: false,
            }),
            algebra,
        ),
        in_category(
            Question::new(QuestionContent::Matching {
                stem: p("把国家和首都配对。"),
                prompts: choices(&[("1", &p("中国")), ("2", &p("日本")), ("3", &p("韩国"))]),
                answers: choices(&[
                    ("A", &p("北京")),
                    ("B", &p("东京")),
                    ("C", &p("首尔")),
                    ("D", &p("上海")),
                ]),
                pairs: pairs(&[("1", "A"), ("2", "B"), ("3", "C")]),
            }),
            chinese,
        ),
        in_category(
            Question::new(QuestionContent::Essay {
                stem: "<p>论述<strong>改革开放</strong>的意义。</p>".to_owned(),
                reference_answer: String::new(),
                rubric: vec![],
            }),
            chinese,
        ),
        in_category(
            Question::new(single(
                &p("特殊字符 ~ = # { } : 和反斜杠 \\ 都能写。"),
                &[("A", &p("对")), ("B", &p("错"))],
                "A",
            )),
            chinese,
        ),
        in_category(
            Question::new(QuestionContent::TrueFalse {
                stem: p("普通文字，没有标题。"),
                answer: true,
            }),
            chinese,
        ),
        in_category(
            Question::new(single(
                &p("Moodle 是 _____ 软件。"),
                &[("A", &p("收费的")), ("B", &p("免费的"))],
                "B",
            )),
            chinese,
        ),
    ];
    assert_eq!(got.len(), expected.len());
    for (g, e) in got.iter().zip(&expected) {
        assert_eq!(g, e);
    }
}

#[test]
fn gift_broken_fixture() {
    let parsed = parse(Format::Gift, &fixture("gift", "broken.gift"));
    assert_eq!(
        problems(&parsed),
        vec![
            at(1, "answer", "syntax_error"),
            at(3, "answer", "syntax_error"),
            at(5, "answer", "syntax_error"),
            at(7, "answer", "required"),
            at(9, "options[1].text", "duplicate"),
            at(11, "answer", "invalid_format"),
            at(13, "title", "syntax_error"),
            at(15, "answer", "syntax_error"),
            at(17, "answer", "invalid_format"),
            at(19, "options[1].text", "required"),
            at(23, "answer", "syntax_error"),
            at(25, "answer", "invalid_format"),
            at(28, "answer", "syntax_error"),
        ]
    );
    assert_eq!(lines(&parsed), vec![21]);
    assert_all_valid(&parsed.questions);
}

#[test]
fn gift_comments_only() {
    let parsed = parse(Format::Gift, &fixture("gift", "comments-only.gift"));
    assert_eq!(problems(&parsed), vec![at(0, "file", "no_questions")]);
}
