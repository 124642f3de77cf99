//! Candidates in the console: an organisation brands its portal, imports candidates from an
//! `.xlsx` written here (a file with a bad row is refused and the row named; the fixed file is
//! imported in full), and an imported candidate signs in on the branded portal. Also: groups,
//! the candidate form, and pages shown by permission.
//!
//! The `data-testid`s of the candidate pages, the API keys page and the portal (tests of all
//! three rely on them; keep them stable):
//!
//! - Navigation (shown by permission): `nav-candidates`, `nav-api-keys`. Tabs: `tab-candidates`,
//!   `tab-groups`, `tab-import`. Pages without the permission: `no-permission`.
//! - List (`/candidates`): `candidate-new`, `candidates-filter-group`, `candidates-filter-status`,
//!   `candidates-filter-q`, `candidates-filter-submit`, `candidates-filter-clear`,
//!   `candidates-table`, `candidate-row` (`data-account`), `candidate-account`,
//!   `candidate-name`, `candidate-phone`, `candidate-email`, `candidate-groups`,
//!   `candidate-status` (`data-status`: `active`/`disabled`), `candidate-edit`,
//!   `candidate-toggle-status`, `candidate-delete`, `candidates-empty`, `candidates-range`
//!   (`data-total`), `candidates-prev`, `candidates-next`, `candidates-notice`,
//!   `candidates-error`.
//! - Candidate form: `candidate-form`, `candidate-form-account`, `candidate-form-name`,
//!   `candidate-form-phone`, `candidate-form-email`, `candidate-form-id-number`,
//!   `candidate-form-password`, `candidate-form-group` (`data-group` = name),
//!   `candidate-form-submit`, `candidate-form-cancel`, `candidate-form-error`,
//!   `candidate-form-taken`, `field-error-<field>`.
//! - Confirmations (delete candidate or group, revoke key): `confirm`, `confirm-yes`,
//!   `confirm-no`.
//! - Groups (`/candidate-groups`): `group-new-name`, `group-create`, `group-taken`,
//!   `group-form-error`, `groups-table`, `group-row` (`data-name`), `group-name`, `group-count`,
//!   `group-rename`, `group-rename-input`, `group-rename-save`, `group-rename-cancel`,
//!   `group-delete`, `groups-empty`, `groups-notice`, `groups-error`.
//! - Import (`/candidate-import`): `import-template-zh-CN-xlsx`, `import-template-zh-CN-csv`,
//!   `import-template-en-xlsx`, `import-template-en-csv`, `import-file`,
//!   `import-file-problem`, `import-progress` (`data-stage`: `uploading`, `checking`,
//!   `importing`), `import-error`, `import-ok`, `import-has-errors`, `import-rejected`,
//!   `import-total` (`data-rows`), `import-error-count` (`data-count`), `import-errors`,
//!   `import-error-row` (`data-row`, `data-field`, `data-reason`), `import-error-row-number`,
//!   `import-error-field`, `import-error-reason`, `import-new-groups`, `import-new-group`,
//!   `import-preview`, `import-preview-row` (`data-row`), `import-preview-account`,
//!   `import-preview-name`, `import-submit`, `import-result` (`data-imported`),
//!   `import-view-candidates`, `import-again`.
//! - API keys (`/api-keys`): `api-key-form`, `api-key-form-name`,
//!   `api-key-scope-<module>-<level>` (e.g. `api-key-scope-candidates-read`),
//!   `api-key-form-expires`, `api-key-form-rate`, `api-key-form-submit`, `api-key-form-error`,
//!   `field-error-scopes`, `api-key-created`, `api-key-secret`, `api-key-warning`,
//!   `api-key-copy`, `api-key-copied`, `api-key-copy-failed`, `api-key-created-done`,
//!   `api-keys-table`, `api-key-row` (`data-name`, `data-status`), `api-key-name`,
//!   `api-key-prefix`, `api-key-scopes`, `api-key-status` (`data-status`),
//!   `api-key-last-used`, `api-key-expires`, `api-key-revoke`, `api-keys-empty`,
//!   `api-keys-notice`, `api-keys-error`.
//! - Portal (`/o/{slug}`, `/o/{slug}/login`, `/o/{slug}/home`): `portal`, `portal-logo`,
//!   `portal-app-name`, `portal-org-name`, `portal-not-found`, `portal-notice`,
//!   `portal-mode-password`, `portal-mode-code`, `portal-identifier`, `portal-password`,
//!   `portal-destination`, `portal-code`, `portal-send-code` (with `cooldown` inside while
//!   waiting), `code-sent`, `portal-login-submit`, `portal-login-error`, `portal-hello`,
//!   `portal-account`, `portal-no-exams`, `portal-logout`, `portal-error`.

