//! Items with one interaction: choice (single, multiple, true/false), order, match and
//! extended text (essay, with the scorer's rubric block).

use shared::questions::{Pair, QuestionContent, RubricItem};

use super::super::dom::{Element, Node};
use super::Ctx;
use super::body::{choices, rich, unwrap_content_body, values, wrapped};
use crate::reason;

pub(super) fn one_interaction(
    nodes: &[&Node],
    it: &Element,
    ctx: &mut Ctx,
) -> Option<QuestionContent> {
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
