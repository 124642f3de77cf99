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

mod export;
mod question;

use crate::text::{self, MAX_QUESTIONS, check, problem};
use crate::{Located, Location, Parsed, reason};
use question::read_question;
use shared::questions::QuestionContent;

pub use export::write;

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
    type_ok && text::round_trips(content, write, parse)
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
