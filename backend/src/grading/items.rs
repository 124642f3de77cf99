//! Grading items in the database: made from submitted attempts that wait for a person, leased
//! to one grader at a time, and listed. Nothing here knows about HTTP.

use std::collections::{HashMap, HashSet};

use diesel::prelude::*;
use rand::Rng;
use shared::grading::{ItemOrigin, ItemStatus};
use shared::questions::QuestionContent;

use crate::db::DbConnection;
use crate::db::schema::{attempts, exams, grading_items, grading_marks};
use crate::db::types::{DbUuid, Timestamp};
use crate::errors::ModelError;
use crate::exams::attempts::model::AttemptRow;
use crate::papers::candidate::load_contents;
use crate::scoped;
use crate::tenancy::OrgScope;

/// How long a grader holds an item they opened.
pub const LEASE_MINUTES: i64 = 10;

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = grading_items)]
pub struct ItemRow {
    pub id: DbUuid,
    pub exam_id: DbUuid,
    pub attempt_id: DbUuid,
    pub question_id: DbUuid,
    pub question_version: i32,
    pub question_number: i32,
    pub part: i32,
    pub max_centi: i32,
    pub anonymous_code: String,
    pub status: String,
    pub marks_count: i32,
    pub final_centi: Option<i32>,
    pub lease_user_id: Option<DbUuid>,
    pub lease_until: Option<Timestamp>,
    pub origin: String,
}

impl ItemRow {
    pub fn status(&self) -> ItemStatus {
        ItemStatus::parse(&self.status).unwrap_or(ItemStatus::Open)
    }

    pub fn origin(&self) -> ItemOrigin {
        ItemOrigin::parse(&self.origin).unwrap_or(ItemOrigin::Essay)
    }

    /// The composite part, if the item is one.
    pub fn part(&self) -> Option<u32> {
        u32::try_from(self.part).ok()
    }

    /// Whether someone other than `user` holds the item now.
    pub fn leased_to_other(&self, user: DbUuid, now: Timestamp) -> bool {
        self.lease_user_id.is_some_and(|u| u != user) && self.lease_until.is_some_and(|t| t > now)
    }
}

#[derive(Insertable)]
#[diesel(table_name = grading_items)]
struct NewItem {
    id: DbUuid,
    org_id: DbUuid,
    exam_id: DbUuid,
    attempt_id: DbUuid,
    attempt_submitted_at: Timestamp,
    question_id: DbUuid,
    question_version: i32,
    question_number: i32,
    part: i32,
    max_centi: i32,
    anonymous_code: String,
    status: &'static str,
    created_at: Timestamp,
    origin: &'static str,
}

/// One unit a person grades in a question worth `points_centi`: the whole essay (`None`) or
/// an essay part of a composite, with its share of the points.
pub fn manual_units(content: &QuestionContent, points_centi: i32) -> Vec<(Option<u32>, i32)> {
    match content {
        QuestionContent::Essay { .. } => vec![(None, points_centi)],
        QuestionContent::Composite { parts, .. } => {
            let total: f64 = parts.iter().map(|p| p.points).sum();
            if total <= 0.0 {
                return Vec::new();
            }
            parts
                .iter()
                .enumerate()
                .filter(|(_, p)| matches!(p.content, QuestionContent::Essay { .. }))
                .filter_map(|(i, p)| {
                    let share = (f64::from(points_centi) * p.points / total).round() as i32;
                    Some((Some(u32::try_from(i).ok()?), share))
                })
                .collect()
        }
        _ => Vec::new(),
    }
}

/// An anonymous code for an attempt: eight characters of Crockford's base32 from the OS's
/// randomness, grouped `XXXX-XXXX`. It says nothing about the candidate.
fn anonymous_code() -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let mut rng = rand::rng();
    let chars: String = (0..8)
        .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
        .collect();
    format!("{}-{}", &chars[..4], &chars[4..])
}

