//! People entering an exam by open link or access code: their registration values checked
//! against the exam's form, the candidate created for them (or found again when they come
//! back), the assignment with its pre-generated paper, and the encrypted record of what they
//! entered (`exam_registrations`).
//!
//! Every value is stored only as `FieldCipher` ciphertext of the JSON object (AAD
//! `exam_registrations` / `values_enc` / row id); name, phone, email and ID number also get
//! blind indexes, so a person registering again with the same name and the same phone, email
//! or ID number is recognised. Recognised is not proved: they get their candidate back only
//! with the resume token of their first registration or a code sent to the contact they
//! registered (`portal/entry.rs` checks either); otherwise 409 `registration_exists`.

use std::collections::BTreeMap;

use diesel::prelude::*;
use rand::Rng;
use shared::exams::{
    RegistrationDto, RegistrationExists, RegistrationFieldKind, RegistrationRequest,
};

use super::model::{self, ExamRow};
use crate::accounts::model::contact_index;
use crate::candidates::model::NewCandidate;
use crate::crypto::{Aad, BlindIndex, FieldCipher, IndexKind};
use crate::db::DbConnection;
use crate::db::schema::{candidates, exam_assignments, exam_registrations};
use crate::db::types::{DbUuid, Timestamp};
use crate::domain::{CandidateAccount, CnMobile, Contact, Email, IdNumber, PersonName};
use crate::errors::ApiError;
use crate::http::Fields;
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

/// Who registered: the candidate, whether they were created now (false: found again), and
/// for a new registration the resume token to hand them (shown once, stored only as a MAC).
#[derive(Debug, Clone)]
pub struct Registered {
    pub candidate: DbUuid,
    pub created: bool,
    pub resume_token: Option<String>,
}

/// An earlier registration for the exam that the values match (same name, and the same
/// phone, email or ID number).
#[derive(Debug, Clone)]
pub struct Earlier {
    id: DbUuid,
    pub candidate: DbUuid,
    token_hash: Option<Vec<u8>>,
    values_enc: Vec<u8>,
}

/// An [`Earlier`] as selected: id, candidate, resume token MAC, values.
type EarlierRow = (DbUuid, DbUuid, Option<Vec<u8>>, Vec<u8>);

/// How a returning registrant proved who they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Proof {
    /// Nothing: a match answers 409 `registration_exists`.
    None,
    /// The resume token or the code passed for this earlier registration's candidate.
    Proved(DbUuid),
}

/// Registers a person for the exam, or finds them again when they proved they registered
/// before. A match without `proof` for it answers 409 `registration_exists` and signs nobody
/// in: typing someone's name and phone must never open their exam.
///
/// A new person becomes a candidate of the organisation with their name and ID number, but
/// never the phone or email they typed: those are unverified, and a candidate's own contact
/// columns are used for code sign-in and notifications, so they stay in the registration
/// only. The candidate is assigned with a paper generated at once, and the registration is
/// stored with the MAC of a fresh resume token.
pub fn register(
    conn: &mut DbConnection,
    cipher: &FieldCipher,
    bidx: &BlindIndex,
    exam: &ExamRow,
    org: DbUuid,
    checked: Checked,
    proof: Proof,
) -> Result<Registered, ApiError> {
    let scope = OrgScope::system(org);
    let ix = indexes(bidx, &checked);
    let earlier = find_again(conn, &scope, exam.id, &ix)?;
    if let Some(first) = earlier.first() {
        let proved = match proof {
            Proof::Proved(candidate) => earlier.iter().find(|e| e.candidate == candidate),
            Proof::None => None,
        };
        let Some(proved) = proved else {
            return Err(exists(cipher, exam, first));
        };
        let status: String = scoped!(candidates, scope)
            .filter(candidates::id.eq(proved.candidate))
            .select(candidates::status)
            .first(conn)?;
        if status != "active" {
            // A disabled candidate does not get back in by registering again.
            return Err(ApiError::Forbidden);
        }
        return Ok(Registered {
            candidate: proved.candidate,
            created: false,
            resume_token: None,
        });
    }
    let new = NewCandidate {
        account: generated_account()?,
        name: checked.name.clone(),
        email: None,
        phone: None,
        id_number: checked.id_number.clone(),
        password_hash: None,
        group_ids: Vec::new(),
    };
    let candidate = crate::candidates::model::insert(conn, cipher, bidx, &scope, &new)?;
    model::insert_assignment(conn, &scope, exam.id, candidate, None)?;
    crate::papers::instances::pregenerate_for(conn, &scope, exam.paper_id, &[candidate])?;
    let id = DbUuid::new_v7();
    let json = serde_json::to_string(&checked.values).map_err(anyhow::Error::from)?;
    let values_enc = cipher.encrypt(&json, aad(&id.to_string()))?;
    let token = resume_token::generate();
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
            exam_registrations::resume_token_hash.eq(Some(resume_token::mac(bidx, id, &token))),
        ))
        .execute(conn)?;
    Ok(Registered {
        candidate,
        created: true,
        resume_token: Some(resume_token::display(&token)),
    })
}

/// The 409 for a match without proof. Its details have the same shape whichever value
/// matched, and name the code's destination only as a masked hint.
fn exists(cipher: &FieldCipher, exam: &ExamRow, earlier: &Earlier) -> ApiError {
    // A registration that cannot be decrypted still answers the 409 (without a code).
    let contact = registered_contact(cipher, exam, earlier).unwrap_or(None);
    ApiError::RegistrationExists(RegistrationExists {
        can_send_code: contact.is_some(),
        contact_hint: contact.map(|c| c.masked()),
    })
}

