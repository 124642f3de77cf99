//! Manual grading: blind marking by several graders with an arbiter beyond the tolerance, the
//! attempt's score once its last item is decided, leases, marks checked against the item and
//! its rubric, progress, the audit log, and who may mark.

use reqwest::Client;
use serde_json::{Value, json};

use crate::helpers::{
    ExamOrg, PASSWORD, TestApp, cookie_client, delete, exam_org_with, get, id, label_of, post, put,
    reason, save, send, spawn_app, start, submit,
};

/// A grader of the organisation, signed in.
pub(crate) async fn grader(app: &TestApp, org: &ExamOrg, account: &str) -> (String, Client) {
    let (status, user) = post(
        app,
        &org.owner,
        "/api/org/users",
        json!({ "login_account": account, "display_name": "阅卷老师", "password": PASSWORD,
                "role": "grader" }),
    )
    .await;
    assert_eq!(status, 201, "{user}");
    let client = cookie_client();
    let (status, body) = post(
        app,
        &client,
        "/api/auth/login",
        json!({ "identifier": account, "password": PASSWORD }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    (id(&user), client)
}

/// Candidate `i` takes `exam`: the single choice right (乙) and `essay` as the essay.
async fn take(app: &TestApp, org: &ExamOrg, i: usize, exam: &str, essay: &str) -> String {
    let answer = json!({ "type": "essay", "text": essay });
    take_answering(app, org, i, exam, "essay", answer).await.0
}

/// Candidate `i` takes `exam`: the single choice right (乙) and `answer` to the question of
/// type `kind`, then submits. Answers the attempt id and the candidate.
pub(crate) async fn take_answering(
    app: &TestApp,
    org: &ExamOrg,
    i: usize,
    exam: &str,
    kind: &str,
    answer: Value,
) -> (String, Client) {
    let cand = org.candidate(app, i).await;
    let (status, attempt) = start(app, &cand, exam).await;
    assert_eq!(status, 201, "{attempt}");
    let single = org.question("single_choice");
    let choice = label_of(&attempt, single, "乙");
    let attempt = id(&attempt);
    let answer_single = json!({ "type": "single_choice", "choice": choice });
    assert_eq!(
        save(app, &cand, &attempt, single, answer_single, 1).await.0,
        200
    );
    let (status, body) = save(app, &cand, &attempt, org.question(kind), answer, 2).await;
    assert_eq!(status, 200, "{body}");
    let (status, receipt) = submit(app, &cand, &attempt).await;
    assert_eq!(status, 200, "{receipt}");
    (attempt, cand)
}

async fn next(app: &TestApp, grader: &Client, exam: &str) -> (u16, Value) {
    post(
        app,
        grader,
        &format!("/api/exams/{exam}/grading/next"),
        json!({}),
    )
    .await
}

async fn mark(app: &TestApp, grader: &Client, item: &str, body: Value) -> (u16, Value) {
    put(
        app,
        grader,
        &format!("/api/grading/items/{item}/mark"),
        body,
    )
    .await
}

/// The owner's view of the candidate's attempt at the exam (status and score).
async fn attempt_of(app: &TestApp, org: &ExamOrg, exam: &str, attempt: &str) -> Value {
    let (status, list) = get(app, &org.owner, &format!("/api/exams/{exam}/attempts")).await;
    assert_eq!(status, 200, "{list}");
    list.as_array()
        .and_then(|l| l.iter().find(|a| a["id"] == attempt))
        .cloned()
        .unwrap_or_else(|| panic!("attempt {attempt} not listed: {list}"))
}

#[tokio::test]
async fn two_graders_mark_blind_and_a_disagreement_goes_to_the_arbiter() {
    let app = spawn_app().await;
    let org = exam_org_with(&app, "grade", &["single_choice", "essay"]).await;
    let exam = org
        .exam(&app, json!({ "release_policy": "after_grading" }))
        .await;
    let (status, marking) = put(
        &app,
        &org.owner,
        &format!("/api/exams/{exam}/marking"),
        json!({ "graders_per_answer": 2, "tolerance": 0.5 }),
    )
    .await;
    assert_eq!(status, 200, "{marking}");
    let attempt = take(&app, &org, 0, &exam, "秦统一六国的意义").await;
    assert_eq!(
        attempt_of(&app, &org, &exam, &attempt).await["status"],
        "submitted"
    );

    let (first_id, first) = grader(&app, &org, "grader1").await;
    let (_, second) = grader(&app, &org, "grader2").await;
    let (_, arbiter) = grader(&app, &org, "grader3").await;
    // Graders find the exam through the grading list (they cannot list exams).
    assert_eq!(get(&app, &first, "/api/exams").await.0, 403);
    let (status, waiting) = get(&app, &first, "/api/grading/exams").await;
    assert_eq!(status, 200, "{waiting}");
    assert_eq!(waiting[0]["id"], exam.as_str(), "{waiting}");
    assert_eq!(waiting[0]["attempts_waiting"], 1, "{waiting}");
    // Graders still see nothing else of the console.
    assert_eq!(get(&app, &first, "/api/candidates").await.0, 403);

    let (status, task) = next(&app, &first, &exam).await;
    assert_eq!(status, 200, "{task}");
    let item = task["item"]["id"].as_str().expect("item id").to_owned();
    assert_eq!(task["answer"], "秦统一六国的意义", "{task}");
    assert_eq!(task["rubric"][0]["points"], 5.0, "{task}");
    assert_eq!(task["item"]["max_points"], 3.0, "{task}");
    // Blind: nothing names the candidate or their attempt.
    let text = task.to_string();
    for personal in [
        "学生0",
        "stu-grade-0",
        org.candidates[0].as_str(),
        attempt.as_str(),
    ] {
        assert!(
            !text.contains(personal),
            "{personal} shown to a grader: {text}"
        );
    }
    let code = task["item"]["anonymous_code"].as_str().expect("code");
    assert_eq!(code.len(), 9, "{code}");

    // Held by the first grader: nothing for the second meanwhile.
    assert_eq!(next(&app, &second, &exam).await.0, 204);
    let (status, marked) = mark(&app, &second, &item, json!({ "points": 1 })).await;
    assert_eq!(status, 409, "{marked}");
    assert_eq!(reason(&marked), "item_leased");

    let (status, marked) = mark(
        &app,
        &first,
        &item,
        json!({ "points": 3, "rubric": [5], "comment": "论述完整" }),
    )
    .await;
    assert_eq!(status, 200, "{marked}");
    assert_eq!(marked["item"]["status"], "open", "{marked}");
    assert_eq!(marked["item"]["marks_given"], 1);
    // A grader gets no second look at an item they marked.
    assert_eq!(next(&app, &first, &exam).await.0, 204);

    // Independent marking: the second grader does not see the first mark.
    let (status, task) = next(&app, &second, &exam).await;
    assert_eq!(status, 200, "{task}");
    assert_eq!(task["item"]["id"], item.as_str());
    assert_eq!(task["other_marks"], json!([]), "{task}");
    let (status, marked) = mark(&app, &second, &item, json!({ "points": 1 })).await;
    assert_eq!(status, 200, "{marked}");
    assert_eq!(marked["item"]["status"], "arbitration", "{marked}");
    let (status, body) = mark(&app, &first, &item, json!({ "points": 2 })).await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(reason(&body), "awaiting_arbiter");
    assert_eq!(
        attempt_of(&app, &org, &exam, &attempt).await["status"],
        "submitted"
    );

    // The arbiter sees both marks and decides.
    let (status, task) = next(&app, &arbiter, &exam).await;
    assert_eq!(status, 200, "{task}");
    assert_eq!(task["item"]["status"], "arbitration");
    assert_eq!(
        task["other_marks"].as_array().map(Vec::len),
        Some(2),
        "{task}"
    );
    let (status, decided) = mark(&app, &arbiter, &item, json!({ "points": 2.5 })).await;
    assert_eq!(status, 200, "{decided}");
    assert_eq!(decided["item"]["status"], "done");
    assert_eq!(decided["item"]["final_points"], 2.5);

    // The attempt is graded: 3 (single choice) + 2.5, and released after grading.
    let graded = attempt_of(&app, &org, &exam, &attempt).await;
    assert_eq!(graded["status"], "graded", "{graded}");
    assert_eq!(graded["score"], 5.5, "{graded}");
    let cand = org.candidate(&app, 0).await;
    let (_, mine) = get(&app, &cand, "/api/candidate/exams").await;
    let listed = mine
        .as_array()
        .and_then(|l| l.iter().find(|e| e["id"] == exam.as_str()))
        .cloned()
        .unwrap_or_else(|| panic!("{mine}"));
    assert_eq!(listed["score"], 5.5, "{listed}");

    let (status, progress) = get(
        &app,
        &org.owner,
        &format!("/api/exams/{exam}/grading/progress"),
    )
    .await;
    assert_eq!(status, 200, "{progress}");
    assert_eq!(progress["total"], 1);
    assert_eq!(progress["done"], 1);
    assert_eq!(progress["attempts_waiting"], 0);
    let (_, waiting) = get(&app, &first, "/api/grading/exams").await;
    assert_eq!(waiting, json!([]), "graded: nothing waits");
    assert_eq!(
        progress["graders"].as_array().map(Vec::len),
        Some(3),
        "{progress}"
    );
    let (status, page) = get(
        &app,
        &org.owner,
        &format!("/api/exams/{exam}/grading/items?grader_id={first_id}&status=done"),
    )
    .await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["total"], 1, "{page}");

    // Every mark is in the audit log, the arbitration apart.
    let (_, audit) = get(&app, &org.owner, "/api/audit?action=grading.mark").await;
    assert_eq!(
        audit["entries"].as_array().map(Vec::len),
        Some(2),
        "{audit}"
    );
    let (_, audit) = get(&app, &org.owner, "/api/audit?action=grading.arbitrate").await;
    let entry = &audit["entries"][0];
    assert_eq!(entry["details"]["final_points"], 2.5, "{audit}");
    assert_eq!(entry["details"]["attempt_score"], 5.5, "{audit}");
}

#[tokio::test]
async fn marks_are_checked_against_the_items_points_and_the_rubric() {
    let app = spawn_app().await;
    let org = exam_org_with(&app, "checks", &["single_choice", "essay"]).await;
    let exam = org.exam(&app, json!({})).await;
    let attempt = take(&app, &org, 0, &exam, "答案").await;
    let (_, g) = grader(&app, &org, "grader1").await;
    let (status, task) = next(&app, &g, &exam).await;
    assert_eq!(status, 200, "{task}");
    let item = task["item"]["id"].as_str().expect("id").to_owned();
    for (body, field, why) in [
        (json!({ "points": 3.5 }), "points", "out_of_range"),
        (json!({ "points": -1 }), "points", "out_of_range"),
        (json!({ "points": 1.005 }), "points", "out_of_range"),
        (
            json!({ "points": 1, "rubric": [6] }),
            "rubric",
            "out_of_range",
        ),
        (
            json!({ "points": 1, "rubric": [5] }),
            "rubric",
            "rubric_mismatch",
        ),
        (
            json!({ "points": 1, "comment": "长".repeat(5001) }),
            "comment",
            "too_long",
        ),
    ] {
        let (status, refused) = mark(&app, &g, &item, body.clone()).await;
        assert_eq!(status, 422, "{body}: {refused}");
        assert_eq!(refused["details"]["fields"][0]["field"], field, "{refused}");
        assert_eq!(refused["details"]["fields"][0]["reason"], why, "{refused}");
    }
    // One mark is enough here: the item is decided and the attempt graded at once.
    let (status, marked) = mark(&app, &g, &item, json!({ "points": 1.8, "rubric": [3] })).await;
    assert_eq!(status, 200, "{marked}");
    assert_eq!(marked["item"]["final_points"], 1.8);
    assert_eq!(attempt_of(&app, &org, &exam, &attempt).await["score"], 4.8);
    // Once the attempt is graded, no mark changes it silently, not even the deciding one.
    let (status, body) = mark(&app, &g, &item, json!({ "points": 2 })).await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(reason(&body), "item_done");
    assert_eq!(attempt_of(&app, &org, &exam, &attempt).await["score"], 4.8);
    let (_, other) = grader(&app, &org, "grader2").await;
    let (status, body) = mark(&app, &other, &item, json!({ "points": 0 })).await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(reason(&body), "item_done");
}

#[tokio::test]
async fn only_people_with_grading_may_mark_and_items_can_be_given_back() {
    let app = spawn_app().await;
    let org = exam_org_with(&app, "who", &["essay"]).await;
    let exam = org.exam(&app, json!({ "pass_mark": 0 })).await;
    take_essay_only(&app, &org, &exam).await;
    // An admin without `grading` cannot; an API key reads the queue but never marks.
    let (_, admin) = app
        .create_admin(&org.owner, "examadmin", &["exams:write"])
        .await;
    assert_eq!(next(&app, &admin, &exam).await.0, 403);
    let (_, key) = app.create_api_key(&org.owner, &["grading:read"]).await;
    let keyed = reqwest::Client::new();
    let response = keyed
        .get(app.url(&format!("/api/exams/{exam}/grading/items")))
        .bearer_auth(&key)
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 200);
    let page: Value = response.json().await.expect("json");
    assert_eq!(page["total"], 1, "{page}");
    let item = page["items"][0]["id"].as_str().expect("id").to_owned();
    let response = keyed
        .put(app.url(&format!("/api/grading/items/{item}/mark")))
        .bearer_auth(&key)
        .json(&json!({ "points": 1 }))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 403);

    // A grader who gives an item back frees it for another at once.
    let (_, first) = grader(&app, &org, "grader1").await;
    let (_, second) = grader(&app, &org, "grader2").await;
    assert_eq!(next(&app, &first, &exam).await.0, 200);
    assert_eq!(next(&app, &second, &exam).await.0, 204);
    let (status, _) = delete(&app, &first, &format!("/api/grading/items/{item}/lease")).await;
    assert_eq!(status, 204);
    assert_eq!(next(&app, &second, &exam).await.0, 200);
    // Unknown exams and items are 404.
    let nobody = uuid::Uuid::now_v7();
    assert_eq!(next(&app, &second, &nobody.to_string()).await.0, 404);
    assert_eq!(
        get(&app, &second, &format!("/api/grading/items/{nobody}"))
            .await
            .0,
        404
    );
}