use crate::builders;
use crate::harness::{Browser, with_browser};
use crate::support::{
    attr, image_width, page_fetch, present, set_candidate_app_name, upload_logo, wait_texts,
    write_candidates_xlsx,
};

const CANDIDATE_PASSWORD: &str = "Spring-exam-2026";

#[tokio::test]
async fn an_org_imports_candidates_from_xlsx_and_one_signs_in_on_its_branded_portal()
-> anyhow::Result<()> {
    with_browser(|b: Browser| async move {
        let result = async {
            let files = tempfile::tempdir()?;
            let slug =
                builders::new_org(&b, "en", "Sunrise Academy", "admin@sunrise.example").await?;
            set_candidate_app_name(&b, "Sunrise Exams").await?;
            upload_logo(&b).await?;

            // A file with one bad row (an invalid mobile number in row 3) is refused whole.
            let bad = files.path().join("candidates-bad.xlsx");
            let mut rows = [
                [
                    "s2026001",
                    "Li Lei",
                    "13800138001",
                    "",
                    CANDIDATE_PASSWORD,
                    "Class 1",
                ],
                [
                    "s2026002",
                    "Han Meimei",
                    "12345",
                    "",
                    CANDIDATE_PASSWORD,
                    "Class 1",
                ],
                [
                    "s2026003",
                    "Lucy Green",
                    "",
                    "lucy@sunrise.example",
                    CANDIDATE_PASSWORD,
                    "Class 2",
                ],
            ];
            write_candidates_xlsx(&bad, &rows)?;
            b.click("[data-testid=nav-candidates]").await?;
            b.click("[data-testid=tab-import]").await?;
            b.choose_file("[data-testid=import-file]", &bad).await?;
            b.wait_text("[data-testid=import-has-errors]", |t| !t.is_empty())
                .await?;
            let problems = wait_texts(&b, "[data-testid=import-error-row]", 1).await?;
            anyhow::ensure!(
                problems[0].contains("Not a valid mainland-China mobile number"),
                "problem row reads {problems:?}"
            );
            let row = attr(&b, "[data-testid=import-error-row]", "data-row").await?;
            let field = attr(&b, "[data-testid=import-error-row]", "data-field").await?;
            anyhow::ensure!(row.as_deref() == Some("3"), "the bad row is {row:?}");
            anyhow::ensure!(
                field.as_deref() == Some("phone"),
                "the bad field is {field:?}"
            );
            b.wait_text("[data-testid=import-error-row-number]", |t| t == "3")
                .await?;
            b.wait_text("[data-testid=import-error-field]", |t| t == "Mobile")
                .await?;
            let total = attr(&b, "[data-testid=import-total]", "data-rows").await?;
            anyhow::ensure!(total.as_deref() == Some("3"), "rows counted: {total:?}");
            anyhow::ensure!(
                !present(&b, "[data-testid=import-submit]").await?,
                "a file with errors must not offer the import"
            );
            b.click("[data-testid=tab-candidates]").await?;
            b.wait_text("[data-testid=candidates-empty]", |t| !t.is_empty())
                .await?;

            // The fixed file: checked, previewed with the groups it creates, imported in full.
            rows[1][2] = "13800138002";
            let fixed = files.path().join("candidates-fixed.xlsx");
            write_candidates_xlsx(&fixed, &rows)?;
            b.click("[data-testid=tab-import]").await?;
            b.choose_file("[data-testid=import-file]", &fixed).await?;
            b.wait_text("[data-testid=import-ok]", |t| !t.is_empty())
                .await?;
            let mut groups = wait_texts(&b, "[data-testid=import-new-group]", 2).await?;
            groups.sort();
            anyhow::ensure!(groups == ["Class 1", "Class 2"], "new groups: {groups:?}");
            let preview = wait_texts(&b, "[data-testid=import-preview-account]", 3).await?;
            anyhow::ensure!(
                preview == ["s2026001", "s2026002", "s2026003"],
                "preview: {preview:?}"
            );
            b.wait_text("[data-testid=import-submit]", |t| {
                t == "Import 3 candidates"
            })
            .await?;
            b.click("[data-testid=import-submit]").await?;
            b.wait_text("[data-testid=import-result]", |t| {
                t == "Imported: 3 candidates added."
            })
            .await?;
            b.click("[data-testid=import-view-candidates]").await?;
            let mut accounts = wait_texts(&b, "[data-testid=candidate-account]", 3).await?;
            accounts.sort();
            anyhow::ensure!(
                accounts == ["s2026001", "s2026002", "s2026003"],
                "listed: {accounts:?}"
            );

            // An imported candidate signs in on the portal and sees the organisation's brand.
            b.goto(&format!("/o/{slug}")).await?;
            b.wait_text("[data-testid=portal-app-name]", |t| t == "Sunrise Exams")
                .await?;
            b.wait_text("[data-testid=portal-org-name]", |t| t == "Sunrise Academy")
                .await?;
            anyhow::ensure!(
                !present(&b, "[data-testid=nav-home]").await?
                    && !present(&b, "[data-testid=nav-candidates]").await?,
                "the portal must not show the console's navigation"
            );
            b.fill("[data-testid=portal-identifier]", "s2026001")
                .await?;
            b.fill("[data-testid=portal-password]", CANDIDATE_PASSWORD)
                .await?;
            b.click("[data-testid=portal-login-submit]").await?;
            crate::support::agree_to_policies(&b).await?;
            b.wait_text("[data-testid=portal-hello]", |t| t == "Hello, Li Lei")
                .await?;
            anyhow::ensure!(
                b.current_path().await? == format!("/o/{slug}/home"),
                "not on the candidate's home page"
            );
            b.wait_text("[data-testid=portal-app-name]", |t| t == "Sunrise Exams")
                .await?;
            let width = image_width(&b, "[data-testid=portal-logo]").await?;
            anyhow::ensure!(width > 0, "the logo did not load");
            let title = b.client.execute("return document.title", vec![]).await?;
            anyhow::ensure!(title == "Sunrise Exams", "page title {title}");
            Ok(())
        }
        .await;
        (b, result)
    })
    .await
}

