//! Reading an item file or a content package.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::io::{Cursor, Read};

use shared::questions::{Blank, Choice, Pair, Part, QuestionContent, RubricItem, valid_points};

use super::Version;
use super::dom::{Element, Hook, Node, XmlError, parse_xml, write_html};
use super::write::{is_local, normalize};
use crate::{Located, Location, MAX_BYTES, MediaFile, Parsed, Problem, Question, reason};

const SUPPORTED: [&str; 5] = [
    "choiceInteraction",
    "orderInteraction",
    "matchInteraction",
    "textEntryInteraction",
    "extendedTextInteraction",
];

fn problem(location: &Location, line: u32, field: &str, why: &str) -> Problem {
    Problem {
        location: Location {
            line,
            item: location.item.clone(),
        },
        field: field.to_owned(),
        reason: why.to_owned(),
    }
}

pub(super) fn parse(bytes: &[u8], _version: Version) -> Parsed {
    if bytes.starts_with(b"PK") {
        package(bytes)
    } else {
        let mut parsed = Parsed::default();
        if let Some(item) = read_item(bytes, None, &Lom::default(), &mut parsed.problems) {
            // A lone item file has no package to hold the files it refers to.
            for (_, line) in &item.sources {
                parsed.problems.push(problem(
                    &item.location,
                    *line,
                    "media",
                    reason::MISSING_MEDIA,
                ));
            }
            if let Some(q) = item.question {
                parsed.questions.push(Located {
                    location: item.location,
                    question: q,
                });
            }
        }
        parsed
    }
}

/// An item file as read.
struct ItemRead {
    identifier: String,
    location: Location,
    question: Option<Question>,
    /// Local media the item refers to, with the line of the element.
    sources: Vec<(String, u32)>,
}

/// The text of an XML file: UTF-8 (with or without a byte order mark) or UTF-16 with one.
fn decode_text(bytes: &[u8]) -> Option<Cow<'_, str>> {
    let utf16 = |rest: &[u8], big_endian: bool| {
        let units = rest.chunks_exact(2).map(|c| match (c, big_endian) {
            ([a, b], true) => u16::from_be_bytes([*a, *b]),
            ([a, b], false) => u16::from_le_bytes([*a, *b]),
            _ => 0,
        });
        char::decode_utf16(units)
            .collect::<Result<String, _>>()
            .ok()
            .filter(|_| rest.len().is_multiple_of(2))
            .map(Cow::Owned)
    };
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE".as_slice()) {
        return utf16(rest, false);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF".as_slice()) {
        return utf16(rest, true);
    }
    std::str::from_utf8(strip_bom(bytes))
        .ok()
        .map(Cow::Borrowed)
}

