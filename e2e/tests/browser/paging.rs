//! Every paged list of the console pages through to its last page and back: a bank's question
//! list (20 a page), the paper builder's question picker, an exam's grading queue, its results
//! table and its certificates (a page size chosen by the user where the list offers one). The
//! candidate list has its own test (`candidates.rs`).
//!
//! Test ids: `{list}-range` (`data-total`), `{list}-prev`, `{list}-next`, `{list}-size`, and the
//! rows: `question-row`, `picker-question`, `queue-item`, `results-row`, `certificate-row`.

use anyhow::{Context, ensure};
use serde_json::json;

use crate::builders;
use crate::harness::{Browser, with_browser};
use crate::support::call;

const PASSWORD: &str = "paging-pass-2026";
/// Candidates who each sit both exams: 12 rows in the queue, the results and the
/// certificates, so a page of 10 leaves 2 on the second.
const CANDIDATES: usize = 12;

/// Goes forward from the first page to the last and back, checking the range and the rows.
async fn page_through(
    b: &Browser,
    list: &str,
    row: &str,
    total: usize,
    per_page: usize,
) -> anyhow::Result<()> {
    let range = format!("[data-testid={list}-range]");
    b.wait_text(&range, |t| {
        t.starts_with('1') && t.contains(&total.to_string())
    })
    .await?;
    ensure!(
        b.count(&format!("[data-testid={list}-prev][disabled]"))
            .await?
            == 1
    );
    let pages = total.div_ceil(per_page);
    for page in 1..pages {
        b.click(&format!("[data-testid={list}-next]")).await?;
        let first = (page * per_page + 1).to_string();
        b.wait_text(&range, |t| t.starts_with(&first)).await?;
    }
    ensure!(
        b.count(&format!("[data-testid={list}-next][disabled]"))
            .await?
            == 1,
        "{list}: next is disabled on the last page"
    );
    let last_rows = total - (pages - 1) * per_page;
    let rows = b.count(&format!("[data-testid={row}]")).await?;
    ensure!(
        rows == last_rows,
        "{list}: {rows} rows on the last page, not {last_rows}"
    );
    b.click(&format!("[data-testid={list}-prev]")).await?;
    let first = ((pages - 2) * per_page + 1).to_string();
    b.wait_text(&range, |t| t.starts_with(&first)).await?;
    Ok(())
}

/// Chooses `n` rows a page on a list that offers it.
async fn per_page(b: &Browser, list: &str, n: usize) -> anyhow::Result<()> {
    b.client
        .execute(
            "const s = document.querySelector(arguments[0]); s.value = arguments[1];\
             s.dispatchEvent(new Event('change', { bubbles: true }));",
            vec![
                json!(format!("[data-testid={list}-size]")),
                json!(n.to_string()),
            ],
        )
        .await?;
    b.wait_text(&format!("[data-testid={list}-range]"), |t| {
        t.starts_with(&format!("1–{n}")) || t.starts_with(&format!("1-{n}"))
    })
    .await?;
    Ok(())
}

