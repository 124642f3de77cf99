//! The question pool of a paper's rules: checking the rules' references (bank, category, tag,
//! difficulty, count, points), which questions each rule matches, and the generation plan and
//! pool of a spec.

use std::collections::{BTreeSet, HashSet};

use diesel::prelude::*;
use shared::papers::{MAX_QUESTIONS, PaperRule};
use shared::questions::{QuestionType, valid_points};

use super::candidate::load_contents;
use super::generate::{Plan, PoolQuestion, RuleSpec, SectionPlan};
use super::spec::{Spec, centi};
use crate::db::DbConnection;
use crate::db::schema::{question_banks, question_tags, questions};
use crate::db::types::DbUuid;
use crate::errors::ModelError;
use crate::http::Fields;
use crate::questions::categories::{check_in_bank, with_descendants};
use crate::scoped;
use crate::tenancy::OrgScope;

/// The questions rules may draw from: current versions, and which pool entries each rule
/// matches (in the rules' order).
pub struct RulePool {
    pub questions: Vec<(DbUuid, i32)>,
    pub matches: Vec<Vec<usize>>,
}

/// A rule whose references have been checked: its bank, category set and tag.
pub(super) struct ResolvedRule {
    bank: DbUuid,
    categories: Option<HashSet<DbUuid>>,
    tag: Option<String>,
    qtype: QuestionType,
    difficulty: Option<i32>,
}

/// Finds the pool of `rules` (bank/category already checked), excluding `exclude`.
pub(super) fn pool_of(
    conn: &mut DbConnection,
    scope: &OrgScope,
    rules: &[ResolvedRule],
    exclude: &HashSet<DbUuid>,
) -> Result<RulePool, ModelError> {
    if rules.is_empty() {
        return Ok(RulePool {
            questions: Vec::new(),
            matches: Vec::new(),
        });
    }
    let banks: Vec<DbUuid> = rules
        .iter()
        .map(|r| r.bank)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let types: Vec<&str> = rules
        .iter()
        .map(|r| r.qtype.as_str())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    type Row = (DbUuid, DbUuid, Option<DbUuid>, String, i32, i32);
    let mut rows: Vec<Row> = scoped!(questions, scope)
        .filter(questions::bank_id.eq_any(&banks))
        .filter(questions::qtype.eq_any(&types))
        .filter(questions::status.eq("active"))
        .select((
            questions::id,
            questions::bank_id,
            questions::category_id,
            questions::qtype,
            questions::difficulty,
            questions::current_version,
        ))
        .load(conn)?;
    rows.retain(|r| !exclude.contains(&r.0));
    rows.sort_by_key(|r| r.0);
    let tags: Vec<String> = rules.iter().filter_map(|r| r.tag.clone()).collect();
    let mut tagged: HashSet<(DbUuid, String)> = HashSet::new();
    if !tags.is_empty() {
        let found: Vec<(DbUuid, String)> = scoped!(question_tags, scope)
            .inner_join(questions::table)
            .filter(questions::bank_id.eq_any(&banks))
            .filter(question_tags::tag.eq_any(&tags))
            .select((question_tags::question_id, question_tags::tag))
            .load(conn)?;
        tagged.extend(found);
    }
    let matches = rules
        .iter()
        .map(|rule| {
            rows.iter()
                .enumerate()
                .filter(|(_, (id, bank, category, qtype, difficulty, _))| {
                    *bank == rule.bank
                        && qtype == rule.qtype.as_str()
                        && rule.difficulty.is_none_or(|d| d == *difficulty)
                        && rule
                            .categories
                            .as_ref()
                            .is_none_or(|set| category.is_some_and(|c| set.contains(&c)))
                        && rule
                            .tag
                            .as_ref()
                            .is_none_or(|t| tagged.contains(&(*id, t.clone())))
                })
                .map(|(i, _)| i)
                .collect()
        })
        .collect();
    Ok(RulePool {
        questions: rows.into_iter().map(|r| (r.0, r.5)).collect(),
        matches,
    })
}

/// Checks rules' references (bank, category, tag, difficulty, count, points), recording
/// problems under `prefix(i)`; returns the resolved rules when all are valid.
pub(super) fn resolve_rules(
    conn: &mut DbConnection,
    scope: &OrgScope,
    rules: &[(String, &PaperRule)],
    fields: &mut Fields,
) -> Result<Option<Vec<ResolvedRule>>, ModelError> {
    let mut out = Vec::with_capacity(rules.len());
    let mut ok = true;
    for (prefix, rule) in rules {
        let field = |name: &str| format!("{prefix}.{name}");
        let Ok(bank) = uuid::Uuid::parse_str(rule.bank_id.trim()).map(DbUuid) else {
            fields.push(&field("bank_id"), "invalid_format");
            ok = false;
            continue;
        };
        let found: i64 = scoped!(question_banks, scope)
            .filter(question_banks::id.eq(bank))
            .count()
            .get_result(conn)?;
        if found == 0 {
            fields.push(&field("bank_id"), "not_found");
            ok = false;
            continue;
        }
        let categories = match rule.category_id.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(c) => match uuid::Uuid::parse_str(c).map(DbUuid) {
                Err(_) => {
                    fields.push(&field("category_id"), "invalid_format");
                    ok = false;
                    continue;
                }
                Ok(c) => match check_in_bank(conn, scope, bank, Some(c), &field("category_id")) {
                    Err(ModelError::Invalid(_)) => {
                        fields.push(&field("category_id"), "unknown_category");
                        ok = false;
                        continue;
                    }
                    Err(other) => return Err(other),
                    Ok(_) => Some(
                        with_descendants(conn, scope, bank, c)?
                            .into_iter()
                            .collect(),
                    ),
                },
            },
        };
        if rule.difficulty.is_some_and(|d| !(1..=5).contains(&d)) {
            fields.push(&field("difficulty"), "out_of_range");
            ok = false;
        }
        if rule.count == 0 || rule.count as usize > MAX_QUESTIONS {
            fields.push(&field("count"), "out_of_range");
            ok = false;
        }
        if !valid_points(rule.points) {
            fields.push(&field("points"), "out_of_range");
            ok = false;
        }
        let tag = rule
            .tag
            .as_deref()
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty());
        out.push(ResolvedRule {
            bank,
            categories,
            tag,
            qtype: rule.question_type,
            difficulty: rule.difficulty,
        });
    }
    Ok(ok.then_some(out))
}