/// `a%20b` → `a b`, if it decodes to UTF-8 and differs.
fn percent_decoded(s: &str) -> Option<String> {
    if !s.contains('%') {
        return None;
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (b, hex) {
            (b'%', Some(v)) => {
                out.push(v);
                i += 3;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes
        .strip_prefix(b"\xEF\xBB\xBF".as_slice())
        .unwrap_or(bytes)
}

/// Reads one item file; `href` is its path in a package.
/// What a package's manifest says of an item (IEEE LOM): used when the item itself does not
/// say it (`ec:` attributes).
#[derive(Debug, Default)]
struct Lom {
    keywords: Vec<String>,
    difficulty: Option<i32>,
}

/// LOM's difficulty vocabulary, easiest first.
pub(super) const LOM_DIFFICULTY: [&str; 5] =
    ["very easy", "easy", "medium", "difficult", "very difficult"];

fn lom_of(resource: &Element) -> Lom {
    let mut lom = Lom::default();
    let mut keywords = Vec::new();
    resource.descendants(&|e| e.name == "keyword", &mut keywords);
    for k in keywords {
        let mut strings = Vec::new();
        k.descendants(&|e| e.name == "string", &mut strings);
        lom.keywords.extend(
            strings
                .into_iter()
                .map(Element::text)
                .filter(|s| !s.is_empty()),
        );
    }
    let mut difficulty = Vec::new();
    resource.descendants(&|e| e.name == "difficulty", &mut difficulty);
    lom.difficulty = difficulty
        .first()
        .and_then(|d| d.child("value"))
        .and_then(|v| {
            let v = v.text().to_lowercase();
            LOM_DIFFICULTY.iter().position(|d| *d == v)
        })
        .and_then(|i| i32::try_from(i + 1).ok());
    lom
}

fn read_item(
    bytes: &[u8],
    href: Option<&str>,
    lom: &Lom,
    problems: &mut Vec<Problem>,
) -> Option<ItemRead> {
    let file = Location {
        line: 0,
        item: href.map(str::to_owned),
    };
    let text = match decode_text(bytes) {
        Some(text) if !text.trim().is_empty() => text,
        _ => {
            problems.push(problem(&file, 0, "file", reason::INVALID_FILE));
            return None;
        }
    };
    let root = match parse_xml(&text) {
        Ok(root) => root,
        Err(XmlError::Syntax(line)) => {
            problems.push(problem(&file, line, "file", reason::SYNTAX));
            return None;
        }
        Err(XmlError::TooLarge(line)) => {
            problems.push(problem(&file, line, "file", reason::TOO_LARGE));
            return None;
        }
    };
    if root.name != "assessmentItem" {
        problems.push(problem(&file, root.line, "file", reason::INVALID_FILE));
        return None;
    }
    let identifier = root
        .attr("identifier")
        .map(|s| s.trim().to_owned())
        .unwrap_or_default();
    let item = match (href, identifier.is_empty()) {
        (Some(h), true) => Some(h.to_owned()),
        (Some(h), false) => Some(format!("{h}#{identifier}")),
        (None, true) => None,
        (None, false) => Some(identifier.clone()),
    };
    let location = Location {
        line: root.line,
        item,
    };
    let question = read_question(&root, &location, lom, problems);
    let mut with_media = Vec::new();
    root.descendants(
        &|e| e.attr("src").is_some() || (e.name == "object" && e.attr("data").is_some()),
        &mut with_media,
    );
    let mut sources: Vec<(String, u32)> = Vec::new();
    let mut seen = HashSet::new();
    for e in with_media {
        let src = e.attr("src").or_else(|| e.attr("data")).unwrap_or_default();
        if is_local(&src) && seen.insert(src.clone()) {
            sources.push((src, e.line));
        }
    }
    Some(ItemRead {
        identifier,
        location,
        question,
        sources,
    })
}

/// What a body is read with.
struct Ctx<'a> {
    /// A file we wrote (`toolName="ExamCloud"`): texts and values are taken as they are,
    /// without trimming.
    exact: bool,
    decls: HashMap<String, &'a Element>,
    location: &'a Location,
    problems: &'a mut Vec<Problem>,
}

impl<'a> Ctx<'a> {
    fn push(&mut self, line: u32, field: &str, why: &str) {
        self.problems.push(problem(self.location, line, field, why));
    }

    /// The response declaration of an interaction.
    fn decl(&mut self, interaction: &Element) -> Option<&'a Element> {
        let id = interaction
            .attr("responseIdentifier")
            .map(|s| s.trim().to_owned())
            .unwrap_or_default();
        let found = self.decls.get(&id).copied();
        if found.is_none() {
            self.push(interaction.line, "answer", reason::REQUIRED);
        }
        found
    }
}

fn read_question(
    root: &Element,
    location: &Location,
    lom: &Lom,
    problems: &mut Vec<Problem>,
) -> Option<Question> {
    let before = problems.len();
    let mut decls = HashMap::new();
    for d in root.elements().filter(|e| e.name == "responseDeclaration") {
        let id = d.attr("identifier").unwrap_or_default().trim().to_owned();
        if decls.contains_key(&id) {
            problems.push(problem(location, d.line, "identifier", reason::DUPLICATE));
        }
        decls.insert(id, d);
    }
    let mut points = 1.0;
    let score = root.elements().find(|e| {
        e.name == "outcomeDeclaration"
            && e.attr("identifier").as_deref().map(str::trim) == Some("SCORE")
    });
    if let Some((score, max)) = score.and_then(|s| Some((s, s.attr("normalMaximum")?))) {
        match max.trim().parse::<f64>() {
            Ok(p) if valid_points(p) => points = p,
            _ => problems.push(problem(
                location,
                score.line,
                "points",
                reason::INVALID_FORMAT,
            )),
        }
    }
    let exact = root.attr("toolName").as_deref() == Some(super::TOOL_NAME);
    let mut difficulty = lom.difficulty.unwrap_or(3);
    if let Some(d) = root.attr("ec:difficulty") {
        match d.trim().parse::<i32>() {
            Ok(d) if (1..=5).contains(&d) => difficulty = d,
            _ => problems.push(problem(
                location,
                root.line,
                "difficulty",
                reason::INVALID_FORMAT,
            )),
        }
    }
    let tags = match root.attr("ec:tags") {
        Some(t) => decode_tags(&t),
        None => lom.keywords.clone(),
    };
    let category = root.attr("ec:category");
    let explanation = root
        .elements()
        .find(|e| e.name == "modalFeedback")
        .map(|f| rich(&unwrap_content_body(&f.children), exact))
        .unwrap_or_default();
    let Some(body) = root.child("itemBody") else {
        problems.push(problem(location, root.line, "stem", reason::REQUIRED));
        return None;
    };
    let nodes: Vec<&Node> = body.children.iter().collect();
    let mut ctx = Ctx {
        exact,
        decls,
        location,
        problems,
    };
    let content = body_content(&nodes, &mut ctx, true, body.line);
    if problems.len() > before {
        return None;
    }
    let content = content?;
    let invalid = content.validate("");
    if !invalid.is_empty() {
        for p in invalid {
            problems.push(problem(location, root.line, &p.field, p.reason));
        }
        return None;
    }
    Some(Question {
        content,
        points,
        difficulty,
        explanation,
        tags,
        category,
    })
}

/// `a%2Cb,c` → `["a,b", "c"]`.
fn decode_tags(s: &str) -> Vec<String> {
    if s.is_empty() {
        return Vec::new();
    }
    s.split(',')
        .map(|t| {
            let mut out = String::with_capacity(t.len());
            let mut rest = t;
            while let Some(i) = rest.find('%') {
                out.push_str(&rest[..i]);
                let code = rest.get(i + 1..i + 3);
                match code {
                    Some("25") => out.push('%'),
                    Some("2C" | "2c") => out.push(','),
                    _ => {
                        out.push('%');
                        rest = &rest[i + 1..];
                        continue;
                    }
                }
                rest = &rest[i + 3..];
            }
            out.push_str(rest);
            out
        })
        .collect()
}

fn is_interaction(e: &Element) -> bool {
    e.name.ends_with("Interaction")
}

/// Elements that are not part of a question's text.
fn skipped(e: &Element) -> bool {
    matches!(
        e.name.as_str(),
        "rubricBlock"
            | "modalFeedback"
            | "feedbackBlock"
            | "feedbackInline"
            | "templateBlock"
            | "templateInline"
            | "prompt"
    )
}

/// The interactions among `nodes`, in document order.
fn interactions<'a>(nodes: &[&'a Node], out: &mut Vec<&'a Element>) {
    for n in nodes {
        if let Node::El(e) = n {
            if skipped(e) {
                continue;
            }
            if is_interaction(e) {
                out.push(e);
                continue;
            }
            let children: Vec<&Node> = e.children.iter().collect();
            interactions(&children, out);
        }
    }
}

