//! The audit log's hash chain: intact chains verify; editing, deleting or reordering any entry
//! (with the database's own guards removed, as an attacker with database rights could) makes
//! verification fail at exactly that entry; the CLI names it.

use backend::audit::{self, Actor, AuditEntry, Outcome, VerifyReport};
use backend::crypto::FieldCipher;
use backend::db::types::DbUuid;
use backend::db::{Database, DbConnection};
use backend::keys::KeyRing;
use diesel::RunQueryDsl;

use crate::helpers::{Backend, TestApp, backend, spawn_app};

fn entry(i: usize) -> AuditEntry<'static> {
    AuditEntry {
        org_id: Some(DbUuid::new_v7()),
        actor: Actor::User(DbUuid::new_v7()),
        action: "candidate.update",
        target_kind: Some("candidate"),
        target_id: Some(format!("c-{i}")),
        outcome: if i.is_multiple_of(2) {
            Outcome::Success
        } else {
            Outcome::Failure
        },
        request_id: Some("req-1"),
        details: serde_json::json!({ "fields": ["group"], "n": i }),
        ip: i.is_multiple_of(2).then_some("203.0.113.7"),
        user_agent: Some("Mozilla/5.0 (test)"),
        device: None,
    }
}

/// A fresh app with `n` audit entries appended.
async fn app_with_entries(n: usize) -> (TestApp, Database) {
    let app = spawn_app().await;
    let db = Database::connect(&app.settings.database).expect("connect");
    let cipher = FieldCipher::new(&KeyRing::load(&app.settings.keys).expect("keys"));
    let mut conn = db.get().expect("conn");
    for i in 1..=n {
        audit::append(&mut conn, &cipher, entry(i)).expect("append");
    }
    (app, db)
}

fn exec(conn: &mut DbConnection, sql: &str) -> Result<usize, diesel::result::Error> {
    diesel::sql_query(sql).execute(conn)
}

/// Removes the database's append-only guards, as someone with direct database access could.
fn remove_guards(conn: &mut DbConnection) {
    match backend() {
        Backend::Postgres => {
            exec(
                conn,
                "ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only",
            )
            .expect("disable");
        }
        Backend::Sqlite => {
            exec(conn, "DROP TRIGGER audit_log_no_update").expect("drop");
            exec(conn, "DROP TRIGGER audit_log_no_delete").expect("drop");
        }
    }
}

fn broken_at(report: VerifyReport) -> i64 {
    match report {
        VerifyReport::Broken { seq, .. } => seq,
        VerifyReport::Intact { entries } => {
            panic!("tampering not detected ({entries} entries intact)")
        }
    }
}

#[tokio::test]
async fn an_untouched_chain_verifies_and_personal_data_is_encrypted() {
    let (app, db) = app_with_entries(5).await;
    let mut conn = db.get().expect("conn");
    assert_eq!(
        audit::verify(&mut conn, Some(&app.cipher())).expect("verify"),
        VerifyReport::Intact { entries: 5 }
    );
    use backend::db::schema::audit_log;
    use diesel::QueryDsl;
    let stored: Vec<Option<Vec<u8>>> = audit_log::table
        .order(audit_log::seq)
        .select(audit_log::pii_enc)
        .load(&mut *conn)
        .expect("load");
    assert_eq!(stored.len(), 5);
    for ciphertext in &stored {
        let bytes = ciphertext
            .as_deref()
            .expect("every test entry has personal data");
        for plain in [&b"203.0.113.7"[..], b"Mozilla"] {
            assert!(
                !bytes.windows(plain.len()).any(|w| w == plain),
                "plaintext personal data stored"
            );
        }
    }
}

#[tokio::test]
async fn the_database_refuses_edits_and_deletes_but_allows_erasing_personal_data() {
    let (app, db) = app_with_entries(3).await;
    let mut conn = db.get().expect("conn");
    assert!(exec(&mut conn, "UPDATE audit_log SET action = 'x' WHERE seq = 2").is_err());
    assert!(exec(&mut conn, "DELETE FROM audit_log WHERE seq = 3").is_err());
    // Retention may erase the personal data; the chain still verifies.
    assert_eq!(
        exec(
            &mut conn,
            "UPDATE audit_log SET pii_enc = NULL WHERE seq = 2"
        )
        .expect("erase"),
        1
    );
    assert_eq!(
        audit::verify(&mut conn, Some(&app.cipher())).expect("verify"),
        VerifyReport::Intact { entries: 3 }
    );
}

#[tokio::test]
async fn editing_an_entry_breaks_the_chain_at_that_entry() {
    let (app, db) = app_with_entries(5).await;
    let mut conn = db.get().expect("conn");
    remove_guards(&mut conn);
    exec(
        &mut conn,
        "UPDATE audit_log SET target_id = 'someone-else' WHERE seq = 3",
    )
    .expect("edit");
    assert_eq!(
        broken_at(audit::verify(&mut conn, Some(&app.cipher())).expect("verify")),
        3
    );
}

