//! The QTI fixtures read as expected: every type, Chinese text, formulas, images, and the
//! problems of broken items with their exact locations.

#![allow(clippy::expect_used, clippy::unwrap_used)] // helpers of tests fail by panicking

mod expected;

use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};

use expected::{formula, package_problems, package_questions};
use question_formats::{
    ExportItem, Format, Located, Location, MediaFile, Parsed, Problem, Question, export, parse,
};
use shared::questions::{Blank, Choice, QuestionContent};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// Zips a directory (files in name order) in memory.
fn zip_dir(dir: &Path) -> Vec<u8> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, PathBuf)>) {
        for entry in std::fs::read_dir(dir).expect("fixture dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let name = path
                    .strip_prefix(root)
                    .expect("inside")
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push((name, path));
            }
        }
    }
    let mut files = Vec::new();
    walk(dir, dir, &mut files);
    files.sort();
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, path) in files {
        zip.start_file(name, options).expect("start");
        zip.write_all(&std::fs::read(path).expect("read"))
            .expect("write");
    }
    zip.finish().expect("finish").into_inner()
}

const PNG: [u8; 69] = [
    137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0,
    0, 0, 144, 119, 83, 222, 0, 0, 0, 12, 73, 68, 65, 84, 120, 156, 99, 248, 207, 192, 0, 0, 3, 1,
    1, 0, 201, 254, 146, 239, 0, 0, 0, 0, 73, 69, 78, 68, 174, 66, 96, 130,
];

const VERSIONS: [(Format, &str); 2] = [(Format::Qti21, "qti21"), (Format::Qti30, "qti30")];

fn choice(id: &str, text: &str) -> Choice {
    Choice {
        id: id.into(),
        text: text.into(),
    }
}

fn blank(answers: &[&str]) -> Blank {
    Blank {
        answers: answers.iter().map(|a| a.to_string()).collect(),
        case_sensitive: false,
        exact_spaces: false,
        width_sensitive: false,
        numeric_tolerance: None,
    }
}

fn at(line: u32, item: &str) -> Location {
    Location {
        line,
        item: Some(item.into()),
    }
}

fn located(item: &str, question: Question) -> Located {
    Located {
        location: at(2, item),
        question,
    }
}

fn with_points(content: QuestionContent, points: f64) -> Question {
    Question {
        points,
        ..Question::new(content)
    }
}

fn problem(line: u32, item: &str, field: &str, reason: &str) -> Problem {
    Problem {
        location: at(line, item),
        field: field.into(),
        reason: reason.into(),
    }
}

#[test]
fn the_packages_hold_every_type_and_report_each_broken_item_where_it_is() {
    for (format, dir) in VERSIONS {
        let parsed = parse(format, &zip_dir(&fixtures().join(dir).join("package")));
        assert_eq!(parsed.questions, package_questions(), "{dir}");
        assert_eq!(parsed.problems, package_problems(), "{dir}");
        assert_eq!(parsed.media, vec![formula()], "{dir}");
        // The committed zip of the same directory reads the same.
        let committed = std::fs::read(fixtures().join(dir).join("package.zip")).expect("zip");
        assert_eq!(parse(format, &committed), parsed, "{dir}");
        // Either version's reader accepts the other's items.
        let other = if format == Format::Qti21 {
            Format::Qti30
        } else {
            Format::Qti21
        };
        assert_eq!(parse(other, &committed), parsed, "{dir}");
    }
}

#[test]
fn a_single_item_file_reads_with_its_points_and_feedback() {
    for (format, dir) in VERSIONS {
        let bytes = std::fs::read(fixtures().join(dir).join("single-choice.xml")).expect("read");
        let parsed = parse(format, &bytes);
        let expected = Located {
            location: at(2, "single-choice"),
            question: Question {
                points: 2.5,
                explanation: "<p>$\\sqrt{9 + 16} = 5$</p>".into(),
                ..Question::new(QuestionContent::SingleChoice {
                    stem: "<p>直角三角形两直角边为 3 和 4，斜边 $c = \\sqrt{a^2 + b^2}$ 等于多少？</p>".into(),
                    options: vec![
                        choice("A", "4"),
                        choice("B", "5 <b>(a &amp; b)</b>"),
                        choice("C", "7"),
                    ],
                    answer: "B".into(),
                })
            },
        };
        assert_eq!(
            parsed,
            Parsed {
                questions: vec![expected],
                ..Parsed::default()
            },
            "{dir}"
        );
    }
}