/// Nodes other than whitespace and the elements left out of a text.
fn significant<'a>(nodes: &[&'a Node]) -> Vec<&'a Node> {
    nodes
        .iter()
        .copied()
        .filter(|n| match n {
            Node::Text(t) => !t.trim().is_empty(),
            Node::El(e) => !(skipped(e) || (is_interaction(e) && e.name != "textEntryInteraction")),
            _ => true,
        })
        .collect()
}

/// The children of a lone `<qti-content-body>`, or the nodes.
fn unwrap_content_body(children: &[Node]) -> Vec<&Node> {
    let all: Vec<&Node> = children.iter().collect();
    match significant(&all).as_slice() {
        [Node::El(e)] if e.name == "contentBody" => e.children.iter().collect(),
        _ => all,
    }
}

/// Rich text of nodes: HTML with text entries as `{{n}}` and interactions, feedback and
/// rubrics left out, trimmed.
fn html_of(nodes: &[&Node], trim: bool) -> String {
    let mut out = String::new();
    let mut k = 0;
    write_html(nodes, &mut out, &mut |e: &Element| {
        if e.name == "textEntryInteraction" {
            k += 1;
            Hook::Replace(format!("{{{{{k}}}}}"))
        } else if is_interaction(e) || skipped(e) {
            Hook::Skip
        } else {
            Hook::Keep
        }
    });
    if trim { out.trim().to_owned() } else { out }
}

