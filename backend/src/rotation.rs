//! Key rotation: add an encryption key, make it the primary key, and re-encrypt every stored
//! ciphertext under it.
//!
//! Operator procedure (README "Rotating encryption keys"):
//! 1. `examcloud rotate-keys --add-key` adds key N+1 to the key file as the primary key.
//! 2. Give every node the new key file and restart them: they now encrypt under N+1 and still
//!    read everything under older keys.
//! 3. `examcloud rotate-keys` re-encrypts every row still under an older key. It works in small
//!    batches, each in its own transaction, and only replaces a value that has not changed
//!    since it was read, so it runs beside live traffic; interrupted, it is simply run again
//!    and continues with what is left. When it reports nothing left, older keys may be retired.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Binary};

use crate::crypto::{Aad, FieldCipher};
use crate::db::DbConnection;
use crate::db::types::{DbUuid, sql};

/// Every encrypted column: (table, column). Each table's `id` is the row id in the AAD.
///
/// Encrypted columns are exactly the columns of `db/schema.rs` whose name ends in `_enc`;
/// a test reads the schema and fails when one is missing here (or listed but gone), so a new
/// encrypted column cannot be forgotten by the rotation (retiring an old key would then break
/// every read of it).
pub const ENCRYPTED_COLUMNS: &[(&str, &str)] = &[
    ("users", "login_account_enc"),
    ("users", "email_enc"),
    ("users", "phone_enc"),
    ("users", "display_name_enc"),
    ("staff", "login_account_enc"),
    ("staff", "display_name_enc"),
    ("candidates", "account_enc"),
    ("candidates", "name_enc"),
    ("candidates", "email_enc"),
    ("candidates", "phone_enc"),
    ("candidates", "id_number_enc"),
    ("sessions", "device_enc"),
    ("audit_log", "pii_enc"),
    ("notification_outbox", "destination_enc"),
    ("notification_outbox", "content_enc"),
    ("exam_registrations", "values_enc"),
    ("attempts", "last_ip_enc"),
    ("attempt_events", "detail_enc"),
    ("attempt_events", "ip_enc"),
    ("certificates", "holder_name_enc"),
];

#[derive(QueryableByName)]
struct Stored {
    #[diesel(sql_type = sql::Uuid)]
    id: DbUuid,
    #[diesel(sql_type = Binary)]
    ciphertext: Vec<u8>,
}

/// What a run did, per column.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RotationReport {
    /// (table, column, rows re-encrypted in this run, rows still under an older key).
    pub columns: Vec<(String, String, u64, u64)>,
    /// False when the run stopped at `max_rows` before the end.
    pub complete: bool,
}

impl RotationReport {
    pub fn reencrypted(&self) -> u64 {
        self.columns.iter().map(|c| c.2).sum()
    }
}

fn placeholders(conn: &DbConnection) -> [&'static str; 3] {
    match conn {
        DbConnection::Pg(_) => ["$1", "$2", "$3"],
        DbConnection::Sqlite(_) => ["?", "?", "?"],
    }
}

