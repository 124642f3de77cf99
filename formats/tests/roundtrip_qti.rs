//! Any question of any type, written as a QTI 2.1 or 3.0 package and read back, comes back
//! equal (content, points, difficulty, explanation, tags, category), with the media it uses.

#![allow(clippy::expect_used, clippy::unwrap_used)] // helpers of tests fail by panicking

use proptest::prelude::*;
use question_formats::{ExportItem, Format, MediaFile, Question, export, parse};
use shared::questions::{Blank, Choice, Pair, Part, QuestionContent, RubricItem};

const PNG: &[u8] = &[0x89, b'P', b'N', b'G', 13, 10, 26, 10, 1, 2, 3];

fn media() -> Vec<MediaFile> {
    vec![
        MediaFile {
            name: "images/pic1.png".into(),
            bytes: PNG.to_vec(),
        },
        MediaFile {
            name: "images/图 2.png".into(),
            bytes: b"second".to_vec(),
        },
        MediaFile {
            name: "unused.png".into(),
            bytes: b"never referenced".to_vec(),
        },
    ]
}

/// A word of visible text.
fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9]{1,8}",
        "[一-龥]{1,4}",
        Just("中文 text".to_owned()),
        Just("a &lt; b &amp;&amp; c &gt; d".to_owned()),
        Just("&quot;quoted&quot; it's".to_owned()),
        Just("$x^2 + \\frac{1}{2}$".to_owned()),
        Just("$$\\sum_{i=1}^n i$$".to_owned()),
        Just("1&nbsp;000".to_owned()),
        Just("a&#39;b &#x4E2D;".to_owned()),
        Just("第一行\n第二行\r\n第三行\tx > y".to_owned()),
        Just("{not a marker}".to_owned()),
    ]
}

/// A piece of inline rich text.
fn inline() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => word(),
        1 => word().prop_map(|w| format!("<b>{w}</b>")),
        1 => word().prop_map(|w| format!("<i>{w}</i><br>")),
        1 => Just("<img src=\"images/pic1.png\" alt=\"图\">".to_owned()),
        1 => Just("<img src=\"images/图 2.png\">".to_owned()),
        1 => Just("<span style=\"color: red\">red</span>".to_owned()),
        1 => Just("<a href=\"https://e.com/?a=1&amp;b=2\" title=\"x &quot;y&quot; &lt;z&gt;\">链接</a>".to_owned()),
        1 => Just("x<hr>y".to_owned()),
        1 => Just("<ul><li>一</li><li>二 <sub>2</sub><sup>3</sup></li></ul>".to_owned()),
        1 => Just("<table><tbody><tr><td>1</td><td>&lt;2&gt;</td></tr></tbody></table>".to_owned()),
    ]
}

/// Rich text with visible content.
fn rich() -> impl Strategy<Value = String> {
    (
        word(),
        prop::collection::vec(inline(), 0..4),
        any::<bool>(),
        prop_oneof![Just(""), Just(" "), Just("\n")],
        prop_oneof![Just(""), Just("\n"), Just(" \n ")],
    )
        .prop_map(|(w, rest, p, before, after)| {
            let text = format!("{w}{}", rest.join(" "));
            let text = if p { format!("<p>{text}</p>") } else { text };
            format!("{before}{text}{after}")
        })
}

fn choices(prefix: &'static str, n: std::ops::Range<usize>) -> impl Strategy<Value = Vec<Choice>> {
    prop::collection::vec(rich(), n).prop_map(move |texts| {
        texts
            .into_iter()
            .enumerate()
            .map(|(i, text)| Choice {
                id: format!("{prefix}{}", i + 1),
                text,
            })
            .collect()
    })
}

fn answer_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9]{1,6}",
        "[一-龥]{1,3}",
        Just("a<b & \"c\"".to_owned()),
        Just("两 个 词".to_owned()),
        Just(" spaced ".to_owned()),
    ]
}

fn blank() -> impl Strategy<Value = Blank> {
    prop_oneof![
        (
            prop::collection::vec(answer_text(), 1..4),
            any::<bool>(),
            any::<bool>(),
            any::<bool>()
        )
            .prop_map(
                |(answers, case_sensitive, exact_spaces, width_sensitive)| Blank {
                    answers,
                    case_sensitive,
                    exact_spaces,
                    width_sensitive,
                    numeric_tolerance: None,
                }
            ),
        (
            prop::collection::vec(prop_oneof![Just("3.14"), Just("42"), Just("-0.5")], 1..3),
            prop_oneof![Just(0.0), Just(0.01), Just(0.5)]
        )
            .prop_map(|(answers, t)| Blank {
                answers: answers.into_iter().map(str::to_owned).collect(),
                case_sensitive: false,
                exact_spaces: false,
                width_sensitive: false,
                numeric_tolerance: Some(t),
            }),
    ]
}