#[tokio::test]
async fn every_paged_console_list_reaches_its_last_page() -> anyhow::Result<()> {
    with_browser(|b: Browser| async move {
        let result = async {
            let slug = builders::new_org(&b, "en", "Paging Academy", "pages@example.com").await?;

            // A bank of 45 questions: 20 a page, so 3 pages.
            let bank = builders::bank(&b, "Big bank").await?;
            let mut questions = Vec::new();
            for i in 0..45 {
                let content = json!({ "type": "true_false", "stem": format!("<p>Statement {i:02}</p>"), "answer": true });
                questions.push(builders::question(&b, &bank, content, 1.0, json!({})).await?);
            }
            b.goto(&format!("/question-bank?bank={bank}")).await?;
            page_through(&b, "questions", "question-row", 45, 20).await?;

            // The paper builder's picker: 50 a page by default; 10 chosen.
            b.click("[data-testid=nav-papers]").await?;
            b.click("[data-testid=paper-new]").await?;
            b.click("[data-testid=pick-questions]").await?;
            b.wait_text("[data-testid=picker-range]", |t| t.contains("45")).await?;
            per_page(&b, "picker", 10).await?;
            page_through(&b, "picker", "picker-question", 45, 10).await?;

            // Two exams everyone sits: an essay (for the grading queue) and a true/false one
            // passed by all, with a certificate each (for the results and certificates).
            let essay = builders::question(&b, &bank, json!({ "type": "essay", "stem": "<p>Why?</p>" }), 5.0, json!({})).await?;
            let essay_paper = builders::fixed_paper(&b, "Essay paper", "Essay", std::slice::from_ref(&essay)).await?;
            let tf_paper = builders::fixed_paper(&b, "Quiz paper", "Quiz", &questions[..1]).await?;
            let template = call(&b, "POST", "/api/certificate-templates", Some(json!({
                "name": "Pass", "title": "Certificate", "body": "{name} passed {exam}." }))).await?;
            let essay_exam = builders::id_of(&builders::exam(&b, &essay_paper, "Essay exam", json!({})).await?)?;
            let quiz_exam = builders::id_of(&builders::exam(&b, &tf_paper, "Quiz exam", json!({
                "certificate_template_id": builders::id_of(&template)? })).await?)?;
            let mut ids = Vec::new();
            for i in 0..CANDIDATES {
                ids.push(builders::candidate(&b, &format!("pupil{i:02}"), &format!("Pupil {i:02}"), PASSWORD).await?);
            }
            builders::assign(&b, &essay_exam, &ids).await?;
            builders::assign(&b, &quiz_exam, &ids).await?;
            for i in 0..CANDIDATES {
                let device = b.other_device("Pupil tablet")?;
                let (status, body) = device
                    .post_json(&format!("/api/portal/{slug}/login"),
                        &json!({ "identifier": format!("pupil{i:02}"), "password": PASSWORD }))
                    .await?;
                ensure!(status == 200, "portal login: {status} {body}");
                for (exam, question, answer) in [
                    (&essay_exam, &essay, json!({ "type": "essay", "text": "Because." })),
                    (&quiz_exam, &questions[0], json!({ "type": "true_false", "value": true })),
                ] {
                    let (status, attempt) = device
                        .post_json(&format!("/api/candidate/exams/{exam}/attempts"), &json!({}))
                        .await?;
                    ensure!(status == 201 || status == 200, "start: {status} {attempt}");
                    let attempt = attempt["id"].as_str().context("attempt id")?.to_owned();
                    let (status, body) = device
                        .put_json(&format!("/api/candidate/attempts/{attempt}/answers/{question}"),
                            &json!({ "answer": answer, "seq": 1 }))
                        .await?;
                    ensure!(status == 200, "save: {status} {body}");
                    let (status, body) = device
                        .post_json(&format!("/api/candidate/attempts/{attempt}/submit"), &json!({}))
                        .await?;
                    ensure!(status == 200, "submit: {status} {body}");
                }
            }

            b.goto(&format!("/grading/exam?exam={essay_exam}")).await?;
            b.wait_text("[data-testid=queue-range]", |t| t.contains(&CANDIDATES.to_string())).await?;
            per_page(&b, "queue", 10).await?;
            page_through(&b, "queue", "queue-item", CANDIDATES, 10).await?;

            b.goto(&format!("/exam-results?id={quiz_exam}")).await?;
            b.wait_text("[data-testid=results-range]", |t| t.contains(&CANDIDATES.to_string())).await?;
            per_page(&b, "results", 10).await?;
            page_through(&b, "results", "results-row", CANDIDATES, 10).await?;

            b.goto(&format!("/exam?id={quiz_exam}")).await?;
            b.wait_text("[data-testid=exam-certificates-range]", |t| t.contains(&CANDIDATES.to_string())).await?;
            per_page(&b, "exam-certificates", 10).await?;
            page_through(&b, "exam-certificates", "certificate-row", CANDIDATES, 10).await?;
            Ok(())
        }
        .await;
        (b, result)
    })
    .await
}
