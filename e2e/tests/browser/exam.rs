//! The candidate's exam screen: a candidate signs in to the portal, finds the exam, starts it
//! and answers; the server is stopped while they keep answering (the screen says "offline,
//! answers kept" and holds the answers in localStorage); the server comes back and every
//! answer reaches it; a reload (with the browser's copy wiped, so only the server's answers
//! can show) resumes with all answers; submission warns about the unanswered question and
//! ends with the receipt the server stored, and the score.
//!
//! The `data-testid`s of the candidate's exam pages (keep them stable):
//!
//! - Home (`/o/{slug}/home`): `exam-list`, `portal-no-exams`, `exam-row` (`data-exam-id`,
//!   `data-state`), `exam-open`, `exam-state`, `exam-score`.
//! - Exam (`/o/{slug}/exam?id=`): `back-to-exams`, `exam-title`, `exam-state`,
//!   `exam-duration`, `exam-attempts-left`, `exam-instructions`, `exam-refused`, `exam-error`,
//!   `exam-start`, `attempt-row`, `attempt-score`, `exam-not-found`.
//! - Exam screen (`/o/{slug}/attempt?id=`): `exam-screen`, `exam-name`, `exam-countdown`,
//!   `save-status` (`data-state` saved / saving / offline / signed_out / another_device /
//!   not_allowed,
//!   `data-queued`), `exam-submit`, `storage-refused`, `save-rejected`, `exam-navigator`,
//!   `answered-count`, `nav-question` (`data-number`, `data-answered`, `data-flagged`),
//!   `exam-all-on-page`, `exam-section`, `exam-question` (`data-question-id`, `data-number`),
//!   `exam-question-number`, `flag-question`, `exam-stem`, `answer-option`
//!   (`data-option-id`, the attempt's label; `data-option-marker`, A, B, … as shown), `answer-blank`, `answer-essay`, `answer-item` (`data-option-id`),
//!   `answer-item-up`, `answer-item-down`, `answer-keep-order`, `answer-match`
//!   (`data-prompt-id`), `answer-targets`, `exam-part`, `exam-previous`, `exam-next`,
//!   `submit-dialog`, `unanswered`, `unanswered-question`, `all-answered`, `submit-waits`,
//!   `submit-error`, `submit-confirm`, `submit-cancel`.
//!   `flagged`, `flagged-question`.
//! - Result: `exam-result`, `exam-closed`, `exam-receipt`, `exam-answer-count`,
//!   `exam-result-score` (score / max), `exam-result-verdict`, `exam-result-review`,
//!   `back-to-exams`.
//! - Review (`/o/{slug}/review?id=`): `review-page`, `review-exam`, `review-score`,
//!   `review-item` (`data-number`), `review-verdict`, `review-points`, `review-stem`,
//!   `review-option` (`data-marker`, `data-key`, `data-chosen`), `review-blank`,
//!   `review-essay`, `review-explanation`, `review-comment`, `review-to-results`.

use anyhow::Context;
use serde_json::{Value, json};

use crate::builders;
use crate::harness::{Browser, with_browser};
use crate::support::{call, prop, wait_prop};

const PASSWORD: &str = "Autumn-exam-2026";

