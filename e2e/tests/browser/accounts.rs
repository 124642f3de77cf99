//! Organisations register (by email and by mobile, reading the code from the development
//! outbox as a person running locally would), sign out, sign in, and see their account.

use crate::harness::{Browser, with_browser};

pub(crate) const PASSWORD: &str = "correct horse battery";

/// Registers an organisation through the register page, reading the code from message
/// `outbox_index` of the outbox (sent to `to`); ends signed in on the account page.
pub(crate) async fn register(
    b: &Browser,
    org: &str,
    destination: &str,
    outbox_index: usize,
    to: &str,
) -> anyhow::Result<()> {
    b.goto("/register").await?;
    b.fill("[data-testid=register-org-name]", org).await?;
    b.fill("[data-testid=register-destination]", destination)
        .await?;
    b.click("[data-testid=register-send-code]").await?;
    b.wait_text("[data-testid=code-sent]", |t| !t.is_empty())
        .await?;
    let code = b.code_from_outbox(outbox_index, to).await?;
    b.fill("[data-testid=register-code]", &code).await?;
    b.fill("[data-testid=register-password]", PASSWORD).await?;
    b.fill("[data-testid=register-password-confirm]", PASSWORD)
        .await?;
    // Registering needs agreement to the privacy statement and the terms.
    b.click("[data-testid=register-submit]").await?;
    b.wait_text("[data-testid=register-accept-error]", |t| !t.is_empty())
        .await?;
    b.click("[data-testid=register-accept]").await?;
    b.click("[data-testid=register-submit]").await?;
    b.wait_text("[data-testid=account-org-name]", |t| t == org)
        .await?;
    Ok(())
}

#[tokio::test]
async fn an_org_registers_by_email_and_sees_its_account() -> anyhow::Result<()> {
    with_browser(|b: Browser| async move {
        let result = async {
            b.goto("/").await?;
            b.click("[data-testid=lang-en]").await?;
            register(
                &b,
                "Email Registration School",
                "Reg.Email@Example.com",
                1,
                "Reg.Email@example.com",
            )
            .await?;
            b.wait_text("[data-testid=account-email]", |t| t == "R***@example.com")
                .await?;
            b.wait_text("[data-testid=account-role]", |t| !t.is_empty())
                .await?;
            anyhow::ensure!(
                b.current_path().await? == "/account",
                "not on the account page"
            );
            // Signed in across a reload (cookies, not page state).
            b.client.refresh().await?;
            b.wait_text("[data-testid=account-org-name]", |t| {
                t == "Email Registration School"
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
async fn an_org_registers_by_mobile_signs_out_and_signs_in_again() -> anyhow::Result<()> {
    with_browser(|b: Browser| async move {
        let result = async {
            b.goto("/").await?;
            b.click("[data-testid=lang-zh-CN]").await?;
            register(&b, "手机注册中学", "138 0013 8000", 1, "+8613800138000").await?;
            b.wait_text("[data-testid=account-phone]", |t| t == "138****8000")
                .await?;
            b.click("[data-testid=logout]").await?;
            b.wait_text("[data-testid=nav-login]", |t| !t.is_empty())
                .await?;

            // A wrong password is refused with a message; the right one signs in.
            b.goto("/login").await?;
            b.click("[data-testid=login-mode-password]").await?;
            b.fill("[data-testid=login-identifier]", "13800138000")
                .await?;
            b.fill("[data-testid=login-password]", "not the password")
                .await?;
            b.click("[data-testid=login-submit]").await?;
            b.wait_text("[data-testid=login-error]", |t| !t.is_empty())
                .await?;
            b.fill("[data-testid=login-password]", PASSWORD).await?;
            // Device details go to the sign-in log only when the box is ticked.
            b.click("[data-testid=login-share-device]").await?;
            b.click("[data-testid=login-submit]").await?;
            crate::account_settings::to_account(&b, "手机注册中学").await?;
            let (status, body) = b.fetch_in_page("/api/audit?action=auth.login").await?;
            anyhow::ensure!(status == 200, "audit: {status} {body}");
            let page: serde_json::Value = serde_json::from_str(&body)?;
            let device = &page["entries"][0]["device"];
            let screen = device["screen"].as_str().unwrap_or_default();
            anyhow::ensure!(
                screen.split('x').count() == 2 && screen.chars().any(|c| c.is_ascii_digit()),
                "the screen size is recorded: {page}"
            );
            anyhow::ensure!(
                device["timezone"].as_str().is_some_and(|t| !t.is_empty()),
                "the time zone is recorded: {page}"
            );
            Ok(())
        }
        .await;
        (b, result)
    })
    .await
}