/// Rich text; trimmed unless `exact` (a file we wrote).
fn rich(nodes: &[&Node], exact: bool) -> String {
    html_of(nodes, !exact)
}

/// Rich text of nodes that our writer wraps in `<div class="{class}">`.
fn wrapped(nodes: &[&Node], class: &str, exact: bool) -> String {
    match significant(nodes).as_slice() {
        [Node::El(e)] if e.name == "div" && e.has_class(class) => {
            let inner: Vec<&Node> = e.children.iter().collect();
            html_of(&inner, !exact)
        }
        _ => html_of(nodes, true),
    }
}

/// Reads a body (or a composite's part): its interactions decide the type.
fn body_content(nodes: &[&Node], ctx: &mut Ctx, top: bool, line: u32) -> Option<QuestionContent> {
    let mut found = Vec::new();
    interactions(nodes, &mut found);
    let mut unsupported = false;
    for e in &found {
        if !SUPPORTED.contains(&e.name.as_str()) {
            ctx.push(e.line, "type", reason::TYPE_NOT_SUPPORTED);
            unsupported = true;
        }
    }
    if unsupported {
        return None;
    }
    let parts_marked = nodes
        .iter()
        .any(|n| matches!(n, Node::El(e) if e.name == "div" && e.has_class("ec-part")));
    if top && parts_marked {
        return composite(nodes, ctx);
    }
    match found.as_slice() {
        [] => {
            ctx.push(line, "type", reason::REQUIRED);
            None
        }
        all if all.iter().all(|e| e.name == "textEntryInteraction") => fill_blank(nodes, all, ctx),
        [one] => one_interaction(nodes, one, ctx),
        [_, second, ..] => {
            if top {
                composite(nodes, ctx)
            } else {
                ctx.push(second.line, "type", reason::TYPE_NOT_SUPPORTED);
                None
            }
        }
    }
}

fn values(decl: &Element, exact: bool) -> Vec<String> {
    decl.child("correctResponse")
        .map(|c| {
            c.elements()
                .filter(|v| v.name == "value")
                .map(|v| if exact { v.raw_text() } else { v.text() })
                .collect()
        })
        .unwrap_or_default()
}

fn choices(parent: &Element, name: &str, exact: bool) -> Vec<Choice> {
    parent
        .elements()
        .filter(|e| e.name == name)
        .map(|c| Choice {
            id: c.attr("identifier").unwrap_or_default().trim().to_owned(),
            text: rich(&c.children.iter().collect::<Vec<_>>(), exact),
        })
        .collect()
}

fn fill_blank(nodes: &[&Node], entries: &[&Element], ctx: &mut Ctx) -> Option<QuestionContent> {
    let stem = wrapped(nodes, "ec-stem", ctx.exact);
    let mut blanks = Vec::new();
    for e in entries {
        let decl = ctx.decl(e)?;
        let mut answers: Vec<String> = Vec::new();
        let mut case_sensitive = Vec::new();
        if let Some(mapping) = decl.child("mapping") {
            for entry in mapping.elements().filter(|m| m.name == "mapEntry") {
                let key = entry.attr("mapKey").unwrap_or_default();
                answers.push(if ctx.exact {
                    key
                } else {
                    key.trim().to_owned()
                });
                case_sensitive
                    .push(entry.attr("caseSensitive").as_deref().map(str::trim) == Some("true"));
            }
        }
        for (i, v) in values(decl, ctx.exact).into_iter().enumerate() {
            if !answers.contains(&v) {
                answers.insert(i.min(answers.len()), v);
            }
        }
        if answers.is_empty() {
            ctx.push(decl.line, "answer", reason::REQUIRED);
            return None;
        }
        let flag = |name: &str| decl.attr(name).as_deref().map(str::trim) == Some("true");
        let numeric_tolerance = match decl.attr("ec:tolerance") {
            None => None,
            Some(t) => match t.trim().parse::<f64>() {
                Ok(t) => Some(t),
                Err(_) => {
                    ctx.push(decl.line, "blanks", reason::INVALID_FORMAT);
                    return None;
                }
            },
        };
        blanks.push(Blank {
            answers,
            case_sensitive: !case_sensitive.is_empty() && case_sensitive.iter().all(|c| *c),
            exact_spaces: flag("ec:exact-spaces"),
            width_sensitive: flag("ec:width-sensitive"),
            numeric_tolerance,
        });
    }
    Some(QuestionContent::FillBlank { stem, blanks })
}