/// A bank with five questions (choice, multiple choice, blank, essay, true/false), a fixed
/// paper of them in that order and an open exam of 30 minutes assigned to one candidate;
/// `settings` adds to or overrides the exam's.
async fn make_exam(b: &Browser, settings: Value) -> anyhow::Result<String> {
    let contents = vec![
        json!({ "type": "single_choice", "stem": "<p>The capital of France?</p>",
            "options": [{ "id": "A", "text": "Paris" }, { "id": "B", "text": "Rome" }], "answer": "A" }),
        json!({ "type": "multiple_choice", "stem": "<p>Which are rivers?</p>",
            "options": [{ "id": "A", "text": "Rhine" }, { "id": "B", "text": "Alps" }, { "id": "C", "text": "Danube" }],
            "answers": ["A", "C"] }),
        json!({ "type": "fill_blank", "stem": "<p>Two and two make {{1}}.</p>",
            "blanks": [{ "answers": ["4"] }] }),
        json!({ "type": "essay", "stem": "<p>Describe a river.</p>" }),
        json!({ "type": "true_false", "stem": "<p>The Rhine is in Europe.</p>", "answer": true }),
    ];
    let questions = builders::bank_with(b, "Geography", contents, 2.0).await?;
    let paper = builders::fixed_paper(b, "Geography quiz", "Part one", &questions).await?;
    let candidate = builders::candidate(b, "stu-001", "Li Lei", PASSWORD).await?;
    let mut fields = json!({ "instructions": "<p>Work alone.</p>", "pass_mark": 5 });
    builders::merge(&mut fields, settings);
    let exam = builders::exam(b, &paper, "Geography midterm", fields).await?;
    let exam_id = builders::id_of(&exam)?;
    builders::assign(b, &exam_id, &[candidate]).await?;
    Ok(exam_id)
}

const STATUS: &str = "[data-testid=save-status]";

/// Waits until every change reached the server.
async fn all_saved(b: &Browser) -> anyhow::Result<()> {
    b.wait_attr(STATUS, "data-queued", |q| q == "0").await?;
    b.wait_attr(STATUS, "data-state", |s| s == "saved").await?;
    Ok(())
}

/// The attempt as the server holds it, read with the candidate's session.
async fn server_attempt(b: &Browser, attempt_id: &str) -> anyhow::Result<Value> {
    call(
        b,
        "GET",
        &format!("/api/candidate/attempts/{attempt_id}"),
        None,
    )
    .await
}

/// The candidate signs in to the portal (the console's session in this browser stays).
async fn sign_in(b: &Browser, slug: &str) -> anyhow::Result<()> {
    b.goto(&format!("/o/{slug}/login")).await?;
    b.fill("[data-testid=portal-identifier]", "stu-001").await?;
    b.fill("[data-testid=portal-password]", PASSWORD).await?;
    b.click("[data-testid=portal-login-submit]").await?;
    crate::support::agree_to_policies(b).await
}

fn nav(number: u32) -> String {
    format!("[data-testid=nav-question][data-number='{number}']")
}

