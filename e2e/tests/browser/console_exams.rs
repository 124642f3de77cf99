//! Exams in the console: with a bank, two questions, a fixed paper and two candidates made
//! through the API, an organisation finds no exams, creates one in the form (closing before
//! opening first: the server's error shows at the closing time; then a valid window, typed as
//! local times), lands on the new exam's page, assigns one candidate found with the picker,
//! gives them 10 extra minutes, and finds no attempts yet (also after a refresh); the API
//! holds the exam with the window the form meant, the assignment and the accommodation, and
//! the list shows the exam as upcoming with one candidate.
//!
//! Entry modes: an exam created in the form with an access code and an open link, asking a
//! mobile number besides the automatic name (a third field reusing the key `name` is refused
//! at its key, then removed); its page shows the access code and the open link as an
//! absolute URL; a new code replaces the old one (the API agrees); a person who registers
//! with the code (from another device) is listed under Registrations. With invite links on
//! too, each assigned candidate (the registered person included) has an absolute invite URL;
//! removing an assignment (confirmed) takes its row and its invite link away.
//!
//! The `data-testid`s of the console's exam pages (keep them stable):
//!
//! - Navigation: `nav-exams`.
//! - List (`/exams`): `exam-new`, `exams-table`, `exams-empty`, `exams-row` (`data-id`,
//!   `data-name`, `data-state` upcoming / open / closed), `exams-name`, `exams-window`,
//!   `exams-duration`, `exams-assigned`, `exams-state`, `exams-open`.
//! - Exam page (`/exam[?id=…]`): `back-to-exams`, `page-title`, `exam-admin`
//!   (`data-exam-id`, once saved).
//! - Settings form: `exam-form`, `exam-saved` (changes saved), `exam-has-attempts`,
//!   `exam-delete` (then `confirm-yes`/`confirm-no`),
//!   `exam-paper`, `exam-no-papers`, `exam-name`, `exam-instructions`, `exam-opens-at`,
//!   `exam-closes-at`, `exam-duration`, `exam-late-entry`, `exam-attempts-allowed`,
//!   `exam-scoring`, `exam-pass-mark`, `exam-negative-marking`, `exam-negative-fraction`,
//!   `exam-release-policy`, `exam-release-at`, `exam-review-policy`, `exam-save`,
//!   `exam-form-error`, `field-error-<field>` (the API's field name, with `data-reason`,
//!   e.g. `field-error-entry.registration_fields[1].key`).
//! - Anti-cheat (in the form): `exam-integrity`, `exam-max-focus-losses`,
//!   `exam-max-fullscreen-exits`, `exam-idle-timeout`, `exam-require-fullscreen`,
//!   `exam-block-copy-paste`, `exam-ip-ranges`, `field-error-integrity.ip_ranges`
//!   (`data-field` names the range, e.g. `integrity.ip_ranges[1]`).
//! - Entry (in the form): `exam-entry`, `exam-entry-invite-links`, `exam-entry-open-link`,
//!   `exam-entry-access-code`, `exam-entry-single-device`, `reg-fields`, `reg-field`
//!   (`data-index`), `reg-field-key`, `reg-field-label`, `reg-field-kind`,
//!   `reg-field-required`, `reg-field-remove`, `reg-field-add`.
//! - Ways in (a saved exam with an entry mode on): `entry-access`, `entry-access-code`,
//!   `access-code`, `access-code-copy`, `access-code-rotate`, `entry-open-link`,
//!   `open-link-url`, `open-link-copy`, `open-link-rotate`, `confirm`, `confirm-yes`,
//!   `confirm-no`, `<copy button>-copied` / `-copy-failed`, `entry-access-error`,
//!   `entry-invites`, `invites-table`, `invites-empty`, `invite-row` (`data-candidate-id`),
//!   `invite-name`, `invite-url`, `invite-copy`, `entry-registrations`,
//!   `registrations-refresh`, `registrations-table`, `registrations-empty`,
//!   `registration-row` (`data-id`, `data-candidate-id`), `registration-value` (`data-key`),
//!   `registration-date`.
//! - Assignments: `exam-assignments`, `assign-picker`, `assign-search-form`, `assign-search`,
//!   `assign-search-submit`, `assign-results`, `assign-result` (`data-candidate-id`),
//!   `assign-result-select`, `assign-result-name`, `assign-no-results`, `assign-groups`,
//!   `assign-group` (`data-group-id`), `assign-group-select`, `assign-no-groups`,
//!   `assign-selection`, `assign-submit`, `assign-nothing-selected`, `assign-done`,
//!   `assign-error`, `assigned-table`, `assigned-empty`, `assigned-row`
//!   (`data-candidate-id`), `assigned-name`, `assigned-account`, `assigned-attempts-used`,
//!   `accommodation-minutes`, `accommodation-percent`, `accommodation-attempts`,
//!   `accommodation-save`, `accommodation-saved`, `accommodation-error`, `assigned-remove`
//!   (then `confirm-yes` / `confirm-no` in the row).
//! - Attempts: `exam-attempts` (`data-reloads`), `attempts-refresh`, `attempts-table`,
//!   `attempts-empty`, `exam-attempt-row` (`data-attempt-id`, `data-candidate-id`,
//!   `data-status`), `exam-attempt-candidate`, `exam-attempt-number`, `exam-attempt-status`,
//!   `exam-attempt-submitted`, `exam-attempt-auto` (`data-value`), `exam-attempt-score`,
//!   `exam-attempt-manual` (`data-value`).

