//! People entering an exam by open link or access code: their registration values checked
//! against the exam's form, the candidate created for them (or found again when they come
//! back), the assignment with its pre-generated paper, and the encrypted record of what they
//! entered (`exam_registrations`).
//!
//! Every value is stored only as `FieldCipher` ciphertext of the JSON object (AAD
//! `exam_registrations` / `values_enc` / row id); name, phone, email and ID number also get
//! blind indexes, so a person registering again with the same name and the same phone, email
//! or ID number gets their candidate back instead of a second one.

use std::collections::BTreeMap;

use diesel::prelude::*;
use rand::Rng;
use shared::exams::{RegistrationDto, RegistrationFieldKind, RegistrationRequest};

use super::model::{self, ExamRow};
use crate::accounts::Fields;
use crate::accounts::model::contact_index;
use crate::candidates::model::NewCandidate;
use crate::crypto::{Aad, BlindIndex, FieldCipher, IndexKind};
use crate::db::DbConnection;
use crate::db::schema::{candidates, exam_assignments, exam_registrations};
use crate::db::types::{DbUuid, Timestamp};
use crate::domain::{CandidateAccount, CnMobile, Contact, Email, IdNumber, PersonName};
use crate::errors::ApiError;
use crate::scoped;
use crate::tenancy::OrgScope;

/// Longest value of a `text` field.
const MAX_TEXT_VALUE: usize = 200;

/// A registration's values, checked and normalised.
#[derive(Debug, Clone)]
pub struct Checked {
    /// Every value by field key (normalised: E.164 phone, lower-case email, upper-case ID).
    pub values: BTreeMap<String, String>,
    pub name: PersonName,
    pub phone: Option<CnMobile>,
    pub email: Option<Email>,
    pub id_number: Option<IdNumber>,
}

/// Checks the values against the exam's registration form: every field error at once, under
/// `fields.{key}`.
pub fn check(exam: &ExamRow, input: &RegistrationRequest) -> Result<Checked, ApiError> {
    let form = &exam.settings.entry.registration_fields;
    let mut fields = Fields::default();
    for key in input.fields.keys() {
        if !form.iter().any(|f| &f.key == key) {
            fields.push(&format!("fields.{key}"), "unknown_field");
        }
    }
    let mut values = BTreeMap::new();
    let (mut name, mut phone, mut email, mut id_number) = (None, None, None, None);
    for f in form {
        let at = format!("fields.{}", f.key);
        let raw = input.fields.get(&f.key).map(|v| v.trim()).unwrap_or("");
        if raw.is_empty() {
            if f.required || f.kind == RegistrationFieldKind::Name {
                fields.push(&at, "required");
            }
            continue;
        }
        let normalised = match f.kind {
            RegistrationFieldKind::Name => fields.check(&at, PersonName::parse(raw)).map(|n| {
                let s = n.as_str().to_owned();
                name = Some(n);
                s
            }),
            RegistrationFieldKind::Phone => fields.check(&at, CnMobile::parse(raw)).map(|p| {
                let s = p.as_str().to_owned();
                phone = Some(p);
                s
            }),
            RegistrationFieldKind::Email => fields.check(&at, Email::parse(raw)).map(|e| {
                let s = e.as_str().to_owned();
                email = Some(e);
                s
            }),
            RegistrationFieldKind::IdNumber => fields.check(&at, IdNumber::parse(raw)).map(|n| {
                let s = n.as_str().to_owned();
                id_number = Some(n);
                s
            }),
            RegistrationFieldKind::Text => {
                if raw.chars().count() > MAX_TEXT_VALUE {
                    fields.push(&at, "too_long");
                    None
                } else if raw.chars().any(char::is_control) {
                    fields.push(&at, "invalid_format");
                    None
                } else {
                    Some(raw.to_owned())
                }
            }
        };
        if let Some(v) = normalised {
            values.insert(f.key.clone(), v);
        }
    }
    fields.finish()?;
    let name = name.ok_or_else(|| Fields::single("fields", "name_required"))?;
    Ok(Checked {
        values,
        name,
        phone,
        email,
        id_number,
    })
}