#[tokio::test]
async fn answers_survive_a_server_outage_and_a_reload_and_submission_gives_the_receipt()
-> anyhow::Result<()> {
    with_browser(|b: Browser| async move {
        let result = async {
            let slug =
                builders::new_org(&b, "en", "Riverside College", "admin@riverside.example").await?;
            let exam_id = make_exam(&b, json!({})).await?;

            // The candidate signs in to the portal and finds the exam.
            sign_in(&b, &slug).await?;
            let row = format!("[data-testid=exam-row][data-exam-id='{exam_id}']");
            b.wait_attr(&row, "data-state", |s| s == "open").await?;
            b.click(&format!("{row} [data-testid=exam-open]")).await?;
            b.wait_text("[data-testid=exam-title]", |t| t == "Geography midterm")
                .await?;
            b.wait_text("[data-testid=exam-instructions]", |t| t == "Work alone.")
                .await?;
            b.wait_text("[data-testid=exam-duration]", |t| t == "30 minutes")
                .await?;
            b.click("[data-testid=exam-start]").await?;

            // The exam screen: the countdown starts from the duration.
            b.wait_text("[data-testid=exam-name]", |t| t == "Geography midterm")
                .await?;
            b.wait_text("[data-testid=exam-countdown]", |t| {
                t.starts_with("29:") || t == "30:00"
            })
            .await?;
            let url = b.client.current_url().await?;
            let attempt_id = url
                .query_pairs()
                .find(|(k, _)| k == "id")
                .map(|(_, v)| v.into_owned())
                .context("the attempt id in the address")?;

            // Online: the first two answers are saved at once.
            b.click("[data-testid=answer-option][data-option-marker=A]")
                .await?;
            all_saved(&b).await?;
            b.wait_attr(&nav(1), "data-answered", |a| a == "true")
                .await?;
            b.click("[data-testid=exam-next]").await?;
            b.click("[data-testid=answer-option][data-option-marker=A]")
                .await?;
            b.click("[data-testid=answer-option][data-option-marker=C]")
                .await?;
            all_saved(&b).await?;

            // The server goes away; the candidate keeps answering.
            b.server.stop().await?;
            b.click(&nav(3)).await?;
            b.fill("[data-testid=answer-blank]", "4").await?;
            b.wait_attr(STATUS, "data-state", |s| s == "offline")
                .await?;
            b.wait_text(STATUS, |t| t.contains("Offline, answers kept"))
                .await?;
            b.click("[data-testid=flag-question]").await?;
            b.wait_attr(&nav(3), "data-flagged", |f| f == "true")
                .await?;
            b.click("[data-testid=exam-next]").await?;
            b.fill(
                "[data-testid=answer-essay]",
                "The Danube flows to the Black Sea.",
            )
            .await?;
            b.wait_attr(STATUS, "data-queued", |q| q == "2").await?;
            b.wait_text(STATUS, |t| t.contains("2 answers waiting to be sent"))
                .await?;
            b.wait_text("[data-testid=answered-count]", |t| t == "4 of 5 answered")
                .await?;
            // The answers are in the browser's storage, not only in the page.
            let stored = b
                .client
                .execute(
                    "return localStorage.getItem('examcloud.exam.' + arguments[0]);",
                    vec![json!(attempt_id)],
                )
                .await?;
            let stored = stored.as_str().unwrap_or_default();
            anyhow::ensure!(
                stored.contains("The Danube flows to the Black Sea.") && stored.contains("\"4\""),
                "the queue is not in localStorage: {stored}"
            );

            // Submitting now would lose answers: the dialog waits for them.
            b.click("[data-testid=exam-submit]").await?;
            b.wait_text("[data-testid=submit-waits]", |t| !t.is_empty())
                .await?;
            anyhow::ensure!(
                prop(&b, "[data-testid=submit-confirm]", "disabled")
                    .await?
                    .as_deref()
                    == Some("true"),
                "submission must wait for the queued answers"
            );
            b.click("[data-testid=submit-cancel]").await?;

            // The server comes back: the queue drains by itself.
            b.server.start().await?;
            all_saved(&b).await?;
            let held = server_attempt(&b, &attempt_id).await?;
            let answers = held["answers"].as_array().context("answers")?;
            anyhow::ensure!(answers.len() == 4, "the server holds {answers:?}");
            let text = held["answers"].to_string();
            anyhow::ensure!(
                text.contains("The Danube flows to the Black Sea.") && text.contains("[\"4\"]"),
                "answers given offline are missing: {text}"
            );

            // A reload with the browser's copy wiped shows what the server holds.
            b.client
                .execute(
                    "localStorage.removeItem('examcloud.exam.' + arguments[0]);",
                    vec![json!(attempt_id)],
                )
                .await?;
            b.client.refresh().await?;
            b.wait_text("[data-testid=answered-count]", |t| t == "4 of 5 answered")
                .await?;
            for n in 1..=4 {
                b.wait_attr(&nav(n), "data-answered", |a| a == "true")
                    .await?;
            }
            b.wait_attr(&nav(5), "data-answered", |a| a == "false")
                .await?;
            b.click(&nav(3)).await?;
            wait_prop(&b, "[data-testid=answer-blank]", "value", |v| v == "4").await?;
            b.click("[data-testid=exam-all-on-page]").await?;
            b.wait_count("[data-testid=exam-question]", 5).await?;
            // The multiple choice answer (question 2: A and C) shows too.
            let q2 = "[data-testid=exam-question][data-number='2']";
            for (option, on) in [("A", "true"), ("B", "false"), ("C", "true")] {
                wait_prop(
                    &b,
                    &format!("{q2} [data-testid=answer-option][data-option-marker={option}]"),
                    "checked",
                    |v| v == on,
                )
                .await?;
            }

            // Submission warns about question 5, then gives the receipt the server stored.
            b.click("[data-testid=exam-submit]").await?;
            b.wait_text("[data-testid=unanswered]", |t| t == "Question 5")
                .await?;
            b.click("[data-testid=submit-confirm]").await?;
            let receipt = b
                .wait_text("[data-testid=exam-receipt]", |t| t.len() == 64)
                .await?;
            b.wait_text("[data-testid=exam-answer-count]", |t| t == "4")
                .await?;
            // Three objective answers right (2 points each); the essay waits for a grader.
            b.wait_text("[data-testid=exam-result-score]", |t| t == "6 / 10")
                .await?;
            // No verdict while the essay waits; no review while the policy says never.
            anyhow::ensure!(b.count("[data-testid=exam-result-verdict]").await? == 0);
            anyhow::ensure!(b.count("[data-testid=exam-result-review]").await? == 0);
            let held = server_attempt(&b, &attempt_id).await?;
            anyhow::ensure!(
                held["receipt"] == receipt.as_str(),
                "the receipt shown is not the server's: {}",
                held["receipt"]
            );
            // The browser's queue is gone with the finished attempt.
            let stored = b
                .client
                .execute(
                    "return localStorage.getItem('examcloud.exam.' + arguments[0]);",
                    vec![json!(attempt_id)],
                )
                .await?;
            anyhow::ensure!(stored.is_null(), "the queue outlived the attempt: {stored}");

            // The home page lists the exam as taken.
            b.click("[data-testid=back-to-exams]").await?;
            b.wait_attr(&row, "data-state", |s| s == "closed").await?;
            Ok(())
        }
        .await;
        (b, result)
    })
    .await
}

