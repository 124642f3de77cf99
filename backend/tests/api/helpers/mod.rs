//! The test harness: `spawn_app()` starts the real application on port 0 against a fresh
//! database of the selected backend, with its own key file and a small fake SPA bundle.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use backend::Application;
use backend::settings::Settings;
use diesel::prelude::*;
use diesel::{Connection, PgConnection};
use secrecy::SecretString;
use sha2::{Digest, Sha256};

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

/// Settings for a test server: port 0, the given database, keys, SPA and development outbox
/// file in `dir`.
pub fn test_settings(dir: &Path, db_url: &str) -> Settings {
    let mut settings = Settings::load_from(None, Vec::new()).expect("default settings");
    settings.server.port = 0;
    settings.server.workers = 2;
    settings.database.url = SecretString::from(db_url.to_owned());
    settings.database.max_connections = 4;
    settings.keys.file = dir.join("keys.json");
    settings.frontend.dist_dir = dir.join("dist");
    settings.storage.local_dir = dir.join("uploads");
    settings.notifications.dev_outbox_file = dir.join("outbox.jsonl");
    settings
}

/// The files of the fake SPA bundle every test server serves.
pub const INDEX_HTML: &str = "<!doctype html><html><body><div id=app>test spa</div></body></html>";
pub const ASSET_JS: &str = "assets/app-0123456789abcdef.js";
pub const ASSET_WASM: &str = "assets/app-0123456789abcdef_bg.wasm";

fn write_fake_spa(dist: &Path) {
    std::fs::create_dir_all(dist.join("assets")).expect("create dist");
    std::fs::write(dist.join("index.html"), INDEX_HTML).expect("write index");
    std::fs::write(
        dist.join(ASSET_JS),
        "export default function init() {}\n".repeat(100),
    )
    .expect("write js");
    std::fs::write(dist.join(ASSET_WASM), b"\0asm\x01\0\0\0").expect("write wasm");
}

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub dir: tempfile::TempDir,
    pub settings: Settings,
    // Declared last: dropped after the server's handle, which holds connections.
    _db: TestDb,
}

/// Starts the application with default test settings.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Starts the application after letting the test adjust the settings.
pub async fn spawn_app_with(adjust: impl FnOnce(&mut Settings)) -> TestApp {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = TestDb::new(dir.path());
    let mut settings = test_settings(dir.path(), &db.url);
    write_fake_spa(&settings.frontend.dist_dir);
    adjust(&mut settings);
    let app = Application::build(settings.clone())
        .await
        .expect("build the application");
    let port = app.port();
    tokio::spawn(app.run_until_stopped());
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    TestApp {
        address: format!("http://127.0.0.1:{port}"),
        client,
        dir,
        settings,
        _db: db,
    }
}

/// The password every test organisation registers with.
pub const PASSWORD: &str = "correct horse battery";
/// The anti-CSRF header the SPA sends with every change.
pub const CSRF: (&str, &str) = ("x-examcloud-csrf", "1");

impl TestApp {
    /// Issues a verification code straight through the verification module (the email/SMS leg
    /// is covered by the notifications and `codes` tests), as if a minute had passed since
    /// earlier requests (the per-destination sending limit).
    pub fn issue_code(&self, purpose: backend::verification::Purpose, destination: &str) -> String {
        use backend::db::schema::verification_codes::dsl::{created_at, verification_codes};
        use diesel::prelude::*;
        let db = backend::db::Database::connect(&self.settings.database).expect("connect");
        let bidx = backend::crypto::BlindIndex::new(
            &backend::keys::KeyRing::load(&self.settings.keys).expect("keys"),
        );
        let mut conn = db.get().expect("conn");
        let earlier =
            backend::db::types::Timestamp::from(chrono::Utc::now() - chrono::Duration::seconds(61));
        diesel::update(verification_codes)
            .set(created_at.eq(earlier))
            .execute(&mut *conn)
            .expect("age");
        let contact = backend::domain::Contact::parse(destination).expect("contact");
        backend::verification::request_code(&mut conn, &bidx, purpose, &contact, None, true)
            .expect("request")
            .expect("code")
    }