/// The blind indexes of a registration's identifying values.
struct Indexes {
    name: Vec<u8>,
    phone: Option<Vec<u8>>,
    email: Option<Vec<u8>>,
    id_number: Option<Vec<u8>>,
}

fn indexes(bidx: &BlindIndex, c: &Checked) -> Indexes {
    Indexes {
        name: bidx.compute(IndexKind::PersonName, c.name.as_str()),
        phone: c
            .phone
            .as_ref()
            .map(|p| contact_index(bidx, &Contact::Mobile(p.clone()))),
        email: c
            .email
            .as_ref()
            .map(|e| contact_index(bidx, &Contact::Email(e.clone()))),
        id_number: c
            .id_number
            .as_ref()
            .map(|n| bidx.compute(IndexKind::IdNumber, n.as_str())),
    }
}

/// Who registered: the candidate, and whether they were created now (false: found again).
#[derive(Debug, Clone, Copy)]
pub struct Registered {
    pub candidate: DbUuid,
    pub created: bool,
}

/// Registers a person for the exam, or finds them again: same name and the same phone, email
/// or ID number as an earlier registration for this exam. A new person becomes a candidate
/// of the organisation (name, phone, email and ID number in the candidate's encrypted
/// columns; a phone or email another candidate already has stays only in the registration,
/// since typing someone's number must never reach their account), is assigned to the exam
/// with a paper generated at once, and the registration is stored.
pub fn register(
    conn: &mut DbConnection,
    cipher: &FieldCipher,
    bidx: &BlindIndex,
    exam: &ExamRow,
    org: DbUuid,
    checked: Checked,
) -> Result<Registered, ApiError> {
    let scope = OrgScope::system(org);
    let ix = indexes(bidx, &checked);
    if let Some(candidate) = find_again(conn, &scope, exam.id, &ix)? {
        return Ok(Registered {
            candidate,
            created: false,
        });
    }
    let taken = |conn: &mut DbConnection, column: &str, index: &Option<Vec<u8>>| {
        let Some(index) = index.clone() else {
            return Ok::<_, diesel::result::Error>(false);
        };
        let q = scoped!(candidates, scope)
            .select(candidates::id)
            .into_boxed();
        let q = if column == "phone" {
            q.filter(candidates::phone_bidx.eq(index))
        } else {
            q.filter(candidates::email_bidx.eq(index))
        };
        Ok(q.first::<DbUuid>(conn).optional()?.is_some())
    };
    let phone_taken = taken(conn, "phone", &ix.phone)?;
    let email_taken = taken(conn, "email", &ix.email)?;
    let new = NewCandidate {
        account: generated_account()?,
        name: checked.name.clone(),
        email: checked.email.clone().filter(|_| !email_taken),
        phone: checked.phone.clone().filter(|_| !phone_taken),
        id_number: checked.id_number.clone(),
        password_hash: None,
        group_ids: Vec::new(),
    };
    let candidate = crate::candidates::model::insert(conn, cipher, bidx, &scope, &new)?;
    model::insert_assignment(conn, &scope, exam.id, candidate, None)?;
    crate::papers::pregenerate_for(conn, &scope, exam.paper_id, &[candidate])?;
    let id = DbUuid::new_v7();
    let json = serde_json::to_string(&checked.values).map_err(anyhow::Error::from)?;
    let values_enc = cipher.encrypt(&json, aad(&id.to_string()))?;
    diesel::insert_into(exam_registrations::table)
        .values((
            exam_registrations::id.eq(id),
            exam_registrations::org_id.eq(org),
            exam_registrations::exam_id.eq(exam.id),
            exam_registrations::candidate_id.eq(candidate),
            exam_registrations::values_enc.eq(values_enc),
            exam_registrations::name_bidx.eq(ix.name),
            exam_registrations::phone_bidx.eq(ix.phone),
            exam_registrations::email_bidx.eq(ix.email),
            exam_registrations::id_number_bidx.eq(ix.id_number),
            exam_registrations::created_at.eq(Timestamp::now()),
        ))
        .execute(conn)?;
    Ok(Registered {
        candidate,
        created: true,
    })
}