#[tokio::test]
async fn leaving_the_page_once_too_often_submits_the_attempt_and_copying_is_blocked()
-> anyhow::Result<()> {
    with_browser(|b: Browser| async move {
        let result = async {
            let slug = builders::new_org(&b, "en", "Hilltop School", "admin@hilltop.example").await?;
            let exam_id = make_exam(
                &b,
                json!({ "integrity": { "max_focus_losses": 2, "block_copy_paste": true } }),
            )
            .await?;
            sign_in(&b, &slug).await?;
            let row = format!("[data-testid=exam-row][data-exam-id='{exam_id}']");
            b.click(&format!("{row} [data-testid=exam-open]")).await?;
            b.click("[data-testid=exam-start]").await?;
            b.click("[data-testid=answer-option][data-option-marker=A]").await?;
            all_saved(&b).await?;
            b.wait_text("[data-testid=copy-blocked]", |t| t.contains("blocked")).await?;

            // Copying is refused by the page (the event is cancelled) and reported.
            let allowed = b
                .client
                .execute(
                    "return document.querySelector('[data-testid=exam-stem]')\
                        .dispatchEvent(new ClipboardEvent('copy', { bubbles: true, cancelable: true }));",
                    vec![],
                )
                .await?;
            anyhow::ensure!(allowed == json!(false), "copying was not blocked");

            // The candidate leaves the page: twice is within the limit, the third time submits.
            let leave = "window.dispatchEvent(new Event('blur'));";
            for n in 1..=2 {
                b.client.execute(leave, vec![]).await?;
                b.wait_text("[data-testid=focus-count]", |t| {
                    t == format!("Left the exam page {n} of 2 times allowed")
                })
                .await?;
            }
            b.client.execute(leave, vec![]).await?;
            b.wait_text("[data-testid=exam-closed]", |t| t.contains("limit was exceeded"))
                .await?;
            b.wait_text("[data-testid=exam-receipt]", |t| t.len() == 64).await?;
            // Graded at once: the one answer given is right.
            b.wait_text("[data-testid=exam-result-score]", |t| t == "2 / 10").await?;

            // The proctor's monitor says why it ended; the timeline has the events.
            let monitor = call(&b, "GET", &format!("/api/exams/{exam_id}/monitor"), None).await?;
            let line = &monitor[0];
            anyhow::ensure!(
                line["submitted_reason"] == "integrity_limit",
                "monitor: {monitor}"
            );
            Ok(())
        }
        .await;
        (b, result)
    })
    .await
}

