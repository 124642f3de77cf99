//! "My data" (privacy statement 5.1 and 5.3) in the browser: a candidate on the portal sees
//! what is held about them, corrects their name, requests an export, downloads the ZIP once
//! (its `profile.json` has the corrected name) and a second download is refused; an owner in
//! the console sees their account and the audit entries naming them, and requests an export.
//!
//! `data-testid`s of `/account/data` and `/o/{slug}/my-data`:
//!
//! - `my-data` (the sections; `data-subject` = `user` or `candidate`), `my-data-home` (the
//!   portal's link back home).
//! - Profile: `my-data-profile`, its values `my-data-organisation`, `my-data-name`,
//!   `my-data-login-account`, `my-data-email`, `my-data-phone`, `my-data-id-number`,
//!   `my-data-role`, `my-data-groups` (each `data-unset="true"` when not set),
//!   `my-data-last-sign-in`; the name form `my-data-name-input`, `my-data-name-save`,
//!   `my-data-name-error` (with `field-error-person_name` beside the input); a candidate's
//!   contact form `my-data-contact-destination`, `my-data-contact-send`, `my-data-contact-code`,
//!   `my-data-contact-save`, `my-data-contact-error` (`field-error-destination`,
//!   `field-error-code`, `code-sent`, `cooldown`); a user's `my-data-contact-console` with
//!   `my-data-security-link`; `my-data-message` (what the last form that succeeded did).
//! - Sections: `my-data-devices` (`my-data-device` rows), `my-data-consents` (`consent-row`
//!   rows), and for candidates `my-data-attempts` (`my-data-attempt`, `data-status`),
//!   `my-data-registrations` (`my-data-registration`), `my-data-certificates`
//!   (`my-data-certificate`); `my-data-audit` with `my-data-audit-total` (`data-total`) and
//!   `my-data-audit-row` (`data-action`, `data-outcome`). Each section's table is
//!   `<section>-table`; an empty section shows `<section>-none` instead.
//! - Exports: `my-data-exports`, `my-data-export-request`, `my-data-export-error` (409: one is
//!   being prepared; 429: five a day), `my-data-export-read-error` (re-reading the list
//!   failed), `my-data-exports-table` / `my-data-exports-none`, `my-data-export` (each row,
//!   `data-status` = `pending`, `ready`, `downloaded`, `expired` or `failed`, `data-id`),
//!   `my-data-export-download` (the link of a ready export).
//! - Links here: `account-tab-data` (the account tabs), `portal-my-data` (the portal's home),
//!   `privacy-my-data` / `privacy-my-data-link` (the privacy page, signed in).

use std::time::{Duration, Instant};

use anyhow::{Context, bail, ensure};
use serde_json::json;

use crate::builders;
use crate::harness::{Browser, with_browser};
use crate::support::{agree_to_policies, attr, present};

const PASSWORD: &str = "Data-subject-2026";

/// How long an export may take to be ready: the job worker looks every second.
const EXPORT_READY_WITHIN: Duration = Duration::from_secs(45);

