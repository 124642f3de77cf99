//! Looks at every page: with `SCREENSHOTS_DIR` set, signs up an organisation with a little of
//! everything (a bank, a paper, an exam with a finished attempt, a certificate template), then
//! opens every console and portal page in zh-CN and en at 1366×900 and 390×844, saves
//! screenshots of each into that folder, one per screenful (`{page}-{lang}-{width}-{n}.png`),
//! and fails if any page scrolls sideways, naming the elements that stick out. Without `SCREENSHOTS_DIR` it does nothing (it takes minutes).
//!
//! `SCREENSHOTS_DIR=target/screenshots cargo test -p e2e --test browser screenshots`

use std::path::{Path, PathBuf};

use anyhow::{Context, ensure};
use serde_json::json;

use crate::builders;
use crate::harness::{Browser, with_browser};
use crate::support::call;

const PASSWORD: &str = "Look-at-it-2026";
const SIZES: [(u32, u32); 2] = [(1366, 900), (390, 844)];
const LANGS: [&str; 2] = ["zh-CN", "en"];

/// The innermost elements reaching past the viewport's right edge (`tag.class`), to say
/// which part of a page is too wide.
const WIDEST: &str = r#"
const w = document.documentElement.clientWidth;
const out = [];
for (const el of document.querySelectorAll('body *')) {
  const r = el.getBoundingClientRect();
  if (r.right > w + 1 && r.width > 0 && ![...el.children].some(c => c.getBoundingClientRect().right > w + 1)) {
    out.push(el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : '') + ' ' + Math.round(r.right - w) + 'px');
    if (out.length >= 4) break;
  }
}
return out.join(', ');
"#;

/// The page's width beyond the viewport, in CSS pixels (0 when nothing scrolls sideways).
async fn overflow(b: &Browser) -> anyhow::Result<i64> {
    let value = b
        .client
        .execute(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth;",
            vec![],
        )
        .await?;
    value.as_i64().context("a width")
}

/// Opens `path` in every language and size, saves the screenshots, and returns the pages
/// that scroll sideways.
async fn look(b: &Browser, dir: &Path, name: &str, path: &str) -> anyhow::Result<Vec<String>> {
    let mut wide = Vec::new();
    for lang in LANGS {
        b.client
            .execute(
                "localStorage.setItem('examcloud.lang', arguments[0]);",
                vec![json!(lang)],
            )
            .await?;
        for (width, height) in SIZES {
            b.client.set_window_size(width, height).await?;
            b.goto(path).await?;
            // The page settles: data loaded, nothing loading any more.
            tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
            // Headless windows do not grow past the screen, so a long page is shot in parts,
            // one viewport each (at most 6).
            let sizes = b
                .client
                .execute(
                    "return [document.documentElement.scrollHeight, window.innerHeight];",
                    vec![],
                )
                .await?;
            let full = sizes[0].as_u64().unwrap_or(0);
            let view = sizes[1].as_u64().unwrap_or(1).max(1);
            let parts = full.div_ceil(view).clamp(1, 6);
            for part in 0..parts {
                b.client
                    .execute(
                        "window.scrollTo(0, arguments[0]);",
                        vec![json!(part * view)],
                    )
                    .await?;
                tokio::time::sleep(std::time::Duration::from_millis(150)).await;
                let png = b.client.screenshot().await?;
                std::fs::write(dir.join(format!("{name}-{lang}-{width}-{part}.png")), png)?;
            }
            let extra = overflow(b).await?;
            if extra > 0 {
                let culprits = b.client.execute(WIDEST, vec![]).await?;
                wide.push(format!(
                    "{name} ({lang}, {width} px): {extra} px too wide: {culprits}"
                ));
            }
        }
    }
    Ok(wide)
}