fn one_interaction(nodes: &[&Node], it: &Element, ctx: &mut Ctx) -> Option<QuestionContent> {
    let exact = ctx.exact;
    let mut stem = wrapped(nodes, "ec-stem", exact);
    if let Some(prompt) = it.child("prompt") {
        let prompt = rich(&prompt.children.iter().collect::<Vec<_>>(), false);
        if !prompt.is_empty() {
            if stem.is_empty() {
                stem = prompt;
            } else if prompt.starts_with("<p") || prompt.starts_with("<div") {
                stem.push_str(&prompt);
            } else {
                stem = format!("{stem}<p>{prompt}</p>");
            }
        }
    }
    match it.name.as_str() {
        "choiceInteraction" => {
            let options = choices(it, "simpleChoice", exact);
            let decl = ctx.decl(it)?;
            let values = values(decl, exact);
            let cardinality = decl.attr("cardinality").unwrap_or_default();
            let multiple = cardinality.trim() == "multiple"
                || (cardinality.trim().is_empty()
                    && it.attr("maxChoices").as_deref().map(str::trim) != Some("1"));
            let mut ids: Vec<&str> = options.iter().map(|o| o.id.as_str()).collect();
            ids.sort_unstable();
            if !multiple && ids == ["false", "true"] {
                return match values.as_slice() {
                    [v] if v == "true" || v == "false" => Some(QuestionContent::TrueFalse {
                        stem,
                        answer: v == "true",
                    }),
                    [] => {
                        ctx.push(decl.line, "answer", reason::REQUIRED);
                        None
                    }
                    _ => {
                        ctx.push(decl.line, "answer", reason::INVALID_FORMAT);
                        None
                    }
                };
            }
            if multiple {
                if values.is_empty() {
                    ctx.push(decl.line, "answers", reason::REQUIRED);
                    return None;
                }
                return Some(QuestionContent::MultipleChoice {
                    stem,
                    options,
                    answers: values,
                });
            }
            match values.as_slice() {
                [answer] => Some(QuestionContent::SingleChoice {
                    stem,
                    options,
                    answer: answer.clone(),
                }),
                [] => {
                    ctx.push(decl.line, "answer", reason::REQUIRED);
                    None
                }
                _ => {
                    ctx.push(decl.line, "answer", reason::INVALID_FORMAT);
                    None
                }
            }
        }
        "orderInteraction" => {
            let items = choices(it, "simpleChoice", exact);
            let decl = ctx.decl(it)?;
            let order = values(decl, exact);
            if order.is_empty() {
                ctx.push(decl.line, "answer", reason::REQUIRED);
                return None;
            }
            let mut ordered = Vec::new();
            for id in &order {
                match items.iter().find(|i| i.id == *id) {
                    Some(i) if !ordered.contains(i) => ordered.push(i.clone()),
                    Some(_) => {
                        ctx.push(decl.line, "answer", reason::DUPLICATE);
                        return None;
                    }
                    None => {
                        ctx.push(decl.line, "answer", reason::UNKNOWN_OPTION);
                        return None;
                    }
                }
            }
            if ordered.len() != items.len() {
                if items
                    .iter()
                    .enumerate()
                    .any(|(i, a)| items[..i].iter().any(|b| b.id == a.id))
                {
                    return Some(QuestionContent::Ordering { stem, items });
                }
                ctx.push(decl.line, "answer", reason::INVALID_FORMAT);
                return None;
            }
            Some(QuestionContent::Ordering {
                stem,
                items: ordered,
            })
        }
        "matchInteraction" => {
            let sets: Vec<&Element> = it
                .elements()
                .filter(|e| e.name == "simpleMatchSet")
                .collect();
            let [first, second] = sets.as_slice() else {
                ctx.push(it.line, "options", reason::INVALID_FORMAT);
                return None;
            };
            let prompts = choices(first, "simpleAssociableChoice", exact);
            let answers = choices(second, "simpleAssociableChoice", exact);
            let decl = ctx.decl(it)?;
            let values = values(decl, exact);
            if values.is_empty() {
                ctx.push(decl.line, "pairs", reason::REQUIRED);
                return None;
            }
            let mut pairs = Vec::new();
            for v in values {
                let ids: Vec<&str> = v.split_whitespace().collect();
                let [a, b] = ids.as_slice() else {
                    ctx.push(decl.line, "pairs", reason::INVALID_FORMAT);
                    return None;
                };
                let reversed =
                    !prompts.iter().any(|p| p.id == *a) && prompts.iter().any(|p| p.id == *b);
                let (prompt, answer) = if reversed { (b, a) } else { (a, b) };
                pairs.push(Pair {
                    prompt: (*prompt).to_owned(),
                    answer: (*answer).to_owned(),
                });
            }
            Some(QuestionContent::Matching {
                stem,
                prompts,
                answers,
                pairs,
            })
        }
        _ => {
            let mut blocks = Vec::new();
            for n in nodes {
                if let Node::El(e) = n {
                    if e.name == "rubricBlock" {
                        blocks.push(e);
                    } else {
                        e.descendants(&|e| e.name == "rubricBlock", &mut blocks);
                    }
                }
            }
            let block = blocks.into_iter().find(|b| {
                b.attr("view")
                    .is_some_and(|v| v.split_whitespace().any(|v| v == "scorer"))
            });
            let (reference_answer, rubric) = match block {
                Some(b) => rubric_of(b, ctx)?,
                None => (String::new(), Vec::new()),
            };
            Some(QuestionContent::Essay {
                stem,
                reference_answer,
                rubric,
            })
        }
    }
}

