//! Aiken: single-choice questions as plain text.
//!
//! ```text
//! 中国的首都是哪座城市？
//! A. 上海
//! B. 北京
//! ANSWER: B
//! ```
//!
//! The first line of a question is its stem; further lines before the first option continue
//! it. Options are `A.` or `A)` followed by a space (Chinese files' `A．`, `A、` and `A）` are
//! read too), one line each; `ANSWER: X` (or `ANSWER：X`) ends the question. Blank lines
//! between questions are optional. Aiken carries no points, explanation, tags or category.

use crate::text::{self, MAX_QUESTIONS, check, problem};
use crate::{ExportItem, Located, Location, Parsed, Question, reason};
use shared::questions::{Choice, MAX_ENTRIES, QuestionContent};

/// Whether Aiken can express this question exactly: a single-choice question with plain-text
/// stem and options (at most 26), each option on one line, and no stem line that would read as
/// an option or an answer line.
pub fn supports(content: &QuestionContent) -> bool {
    let QuestionContent::SingleChoice { stem, options, .. } = content else {
        return false;
    };
    if options.len() > 26 || !text::is_plain(stem) {
        return false;
    }
    let plain_stem = text::html_to_plain(stem);
    let stem_ok = plain_stem.lines().enumerate().all(|(i, l)| {
        !l.trim().is_empty()
            && l.trim() == l
            && answer_line(l).is_none()
            && (i == 0 || option_line(l).is_none())
    });
    let options_ok = options
        .iter()
        .all(|o| text::is_plain(&o.text) && !text::html_to_plain(&o.text).contains(['\n', '\r']));
    stem_ok && options_ok && text::round_trips(content, write, parse)
}

/// `A. text` (or `A)`, `A．`, `A、`, `A）`): the letter and the text.
fn option_line(line: &str) -> Option<(char, &str)> {
    let line = line.trim();
    let mut chars = line.char_indices();
    let (_, letter) = chars.next()?;
    if !letter.is_ascii_uppercase() {
        return None;
    }
    let (at, sep) = chars.next()?;
    let rest = line.get(at + sep.len_utf8()..)?;
    match sep {
        '.' | ')' => {
            if rest.is_empty() || rest.starts_with([' ', '\t']) {
                Some((letter, rest.trim()))
            } else {
                None
            }
        }
        '．' | '、' | '）' => Some((letter, rest.trim())),
        _ => None,
    }
}

/// `ANSWER: X` (any case, `:` or `：`): what follows the colon.
fn answer_line(line: &str) -> Option<&str> {
    let line = line.trim();
    let head = line.get(..6)?;
    if !head.eq_ignore_ascii_case("answer") {
        return None;
    }
    let rest = line.get(6..)?.trim_start();
    rest.strip_prefix(':')
        .or_else(|| rest.strip_prefix('：'))
        .map(str::trim)
}

/// A question being read.
struct Open {
    line: u32,
    stem: Vec<String>,
    options: Vec<(u32, char, String)>,
}

pub fn parse(bytes: &[u8]) -> Parsed {
    let mut parsed = Parsed::default();
    let Some(source) = text::decode(bytes) else {
        parsed
            .problems
            .push(problem(&Location::default(), "file", reason::INVALID_FILE));
        return parsed;
    };
    let mut open: Option<Open> = None;
    for (index, raw) in source.lines().enumerate() {
        let n = u32::try_from(index + 1).unwrap_or(u32::MAX);
        if parsed.questions.len() >= MAX_QUESTIONS {
            parsed.problems.push(problem(
                &Location {
                    line: n,
                    item: None,
                },
                "file",
                reason::TOO_LARGE,
            ));
            return parsed;
        }
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        if let Some(answer) = answer_line(line) {
            match open.take() {
                None => parsed.problems.push(problem(
                    &Location {
                        line: n,
                        item: None,
                    },
                    "stem",
                    reason::REQUIRED,
                )),
                Some(q) => finish(&mut parsed, q, n, answer),
            }
            continue;
        }
        match &mut open {
            None => {
                open = Some(Open {
                    line: n,
                    stem: vec![line.to_owned()],
                    options: Vec::new(),
                })
            }
            Some(q) => {
                if let Some((letter, text)) = option_line(line) {
                    q.options.push((n, letter, text.to_owned()));
                } else if q.options.is_empty() {
                    q.stem.push(line.to_owned());
                } else {
                    // The previous question never got its answer line; this starts a new one.
                    parsed.problems.push(problem(
                        &Location {
                            line: q.line,
                            item: None,
                        },
                        "answer",
                        reason::REQUIRED,
                    ));
                    open = Some(Open {
                        line: n,
                        stem: vec![line.to_owned()],
                        options: Vec::new(),
                    });
                }
            }
        }
    }
    if let Some(q) = open {
        parsed.problems.push(problem(
            &Location {
                line: q.line,
                item: None,
            },
            "answer",
            reason::REQUIRED,
        ));
    }
    parsed
}