#[tokio::test]
async fn groups_and_the_candidate_form_manage_candidates() -> anyhow::Result<()> {
    with_browser(|b: Browser| async move {
        let result = async {
            builders::new_org(&b, "zh-CN", "晨光中学", "office@chenguang.example").await?;

            // Groups: create two, rename one.
            b.goto("/candidate-groups").await?;
            for name in ["一班", "二班"] {
                b.fill("[data-testid=group-new-name]", name).await?;
                b.click("[data-testid=group-create]").await?;
                b.wait_text(
                    &format!(
                        "[data-testid=group-row][data-name='{name}'] [data-testid=group-name]"
                    ),
                    |t| t == name,
                )
                .await?;
            }
            b.fill("[data-testid=group-new-name]", "一班").await?;
            b.click("[data-testid=group-create]").await?;
            b.wait_text("[data-testid=group-taken]", |t| t == "已有同名分组。")
                .await?;
            b.click("[data-testid=group-row][data-name='二班'] [data-testid=group-rename]")
                .await?;
            b.fill("[data-testid=group-rename-input]", "三班").await?;
            b.click("[data-testid=group-rename-save]").await?;
            b.wait_text(
                "[data-testid=group-row][data-name='三班'] [data-testid=group-name]",
                |t| t == "三班",
            )
            .await?;

            // A candidate without a password needs a contact: the form says so, then saves.
            b.click("[data-testid=tab-candidates]").await?;
            b.wait_text("[data-testid=candidates-empty]", |t| !t.is_empty())
                .await?;
            b.click("[data-testid=candidate-new]").await?;
            b.fill("[data-testid=candidate-form-account]", "cg001")
                .await?;
            b.fill("[data-testid=candidate-form-name]", "王小明")
                .await?;
            b.click("[data-testid=candidate-form-submit]").await?;
            b.wait_text("[data-testid=field-error-password]", |t| !t.is_empty())
                .await?;
            b.fill(
                "[data-testid=candidate-form-email]",
                "xiaoming@chenguang.example",
            )
            .await?;
            b.click("[data-testid=candidate-form-group][data-group='一班']")
                .await?;
            b.click("[data-testid=candidate-form-submit]").await?;
            b.wait_text("[data-testid=candidates-notice]", |t| t == "已保存。")
                .await?;
            b.wait_text(
                "[data-testid=candidate-row][data-account=cg001] [data-testid=candidate-groups]",
                |t| t == "一班",
            )
            .await?;

            // A second account with the same email is refused.
            b.click("[data-testid=candidate-new]").await?;
            b.fill("[data-testid=candidate-form-account]", "cg002")
                .await?;
            b.fill("[data-testid=candidate-form-name]", "李小红")
                .await?;
            b.fill(
                "[data-testid=candidate-form-email]",
                "xiaoming@chenguang.example",
            )
            .await?;
            b.click("[data-testid=candidate-form-submit]").await?;
            b.wait_text("[data-testid=candidate-form-taken]", |t| !t.is_empty())
                .await?;
            b.fill(
                "[data-testid=candidate-form-email]",
                "xiaohong@chenguang.example",
            )
            .await?;
            b.fill("[data-testid=candidate-form-password]", CANDIDATE_PASSWORD)
                .await?;
            b.click("[data-testid=candidate-form-submit]").await?;
            wait_texts(&b, "[data-testid=candidate-row]", 2).await?;

            // Disable one; filter by status and by exact email.
            let row = "[data-testid=candidate-row][data-account=cg002]";
            b.click(&format!("{row} [data-testid=candidate-toggle-status]"))
                .await?;
            let status = format!("{row} [data-testid=candidate-status][data-status=disabled]");
            b.wait_text(&status, |t| t == "已停用").await?;
            b.click("[data-testid=candidates-filter-status] option[value=disabled]")
                .await?;
            b.click("[data-testid=candidates-filter-submit]").await?;
            let only = wait_texts(&b, "[data-testid=candidate-account]", 1).await?;
            anyhow::ensure!(only == ["cg002"], "disabled: {only:?}");
            b.click("[data-testid=candidates-filter-clear]").await?;
            wait_texts(&b, "[data-testid=candidate-row]", 2).await?;
            b.fill(
                "[data-testid=candidates-filter-q]",
                "xiaoming@chenguang.example",
            )
            .await?;
            b.click("[data-testid=candidates-filter-submit]").await?;
            let found = wait_texts(&b, "[data-testid=candidate-account]", 1).await?;
            anyhow::ensure!(found == ["cg001"], "search: {found:?}");
            b.click("[data-testid=candidates-filter-clear]").await?;
            wait_texts(&b, "[data-testid=candidate-row]", 2).await?;

            // Edit: a new name; then delete the other after confirming.
            b.click("[data-testid=candidate-row][data-account=cg001] [data-testid=candidate-edit]")
                .await?;
            b.fill("[data-testid=candidate-form-name]", "王晓明")
                .await?;
            b.click("[data-testid=candidate-form-submit]").await?;
            b.wait_text(
                "[data-testid=candidate-row][data-account=cg001] [data-testid=candidate-name]",
                |t| t == "王晓明",
            )
            .await?;
            b.click(&format!("{row} [data-testid=candidate-delete]"))
                .await?;
            b.click("[data-testid=confirm-no]").await?;
            wait_texts(&b, "[data-testid=candidate-row]", 2).await?;
            b.click(&format!("{row} [data-testid=candidate-delete]"))
                .await?;
            b.click("[data-testid=confirm-yes]").await?;
            b.wait_text("[data-testid=candidates-notice]", |t| t == "已删除。")
                .await?;
            let left = wait_texts(&b, "[data-testid=candidate-account]", 1).await?;
            anyhow::ensure!(left == ["cg001"], "after delete: {left:?}");

            // The group's member count follows.
            b.click("[data-testid=tab-groups]").await?;
            b.wait_text(
                "[data-testid=group-row][data-name='一班'] [data-testid=group-count]",
                |t| t == "1",
            )
            .await?;
            b.wait_text(
                "[data-testid=group-row][data-name='三班'] [data-testid=group-count]",
                |t| t == "0",
            )
            .await?;
            Ok(())
        }
        .await;
        (b, result)
    })
    .await
}

