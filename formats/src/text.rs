//! Rich text ↔ plain text for the plain-text formats (GIFT, Aiken), and helpers the
//! text formats share.

use crate::{ExportItem, Location, Parsed, Problem, Question, reason};
use shared::questions::{Choice, Pair, QuestionContent, valid_points};

/// Plain text as rich text: escaped, line breaks as `<br>`, in one paragraph.
pub fn plain_to_html(text: &str) -> String {
    let escaped = text
        .trim()
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;");
    format!(
        "<p>{}</p>",
        escaped.replace("\r\n", "\n").replace('\n', "<br>")
    )
}

/// Rich text as plain text: tags dropped (`<br>` and paragraph ends as line breaks), entities
/// decoded.
pub fn html_to_plain(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let Some(end) = rest[start..].find('>') else {
            out.push_str(&rest[start..]);
            rest = "";
            break;
        };
        let tag = rest[start + 1..start + end].trim().to_ascii_lowercase();
        if tag.starts_with("br") || tag == "/p" || tag == "/div" || tag == "/li" {
            out.push('\n');
        }
        rest = &rest[start + end + 1..];
    }
    out.push_str(rest);
    let decoded = out
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&");
    decoded.trim().to_owned()
}

/// Whether rich text is exactly what [`plain_to_html`] makes of its plain text, so a plain-text
/// format carries it without loss.
pub(crate) fn is_plain(html: &str) -> bool {
    plain_to_html(&html_to_plain(html)) == html
}

/// `A`, `B`, … `Z`, then `A2`, `B2`, … : option ids by position.
pub(crate) fn letter_id(index: usize) -> String {
    let letter = char::from(b'A' + (index % 26) as u8);
    match index / 26 {
        0 => letter.to_string(),
        n => format!("{letter}{}", n + 1),
    }
}

/// A category path as `数学/代数`: Moodle's `$course$/`, `$system$/`, `$module$/`, `$cat1$/`
/// contexts and the `top` level dropped, levels trimmed, empty levels dropped. `None` if nothing
/// is left.
pub(crate) fn clean_category(path: &str) -> Option<String> {
    let mut levels: Vec<&str> = path
        .split('/')
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    if levels
        .first()
        .is_some_and(|l| l.len() > 2 && l.starts_with('$') && l.ends_with('$'))
    {
        levels.remove(0);
    }
    if levels
        .first()
        .is_some_and(|l| l.eq_ignore_ascii_case("top"))
    {
        levels.remove(0);
    }
    if levels.is_empty() {
        None
    } else {
        Some(levels.join("/"))
    }
}

/// Line numbers of byte offsets in one text.
pub(crate) struct Lines {
    starts: Vec<usize>,
}

impl Lines {
    pub(crate) fn new(text: &[u8]) -> Lines {
        let mut starts = vec![0];
        starts.extend(
            text.iter()
                .enumerate()
                .filter(|(_, b)| **b == b'\n')
                .map(|(i, _)| i + 1),
        );
        Lines { starts }
    }

    /// The 1-based line of a byte offset.
    pub(crate) fn line_of(&self, offset: usize) -> u32 {
        u32::try_from(self.starts.partition_point(|s| *s <= offset)).unwrap_or(u32::MAX)
    }
}

/// The file's text: UTF-8 without a byte-order mark, or `None`.
pub(crate) fn decode(bytes: &[u8]) -> Option<&str> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).ok()
}

/// The content with option, item, prompt and answer ids replaced by their position
/// ([`letter_id`]; matching answers sorted by text first, since formats that write matching
/// questions as prompt → answer pairs cannot keep the order of the answers), so two questions
/// that differ only in ids compare equal.
pub(crate) fn canonical(content: &QuestionContent) -> QuestionContent {
    fn reid(list: &[Choice]) -> (Vec<Choice>, impl Fn(&str) -> String + '_) {
        let out = list
            .iter()
            .enumerate()
            .map(|(i, c)| Choice {
                id: letter_id(i),
                text: c.text.clone(),
            })
            .collect();
        let map = move |id: &str| {
            list.iter()
                .position(|c| c.id == id)
                .map_or_else(|| format!("?{id}"), letter_id)
        };
        (out, map)
    }
    match content {
        QuestionContent::SingleChoice {
            stem,
            options,
            answer,
        } => {
            let (options, map) = reid(options);
            QuestionContent::SingleChoice {
                stem: stem.clone(),
                answer: map(answer),
                options,
            }
        }
        QuestionContent::MultipleChoice {
            stem,
            options,
            answers,
        } => {
            let (options, map) = reid(options);
            let mut answers: Vec<String> = answers.iter().map(|a| map(a)).collect();
            answers.sort();
            QuestionContent::MultipleChoice {
                stem: stem.clone(),
                answers,
                options,
            }
        }
        QuestionContent::Ordering { stem, items } => QuestionContent::Ordering {
            stem: stem.clone(),
            items: reid(items).0,
        },
        QuestionContent::Matching {
            stem,
            prompts,
            answers,
            pairs,
        } => {
            let mut sorted = answers.clone();
            sorted.sort_by(|a, b| a.text.cmp(&b.text));
            let (new_prompts, prompt_map) = reid(prompts);
            let (new_answers, answer_map) = reid(&sorted);
            let mut pairs: Vec<Pair> = pairs
                .iter()
                .map(|p| Pair {
                    prompt: prompt_map(&p.prompt),
                    answer: answer_map(&p.answer),
                })
                .collect();
            pairs.sort_by(|a, b| (&a.prompt, &a.answer).cmp(&(&b.prompt, &b.answer)));
            QuestionContent::Matching {
                stem: stem.clone(),
                prompts: new_prompts,
                answers: new_answers,
                pairs,
            }
        }
        other => other.clone(),
    }
}