/// Ends a question at its answer line `answer_at`.
fn finish(parsed: &mut Parsed, q: Open, answer_at: u32, answer: &str) {
    let at = |line: u32| Location { line, item: None };
    let start = at(q.line);
    let mut problems = Vec::new();
    if q.options.len() > MAX_ENTRIES {
        parsed
            .problems
            .push(problem(&start, "options", text::TOO_MANY));
        return;
    }
    if q.options.is_empty() {
        problems.push(problem(&start, "options", reason::REQUIRED));
    }
    for (i, (line, letter, text)) in q.options.iter().enumerate() {
        let earlier = q.options.get(..i).unwrap_or_default();
        if earlier.iter().any(|(_, l, _)| l == letter) {
            problems.push(problem(&at(*line), "options", reason::DUPLICATE));
        } else if earlier.iter().any(|(_, _, t)| t == text) {
            problems.push(problem(
                &at(*line),
                &format!("options[{i}].text"),
                reason::DUPLICATE,
            ));
        }
    }
    let mut letters = answer.chars();
    let answer_letter = match (letters.next(), letters.next()) {
        (None, _) => {
            problems.push(problem(&at(answer_at), "answer", reason::REQUIRED));
            None
        }
        (Some(c), None) if c.is_ascii_alphabetic() => Some(c.to_ascii_uppercase()),
        _ => {
            problems.push(problem(&at(answer_at), "answer", reason::INVALID_FORMAT));
            None
        }
    };
    if let Some(letter) = answer_letter
        && !q.options.is_empty()
        && !q.options.iter().any(|(_, l, _)| *l == letter)
    {
        problems.push(problem(&at(answer_at), "answer", reason::UNKNOWN_OPTION));
    }
    if !problems.is_empty() {
        parsed.problems.extend(problems);
        return;
    }
    let question = Question::new(QuestionContent::SingleChoice {
        stem: text::plain_to_html(&q.stem.join("\n")),
        options: q
            .options
            .iter()
            .map(|(_, letter, text)| Choice {
                id: letter.to_string(),
                text: text::plain_to_html(text),
            })
            .collect(),
        answer: answer_letter.map(String::from).unwrap_or_default(),
    });
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

pub fn write(items: &[&ExportItem]) -> Vec<u8> {
    let mut out = String::new();
    for item in items {
        let QuestionContent::SingleChoice {
            stem,
            options,
            answer,
        } = &item.question.content
        else {
            continue;
        };
        out.push_str(&text::html_to_plain(stem));
        out.push('\n');
        let mut answer_letter = String::new();
        for (i, o) in options.iter().enumerate() {
            let letter = text::letter_id(i);
            out.push_str(&format!(
                "{letter}. {}\n",
                text::html_to_plain(&o.text).replace(['\r', '\n'], " ")
            ));
            if o.id == *answer {
                answer_letter = letter;
            }
        }
        out.push_str(&format!("ANSWER: {answer_letter}\n\n"));
    }
    out.into_bytes()
}
