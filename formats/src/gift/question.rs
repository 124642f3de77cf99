//! Reading one question: its text around the answer block, and the block by the question type
//! it makes (choice, true/false, short answer, numeric, matching, essay).

use super::{
    Block, TextFormat, find_str_unescaped, find_unescaped, rich, rich_item, strip_format, unescape,
};
use crate::text::{self, problem};
use crate::{Location, Problem, Question, reason};
use shared::questions::{Blank, Choice, MAX_ENTRIES, Pair, QuestionContent};

/// One answer of a choice, short-answer or matching block.
struct Item<'a> {
    correct: bool,
    weight: Option<f64>,
    /// Escaped text, per-answer feedback removed.
    raw: &'a str,
}

/// Reads a question; `None` for a description (text without an answer block).
pub(super) fn read_question(text: &str, block: &Block) -> Result<Option<Question>, Problem> {
    let at = |offset: usize| Location {
        line: block.line_at(text, offset),
        item: None,
    };
    let syntax = |offset: usize, field: &str| problem(&at(offset), field, reason::SYNTAX);
    // ::title::
    let mut body_start = text.len() - text.trim_start().len();
    if text.get(body_start..).is_some_and(|t| t.starts_with("::")) {
        let Some(end) = find_str_unescaped(text, body_start + 2, "::") else {
            return Err(syntax(body_start, "title"));
        };
        body_start = end + 2;
    }
    let body = text.get(body_start..).unwrap_or_default();
    let (format, body) = strip_format(body).unwrap_or((TextFormat::Plain, body));
    let body_offset = text.len() - body.len();
    let Some(open) = find_unescaped(body, 0, |c| c == '{') else {
        return match find_unescaped(body, 0, |c| c == '}') {
            Some(close) => Err(syntax(body_offset + close, "answer")),
            None => Ok(None),
        };
    };
    let Some(close) = find_unescaped(body, open + 1, |c| c == '}') else {
        return Err(syntax(body_offset + open, "answer"));
    };
    if let Some(nested) = find_unescaped(body, open + 1, |c| c == '{')
        && nested < close
    {
        return Err(syntax(body_offset + nested, "answer"));
    }
    let before = body.get(..open).unwrap_or_default();
    let inside = body.get(open + 1..close).unwrap_or_default();
    let after = body.get(close + 1..).unwrap_or_default();
    if let Some(extra) = find_unescaped(after, 0, |c| c == '{' || c == '}') {
        return Err(syntax(body_offset + close + 1 + extra, "answer"));
    }
    let answer_line = at(body_offset + open);
    let (answer, feedback) = match find_str_unescaped(inside, 0, "####") {
        Some(i) => (
            inside.get(..i).unwrap_or_default(),
            inside.get(i + 4..).unwrap_or_default(),
        ),
        None => (inside, ""),
    };
    let explanation = if unescape(feedback).trim().is_empty() {
        String::new()
    } else {
        rich_item(feedback, format)
    };
    let (before, after) = (unescape(before), unescape(after));
    let blank_stem = || rich(&format!("{before}{{{{1}}}}{after}"), format);
    let stem = || {
        if text::html_to_plain(&after).trim().is_empty() {
            rich(&format!("{before}{after}"), format)
        } else {
            rich(&format!("{before}_____{after}"), format)
        }
    };
    let answer = answer.trim();
    let content = if answer.is_empty() {
        QuestionContent::Essay {
            stem: stem(),
            reference_answer: String::new(),
            rubric: Vec::new(),
        }
    } else if let Some(numeric) = answer.strip_prefix('#') {
        let blank = read_numeric(numeric).map_err(|why| problem(&answer_line, "answer", why))?;
        QuestionContent::FillBlank {
            stem: blank_stem(),
            blanks: vec![blank],
        }
    } else if let Some(value) = true_false(answer) {
        QuestionContent::TrueFalse {
            stem: stem(),
            answer: value,
        }
    } else {
        let items =
            split_items(answer).ok_or_else(|| problem(&answer_line, "answer", reason::SYNTAX))?;
        if items.len() > MAX_ENTRIES {
            return Err(problem(&answer_line, "options", text::TOO_MANY));
        }
        let items = items
            .into_iter()
            .map(|(correct, raw)| read_weight(raw).map(|(weight, raw)| (correct, weight, raw)))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| problem(&answer_line, "answer", reason::INVALID_FORMAT))?
            .into_iter()
            .map(|(correct, weight, raw)| Item {
                correct,
                weight,
                raw: find_unescaped(raw, 0, |c| c == '#')
                    .and_then(|i| raw.get(..i))
                    .unwrap_or(raw),
            })
            .collect::<Vec<_>>();
        let all_correct = items.iter().all(|i| i.correct);
        if all_correct && items.iter().any(|i| i.raw.contains("->")) {
            read_matching(&items, format, stem())
                .ok_or_else(|| problem(&answer_line, "answer", reason::SYNTAX))?
        } else if all_correct {
            let answers: Vec<String> = items
                .iter()
                .filter(|i| i.weight.is_none_or(|w| (w - 100.0).abs() < 1e-9))
                .map(|i| unescape(i.raw).trim().to_owned())
                .filter(|a| !a.is_empty())
                .collect();
            QuestionContent::FillBlank {
                stem: blank_stem(),
                blanks: vec![Blank {
                    answers,
                    case_sensitive: false,
                    exact_spaces: false,
                    width_sensitive: false,
                    numeric_tolerance: None,
                }],
            }
        } else {
            read_choice(&items, format, stem())
                .map_err(|why| problem(&answer_line, "answer", why))?
        }
    };
    Ok(Some(Question {
        explanation,
        ..Question::new(content)
    }))
}

