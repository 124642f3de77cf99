//! Papers in the database: the saved spec, checking an input against the org's banks, the
//! question pool of a paper's rules, and turning a generated arrangement into what a
//! candidate sees.

use std::collections::{BTreeSet, HashMap, HashSet};

use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use shared::papers::{
    CandidatePaper, CandidateQuestion, CandidateSection, MAX_QUESTIONS, MAX_RULES, MAX_SECTIONS,
    PaperInput, PaperKind, PaperRule,
};
use shared::questions::{QuestionContent, QuestionType, valid_points};

use super::generate::{Arrangement, Plan, PoolQuestion, RuleSpec, SectionPlan};
use super::labels::Labels;
use crate::db::DbConnection;
use crate::db::schema::{question_banks, question_tags, question_versions, questions};
use crate::db::types::DbUuid;
use crate::errors::ApiError;
use crate::http::Fields;
use crate::questions::categories::{check_in_bank, with_descendants};
use crate::scoped;
use crate::tenancy::OrgScope;

/// A chosen question as saved: pinned version and points in this paper.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpecQuestion {
    pub question_id: DbUuid,
    pub version: i32,
    pub points_centi: i32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpecSection {
    pub title: String,
    pub description: String,
    pub questions: Vec<SpecQuestion>,
    pub rules: Vec<PaperRule>,
}

/// The paper as saved (`papers.spec`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Spec {
    pub sections: Vec<SpecSection>,
}

impl Spec {
    pub fn kind(&self) -> PaperKind {
        if self.sections.iter().any(|s| !s.rules.is_empty()) {
            PaperKind::Random
        } else {
            PaperKind::Fixed
        }
    }

    pub fn question_count(&self) -> usize {
        self.sections
            .iter()
            .map(|s| s.questions.len() + s.rules.iter().map(|r| r.count as usize).sum::<usize>())
            .sum()
    }

    pub fn total_points_centi(&self) -> i64 {
        self.sections
            .iter()
            .map(|s| {
                s.questions
                    .iter()
                    .map(|q| i64::from(q.points_centi))
                    .sum::<i64>()
                    + s.rules
                        .iter()
                        .map(|r| i64::from(r.count) * centi(r.points))
                        .sum::<i64>()
            })
            .sum()
    }

    fn fixed_ids(&self) -> HashSet<DbUuid> {
        self.sections
            .iter()
            .flat_map(|s| s.questions.iter().map(|q| q.question_id))
            .collect()
    }
}

pub fn centi(points: f64) -> i64 {
    (points * 100.0).round() as i64
}

/// The questions rules may draw from: current versions, and which pool entries each rule
/// matches (in the rules' order).
pub struct RulePool {
    pub questions: Vec<(DbUuid, i32)>,
    pub matches: Vec<Vec<usize>>,
}

/// A rule whose references have been checked: its bank, category set and tag.
struct ResolvedRule {
    bank: DbUuid,
    categories: Option<HashSet<DbUuid>>,
    tag: Option<String>,
    qtype: QuestionType,
    difficulty: Option<i32>,
}

