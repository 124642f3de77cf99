//! Re-grade runs (`regrades`) and the [`REGRADE`] job that does the work in batches of
//! [`BATCH`] attempts, each batch one transaction that locks every attempt it re-grades,
//! writes only the attempts whose result changes, audits each of them (`attempt.regraded`),
//! queues the "your result changed" notice of those already released, and moves the run's
//! counts and cursor on. A batch that fails is rolled back whole and retried by the queue.

use std::collections::HashMap;

use anyhow::Context;
use diesel::prelude::*;
use shared::regrade::{MAX_DIFFERENCES, RegradeDifference, RegradeRun, RegradeStatus};

use super::compute::{self, Recomputed};
use crate::audit::{Actor, AuditEntry, Outcome};
use crate::crypto::FieldCipher;
use crate::db::DbConnection;
use crate::db::schema::{attempts, regrades};
use crate::db::types::{DbUuid, Timestamp};
use crate::errors::ModelError;
use crate::exams::attempts::model as attempt_model;
use crate::scoped;
use crate::tenancy::OrgScope;

/// The job kind.
pub const REGRADE: &str = "regrade";
/// Attempts examined per transaction.
const BATCH: i64 = 200;

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = regrades)]
pub struct RunRow {
    pub id: DbUuid,
    pub question_id: DbUuid,
    pub version: i32,
    pub exam_ids: String,
    pub status: String,
    pub examined: i32,
    pub changed: i32,
    pub differences: String,
    pub last_attempt_id: Option<DbUuid>,
    pub created_by: Option<DbUuid>,
    pub created_at: Timestamp,
    pub finished_at: Option<Timestamp>,
}

impl RunRow {
    fn exam_ids(&self) -> anyhow::Result<Vec<DbUuid>> {
        let ids: Vec<String> = serde_json::from_str(&self.exam_ids).context("exam ids")?;
        ids.iter()
            .map(|s| Ok(DbUuid(uuid::Uuid::parse_str(s)?)))
            .collect()
    }

    fn differences(&self) -> anyhow::Result<Vec<RegradeDifference>> {
        serde_json::from_str(&self.differences).context("differences")
    }

    pub fn to_dto(&self) -> Result<RegradeRun, ModelError> {
        Ok(RegradeRun {
            id: self.id.to_string(),
            question_id: self.question_id.to_string(),
            version: self.version,
            exam_ids: serde_json::from_str(&self.exam_ids).context("exam ids")?,
            status: RegradeStatus::parse(&self.status).unwrap_or(RegradeStatus::Failed),
            examined: u32::try_from(self.examined).unwrap_or(0),
            changed: u32::try_from(self.changed).unwrap_or(0),
            differences: self.differences()?,
            created_at: self.created_at.to_canonical_string(),
            finished_at: self.finished_at.map(Timestamp::to_canonical_string),
        })
    }
}

