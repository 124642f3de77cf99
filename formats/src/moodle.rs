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

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use crate::text::{self, Lines, MAX_QUESTIONS, canonical, check, problem};
use crate::{ExportItem, Located, Location, MediaFile, Parsed, Question, reason};
use shared::questions::{Blank, Choice, MAX_ENTRIES, Pair, QuestionContent, blank_markers};

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
    type_ok && round_trips(content)
}

/// Whether writing and reading the question gives it back (up to option ids).
fn round_trips(content: &QuestionContent) -> bool {
    let item = ExportItem {
        id: "q".to_owned(),
        question: Question::new(content.clone()),
    };
    let parsed = parse(&write(&[&item], &[]));
    parsed.problems.is_empty()
        && parsed.questions.len() == 1
        && parsed
            .questions
            .first()
            .is_some_and(|q| canonical(&q.question.content) == canonical(content))
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

/// Rich text of an element with a `format` attribute and a `<text>` child.
fn rich(node: Option<&Node>) -> String {
    let Some(node) = node else {
        return String::new();
    };
    let text = node.text_child();
    match node.attr("format").unwrap_or("html") {
        "html" => text.trim().to_owned(),
        "moodle_auto_format" if text.contains('<') => text.trim().to_owned(),
        _ if text.trim().is_empty() => String::new(),
        _ => text::plain_to_html(text),
    }
}

/// An answer's fraction (missing: 0).
fn fraction(answer: &Node) -> Option<f64> {
    match answer.attr("fraction") {
        None => Some(0.0),
        Some(f) => f.trim().parse::<f64>().ok().filter(|f| f.is_finite()),
    }
}

fn is_full(fraction: f64) -> bool {
    fraction > 99.9999
}

/// Where the blank goes: `{{1}}` already, the first run of three or more `_`, or the end of
/// the text (inside its last paragraph).
fn blank_stem(stem: &str) -> String {
    if blank_markers(stem) == [1] {
        return stem.to_owned();
    }
    if let Some(start) = stem.find("___") {
        let rest = stem.get(start..).unwrap_or_default();
        let len = rest.len() - rest.trim_start_matches('_').len();
        return format!(
            "{}{{{{1}}}}{}",
            stem.get(..start).unwrap_or_default(),
            stem.get(start + len..).unwrap_or_default()
        );
    }
    match stem.strip_suffix("</p>") {
        Some(head) => format!("{head}{{{{1}}}}</p>"),
        None => format!("{stem}{{{{1}}}}"),
    }
}

/// `my%20image.png` for `my image.png`: how Moodle writes file names in URLs.
fn percent_encode(name: &str) -> String {
    let mut out = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `my image.png` for `my%20image.png`; the text as it is if it does not decode to UTF-8.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (b, hex) {
            (b'%', Some(decoded)) => {
                out.push(decoded);
                i += 3;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_owned())
}

/// Replaces every `@@PLUGINFILE@@/<name>` (the name as written or percent-encoded, as Moodle
/// writes it) by the name of that file in the import (`files`: name in the question, name in
/// the import). `false` if a reference names no file of the question.
fn resolve_files(text: &mut String, files: &[(String, String)]) -> bool {
    const PREFIX: &str = "@@PLUGINFILE@@/";
    if !text.contains(PREFIX) {
        return true;
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    let mut ok = true;
    while let Some(start) = rest.find(PREFIX) {
        out.push_str(rest.get(..start).unwrap_or_default());
        let after = rest.get(start + PREFIX.len()..).unwrap_or_default();
        let end_at = |spaces: bool| {
            after
                .find(|c: char| {
                    matches!(c, '"' | '\'' | '<' | '>' | '?' | '#' | ')')
                        || (spaces && c.is_whitespace())
                })
                .unwrap_or(after.len())
        };
        let found = [end_at(false), end_at(true)].into_iter().find_map(|end| {
            let raw = after.get(..end)?;
            let decoded = percent_decode(raw);
            files
                .iter()
                .find(|(name, _)| *name == raw || *name == decoded)
                .map(|(_, unique)| (end, unique))
        });
        match found {
            Some((end, unique)) => {
                out.push_str(unique);
                rest = after.get(end..).unwrap_or_default();
            }
            None => {
                ok = false;
                out.push_str(PREFIX);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    *text = out;
    ok
}

fn read_question(
    node: &Node,
    state: &mut State,
    parsed: &mut Parsed,
    at: &dyn Fn(usize, Option<String>) -> Location,
) {
    let kind = node.attr("type").unwrap_or_default();
    let name = node
        .child("name")
        .map(|n| n.text_child().trim())
        .filter(|n| !n.is_empty())
        .map(str::to_owned);
    let location = at(node.offset, name);
    let fail = |parsed: &mut Parsed, field: &str, why: &str| {
        parsed.problems.push(problem(&location, field, why));
    };
    match kind {
        "category" => {
            let path = node.child("category").map_or("", |c| c.text_child());
            state.category = text::clean_category(path);
            return;
        }
        "description" => return,
        "multichoice" | "truefalse" | "shortanswer" | "numerical" | "essay" | "matching"
        | "ordering" => {}
        _ => return fail(parsed, "type", reason::TYPE_NOT_SUPPORTED),
    }
    let stem = rich(node.child("questiontext"));
    let answers: Vec<&Node> = node.all("answer").collect();
    if answers.len() > MAX_ENTRIES {
        return fail(parsed, "options", text::TOO_MANY);
    }
    if node.all("subquestion").count() > MAX_ENTRIES {
        return fail(parsed, "prompts", text::TOO_MANY);
    }
    let mut fractions = Vec::new();
    for a in &answers {
        match fraction(a) {
            Some(f) => fractions.push(f),
            None => return fail(parsed, "answer", reason::INVALID_FORMAT),
        }
    }
    let content = match kind {
        "multichoice" => {
            let single = !matches!(node.value("single"), Some("false" | "0"));
            let options: Vec<Choice> = answers
                .iter()
                .enumerate()
                .map(|(i, a)| Choice {
                    id: text::letter_id(i),
                    text: rich(Some(a)),
                })
                .collect();
            if single {
                let mut correct = options.iter().zip(&fractions).filter(|(_, f)| is_full(**f));
                match (correct.next(), correct.next()) {
                    (Some((o, _)), None) => QuestionContent::SingleChoice {
                        stem,
                        answer: o.id.clone(),
                        options,
                    },
                    (None, _) => return fail(parsed, "answer", reason::REQUIRED),
                    _ => return fail(parsed, "answer", reason::INVALID_FORMAT),
                }
            } else {
                QuestionContent::MultipleChoice {
                    stem,
                    answers: options
                        .iter()
                        .zip(&fractions)
                        .filter(|(_, f)| **f > 0.0)
                        .map(|(o, _)| o.id.clone())
                        .collect(),
                    options,
                }
            }
        }
        "truefalse" => {
            let correct = answers
                .iter()
                .zip(&fractions)
                .find(|(_, f)| is_full(**f))
                .map(|(a, _)| text::html_to_plain(a.text_child()).to_ascii_lowercase());
            match correct.as_deref() {
                Some("true") => QuestionContent::TrueFalse { stem, answer: true },
                Some("false") => QuestionContent::TrueFalse {
                    stem,
                    answer: false,
                },
                None => return fail(parsed, "answer", reason::REQUIRED),
                Some(_) => return fail(parsed, "answer", reason::INVALID_FORMAT),
            }
        }
        "shortanswer" => {
            let accepted: Vec<String> = answers
                .iter()
                .zip(&fractions)
                .filter(|(_, f)| is_full(**f))
                .map(|(a, _)| a.text_child().trim().to_owned())
                .filter(|a| !a.is_empty())
                .collect();
            if accepted.is_empty() {
                return fail(parsed, "answer", reason::REQUIRED);
            }
            QuestionContent::FillBlank {
                stem: blank_stem(&stem),
                blanks: vec![Blank {
                    answers: accepted,
                    case_sensitive: matches!(node.value("usecase"), Some("1" | "true")),
                    exact_spaces: false,
                    width_sensitive: false,
                    numeric_tolerance: None,
                }],
            }
        }
        "numerical" => {
            let mut values = Vec::new();
            let mut tolerance: Option<f64> = None;
            for (a, f) in answers.iter().zip(&fractions) {
                let value = a.text_child().trim();
                if !is_full(*f) || value == "*" {
                    continue;
                }
                let t = match a.value("tolerance") {
                    None | Some("") => 0.0,
                    Some(t) => match t.parse::<f64>() {
                        Ok(t) if t.is_finite() && t >= 0.0 => t,
                        _ => return fail(parsed, "answer", reason::INVALID_FORMAT),
                    },
                };
                if value.parse::<f64>().map_or(true, |v| !v.is_finite())
                    || tolerance.is_some_and(|x| (x - t).abs() > 1e-12)
                {
                    return fail(parsed, "answer", reason::INVALID_FORMAT);
                }
                tolerance = Some(t);
                values.push(value.to_owned());
            }
            if values.is_empty() {
                return fail(parsed, "answer", reason::REQUIRED);
            }
            QuestionContent::FillBlank {
                stem: blank_stem(&stem),
                blanks: vec![Blank {
                    answers: values,
                    case_sensitive: false,
                    exact_spaces: false,
                    width_sensitive: false,
                    numeric_tolerance: tolerance,
                }],
            }
        }
        "essay" => QuestionContent::Essay {
            stem,
            reference_answer: rich(node.child("graderinfo")),
            rubric: Vec::new(),
        },
        "matching" => {
            let mut prompts: Vec<Choice> = Vec::new();
            let mut choices: Vec<Choice> = Vec::new();
            let mut pairs = Vec::new();
            for sub in node.all("subquestion") {
                let answer =
                    text::plain_to_html(sub.child("answer").map_or("", |a| a.text_child()));
                let answer_id = match choices.iter().find(|c| c.text == answer) {
                    Some(c) => c.id.clone(),
                    None => {
                        let id = text::letter_id(choices.len());
                        choices.push(Choice {
                            id: id.clone(),
                            text: answer,
                        });
                        id
                    }
                };
                let prompt = rich(Some(sub));
                if text::html_to_plain(&prompt).is_empty() && !prompt.contains("<img") {
                    continue;
                }
                let id = (prompts.len() + 1).to_string();
                prompts.push(Choice {
                    id: id.clone(),
                    text: prompt,
                });
                pairs.push(Pair {
                    prompt: id,
                    answer: answer_id,
                });
            }
            QuestionContent::Matching {
                stem,
                prompts,
                answers: choices,
                pairs,
            }
        }
        _ => {
            // ordering: the answers in order of their fraction (ties: as written).
            let mut items: Vec<(f64, String)> = answers
                .iter()
                .zip(&fractions)
                .map(|(a, f)| (*f, rich(Some(a))))
                .collect();
            items.sort_by(|a, b| a.0.total_cmp(&b.0));
            QuestionContent::Ordering {
                stem,
                items: items
                    .into_iter()
                    .enumerate()
                    .map(|(i, (_, text))| Choice {
                        id: text::letter_id(i),
                        text,
                    })
                    .collect(),
            }
        }
    };
    let points = match node.value("defaultgrade") {
        None | Some("") => 1.0,
        Some(g) => match g.parse::<f64>() {
            Ok(g) if g.is_finite() => (g * 100.0).round() / 100.0,
            _ => return fail(parsed, "points", reason::INVALID_FORMAT),
        },
    };
    let mut tags: Vec<String> = Vec::new();
    for tag in node.child("tags").into_iter().flat_map(|t| t.all("tag")) {
        let tag = tag.text_child().trim();
        if !tag.is_empty() && !tags.iter().any(|t| t == tag) {
            tags.push(tag.to_owned());
        }
    }
    let mut question = Question {
        points,
        explanation: rich(node.child("generalfeedback")),
        tags,
        category: state.category.clone(),
        ..Question::new(content)
    };
    // Media: decode every file, name it uniquely in the whole import, point the texts at it.
    let mut files = Vec::new();
    node.files(&mut files);
    if files.len() > MAX_ENTRIES || parsed.media.len() + files.len() > MAX_MEDIA {
        return fail(parsed, "file", reason::TOO_LARGE);
    }
    let mut media: Vec<MediaFile> = Vec::new();
    let mut names: Vec<(String, String)> = Vec::new();
    for file in files {
        let name = file.attr("name").unwrap_or_default().trim();
        let data: String = file.text.split_whitespace().collect();
        let (Ok(bytes), false) = (STANDARD.decode(data.as_bytes()), name.is_empty()) else {
            return fail(parsed, "file", reason::INVALID_FORMAT);
        };
        let unique = unique_name(name, &bytes, &parsed.media, &media);
        if !parsed.media.iter().chain(&media).any(|m| m.name == unique) {
            media.push(MediaFile {
                name: unique.clone(),
                bytes,
            });
        }
        names.push((name.to_owned(), unique));
    }
    let mut resolved = true;
    for text in all_texts(&mut question) {
        resolved &= resolve_files(text, &names);
    }
    if !resolved {
        return fail(parsed, "file", reason::MISSING_MEDIA);
    }
    let problems = check(&question, &location);
    if problems.is_empty() {
        parsed.media.extend(media);
        parsed.questions.push(Located { location, question });
    } else {
        parsed.problems.extend(problems);
    }
}

/// `name`, or `name-2`, `name-3`, … if a different file already has that name.
fn unique_name(name: &str, bytes: &[u8], done: &[MediaFile], new: &[MediaFile]) -> String {
    let taken = |candidate: &str| {
        done.iter()
            .chain(new)
            .find(|m| m.name == candidate)
            .map(|m| m.bytes != bytes)
    };
    if taken(name) != Some(true) {
        return name.to_owned();
    }
    let (stem, ext) = match name.rfind('.') {
        Some(dot) if dot > 0 => (
            name.get(..dot).unwrap_or(name),
            name.get(dot..).unwrap_or_default(),
        ),
        _ => (name, ""),
    };
    (2..)
        .map(|n| format!("{stem}-{n}{ext}"))
        .find(|candidate| taken(candidate) != Some(true))
        .unwrap_or_else(|| name.to_owned())
}

/// Every rich text of a question (the content's and the explanation).
fn all_texts(question: &mut Question) -> Vec<&mut String> {
    let mut out = question.content.texts_mut();
    out.push(&mut question.explanation);
    out
}

// ---------------------------------------------------------------------------------------------
// Writing

/// Drops characters XML 1.0 does not allow (control characters but tab and line breaks).
fn xml_safe(s: &str) -> String {
    s.chars()
        .filter(|c| {
            !matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}')
        })
        .collect()
}

fn escape_xml(s: &str) -> String {
    xml_safe(s)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn cdata(s: &str) -> String {
    format!(
        "<![CDATA[{}]]>",
        xml_safe(s).replace("]]>", "]]]]><![CDATA[>")
    )
}

/// A rich-text element: `<tag format="html"><text>…</text>` and the files its text refers to.
fn rich_element(tag: &str, attrs: &str, html: &str, media: &[MediaFile]) -> String {
    let mut html = html.to_owned();
    let mut files = String::new();
    for m in media {
        let mut used = false;
        for quote in ['"', '\''] {
            let plain = format!("src={quote}{}{quote}", m.name);
            if html.contains(&plain) {
                used = true;
                html = html.replace(
                    &plain,
                    &format!(
                        "src={quote}@@PLUGINFILE@@/{}{quote}",
                        percent_encode(&m.name)
                    ),
                );
            }
        }
        if used {
            files.push_str(&format!(
                "<file name=\"{}\" path=\"/\" encoding=\"base64\">{}</file>",
                escape_xml(&m.name),
                STANDARD.encode(&m.bytes)
            ));
        }
    }
    format!(
        "<{tag}{attrs} format=\"html\"><text>{}</text>{files}</{tag}>",
        cdata(&html)
    )
}

/// An answer with a plain-text `<text>` (short-answer, numerical, true/false).
fn plain_answer(fraction: &str, text: &str, extra: &str) -> String {
    format!(
        "    <answer fraction=\"{fraction}\" format=\"moodle_auto_format\"><text>{}</text>{extra}</answer>\n",
        escape_xml(text)
    )
}

pub fn write(items: &[&ExportItem], media: &[MediaFile]) -> Vec<u8> {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<quiz>\n");
    let mut category: Option<&str> = None;
    for item in items {
        let q = &item.question;
        if q.category.as_deref() != category {
            category = q.category.as_deref();
            let path = match category {
                Some(path) => format!("$course$/top/{path}"),
                None => "$course$/top".to_owned(),
            };
            out.push_str(&format!(
                "  <question type=\"category\">\n    <category><text>{}</text></category>\n  </question>\n",
                escape_xml(&path)
            ));
        }
        let kind = match &q.content {
            QuestionContent::SingleChoice { .. } | QuestionContent::MultipleChoice { .. } => {
                "multichoice"
            }
            QuestionContent::TrueFalse { .. } => "truefalse",
            QuestionContent::FillBlank { blanks, .. } => {
                if blanks
                    .first()
                    .is_some_and(|b| b.numeric_tolerance.is_some())
                {
                    "numerical"
                } else {
                    "shortanswer"
                }
            }
            QuestionContent::Essay { .. } => "essay",
            QuestionContent::Ordering { .. } => "ordering",
            QuestionContent::Matching { .. } => "matching",
            QuestionContent::Composite { .. } => continue,
        };
        out.push_str(&format!("  <question type=\"{kind}\">\n"));
        out.push_str(&format!(
            "    <name><text>{}</text></name>\n",
            escape_xml(&item.id)
        ));
        let stem = match &q.content {
            QuestionContent::FillBlank { stem, .. } => stem.replacen("{{1}}", "_____", 1),
            other => other.stem().to_owned(),
        };
        out.push_str(&format!(
            "    {}\n",
            rich_element("questiontext", "", &stem, media)
        ));
        out.push_str(&format!(
            "    {}\n",
            rich_element("generalfeedback", "", &q.explanation, media)
        ));
        out.push_str(&format!(
            "    <defaultgrade>{}</defaultgrade>\n    <penalty>0.3333333</penalty>\n    <hidden>0</hidden>\n",
            q.points
        ));
        match &q.content {
            QuestionContent::SingleChoice {
                options, answer, ..
            } => {
                out.push_str("    <single>true</single>\n    <shuffleanswers>true</shuffleanswers>\n    <answernumbering>ABCD</answernumbering>\n");
                for o in options {
                    let f = if o.id == *answer { "100" } else { "0" };
                    let attrs = format!(" fraction=\"{f}\"");
                    out.push_str(&format!(
                        "    {}\n",
                        rich_element("answer", &attrs, &o.text, media)
                    ));
                }
            }
            QuestionContent::MultipleChoice {
                options, answers, ..
            } => {
                out.push_str("    <single>false</single>\n    <shuffleanswers>true</shuffleanswers>\n    <answernumbering>ABCD</answernumbering>\n");
                let n = options.iter().filter(|o| answers.contains(&o.id)).count();
                let right = format!("{:.5}", 100.0 / n.max(1) as f64);
                for o in options {
                    let f = if answers.contains(&o.id) {
                        right.as_str()
                    } else {
                        "-100"
                    };
                    let attrs = format!(" fraction=\"{f}\"");
                    out.push_str(&format!(
                        "    {}\n",
                        rich_element("answer", &attrs, &o.text, media)
                    ));
                }
            }
            QuestionContent::TrueFalse { answer, .. } => {
                let (t, f) = if *answer { ("100", "0") } else { ("0", "100") };
                out.push_str(&plain_answer(t, "true", ""));
                out.push_str(&plain_answer(f, "false", ""));
            }
            QuestionContent::FillBlank { blanks, .. } => {
                let Some(b) = blanks.first() else { continue };
                match b.numeric_tolerance {
                    Some(t) => {
                        for a in &b.answers {
                            let tol = format!("<tolerance>{t}</tolerance>");
                            out.push_str(&plain_answer("100", a.trim(), &tol));
                        }
                    }
                    None => {
                        let usecase = u8::from(b.case_sensitive);
                        out.push_str(&format!("    <usecase>{usecase}</usecase>\n"));
                        for a in &b.answers {
                            out.push_str(&plain_answer("100", a.trim(), ""));
                        }
                    }
                }
            }
            QuestionContent::Essay {
                reference_answer, ..
            } => {
                out.push_str("    <responseformat>editor</responseformat>\n    <responserequired>1</responserequired>\n    <responsefieldlines>15</responsefieldlines>\n    <attachments>0</attachments>\n");
                out.push_str(&format!(
                    "    {}\n",
                    rich_element("graderinfo", "", reference_answer, media)
                ));
                out.push_str(
                    "    <responsetemplate format=\"html\"><text></text></responsetemplate>\n",
                );
            }
            QuestionContent::Ordering { items, .. } => {
                out.push_str("    <layouttype>VERTICAL</layouttype>\n    <selecttype>ALL</selecttype>\n    <selectcount>0</selectcount>\n    <gradingtype>ABSOLUTE_POSITION</gradingtype>\n    <showgrading>SHOW</showgrading>\n    <numberingstyle>none</numberingstyle>\n");
                for (i, o) in items.iter().enumerate() {
                    let attrs = format!(" fraction=\"{}\"", i + 1);
                    out.push_str(&format!(
                        "    {}\n",
                        rich_element("answer", &attrs, &o.text, media)
                    ));
                }
            }
            QuestionContent::Matching {
                prompts,
                answers,
                pairs,
                ..
            } => {
                out.push_str("    <shuffleanswers>true</shuffleanswers>\n");
                let answer_text = |id: &str| {
                    answers
                        .iter()
                        .find(|a| a.id == id)
                        .map(|a| text::html_to_plain(&a.text))
                        .unwrap_or_default()
                };
                let sub = |prompt: &str, answer: &str| {
                    let element = rich_element("subquestion", "", prompt, media);
                    let answer = format!("<answer><text>{}</text></answer>", escape_xml(answer));
                    // The answer goes inside the subquestion element, after its text.
                    let at = element.len() - "</subquestion>".len();
                    format!(
                        "    {}{answer}</subquestion>\n",
                        element.get(..at).unwrap_or_default()
                    )
                };
                for p in prompts {
                    if let Some(pair) = pairs.iter().find(|x| x.prompt == p.id) {
                        out.push_str(&sub(&p.text, &answer_text(&pair.answer)));
                    }
                }
                for a in answers {
                    if !pairs.iter().any(|x| x.answer == a.id) {
                        out.push_str(&sub("", &text::html_to_plain(&a.text)));
                    }
                }
            }
            QuestionContent::Composite { .. } => {}
        }
        let tags: Vec<&str> = q
            .tags
            .iter()
            .map(|t| t.trim())
            .filter(|t| !t.is_empty())
            .collect();
        if !tags.is_empty() {
            out.push_str("    <tags>\n");
            for t in tags {
                out.push_str(&format!(
                    "      <tag><text>{}</text></tag>\n",
                    escape_xml(t)
                ));
            }
            out.push_str("    </tags>\n");
        }
        out.push_str("  </question>\n");
    }
    out.push_str("</quiz>\n");
    out.into_bytes()
}
