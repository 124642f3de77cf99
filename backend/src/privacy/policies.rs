//! The privacy statement and the terms as versioned documents (privacy statement clause 7).
//!
//! The versions shipped with this release (`docs/policies/*.md`) are published at start-up if
//! their kind has no version yet; later versions are published by platform staff
//! (`POST /api/staff/policies`). A published version is never edited. Publishing a **major**
//! version queues [`NOTICE`], a job that notifies every organisation's owner in batches, and
//! makes everyone's next sign-in ask for their agreement again (see [`super::consent`]).

use anyhow::Context;
use diesel::prelude::*;
use shared::policies::{PolicyDocument, PolicyKind, PolicyVersionSummary, PrivacyContact};

use crate::crypto::FieldCipher;
use crate::db::DbConnection;
use crate::db::schema::{orgs, policy_versions, users};
use crate::db::types::{DbUuid, Timestamp};
use crate::domain::Contact;
use crate::notifications::{Notifier, OutboundMessage};

/// The job that tells organisation owners about a major version.
pub const NOTICE: &str = "privacy_policy_notice";
/// Owners notified per run of [`NOTICE`] (the job re-queues itself for the rest).
const BATCH: i64 = 200;

/// The privacy contact channels of clause 9 (the statement names them).
pub fn contact() -> PrivacyContact {
    PrivacyContact {
        email: "service@zcth.cn".to_owned(),
        phone: "0731-82253142".to_owned(),
        reply_working_days: 10,
    }
}

/// The documents shipped with this release: (kind, version, effective date, zh, en).
const BUILTIN: [(PolicyKind, &str, &str, &str, &str); 2] = [
    (
        PolicyKind::Privacy,
        "1.0",
        "2024-05-22",
        include_str!("../../../docs/policies/privacy.zh.md"),
        include_str!("../../../docs/policies/privacy.en.md"),
    ),
    (
        PolicyKind::Terms,
        "1.0",
        "2026-12-07",
        include_str!("../../../docs/policies/terms.zh.md"),
        include_str!("../../../docs/policies/terms.en.md"),
    ),
];

/// A version row.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = policy_versions)]
pub struct PolicyRow {
    pub id: DbUuid,
    pub kind: String,
    pub version: String,
    pub major: bool,
    pub effective_on: String,
    pub summary_zh: String,
    pub summary_en: String,
    pub body_zh: String,
    pub body_en: String,
    pub published_at: Timestamp,
}

impl PolicyRow {
    pub fn kind(&self) -> PolicyKind {
        PolicyKind::parse(&self.kind).unwrap_or(PolicyKind::Privacy)
    }

    pub fn document(&self) -> PolicyDocument {
        PolicyDocument {
            kind: self.kind(),
            version: self.version.clone(),
            major: self.major,
            effective_on: self.effective_on.clone(),
            published_at: self.published_at.to_canonical_string(),
            summary_zh: self.summary_zh.clone(),
            summary_en: self.summary_en.clone(),
            body_zh: self.body_zh.clone(),
            body_en: self.body_en.clone(),
        }
    }

    pub fn summary(&self) -> PolicyVersionSummary {
        PolicyVersionSummary {
            version: self.version.clone(),
            major: self.major,
            effective_on: self.effective_on.clone(),
            published_at: self.published_at.to_canonical_string(),
            summary_zh: self.summary_zh.clone(),
            summary_en: self.summary_en.clone(),
        }
    }
}

/// A version to publish.
pub struct NewVersion<'a> {
    pub kind: PolicyKind,
    pub version: &'a str,
    pub major: bool,
    pub effective_on: &'a str,
    pub summary_zh: &'a str,
    pub summary_en: &'a str,
    pub body_zh: &'a str,
    pub body_en: &'a str,
    pub published_by: Option<DbUuid>,
}

