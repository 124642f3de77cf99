//! The dashboard's queries: a few counts grouped by exam, each bounded, none per row. Nothing
//! here knows about HTTP or permissions: the handler decides which of them run.

use std::collections::HashMap;

use chrono::Duration;
use diesel::dsl::count_star;
use diesel::expression::BoxableExpression;
use diesel::prelude::*;
use diesel::sql_types::Bool;
use serde::Deserialize;
use shared::access::OrgRole;
use shared::dashboard::{
    ATTENTION_DAYS, ChecklistItem, ChecklistStep, GradingDue, ImportKind, LiveExam, MAX_IMPORTS,
    MAX_RECENT_EXAMS, MAX_RUNNING, RecentExam, RecentImport,
};
use shared::exams::AttemptStatus;
use shared::grading::ItemStatus;

use crate::db::schema::{
    attempts, audit_log, candidate_group_members, candidates, exams, grading_items,
    notification_outbox, orgs, papers, question_banks, questions,
};
use crate::db::types::{DbUuid, Timestamp};
use crate::db::{DbConnection, MultiBackend};
use crate::scoped;
use crate::tenancy::{OrgCaller, OrgScope};

/// A condition on the organisation's attempts (or grading items) that a query takes whole,
/// so the same grouped query serves callers with and without a group limit.
type AttemptFilter = Box<dyn BoxableExpression<attempts::table, MultiBackend, SqlType = Bool>>;
type ItemFilter = Box<dyn BoxableExpression<grading_items::table, MultiBackend, SqlType = Bool>>;

/// The candidate groups whose attempts the caller's counts cover: an admin's group limit
/// (`None`: every candidate). A grader's account names no candidate at all (blind marking),
/// which limits nothing about the anonymous counts of the grading queue, as in
/// `grading::limits`.
pub fn counted_groups(scope: &OrgScope) -> Option<Vec<DbUuid>> {
    let grader = matches!(
        scope.caller(),
        OrgCaller::User {
            role: OrgRole::Grader,
            ..
        }
    );
    if grader {
        None
    } else {
        scope.group_scope().map(<[DbUuid]>::to_vec)
    }
}

/// Attempts of candidates in `groups`; every attempt of the organisation without a limit.
fn attempts_in(scope: &OrgScope, groups: Option<&[DbUuid]>) -> AttemptFilter {
    match groups {
        None => Box::new(attempts::org_id.eq(scope.org_id())),
        Some(groups) => Box::new(
            attempts::candidate_id.eq_any(
                candidate_group_members::table
                    .filter(candidate_group_members::org_id.eq(scope.org_id()))
                    .filter(candidate_group_members::group_id.eq_any(groups.to_vec()))
                    .select(candidate_group_members::candidate_id),
            ),
        ),
    }
}

/// Grading items of attempts [`attempts_in`] `groups`.
fn items_in(scope: &OrgScope, groups: Option<&[DbUuid]>) -> ItemFilter {
    match groups {
        None => Box::new(grading_items::org_id.eq(scope.org_id())),
        Some(groups) => Box::new(
            grading_items::attempt_id.eq_any(
                scoped!(attempts, scope)
                    .filter(
                        attempts::candidate_id.eq_any(
                            candidate_group_members::table
                                .filter(candidate_group_members::org_id.eq(scope.org_id()))
                                .filter(candidate_group_members::group_id.eq_any(groups.to_vec()))
                                .select(candidate_group_members::candidate_id),
                        ),
                    )
                    .select(attempts::id),
            ),
        ),
    }
}

