//! The grading workspace: an exam of two essays (the first marked against a rubric) asks for
//! two independent marks per answer within one point, and names an automatic certificate; a
//! candidate takes it (through the API, as another device) and submits. Two graders mark it
//! blind in the browser (the candidate's name and account appear nowhere on their screens);
//! one changes a mark with "previous"; their marks of the first essay differ by more than the
//! tolerance, so the admin arbitrates it. The attempt is then graded, its result released
//! (release after grading) and the certificate issued; the candidate sees the score under
//! "My results" and downloads the certificate as a PDF.
//!
//! The `data-testid`s of the grading workspace (keep them stable):
//!
//! - Navigation: `nav-grading`; on the exam page `exam-grading-link`.
//! - `/grading`: `grading-no-exams`, `grading-exams`, `grading-exam` (`data-exam-id`),
//!   `grading-exam-name`, `grading-exam-waiting`, `grading-exam-to-mark`,
//!   `grading-exam-to-arbitrate`, `grading-exam-progress`, `grading-exam-queue`,
//!   `grading-exam-start`.
//! - `/grading/exam?exam=`: `queue-back`, `queue-start`, `queue-exam-name`, `queue-progress`,
//!   `queue-refresh`, `queue-done`, `queue-to-mark`, `queue-to-arbitrate`, `queue-waiting`,
//!   `queue-questions`, `queue-question`, `queue-graders`, `queue-grader`,
//!   `queue-filter-question`, `queue-filter-status`, `queue-filter-grader`, `queue-items`,
//!   `queue-item` (`data-item-id`, `data-status`), `queue-item-code`, `queue-item-mine`,
//!   `queue-item-final`, `queue-item-open`, `queue-empty`, `queue-range`; the marking rule
//!   `marking-rule`, `marking-graders`, `marking-tolerance`, `marking-save`, `marking-saved`,
//!   `marking-error`.
//! - `/grading/mark?exam=[&item=]`: `marking` (`data-busy`), `mark-screen` (`data-item-id`),
//!   `mark-code`, `mark-question`, `mark-max`, `mark-status` (`data-status`), `mark-held`,
//!   `mark-sitting`, `mark-arbitrate`, `mark-decided`, `mark-stem`, `mark-reference`,
//!   `mark-answer` (`data-answered`), `mark-others`, `mark-other` (`data-points`),
//!   `mark-rubric`, `mark-criterion` (`data-index`), `mark-total`, `mark-points`,
//!   `mark-comment`, `mark-invalid`, `mark-error`, `mark-load-error`, `mark-save`,
//!   `mark-skip`, `mark-previous`, `mark-shortcuts`, `mark-empty`, `mark-empty-queue`,
//!   `mark-start-over`, `mark-back`.

use std::time::{Duration, Instant};

use anyhow::{Context, bail, ensure};
use fantoccini::Locator;
use fantoccini::key::Key;
use serde_json::json;

use crate::accounts;
use crate::builders;
use crate::harness::{Browser, with_browser};
use crate::support::{call, wait_prop};

const CANDIDATE_PASSWORD: &str = "Spring-essay-2026";
const CANDIDATE_NAME: &str = "Wang Xiaoming";
const CANDIDATE_ACCOUNT: &str = "stu-301";
const GRADER_PASSWORD: &str = "Marking-season-2026";
const ADMIN_EMAIL: &str = "admin@lakeside.example";
const ESSAY_1: &str = "Rivers carry rain from the hills down to the sea.";
const ESSAY_2: &str = "Mountains rise where two plates collide.";