#[tokio::test]
async fn a_candidate_corrects_their_name_and_downloads_their_data_once() -> anyhow::Result<()> {
    with_browser(|b: Browser| async move {
        let result = async {
            let slug = builders::new_org(&b, "en", "Data Academy", "owner@data.example").await?;
            builders::candidate(&b, "dt-001", "Wang Wu", PASSWORD).await?;

            b.goto(&format!("/o/{slug}/login")).await?;
            b.fill("[data-testid=portal-identifier]", "dt-001").await?;
            b.fill("[data-testid=portal-password]", PASSWORD).await?;
            b.click("[data-testid=portal-login-submit]").await?;
            agree_to_policies(&b).await?;
            b.wait_text("[data-testid=portal-hello]", |t| t.contains("Wang Wu"))
                .await?;

            // From the portal's home to "my data": the profile and the consents just given.
            b.click("[data-testid=portal-my-data]").await?;
            b.wait_text("[data-testid=my-data-name]", |t| t == "Wang Wu")
                .await?;
            b.wait_text("[data-testid=my-data-login-account]", |t| t == "dt-001")
                .await?;
            b.wait_text("[data-testid=my-data-organisation]", |t| {
                t == "Data Academy"
            })
            .await?;
            b.wait_text("[data-testid=my-data-consents]", |t| {
                t.contains("Privacy statement") && t.contains("Agreed")
            })
            .await?;
            b.wait_text("[data-testid=my-data-attempts]", |t| {
                t.contains("No exam attempts.")
            })
            .await?;
            ensure!(
                present(&b, "[data-testid=my-data-contact-destination]").await?,
                "a candidate changes their contact here"
            );
            b.click("[data-testid=lang-zh-CN]").await?;
            b.wait_text("[data-testid=page-title]", |t| t == "我的数据")
                .await?;
            b.click("[data-testid=lang-en]").await?;

            // Correcting the name.
            b.fill("[data-testid=my-data-name-input]", "Wang Wuyi")
                .await?;
            b.click("[data-testid=my-data-name-save]").await?;
            b.wait_text("[data-testid=my-data-message]", |t| {
                t == "Your name has been updated."
            })
            .await?;
            b.wait_text("[data-testid=my-data-name]", |t| t == "Wang Wuyi")
                .await?;

            // An export: prepared in the background, the page follows it until it is ready.
            b.click("[data-testid=my-data-export-request]").await?;
            b.wait_attr("[data-testid=my-data-export]", "data-status", |s| {
                s == "pending" || s == "ready"
            })
            .await?;
            wait_for_status(&b, "ready", EXPORT_READY_WITHIN).await?;
            let href = attr(&b, "[data-testid=my-data-export-download]", "href")
                .await?
                .context("the download link has no href")?;

            // Downloaded once: a ZIP whose profile has the corrected name.
            let (status, zip) = b.fetch_bytes_in_page(&href).await?;
            ensure!(status == 200, "the download answered {status}");
            ensure!(
                zip.starts_with(b"PK\x03\x04"),
                "not a ZIP: {:?}",
                zip.get(..8)
            );
            let profile = zip_entry_text(&b, &zip, "profile.json").await?;
            ensure!(
                profile.contains("Wang Wuyi"),
                "profile.json lacks the corrected name: {profile}"
            );

            // Never twice.
            let (status, _) = b.fetch_bytes_in_page(&href).await?;
            ensure!(status == 410, "a second download answered {status}");
            b.client.refresh().await?;
            wait_for_status(&b, "downloaded", Duration::from_secs(30)).await?;
            ensure!(
                !present(&b, "[data-testid=my-data-export-download]").await?,
                "a downloaded export still offers its link"
            );
            Ok(())
        }
        .await;
        (b, result)
    })
    .await
}

#[tokio::test]
async fn an_owner_sees_their_account_and_audit_entries_and_requests_an_export() -> anyhow::Result<()>
{
    with_browser(|b: Browser| async move {
        let result = async {
            let email = "owner@console-data.example";
            builders::new_org(&b, "en", "Console Data School", email).await?;

            // From the account tabs.
            b.click("[data-testid=account-tab-data]").await?;
            b.wait_attr("[data-testid=my-data]", "data-subject", |s| s == "user")
                .await?;
            b.wait_text("[data-testid=my-data-email]", |t| t == email)
                .await?;
            b.wait_text("[data-testid=my-data-login-account]", |t| !t.is_empty())
                .await?;
            b.wait_text("[data-testid=my-data-organisation]", |t| {
                t == "Console Data School"
            })
            .await?;
            b.wait_text("[data-testid=my-data-role]", |t| t == "Owner")
                .await?;
            ensure!(
                present(&b, "[data-testid=my-data-security-link]").await?,
                "users change their contact on the security page"
            );
            ensure!(
                !present(&b, "[data-testid=my-data-attempts]").await?,
                "exam attempts are a candidate's section"
            );
            b.wait_attr("[data-testid=my-data-audit-total]", "data-total", |t| {
                t.parse::<u64>().is_ok_and(|n| n > 0)
            })
            .await?;
            b.wait_attr("[data-testid=my-data-audit-row]", "data-action", |a| {
                !a.is_empty()
            })
            .await?;

            b.click("[data-testid=my-data-export-request]").await?;
            b.wait_attr("[data-testid=my-data-export]", "data-status", |s| {
                s == "pending" || s == "ready"
            })
            .await?;

            // The privacy page links here too.
            b.goto("/privacy").await?;
            b.click("[data-testid=privacy-my-data-link]").await?;
            b.wait_text("[data-testid=my-data-email]", |t| t == email)
                .await?;
            ensure!(
                b.current_path().await? == "/account/data",
                "the privacy page's link leads elsewhere"
            );
            Ok(())
        }
        .await;
        (b, result)
    })
    .await
}

