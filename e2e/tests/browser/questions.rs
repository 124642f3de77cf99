//! Question banks in the console: an organisation creates a bank, writes a single-choice and a
//! fill-in-blank question in the editor (the editor's own check, the one the server runs,
//! stops an incomplete question first), finds them by type, edits one into a second version
//! and restores the first as a third,
//! imports questions from an `.xlsx` written here (a file with a bad row is refused with the
//! row named and nothing imported; the fixed file is imported), tags several at once, and
//! cannot delete the bank while it holds questions.
//!
//! The `data-testid`s of the question pages (keep them stable):
//!
//! - Navigation (shown with `questions:read`): `nav-questions`. Pages without the permission:
//!   `no-permission`.
//! - Banks (`/question-banks`): `bank-new-name`, `bank-create`, `bank-taken`,
//!   `bank-form-error`, `banks-table`, `bank-row` (`data-name`), `bank-name` (a link to the
//!   bank), `bank-count`, `bank-rename`, `bank-rename-input`, `bank-rename-save`,
//!   `bank-rename-cancel`, `bank-delete`, `bank-not-empty`, `banks-empty`, `banks-notice`,
//!   `banks-error`; the confirmation's `confirm`, `confirm-yes`, `confirm-no`.
//! - Bank browser (`/question-bank?bank=…`): `back-to-banks`, `question-new`,
//!   `question-import`, `questions-filter-type`,
//!   `questions-filter-difficulty`, `questions-filter-category`, `questions-filter-tag`,
//!   `questions-filter-q`, `questions-filter-submit`, `questions-filter-clear`,
//!   `questions-list` (a table), `question-row` (`data-type`), `question-select`, `question-type`,
//!   `question-points`, `question-difficulty`, `question-version` (`data-version`),
//!   `question-tag`, `question-edit`, `question-stem` (the stem's sanitised HTML),
//!   `questions-empty`, `questions-range` (`data-total`), `questions-prev`, `questions-next`,
//!   `questions-notice`, `questions-error`, `bulk-bar`, `bulk-count` (`data-count`),
//!   `bulk-delete`, `bulk-move-target`, `bulk-move`, `bulk-tag-input`, `bulk-tag`.
//! - Editor (`/question-editor?bank=…[&question=…]`): `back-to-bank`, `question-form`,
//!   `question-type-select`, `question-stem-input` (a rich-text editor's area, as are
//!   `option-text-<i>` and `question-explanation`; its tools are listed in `rich_text.rs`),
//!   `options`, `option-row` (`data-index`),
//!   `option-id`, `option-text-<i>`, `option-correct-<i>`, `option-remove-<i>`, `option-add`,
//!   `truth`, `truth-true`, `truth-false`, `blanks`, `blank-row`, `blank-answers-<i>`,
//!   `blank-case-<i>`, `blank-spaces-<i>`, `blank-width-<i>`, `blank-tolerance-<i>`,
//!   `blank-try-<i>`, `blank-try-result-<i>` (`data-matches`), `blank-remove-<i>`,
//!   `blank-add`, `essay-reference`, `question-points`,
//!   `question-difficulty-input` (the scale; its steps `question-difficulty-<1..5>`),
//!   `question-tags-input`, `question-explanation`, `question-category`, `question-save`,
//!   `question-form-error`, `question-saved` (after an edit; after creating, on the bank page),
//!   `field-error-<path>` (the API's field path, e.g. `field-error-content.answer`, with
//!   `data-reason`), `question-preview` (a sandboxed frame; `srcdoc` holds the preview),
//!   `versions`, `version-row` (`data-version`), `version-current`, `version-restore`,
//!   `versions-error`. The matching, composite, rubric and category `data-testid`s are listed
//!   in `question_types.rs`.
//! - Import (`/question-import?bank=…`): `question-template-zh-CN`, `question-template-en`,
//!   `import-file`, `import-file-problem`, `import-progress` (`data-stage`), `import-error`,
//!   `import-ok`, `import-has-errors`, `import-rejected`, `import-total` (`data-rows`),
//!   `import-error-count` (`data-count`), `import-errors`, `import-error-row` (`data-row`,
//!   `data-field`, `data-reason`), `import-error-row-number`, `import-error-field`,
//!   `import-error-reason`, `import-preview`, `import-preview-row` (`data-row`),
//!   `import-preview-type`, `import-preview-stem`, `import-submit`, `import-result`
//!   (`data-imported`), `import-view-questions`, `import-again`.

