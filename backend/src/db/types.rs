//! Column types that mean the same on SQLite and PostgreSQL: UUIDs, instants and JSON.
//!
//! PostgreSQL stores them natively (`uuid`, `timestamptz`, `jsonb`); SQLite stores them as
//! `TEXT` in a canonical form chosen so that text order is value order (hyphenated lowercase
//! UUIDs — UUIDv7 sorts by creation time — and RFC 3339 UTC instants with exactly six fractional
//! digits). Each Rust type is a newtype so the diesel derives apply; both engines and the
//! multi-engine backend get `ToSql`/`FromSql`.

use chrono::{DateTime, SubsecRound, Utc};
use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql, FromSqlRow};
use diesel::expression::AsExpression;
use diesel::pg::Pg;
use diesel::serialize::{self, IsNull, Output, ToSql};
use diesel::sql_types::{HasSqlType, Text};
use diesel::sqlite::Sqlite;
use serde::{Deserialize, Serialize};

use super::MultiBackend;

/// The SQL types. PostgreSQL OIDs are the built-in ones, so no per-connection type lookup.
pub mod sql {
    use diesel::sql_types::SqlType;

    /// `uuid` / `TEXT`.
    #[derive(Debug, Clone, Copy, Default, SqlType, diesel::query_builder::QueryId)]
    #[diesel(postgres_type(oid = 2950, array_oid = 2951))]
    #[diesel(sqlite_type(name = "Text"))]
    pub struct Uuid;

    /// `timestamptz` / `TEXT`. (Not named `Timestamp`: diesel's `table!` treats that name as its
    /// own date-time type and expects arithmetic on it.)
    #[derive(Debug, Clone, Copy, Default, SqlType, diesel::query_builder::QueryId)]
    #[diesel(postgres_type(oid = 1184, array_oid = 1185))]
    #[diesel(sqlite_type(name = "Text"))]
    pub struct Instant;

    /// `jsonb` / `TEXT`.
    #[derive(Debug, Clone, Copy, Default, SqlType, diesel::query_builder::QueryId)]
    #[diesel(postgres_type(oid = 3802, array_oid = 3807))]
    #[diesel(sqlite_type(name = "Text"))]
    pub struct Json;
}

/// A UUID column value. New ids are UUIDv7: time-ordered, so inserts stay index-friendly.
// The serde derive stands apart, beside its attribute: one list would be laid out a line a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, AsExpression, FromSqlRow)]
#[diesel(sql_type = sql::Uuid)]
#[derive(Serialize, Deserialize)]
#[serde(transparent)]
pub struct DbUuid(pub uuid::Uuid);

impl DbUuid {
    /// A fresh UUIDv7.
    pub fn new_v7() -> DbUuid {
        DbUuid(uuid::Uuid::now_v7())
    }
}

impl From<uuid::Uuid> for DbUuid {
    fn from(id: uuid::Uuid) -> Self {
        DbUuid(id)
    }
}

impl std::fmt::Display for DbUuid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.hyphenated().fmt(f)
    }
}

/// An instant in UTC with microsecond precision (PostgreSQL's), so a value reads back equal to
/// what was written on both engines.
// The serde derive stands apart, beside its attribute: one list would be laid out a line a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, AsExpression, FromSqlRow)]
#[diesel(sql_type = sql::Instant)]
#[derive(Serialize, Deserialize)]
#[serde(transparent)]
pub struct Timestamp(pub DateTime<Utc>);

impl Timestamp {
    pub fn now() -> Timestamp {
        Timestamp::from(Utc::now())
    }

    /// The canonical text form: RFC 3339 UTC with exactly six fractional digits (SQLite storage,
    /// and hashing, e.g. in the audit chain).
    pub fn to_canonical_string(self) -> String {
        self.0.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
    }
}

impl From<DateTime<Utc>> for Timestamp {
    fn from(t: DateTime<Utc>) -> Self {
        Timestamp(t.trunc_subsecs(6))
    }
}

/// A JSON document column value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, AsExpression, FromSqlRow)]
#[diesel(sql_type = sql::Json)]
#[serde(transparent)]
pub struct JsonValue(pub serde_json::Value);

// ---- PostgreSQL: delegate to diesel's native impls. ----

impl ToSql<sql::Uuid, Pg> for DbUuid {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
        <uuid::Uuid as ToSql<diesel::sql_types::Uuid, Pg>>::to_sql(&self.0, out)
    }
}

impl FromSql<sql::Uuid, Pg> for DbUuid {
    fn from_sql(bytes: <Pg as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
        <uuid::Uuid as FromSql<diesel::sql_types::Uuid, Pg>>::from_sql(bytes).map(DbUuid)
    }
}

