//! Entering an exam without an account: with the exam's access code from the portal's sign-in
//! page (a wrong code is refused; the registration form the organiser defined checks its
//! fields, here and on the server), with the open link, and with a candidate's personal invite
//! link. Each ends signed in on the exam's page; the registrations reach the organiser. A
//! first registration shows the resume token; a returning registrant is let back in only with
//! a code sent to the phone they registered (or the token).
//!
//! The `data-testid`s of these pages (keep them stable): `portal-have-code` (sign-in page),
//! `entry-code`, `entry-code-submit`, `entry-refused`, `entry-error`, `entry-exam-name`,
//! `registration-form`, `registration-<key>` (one input per registration field),
//! `field-error-fields.<key>` (`data-reason`), `registration-submit`, `resume-token`,
//! `resume-token-continue`, `returning-panel`, `resume-send-code`, `resume-code-sent`,
//! `resume-code`, `resume-code-submit`, `field-error-code`, `resume-token-input`,
//! `resume-token-submit`, `field-error-resume_token`, `resume-no-contact`, `invite-checking`,
//! `invite-invalid`; on the exam screen `exam-elsewhere` and `exam-continue-here` (the attempt
//! is active on another device).

use anyhow::Context;
use serde_json::json;

use crate::builders;
use crate::harness::{Browser, with_browser};
use crate::support::call;

