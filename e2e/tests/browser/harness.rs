//! Starts the backend on port 0 with a fresh SQLite database and the built SPA, and a
//! ChromeDriver with a headless Chromium session; closes both whatever the test's outcome.
//! [`ApiClient`] plays a second device (its own cookies) or a reader of the public portal.

use std::future::Future;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use backend::Application;
use backend::db::types::Timestamp;
use backend::settings::Settings;
use fantoccini::{Client, ClientBuilder, Locator};
use secrecy::SecretString;

pub struct Browser {
    pub client: Client,
    /// Base URL of the server under test, e.g. `http://127.0.0.1:41234`.
    pub base: String,
    /// The development provider's outbox file: every email and SMS the server sends.
    pub outbox: PathBuf,
    /// The server under test, which a test may stop and start again.
    pub server: Server,
}

/// The server under test: stopped and started again on the same port, database and keys, as
/// an operator restarting it would (the browser keeps its page and cookies meanwhile).
pub struct Server {
    settings: Settings,
    running: tokio::sync::Mutex<Option<Running>>,
}

struct Running {
    handle: actix_web::dev::ServerHandle,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Server {
    async fn start_with(settings: Settings) -> anyhow::Result<(Server, u16)> {
        let app = Application::build(settings.clone()).await?;
        let port = app.port();
        let mut settings = settings;
        // Started again, it listens where the browser expects it.
        settings.server.port = port;
        let handle = app.handle();
        let task = tokio::spawn(app.run_until_stopped());
        let server = Server {
            settings,
            running: tokio::sync::Mutex::new(Some(Running { handle, task })),
        };
        Ok((server, port))
    }

    /// Stops the server at once (open connections are dropped) and waits until it is gone.
    pub async fn stop(&self) -> anyhow::Result<()> {
        let running = self.running.lock().await.take();
        if let Some(running) = running {
            running.handle.stop(false).await;
            running.task.await.context("the server task")??;
        }
        Ok(())
    }

    /// Starts the server again on the same port and database.
    pub async fn start(&self) -> anyhow::Result<()> {
        let mut running = self.running.lock().await;
        if running.is_none() {
            let deadline = Instant::now() + Duration::from_secs(20);
            let app = loop {
                // The old listener may take a moment to release the port.
                match Application::build(self.settings.clone()).await {
                    Ok(app) => break app,
                    Err(err) if Instant::now() < deadline => {
                        let _ = err;
                        tokio::time::sleep(Duration::from_millis(200)).await;
                    }
                    Err(err) => return Err(err).context("starting the server again"),
                }
            };
            let handle = app.handle();
            let task = tokio::spawn(app.run_until_stopped());
            *running = Some(Running { handle, task });
        }
        Ok(())
    }
}

impl Browser {
    /// Waits for the `n`-th message (1-based) in the outbox and returns the 6-digit code in it.
    pub async fn code_from_outbox(&self, n: usize, to: &str) -> anyhow::Result<String> {
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            let text = std::fs::read_to_string(&self.outbox).unwrap_or_default();
            let messages: Vec<serde_json::Value> = text
                .lines()
                .filter_map(|l| serde_json::from_str(l).ok())
                .collect();
            if let Some(message) = messages.get(n - 1) {
                anyhow::ensure!(
                    message["to"] == to,
                    "message {n} went to {} not {to}",
                    message["to"]
                );
                let body = message["body"].as_str().unwrap_or_default();
                return body
                    .split(|c: char| !c.is_ascii_digit())
                    .find(|w| w.len() == 6)
                    .map(str::to_owned)
                    .context("no 6-digit code in the message");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        bail!("no message {n} in the outbox")
    }

    /// Types into an input or a rich-text editor's area (clearing it first).
    pub async fn fill(&self, css: &str, text: &str) -> anyhow::Result<()> {
        let el = self
            .client
            .wait()
            .at_most(Duration::from_secs(30))
            .for_element(Locator::Css(css))
            .await
            .with_context(|| format!("waiting for {css}"))?;
        el.clear()
            .await
            .with_context(|| format!("clearing {css}"))?;
        el.send_keys(text)
            .await
            .with_context(|| format!("typing into {css}"))?;
        Ok(())
    }

    /// Types into an element without clearing it: where it has the focus, at its caret (keys
    /// such as Shift+Home included, for selecting in a rich-text editor).
    pub async fn fill_more(&self, css: &str, keys: &str) -> anyhow::Result<()> {
        let el = self
            .client
            .wait()
            .at_most(Duration::from_secs(30))
            .for_element(Locator::Css(css))
            .await
            .with_context(|| format!("waiting for {css}"))?;
        el.send_keys(keys)
            .await
            .with_context(|| format!("typing into {css}"))
    }

    pub async fn goto(&self, path: &str) -> anyhow::Result<()> {
        self.client
            .goto(&format!("{}{}", self.base, path))
            .await
            .with_context(|| format!("opening {path}"))
    }

    /// Waits until the element exists and its text satisfies `ok`; returns the text.
    pub async fn wait_text(&self, css: &str, ok: impl Fn(&str) -> bool) -> anyhow::Result<String> {
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut last = String::from("<element not found>");
        while Instant::now() < deadline {
            if let Ok(el) = self.client.find(Locator::Css(css)).await
                && let Ok(text) = el.text().await
            {
                if ok(text.trim()) {
                    return Ok(text.trim().to_owned());
                }
                last = text;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        bail!("timed out waiting for {css}; last text: {last:?}")
    }

    pub async fn click(&self, css: &str) -> anyhow::Result<()> {
        let el = self
            .client
            .wait()
            .at_most(Duration::from_secs(30))
            .for_element(Locator::Css(css))
            .await
            .with_context(|| format!("waiting for {css}"))?;
        el.click()
            .await
            .with_context(|| format!("clicking {css}"))?;
        Ok(())
    }

    pub async fn current_path(&self) -> anyhow::Result<String> {
        Ok(self.client.current_url().await?.path().to_owned())
    }

    /// Waits until the element exists and its attribute satisfies `ok`; returns the value.
    pub async fn wait_attr(
        &self,
        css: &str,
        name: &str,
        ok: impl Fn(&str) -> bool,
    ) -> anyhow::Result<String> {
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut last = None;
        while Instant::now() < deadline {
            if let Ok(el) = self.client.find(Locator::Css(css)).await
                && let Ok(value) = el.attr(name).await
            {
                if let Some(value) = value.as_deref()
                    && ok(value)
                {
                    return Ok(value.to_owned());
                }
                last = value;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        bail!("timed out waiting for {css} [{name}]; last value: {last:?}")
    }

    /// How many elements match now.
    pub async fn count(&self, css: &str) -> anyhow::Result<usize> {
        Ok(self.client.find_all(Locator::Css(css)).await?.len())
    }

    /// Waits until exactly `n` elements match.
    pub async fn wait_count(&self, css: &str, n: usize) -> anyhow::Result<()> {
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut last = 0;
        while Instant::now() < deadline {
            last = self.count(css).await?;
            if last == n {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        bail!("timed out waiting for {n} of {css}; last count: {last}")
    }

    /// The texts of every element matching now.
    pub async fn texts(&self, css: &str) -> anyhow::Result<Vec<String>> {
        let mut texts = Vec::new();
        for el in self.client.find_all(Locator::Css(css)).await? {
            texts.push(el.text().await?.trim().to_owned());
        }
        Ok(texts)
    }

    /// Picks the option with this value in a `<select>`.
    pub async fn select(&self, css: &str, value: &str) -> anyhow::Result<()> {
        let el = self
            .client
            .wait()
            .at_most(Duration::from_secs(30))
            .for_element(Locator::Css(css))
            .await
            .with_context(|| format!("waiting for {css}"))?;
        el.select_by_value(value)
            .await
            .with_context(|| format!("selecting {value} in {css}"))
    }

    /// Chooses a local file in an `<input type=file>`, as a user would in the file dialog.
    pub async fn choose_file(&self, css: &str, path: &Path) -> anyhow::Result<()> {
        let el = self
            .client
            .wait()
            .at_most(Duration::from_secs(30))
            .for_element(Locator::Css(css))
            .await
            .with_context(|| format!("waiting for {css}"))?;
        el.send_keys(&path.display().to_string())
            .await
            .with_context(|| format!("choosing {} in {css}", path.display()))
    }

    /// Fetches `path` from inside the page, with the browser's cookies; returns status and body.
    pub async fn fetch_in_page(&self, path: &str) -> anyhow::Result<(u16, String)> {
        let script = "const done = arguments[arguments.length - 1];\n\
            fetch(arguments[0], { credentials: 'same-origin' })\n\
              .then(r => r.text().then(body => done([r.status, body])))\n\
              .catch(e => done([0, String(e)]));";
        let answer = self
            .client
            .execute_async(script, vec![serde_json::json!(path)])
            .await
            .with_context(|| format!("fetching {path} in the page"))?;
        let status = answer[0].as_u64().context("no status")?;
        let body = answer[1].as_str().context("no body")?.to_owned();
        Ok((u16::try_from(status)?, body))
    }

    /// Fetches `path` from inside the page, with the browser's cookies; returns status and the
    /// body's bytes (sent back as a JSON array of numbers: fine for the small files tests read).
    pub async fn fetch_bytes_in_page(&self, path: &str) -> anyhow::Result<(u16, Vec<u8>)> {
        let script = "const done = arguments[arguments.length - 1];\n\
            fetch(arguments[0], { credentials: 'same-origin' })\n\
              .then(r => r.arrayBuffer().then(b => done([r.status, Array.from(new Uint8Array(b))])))\n\
              .catch(e => done([0, String(e)]));";
        let answer = self
            .client
            .execute_async(script, vec![serde_json::json!(path)])
            .await
            .with_context(|| format!("fetching {path} in the page"))?;
        let status = answer[0].as_u64().context("no status")?;
        let Some(numbers) = answer[1].as_array() else {
            bail!("fetching {path} failed: {}", answer[1]);
        };
        let bytes = numbers
            .iter()
            .map(|n| n.as_u64().and_then(|n| u8::try_from(n).ok()))
            .collect::<Option<Vec<u8>>>()
            .context("a byte out of range")?;
        Ok((u16::try_from(status)?, bytes))
    }

    /// Seeds the demo organisation into the server's database, as `examcloud seed-demo` does.
    pub fn seed_demo(&self) -> anyhow::Result<()> {
        let settings = &self.server.settings;
        let keys = backend::keys::KeyRing::load(&settings.keys)?;
        let db = backend::db::Database::connect(&settings.database)?;
        backend::demo::seed(&db, &keys)
    }

    /// Runs every job due at `at` (the queue's clock injected), as a node of the server would
    /// then, and returns how many ran. The work runs on a blocking thread, so the server under
    /// test keeps serving meanwhile.
    pub async fn run_jobs_at(&self, at: Timestamp) -> anyhow::Result<usize> {
        let settings = self.server.settings.clone();
        tokio::task::spawn_blocking(move || {
            let keys = Arc::new(backend::keys::KeyRing::load(&settings.keys)?);
            let db = backend::db::Database::connect(&settings.database)?;
            let mut conn = db.get().context("a database connection")?;
            let state = backend::state::AppState::new(db, keys, settings)?;
            let registry = backend::startup::job_kinds(&state);
            backend::jobs::run_due_with(&mut conn, &registry, || at)
        })
        .await
        .context("the job runner's thread")?
    }

    /// Another device of the same person: an HTTP client with its own cookies.
    pub fn other_device(&self, user_agent: &str) -> anyhow::Result<ApiClient> {
        ApiClient::new(&self.base, user_agent)
    }
}

/// A client of the API beside the browser, keeping its own session cookies: another device
/// signing in, or anyone reading the public portal.
pub struct ApiClient {
    http: reqwest::Client,
    base: String,
}

impl ApiClient {
    pub fn new(base: &str, user_agent: &str) -> anyhow::Result<ApiClient> {
        let http = reqwest::Client::builder()
            .cookie_store(true)
            .user_agent(user_agent)
            .build()?;
        Ok(ApiClient {
            http,
            base: base.to_owned(),
        })
    }

    /// Signs in with a password; returns the status (200 when signed in).
    pub async fn login(&self, identifier: &str, password: &str) -> anyhow::Result<u16> {
        let res = self
            .http
            .post(format!("{}/api/auth/login", self.base))
            .header(CSRF_HEADER, "1")
            .json(&serde_json::json!({ "identifier": identifier, "password": password }))
            .send()
            .await?;
        Ok(res.status().as_u16())
    }

    /// `GET /api/auth/me`: 200 while this client's session is alive.
    pub async fn me(&self) -> anyhow::Result<u16> {
        let res = self
            .http
            .get(format!("{}/api/auth/me", self.base))
            .send()
            .await?;
        Ok(res.status().as_u16())
    }

    /// `POST /api/auth/refresh`: 204 while the session can be renewed.
    pub async fn refresh(&self) -> anyhow::Result<u16> {
        let res = self
            .http
            .post(format!("{}/api/auth/refresh", self.base))
            .header(CSRF_HEADER, "1")
            .send()
            .await?;
        Ok(res.status().as_u16())
    }

    /// A GET answering JSON with 200.
    pub async fn get_json(&self, path: &str) -> anyhow::Result<serde_json::Value> {
        let res = self.http.get(format!("{}{path}", self.base)).send().await?;
        let status = res.status();
        let body = res.text().await?;
        anyhow::ensure!(status.is_success(), "GET {path}: {status} {body}");
        Ok(serde_json::from_str(&body)?)
    }

    /// A POST of JSON with the anti-CSRF header; returns the status and the body (JSON, or
    /// null when there is none).
    pub async fn post_json(
        &self,
        path: &str,
        body: &serde_json::Value,
    ) -> anyhow::Result<(u16, serde_json::Value)> {
        let res = self
            .http
            .post(format!("{}{path}", self.base))
            .header(CSRF_HEADER, "1")
            .json(body)
            .send()
            .await?;
        let status = res.status().as_u16();
        let text = res.text().await?;
        Ok((status, serde_json::from_str(&text).unwrap_or_default()))
    }

    /// A PUT of JSON with the anti-CSRF header; returns the status and the body (JSON, or null
    /// when there is none).
    pub async fn put_json(
        &self,
        path: &str,
        body: &serde_json::Value,
    ) -> anyhow::Result<(u16, serde_json::Value)> {
        let res = self
            .http
            .put(format!("{}{path}", self.base))
            .header(CSRF_HEADER, "1")
            .json(body)
            .send()
            .await?;
        let status = res.status().as_u16();
        let text = res.text().await?;
        Ok((status, serde_json::from_str(&text).unwrap_or_default()))
    }

    /// A GET answering bytes; returns status and body.
    pub async fn get_bytes(&self, path: &str) -> anyhow::Result<(u16, Vec<u8>)> {
        let res = self.http.get(format!("{}{path}", self.base)).send().await?;
        let status = res.status().as_u16();
        Ok((status, res.bytes().await?.to_vec()))
    }
}

/// The anti-CSRF header the server demands on cookie-carrying changes.
const CSRF_HEADER: &str = "X-ExamCloud-CSRF";

struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn dist_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../frontend/dist")
}

fn free_port() -> anyhow::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

fn find_on_path(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
        .find(|p| p.is_file())
}

/// Runs `body` with a fresh server and browser session, then closes the session.
pub async fn with_browser<F, Fut>(body: F) -> anyhow::Result<()>
where
    F: FnOnce(Browser) -> Fut,
    Fut: Future<Output = (Browser, anyhow::Result<()>)>,
{
    let dist = dist_dir();
    if !dist.join("index.html").is_file() {
        bail!("the SPA is not built: run `cargo xtask build-frontend` (cargo xtask test does it)");
    }
    let chromium = find_on_path(&["chromium", "chromium-browser"])
        .context("chromium not found on PATH: apt-get install -y chromium chromium-driver")?;
    let chromedriver = find_on_path(&["chromedriver"])
        .context("chromedriver not found on PATH: apt-get install -y chromium chromium-driver")?;

    let dir = tempfile::tempdir()?;
    let mut settings = Settings::load_from(None, Vec::new())?;
    settings.server.port = 0;
    settings.server.workers = 2;
    settings.database.url = SecretString::from(dir.path().join("e2e.db").display().to_string());
    settings.keys.file = dir.path().join("keys.json");
    settings.storage.local_dir = dir.path().join("uploads");
    settings.frontend.dist_dir = dist;
    settings.notifications.dev_outbox_file = dir.path().join("outbox.jsonl");
    // Local plain-http testing: session cookies without the Secure flag.
    settings.auth.cookie_secure = Some(false);
    let (server, port) = Server::start_with(settings).await?;
    let base = format!("http://127.0.0.1:{port}");

    let port = free_port()?;
    let driver = Driver(
        Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("starting chromedriver")?,
    );
    let profile = dir.path().join("chromium-profile");
    let caps = serde_json::json!({
        "goog:chromeOptions": {
            "binary": chromium,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,900", "--lang=en-US",
                format!("--user-data-dir={}", profile.display()),
            ]
        }
    });
    let caps = match caps {
        serde_json::Value::Object(map) => map,
        _ => bail!("capabilities must be an object"),
    };
    let webdriver = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(20);
    let client = loop {
        let attempt = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps.clone())
            .connect(&webdriver)
            .await;
        match attempt {
            Ok(client) => break client,
            Err(err) if Instant::now() < deadline => {
                let _ = err;
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            Err(err) => return Err(err).context("connecting to chromedriver"),
        }
    };
    let outbox = dir.path().join("outbox.jsonl");
    let (browser, result) = body(Browser {
        client,
        base,
        outbox,
        server,
    })
    .await;
    let closed = browser.client.close().await;
    drop(driver);
    result?;
    closed.context("closing the browser session")?;
    Ok(())
}