/// Makes the grading items of the exam's submitted attempts that wait for a person and have
/// none for their current submission (a reopened and resubmitted attempt's old items go).
/// Idempotent; run before the queue is read.
pub fn sync(conn: &mut DbConnection, scope: &OrgScope, exam: DbUuid) -> Result<(), ModelError> {
    let waiting: Vec<AttemptRow> = scoped!(attempts, scope)
        .filter(attempts::exam_id.eq(exam))
        .filter(attempts::status.eq("submitted"))
        .filter(attempts::needs_manual_grading.eq(true))
        .order((attempts::submitted_at, attempts::id))
        .select(AttemptRow::as_select())
        .load(conn)?;
    if waiting.is_empty() {
        return Ok(());
    }
    if missing(conn, scope, exam, &waiting)?.is_empty() {
        return Ok(());
    }
    // Two graders opening the queue at once would make the same items: the exam's row lock
    // (PostgreSQL; SQLite transactions already hold the write lock) lets one make them, and
    // the other finds them made.
    diesel::update(exams::table.find(exam))
        .set(exams::status.eq(exams::status))
        .execute(conn)?;
    let missing = missing(conn, scope, exam, &waiting)?;
    if missing.is_empty() {
        return Ok(());
    }
    let mut numbers: HashMap<DbUuid, i32> = scoped!(grading_items, scope)
        .filter(grading_items::exam_id.eq(exam))
        .select((grading_items::question_id, grading_items::question_number))
        .distinct()
        .load::<(DbUuid, i32)>(conn)?
        .into_iter()
        .collect();
    let now = Timestamp::now();
    for attempt in missing {
        let Some(submitted_at) = attempt.submitted_at else {
            continue;
        };
        diesel::delete(
            scoped!(grading_items, scope).filter(grading_items::attempt_id.eq(attempt.id)),
        )
        .execute(conn)?;
        let arrangement = attempt.arrangement()?;
        let mut placed = Vec::new();
        for p in arrangement.iter().flatten() {
            let q = uuid::Uuid::parse_str(&p.question_id)
                .map_err(|e| anyhow::anyhow!("arranged question id: {e}"))?;
            placed.push(((DbUuid(q), p.version), p.points_centi));
        }
        let wanted: Vec<(DbUuid, i32)> = placed.iter().map(|(k, _)| *k).collect();
        let contents = load_contents(conn, scope, &wanted)?;
        let code = anonymous_code();
        let mut rows = Vec::new();
        for (key, points) in placed {
            let Some(content) = contents.get(&key) else {
                continue;
            };
            for (part, max) in manual_units(content, points) {
                let next = numbers.values().copied().max().unwrap_or(0) + 1;
                let number = *numbers.entry(key.0).or_insert(next);
                rows.push(NewItem {
                    id: DbUuid::new_v7(),
                    org_id: scope.org_id(),
                    exam_id: exam,
                    attempt_id: attempt.id,
                    attempt_submitted_at: submitted_at,
                    question_id: key.0,
                    question_version: key.1,
                    question_number: number,
                    part: part.map_or(-1, |p| p as i32),
                    max_centi: max,
                    anonymous_code: code.clone(),
                    status: ItemStatus::Open.as_str(),
                    created_at: now,
                    origin: ItemOrigin::Essay.as_str(),
                });
            }
        }
        // One statement per row: the multi-backend connection has no batch insert.
        for row in &rows {
            diesel::insert_into(grading_items::table)
                .values(row)
                .execute(conn)?;
        }
    }
    Ok(())
}

/// What a review item is made of: an automatically graded answer of a finished attempt, sent
/// for review as a whole question worth `max_centi`.
pub struct ReviewUnit {
    pub exam: DbUuid,
    pub attempt: DbUuid,
    pub submitted_at: Timestamp,
    pub question: DbUuid,
    pub version: i32,
    pub max_centi: i32,
}

/// Makes the open review item of `unit` (part -1), with the attempt's anonymous code when
/// it has items already and the question's number in the exam's queue (the next one for a
/// question new to it). The caller checked that no item of the submission grades it.
pub fn insert_review(
    conn: &mut DbConnection,
    scope: &OrgScope,
    unit: &ReviewUnit,
) -> QueryResult<ItemRow> {
    let numbers: Vec<(DbUuid, i32)> = scoped!(grading_items, scope)
        .filter(grading_items::exam_id.eq(unit.exam))
        .select((grading_items::question_id, grading_items::question_number))
        .distinct()
        .load(conn)?;
    let number = numbers
        .iter()
        .find(|(q, _)| *q == unit.question)
        .map(|(_, n)| *n)
        .unwrap_or_else(|| numbers.iter().map(|(_, n)| *n).max().unwrap_or(0) + 1);
    let code: Option<String> = scoped!(grading_items, scope)
        .filter(grading_items::attempt_id.eq(unit.attempt))
        .filter(grading_items::attempt_submitted_at.eq(unit.submitted_at))
        .select(grading_items::anonymous_code)
        .first(conn)
        .optional()?;
    let id = DbUuid::new_v7();
    diesel::insert_into(grading_items::table)
        .values(NewItem {
            id,
            org_id: scope.org_id(),
            exam_id: unit.exam,
            attempt_id: unit.attempt,
            attempt_submitted_at: unit.submitted_at,
            question_id: unit.question,
            question_version: unit.version,
            question_number: number,
            part: -1,
            max_centi: unit.max_centi,
            anonymous_code: code.unwrap_or_else(anonymous_code),
            status: ItemStatus::Open.as_str(),
            created_at: Timestamp::now(),
            origin: ItemOrigin::Review.as_str(),
        })
        .execute(conn)?;
    find(conn, scope, id)
}