#[tokio::test]
async fn deleting_an_entry_breaks_the_chain_where_it_was() {
    let (app, db) = app_with_entries(5).await;
    let mut conn = db.get().expect("conn");
    remove_guards(&mut conn);
    exec(&mut conn, "DELETE FROM audit_log WHERE seq = 3").expect("delete");
    assert_eq!(
        broken_at(audit::verify(&mut conn, Some(&app.cipher())).expect("verify")),
        3
    );
}

#[tokio::test]
async fn deleting_the_last_entry_is_detected_by_the_chain_head() {
    let (app, db) = app_with_entries(5).await;
    let mut conn = db.get().expect("conn");
    remove_guards(&mut conn);
    exec(&mut conn, "DELETE FROM audit_log WHERE seq = 5").expect("delete");
    assert_eq!(
        broken_at(audit::verify(&mut conn, Some(&app.cipher())).expect("verify")),
        5
    );
}

#[tokio::test]
async fn reordering_entries_breaks_the_chain_at_the_first_moved_entry() {
    let (app, db) = app_with_entries(5).await;
    let mut conn = db.get().expect("conn");
    remove_guards(&mut conn);
    exec(&mut conn, "UPDATE audit_log SET seq = -2 WHERE seq = 2").expect("move");
    exec(&mut conn, "UPDATE audit_log SET seq = 2 WHERE seq = 3").expect("move");
    exec(&mut conn, "UPDATE audit_log SET seq = 3 WHERE seq = -2").expect("move");
    assert_eq!(
        broken_at(audit::verify(&mut conn, Some(&app.cipher())).expect("verify")),
        2
    );
}

#[tokio::test]
async fn replacing_personal_data_is_detected() {
    let (app, db) = app_with_entries(5).await;
    let mut conn = db.get().expect("conn");
    remove_guards(&mut conn);
    exec(&mut conn, "UPDATE audit_log SET pii_enc = (SELECT pii_enc FROM audit_log WHERE seq = 2) WHERE seq = 4")
        .expect("swap");
    assert_eq!(
        broken_at(audit::verify(&mut conn, Some(&app.cipher())).expect("verify")),
        4
    );
}

#[tokio::test]
async fn the_cli_names_the_first_broken_entry() {
    let (app, db) = app_with_entries(4).await;
    let run = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_examcloud"))
            .args(["audit-verify", "--database-url"])
            .arg(secrecy::ExposeSecret::expose_secret(
                &app.settings.database.url,
            ))
            .env("APP_LOG__FILTER", "error")
            .env("APP_KEYS__FILE", &app.settings.keys.file)
            .env("APP_KEYS__GENERATE_IF_MISSING", "false")
            .env("APP_DATABASE__MAX_CONNECTIONS", "1")
            .output()
            .expect("run examcloud")
    };
    let shown = |out: &std::process::Output| {
        format!(
            "exit {:?}\nstdout: {}\nstderr: {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    };
    let ok = run();
    assert!(ok.status.success(), "{}", shown(&ok));
    assert!(
        String::from_utf8_lossy(&ok.stdout).contains("intact: 4 entries"),
        "{}",
        shown(&ok)
    );

    let mut conn = db.get().expect("conn");
    remove_guards(&mut conn);
    exec(
        &mut conn,
        "UPDATE audit_log SET details = '{}' WHERE seq = 2",
    )
    .expect("edit");
    let broken = run();
    assert!(!broken.status.success(), "{}", shown(&broken));
    assert!(
        String::from_utf8_lossy(&broken.stderr).contains("broken at entry 2"),
        "{}",
        shown(&broken)
    );
}

#[tokio::test]
async fn concurrent_appends_keep_one_unbroken_chain() {
    let (app, _db) = app_with_entries(0).await;
    let db = Database::connect(&app.settings.database).expect("connect");
    let cipher = FieldCipher::new(&KeyRing::load(&app.settings.keys).expect("keys"));
    let handles: Vec<_> = (0..4)
        .map(|t| {
            let db = db.clone();
            let cipher = cipher.clone();
            std::thread::spawn(move || {
                let mut conn = db.get().expect("conn");
                for i in 0..10 {
                    audit::append(&mut conn, &cipher, entry(t * 100 + i)).expect("append");
                }
            })
        })
        .collect();
    for h in handles {
        h.join().expect("thread");
    }
    let mut conn = db.get().expect("conn");
    assert_eq!(
        audit::verify(&mut conn, Some(&app.cipher())).expect("verify"),
        VerifyReport::Intact { entries: 40 }
    );
}
