//! The demo's finished exam, "演示期末考试 Demo Final": closed a week ago, taken by the five
//! demo candidates on the demo bank's seven questions (mixed scores), four essays marked and
//! one waiting in the grading queue, results released, and the certificates of those who
//! passed. So Results, Grading and Certificates have something to show on a new demo.
//!
//! Everything goes through the model functions the product uses (paper and exam input checks,
//! pre-generated papers, attempts and answers, `finalise`, grading items and marks,
//! certificate issue), so the data is what real use would leave. Added once: a demo
//! organisation that already has the exam is left alone, one seeded before the exam existed
//! gets it.

use anyhow::Context;
use chrono::Duration;
use diesel::prelude::*;
use serde_json::json;
use shared::exams::{AnswerValue, ExamInput, SubmitReason};
use shared::papers::PaperInput;

use crate::crypto::FieldCipher;
use crate::db::DbConnection;
use crate::db::schema::{
    candidate_group_members, candidate_groups, exams, question_banks, questions, users,
};
use crate::db::types::{DbUuid, Timestamp};
use crate::exams::attempts::model::{self as attempt_model, NewAttempt};
use crate::grading::{items, marks};
use crate::scoped;
use crate::tenancy::OrgScope;

/// The finished demo exam's name.
pub const DEMO_FINAL: &str = "演示期末考试 Demo Final";
/// The demo bank's name (its questions make the final's paper).
pub const DEMO_BANK: &str = "演示题库 Demo Bank";
/// The demo class's name (the final's candidates are its members).
pub const DEMO_GROUP: &str = "演示一班 Demo Class 1";

/// Points out of 14 to pass (seven questions of 2 points).
const PASS_MARK: f64 = 8.0;

/// Each demo candidate's paper, in the order they were created: which of the six objective
/// questions they get right (in the bank's order) and the essay's mark in hundredths
/// (`None`: waiting for a grader). Scores 14, 11.5, 7 and 4.5 (two pass, two fail), and 6 so
/// far for the one waiting.
const SITTINGS: [([bool; 6], Option<i32>); 5] = [
    ([true, true, true, true, true, true], Some(200)),
    ([true, true, true, false, true, true], Some(150)),
    ([true, false, true, false, true, false], Some(100)),
    ([false, false, true, false, false, true], Some(50)),
    ([true, false, false, true, true, false], None),
];