/// One run of the scope, or 404.
pub fn find(conn: &mut DbConnection, scope: &OrgScope, id: DbUuid) -> Result<RunRow, ModelError> {
    scoped!(regrades, scope)
        .filter(regrades::id.eq(id))
        .select(RunRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(ModelError::NotFound)
}

/// The job's payload names who asked, so each change is audited as theirs.
fn actor_name(actor: Actor) -> String {
    match actor {
        Actor::User(id) => format!("user:{id}"),
        Actor::ApiKey(id) => format!("api_key:{id}"),
        _ => "system".to_owned(),
    }
}

fn actor_of(name: Option<&str>) -> Actor {
    let parse = |s: &str| uuid::Uuid::parse_str(s).ok().map(DbUuid);
    match name.and_then(|n| n.split_once(':')) {
        Some(("user", id)) => parse(id).map_or(Actor::System, Actor::User),
        Some(("api_key", id)) => parse(id).map_or(Actor::System, Actor::ApiKey),
        _ => Actor::System,
    }
}

/// Records a queued run of `question` against `version` and queues its job, in the caller's
/// transaction.
pub fn create(
    conn: &mut DbConnection,
    scope: &OrgScope,
    question: DbUuid,
    version: i32,
    exams: &[DbUuid],
) -> Result<DbUuid, ModelError> {
    let id = DbUuid::new_v7();
    let now = Timestamp::now();
    let exam_ids: Vec<String> = exams.iter().map(ToString::to_string).collect();
    diesel::insert_into(regrades::table)
        .values((
            regrades::id.eq(id),
            regrades::org_id.eq(scope.org_id()),
            regrades::question_id.eq(question),
            regrades::version.eq(version),
            regrades::exam_ids.eq(serde_json::to_string(&exam_ids).context("exam ids")?),
            regrades::status.eq(RegradeStatus::Queued.as_str()),
            regrades::examined.eq(0),
            regrades::changed.eq(0),
            regrades::differences.eq("[]"),
            regrades::created_by.eq(scope.user_id()),
            regrades::created_at.eq(now),
        ))
        .execute(conn)?;
    crate::jobs::enqueue(
        conn,
        REGRADE,
        now,
        &serde_json::json!({
            "org_id": scope.org_id().to_string(),
            "regrade_id": id.to_string(),
            "actor": actor_name(Actor::of(scope)),
        }),
    )?;
    Ok(id)
}

fn id_of(payload: &serde_json::Value, name: &str) -> anyhow::Result<DbUuid> {
    let s = payload[name].as_str().context("missing id")?;
    Ok(DbUuid(uuid::Uuid::parse_str(s)?))
}

/// The [`REGRADE`] job: one batch, then itself again while attempts remain.
pub fn run_regrade(
    conn: &mut DbConnection,
    cipher: &FieldCipher,
    payload: &serde_json::Value,
    now: Timestamp,
) -> anyhow::Result<()> {
    let (org, id) = (id_of(payload, "org_id")?, id_of(payload, "regrade_id")?);
    let scope = OrgScope::system(org);
    let actor = actor_of(payload["actor"].as_str());
    let result = crate::db::transaction(conn, |conn| {
        batch(conn, cipher, &scope, id, actor, payload, now)
    });
    match result {
        Ok(()) => Ok(()),
        // The run (or its question) is gone with its organisation: nothing to do.
        Err(ModelError::NotFound) => Ok(()),
        Err(e) => {
            // The batch was rolled back; the queue retries it. Say so meanwhile.
            diesel::update(scoped!(regrades, &scope).filter(regrades::id.eq(id)))
                .set((
                    regrades::status.eq(RegradeStatus::Failed.as_str()),
                    regrades::error.eq(Some("internal")),
                ))
                .execute(conn)?;
            Err(anyhow::anyhow!("re-grading: {e}"))
        }
    }
}

fn batch(
    conn: &mut DbConnection,
    cipher: &FieldCipher,
    scope: &OrgScope,
    id: DbUuid,
    actor: Actor,
    payload: &serde_json::Value,
    now: Timestamp,
) -> Result<(), ModelError> {
    let run = find(conn, scope, id)?;
    if run.status == RegradeStatus::Done.as_str() {
        return Ok(());
    }
    let target = compute::target(conn, scope, run.question_id, Some(run.version))?;
    let exam_ids = run.exam_ids()?;
    let found = compute::finished_batch(
        conn,
        scope,
        run.question_id,
        &exam_ids,
        run.last_attempt_id,
        BATCH,
    )?;
    let ids: Vec<DbUuid> = found.iter().map(|a| a.id).collect();
    let answers = compute::answers_of(conn, scope, run.question_id, &ids)?;
    let mut exams = compute::Exams::new();
    let mut differences = run.differences()?;
    let mut changed_by_exam: HashMap<DbUuid, Vec<DbUuid>> = HashMap::new();
    let (mut examined, mut changed) = (0, 0);
    for attempt_id in &ids {
        // Under the attempt's lock, so a grader completing it waits for this change.
        attempt_model::lock(conn, *attempt_id)?;
        let Some(attempt) = compute::finished(conn, scope, *attempt_id)? else {
            continue;
        };
        let Some(exam) = compute::exam_of(conn, scope, &mut exams, attempt.exam_id)? else {
            continue;
        };
        examined += 1;
        let answer = answers.get(attempt_id);
        let Some(r) = compute::recompute(&attempt, exam, &target, answer, now)? else {
            continue;
        };
        write(conn, scope, &attempt, &r)?;
        let difference = r.difference(&attempt);
        audit(conn, cipher, scope, actor, &run, &difference)?;
        if !difference.before.passed && difference.after.passed {
            // Now passing: the exam's automatic certificate, as for any graded attempt.
            attempt_model::enqueue_finished(conn, scope.org_id(), attempt.id)?;
        }
        if r.released {
            changed_by_exam
                .entry(attempt.exam_id)
                .or_default()
                .push(attempt.id);
        }
        if differences.len() < MAX_DIFFERENCES {
            differences.push(difference);
        }
        changed += 1;
    }
    for (exam_id, changed) in &changed_by_exam {
        if let Some(exam) = compute::exam_of(conn, scope, &mut exams, *exam_id)? {
            crate::results::release::queue_changed(conn, scope, exam, changed)?;
        }
    }
    let more = found.len() as i64 == BATCH;
    let status = if more {
        RegradeStatus::Running
    } else {
        RegradeStatus::Done
    };
    diesel::update(scoped!(regrades, scope).filter(regrades::id.eq(id)))
        .set((
            regrades::status.eq(status.as_str()),
            regrades::examined.eq(run.examined + examined),
            regrades::changed.eq(run.changed + changed),
            regrades::differences.eq(serde_json::to_string(&differences).context("differences")?),
            regrades::last_attempt_id.eq(ids.last().copied().or(run.last_attempt_id)),
            regrades::error.eq(None::<String>),
            regrades::finished_at.eq((!more).then_some(now)),
        ))
        .execute(conn)?;
    if more {
        crate::jobs::enqueue(conn, REGRADE, now, payload)?;
    }
    Ok(())
}

/// Writes the attempt's new result (nothing else of it changes).
fn write(
    conn: &mut DbConnection,
    scope: &OrgScope,
    attempt: &compute::Finished,
    r: &Recomputed,
) -> Result<(), ModelError> {
    diesel::update(scoped!(attempts, scope).filter(attempts::id.eq(attempt.id)))
        .set((
            attempts::score_centi.eq(Some(r.score_centi)),
            attempts::max_score_centi.eq(r.max_score_centi),
            attempts::grading.eq(Some(r.grading.as_str())),
        ))
        .execute(conn)?;
    Ok(())
}

fn audit(
    conn: &mut DbConnection,
    cipher: &FieldCipher,
    scope: &OrgScope,
    actor: Actor,
    run: &RunRow,
    d: &RegradeDifference,
) -> Result<(), ModelError> {
    crate::audit::append(
        conn,
        cipher,
        AuditEntry {
            org_id: Some(scope.org_id()),
            actor,
            action: "attempt.regraded",
            target_kind: Some("attempt"),
            target_id: Some(d.attempt_id.clone()),
            outcome: Outcome::Success,
            request_id: None,
            details: serde_json::json!({
                "regrade_id": run.id.to_string(),
                "question_id": run.question_id.to_string(),
                "version": run.version,
                "exam_id": d.exam_id,
                "before": d.before,
                "after": d.after,
            }),
            ip: None,
            user_agent: None,
            device: None,
        },
    )?;
    Ok(())
}