#[tokio::test]
async fn screenshots_of_every_page_in_both_languages_and_sizes() -> anyhow::Result<()> {
    let Some(dir) = std::env::var_os("SCREENSHOTS_DIR").map(PathBuf::from) else {
        return Ok(());
    };
    std::fs::create_dir_all(&dir)?;
    with_browser(|b: Browser| async move {
        let result = async {
            let slug = builders::new_org(&b, "en", "Look School", "look@example.com").await?;
            let contents = vec![
                json!({ "type": "single_choice", "stem": "<p>Which is a <strong>prime</strong>? $x^2$</p>",
                    "options": [{ "id": "A", "text": "4" }, { "id": "B", "text": "7" }], "answer": "B" }),
                json!({ "type": "fill_blank", "stem": "<p>$3 \\times 4$ = {{1}}</p>",
                    "blanks": [{ "answers": ["12"] }] }),
                json!({ "type": "essay", "stem": "<p>Why do rivers bend?</p>" }),
            ];
            let questions = builders::bank_with(&b, "Look bank", contents, 2.0).await?;
            let paper = builders::fixed_paper(&b, "Look paper", "Part one", &questions).await?;
            let candidate = builders::candidate(&b, "look-001", "Zhang San", PASSWORD).await?;
            call(&b, "POST", "/api/certificate-templates", Some(json!({
                "name": "Pass", "title": "Certificate", "body": "{name} passed {exam}." }))).await?;
            let exam = builders::exam(&b, &paper, "Look exam", json!({
                "attempts_allowed": 1, "review_policy": "after_release" })).await?;
            let exam_id = builders::id_of(&exam)?;
            builders::assign(&b, &exam_id, std::slice::from_ref(&candidate)).await?;
            let device = b.other_device("Look tablet")?;
            let (status, body) = device
                .post_json(&format!("/api/portal/{slug}/login"),
                    &json!({ "identifier": "look-001", "password": PASSWORD }))
                .await?;
            ensure!(status == 200, "portal login: {status} {body}");
            let (_, attempt) = device
                .post_json(&format!("/api/candidate/exams/{exam_id}/attempts"), &json!({}))
                .await?;
            let attempt_id = builders::id_of(&attempt)?;
            device
                .post_json(&format!("/api/candidate/attempts/{attempt_id}/submit"), &json!({}))
                .await?;
            let bank_id = call(&b, "GET", "/api/question-banks", None).await?;
            let bank_id = bank_id
                .as_array()
                .or_else(|| bank_id["items"].as_array())
                .and_then(|banks| banks.first())
                .and_then(|bank| bank["id"].as_str())
                .context("a bank")?
                .to_owned();

            let console = [
                ("dashboard", "/dashboard".to_owned()),
                ("account", "/account".to_owned()),
                ("account-organisation", "/account/organisation".to_owned()),
                ("account-security", "/account/security".to_owned()),
                ("account-sessions", "/account/sessions".to_owned()),
                ("account-audit", "/account/audit".to_owned()),
                ("account-retention", "/account/retention".to_owned()),
                ("account-data", "/account/data".to_owned()),
                ("account-cancel", "/account/cancel".to_owned()),
                ("candidates", "/candidates".to_owned()),
                ("candidate-groups", "/candidate-groups".to_owned()),
                ("candidate-import", "/candidate-import".to_owned()),
                ("api-keys", "/api-keys".to_owned()),
                ("question-banks", "/question-banks".to_owned()),
                ("question-bank", format!("/question-bank?bank={bank_id}")),
                ("question-editor", format!("/question-editor?bank={bank_id}&id={}", questions[0])),
                ("question-import", format!("/question-import?bank={bank_id}")),
                ("papers", "/papers".to_owned()),
                ("paper", format!("/paper?id={paper}")),
                ("paper-preview", format!("/paper-preview?id={paper}")),
                ("exams", "/exams".to_owned()),
                ("exam", format!("/exam?id={exam_id}")),
                ("exam-monitor", format!("/exam-monitor?id={exam_id}")),
                ("exam-results", format!("/exam-results?id={exam_id}")),
                ("score-sheet", format!("/score-sheet?id={exam_id}&attempt={attempt_id}")),
                ("certificate-templates", "/certificate-templates".to_owned()),
                ("grading", "/grading".to_owned()),
                ("grading-exam", format!("/grading/exam?exam={exam_id}")),
                ("status", "/status".to_owned()),
                ("privacy", "/privacy".to_owned()),
            ];
            let mut wide = Vec::new();
            for (name, path) in &console {
                wide.extend(look(&b, &dir, name, path).await?);
            }
            // The candidate's side, signed in on the portal in this browser.
            b.goto(&format!("/o/{slug}/login")).await?;
            b.fill("[data-testid=portal-identifier]", "look-001").await?;
            b.fill("[data-testid=portal-password]", PASSWORD).await?;
            b.click("[data-testid=portal-login-submit]").await?;
            crate::support::agree_to_policies(&b).await?;
            b.wait_count("[data-testid=exam-row]", 1).await?;
            let portal = [
                ("portal-home", format!("/o/{slug}/home")),
                ("portal-exam", format!("/o/{slug}/exam?id={exam_id}")),
                ("portal-receipt", format!("/o/{slug}/attempt?id={attempt_id}")),
                ("portal-review", format!("/o/{slug}/review?id={attempt_id}")),
                ("portal-privacy", format!("/o/{slug}/privacy")),
                ("portal-my-data", format!("/o/{slug}/my-data")),
                ("portal-results", format!("/o/{slug}/results")),
                ("portal-code", format!("/o/{slug}/code")),
            ];
            for (name, path) in &portal {
                wide.extend(look(&b, &dir, name, path).await?);
            }
            // Signed out: the public pages.
            b.client.delete_all_cookies().await?;
            for (name, path) in [("login", "/login"), ("register", "/register"), ("forgot-password", "/forgot-password")] {
                wide.extend(look(&b, &dir, name, path).await?);
            }
            ensure!(wide.is_empty(), "pages that scroll sideways:\n{}", wide.join("\n"));
            Ok(())
        }
        .await;
        (b, result)
    })
    .await
}
