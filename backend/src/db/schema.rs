//! The database schema, written by hand (diesel's CLI would print engine-specific types; ours
//! are the engine-neutral ones from [`super::types::sql`]). Keep it in step with both
//! `migrations/postgres` and `migrations/sqlite`.

diesel::table! {
    use diesel::sql_types::{Integer, Text};
    use crate::db::types::sql::{Instant, Uuid};

    /// Fingerprints of the keys this database's data depends on. A node whose key file does not
    /// match refuses to start, instead of writing data no other node can read.
    key_fingerprints (id) {
        id -> Uuid,
        purpose -> Text,
        key_id -> Integer,
        fingerprint -> Text,
        created_at -> Instant,
    }
}