fn count(n: i64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Exams whose window is open at `now` or that have someone in them, the most candidates in
/// them first, then the soonest closing.
pub fn running(
    conn: &mut DbConnection,
    scope: &OrgScope,
    groups: Option<&[DbUuid]>,
    now: Timestamp,
) -> QueryResult<Vec<LiveExam>> {
    let in_progress: HashMap<DbUuid, i64> = scoped!(attempts, scope)
        .filter(attempts_in(scope, groups))
        .filter(attempts::status.eq(AttemptStatus::InProgress.as_str()))
        .filter(attempts::deadline.gt(now))
        .group_by(attempts::exam_id)
        .select((attempts::exam_id, count_star()))
        .load::<(DbUuid, i64)>(conn)?
        .into_iter()
        .collect();
    let busy: Vec<DbUuid> = in_progress.keys().copied().collect();
    let rows: Vec<(DbUuid, String, Timestamp, Timestamp)> = scoped!(exams, scope)
        .filter(exams::status.eq("active"))
        .filter(
            exams::opens_at
                .le(now)
                .and(exams::closes_at.gt(now))
                .or(exams::id.eq_any(busy)),
        )
        .select((exams::id, exams::name, exams::opens_at, exams::closes_at))
        .load(conn)?;
    let mut live: Vec<LiveExam> = rows
        .into_iter()
        .map(|(id, name, opens_at, closes_at)| LiveExam {
            id: id.to_string(),
            name,
            opens_at: opens_at.to_canonical_string(),
            closes_at: closes_at.to_canonical_string(),
            in_progress: count(in_progress.get(&id).copied().unwrap_or(0)),
        })
        .collect();
    // Canonical instants sort as text in time order.
    live.sort_by(|a, b| {
        b.in_progress
            .cmp(&a.in_progress)
            .then_with(|| a.closes_at.cmp(&b.closes_at))
            .then_with(|| a.id.cmp(&b.id))
    });
    live.truncate(MAX_RUNNING);
    Ok(live)
}

/// Exams with submitted attempts waiting for a person, soonest closing first.
pub fn grading_due(
    conn: &mut DbConnection,
    scope: &OrgScope,
    groups: Option<&[DbUuid]>,
) -> QueryResult<Vec<GradingDue>> {
    let waiting: HashMap<DbUuid, i64> = scoped!(attempts, scope)
        .filter(attempts_in(scope, groups))
        .filter(attempts::status.eq(AttemptStatus::Submitted.as_str()))
        .filter(attempts::needs_manual_grading.eq(true))
        .group_by(attempts::exam_id)
        .select((attempts::exam_id, count_star()))
        .load::<(DbUuid, i64)>(conn)?
        .into_iter()
        .collect();
    if waiting.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<DbUuid> = waiting.keys().copied().collect();
    let open: HashMap<DbUuid, i64> = scoped!(grading_items, scope)
        .filter(items_in(scope, groups))
        .filter(grading_items::exam_id.eq_any(ids.clone()))
        .filter(grading_items::status.ne(ItemStatus::Done.as_str()))
        .group_by(grading_items::exam_id)
        .select((grading_items::exam_id, count_star()))
        .load::<(DbUuid, i64)>(conn)?
        .into_iter()
        .collect();
    let rows: Vec<(DbUuid, String)> = scoped!(exams, scope)
        .filter(exams::id.eq_any(ids))
        .filter(exams::status.eq("active"))
        .order((exams::closes_at.asc(), exams::id.asc()))
        .select((exams::id, exams::name))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, name)| GradingDue {
            exam_id: id.to_string(),
            exam_name: name,
            attempts_waiting: count(waiting.get(&id).copied().unwrap_or(0)),
            answers_open: count(open.get(&id).copied().unwrap_or(0)),
        })
        .collect())
}

/// The beginning of the period "needs attention" looks back over.
pub fn attention_since(now: Timestamp) -> Timestamp {
    Timestamp::from(now.0 - Duration::days(ATTENTION_DAYS))
}

/// Messages of the organisation that failed for good since `since`.
pub fn failed_notifications(
    conn: &mut DbConnection,
    scope: &OrgScope,
    since: Timestamp,
) -> QueryResult<u32> {
    let n: i64 = notification_outbox::table
        .filter(notification_outbox::org_id.eq(scope.org_id()))
        .filter(notification_outbox::created_at.ge(since))
        .filter(notification_outbox::status.eq("failed"))
        .count()
        .get_result(conn)?;
    Ok(count(n))
}

/// The audit action an import of `kind` is recorded under.
fn import_action(kind: ImportKind) -> &'static str {
    match kind {
        ImportKind::Candidates => "candidate.import",
        ImportKind::Questions => "question.import",
    }
}

/// What an import's audit entry says it brought in.
#[derive(Deserialize)]
struct ImportDetails {
    #[serde(default)]
    imported: u32,
}

/// The latest imports of `kinds` since `since`, from the audit log (every committed import
/// appends one entry in its own transaction), with the names of the banks that still exist.
pub fn imports(
    conn: &mut DbConnection,
    scope: &OrgScope,
    kinds: &[ImportKind],
    since: Timestamp,
) -> QueryResult<Vec<RecentImport>> {
    let actions: Vec<&str> = kinds.iter().map(|k| import_action(*k)).collect();
    let rows: Vec<(String, Timestamp, Option<String>, String)> = audit_log::table
        .filter(audit_log::org_id.eq(scope.org_id()))
        .filter(audit_log::occurred_at.ge(since))
        .filter(audit_log::action.eq_any(actions))
        .order(audit_log::seq.desc())
        .limit(i64::try_from(MAX_IMPORTS).unwrap_or(5))
        .select((
            audit_log::action,
            audit_log::occurred_at,
            audit_log::target_id,
            audit_log::details,
        ))
        .load(conn)?;
    let bank_ids: Vec<DbUuid> = rows
        .iter()
        .filter_map(|(_, _, target, _)| target.as_deref())
        .filter_map(|t| uuid::Uuid::parse_str(t).ok().map(DbUuid))
        .collect();
    let banks: HashMap<String, String> = scoped!(question_banks, scope)
        .filter(question_banks::id.eq_any(bank_ids))
        .select((question_banks::id, question_banks::name))
        .load::<(DbUuid, String)>(conn)?
        .into_iter()
        .map(|(id, name)| (id.to_string(), name))
        .collect();
    Ok(rows
        .into_iter()
        .filter_map(|(action, at, target, details)| {
            let kind = kinds
                .iter()
                .copied()
                .find(|k| import_action(*k) == action)?;
            let bank_id = target.filter(|_| kind == ImportKind::Questions);
            Some(RecentImport {
                kind,
                at: at.to_canonical_string(),
                count: serde_json::from_str::<ImportDetails>(&details).map_or(0, |d| d.imported),
                bank_name: bank_id.as_ref().and_then(|b| banks.get(b).cloned()),
                bank_id,
            })
        })
        .collect())
}

