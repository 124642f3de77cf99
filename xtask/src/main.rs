//! `cargo xtask <command>`: the project's build and test automation, in Rust so that a fresh
//! machine needs nothing but the Rust toolchain (rust-analyzer's xtask pattern).
//!
//! - `cargo xtask run`: build the SPA and serve API + SPA on http://127.0.0.1:8080 (SQLite).
//! - `cargo xtask test`: every test: unit, API integration on SQLite (and PostgreSQL when
//!   `TEST_POSTGRES_URL` is set), OpenAPI drift, the shared crate's wasm32 build, browser tests.
//! - `cargo xtask build-frontend`: build the SPA into `frontend/dist`.
//! - `cargo xtask openapi`: rewrite `openapi/openapi.json` from the code.
//! - `cargo xtask fuzz-api`: schemathesis over the OpenAPI document against a running server,
//!   with an API key of every scope.

mod bench;
mod browser;
mod frontend;
mod fuzz_api;
mod util;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};

use crate::util::{cargo, run};

#[derive(Parser)]
#[command(name = "cargo xtask", about = "ExamCloud build and test automation")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the SPA and run the server (API + SPA) on the embedded SQLite database.
    Run {
        /// Port to listen on (default 8080, or APP_SERVER__PORT).
        #[arg(long)]
        port: Option<u16>,
        /// Database: a SQLite file path or a postgres:// URL (default data/examcloud.db).
        #[arg(long)]
        database_url: Option<String>,
        /// Build the server with optimisations (slower build, faster server).
        #[arg(long)]
        release: bool,
        /// Build the SPA in the dev profile (faster build, bigger bundle).
        #[arg(long)]
        dev_frontend: bool,
        /// Create the demo organisation (demo@example.com / demo-password-2026) first.
        #[arg(long)]
        demo: bool,
    },
    /// Run the whole test suite.
    Test {
        /// Skip the browser tests (they need Chromium and ChromeDriver).
        #[arg(long)]
        no_browser: bool,
    },
    /// Build the SPA into frontend/dist (content-hashed assets + index.html).
    BuildFrontend {
        /// Build the wasm in the dev profile (faster build, bigger bundle).
        #[arg(long)]
        dev: bool,
    },
    /// Regenerate openapi/openapi.json from the code.
    Openapi,
    /// Fuzz the API from its OpenAPI document (schemathesis in a virtualenv this creates) with
    /// an API key of every scope; fails on any 5xx or response contradicting the document.
    FuzzApi {
        /// Examples per operation and key.
        #[arg(long, default_value_t = 20)]
        max_examples: u32,
    },
    /// Run a benchmark against a release build of the server in its own process, on a fresh
    /// SQLite file and/or PostgreSQL database; prints the figures and the server's peak RSS.
    Bench {
        /// `questions`: 10,000-question xlsx import, then list/filter latency; `exam-day`: N
        /// candidates sign in, start, save answers and submit (or `--closed-loop C` saving).
        scenario: String,
        /// `sqlite`, `postgres` (TEST_POSTGRES_URL's server, database examcloud_bench) or `both`.
        #[arg(long, default_value = "both")]
        database: String,
        /// Further arguments for the scenario (see `examcloud-bench <scenario> --help`).
        #[arg(last = true)]
        args: Vec<String>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run {
            port,
            database_url,
            release,
            dev_frontend,
            demo,
        } => run_server(port, database_url, release, dev_frontend, demo),
        Command::Test { no_browser } => test(no_browser),
        Command::BuildFrontend { dev } => {
            frontend::build(&frontend::BuildOptions { dev }).map(|_| ())
        }
        Command::Openapi => openapi(),
        Command::FuzzApi { max_examples } => fuzz_api::fuzz(max_examples),
        Command::Bench {
            scenario,
            database,
            args,
        } => bench::run(&scenario, &database, &args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("xtask: error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root (the parent of this crate's directory).
pub fn workspace_root() -> PathBuf {
    let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .map(PathBuf::from)
        .unwrap_or(manifest_dir)
}

fn run_server(
    port: Option<u16>,
    database_url: Option<String>,
    release: bool,
    dev_frontend: bool,
    demo: bool,
) -> anyhow::Result<()> {
    let root = workspace_root();
    frontend::build(&frontend::BuildOptions { dev: dev_frontend })?;
    let mut cmd = cargo();
    cmd.args(["run", "--package", "backend", "--bin", "examcloud"]);
    if release {
        cmd.arg("--release");
    }
    cmd.args(["--", "serve"]);
    if let Some(port) = port {
        cmd.args(["--port", &port.to_string()]);
    }
    if let Some(url) = database_url {
        cmd.args(["--database-url", &url]);
    }
    if demo {
        cmd.arg("--demo");
    }
    run(&mut cmd, &root)
}

fn test(no_browser: bool) -> anyhow::Result<()> {
    let root = workspace_root();
    let started = std::time::Instant::now();

    eprintln!("\n== shared: builds for wasm32 and depends on no server crate ==");
    frontend::ensure_wasm_target()?;
    run(
        cargo().args([
            "check",
            "--package",
            "shared",
            "--target",
            "wasm32-unknown-unknown",
        ]),
        &root,
    )?;
    for forbidden in ["diesel", "actix-web", "tokio"] {
        let out = cargo()
            .args([
                "tree",
                "--package",
                "shared",
                "--target",
                "all",
                "--edges",
                "normal,build",
                "--invert",
                forbidden,
            ])
            .current_dir(&root)
            .output()
            .context("running cargo tree")?;
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        // "did not match any packages": the package is nowhere in shared's graph.
        if !out.status.success() && !stderr.contains("did not match any packages") {
            bail!("cargo tree failed:\n{stderr}");
        }
        if stdout.lines().any(|l| l.contains(forbidden)) {
            bail!("the shared crate depends on {forbidden}:\n{stdout}");
        }
    }

    eprintln!("\n== fuzz targets compile (their corpora run in the question-formats tests) ==");
    run(
        cargo().args(["check", "--manifest-path", "fuzz/Cargo.toml"]),
        &root,
    )?;

    eprintln!("\n== unit tests and API integration tests on SQLite ==");
    run(
        cargo()
            .args(["test", "--workspace", "--exclude", "e2e"])
            .env("TEST_BACKEND", "sqlite"),
        &root,
    )?;

    match std::env::var("TEST_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => {
            eprintln!("\n== API integration tests on PostgreSQL ==");
            // The same package selection as the SQLite run, so cargo reuses its build (a
            // narrower selection resolves dependency features differently and rebuilds them).
            run(
                cargo()
                    .args(["test", "--workspace", "--exclude", "e2e", "--test", "api"])
                    .env("TEST_BACKEND", "postgres"),
                &root,
            )?;
        }
        _ => eprintln!(
            "\n== PostgreSQL: skipped (set TEST_POSTGRES_URL to run the API tests on it too) =="
        ),
    }

    if no_browser {
        eprintln!("\n== browser tests: skipped (--no-browser) ==");
    } else {
        eprintln!("\n== browser tests (headless Chromium) ==");
        browser::ensure_chromium()?;
        frontend::build(&frontend::BuildOptions { dev: false })?;
        run(cargo().args(["test", "--package", "e2e"]), &root)?;
    }

    eprintln!("\nxtask: all tests passed in {:.0?}", started.elapsed());
    Ok(())
}

fn openapi() -> anyhow::Result<()> {
    let root = workspace_root();
    let out = root.join("openapi/openapi.json");
    run(
        cargo()
            .args([
                "run",
                "--quiet",
                "--package",
                "backend",
                "--bin",
                "examcloud",
                "--",
                "openapi",
                "--output",
            ])
            .arg(&out),
        &root,
    )?;
    eprintln!("xtask: wrote {}", out.display());
    Ok(())
}
