//! GIFT, Moodle's text format (<https://docs.moodle.org/en/GIFT_format>).
//!
//! Questions are separated by blank lines; lines starting with `//` are comments (Moodle's
//! `// [tag:name]` comments carry tags). `$CATEGORY: $course$/top/数学/代数` sets the category
//! of the questions that follow. A question is `::title::` (dropped), an optional text format
//! (`[html]`; `[plain]`, `[markdown]`, `[moodle]` and no format read as plain text), text and
//! one answer block in braces:
//!
//! | answer block | question |
//! |---|---|
//! | `{=right ~wrong ~wrong}` | single choice |
//! | `{~%50%a ~%50%b ~%-100%c}` | multiple choice (the options with a positive weight) |
//! | `{T}`, `{TRUE}`, `{F}`, `{FALSE}` | true/false |
//! | `{=a =b}` | fill-in-blank, one blank accepting `a` or `b` |
//! | `{#3.14:0.01}`, `{#3.14}`, `{#1..5}`, `{#=3.14:0.01 =3.15:0.01}` | numeric fill-in-blank |
//! | `{=prompt -> answer ...}` (`= -> answer`: a distractor) | matching |
//! | `{}` | essay |
//!
//! Text after the block makes a missing-word question: a fill-in-blank's `{{1}}` goes where the
//! block was (other types show `_____` there). `####text` in the block is the explanation;
//! per-answer feedback (`#text`) and partial-credit answers of short-answer and numeric
//! questions are dropped. `\~ \= \# \{ \} \: \\ \n` are escapes. GIFT carries no points or
//! difficulty.

use crate::text::{self, MAX_QUESTIONS, canonical, check, problem};
use crate::{ExportItem, Located, Location, Parsed, Problem, Question, reason};
use shared::questions::{Blank, Choice, MAX_ENTRIES, Pair, QuestionContent};

/// Whether GIFT can express this question exactly: any choice, true/false or matching
/// question, an essay without reference answer or rubric, or a fill-in-blank question with one
/// blank matched the default way (case, spaces and width ignored), numeric or not, as long as
/// writing and reading it gives it back.
pub fn supports(content: &QuestionContent) -> bool {
    let type_ok = match content {
        QuestionContent::SingleChoice { .. }
        | QuestionContent::MultipleChoice { .. }
        | QuestionContent::TrueFalse { .. }
        | QuestionContent::Matching { .. } => true,
        QuestionContent::FillBlank { blanks, .. } => match blanks.as_slice() {
            [b] => !b.case_sensitive && !b.exact_spaces && !b.width_sensitive,
            _ => false,
        },
        QuestionContent::Essay {
            reference_answer,
            rubric,
            ..
        } => reference_answer.is_empty() && rubric.is_empty(),
        QuestionContent::Ordering { .. } | QuestionContent::Composite { .. } => false,
    };
    type_ok && round_trips(content)
}

/// Whether writing and reading the question gives it back (up to option ids).
fn round_trips(content: &QuestionContent) -> bool {
    let item = ExportItem {
        id: "q".to_owned(),
        question: Question::new(content.clone()),
    };
    let parsed = parse(&write(&[&item]));
    parsed.problems.is_empty()
        && parsed.questions.len() == 1
        && parsed
            .questions
            .first()
            .is_some_and(|q| canonical(&q.question.content) == canonical(content))
}

// ---------------------------------------------------------------------------------------------
// Escapes

/// The byte offset of the first unescaped character of `s` at or after `from` for which
/// `pred` holds.
fn find_unescaped(s: &str, from: usize, pred: impl Fn(char) -> bool) -> Option<usize> {
    let mut escaped = false;
    for (i, c) in s.get(from..)?.char_indices() {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if pred(c) {
            return Some(from + i);
        }
    }
    None
}

