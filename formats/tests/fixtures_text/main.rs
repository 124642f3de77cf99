//! The fixtures of the text formats (`formats/fixtures/{aiken,gift,moodle}/`): valid files
//! parse to exactly these questions, broken ones report exactly these problems.

mod aiken;
mod gift;
mod moodle;

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

fn p(text: &str) -> String {
    format!("<p>{text}</p>")
}

fn in_category(mut q: Question, category: &str) -> Question {
    q.category = Some(category.to_owned());
    q
}

fn assert_all_valid(questions: &[Located]) {
    for q in questions {
        assert_eq!(q.question.content.validate(""), vec![], "{q:?}");
    }
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
