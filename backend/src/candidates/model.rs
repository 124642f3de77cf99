//! Candidates and groups in the database. Every function takes the caller's [`OrgScope`]:
//! rows of other organisations, and candidates outside an admin's groups, are not found.
//! Personal fields are encrypted with AAD (table `candidates`, column, row id) and looked up
//! through blind indexes.

use std::collections::HashSet;

use diesel::prelude::*;
use shared::candidates::{CandidateDto, GroupRef};

use crate::accounts::model::contact_index;
use crate::crypto::{Aad, BlindIndex, FieldCipher, IndexKind};
use crate::db::DbConnection;
use crate::db::schema::{candidate_group_members, candidate_groups, candidates};
use crate::db::types::{DbUuid, Timestamp};
use crate::domain::{CandidateAccount, CnMobile, Contact, Email, IdNumber, PersonName};
use crate::errors::ModelError;
use crate::scoped;
use crate::tenancy::OrgScope;

/// A valid candidate ready to be written.
#[derive(Debug, Clone)]
pub struct NewCandidate {
    pub account: CandidateAccount,
    pub name: PersonName,
    pub email: Option<Email>,
    pub phone: Option<CnMobile>,
    pub id_number: Option<IdNumber>,
    /// An argon2id hash, if the candidate has a password.
    pub password_hash: Option<String>,
    pub group_ids: Vec<DbUuid>,
}

fn aad<'a>(column: &'a str, row_id: &'a str) -> Aad<'a> {
    Aad {
        table: "candidates",
        column,
        row_id,
    }
}

pub fn account_index(bidx: &BlindIndex, account: &CandidateAccount) -> Vec<u8> {
    bidx.compute(IndexKind::LoginAccount, account.as_str())
}

/// The encrypted columns of one candidate.
pub(crate) struct Sealed {
    pub account_enc: Vec<u8>,
    pub account_bidx: Vec<u8>,
    pub name_enc: Vec<u8>,
    pub email_enc: Option<Vec<u8>>,
    pub email_bidx: Option<Vec<u8>>,
    pub phone_enc: Option<Vec<u8>>,
    pub phone_bidx: Option<Vec<u8>>,
    pub id_number_enc: Option<Vec<u8>>,
}

pub(crate) fn seal(
    cipher: &FieldCipher,
    bidx: &BlindIndex,
    id: DbUuid,
    c: &NewCandidate,
) -> Result<Sealed, crate::crypto::CryptoError> {
    let row = id.to_string();
    Ok(Sealed {
        account_enc: cipher.encrypt(c.account.as_str(), aad("account_enc", &row))?,
        account_bidx: account_index(bidx, &c.account),
        name_enc: cipher.encrypt(c.name.as_str(), aad("name_enc", &row))?,
        email_enc: c
            .email
            .as_ref()
            .map(|e| cipher.encrypt(e.as_str(), aad("email_enc", &row)))
            .transpose()?,
        email_bidx: c
            .email
            .as_ref()
            .map(|e| contact_index(bidx, &Contact::Email(e.clone()))),
        phone_enc: c
            .phone
            .as_ref()
            .map(|p| cipher.encrypt(p.as_str(), aad("phone_enc", &row)))
            .transpose()?,
        phone_bidx: c
            .phone
            .as_ref()
            .map(|p| contact_index(bidx, &Contact::Mobile(p.clone()))),
        id_number_enc: c
            .id_number
            .as_ref()
            .map(|n| cipher.encrypt(n.as_str(), aad("id_number_enc", &row)))
            .transpose()?,
    })
}

/// Inserts a candidate and its group memberships (groups must already be checked to belong to
/// the scope). A taken account, email or phone is a unique violation (409).
pub fn insert(
    conn: &mut DbConnection,
    cipher: &FieldCipher,
    bidx: &BlindIndex,
    scope: &OrgScope,
    c: &NewCandidate,
) -> Result<DbUuid, ModelError> {
    let id = DbUuid::new_v7();
    let s = seal(cipher, bidx, id, c)?;
    let now = Timestamp::now();
    diesel::insert_into(candidates::table)
        .values((
            candidates::id.eq(id),
            candidates::org_id.eq(scope.org_id()),
            candidates::account_enc.eq(s.account_enc),
            candidates::account_bidx.eq(s.account_bidx),
            candidates::name_enc.eq(s.name_enc),
            candidates::email_enc.eq(s.email_enc),
            candidates::email_bidx.eq(s.email_bidx),
            candidates::phone_enc.eq(s.phone_enc),
            candidates::phone_bidx.eq(s.phone_bidx),
            candidates::id_number_enc.eq(s.id_number_enc),
            candidates::password_hash.eq(&c.password_hash),
            candidates::status.eq("active"),
            candidates::created_at.eq(now),
            candidates::updated_at.eq(now),
        ))
        .execute(conn)?;
    set_groups(conn, scope, id, &c.group_ids)?;
    Ok(id)
}

