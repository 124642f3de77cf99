//! Entry modes of exams: access code and open link with registration fields (validated,
//! stored encrypted, a returning person recognised and let back in with proof), invite links
//! of assigned candidates, the closed and unknown cases, rate limiting of access codes, and one
//! active device per attempt. The takeover attacks are in `attacks::takeover`.

use serde_json::{Value, json};

use crate::helpers::{
    PASSWORD, answer_choice, at, cookie_client, delete, exam_org_with, get, id, label_of, post,
    reason, save, spawn_app, start, submit, view,
};

fn registration_form() -> Value {
    json!({
        "access_code": true,
        "open_link": true,
        "purpose": "身份证号仅用于考场核验身份。",
        "registration_fields": [
            { "key": "name", "label": "姓名", "kind": "name", "required": true },
            { "key": "phone", "label": "手机号", "kind": "phone", "required": true },
            { "key": "id_number", "label": "身份证号", "kind": "id_number" },
            { "key": "email", "label": "邮箱", "kind": "email" },
            { "key": "school", "label": "学校", "kind": "text" },
        ],
    })
}

const ID_NUMBER: &str = "11010519491231002X";

#[tokio::test]
async fn an_access_code_admits_a_registered_person_who_starts_and_saves() {
    let app = spawn_app().await;
    let o = exam_org_with(&app, "code", &["single_choice"]).await;
    let exam = o
        .create_exam(&app, json!({ "entry": registration_form() }))
        .await;
    let exam_id = id(&exam);
    let code = exam["entry_access"]["access_code"]
        .as_str()
        .expect("access code")
        .to_owned();
    assert_eq!(
        shared::exams::normalise_access_code(&code).as_deref(),
        Some(code.as_str()),
        "ten characters of the access-code alphabet"
    );
    assert!(exam["entry"]["single_device"].as_bool().expect("default"));

    let person = cookie_client();
    let (status, face) = get(
        &app,
        &person,
        &format!("/api/portal/{}/exams/code/{code}", o.slug),
    )
    .await;
    assert_eq!(status, 200, "{face}");
    assert_eq!(face["id"], exam_id.as_str());
    assert_eq!(face["name"], "期中");
    assert_eq!(face["duration_minutes"], 30);
    assert_eq!(
        face["registration_fields"].as_array().map(Vec::len),
        Some(5)
    );
    assert!(face.get("paper_id").is_none(), "{face}");

    let (status, entered) = post(&app, &person, &format!("/api/portal/{}/exams/code/{code}", o.slug), json!({ "accept": { "privacy": "1.0" }, "fields": { "name": "王小明", "phone": "139 1234 5678", "id_number": "11010519491231002x",
                            "email": "Xiaoming@Example.com", "school": "第一实验中学PLAINTEXT" } }))
    .await;
    assert_eq!(status, 201, "{entered}");
    assert_eq!(entered["exam_id"], exam_id.as_str());
    assert_eq!(entered["candidate"]["name"], "王小明");
    assert!(entered["resume_token"].is_string(), "{entered}");
    let candidate_id = id(&entered["candidate"]);

    // Signed in: the exam is in the candidate's list and can be taken.
    let (status, me) = get(&app, &person, "/api/candidate/me").await;
    assert_eq!(
        (status, me["id"].as_str()),
        (200, Some(candidate_id.as_str()))
    );
    let (_, list) = get(&app, &person, "/api/candidate/exams").await;
    assert_eq!(list[0]["id"], exam_id.as_str());
    o.start_and_save(&app, &person, &exam_id).await;

    // The admin reads the registration decrypted (normalised values).
    let (status, regs) = get(
        &app,
        &o.owner,
        &format!("/api/exams/{exam_id}/registrations"),
    )
    .await;
    assert_eq!(status, 200, "{regs}");
    assert_eq!(regs.as_array().map(Vec::len), Some(1));
    assert_eq!(regs[0]["candidate_id"], candidate_id.as_str());
    assert_eq!(regs[0]["fields"]["name"], "王小明");
    assert_eq!(regs[0]["fields"]["phone"], "+8613912345678");
    assert_eq!(regs[0]["fields"]["id_number"], ID_NUMBER);
    assert_eq!(regs[0]["fields"]["email"], "Xiaoming@example.com");
    assert_eq!(regs[0]["fields"]["school"], "第一实验中学PLAINTEXT");
    // The candidate got the person's name, but not the unverified phone and email: those
    // stay in the registration.
    let (_, cand) = get(&app, &o.owner, &format!("/api/candidates/{candidate_id}")).await;
    assert_eq!(cand["name"], "王小明");
    assert!(cand["phone"].is_null() && cand["email"].is_null(), "{cand}");
    // That read of personal data is in the audit log.
    let (_, audit) = get(&app, &o.owner, "/api/audit?action=exam.registrations_read").await;
    assert!(
        audit.to_string().contains("exam.registrations_read"),
        "{audit}"
    );

    // Nothing of it is stored in plaintext.
    let dump = app.raw_database_dump();
    for plain in [
        "王小明",
        "13912345678",
        ID_NUMBER,
        "Xiaoming@example.com",
        "第一实验中学PLAINTEXT",
    ] {
        assert!(!dump.contains(plain), "{plain} is stored in plaintext");
    }
    // The registration row really is ciphertext under the registration's AAD.
    let mut conn = app.db();
    use backend::db::schema::exam_registrations as r;
    use diesel::prelude::*;
    let (id, enc): (backend::db::types::DbUuid, Vec<u8>) = r::table
        .select((r::id, r::values_enc))
        .first(&mut *conn)
        .expect("registration row");
    let row = id.to_string();
    let plain = app
        .cipher()
        .decrypt(
            &enc,
            backend::crypto::Aad {
                table: "exam_registrations",
                column: "values_enc",
                row_id: &row,
            },
        )
        .expect("decrypts with its AAD");
    assert!(plain.contains("第一实验中学PLAINTEXT"));
}

