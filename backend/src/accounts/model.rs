//! Organisations and their accounts in the database. Personal fields are encrypted with
//! [`FieldCipher`] (AAD: table, column, row id) and found through blind indexes.

use diesel::prelude::*;
use rand::Rng;

use crate::crypto::{Aad, BlindIndex, FieldCipher, IndexKind};
use crate::db::DbConnection;
use crate::db::schema::{orgs, users};
use crate::db::types::{DbUuid, Timestamp};
use crate::domain::{Contact, LoginAccount};

/// How someone names their account when signing in.
#[derive(Debug, Clone)]
pub enum Identifier {
    Contact(Contact),
    Account(LoginAccount),
}

impl Identifier {
    /// Anything with `@` is an email; anything made of digits and phone punctuation is a phone
    /// number; otherwise a login account. `None` if it is none of them.
    pub fn parse(input: &str) -> Option<Identifier> {
        if let Ok(contact) = Contact::parse(input) {
            return Some(Identifier::Contact(contact));
        }
        LoginAccount::parse(input).ok().map(Identifier::Account)
    }

    /// The blind index of the identifier (also the throttling key).
    pub fn index(&self, bidx: &BlindIndex) -> Vec<u8> {
        match self {
            Identifier::Contact(c) => contact_index(bidx, c),
            Identifier::Account(a) => bidx.compute(IndexKind::LoginAccount, a.as_str()),
        }
    }
}

pub fn contact_index(bidx: &BlindIndex, contact: &Contact) -> Vec<u8> {
    match contact {
        Contact::Email(e) => bidx.compute(IndexKind::Email, &e.lookup_key()),
        Contact::Mobile(m) => bidx.compute(IndexKind::Phone, m.as_str()),
    }
}

/// The fields of a user needed to sign in.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct Credentials {
    pub id: DbUuid,
    pub org_id: DbUuid,
    pub password_hash: String,
    pub status: String,
}

/// Finds the account an identifier names.
pub fn find_credentials(
    conn: &mut DbConnection,
    bidx: &BlindIndex,
    who: &Identifier,
) -> QueryResult<Option<Credentials>> {
    let index = who.index(bidx);
    let query = users::table.select(Credentials::as_select()).into_boxed();
    let query = match who {
        Identifier::Contact(Contact::Email(_)) => query.filter(users::email_bidx.eq(index)),
        Identifier::Contact(Contact::Mobile(_)) => query.filter(users::phone_bidx.eq(index)),
        Identifier::Account(_) => query.filter(users::login_account_bidx.eq(index)),
    };
    query.first(conn).optional()
}

/// Whether an email address or phone number already belongs to an account.
pub fn contact_registered(
    conn: &mut DbConnection,
    bidx: &BlindIndex,
    contact: &Contact,
) -> QueryResult<bool> {
    Ok(find_credentials(conn, bidx, &Identifier::Contact(contact.clone()))?.is_some())
}

/// A new organisation with its owner, as validated input.
pub struct NewOrg<'a> {
    pub name: &'a str,
    pub contact: &'a Contact,
    pub password_hash: String,
}

fn random_slug() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyz23456789";
    let mut rng = rand::rng();
    (0..10)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
}

/// Creates the organisation and its owner account; returns (org id, user id).
pub fn insert_org_with_owner(
    conn: &mut DbConnection,
    cipher: &FieldCipher,
    bidx: &BlindIndex,
    new: NewOrg<'_>,
) -> anyhow::Result<(DbUuid, DbUuid)> {
    let now = Timestamp::now();
    let org_id = DbUuid::new_v7();
    let user_id = DbUuid::new_v7();
    diesel::insert_into(orgs::table)
        .values((
            orgs::id.eq(org_id),
            orgs::slug.eq(random_slug()),
            orgs::name.eq(new.name),
            orgs::status.eq("active"),
            orgs::created_at.eq(now),
            orgs::updated_at.eq(now),
        ))
        .execute(conn)?;
    let row_id = user_id.to_string();
    let enc = |column: &str, value: &str| {
        cipher.encrypt(
            value,
            Aad {
                table: "users",
                column,
                row_id: &row_id,
            },
        )
    };
    let index = contact_index(bidx, new.contact);
    let (email_enc, email_bidx, phone_enc, phone_bidx) = match new.contact {
        Contact::Email(e) => (Some(enc("email_enc", e.as_str())?), Some(index), None, None),
        Contact::Mobile(m) => (None, None, Some(enc("phone_enc", m.as_str())?), Some(index)),
    };
    diesel::insert_into(users::table)
        .values((
            users::id.eq(user_id),
            users::org_id.eq(org_id),
            users::role.eq("owner"),
            users::email_enc.eq(email_enc),
            users::email_bidx.eq(email_bidx),
            users::phone_enc.eq(phone_enc),
            users::phone_bidx.eq(phone_bidx),
            users::password_hash.eq(new.password_hash),
            users::status.eq("active"),
            users::created_at.eq(now),
            users::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok((org_id, user_id))
}

/// role, email, phone, org name, slug, permissions.
type MeRow = (
    String,
    Option<Vec<u8>>,
    Option<Vec<u8>>,
    String,
    String,
    String,
);

/// The signed-in account's profile, decrypted and masked for display.
pub fn load_me(
    conn: &mut DbConnection,
    cipher: &FieldCipher,
    user_id: DbUuid,
    org_id: DbUuid,
) -> anyhow::Result<shared::accounts::MeResponse> {
    use crate::domain::{CnMobile, Email};
    let (role, email_enc, phone_enc, org_name, slug, permissions): MeRow = users::table
        .inner_join(orgs::table)
        .filter(users::id.eq(user_id))
        .filter(users::org_id.eq(org_id))
        .select((
            users::role,
            users::email_enc,
            users::phone_enc,
            orgs::name,
            orgs::slug,
            users::permissions,
        ))
        .first(conn)?;
    let permissions = shared::access::OrgRole::parse(&role)
        .map(|r| crate::tenancy::permissions_of(r, &permissions))
        .unwrap_or_default();
    let row_id = user_id.to_string();
    let dec = |column: &str, ct: &[u8]| {
        cipher.decrypt(
            ct,
            Aad {
                table: "users",
                column,
                row_id: &row_id,
            },
        )
    };
    let email = email_enc
        .map(|ct| dec("email_enc", &ct))
        .transpose()?
        .and_then(|e| Email::parse(&e).ok())
        .map(|e| e.masked());
    let phone = phone_enc
        .map(|ct| dec("phone_enc", &ct))
        .transpose()?
        .and_then(|p| CnMobile::parse(&p).ok())
        .map(|p| p.masked());
    Ok(shared::accounts::MeResponse {
        user_id: user_id.to_string(),
        role,
        org: shared::accounts::OrgSummary {
            id: org_id.to_string(),
            name: org_name,
            slug,
        },
        email,
        phone,
        permissions,
        consent_required: crate::privacy::consent::required(
            conn,
            crate::privacy::consent::Subject::User {
                org: org_id,
                id: user_id,
            },
        )?,
    })
}
