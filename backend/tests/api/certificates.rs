//! Certificates: templates, issuing for a graded attempt, the PDF read back (the Chinese name,
//! the number, the QR code of the verification URL), public verification before and after
//! revocation, and the candidate's own certificates in the portal.

use reqwest::Client;
use serde_json::{Value, json};

use crate::helpers::certificates::{download, graded_attempt, issue, pdf_qr, pdf_text, template};
use crate::helpers::{
    TestApp, delete, exam_org_with, get, id, post, put, reason, send, spawn_app_with,
};

const PUBLIC_URL: &str = "https://exam.example.cn";

async fn app() -> TestApp {
    spawn_app_with(|s| s.server.public_url = format!("{PUBLIC_URL}/")).await
}

fn is_number(n: &str) -> bool {
    let groups: Vec<&str> = n.split('-').collect();
    groups.len() == 5
        && groups[0] == "EC"
        && groups[1..].iter().all(|g| {
            g.len() == 4
                && g.chars()
                    .all(|c| c.is_ascii_digit() || (c.is_ascii_uppercase() && !"ILOU".contains(c)))
        })
}

#[tokio::test]
async fn a_certificate_prints_the_chinese_name_and_verifies_until_revoked() {
    let app = app().await;
    let o = exam_org_with(&app, "cert", &["single_choice"]).await;
    let (status, c) = send(
        &app,
        &o.owner,
        reqwest::Method::PATCH,
        &format!("/api/candidates/{}", o.candidates[0]),
        json!({ "name": "张三丰" }),
    )
    .await;
    assert_eq!(status, 200, "{c}");
    let cand = o.candidate(&app, 0).await;
    let (exam, attempt) =
        graded_attempt(&app, &o.owner, &cand, &o.paper_id, &o.candidates[0]).await;
    let template = template(&app, &o.owner, "masked").await;

    let (status, cert) = issue(&app, &o.owner, &exam, &attempt, &template).await;
    assert_eq!(status, 201, "{cert}");
    let number = cert["number"].as_str().expect("number").to_owned();
    assert!(is_number(&number), "{number}");
    assert_eq!(cert["holder_name"], "张三丰");
    assert_eq!(cert["exam_name"], "证书考试");
    assert_eq!(cert["attempt_id"], attempt);
    // One valid certificate per attempt.
    let (status, again) = issue(&app, &o.owner, &exam, &attempt, &template).await;
    assert_eq!(status, 409, "{again}");
    assert_eq!(reason(&again), "certificate_exists");
    let (_, list) = get(&app, &o.owner, &format!("/api/exams/{exam}/certificates")).await;
    assert_eq!(list.as_array().map(Vec::len), Some(1), "{list}");

    // The PDF holds the name and the number, and its QR code is the verification URL.
    let pdf = download(
        &app,
        &o.owner,
        &format!("/api/certificates/{}/pdf", id(&cert)),
    )
    .await;
    let text = pdf_text(&pdf);
    assert!(text.contains("张三丰"), "{text}");
    assert!(text.contains(&number), "{text}");
    assert!(
        text.contains("考试单位 cert 证书"),
        "the title's {{org}}: {text}"
    );
    assert!(text.contains("证书考试"), "the body's {{exam}}: {text}");
    let url = pdf_qr(&pdf);
    assert_eq!(url, format!("{PUBLIC_URL}/verify/{number}"));

    // Anyone can verify the number; the name is masked as the template says.
    let anonymous = Client::new();
    let (status, v) = get(&app, &anonymous, &format!("/api/verify/{number}")).await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["status"], "valid");
    assert_eq!(v["holder_name"], "张*丰");
    assert_eq!(v["exam_name"], "证书考试");
    assert_eq!(v["org_name"], "考试单位 cert");
    // As typed by a person: lower case, no hyphens.
    let typed = number.replace('-', "").to_lowercase();
    let (status, _) = get(&app, &anonymous, &format!("/api/verify/{typed}")).await;
    assert_eq!(status, 200);

    // Revocation needs a reason, happens once, and the page then says revoked.
    let revoke = format!("/api/certificates/{}/revoke", id(&cert));
    let (status, r) = post(&app, &o.owner, &revoke, json!({ "reason": " " })).await;
    assert_eq!(status, 422, "{r}");
    let (status, r) = post(&app, &o.owner, &revoke, json!({ "reason": "成绩更正" })).await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["revoke_reason"], "成绩更正");
    let (status, r) = post(&app, &o.owner, &revoke, json!({ "reason": "again" })).await;
    assert_eq!(status, 409, "{r}");
    assert_eq!(reason(&r), "already_revoked");
    let (_, v) = get(&app, &anonymous, &format!("/api/verify/{number}")).await;
    assert_eq!(v["status"], "revoked", "{v}");
    assert!(v["revoked_at"].is_string(), "{v}");
    // The attempt may then be issued a new certificate, with a new number.
    let (status, second) = issue(&app, &o.owner, &exam, &attempt, &template).await;
    assert_eq!(status, 201, "{second}");
    assert_ne!(second["number"], cert["number"]);

    // Issue and revoke are in the audit log.
    for action in ["certificate.issue", "certificate.revoke"] {
        let (_, audit) = get(&app, &o.owner, &format!("/api/audit?action={action}")).await;
        assert!(audit.to_string().contains(&number), "{action}: {audit}");
    }
}

