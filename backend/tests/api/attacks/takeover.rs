//! Registration takeover (issue 11, item 3): registering for an exam again with someone
//! else's name and phone (or email, or ID number) used to sign the attacker in as that person.
//! Now a match without proof answers 409 `registration_exists` and no session; the person
//! themself proves it with the resume token of their first registration or a code sent to the
//! contact they registered; and what a registrant typed never becomes a candidate's own
//! contact.

use reqwest::{Client, header};
use serde_json::{Value, json};

use crate::helpers::{
    CSRF, ExamOrg, TestApp, code_in, cookie_client, exam_org_with, get, id, post, spawn_app, start,
    view,
};

/// Name, phone, email and ID number, none of them required but the name.
fn open_form() -> Value {
    json!({
        "access_code": true,
        "open_link": true,
        "purpose": "身份证号仅用于考场核验身份。",
        "registration_fields": [
            { "key": "name", "label": "姓名", "kind": "name", "required": true },
            { "key": "phone", "label": "手机号", "kind": "phone" },
            { "key": "email", "label": "邮箱", "kind": "email" },
            { "key": "id_number", "label": "身份证号", "kind": "id_number" },
        ],
    })
}

const VICTIM_ID: &str = "11010519491231002X";

/// An exam reached by access code with `form`; answers (exam id, entry path).
async fn exam_by_code(app: &TestApp, o: &ExamOrg, form: Value) -> (String, String) {
    let exam = o.create_exam(app, json!({ "entry": form })).await;
    let code = exam["entry_access"]["access_code"].as_str().expect("code");
    (
        id(&exam),
        format!("/api/portal/{}/exams/code/{code}", o.slug),
    )
}

