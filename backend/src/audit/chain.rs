//! Appending to and verifying the hash chain.

use diesel::prelude::*;
use sha2::{Digest, Sha256};

use crate::crypto::{Aad, FieldCipher};
use crate::db::DbConnection;
use crate::db::schema::{audit_chain_head, audit_log};
use crate::db::types::{DbUuid, Timestamp};
use crate::tenancy::{OrgCaller, OrgScope};

/// Who acted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    /// A user of an organisation (owner, admin, grader).
    User(DbUuid),
    /// A candidate of an organisation.
    Candidate(DbUuid),
    /// Platform staff.
    Staff(DbUuid),
    /// An integrator's API key.
    ApiKey(DbUuid),
    /// The system itself (jobs, CLI).
    System,
    /// Someone not (yet) identified, e.g. a failed login.
    Anonymous,
}

impl Actor {
    /// The actor of changes made by `scope`'s caller.
    pub fn of(scope: &OrgScope) -> Actor {
        match *scope.caller() {
            OrgCaller::User { user_id, .. } => Actor::User(user_id),
            OrgCaller::ApiKey { key_id } => Actor::ApiKey(key_id),
            OrgCaller::Candidate { candidate_id } => Actor::Candidate(candidate_id),
            OrgCaller::PortalEntry => Actor::Anonymous,
            OrgCaller::Staff | OrgCaller::System => Actor::System,
        }
    }

    fn parts(self) -> (&'static str, Option<DbUuid>) {
        match self {
            Actor::User(id) => ("user", Some(id)),
            Actor::Candidate(id) => ("candidate", Some(id)),
            Actor::Staff(id) => ("staff", Some(id)),
            Actor::ApiKey(id) => ("api_key", Some(id)),
            Actor::System => ("system", None),
            Actor::Anonymous => ("anonymous", None),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Success,
    Failure,
}

impl Outcome {
    fn as_str(self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::Failure => "failure",
        }
    }
}

/// One thing to record. `details` must not contain personal data: put identifiers, not names.
#[derive(Debug, Clone)]
pub struct AuditEntry<'a> {
    pub org_id: Option<DbUuid>,
    pub actor: Actor,
    /// A stable dotted name such as `org.register`, `auth.login`, `candidate.update`.
    pub action: &'a str,
    pub target_kind: Option<&'a str>,
    pub target_id: Option<String>,
    pub outcome: Outcome,
    pub request_id: Option<&'a str>,
    pub details: serde_json::Value,
    pub ip: Option<&'a str>,
    pub user_agent: Option<&'a str>,
    /// Device details shared with consent at sign-in.
    pub device: Option<shared::accounts::DeviceInfo>,
}

impl<'a> AuditEntry<'a> {
    /// An entry of the system itself (a job, the CLI): no request, no client.
    pub fn system(
        org_id: Option<DbUuid>,
        action: &'a str,
        target: Option<(&'a str, String)>,
        details: serde_json::Value,
    ) -> AuditEntry<'a> {
        let (target_kind, target_id) = match target {
            Some((kind, id)) => (Some(kind), Some(id)),
            None => (None, None),
        };
        AuditEntry {
            org_id,
            actor: Actor::System,
            action,
            target_kind,
            target_id,
            outcome: Outcome::Success,
            request_id: None,
            details,
            ip: None,
            user_agent: None,
            device: None,
        }
    }
}

/// An entry as stored: what the chain hashes and what the viewer shows.
#[derive(Insertable, Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = audit_log)]
pub(crate) struct Row {
    pub(super) seq: i64,
    pub(super) id: DbUuid,
    pub(super) occurred_at: Timestamp,
    pub(super) org_id: Option<DbUuid>,
    pub(super) actor_kind: String,
    pub(super) actor_id: Option<DbUuid>,
    pub(super) action: String,
    pub(super) target_kind: Option<String>,
    pub(super) target_id: Option<String>,
    pub(super) outcome: String,
    pub(super) request_id: Option<String>,
    pub(super) details: String,
    pub(super) pii_enc: Option<Vec<u8>>,
    pub(super) pii_state: String,
    pub(super) prev_hash: String,
    pub(super) hash: String,
}

impl Row {
    /// SHA-256 over every committed field, each length-prefixed so no two different entries
    /// serialise alike.
    fn compute_hash(&self) -> String {
        let mut h = Sha256::new();
        h.update(b"examcloud-audit-v1");
        let opt = |v: &Option<DbUuid>| v.map(|u| u.to_string()).unwrap_or_default();
        let fields: [&str; 14] = [
            &self.seq.to_string(),
            &self.id.to_string(),
            &self.occurred_at.to_canonical_string(),
            &opt(&self.org_id),
            &self.actor_kind,
            &opt(&self.actor_id),
            &self.action,
            self.target_kind.as_deref().unwrap_or(""),
            self.target_id.as_deref().unwrap_or(""),
            &self.outcome,
            self.request_id.as_deref().unwrap_or(""),
            &self.details,
            &self.pii_state,
            &self.prev_hash,
        ];
        for field in fields {
            h.update((field.len() as u64).to_be_bytes());
            h.update(field.as_bytes());
        }
        hex::encode(h.finalize())
    }
}

/// The personal data of an entry, encrypted as one JSON document.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct AuditPii {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_agent: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<shared::accounts::DeviceInfo>,
}

