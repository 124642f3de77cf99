//! Interchange files in the console: an organisation imports an IMS QTI 3.0 content package
//! (Chinese text, an image inside the package) through the import wizard with the format
//! recognised from the file; the image is stored as an attachment and served; a broken QTI
//! file chosen with the format named is refused with its problems located; the bank's export
//! dialog says what a format can hold (Aiken cannot hold what QTI can); the question editor
//! uploads an image into the stem and refuses a file that is not media.
//!
//! `data-testid`s used here: `import-format`, `import-file`, `import-ok`,
//! `import-preview-row`, `import-submit`, `import-result` (`data-imported`), `import-again`,
//! `import-has-errors`, `import-error-row` (`data-row`, `data-item`, `data-reason`),
//! `question-export`, `export-dialog`, `export-format`, `export-summary` (`data-exportable`,
//! `data-skipped`), `export-close`, `question-stem-input-image` (the stem editor's media
//! upload), `question-stem-input-image-error`.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail, ensure};

use crate::builders;
use crate::harness::{Browser, with_browser};
use crate::support::{attr, call, prop};

/// A file of `formats/fixtures/`, as the canonical path ChromeDriver requires.
fn fixture(path: &str) -> PathBuf {
    let full = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../formats/fixtures")
        .join(path);
    full.canonicalize().unwrap_or(full)
}

#[tokio::test]
async fn an_org_imports_a_qti_package_with_its_image_and_sees_what_each_export_holds()
-> anyhow::Result<()> {
    with_browser(|b: Browser| async move {
        let result = async {
            builders::new_org(&b, "en", "Riverside College", "admin@riverside.example").await?;
            let bank_id = builders::bank(&b, "物理").await?;

            // A QTI 3.0 package, recognised from the file: checked, previewed, imported.
            b.goto(&format!("/question-import?bank={bank_id}")).await?;
            b.choose_file(
                "[data-testid=import-file]",
                &fixture("qti30/examcloud-sample.zip"),
            )
            .await?;
            if let Err(e) = b
                .wait_text("[data-testid=import-ok]", |t| !t.is_empty())
                .await
            {
                let page = b.texts("main").await.unwrap_or_default();
                bail!("{e}: the page shows {page:?}");
            }
            b.wait_count("[data-testid=import-preview-row]", 2).await?;
            b.click("[data-testid=import-submit]").await?;
            b.wait_attr("[data-testid=import-result]", "data-imported", |n| n == "2")
                .await?;

            // The package's image is now an attachment of the bank, served with its type.
            let page = call(
                &b,
                "GET",
                &format!("/api/question-banks/{bank_id}/questions"),
                None,
            )
            .await?;
            let text = page["items"].to_string();
            let start = text
                .find("/api/attachments/")
                .context("an imported question shows the package's image")?;
            let url: String = text[start..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || "/-_.".contains(*c))
                .collect();
            let (status, _) = b.fetch_in_page(&url).await?;
            ensure!(status == 200, "GET {url}: {status}");

            // A broken QTI 3.0 file with the format named: refused, each problem located.
            b.click("[data-testid=import-again]").await?;
            b.select("[data-testid=import-format]", "qti30").await?;
            b.choose_file("[data-testid=import-file]", &fixture("qti30/malformed.xml"))
                .await?;
            b.wait_text("[data-testid=import-has-errors]", |t| !t.is_empty())
                .await?;
            let reason = attr(&b, "[data-testid=import-error-row]", "data-reason").await?;
            ensure!(
                reason.as_deref().is_some_and(|r| !r.is_empty()),
                "the problem has a reason: {reason:?}"
            );
            let row = attr(&b, "[data-testid=import-error-row]", "data-row").await?;
            ensure!(
                row.as_deref().is_some_and(|r| r != "0"),
                "the problem names its line: {row:?}"
            );
            // Nothing of the broken file was written.
            let page = call(
                &b,
                "GET",
                &format!("/api/question-banks/{bank_id}/questions"),
                None,
            )
            .await?;
            ensure!(page["total"] == 2, "{page}");

            // The stem editor's image tool inserts an uploaded image; a file that is not media is
            // refused with the server's reason.
            b.goto(&format!("/question-editor?bank={bank_id}")).await?;
            b.choose_file(
                "[data-testid=question-stem-input-image]",
                &fixture("qti30/package/images/formula.png"),
            )
            .await?;
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
            loop {
                let stem = prop(&b, "[data-testid=question-stem-input]", "innerHTML")
                    .await?
                    .unwrap_or_default();
                if stem.contains("<img src=\"/api/attachments/") {
                    break;
                }
                ensure!(
                    std::time::Instant::now() < deadline,
                    "no image in the stem: {stem:?}"
                );
                tokio::time::sleep(std::time::Duration::from_millis(200)).await;
            }
            b.choose_file(
                "[data-testid=question-stem-input-image]",
                &fixture("qti30/malformed.xml"),
            )
            .await?;
            b.wait_text("[data-testid=question-stem-input-image-error]", |t| {
                !t.is_empty()
            })
            .await?;

            // The export dialog: QTI 3.0 holds both questions; Aiken (plain-text single choice
            // only) cannot hold the text entry, and says so before anything is downloaded.
            b.goto(&format!("/question-bank?bank={bank_id}")).await?;
            b.click("[data-testid=question-export]").await?;
            b.wait_text("[data-testid=export-dialog]", |t| !t.is_empty())
                .await?;
            b.select("[data-testid=export-format]", "qti30").await?;
            b.wait_attr("[data-testid=export-summary]", "data-exportable", |n| {
                n == "2"
            })
            .await?;
            b.select("[data-testid=export-format]", "aiken").await?;
            let skipped = b
                .wait_attr("[data-testid=export-summary]", "data-skipped", |n| n != "0")
                .await?;
            let exportable = attr(&b, "[data-testid=export-summary]", "data-exportable")
                .await?
                .unwrap_or_default();
            ensure!(
                skipped.parse::<u32>()? + exportable.parse::<u32>()? == 2,
                "Aiken: {exportable} exportable, {skipped} skipped"
            );
            b.click("[data-testid=export-close]").await?;
            Ok(())
        }
        .await;
        (b, result)
    })
    .await
}