/// Inserts a version; the caller checked that it is new. Returns its row.
pub fn insert(conn: &mut DbConnection, new: &NewVersion<'_>) -> QueryResult<PolicyRow> {
    let id = DbUuid::new_v7();
    diesel::insert_into(policy_versions::table)
        .values((
            policy_versions::id.eq(id),
            policy_versions::kind.eq(new.kind.as_str()),
            policy_versions::version.eq(new.version),
            policy_versions::major.eq(new.major),
            policy_versions::effective_on.eq(new.effective_on),
            policy_versions::summary_zh.eq(new.summary_zh),
            policy_versions::summary_en.eq(new.summary_en),
            policy_versions::body_zh.eq(new.body_zh),
            policy_versions::body_en.eq(new.body_en),
            policy_versions::published_at.eq(Timestamp::now()),
            policy_versions::published_by.eq(new.published_by),
        ))
        .execute(conn)?;
    policy_versions::table
        .find(id)
        .select(PolicyRow::as_select())
        .first(conn)
}

/// Publishes the shipped documents whose kind has no version yet (start-up; idempotent, and
/// safe when several nodes start at once: the `(kind, version)` key refuses a second copy).
pub fn ensure_builtin(conn: &mut DbConnection) -> anyhow::Result<()> {
    for (kind, version, effective_on, zh, en) in BUILTIN {
        if current(conn, kind)?.is_some() {
            continue;
        }
        let inserted = insert(
            conn,
            &NewVersion {
                kind,
                version,
                major: true,
                effective_on,
                summary_zh: "首次发布。",
                summary_en: "First published.",
                body_zh: zh,
                body_en: en,
                published_by: None,
            },
        );
        match inserted {
            Ok(_) => {}
            Err(diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _,
            )) => {}
            Err(e) => return Err(e).context("publishing the shipped policy documents"),
        }
    }
    Ok(())
}

/// The versions of `kind`, newest first (publication time, then id).
macro_rules! newest_first {
    ($kind:expr) => {
        policy_versions::table
            .filter(policy_versions::kind.eq($kind.as_str()))
            .order((
                policy_versions::published_at.desc(),
                policy_versions::id.desc(),
            ))
            .select(PolicyRow::as_select())
    };
}

/// The newest version of `kind`.
pub fn current(conn: &mut DbConnection, kind: PolicyKind) -> QueryResult<Option<PolicyRow>> {
    newest_first!(kind).first(conn).optional()
}

/// The newest major version of `kind`: agreements older than it no longer count.
pub fn latest_major(conn: &mut DbConnection, kind: PolicyKind) -> QueryResult<Option<PolicyRow>> {
    newest_first!(kind)
        .filter(policy_versions::major.eq(true))
        .first(conn)
        .optional()
}

/// Every version of `kind`, newest first.
pub fn history(conn: &mut DbConnection, kind: PolicyKind) -> QueryResult<Vec<PolicyRow>> {
    newest_first!(kind).load(conn)
}

/// Whether `kind` already has `version`.
pub fn exists(conn: &mut DbConnection, kind: PolicyKind, version: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        policy_versions::table
            .filter(policy_versions::kind.eq(kind.as_str()))
            .filter(policy_versions::version.eq(version)),
    ))
    .get_result(conn)
}

/// Queues the owners' notice of a major version (in the publishing transaction).
pub fn queue_notice(conn: &mut DbConnection, version_id: DbUuid) -> QueryResult<DbUuid> {
    crate::jobs::enqueue(
        conn,
        NOTICE,
        Timestamp::now(),
        &serde_json::json!({ "policy_version_id": version_id.to_string() }),
    )
}

