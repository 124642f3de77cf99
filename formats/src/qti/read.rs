//! Reading an item file or a content package: an item's attributes, declarations and
//! feedback here; its body in `body` and `interaction`, packages in `package`.

mod body;
mod interaction;
mod package;

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use shared::questions::valid_points;

use super::Version;
use super::dom::{Element, Node, XmlError, parse_xml};
use super::write::is_local;
use crate::{Located, Location, Parsed, Problem, Question, reason};
use body::{body_content, rich, unwrap_content_body};
use package::package;

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

/// `a%20b` → `a b`, if there is a `%` and it decodes to UTF-8.
fn percent_decoded(s: &str) -> Option<String> {
    if !s.contains('%') {
        return None;
    }
    crate::text::percent_decode(s)
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