#[tokio::test]
async fn an_admin_sees_only_the_console_pages_their_permissions_allow() -> anyhow::Result<()> {
    with_browser(|b: Browser| async move {
        let result = async {
            builders::new_org(&b, "en", "Harbour Institute", "owner@harbour.example").await?;
            anyhow::ensure!(
                present(&b, "[data-testid=nav-candidates]").await?
                    && present(&b, "[data-testid=nav-api-keys]").await?,
                "the owner may use every console page"
            );
            let (status, body) = page_fetch(
                &b,
                "POST",
                "/api/org/users",
                serde_json::json!({}),
                Some(serde_json::json!({
                    "login_account": "reader",
                    "display_name": "Read Only",
                    "password": "Reader-pass-2026",
                    "role": "admin",
                    "permissions": ["candidates:read"],
                })),
            )
            .await?;
            anyhow::ensure!(
                status == 201 || status == 200,
                "creating the admin: {status} {body}"
            );
            b.click("[data-testid=nav-account]").await?;
            b.click("[data-testid=logout]").await?;
            b.fill("[data-testid=login-identifier]", "reader").await?;
            b.fill("[data-testid=login-password]", "Reader-pass-2026")
                .await?;
            b.click("[data-testid=login-submit]").await?;
            b.wait_text("[data-testid=nav-org-name]", |t| t == "Harbour Institute")
                .await?;
            // An admin's first sign-in asks for agreement to the documents.
            crate::support::agree_to_policies(&b).await?;

            // Reading candidates only: the list without the add button or the import tab.
            b.click("[data-testid=nav-candidates]").await?;
            b.wait_text("[data-testid=candidates-empty]", |t| !t.is_empty())
                .await?;
            anyhow::ensure!(
                !present(&b, "[data-testid=nav-api-keys]").await?,
                "API keys are listed for an admin without that permission"
            );
            anyhow::ensure!(
                !present(&b, "[data-testid=candidate-new]").await?
                    && !present(&b, "[data-testid=tab-import]").await?,
                "a read-only admin is offered changes"
            );
            b.goto("/candidate-import").await?;
            b.wait_text("[data-testid=no-permission]", |t| !t.is_empty())
                .await?;
            b.goto("/api-keys").await?;
            b.wait_text("[data-testid=no-permission]", |t| !t.is_empty())
                .await?;
            Ok(())
        }
        .await;
        (b, result)
    })
    .await
}