/// Re-encrypts up to `max_rows` values (all when `None`) that are not under the primary key.
pub fn reencrypt_all(
    conn: &mut DbConnection,
    cipher: &FieldCipher,
    batch_size: i64,
    max_rows: Option<u64>,
) -> anyhow::Result<RotationReport> {
    let mut report = RotationReport {
        complete: true,
        ..Default::default()
    };
    let mut budget = max_rows;
    for &(table, column) in ENCRYPTED_COLUMNS {
        let [p1, p2, p3] = placeholders(conn);
        let select = format!(
            "SELECT id, {column} AS ciphertext FROM {table} \
             WHERE {column} IS NOT NULL AND id > {p1} ORDER BY id LIMIT {p2}"
        );
        let update =
            format!("UPDATE {table} SET {column} = {p1} WHERE id = {p2} AND {column} = {p3}");
        let mut cursor = DbUuid(uuid::Uuid::nil());
        let mut done = 0u64;
        'batches: loop {
            let rows: Vec<Stored> = diesel::sql_query(&select)
                .bind::<sql::Uuid, _>(cursor)
                .bind::<BigInt, _>(batch_size.max(1))
                .load(conn)?;
            let Some(last) = rows.last() else { break };
            cursor = last.id;
            let fetched = rows.len();
            let mut stopped = false;
            crate::db::transaction(conn, |conn| {
                for row in &rows {
                    if budget == Some(0) {
                        stopped = true;
                        break;
                    }
                    let row_id = row.id.to_string();
                    let aad = Aad {
                        table,
                        column,
                        row_id: &row_id,
                    };
                    let fresh = cipher
                        .reencrypt(&row.ciphertext, aad)
                        .map_err(|e| anyhow::anyhow!("{table}.{column} row {row_id}: {e}"))?;
                    if let Some(fresh) = fresh {
                        // Only if unchanged since read: a concurrent write wins.
                        let changed = diesel::sql_query(&update)
                            .bind::<Binary, _>(fresh)
                            .bind::<sql::Uuid, _>(row.id)
                            .bind::<Binary, _>(&row.ciphertext)
                            .execute(conn)?;
                        done += changed as u64;
                        if let Some(b) = budget.as_mut() {
                            *b -= 1;
                        }
                    }
                }
                Ok::<_, anyhow::Error>(())
            })?;
            if stopped {
                report.complete = false;
                break 'batches;
            }
            if (fetched as i64) < batch_size {
                break;
            }
        }
        let remaining = count_not_primary(conn, cipher, table, column)?;
        report
            .columns
            .push((table.to_owned(), column.to_owned(), done, remaining));
        if !report.complete {
            break;
        }
    }
    Ok(report)
}

/// How many values of a column are not under the primary key.
pub fn count_not_primary(
    conn: &mut DbConnection,
    cipher: &FieldCipher,
    table: &str,
    column: &str,
) -> anyhow::Result<u64> {
    let rows: Vec<Stored> = diesel::sql_query(format!(
        "SELECT id, {column} AS ciphertext FROM {table} WHERE {column} IS NOT NULL"
    ))
    .load(conn)?;
    let primary = cipher.primary_key_id();
    Ok(rows
        .iter()
        .filter(|r| crate::crypto::key_id_of(&r.ciphertext) != Ok(primary))
        .count() as u64)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::ENCRYPTED_COLUMNS;

    /// The `(table, column)` pairs of every `*_enc` column declared in `db/schema.rs`.
    fn encrypted_columns_of_the_schema(schema: &str) -> BTreeSet<(String, String)> {
        let mut out = BTreeSet::new();
        let mut table: Option<String> = None;
        for line in schema.lines().map(str::trim) {
            if line.starts_with("//") {
                continue;
            }
            // A table's body opens with `name (id) {`.
            if let Some((name, rest)) = line.split_once(' ')
                && rest.starts_with('(')
                && line.ends_with('{')
                && name.chars().all(|c| c.is_ascii_lowercase() || c == '_')
            {
                table = Some(name.to_owned());
                continue;
            }
            if line == "}" {
                table = None;
                continue;
            }
            if let (Some(t), Some((column, _))) = (&table, line.split_once(" -> "))
                && column.ends_with("_enc")
            {
                out.insert((t.clone(), column.to_owned()));
            }
        }
        out
    }

    #[test]
    fn the_rotation_covers_every_encrypted_column_of_the_schema() {
        let schema = encrypted_columns_of_the_schema(include_str!("db/schema.rs"));
        let listed: BTreeSet<(String, String)> = ENCRYPTED_COLUMNS
            .iter()
            .map(|(t, c)| ((*t).to_owned(), (*c).to_owned()))
            .collect();
        assert!(
            schema.len() >= 15,
            "the schema parser found too little: {schema:?}"
        );
        let missing: Vec<_> = schema.difference(&listed).collect();
        let stale: Vec<_> = listed.difference(&schema).collect();
        assert!(
            missing.is_empty(),
            "encrypted columns the rotation misses: {missing:?}"
        );
        assert!(
            stale.is_empty(),
            "listed for rotation but not in the schema: {stale:?}"
        );
    }

    #[test]
    fn the_schema_parser_sees_a_new_encrypted_column() {
        let schema = "diesel::table! {\n    use x;\n\n    /// Doc.\n    things (id) {\n        id -> Uuid,\n        secret_enc -> Binary,\n        plain -> Text,\n    }\n}\n";
        let found = encrypted_columns_of_the_schema(schema);
        assert_eq!(
            found.into_iter().collect::<Vec<_>>(),
            vec![("things".to_owned(), "secret_enc".to_owned())]
        );
    }
}