fn true_false(answer: &str) -> Option<bool> {
    let value = find_unescaped(answer, 0, |c| c == '#')
        .and_then(|i| answer.get(..i))
        .unwrap_or(answer)
        .trim()
        .to_ascii_uppercase();
    match value.as_str() {
        "T" | "TRUE" => Some(true),
        "F" | "FALSE" => Some(false),
        _ => None,
    }
}

/// `=a ~b …` as (correct, escaped text with weight and feedback); `None` if text comes before
/// the first `=` or `~`.
fn split_items(answer: &str) -> Option<Vec<(bool, &str)>> {
    let mut items = Vec::new();
    let first = find_unescaped(answer, 0, |c| c == '=' || c == '~')?;
    if !answer.get(..first)?.trim().is_empty() {
        return None;
    }
    let mut at = first;
    while let Some(marker) = answer.get(at..).and_then(|s| s.chars().next()) {
        let from = at + 1;
        let end = find_unescaped(answer, from, |c| c == '=' || c == '~').unwrap_or(answer.len());
        items.push((marker == '=', answer.get(from..end)?));
        at = end;
    }
    Some(items)
}

/// A leading `%50%`: the weight and the rest; `None` if the weight is not a number.
fn read_weight(raw: &str) -> Option<(Option<f64>, &str)> {
    let trimmed = raw.trim_start();
    let Some(rest) = trimmed.strip_prefix('%') else {
        return Some((None, raw));
    };
    let end = rest.find('%')?;
    let weight: f64 = rest.get(..end)?.trim().parse().ok()?;
    weight
        .is_finite()
        .then(|| (Some(weight), rest.get(end + 1..).unwrap_or_default()))
}

fn read_choice(
    items: &[Item],
    format: TextFormat,
    stem: String,
) -> Result<QuestionContent, &'static str> {
    let options: Vec<Choice> = items
        .iter()
        .enumerate()
        .map(|(i, item)| Choice {
            id: text::letter_id(i),
            text: rich_item(item.raw, format),
        })
        .collect();
    let weighted = items
        .iter()
        .any(|i| !i.correct && i.weight.is_some_and(|w| w > 0.0));
    if weighted {
        let answers = items
            .iter()
            .zip(&options)
            .filter(|(i, _)| i.weight.map_or(i.correct, |w| w > 0.0))
            .map(|(_, o)| o.id.clone())
            .collect();
        return Ok(QuestionContent::MultipleChoice {
            stem,
            options,
            answers,
        });
    }
    let mut correct = items.iter().zip(&options).filter(|(i, _)| i.correct);
    match (correct.next(), correct.next()) {
        (None, _) => Err(reason::REQUIRED),
        (Some((_, o)), None) => Ok(QuestionContent::SingleChoice {
            stem,
            answer: o.id.clone(),
            options,
        }),
        _ => Err(reason::INVALID_FORMAT),
    }
}