/// Whether two options (or items, prompts, answers) of one list have the same text.
pub(crate) fn duplicate_text(list: &[Choice]) -> Option<usize> {
    (1..list.len()).find(|&i| {
        list[..i]
            .iter()
            .any(|c| c.text.trim() == list[i].text.trim())
    })
}

/// Every problem of a parsed question: what [`QuestionContent::validate`] finds, and the same
/// option text twice in a choice question. Empty: the question can be returned.
pub(crate) fn check(question: &Question, location: &Location) -> Vec<Problem> {
    let mut out: Vec<Problem> = question
        .content
        .validate("")
        .into_iter()
        .map(|p| Problem {
            location: location.clone(),
            field: p.field,
            reason: p.reason.to_owned(),
        })
        .collect();
    if let QuestionContent::SingleChoice { options, .. }
    | QuestionContent::MultipleChoice { options, .. } = &question.content
        && let Some(i) = duplicate_text(options)
    {
        out.push(Problem {
            location: location.clone(),
            field: format!("options[{i}].text"),
            reason: reason::DUPLICATE.to_owned(),
        });
    }
    if !valid_points(question.points) {
        out.push(Problem {
            location: location.clone(),
            field: "points".to_owned(),
            reason: reason::INVALID_FORMAT.to_owned(),
        });
    }
    out
}

/// A problem at a location.
pub(crate) fn problem(location: &Location, field: &str, why: &str) -> Problem {
    Problem {
        location: location.clone(),
        field: field.to_owned(),
        reason: why.to_owned(),
    }
}

/// More options (answers, prompts) in one question than [`shared::questions::MAX_ENTRIES`]:
/// the reason [`QuestionContent::validate`] gives.
pub(crate) const TOO_MANY: &str = "too_many";

/// Most questions one file may hold.
pub(crate) const MAX_QUESTIONS: usize = 10_000;

/// Whether writing `content` with `write` and reading it back with `parse` gives it back (up
/// to option ids): what a format's `supports` asks of a question it can express.
pub(crate) fn round_trips(
    content: &QuestionContent,
    write: impl Fn(&[&ExportItem]) -> Vec<u8>,
    parse: impl Fn(&[u8]) -> Parsed,
) -> bool {
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

/// `a%20b` → `a b`: `%` and two hex digits decoded, anything else kept; `None` if the result
/// is not UTF-8.
pub(crate) fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (b, hex) {
            (b'%', Some(decoded)) => {
                out.push(decoded);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers() {
        assert_eq!(letter_id(0), "A");
        assert_eq!(letter_id(25), "Z");
        assert_eq!(letter_id(26), "A2");
        assert_eq!(
            clean_category("$course$/top/数学/ 代数 /"),
            Some("数学/代数".to_owned())
        );
        assert_eq!(clean_category("$system$/top"), None);
        assert_eq!(clean_category("top/语文"), Some("语文".to_owned()));
        assert_eq!(clean_category("语文/top"), Some("语文/top".to_owned()));
        let lines = Lines::new("a\nbc\n\nd".as_bytes());
        assert_eq!(
            [0, 1, 2, 4, 5, 6].map(|o| lines.line_of(o)),
            [1, 1, 2, 2, 3, 4]
        );
        assert!(is_plain("<p>a &amp; b<br>c</p>"));
        assert!(!is_plain("<p><b>a</b></p>"));
        assert!(!is_plain("a"));
        assert_eq!(decode(b"\xEF\xBB\xBF\xE4\xB8\xAD"), Some("中"));
        assert_eq!(decode(b"\xFF"), None);
    }

    #[test]
    fn plain_text_survives_a_round_trip() {
        for s in ["a<b & c>d \"q\"", "第一行\n第二行", "$x^2$"] {
            assert_eq!(html_to_plain(&plain_to_html(s)), s);
        }
    }
}
