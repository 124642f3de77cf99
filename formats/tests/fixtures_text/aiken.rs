//! The Aiken fixtures.

use question_formats::{Format, Question, parse};

use super::{assert_all_valid, at, fixture, lines, problems, questions, single};

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
