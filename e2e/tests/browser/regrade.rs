//! Re-grading and grader limits in the console. A true/false question's key was wrong; a
//! candidate who answered right fails. The admin corrects the key in the question editor,
//! which offers the re-grade: the dialog names the candidate with their score before → after,
//! the run changes the result, and the results table shows it. Then, on the exam's grading
//! queue, the admin limits a grader to that question; after a reload the limit is still there.
//!
//! The `data-testid`s (keep them stable):
//!
//! - The re-grade offer and dialog (`components/regrade_dialog.rs`): `regrade-offer`,
//!   `regrade-open`, `regrade-dialog`, `regrade-counts`, `regrade-exam`,
//!   `regrade-differences`, `regrade-difference` (`data-attempt`), `regrade-candidate`,
//!   `regrade-status`, `regrade-error`, `regrade-confirm`, `regrade-close`.
//! - The grader limits of the marking rule (`components/grader_limits.rs`): `grader-limits`,
//!   `grader-limit` (`data-user-id`), `grader-limit-name`, `grader-limit-remove`,
//!   `grader-limit-question` and `grader-limit-group` (checkboxes, `value` = the id),
//!   `grader-limits-none`, `grader-limits-users-error`, `grader-limit-user` (the grader to
//!   add), `grader-limit-add`; for readers who may not change the rule, `marking-limits`.

use anyhow::{Context, ensure};
use serde_json::json;

use crate::builders;
use crate::harness::{Browser, with_browser};
use crate::support::{call, wait_prop};

const CANDIDATE_PASSWORD: &str = "Ridge-quiz-2026";

#[tokio::test]
async fn a_corrected_key_is_regraded_from_the_editor_and_a_grader_limit_is_kept()
-> anyhow::Result<()> {
    with_browser(|b: Browser| async move {
        let result = async {
            let slug = builders::new_org(&b, "en", "Ridge School", "admin@ridge.example").await?;
            let bank = builders::bank(&b, "Facts").await?;
            // The key is wrong: the sun is a star.
            let content = json!({ "type": "true_false", "stem": "<p>The sun is a star.</p>",
                "answer": false });
            let question = builders::question(&b, &bank, content, 5.0, json!({})).await?;
            let paper =
                builders::fixed_paper(&b, "Facts paper", "Facts", std::slice::from_ref(&question)).await?;
            let candidate =
                builders::candidate(&b, "stu-401", "Li Lei", CANDIDATE_PASSWORD).await?;
            let exam = builders::exam(&b, &paper, "Facts quiz", json!({ "pass_mark": 5 })).await?;
            let exam_id = builders::id_of(&exam)?;
            builders::assign(&b, &exam_id, &[candidate]).await?;

            // The candidate, on their own device, answers "true" and submits: 0 of 5.
            let device = b.other_device("Candidate phone")?;
            let (status, body) = device
                .post_json(
                    &format!("/api/portal/{slug}/login"),
                    &json!({ "identifier": "stu-401", "password": CANDIDATE_PASSWORD }),
                )
                .await?;
            ensure!(status == 200, "portal login: {status} {body}");
            let (status, attempt) = device
                .post_json(&format!("/api/candidate/exams/{exam_id}/attempts"), &json!({}))
                .await?;
            ensure!(status == 201, "start: {status} {attempt}");
            let attempt_id = attempt["id"].as_str().context("attempt id")?.to_owned();
            let answer = json!({ "answer": { "type": "true_false", "value": true }, "seq": 1 });
            let path = format!("/api/candidate/attempts/{attempt_id}/answers/{question}");
            let (status, body) = device.put_json(&path, &answer).await?;
            ensure!(status == 200, "save: {status} {body}");
            let path = format!("/api/candidate/attempts/{attempt_id}/submit");
            let (status, body) = device.post_json(&path, &json!({})).await?;
            ensure!(status == 200, "submit: {status} {body}");

            // The admin corrects the key; the editor offers the re-grade.
            b.goto(&format!("/question-editor?bank={bank}&question={question}"))
                .await?;
            b.click("[data-testid=truth-true]").await?;
            b.click("[data-testid=question-save]").await?;
            b.wait_text("[data-testid=question-saved]", |t| t == "Saved.")
                .await?;
            b.click("[data-testid=regrade-open]").await?;
            b.wait_text("[data-testid=regrade-counts]", |t| t == "1 of 1 attempts change")
                .await?;
            let row = format!("[data-testid=regrade-difference][data-attempt='{attempt_id}']");
            b.wait_text(&format!("{row} [data-testid=regrade-candidate]"), |t| {
                t == "Li Lei (stu-401) #1"
            })
            .await?;
            b.wait_text(&row, |t| t.contains("0 / 5 → 5 / 5") && t.contains("Failed → Passed"))
                .await?;
            b.click("[data-testid=regrade-confirm]").await?;
            b.wait_text("[data-testid=regrade-status]", |t| {
                t.starts_with("Re-grading finished.")
            })
            .await?;

            // The results table has the new score.
            b.goto(&format!("/exam-results?id={exam_id}")).await?;
            b.wait_text("[data-testid=results-row]", |t| {
                t.contains("5 / 5") && t.contains("Li Lei")
            })
            .await?;

            // A grader limited to the question, kept across a reload.
            let grader = call(
                &b,
                "POST",
                "/api/org/users",
                Some(json!({ "login_account": "grader.ma", "display_name": "Ma Lin",
                    "password": CANDIDATE_PASSWORD, "role": "grader" })),
            )
            .await?;
            let grader_id = builders::id_of(&grader)?;
            let queue = format!("/grading/exam?exam={exam_id}");
            b.goto(&queue).await?;
            b.wait_text("[data-testid=grader-limits-none]", |t| !t.is_empty())
                .await?;
            b.select("[data-testid=grader-limit-user]", &grader_id)
                .await?;
            b.click("[data-testid=grader-limit-add]").await?;
            let limit = format!("[data-testid=grader-limit][data-user-id='{grader_id}']");
            b.wait_text(&format!("{limit} [data-testid=grader-limit-name]"), |t| {
                t == "Ma Lin (grader.ma)"
            })
            .await?;
            let qbox = format!("[data-testid=grader-limit-question][value='{question}']");
            let check = format!("{limit} {qbox}");
            b.wait_text(&format!("{limit} label:has({qbox})"), |t| {
                t.contains("The sun is a star.")
            })
            .await?;
            b.click(&check).await?;
            b.click("[data-testid=marking-save]").await?;
            b.wait_text("[data-testid=marking-saved]", |t| t == "Saved.")
                .await?;
            b.goto(&queue).await?;
            wait_prop(&b, &check, "checked", |v| v == "true").await?;
            let rule = call(&b, "GET", &format!("/api/exams/{exam_id}/marking"), None).await?;
            ensure!(
                rule["limits"]
                    == json!([{ "user_id": grader_id, "question_ids": [question], "group_ids": [] }]),
                "{rule}"
            );
            anyhow::Ok(())
        }
        .await;
        (b, result)
    })
    .await
}
