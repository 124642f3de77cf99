//! The console's dashboard: the demo organisation signs in and lands on it, sees its open exam
//! with the candidate who is taking it, the finished exam's pass rate, the answer waiting for
//! a grader and the portal address; the system status is no longer in its menu but still at
//! its URL.
//!
//! The dashboard's `data-testid`s: `dashboard` (the sections, once loaded), `nav-dashboard`;
//! sections `dashboard-checklist` (`checklist-step`: `data-step`, `data-done`),
//! `dashboard-running` (`dashboard-live-exam` with `data-exam-id`, `dashboard-live-name`,
//! `dashboard-live-count` with `data-count`, `dashboard-live-monitor`;
//! `dashboard-running-empty`), `dashboard-attention` (`dashboard-grading-exam`,
//! `dashboard-grading-count` with `data-count`, `dashboard-grading-open`,
//! `dashboard-failed-notifications`, `dashboard-import`, `dashboard-nothing-waiting`),
//! `dashboard-recent` (`dashboard-recent-exam`, `dashboard-recent-name`,
//! `dashboard-recent-attempts`, `dashboard-pass-rate`, `dashboard-recent-results`;
//! `dashboard-recent-empty`), `dashboard-portal` (`dashboard-portal-url`,
//! `dashboard-portal-copy`).

use serde_json::json;

use crate::harness::{Browser, with_browser};
use crate::support::present;

/// A demo candidate starts the open demo exam on their own device; answers the exam's id.
async fn candidate_starts_the_demo_exam(b: &Browser) -> anyhow::Result<String> {
    let candidate = b.other_device("Candidate device")?;
    let (status, body) = candidate
        .post_json(
            "/api/portal/demo/login",
            &json!({ "identifier": "demo001",
                     "password": backend::demo::DEMO_CANDIDATE_PASSWORD }),
        )
        .await?;
    anyhow::ensure!(status == 200, "portal sign-in: {status} {body}");
    let exams = candidate.get_json("/api/candidate/exams").await?;
    let exam = exams
        .as_array()
        .and_then(|list| list.iter().find(|e| e["name"] == backend::demo::DEMO_EXAM))
        .and_then(|e| e["id"].as_str())
        .ok_or_else(|| anyhow::anyhow!("the demo exam is not listed: {exams}"))?
        .to_owned();
    let (status, body) = candidate
        .post_json(&format!("/api/candidate/exams/{exam}/attempts"), &json!({}))
        .await?;
    anyhow::ensure!(status == 201, "starting the demo exam: {status} {body}");
    Ok(exam)
}

#[tokio::test]
async fn the_demo_organisation_lands_on_its_dashboard_with_the_live_exam() -> anyhow::Result<()> {
    with_browser(|b: Browser| async move {
        let result = async {
            b.seed_demo()?;
            let exam = candidate_starts_the_demo_exam(&b).await?;

            b.goto("/login").await?;
            b.click("[data-testid=lang-en]").await?;
            b.click("[data-testid=login-mode-password]").await?;
            b.fill("[data-testid=login-identifier]", backend::demo::DEMO_EMAIL)
                .await?;
            b.fill("[data-testid=login-password]", backend::demo::DEMO_PASSWORD)
                .await?;
            b.click("[data-testid=login-submit]").await?;
            b.wait_text("[data-testid=page-title]", |t| t == "Dashboard")
                .await?;
            anyhow::ensure!(
                b.current_path().await? == "/dashboard",
                "signing in did not land on the dashboard"
            );

            // The open exam, with the candidate who is in it.
            let live = format!("[data-testid=dashboard-live-exam][data-exam-id='{exam}']");
            b.wait_text(&format!("{live} [data-testid=dashboard-live-name]"), |t| {
                t == backend::demo::DEMO_EXAM
            })
            .await?;
            b.wait_attr(
                &format!("{live} [data-testid=dashboard-live-count]"),
                "data-count",
                |n| n == "1",
            )
            .await?;
            b.wait_text(&format!("{live} [data-testid=dashboard-live-count]"), |t| {
                t == "1 candidate in it"
            })
            .await?;

            // The finished exam: two of the four graded attempts passed; one essay waits.
            let rates = b.texts("[data-testid=dashboard-pass-rate]").await?;
            anyhow::ensure!(
                rates.iter().any(|r| r == "50% (2 of 4)"),
                "pass rates: {rates:?}"
            );
            b.wait_attr("[data-testid=dashboard-grading-count]", "data-count", |n| {
                n == "1"
            })
            .await?;

            // The portal address to copy, absolute; the demo is set up, so no checklist.
            b.wait_text("[data-testid=dashboard-portal-url]", |t| {
                t == format!("{}/o/demo/login", b.base)
            })
            .await?;
            anyhow::ensure!(
                present(&b, "[data-testid=dashboard-portal-copy]").await?,
                "no copy button"
            );
            anyhow::ensure!(
                !present(&b, "[data-testid=dashboard-checklist]").await?,
                "the checklist of a set-up organisation is shown"
            );

            // The dashboard leads the menu; the system status is not in it, but still at its
            // URL; the home page is the dashboard.
            let first = b
                .client
                .find(fantoccini::Locator::Css(".site-nav a"))
                .await?;
            anyhow::ensure!(
                first.attr("data-testid").await?.as_deref() == Some("nav-dashboard"),
                "the dashboard is not first in the menu"
            );
            anyhow::ensure!(
                !present(&b, "[data-testid=nav-status]").await?,
                "the system status is in an organisation user's menu"
            );
            b.goto("/status").await?;
            b.wait_text("[data-testid=page-title]", |t| t == "System status")
                .await?;
            b.goto("/").await?;
            b.wait_text("[data-testid=page-title]", |t| t == "Dashboard")
                .await?;
            anyhow::ensure!(
                b.current_path().await? == "/dashboard",
                "/ is not the dashboard"
            );
            Ok(())
        }
        .await;
        (b, result)
    })
    .await
}