/// The attempts of `waiting` with no items for their current submission.
fn missing<'a>(
    conn: &mut DbConnection,
    scope: &OrgScope,
    exam: DbUuid,
    waiting: &'a [AttemptRow],
) -> QueryResult<Vec<&'a AttemptRow>> {
    let present: HashSet<(DbUuid, Timestamp)> = scoped!(grading_items, scope)
        .filter(grading_items::exam_id.eq(exam))
        .select((
            grading_items::attempt_id,
            grading_items::attempt_submitted_at,
        ))
        .distinct()
        .load::<(DbUuid, Timestamp)>(conn)?
        .into_iter()
        .collect();
    Ok(waiting
        .iter()
        .filter(|a| {
            a.submitted_at
                .is_some_and(|at| !present.contains(&(a.id, at)))
        })
        .collect())
}

/// One grading item of the organisation.
pub fn find(conn: &mut DbConnection, scope: &OrgScope, id: DbUuid) -> QueryResult<ItemRow> {
    scoped!(grading_items, scope)
        .filter(grading_items::id.eq(id))
        .select(ItemRow::as_select())
        .first(conn)
}

/// Takes the item's row lock (PostgreSQL; SQLite transactions already hold the write lock).
pub fn lock(conn: &mut DbConnection, id: DbUuid) -> QueryResult<()> {
    diesel::update(grading_items::table.find(id))
        .set(grading_items::status.eq(grading_items::status))
        .execute(conn)?;
    Ok(())
}

/// The next item `user` may mark at the exam — not done, not marked by them, not held by
/// someone else, open with marks still wanted or waiting for an arbiter — leased to them (their
/// other leases end). Items in `skip` and items outside `limit` are passed over. `None` when there is nothing left.
pub fn lease_next(
    conn: &mut DbConnection,
    scope: &OrgScope,
    exam: DbUuid,
    user: DbUuid,
    skip: &[DbUuid],
    required: i32,
    limit: &super::limits::Limit,
) -> QueryResult<Option<ItemRow>> {
    let now = Timestamp::now();
    let mut query = scoped!(grading_items, scope)
        .filter(grading_items::exam_id.eq(exam))
        .filter(
            grading_items::status
                .eq(ItemStatus::Arbitration.as_str())
                .or(grading_items::status
                    .eq(ItemStatus::Open.as_str())
                    .and(grading_items::marks_count.lt(required))),
        )
        .filter(
            grading_items::lease_user_id
                .is_null()
                .or(grading_items::lease_user_id.eq(user))
                .or(grading_items::lease_until.lt(now)),
        )
        .filter(diesel::dsl::not(diesel::dsl::exists(
            grading_marks::table
                .filter(grading_marks::item_id.eq(grading_items::id))
                .filter(grading_marks::grader_id.eq(user)),
        )))
        .into_boxed();
    if !skip.is_empty() {
        query = query.filter(grading_items::id.ne_all(skip.to_vec()));
    }
    let query = super::limits::restrict(query, limit);
    let candidates: Vec<ItemRow> = query
        .order((
            grading_items::question_number,
            grading_items::part,
            grading_items::created_at,
            grading_items::id,
        ))
        .limit(20)
        .select(ItemRow::as_select())
        .load(conn)?;
    let until = Timestamp::from(now.0 + chrono::Duration::minutes(LEASE_MINUTES));
    for row in candidates {
        // Taken only if nobody else took it meanwhile (another grader's request).
        let taken = diesel::update(
            grading_items::table
                .filter(grading_items::id.eq(row.id))
                .filter(
                    grading_items::lease_user_id
                        .is_null()
                        .or(grading_items::lease_user_id.eq(user))
                        .or(grading_items::lease_until.lt(now)),
                ),
        )
        .set((
            grading_items::lease_user_id.eq(Some(user)),
            grading_items::lease_until.eq(Some(until)),
        ))
        .execute(conn)?;
        if taken == 1 {
            release_others(conn, scope, user, row.id)?;
            return find(conn, scope, row.id).map(Some);
        }
    }
    Ok(None)
}

