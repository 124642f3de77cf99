//! An exam's settings as the form holds them (text as typed, local times as a
//! `datetime-local` input gives them) and their conversion to the API's [`ExamInput`], with
//! the problems found on the way as field errors under the API's own field names. Pure, so it
//! is tested without a browser: the time zone comes in as a function.

use shared::exams::{
    EntrySettings, ExamInput, IntegritySettings, ReleasePolicy, ReviewPolicy, Scoring,
};

use crate::api::FieldError;
use crate::dates::LocalDateTime;

pub const SCORINGS: [Scoring; 3] = [Scoring::Best, Scoring::Last, Scoring::Average];
pub const RELEASE_POLICIES: [ReleasePolicy; 3] = [
    ReleasePolicy::Immediately,
    ReleasePolicy::AfterGrading,
    ReleasePolicy::AtTime,
];
pub const REVIEW_POLICIES: [ReviewPolicy; 3] = [
    ReviewPolicy::Never,
    ReviewPolicy::AfterRelease,
    ReviewPolicy::AfterClose,
];

/// The wire name of a scoring rule (the `<option>` value).
pub fn scoring_value(scoring: Scoring) -> &'static str {
    match scoring {
        Scoring::Best => "best",
        Scoring::Last => "last",
        Scoring::Average => "average",
    }
}

/// The wire name of a release policy.
pub fn release_value(policy: ReleasePolicy) -> &'static str {
    match policy {
        ReleasePolicy::Immediately => "immediately",
        ReleasePolicy::AfterGrading => "after_grading",
        ReleasePolicy::AtTime => "at_time",
    }
}

/// The wire name of a review policy.
pub fn review_value(policy: ReviewPolicy) -> &'static str {
    match policy {
        ReviewPolicy::Never => "never",
        ReviewPolicy::AfterRelease => "after_release",
        ReviewPolicy::AfterClose => "after_close",
    }
}

/// The item of `all` whose wire name is `value`.
pub fn by_value<T: Copy>(all: &[T], name: fn(T) -> &'static str, value: &str) -> Option<T> {
    all.iter().copied().find(|item| name(*item) == value)
}

/// The form's values.
#[derive(Debug, Clone, PartialEq)]
pub struct ExamFields {
    pub paper_id: String,
    pub name: String,
    pub instructions: String,
    /// `datetime-local` values.
    pub opens_at: String,
    pub closes_at: String,
    pub duration_minutes: String,
    /// Empty: until the exam closes.
    pub late_entry_minutes: String,
    pub attempts_allowed: String,
    pub scoring: Scoring,
    pub pass_mark: String,
    pub negative_marking: bool,
    pub negative_fraction: String,
    pub release_policy: ReleasePolicy,
    pub release_at: String,
    pub review_policy: ReviewPolicy,
    pub show_rank: bool,
    /// The template of the automatic certificate (`None`: certificates by hand only).
    pub certificate_template_id: Option<String>,
    /// Who may enter and how (checked by the server).
    pub entry: EntrySettings,
    /// Anti-cheat settings (checked by the server).
    pub integrity: IntegritySettings,
}

impl Default for ExamFields {
    /// A new exam: one hour, one attempt, results at once, no review.
    fn default() -> Self {
        ExamFields {
            paper_id: String::new(),
            name: String::new(),
            instructions: String::new(),
            opens_at: String::new(),
            closes_at: String::new(),
            duration_minutes: "60".to_owned(),
            late_entry_minutes: String::new(),
            attempts_allowed: "1".to_owned(),
            scoring: Scoring::Best,
            pass_mark: "0".to_owned(),
            negative_marking: false,
            negative_fraction: "0.25".to_owned(),
            release_policy: ReleasePolicy::Immediately,
            release_at: String::new(),
            review_policy: ReviewPolicy::Never,
            show_rank: false,
            certificate_template_id: None,
            entry: EntrySettings::default(),
            integrity: IntegritySettings::default(),
        }
    }
}