fn points() -> impl Strategy<Value = f64> {
    prop_oneof![Just(1.0), Just(2.0), Just(0.5), Just(12.25), Just(1000.0)]
}

fn simple_content() -> impl Strategy<Value = QuestionContent> {
    prop_oneof![
        (rich(), choices("", 2..6), any::<prop::sample::Index>()).prop_map(|(stem, options, i)| {
            let answer = options[i.index(options.len())].id.clone();
            QuestionContent::SingleChoice {
                stem,
                options,
                answer,
            }
        }),
        (
            rich(),
            choices("O", 2..6),
            prop::collection::vec(any::<bool>(), 6)
        )
            .prop_map(|(stem, options, pick)| {
                let mut answers: Vec<String> = options
                    .iter()
                    .zip(&pick)
                    .filter(|(_, p)| **p)
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
            }),
        (rich(), any::<bool>())
            .prop_map(|(stem, answer)| QuestionContent::TrueFalse { stem, answer }),
        (prop::collection::vec((word(), blank()), 1..4), word()).prop_map(|(parts, tail)| {
            let mut stem = String::from("<p>");
            let mut blanks = Vec::new();
            for (i, (w, b)) in parts.into_iter().enumerate() {
                stem.push_str(&format!("{w} {{{{{}}}}} ", i + 1));
                blanks.push(b);
            }
            stem.push_str(&tail);
            stem.push_str("</p>");
            QuestionContent::FillBlank { stem, blanks }
        }),
        (
            rich(),
            prop_oneof![Just(String::new()), rich()],
            prop::collection::vec((answer_text(), points()), 0..3)
        )
            .prop_map(|(stem, reference_answer, rubric)| QuestionContent::Essay {
                stem,
                reference_answer,
                rubric: rubric
                    .into_iter()
                    .map(|(criterion, points)| RubricItem { criterion, points })
                    .collect(),
            }),
        (rich(), choices("s", 2..6))
            .prop_map(|(stem, items)| QuestionContent::Ordering { stem, items }),
        (rich(), choices("p", 2..5), choices("a", 0..3), any::<u64>()).prop_map(
            |(stem, prompts, extra, seed)| {
                // One answer per prompt (in a shuffled order), then the distractors.
                let n = prompts.len();
                let mut answers: Vec<Choice> = prompts
                    .iter()
                    .enumerate()
                    .map(|(i, p)| Choice {
                        id: format!("m{}", i + 1),
                        text: format!("{}→", p.text),
                    })
                    .collect();
                answers.rotate_left((seed as usize) % n);
                let pairs = (0..n)
                    .map(|i| Pair {
                        prompt: prompts[i].id.clone(),
                        answer: format!("m{}", i + 1),
                    })
                    .collect();
                answers.extend(extra);
                QuestionContent::Matching {
                    stem,
                    prompts,
                    answers,
                    pairs,
                }
            }
        ),
    ]
}

fn content() -> impl Strategy<Value = QuestionContent> {
    prop_oneof![
        6 => simple_content(),
        1 => (rich(), prop::collection::vec((simple_content(), points()), 1..4)).prop_map(
            |(passage, parts)| QuestionContent::Composite {
                passage,
                parts: parts
                    .into_iter()
                    .map(|(content, points)| Part { content, points })
                    .collect(),
            }
        ),
    ]
}

fn question() -> impl Strategy<Value = Question> {
    (
        content(),
        points(),
        1..=5i32,
        prop_oneof![Just(String::new()), rich()],
        prop::collection::vec(
            prop_oneof![
                "[a-z一-龥]{1,5}",
                Just("a,b".to_owned()),
                Just("50%".to_owned()),
                Just("%2C".to_owned())
            ],
            0..3,
        ),
        prop_oneof![
            Just(None),
            Just(Some("数学/代数".to_owned())),
            Just(Some("A & B/\"c\"".to_owned()))
        ],
    )
        .prop_map(
            |(content, points, difficulty, explanation, tags, category)| Question {
                content,
                points,
                difficulty,
                explanation,
                tags,
                category,
            },
        )
}

