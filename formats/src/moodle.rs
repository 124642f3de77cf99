//! Moodle XML (<https://docs.moodle.org/en/Moodle_XML_format>).
//!
//! `<quiz>` holds `<question type="…">` elements. Read: `multichoice` (`<single>` true: single
//! choice, the answer with fraction 100; false: multiple choice, the answers with a positive
//! fraction), `truefalse`, `shortanswer` and `numerical` (a fill-in-blank question with one
//! blank: the answers with fraction 100, `usecase`, `tolerance`; the blank goes where the text
//! has `{{1}}` or its first `___`, else at the end of the text), `essay` (`graderinfo` is the
//! reference answer), `matching` (subquestions; one without text is a distractor answer) and
//! `ordering` (the ordering plugin: answers in order of their fraction). `category` questions
//! set the category of the questions after them (`$course$/top/数学/代数` → `数学/代数`),
//! `description`s are skipped; any other type (`cloze`/`multianswer`, `calculated`, …) is
//! reported as not supported. `name` locates a question, `generalfeedback` is the explanation,
//! `defaultgrade` the points, `tags` the tags. Images are `<file name="x.png" encoding="base64">`
//! elements next to the text that refers to them as `@@PLUGINFILE@@/x.png`: they come back as
//! [`MediaFile`]s and the text refers to them as `x.png`. Moodle XML carries no difficulty.

mod export;
mod question;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use crate::text::{self, Lines, MAX_QUESTIONS, problem};
use crate::{Location, Parsed, reason};
use question::read_question;
use shared::questions::QuestionContent;

pub use export::write;

/// Whether Moodle XML can express this question exactly: any choice, true/false, ordering or
/// matching question (matching answers are plain text in Moodle: one paragraph each, each text
/// once), an essay
/// without a rubric, or a fill-in-blank question with one blank whose spaces and width are
/// matched the default way (a short-answer question may be case-sensitive), as long as writing
/// and reading it gives it back.
pub fn supports(content: &QuestionContent) -> bool {
    let type_ok = match content {
        QuestionContent::SingleChoice { .. }
        | QuestionContent::MultipleChoice { .. }
        | QuestionContent::TrueFalse { .. }
        | QuestionContent::Ordering { .. } => true,
        QuestionContent::Matching { answers, .. } => {
            answers.iter().all(|a| text::is_plain(&a.text))
                && text::duplicate_text(answers).is_none()
        }
        QuestionContent::FillBlank { blanks, .. } => match blanks.as_slice() {
            [b] => {
                let numeric_case = b.numeric_tolerance.is_some() && b.case_sensitive;
                !(b.exact_spaces || b.width_sensitive || numeric_case)
            }
            _ => false,
        },
        QuestionContent::Essay { rubric, .. } => rubric.is_empty(),
        QuestionContent::Composite { .. } => false,
    };
    type_ok && text::round_trips(content, |items| write(items, &[]), parse)
}

