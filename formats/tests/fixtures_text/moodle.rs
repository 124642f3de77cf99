//! The Moodle XML fixtures.

use question_formats::{Format, Parsed, Question, parse};
use shared::questions::{Blank, QuestionContent};

use super::{
    assert_all_valid, at, at_item, blank, choices, fixture, in_category, p, pairs, problems,
    questions, single,
};

const PNG: &str = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

fn items(parsed: &Parsed) -> Vec<(u32, Option<String>)> {
    parsed
        .questions
        .iter()
        .map(|q| (q.location.line, q.location.item.clone()))
        .collect()
}

#[test]
fn moodle_valid_fixture() {
    use base64::Engine;
    let parsed = parse(Format::MoodleXml, &fixture("moodle", "valid.xml"));
    assert_eq!(problems(&parsed), vec![]);
    assert_all_valid(&parsed.questions);
    let named = |line: u32, name: &str| (line, Some(name.to_owned()));
    assert_eq!(
        items(&parsed),
        vec![
            named(11, "单选-方程"),
            named(30, "多选-质数"),
            named(39, "判断"),
            named(55, "填空-首都"),
            named(64, "填空-大小写"),
            named(71, "数值-圆周率"),
            named(79, "问答"),
            named(85, "配对"),
            named(94, "排序"),
        ]
    );
    assert_eq!(parsed.media.len(), 1);
    assert_eq!(parsed.media[0].name, "graph.png");
    assert_eq!(
        parsed.media[0].bytes,
        base64::engine::general_purpose::STANDARD
            .decode(PNG)
            .expect("png")
    );
    let algebra = "数学/代数";
    let chinese = "语文";
    let expected = vec![
        Question {
            points: 2.5,
            explanation: "<p>因为 $x > 0$。</p>".to_owned(),
            tags: vec!["代数".to_owned(), "方程".to_owned()],
            category: Some(algebra.to_owned()),
            ..Question::new(single(
                "<p>已知 $x^2 = 4$ 且 $x > 0$，则 x 等于？</p><p><img src=\"graph.png\" alt=\"图\"></p>",
                &[("A", "<p>2</p>"), ("B", "<p>-2</p>"), ("C", "<p>4 & 5</p>")],
                "A",
            ))
        },
        in_category(
            Question::new(QuestionContent::MultipleChoice {
                stem: p("下列哪些是质数？"),
                options: choices(&[("A", "2"), ("B", "3"), ("C", "4")]),
                answers: vec!["A".to_owned(), "B".to_owned()],
            }),
            algebra,
        ),
        in_category(
            Question::new(QuestionContent::TrueFalse {
                stem: "地球是圆的。".to_owned(),
                answer: true,
            }),
            algebra,
        ),
        in_category(
            Question::new(QuestionContent::FillBlank {
                stem: p("中国的首都是 {{1}} 。"),
                blanks: vec![blank(&["北京", "北京市"], None)],
            }),
            chinese,
        ),
        in_category(
            Question::new(QuestionContent::FillBlank {
                stem: p("水的化学式{{1}}"),
                blanks: vec![Blank {
                    case_sensitive: true,
                    ..blank(&["H2O"], None)
                }],
            }),
            chinese,
        ),
        in_category(
            Question::new(QuestionContent::FillBlank {
                stem: p("$\\pi$ 保留两位小数是 {{1}}。"),
                blanks: vec![blank(&["3.14"], Some(0.005))],
            }),
            chinese,
        ),
        in_category(
            Question::new(QuestionContent::Essay {
                stem: "<p>论述<strong>改革开放</strong>的意义。</p>".to_owned(),
                reference_answer: p("参考要点：经济发展。"),
                rubric: vec![],
            }),
            chinese,
        ),
        in_category(
            Question::new(QuestionContent::Matching {
                stem: "把国家和首都配对。".to_owned(),
                prompts: choices(&[("1", "中国"), ("2", "日本"), ("3", "韩国")]),
                answers: choices(&[
                    ("A", &p("北京")),
                    ("B", &p("东京")),
                    ("C", &p("首尔 &amp; 仁川")),
                    ("D", &p("上海")),
                ]),
                pairs: pairs(&[("1", "A"), ("2", "B"), ("3", "C")]),
            }),
            chinese,
        ),
        in_category(
            Question::new(QuestionContent::Ordering {
                stem: "按时间先后排序。".to_owned(),
                items: choices(&[("A", "秦"), ("B", "汉"), ("C", "唐")]),
            }),
            chinese,
        ),
    ];
    let got = questions(&parsed);
    assert_eq!(got.len(), expected.len());
    for (g, e) in got.iter().zip(&expected) {
        assert_eq!(g, e);
    }
}

#[test]
fn moodle_broken_fixture() {
    let parsed = parse(Format::MoodleXml, &fixture("moodle", "broken.xml"));
    assert_eq!(
        problems(&parsed),
        vec![
            at_item(3, "完形填空", "type", "type_not_supported_by_format"),
            at_item(7, "计算题", "type", "type_not_supported_by_format"),
            at_item(10, "重复选项", "options[1].text", "duplicate"),
            at_item(16, "没有正确答案", "answer", "required"),
            at_item(22, "缺图片", "file", "missing_media"),
            at_item(27, "数字错误", "answer", "invalid_format"),
            at_item(32, "分数错误", "points", "invalid_format"),
            at_item(37, "空题干", "stem", "required"),
            at_item(49, "多空", "type", "type_not_supported_by_format"),
        ]
    );
    assert_eq!(items(&parsed), vec![(43, Some("好题".to_owned()))]);
    assert_all_valid(&parsed.questions);
    assert!(parsed.media.is_empty());
}

#[test]
fn moodle_malformed_truncated_and_foreign_files() {
    let parsed = parse(Format::MoodleXml, &fixture("moodle", "malformed.xml"));
    assert_eq!(
        problems(&parsed),
        vec![at_item(10, "坏题", "file", "syntax_error")]
    );
    assert_eq!(items(&parsed), vec![(3, Some("第一题".to_owned()))]);

    let parsed = parse(Format::MoodleXml, &fixture("moodle", "truncated.xml"));
    assert_eq!(
        problems(&parsed),
        vec![at_item(3, "截断", "file", "syntax_error")]
    );
    assert!(parsed.questions.is_empty());

    let parsed = parse(Format::MoodleXml, &fixture("moodle", "not-xml.xml"));
    assert_eq!(problems(&parsed), vec![at(0, "file", "invalid_file")]);

    let parsed = parse(Format::MoodleXml, &fixture("moodle", "wrong-root.xml"));
    assert_eq!(problems(&parsed), vec![at(2, "file", "invalid_file")]);
}
