//! Fill-in-blank questions: the blank markers of a stem, and how a typed answer is matched
//! against a blank's accepted answers (as grading does, so the editor's preview agrees).

use super::Blank;

/// The numbers of the `{{n}}` blank markers in a stem, in order of appearance.
pub fn blank_markers(stem: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut rest = stem;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        match after.find("}}") {
            Some(end) => {
                if let Ok(n) = after[..end].trim().parse::<usize>() {
                    out.push(n);
                }
                rest = &after[end + 2..];
            }
            None => break,
        }
    }
    out
}

/// Full-width ASCII forms (`！`…`～`) and the ideographic space to their half-width forms.
pub fn to_half_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            c => c,
        })
        .collect()
}

pub(super) fn parse_number(s: &str) -> Option<f64> {
    to_half_width(s.trim())
        .parse::<f64>()
        .ok()
        .filter(|n| n.is_finite())
}

impl Blank {
    /// Whether `given` is an accepted answer under this blank's rules.
    pub fn matches(&self, given: &str) -> bool {
        if let Some(tolerance) = self.numeric_tolerance {
            let Some(n) = parse_number(given) else {
                return false;
            };
            return self
                .answers
                .iter()
                .filter_map(|a| parse_number(a))
                .any(|a| (a - n).abs() <= tolerance + 1e-12);
        }
        let normalise = |s: &str| {
            let mut s = s.trim().to_owned();
            if !self.width_sensitive {
                s = to_half_width(&s);
            }
            if !self.case_sensitive {
                s = s.to_lowercase();
            }
            if !self.exact_spaces {
                s = s.split_whitespace().collect::<Vec<_>>().join(" ");
            }
            s
        };
        let given = normalise(given);
        self.answers.iter().any(|a| normalise(a) == given)
    }
}