/// The candidate of an earlier registration for this exam with the same name and one of the
/// same identifying values, if they are still assigned (403 if they were disabled).
fn find_again(
    conn: &mut DbConnection,
    scope: &OrgScope,
    exam: DbUuid,
    ix: &Indexes,
) -> Result<Option<DbUuid>, ApiError> {
    if ix.phone.is_none() && ix.email.is_none() && ix.id_number.is_none() {
        return Ok(None);
    }
    let none = Vec::new;
    let found: Vec<DbUuid> = scoped!(exam_registrations, scope)
        .filter(exam_registrations::exam_id.eq(exam))
        .filter(exam_registrations::name_bidx.eq(ix.name.clone()))
        .filter(
            exam_registrations::phone_bidx
                .eq(ix.phone.clone().unwrap_or_else(none))
                .or(exam_registrations::email_bidx.eq(ix.email.clone().unwrap_or_else(none)))
                .or(exam_registrations::id_number_bidx
                    .eq(ix.id_number.clone().unwrap_or_else(none))),
        )
        .filter(
            exam_registrations::candidate_id.eq_any(
                scoped!(exam_assignments, scope)
                    .filter(exam_assignments::exam_id.eq(exam))
                    .select(exam_assignments::candidate_id),
            ),
        )
        .order(exam_registrations::created_at)
        .select(exam_registrations::candidate_id)
        .load(conn)?;
    let Some(candidate) = found.first().copied() else {
        return Ok(None);
    };
    let status: String = scoped!(candidates, scope)
        .filter(candidates::id.eq(candidate))
        .select(candidates::status)
        .first(conn)?;
    if status != "active" {
        // A disabled candidate does not get back in by registering again.
        return Err(ApiError::Forbidden);
    }
    Ok(Some(candidate))
}

/// An account for a registered person: `reg-` and 12 random characters (they never sign in
/// with it; they come back through the exam's link or code).
fn generated_account() -> Result<CandidateAccount, ApiError> {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyz23456789";
    let mut rng = rand::rng();
    let tail: String = (0..12)
        .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
        .collect();
    CandidateAccount::parse(&format!("reg-{tail}"))
        .map_err(|_| ApiError::Internal(anyhow::anyhow!("generated account invalid")))
}

fn aad(row_id: &str) -> Aad<'_> {
    Aad {
        table: "exam_registrations",
        column: "values_enc",
        row_id,
    }
}

/// The exam's registrations, decrypted, oldest first; only those of candidates the scope may
/// see.
pub fn list(
    conn: &mut DbConnection,
    cipher: &FieldCipher,
    scope: &OrgScope,
    exam: DbUuid,
) -> Result<Vec<RegistrationDto>, ApiError> {
    let rows: Vec<(DbUuid, DbUuid, Vec<u8>, Timestamp)> = scoped!(exam_registrations, scope)
        .filter(exam_registrations::exam_id.eq(exam))
        .order(exam_registrations::created_at)
        .select((
            exam_registrations::id,
            exam_registrations::candidate_id,
            exam_registrations::values_enc,
            exam_registrations::created_at,
        ))
        .load(conn)?;
    let ids: Vec<DbUuid> = rows.iter().map(|r| r.1).collect();
    let visible = super::entry::visible_ids(conn, scope, &ids)?;
    rows.into_iter()
        .filter(|r| visible.contains(&r.1))
        .map(|(id, candidate, enc, created_at)| {
            let row = id.to_string();
            let json = cipher.decrypt(&enc, aad(&row))?;
            let fields: BTreeMap<String, String> =
                serde_json::from_str(&json).map_err(anyhow::Error::from)?;
            Ok(RegistrationDto {
                id: row,
                candidate_id: candidate.to_string(),
                fields,
                created_at: created_at.to_canonical_string(),
            })
        })
        .collect()
}