/// The byte offset of the first unescaped `needle` at or after `from`.
fn find_str_unescaped(s: &str, from: usize, needle: &str) -> Option<usize> {
    let first = needle.chars().next()?;
    let mut at = from;
    loop {
        let i = find_unescaped(s, at, |c| c == first)?;
        if s.get(i..).is_some_and(|rest| rest.starts_with(needle)) {
            return Some(i);
        }
        at = i + first.len_utf8();
    }
}

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some(e @ ('\\' | '~' | '=' | '#' | '{' | '}' | ':')) => out.push(e),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.replace("\r\n", "\n").chars() {
        match c {
            '\\' | '~' | '=' | '#' | '{' | '}' | ':' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Reading

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TextFormat {
    Html,
    Plain,
}

/// A leading `[html]`, `[plain]`, `[markdown]` or `[moodle]`: the format and the rest.
fn strip_format(s: &str) -> Option<(TextFormat, &str)> {
    let s = s.trim_start();
    for (tag, format) in [
        ("[html]", TextFormat::Html),
        ("[plain]", TextFormat::Plain),
        ("[markdown]", TextFormat::Plain),
        ("[moodle]", TextFormat::Plain),
    ] {
        if let Some(head) = s.get(..tag.len())
            && head.eq_ignore_ascii_case(tag)
        {
            return Some((format, s.get(tag.len()..).unwrap_or_default()));
        }
    }
    None
}

/// Unescaped text as rich text.
fn rich(text: &str, format: TextFormat) -> String {
    match format {
        TextFormat::Html => text.trim().to_owned(),
        TextFormat::Plain => text::plain_to_html(text),
    }
}

/// Escaped text of an answer (its own `[format]` first, if any) as rich text.
fn rich_item(raw: &str, format: TextFormat) -> String {
    match strip_format(raw) {
        Some((own, rest)) => rich(&unescape(rest), own),
        None => rich(&unescape(raw), format),
    }
}

/// One question's lines (comments removed) and where they were.
struct Block<'a> {
    lines: Vec<(u32, &'a str)>,
    tags: Vec<String>,
}

impl Block<'_> {
    /// The line of a byte offset in the joined text.
    fn line_at(&self, text: &str, offset: usize) -> u32 {
        let k = text
            .get(..offset)
            .map_or(0, |head| head.matches('\n').count());
        self.lines
            .get(k)
            .or(self.lines.last())
            .map_or(0, |(n, _)| *n)
    }
}

/// Tags from a comment: `// [tag:代数] [tag:方程]`.
fn comment_tags(comment: &str, tags: &mut Vec<String>) {
    let mut rest = comment;
    while let Some(start) = rest.find("[tag:") {
        let after = rest.get(start + 5..).unwrap_or_default();
        let Some(end) = after.find(']') else { break };
        let tag = after.get(..end).unwrap_or_default().trim();
        if !tag.is_empty() && !tags.iter().any(|t| t == tag) {
            tags.push(tag.to_owned());
        }
        rest = after.get(end + 1..).unwrap_or_default();
    }
}

pub fn parse(bytes: &[u8]) -> Parsed {
    let mut parsed = Parsed::default();
    let Some(source) = text::decode(bytes) else {
        parsed
            .problems
            .push(problem(&Location::default(), "file", reason::INVALID_FILE));
        return parsed;
    };
    let mut category: Option<String> = None;
    let mut block = Block {
        lines: Vec::new(),
        tags: Vec::new(),
    };
    let mut lines = source.lines().enumerate();
    loop {
        let next = lines.next();
        let line = next.map(|(i, l)| (u32::try_from(i + 1).unwrap_or(u32::MAX), l));
        match line {
            Some((n, l)) if !l.trim().is_empty() => {
                if l.trim_start().starts_with("//") {
                    comment_tags(l, &mut block.tags);
                } else {
                    block.lines.push((n, l));
                }
                continue;
            }
            _ => {}
        }
        let done = std::mem::replace(
            &mut block,
            Block {
                lines: Vec::new(),
                tags: Vec::new(),
            },
        );
        if !done.lines.is_empty() {
            if parsed.questions.len() >= MAX_QUESTIONS {
                let location = Location {
                    line: done.lines.first().map_or(0, |(n, _)| *n),
                    item: None,
                };
                parsed
                    .problems
                    .push(problem(&location, "file", reason::TOO_LARGE));
                return parsed;
            }
            read_block(done, &mut category, &mut parsed);
        }
        if line.is_none() {
            return parsed;
        }
    }
}

/// Reads one block: a category line and/or a question.
fn read_block(mut block: Block, category: &mut Option<String>, parsed: &mut Parsed) {
    if let Some((_, first)) = block.lines.first()
        && let Some(path) = first.trim_start().strip_prefix("$CATEGORY:")
    {
        *category = text::clean_category(path);
        block.lines.remove(0);
        if block.lines.is_empty() {
            return;
        }
    }
    let joined = block
        .lines
        .iter()
        .map(|(_, l)| *l)
        .collect::<Vec<_>>()
        .join("\n");
    let start = Location {
        line: block.lines.first().map_or(0, |(n, _)| *n),
        item: None,
    };
    match read_question(&joined, &block) {
        Ok(None) => {}
        Ok(Some(mut question)) => {
            question.tags = block.tags;
            question.category = category.clone();
            let problems = check(&question, &start);
            if problems.is_empty() {
                parsed.questions.push(Located {
                    location: start,
                    question,
                });
            } else {
                parsed.problems.extend(problems);
            }
        }
        Err(problem) => parsed.problems.push(problem),
    }
}

/// One answer of a choice, short-answer or matching block.
struct Item<'a> {
    correct: bool,
    weight: Option<f64>,
    /// Escaped text, per-answer feedback removed.
    raw: &'a str,
}

/// Reads a question; `None` for a description (text without an answer block).
fn read_question(text: &str, block: &Block) -> Result<Option<Question>, Problem> {
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

// ---------------------------------------------------------------------------------------------
// Writing

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
