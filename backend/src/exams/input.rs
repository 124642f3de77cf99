//! Checking an exam's input (`ExamInput`): every field at once (422 with field paths, such as
//! `entry.registration_fields[1].key` or `integrity.ip_ranges[0]`), normalised on the way:
//! trimmed name, sanitised instructions, canonical times, canonical IP ranges.

use std::net::IpAddr;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use ipnet::IpNet;
use shared::exams::{
    EntrySettings, ExamInput, IntegritySettings, MAX_REGISTRATION_FIELDS, RegistrationFieldKind,
    ReleasePolicy,
};

use crate::db::DbConnection;
use crate::db::schema::{certificate_templates, papers};
use crate::db::types::{DbUuid, Timestamp};
use crate::errors::ModelError;
use crate::http::Fields;
use crate::scoped;
use crate::tenancy::OrgScope;

/// Most IP ranges an exam may list.
const MAX_RANGES: usize = 100;
/// The largest event limit (focus losses, fullscreen exits).
const MAX_LIMIT: u32 = 10_000;

/// An RFC 3339 time, if `s` is one.
pub fn parse_time(s: &str) -> Option<Timestamp> {
    DateTime::parse_from_rfc3339(s.trim())
        .ok()
        .map(|t| Timestamp::from(t.with_timezone(&Utc)))
}

/// Validated settings, with times in canonical form.
pub struct CheckedExam {
    pub settings: ExamInput,
    pub paper_id: DbUuid,
    pub opens_at: Timestamp,
    pub closes_at: Timestamp,
}

/// Checks every field (422 with field paths) and normalises: trimmed name, sanitised
/// instructions, canonical times.
pub fn check_input(
    conn: &mut DbConnection,
    scope: &OrgScope,
    mut input: ExamInput,
) -> Result<CheckedExam, ModelError> {
    let mut fields = Fields::default();
    input.name = input.name.trim().to_owned();
    if input.name.is_empty() {
        fields.push("name", "required");
    } else if input.name.chars().count() > 200 {
        fields.push("name", "too_long");
    }
    input.instructions = crate::questions::rich_text::sanitise(&input.instructions);
    if input.instructions.chars().count() > shared::questions::MAX_TEXT {
        fields.push("instructions", "too_long");
    }
    let time = |fields: &mut Fields, name: &str, value: &mut String| -> Option<Timestamp> {
        match parse_time(value) {
            Some(t) => {
                *value = t.to_canonical_string();
                Some(t)
            }
            None => {
                fields.push(name, "invalid_format");
                None
            }
        }
    };
    let opens = time(&mut fields, "opens_at", &mut input.opens_at);
    let closes = time(&mut fields, "closes_at", &mut input.closes_at);
    if let (Some(o), Some(c)) = (opens, closes)
        && c <= o
    {
        fields.push("closes_at", "before_opens_at");
    }
    if !(1..=1440).contains(&input.duration_minutes) {
        fields.push("duration_minutes", "out_of_range");
    }
    if input.late_entry_minutes.is_some_and(|m| m > 60 * 24 * 366) {
        fields.push("late_entry_minutes", "out_of_range");
    }
    if !(1..=100).contains(&input.attempts_allowed) {
        fields.push("attempts_allowed", "out_of_range");
    }
    if !(input.negative_fraction.is_finite() && (0.0..=1.0).contains(&input.negative_fraction)) {
        fields.push("negative_fraction", "out_of_range");
    }
    if input.release_policy == ReleasePolicy::AtTime {
        match input.release_at.as_mut() {
            None => fields.push("release_at", "required"),
            Some(at) => {
                time(&mut fields, "release_at", at);
            }
        }
    } else {
        input.release_at = None;
    }
    check_entry(&mut fields, &mut input.entry);
    let paper_id = uuid::Uuid::parse_str(input.paper_id.trim())
        .ok()
        .map(DbUuid);
    let total: Option<i32> = match paper_id {
        Some(p) => scoped!(papers, scope)
            .filter(papers::id.eq(p))
            .filter(papers::status.eq("active"))
            .select(papers::total_points_centi)
            .first(conn)
            .optional()?,
        None => None,
    };
    match (paper_id, total) {
        (None, _) => fields.push("paper_id", "invalid_format"),
        (Some(_), None) => fields.push("paper_id", "not_found"),
        (Some(p), Some(total)) => {
            input.paper_id = p.to_string();
            let pass = input.pass_mark;
            if !(pass.is_finite() && pass >= 0.0 && pass * 100.0 <= f64::from(total) + 1e-6) {
                fields.push("pass_mark", "out_of_range");
            }
        }
    }
    check_integrity(&mut fields, &mut input.integrity);
    if let Some(template) = input.certificate_template_id.as_mut() {
        match uuid::Uuid::parse_str(template.trim()) {
            Err(_) => fields.push("certificate_template_id", "invalid_format"),
            Ok(id) => {
                *template = id.to_string();
                let found: i64 = scoped!(certificate_templates, scope)
                    .filter(certificate_templates::id.eq(DbUuid(id)))
                    .filter(certificate_templates::status.eq("active"))
                    .count()
                    .get_result(conn)?;
                if found == 0 {
                    fields.push("certificate_template_id", "not_found");
                }
            }
        }
    }
    fields.finish()?;
    match (paper_id, opens, closes) {
        (Some(paper_id), Some(opens_at), Some(closes_at)) => Ok(CheckedExam {
            settings: input,
            paper_id,
            opens_at,
            closes_at,
        }),
        _ => Err(anyhow::anyhow!("checked exam incomplete").into()),
    }
}