impl ToSql<sql::Instant, Pg> for Timestamp {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
        <DateTime<Utc> as ToSql<diesel::sql_types::Timestamptz, Pg>>::to_sql(&self.0, out)
    }
}

impl FromSql<sql::Instant, Pg> for Timestamp {
    fn from_sql(bytes: <Pg as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
        <DateTime<Utc> as FromSql<diesel::sql_types::Timestamptz, Pg>>::from_sql(bytes)
            .map(Timestamp)
    }
}

impl ToSql<sql::Json, Pg> for JsonValue {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
        <serde_json::Value as ToSql<diesel::sql_types::Jsonb, Pg>>::to_sql(&self.0, out)
    }
}

impl FromSql<sql::Json, Pg> for JsonValue {
    fn from_sql(bytes: <Pg as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
        <serde_json::Value as FromSql<diesel::sql_types::Jsonb, Pg>>::from_sql(bytes).map(JsonValue)
    }
}

// ---- SQLite: canonical text. ----

fn sqlite_text(bytes: <Sqlite as Backend>::RawValue<'_>) -> deserialize::Result<String> {
    <String as FromSql<Text, Sqlite>>::from_sql(bytes)
}

impl ToSql<sql::Uuid, Sqlite> for DbUuid {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Sqlite>) -> serialize::Result {
        out.set_value(self.0.hyphenated().to_string());
        Ok(IsNull::No)
    }
}

impl FromSql<sql::Uuid, Sqlite> for DbUuid {
    fn from_sql(bytes: <Sqlite as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
        Ok(DbUuid(sqlite_text(bytes)?.parse()?))
    }
}

impl ToSql<sql::Instant, Sqlite> for Timestamp {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Sqlite>) -> serialize::Result {
        out.set_value(self.to_canonical_string());
        Ok(IsNull::No)
    }
}

impl FromSql<sql::Instant, Sqlite> for Timestamp {
    fn from_sql(bytes: <Sqlite as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
        let text = sqlite_text(bytes)?;
        Ok(Timestamp(
            DateTime::parse_from_rfc3339(&text)?.with_timezone(&Utc),
        ))
    }
}

impl ToSql<sql::Json, Sqlite> for JsonValue {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Sqlite>) -> serialize::Result {
        out.set_value(serde_json::to_string(&self.0)?);
        Ok(IsNull::No)
    }
}

impl FromSql<sql::Json, Sqlite> for JsonValue {
    fn from_sql(bytes: <Sqlite as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
        Ok(JsonValue(serde_json::from_str(&sqlite_text(bytes)?)?))
    }
}

// ---- The multi-engine backend: dispatch to the engine's impl. ----

macro_rules! multi_backend_type {
    ($sql:ty, $rust:ty) => {
        impl HasSqlType<$sql> for MultiBackend {
            fn metadata(lookup: &mut Self::MetadataLookup) -> Self::TypeMetadata {
                MultiBackend::lookup_sql_type::<$sql>(lookup)
            }
        }

        impl FromSql<$sql, MultiBackend> for $rust {
            fn from_sql(
                bytes: <MultiBackend as Backend>::RawValue<'_>,
            ) -> deserialize::Result<Self> {
                bytes.from_sql::<$rust, $sql>()
            }
        }

        impl ToSql<$sql, MultiBackend> for $rust {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, MultiBackend>) -> serialize::Result {
                out.set_value((<$sql>::default(), self));
                Ok(IsNull::No)
            }
        }
    };
}

multi_backend_type!(sql::Uuid, DbUuid);
multi_backend_type!(sql::Instant, Timestamp);
multi_backend_type!(sql::Json, JsonValue);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_text_forms_sort_like_the_values() {
        let a = Timestamp::from(DateTime::from_timestamp(1_700_000_000, 5_000).unwrap_or_default());
        let b = Timestamp::from(
            DateTime::from_timestamp(1_700_000_000, 120_000_000).unwrap_or_default(),
        );
        assert!(a.to_canonical_string() < b.to_canonical_string());
        assert_eq!(a.to_canonical_string(), "2023-11-14T22:13:20.000005Z");
        let first = DbUuid::new_v7();
        std::thread::sleep(std::time::Duration::from_millis(2));
        let second = DbUuid::new_v7();
        assert!(first.to_string() < second.to_string());
    }

    #[test]
    fn timestamps_are_truncated_to_microseconds() {
        let t = Timestamp::from(DateTime::from_timestamp(1, 123_456_789).unwrap_or_default());
        assert_eq!(t.0.timestamp_subsec_nanos(), 123_456_000);
    }
}