#[test]
fn malformed_and_foreign_files_are_reported_with_their_location() {
    for (format, dir) in VERSIONS {
        let bytes = std::fs::read(fixtures().join(dir).join("malformed.xml")).expect("read");
        let problems = |bytes: &[u8]| -> Vec<(u32, Option<String>, String, String)> {
            let parsed = parse(format, bytes);
            assert!(parsed.questions.is_empty());
            parsed
                .problems
                .into_iter()
                .map(|p| (p.location.line, p.location.item, p.field, p.reason))
                .collect()
        };
        let one = |line: u32, item: Option<&str>, reason: &str| {
            vec![(
                line,
                item.map(str::to_owned),
                "file".to_owned(),
                reason.to_owned(),
            )]
        };
        assert_eq!(problems(&bytes), one(5, None, "syntax_error"), "{dir}");
        assert_eq!(problems(b""), one(0, None, "invalid_file"));
        assert_eq!(problems(b" \n "), one(0, None, "invalid_file"));
        assert_eq!(
            problems(b"\xc3\x28 not UTF-8"),
            one(0, None, "invalid_file")
        );
        assert_eq!(problems(b"<manifest/>"), one(1, None, "invalid_file"));
        assert_eq!(problems(b"<a>\n<b>\n</a>"), one(3, None, "syntax_error"));
        let zip = zip_dir(&fixtures().join(dir).join("package"));
        assert_eq!(
            problems(&zip[..zip.len() / 2]),
            one(0, None, "invalid_file")
        );
        let mut no_manifest = zip::ZipWriter::new(Cursor::new(Vec::new()));
        no_manifest
            .start_file("items/a.xml", zip::write::SimpleFileOptions::default())
            .expect("start");
        no_manifest.write_all(b"<assessmentItem/>").expect("write");
        let no_manifest = no_manifest.finish().expect("finish").into_inner();
        assert_eq!(
            problems(&no_manifest),
            one(0, Some("imsmanifest.xml"), "invalid_file")
        );
    }
}

#[test]
fn an_item_file_without_its_package_reports_its_images_as_missing() {
    let item =
        std::fs::read(fixtures().join("qti30/package/items/choice-multiple.xml")).expect("read");
    let parsed = parse(Format::Qti30, &item);
    assert_eq!(parsed.questions.len(), 1);
    assert_eq!(
        parsed.problems,
        vec![problem(16, "choice-multiple", "media", "missing_media")]
    );
}