#[tokio::test]
async fn the_receipt_shows_the_score_and_opens_the_review_of_every_answer() -> anyhow::Result<()> {
    with_browser(|b: Browser| async move {
        let result = async {
            let slug = builders::new_org(&b, "en", "Hillside School", "admin@hillside.example").await?;
            let exam_id = make_exam(&b, json!({ "review_policy": "after_release" })).await?;
            sign_in(&b, &slug).await?;
            let row = format!("[data-testid=exam-row][data-exam-id='{exam_id}']");
            b.click(&format!("{row} [data-testid=exam-open]")).await?;
            b.click("[data-testid=exam-start]").await?;
            // Question 1 wrong (B), question 3 right, question 5 right; the essay left.
            b.click("[data-testid=answer-option][data-option-marker=B]").await?;
            all_saved(&b).await?;
            b.click(&nav(3)).await?;
            b.fill("[data-testid=answer-blank]", "4").await?;
            b.click(&nav(5)).await?;
            b.click("[data-testid=answer-option][data-option-id=true]").await?;
            b.click("[data-testid=flag-question]").await?;
            all_saved(&b).await?;
            b.click("[data-testid=exam-submit]").await?;
            // The dialog names the unanswered and the flagged questions, in a modal that
            // takes the focus on its safe choice.
            b.wait_text("[data-testid=unanswered]", |t| t.contains("Question 2")).await?;
            b.wait_text("[data-testid=flagged]", |t| t == "Question 5").await?;
            anyhow::ensure!(
                b.count("[data-testid=submit-dialog][aria-modal=true]").await? == 1,
                "the submit dialog is not modal"
            );
            let focused = b
                .client
                .execute("return document.activeElement.dataset.testid;", vec![])
                .await?;
            anyhow::ensure!(focused == "submit-cancel", "focus: {focused}");
            b.click("[data-testid=submit-confirm]").await?;

            // Released at once: score out of the paper's total, and the review opens.
            b.wait_text("[data-testid=exam-result-score]", |t| t == "4 / 10").await?;
            b.click("[data-testid=exam-result-review]").await?;
            b.wait_text("[data-testid=review-exam]", |t| t == "Geography midterm").await?;
            b.wait_text("[data-testid=review-score]", |t| t == "4 / 10 points").await?;
            b.wait_count("[data-testid=review-item]", 5).await?;
            let first = "[data-testid=review-item][data-number='1']";
            // The options lettered as shown; the choice and the key marked.
            b.wait_count(&format!("{first} [data-testid=review-option][data-marker=B][data-chosen=true][data-key=false]"), 1).await?;
            b.wait_count(&format!("{first} [data-testid=review-option][data-marker=A][data-key=true]"), 1).await?;
            b.wait_text(&format!("{first} [data-testid=review-verdict]"), |t| t == "Wrong").await?;
            b.wait_text(&format!("{first} [data-testid=review-points]"), |t| t == "0 / 2").await?;
            let third = "[data-testid=review-item][data-number='3']";
            b.wait_text(&format!("{third} [data-testid=review-verdict]"), |t| t == "Correct").await?;
            // The blank's marker is a gap, never `{{1}}`.
            let stem = b.wait_text(&format!("{third} [data-testid=review-stem]"), |t| !t.is_empty()).await?;
            anyhow::ensure!(!stem.contains("{{"), "raw marker in {stem}");
            let essay = "[data-testid=review-item][data-number='4']";
            b.wait_text(&format!("{essay} [data-testid=review-verdict]"), |t| t == "Not graded yet").await?;
            Ok(())
        }
        .await;
        (b, result)
    })
    .await
}
