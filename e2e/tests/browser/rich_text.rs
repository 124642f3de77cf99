//! Rich-text authoring: an admin writes a question with bold text, a table, an image uploaded
//! from a file and a formula, all with the editor's toolbar and without typing any HTML;
//! saving confirms it, the stored question holds each of them, the bank lists it in a table
//! under the bank's name, and the editor shows the stored question again with its formula
//! rendered.
//!
//! The `data-testid`s of the editor (each tool's starts with its area's, e.g. the stem's
//! `question-stem-input`): the area itself (`contenteditable`), `<area>-bold`, `-italic`,
//! `-underline`, `-bullets`, `-numbers`, `-table` (then `-table-rows`, `-table-cols`,
//! `-table-header`, `-table-insert`), `-image` (the file input; `-image-error`), `-formula`
//! (then `-formula-input`, `-formula-preview`, `-formula-insert`), `-undo`, `-redo`,
//! `-source` (then `-source-text`). The difficulty scale: `question-difficulty-input`,
//! `question-difficulty-<1..5>` (`data-selected`).

use anyhow::{Context, ensure};

use crate::builders;
use crate::harness::{Browser, with_browser};
use crate::support::call;

const STEM: &str = "[data-testid=question-stem-input]";
const ROW: &str = "[data-testid=question-row]";