#[tokio::test]
async fn unknown_and_malformed_numbers_are_not_found() {
    let app = app().await;
    let anonymous = Client::new();
    for number in [
        "EC-0000-0000-0000-0000",
        "EC-1234",
        "not-a-number",
        "EC-UUUU-UUUU-UUUU-UUUU",
    ] {
        let (status, body) = get(&app, &anonymous, &format!("/api/verify/{number}")).await;
        assert_eq!(status, 404, "{number}: {body}");
    }
}

#[tokio::test]
async fn the_public_lookup_is_rate_limited_per_address() {
    let app = app().await;
    let anonymous = Client::new();
    let path = "/api/verify/EC-0000-0000-0000-0000";
    for _ in 0..30 {
        assert_eq!(get(&app, &anonymous, path).await.0, 404);
    }
    let res = anonymous.get(app.url(path)).send().await.expect("lookup");
    assert_eq!(res.status(), 429);
    assert!(res.headers().contains_key("retry-after"));
}

#[tokio::test]
async fn only_graded_attempts_get_certificates() {
    let app = app().await;
    let o = exam_org_with(&app, "ungraded", &["single_choice"]).await;
    let template = template(&app, &o.owner, "full").await;
    let exam = o.exam(&app, json!({})).await;
    let cand = o.candidate(&app, 0).await;
    let attempt = o.start_and_save(&app, &cand, &exam).await;
    let (status, r) = issue(&app, &o.owner, &exam, &attempt, &template).await;
    assert_eq!(status, 409, "{r}");
    assert_eq!(reason(&r), "attempt_not_graded");
    // Another exam's id in the path, or a template that does not exist: not found.
    let (status, _) = issue(&app, &o.owner, &o.paper_id, &attempt, &template).await;
    assert_eq!(status, 404);
    let (status, _) = issue(&app, &o.owner, &exam, &attempt, &exam).await;
    assert_eq!(status, 404);
    let (status, r) = issue(&app, &o.owner, &exam, &attempt, "nope").await;
    assert_eq!(status, 422, "{r}");
}

#[tokio::test]
async fn candidates_list_and_download_only_their_own_certificates() {
    let app = app().await;
    let o = exam_org_with(&app, "mine", &["single_choice"]).await;
    let template = template(&app, &o.owner, "full").await;
    let first = o.candidate(&app, 0).await;
    let second = o.candidate(&app, 1).await;
    let (exam, attempt) =
        graded_attempt(&app, &o.owner, &first, &o.paper_id, &o.candidates[0]).await;
    let (status, cert) = issue(&app, &o.owner, &exam, &attempt, &template).await;
    assert_eq!(status, 201, "{cert}");

    let (status, mine) = get(&app, &first, "/api/candidate/certificates").await;
    assert_eq!(status, 200, "{mine}");
    assert_eq!(mine.as_array().map(Vec::len), Some(1), "{mine}");
    assert_eq!(mine[0]["number"], cert["number"]);
    let path = format!("/api/candidate/certificates/{}/pdf", id(&cert));
    let pdf = download(&app, &first, &path).await;
    assert!(pdf_text(&pdf).contains("学生0"));

    let (_, theirs) = get(&app, &second, "/api/candidate/certificates").await;
    assert_eq!(theirs, Value::Array(Vec::new()));
    let res = second.get(app.url(&path)).send().await.expect("download");
    assert_eq!(res.status(), 404);
    // The console's PDF route is not the portal's.
    let console = format!("/api/certificates/{}/pdf", id(&cert));
    let res = first.get(app.url(&console)).send().await.expect("download");
    assert_eq!(res.status(), 401);
}

#[tokio::test]
async fn templates_are_validated_listed_updated_and_deleted() {
    let app = app().await;
    let o = exam_org_with(&app, "tpl", &["single_choice"]).await;
    let (status, r) = post(
        &app,
        &o.owner,
        "/api/certificate-templates",
        json!({ "name": "", "title": "x".repeat(101), "body": "" }),
    )
    .await;
    assert_eq!(status, 422, "{r}");
    let t = template(&app, &o.owner, "masked").await;
    let path = format!("/api/certificate-templates/{t}");
    let (status, updated) = put(
        &app,
        &o.owner,
        &path,
        json!({ "name": "荣誉证书", "title": "荣誉", "body": "{name}", "orientation": "portrait",
                "name_display": "full" }),
    )
    .await;
    assert_eq!(status, 200, "{updated}");
    assert_eq!(updated["orientation"], "portrait");
    assert_eq!(updated["name_display"], "full");
    let (_, list) = get(&app, &o.owner, "/api/certificate-templates").await;
    assert_eq!(list[0]["name"], "荣誉证书", "{list}");
    let (status, _) = delete(&app, &o.owner, &path).await;
    assert_eq!(status, 204);
    let (status, _) = get(&app, &o.owner, &path).await;
    assert_eq!(status, 404);
    let (_, list) = get(&app, &o.owner, "/api/certificate-templates").await;
    assert_eq!(list, Value::Array(Vec::new()));
}
