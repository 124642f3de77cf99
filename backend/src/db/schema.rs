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

diesel::table! {
    use diesel::sql_types::{BigInt, Binary, Nullable, Text};
    use crate::db::types::sql::{Instant, Uuid};

    /// The append-only, hash-chained audit log (see `crate::audit`).
    audit_log (seq) {
        seq -> BigInt,
        id -> Uuid,
        occurred_at -> Instant,
        org_id -> Nullable<Uuid>,
        actor_kind -> Text,
        actor_id -> Nullable<Uuid>,
        action -> Text,
        target_kind -> Nullable<Text>,
        target_id -> Nullable<Text>,
        outcome -> Text,
        request_id -> Nullable<Text>,
        details -> Text,
        pii_enc -> Nullable<Binary>,
        pii_digest -> Text,
        prev_hash -> Text,
        hash -> Text,
    }
}

diesel::table! {
    use diesel::sql_types::{BigInt, Integer, Text};

    /// The single row holding the last sequence number and hash of the audit chain.
    audit_chain_head (id) {
        id -> Integer,
        last_seq -> BigInt,
        last_hash -> Text,
    }
}

diesel::table! {
    use diesel::sql_types::{Binary, Integer, Nullable, Text};
    use crate::db::types::sql::{Instant, Uuid};

    /// Queued email and SMS, delivered by the outbox worker (see `crate::notifications`).
    notification_outbox (id) {
        id -> Uuid,
        org_id -> Nullable<Uuid>,
        channel -> Text,
        template -> Text,
        destination_enc -> Binary,
        content_enc -> Binary,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Instant,
        locked_until -> Nullable<Instant>,
        last_error -> Nullable<Text>,
        created_at -> Instant,
        sent_at -> Nullable<Instant>,
    }
}