fn read_matching(items: &[Item], format: TextFormat, stem: String) -> Option<QuestionContent> {
    let mut prompts: Vec<Choice> = Vec::new();
    let mut answers: Vec<Choice> = Vec::new();
    let mut pairs = Vec::new();
    for item in items {
        let arrow = item.raw.find("->")?;
        let prompt = item.raw.get(..arrow)?;
        let answer = rich_item(item.raw.get(arrow + 2..)?, format);
        let answer_id = match answers.iter().find(|a| a.text == answer) {
            Some(a) => a.id.clone(),
            None => {
                let id = text::letter_id(answers.len());
                answers.push(Choice {
                    id: id.clone(),
                    text: answer,
                });
                id
            }
        };
        if unescape(prompt).trim().is_empty() {
            continue;
        }
        let id = (prompts.len() + 1).to_string();
        prompts.push(Choice {
            id: id.clone(),
            text: rich_item(prompt, format),
        });
        pairs.push(Pair {
            prompt: id,
            answer: answer_id,
        });
    }
    Some(QuestionContent::Matching {
        stem,
        prompts,
        answers,
        pairs,
    })
}

/// `3.14:0.01`, `3.14`, `1..5` or `=3.14:0.01 =3.15:0.01` (answers weighted below 100%
/// dropped).
fn read_numeric(numeric: &str) -> Result<Blank, &'static str> {
    let strip_feedback = |s: &str| {
        find_unescaped(s, 0, |c| c == '#')
            .and_then(|i| s.get(..i))
            .unwrap_or(s)
            .trim()
            .to_owned()
    };
    let mut values: Vec<(String, f64)> = Vec::new();
    if numeric.trim_start().starts_with('=') {
        let items = split_items(numeric).ok_or(reason::SYNTAX)?;
        if items.len() > MAX_ENTRIES {
            return Err(text::TOO_MANY);
        }
        for (correct, raw) in items {
            let (weight, raw) = read_weight(raw).ok_or(reason::INVALID_FORMAT)?;
            if !correct {
                return Err(reason::SYNTAX);
            }
            if weight.is_some_and(|w| (w - 100.0).abs() > 1e-9) {
                continue;
            }
            values.push(numeric_value(&strip_feedback(raw)).ok_or(reason::INVALID_FORMAT)?);
        }
    } else {
        values.push(numeric_value(&strip_feedback(numeric)).ok_or(reason::INVALID_FORMAT)?);
    }
    let tolerance = values.first().map_or(0.0, |(_, t)| *t);
    if values.iter().any(|(_, t)| (t - tolerance).abs() > 1e-12) {
        return Err(reason::INVALID_FORMAT);
    }
    Ok(Blank {
        answers: values.into_iter().map(|(v, _)| v).collect(),
        case_sensitive: false,
        exact_spaces: false,
        width_sensitive: false,
        numeric_tolerance: Some(tolerance),
    })
}

/// `3.14:0.01`, `3.14` or `1..5`: the answer and the tolerance.
fn numeric_value(s: &str) -> Option<(String, f64)> {
    let number = |s: &str| s.trim().parse::<f64>().ok().filter(|n| n.is_finite());
    if let Some((low, high)) = s.split_once("..") {
        let (low, high) = (number(low)?, number(high)?);
        if high < low {
            return None;
        }
        return Some((((low + high) / 2.0).to_string(), (high - low) / 2.0));
    }
    let (value, tolerance) = match s.split_once(':') {
        Some((v, t)) => (v.trim(), number(t)?),
        None => (s.trim(), 0.0),
    };
    number(value)?;
    (tolerance >= 0.0).then(|| (value.to_owned(), tolerance))
}