impl ExamFields {
    /// A saved exam's settings, its instants shown by `local` (RFC 3339 → `datetime-local`).
    pub fn from_settings(settings: &ExamInput, local: impl Fn(&str) -> String) -> ExamFields {
        ExamFields {
            paper_id: settings.paper_id.clone(),
            name: settings.name.clone(),
            instructions: settings.instructions.clone(),
            opens_at: local(&settings.opens_at),
            closes_at: local(&settings.closes_at),
            duration_minutes: settings.duration_minutes.to_string(),
            late_entry_minutes: settings
                .late_entry_minutes
                .map(|m| m.to_string())
                .unwrap_or_default(),
            attempts_allowed: settings.attempts_allowed.to_string(),
            scoring: settings.scoring,
            pass_mark: settings.pass_mark.to_string(),
            negative_marking: settings.negative_marking,
            negative_fraction: settings.negative_fraction.to_string(),
            release_policy: settings.release_policy,
            release_at: settings
                .release_at
                .as_deref()
                .map(&local)
                .unwrap_or_default(),
            review_policy: settings.review_policy,
            show_rank: settings.show_rank,
            certificate_template_id: settings.certificate_template_id.clone(),
            entry: settings.entry.clone(),
            integrity: settings.integrity.clone(),
        }
    }

