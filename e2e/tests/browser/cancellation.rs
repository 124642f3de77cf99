//! Cancelling the organisation (privacy statement 5.3) in the browser: the owner opens Account →
//! Cancel organisation, asks for a code, confirms with it and the box ticked; the page and a
//! banner over the console show the date; once the grace period is over (the job queue run at
//! a later time) the session is gone and the owner's password no longer signs in. Another
//! owner schedules it, an admin sees the banner and a read-only page, and the owner undoes it.
//!
//! `data-testid`s:
//!
//! - `account-tab-cancel` (the account tab; the owner's only).
//! - `/account/cancel`: `cancel-page`, `cancel-status` (`data-status` = `none` or
//!   `scheduled`), `cancel-grace` (the grace period in words), `cancel-destination` (where
//!   the code goes), `cancel-send-code` (with `cooldown` while it counts down, and `code-sent`
//!   once a code is on its way), `cancel-code` (its error `field-error-code`),
//!   `cancel-understand` (the box to tick; `cancel-understand-error` while it is not),
//!   `cancel-confirm`, `cancel-error` (the form's alert), `cancel-notice` (what the last action
//!   did); when scheduled `cancel-effective` and `cancel-requested` (local date and time) and the
//!   owner's `cancel-undo`; anyone else's `cancel-owner-only`.
//! - `cancel-banner` over every console page while scheduled, with the owner's
//!   `cancel-banner-link` to the page.

use std::time::{Duration, Instant};

use anyhow::{Context, bail, ensure};
use backend::db::types::Timestamp;
use serde_json::{Value, json};

use crate::accounts::PASSWORD;
use crate::builders;
use crate::harness::{Browser, with_browser};
use crate::support::{agree_to_policies, call, present};

const ADMIN_PASSWORD: &str = "Second-in-command-2026";