/// Two essays of 10 points (the first with a rubric of 4 + 6), a fixed paper, a certificate
/// template and an exam released after grading with a pass mark of 10 that names it, assigned
/// to one candidate. Returns the exam's id and the essays' ids.
pub(crate) async fn make_exam(b: &Browser) -> anyhow::Result<(String, Vec<String>)> {
    let contents = vec![
        json!({ "type": "essay", "stem": "<p>Explain where rivers go.</p>",
            "reference_answer": "<p>To the sea.</p>",
            "rubric": [{ "criterion": "Accuracy", "points": 4 }, { "criterion": "Clarity", "points": 6 }] }),
        json!({ "type": "essay", "stem": "<p>Explain how mountains form.</p>" }),
    ];
    let essays = builders::bank_with(b, "Earth science", contents, 10.0).await?;
    let paper = builders::fixed_paper(b, "Earth science essays", "Essays", &essays).await?;
    let candidate =
        builders::candidate(b, CANDIDATE_ACCOUNT, CANDIDATE_NAME, CANDIDATE_PASSWORD).await?;
    let template = call(
        b,
        "POST",
        "/api/certificate-templates",
        Some(
            json!({ "name": "Pass", "title": "Certificate of achievement",
            "body": "{name} passed {exam} with {score} points." }),
        ),
    )
    .await?;
    let fields = json!({
        "pass_mark": 10, "release_policy": "after_grading",
        "certificate_template_id": builders::id_of(&template)?,
    });
    let exam = builders::exam(b, &paper, "Earth science final", fields).await?;
    let exam_id = builders::id_of(&exam)?;
    builders::assign(b, &exam_id, &[candidate]).await?;
    Ok((exam_id, essays))
}

/// The candidate, on their own device, answers both essays and submits.
pub(crate) async fn take_exam(
    b: &Browser,
    slug: &str,
    exam_id: &str,
    essays: &[String],
) -> anyhow::Result<()> {
    let candidate = b.other_device("Candidate laptop")?;
    let (status, body) = candidate
        .post_json(
            &format!("/api/portal/{slug}/login"),
            &json!({ "identifier": CANDIDATE_ACCOUNT, "password": CANDIDATE_PASSWORD }),
        )
        .await?;
    ensure!(status == 200, "portal login: {status} {body}");
    let (status, attempt) = candidate
        .post_json(
            &format!("/api/candidate/exams/{exam_id}/attempts"),
            &json!({}),
        )
        .await?;
    ensure!(status == 200 || status == 201, "start: {status} {attempt}");
    let attempt_id = attempt["id"].as_str().context("attempt id")?.to_owned();
    for (seq, (question, text)) in essays.iter().zip([ESSAY_1, ESSAY_2]).enumerate() {
        let (status, body) = candidate
            .put_json(
                &format!("/api/candidate/attempts/{attempt_id}/answers/{question}"),
                &json!({ "answer": { "type": "essay", "text": text }, "seq": seq + 1 }),
            )
            .await?;
        ensure!(status == 200, "save: {status} {body}");
    }
    let (status, body) = candidate
        .post_json(
            &format!("/api/candidate/attempts/{attempt_id}/submit"),
            &json!({}),
        )
        .await?;
    ensure!(status == 200, "submit: {status} {body}");
    Ok(())
}

/// Signs out of the console, then in as `identifier`; ends with the grading link in view.
async fn switch_user(b: &Browser, identifier: &str, password: &str) -> anyhow::Result<()> {
    b.goto("/account").await?;
    b.click("[data-testid=logout]").await?;
    b.wait_text("[data-testid=nav-login]", |t| !t.is_empty())
        .await?;
    b.goto("/login").await?;
    b.click("[data-testid=login-mode-password]").await?;
    b.fill("[data-testid=login-identifier]", identifier).await?;
    b.fill("[data-testid=login-password]", password).await?;
    b.click("[data-testid=login-submit]").await?;
    b.wait_text("[data-testid=nav-grading]", |t| t == "Grading")
        .await?;
    Ok(())
}

/// Fails if the page's text anywhere names the candidate (blind marking).
async fn assert_blind(b: &Browser) -> anyhow::Result<()> {
    let text = b
        .client
        .execute("return document.body.innerText;", vec![])
        .await?;
    let text = text.as_str().unwrap_or_default();
    ensure!(
        !text.contains(CANDIDATE_NAME) && !text.contains(CANDIDATE_ACCOUNT),
        "the grader's screen names the candidate: {text}"
    );
    Ok(())
}

/// Waits for the marking screen to show question `n` of the queue, blind.
async fn at_question(b: &Browser, n: u32, answer: &str) -> anyhow::Result<()> {
    b.wait_text("[data-testid=mark-question]", |t| {
        t == format!("Question {n}")
    })
    .await?;
    b.wait_text("[data-testid=mark-answer]", |t| t == answer)
        .await?;
    b.wait_text("[data-testid=mark-code]", |t| !t.is_empty())
        .await?;
    assert_blind(b).await
}