    /// The request, or what must be fixed first. Local times become RFC 3339 through
    /// `instant`; whether they make sense together (closing after opening) and whether the
    /// numbers are in range is the server's to say, so its answer is the one rule.
    pub fn to_input(
        &self,
        instant: impl Fn(LocalDateTime) -> String,
    ) -> Result<ExamInput, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut fail = |field: &str, reason: &str| {
            errors.push(FieldError {
                field: field.to_owned(),
                reason: reason.to_owned(),
            });
        };
        let mut time = |field: &str, value: &str| -> String {
            if value.trim().is_empty() {
                fail(field, "required");
                return String::new();
            }
            match LocalDateTime::parse(value) {
                Some(local) => instant(local),
                None => {
                    fail(field, "invalid_format");
                    String::new()
                }
            }
        };
        let opens_at = time("opens_at", &self.opens_at);
        let closes_at = time("closes_at", &self.closes_at);
        let release_at = (self.release_policy == ReleasePolicy::AtTime)
            .then(|| time("release_at", &self.release_at));
        let mut number = |field: &str, value: &str| -> Option<u32> {
            match value.trim() {
                "" => {
                    fail(field, "required");
                    None
                }
                text => text.parse().ok().or_else(|| {
                    fail(field, "invalid_format");
                    None
                }),
            }
        };
        let duration_minutes = number("duration_minutes", &self.duration_minutes);
        let attempts_allowed = number("attempts_allowed", &self.attempts_allowed);
        let late_entry_minutes = match self.late_entry_minutes.trim() {
            "" => Some(None),
            text => number("late_entry_minutes", text).map(Some),
        };
        let mut decimal = |field: &str, value: &str, empty: f64| -> Option<f64> {
            match value.trim() {
                "" => Some(empty),
                text => text
                    .parse()
                    .ok()
                    .filter(|v: &f64| v.is_finite())
                    .or_else(|| {
                        fail(field, "invalid_format");
                        None
                    }),
            }
        };
        let pass_mark = decimal("pass_mark", &self.pass_mark, 0.0);
        let negative_fraction = if self.negative_marking {
            decimal("negative_fraction", &self.negative_fraction, 0.25)
        } else {
            // Not used without negative marking: keep a value the server accepts.
            Some(
                decimal("negative_fraction", &self.negative_fraction, 0.25)
                    .unwrap_or(0.25)
                    .clamp(0.0, 1.0),
            )
        };
        if self.paper_id.trim().is_empty() {
            fail("paper_id", "required");
        }
        match (
            duration_minutes,
            attempts_allowed,
            late_entry_minutes,
            pass_mark,
            negative_fraction,
        ) {
            (
                Some(duration_minutes),
                Some(attempts_allowed),
                Some(late_entry_minutes),
                Some(pass_mark),
                Some(negative_fraction),
            ) if errors.is_empty() => Ok(ExamInput {
                paper_id: self.paper_id.trim().to_owned(),
                name: self.name.trim().to_owned(),
                instructions: self.instructions.clone(),
                opens_at,
                closes_at,
                duration_minutes,
                late_entry_minutes,
                attempts_allowed,
                scoring: self.scoring,
                pass_mark,
                negative_marking: self.negative_marking,
                negative_fraction,
                release_policy: self.release_policy,
                release_at,
                review_policy: self.review_policy,
                show_rank: self.show_rank,
                certificate_template_id: self.certificate_template_id.clone(),
                entry: self.entry.clone(),
                integrity: self.integrity.clone(),
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use shared::exams::{ReleasePolicy, ReviewPolicy, Scoring};

    use super::{ExamFields, RELEASE_POLICIES, SCORINGS, by_value, release_value, scoring_value};
    use crate::dates::LocalDateTime;

    fn beijing(local: LocalDateTime) -> String {
        local.with_offset(480)
    }

    fn filled() -> ExamFields {
        ExamFields {
            paper_id: " p-1 ".to_owned(),
            name: "  Midterm ".to_owned(),
            opens_at: "2026-06-01T09:00".to_owned(),
            closes_at: "2026-06-01T11:30".to_owned(),
            ..ExamFields::default()
        }
    }

    fn reasons(fields: &ExamFields) -> Vec<(String, String)> {
        match fields.to_input(beijing) {
            Ok(_) => Vec::new(),
            Err(errors) => errors.into_iter().map(|e| (e.field, e.reason)).collect(),
        }
    }

    #[test]
    fn a_filled_form_becomes_the_request_with_local_times_in_rfc3339() {
        let input = filled().to_input(beijing).expect("valid");
        assert_eq!(input.paper_id, "p-1");
        assert_eq!(input.name, "Midterm");
        assert_eq!(input.opens_at, "2026-06-01T09:00:00+08:00");
        assert_eq!(input.closes_at, "2026-06-01T11:30:00+08:00");
        assert_eq!(input.duration_minutes, 60);
        assert_eq!(input.late_entry_minutes, None);
        assert_eq!(input.attempts_allowed, 1);
        assert_eq!(input.scoring, Scoring::Best);
        assert_eq!(input.release_at, None);
        assert_eq!(input.review_policy, ReviewPolicy::Never);
    }

    #[test]
    fn late_entry_and_release_time_are_sent_only_when_given() {
        let fields = ExamFields {
            late_entry_minutes: "15".to_owned(),
            release_policy: ReleasePolicy::AtTime,
            release_at: "2026-06-02T08:00".to_owned(),
            negative_marking: true,
            negative_fraction: "0.5".to_owned(),
            ..filled()
        };
        let input = fields.to_input(beijing).expect("valid");
        assert_eq!(input.late_entry_minutes, Some(15));
        assert_eq!(
            input.release_at.as_deref(),
            Some("2026-06-02T08:00:00+08:00")
        );
        assert!(input.negative_marking);
        assert_eq!(input.negative_fraction, 0.5);
    }

    #[test]
    fn what_cannot_be_sent_is_named_by_the_api_field() {
        let fields = ExamFields {
            paper_id: String::new(),
            opens_at: String::new(),
            closes_at: "tomorrow".to_owned(),
            duration_minutes: "ninety".to_owned(),
            late_entry_minutes: "-5".to_owned(),
            pass_mark: "x".to_owned(),
            release_policy: ReleasePolicy::AtTime,
            ..filled()
        };
        let pair = |f: &str, r: &str| (f.to_owned(), r.to_owned());
        assert_eq!(
            reasons(&fields),
            vec![
                pair("opens_at", "required"),
                pair("closes_at", "invalid_format"),
                pair("release_at", "required"),
                pair("duration_minutes", "invalid_format"),
                pair("late_entry_minutes", "invalid_format"),
                pair("pass_mark", "invalid_format"),
                pair("paper_id", "required"),
            ]
        );
    }

    #[test]
    fn closing_before_opening_is_left_to_the_server() {
        let fields = ExamFields {
            closes_at: "2026-06-01T08:00".to_owned(),
            ..filled()
        };
        assert_eq!(reasons(&fields), Vec::new());
    }

    #[test]
    fn options_round_trip_through_their_wire_names() {
        for scoring in SCORINGS {
            assert_eq!(
                by_value(&SCORINGS, scoring_value, scoring_value(scoring)),
                Some(scoring)
            );
        }
        assert_eq!(
            by_value(&RELEASE_POLICIES, release_value, "at_time"),
            Some(ReleasePolicy::AtTime)
        );
        assert_eq!(by_value(&SCORINGS, scoring_value, "median"), None);
    }

    #[test]
    fn a_saved_exam_fills_the_form() {
        let input = filled().to_input(beijing).expect("valid");
        let fields = ExamFields::from_settings(&input, |t| format!("local:{t}"));
        assert_eq!(fields.opens_at, "local:2026-06-01T09:00:00+08:00");
        assert_eq!(fields.duration_minutes, "60");
        assert_eq!(fields.late_entry_minutes, "");
        assert_eq!(fields.name, "Midterm");
    }
}