/// The code of the `nth` (1-based) cancellation code sent to `to`, once it is in the outbox.
async fn cancellation_code(b: &Browser, to: &str, nth: usize) -> anyhow::Result<String> {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        let text = std::fs::read_to_string(&b.outbox).unwrap_or_default();
        let codes: Vec<Value> = text
            .lines()
            .filter_map(|l| serde_json::from_str::<Value>(l).ok())
            .filter(|m| {
                m["to"] == to
                    && m["template"] == "verification_code"
                    && m["subject"]
                        .as_str()
                        .is_some_and(|s| s.contains("cancellation") || s.contains("注销"))
            })
            .collect();
        if let Some(message) = codes.get(nth - 1) {
            let body = message["body"].as_str().unwrap_or_default();
            return body
                .split(|c: char| !c.is_ascii_digit())
                .find(|w| w.len() == 6)
                .map(str::to_owned)
                .context("no 6-digit code in the message");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    bail!("no cancellation code {nth} to {to} in the outbox")
}

/// From anywhere signed in as the owner to the cancellation page, not yet scheduled.
async fn open_cancel_page(b: &Browser) -> anyhow::Result<()> {
    b.goto("/account").await?;
    b.click("[data-testid=account-tab-cancel]").await?;
    b.wait_attr("[data-testid=cancel-status]", "data-status", |s| {
        s == "none"
    })
    .await?;
    Ok(())
}

/// Asks for a code, confirms with it and the box ticked, and waits for the scheduled state.
async fn schedule(b: &Browser, email: &str) -> anyhow::Result<()> {
    b.click("[data-testid=cancel-send-code]").await?;
    b.wait_text("[data-testid=code-sent]", |t| t.contains("@"))
        .await?;
    let code = cancellation_code(b, email, 1).await?;
    b.fill("[data-testid=cancel-code]", &code).await?;
    b.click("[data-testid=cancel-understand]").await?;
    b.click("[data-testid=cancel-confirm]").await?;
    b.wait_attr("[data-testid=cancel-status]", "data-status", |s| {
        s == "scheduled"
    })
    .await?;
    Ok(())
}

/// Signs out and in again with a password; ends on the dashboard.
async fn switch_user(b: &Browser, identifier: &str, password: &str) -> anyhow::Result<()> {
    b.goto("/account").await?;
    b.click("[data-testid=logout]").await?;
    b.wait_text("[data-testid=nav-login]", |t| !t.is_empty())
        .await?;
    b.goto("/login").await?;
    b.click("[data-testid=login-mode-password]").await?;
    b.fill("[data-testid=login-identifier]", identifier).await?;
    b.fill("[data-testid=login-password]", password).await?;
    b.click("[data-testid=login-submit]").await?;
    b.wait_attr("[data-testid=dashboard]", "data-testid", |_| true)
        .await?;
    Ok(())
}

#[tokio::test]
async fn an_owner_cancels_the_organisation_and_after_the_grace_period_nobody_signs_in()
-> anyhow::Result<()> {
    with_browser(|b: Browser| async move {
        let result = async {
            let email = "owner@farewell.example";
            builders::new_org(&b, "en", "Farewell Academy", email).await?;
            open_cancel_page(&b).await?;
            b.wait_text("[data-testid=cancel-grace]", |t| t.contains("15 days"))
                .await?;
            b.wait_text("[data-testid=cancel-destination]", |t| {
                t.contains("@farewell.example")
            })
            .await?;
            ensure!(
                !present(&b, "[data-testid=cancel-banner]").await?,
                "no banner before anything is scheduled"
            );

            // Nothing typed, nothing ticked: both are asked for, nothing is sent.
            b.click("[data-testid=cancel-confirm]").await?;
            b.wait_text("[data-testid=cancel-error]", |t| !t.is_empty())
                .await?;
            b.wait_text("[data-testid=field-error-code]", |t| !t.is_empty())
                .await?;
            b.wait_text("[data-testid=cancel-understand-error]", |t| {
                t.contains("Tick the box")
            })
            .await?;

            // A wrong code is refused beside the code.
            b.click("[data-testid=cancel-send-code]").await?;
            b.wait_text("[data-testid=code-sent]", |t| {
                t.contains("@farewell.example")
            })
            .await?;
            b.wait_text("[data-testid=cooldown]", |t| t.starts_with("Send again"))
                .await?;
            let code = cancellation_code(&b, email, 1).await?;
            let wrong = if code == "000000" { "111111" } else { "000000" };
            b.fill("[data-testid=cancel-code]", wrong).await?;
            b.click("[data-testid=cancel-understand]").await?;
            b.click("[data-testid=cancel-confirm]").await?;
            b.wait_text("[data-testid=field-error-code]", |t| !t.is_empty())
                .await?;
            b.wait_attr("[data-testid=cancel-status]", "data-status", |s| {
                s == "none"
            })
            .await?;

            // The right one schedules it: the date on the page, the banner over the console.
            b.fill("[data-testid=cancel-code]", &code).await?;
            b.click("[data-testid=cancel-confirm]").await?;
            b.wait_attr("[data-testid=cancel-status]", "data-status", |s| {
                s == "scheduled"
            })
            .await?;
            b.wait_text("[data-testid=cancel-effective]", |t| {
                t.chars().any(|c| c.is_ascii_digit())
            })
            .await?;
            b.wait_text("[data-testid=cancel-notice]", |t| t.contains("scheduled"))
                .await?;
            ensure!(present(&b, "[data-testid=cancel-undo]").await?);
            b.wait_text("[data-testid=cancel-banner]", |t| {
                t.contains("will be deleted on")
            })
            .await?;
            // Read again on every load of the console.
            b.goto("/dashboard").await?;
            b.client.refresh().await?;
            b.wait_text("[data-testid=cancel-banner]", |t| {
                t.contains("Account → Cancel organisation")
            })
            .await?;
            ensure!(present(&b, "[data-testid=cancel-banner-link]").await?);

            // The grace period passes: the deletion runs.
            let state = call(&b, "GET", "/api/org/cancellation", None).await?;
            let grace_days = state["grace_days"].as_u64().context("grace_days")?;
            let later = Duration::from_secs((grace_days + 1) * 24 * 60 * 60);
            let ran = b
                .run_jobs_at(Timestamp::from(Timestamp::now().0 + later))
                .await?;
            ensure!(ran >= 1, "no job ran");

            // The session is gone: a reload lands on the sign-in page; the password is refused.
            b.goto("/account/cancel").await?;
            let deadline = Instant::now() + Duration::from_secs(30);
            while b.current_path().await? != "/login" {
                ensure!(
                    Instant::now() < deadline,
                    "still signed in after the deletion"
                );
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            ensure!(!present(&b, "[data-testid=cancel-banner]").await?);
            b.click("[data-testid=login-mode-password]").await?;
            b.fill("[data-testid=login-identifier]", email).await?;
            b.fill("[data-testid=login-password]", PASSWORD).await?;
            b.click("[data-testid=login-submit]").await?;
            b.wait_text("[data-testid=login-error]", |t| {
                t == "The account or password is incorrect."
            })
            .await?;
            Ok(())
        }
        .await;
        (b, result)
    })
    .await
}

#[tokio::test]
async fn an_admin_sees_the_scheduled_cancellation_and_the_owner_undoes_it() -> anyhow::Result<()> {
    with_browser(|b: Browser| async move {
        let result = async {
            let email = "owner@second-thoughts.example";
            builders::new_org(&b, "zh-CN", "再想想学校", email).await?;
            call(
                &b,
                "POST",
                "/api/org/users",
                Some(
                    json!({ "login_account": "cancel.admin", "display_name": "管理员",
                    "password": ADMIN_PASSWORD, "role": "admin" }),
                ),
            )
            .await?;
            open_cancel_page(&b).await?;
            schedule(&b, email).await?;
            b.wait_text("[data-testid=cancel-banner]", |t| t.contains("注销"))
                .await?;

            // An admin: the banner without the link, the page read-only, no tab.
            switch_user(&b, "cancel.admin", ADMIN_PASSWORD).await?;
            agree_to_policies(&b).await?;
            b.wait_text("[data-testid=cancel-banner]", |t| t.contains("所有者"))
                .await?;
            ensure!(!present(&b, "[data-testid=cancel-banner-link]").await?);
            b.goto("/account/cancel").await?;
            b.wait_attr("[data-testid=cancel-status]", "data-status", |s| {
                s == "scheduled"
            })
            .await?;
            b.wait_text("[data-testid=cancel-effective]", |t| !t.is_empty())
                .await?;
            b.wait_text("[data-testid=cancel-owner-only]", |t| t.contains("所有者"))
                .await?;
            ensure!(!present(&b, "[data-testid=cancel-undo]").await?);
            ensure!(!present(&b, "[data-testid=account-tab-cancel]").await?);

            // The owner undoes it from the banner's link: back to none, the banner gone.
            switch_user(&b, email, PASSWORD).await?;
            b.click("[data-testid=cancel-banner-link]").await?;
            b.click("[data-testid=cancel-undo]").await?;
            b.wait_attr("[data-testid=cancel-status]", "data-status", |s| {
                s == "none"
            })
            .await?;
            b.wait_text("[data-testid=cancel-notice]", |t| t.contains("已撤销"))
                .await?;
            b.wait_count("[data-testid=cancel-banner]", 0).await?;
            ensure!(present(&b, "[data-testid=cancel-confirm]").await?);
            let state = call(&b, "GET", "/api/org/cancellation", None).await?;
            ensure!(state["status"] == "none", "{state}");
            Ok(())
        }
        .await;
        (b, result)
    })
    .await
}