use anyhow::Context;
use serde_json::{Value, json};

use crate::builders;
use crate::harness::{Browser, with_browser};
use crate::support::{call, wait_prop};

/// A local time `minutes` from now (to the minute) as a `datetime-local` input takes it, and
/// the instant it stands for in milliseconds, both by the browser's clock and time zone.
async fn local_time(b: &Browser, minutes: i64) -> anyhow::Result<(String, i64)> {
    let script = r#"
        const d = new Date(Date.now() + arguments[0] * 60000);
        d.setSeconds(0, 0);
        const p = n => String(n).padStart(2, '0');
        const value = `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
        return [value, d.getTime()];
    "#;
    let answer = b.client.execute(script, vec![json!(minutes)]).await?;
    let value = answer[0].as_str().context("a local time")?.to_owned();
    let millis = answer[1].as_i64().context("its instant")?;
    Ok((value, millis))
}

/// Milliseconds since the epoch of an RFC 3339 time, as the browser reads it.
async fn millis(b: &Browser, rfc3339: &str) -> anyhow::Result<i64> {
    let answer = b
        .client
        .execute("return Date.parse(arguments[0]);", vec![json!(rfc3339)])
        .await?;
    answer.as_i64().context("a readable time")
}

/// Sets an input's value as a person picking it would (a `datetime-local` input cannot be
/// typed into the same way in every locale), firing the `input` event the page listens to.
async fn set_value(b: &Browser, css: &str, value: &str) -> anyhow::Result<()> {
    b.wait_count(css, 1).await?;
    let script = r#"
        const el = document.querySelector(arguments[0]);
        el.value = arguments[1];
        el.dispatchEvent(new Event('input', { bubbles: true }));
    "#;
    b.client
        .execute(script, vec![json!(css), json!(value)])
        .await
        .with_context(|| format!("setting {css}"))?;
    Ok(())
}

/// A bank with two questions, a fixed paper of both and two candidates; returns the paper's
/// id and the candidates' ids.
async fn make_paper_and_candidates(b: &Browser) -> anyhow::Result<(String, Vec<String>)> {
    let contents = vec![
        json!({ "type": "single_choice", "stem": "<p>When did the Tang dynasty begin?</p>",
            "options": [{ "id": "A", "text": "618" }, { "id": "B", "text": "960" }], "answer": "A" }),
        json!({ "type": "true_false", "stem": "<p>The Great Wall is one wall.</p>", "answer": false }),
    ];
    let questions = builders::bank_with(b, "History", contents, 5.0).await?;
    let paper_id = builders::fixed_paper(b, "History quiz", "Part one", &questions).await?;
    let mut candidates = Vec::new();
    for (account, name) in [("stu-001", "Li Lei"), ("stu-002", "Han Meimei")] {
        candidates.push(builders::candidate(b, account, name, "Spring-exam-2026").await?);
    }
    Ok((paper_id, candidates))
}

#[tokio::test]
async fn an_admin_creates_an_exam_assigns_a_candidate_with_extra_time_and_sees_no_attempts()
-> anyhow::Result<()> {
    with_browser(|b: Browser| async move {
        let result = async {
            builders::new_org(&b, "en", "Riverside College", "admin@riverside.example").await?;
            let (paper_id, candidates) = make_paper_and_candidates(&b).await?;

            b.click("[data-testid=nav-exams]").await?;
            b.wait_text("[data-testid=exams-empty]", |t| t.contains("No exams"))
                .await?;

            // The form: closing before opening is refused by the server, at the field.
            b.click("[data-testid=exam-new]").await?;
            b.wait_count(
                &format!("[data-testid=exam-paper] option[value='{paper_id}']"),
                1,
            )
            .await?;
            b.select("[data-testid=exam-paper]", &paper_id).await?;
            b.fill("[data-testid=exam-name]", "Spring final").await?;
            b.fill("[data-testid=exam-instructions]", "Work alone.")
                .await?;
            let (opens, opens_ms) = local_time(&b, 60).await?;
            let (too_early, _) = local_time(&b, 30).await?;
            set_value(&b, "[data-testid=exam-opens-at]", &opens).await?;
            set_value(&b, "[data-testid=exam-closes-at]", &too_early).await?;
            b.fill("[data-testid=exam-duration]", "45").await?;
            b.click("[data-testid=exam-save]").await?;
            b.wait_attr("[data-testid=field-error-closes_at]", "data-reason", |r| {
                r == "before_opens_at"
            })
            .await?;
            b.wait_text("[data-testid=field-error-closes_at]", |t| {
                t.contains("later than the opening")
            })
            .await?;
            b.wait_count("[data-testid=exam-form-error]", 1).await?;

            // A valid window: the exam is created and the page moves to it.
            let (closes, closes_ms) = local_time(&b, 180).await?;
            set_value(&b, "[data-testid=exam-closes-at]", &closes).await?;
            b.click("[data-testid=exam-save]").await?;
            let exam_id = b
                .wait_attr("[data-testid=exam-admin]", "data-exam-id", |v| {
                    !v.is_empty()
                })
                .await?;
            let url = b.client.current_url().await?;
            anyhow::ensure!(
                url.path() == "/exam" && url.query() == Some(&format!("id={exam_id}")),
                "not on the new exam's page: {url}"
            );
            // The saved exam can be edited: anti-cheat settings, the server checking the ranges.
            b.fill("[data-testid=exam-max-focus-losses]", "3").await?;
            b.fill("[data-testid=exam-ip-ranges]", "127.0.0.0/8, not-a-range")
                .await?;
            b.click("[data-testid=exam-save]").await?;
            b.wait_attr(
                "[data-testid='field-error-integrity.ip_ranges']",
                "data-field",
                |f| f == "integrity.ip_ranges[1]",
            )
            .await?;
            b.fill("[data-testid=exam-ip-ranges]", "127.0.0.0/8")
                .await?;
            b.click("[data-testid=exam-save]").await?;
            b.wait_text("[data-testid=exam-saved]", |t| t == "Changes saved.")
                .await?;
            let saved = call(&b, "GET", &format!("/api/exams/{exam_id}"), None).await?;
            anyhow::ensure!(
                saved["integrity"]["max_focus_losses"] == 3
                    && saved["integrity"]["ip_ranges"] == serde_json::json!(["127.0.0.0/8"]),
                "the integrity settings were not saved: {}",
                saved["integrity"]
            );
            b.wait_text("[data-testid=assigned-empty]", |t| {
                t.contains("No candidates")
            })
            .await?;

            // Assign one candidate through the picker.
            b.fill("[data-testid=assign-search]", "stu-001").await?;
            b.click("[data-testid=assign-search-submit]").await?;
            b.wait_count("[data-testid=assign-result]", 1).await?;
            let result = format!(
                "[data-testid=assign-result][data-candidate-id='{}']",
                candidates[0]
            );
            b.wait_text(&format!("{result} [data-testid=assign-result-name]"), |t| {
                t == "Li Lei"
            })
            .await?;
            b.click(&format!("{result} [data-testid=assign-result-select]"))
                .await?;
            b.wait_text("[data-testid=assign-selection]", |t| {
                t.contains("1 candidate, 0 groups")
            })
            .await?;
            b.click("[data-testid=assign-submit]").await?;
            b.wait_text("[data-testid=assign-done]", |t| {
                t == "1 candidate assigned."
            })
            .await?;
            b.wait_count("[data-testid=assigned-row]", 1).await?;
            let row = format!(
                "[data-testid=assigned-row][data-candidate-id='{}']",
                candidates[0]
            );
            b.wait_text(&format!("{row} [data-testid=assigned-name]"), |t| {
                t == "Li Lei"
            })
            .await?;
            b.wait_text(&format!("{row} [data-testid=assigned-account]"), |t| {
                t == "stu-001"
            })
            .await?;

            // Ten extra minutes for them.
            b.fill(&format!("{row} [data-testid=accommodation-minutes]"), "10")
                .await?;
            b.click(&format!("{row} [data-testid=accommodation-save]"))
                .await?;
            b.wait_count(&format!("{row} [data-testid=accommodation-saved]"), 1)
                .await?;

            // No attempts yet, also after a refresh.
            b.wait_text("[data-testid=attempts-empty]", |t| {
                t.contains("No attempts")
            })
            .await?;
            b.click("[data-testid=attempts-refresh]").await?;
            b.wait_attr("[data-testid=exam-attempts]", "data-reloads", |v| v == "1")
                .await?;
            b.wait_text("[data-testid=attempts-empty]", |t| {
                t.contains("No attempts")
            })
            .await?;

            // What the server holds.
            let exam: Value = call(&b, "GET", &format!("/api/exams/{exam_id}"), None).await?;
            assert_eq!(exam["name"], "Spring final");
            assert_eq!(exam["paper_id"], json!(paper_id));
            assert_eq!(exam["duration_minutes"], 45);
            assert_eq!(exam["assigned_count"], 1);
            let stored_opens = exam["opens_at"].as_str().context("opens_at")?;
            let stored_closes = exam["closes_at"].as_str().context("closes_at")?;
            assert_eq!(millis(&b, stored_opens).await?, opens_ms, "{stored_opens}");
            assert_eq!(
                millis(&b, stored_closes).await?,
                closes_ms,
                "{stored_closes}"
            );
            let assignments = call(
                &b,
                "GET",
                &format!("/api/exams/{exam_id}/assignments"),
                None,
            )
            .await?;
            let list = assignments.as_array().context("assignments")?;
            assert_eq!(list.len(), 1);
            assert_eq!(list[0]["candidate_id"], json!(candidates[0]));
            assert_eq!(list[0]["extra_minutes"], 10);
            assert_eq!(list[0]["extra_percent"], 0);
            assert_eq!(list[0]["extra_attempts"], 0);

            // The list shows it, upcoming, with one candidate.
            b.click("[data-testid=back-to-exams]").await?;
            b.wait_count("[data-testid=exams-row]", 1).await?;
            let listed = format!("[data-testid=exams-row][data-id='{exam_id}']");
            b.wait_attr(&listed, "data-state", |s| s == "upcoming")
                .await?;
            b.wait_text(&format!("{listed} [data-testid=exams-assigned]"), |t| {
                t == "1"
            })
            .await?;
            b.wait_text(&format!("{listed} [data-testid=exams-duration]"), |t| {
                t == "45 minutes"
            })
            .await?;
            Ok(())
        }
        .await;
        (b, result)
    })
    .await
}

/// Whether `text` is an access code as the API hands it out.
fn is_code(text: &str) -> bool {
    shared::exams::normalise_access_code(text).as_deref() == Some(text)
}

#[tokio::test]
async fn an_admin_opens_an_exam_by_access_code_and_open_link_and_sees_who_registered()
-> anyhow::Result<()> {
    with_browser(|b: Browser| async move {
        let result = async {
            builders::new_org(&b, "en", "Lakeside School", "admin@lakeside.example").await?;
            let (paper_id, candidates) = make_paper_and_candidates(&b).await?;

            // The form: access code and open link on; the name field comes by itself, a
            // mobile number is added.
            b.click("[data-testid=nav-exams]").await?;
            b.click("[data-testid=exam-new]").await?;
            b.wait_count(
                &format!("[data-testid=exam-paper] option[value='{paper_id}']"),
                1,
            )
            .await?;
            b.select("[data-testid=exam-paper]", &paper_id).await?;
            b.fill("[data-testid=exam-name]", "Open day quiz").await?;
            let (opens, _) = local_time(&b, -5).await?;
            let (closes, _) = local_time(&b, 120).await?;
            set_value(&b, "[data-testid=exam-opens-at]", &opens).await?;
            set_value(&b, "[data-testid=exam-closes-at]", &closes).await?;
            anyhow::ensure!(
                b.count("[data-testid=reg-fields]").await? == 0,
                "registration fields shown before a mode that registers"
            );
            b.click("[data-testid=exam-entry-access-code]").await?;
            b.wait_count("[data-testid=reg-field]", 1).await?;
            b.click("[data-testid=exam-entry-open-link]").await?;
            b.click("[data-testid=exam-entry-invite-links]").await?;
            let first = "[data-testid=reg-field][data-index='0']";
            wait_prop(
                &b,
                &format!("{first} [data-testid=reg-field-key]"),
                "value",
                |v| v == "name",
            )
            .await?;
            wait_prop(
                &b,
                &format!("{first} [data-testid=reg-field-label]"),
                "value",
                |v| v == "Name",
            )
            .await?;
            wait_prop(
                &b,
                &format!("{first} [data-testid=reg-field-kind]"),
                "value",
                |v| v == "name",
            )
            .await?;
            b.click("[data-testid=reg-field-add]").await?;
            b.wait_count("[data-testid=reg-field]", 2).await?;
            let second = "[data-testid=reg-field][data-index='1']";
            b.fill(&format!("{second} [data-testid=reg-field-key]"), "phone")
                .await?;
            b.fill(&format!("{second} [data-testid=reg-field-label]"), "Mobile")
                .await?;
            b.select(&format!("{second} [data-testid=reg-field-kind]"), "phone")
                .await?;
            b.click(&format!("{second} [data-testid=reg-field-required]"))
                .await?;

            // A third field reusing the key `name` is refused by the server, at its key;
            // removed, the exam is created.
            b.click("[data-testid=reg-field-add]").await?;
            let third = "[data-testid=reg-field][data-index='2']";
            b.fill(&format!("{third} [data-testid=reg-field-key]"), "name")
                .await?;
            b.fill(&format!("{third} [data-testid=reg-field-label]"), "Again")
                .await?;
            b.click("[data-testid=exam-save]").await?;
            let error = "[data-testid='field-error-entry.registration_fields[2].key']";
            b.wait_attr(error, "data-reason", |r| r == "duplicate")
                .await?;
            b.wait_text(error, |t| t.contains("another field")).await?;
            b.click(&format!("{third} [data-testid=reg-field-remove]"))
                .await?;
            b.wait_count("[data-testid=reg-field]", 2).await?;
            b.wait_count(error, 0).await?;
            b.click("[data-testid=exam-save]").await?;

            // The exam's page: the code, big, and the open link as an absolute URL.
            let exam_id = b
                .wait_attr("[data-testid=exam-admin]", "data-exam-id", |v| {
                    !v.is_empty()
                })
                .await?;
            let code = b.wait_text("[data-testid=access-code]", is_code).await?;
            let origin = b.base.trim_end_matches('/').to_owned();
            let open_url = wait_prop(&b, "[data-testid=open-link-url]", "value", |v| {
                v.starts_with(&format!("{origin}/o/")) && v.contains("/open/")
            })
            .await?;
            b.wait_count("[data-testid=invites-empty]", 1).await?;
            b.wait_text("[data-testid=registrations-empty]", |t| {
                t.contains("No registrations")
            })
            .await?;

            // A new code, confirmed first.
            b.click("[data-testid=access-code-rotate]").await?;
            b.click("[data-testid=entry-access-code] [data-testid=confirm-yes]")
                .await?;
            let new_code = b
                .wait_text("[data-testid=access-code]", |t| is_code(t) && t != code)
                .await?;

            // The API holds the same code, link and fields.
            let exam: Value = call(&b, "GET", &format!("/api/exams/{exam_id}"), None).await?;
            assert_eq!(exam["entry_access"]["access_code"], json!(new_code));
            let path = exam["entry_access"]["open_link_path"]
                .as_str()
                .context("open link path")?
                .to_owned();
            assert_eq!(open_url, format!("{origin}{path}"));
            assert_eq!(exam["entry"]["access_code"], true);
            assert_eq!(exam["entry"]["open_link"], true);
            assert_eq!(exam["entry"]["invite_links"], true);
            let fields = exam["entry"]["registration_fields"]
                .as_array()
                .context("registration fields")?;
            assert_eq!(fields.len(), 2, "{fields:?}");
            assert_eq!(fields[0]["key"], "name");
            assert_eq!(fields[0]["kind"], "name");
            assert_eq!(fields[0]["required"], true);
            assert_eq!(fields[1]["key"], "phone");
            assert_eq!(fields[1]["label"], "Mobile");
            assert_eq!(fields[1]["kind"], "phone");
            assert_eq!(fields[1]["required"], true);

            // Someone registers with the new code on their own device (signing that device,
            // not this browser, into the portal).
            let slug = path
                .strip_prefix("/o/")
                .and_then(|rest| rest.split('/').next())
                .context("slug in the open link")?;
            let person = b.other_device("Mozilla/5.0 (Linux; Android 14) Mobile")?;
            let (status, entered) = person
                .post_json(
                    &format!("/api/portal/{slug}/exams/code/{new_code}"),
                    &json!({ "accept": { "privacy": "1.0" },
                        "fields": { "name": "Wang Fang", "phone": "13912345678" } }),
                )
                .await?;
            anyhow::ensure!(status == 201, "registration: {status} {entered}");
            assert_eq!(entered["exam_id"], json!(exam_id));

            // Li Lei is assigned as well.
            builders::assign(&b, &exam_id, &candidates[..1]).await?;

            // After a reload the registration is listed under the exam's field labels.
            b.goto(&format!("/exam?id={exam_id}")).await?;
            b.wait_count("[data-testid=registration-row]", 1).await?;
            b.wait_text(
                "[data-testid=registrations-table] th[data-key=phone]",
                |t| t == "Mobile",
            )
            .await?;
            b.wait_text(
                "[data-testid=registration-row] [data-testid=registration-value][data-key=name]",
                |t| t == "Wang Fang",
            )
            .await?;
            b.wait_text(
                "[data-testid=registration-row] [data-testid=registration-value][data-key=phone]",
                |t| t.contains("13912345678"),
            )
            .await?;
            b.wait_text("[data-testid=registration-date]", |t| !t.is_empty())
                .await?;

            // Both assigned people have invite links; removing Li Lei takes theirs away.
            b.wait_count("[data-testid=invite-row]", 2).await?;
            let invite = format!(
                "[data-testid=invite-row][data-candidate-id='{}']",
                candidates[0]
            );
            b.wait_text(&format!("{invite} [data-testid=invite-url]"), |t| {
                t.starts_with(&format!("{origin}/o/{slug}/invite#"))
            })
            .await?;
            b.wait_text(&format!("{invite} [data-testid=invite-name]"), |t| {
                t.contains("Li Lei")
            })
            .await?;
            let row = format!(
                "[data-testid=assigned-row][data-candidate-id='{}']",
                candidates[0]
            );
            b.wait_count("[data-testid=assigned-row]", 2).await?;
            b.click(&format!("{row} [data-testid=assigned-remove]"))
                .await?;
            b.click(&format!("{row} [data-testid=confirm-yes]")).await?;
            b.wait_count("[data-testid=assigned-row]", 1).await?;
            b.wait_count("[data-testid=invite-row]", 1).await?;
            b.wait_count(&invite, 0).await?;
            let assignments = call(
                &b,
                "GET",
                &format!("/api/exams/{exam_id}/assignments"),
                None,
            )
            .await?;
            let list = assignments.as_array().context("assignments")?;
            assert_eq!(list.len(), 1);
            assert_eq!(list[0]["candidate_id"], entered["candidate"]["id"]);
            Ok(())
        }
        .await;
        (b, result)
    })
    .await
}