#[tokio::test]
async fn a_returning_person_is_recognised_and_gets_the_same_candidate_back_with_proof() {
    let app = spawn_app().await;
    let o = exam_org_with(&app, "again", &["single_choice"]).await;
    let exam = o
        .create_exam(&app, json!({ "entry": registration_form() }))
        .await;
    let code = exam["entry_access"]["access_code"].as_str().expect("code");
    let path = format!("/api/portal/{}/exams/code/{code}", o.slug);
    let register = |body: Value| {
        let (app, path) = (&app, path.clone());
        async move { post(app, &cookie_client(), &path, body).await }
    };
    let (status, first) =
        register(json!({ "accept": { "privacy": "1.0" }, "fields": { "name": "李雷", "phone": "13800001111" } })).await;
    assert_eq!(status, 201, "{first}");
    // Recognised (same name and phone, written differently), but not signed in without proof.
    let again = json!({ "name": " 李雷 ", "phone": "+86 138 0000 1111", "school": "新学校" });
    let (status, err) = register(json!({ "accept": { "privacy": "1.0" }, "fields": again })).await;
    assert_eq!(
        (status, err["code"].as_str()),
        (409, Some("registration_exists"))
    );
    let (status, back) =
        register(json!({ "accept": { "privacy": "1.0" }, "fields": again, "resume_token": first["resume_token"] })).await;
    assert_eq!(status, 200, "{back}");
    assert_eq!(back["candidate"]["id"], first["candidate"]["id"]);
    // Another name with the same phone is another person (who does not get the phone's
    // candidate: the number stays only in their registration).
    let (status, other) =
        register(json!({ "accept": { "privacy": "1.0" }, "fields": { "name": "韩梅梅", "phone": "13800001111" } })).await;
    assert_eq!(status, 201, "{other}");
    assert_ne!(other["candidate"]["id"], first["candidate"]["id"]);
    // The same person by ID number alone.
    let (status, by_id) = register(
        json!({ "accept": { "privacy": "1.0" }, "fields": { "name": "李雷", "phone": "13800002222", "id_number": ID_NUMBER } }),
    )
    .await;
    assert_eq!(status, 201, "{by_id}");
    let (status, by_id_again) = register(json!({
        "accept": { "privacy": "1.0" },
        "fields": { "name": "李雷", "phone": "13800003333", "id_number": ID_NUMBER },
        "resume_token": by_id["resume_token"],
    }))
    .await;
    assert_eq!(status, 200, "{by_id_again}");
    assert_eq!(by_id_again["candidate"]["id"], by_id["candidate"]["id"]);

    let exam_id = exam["id"].as_str().expect("id");
    let (_, regs) = get(
        &app,
        &o.owner,
        &format!("/api/exams/{exam_id}/registrations"),
    )
    .await;
    assert_eq!(regs.as_array().map(Vec::len), Some(3), "{regs}");
    let (_, exam) = get(&app, &o.owner, &format!("/api/exams/{exam_id}")).await;
    assert_eq!(exam["assigned_count"], 3);
}

