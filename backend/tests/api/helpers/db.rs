//! The test databases: a fresh one per test (a SQLite file, or a PostgreSQL database copied
//! from a migrated template), direct connections for tests that look under the API, and the
//! raw dump that plaintext checks search.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use diesel::prelude::*;
use diesel::{Connection, PgConnection};
use secrecy::SecretString;
use sha2::{Digest, Sha256};

use super::TestApp;

/// Which database the tests run against, from `TEST_BACKEND` (`sqlite` by default).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub fn backend() -> Backend {
    static BACKEND: OnceLock<Backend> = OnceLock::new();
    *BACKEND.get_or_init(|| {
        let backend = match std::env::var("TEST_BACKEND").as_deref() {
            Ok("postgres") => Backend::Postgres,
            Ok("sqlite") | Err(_) => Backend::Sqlite,
            Ok(other) => panic!("TEST_BACKEND must be sqlite or postgres, not {other:?}"),
        };
        eprintln!("== API integration tests on {backend:?} ==");
        backend
    })
}

fn postgres_admin_url() -> String {
    std::env::var("TEST_POSTGRES_URL")
        .expect("TEST_BACKEND=postgres needs TEST_POSTGRES_URL, e.g. postgres://postgres@127.0.0.1:5432/test")
}

/// `postgres://u@h:5432/admin_db` with the database name replaced.
pub fn postgres_url_for(db: &str) -> String {
    let mut url = url::Url::parse(&postgres_admin_url()).expect("TEST_POSTGRES_URL is not a URL");
    url.set_path(db);
    url.to_string()
}

/// A migrated template database, created once per schema version (its name hashes the
/// migration files), so each test's database is a cheap copy.
fn postgres_template() -> &'static str {
    static TEMPLATE: OnceLock<String> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let name = format!("examcloud_tpl_{}", migrations_hash());
        let mut admin =
            PgConnection::establish(&postgres_admin_url()).expect("connect to TEST_POSTGRES_URL");
        // Test binaries may run at once: one creates the template, the others wait.
        diesel::sql_query("SELECT pg_advisory_lock(77001)")
            .execute(&mut admin)
            .expect("lock");
        let exists: i64 = diesel::dsl::sql::<diesel::sql_types::BigInt>(&format!(
            "SELECT count(*) FROM pg_database WHERE datname = '{name}'"
        ))
        .get_result(&mut admin)
        .expect("query pg_database");
        if exists == 0 {
            let building = format!("{name}_building");
            diesel::sql_query(format!("DROP DATABASE IF EXISTS {building}"))
                .execute(&mut admin)
                .expect("drop");
            diesel::sql_query(format!("CREATE DATABASE {building}"))
                .execute(&mut admin)
                .expect("create template");
            {
                let db = backend::db::Database::connect(&backend::settings::DatabaseSettings {
                    url: SecretString::from(postgres_url_for(&building)),
                    max_connections: 1,
                    acquire_timeout_ms: 10_000,
                    sqlite_busy_timeout_ms: 5_000,
                    migrate_on_start: true,
                })
                .expect("connect to the template");
                db.migrate().expect("migrate the template");
            }
            diesel::sql_query(format!("ALTER DATABASE {building} RENAME TO {name}"))
                .execute(&mut admin)
                .expect("rename template");
        }
        diesel::sql_query("SELECT pg_advisory_unlock(77001)")
            .execute(&mut admin)
            .expect("unlock");
        name
    })
}

fn migrations_hash() -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../migrations/postgres");
    let mut files: Vec<PathBuf> = walk(&root);
    files.sort();
    let mut hasher = Sha256::new();
    for f in files {
        hasher.update(
            f.strip_prefix(&root)
                .unwrap_or(&f)
                .to_string_lossy()
                .as_bytes(),
        );
        hasher.update(std::fs::read(&f).unwrap_or_default());
    }
    hex::encode(&hasher.finalize()[..6])
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// A fresh, migrated database for one test; dropped (PostgreSQL) or deleted with its directory
/// (SQLite) at the end of the test.
pub struct TestDb {
    pub url: String,
    pg_name: Option<String>,
}

impl TestDb {
    pub fn new(dir: &Path) -> TestDb {
        match backend() {
            Backend::Sqlite => TestDb {
                url: dir.join("examcloud.db").display().to_string(),
                pg_name: None,
            },
            Backend::Postgres => {
                let template = postgres_template();
                let name = format!("examcloud_test_{}", uuid::Uuid::now_v7().simple());
                let mut admin = PgConnection::establish(&postgres_admin_url()).expect("connect");
                diesel::sql_query(format!("CREATE DATABASE {name} TEMPLATE {template}"))
                    .execute(&mut admin)
                    .expect("create test database");
                TestDb {
                    url: postgres_url_for(&name),
                    pg_name: Some(name),
                }
            }
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(name) = &self.pg_name
            && let Ok(mut admin) = PgConnection::establish(&postgres_admin_url())
        {
            let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&mut admin);
        }
    }
}

impl TestApp {
    /// A connection of its own to the test's database, for checks and changes under the API.
    pub fn db(&self) -> backend::db::PooledDb {
        backend::db::Database::connect(&self.settings.database)
            .expect("connect")
            .get()
            .expect("conn")
    }

    /// Everything stored in the database, as the raw bytes an attacker with the files (SQLite:
    /// the database file and its WAL) or the tables (PostgreSQL: every table of the schema)
    /// would see, for plaintext checks.
    pub fn raw_database_dump(&self) -> String {
        let mut conn = self.db();
        match backend() {
            Backend::Sqlite => {
                diesel::sql_query("PRAGMA wal_checkpoint(TRUNCATE)")
                    .execute(&mut *conn)
                    .expect("checkpoint");
                let path =
                    secrecy::ExposeSecret::expose_secret(&self.settings.database.url).to_owned();
                let mut bytes = std::fs::read(&path).expect("db file");
                bytes.extend(std::fs::read(format!("{path}-wal")).unwrap_or_default());
                String::from_utf8_lossy(&bytes).into_owned()
            }
            Backend::Postgres => {
                #[derive(diesel::QueryableByName)]
                struct Name {
                    #[diesel(sql_type = diesel::sql_types::Text)]
                    table_name: String,
                }
                #[derive(diesel::QueryableByName)]
                struct Line {
                    #[diesel(sql_type = diesel::sql_types::Text)]
                    line: String,
                }
                let tables: Vec<Name> = diesel::sql_query(
                    "SELECT table_name::text AS table_name FROM information_schema.tables \
                     WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
                )
                .load(&mut *conn)
                .expect("tables");
                let mut dump = String::new();
                for t in tables {
                    let rows: Vec<Line> = diesel::sql_query(format!(
                        "SELECT row_to_json(t)::text AS line FROM \"{}\" t",
                        t.table_name
                    ))
                    .load(&mut *conn)
                    .expect("dump");
                    for r in rows {
                        dump.push_str(&r.line);
                    }
                }
                dump
            }
        }
    }
}
