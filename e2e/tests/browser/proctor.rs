//! The proctor view: an organisation makes a one-question exam assigned to a candidate, who
//! starts it (through the API, as another device) and leaves the page once; the admin opens
//! the monitor from the exam page and sees the attempt in progress with one focus loss, extends
//! it by 15 minutes, reads the focus loss in its timeline, force-submits it (reason: proctor)
//! and reopens it for 5 minutes.
//!
//! The `data-testid`s of the proctor view (`/exam-monitor?id=`; keep them stable):
//!
//! - On the exam page: `exam-monitor-link`.
//! - Page: `page-title`, `monitor-back`, `exam-monitor` (`data-exam-id`, `data-reloads`),
//!   `monitor-refresh`, `monitor-error`, `monitor-empty`, `monitor-table`.
//! - A row: `monitor-row` (`data-candidate-id`, `data-attempt-id`, `data-status`:
//!   not_started / in_progress / submitted / graded), `monitor-candidate`, `monitor-status`,
//!   `monitor-progress`, `monitor-time-left` (`data-seconds`), `monitor-focus-losses`,
//!   `monitor-other-events` (`data-value`: their total), `monitor-last-activity`,
//!   `monitor-reason` (`data-value`: candidate / deadline / integrity_limit / proctor).
//! - Its actions: `monitor-extend-minutes`, `monitor-extend`, `monitor-force-submit` (then
//!   `confirm-yes` / `confirm-no`), `monitor-reopen-minutes`, `monitor-reopen`,
//!   `monitor-events-toggle`, `monitor-result` (`data-ok`).
//! - The timeline: `monitor-events`, `monitor-events-error`, `monitor-events-empty`,
//!   `monitor-event` (`data-kind`), `monitor-event-kind`, `monitor-event-detail`,
//!   `monitor-event-ip`.

use anyhow::Context;
use serde_json::json;

use crate::builders;
use crate::harness::{Browser, with_browser};

const PASSWORD: &str = "Winter-proctor-2026";

/// A one-question paper and an open exam of 30 minutes assigned to one candidate with a
/// password; returns the exam's id.
async fn make_exam(b: &Browser) -> anyhow::Result<String> {
    let content = json!({ "type": "true_false", "stem": "<p>Rome was founded before Paris.</p>", "answer": true });
    let questions = builders::bank_with(b, "History", vec![content], 2.0).await?;
    let paper = builders::fixed_paper(b, "History check", "Only part", &questions).await?;
    let candidate = builders::candidate(b, "stu-101", "Han Meimei", PASSWORD).await?;
    let fields = json!({
        "instructions": "<p>Work alone.</p>", "closes_at": builders::at(b, 120).await?,
        "pass_mark": 1,
    });
    let exam = builders::exam(b, &paper, "History quiz", fields).await?;
    let exam_id = builders::id_of(&exam)?;
    builders::assign(b, &exam_id, &[candidate]).await?;
    Ok(exam_id)
}

const ROW: &str = "[data-testid=monitor-row]";

