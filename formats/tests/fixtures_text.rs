//! The fixtures of the text formats (`formats/fixtures/{aiken,gift,moodle}/`): valid files
//! parse to exactly these questions, broken ones report exactly these problems.

use question_formats::{Format, Located, Parsed, Question, parse};
use shared::questions::{Blank, Choice, Pair, QuestionContent};

fn fixture(format: &str, name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(format)
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn choices(texts: &[(&str, &str)]) -> Vec<Choice> {
    texts
        .iter()
        .map(|(id, text)| Choice {
            id: (*id).to_owned(),
            text: (*text).to_owned(),
        })
        .collect()
}

fn single(stem: &str, options: &[(&str, &str)], answer: &str) -> QuestionContent {
    QuestionContent::SingleChoice {
        stem: stem.to_owned(),
        options: choices(options),
        answer: answer.to_owned(),
    }
}

fn blank(answers: &[&str], tolerance: Option<f64>) -> Blank {
    Blank {
        answers: answers.iter().map(|a| (*a).to_owned()).collect(),
        case_sensitive: false,
        exact_spaces: false,
        width_sensitive: false,
        numeric_tolerance: tolerance,
    }
}

fn pairs(list: &[(&str, &str)]) -> Vec<Pair> {
    list.iter()
        .map(|(p, a)| Pair {
            prompt: (*p).to_owned(),
            answer: (*a).to_owned(),
        })
        .collect()
}

/// (line, item, field, reason) of every problem.
fn problems(parsed: &Parsed) -> Vec<(u32, Option<String>, String, String)> {
    parsed
        .problems
        .iter()
        .map(|p| {
            (
                p.location.line,
                p.location.item.clone(),
                p.field.clone(),
                p.reason.clone(),
            )
        })
        .collect()
}

fn at(line: u32, field: &str, reason: &str) -> (u32, Option<String>, String, String) {
    (line, None, field.to_owned(), reason.to_owned())
}

fn at_item(
    line: u32,
    item: &str,
    field: &str,
    reason: &str,
) -> (u32, Option<String>, String, String) {
    (
        line,
        Some(item.to_owned()),
        field.to_owned(),
        reason.to_owned(),
    )
}

fn lines(parsed: &Parsed) -> Vec<u32> {
    parsed.questions.iter().map(|q| q.location.line).collect()
}

fn questions(parsed: &Parsed) -> Vec<Question> {
    parsed
        .questions
        .iter()
        .map(|q| q.question.clone())
        .collect()
}

fn assert_all_valid(questions: &[Located]) {
    for q in questions {
        assert_eq!(q.question.content.validate(""), vec![], "{q:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// Aiken

#[test]
fn aiken_valid_fixture() {
    let parsed = parse(Format::Aiken, &fixture("aiken", "valid.txt"));
    assert_eq!(problems(&parsed), vec![]);
    assert_all_valid(&parsed.questions);
    assert_eq!(lines(&parsed), vec![1, 7, 14, 20]);
    assert_eq!(
        questions(&parsed),
        vec![
            Question::new(single(
                "<p>中国的首都是哪座城市？</p>",
                &[
                    ("A", "<p>上海</p>"),
                    ("B", "<p>北京</p>"),
                    ("C", "<p>广州</p>")
                ],
                "B",
            )),
            Question::new(single(
                "<p>已知 $x^2 = 4$ 且 $x &gt; 0$，则 x 等于<br>（多行题干的第二行）</p>",
                &[
                    ("A", "<p>2</p>"),
                    ("B", "<p>-2</p>"),
                    ("C", "<p>4</p>"),
                    ("D", "<p>0</p>"),
                ],
                "A",
            )),
            Question::new(single(
                "<p>中文标点的选项，题目之间没有空行</p>",
                &[("A", "<p>甲</p>"), ("B", "<p>乙</p>"), ("C", "<p>丙</p>")],
                "C",
            )),
            Question::new(single(
                "<p>Which is a &lt;tag&gt; &amp; &quot;quoted&quot;?</p>",
                &[("A", "<p>&lt;b&gt;</p>"), ("B", "<p>&amp;amp;</p>")],
                "B",
            )),
        ]
    );
}

#[test]
fn aiken_broken_fixture() {
    let parsed = parse(Format::Aiken, &fixture("aiken", "broken.txt"));
    assert_eq!(
        problems(&parsed),
        vec![
            at(1, "answer", "required"),
            at(8, "answer", "unknown_option"),
            at(12, "options[1].text", "duplicate"),
            at(15, "options", "too_few"),
            at(19, "stem", "required"),
            at(21, "options", "required"),
            at(27, "answer", "invalid_format"),
        ]
    );
    assert_eq!(lines(&parsed), vec![29]);
    assert_all_valid(&parsed.questions);
}

#[test]
fn aiken_not_utf8() {
    let parsed = parse(Format::Aiken, &fixture("aiken", "not-utf8.txt"));
    assert_eq!(problems(&parsed), vec![at(0, "file", "invalid_file")]);
    assert!(parsed.questions.is_empty());
}

// ---------------------------------------------------------------------------------------------
// GIFT

fn p(text: &str) -> String {
    format!("<p>{text}</p>")
}

fn in_category(mut q: Question, category: &str) -> Question {
    q.category = Some(category.to_owned());
    q
}

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

// ---------------------------------------------------------------------------------------------
// Moodle XML

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

// ---------------------------------------------------------------------------------------------
// Limits

#[test]
fn too_many_options_or_questions_are_refused() {
    let options: String = (0..60).map(|i| format!("A. 选项{i}\n")).collect();
    let parsed = parse(
        Format::Aiken,
        format!("题目\n{options}ANSWER: A\n").as_bytes(),
    );
    assert_eq!(problems(&parsed), vec![at(1, "options", "too_many")]);

    let options: String = (0..60).map(|i| format!(" ~选项{i}")).collect();
    let parsed = parse(Format::Gift, format!("题目{{={options}}}\n").as_bytes());
    assert_eq!(problems(&parsed), vec![at(1, "options", "too_many")]);

    let options: String = (0..60)
        .map(|i| format!("<answer fraction=\"0\"><text>{i}</text></answer>"))
        .collect();
    let xml = format!(
        "<quiz>\n<question type=\"multichoice\"><name><text>多</text></name>{options}</question></quiz>"
    );
    let parsed = parse(Format::MoodleXml, xml.as_bytes());
    assert_eq!(
        problems(&parsed),
        vec![at_item(2, "多", "options", "too_many")]
    );

    let gift: String = (0..10_001).map(|i| format!("题目{i}{{T}}\n\n")).collect();
    let parsed = parse(Format::Gift, gift.as_bytes());
    assert_eq!(parsed.questions.len(), 10_000);
    assert_eq!(problems(&parsed), vec![at(20_001, "file", "too_large")]);

    let deep = format!("<quiz>{}", "<a>".repeat(1000));
    let parsed = parse(Format::MoodleXml, deep.as_bytes());
    assert_eq!(problems(&parsed), vec![at(1, "file", "too_large")]);
}

// ---------------------------------------------------------------------------------------------
// Moodle media names

#[test]
fn moodle_media_names_are_decoded_and_made_unique() {
    let question = |name: &str, file: &str, data: &str| {
        format!(
            "<question type=\"truefalse\"><name><text>{name}</text></name>\
             <questiontext format=\"html\"><text><![CDATA[<p><img src=\"@@PLUGINFILE@@/{}\"></p>]]></text>\
             <file name=\"{file}\" path=\"/\" encoding=\"base64\">{data}</file></questiontext>\
             <answer fraction=\"100\"><text>true</text></answer></question>\n",
            file.replace(' ', "%20")
        )
    };
    let xml = format!(
        "<quiz>\n{}{}{}{}</quiz>",
        question("一", "图 1.png", "AAEC"),
        question("二", "图 1.png", "AAEC"),
        question("三", "图 1.png", "AwQF"),
        question("四", "坏.png", "不是base64"),
    );
    let parsed = parse(Format::MoodleXml, xml.as_bytes());
    assert_eq!(
        problems(&parsed),
        vec![at_item(5, "四", "file", "invalid_format")]
    );
    let stems: Vec<&str> = parsed
        .questions
        .iter()
        .map(|q| q.question.content.stem())
        .collect();
    assert_eq!(
        stems,
        vec![
            "<p><img src=\"图 1.png\"></p>",
            "<p><img src=\"图 1.png\"></p>",
            "<p><img src=\"图 1-2.png\"></p>",
        ]
    );
    let media: Vec<(&str, &[u8])> = parsed
        .media
        .iter()
        .map(|m| (m.name.as_str(), m.bytes.as_slice()))
        .collect();
    assert_eq!(
        media,
        vec![
            ("图 1.png", &[0u8, 1, 2][..]),
            ("图 1-2.png", &[3u8, 4, 5][..])
        ]
    );
}
