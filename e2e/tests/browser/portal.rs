//! The candidate portal: an unknown portal says so; a candidate signs in with a code sent to
//! their email (read from the development outbox) and signs out; a wrong password is refused.
//! The `data-testid`s are listed in `candidates.rs`.

use crate::builders;
use crate::harness::{Browser, with_browser};
use crate::support::{page_fetch, present};

#[tokio::test]
async fn a_candidate_signs_in_on_the_portal_with_a_code_from_the_outbox() -> anyhow::Result<()> {
    with_browser(|b: Browser| async move {
        let result = async {
            // An address that names no organisation.
            b.goto("/o/no-such-school").await?;
            b.wait_text("[data-testid=portal-not-found]", |t| !t.is_empty())
                .await?;
            anyhow::ensure!(
                !present(&b, "[data-testid=nav-home]").await?,
                "the portal must not show the console's navigation"
            );

            let slug =
                builders::new_org(&b, "zh-CN", "星河培训中心", "admin@xinghe.example").await?;
            let (status, body) = page_fetch(
                &b,
                "POST",
                "/api/candidates",
                serde_json::json!({}),
                Some(serde_json::json!({
                    "account": "xh-001",
                    "name": "赵一",
                    "email": "zhao.yi@xinghe.example",
                    "password": "Autumn-exam-2026",
                })),
            )
            .await?;
            anyhow::ensure!(status == 201, "creating the candidate: {status} {body}");

            // Without a branded name the portal shows the organisation's name.
            b.goto(&format!("/o/{slug}/login")).await?;
            b.wait_text("[data-testid=portal-app-name]", |t| t == "星河培训中心")
                .await?;
            anyhow::ensure!(
                !present(&b, "[data-testid=portal-logo]").await?,
                "no logo was uploaded"
            );

            // A wrong password is refused.
            b.fill("[data-testid=portal-identifier]", "xh-001").await?;
            b.fill("[data-testid=portal-password]", "not-the-password")
                .await?;
            b.click("[data-testid=portal-login-submit]").await?;
            b.wait_text("[data-testid=portal-login-error]", |t| {
                t == "账号或密码错误。"
            })
            .await?;

            // By code: the second message in the outbox (the first was the registration's).
            b.click("[data-testid=portal-mode-code]").await?;
            b.fill("[data-testid=portal-destination]", "zhao.yi@xinghe.example")
                .await?;
            b.click("[data-testid=portal-send-code]").await?;
            b.wait_text("[data-testid=code-sent]", |t| {
                t.contains("zhao.yi@xinghe.example")
            })
            .await?;
            b.wait_text(
                "[data-testid=portal-send-code] [data-testid=cooldown]",
                |t| t.contains("秒后可重新获取"),
            )
            .await?;
            let code = b.code_from_outbox(2, "zhao.yi@xinghe.example").await?;
            b.fill("[data-testid=portal-code]", &code).await?;
            b.click("[data-testid=portal-login-submit]").await?;
            crate::support::agree_to_policies(&b).await?;
            b.wait_text("[data-testid=portal-hello]", |t| t == "你好，赵一")
                .await?;
            b.wait_text("[data-testid=portal-account]", |t| t == "xh-001")
                .await?;

            // Signed in across a reload, in English too.
            b.client.refresh().await?;
            b.click("[data-testid=lang-en]").await?;
            b.wait_text("[data-testid=portal-hello]", |t| t == "Hello, 赵一")
                .await?;

            // The console session is separate: still signed in there.
            b.goto("/account").await?;
            b.wait_text("[data-testid=account-org-name]", |t| t == "星河培训中心")
                .await?;

            // Signing out of the portal ends the portal session only.
            b.goto(&format!("/o/{slug}/home")).await?;
            b.click("[data-testid=portal-logout]").await?;
            b.wait_text("[data-testid=portal-notice]", |t| {
                t == "You have signed out."
            })
            .await?;
            anyhow::ensure!(
                b.current_path().await? == format!("/o/{slug}/login"),
                "not back on the sign-in page"
            );
            b.goto(&format!("/o/{slug}/home")).await?;
            b.wait_text("[data-testid=portal-notice]", |t| {
                t == "Your session has ended; please sign in again."
            })
            .await?;
            let (status, _) =
                page_fetch(&b, "GET", "/api/candidate/me", serde_json::json!({}), None).await?;
            anyhow::ensure!(
                status == 401,
                "the portal session survived sign-out: {status}"
            );
            let (status, _) =
                page_fetch(&b, "GET", "/api/auth/me", serde_json::json!({}), None).await?;
            anyhow::ensure!(status == 200, "the console session ended too: {status}");
            Ok(())
        }
        .await;
        (b, result)
    })
    .await
}