/// Finds the pool of `rules` (bank/category already checked), excluding `exclude`.
fn pool_of(
    conn: &mut DbConnection,
    scope: &OrgScope,
    rules: &[ResolvedRule],
    exclude: &HashSet<DbUuid>,
) -> Result<RulePool, ApiError> {
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
fn resolve_rules(
    conn: &mut DbConnection,
    scope: &OrgScope,
    rules: &[(String, &PaperRule)],
    fields: &mut Fields,
) -> Result<Option<Vec<ResolvedRule>>, ApiError> {
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
                    Err(ApiError::Validation { .. }) => {
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
) -> Result<CheckedPaper, ApiError> {
    let mut fields = Fields::default();
    let name = input.name.trim().to_owned();
    match name.chars().count() {
        0 => fields.push("name", "required"),
        101.. => fields.push("name", "too_long"),
        _ if name.chars().any(char::is_control) => fields.push("name", "invalid_format"),
        _ => {}
    }
    let description = input.description.trim().to_owned();
    if description.chars().count() > 2000 {
        fields.push("description", "too_long");
    }
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

/// How many questions match each rule alone, and the most the rules can draw together.
pub fn rule_counts(
    conn: &mut DbConnection,
    scope: &OrgScope,
    rules: &[PaperRule],
    exclude: &HashSet<DbUuid>,
) -> Result<(Vec<i64>, i64), ApiError> {
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
) -> Result<RulePool, ApiError> {
    let rules: Vec<(String, &PaperRule)> = spec
        .sections
        .iter()
        .flat_map(|s| &s.rules)
        .map(|r| (String::new(), r))
        .collect();
    let mut ignored = Fields::default();
    match resolve_rules(conn, scope, &rules, &mut ignored)? {
        Some(resolved) => pool_of(conn, scope, &resolved, &spec.fixed_ids()),
        None => Err(ApiError::Conflict {
            detail: "paper_rules_outdated".to_owned(),
        }),
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
) -> Result<Vec<PoolQuestion>, ApiError> {
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

/// The content of each (question, version).
pub fn load_contents(
    conn: &mut DbConnection,
    scope: &OrgScope,
    wanted: &[(DbUuid, i32)],
) -> Result<HashMap<(DbUuid, i32), QuestionContent>, ApiError> {
    let want: HashSet<(DbUuid, i32)> = wanted.iter().copied().collect();
    let ids: Vec<DbUuid> = want
        .iter()
        .map(|k| k.0)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut out = HashMap::with_capacity(want.len());
    for chunk in ids.chunks(500) {
        let rows: Vec<(DbUuid, i32, String)> = scoped!(question_versions, scope)
            .filter(question_versions::question_id.eq_any(chunk))
            .select((
                question_versions::question_id,
                question_versions::version,
                question_versions::content,
            ))
            .load(conn)?;
        for (id, version, content) in rows {
            if want.contains(&(id, version)) {
                let content: QuestionContent =
                    serde_json::from_str(&content).map_err(anyhow::Error::from)?;
                out.insert((id, version), content);
            }
        }
    }
    Ok(out)
}

/// The question versions an arrangement uses, in the paper's order.
pub fn arrangement_keys(arrangement: &Arrangement) -> Result<Vec<(DbUuid, i32)>, ApiError> {
    let mut wanted = Vec::new();
    for p in arrangement.iter().flatten() {
        let id = uuid::Uuid::parse_str(&p.question_id)
            .map(DbUuid)
            .map_err(anyhow::Error::from)?;
        wanted.push((id, p.version));
    }
    Ok(wanted)
}

/// What the candidate sees of an arrangement, with its ids named by `labels`. `seed` is
/// shown in the console's previews only (`None` for a candidate's own paper).
pub fn candidate_paper(
    conn: &mut DbConnection,
    scope: &OrgScope,
    paper: (DbUuid, &str),
    spec: &Spec,
    arrangement: &Arrangement,
    seed: Option<u64>,
    labels: Labels<'_>,
) -> Result<CandidatePaper, ApiError> {
    let contents = load_contents(conn, scope, &arrangement_keys(arrangement)?)?;
    build_candidate_paper(&contents, paper, spec, arrangement, seed, labels)
}

/// [`candidate_paper`] from question contents already loaded (by [`arrangement_keys`]).
pub fn build_candidate_paper(
    contents: &HashMap<(DbUuid, i32), QuestionContent>,
    paper: (DbUuid, &str),
    spec: &Spec,
    arrangement: &Arrangement,
    seed: Option<u64>,
    labels: Labels<'_>,
) -> Result<CandidatePaper, ApiError> {
    let wanted = arrangement_keys(arrangement)?;
    let mut number = 0u32;
    let mut total = 0i64;
    let mut keys = wanted.into_iter();
    let mut sections = Vec::with_capacity(arrangement.len());
    for (i, placed) in arrangement.iter().enumerate() {
        let meta = spec.sections.get(i);
        let mut questions = Vec::with_capacity(placed.len());
        for p in placed {
            let key = keys
                .next()
                .ok_or_else(|| anyhow::anyhow!("arrangement changed"))?;
            let content = contents
                .get(&key)
                .ok_or_else(|| anyhow::anyhow!("question version {}:{} missing", key.0, key.1))?;
            number += 1;
            total += i64::from(p.points_centi);
            questions.push(CandidateQuestion {
                number,
                question_id: p.question_id.clone(),
                version: p.version,
                points: f64::from(p.points_centi) / 100.0,
                content: shared::papers::CandidateContent::of(
                    content,
                    &p.order,
                    &p.parts,
                    &labels.question(&p.question_id),
                ),
            });
        }
        sections.push(CandidateSection {
            title: meta.map(|m| m.title.clone()).unwrap_or_default(),
            description: meta.map(|m| m.description.clone()).unwrap_or_default(),
            questions,
        });
    }
    Ok(CandidatePaper {
        paper_id: paper.0.to_string(),
        name: paper.1.to_owned(),
        seed: seed.map(|s| s.to_string()),
        total_points: total as f64 / 100.0,
        sections,
    })
}