/// Waits for the marking screen to say nothing is left; says what it shows otherwise.
async fn nothing_left(b: &Browser, step: &str) -> anyhow::Result<()> {
    if let Err(err) = b
        .wait_text("[data-testid=mark-empty]", |t| !t.is_empty())
        .await
    {
        let text = b
            .client
            .execute("return document.body.innerText;", vec![])
            .await?;
        bail!("{step}: {err}; the page says: {text}");
    }
    Ok(())
}

/// Scores the rubric of the first essay and waits for the total.
async fn score_rubric(
    b: &Browser,
    accuracy: &str,
    clarity: &str,
    total: &str,
) -> anyhow::Result<()> {
    b.fill("[data-testid=mark-criterion][data-index='0']", accuracy)
        .await?;
    b.fill("[data-testid=mark-criterion][data-index='1']", clarity)
        .await?;
    b.wait_text("[data-testid=mark-total]", |t| t == total)
        .await?;
    Ok(())
}

/// Starts marking the only exam from `/grading`.
async fn start_marking(b: &Browser, exam_id: &str) -> anyhow::Result<()> {
    b.click("[data-testid=nav-grading]").await?;
    let row = format!("[data-testid=grading-exam][data-exam-id='{exam_id}']");
    b.wait_text(&format!("{row} [data-testid=grading-exam-waiting]"), |t| {
        t == "1"
    })
    .await?;
    assert_blind(b).await?;
    b.click(&format!("{row} [data-testid=grading-exam-start]"))
        .await?;
    Ok(())
}