/// The reference answer and the rubric in a scorer's rubric block.
fn rubric_of(block: &Element, ctx: &mut Ctx) -> Option<(String, Vec<RubricItem>)> {
    let content = unwrap_content_body(&block.children);
    let mut reference = None;
    let mut list = None;
    for n in &content {
        if let Node::El(e) = n {
            if e.has_class("ec-reference") {
                reference = Some(e);
            } else if e.has_class("ec-rubric") {
                list = Some(e);
            }
        }
    }
    if reference.is_none() && list.is_none() {
        return Some((rich(&content, false), Vec::new()));
    }
    let reference = reference
        .map(|e| rich(&e.children.iter().collect::<Vec<_>>(), ctx.exact))
        .unwrap_or_default();
    let mut rubric = Vec::new();
    if let Some(list) = list {
        for li in list.elements().filter(|e| e.name == "li") {
            let points = match li.attr("data-points").map(|p| p.trim().parse::<f64>()) {
                Some(Ok(p)) => p,
                None => 1.0,
                Some(Err(_)) => {
                    ctx.push(li.line, "rubric", reason::INVALID_FORMAT);
                    return None;
                }
            };
            rubric.push(RubricItem {
                criterion: if ctx.exact { li.raw_text() } else { li.text() },
                points,
            });
        }
    }
    Some((reference, rubric))
}

fn contains_interaction(e: &Element) -> bool {
    let children: Vec<&Node> = e.children.iter().collect();
    let mut found = Vec::new();
    interactions(&children, &mut found);
    !found.is_empty()
}

/// A passage and one part per interaction (or per `<div class="ec-part">`).
fn composite(nodes: &[&Node], ctx: &mut Ctx) -> Option<QuestionContent> {
    let mut passage: Option<Vec<&Node>> = None;
    let mut pending: Vec<&Node> = Vec::new();
    let mut parts = Vec::new();
    let mut failed = false;
    for &n in nodes {
        let part_node = match n {
            Node::El(e) if !skipped(e) && (is_interaction(e) || contains_interaction(e)) => e,
            _ => {
                pending.push(n);
                continue;
            }
        };
        if passage.is_none() {
            passage = Some(std::mem::take(&mut pending));
        }
        let mut body = std::mem::take(&mut pending);
        if part_node.name == "div" && part_node.has_class("ec-part") {
            body.extend(part_node.children.iter());
        } else {
            body.push(n);
        }
        let Some(content) = body_content(&body, ctx, false, part_node.line) else {
            failed = true;
            continue;
        };
        let mut found = Vec::new();
        interactions(&body, &mut found);
        let decl = found
            .first()
            .and_then(|e| e.attr("responseIdentifier"))
            .and_then(|id| ctx.decls.get(id.trim()).copied());
        let mut points = 1.0;
        if let Some(decl) = decl {
            let given = decl
                .attr("ec:points")
                .or_else(|| decl.child("mapping").and_then(|m| m.attr("upperBound")));
            if let Some(p) = given {
                match p.trim().parse::<f64>() {
                    Ok(p) => points = p,
                    Err(_) => {
                        ctx.push(decl.line, "points", reason::INVALID_FORMAT);
                        failed = true;
                    }
                }
            }
        }
        parts.push(Part { content, points });
    }
    if failed {
        return None;
    }
    let passage = wrapped(&passage.unwrap_or_default(), "ec-passage", ctx.exact);
    Some(QuestionContent::Composite { passage, parts })
}