#[tokio::test]
async fn bad_registration_fields_answer_422_with_field_codes() {
    let app = spawn_app().await;
    let o = exam_org_with(&app, "bad", &["single_choice"]).await;
    let exam = o
        .create_exam(&app, json!({ "entry": registration_form() }))
        .await;
    let code = exam["entry_access"]["access_code"].as_str().expect("code");
    let path = format!("/api/portal/{}/exams/code/{code}", o.slug);
    let (status, err) = post(
        &app,
        &cookie_client(),
        &path,
        json!({ "accept": { "privacy": "1.0" }, "fields": { "phone": "12345", "id_number": "110105194912310021",
                            "email": "not-an-email", "school": "x".repeat(201), "extra": "?" } }),
    )
    .await;
    assert_eq!(status, 422, "{err}");
    assert_eq!(err["code"], "validation_failed");
    let got: Vec<(String, String)> = err["details"]["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|f| {
            (
                f["field"].as_str().unwrap_or_default().to_owned(),
                f["reason"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    for expected in [
        ("fields.name", "required"),
        ("fields.phone", "invalid_format"),
        ("fields.id_number", "invalid_format"),
        ("fields.email", "invalid_format"),
        ("fields.school", "too_long"),
        ("fields.extra", "unknown_field"),
    ] {
        assert!(
            got.contains(&(expected.0.to_owned(), expected.1.to_owned())),
            "{expected:?} missing from {got:?}"
        );
    }
    // Nothing was created.
    let exam_id = exam["id"].as_str().expect("id");
    let (_, exam) = get(&app, &o.owner, &format!("/api/exams/{exam_id}")).await;
    assert_eq!(exam["assigned_count"], 0);

    // The form itself is checked when the exam is saved.
    let mut body = o.exam_body(json!({
        "name": "坏表单",
        "entry": { "open_link": true, "registration_fields": [
            { "key": "school", "label": "学校", "kind": "text" },
            { "key": "school", "label": "", "kind": "text" },
        ] },
    }));
    let (status, err) = post(&app, &o.owner, "/api/exams", body.clone()).await;
    assert_eq!(status, 422, "{err}");
    let text = err["details"].to_string();
    for part in [
        "entry.registration_fields[1].key",
        "entry.registration_fields[1].label",
        "name_required",
    ] {
        assert!(text.contains(part), "{part} in {text}");
    }
    body["entry"]["registration_fields"] = json!(
        (0..21)
            .map(|i| json!({ "key": format!("f{i}"), "label": "字段", "kind": "text" }))
            .collect::<Vec<_>>()
    );
    body["entry"]["open_link"] = json!(false);
    let (status, err) = post(&app, &o.owner, "/api/exams", body).await;
    assert_eq!(status, 422, "{err}");
    assert!(err["details"].to_string().contains("too_many"), "{err}");
}

#[tokio::test]
async fn unknown_codes_are_404_closed_exams_409_and_guessing_is_throttled() {
    let app = spawn_app().await;
    let o = exam_org_with(&app, "closed", &["single_choice"]).await;
    let closed = o
        .create_exam(
            &app,
            json!({ "entry": registration_form(), "opens_at": at(-120), "closes_at": at(-60) }),
        )
        .await;
    let code = closed["entry_access"]["access_code"]
        .as_str()
        .expect("code");
    let token = closed["entry_access"]["open_link_token"]
        .as_str()
        .expect("token");
    let anon = cookie_client();
    for path in [
        format!("/api/portal/{}/exams/code/{code}", o.slug),
        format!("/api/portal/{}/exams/open/{token}", o.slug),
    ] {
        let (status, err) = get(&app, &anon, &path).await;
        assert_eq!(
            (status, reason(&err)),
            (409, "exam_closed".to_owned()),
            "{path}"
        );
        let (status, err) = post(
            &app,
            &anon,
            &path,
            json!({ "accept": { "privacy": "1.0" }, "fields": { "name": "迟到者", "phone": "13800009999" } }),
        )
        .await;
        assert_eq!(
            (status, reason(&err)),
            (409, "exam_closed".to_owned()),
            "{path}"
        );
    }

    let open = o
        .create_exam(&app, json!({ "entry": registration_form() }))
        .await;
    let good = open["entry_access"]["access_code"].as_str().expect("code");
    let wrong = if good == "2222222222" {
        "3333333333"
    } else {
        "2222222222"
    };
    let (status, err) = get(
        &app,
        &anon,
        &format!("/api/portal/{}/exams/open/not-a-token", o.slug),
    )
    .await;
    assert_eq!((status, err["code"].as_str()), (404, Some("not_found")));
    // Unknown codes all answer the same 404 (malformed ones, old 6-digit ones included),
    // until the address has guessed too often: 30 misses of well-formed codes.
    let attempts = ["abc", "123456", "1234567"]
        .into_iter()
        .chain(std::iter::repeat_n(wrong, 30));
    for attempt in attempts {
        let (status, err) = get(
            &app,
            &anon,
            &format!("/api/portal/{}/exams/code/{attempt}", o.slug),
        )
        .await;
        assert_eq!(
            (status, err["code"].as_str()),
            (404, Some("not_found")),
            "{attempt}"
        );
    }
    let (status, err) = get(
        &app,
        &anon,
        &format!("/api/portal/{}/exams/code/{good}", o.slug),
    )
    .await;
    assert_eq!(
        (status, err["code"].as_str()),
        (429, Some("rate_limited")),
        "{err}"
    );
}

#[tokio::test]
async fn an_open_link_admits_and_rotating_it_ends_the_old_one() {
    let app = spawn_app().await;
    let o = exam_org_with(&app, "open", &["single_choice"]).await;
    let mut form = registration_form();
    form["access_code"] = json!(false);
    let exam = o.create_exam(&app, json!({ "entry": form })).await;
    let exam_id = id(&exam);
    assert!(exam["entry_access"].get("access_code").is_none(), "{exam}");
    let token = exam["entry_access"]["open_link_token"]
        .as_str()
        .expect("token")
        .to_owned();
    assert_eq!(
        exam["entry_access"]["open_link_path"],
        format!("/o/{}/open/{token}", o.slug).as_str()
    );
    let path = format!("/api/portal/{}/exams/open/{token}", o.slug);
    let person = cookie_client();
    let (status, face) = get(&app, &person, &path).await;
    assert_eq!((status, face["id"].as_str()), (200, Some(exam_id.as_str())));
    let (status, entered) = post(
        &app,
        &person,
        &path,
        json!({ "accept": { "privacy": "1.0" }, "fields": { "name": "张三", "phone": "13600001234" } }),
    )
    .await;
    assert_eq!(status, 201, "{entered}");
    o.start_and_save(&app, &person, &exam_id).await;

    // The access code is off for this exam: no rotation.
    let (status, err) = post(
        &app,
        &o.owner,
        &format!("/api/exams/{exam_id}/access-code"),
        Value::Null,
    )
    .await;
    assert_eq!(
        (status, reason(&err)),
        (409, "access_code_disabled".to_owned())
    );
    let (status, rotated) = post(
        &app,
        &o.owner,
        &format!("/api/exams/{exam_id}/open-link"),
        Value::Null,
    )
    .await;
    assert_eq!(status, 200, "{rotated}");
    let new_token = rotated["entry_access"]["open_link_token"]
        .as_str()
        .expect("token");
    assert_ne!(new_token, token);
    let (status, _) = get(&app, &person, &path).await;
    assert_eq!(status, 404);
    let (status, _) = get(
        &app,
        &person,
        &format!("/api/portal/{}/exams/open/{new_token}", o.slug),
    )
    .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn an_invite_link_signs_in_its_candidate_until_the_assignment_is_gone() {
    let app = spawn_app().await;
    let o = exam_org_with(&app, "invite", &["single_choice"]).await;
    let exam_id = o
        .exam(&app, json!({ "entry": { "invite_links": true } }))
        .await;
    let (status, invites) = get(&app, &o.owner, &format!("/api/exams/{exam_id}/invites")).await;
    assert_eq!(status, 200, "{invites}");
    assert_eq!(invites.as_array().map(Vec::len), Some(2));
    // Shown again, the links are the same (nothing is stored).
    let (_, again) = get(&app, &o.owner, &format!("/api/exams/{exam_id}/invites")).await;
    assert_eq!(again, invites);
    let second = invites
        .as_array()
        .expect("list")
        .iter()
        .find(|i| i["candidate_id"] == o.candidates[1].as_str())
        .expect("second candidate's invite")
        .clone();
    let token = second["token"].as_str().expect("token").to_owned();
    assert!(
        second["url"]
            .as_str()
            .expect("url")
            .ends_with(&format!("/o/{}/invite#{token}", o.slug))
    );

    let invited = cookie_client();
    let path = format!("/api/portal/{}/invite", o.slug);
    let (status, entered) = post(&app, &invited, &path, json!({ "token": token })).await;
    assert_eq!(status, 200, "{entered}");
    assert_eq!(entered["exam_id"], exam_id.as_str());
    assert_eq!(entered["candidate"]["id"], o.candidates[1].as_str());
    assert_eq!(entered["candidate"]["name"], "学生1");
    let (_, me) = get(&app, &invited, "/api/candidate/me").await;
    assert_eq!(me["id"], o.candidates[1].as_str());
    o.start_and_save(&app, &invited, &exam_id).await;

    // A tampered token, or one for another portal, does not sign anyone in.
    let mut tampered = token.clone();
    tampered.replace_range(60..61, if &token[60..61] == "A" { "B" } else { "A" });
    let (status, err) = post(&app, &cookie_client(), &path, json!({ "token": tampered })).await;
    assert_eq!(
        (status, err["code"].as_str()),
        (401, Some("invalid_credentials"))
    );
    let other = app
        .register_org("别的单位", "entry-other@example.com")
        .await;
    let other_slug = app.slug_of(&other).await;
    let (status, _) = post(
        &app,
        &cookie_client(),
        &format!("/api/portal/{other_slug}/invite"),
        json!({ "token": token }),
    )
    .await;
    assert_eq!(status, 401);

    // Once the assignment is removed, the link stops working.
    let (status, _) = delete(
        &app,
        &o.owner,
        &format!("/api/exams/{exam_id}/assignments/{}", o.candidates[1]),
    )
    .await;
    assert_eq!(status, 204);
    let (status, err) = post(&app, &cookie_client(), &path, json!({ "token": token })).await;
    assert_eq!(
        (status, err["code"].as_str()),
        (401, Some("invalid_credentials"))
    );
    let (_, invites) = get(&app, &o.owner, &format!("/api/exams/{exam_id}/invites")).await;
    assert_eq!(invites.as_array().map(Vec::len), Some(1));
    // The sign-ins, good and bad, are in the audit log as portal logins.
    let (_, audit) = get(&app, &o.owner, "/api/audit?action=portal.login").await;
    let text = audit.to_string();
    assert!(
        text.contains("invite") && text.contains("failure"),
        "{text}"
    );
}

#[tokio::test]
async fn a_second_device_takes_the_attempt_over_and_the_first_gets_409() {
    let app = spawn_app().await;
    let o = exam_org_with(&app, "device", &["single_choice"]).await;
    let exam_id = o.exam(&app, json!({})).await;
    let first = app.portal_login(&o.slug, &o.account(0), PASSWORD).await;
    let second = app.portal_login(&o.slug, &o.account(0), PASSWORD).await;
    let attempt = o.start_and_save(&app, &first, &exam_id).await;

    let (status, resumed) = start(&app, &second, &exam_id).await;
    assert_eq!(status, 200, "{resumed}");
    assert_eq!(resumed["id"], attempt.as_str());
    assert_eq!(resumed["answers"].as_array().map(Vec::len), Some(1));
    let one = label_of(&resumed, o.question("single_choice"), "甲");

    let question = o.question("single_choice");
    let answer = answer_choice(&one);
    let (status, err) = save(&app, &first, &attempt, question, answer.clone(), 2).await;
    assert_eq!(
        (status, err["code"].as_str()),
        (409, Some("another_device")),
        "{err}"
    );
    let (status, err) = view(&app, &first, &attempt).await;
    assert_eq!(
        (status, err["code"].as_str()),
        (409, Some("another_device"))
    );
    let (status, err) = submit(&app, &first, &attempt).await;
    assert_eq!(
        (status, err["code"].as_str()),
        (409, Some("another_device"))
    );

    // The new device works, and the stored answer is still the one it saw.
    let (status, saved) = save(&app, &second, &attempt, question, answer, 2).await;
    assert_eq!(
        (status, saved["applied"].as_bool()),
        (200, Some(true)),
        "{saved}"
    );
    let (status, _) = submit(&app, &second, &attempt).await;
    assert_eq!(status, 200);
    // The take-over is audited.
    let (_, audit) = get(&app, &o.owner, "/api/audit?action=attempt.takeover").await;
    assert!(audit.to_string().contains(&attempt), "{audit}");
}

#[tokio::test]
async fn without_single_device_both_devices_keep_working() {
    let app = spawn_app().await;
    let o = exam_org_with(&app, "multi", &["single_choice"]).await;
    let exam_id = o
        .exam(&app, json!({ "entry": { "single_device": false } }))
        .await;
    let first = app.portal_login(&o.slug, &o.account(0), PASSWORD).await;
    let second = app.portal_login(&o.slug, &o.account(0), PASSWORD).await;
    let attempt = o.start_and_save(&app, &first, &exam_id).await;
    let (status, resumed) = start(&app, &second, &exam_id).await;
    assert_eq!(status, 200);
    let one = label_of(&resumed, o.question("single_choice"), "甲");
    let question = o.question("single_choice");
    let answer = answer_choice(&one);
    for (seq, device) in [(2, &first), (3, &second), (4, &first)] {
        let (status, saved) = save(&app, device, &attempt, question, answer.clone(), seq).await;
        assert_eq!(status, 200, "seq {seq}: {saved}");
    }
    let (status, _) = view(&app, &first, &attempt).await;
    assert_eq!(status, 200);
}