/// The package's questions, written and read again, come back equal, with the image.
#[test]
fn the_fixture_questions_survive_export_in_both_versions() {
    let questions: Vec<Question> = package_questions()
        .into_iter()
        .map(|l| l.question)
        .collect();
    let items: Vec<ExportItem> = questions
        .iter()
        .enumerate()
        .map(|(i, q)| ExportItem {
            id: format!("题{i}"),
            question: q.clone(),
        })
        .collect();
    for (format, dir) in VERSIONS {
        let written = export(format, &items, &[formula()]);
        assert!(written.skipped.is_empty());
        let parsed = parse(format, &written.bytes);
        let back: Vec<Question> = parsed
            .questions
            .iter()
            .map(|l| l.question.clone())
            .collect();
        assert_eq!(back, questions, "{dir}");
        assert_eq!(parsed.media, vec![formula()], "{dir}");
        // images/missing.png is not there on export either.
        assert_eq!(
            parsed.problems,
            vec![problem(7, "items/_7.xml#_7", "media", "missing_media")],
            "{dir}"
        );
        let mut zip = zip::ZipArchive::new(Cursor::new(written.bytes)).expect("zip");
        let mut names: Vec<String> = zip
            .file_names()
            .map(|n| n.expect("name").into_owned())
            .collect();
        names.sort();
        assert!(
            names.contains(&"items/images/formula.png".to_owned()),
            "{names:?}"
        );
        let mut item = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("items/_0.xml").expect("item"), &mut item)
            .expect("utf-8");
        match format {
            Format::Qti21 => {
                assert!(item.contains(
                    "<assessmentItem xmlns=\"http://www.imsglobal.org/xsd/imsqti_v2p1\""
                ));
                assert!(item.contains("<choiceInteraction responseIdentifier=\"RESPONSE\""));
            }
            _ => {
                assert!(item.contains(
                    "<qti-assessment-item xmlns=\"http://www.imsglobal.org/xsd/imsqtiasi_v3p0\""
                ));
                assert!(item.contains("<qti-choice-interaction response-identifier=\"RESPONSE\""));
            }
        }
        assert!(
            item.contains("<img src=\"images/formula.png\" alt=\"公式\"/>"),
            "{item}"
        );
    }
}

fn sample_questions() -> Vec<Question> {
    vec![
        Question {
            points: 2.0,
            difficulty: 2,
            explanation: "<p>由勾股定理，$c = \\sqrt{3^2 + 4^2} = 5$。</p>".into(),
            tags: vec!["几何".into()],
            category: Some("数学/几何".into()),
            ..Question::new(QuestionContent::SingleChoice {
                stem: "<p>如图，直角三角形的斜边 $c$ 是多少？</p><p><img src=\"images/formula.png\" alt=\"三角形\"></p>".into(),
                options: vec![choice("A", "4"), choice("B", "5"), choice("C", "7")],
                answer: "B".into(),
            })
        },
        Question {
            points: 1.0,
            difficulty: 1,
            category: Some("语文".into()),
            ..Question::new(QuestionContent::FillBlank {
                stem: "<p>“床前明月光”的下一句是{{1}}。</p>".into(),
                blanks: vec![blank(&["疑是地上霜"])],
            })
        },
    ]
}

fn sample_items() -> Vec<ExportItem> {
    sample_questions()
        .into_iter()
        .enumerate()
        .map(|(i, question)| ExportItem {
            id: format!("sample-{}", i + 1),
            question,
        })
        .collect()
}

/// `examcloud-sample.zip` (for browser tests) is our own QTI 3.0 export of two questions.
#[test]
fn the_sample_package_for_browser_tests_reads_as_written() {
    let bytes = std::fs::read(fixtures().join("qti30/examcloud-sample.zip")).expect("sample");
    let parsed = parse(Format::Qti30, &bytes);
    assert_eq!(parsed.problems, vec![]);
    let back: Vec<Question> = parsed.questions.into_iter().map(|l| l.question).collect();
    assert_eq!(back, sample_questions());
    assert_eq!(parsed.media, vec![formula()]);
}

/// Writes `examcloud-sample.zip` again: `cargo test -p question-formats --test fixtures_qti
/// -- --ignored`.
#[test]
#[ignore]
fn regenerate_the_sample_package() {
    let written = export(Format::Qti30, &sample_items(), &[formula()]);
    std::fs::write(fixtures().join("qti30/examcloud-sample.zip"), written.bytes).expect("write");
}