fn round_trip(format: Format, questions: Vec<Question>) {
    for q in &questions {
        assert_eq!(
            q.content.validate(""),
            vec![],
            "generated question is valid: {q:?}"
        );
    }
    let items: Vec<ExportItem> = questions
        .iter()
        .enumerate()
        .map(|(i, q)| ExportItem {
            id: format!("q-{i}"),
            question: q.clone(),
        })
        .collect();
    let media = media();
    let written = export(format, &items, &media);
    assert!(written.skipped.is_empty());
    let parsed = parse(format, &written.bytes);
    assert_eq!(parsed.problems, vec![]);
    let back: Vec<Question> = parsed.questions.into_iter().map(|l| l.question).collect();
    assert_eq!(back, questions);
    let all = format!("{questions:?}");
    for m in &media {
        let used = all.contains(&format!("src=\\\"{}\\\"", m.name));
        let got = parsed.media.iter().find(|g| g.name == m.name);
        match got {
            Some(g) => {
                assert!(used, "{} was not used", m.name);
                assert_eq!(g.bytes, m.bytes);
            }
            None => assert!(!used, "{} is missing", m.name),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn qti21_round_trip(questions in prop::collection::vec(question(), 1..4)) {
        round_trip(Format::Qti21, questions);
    }

    #[test]
    fn qti30_round_trip(questions in prop::collection::vec(question(), 1..4)) {
        round_trip(Format::Qti30, questions);
    }
}

/// Seeds for mutation: every item XML of the fixtures.
fn seeds() -> Vec<Vec<u8>> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut out = Vec::new();
    for dir in [
        "qti21",
        "qti21/package/items",
        "qti30",
        "qti30/package/items",
    ] {
        let mut names: Vec<_> = std::fs::read_dir(root.join(dir))
            .expect("fixtures")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "xml"))
            .collect();
        names.sort();
        out.extend(names.into_iter().map(|p| std::fs::read(p).expect("read")));
    }
    out
}

const TOKENS: [&str; 39] = [
    "<",
    ">",
    "&",
    "&amp;",
    "&#0;",
    "\"",
    "<p>",
    "</p>",
    "</div>",
    "<div class=\"ec-part\">",
    "<div class=\"ec-stem\">",
    "<textEntryInteraction responseIdentifier=\"RESPONSE\"/>",
    "<qti-text-entry-interaction response-identifier=\"RESPONSE_1\"/>",
    "<choiceInteraction responseIdentifier=\"RESPONSE\">",
    "<simpleChoice identifier=\"A\">x</simpleChoice>",
    "<qti-simple-choice identifier=\"true\">t</qti-simple-choice>",
    "<![CDATA[<b>&</b>]]>",
    "<!-- c -->",
    "{{1}}",
    "中文",
    "\u{0}",
    " ec:points=\"-1\" ",
    "<img src=\"images/formula.png\"/>",
    "<value>B</value>",
    "<value>H2O SALT</value>",
    "<value>true</value>",
    " cardinality=\"multiple\" ",
    " ec:tolerance=\"0.5\" ",
    " ec:difficulty=\"9\" ",
    " toolName=\"ExamCloud\" ",
    "<rubricBlock view=\"scorer\"><ul class=\"ec-rubric\"><li data-points=\"x\">a</li></ul></rubricBlock>",
    "<modalFeedback>解析</modalFeedback>",
    "<prompt>提示</prompt>",
    "<simpleMatchSet><simpleAssociableChoice identifier=\"Z\">z</simpleAssociableChoice></simpleMatchSet>",
    "<orderInteraction responseIdentifier=\"RESPONSE\">",
    "<mapEntry mapKey=\" k \" caseSensitive=\"true\"/>",
    "<hottextInteraction/>",
    "&nbsp;&copy;&foo;&#xA0;",
    "\r\n",
];

/// A fixture item, changed at a few places (bytes dropped, tokens inserted).
fn mutated() -> impl Strategy<Value = Vec<u8>> {
    let seeds = seeds();
    let n = seeds.len();
    (
        0..n,
        prop::collection::vec(
            (any::<prop::sample::Index>(), 0..3usize, 0..TOKENS.len()),
            1..6,
        ),
    )
        .prop_map(move |(seed, edits)| {
            let mut bytes = seeds[seed].clone();
            for (at, op, token) in edits {
                let i = at.index(bytes.len() + 1);
                match op {
                    0 => {
                        let end = (i + 7).min(bytes.len());
                        bytes.drain(i..end);
                    }
                    1 => {
                        bytes.splice(i..i, TOKENS[token].bytes());
                    }
                    _ => {
                        if let Some(b) = bytes.get_mut(i) {
                            *b ^= 0x20;
                        }
                    }
                }
            }
            bytes
        })
}

