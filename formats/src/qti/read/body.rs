//! A body's text and its interactions: which type a body is, fill-in-blank and composite
//! bodies, and the rich text around interactions.

use shared::questions::{Blank, Choice, Part, QuestionContent};

use super::super::dom::{Element, Hook, Node, write_html};
use super::Ctx;
use super::interaction::one_interaction;
use crate::reason;

const SUPPORTED: [&str; 5] = [
    "choiceInteraction",
    "orderInteraction",
    "matchInteraction",
    "textEntryInteraction",
    "extendedTextInteraction",
];

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
pub(super) fn unwrap_content_body(children: &[Node]) -> Vec<&Node> {
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
pub(super) fn rich(nodes: &[&Node], exact: bool) -> String {
    html_of(nodes, !exact)
}

/// Rich text of nodes that our writer wraps in `<div class="{class}">`.
pub(super) fn wrapped(nodes: &[&Node], class: &str, exact: bool) -> String {
    match significant(nodes).as_slice() {
        [Node::El(e)] if e.name == "div" && e.has_class(class) => {
            let inner: Vec<&Node> = e.children.iter().collect();
            html_of(&inner, !exact)
        }
        _ => html_of(nodes, true),
    }
}

/// Reads a body (or a composite's part): its interactions decide the type.
pub(super) fn body_content(
    nodes: &[&Node],
    ctx: &mut Ctx,
    top: bool,
    line: u32,
) -> Option<QuestionContent> {
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

pub(super) fn values(decl: &Element, exact: bool) -> Vec<String> {
    decl.child("correctResponse")
        .map(|c| {
            c.elements()
                .filter(|v| v.name == "value")
                .map(|v| if exact { v.raw_text() } else { v.text() })
                .collect()
        })
        .unwrap_or_default()
}

pub(super) fn choices(parent: &Element, name: &str, exact: bool) -> Vec<Choice> {
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