/// The bytes of a package's entries, within the size budget.
struct Package<'a> {
    zip: zip::ZipArchive<Cursor<&'a [u8]>>,
    /// Normalised name → index.
    names: HashMap<String, usize>,
    budget: usize,
}

enum Entry {
    Missing,
    Unreadable,
    TooLarge,
}

impl Package<'_> {
    fn read(&mut self, path: &str) -> Result<Vec<u8>, Entry> {
        let index = *self.names.get(path).ok_or(Entry::Missing)?;
        let file = self.zip.by_index(index).map_err(|_| Entry::Unreadable)?;
        let mut bytes = Vec::new();
        let limit = u64::try_from(self.budget)
            .unwrap_or(u64::MAX)
            .saturating_add(1);
        file.take(limit)
            .read_to_end(&mut bytes)
            .map_err(|_| Entry::Unreadable)?;
        if bytes.len() > self.budget {
            self.budget = 0;
            return Err(Entry::TooLarge);
        }
        self.budget -= bytes.len();
        Ok(bytes)
    }
}

fn file_problem(item: Option<&str>, line: u32, why: &str) -> Problem {
    Problem {
        location: Location {
            line,
            item: item.map(str::to_owned),
        },
        field: "file".to_owned(),
        reason: why.to_owned(),
    }
}

fn dir_of(path: &str) -> &str {
    path.rfind('/').map_or("", |i| &path[..=i])
}