#[tokio::test]
async fn the_proctor_sees_the_attempt_live_extends_it_reads_its_events_submits_and_reopens_it()
-> anyhow::Result<()> {
    with_browser(|b: Browser| async move {
        let result = async {
            let slug =
                builders::new_org(&b, "en", "Hillside Academy", "admin@hillside.example").await?;
            let exam_id = make_exam(&b).await?;

            // The candidate, on their own device, signs in, starts and leaves the page once.
            let candidate = b.other_device("Candidate laptop")?;
            let (status, body) = candidate
                .post_json(
                    &format!("/api/portal/{slug}/login"),
                    &json!({ "identifier": "stu-101", "password": PASSWORD }),
                )
                .await?;
            anyhow::ensure!(status == 200, "portal login: {status} {body}");
            let (status, attempt) = candidate
                .post_json(
                    &format!("/api/candidate/exams/{exam_id}/attempts"),
                    &json!({}),
                )
                .await?;
            anyhow::ensure!(
                status == 200 || status == 201,
                "start: {status} {attempt}"
            );
            let attempt_id = attempt["id"].as_str().context("attempt id")?.to_owned();
            let (status, body) = candidate
                .post_json(
                    &format!("/api/candidate/attempts/{attempt_id}/events"),
                    &json!({ "events": [{ "kind": "focus_lost", "client_time": builders::at(&b, 0).await? }] }),
                )
                .await?;
            anyhow::ensure!(status == 200, "events: {status} {body}");

            // The admin opens the monitor from the exam page.
            b.goto(&format!("/exam?id={exam_id}")).await?;
            b.click("[data-testid=exam-monitor-link]").await?;
            b.wait_text("[data-testid=page-title]", |t| t == "Proctor view")
                .await?;
            b.wait_attr(ROW, "data-status", |s| s == "in_progress")
                .await?;
            b.wait_attr(ROW, "data-attempt-id", |s| s == attempt_id)
                .await?;
            b.wait_text("[data-testid=monitor-candidate]", |t| t == "Han Meimei")
                .await?;
            b.wait_text("[data-testid=monitor-status]", |t| t == "In progress")
                .await?;
            b.wait_text("[data-testid=monitor-progress]", |t| t == "0 / 1")
                .await?;
            b.wait_text("[data-testid=monitor-focus-losses]", |t| t == "1")
                .await?;
            let left = b
                .wait_attr("[data-testid=monitor-time-left]", "data-seconds", |s| {
                    s.parse::<i64>().is_ok_and(|s| s > 0 && s <= 1800)
                })
                .await?;
            anyhow::ensure!(left.parse::<i64>()? > 1700, "time left {left}");

            // Extending by 15 minutes: more than 40 minutes left.
            b.fill("[data-testid=monitor-extend-minutes]", "15").await?;
            b.click("[data-testid=monitor-extend]").await?;
            b.wait_attr("[data-testid=monitor-result]", "data-ok", |ok| ok == "true")
                .await?;
            b.wait_text("[data-testid=monitor-result]", |t| t == "Time extended.")
                .await?;
            b.wait_attr("[data-testid=monitor-time-left]", "data-seconds", |s| {
                s.parse::<i64>().is_ok_and(|s| s > 40 * 60)
            })
            .await?;

            // The timeline lists the focus loss.
            b.click("[data-testid=monitor-events-toggle]").await?;
            let event = "[data-testid=monitor-event][data-kind=focus_lost]";
            b.wait_count(event, 1).await?;
            b.wait_text(
                &format!("{event} [data-testid=monitor-event-kind]"),
                |t| t == "Window lost focus",
            )
            .await?;

            // Force submit, confirmed: submitted by the proctor.
            b.click("[data-testid=monitor-force-submit]").await?;
            b.click("[data-testid=confirm-yes]").await?;
            b.wait_attr(ROW, "data-status", |s| s == "submitted" || s == "graded")
                .await?;
            b.wait_attr("[data-testid=monitor-reason]", "data-value", |r| {
                r == "proctor"
            })
            .await?;
            b.wait_text("[data-testid=monitor-reason]", |t| t == "The proctor")
                .await?;
            b.wait_text("[data-testid=monitor-result]", |t| t == "Attempt submitted.")
                .await?;

            // Reopened for 5 minutes: in progress again, with at most 5 minutes left.
            b.fill("[data-testid=monitor-reopen-minutes]", "5").await?;
            b.click("[data-testid=monitor-reopen]").await?;
            b.wait_attr(ROW, "data-status", |s| s == "in_progress")
                .await?;
            b.wait_text("[data-testid=monitor-result]", |t| t == "Attempt reopened.")
                .await?;
            b.wait_attr("[data-testid=monitor-time-left]", "data-seconds", |s| {
                s.parse::<i64>().is_ok_and(|s| s > 0 && s <= 5 * 60)
            })
            .await?;
            b.wait_attr("[data-testid=monitor-reason]", "data-value", |r| r.is_empty())
                .await?;
            anyhow::Ok(())
        }
        .await;
        (b, result)
    })
    .await
}