/// Appends one entry, chained to the current head. Run it inside the transaction of the change
/// it records, so both land or neither does.
pub fn append(
    conn: &mut DbConnection,
    cipher: &FieldCipher,
    entry: AuditEntry<'_>,
) -> anyhow::Result<DbUuid> {
    use anyhow::Context;
    crate::db::transaction(conn, |conn| {
        // Writing the head first takes its row lock (PostgreSQL) or the write lock (SQLite)
        // before anything is read, so concurrent appends queue here instead of forking the chain.
        diesel::update(audit_chain_head::table.find(1))
            .set(audit_chain_head::last_seq.eq(audit_chain_head::last_seq))
            .execute(conn)?;
        let (last_seq, last_hash): (i64, String) = audit_chain_head::table
            .find(1)
            .select((audit_chain_head::last_seq, audit_chain_head::last_hash))
            .first(conn)?;

        let id = DbUuid::new_v7();
        let row_id = id.to_string();
        let pii_enc = if entry.ip.is_some() || entry.user_agent.is_some() || entry.device.is_some()
        {
            let pii = AuditPii {
                ip: entry.ip.map(str::to_owned),
                user_agent: entry.user_agent.map(str::to_owned),
                device: entry.device.clone(),
            };
            let aad = Aad {
                table: "audit_log",
                column: "pii_enc",
                row_id: &row_id,
            };
            Some(cipher.encrypt(&serde_json::to_string(&pii)?, aad)?)
        } else {
            None
        };
        let (actor_kind, actor_id) = entry.actor.parts();
        let mut row = Row {
            seq: last_seq + 1,
            id,
            occurred_at: Timestamp::now(),
            org_id: entry.org_id,
            actor_kind: actor_kind.to_owned(),
            actor_id,
            action: entry.action.to_owned(),
            target_kind: entry.target_kind.map(str::to_owned),
            target_id: entry.target_id,
            outcome: entry.outcome.as_str().to_owned(),
            request_id: entry.request_id.map(str::to_owned),
            details: serde_json::to_string(&entry.details)?,
            pii_state: if pii_enc.is_some() {
                "encrypted"
            } else {
                "none"
            }
            .to_owned(),
            pii_enc,
            prev_hash: last_hash,
            hash: String::new(),
        };
        row.hash = row.compute_hash();
        diesel::insert_into(audit_log::table)
            .values(&row)
            .execute(conn)?;
        diesel::update(audit_chain_head::table.find(1))
            .set((
                audit_chain_head::last_seq.eq(row.seq),
                audit_chain_head::last_hash.eq(&row.hash),
            ))
            .execute(conn)?;
        Ok::<_, anyhow::Error>(id)
    })
    .context("appending to the audit log")
}

/// The outcome of [`verify`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VerifyReport {
    /// Every entry is intact; `entries` were checked.
    Intact { entries: u64 },
    /// The first entry (by position) where the chain breaks, and why.
    Broken {
        seq: i64,
        id: Option<DbUuid>,
        reason: String,
    },
}

/// Walks the whole chain in order and reports the first broken entry. With the field cipher,
/// each entry's personal data must also decrypt as that entry's (a ciphertext moved from
/// another entry or altered fails); without it only the chain is checked.
pub fn verify(
    conn: &mut DbConnection,
    cipher: Option<&FieldCipher>,
) -> anyhow::Result<VerifyReport> {
    const PAGE: i64 = 1000;
    let mut expected_seq = 1i64;
    let mut prev_hash = "0".repeat(64);
    loop {
        let rows: Vec<Row> = audit_log::table
            .filter(audit_log::seq.ge(expected_seq))
            .order(audit_log::seq)
            .limit(PAGE)
            .select(Row::as_select())
            .load(conn)?;
        let fetched = rows.len();
        for row in rows {
            let broken = |reason: String| VerifyReport::Broken {
                seq: row.seq,
                id: Some(row.id),
                reason,
            };
            if row.seq != expected_seq {
                return Ok(VerifyReport::Broken {
                    seq: expected_seq,
                    id: None,
                    reason: format!(
                        "entry {expected_seq} is missing (next present is {})",
                        row.seq
                    ),
                });
            }
            if row.prev_hash != prev_hash {
                return Ok(broken(
                    "does not follow the previous entry (prev_hash differs)".to_owned(),
                ));
            }
            if row.compute_hash() != row.hash {
                return Ok(broken(
                    "content does not match its hash (edited)".to_owned(),
                ));
            }
            // Erased personal data (retention) is allowed; added or replaced personal data is not.
            match (&row.pii_enc, row.pii_state.as_str(), cipher) {
                (Some(_), "none", _) => return Ok(broken("personal data was added".to_owned())),
                (Some(pii), _, Some(cipher)) => {
                    let row_id = row.id.to_string();
                    let aad = Aad {
                        table: "audit_log",
                        column: "pii_enc",
                        row_id: &row_id,
                    };
                    if cipher.decrypt(pii, aad).is_err() {
                        return Ok(broken(
                            "personal data does not belong to this entry".to_owned(),
                        ));
                    }
                }
                _ => {}
            }
            prev_hash = row.hash;
            expected_seq += 1;
        }
        if (fetched as i64) < PAGE {
            break;
        }
    }
    let (last_seq, last_hash): (i64, String) = audit_chain_head::table
        .find(1)
        .select((audit_chain_head::last_seq, audit_chain_head::last_hash))
        .first(conn)?;
    let entries = expected_seq - 1;
    if last_seq != entries || last_hash != prev_hash {
        return Ok(VerifyReport::Broken {
            seq: last_seq,
            id: None,
            reason: format!(
                "the chain head says {last_seq} entries but {entries} are intact (entries removed at the end)"
            ),
        });
    }
    Ok(VerifyReport::Intact {
        entries: entries as u64,
    })
}