/// Drops characters XML 1.0 does not allow (control characters but tab and line breaks).
fn xml_safe(s: &str) -> String {
    s.chars()
        .filter(|c| {
            !matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}')
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// A small element tree

/// Deepest element nesting read.
const MAX_DEPTH: usize = 100;
/// Most elements in one question.
const MAX_NODES: usize = 100_000;
/// Most media files in one import.
const MAX_MEDIA: usize = 10_000;

#[derive(Debug, Default)]
struct Node {
    name: String,
    attrs: Vec<(String, String)>,
    children: Vec<Node>,
    /// The text directly inside (text, CDATA and references), untrimmed.
    text: String,
    /// Byte offset of its `<`.
    offset: usize,
}

impl Node {
    fn from_start(e: &BytesStart, offset: usize) -> Node {
        let attrs = e
            .attributes()
            .flatten()
            .filter_map(|a| {
                let key = a.key.local_name().into_inner().to_owned();
                let value = a
                    .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .ok()?
                    .into_owned();
                Some((key, value))
            })
            .collect();
        Node {
            name: e.local_name().into_inner().to_owned(),
            attrs,
            offset,
            ..Node::default()
        }
    }

    fn child(&self, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.name == name)
    }

    fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Node> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The text of the `<text>` child, untrimmed (empty if none).
    fn text_child(&self) -> &str {
        self.child("text").map_or("", |t| t.text.as_str())
    }

    /// The trimmed text of a child element (`<single>true</single>`).
    fn value(&self, name: &str) -> Option<&str> {
        self.child(name).map(|c| c.text.trim())
    }

    /// Every `<file>` element at any depth.
    fn files<'a>(&'a self, out: &mut Vec<&'a Node>) {
        for c in &self.children {
            if c.name == "file" {
                out.push(c);
            } else {
                c.files(out);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Reading

pub fn parse(bytes: &[u8]) -> Parsed {
    let mut parsed = Parsed::default();
    let Some(source) = text::decode(bytes) else {
        parsed
            .problems
            .push(problem(&Location::default(), "file", reason::INVALID_FILE));
        return parsed;
    };
    let lines = Lines::new(source.as_bytes());
    let at = |offset: usize, item: Option<String>| Location {
        line: lines.line_of(offset),
        item,
    };
    let mut reader = Reader::from_str(source);
    let mut stack: Vec<Node> = Vec::new();
    let mut seen_root = false;
    let mut state = State::default();
    loop {
        let before = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        let event = match reader.read_event() {
            Ok(event) => event,
            Err(_) => {
                let offset = usize::try_from(reader.error_position()).unwrap_or(usize::MAX);
                let item = open_question_name(&stack);
                parsed
                    .problems
                    .push(problem(&at(offset, item), "file", reason::SYNTAX));
                return parsed;
            }
        };
        let (node, empty) = match event {
            Event::Start(e) => (Node::from_start(&e, before), false),
            Event::Empty(e) => (Node::from_start(&e, before), true),
            Event::End(_) => {
                let Some(node) = stack.pop() else {
                    continue;
                };
                if close(node, &mut stack, &mut state, &mut parsed, &at) {
                    return parsed;
                }
                continue;
            }
            Event::Text(t) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&xml_safe(&t.xml10_content()));
                }
                continue;
            }
            Event::CData(t) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&xml_safe(&t.xml10_content()));
                }
                continue;
            }
            Event::GeneralRef(r) => {
                if let Some(top) = stack.last_mut() {
                    match r.resolve_char_ref() {
                        Ok(Some(c)) => top.text.push_str(&xml_safe(&c.to_string())),
                        _ => match quick_xml::escape::resolve_xml_entity(&r) {
                            Some(s) => top.text.push_str(s),
                            None => {
                                top.text.push('&');
                                top.text.push_str(&r);
                                top.text.push(';');
                            }
                        },
                    }
                }
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        if stack.is_empty() {
            if seen_root || node.name != "quiz" {
                parsed
                    .problems
                    .push(problem(&at(before, None), "file", reason::INVALID_FILE));
                return parsed;
            }
            seen_root = true;
        }
        if stack.len() >= MAX_DEPTH {
            let item = open_question_name(&stack);
            parsed
                .problems
                .push(problem(&at(before, item), "file", reason::TOO_LARGE));
            return parsed;
        }
        if stack.len() >= 2 {
            state.nodes += 1;
            if state.nodes > MAX_NODES {
                let item = open_question_name(&stack);
                let offset = stack.get(1).map_or(before, |q| q.offset);
                parsed
                    .problems
                    .push(problem(&at(offset, item), "file", reason::TOO_LARGE));
                return parsed;
            }
        } else {
            state.nodes = 0;
        }
        if empty {
            if close(node, &mut stack, &mut state, &mut parsed, &at) {
                return parsed;
            }
        } else {
            stack.push(node);
        }
    }
    if let Some(open) = stack.get(1).or(stack.first()) {
        let item = open_question_name(&stack);
        parsed
            .problems
            .push(problem(&at(open.offset, item), "file", reason::SYNTAX));
    } else if !seen_root {
        parsed
            .problems
            .push(problem(&Location::default(), "file", reason::INVALID_FILE));
    }
    parsed
}

/// The name of the question being read, if it has one yet.
fn open_question_name(stack: &[Node]) -> Option<String> {
    let question = stack.get(1).filter(|q| q.name == "question")?;
    let name = question.child("name")?.text_child().trim();
    (!name.is_empty()).then(|| name.to_owned())
}

#[derive(Default)]
struct State {
    category: Option<String>,
    /// Questions read.
    count: usize,
    /// Elements in the question being read.
    nodes: usize,
}

/// Closes an element: a question under `<quiz>` is read, anything deeper joins its parent.
/// `true`: stop reading (too many questions).
fn close(
    node: Node,
    stack: &mut [Node],
    state: &mut State,
    parsed: &mut Parsed,
    at: &dyn Fn(usize, Option<String>) -> Location,
) -> bool {
    match stack {
        [] => false,
        [_root] => {
            if node.name == "question" {
                state.count += 1;
                if state.count > MAX_QUESTIONS {
                    parsed.problems.push(problem(
                        &at(node.offset, None),
                        "file",
                        reason::TOO_LARGE,
                    ));
                    return true;
                }
                read_question(&node, state, parsed, at);
            }
            false
        }
        [.., parent] => {
            parent.children.push(node);
            false
        }
    }
}
