//! The database layer: one connection type for SQLite and PostgreSQL, the pool, and the
//! embedded migrations. Nothing here knows about HTTP.
//!
//! Architecture invariant: the same code runs on both engines. Queries are written once against
//! [`DbConnection`]; the rare statement that differs (ON CONFLICT, multi-row inserts) matches on
//! the inner connection.

pub mod schema;
pub mod types;

use std::path::Path;
use std::time::Duration;

use anyhow::Context;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::r2d2::{self, ManageConnection, Pool, PooledConnection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
use secrecy::ExposeSecret;

use crate::settings::{DatabaseKind, DatabaseSettings};

const PG_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/postgres");
const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/sqlite");

/// Key of the PostgreSQL advisory lock held while migrating, so that several API nodes starting
/// at once apply each migration exactly once.
const MIGRATION_LOCK_KEY: i64 = 0x4558_414d_434c_4f55; // "EXAMCLOU"

/// A connection to either engine. Constructed by [`DbManager`], never by trying URLs in turn,
/// so a failed connection reports the real error of the engine that was meant.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Pg(diesel::PgConnection),
    Sqlite(diesel::SqliteConnection),
}

pub type DbPool = Pool<DbManager>;
pub type PooledDb = PooledConnection<DbManager>;

/// An r2d2 connection manager that knows which engine it is for and prepares every new
/// connection (SQLite pragmas).
#[derive(Debug, Clone)]
pub struct DbManager {
    kind: DatabaseKind,
    url: String,
    busy_timeout_ms: u64,
}

impl DbManager {
    pub fn new(kind: DatabaseKind, url: String, busy_timeout_ms: u64) -> DbManager {
        DbManager {
            kind,
            url,
            busy_timeout_ms,
        }
    }

    /// Opens one connection, with the engine's own error on failure.
    pub fn establish(&self) -> anyhow::Result<DbConnection> {
        match self.kind {
            DatabaseKind::Postgres => {
                let conn = diesel::PgConnection::establish(&self.url)
                    .map_err(|e| anyhow::anyhow!("cannot connect to PostgreSQL: {e}"))?;
                Ok(DbConnection::Pg(conn))
            }
            DatabaseKind::Sqlite => {
                let mut conn = diesel::SqliteConnection::establish(&self.url).map_err(|e| {
                    anyhow::anyhow!("cannot open SQLite database {}: {e}", self.url)
                })?;
                // WAL lets readers run beside the writer; synchronous=NORMAL in WAL mode makes a
                // committed transaction survive a crash of the process (the invariant for
                // acknowledged answers), though not a power cut of the machine — production
                // runs PostgreSQL. foreign_keys is off by default in SQLite and must be on.
                // secure_delete zeroes what a deletion frees, so data deleted (an organisation
                // cancelled, retention) is not left readable in the file's free pages.
                conn.batch_execute(&format!(
                    "PRAGMA busy_timeout = {};
                     PRAGMA journal_mode = WAL;
                     PRAGMA synchronous = NORMAL;
                     PRAGMA foreign_keys = ON;
                     PRAGMA secure_delete = ON;",
                    self.busy_timeout_ms
                ))
                .context("configuring the SQLite connection")?;
                Ok(DbConnection::Sqlite(conn))
            }
        }
    }
}

/// The error r2d2 reports for a failed connection: the engine's message.
#[derive(Debug)]
pub struct ConnectError(String);

impl std::fmt::Display for ConnectError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConnectError {}

impl ManageConnection for DbManager {
    type Connection = DbConnection;
    type Error = ConnectError;

    fn connect(&self) -> Result<DbConnection, ConnectError> {
        self.establish().map_err(|e| ConnectError(format!("{e:#}")))
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), ConnectError> {
        conn.batch_execute("SELECT 1")
            .map_err(|e| ConnectError(e.to_string()))
    }

    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        use diesel::r2d2::R2D2Connection;
        match conn {
            DbConnection::Pg(c) => c.is_broken(),
            DbConnection::Sqlite(c) => c.is_broken(),
        }
    }
}

/// The pool plus what kind of database it talks to.
#[derive(Clone)]
pub struct Database {
    pool: DbPool,
    kind: DatabaseKind,
}

impl Database {
    /// Connects (creating the SQLite file and its directory on first start) and checks that one
    /// connection can be opened, so a wrong URL fails at start-up with the engine's message.
    pub fn connect(settings: &DatabaseSettings) -> anyhow::Result<Database> {
        let raw = settings.url.expose_secret();
        let kind = DatabaseKind::of_url(raw);
        let url = match kind {
            DatabaseKind::Postgres => raw.to_owned(),
            DatabaseKind::Sqlite => {
                let path = raw.strip_prefix("sqlite://").unwrap_or(raw);
                if let Some(dir) = Path::new(path).parent()
                    && !dir.as_os_str().is_empty()
                {
                    std::fs::create_dir_all(dir).with_context(|| {
                        format!("creating the database directory {}", dir.display())
                    })?;
                }
                path.to_owned()
            }
        };
        let manager = DbManager::new(kind, url, settings.sqlite_busy_timeout_ms);
        // Fail fast with the real error instead of r2d2's generic time-out.
        drop(manager.establish()?);
        let pool = Pool::builder()
            .max_size(settings.max_connections.max(1))
            .min_idle(Some(1))
            .connection_timeout(Duration::from_millis(settings.acquire_timeout_ms.max(1)))
            .build(manager)
            .context("creating the database pool")?;
        Ok(Database { pool, kind })
    }