/// The part of an exam's stored settings the pass rate needs.
#[derive(Deserialize)]
struct PassMark {
    #[serde(default)]
    pass_mark: f64,
}

/// The exams that open latest, with their attempts and how many of the graded ones passed.
pub fn recent_exams(
    conn: &mut DbConnection,
    scope: &OrgScope,
    groups: Option<&[DbUuid]>,
) -> QueryResult<Vec<RecentExam>> {
    let rows: Vec<(DbUuid, String, Timestamp, Timestamp, String)> = scoped!(exams, scope)
        .filter(exams::status.eq("active"))
        .order((exams::opens_at.desc(), exams::id.desc()))
        .limit(i64::try_from(MAX_RECENT_EXAMS).unwrap_or(5))
        .select((
            exams::id,
            exams::name,
            exams::opens_at,
            exams::closes_at,
            exams::settings,
        ))
        .load(conn)?;
    let ids: Vec<DbUuid> = rows.iter().map(|r| r.0).collect();
    // One row per exam, status and score: at most a few hundred distinct scores per exam,
    // however many attempts there are.
    let tallies: Vec<(DbUuid, String, Option<i32>, i64)> = scoped!(attempts, scope)
        .filter(attempts_in(scope, groups))
        .filter(attempts::exam_id.eq_any(ids))
        .group_by((attempts::exam_id, attempts::status, attempts::score_centi))
        .select((
            attempts::exam_id,
            attempts::status,
            attempts::score_centi,
            count_star(),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, name, opens_at, closes_at, settings)| {
            let pass_mark =
                serde_json::from_str::<PassMark>(&settings).map_or(0.0, |s| s.pass_mark);
            let mut exam = RecentExam {
                id: id.to_string(),
                name,
                opens_at: opens_at.to_canonical_string(),
                closes_at: closes_at.to_canonical_string(),
                attempts: 0,
                graded: 0,
                passed: 0,
            };
            for (_, status, score, n) in tallies.iter().filter(|t| t.0 == id) {
                let n = count(*n);
                exam.attempts = exam.attempts.saturating_add(n);
                if status == AttemptStatus::Graded.as_str() {
                    exam.graded = exam.graded.saturating_add(n);
                    let score = f64::from(score.unwrap_or(0)) / 100.0;
                    if crate::results::table::passes(score, pass_mark) {
                        exam.passed = exam.passed.saturating_add(n);
                    }
                }
            }
            exam
        })
        .collect())
}

/// Whether `step` is done. The candidates step counts only candidates the caller may see.
pub fn step_done(
    conn: &mut DbConnection,
    scope: &OrgScope,
    step: ChecklistStep,
) -> QueryResult<bool> {
    match step {
        ChecklistStep::Branding => {
            let (app_name, logo): (Option<String>, Option<String>) = orgs::table
                .find(scope.org_id())
                .select((orgs::candidate_app_name, orgs::logo_path))
                .first(conn)?;
            Ok(logo.is_some() || app_name.is_some_and(|n| !n.trim().is_empty()))
        }
        ChecklistStep::Candidates => exists(
            crate::candidates::model::visible(scope)
                .select(candidates::id)
                .first::<DbUuid>(conn),
        ),
        ChecklistStep::Questions => exists(
            scoped!(questions, scope)
                .filter(questions::status.eq("active"))
                .select(questions::id)
                .first::<DbUuid>(conn),
        ),
        ChecklistStep::Paper => exists(
            scoped!(papers, scope)
                .filter(papers::status.eq("active"))
                .select(papers::id)
                .first::<DbUuid>(conn),
        ),
        ChecklistStep::Exam => exists(
            scoped!(exams, scope)
                .filter(exams::status.eq("active"))
                .select(exams::id)
                .first::<DbUuid>(conn),
        ),
    }
}

fn exists(found: QueryResult<DbUuid>) -> QueryResult<bool> {
    Ok(found.optional()?.is_some())
}

/// The checklist of `steps`, each done or not.
pub fn checklist(
    conn: &mut DbConnection,
    scope: &OrgScope,
    steps: &[ChecklistStep],
) -> QueryResult<Vec<ChecklistItem>> {
    steps
        .iter()
        .map(|&step| {
            Ok(ChecklistItem {
                step,
                done: step_done(conn, scope, step)?,
            })
        })
        .collect()
}