/// The victim registers, starts the exam and saves an answer; answers (candidate id, attempt
/// id, resume token).
async fn victim_registers(
    app: &TestApp,
    o: &ExamOrg,
    exam: &str,
    path: &str,
) -> (String, String, String) {
    let victim = cookie_client();
    let (status, entered) = post(
        app,
        &victim,
        path,
        json!({ "accept": { "privacy": "1.0" }, "fields": { "name": "王小明", "phone": "13800138000",
                            "email": "xiaoming@example.com", "id_number": VICTIM_ID } }),
    )
    .await;
    assert_eq!(status, 201, "{entered}");
    // Checked where it is used, so that on the old code the attack test fails at the attack.
    let token = entered["resume_token"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let attempt = o.start_and_save(app, &victim, exam).await;
    (id(&entered["candidate"]), attempt, token)
}

/// POSTs like a fresh browser would and answers (status, whether any cookie was set, body).
async fn attempt_entry(
    app: &TestApp,
    client: &Client,
    path: &str,
    body: Value,
) -> (u16, bool, Value) {
    let res = client
        .post(app.url(path))
        .header(CSRF.0, CSRF.1)
        .json(&body)
        .send()
        .await
        .expect("request");
    let status = res.status().as_u16();
    let cookie = res.headers().get(header::SET_COOKIE).is_some();
    let json = res.json().await.unwrap_or(Value::Null);
    (status, cookie, json)
}

#[tokio::test]
async fn registering_again_with_a_victims_name_and_phone_gets_409_and_no_session() {
    let app = spawn_app().await;
    let o = exam_org_with(&app, "takeover", &["single_choice"]).await;
    let (exam, path) = exam_by_code(&app, &o, open_form()).await;
    let (victim_id, attempt, _) = victim_registers(&app, &o, &exam, &path).await;

    let attacker = cookie_client();
    let mut answers = Vec::new();
    // Matched by phone, by email and by ID number: the same answer each time.
    for fields in [
        json!({ "name": "王小明", "phone": "138 0013 8000" }),
        json!({ "name": "王小明", "phone": "13900000001", "email": "XiaoMing@example.com" }),
        json!({ "name": "王小明", "phone": "13900000002", "id_number": VICTIM_ID.to_lowercase() }),
    ] {
        let (status, cookie, err) = attempt_entry(
            &app,
            &attacker,
            &path,
            json!({ "accept": { "privacy": "1.0" }, "fields": fields }),
        )
        .await;
        assert_eq!(status, 409, "{fields}: {err}");
        assert_eq!(err["code"], "registration_exists");
        assert!(!cookie, "a session cookie was set for {fields}");
        answers.push(err["details"].clone());
    }
    assert_eq!(
        answers[0],
        json!({ "can_send_code": true, "contact_hint": "138****8000" })
    );
    assert!(answers.iter().all(|a| *a == answers[0]), "{answers:?}");

    // Made-up proofs do not help either.
    for (proof, field, reason) in [
        (
            json!({ "resume_token": "2222-2222-2222-2222-2222-2222-2222" }),
            "resume_token",
            "invalid_token",
        ),
        (
            json!({ "resume_token": "not a token" }),
            "resume_token",
            "invalid_token",
        ),
        (json!({ "code": "123456" }), "code", "invalid_code"),
    ] {
        let mut body = json!({ "accept": { "privacy": "1.0" }, "fields": { "name": "王小明", "phone": "13800138000" } });
        for (k, v) in proof.as_object().expect("object") {
            body[k] = v.clone();
        }
        let (status, cookie, err) = attempt_entry(&app, &attacker, &path, body).await;
        assert_eq!(status, 422, "{proof}: {err}");
        assert_eq!(err["details"]["fields"][0]["field"], field);
        assert_eq!(err["details"]["fields"][0]["reason"], reason);
        assert!(!cookie);
    }

    // The attacker has no session, so the victim's exam and saved answers are out of reach.
    let (status, _) = get(&app, &attacker, "/api/candidate/me").await;
    assert_eq!(status, 401);
    let (status, _) = view(&app, &attacker, &attempt).await;
    assert_eq!(status, 401);
    // And no second candidate or registration appeared.
    let (_, regs) = get(&app, &o.owner, &format!("/api/exams/{exam}/registrations")).await;
    assert_eq!(regs.as_array().map(Vec::len), Some(1), "{regs}");
    assert_eq!(regs[0]["candidate_id"], victim_id.as_str());
}

#[tokio::test]
async fn a_returning_registrant_with_the_resume_token_gets_the_same_candidate_and_answers() {
    let app = spawn_app().await;
    let o = exam_org_with(&app, "token", &["single_choice"]).await;
    let (exam, path) = exam_by_code(&app, &o, open_form()).await;
    let (victim_id, attempt, token) = victim_registers(&app, &o, &exam, &path).await;
    assert_eq!(token.len(), 34, "{token}");

    // On another device, typed in lower case with spaces instead of dashes.
    let device = cookie_client();
    let typed = token.replace('-', " ").to_lowercase();
    let (status, cookie, entered) = attempt_entry(
        &app,
        &device,
        &path,
        json!({ "accept": { "privacy": "1.0" }, "fields": { "name": "王小明", "phone": "13800138000" }, "resume_token": typed }),
    )
    .await;
    assert_eq!(status, 200, "{entered}");
    assert!(cookie);
    assert_eq!(entered["candidate"]["id"], victim_id.as_str());
    assert!(entered.get("resume_token").is_none(), "{entered}");
    let (status, resumed) = start(&app, &device, &exam).await;
    assert_eq!(status, 200, "{resumed}");
    assert_eq!(resumed["id"], attempt.as_str());
    assert_eq!(resumed["answers"].as_array().map(Vec::len), Some(1));

    // The token belongs to this exam's registration only: another exam does not take it.
    let (_, other_path) = exam_by_code(&app, &o, open_form()).await;
    let (status, cookie, err) = attempt_entry(
        &app,
        &cookie_client(),
        &other_path,
        json!({ "accept": { "privacy": "1.0" }, "fields": { "name": "王小明", "phone": "13800138000" }, "resume_token": token }),
    )
    .await;
    assert_eq!((status, cookie), (422, false), "{err}");
    // Nor does the token stand in for someone else's values.
    let (status, _, err) = attempt_entry(
        &app,
        &cookie_client(),
        &path,
        json!({ "accept": { "privacy": "1.0" }, "fields": { "name": "李雷", "phone": "13800138000" }, "resume_token": token }),
    )
    .await;
    assert_eq!(status, 422, "{err}");

    // The token is stored only as a MAC.
    let plain = token.replace('-', "");
    assert!(!app.raw_database_dump().contains(&plain));
}

#[tokio::test]
async fn a_returning_registrant_with_a_code_to_the_registered_phone_gets_the_same_candidate() {
    let app = spawn_app().await;
    let o = exam_org_with(&app, "recode", &["single_choice"]).await;
    let (exam, path) = exam_by_code(&app, &o, open_form()).await;
    let (victim_id, _, _) = victim_registers(&app, &o, &exam, &path).await;
    let fields = json!({ "name": "王小明", "id_number": VICTIM_ID });

    let device = cookie_client();
    let (status, sent) = post(
        &app,
        &device,
        &format!("{path}/resume-code"),
        json!({ "accept": { "privacy": "1.0" }, "fields": fields }),
    )
    .await;
    assert_eq!(status, 202, "{sent}");
    let lines = app.outbox(1).await;
    let message = lines.last().expect("a code message");
    // It goes to the phone registered the first time, whatever was typed now.
    assert_eq!(message["to"], "+8613800138000");
    let code = code_in(message);

    // Wrong codes count (five void it), although each request fails.
    let wrong = if code == "000000" { "000001" } else { "000000" };
    for _ in 0..5 {
        let (status, _, err) = attempt_entry(
            &app,
            &device,
            &path,
            json!({ "accept": { "privacy": "1.0" }, "fields": fields, "code": wrong }),
        )
        .await;
        assert_eq!(status, 422, "{err}");
    }
    let (status, _, _) = attempt_entry(
        &app,
        &device,
        &path,
        json!({ "accept": { "privacy": "1.0" }, "fields": fields, "code": code }),
    )
    .await;
    assert_eq!(status, 422, "the code is void after five wrong tries");

    // A new code (the per-destination limit allows one a minute: age the first request).
    app.age_code_requests();
    let (status, _) = post(
        &app,
        &device,
        &format!("{path}/resume-code"),
        json!({ "accept": { "privacy": "1.0" }, "fields": fields }),
    )
    .await;
    assert_eq!(status, 202);
    let code = code_in(app.outbox(2).await.last().expect("second code"));
    let (status, cookie, entered) = attempt_entry(
        &app,
        &device,
        &path,
        json!({ "accept": { "privacy": "1.0" }, "fields": fields, "code": code }),
    )
    .await;
    assert_eq!(status, 200, "{entered}");
    assert!(cookie);
    assert_eq!(entered["candidate"]["id"], victim_id.as_str());
    // Single use.
    let (status, _, _) = attempt_entry(
        &app,
        &cookie_client(),
        &path,
        json!({ "accept": { "privacy": "1.0" }, "fields": fields, "code": code }),
    )
    .await;
    assert_eq!(status, 422);
    // Asking again right away is limited per destination.
    let (status, err) = post(
        &app,
        &device,
        &format!("{path}/resume-code"),
        json!({ "accept": { "privacy": "1.0" }, "fields": fields }),
    )
    .await;
    assert_eq!((status, err["code"].as_str()), (429, Some("rate_limited")));
}

#[tokio::test]
async fn registration_contacts_never_become_a_candidates_own_contacts() {
    let app = spawn_app().await;
    let o = exam_org_with(&app, "contacts", &["single_choice"]).await;
    let (exam, path) = exam_by_code(&app, &o, open_form()).await;
    let (victim_id, _, _) = victim_registers(&app, &o, &exam, &path).await;
    let (_, cand) = get(&app, &o.owner, &format!("/api/candidates/{victim_id}")).await;
    assert_eq!(cand["name"], "王小明", "{cand}");
    assert!(cand["phone"].is_null() && cand["email"].is_null(), "{cand}");
    // So a portal sign-in code for that phone signs nobody in.
    let (status, _) = post(
        &app,
        &cookie_client(),
        &format!("/api/portal/{}/login", o.slug),
        json!({ "identifier": "13800138000", "code": "123456" }),
    )
    .await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn without_a_phone_or_email_field_only_the_resume_token_proves_a_registrant() {
    let app = spawn_app().await;
    let o = exam_org_with(&app, "idonly", &["single_choice"]).await;
    let form = json!({
        "access_code": true,
        "purpose": "身份证号仅用于考场核验身份。",
        "registration_fields": [
            { "key": "name", "label": "姓名", "kind": "name", "required": true },
            { "key": "id_number", "label": "身份证号", "kind": "id_number", "required": true },
        ],
    });
    let (_, path) = exam_by_code(&app, &o, form).await;
    let fields = json!({ "name": "韩梅梅", "id_number": VICTIM_ID });
    let (status, _, first) = attempt_entry(
        &app,
        &cookie_client(),
        &path,
        json!({ "accept": { "privacy": "1.0" }, "fields": fields }),
    )
    .await;
    assert_eq!(status, 201, "{first}");
    let (status, cookie, err) = attempt_entry(
        &app,
        &cookie_client(),
        &path,
        json!({ "accept": { "privacy": "1.0" }, "fields": fields }),
    )
    .await;
    assert_eq!((status, cookie), (409, false), "{err}");
    assert_eq!(err["details"], json!({ "can_send_code": false }));
    let (status, _, err) = attempt_entry(
        &app,
        &cookie_client(),
        &path,
        json!({ "accept": { "privacy": "1.0" }, "fields": fields, "code": "123456" }),
    )
    .await;
    assert_eq!(status, 422, "{err}");
    let (status, _, again) = attempt_entry(
        &app,
        &cookie_client(),
        &path,
        json!({ "accept": { "privacy": "1.0" }, "fields": fields, "resume_token": first["resume_token"] }),
    )
    .await;
    assert_eq!(status, 200, "{again}");
    assert_eq!(again["candidate"]["id"], first["candidate"]["id"]);
}