/// Candidate 0 answers the essay-only exam and submits.
async fn take_essay_only(app: &TestApp, org: &ExamOrg, exam: &str) {
    let cand = org.candidate(app, 0).await;
    let (status, attempt) = start(app, &cand, exam).await;
    assert_eq!(status, 201, "{attempt}");
    let attempt = id(&attempt);
    let answer = json!({ "type": "essay", "text": "文" });
    let (status, body) = save(app, &cand, &attempt, org.question("essay"), answer, 1).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(submit(app, &cand, &attempt).await.0, 200);
}

#[tokio::test]
async fn graders_limited_to_questions_or_groups_get_only_those_items() {
    let app = spawn_app().await;
    let org = exam_org_with(&app, "limits", &["single_choice", "essay"]).await;
    let exam = org.exam(&app, json!({ "pass_mark": 0 })).await;
    let class = app.create_group(&org.owner, "一班").await;
    let (status, body) = send(
        &app,
        &org.owner,
        reqwest::Method::PATCH,
        &format!("/api/candidates/{}", org.candidates[0]),
        json!({ "group_ids": [class] }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    take(&app, &org, 0, &exam, "一班的作答").await;
    take(&app, &org, 1, &exam, "别班的作答").await;
    let (in_class_id, in_class) = grader(&app, &org, "classgrader").await;
    let (other_q_id, other_q) = grader(&app, &org, "choicegrader").await;
    let (_, free) = grader(&app, &org, "freegrader").await;
    let marking = format!("/api/exams/{exam}/marking");

    // Bad limits are refused whole, naming the field.
    let nobody = uuid::Uuid::now_v7().to_string();
    for (limits, field, why) in [
        (
            json!([{ "user_id": "x" }]),
            "limits[0].user_id",
            "invalid_format",
        ),
        (
            json!([{ "user_id": nobody }]),
            "limits[0].user_id",
            "not_found",
        ),
        (
            json!([{ "user_id": in_class_id, "group_ids": [nobody] }]),
            "limits[0].group_ids",
            "not_found",
        ),
        (
            json!([{ "user_id": in_class_id, "question_ids": [nobody] }]),
            "limits[0].question_ids",
            "not_found",
        ),
        (
            json!([{ "user_id": in_class_id }, { "user_id": in_class_id }]),
            "limits[1].user_id",
            "duplicate",
        ),
    ] {
        let (status, body) = put(
            &app,
            &org.owner,
            &marking,
            json!({ "graders_per_answer": 1, "tolerance": 0, "limits": limits }),
        )
        .await;
        assert_eq!(status, 422, "{body}");
        let first = &body["details"]["fields"][0];
        assert_eq!(
            (first["field"].as_str(), first["reason"].as_str()),
            (Some(field), Some(why)),
            "{body}"
        );
    }
    let limits = json!([
        { "user_id": in_class_id, "group_ids": [class] },
        { "user_id": other_q_id, "question_ids": [org.question("single_choice")] },
    ]);
    let (status, body) = put(
        &app,
        &org.owner,
        &marking,
        json!({ "graders_per_answer": 1, "tolerance": 0, "limits": limits }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["limits"].as_array().map(Vec::len), Some(2), "{body}");
    let (_, read) = get(&app, &org.owner, &marking).await;
    assert_eq!(read, body);

    // The class's grader sees and gets only the class's candidate's answer.
    let (status, page) = get(&app, &in_class, &format!("/api/exams/{exam}/grading/items")).await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["total"], 1, "{page}");
    let (status, task) = next(&app, &in_class, &exam).await;
    assert_eq!(status, 200, "{task}");
    assert_eq!(task["answer"], "一班的作答");
    let (status, body) = mark(
        &app,
        &in_class,
        task["item"]["id"].as_str().unwrap_or_default(),
        json!({ "points": 1 }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(next(&app, &in_class, &exam).await.0, 204);

    // The grader limited to another question gets nothing here, and cannot open or mark the
    // item an unlimited grader holds.
    assert_eq!(next(&app, &other_q, &exam).await.0, 204);
    let (_, page) = get(&app, &other_q, &format!("/api/exams/{exam}/grading/items")).await;
    assert_eq!(page["total"], 0, "{page}");
    let (status, task) = next(&app, &free, &exam).await;
    assert_eq!(status, 200, "{task}");
    assert_eq!(task["answer"], "别班的作答");
    let item = task["item"]["id"].as_str().unwrap_or_default().to_owned();
    assert_eq!(
        get(&app, &other_q, &format!("/api/grading/items/{item}"))
            .await
            .0,
        403
    );
    assert_eq!(
        mark(&app, &other_q, &item, json!({ "points": 1 })).await.0,
        403
    );
    assert_eq!(
        mark(&app, &in_class, &item, json!({ "points": 1 })).await.0,
        403
    );
    assert_eq!(
        mark(&app, &free, &item, json!({ "points": 2 })).await.0,
        200
    );

    // Lifting the limits (an empty list) frees everyone again.
    let (status, body) = put(
        &app,
        &org.owner,
        &marking,
        json!({ "graders_per_answer": 1, "tolerance": 0 }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["limits"], json!([]));
    let (_, page) = get(&app, &other_q, &format!("/api/exams/{exam}/grading/items")).await;
    assert_eq!(page["total"], 2, "{page}");
}