/// Adds the final to the demo organisation unless it has it; says whether it did.
pub fn seed_final(
    conn: &mut DbConnection,
    cipher: &FieldCipher,
    scope: &OrgScope,
) -> anyhow::Result<bool> {
    let present: i64 = scoped!(exams, scope)
        .filter(exams::name.eq(DEMO_FINAL))
        .count()
        .get_result(conn)?;
    if present > 0 {
        return Ok(false);
    }
    let owner: DbUuid = scoped!(users, scope)
        .filter(users::role.eq("owner"))
        .select(users::id)
        .first(conn)
        .context("the demo owner")?;
    let group: DbUuid = scoped!(candidate_groups, scope)
        .filter(candidate_groups::name.eq(DEMO_GROUP))
        .select(candidate_groups::id)
        .first(conn)
        .context("the demo class")?;
    // Ids are UUIDv7: their order is the order the candidates were created in.
    let candidates: Vec<DbUuid> = scoped!(candidate_group_members, scope)
        .filter(candidate_group_members::group_id.eq(group))
        .order(candidate_group_members::candidate_id)
        .select(candidate_group_members::candidate_id)
        .limit(SITTINGS.len() as i64)
        .load(conn)?;
    let bank: DbUuid = scoped!(question_banks, scope)
        .filter(question_banks::name.eq(DEMO_BANK))
        .select(question_banks::id)
        .first(conn)
        .context("the demo bank")?;
    let bank_questions: Vec<(DbUuid, String)> = scoped!(questions, scope)
        .filter(questions::bank_id.eq(bank))
        .order(questions::id)
        .select((questions::id, questions::qtype))
        .load(conn)?;

    let template = crate::certificates::model::check_template(serde_json::from_value(json!({
        "name": "演示证书 Demo Certificate", "title": "{org} 合格证书 Certificate",
        "body": "{name} 于 {date} 通过 {exam}，成绩 {score} 分。{name} passed {exam} with {score} points.",
    }))?)
    .map_err(|e| anyhow::anyhow!("the demo template: {e:?}"))?;
    let template_id = DbUuid::new_v7();
    crate::certificates::model::insert_template(conn, scope, template_id, &template)?;

    let refs: Vec<_> = bank_questions
        .iter()
        .map(|(id, _)| json!({ "question_id": id.to_string() }))
        .collect();
    let paper: PaperInput = serde_json::from_value(json!({
        "name": "演示期末试卷 Demo Final Paper",
        "sections": [{ "title": "一、综合 General", "questions": refs }],
    }))?;
    let checked = crate::papers::input::check_input(conn, scope, &paper)?;
    let paper_id = DbUuid::new_v7();
    crate::papers::model::write_paper(conn, scope, paper_id, &checked, 1)?;

    let now = chrono::Utc::now();
    let (opens, closes) = (now - Duration::days(14), now - Duration::days(7));
    let exam: ExamInput = serde_json::from_value(json!({
        "paper_id": paper_id.to_string(), "name": DEMO_FINAL,
        "instructions": "<p>期末考试，限时 30 分钟。 The final exam: 30 minutes.</p>",
        "opens_at": opens.to_rfc3339(), "closes_at": closes.to_rfc3339(),
        "duration_minutes": 30, "attempts_allowed": 1, "scoring": "best",
        "pass_mark": PASS_MARK, "release_policy": "immediately",
        "review_policy": "after_release",
        "certificate_template_id": template_id.to_string(),
    }))?;
    let checked = crate::exams::input::check_input(conn, scope, exam)?;
    let exam_id = DbUuid::new_v7();
    crate::exams::model::insert(conn, scope, exam_id, &checked)?;
    for candidate in &candidates {
        crate::exams::model::insert_assignment(conn, scope, exam_id, *candidate, Some(group))?;
    }
    crate::papers::instances::pregenerate_for(conn, scope, paper_id, &candidates)?;

    let mut attempts = Vec::new();
    for (i, (candidate, (right, _))) in candidates.iter().zip(SITTINGS).enumerate() {
        let started = opens + Duration::days(1) + Duration::minutes(7 * i as i64);
        let used = Duration::minutes(14 + 3 * i as i64);
        let attempt = sit(conn, scope, exam_id, paper_id, *candidate, started)?;
        answer(conn, scope, attempt, &bank_questions, &right, i, started)?;
        attempt_model::finalise(conn, scope, attempt, SubmitReason::Candidate)?;
        // `finalise` stamps the submission now; the demo's happened inside the window.
        diesel::update(crate::db::schema::attempts::table.find(attempt))
            .set(
                crate::db::schema::attempts::submitted_at.eq(Some(Timestamp::from(started + used))),
            )
            .execute(conn)?;
        attempts.push(attempt);
    }

    // The essays, marked by the owner as a grader would; one is left for the queue.
    items::sync(conn, scope, exam_id)?;
    for item in items::all_of_exam(conn, scope, exam_id)? {
        let Some(at) = attempts.iter().position(|a| *a == item.attempt_id) else {
            continue;
        };
        if let Some(points_centi) = SITTINGS[at].1 {
            let mark = marks::NewMark {
                points_centi,
                rubric: None,
                comment: "演示评语 A demo comment.".to_owned(),
            };
            marks::record(conn, scope, item.id, owner, &mark)?;
        }
    }

    // Certificates of those who passed (the `attempt_finished` jobs find them issued).
    for attempt in &attempts {
        let row = attempt_model::find(conn, scope, *attempt)?;
        let passed = row
            .score_centi
            .is_some_and(|s| f64::from(s) / 100.0 + 1e-9 >= PASS_MARK);
        if row.status() == shared::exams::AttemptStatus::Graded && passed {
            crate::certificates::issue_for_attempt(
                conn,
                cipher,
                scope,
                *attempt,
                template_id,
                None,
            )?;
        }
    }
    Ok(true)
}

