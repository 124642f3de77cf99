//! The engine-neutral column types read back exactly what was written, on both engines.

use backend::db::Database;
use backend::db::types::{DbUuid, JsonValue, Timestamp, sql};
use diesel::IntoSql;
use diesel::prelude::*;

use crate::helpers::spawn_app;

#[tokio::test]
async fn uuid_timestamp_and_json_round_trip_through_the_multi_connection() {
    let app = spawn_app().await;
    let db = Database::connect(&app.settings.database).expect("connect");
    let mut conn = db.get().expect("conn");
    let id = DbUuid::new_v7();
    let now = Timestamp::now();
    let doc =
        JsonValue(serde_json::json!({"名字": "张三", "n": [1, 2.5, null], "nested": {"ok": true}}));

    let (id_back, now_back, doc_back): (DbUuid, Timestamp, JsonValue) = diesel::select((
        id.into_sql::<sql::Uuid>(),
        now.into_sql::<sql::Instant>(),
        doc.clone().into_sql::<sql::Json>(),
    ))
    .get_result(&mut *conn)
    .expect("round trip");
    assert_eq!(id_back, id);
    assert_eq!(now_back, now);
    assert_eq!(doc_back, doc);
}

#[tokio::test]
async fn key_fingerprints_are_stored_with_uuid_and_timestamp_columns() {
    use backend::db::schema::key_fingerprints::dsl::*;
    let app = spawn_app().await;
    let db = Database::connect(&app.settings.database).expect("connect");
    let mut conn = db.get().expect("conn");
    let rows: Vec<(DbUuid, String, i32, Timestamp)> = key_fingerprints
        .select((id, purpose, key_id, created_at))
        .order(purpose)
        .load(&mut *conn)
        .expect("load");
    let purposes: Vec<_> = rows.iter().map(|r| r.1.as_str()).collect();
    assert_eq!(purposes, ["blind_index", "encryption", "token_signing"]);
    let age = chrono::Utc::now() - rows[0].3.0;
    assert!(
        age.num_seconds().abs() < 300,
        "created_at is now, not garbage: {:?}",
        rows[0].3
    );
    assert_eq!(rows[0].0.0.get_version_num(), 7);
}

#[tokio::test]
async fn concurrent_read_then_write_transactions_all_commit() {
    use backend::db::schema::orgs;
    let app = spawn_app().await;
    let mut settings = app.settings.database.clone();
    settings.max_connections = 8;
    let db = Database::connect(&settings).expect("connect");
    let threads: Vec<_> = (0..8)
        .map(|t| {
            let db = db.clone();
            std::thread::spawn(move || {
                let mut conn = db.get().expect("conn");
                for i in 0..25 {
                    // Read, then write: on SQLite a deferred transaction would fail here with
                    // "database is locked" whenever another writer committed in between.
                    backend::db::transaction(&mut conn, |c| {
                        let _existing: i64 = orgs::table.count().get_result(c)?;
                        let now = Timestamp::now();
                        diesel::insert_into(orgs::table)
                            .values((
                                orgs::id.eq(DbUuid::new_v7()),
                                orgs::slug.eq(format!("t{t}-{i}")),
                                orgs::name.eq("并发单位"),
                                orgs::status.eq("active"),
                                orgs::created_at.eq(now),
                                orgs::updated_at.eq(now),
                            ))
                            .execute(c)?;
                        Ok::<_, diesel::result::Error>(())
                    })
                    .expect("transaction commits");
                }
            })
        })
        .collect();
    for t in threads {
        t.join().expect("thread");
    }
    let mut conn = db.get().expect("conn");
    let total: i64 = orgs::table.count().get_result(&mut *conn).expect("count");
    assert_eq!(total, 200);
}
