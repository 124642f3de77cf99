//! What the server and the editor check of a question: every problem of its content, with the
//! field it is at, and valid points.

use super::blanks::parse_number;
use super::{Choice, QuestionContent, blank_markers};

/// One problem found by [`QuestionContent::validate`]: a dotted field path and a stable reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub field: String,
    pub reason: &'static str,
}

/// Most options, items, blanks or parts in one question.
pub const MAX_ENTRIES: usize = 50;
/// Longest rich-text field, in characters.
pub const MAX_TEXT: usize = 20_000;

impl QuestionContent {
    /// Every problem, with field paths relative to `prefix` (empty for the top level).
    pub fn validate(&self, prefix: &str) -> Vec<Problem> {
        let mut v = Vec::new();
        let mut nested = Vec::new();
        let field = |name: &str| {
            if prefix.is_empty() {
                name.to_owned()
            } else {
                format!("{prefix}.{name}")
            }
        };
        let mut problem = |name: String, reason: &'static str| {
            v.push(Problem {
                field: name,
                reason,
            })
        };
        let stem_name = if matches!(self, QuestionContent::Composite { .. }) {
            "passage"
        } else {
            "stem"
        };
        let stem = self.stem();
        if plain_is_empty(stem) {
            problem(field(stem_name), "required");
        } else if stem.chars().count() > MAX_TEXT {
            problem(field(stem_name), "too_long");
        }
        let mut check_choices = |name: &str, list: &[Choice], min: usize| {
            if list.len() < min {
                problem(field(name), "too_few");
            }
            if list.len() > MAX_ENTRIES {
                problem(field(name), "too_many");
            }
            for (i, c) in list.iter().enumerate() {
                let id = c.id.trim();
                if id.is_empty() || id.chars().count() > 20 {
                    problem(field(&format!("{name}[{i}].id")), "invalid_format");
                } else if list[..i].iter().any(|o| o.id.trim() == id) {
                    problem(field(&format!("{name}[{i}].id")), "duplicate");
                }
                if plain_is_empty(&c.text) {
                    problem(field(&format!("{name}[{i}].text")), "required");
                } else if c.text.chars().count() > MAX_TEXT {
                    problem(field(&format!("{name}[{i}].text")), "too_long");
                }
            }
        };
        match self {
            QuestionContent::SingleChoice {
                options, answer, ..
            } => {
                check_choices("options", options, 2);
                if !options.iter().any(|o| o.id == *answer) {
                    problem(field("answer"), "unknown_option");
                }
            }
            QuestionContent::MultipleChoice {
                options, answers, ..
            } => {
                check_choices("options", options, 2);
                if answers.is_empty() {
                    problem(field("answers"), "required");
                }
                for (i, a) in answers.iter().enumerate() {
                    if !options.iter().any(|o| o.id == *a) {
                        problem(field(&format!("answers[{i}]")), "unknown_option");
                    } else if answers[..i].contains(a) {
                        problem(field(&format!("answers[{i}]")), "duplicate");
                    }
                }
            }
            QuestionContent::TrueFalse { .. } => {}
            QuestionContent::FillBlank { stem, blanks } => {
                if blanks.is_empty() {
                    problem(field("blanks"), "too_few");
                }
                if blanks.len() > MAX_ENTRIES {
                    problem(field("blanks"), "too_many");
                }
                if blank_markers(stem) != (1..=blanks.len()).collect::<Vec<_>>() {
                    problem(field("stem"), "blank_markers_mismatch");
                }
                for (i, b) in blanks.iter().enumerate() {
                    if b.answers.iter().all(|a| a.trim().is_empty()) {
                        problem(field(&format!("blanks[{i}].answers")), "required");
                    }
                    if let Some(t) = b.numeric_tolerance {
                        let numeric = b.answers.iter().all(|a| parse_number(a).is_some());
                        if !(t.is_finite() && t >= 0.0 && numeric) {
                            problem(
                                field(&format!("blanks[{i}].numeric_tolerance")),
                                "invalid_format",
                            );
                        }
                    }
                }
            }
            QuestionContent::Essay { rubric, .. } => {
                for (i, r) in rubric.iter().enumerate() {
                    if r.criterion.trim().is_empty() {
                        problem(field(&format!("rubric[{i}].criterion")), "required");
                    }
                    if !valid_points(r.points) {
                        problem(field(&format!("rubric[{i}].points")), "out_of_range");
                    }
                }
            }
            QuestionContent::Ordering { items, .. } => check_choices("items", items, 2),
            QuestionContent::Matching {
                prompts,
                answers,
                pairs,
                ..
            } => {
                check_choices("prompts", prompts, 2);
                check_choices("answers", answers, 2);
                for p in prompts {
                    match pairs.iter().filter(|x| x.prompt == p.id).count() {
                        1 => {}
                        0 => problem(field("pairs"), "prompt_without_answer"),
                        _ => problem(field("pairs"), "duplicate"),
                    }
                }
                for (i, pair) in pairs.iter().enumerate() {
                    if !prompts.iter().any(|p| p.id == pair.prompt)
                        || !answers.iter().any(|a| a.id == pair.answer)
                    {
                        problem(field(&format!("pairs[{i}]")), "unknown_option");
                    }
                }
            }
            QuestionContent::Composite { parts, .. } => {
                if parts.is_empty() {
                    problem(field("parts"), "too_few");
                }
                if parts.len() > MAX_ENTRIES {
                    problem(field("parts"), "too_many");
                }
                for (i, part) in parts.iter().enumerate() {
                    let name = field(&format!("parts[{i}]"));
                    if matches!(part.content, QuestionContent::Composite { .. }) {
                        problem(format!("{name}.content"), "nested_composite");
                        continue;
                    }
                    if !valid_points(part.points) {
                        problem(format!("{name}.points"), "out_of_range");
                    }
                    nested.extend(part.content.validate(&format!("{name}.content")));
                }
            }
        }
        v.extend(nested);
        v
    }
}

/// Points are at least 0.01 (they are stored in hundredths, so anything less would be
/// stored as 0), at most 1000, with at most two decimals.
pub fn valid_points(points: f64) -> bool {
    points.is_finite()
        && (0.01..=1000.0).contains(&points)
        && ((points * 100.0).round() - points * 100.0).abs() < 1e-6
}

/// Whether rich text has no visible content (only tags and whitespace). Images count as
/// content.
fn plain_is_empty(html: &str) -> bool {
    if html.contains("<img") {
        return false;
    }
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&nbsp;", " ").trim().is_empty()
}