/// Checks the entry settings (field errors under `entry.…`) and normalises them: trimmed
/// keys and labels.
pub fn check_entry(fields: &mut Fields, entry: &mut EntrySettings) {
    let list = &mut entry.registration_fields;
    if list.len() > MAX_REGISTRATION_FIELDS {
        fields.push("entry.registration_fields", "too_many");
    }
    let mut seen_keys: Vec<String> = Vec::new();
    let mut seen_kinds: Vec<RegistrationFieldKind> = Vec::new();
    for (i, f) in list.iter_mut().enumerate() {
        let at = |name: &str| format!("entry.registration_fields[{i}].{name}");
        f.key = f.key.trim().to_owned();
        f.label = f.label.trim().to_owned();
        if !valid_key(&f.key) {
            fields.push(&at("key"), "invalid_format");
        } else if seen_keys.contains(&f.key) {
            fields.push(&at("key"), "duplicate");
        }
        seen_keys.push(f.key.clone());
        match f.label.chars().count() {
            0 => fields.push(&at("label"), "required"),
            61.. => fields.push(&at("label"), "too_long"),
            _ if f.label.chars().any(char::is_control) => {
                fields.push(&at("label"), "invalid_format");
            }
            _ => {}
        }
        // The identifying kinds fill the candidate's own columns: one of each at most.
        if f.kind != RegistrationFieldKind::Text {
            if seen_kinds.contains(&f.kind) {
                fields.push(&at("kind"), "duplicate");
            }
            seen_kinds.push(f.kind);
        }
        if f.kind == RegistrationFieldKind::Name {
            // Nobody enters without a name.
            f.required = true;
        }
    }
    if (entry.open_link || entry.access_code) && !seen_kinds.contains(&RegistrationFieldKind::Name)
    {
        fields.push("entry.registration_fields", "name_required");
    }
    // The form's purpose notice: what the extra fields are for (privacy statement 3.2.3). An
    // ID number is sensitive personal information, so a form asking for one must say why.
    entry.purpose = entry.purpose.trim().to_owned();
    if entry.purpose.chars().count() > 500 {
        fields.push("entry.purpose", "too_long");
    } else if entry.purpose.chars().any(|c| c.is_control() && c != '\n') {
        fields.push("entry.purpose", "invalid_format");
    } else if (entry.open_link || entry.access_code)
        && entry.purpose.is_empty()
        && seen_kinds.contains(&RegistrationFieldKind::IdNumber)
    {
        fields.push("entry.purpose", "required");
    }
}

