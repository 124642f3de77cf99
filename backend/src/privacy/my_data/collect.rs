//! What the platform holds about one person, gathered from every table that names them and
//! decrypted: the "my data" page shows it (ID numbers masked, the latest audit entries) and
//! the export writes it in full.

use std::collections::BTreeMap;

use anyhow::Context;
use diesel::prelude::*;
use shared::my_data::{
    DataSubject, MyAttempt, MyAuditEntry, MyCertificate, MyDevice, MyField, MyProfile,
    MyRegistration,
};

use crate::crypto::{Aad, FieldCipher};
use crate::db::DbConnection;
use crate::db::schema::{
    attempts, audit_log, candidate_group_members, candidate_groups, candidates, certificates,
    exam_registrations, exams, orgs, sessions, users,
};
use crate::db::types::{DbUuid, Timestamp};
use crate::exams::attempts::view::released;
use crate::privacy::consent::Subject;
use crate::tenancy::OrgScope;

/// The audit entries the page shows; the export holds all.
pub const AUDIT_ON_PAGE: i64 = 50;

fn decrypt(
    cipher: &FieldCipher,
    table: &'static str,
    column: &'static str,
    row_id: &str,
    ct: Option<Vec<u8>>,
) -> anyhow::Result<Option<String>> {
    ct.map(|ct| {
        cipher
            .decrypt(
                &ct,
                Aad {
                    table,
                    column,
                    row_id,
                },
            )
            .with_context(|| format!("decrypting {table}.{column}"))
    })
    .transpose()
}

pub fn subject_kind(who: Subject) -> DataSubject {
    match who {
        Subject::User { .. } => DataSubject::User,
        Subject::Candidate { .. } => DataSubject::Candidate,
    }
}

/// The person's own fields, in full. `None` when the account is gone.
pub fn profile(
    conn: &mut DbConnection,
    cipher: &FieldCipher,
    who: Subject,
) -> anyhow::Result<Option<MyProfile>> {
    let organisation: String = orgs::table.find(who.org()).select(orgs::name).first(conn)?;
    let row_id = who.id().to_string();
    match who {
        Subject::User { org, id } => {
            type Row = (
                String,
                Option<Vec<u8>>,
                Option<Vec<u8>>,
                Option<Vec<u8>>,
                Option<Vec<u8>>,
                Timestamp,
                Option<Timestamp>,
            );
            let row: Option<Row> = users::table
                .find(id)
                .filter(users::org_id.eq(org))
                .select((
                    users::role,
                    users::display_name_enc,
                    users::login_account_enc,
                    users::email_enc,
                    users::phone_enc,
                    users::created_at,
                    users::last_login_at,
                ))
                .first(conn)
                .optional()?;
            let Some((role, name, login, email, phone, created, last)) = row else {
                return Ok(None);
            };
            let dec = |column, ct| decrypt(cipher, "users", column, &row_id, ct);
            Ok(Some(MyProfile {
                organisation,
                name: dec("display_name_enc", name)?,
                login_account: dec("login_account_enc", login)?,
                email: dec("email_enc", email)?,
                phone: dec("phone_enc", phone)?,
                id_number: None,
                role: Some(role),
                groups: Vec::new(),
                created_at: created.to_canonical_string(),
                last_login_at: last.map(Timestamp::to_canonical_string),
            }))
        }
        Subject::Candidate { org, id } => {
            type Row = (
                Vec<u8>,
                Vec<u8>,
                Option<Vec<u8>>,
                Option<Vec<u8>>,
                Option<Vec<u8>>,
                Timestamp,
                Option<Timestamp>,
            );
            let row: Option<Row> = candidates::table
                .find(id)
                .filter(candidates::org_id.eq(org))
                .select((
                    candidates::account_enc,
                    candidates::name_enc,
                    candidates::email_enc,
                    candidates::phone_enc,
                    candidates::id_number_enc,
                    candidates::created_at,
                    candidates::last_login_at,
                ))
                .first(conn)
                .optional()?;
            let Some((account, name, email, phone, id_number, created, last)) = row else {
                return Ok(None);
            };
            let groups: Vec<String> = candidate_group_members::table
                .inner_join(
                    candidate_groups::table
                        .on(candidate_groups::id.eq(candidate_group_members::group_id)),
                )
                .filter(candidate_group_members::candidate_id.eq(id))
                .filter(candidate_group_members::org_id.eq(org))
                .order(candidate_groups::name.asc())
                .select(candidate_groups::name)
                .load(conn)?;
            let dec = |column, ct| decrypt(cipher, "candidates", column, &row_id, ct);
            Ok(Some(MyProfile {
                organisation,
                name: dec("name_enc", Some(name))?,
                login_account: dec("account_enc", Some(account))?,
                email: dec("email_enc", email)?,
                phone: dec("phone_enc", phone)?,
                id_number: dec("id_number_enc", id_number)?,
                role: None,
                groups,
                created_at: created.to_canonical_string(),
                last_login_at: last.map(Timestamp::to_canonical_string),
            }))
        }
    }
}