/// Ends `user`'s leases other than on `keep`.
fn release_others(
    conn: &mut DbConnection,
    scope: &OrgScope,
    user: DbUuid,
    keep: DbUuid,
) -> QueryResult<()> {
    diesel::update(
        scoped!(grading_items, scope)
            .filter(grading_items::lease_user_id.eq(user))
            .filter(grading_items::id.ne(keep)),
    )
    .set((
        grading_items::lease_user_id.eq(None::<DbUuid>),
        grading_items::lease_until.eq(None::<Timestamp>),
    ))
    .execute(conn)?;
    Ok(())
}

/// Ends `user`'s lease on item `id`, if they hold it.
pub fn release(
    conn: &mut DbConnection,
    scope: &OrgScope,
    id: DbUuid,
    user: DbUuid,
) -> QueryResult<()> {
    diesel::update(
        scoped!(grading_items, scope)
            .filter(grading_items::id.eq(id))
            .filter(grading_items::lease_user_id.eq(user)),
    )
    .set((
        grading_items::lease_user_id.eq(None::<DbUuid>),
        grading_items::lease_until.eq(None::<Timestamp>),
    ))
    .execute(conn)?;
    Ok(())
}

/// A filtered page of the exam's items, in queue order, and the total.
pub fn page(
    conn: &mut DbConnection,
    scope: &OrgScope,
    exam: DbUuid,
    filter: &PageFilter,
    limit: &super::limits::Limit,
) -> QueryResult<(Vec<ItemRow>, i64)> {
    let build = || {
        let mut q = scoped!(grading_items, scope)
            .filter(grading_items::exam_id.eq(exam))
            .into_boxed();
        if let Some(question) = filter.question {
            q = q.filter(grading_items::question_id.eq(question));
        }
        if let Some(status) = filter.status {
            q = q.filter(grading_items::status.eq(status.as_str()));
        }
        if let Some(grader) = filter.grader {
            q = q.filter(diesel::dsl::exists(
                grading_marks::table
                    .filter(grading_marks::item_id.eq(grading_items::id))
                    .filter(grading_marks::grader_id.eq(grader)),
            ));
        }
        super::limits::restrict(q, limit)
    };
    let total: i64 = build().count().get_result(conn)?;
    let rows = build()
        .order((
            grading_items::question_number,
            grading_items::part,
            grading_items::created_at,
            grading_items::id,
        ))
        .offset(filter.offset)
        .limit(filter.limit)
        .select(ItemRow::as_select())
        .load(conn)?;
    Ok((rows, total))
}

/// What a page of items is filtered by.
pub struct PageFilter {
    pub question: Option<DbUuid>,
    pub status: Option<ItemStatus>,
    pub grader: Option<DbUuid>,
    pub offset: i64,
    pub limit: i64,
}

/// Every item of the exam (for progress).
pub fn all_of_exam(
    conn: &mut DbConnection,
    scope: &OrgScope,
    exam: DbUuid,
) -> QueryResult<Vec<ItemRow>> {
    scoped!(grading_items, scope)
        .filter(grading_items::exam_id.eq(exam))
        .order((grading_items::question_number, grading_items::part))
        .select(ItemRow::as_select())
        .load(conn)
}

/// The exams with submitted attempts that wait for a person, and how many each.
pub fn exams_waiting(conn: &mut DbConnection, scope: &OrgScope) -> QueryResult<Vec<(DbUuid, i64)>> {
    scoped!(attempts, scope)
        .filter(attempts::status.eq("submitted"))
        .filter(attempts::needs_manual_grading.eq(true))
        .group_by(attempts::exam_id)
        .select((attempts::exam_id, diesel::dsl::count_star()))
        .load(conn)
}

/// How many of the exam's attempts still wait for a person.
pub fn attempts_waiting(
    conn: &mut DbConnection,
    scope: &OrgScope,
    exam: DbUuid,
) -> QueryResult<i64> {
    scoped!(attempts, scope)
        .filter(attempts::exam_id.eq(exam))
        .filter(attempts::status.eq("submitted"))
        .filter(attempts::needs_manual_grading.eq(true))
        .count()
        .get_result(conn)
}
