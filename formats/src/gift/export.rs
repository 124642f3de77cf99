//! Writing questions as GIFT: plain text where it reads back the same, `[html]` otherwise.

use super::{escape, strip_format};
use crate::text;
use crate::{ExportItem, Question};
use shared::questions::QuestionContent;

fn starts_badly(plain: &str) -> bool {
    plain.starts_with('%') || strip_format(plain).is_some()
}

/// Every rich text of a question that is written in the question's text format.
fn texts(question: &Question) -> Vec<&str> {
    let c = &question.content;
    let mut out = vec![c.stem(), question.explanation.as_str()];
    match c {
        QuestionContent::SingleChoice { options, .. }
        | QuestionContent::MultipleChoice { options, .. } => {
            out.extend(options.iter().map(|o| o.text.as_str()));
        }
        QuestionContent::Matching {
            prompts, answers, ..
        } => {
            out.extend(prompts.iter().map(|o| o.text.as_str()));
            out.extend(answers.iter().map(|o| o.text.as_str()));
        }
        _ => {}
    }
    out
}

/// Whether the question can be written as plain text (no `[html]`).
fn plain_enough(question: &Question) -> bool {
    let prompts_ok = match &question.content {
        QuestionContent::Matching { prompts, .. } => prompts
            .iter()
            .all(|p| !text::html_to_plain(&p.text).contains("->")),
        _ => true,
    };
    prompts_ok
        && texts(question)
            .iter()
            .all(|t| t.is_empty() || (text::is_plain(t) && !starts_badly(&text::html_to_plain(t))))
}

/// An answer: marker, a neutral weight if the text would read as one, and the text.
fn item(out: &mut String, marker: &str, weight: Option<&str>, text: &str) {
    out.push(' ');
    out.push_str(marker);
    match weight {
        Some(w) => out.push_str(&format!("%{w}%")),
        None if text.trim_start().starts_with('%') => {
            out.push_str(if marker == "=" { "%100%" } else { "%0%" })
        }
        None => {}
    }
    out.push_str(text);
}

/// A weight with at most five decimals (`33.33333`).
fn weight(w: f64) -> String {
    let s = format!("{w:.5}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

pub fn write(items: &[&ExportItem]) -> Vec<u8> {
    let mut out = String::new();
    let mut category: Option<&str> = None;
    for export in items {
        let q = &export.question;
        if q.category.as_deref() != category {
            category = q.category.as_deref();
            match category {
                Some(path) => out.push_str(&format!(
                    "$CATEGORY: $course$/top/{}\n\n",
                    path.replace(['\r', '\n'], " ")
                )),
                None => out.push_str("$CATEGORY: $course$/top\n\n"),
            }
        }
        let tags: Vec<String> = q
            .tags
            .iter()
            .map(|t| t.trim())
            .filter(|t| !t.is_empty() && !t.contains([']', '\n', '\r']))
            .map(|t| format!("[tag:{t}]"))
            .collect();
        if !tags.is_empty() {
            out.push_str(&format!("// {}\n", tags.join(" ")));
        }
        out.push_str(&format!("::{}::", escape(&export.id)));
        let html = !plain_enough(q);
        if html {
            out.push_str("[html]");
        }
        let t = |s: &str| {
            if html {
                escape(s)
            } else {
                escape(&text::html_to_plain(s))
            }
        };
        let mut block = String::new();
        let mut stem = t(q.content.stem());
        let mut after = String::new();
        match &q.content {
            QuestionContent::SingleChoice {
                options, answer, ..
            } => {
                for o in options {
                    let marker = if o.id == *answer { "=" } else { "~" };
                    item(&mut block, marker, None, &t(&o.text));
                }
            }
            QuestionContent::MultipleChoice {
                options, answers, ..
            } => {
                let n = options.iter().filter(|o| answers.contains(&o.id)).count();
                let right = weight(100.0 / n.max(1) as f64);
                for o in options {
                    let w = if answers.contains(&o.id) {
                        right.as_str()
                    } else {
                        "-100"
                    };
                    item(&mut block, "~", Some(w), &t(&o.text));
                }
            }
            QuestionContent::TrueFalse { answer, .. } => {
                block.push_str(if *answer { "TRUE" } else { "FALSE" });
            }
            QuestionContent::FillBlank { stem: s, blanks } => {
                let source = if html {
                    s.clone()
                } else {
                    text::html_to_plain(s)
                };
                let (head, tail) = source.split_once("{{1}}").unwrap_or((&source, ""));
                stem = escape(head);
                after = escape(tail);
                if let Some(b) = blanks.first() {
                    match b.numeric_tolerance {
                        Some(tol) => {
                            block.push('#');
                            let tol = if tol > 0.0 {
                                format!(":{tol}")
                            } else {
                                String::new()
                            };
                            if let [a] = b.answers.as_slice() {
                                block.push_str(&format!("{}{tol}", escape(a.trim())));
                            } else {
                                for a in &b.answers {
                                    item(&mut block, "=", None, &format!("{}{tol}", escape(a)));
                                }
                            }
                        }
                        None => {
                            for a in &b.answers {
                                item(&mut block, "=", None, &escape(a));
                            }
                        }
                    }
                }
            }
            QuestionContent::Matching {
                prompts,
                answers,
                pairs,
                ..
            } => {
                let answer_text = |id: &str| {
                    answers
                        .iter()
                        .find(|a| a.id == id)
                        .map(|a| t(&a.text))
                        .unwrap_or_default()
                };
                for p in prompts {
                    if let Some(pair) = pairs.iter().find(|x| x.prompt == p.id) {
                        let text = format!("{} -> {}", t(&p.text), answer_text(&pair.answer));
                        item(&mut block, "=", None, &text);
                    }
                }
                for a in answers {
                    if !pairs.iter().any(|x| x.answer == a.id) {
                        item(&mut block, "=", None, &format!(" -> {}", t(&a.text)));
                    }
                }
            }
            QuestionContent::Essay { .. }
            | QuestionContent::Ordering { .. }
            | QuestionContent::Composite { .. } => {}
        }
        if !q.explanation.trim().is_empty() {
            block.push_str(&format!(" ####{}", t(&q.explanation)));
        }
        out.push_str(&format!("{stem}{{{}}}{after}\n\n", block.trim()));
    }
    out.into_bytes()
}
