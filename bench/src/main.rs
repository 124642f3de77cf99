//! `examcloud-bench`: load generators that drive a running ExamCloud server over HTTP. Run by
//! `cargo xtask bench <scenario>`, which builds and starts the server (release build, its own
//! process, a fresh SQLite file or PostgreSQL database) and reports the server's peak memory.
//!
//! Scenarios:
//! - `questions`: import a 10,000-question xlsx into a new bank (preview, then commit), then
//!   time the bank's list and each filter. Prints import seconds and list latency percentiles.

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
