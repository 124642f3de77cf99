//! The privacy centre in the browser: a visitor reads the privacy statement and the terms at
//! `/privacy` (version and effective date), the footer of every page links there; a new
//! organisation must agree before it can register (see `accounts::register`), and its owner
//! withdraws the optional device-details consent on the privacy page, which the consent
//! records then show.
//!
//! `data-testid`s: `footer-privacy`, `privacy-tab-privacy` / `privacy-tab-terms`,
//! `policy-document`, `policy-version`, `policy-effective`, `policy-text`, `policy-history`,
//! `privacy-contact`, `privacy-choices`, `device-details-state`, `device-details-toggle`,
//! `privacy-saved`, `consent-records` (`consent-row`); the consent step `consent-gate`,
//! `consent-accept`, `consent-decline`, `consent-read-{kind}`; the agreement boxes
//! `register-accept` and `registration-accept` (each with `…-error`).

use crate::builders;
use crate::harness::{Browser, with_browser};

#[tokio::test]
async fn a_visitor_reads_the_policies_and_an_owner_withdraws_the_device_consent()
-> anyhow::Result<()> {
    with_browser(|b: Browser| async move {
        let result = async {
            // A visitor: from the footer to the privacy statement, then the terms.
            b.goto("/").await?;
            b.click("[data-testid=lang-en]").await?;
            b.click("[data-testid=footer-privacy]").await?;
            b.wait_text("[data-testid=policy-version]", |t| t == "1.0")
                .await?;
            b.wait_text("[data-testid=policy-effective]", |t| t == "2024-05-22")
                .await?;
            b.wait_text("[data-testid=policy-text]", |t| {
                t.contains("ExamCloud") && t.contains("How to contact us")
            })
            .await?;
            b.wait_text("[data-testid=privacy-contact]", |t| {
                t.contains("service@zcth.cn")
            })
            .await?;
            b.click("[data-testid=privacy-tab-terms]").await?;
            b.wait_text("[data-testid=policy-text]", |t| {
                t.contains("Terms of Service")
            })
            .await?;
            b.click("[data-testid=lang-zh-CN]").await?;
            b.wait_text("[data-testid=policy-text]", |t| t.contains("服务协议"))
                .await?;
            b.click("[data-testid=lang-en]").await?;

            // An owner (who agreed when registering) turns device details off.
            builders::new_org(&b, "en", "Privacy Academy", "owner@privacy.example").await?;
            b.goto("/privacy").await?;
            b.wait_text("[data-testid=device-details-state]", |t| t == "On")
                .await?;
            b.wait_count("[data-testid=consent-row]", 2).await?;
            b.click("[data-testid=device-details-toggle]").await?;
            b.wait_text("[data-testid=device-details-state]", |t| t == "Off")
                .await?;
            b.wait_text("[data-testid=privacy-saved]", |t| t == "Saved.")
                .await?;
            b.wait_count("[data-testid=consent-row]", 3).await?;
            b.wait_text("[data-testid=consent-records]", |t| t.contains("Withdrawn"))
                .await?;
            Ok(())
        }
        .await;
        (b, result)
    })
    .await
}