/// Signed-in devices, newest first.
pub fn devices(
    conn: &mut DbConnection,
    cipher: &FieldCipher,
    who: Subject,
) -> anyhow::Result<Vec<MyDevice>> {
    type Row = (
        DbUuid,
        Option<Vec<u8>>,
        Timestamp,
        Timestamp,
        Timestamp,
        Option<Timestamp>,
    );
    let rows: Vec<Row> = sessions::table
        .filter(sessions::principal_kind.eq(who.kind()))
        .filter(sessions::principal_id.eq(who.id()))
        .order(sessions::created_at.desc())
        .select((
            sessions::id,
            sessions::device_enc,
            sessions::created_at,
            sessions::last_used_at,
            sessions::expires_at,
            sessions::revoked_at,
        ))
        .load(conn)?;
    let now = Timestamp::now();
    rows.into_iter()
        .map(|(id, device, created, used, expires, revoked)| {
            let ended = revoked.or((expires <= now).then_some(expires));
            Ok(MyDevice {
                device: decrypt(cipher, "sessions", "device_enc", &id.to_string(), device)?,
                created_at: created.to_canonical_string(),
                last_used_at: used.to_canonical_string(),
                ended_at: ended.map(Timestamp::to_canonical_string),
            })
        })
        .collect()
}

/// A candidate's attempts, newest first, with the score once it is released.
pub fn attempts_of(conn: &mut DbConnection, who: Subject) -> anyhow::Result<Vec<MyAttempt>> {
    let Subject::Candidate { org, id } = who else {
        return Ok(Vec::new());
    };
    let rows: Vec<(crate::exams::attempts::model::AttemptRow, String)> = attempts::table
        .inner_join(exams::table.on(exams::id.eq(attempts::exam_id)))
        .filter(attempts::org_id.eq(org))
        .filter(attempts::candidate_id.eq(id))
        .order(attempts::started_at.desc())
        .select((
            crate::exams::attempts::model::AttemptRow::as_select(),
            exams::name,
        ))
        .load(conn)?;
    let mut exam_ids: Vec<DbUuid> = rows.iter().map(|(a, _)| a.exam_id).collect();
    exam_ids.sort();
    exam_ids.dedup();
    let exams_of = crate::exams::model::find_many(conn, &OrgScope::system(org), &exam_ids)?;
    let now = Timestamp::now();
    let score = |centi: i32| format!("{}", f64::from(centi) / 100.0);
    Ok(rows
        .into_iter()
        .map(|(a, exam)| {
            let shown = exams_of
                .iter()
                .find(|e| e.id == a.exam_id)
                .is_some_and(|e| released(&a, e, now));
            MyAttempt {
                exam,
                number: a.number,
                status: a.status.clone(),
                started_at: a.started_at.to_canonical_string(),
                submitted_at: a.submitted_at.map(Timestamp::to_canonical_string),
                score: a.score_centi.filter(|_| shown).map(score),
                max_score: shown.then(|| score(a.max_score_centi)),
            }
        })
        .collect())
}

