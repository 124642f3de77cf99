//! Staff accounts in the database.

use diesel::prelude::*;
use shared::access::StaffRole;

use crate::crypto::{Aad, BlindIndex, FieldCipher, IndexKind};
use crate::db::DbConnection;
use crate::db::schema::staff;
use crate::db::types::{DbUuid, Timestamp};
use crate::domain::{LoginAccount, PersonName};

pub fn account_index(bidx: &BlindIndex, account: &LoginAccount) -> Vec<u8> {
    bidx.compute(
        IndexKind::LoginAccount,
        &format!("staff:{}", account.as_str()),
    )
}

/// Creates a staff account (the CLI's `create-staff`). A taken account is a unique violation.
pub fn insert(
    conn: &mut DbConnection,
    cipher: &FieldCipher,
    bidx: &BlindIndex,
    account: &LoginAccount,
    name: Option<&PersonName>,
    role: StaffRole,
    password_hash: &str,
) -> anyhow::Result<DbUuid> {
    let id = DbUuid::new_v7();
    let row = id.to_string();
    let aad = |column| Aad {
        table: "staff",
        column,
        row_id: &row,
    };
    let now = Timestamp::now();
    diesel::insert_into(staff::table)
        .values((
            staff::id.eq(id),
            staff::role.eq(role.as_str()),
            staff::login_account_enc
                .eq(cipher.encrypt(account.as_str(), aad("login_account_enc"))?),
            staff::login_account_bidx.eq(account_index(bidx, account)),
            staff::display_name_enc.eq(name
                .map(|n| cipher.encrypt(n.as_str(), aad("display_name_enc")))
                .transpose()?),
            staff::password_hash.eq(password_hash),
            staff::status.eq("active"),
            staff::created_at.eq(now),
            staff::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(id)
}

/// (id, password hash, status) of the staff member with this account.
pub fn find(
    conn: &mut DbConnection,
    bidx: &BlindIndex,
    account: &LoginAccount,
) -> QueryResult<Option<(DbUuid, String, String)>> {
    staff::table
        .filter(staff::login_account_bidx.eq(account_index(bidx, account)))
        .select((staff::id, staff::password_hash, staff::status))
        .first(conn)
        .optional()
}