    /// Registers an organisation and returns a signed-in, cookie-keeping client of its owner.
    pub async fn register_org(&self, name: &str, destination: &str) -> reqwest::Client {
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .build()
            .expect("client");
        let code = self.issue_code(backend::verification::Purpose::Register, destination);
        let res = client
            .post(self.url("/api/orgs"))
            .header(CSRF.0, CSRF.1)
            .json(&serde_json::json!({ "org_name": name, "password": PASSWORD, "destination": destination, "code": code }))
            .send()
            .await
            .expect("register");
        assert_eq!(res.status(), 201, "registering {name}");
        client
    }

    /// A field cipher with this app's keys.
    pub fn cipher(&self) -> backend::crypto::FieldCipher {
        backend::crypto::FieldCipher::new(
            &backend::keys::KeyRing::load(&self.settings.keys).expect("keys"),
        )
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("GET failed")
    }

    pub async fn get_json<T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
    ) -> (reqwest::StatusCode, T) {
        let res = self.get(path).await;
        let status = res.status();
        (status, res.json().await.expect("JSON body"))
    }

    /// Sends `body` as JSON with the anti-CSRF header; answers the status and the JSON body
    /// (`Null` when there is none).
    pub async fn send_json(
        &self,
        client: &reqwest::Client,
        method: reqwest::Method,
        path: &str,
        body: &serde_json::Value,
    ) -> (reqwest::StatusCode, serde_json::Value) {
        let res = client
            .request(method, self.url(path))
            .header(CSRF.0, CSRF.1)
            .json(body)
            .send()
            .await
            .expect("request");
        let status = res.status();
        let text = res.text().await.expect("body");
        (
            status,
            serde_json::from_str(&text).unwrap_or(serde_json::Value::Null),
        )
    }

    /// Creates a candidate as `client` (an owner or admin); panics unless it is created.
    pub async fn create_candidate(
        &self,
        client: &reqwest::Client,
        body: serde_json::Value,
    ) -> serde_json::Value {
        let (status, json) = self
            .send_json(client, reqwest::Method::POST, "/api/candidates", &body)
            .await;
        assert_eq!(status, 201, "creating a candidate: {json}");
        json
    }

    /// Creates a candidate group; answers its id.
    pub async fn create_group(&self, client: &reqwest::Client, name: &str) -> String {
        let (status, json) = self
            .send_json(
                client,
                reqwest::Method::POST,
                "/api/candidate-groups",
                &serde_json::json!({ "name": name }),
            )
            .await;
        assert_eq!(status, 201, "creating group {name}: {json}");
        json["id"].as_str().expect("group id").to_owned()
    }

    /// The portal slug of the organisation `owner` belongs to.
    pub async fn slug_of(&self, owner: &reqwest::Client) -> String {
        let me: serde_json::Value = owner
            .get(self.url("/api/auth/me"))
            .send()
            .await
            .expect("me")
            .json()
            .await
            .expect("json");
        me["org"]["slug"].as_str().expect("slug").to_owned()
    }

    /// Signs a candidate in on a portal; answers a cookie-keeping client.
    pub async fn portal_login(
        &self,
        slug: &str,
        identifier: &str,
        password: &str,
    ) -> reqwest::Client {
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .build()
            .expect("client");
        let (status, json) = self
            .send_json(
                &client,
                reqwest::Method::POST,
                &format!("/api/portal/{slug}/login"),
                &serde_json::json!({ "identifier": identifier, "password": password }),
            )
            .await;
        assert_eq!(status, 200, "candidate {identifier} signing in: {json}");
        client
    }

    /// Creates an API key with `scopes`; answers (id, full key).
    pub async fn create_api_key(
        &self,
        owner: &reqwest::Client,
        scopes: &[&str],
    ) -> (String, String) {
        // Key names are short; the scopes make it recognisable enough.
        let name: String = format!("key {}", scopes.join(" "))
            .chars()
            .take(40)
            .collect();
        let (status, json) = self
            .send_json(
                owner,
                reqwest::Method::POST,
                "/api/api-keys",
                &serde_json::json!({ "name": name, "scopes": scopes }),
            )
            .await;
        assert_eq!(status, 201, "creating an API key: {json}");
        (
            json["api_key"]["id"].as_str().expect("key id").to_owned(),
            json["key"].as_str().expect("key").to_owned(),
        )
    }

    /// Creates an admin (login account + password) with `permissions`, signs them in, and
    /// answers (user id, signed-in client).
    pub async fn create_admin(
        &self,
        owner: &reqwest::Client,
        account: &str,
        permissions: &[&str],
    ) -> (String, reqwest::Client) {
        let (status, json) = self
            .send_json(
                owner,
                reqwest::Method::POST,
                "/api/org/users",
                &serde_json::json!({
                    "login_account": account,
                    "display_name": format!("Admin {account}"),
                    "password": PASSWORD,
                    "role": "admin",
                    "permissions": permissions,
                }),
            )
            .await;
        assert_eq!(status, 201, "creating admin {account}: {json}");
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .build()
            .expect("client");
        let (status, body) = self
            .send_json(
                &client,
                reqwest::Method::POST,
                "/api/auth/login",
                &serde_json::json!({ "identifier": account, "password": PASSWORD }),
            )
            .await;
        assert_eq!(status, 200, "admin {account} signing in: {body}");
        (json["id"].as_str().expect("user id").to_owned(), client)
    }

    /// The messages in the development outbox file, waiting (up to 15 s) until there are `n`.
    pub async fn outbox(&self, n: usize) -> Vec<serde_json::Value> {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
        loop {
            let text = std::fs::read_to_string(&self.settings.notifications.dev_outbox_file)
                .unwrap_or_default();
            let lines: Vec<serde_json::Value> = text
                .lines()
                .filter_map(|l| serde_json::from_str(l).ok())
                .collect();
            if lines.len() >= n || std::time::Instant::now() > deadline {
                return lines;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }

    /// Everything stored in the database, as the raw bytes an attacker with the files (SQLite:
    /// the database file and its WAL) or the tables (PostgreSQL: every table of the schema)
    /// would see, for plaintext checks.
    pub fn raw_database_dump(&self) -> String {
        use diesel::RunQueryDsl;
        let db = backend::db::Database::connect(&self.settings.database).expect("connect");
        let mut conn = db.get().expect("conn");
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

/// The 6-digit code in a message's body.
pub fn code_in(message: &serde_json::Value) -> String {
    let body = message["body"].as_str().unwrap_or_default();
    body.split(|c: char| !c.is_ascii_digit())
        .find(|w| w.len() == 6)
        .expect("a 6-digit code")
        .to_owned()
}

/// The id an attempt's paper (`view`: an attempt, or anything with a `paper`) shows for the
/// option, ordering item, matching prompt or answer whose text is `text` (tags ignored) in
/// question `question_id`. Candidates see per-attempt labels, never authored ids, so tests
/// name choices by their text.
pub fn label_of(view: &serde_json::Value, question_id: &str, text: &str) -> String {
    fn plain(html: &str) -> String {
        let mut out = String::new();
        let mut in_tag = false;
        for c in html.chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                c if !in_tag => out.push(c),
                _ => {}
            }
        }
        out
    }
    fn find(v: &serde_json::Value, text: &str) -> Option<String> {
        match v {
            serde_json::Value::Object(map) => {
                if let (Some(id), Some(t)) = (
                    map.get("id").and_then(|i| i.as_str()),
                    map.get("text").and_then(|t| t.as_str()),
                ) && plain(t) == text
                {
                    return Some(id.to_owned());
                }
                map.values().find_map(|v| find(v, text))
            }
            serde_json::Value::Array(items) => items.iter().find_map(|v| find(v, text)),
            _ => None,
        }
    }
    let paper = if view["paper"].is_object() {
        &view["paper"]
    } else {
        view
    };
    let question = paper["sections"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|s| s["questions"].as_array().into_iter().flatten())
        .find(|q| q["question_id"] == question_id)
        .unwrap_or_else(|| panic!("question {question_id} not on the paper: {paper}"));
    find(&question["content"], text)
        .unwrap_or_else(|| panic!("no choice {text:?} in question {question_id}: {question}"))
}
