//! The privacy centre: the policy documents are public and versioned, agreement is recorded at
//! registration, at a candidate's first sign-in, with an exam's registration form and after a
//! major change (which notifies every owner), and the optional device-details consent stops
//! the collection when withdrawn. Cookies carry nothing identifying (clause 2).

use chrono::Utc;
use serde_json::{Value, json};

use crate::helpers::{
    PASSWORD, TestApp, cookie_client, exam_org_with, get, post, reason, spawn_app,
};
use crate::results::{outbox, run_jobs_at};
use crate::staff::{create_staff, staff_login};

fn fields_of(body: &Value) -> Vec<(String, String)> {
    body["details"]["fields"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|f| {
                    (
                        f["field"].as_str().unwrap_or_default().to_owned(),
                        f["reason"].as_str().unwrap_or_default().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn pair(field: &str, why: &str) -> (String, String) {
    (field.to_owned(), why.to_owned())
}

#[tokio::test]
async fn the_documents_are_public_with_their_version_date_history_and_contact() {
    let app = spawn_app().await;
    let visitor = cookie_client();
    let (status, docs) = get(&app, &visitor, "/api/privacy/policies").await;
    assert_eq!(status, 200, "{docs}");
    assert_eq!(docs["privacy"]["version"], "1.0");
    assert_eq!(docs["privacy"]["effective_on"], "2024-05-22");
    let zh = docs["privacy"]["body_zh"].as_str().unwrap_or_default();
    assert!(zh.starts_with("# 考试云用户隐私保护声明"), "{zh:.40}");
    assert!(zh.contains("九、如何联系我们"));
    let en = docs["privacy"]["body_en"].as_str().unwrap_or_default();
    assert!(
        en.contains("ExamCloud") && en.contains("How to contact us"),
        "{en:.200}"
    );
    assert_eq!(docs["terms"]["version"], "1.0");
    assert_eq!(docs["contact"]["email"], "service@zcth.cn");
    assert_eq!(docs["contact"]["reply_working_days"], 10);

    let (status, versions) = get(&app, &visitor, "/api/privacy/policies/terms/versions").await;
    assert_eq!(status, 200);
    assert_eq!(versions.as_array().map(Vec::len), Some(1), "{versions}");
    let (status, _) = get(&app, &visitor, "/api/privacy/policies/cookies/versions").await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn registering_an_organisation_requires_agreeing_to_the_current_versions() {
    let app = spawn_app().await;
    let client = cookie_client();
    let email = "consent@example.com";
    let code = app.issue_code(backend::verification::Purpose::Register, email);
    let body = |accept: Value| {
        json!({ "org_name": "同意测试单位", "password": PASSWORD, "destination": email,
            "code": code, "accept": accept })
    };
    let (status, err) = post(&app, &client, "/api/orgs", body(Value::Null)).await;
    assert_eq!(status, 422);
    assert_eq!(
        fields_of(&err),
        [
            pair("accept.privacy", "required"),
            pair("accept.terms", "required")
        ]
    );
    // A page showing an older version: refused, and the code is not spent.
    let (status, err) = post(
        &app,
        &client,
        "/api/orgs",
        body(json!({ "privacy": "0.9", "terms": "1.0" })),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(fields_of(&err), [pair("accept.privacy", "outdated")]);
    let (status, me) = post(
        &app,
        &client,
        "/api/orgs",
        body(json!({ "privacy": "1.0", "terms": "1.0" })),
    )
    .await;
    assert_eq!(status, 201, "{me}");
    assert_eq!(me["consent_required"], json!([]));

    let (status, mine) = get(&app, &client, "/api/me/consents").await;
    assert_eq!(status, 200, "{mine}");
    assert_eq!(mine["required"], json!([]));
    let history = mine["history"].as_array().cloned().unwrap_or_default();
    let got: Vec<(String, String, String)> = history
        .iter()
        .map(|r| {
            (
                r["purpose"].as_str().unwrap_or_default().to_owned(),
                r["version"].as_str().unwrap_or_default().to_owned(),
                r["method"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    assert_eq!(got.len(), 2, "{got:?}");
    for purpose in ["privacy", "terms"] {
        assert!(
            got.contains(&(
                purpose.to_owned(),
                "1.0".to_owned(),
                "registration".to_owned()
            )),
            "{got:?}"
        );
    }
}

#[tokio::test]
async fn a_candidate_agrees_to_the_privacy_statement_at_their_first_sign_in() {
    let app = spawn_app().await;
    let owner = app.register_org("首次登录单位", "first@example.com").await;
    let slug = app.slug_of(&owner).await;
    app.create_candidate(
        &owner,
        json!({ "account": "stu-first", "name": "张三", "password": PASSWORD }),
    )
    .await;
    let cand = app.portal_login(&slug, "stu-first", PASSWORD).await;

    let (_, me) = get(&app, &cand, "/api/candidate/me").await;
    assert_eq!(
        me["consent_required"],
        json!([{ "kind": "privacy", "version": "1.0", "renewal": false }])
    );
    let (status, err) = post(&app, &cand, "/api/candidate/me/consents", json!({})).await;
    assert_eq!(
        (status, fields_of(&err)),
        (422, vec![pair("accept", "required")])
    );
    let (status, err) = post(
        &app,
        &cand,
        "/api/candidate/me/consents",
        json!({ "accept": { "privacy": "2.0" } }),
    )
    .await;
    assert_eq!(
        (status, fields_of(&err)),
        (422, vec![pair("accept.privacy", "outdated")])
    );
    let (status, mine) = post(
        &app,
        &cand,
        "/api/candidate/me/consents",
        json!({ "accept": { "privacy": "1.0" } }),
    )
    .await;
    assert_eq!(status, 200, "{mine}");
    assert_eq!(mine["required"], json!([]));
    assert_eq!(mine["history"][0]["method"], "first_sign_in");
    let (_, me) = get(&app, &cand, "/api/candidate/me").await;
    assert_eq!(me["consent_required"], json!([]));

    // The organisation sees the agreement in its audit log.
    let (_, audit) = get(&app, &owner, "/api/audit?action=privacy.consent").await;
    assert_eq!(
        audit["entries"].as_array().map(Vec::len),
        Some(1),
        "{audit}"
    );
    assert_eq!(audit["entries"][0]["actor_kind"], "candidate");
}

#[tokio::test]
async fn a_major_version_notifies_every_owner_and_asks_everyone_again() {
    let app = spawn_app().await;
    let first = app.register_org("甲单位", "owner-a@example.com").await;
    let _second = app.register_org("乙单位", "owner-b@example.com").await;
    let out = create_staff(&app, "sec.policy", "security");
    assert!(out.status.success(), "{out:?}");
    let staff = staff_login(&app, "sec.policy").await;
    let publish = |version: &str, major: bool, reason: &str| {
        json!({ "kind": "privacy", "version": version, "major": major,
            "effective_on": "2027-01-01", "summary_zh": "新增未成年人保护条款。",
            "summary_en": "Adds the protection of minors.", "body_zh": "# 隐私声明\n\n新版本。",
            "body_en": "# Privacy statement\n\nThe new version.", "reason": reason })
    };

    // Only security staff, only with a reason, never the same version twice.
    let (status, _) = post(
        &app,
        &first,
        "/api/staff/policies",
        publish("2.0", true, "法务更新 2027"),
    )
    .await;
    assert_eq!(status, 401, "an organisation's owner is not staff");
    let (status, err) = post(
        &app,
        &staff,
        "/api/staff/policies",
        publish("2.0", true, ""),
    )
    .await;
    assert_eq!(
        (status, fields_of(&err)),
        (422, vec![pair("reason", "required")])
    );
    let (status, err) = post(
        &app,
        &staff,
        "/api/staff/policies",
        publish("1.0", true, "法务更新 2027"),
    )
    .await;
    assert_eq!((status, reason(&err).as_str()), (409, "version_exists"));

    // A minor version changes nothing for anyone.
    let (status, minor) = post(
        &app,
        &staff,
        "/api/staff/policies",
        publish("1.1", false, "错别字修正 #12"),
    )
    .await;
    assert_eq!(status, 201, "{minor}");
    assert_eq!(minor["owners_notified"], 0);
    let (_, me) = get(&app, &first, "/api/auth/me").await;
    assert_eq!(me["consent_required"], json!([]));

    let (status, major) = post(
        &app,
        &staff,
        "/api/staff/policies",
        publish("2.0", true, "法务更新 2027"),
    )
    .await;
    assert_eq!(status, 201, "{major}");
    assert_eq!(major["owners_notified"], 2);
    run_jobs_at(&app, Utc::now() + chrono::Duration::seconds(5));
    assert_eq!(outbox(&app, "policy_update"), 2);
    let (_, docs) = get(&app, &cookie_client(), "/api/privacy/policies").await;
    assert_eq!(docs["privacy"]["version"], "2.0");

    let (_, me) = get(&app, &first, "/api/auth/me").await;
    assert_eq!(
        me["consent_required"],
        json!([{ "kind": "privacy", "version": "2.0", "renewal": true }])
    );
    let (status, mine) = post(
        &app,
        &first,
        "/api/me/consents",
        json!({ "accept": { "privacy": "2.0" } }),
    )
    .await;
    assert_eq!(status, 200, "{mine}");
    assert_eq!(mine["required"], json!([]));
    assert_eq!(mine["history"][0]["method"], "re_consent");
    assert_eq!(mine["history"][0]["version"], "2.0");
}

/// The device details of the newest session of the signed-in user.
async fn newest_device(app: &TestApp, client: &reqwest::Client) -> Value {
    let (status, sessions) = get(app, client, "/api/auth/sessions").await;
    assert_eq!(status, 200, "{sessions}");
    sessions
        .as_array()
        .and_then(|s| s.iter().find(|s| s["current"] == true))
        .map(|s| s["device"].clone())
        .unwrap_or(Value::Null)
}

#[tokio::test]
async fn withdrawing_the_device_consent_stops_recording_device_details() {
    let app = spawn_app().await;
    let owner = app.register_org("设备单位", "device@example.com").await;
    let login = |c: reqwest::Client| {
        let app = &app;
        async move {
            let (status, body) = post(
                app,
                &c,
                "/api/auth/login",
                json!({ "identifier": "device@example.com", "password": PASSWORD,
                    "device": { "platform": "Linux", "screen": "1920x1080" } }),
            )
            .await;
            assert_eq!(status, 200, "{body}");
            c
        }
    };
    // A browser says what it is in its user agent.
    let browser = || {
        reqwest::Client::builder()
            .cookie_store(true)
            .user_agent("Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0")
            .build()
            .expect("client")
    };
    let before = login(browser()).await;
    assert!(
        newest_device(&app, &before).await.is_string(),
        "recorded with consent"
    );

    let (status, mine) = post(
        &app,
        &owner,
        "/api/me/consents",
        json!({ "device_details": false }),
    )
    .await;
    assert_eq!(status, 200, "{mine}");
    assert_eq!(mine["device_details"], false);
    assert_eq!(mine["history"][0]["purpose"], "device_details");
    assert_eq!(mine["history"][0]["granted"], false);

    let after = login(browser()).await;
    assert_eq!(newest_device(&app, &after).await, Value::Null);
    let (_, audit) = get(&app, &owner, "/api/audit?action=auth.login").await;
    let newest = &audit["entries"][0];
    assert!(
        newest["device"].is_null() && newest["details"]["device"].is_null(),
        "{newest}"
    );

    // Given again, collected again.
    let (_, mine) = post(
        &app,
        &owner,
        "/api/me/consents",
        json!({ "device_details": true }),
    )
    .await;
    assert_eq!(mine["device_details"], true);
    let again = login(browser()).await;
    assert!(newest_device(&app, &again).await.is_string());
}

#[tokio::test]
async fn an_exam_registration_form_records_agreement_and_needs_a_purpose_for_id_numbers() {
    let app = spawn_app().await;
    let o = exam_org_with(&app, "formconsent", &["single_choice"]).await;
    let form = |purpose: &str| {
        json!({ "entry": { "access_code": true, "purpose": purpose, "registration_fields": [
            { "key": "name", "label": "姓名", "kind": "name", "required": true },
            { "key": "id_number", "label": "身份证号", "kind": "id_number", "required": true },
        ] } })
    };
    let (status, err) = post(&app, &o.owner, "/api/exams", o.exam_body(form(""))).await;
    assert_eq!(status, 422, "{err}");
    assert!(
        fields_of(&err).contains(&pair("entry.purpose", "required")),
        "{err}"
    );
    let exam = o
        .create_exam(&app, form("身份证号仅用于考场核验身份。"))
        .await;
    let code = exam["entry_access"]["access_code"].as_str().expect("code");
    let path = format!("/api/portal/{}/exams/code/{code}", o.slug);
    let (_, info) = get(&app, &cookie_client(), &path).await;
    assert_eq!(info["purpose"], "身份证号仅用于考场核验身份。");

    let person = cookie_client();
    let fields = json!({ "name": "韩梅梅", "id_number": "11010519491231002X" });
    let (status, err) = post(&app, &person, &path, json!({ "fields": fields })).await;
    assert_eq!(
        (status, fields_of(&err)),
        (422, vec![pair("accept.privacy", "required")])
    );
    let (status, entered) = post(
        &app,
        &person,
        &path,
        json!({ "fields": fields, "accept": { "privacy": "1.0" } }),
    )
    .await;
    assert_eq!(status, 201, "{entered}");
    let (_, mine) = get(&app, &person, "/api/candidate/me/consents").await;
    assert_eq!(mine["required"], json!([]));
    let purposes: Vec<(Value, Value, Value)> = mine["history"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .map(|r| {
            (
                r["purpose"].clone(),
                r["method"].clone(),
                r["context"].clone(),
            )
        })
        .collect();
    assert!(
        purposes.contains(&(json!("privacy"), json!("exam_registration"), Value::Null)),
        "{purposes:?}"
    );
    assert!(
        purposes.contains(&(
            json!("exam_form"),
            json!("exam_registration"),
            exam["id"].clone()
        )),
        "{purposes:?}"
    );
}

#[tokio::test]
async fn session_cookies_are_http_only_same_site_secure_behind_tls_and_opaque() {
    let app = crate::helpers::spawn_app_with(|s| s.auth.cookie_secure = Some(true)).await;
    let code = app.issue_code(
        backend::verification::Purpose::Register,
        "cookie@example.com",
    );
    let res = reqwest::Client::new()
        .post(app.url("/api/orgs"))
        .header("x-examcloud-csrf", "1")
        .json(&json!({ "org_name": "饼干单位", "password": PASSWORD,
            "destination": "cookie@example.com", "code": code,
            "accept": { "privacy": "1.0", "terms": "1.0" } }))
        .send()
        .await
        .expect("register");
    assert_eq!(res.status(), 201);
    let cookies: Vec<String> = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(cookies.len(), 2, "{cookies:?}");
    for cookie in &cookies {
        for flag in ["HttpOnly", "Secure", "SameSite="] {
            assert!(cookie.contains(flag), "{flag} missing: {cookie}");
        }
        // Nothing identifying is readable from the value: not the address, not the org's
        // name, not (decoded) any JSON claim naming a person.
        let value = cookie.split(';').next().unwrap_or_default();
        let value = value.split_once('=').map(|(_, v)| v).unwrap_or_default();
        assert!(
            !value.contains("cookie") && !value.contains("%40"),
            "{value}"
        );
        use base64::Engine;
        for part in value.split('.') {
            let decoded = base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(part)
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .unwrap_or_default();
            for personal in ["cookie@example.com", "饼干单位", "email"] {
                assert!(
                    !decoded.contains(personal),
                    "{personal} readable in {decoded}"
                );
            }
        }
    }
}