#[tokio::test]
async fn two_graders_mark_blind_an_arbiter_decides_and_the_candidate_gets_the_result_and_certificate()
-> anyhow::Result<()> {
    with_browser(|b: Browser| async move {
        let result = async {
            let slug = builders::new_org(&b, "en", "Lakeside School", ADMIN_EMAIL).await?;
            let (exam_id, essays) = make_exam(&b).await?;

            // The admin sets double marking from the exam page's grading link.
            b.goto(&format!("/exam?id={exam_id}")).await?;
            b.click("[data-testid=exam-grading-link]").await?;
            b.wait_text("[data-testid=page-title]", |t| t == "Grading queue")
                .await?;
            wait_prop(&b, "[data-testid=marking-graders]", "value", |v| v == "1").await?;
            b.fill("[data-testid=marking-graders]", "2").await?;
            b.fill("[data-testid=marking-tolerance]", "1").await?;
            b.click("[data-testid=marking-save]").await?;
            b.wait_text("[data-testid=marking-saved]", |t| t == "Saved.")
                .await?;
            let rule = call(&b, "GET", &format!("/api/exams/{exam_id}/marking"), None).await?;
            ensure!(
                rule == json!({ "graders_per_answer": 2, "tolerance": 1.0, "limits": [] }),
                "{rule}"
            );
            for account in ["grader.a", "grader.b"] {
                call(
                    &b,
                    "POST",
                    "/api/org/users",
                    Some(json!({ "login_account": account, "display_name": "Marker",
                        "password": GRADER_PASSWORD, "role": "grader" })),
                )
                .await?;
            }

            take_exam(&b, &slug, &exam_id, &essays).await?;

            // Grader A: the rubric for the first essay (9 of 10), one score for the second by
            // the keyboard (Ctrl+Enter), then "previous" to change that score to 7.
            switch_user(&b, "grader.a", GRADER_PASSWORD).await?;
            crate::support::agree_to_policies(&b).await?;
            start_marking(&b, &exam_id).await?;
            at_question(&b, 1, ESSAY_1).await?;
            score_rubric(&b, "4", "5", "9").await?;
            b.fill("[data-testid=mark-comment]", "Accurate; could be clearer.")
                .await?;
            b.click("[data-testid=mark-save]").await?;
            at_question(&b, 2, ESSAY_2).await?;
            b.fill("[data-testid=mark-points]", "8").await?;
            let ctrl_enter: String = [Key::Control, Key::Enter]
                .into_iter()
                .map(char::from)
                .collect();
            b.client
                .find(Locator::Css("[data-testid=mark-points]"))
                .await?
                .send_keys(&ctrl_enter)
                .await?;
            nothing_left(&b, "step 1").await?;
            b.click("[data-testid=mark-previous]").await?;
            at_question(&b, 2, ESSAY_2).await?;
            wait_prop(&b, "[data-testid=mark-points]", "value", |v| v == "8").await?;
            b.fill("[data-testid=mark-points]", "7").await?;
            b.click("[data-testid=mark-save]").await?;
            nothing_left(&b, "step 2").await?;

            // Grader B, from the queue: 3 of 10 on the first essay (beyond the tolerance),
            // 7.5 on the second (within it: the mean, 7.25, is final).
            switch_user(&b, "grader.b", GRADER_PASSWORD).await?;
            crate::support::agree_to_policies(&b).await?;
            b.goto(&format!("/grading/exam?exam={exam_id}")).await?;
            b.wait_count("[data-testid=queue-item][data-status=open]", 2)
                .await?;
            b.wait_text("[data-testid=queue-exam-name]", |t| {
                t == "Earth science final"
            })
            .await?;
            assert_blind(&b).await?;
            b.click("[data-testid=queue-start]").await?;
            at_question(&b, 1, ESSAY_1).await?;
            // A score beyond its criterion is refused on the screen.
            b.fill("[data-testid=mark-criterion][data-index='0']", "5")
                .await?;
            b.fill("[data-testid=mark-criterion][data-index='1']", "2")
                .await?;
            b.click("[data-testid=mark-save]").await?;
            b.wait_text("[data-testid=mark-invalid]", |t| !t.is_empty())
                .await?;
            score_rubric(&b, "1", "2", "3").await?;
            b.click("[data-testid=mark-save]").await?;
            at_question(&b, 2, ESSAY_2).await?;
            b.fill("[data-testid=mark-points]", "7.5").await?;
            b.click("[data-testid=mark-save]").await?;
            nothing_left(&b, "step 3").await?;

            // The admin arbitrates the first essay, seeing both marks.
            switch_user(&b, ADMIN_EMAIL, accounts::PASSWORD).await?;
            b.click("[data-testid=nav-grading]").await?;
            let row = format!("[data-testid=grading-exam][data-exam-id='{exam_id}']");
            b.wait_text(
                &format!("{row} [data-testid=grading-exam-to-arbitrate]"),
                |t| t == "1",
            )
            .await?;
            b.click(&format!("{row} [data-testid=grading-exam-start]"))
                .await?;
            at_question(&b, 1, ESSAY_1).await?;
            b.wait_text("[data-testid=mark-arbitrate]", |t| !t.is_empty())
                .await?;
            b.wait_count("[data-testid=mark-other]", 2).await?;
            score_rubric(&b, "3", "4", "7").await?;
            b.click("[data-testid=mark-save]").await?;
            nothing_left(&b, "step 4").await?;
            b.goto(&format!("/grading/exam?exam={exam_id}")).await?;
            b.wait_text("[data-testid=queue-done] .figure__value", |t| t == "2 / 2")
                .await?;
            b.wait_count("[data-testid=queue-grader]", 3).await?;

            // The candidate signs in on the portal: 7 + 7.25, passed, with a certificate (the
            // job runner issues it within seconds).
            b.goto(&format!("/o/{slug}/login")).await?;
            b.fill("[data-testid=portal-identifier]", CANDIDATE_ACCOUNT)
                .await?;
            b.fill("[data-testid=portal-password]", CANDIDATE_PASSWORD)
                .await?;
            b.click("[data-testid=portal-login-submit]").await?;
            crate::support::agree_to_policies(&b).await?;
            b.wait_text("[data-testid=portal-hello]", |t| !t.is_empty())
                .await?;
            let deadline = Instant::now() + Duration::from_secs(30);
            let href = loop {
                b.goto(&format!("/o/{slug}/results")).await?;
                b.wait_text("[data-testid=my-result-score]", |t| {
                    t.starts_with("14.25 / 20")
                })
                .await?;
                let links = b
                    .client
                    .find_all(Locator::Css("[data-testid=my-result-certificate]"))
                    .await?;
                if let Some(link) = links.first() {
                    break link.attr("href").await?.context("the certificate's link")?;
                }
                if Instant::now() > deadline {
                    bail!("no certificate after 30 seconds");
                }
                tokio::time::sleep(Duration::from_millis(500)).await;
            };
            b.wait_text("[data-testid=my-result-verdict]", |t| t == "Passed")
                .await?;
            let (status, pdf) = b.fetch_in_page(&href).await?;
            ensure!(status == 200, "certificate download: {status}");
            ensure!(
                pdf.starts_with("%PDF"),
                "not a PDF: {}",
                &pdf[..pdf.len().min(40)]
            );
            anyhow::Ok(())
        }
        .await;
        (b, result)
    })
    .await
}