/// Waits until the newest export's row has `status`.
async fn wait_for_status(b: &Browser, status: &str, within: Duration) -> anyhow::Result<()> {
    let deadline = Instant::now() + within;
    let mut last = None;
    while Instant::now() < deadline {
        if let Ok(value) = attr(b, "[data-testid=my-data-export]", "data-status").await {
            if value.as_deref() == Some(status) {
                return Ok(());
            }
            last = value;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    bail!("the export never became {status}; last status {last:?}")
}

/// The text of the entry `name` of a ZIP, found through its central directory. This crate
/// has no ZIP reader, so a deflated entry is inflated by the browser (`DecompressionStream`).
async fn zip_entry_text(b: &Browser, zip: &[u8], name: &str) -> anyhow::Result<String> {
    let u16_at = |i: usize| -> anyhow::Result<usize> {
        let s = zip.get(i..i + 2).context("the ZIP is truncated")?;
        Ok(usize::from(u16::from_le_bytes([s[0], s[1]])))
    };
    let u32_at = |i: usize| -> anyhow::Result<usize> {
        let s = zip.get(i..i + 4).context("the ZIP is truncated")?;
        Ok(usize::try_from(u32::from_le_bytes([
            s[0], s[1], s[2], s[3],
        ]))?)
    };
    let end = (0..=zip.len().saturating_sub(22))
        .rev()
        .find(|&i| zip[i..].starts_with(b"PK\x05\x06"))
        .context("no end of central directory")?;
    let entries = u16_at(end + 10)?;
    let mut at = u32_at(end + 16)?;
    let mut names = Vec::new();
    for _ in 0..entries {
        ensure!(
            zip.get(at..)
                .is_some_and(|rest| rest.starts_with(b"PK\x01\x02")),
            "no central directory entry at {at}"
        );
        let method = u16_at(at + 10)?;
        let compressed = u32_at(at + 20)?;
        let name_len = u16_at(at + 28)?;
        let skip = u16_at(at + 30)? + u16_at(at + 32)?;
        let local = u32_at(at + 42)?;
        let entry = zip
            .get(at + 46..at + 46 + name_len)
            .context("the ZIP is truncated")?;
        if entry == name.as_bytes() {
            let start = local + 30 + u16_at(local + 26)? + u16_at(local + 28)?;
            let data = zip
                .get(start..start + compressed)
                .context("the ZIP is truncated")?;
            let bytes = match method {
                0 => data.to_vec(),
                8 => inflate_in_page(b, data).await?,
                other => bail!("{name} uses compression method {other}"),
            };
            return Ok(String::from_utf8(bytes)?);
        }
        names.push(String::from_utf8_lossy(entry).into_owned());
        at += 46 + name_len + skip;
    }
    bail!("no {name} in the ZIP, only {names:?}")
}

/// Raw deflate data inflated by the page.
async fn inflate_in_page(b: &Browser, data: &[u8]) -> anyhow::Result<Vec<u8>> {
    let script = r#"
        const [bytes, done] = arguments;
        const stream = new Blob([new Uint8Array(bytes)]).stream()
            .pipeThrough(new DecompressionStream('deflate-raw'));
        new Response(stream).arrayBuffer()
            .then(b => done(Array.from(new Uint8Array(b))))
            .catch(e => done(String(e)));
    "#;
    let answer = b.client.execute_async(script, vec![json!(data)]).await?;
    let numbers = answer
        .as_array()
        .with_context(|| format!("inflating failed: {answer}"))?;
    numbers
        .iter()
        .map(|n| n.as_u64().and_then(|n| u8::try_from(n).ok()))
        .collect::<Option<Vec<u8>>>()
        .context("a byte out of range")
}