#[tokio::test]
async fn people_enter_by_access_code_open_link_and_invite_link() -> anyhow::Result<()> {
    with_browser(|b: Browser| async move {
        let result = async {
            let slug =
                builders::new_org(&b, "en", "Lakeside Academy", "admin@lakeside.example").await?;
            let content = json!({ "type": "true_false", "stem": "<p>Water is wet.</p>", "answer": true });
            let questions = builders::bank_with(&b, "Quiz", vec![content], 1.0).await?;
            let paper = builders::fixed_paper(&b, "Entry quiz", "One", &questions).await?;
            let exam = builders::exam(
                &b,
                &paper,
                "Open day quiz",
                json!({
                    "duration_minutes": 20,
                    "entry": {
                        "access_code": true, "open_link": true, "invite_links": true,
                        "registration_fields": [
                            { "key": "name", "label": "Full name", "kind": "name", "required": true },
                            { "key": "phone", "label": "Mobile", "kind": "phone", "required": true },
                        ],
                    },
                }),
            )
            .await?;
            let exam_id = exam["id"].as_str().context("exam id")?.to_owned();
            let code = exam["entry_access"]["access_code"]
                .as_str()
                .context("the access code")?
                .to_owned();
            let open_path = exam["entry_access"]["open_link_path"]
                .as_str()
                .context("the open link")?
                .to_owned();

            // By access code, from the portal's sign-in page.
            b.goto(&format!("/o/{slug}/login")).await?;
            b.click("[data-testid=portal-have-code]").await?;
            let wrong = if code == "2222222222" { "3333333333" } else { "2222222222" };
            b.fill("[data-testid=entry-code]", wrong).await?;
            b.click("[data-testid=entry-code-submit]").await?;
            b.wait_text("[data-testid=entry-refused]", |t| t.contains("No exam has this access code"))
                .await?;
            b.fill("[data-testid=entry-code]", &code).await?;
            b.click("[data-testid=entry-code-submit]").await?;
            b.wait_text("[data-testid=entry-exam-name]", |t| t == "Open day quiz").await?;
            // Both fields are required; the phone is checked by the server.
            b.click("[data-testid=registration-submit]").await?;
            b.wait_attr("[data-testid='field-error-fields.name']", "data-reason", |r| r == "required")
                .await?;
            b.fill("[data-testid=registration-name]", "Wang Fang").await?;
            b.fill("[data-testid=registration-phone]", "1380013800").await?;
            // A first registration agrees to the privacy statement and the form's purpose.
            b.click("[data-testid=registration-submit]").await?;
            b.wait_text("[data-testid=registration-accept-error]", |t| !t.is_empty()).await?;
            b.click("[data-testid=registration-accept]").await?;
            b.click("[data-testid=registration-submit]").await?;
            b.wait_attr("[data-testid='field-error-fields.phone']", "data-reason", |r| r == "invalid_format")
                .await?;
            b.fill("[data-testid=registration-phone]", "13800138000").await?;
            b.click("[data-testid=registration-submit]").await?;
            // A first registration shows the resume token to keep, then goes on to the exam.
            let token = b.wait_text("[data-testid=resume-token]", |t| t.len() == 34).await?;
            b.click("[data-testid=resume-token-continue]").await?;
            b.wait_text("[data-testid=exam-title]", |t| t == "Open day quiz").await?;
            b.click("[data-testid=exam-start]").await?;
            b.click("[data-testid=answer-option][data-option-id=true]").await?;
            b.wait_attr("[data-testid=save-status]", "data-state", |s| s == "saved").await?;

            // By open link: another person.
            b.goto(&open_path).await?;
            b.wait_text("[data-testid=entry-exam-name]", |t| t == "Open day quiz").await?;
            b.fill("[data-testid=registration-name]", "Zhao Lei").await?;
            b.fill("[data-testid=registration-phone]", "13900139000").await?;
            b.click("[data-testid=registration-accept]").await?;
            b.click("[data-testid=registration-submit]").await?;
            b.click("[data-testid=resume-token-continue]").await?;
            b.wait_text("[data-testid=exam-title]", |t| t == "Open day quiz").await?;
            b.wait_text("[data-testid=portal-app-name]", |t| t == "Lakeside Academy").await?;

            // Wang Fang comes back on another device (no token kept in this browser): her name
            // and phone alone do not sign her in; a code to the phone she registered does.
            b.client.execute("window.localStorage.clear(); return null;", vec![]).await?;
            b.goto(&format!("/o/{slug}/code")).await?;
            b.fill("[data-testid=entry-code]", &code).await?;
            b.click("[data-testid=entry-code-submit]").await?;
            b.fill("[data-testid=registration-name]", "Wang Fang").await?;
            b.fill("[data-testid=registration-phone]", "138 0013 8000").await?;
            b.click("[data-testid=registration-accept]").await?;
            b.click("[data-testid=registration-submit]").await?;
            b.wait_text("[data-testid=resume-send-code]", |t| t.contains("138****8000")).await?;
            let me = call(&b, "GET", "/api/candidate/me", None).await?;
            anyhow::ensure!(me["name"] == "Zhao Lei", "still the previous person: {me}");
            b.click("[data-testid=resume-send-code]").await?;
            b.wait_text("[data-testid=resume-code-sent]", |t| t.contains("138****8000")).await?;
            let resume_code = b.code_from_outbox(2, "+8613800138000").await?;
            b.fill("[data-testid=resume-code]", "000000").await?;
            b.click("[data-testid=resume-code-submit]").await?;
            b.wait_attr("[data-testid=field-error-code]", "data-reason", |r| r == "invalid_code")
                .await?;
            b.fill("[data-testid=resume-code]", &resume_code).await?;
            b.click("[data-testid=resume-code-submit]").await?;
            b.wait_text("[data-testid=exam-title]", |t| t == "Open day quiz").await?;
            let me = call(&b, "GET", "/api/candidate/me", None).await?;
            anyhow::ensure!(me["name"] == "Wang Fang", "signed in as {me}");
            anyhow::ensure!(token.len() == 34, "{token}");

            // The organiser sees both registrations, decrypted.
            let registrations =
                call(&b, "GET", &format!("/api/exams/{exam_id}/registrations"), None).await?;
            let text = registrations.to_string();
            anyhow::ensure!(
                text.contains("Wang Fang") && text.contains("13800138000") && text.contains("Zhao Lei"),
                "registrations: {text}"
            );

            // By a personal invite link: an assigned candidate, no password typed.
            let candidate =
                builders::candidate(&b, "lk-007", "Chen Jing", "Autumn-exam-2026").await?;
            builders::assign(&b, &exam_id, std::slice::from_ref(&candidate)).await?;
            let invites = call(&b, "GET", &format!("/api/exams/{exam_id}/invites"), None).await?;
            let url = invites
                .as_array()
                .and_then(|list| list.iter().find(|i| i["candidate_id"] == candidate.as_str()))
                .and_then(|i| i["url"].as_str())
                .context("the candidate's invite")?
                .to_owned();
            b.goto(&url).await?;
            b.wait_text("[data-testid=exam-title]", |t| t == "Open day quiz").await?;
            let me = call(&b, "GET", "/api/candidate/me", None).await?;
            anyhow::ensure!(me["name"] == "Chen Jing", "signed in as {me}");

            // A tampered invite signs nobody in.
            b.goto(&format!("/o/{slug}/invite#not-a-token")).await?;
            b.wait_text("[data-testid=invite-invalid]", |t| t.contains("not valid")).await?;
            Ok(())
        }
        .await;
        (b, result)
    })
    .await
}