/// The QTI corpora (`fuzz/corpus/qti21`, `qti30`) go through the fuzz target's steps (parse,
/// write, parse) without a panic; the hostile files are refused as they should be.
#[test]
fn the_qti_corpus_runs_like_the_fuzz_target() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/corpus");
    for (format, dir) in VERSIONS {
        let mut files = 0;
        for entry in std::fs::read_dir(corpus.join(dir)).expect("corpus") {
            let path = entry.expect("entry").path();
            let data = std::fs::read(&path).expect("read");
            let parsed = parse(format, &data);
            let items: Vec<ExportItem> = parsed
                .questions
                .iter()
                .enumerate()
                .map(|(i, q)| ExportItem {
                    id: i.to_string(),
                    question: q.question.clone(),
                })
                .collect();
            let written = export(format, &items, &parsed.media);
            let again = parse(format, &written.bytes);
            let first: Vec<&Question> = parsed.questions.iter().map(|l| &l.question).collect();
            let second: Vec<&Question> = again.questions.iter().map(|l| &l.question).collect();
            assert_eq!(first, second, "{}", path.display());
            files += 1;
        }
        assert!(files >= 20, "{dir}");
        let reasons = |name: &str| -> Vec<String> {
            let data = std::fs::read(corpus.join(dir).join(name)).expect("read");
            parse(format, &data)
                .problems
                .into_iter()
                .map(|p| p.reason)
                .collect()
        };
        assert_eq!(reasons("zip-bomb.zip"), ["too_large"]);
        assert_eq!(reasons("deep-nesting.xml"), ["too_large"]);
        assert_eq!(reasons("no-manifest.zip"), ["invalid_file"]);
        assert_eq!(reasons("truncated.zip"), ["invalid_file"]);
        assert_eq!(reasons("pk-only"), ["invalid_file"]);
        assert_eq!(reasons("garbage"), ["invalid_file"]);
        assert_eq!(
            reasons("hostile-paths.zip"),
            // `../../etc/passwd`; an item without interaction whose `../../../a.png` and
            // `/abs.png` are not in the package (the URL and the empty `src` are not
            // files); a resource without `href`.
            [
                "invalid_file",
                "required",
                "missing_media",
                "missing_media",
                "invalid_file"
            ]
        );
    }
}

#[test]
fn a_package_with_too_many_entries_is_refused() {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for i in 0..10_001 {
        zip.start_file(format!("f{i}"), options).expect("start");
    }
    let bytes = zip.finish().expect("finish").into_inner();
    let parsed = parse(Format::Qti21, &bytes);
    let reasons: Vec<&str> = parsed.problems.iter().map(|p| p.reason.as_str()).collect();
    assert_eq!(reasons, ["too_large"]);
}

#[test]
fn utf16_files_and_percent_encoded_paths_are_read() {
    let text = std::fs::read_to_string(fixtures().join("qti21/single-choice.xml")).expect("read");
    let utf8 = parse(Format::Qti21, text.as_bytes());
    assert_eq!(utf8.questions.len(), 1);
    let mut le = vec![0xFF, 0xFE];
    le.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    assert_eq!(parse(Format::Qti21, &le), utf8);
    let mut be = vec![0xFE, 0xFF];
    be.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
    assert_eq!(parse(Format::Qti21, &be), utf8);

    let item = text.replace(
        "<p>直角三角形",
        "<p><img src=\"images/a%20b.png\"/></p>\n    <p>直角三角形",
    );
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    for (name, bytes) in [
        (
            "imsmanifest.xml",
            b"<manifest><resources><resource type=\"imsqti_item_xmlv2p1\" \
              href=\"items/%E9%A2%98.xml\"/></resources></manifest>"
                .to_vec(),
        ),
        ("items/题.xml", item.into_bytes()),
        ("items/images/a b.png", PNG.to_vec()),
    ] {
        zip.start_file(name, options).expect("start");
        zip.write_all(&bytes).expect("write");
    }
    let parsed = parse(Format::Qti21, &zip.finish().expect("finish").into_inner());
    assert_eq!(parsed.problems, vec![]);
    assert_eq!(parsed.questions.len(), 1);
    assert_eq!(
        parsed.questions[0].location,
        at(2, "items/%E9%A2%98.xml#single-choice")
    );
    assert_eq!(
        parsed.media,
        vec![MediaFile {
            name: "images/a%20b.png".into(),
            bytes: PNG.to_vec()
        }]
    );
}