/// A package holding one item (and the image the fixtures use).
fn package_of(item: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    zip.start_file("imsmanifest.xml", options).expect("start");
    zip.write_all(
        b"<manifest><resources><resource type=\"imsqti_item_xmlv2p1\" href=\"items/a.xml\"/>\
          </resources></manifest>",
    )
    .expect("write");
    zip.start_file("items/a.xml", options).expect("start");
    zip.write_all(item).expect("write");
    zip.start_file("images/formula.png", options)
        .expect("start");
    zip.write_all(PNG).expect("write");
    zip.finish().expect("finish").into_inner()
}

fn check_any_input(format: Format, bytes: &[u8]) {
    let parsed = parse(format, bytes);
    for l in &parsed.questions {
        let q = &l.question;
        assert_eq!(q.content.validate(""), vec![]);
        assert!(shared::questions::valid_points(q.points));
        assert!((1..=5).contains(&q.difficulty));
    }
    let items: Vec<ExportItem> = parsed
        .questions
        .iter()
        .enumerate()
        .map(|(i, l)| ExportItem {
            id: i.to_string(),
            question: l.question.clone(),
        })
        .collect();
    let written = export(format, &items, &parsed.media);
    let again = parse(format, &written.bytes);
    let kept: Vec<&Question> = items
        .iter()
        .filter(|i| format.supports(&i.question.content))
        .map(|i| &i.question)
        .collect();
    let back: Vec<&Question> = again.questions.iter().map(|l| &l.question).collect();
    assert_eq!(back, kept);
}

proptest! {
    #![proptest_config(ProptestConfig {
        // QTI_MUTATION_CASES=100000 for a longer hunt.
        cases: std::env::var("QTI_MUTATION_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(512),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// Broken input never panics; what is read is valid and survives its own export.
    #[test]
    fn mutated_items_read_safely(item in mutated(), zipped in any::<bool>(), v30 in any::<bool>()) {
        let format = if v30 { Format::Qti30 } else { Format::Qti21 };
        let bytes = if zipped { package_of(&item) } else { item };
        check_any_input(format, &bytes);
    }
}

/// HTML as an editor or another tool may hand it over: unbalanced, unquoted, odd entities.
fn soup() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            "[a-z一-龥 ]{1,6}",
            "\\PC{1,4}",
            Just("<p>".to_owned()),
            Just("</p>".to_owned()),
            Just("<b>".to_owned()),
            Just("</i>".to_owned()),
            Just("<br>".to_owned()),
            Just("<br/>".to_owned()),
            Just("<img src=images/pic1.png alt='a \"q\"'>".to_owned()),
            Just("<input disabled>".to_owned()),
            Just("<div class=x id=y data-k=\"1 < 2\">".to_owned()),
            Just("<!-- note -->".to_owned()),
            Just("<".to_owned()),
            Just("& &amp &copy; &bogus; &#0; &#x1F600; &nbsp;".to_owned()),
            Just("]]>".to_owned()),
            Just("<x:y a:b=\"1\">".to_owned()),
            Just("<p a=1 a=2>".to_owned()),
            Just("</ >".to_owned()),
        ],
        1..12,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("QTI_MUTATION_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(512),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// Any HTML is written as well-formed XML: the question reads back (unless its text is
    /// empty), and reading is a fixed point from then on.
    #[test]
    fn any_html_is_written_as_xml_that_reads_back(
        stem in soup(),
        option in soup(),
        explanation in soup(),
        v30 in any::<bool>(),
    ) {
        let format = if v30 { Format::Qti30 } else { Format::Qti21 };
        let question = Question {
            explanation,
            ..Question::new(QuestionContent::SingleChoice {
                stem,
                options: vec![
                    Choice { id: "A".into(), text: option },
                    Choice { id: "B".into(), text: "b".into() },
                ],
                answer: "A".into(),
            })
        };
        let item = ExportItem { id: "soup".into(), question };
        let first = parse(format, &export(format, std::slice::from_ref(&item), &media()).bytes);
        for p in &first.problems {
            prop_assert!(
                p.reason == "required" || p.reason == "missing_media",
                "{p:?}"
            );
        }
        check_any_input(format, &export(format, &[item], &media()).bytes);
    }
}