/// Inserts the candidate's submitted-to-be attempt on their pre-generated paper.
fn sit(
    conn: &mut DbConnection,
    scope: &OrgScope,
    exam: DbUuid,
    paper: DbUuid,
    candidate: DbUuid,
    started: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<DbUuid> {
    let (seed, arrangement) = crate::papers::model::instance_of(conn, scope, paper, candidate)?
        .context("the demo paper was not generated")?;
    let parsed: crate::papers::generate::Arrangement = serde_json::from_str(&arrangement)?;
    let max: i32 = parsed.iter().flatten().map(|p| p.points_centi).sum();
    let id = DbUuid::new_v7();
    attempt_model::insert(
        conn,
        &NewAttempt {
            id,
            org: scope.org_id(),
            exam,
            candidate,
            number: 1,
            seed: &seed,
            arrangement: &arrangement,
            started_at: Timestamp::from(started),
            deadline: Timestamp::from(started + Duration::minutes(30)),
            max_score_centi: max,
            // No portal session took it: the demo sat it.
            session: DbUuid::new_v7(),
            single_device: false,
        },
    )?;
    Ok(id)
}

/// Saves the candidate's answers: right or wrong per objective question, an essay.
fn answer(
    conn: &mut DbConnection,
    scope: &OrgScope,
    attempt: DbUuid,
    bank: &[(DbUuid, String)],
    right: &[bool; 6],
    who: usize,
    started: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<()> {
    let mut objective = 0;
    for (seq, (question, kind)) in bank.iter().enumerate() {
        let value = if kind == "essay" {
            json!({ "type": "essay", "text": ESSAYS[who % ESSAYS.len()] })
        } else {
            let ok = right.get(objective).copied().unwrap_or(false);
            objective += 1;
            answer_of(kind, ok)
        };
        let value: AnswerValue = serde_json::from_value(value)?;
        let at = Timestamp::from(started + Duration::minutes(1 + seq as i64));
        attempt_model::upsert_answer(conn, scope.org_id(), attempt, *question, &value, 1, at)?;
    }
    Ok(())
}

const ESSAYS: [&str; 5] = [
    "在线考试省去了纸张和路途，成绩也出得快。 Online exams save paper and travel, and results come quickly.",
    "我喜欢随时保存答案的功能。 I like that answers are saved all the time.",
    "需要稳定的网络。 It needs a steady network.",
    "还可以。 It is fine.",
    "在线考试方便，但要注意诚信。 Online exams are convenient, but honesty matters.",
];

/// The demo bank's answer to a question of type `kind` (authored ids), right or wrong.
fn answer_of(kind: &str, right: bool) -> serde_json::Value {
    match (kind, right) {
        ("single_choice", true) => json!({ "type": "single_choice", "choice": "B" }),
        ("single_choice", false) => json!({ "type": "single_choice", "choice": "A" }),
        ("multiple_choice", true) => json!({ "type": "multiple_choice", "choices": ["A", "C"] }),
        ("multiple_choice", false) => json!({ "type": "multiple_choice", "choices": ["B", "D"] }),
        ("true_false", ok) => json!({ "type": "true_false", "value": ok }),
        ("fill_blank", true) => json!({ "type": "fill_blank", "blanks": ["12"] }),
        ("fill_blank", false) => json!({ "type": "fill_blank", "blanks": ["13"] }),
        ("ordering", true) => json!({ "type": "ordering", "order": ["1", "2", "3"] }),
        ("ordering", false) => json!({ "type": "ordering", "order": ["2", "1", "3"] }),
        ("matching", true) => json!({ "type": "matching", "pairs": { "1": "a", "2": "b" } }),
        (_, _) => json!({ "type": "matching", "pairs": { "1": "b", "2": "a" } }),
    }
}