/// A registration field key: 1–40 of `a-z`, `0-9`, `_`, starting with a letter.
fn valid_key(key: &str) -> bool {
    (1..=40).contains(&key.len())
        && key.starts_with(|c: char| c.is_ascii_lowercase())
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Checks and normalises an exam's integrity settings (field paths under `integrity.`).
/// Ranges are stored in canonical form (`10.1.2.3/8` → `10.0.0.0/8`; a bare address is
/// `/32` or `/128`).
pub fn check_integrity(fields: &mut Fields, settings: &mut IntegritySettings) {
    for (name, value) in [
        ("max_focus_losses", settings.max_focus_losses),
        ("max_fullscreen_exits", settings.max_fullscreen_exits),
    ] {
        if value.is_some_and(|v| v > MAX_LIMIT) {
            fields.push(&format!("integrity.{name}"), "out_of_range");
        }
    }
    if settings
        .idle_timeout_minutes
        .is_some_and(|m| !(1..=1440).contains(&m))
    {
        fields.push("integrity.idle_timeout_minutes", "out_of_range");
    }
    if settings.ip_ranges.len() > MAX_RANGES {
        fields.push("integrity.ip_ranges", "too_many");
        return;
    }
    for (i, range) in settings.ip_ranges.iter_mut().enumerate() {
        match parse_range(range) {
            Some(net) => *range = net.to_string(),
            None => fields.push(&format!("integrity.ip_ranges[{i}]"), "invalid_format"),
        }
    }
}

/// A CIDR range, or a single address as its own range.
pub(crate) fn parse_range(raw: &str) -> Option<IpNet> {
    let raw = raw.trim();
    if let Ok(net) = raw.parse::<IpNet>() {
        return Some(net.trunc());
    }
    raw.parse::<IpAddr>().ok().map(IpNet::from)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::errors::FieldErrors;
    use shared::exams::RegistrationField;

    fn field(key: &str, kind: RegistrationFieldKind) -> RegistrationField {
        RegistrationField {
            key: key.to_owned(),
            label: "标签".to_owned(),
            kind,
            required: false,
        }
    }

    fn reasons(entry: &mut EntrySettings) -> Vec<(String, String)> {
        let mut fields = Fields::default();
        check_entry(&mut fields, entry);
        match fields.finish() {
            Ok(()) => Vec::new(),
            Err(FieldErrors(fields)) => fields.into_iter().map(|f| (f.field, f.reason)).collect(),
        }
    }

    #[test]
    fn entry_settings_need_a_name_unique_keys_and_short_labels() {
        let mut entry = EntrySettings {
            access_code: true,
            ..EntrySettings::default()
        };
        assert_eq!(
            reasons(&mut entry),
            vec![(
                "entry.registration_fields".to_owned(),
                "name_required".to_owned()
            )]
        );
        let mut long = field("b", RegistrationFieldKind::Text);
        long.label = "长".repeat(61);
        entry.registration_fields = vec![
            field("name", RegistrationFieldKind::Name),
            field("name", RegistrationFieldKind::Text),
            field("Bad Key", RegistrationFieldKind::Text),
            long,
        ];
        let got = reasons(&mut entry);
        assert!(got.contains(&(
            "entry.registration_fields[1].key".to_owned(),
            "duplicate".to_owned()
        )));
        assert!(got.contains(&(
            "entry.registration_fields[2].key".to_owned(),
            "invalid_format".to_owned()
        )));
        assert!(got.contains(&(
            "entry.registration_fields[3].label".to_owned(),
            "too_long".to_owned()
        )));
        assert!(entry.registration_fields[0].required);
        entry.registration_fields = (0..21)
            .map(|i| field(&format!("f{i}"), RegistrationFieldKind::Text))
            .collect();
        entry.access_code = false;
        assert_eq!(
            reasons(&mut entry),
            vec![(
                "entry.registration_fields".to_owned(),
                "too_many".to_owned()
            )]
        );
    }

    fn settings(ranges: &[&str]) -> IntegritySettings {
        IntegritySettings {
            ip_ranges: ranges.iter().map(|s| (*s).to_owned()).collect(),
            ..IntegritySettings::default()
        }
    }

    #[test]
    fn ranges_are_checked_and_normalised() {
        let mut s = settings(&[
            " 10.1.2.3/8 ",
            "2001:db8::1/32",
            "192.168.0.7",
            "nope",
            "1.2.3.4/33",
        ]);
        let mut fields = Fields::default();
        check_integrity(&mut fields, &mut s);
        assert_eq!(s.ip_ranges[0], "10.0.0.0/8");
        assert_eq!(s.ip_ranges[1], "2001:db8::/32");
        assert_eq!(s.ip_ranges[2], "192.168.0.7/32");
        let FieldErrors(fields) = fields.finish().expect_err("invalid");
        let names: Vec<&str> = fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(names, ["integrity.ip_ranges[3]", "integrity.ip_ranges[4]"]);
    }
}
