//! The candidate's notice that a result was released (or changed by re-grading): a job per
//! attempt ([`NOTICE`]) that writes one message to the outbox, by email when the candidate has
//! an address, else by SMS, else nothing (the portal shows the result either way).

use anyhow::Context;
use diesel::prelude::*;

use crate::crypto::FieldCipher;
use crate::db::DbConnection;
use crate::db::schema::{attempts, orgs};
use crate::db::types::{DbUuid, Timestamp};
use crate::domain::Contact;
use crate::errors::ModelError;
use crate::exams::attempts::model as attempt_model;
use crate::exams::attempts::view::released;
use crate::notifications::{Notifier, OutboundMessage};
use crate::tenancy::OrgScope;

/// The job kind of one attempt's notice.
pub const NOTICE: &str = "result_notice";

/// Which notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeKind {
    /// The result is out: sent once per attempt.
    Released,
    /// A re-grade changed a released result: sent every time.
    Changed,
}

impl NoticeKind {
    fn as_str(self) -> &'static str {
        match self {
            NoticeKind::Released => "released",
            NoticeKind::Changed => "changed",
        }
    }
}

/// Queues the notice of `attempt` (in the caller's transaction).
pub fn queue(
    conn: &mut DbConnection,
    org: DbUuid,
    attempt: DbUuid,
    kind: NoticeKind,
    now: Timestamp,
) -> QueryResult<DbUuid> {
    crate::jobs::enqueue(
        conn,
        NOTICE,
        now,
        &serde_json::json!({
            "org_id": org.to_string(),
            "attempt_id": attempt.to_string(),
            "kind": kind.as_str(),
        }),
    )
}

/// What the notice job needs of the node.
#[derive(Clone)]
pub struct NoticeContext {
    pub cipher: FieldCipher,
    pub notifier: Notifier,
    /// `server.public_url`, for the link to the portal.
    pub public_url: String,
}

fn id_of(payload: &serde_json::Value, name: &str) -> anyhow::Result<DbUuid> {
    let s = payload[name].as_str().context("missing id")?;
    Ok(DbUuid(uuid::Uuid::parse_str(s)?))
}

/// The [`NOTICE`] job: writes the message if the result is (still) released and, for a
/// release notice, not sent before. Returns whether a message was queued.
pub fn run_notice(
    conn: &mut DbConnection,
    ctx: &NoticeContext,
    payload: &serde_json::Value,
    now: Timestamp,
) -> anyhow::Result<bool> {
    let (org, attempt) = (id_of(payload, "org_id")?, id_of(payload, "attempt_id")?);
    let kind = match payload["kind"].as_str() {
        Some("changed") => NoticeKind::Changed,
        _ => NoticeKind::Released,
    };
    let scope = OrgScope::system(org);
    let sent = crate::db::transaction(conn, |conn| send(conn, ctx, &scope, attempt, kind, now));
    match sent {
        Ok(sent) => {
            if sent {
                ctx.notifier.wake();
            }
            Ok(sent)
        }
        Err(ModelError::NotFound) => Ok(false),
        Err(e) => Err(anyhow::anyhow!("result notice: {e}")),
    }
}

fn send(
    conn: &mut DbConnection,
    ctx: &NoticeContext,
    scope: &OrgScope,
    id: DbUuid,
    kind: NoticeKind,
    now: Timestamp,
) -> Result<bool, ModelError> {
    attempt_model::lock(conn, id)?;
    let row = attempt_model::find(conn, scope, id)
        .optional()?
        .ok_or(ModelError::NotFound)?;
    let notified: Option<Timestamp> = attempts::table
        .find(id)
        .select(attempts::result_notified_at)
        .first(conn)?;
    if kind == NoticeKind::Released && notified.is_some() {
        return Ok(false);
    }
    let exam = crate::exams::model::find(conn, scope, row.exam_id)?;
    if !released(&row, &exam, now) {
        return Ok(false);
    }
    diesel::update(attempts::table.find(id))
        .set(attempts::result_notified_at.eq(Some(now)))
        .execute(conn)?;
    let candidate = crate::candidates::model::find(conn, scope, row.candidate_id)?;
    let dto = crate::candidates::model::to_dtos(conn, &ctx.cipher, scope, vec![candidate])?
        .pop()
        .ok_or(ModelError::NotFound)?;
    let contact = dto
        .email
        .as_deref()
        .or(dto.phone.as_deref())
        .and_then(|c| Contact::parse(c).ok());
    let Some(contact) = contact else {
        return Ok(false);
    };
    let slug: String = orgs::table
        .find(scope.org_id())
        .select(orgs::slug)
        .first(conn)?;
    let link = format!("{}/o/{slug}/results", ctx.public_url.trim_end_matches('/'));
    let message = message(&contact, &exam.settings.name, &link, kind);
    crate::notifications::enqueue(conn, &ctx.cipher, Some(scope.org_id()), &message)?;
    Ok(true)
}

/// The message, in Chinese with an English line (a candidate's language is not known).
fn message(contact: &Contact, exam: &str, link: &str, kind: NoticeKind) -> OutboundMessage {
    let (subject, zh, en, template) = match kind {
        NoticeKind::Released => (
            format!("成绩已发布 / Result released: {exam}"),
            format!("【考试云】您参加的考试「{exam}」成绩已发布，请登录考生门户查看：{link}"),
            format!("[ExamCloud] Your result for \"{exam}\" is out. Sign in to see it: {link}"),
            "result_released",
        ),
        NoticeKind::Changed => (
            format!("成绩已更新 / Result updated: {exam}"),
            format!(
                "【考试云】您参加的考试「{exam}」因试题更正重新评分，成绩已更新，请登录查看：{link}"
            ),
            format!(
                "[ExamCloud] Your result for \"{exam}\" was re-graded after a question was corrected. Sign in to see it: {link}"
            ),
            "result_changed",
        ),
    };
    OutboundMessage::to_contact(contact, &subject, format!("{zh}\n{en}"), template)
}