/// A candidate's registration forms, newest first, every value in full.
pub fn registrations_of(
    conn: &mut DbConnection,
    cipher: &FieldCipher,
    who: Subject,
) -> anyhow::Result<Vec<MyRegistration>> {
    let Subject::Candidate { org, id } = who else {
        return Ok(Vec::new());
    };
    let rows: Vec<(DbUuid, Vec<u8>, Timestamp, String)> = exam_registrations::table
        .inner_join(exams::table.on(exams::id.eq(exam_registrations::exam_id)))
        .filter(exam_registrations::org_id.eq(org))
        .filter(exam_registrations::candidate_id.eq(id))
        .order(exam_registrations::created_at.desc())
        .select((
            exam_registrations::id,
            exam_registrations::values_enc,
            exam_registrations::created_at,
            exams::name,
        ))
        .load(conn)?;
    rows.into_iter()
        .map(|(rid, values, created, exam)| {
            let json = decrypt(
                cipher,
                "exam_registrations",
                "values_enc",
                &rid.to_string(),
                Some(values),
            )?
            .unwrap_or_default();
            let values: BTreeMap<String, String> =
                serde_json::from_str(&json).context("registration values")?;
            Ok(MyRegistration {
                exam,
                fields: values
                    .into_iter()
                    .map(|(key, value)| MyField { key, value })
                    .collect(),
                created_at: created.to_canonical_string(),
            })
        })
        .collect()
}

/// A candidate's certificates, newest first.
pub fn certificates_of(
    conn: &mut DbConnection,
    who: Subject,
) -> anyhow::Result<Vec<MyCertificate>> {
    let Subject::Candidate { org, id } = who else {
        return Ok(Vec::new());
    };
    let rows: Vec<(String, String, Timestamp, Option<Timestamp>)> = certificates::table
        .filter(certificates::org_id.eq(org))
        .filter(certificates::candidate_id.eq(id))
        .order(certificates::issued_at.desc())
        .select((
            certificates::number,
            certificates::exam_name,
            certificates::issued_at,
            certificates::revoked_at,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(number, exam, issued, revoked)| MyCertificate {
            number,
            exam,
            issued_at: issued.to_canonical_string(),
            revoked: revoked.is_some(),
        })
        .collect())
}

/// The audit entries naming the person (as actor or as target), by sequence.
macro_rules! audit_of {
    ($who:expr) => {{
        let who: Subject = $who;
        audit_log::table
            .filter(audit_log::org_id.eq(who.org()))
            .filter(
                audit_log::actor_kind
                    .eq(who.kind())
                    .and(audit_log::actor_id.eq(who.id()))
                    .or(audit_log::target_kind
                        .eq(who.kind())
                        .and(audit_log::target_id.eq(who.id().to_string()))),
            )
    }};
}

pub fn audit_total(conn: &mut DbConnection, who: Subject) -> QueryResult<i64> {
    audit_of!(who).count().get_result(conn)
}

/// Up to `limit` entries naming the person, newest first, after sequence number `before`.
pub fn audit_page(
    conn: &mut DbConnection,
    who: Subject,
    before: Option<i64>,
    limit: i64,
) -> QueryResult<Vec<(i64, MyAuditEntry, String)>> {
    let mut query = audit_of!(who).into_boxed();
    if let Some(before) = before {
        query = query.filter(audit_log::seq.lt(before));
    }
    /// Sequence, time, actor kind and id, action, outcome, details.
    type Row = (
        i64,
        Timestamp,
        String,
        Option<DbUuid>,
        String,
        String,
        String,
    );
    let rows: Vec<Row> = query
        .order(audit_log::seq.desc())
        .limit(limit)
        .select((
            audit_log::seq,
            audit_log::occurred_at,
            audit_log::actor_kind,
            audit_log::actor_id,
            audit_log::action,
            audit_log::outcome,
            audit_log::details,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(seq, at, actor_kind, actor_id, action, outcome, details)| {
                let by = if actor_kind == who.kind() && actor_id == Some(who.id()) {
                    "self"
                } else {
                    match actor_kind.as_str() {
                        "user" | "api_key" => "organisation",
                        "staff" => "staff",
                        _ => "system",
                    }
                };
                (
                    seq,
                    MyAuditEntry {
                        at: at.to_canonical_string(),
                        action,
                        outcome,
                        by: by.to_owned(),
                    },
                    details,
                )
            },
        )
        .collect())
}

/// An ID number as the page shows it: the first three and last four characters.
pub fn mask_id_number(value: &str) -> String {
    let chars: Vec<char> = value.chars().collect();
    if chars.len() <= 7 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..3].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 7))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_numbers_keep_only_their_ends() {
        assert_eq!(mask_id_number("11010119900307123X"), "110***********123X");
        assert_eq!(mask_id_number("1234567"), "*******");
        assert_eq!(mask_id_number(""), "");
    }
}