/// The [`NOTICE`] job: one message to the owner of each of the next [`BATCH`] organisations
/// after the payload's cursor, then the job again for the rest. Each batch commits with its
/// cursor, so a crash repeats at most one batch's messages.
pub fn run_notice(
    conn: &mut DbConnection,
    cipher: &FieldCipher,
    notifier: &Notifier,
    payload: &serde_json::Value,
    now: Timestamp,
) -> anyhow::Result<()> {
    let id = payload["policy_version_id"]
        .as_str()
        .and_then(|s| uuid::Uuid::parse_str(s).ok())
        .map(DbUuid)
        .context("policy_version_id")?;
    let after = payload["after_org"]
        .as_str()
        .and_then(|s| uuid::Uuid::parse_str(s).ok())
        .map(DbUuid);
    let Some(row) = policy_versions::table
        .find(id)
        .select(PolicyRow::as_select())
        .first(conn)
        .optional()?
    else {
        return Ok(());
    };
    crate::db::transaction(conn, |conn| -> anyhow::Result<()> {
        let mut query = orgs::table
            .select(orgs::id)
            .order(orgs::id)
            .limit(BATCH)
            .into_boxed();
        if let Some(after) = after {
            query = query.filter(orgs::id.gt(after));
        }
        let batch: Vec<DbUuid> = query.load(conn)?;
        for org in &batch {
            if let Some(contact) = owner_contact(conn, cipher, *org)? {
                let msg = message(&row, &contact);
                notifier.enqueue(conn, Some(*org), &msg)?;
            }
        }
        if let Some(last) = batch.last().filter(|_| batch.len() as i64 == BATCH) {
            crate::jobs::enqueue(
                conn,
                NOTICE,
                now,
                &serde_json::json!({ "policy_version_id": id.to_string(), "after_org": last.to_string() }),
            )?;
        }
        Ok(())
    })?;
    notifier.wake();
    Ok(())
}

/// An owner's id and encrypted email address and mobile number.
type OwnerRow = (DbUuid, Option<Vec<u8>>, Option<Vec<u8>>);

/// The owner's email address (else mobile number) of `org`.
fn owner_contact(
    conn: &mut DbConnection,
    cipher: &FieldCipher,
    org: DbUuid,
) -> anyhow::Result<Option<Contact>> {
    let owner: Option<OwnerRow> = users::table
        .filter(users::org_id.eq(org))
        .filter(users::role.eq("owner"))
        .filter(users::status.eq("active"))
        .select((users::id, users::email_enc, users::phone_enc))
        .first(conn)
        .optional()?;
    let Some((user, email, phone)) = owner else {
        return Ok(None);
    };
    let row_id = user.to_string();
    let open = |column: &'static str, value: &[u8]| {
        cipher.decrypt(
            value,
            crate::crypto::Aad {
                table: "users",
                column,
                row_id: &row_id,
            },
        )
    };
    let address = match (email, phone) {
        (Some(email), _) => open("email_enc", &email)?,
        (None, Some(phone)) => open("phone_enc", &phone)?,
        (None, None) => return Ok(None),
    };
    Ok(Contact::parse(&address).ok())
}

fn message(row: &PolicyRow, contact: &Contact) -> OutboundMessage {
    let (title_zh, title_en) = match row.kind() {
        PolicyKind::Privacy => (
            "《考试云用户隐私保护声明》",
            "the ExamCloud privacy statement",
        ),
        PolicyKind::Terms => ("《考试云用户服务协议》", "the ExamCloud terms of service"),
    };
    let subject = format!("{title_zh}已更新 / We updated {title_en}");
    let body = format!(
        "您好：\n\n我们发布了{title_zh}的新版本 {version}，自 {date} 起生效。主要变化：{summary_zh}\n\
         您下次登录时需要阅读并同意新版本。\n\n\
         Hello,\n\nWe published version {version} of {title_en}, effective {date}. What changed: \
         {summary_en}\nYou will be asked to read and accept it the next time you sign in.\n",
        version = row.version,
        date = row.effective_on,
        summary_zh = row.summary_zh,
        summary_en = row.summary_en,
    );
    OutboundMessage::to_contact(contact, &subject, body, "policy_update")
}

/// How many organisations there are (the owners a major version's notice goes to).
pub fn organisations(conn: &mut DbConnection) -> QueryResult<u32> {
    let n: i64 = orgs::table.count().get_result(conn)?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}
