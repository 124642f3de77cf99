//! Reading one `<question>` element by its type, its files and its rich texts.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use super::{MAX_MEDIA, Node, State};
use crate::text::{self, check, problem};
use crate::{Located, Location, MediaFile, Parsed, Question, reason};
use shared::questions::{Blank, Choice, MAX_ENTRIES, Pair, QuestionContent, blank_markers};

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
            let decoded = text::percent_decode(raw).unwrap_or_else(|| raw.to_owned());
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

pub(super) fn read_question(
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