/// How many questions match each rule alone, and the most the rules can draw together.
pub fn rule_counts(
    conn: &mut DbConnection,
    scope: &OrgScope,
    rules: &[PaperRule],
    exclude: &HashSet<DbUuid>,
) -> Result<(Vec<i64>, i64), ModelError> {
    let mut fields = Fields::default();
    let named: Vec<(String, &PaperRule)> = rules
        .iter()
        .enumerate()
        .map(|(i, r)| (format!("rules[{i}]"), r))
        .collect();
    let Some(resolved) = resolve_rules(conn, scope, &named, &mut fields)? else {
        fields.finish()?;
        return Ok((Vec::new(), 0));
    };
    let pool = pool_of(conn, scope, &resolved, exclude)?;
    let specs: Vec<RuleSpec> = rules
        .iter()
        .zip(&pool.matches)
        .map(|(r, m)| RuleSpec {
            matches: m.clone(),
            count: r.count as usize,
            points_centi: 0,
        })
        .collect();
    let refs: Vec<&RuleSpec> = specs.iter().collect();
    let available = pool.matches.iter().map(|m| m.len() as i64).collect();
    Ok((available, super::generate::max_draw(&refs) as i64))
}

/// The rule pool of a saved spec (its rules' references were checked when it was saved; a
/// bank or category deleted since then matches nothing).
pub fn pool_of_spec(
    conn: &mut DbConnection,
    scope: &OrgScope,
    spec: &Spec,
) -> Result<RulePool, ModelError> {
    let rules: Vec<(String, &PaperRule)> = spec
        .sections
        .iter()
        .flat_map(|s| &s.rules)
        .map(|r| (String::new(), r))
        .collect();
    let mut ignored = Fields::default();
    match resolve_rules(conn, scope, &rules, &mut ignored)? {
        Some(resolved) => pool_of(conn, scope, &resolved, &spec.fixed_ids()),
        None => Err(ModelError::Conflict("paper_rules_outdated")),
    }
}

/// The generation plan of a spec over its pool (without shuffling; the caller sets the
/// paper's flags). Pool entries are the rule pool's questions, then the chosen questions, as
/// [`generation_pool`] lists them.
pub fn plan_of(spec: &Spec, pool: &RulePool) -> Plan {
    let base = pool.questions.len();
    let mut fixed_index = base;
    let mut rule_index = 0;
    let sections = spec
        .sections
        .iter()
        .map(|s| {
            let fixed = s
                .questions
                .iter()
                .map(|q| {
                    let i = fixed_index;
                    fixed_index += 1;
                    (i, q.points_centi)
                })
                .collect();
            let rules = s
                .rules
                .iter()
                .map(|r| {
                    let matches = pool.matches.get(rule_index).cloned().unwrap_or_default();
                    rule_index += 1;
                    RuleSpec {
                        matches,
                        count: r.count as usize,
                        points_centi: i32::try_from(centi(r.points)).unwrap_or(i32::MAX),
                    }
                })
                .collect();
            SectionPlan { fixed, rules }
        })
        .collect();
    Plan {
        sections,
        shuffle_questions: false,
        shuffle_options: false,
    }
}

/// The pool for generation: the rule pool's questions then the chosen ones, each with the
/// content of its version, in the order [`plan_of`] indexes them.
pub fn generation_pool(
    conn: &mut DbConnection,
    scope: &OrgScope,
    spec: &Spec,
    pool: &RulePool,
) -> Result<Vec<PoolQuestion>, ModelError> {
    let mut wanted: Vec<(DbUuid, i32)> = pool.questions.clone();
    wanted.extend(
        spec.sections
            .iter()
            .flat_map(|s| s.questions.iter().map(|q| (q.question_id, q.version))),
    );
    let contents = load_contents(conn, scope, &wanted)?;
    wanted
        .into_iter()
        .map(|key| {
            let content = contents
                .get(&key)
                .cloned()
                .ok_or_else(|| anyhow::anyhow!("question version {}:{} missing", key.0, key.1))?;
            Ok(PoolQuestion {
                id: key.0.to_string(),
                version: key.1,
                content,
            })
        })
        .collect()
}