/// The earlier registrations these values match, oldest first (the values as the person
/// typed them now; nothing about them is trusted yet).
pub fn matching(
    conn: &mut DbConnection,
    bidx: &BlindIndex,
    exam: DbUuid,
    org: DbUuid,
    checked: &Checked,
) -> Result<Vec<Earlier>, ApiError> {
    find_again(conn, &OrgScope::system(org), exam, &indexes(bidx, checked))
}

/// Whether `token` is the resume token of one of `earlier`: that registration's candidate.
pub fn check_resume_token(bidx: &BlindIndex, earlier: &[Earlier], token: &str) -> Option<DbUuid> {
    let token = resume_token::normalise(token)?;
    earlier.iter().find_map(|e| {
        let stored = e.token_hash.as_deref()?;
        let mac = resume_token::mac(bidx, e.id, &token);
        bool::from(subtle::ConstantTimeEq::ct_eq(mac.as_slice(), stored)).then_some(e.candidate)
    })
}

/// The contact a returning registrant's code goes to: the phone, else the email, that the
/// earlier registration gave (by the form's field kinds). `None` when it gave neither.
pub fn registered_contact(
    cipher: &FieldCipher,
    exam: &ExamRow,
    earlier: &Earlier,
) -> Result<Option<Contact>, ApiError> {
    let json = cipher.decrypt(&earlier.values_enc, aad(&earlier.id.to_string()))?;
    let values: BTreeMap<String, String> =
        serde_json::from_str(&json).map_err(anyhow::Error::from)?;
    let form = &exam.settings.entry.registration_fields;
    let of_kind = |kind: RegistrationFieldKind| {
        form.iter()
            .filter(|f| f.kind == kind)
            .find_map(|f| values.get(&f.key))
    };
    let phone = of_kind(RegistrationFieldKind::Phone)
        .and_then(|p| CnMobile::parse(p).ok())
        .map(Contact::Mobile);
    let email = || {
        of_kind(RegistrationFieldKind::Email)
            .and_then(|e| Email::parse(e).ok())
            .map(Contact::Email)
    };
    Ok(phone.or_else(email))
}

/// The earlier registrations for this exam with the same name and one of the same
/// identifying values whose candidates are still assigned, oldest first.
fn find_again(
    conn: &mut DbConnection,
    scope: &OrgScope,
    exam: DbUuid,
    ix: &Indexes,
) -> Result<Vec<Earlier>, ApiError> {
    if ix.phone.is_none() && ix.email.is_none() && ix.id_number.is_none() {
        return Ok(Vec::new());
    }
    let none = Vec::new;
    let found: Vec<EarlierRow> = scoped!(exam_registrations, scope)
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
        .select((
            exam_registrations::id,
            exam_registrations::candidate_id,
            exam_registrations::resume_token_hash,
            exam_registrations::values_enc,
        ))
        .load(conn)?;
    Ok(found
        .into_iter()
        .map(|(id, candidate, token_hash, values_enc)| Earlier {
            id,
            candidate,
            token_hash,
            values_enc,
        })
        .collect())
}

/// Resume tokens: 28 characters of a 32-letter alphabet without look-alikes (140 bits from
/// the OS's CSPRNG), shown in groups of four; typed back in any case, with or without the
/// dashes and spaces.
mod resume_token {
    use rand::Rng;

    use crate::crypto::{BlindIndex, IndexKind};
    use crate::db::types::DbUuid;

    const ALPHABET: &[u8; 32] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    const LEN: usize = 28;

    pub fn generate() -> String {
        let mut rng = rand::rng();
        (0..LEN)
            .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
            .collect()
    }

    /// `ABCD-EFGH-…`.
    pub fn display(token: &str) -> String {
        token
            .as_bytes()
            .chunks(4)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join("-")
    }

    /// The token as generated, or `None` if it cannot be one.
    pub fn normalise(typed: &str) -> Option<String> {
        let token: String = typed
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .map(|c| c.to_ascii_uppercase())
            .collect();
        (token.len() == LEN && token.bytes().all(|b| ALPHABET.contains(&b))).then_some(token)
    }

    /// The stored form, bound to the registration row (so to its exam and candidate).
    pub fn mac(bidx: &BlindIndex, registration: DbUuid, token: &str) -> Vec<u8> {
        bidx.compute(IndexKind::ResumeToken, &format!("{registration}:{token}"))
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn a_displayed_token_normalises_back_and_junk_does_not() {
            let token = generate();
            assert_eq!(token.len(), LEN);
            let shown = display(&token);
            assert_eq!(shown.len(), LEN + LEN / 4 - 1);
            assert_eq!(normalise(&shown).as_deref(), Some(token.as_str()));
            assert_eq!(
                normalise(&format!(" {} ", shown.to_lowercase())).as_deref(),
                Some(token.as_str())
            );
            assert_eq!(normalise(&token[1..]), None);
            assert_eq!(normalise(&token.replace(&token[..1], "0")), None);
            assert_ne!(generate(), generate());
        }
    }
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
    let visible = crate::candidates::model::visible_ids(conn, scope, &ids)?;
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