    pub fn kind(&self) -> DatabaseKind {
        self.kind
    }

    /// Takes a pooled connection, waiting at most the configured acquire time-out.
    pub fn get(&self) -> Result<PooledDb, r2d2::PoolError> {
        self.pool.get()
    }

    /// Runs blocking database work on the blocking thread pool, so request threads never wait
    /// on disk or network I/O.
    pub async fn run<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<r2d2::PoolError> + From<tokio::task::JoinError> + Send + 'static,
    {
        let pool = self.pool.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = pool.get()?;
            f(&mut conn)
        })
        .await?
    }

    /// Applies every pending migration and returns the versions applied (empty when the schema
    /// was already current).
    pub fn migrate(&self) -> anyhow::Result<Vec<String>> {
        let mut conn = self.get().context("connecting to migrate")?;
        migrate_connection(&mut conn)
    }

    /// The versions of the embedded migrations not yet applied to this database.
    pub fn pending_migrations(&self) -> anyhow::Result<Vec<String>> {
        let mut conn = self.get().context("connecting to check migrations")?;
        pending_migrations(&mut conn)
    }

    /// The versions of the migrations recorded as applied.
    pub fn applied_migrations(&self) -> anyhow::Result<Vec<String>> {
        let mut conn = self.get().context("connecting to check migrations")?;
        let applied = match &mut *conn {
            DbConnection::Pg(c) => c.applied_migrations(),
            DbConnection::Sqlite(c) => c.applied_migrations(),
        }
        .map_err(|e| anyhow::anyhow!("listing applied migrations: {e}"))?;
        Ok(applied.iter().map(ToString::to_string).collect())
    }
}

/// The versions of the embedded migrations not yet applied, on one connection.
pub fn pending_migrations(conn: &mut DbConnection) -> anyhow::Result<Vec<String>> {
    fn versions<DB: diesel::backend::Backend>(
        pending: Vec<Box<dyn diesel::migration::Migration<DB>>>,
    ) -> Vec<String> {
        pending
            .iter()
            .map(|m| m.name().version().to_string())
            .collect()
    }
    match conn {
        DbConnection::Pg(c) => c.pending_migrations(PG_MIGRATIONS).map(versions),
        DbConnection::Sqlite(c) => c.pending_migrations(SQLITE_MIGRATIONS).map(versions),
    }
    .map_err(|e| anyhow::anyhow!("listing pending migrations: {e}"))
}

/// Runs `f` in a transaction — the one way our code opens transactions.
///
/// On SQLite the outermost transaction starts with `BEGIN IMMEDIATE`: it takes the write lock
/// up front (waiting up to the busy timeout), because a deferred transaction that reads and
/// then writes fails at once with "database is locked" when another writer committed in
/// between, and no timeout helps. Nested calls become savepoints, as with diesel's own
/// `transaction`. On PostgreSQL it is diesel's `transaction`.
pub fn transaction<T, E, F>(conn: &mut DbConnection, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    use diesel::connection::{AnsiTransactionManager, TransactionManager};
    type Manager = <DbConnection as Connection>::TransactionManager;
    let outermost_sqlite = match conn {
        DbConnection::Sqlite(c) => {
            let depth =
                AnsiTransactionManager::transaction_manager_status_mut(c).transaction_depth()?;
            if depth.is_none() {
                AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?;
                true
            } else {
                false
            }
        }
        DbConnection::Pg(_) => false,
    };
    if !outermost_sqlite {
        return conn.transaction(f);
    }
    match f(conn) {
        Ok(value) => match Manager::commit_transaction(conn) {
            Ok(()) => Ok(value),
            Err(commit_error) => {
                // Leave the connection usable; report the commit failure.
                let _ = Manager::rollback_transaction(conn);
                Err(commit_error.into())
            }
        },
        Err(error) => {
            Manager::rollback_transaction(conn)?;
            Err(error)
        }
    }
}

/// Applies pending migrations on one connection. On PostgreSQL an advisory lock serialises
/// concurrent start-ups of several nodes.
pub fn migrate_connection(conn: &mut DbConnection) -> anyhow::Result<Vec<String>> {
    let applied = match conn {
        DbConnection::Pg(c) => {
            diesel::sql_query(format!("SELECT pg_advisory_lock({MIGRATION_LOCK_KEY})"))
                .execute(c)
                .context("taking the migration lock")?;
            let result = c
                .run_pending_migrations(PG_MIGRATIONS)
                .map(|v| v.iter().map(ToString::to_string).collect::<Vec<_>>());
            diesel::sql_query(format!("SELECT pg_advisory_unlock({MIGRATION_LOCK_KEY})"))
                .execute(c)
                .context("releasing the migration lock")?;
            result
        }
        DbConnection::Sqlite(c) => c
            .run_pending_migrations(SQLITE_MIGRATIONS)
            .map(|v| v.iter().map(ToString::to_string).collect()),
    };
    applied.map_err(|e| anyhow::anyhow!("applying migrations: {e}"))
}
