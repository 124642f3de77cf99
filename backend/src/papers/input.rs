//! Checking a paper input against the organisation's banks and questions: every field at once
//! (422 with paths such as `sections[0].rules[1].count`); chosen questions are pinned to their
//! version; rules the banks cannot satisfy together are refused.

use std::collections::HashSet;

use diesel::prelude::*;
use shared::papers::{MAX_QUESTIONS, MAX_RULES, MAX_SECTIONS, PaperInput, PaperRule};
use shared::questions::valid_points;

use super::rules::{plan_of, pool_of, resolve_rules};
use super::spec::{Spec, SpecQuestion, SpecSection, centi};
use crate::db::DbConnection;
use crate::db::schema::{question_versions, questions};
use crate::db::types::DbUuid;
use crate::errors::ModelError;
use crate::http::Fields;
use crate::scoped;
use crate::tenancy::OrgScope;

/// A checked paper input: the spec to save, and the pool its rules draw from.
pub struct CheckedPaper {
    pub name: String,
    pub description: String,
    pub spec: Spec,
    pub shuffle_questions: bool,
    pub shuffle_options: bool,
}

/// Checks a paper input against the org's banks and questions; pins each chosen question's
/// version; refuses rules the banks cannot satisfy together.
pub fn check_input(
    conn: &mut DbConnection,
    scope: &OrgScope,
    input: &PaperInput,
) -> Result<CheckedPaper, ModelError> {
    let mut fields = Fields::default();
    let (name, description) = fields.name_and_description(&input.name, &input.description);
    if input.sections.is_empty() {
        fields.push("sections", "required");
    }
    if input.sections.len() > MAX_SECTIONS {
        fields.push("sections", "too_many");
    }
    let mut seen: HashSet<DbUuid> = HashSet::new();
    let mut sections = Vec::new();
    let mut rules: Vec<(String, &PaperRule)> = Vec::new();
    for (s, section) in input.sections.iter().enumerate() {
        let prefix = format!("sections[{s}]");
        let title = section.title.trim().to_owned();
        match title.chars().count() {
            0 => fields.push(&format!("{prefix}.title"), "required"),
            201.. => fields.push(&format!("{prefix}.title"), "too_long"),
            _ => {}
        }
        if section.description.chars().count() > 5000 {
            fields.push(&format!("{prefix}.description"), "too_long");
        }
        if section.questions.is_empty() && section.rules.is_empty() {
            fields.push(&prefix, "empty_section");
        }
        if section.rules.len() > MAX_RULES {
            fields.push(&format!("{prefix}.rules"), "too_many");
        }
        let mut chosen = Vec::new();
        for (i, q) in section.questions.iter().enumerate() {
            let field = |name: &str| format!("{prefix}.questions[{i}].{name}");
            let Ok(id) = uuid::Uuid::parse_str(q.question_id.trim()).map(DbUuid) else {
                fields.push(&field("question_id"), "invalid_format");
                continue;
            };
            if !seen.insert(id) {
                fields.push(&field("question_id"), "duplicate");
                continue;
            }
            let current: Option<(i32, i32)> = scoped!(questions, scope)
                .filter(questions::id.eq(id))
                .filter(questions::status.eq("active"))
                .select((questions::current_version, questions::points_centi))
                .first(conn)
                .optional()?;
            let Some((current, own_points)) = current else {
                fields.push(&field("question_id"), "not_found");
                continue;
            };
            let version = q.version.unwrap_or(current);
            let points_of_version: Option<i32> = scoped!(question_versions, scope)
                .filter(question_versions::question_id.eq(id))
                .filter(question_versions::version.eq(version))
                .select(question_versions::points_centi)
                .first(conn)
                .optional()?;
            let Some(version_points) = points_of_version else {
                fields.push(&field("version"), "not_found");
                continue;
            };
            let points_centi = match q.points {
                Some(p) if !valid_points(p) => {
                    fields.push(&field("points"), "out_of_range");
                    continue;
                }
                Some(p) => i32::try_from(centi(p)).unwrap_or(i32::MAX),
                None if q.version.is_some() => version_points,
                None => own_points,
            };
            chosen.push(SpecQuestion {
                question_id: id,
                version,
                points_centi,
            });
        }
        for (r, rule) in section.rules.iter().enumerate() {
            rules.push((format!("{prefix}.rules[{r}]"), rule));
        }
        sections.push(SpecSection {
            title,
            description: section.description.trim().to_owned(),
            questions: chosen,
            rules: section.rules.clone(),
        });
    }
    let mut spec = Spec { sections };
    if spec.question_count() > MAX_QUESTIONS {
        fields.push("sections", "too_many_questions");
    }
    let resolved = resolve_rules(conn, scope, &rules, &mut fields)?;
    if let Some(resolved) = resolved
        && !resolved.is_empty()
    {
        let pool = pool_of(conn, scope, &resolved, &spec.fixed_ids())?;
        let mut enough = true;
        for ((prefix, rule), matches) in rules.iter().zip(&pool.matches) {
            if matches.len() < rule.count as usize {
                fields.push(&format!("{prefix}.count"), "not_enough_questions");
                enough = false;
            }
        }
        if enough && !super::generate::feasible(&plan_of(&spec, &pool)) {
            fields.push("sections", "rules_not_satisfiable");
        }
    }
    fields.finish()?;
    // Store references as they are matched.
    for section in &mut spec.sections {
        for rule in &mut section.rules {
            rule.tag = rule
                .tag
                .as_deref()
                .map(|t| t.trim().to_owned())
                .filter(|t| !t.is_empty());
            rule.bank_id = rule.bank_id.trim().to_lowercase();
            rule.category_id = rule
                .category_id
                .as_deref()
                .map(|c| c.trim().to_lowercase())
                .filter(|c| !c.is_empty());
        }
    }
    Ok(CheckedPaper {
        name,
        description,
        spec,
        shuffle_questions: input.shuffle_questions,
        shuffle_options: input.shuffle_options,
    })
}