use std::path::Path;

use crate::builders;
use crate::harness::{Browser, with_browser};
use crate::support::{attr, wait_texts};

const ROW: &str = "[data-testid=question-row]";

/// Writes an `.xlsx` with the Chinese template's headers and `rows` below them.
fn write_questions_xlsx(path: &Path, rows: &[[&str; 5]]) -> anyhow::Result<()> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let headers = ["题型*", "题干*", "选项A", "选项B", "答案*"];
    for (col, header) in headers.iter().enumerate() {
        sheet.write_string(0, u16::try_from(col)?, *header)?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (col, cell) in row.iter().enumerate() {
            if !cell.is_empty() {
                sheet.write_string(u32::try_from(r + 1)?, u16::try_from(col)?, *cell)?;
            }
        }
    }
    book.save(path)?;
    Ok(())
}

#[tokio::test]
async fn an_org_builds_a_question_bank_in_the_editor_and_from_an_xlsx_import() -> anyhow::Result<()>
{
    with_browser(|b: Browser| async move {
        let result = async {
            let files = tempfile::tempdir()?;
            builders::new_org(&b, "en", "Riverside School", "admin@riverside.example").await?;

            // A bank.
            b.click("[data-testid=nav-questions]").await?;
            b.fill("[data-testid=bank-new-name]", "Science").await?;
            b.click("[data-testid=bank-create]").await?;
            b.wait_text(
                "[data-testid=bank-row][data-name=Science] [data-testid=bank-count]",
                |t| t == "0",
            )
            .await?;
            b.click("[data-testid=bank-row][data-name=Science] [data-testid=bank-name]")
                .await?;
            b.wait_text("[data-testid=questions-empty]", |t| {
                t.contains("no questions")
            })
            .await?;

            // A single-choice question: without a correct option the editor refuses it itself.
            b.click("[data-testid=question-new]").await?;
            b.fill("[data-testid=question-stem-input]", "What is 2 + 2?")
                .await?;
            for (i, text) in ["3", "4", "5", "6"].iter().enumerate() {
                b.fill(&format!("[data-testid=option-text-{i}]"), text)
                    .await?;
            }
            b.click("[data-testid=question-save]").await?;
            let reason = b
                .wait_attr(
                    r#"[data-testid="field-error-content.answer"]"#,
                    "data-reason",
                    |r| !r.is_empty(),
                )
                .await?;
            anyhow::ensure!(
                reason == "unknown_option",
                "the answer's problem is {reason:?}"
            );
            b.wait_text(r#"[data-testid="field-error-content.answer"]"#, |t| {
                t == "Choose the correct answer"
            })
            .await?;
            b.wait_text("[data-testid=question-form-error]", |t| !t.is_empty())
                .await?;
            anyhow::ensure!(
                b.current_path().await? == "/question-editor",
                "left the editor"
            );
            // The preview shows the question as a candidate sees it.
            b.wait_attr("[data-testid=question-preview]", "srcdoc", |doc| {
                doc.contains("What is 2 + 2?") && doc.contains("B. 4")
            })
            .await?;
            b.click("[data-testid=option-correct-1]").await?;
            b.click("[data-testid=question-save]").await?;
            b.wait_count(ROW, 1).await?;
            b.wait_text("[data-testid=question-stem]", |t| t == "What is 2 + 2?")
                .await?;
            b.wait_text("[data-testid=question-type]", |t| t == "Single choice")
                .await?;

            // A fill-in-blank question: the stem's markers must match the blanks.
            b.click("[data-testid=question-new]").await?;
            b.select("[data-testid=question-type-select]", "fill_blank")
                .await?;
            b.fill(
                "[data-testid=question-stem-input]",
                "The capital of France is {{1}} and of Italy {{2}}.",
            )
            .await?;
            b.fill("[data-testid=blank-answers-0]", "Paris; 巴黎")
                .await?;
            b.click("[data-testid=question-save]").await?;
            b.wait_attr(
                r#"[data-testid="field-error-content.stem"]"#,
                "data-reason",
                |r| r == "blank_markers_mismatch",
            )
            .await?;
            b.click("[data-testid=blank-add]").await?;
            b.fill("[data-testid=blank-answers-1]", "Rome").await?;
            b.click("[data-testid=blank-case-1]").await?;
            b.fill("[data-testid=blank-try-0]", " PARIS ").await?;
            b.wait_attr("[data-testid=blank-try-result-0]", "data-matches", |m| {
                m == "true"
            })
            .await?;
            b.fill("[data-testid=blank-try-1]", "rome").await?;
            b.wait_attr("[data-testid=blank-try-result-1]", "data-matches", |m| {
                m == "false"
            })
            .await?;
            b.click("[data-testid=question-save]").await?;
            b.wait_count(ROW, 2).await?;

            // Filtered by type.
            b.select("[data-testid=questions-filter-type]", "fill_blank")
                .await?;
            b.click("[data-testid=questions-filter-submit]").await?;
            b.wait_count(&format!("{ROW}[data-type=single_choice]"), 0)
                .await?;
            b.wait_count(ROW, 1).await?;
            let kind = attr(&b, ROW, "data-type").await?;
            anyhow::ensure!(
                kind.as_deref() == Some("fill_blank"),
                "the filtered row is {kind:?}"
            );
            b.click("[data-testid=questions-filter-clear]").await?;
            b.wait_count(ROW, 2).await?;

            // Editing writes version 2.
            b.click(&format!(
                "{ROW}[data-type=single_choice] [data-testid=question-edit]"
            ))
            .await?;
            b.wait_count("[data-testid=version-row]", 1).await?;
            b.fill("[data-testid=question-stem-input]", "What is 2 + 3?")
                .await?;
            b.click("[data-testid=option-correct-2]").await?;
            b.click("[data-testid=question-save]").await?;
            b.wait_text("[data-testid=question-saved]", |t| t == "Saved.")
                .await?;
            b.wait_count("[data-testid=version-row]", 2).await?;
            b.wait_text(
                "[data-testid=version-row][data-version='2'] [data-testid=version-current]",
                |t| !t.is_empty(),
            )
            .await?;
            b.wait_count(
                "[data-testid=version-row][data-version='1'] [data-testid=version-restore]",
                1,
            )
            .await?;
            // Restoring version 1 writes it again as version 3.
            b.click("[data-testid=version-row][data-version='1'] [data-testid=version-restore]")
                .await?;
            b.wait_count("[data-testid=version-row]", 3).await?;
            b.wait_count(
                "[data-testid=version-row][data-version='3'] [data-testid=version-current]",
                1,
            )
            .await?;
            b.click("[data-testid=back-to-bank]").await?;
            b.wait_text(
                &format!("{ROW}[data-type=single_choice] [data-testid=question-stem]"),
                |t| t == "What is 2 + 2?",
            )
            .await?;
            b.wait_attr(
                &format!("{ROW}[data-type=single_choice] [data-testid=question-version]"),
                "data-version",
                |v| v == "3",
            )
            .await?;

            // An import with a bad row (row 3 has no stem) is refused whole.
            let bad = files.path().join("questions-bad.xlsx");
            write_questions_xlsx(
                &bad,
                &[
                    ["单选题", "Which gas is noble?", "Helium", "Oxygen", "A"],
                    ["单选题", "", "Neon", "Nitrogen", "A"],
                ],
            )?;
            b.click("[data-testid=question-import]").await?;
            b.wait_attr("[data-testid=question-template-en]", "href", |h| {
                h.contains("lang=en")
            })
            .await?;
            b.choose_file("[data-testid=import-file]", &bad).await?;
            b.wait_text("[data-testid=import-has-errors]", |t| !t.is_empty())
                .await?;
            let rows = wait_texts(&b, "[data-testid=import-error-row]", 1).await?;
            let row = attr(&b, "[data-testid=import-error-row]", "data-row").await?;
            let field = attr(&b, "[data-testid=import-error-row]", "data-field").await?;
            anyhow::ensure!(
                row.as_deref() == Some("3"),
                "the bad row is {row:?} ({rows:?})"
            );
            anyhow::ensure!(
                field.as_deref() == Some("stem"),
                "the bad field is {field:?}"
            );
            b.wait_text("[data-testid=import-error-field]", |t| t == "Stem")
                .await?;
            anyhow::ensure!(
                b.count("[data-testid=import-submit]").await? == 0,
                "a bad file can be imported"
            );

            // The fixed file is checked, previewed and imported.
            let good = files.path().join("questions-good.xlsx");
            write_questions_xlsx(
                &good,
                &[
                    ["单选题", "Which gas is noble?", "Helium", "Oxygen", "A"],
                    [
                        "填空题",
                        "Water boils at ____ degrees Celsius.",
                        "",
                        "",
                        "100",
                    ],
                ],
            )?;
            b.choose_file("[data-testid=import-file]", &good).await?;
            b.wait_text("[data-testid=import-ok]", |t| !t.is_empty())
                .await?;
            b.wait_count("[data-testid=import-preview-row]", 2).await?;
            b.click("[data-testid=import-submit]").await?;
            b.wait_attr("[data-testid=import-result]", "data-imported", |n| n == "2")
                .await?;
            b.click("[data-testid=import-view-questions]").await?;
            // 2 written + 2 imported: nothing came from the refused file.
            b.wait_attr("[data-testid=questions-range]", "data-total", |n| n == "4")
                .await?;
            b.wait_count(ROW, 4).await?;
            b.fill("[data-testid=questions-filter-q]", "boils").await?;
            b.click("[data-testid=questions-filter-submit]").await?;
            b.wait_count(ROW, 1).await?;
            let kind = attr(&b, ROW, "data-type").await?;
            anyhow::ensure!(
                kind.as_deref() == Some("fill_blank"),
                "the imported blank is {kind:?}"
            );
            b.click("[data-testid=questions-filter-clear]").await?;
            b.wait_count(ROW, 4).await?;

            // Two questions tagged at once, then found by the tag.
            b.click(&format!("{ROW}:nth-child(1) [data-testid=question-select]"))
                .await?;
            b.click(&format!("{ROW}:nth-child(2) [data-testid=question-select]"))
                .await?;
            b.wait_attr("[data-testid=bulk-count]", "data-count", |n| n == "2")
                .await?;
            b.fill("[data-testid=bulk-tag-input]", "week-1").await?;
            b.click("[data-testid=bulk-tag]").await?;
            b.wait_text("[data-testid=questions-notice]", |t| !t.is_empty())
                .await?;
            b.fill("[data-testid=questions-filter-tag]", "week-1")
                .await?;
            b.click("[data-testid=questions-filter-submit]").await?;
            b.wait_count(ROW, 2).await?;
            b.wait_count("[data-testid=question-tag]", 2).await?;

            // A bank with questions cannot be deleted, and says why.
            b.click("[data-testid=back-to-banks]").await?;
            b.wait_text(
                "[data-testid=bank-row][data-name=Science] [data-testid=bank-count]",
                |t| t == "4",
            )
            .await?;
            b.click("[data-testid=bank-row][data-name=Science] [data-testid=bank-delete]")
                .await?;
            b.click("[data-testid=confirm-yes]").await?;
            b.wait_text("[data-testid=bank-not-empty]", |t| {
                t.contains("still holds questions")
            })
            .await?;
            b.wait_count("[data-testid=bank-row]", 1).await?;
            Ok(())
        }
        .await;
        (b, result)
    })
    .await
}