/// A 2×2 PNG (opaque blue).
const PNG: [u8; 73] = [
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x02, 0x08, 0x02, 0x00, 0x00, 0x00, 0xfd, 0xd4, 0x9a,
    0x73, 0x00, 0x00, 0x00, 0x10, 0x49, 0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0x90, 0xf5, 0xbb, 0x01,
    0x44, 0x0c, 0x10, 0x0a, 0x00, 0x20, 0x76, 0x05, 0x0d, 0x4b, 0xde, 0x86, 0xa1, 0x00, 0x00, 0x00,
    0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

/// The selector of one of the stem editor's tools.
fn tool(name: &str) -> String {
    format!("[data-testid=question-stem-input-{name}]")
}

/// WebDriver's keys: Shift held, Home, End.
const SHIFT: char = '\u{E008}';
const HOME: char = '\u{E011}';
const END: char = '\u{E010}';

#[tokio::test]
async fn an_admin_writes_a_question_with_bold_a_table_an_image_and_a_formula_without_html()
-> anyhow::Result<()> {
    with_browser(|b: Browser| async move {
        let result = async {
            let files = tempfile::tempdir()?;
            let png = files.path().join("figure.png");
            std::fs::write(&png, PNG)?;
            builders::new_org(&b, "en", "Maple College", "admin@maple.example").await?;
            let bank = builders::bank(&b, "Optics").await?;
            b.goto(&format!("/question-editor?bank={bank}")).await?;

            // Bold: a word typed, selected with the keyboard, made bold by the toolbar.
            b.fill(STEM, "Important").await?;
            b.fill_more(STEM, &format!("{SHIFT}{HOME}")).await?;
            b.click(&tool("bold")).await?;
            b.wait_count(&format!("{STEM} b"), 1).await?;
            b.wait_attr(&tool("bold"), "aria-pressed", |p| p == "true")
                .await?;
            b.fill_more(STEM, &format!("{END}: read the table and the figure."))
                .await?;

            // A 2×3 table with a header row.
            b.click(&tool("table")).await?;
            b.fill(&tool("table-rows"), "2").await?;
            b.fill(&tool("table-cols"), "3").await?;
            b.click(&tool("table-insert")).await?;
            b.wait_count(&format!("{STEM} table th"), 3).await?;
            b.wait_count(&format!("{STEM} table td"), 3).await?;

            // An image from a file, uploaded to the bank's attachments.
            b.choose_file(&tool("image"), &png).await?;
            b.wait_count(&format!("{STEM} img[src^='/api/attachments/']"), 1)
                .await?;

            // A formula, previewed as it is typed, shown rendered in the editor.
            b.click(&tool("formula")).await?;
            b.fill(&tool("formula-input"), r"\frac{a}{b}").await?;
            b.wait_count(&format!("{} math mfrac", tool("formula-preview")), 1)
                .await?;
            b.click(&tool("formula-insert")).await?;
            b.wait_count(&format!("{STEM} .rich-editor__formula math"), 1)
                .await?;
            // The preview beside the form renders it too.
            b.wait_attr("[data-testid=question-preview]", "srcdoc", |doc| {
                doc.contains("<mfrac>") && doc.contains("<table>")
            })
            .await?;

            for (i, text) in ["2", "3", "4", "5"].iter().enumerate() {
                b.fill(&format!("[data-testid=option-text-{i}]"), text)
                    .await?;
            }
            b.click("[data-testid=option-correct-0]").await?;
            b.click("[data-testid=question-difficulty-4]").await?;
            b.wait_attr(
                "[data-testid=question-difficulty-4]",
                "data-selected",
                |s| s == "true",
            )
            .await?;
            b.fill("[data-testid=question-explanation]", "Ratios of sides.")
                .await?;
            b.click("[data-testid=question-save]").await?;

            // Saved: the bank confirms it and lists the question in its table.
            b.wait_text("[data-testid=question-saved]", |t| t == "Question saved.")
                .await?;
            b.wait_text("[data-testid=page-title]", |t| t == "Optics")
                .await?;
            b.wait_count(
                &format!("table[data-testid=questions-list] tbody tr{ROW}"),
                1,
            )
            .await?;
            b.wait_text(&format!("{ROW} [data-testid=question-type]"), |t| {
                t == "Single choice"
            })
            .await?;
            b.wait_text(&format!("{ROW} [data-testid=question-difficulty]"), |t| {
                t.contains("Hard")
            })
            .await?;
            b.wait_count(&format!("{ROW} [data-testid=question-stem] math"), 1)
                .await?;

            // What was stored, read back through the API.
            let page = call(
                &b,
                "GET",
                &format!("/api/question-banks/{bank}/questions"),
                None,
            )
            .await?;
            let question = &page["items"][0];
            let stem = question["content"]["stem"].as_str().context("a stem")?;
            ensure!(
                stem.contains("<b>Important") || stem.contains("<strong>Important"),
                "no bold word: {stem}"
            );
            ensure!(
                stem.contains("<table>") && stem.contains("<th>"),
                "no table: {stem}"
            );
            ensure!(stem.contains(r"$\frac{a}{b}$"), "no formula: {stem}");
            ensure!(
                !stem.contains("rich-editor") && !stem.contains("<math"),
                "{stem}"
            );
            let src = stem
                .split("<img src=\"")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .context(format!("no image: {stem}"))?;
            ensure!(src.starts_with("/api/attachments/"), "image from {src}");
            let (status, _) = b.fetch_in_page(src).await?;
            ensure!(status == 200, "the image answers {status}");
            ensure!(question["difficulty"] == 4, "{question}");
            ensure!(
                question["explanation"] == "Ratios of sides.",
                "{}",
                question["explanation"]
            );

            // Opened again, the editor shows the stored question, its formula rendered; a
            // second save is confirmed beside the button.
            b.click(&format!("{ROW} [data-testid=question-edit]"))
                .await?;
            b.wait_count(&format!("{STEM} .rich-editor__formula math"), 1)
                .await?;
            b.wait_count(&format!("{STEM} table"), 1).await?;
            b.click("[data-testid=question-difficulty-2]").await?;
            b.click("[data-testid=question-save]").await?;
            b.wait_text("[data-testid=question-saved]", |t| t == "Saved.")
                .await?;
            let page = call(
                &b,
                "GET",
                &format!("/api/question-banks/{bank}/questions"),
                None,
            )
            .await?;
            let again = page["items"][0]["content"]["stem"]
                .as_str()
                .unwrap_or_default();
            ensure!(again == stem, "the stem changed on a second save: {again}");
            Ok(())
        }
        .await;
        (b, result)
    })
    .await
}