fn package(bytes: &[u8]) -> Parsed {
    let mut parsed = Parsed::default();
    let zip = match zip::ZipArchive::new(Cursor::new(bytes)) {
        Ok(z) => z,
        Err(_) => {
            parsed
                .problems
                .push(file_problem(None, 0, reason::INVALID_FILE));
            return parsed;
        }
    };
    // Entries, sizes and ratio checked before any entry is read (entries are still read
    // through the package's budget below).
    if let Err(exceeded) = crate::limits::check_zip(bytes, crate::limits::PACKAGE_ZIP) {
        parsed
            .problems
            .push(file_problem(None, 0, reason::TOO_LARGE));
        parsed.exceeded = Some(exceeded);
        return parsed;
    }
    let mut names = HashMap::new();
    for i in 0..zip.len() {
        if let Some(n) = zip
            .name_for_index(i)
            .and_then(|n| n.ok())
            .and_then(|n| normalize(&n))
        {
            names.entry(n).or_insert(i);
        }
    }
    let mut pkg = Package {
        zip,
        names,
        budget: usize::try_from(crate::limits::MAX_ZIP_TOTAL_BYTES).unwrap_or(MAX_BYTES),
    };
    let manifest_path = pkg
        .names
        .keys()
        .filter(|n| {
            n.rsplit('/')
                .next()
                .is_some_and(|f| f.eq_ignore_ascii_case("imsmanifest.xml"))
        })
        .min_by_key(|n| (n.matches('/').count(), n.len()))
        .cloned();
    let Some(manifest_path) = manifest_path else {
        parsed.problems.push(file_problem(
            Some("imsmanifest.xml"),
            0,
            reason::INVALID_FILE,
        ));
        return parsed;
    };
    let base = dir_of(&manifest_path).to_owned();
    let manifest = match pkg.read(&manifest_path) {
        Ok(b) => b,
        Err(e) => {
            let why = if matches!(e, Entry::TooLarge) {
                reason::TOO_LARGE
            } else {
                reason::INVALID_FILE
            };
            parsed
                .problems
                .push(file_problem(Some(&manifest_path), 0, why));
            return parsed;
        }
    };
    let root = match decode_text(&manifest).map(|t| parse_xml(&t)) {
        None => {
            parsed
                .problems
                .push(file_problem(Some(&manifest_path), 0, reason::INVALID_FILE));
            return parsed;
        }
        Some(Err(XmlError::Syntax(line))) => {
            parsed
                .problems
                .push(file_problem(Some(&manifest_path), line, reason::SYNTAX));
            return parsed;
        }
        Some(Err(XmlError::TooLarge(line))) => {
            parsed
                .problems
                .push(file_problem(Some(&manifest_path), line, reason::TOO_LARGE));
            return parsed;
        }
        Some(Ok(root)) => root,
    };
    if root.name != "manifest" {
        parsed.problems.push(file_problem(
            Some(&manifest_path),
            root.line,
            reason::INVALID_FILE,
        ));
        return parsed;
    }
    let mut resources = Vec::new();
    root.descendants(
        &|e| {
            e.name == "resource"
                && e.attr("type")
                    .is_some_and(|t| t.trim().starts_with("imsqti_item_xml"))
        },
        &mut resources,
    );
    let mut identifiers: HashSet<String> = HashSet::new();
    let mut hrefs: HashSet<String> = HashSet::new();
    let mut media_names: HashSet<String> = HashSet::new();
    for res in resources {
        let href = res
            .attr("href")
            .or_else(|| res.child("file").and_then(|f| f.attr("href")))
            .unwrap_or_default();
        let href = href.trim().to_owned();
        let Some(path) = normalize(&format!("{base}{href}")) else {
            parsed.problems.push(file_problem(
                Some(&manifest_path),
                res.line,
                reason::INVALID_FILE,
            ));
            continue;
        };
        if !hrefs.insert(path.clone()) {
            continue;
        }
        let found = match pkg.read(&path) {
            Err(Entry::Missing) => match percent_decoded(&path) {
                Some(decoded) => pkg.read(&decoded),
                None => Err(Entry::Missing),
            },
            other => other,
        };
        let bytes = match found {
            Ok(b) => b,
            Err(Entry::TooLarge) => {
                parsed
                    .problems
                    .push(file_problem(Some(&href), 0, reason::TOO_LARGE));
                return parsed;
            }
            Err(_) => {
                parsed
                    .problems
                    .push(file_problem(Some(&href), 0, reason::INVALID_FILE));
                continue;
            }
        };
        let Some(item) = read_item(&bytes, Some(&href), &lom_of(res), &mut parsed.problems) else {
            continue;
        };
        let mut ok = item.question.is_some();
        if !item.identifier.is_empty() && !identifiers.insert(item.identifier.clone()) {
            parsed.problems.push(problem(
                &item.location,
                item.location.line,
                "identifier",
                reason::DUPLICATE,
            ));
            ok = false;
        }
        let item_dir = dir_of(&path).to_owned();
        for (src, line) in &item.sources {
            if media_names.contains(src) {
                continue;
            }
            let decoded = percent_decoded(src);
            let candidates = [
                normalize(&format!("{item_dir}{src}")),
                normalize(&format!("{base}{src}")),
                decoded
                    .as_ref()
                    .and_then(|d| normalize(&format!("{item_dir}{d}"))),
                decoded
                    .as_ref()
                    .and_then(|d| normalize(&format!("{base}{d}"))),
            ];
            let mut found = None;
            for c in candidates.into_iter().flatten() {
                match pkg.read(&c) {
                    Ok(b) => {
                        found = Some(b);
                        break;
                    }
                    Err(Entry::TooLarge) => {
                        parsed
                            .problems
                            .push(file_problem(Some(&href), *line, reason::TOO_LARGE));
                        return parsed;
                    }
                    Err(_) => {}
                }
            }
            match found {
                Some(bytes) => {
                    media_names.insert(src.clone());
                    parsed.media.push(MediaFile {
                        name: src.clone(),
                        bytes,
                    });
                }
                None => parsed.problems.push(problem(
                    &item.location,
                    *line,
                    "media",
                    reason::MISSING_MEDIA,
                )),
            }
        }
        if let (true, Some(q)) = (ok, item.question) {
            parsed.questions.push(Located {
                location: item.location,
                question: q,
            });
        }
    }
    parsed
}
