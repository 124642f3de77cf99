//! API keys: an owner creates one (shown in full once, with a warning and a copy button), the
//! key works against the API, and once revoked it stops working. The `data-testid`s are listed
//! in `candidates.rs`.

use serde_json::json;

use crate::builders;
use crate::harness::{Browser, with_browser};
use crate::support::{page_fetch, present, prop, wait_texts};

#[tokio::test]
async fn an_owner_creates_an_api_key_sees_it_once_and_revokes_it() -> anyhow::Result<()> {
    with_browser(|b: Browser| async move {
        let result = async {
            builders::new_org(&b, "en", "Keystone College", "it@keystone.example").await?;
            b.click("[data-testid=nav-api-keys]").await?;
            b.wait_text("[data-testid=api-keys-empty]", |t| t == "No API keys yet.")
                .await?;

            // No permission chosen: the form says so and creates nothing.
            b.fill("[data-testid=api-key-form-name]", "Student records sync")
                .await?;
            b.click("[data-testid=api-key-form-submit]").await?;
            b.wait_text("[data-testid=field-error-scopes]", |t| {
                t == "Choose at least one permission."
            })
            .await?;

            b.click("[data-testid=api-key-scope-candidates-read]")
                .await?;
            b.fill("[data-testid=api-key-form-expires]", "30").await?;
            b.click("[data-testid=api-key-form-submit]").await?;
            b.wait_text("[data-testid=api-key-warning]", |t| {
                t.contains("cannot be shown again")
            })
            .await?;
            let key = prop(&b, "[data-testid=api-key-secret]", "value")
                .await?
                .unwrap_or_default();
            anyhow::ensure!(key.starts_with("eck_"), "the key shown: {key:?}");
            b.click("[data-testid=api-key-copy]").await?;
            b.wait_text(
                "[data-testid=api-key-copied], [data-testid=api-key-copy-failed]",
                |t| !t.is_empty(),
            )
            .await?;

            // The list shows the key's prefix (never the secret), scope, status and expiry.
            let prefix = b
                .wait_text(
                    "[data-testid=api-key-row] [data-testid=api-key-prefix]",
                    |t| !t.is_empty(),
                )
                .await?;
            anyhow::ensure!(
                key.starts_with(&prefix) && key.len() > prefix.len(),
                "prefix {prefix:?} of {key:?}"
            );
            let scopes = wait_texts(&b, "[data-testid=api-key-scopes] li", 1).await?;
            anyhow::ensure!(scopes == ["Read candidates"], "scopes: {scopes:?}");
            b.wait_text("[data-testid=api-key-status]", |t| t == "Active")
                .await?;
            b.wait_text("[data-testid=api-key-expires]", |t| t.starts_with("20"))
                .await?;

            // The key works; once the panel is closed the secret is gone from the page.
            let bearer = json!({ "Authorization": format!("Bearer {key}") });
            let (status, body) =
                page_fetch(&b, "GET", "/api/candidates", bearer.clone(), None).await?;
            anyhow::ensure!(status == 200, "the new key: {status} {body}");
            b.click("[data-testid=api-key-created-done]").await?;
            anyhow::ensure!(
                !present(&b, "[data-testid=api-key-secret]").await?,
                "the secret is still shown"
            );

            // Revoking asks first; a revoked key stops working.
            b.click("[data-testid=api-key-revoke]").await?;
            b.click("[data-testid=confirm-no]").await?;
            b.wait_text("[data-testid=api-key-status]", |t| t == "Active")
                .await?;
            b.click("[data-testid=api-key-revoke]").await?;
            b.click("[data-testid=confirm-yes]").await?;
            b.wait_text("[data-testid=api-keys-notice]", |t| {
                t == "The key is revoked."
            })
            .await?;
            b.wait_text("[data-testid=api-key-status][data-status=revoked]", |t| {
                t == "Revoked"
            })
            .await?;
            anyhow::ensure!(
                !present(&b, "[data-testid=api-key-revoke]").await?,
                "a revoked key offers revoking again"
            );
            let (status, _) = page_fetch(&b, "GET", "/api/candidates", bearer, None).await?;
            anyhow::ensure!(status == 401, "the revoked key still works: {status}");
            Ok(())
        }
        .await;
        (b, result)
    })
    .await
}
