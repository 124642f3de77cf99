//! `examcloud-bench`: load generators that drive a running ExamCloud server over HTTP. Run by
//! `cargo xtask bench <scenario>`, which builds and starts the server (release build, its own
//! process, a fresh SQLite file or PostgreSQL database) and reports the server's peak memory.
//!
//! Scenarios:
//! - `questions`: import a 10,000-question xlsx into a new bank (preview, then commit), then
//!   time the bank's list and each filter. Prints import seconds and list latency percentiles.
//! - `exam-day`: a 50-question single-choice exam, N candidates imported by CSV and assigned;
//!   every candidate signs in on the demo portal (first, with bounded concurrency: argon2), starts
//!   at a random moment of a start window, saves answers every few seconds and submits. Prints
//!   setup times, sign-in figures, and per request kind (start, get paper, save, submit) the
//!   count, errors and latency percentiles, with the run's requests/s. With `--closed-loop C
//!   --seconds T`, C started candidates instead save back to back for T seconds: durable saves/s
//!   and save latency. With `--results`, then the organiser's side: the results table's pages,
//!   the full xlsx/CSV exports, and certificates for everyone as a job (results page timed
//!   meanwhile).

mod exam_day;
mod questions;
mod stats;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "examcloud-bench")]
struct Cli {
    /// The server, e.g. http://127.0.0.1:8080.
    #[arg(long)]
    base_url: String,
    /// A console account (the demo organisation's owner by default).
    #[arg(long, default_value = "demo@example.com")]
    account: String,
    #[arg(long, default_value = "demo-password-2026")]
    password: String,
    #[command(subcommand)]
    scenario: Scenario,
}

#[derive(Subcommand)]
enum Scenario {
    /// Import N questions from xlsx and time listing and filtering the bank.
    Questions {
        #[arg(long, default_value_t = 10_000)]
        n: usize,
        /// Requests per list/filter kind.
        #[arg(long, default_value_t = 100)]
        requests: usize,
    },
    /// Exam day: N candidates sign in, start within a window, save answers and submit.
    ExamDay {
        /// Candidates imported, assigned and simulated.
        #[arg(long, default_value_t = 2_000)]
        candidates: usize,
        /// Attempts start at random moments of this many seconds.
        #[arg(long, default_value_t = 60)]
        window_secs: u64,
        /// Mean seconds between a candidate's saves (jittered by ±50 %).
        #[arg(long, default_value_t = 3.0)]
        save_every_secs: f64,
        /// Saves per candidate before submitting.
        #[arg(long, default_value_t = 10)]
        saves: usize,
        /// Portal sign-ins in flight at once (each is an argon2 verification on the server).
        #[arg(long, default_value_t = 8)]
        login_concurrency: usize,
        /// Closed loop instead: this many started candidates save back to back (imports only
        /// these candidates; `--candidates` is not used).
        #[arg(long)]
        closed_loop: Option<usize>,
        /// Length of the closed loop in seconds.
        #[arg(long, default_value_t = 20)]
        seconds: u64,
        /// Then time the results table, its xlsx/CSV exports and issuing everyone a
        /// certificate (a job), with the results page timed while it runs.
        #[arg(long)]
        results: bool,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Err(e) = wait_until_up(&cli.base_url).await {
        eprintln!("bench failed: {e:#}");
        return ExitCode::FAILURE;
    }
    let result = match cli.scenario {
        Scenario::Questions { n, requests } => {
            questions::run(&cli.base_url, &cli.account, &cli.password, n, requests).await
        }
        Scenario::ExamDay {
            candidates,
            window_secs,
            save_every_secs,
            saves,
            login_concurrency,
            closed_loop,
            seconds,
            results,
        } => {
            let opts = exam_day::Options {
                candidates,
                window_secs,
                save_every_secs,
                saves,
                login_concurrency,
                closed_loop,
                seconds,
                results,
            };
            exam_day::run(&cli.base_url, &cli.account, &cli.password, opts).await
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench failed: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Waits up to 120 s for the server's health endpoint.
async fn wait_until_up(base: &str) -> anyhow::Result<()> {
    let client = reqwest::Client::new();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    loop {
        if let Ok(res) = client.get(format!("{base}/api/health")).send().await
            && res.status().is_success()
        {
            return Ok(());
        }
        anyhow::ensure!(
            std::time::Instant::now() < deadline,
            "the server at {base} did not come up"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
}

/// A console session: cookies and the CSRF header.
pub struct Console {
    pub client: reqwest::Client,
    pub base: String,
}

impl Console {
    pub async fn sign_in(base: &str, account: &str, password: &str) -> anyhow::Result<Console> {
        let client = reqwest::Client::builder().cookie_store(true).build()?;
        let res = client
            .post(format!("{base}/api/auth/login"))
            .header("x-examcloud-csrf", "1")
            .json(&serde_json::json!({ "identifier": account, "password": password }))
            .send()
            .await?;
        anyhow::ensure!(
            res.status().is_success(),
            "sign-in as {account} failed: {} {}",
            res.status(),
            res.text().await.unwrap_or_default()
        );
        Ok(Console {
            client,
            base: base.to_owned(),
        })
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}
