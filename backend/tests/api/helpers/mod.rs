//! The test harness: `spawn_app()` starts the real application on port 0 against a fresh
//! database of the selected backend (`db`), with its own key file and a small fake SPA bundle;
//! the callers every test needs (an organisation's owner, admins, candidates, API keys);
//! request helpers (`requests`) and the exam fixture (`exams`).

pub mod certificates;
mod db;
mod exams;
mod requests;

use std::path::Path;

use backend::Application;
use backend::settings::Settings;
use secrecy::SecretString;

pub use db::{Backend, TestDb, backend};
pub use exams::{
    ExamOrg, answer_choice, answer_tf, assert_no_keys, events, exam_body, exam_org, exam_org_with,
    review, save, start, submit, view,
};
pub use requests::{
    XLSX, at, cookie_client, create_bank, delete, fields, get, id, post, post_bytes, put, reason,
    request, send, xlsx,
};

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
        self.age_code_requests();
        let bidx = backend::crypto::BlindIndex::new(
            &backend::keys::KeyRing::load(&self.settings.keys).expect("keys"),
        );
        let contact = backend::domain::Contact::parse(destination).expect("contact");
        backend::verification::request_code(&mut self.db(), &bidx, purpose, &contact, None, true)
            .expect("request")
            .expect("code")
    }

    /// Moves every verification code's request a minute into the past, as if a minute had
    /// passed since (the per-destination limit allows one a minute).
    pub fn age_code_requests(&self) {
        use backend::db::schema::verification_codes::dsl::{created_at, verification_codes};
        use diesel::prelude::*;
        let earlier =
            backend::db::types::Timestamp::from(chrono::Utc::now() - chrono::Duration::seconds(61));
        diesel::update(verification_codes)
            .set(created_at.eq(earlier))
            .execute(&mut *self.db())
            .expect("age");
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
            .json(&serde_json::json!({ "org_name": name, "password": PASSWORD, "destination": destination, "code": code, "accept": { "privacy": "1.0", "terms": "1.0" } }))
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
        request(client, method, &self.url(path), body).await
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
        self.new_admin(owner, account, permissions, None).await
    }

    /// [`Self::create_admin`] limited to the candidates of `groups`.
    pub async fn create_admin_in_groups(
        &self,
        owner: &reqwest::Client,
        account: &str,
        permissions: &[&str],
        groups: &[&str],
    ) -> (String, reqwest::Client) {
        self.new_admin(owner, account, permissions, Some(groups))
            .await
    }

    async fn new_admin(
        &self,
        owner: &reqwest::Client,
        account: &str,
        permissions: &[&str],
        groups: Option<&[&str]>,
    ) -> (String, reqwest::Client) {
        let mut body = serde_json::json!({
            "login_account": account,
            "display_name": format!("Admin {account}"),
            "password": PASSWORD,
            "role": "admin",
            "permissions": permissions,
        });
        if let Some(groups) = groups {
            body["group_ids"] = serde_json::json!(groups);
        }
        let (status, json) = post(self, owner, "/api/org/users", body).await;
        assert_eq!(status, 201, "creating admin {account}: {json}");
        let client = cookie_client();
        let (status, body) = post(
            self,
            &client,
            "/api/auth/login",
            serde_json::json!({ "identifier": account, "password": PASSWORD }),
        )
        .await;
        assert_eq!(status, 200, "admin {account} signing in: {body}");
        (id(&json), client)
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
}

/// The bytes of a file under `formats/fixtures/`.
pub fn formats_fixture(path: &str) -> Vec<u8> {
    let full = format!("{}/../formats/fixtures/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&full).expect(&full)
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