/// Replaces a candidate's group memberships.
pub fn set_groups(
    conn: &mut DbConnection,
    scope: &OrgScope,
    candidate: DbUuid,
    groups: &[DbUuid],
) -> QueryResult<()> {
    diesel::delete(
        scoped!(candidate_group_members, scope)
            .filter(candidate_group_members::candidate_id.eq(candidate)),
    )
    .execute(conn)?;
    for g in groups {
        diesel::insert_into(candidate_group_members::table)
            .values((
                candidate_group_members::org_id.eq(scope.org_id()),
                candidate_group_members::group_id.eq(*g),
                candidate_group_members::candidate_id.eq(candidate),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Checks that every group id exists in the caller's organisation and lies within the caller's
/// data scope; answers with the ids or a field error on `field`.
pub fn check_groups(
    conn: &mut DbConnection,
    scope: &OrgScope,
    ids: &[String],
    field: &str,
) -> Result<Vec<DbUuid>, ModelError> {
    let mut out = Vec::new();
    for raw in ids {
        let id = uuid::Uuid::parse_str(raw)
            .map(DbUuid)
            .map_err(|_| ModelError::field(field, "unknown_group"))?;
        let exists: i64 = scoped!(candidate_groups, scope)
            .filter(candidate_groups::id.eq(id))
            .count()
            .get_result(conn)?;
        if exists == 0 {
            return Err(ModelError::field(field, "unknown_group"));
        }
        if scope
            .group_scope()
            .is_some_and(|allowed| !allowed.contains(&id))
        {
            return Err(ModelError::field(field, "group_out_of_scope"));
        }
        if !out.contains(&id) {
            out.push(id);
        }
    }
    if out.is_empty() && scope.group_scope().is_some() {
        // An admin limited to some groups can only see candidates in them.
        return Err(ModelError::field(field, "group_required"));
    }
    Ok(out)
}

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = candidates)]
pub struct Row {
    pub id: DbUuid,
    pub org_id: DbUuid,
    pub account_enc: Vec<u8>,
    pub name_enc: Vec<u8>,
    pub email_enc: Option<Vec<u8>>,
    pub phone_enc: Option<Vec<u8>>,
    pub id_number_enc: Option<Vec<u8>>,
    pub password_hash: Option<String>,
    pub status: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub last_login_at: Option<Timestamp>,
}

/// The candidates the scope may see: its organisation's, and within an admin's groups.
pub fn visible(scope: &OrgScope) -> candidates::BoxedQuery<'static, crate::db::MultiBackend> {
    let q = scoped!(candidates, scope).into_boxed();
    if let Some(me) = scope.own_candidate() {
        return q.filter(candidates::id.eq(me));
    }
    match scope.group_scope() {
        None => q,
        Some(groups) => q.filter(
            candidates::id.eq_any(
                candidate_group_members::table
                    .filter(candidate_group_members::org_id.eq(scope.org_id()))
                    .filter(candidate_group_members::group_id.eq_any(groups.to_vec()))
                    .select(candidate_group_members::candidate_id),
            ),
        ),
    }
}

/// One visible candidate, or 404.
pub fn find(conn: &mut DbConnection, scope: &OrgScope, id: DbUuid) -> Result<Row, ModelError> {
    visible(scope)
        .filter(candidates::id.eq(id))
        .select(Row::as_select())
        .first(conn)
        .optional()?
        .ok_or(ModelError::NotFound)
}

/// Decrypts rows into DTOs, with their groups.
pub fn to_dtos(
    conn: &mut DbConnection,
    cipher: &FieldCipher,
    scope: &OrgScope,
    rows: Vec<Row>,
) -> Result<Vec<CandidateDto>, ModelError> {
    let ids: Vec<DbUuid> = rows.iter().map(|r| r.id).collect();
    let memberships: Vec<(DbUuid, DbUuid, String)> = scoped!(candidate_group_members, scope)
        .inner_join(candidate_groups::table)
        .filter(candidate_group_members::candidate_id.eq_any(ids))
        .order(candidate_groups::name.asc())
        .select((
            candidate_group_members::candidate_id,
            candidate_groups::id,
            candidate_groups::name,
        ))
        .load(conn)?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let row = r.id.to_string();
        let open = |ct: &[u8], column: &str| cipher.decrypt(ct, aad(column, &row));
        let id_number = r
            .id_number_enc
            .as_deref()
            .map(|ct| open(ct, "id_number_enc"))
            .transpose()?;
        out.push(CandidateDto {
            id: row.clone(),
            account: open(&r.account_enc, "account_enc")?,
            name: open(&r.name_enc, "name_enc")?,
            email: r
                .email_enc
                .as_deref()
                .map(|ct| open(ct, "email_enc"))
                .transpose()?,
            phone: r
                .phone_enc
                .as_deref()
                .map(|ct| open(ct, "phone_enc"))
                .transpose()?,
            id_number_masked: id_number
                .and_then(|n| IdNumber::parse(&n).ok())
                .map(|n| n.masked()),
            status: r.status.clone(),
            has_password: r.password_hash.is_some(),
            groups: memberships
                .iter()
                .filter(|(c, _, _)| *c == r.id)
                .map(|(_, id, name)| GroupRef {
                    id: id.to_string(),
                    name: name.clone(),
                })
                .collect(),
            created_at: r.created_at.to_canonical_string(),
            updated_at: r.updated_at.to_canonical_string(),
            last_login_at: r.last_login_at.map(Timestamp::to_canonical_string),
        });
    }
    Ok(out)
}

/// Those of `ids` that are candidates the scope may see (an admin's data scope).
pub fn visible_ids(
    conn: &mut DbConnection,
    scope: &OrgScope,
    ids: &[DbUuid],
) -> QueryResult<HashSet<DbUuid>> {
    let mut out = HashSet::new();
    for chunk in ids.chunks(500) {
        let found: Vec<DbUuid> = visible(scope)
            .filter(candidates::id.eq_any(chunk.to_vec()))
            .select(candidates::id)
            .load(conn)?;
        out.extend(found);
    }
    Ok(out)
}
