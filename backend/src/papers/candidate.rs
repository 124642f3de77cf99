//! What a candidate sees of a generated paper: the question versions of an arrangement and
//! the candidate's view of them, with ids named by the given labels.
//!
//! Architecture invariant: the view is built by `CandidateContent::of`, which has no field for
//! answers, explanations or rubrics.

use std::collections::{BTreeSet, HashMap, HashSet};

use diesel::prelude::*;
use shared::papers::{CandidatePaper, CandidateQuestion, CandidateSection};
use shared::questions::QuestionContent;

use super::generate::Arrangement;
use super::labels::Labels;
use super::spec::Spec;
use crate::db::DbConnection;
use crate::db::schema::question_versions;
use crate::db::types::DbUuid;
use crate::errors::ModelError;
use crate::scoped;
use crate::tenancy::OrgScope;

/// The content of each (question, version).
pub fn load_contents(
    conn: &mut DbConnection,
    scope: &OrgScope,
    wanted: &[(DbUuid, i32)],
) -> Result<HashMap<(DbUuid, i32), QuestionContent>, ModelError> {
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
pub fn arrangement_keys(arrangement: &Arrangement) -> Result<Vec<(DbUuid, i32)>, ModelError> {
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
) -> Result<CandidatePaper, ModelError> {
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
) -> Result<CandidatePaper, ModelError> {
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
