//! The certificate templates page as an organiser uses it: create a template, add a logo (a
//! file that is not an image is refused before any upload), edit the signatory line, open
//! the sample PDF, remove the logo.
//!
//! Test ids: `template-name`, `template-title`, `template-body`, `template-signatory`,
//! `template-save`, `template-notice`, `template-row` (`template-has-images`,
//! `template-edit`, `template-preview`), `template-image-{logo|signature|background}` with
//! `-file`, `-preview`, `-error`, `-remove`.

use crate::account_settings::PNG;
use crate::builders;
use crate::harness::{Browser, with_browser};
use crate::support::{attr, page_fetch};

#[tokio::test]
async fn an_organiser_designs_a_certificate_with_a_logo_and_previews_it() -> anyhow::Result<()> {
    with_browser(|b: Browser| async move {
        let result = async {
            builders::new_org(&b, "en", "Design School", "design@example.com").await?;
            b.goto("/certificate-templates").await?;
            b.wait_text("[data-testid=templates-empty]", |t| !t.is_empty())
                .await?;
            b.fill("[data-testid=template-name]", "Completion").await?;
            b.fill("[data-testid=template-title]", "Certificate of completion")
                .await?;
            b.fill("[data-testid=template-body]", "{name} completed {exam}.")
                .await?;
            b.click("[data-testid=template-save]").await?;
            b.wait_text("[data-testid=template-notice]", |t| {
                t.starts_with("Template created")
            })
            .await?;
            // The new template is being edited: its images can be added at once.
            b.wait_text("[data-testid=template-image-logo]", |t| t.contains("None"))
                .await?;

            let dir = tempfile::tempdir()?;
            let (png, text) = (dir.path().join("logo.png"), dir.path().join("notes.txt"));
            std::fs::write(&png, PNG)?;
            std::fs::write(&text, "not an image")?;
            b.choose_file("[data-testid=template-image-logo-file]", &text)
                .await?;
            b.wait_text("[data-testid=template-image-logo-error]", |t| {
                t.contains("PNG or JPEG")
            })
            .await?;
            anyhow::ensure!(b.count("[data-testid=template-image-logo-preview]").await? == 0);

            b.choose_file("[data-testid=template-image-logo-file]", &png)
                .await?;
            let src = b
                .wait_attr("[data-testid=template-image-logo-preview]", "src", |v| {
                    v.contains("/images/logo?v=")
                })
                .await?;
            let path = src
                .find("/api/")
                .map(|i| src[i..].to_owned())
                .unwrap_or(src);
            let (status, _) = b.fetch_in_page(&path).await?;
            anyhow::ensure!(status == 200, "the uploaded logo: {status}");
            b.wait_text("[data-testid=template-has-images]", |t| t == "With images")
                .await?;

            // Editing keeps the images; the notice says issued certificates follow the design.
            b.fill("[data-testid=template-signatory]", "Principal Ada Wong")
                .await?;
            b.click("[data-testid=template-save]").await?;
            b.wait_text("[data-testid=template-notice]", |t| t.starts_with("Saved."))
                .await?;
            anyhow::ensure!(b.count("[data-testid=template-image-logo-preview]").await? == 1);

            // The sample PDF opens from the list.
            let preview = attr(&b, "[data-testid=template-preview]", "href")
                .await?
                .unwrap_or_default();
            anyhow::ensure!(preview.ends_with("/preview"), "{preview}");
            let (status, body) =
                page_fetch(&b, "GET", &preview, serde_json::json!({}), None).await?;
            anyhow::ensure!(
                status == 200 && body.starts_with("%PDF-"),
                "the preview: {status}"
            );

            b.click("[data-testid=template-image-logo-remove]").await?;
            b.wait_text("[data-testid=template-image-logo]", |t| t.contains("None"))
                .await?;
            let id = attr(&b, "[data-testid=template-row]", "data-id")
                .await?
                .unwrap_or_default();
            let (status, body) = b
                .fetch_in_page(&format!("/api/certificate-templates/{id}"))
                .await?;
            anyhow::ensure!(
                status == 200 && body.contains("\"logo_url\":null"),
                "the logo is still set: {status} {body}"
            );
            Ok(())
        }
        .await;
        (b, result)
    })
    .await
}