#[tokio::test]
async fn the_candidate_list_pages_through_every_page() -> anyhow::Result<()> {
    with_browser(|b: Browser| async move {
        let result = async {
            builders::new_org(&b, "en", "Paging School", "paging@example.com").await?;
            for i in 0..55 {
                let body = serde_json::json!({ "account": format!("page-{i:02}"),
                    "name": format!("Pupil {i:02}"), "email": format!("p{i}@example.com") });
                crate::support::call(&b, "POST", "/api/candidates", Some(body)).await?;
            }
            b.goto("/candidates").await?;
            b.wait_text("[data-testid=candidates-range]", |t| t.contains("55"))
                .await?;
            let range = b
                .wait_text("[data-testid=candidates-range]", |_| true)
                .await?;
            anyhow::ensure!(range.starts_with("1"), "{range}");
            anyhow::ensure!(b.count("[data-testid=candidates-prev][disabled]").await? == 1);
            anyhow::ensure!(b.count("[data-testid=candidates-next][disabled]").await? == 0);
            // 20 a page: 1–20, 21–40, 41–55.
            b.click("[data-testid=candidates-next]").await?;
            b.wait_text("[data-testid=candidates-range]", |t| t.starts_with("21"))
                .await?;
            b.click("[data-testid=candidates-next]").await?;
            b.wait_text("[data-testid=candidates-range]", |t| t.starts_with("41"))
                .await?;
            anyhow::ensure!(b.count("[data-testid=candidates-next][disabled]").await? == 1);
            anyhow::ensure!(b.count("[data-testid=candidate-row]").await? == 15);
            b.click("[data-testid=candidates-prev]").await?;
            b.wait_text("[data-testid=candidates-range]", |t| t.starts_with("21"))
                .await?;
            Ok(())
        }
        .await;
        (b, result)
    })
    .await
}
