//! An admin sends an automatically graded answer for review: it joins the grading queue (blind,
//! with the candidate's answer and the key), the attempt waits for grading meanwhile (release
//! "after grading" holds it back), and the graders' final mark replaces the automatic points.

use chrono::Utc;
use reqwest::Client;
use serde_json::{Value, json};

use crate::grading::{grader, take_answering};
use crate::helpers::{
    ExamOrg, TestApp, exam_org_with, get, id, post, put, reason, send, spawn_app, start,
};
use crate::results::{outbox, run_jobs_at};

/// Candidate `i` takes `exam`: the single choice right (乙, 3 points) and `blank` in the fill
/// blank (key `SECRET-BLANK`). Answers the attempt id and the candidate.
async fn take(app: &TestApp, org: &ExamOrg, i: usize, exam: &str, blank: &str) -> (String, Client) {
    let answer = json!({ "type": "fill_blank", "blanks": [blank] });
    take_answering(app, org, i, exam, "fill_blank", answer).await
}

fn review_path(exam: &str, attempt: &str, question: &str) -> String {
    format!("/api/exams/{exam}/attempts/{attempt}/questions/{question}/review")
}

/// The score sheet's item of `question`.
async fn sheet_item(app: &TestApp, org: &ExamOrg, exam: &str, attempt: &str, q: &str) -> Value {
    let path = format!("/api/exams/{exam}/attempts/{attempt}/score-sheet");
    let (status, sheet) = get(app, &org.owner, &path).await;
    assert_eq!(status, 200, "{sheet}");
    sheet["items"]
        .as_array()
        .and_then(|items| items.iter().find(|i| i["question_id"] == q))
        .cloned()
        .unwrap_or_else(|| panic!("no item {q} in {sheet}"))
}

/// The exam's results table (optionally filtered by grading state).
async fn results(app: &TestApp, org: &ExamOrg, exam: &str, filter: &str) -> Value {
    let (status, page) = get(
        app,
        &org.owner,
        &format!("/api/exams/{exam}/results{filter}"),
    )
    .await;
    assert_eq!(status, 200, "{page}");
    page
}

#[tokio::test]
async fn an_answer_sent_for_review_is_marked_blind_and_replaces_the_automatic_points() {
    let app = spawn_app().await;
    let org = exam_org_with(&app, "rev", &["single_choice", "fill_blank"]).await;
    let exam = org
        .exam(
            &app,
            json!({ "pass_mark": 4, "release_policy": "after_grading" }),
        )
        .await;
    let (status, body) = send(
        &app,
        &org.owner,
        reqwest::Method::PATCH,
        &format!("/api/candidates/{}", org.candidates[0]),
        json!({ "email": "stu-rev-0@example.com" }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    // The key did not foresee 北京: 3 of 6 points, failed, graded and released at once.
    let (attempt, cand) = take(&app, &org, 0, &exam, "北京").await;
    run_jobs_at(&app, Utc::now());
    let (_, mine) = get(&app, &cand, "/api/candidate/results").await;
    assert_eq!(mine[0]["score"], 3.0, "{mine}");
    let changed_before = outbox(&app, "result_changed");
    let blank = org.question("fill_blank").to_owned();
    let path = review_path(&exam, &attempt, &blank);

    let (status, item) = post(
        &app,
        &org.owner,
        &path,
        json!({ "reason": "  答案“北京”也应得分  " }),
    )
    .await;
    assert_eq!(status, 201, "{item}");
    assert_eq!(item["origin"], "review", "{item}");
    assert_eq!(item["status"], "open", "{item}");
    assert_eq!(item["question_id"], blank.as_str(), "{item}");
    assert_eq!(item["max_points"], 3.0, "{item}");
    assert!(item.get("part").is_none(), "{item}");
    assert_eq!(item["anonymous_code"].as_str().map(str::len), Some(9));
    // Once per question of the submission.
    let (status, again) = post(&app, &org.owner, &path, json!({ "reason": "再次" })).await;
    assert_eq!(
        (status, reason(&again)),
        (409, "already_in_review".to_owned())
    );

    // While it is open the attempt waits for grading, and "after grading" holds it back.
    let page = results(&app, &org, &exam, "").await;
    assert_eq!(page["rows"][0]["grading"], "pending", "{page}");
    assert_eq!(page["rows"][0]["released"], false, "{page}");
    let pending = results(&app, &org, &exam, "?grading=pending").await;
    assert_eq!(
        pending["rows"].as_array().map(Vec::len),
        Some(1),
        "{pending}"
    );
    let graded = results(&app, &org, &exam, "?grading=graded").await;
    assert_eq!(graded["rows"].as_array().map(Vec::len), Some(0), "{graded}");
    let (_, mine) = get(&app, &cand, "/api/candidate/results").await;
    assert_eq!(mine.as_array().map(Vec::len), Some(0), "{mine}");
    let row = sheet_item(&app, &org, &exam, &attempt, &blank).await;
    assert_eq!(row["review"], "in_review", "{row}");
    assert_eq!(row["earned"], 0.0, "{row}");
    // The question is the graders' now: no override meanwhile.
    let override_path = path.replace("/review", "/override");
    let (status, body) = put(
        &app,
        &org.owner,
        &override_path,
        json!({ "points": 3, "reason": "直接给分" }),
    )
    .await;
    assert_eq!((status, reason(&body)), (409, "in_review".to_owned()));

    // The grader finds the exam and the item: blind, the answer as given, the key.
    let (_, marker) = grader(&app, &org, "rev-grader").await;
    let (status, exams) = get(&app, &marker, "/api/grading/exams").await;
    assert_eq!(status, 200, "{exams}");
    assert_eq!(exams[0]["id"], exam.as_str(), "{exams}");
    assert_eq!(exams[0]["attempts_waiting"], 1, "{exams}");
    let (status, task) = post(
        &app,
        &marker,
        &format!("/api/exams/{exam}/grading/next"),
        json!({}),
    )
    .await;
    assert_eq!(status, 200, "{task}");
    assert_eq!(task["item"]["id"], item["id"], "{task}");
    assert_eq!(task["item"]["origin"], "review", "{task}");
    assert_eq!(task["answer"], "北京", "{task}");
    assert_eq!(task["answer_value"]["blanks"][0], "北京", "{task}");
    assert_eq!(task["key"], "SECRET-BLANK", "{task}");
    let text = task.to_string();
    assert!(!text.contains("学生0"), "{task}");
    assert!(!text.contains(&org.candidates[0]), "{task}");
    assert!(!text.contains(&attempt), "{task}");

    let (status, marked) = put(
        &app,
        &marker,
        &format!("/api/grading/items/{}/mark", id(&item)),
        json!({ "points": 3, "comment": "同义答案，给满分" }),
    )
    .await;
    assert_eq!(status, 200, "{marked}");
    assert_eq!(marked["item"]["status"], "done", "{marked}");

    // The mark replaced the automatic 0: 6 of 6, passed, graded and released again.
    let page = results(&app, &org, &exam, "?grading=graded").await;
    let row = &page["rows"][0];
    assert_eq!(
        (
            row["score"].as_f64(),
            row["passed"].as_bool(),
            row["grading"].as_str()
        ),
        (Some(6.0), Some(true), Some("graded")),
        "{page}"
    );
    let item_row = sheet_item(&app, &org, &exam, &attempt, &blank).await;
    assert_eq!(item_row["review"], "reviewed", "{item_row}");
    assert_eq!(item_row["earned"], 3.0, "{item_row}");
    assert_eq!(
        item_row["comments"][0]["comment"], "同义答案，给满分",
        "{item_row}"
    );
    let (_, sheet) = get(
        &app,
        &org.owner,
        &format!("/api/exams/{exam}/attempts/{attempt}/score-sheet"),
    )
    .await;
    assert_eq!(
        (sheet["score"].as_f64(), sheet["passed"].as_bool()),
        (Some(6.0), Some(true))
    );
    let (_, mine) = get(&app, &cand, "/api/candidate/results").await;
    assert_eq!(mine[0]["score"], 6.0, "{mine}");
    // The candidate, told 3 points before, is told the result changed.
    run_jobs_at(&app, Utc::now());
    assert_eq!(outbox(&app, "result_changed"), changed_before + 1);

    let (_, audit) = get(&app, &org.owner, "/api/audit?action=attempt.review_request").await;
    let entries = audit["entries"].as_array().expect("entries");
    assert_eq!(entries.len(), 1, "{audit}");
    let logged = audit.to_string();
    assert!(logged.contains("答案“北京”也应得分"), "{audit}");
    assert!(logged.contains(&blank), "{audit}");
    let (_, audit) = get(&app, &org.owner, "/api/audit?action=grading.mark").await;
    assert_eq!(
        audit["entries"].as_array().map(Vec::len),
        Some(1),
        "{audit}"
    );
    // Decided, it is still the one review of this question.
    let (status, again) = post(&app, &org.owner, &path, json!({ "reason": "再次" })).await;
    assert_eq!(
        (status, reason(&again)),
        (409, "already_in_review".to_owned())
    );

    // The later act wins: an override after the decision replaces the graders' mark.
    let (status, changed) = put(
        &app,
        &org.owner,
        &override_path,
        json!({ "points": 1, "reason": "部分得分" }),
    )
    .await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(
        (
            changed["before"].as_f64(),
            changed["automatic"].as_f64(),
            changed["score"].as_f64()
        ),
        (Some(3.0), Some(0.0), Some(4.0))
    );
    let item_row = sheet_item(&app, &org, &exam, &attempt, &blank).await;
    assert!(item_row.get("review").is_none(), "{item_row}");
    assert_eq!(item_row["earned"], 1.0, "{item_row}");
}

#[tokio::test]
async fn a_review_after_an_override_replaces_it_and_re_grading_skips_the_question() {
    let app = spawn_app().await;
    let org = exam_org_with(&app, "rvo", &["single_choice", "fill_blank"]).await;
    let exam = org
        .exam(&app, json!({ "release_policy": "immediately" }))
        .await;
    let (attempt, _) = take(&app, &org, 0, &exam, "北京").await;
    let blank = org.question("fill_blank").to_owned();
    let path = review_path(&exam, &attempt, &blank);
    let (status, body) = put(
        &app,
        &org.owner,
        &path.replace("/review", "/override"),
        json!({ "points": 1, "reason": "先给部分分" }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (status, item) = post(&app, &org.owner, &path, json!({ "reason": "请阅卷组复核" })).await;
    assert_eq!(status, 201, "{item}");
    // Meanwhile the override's points stand.
    let row = sheet_item(&app, &org, &exam, &attempt, &blank).await;
    assert_eq!(
        (row["earned"].as_f64(), row["review"].as_str()),
        (Some(1.0), Some("in_review"))
    );

    let (_, marker) = grader(&app, &org, "rvo-grader").await;
    let (status, marked) = put(
        &app,
        &marker,
        &format!("/api/grading/items/{}/mark", id(&item)),
        json!({ "points": 2.5 }),
    )
    .await;
    assert_eq!(status, 200, "{marked}");
    let row = sheet_item(&app, &org, &exam, &attempt, &blank).await;
    assert_eq!(
        (row["earned"].as_f64(), row["review"].as_str()),
        (Some(2.5), Some("reviewed"))
    );
    let page = results(&app, &org, &exam, "").await;
    assert_eq!(page["rows"][0]["score"], 5.5, "{page}");

    // A corrected key would give 北京 full points, but the graders' mark stands: a re-grade
    // finds nothing to change.
    let (status, edited) = put(
        &app,
        &org.owner,
        &format!("/api/questions/{blank}"),
        json!({ "content": { "type": "fill_blank", "stem": "<p>首都是{{1}}</p>",
                "blanks": [{ "answers": ["SECRET-BLANK", "北京"] }] },
                "points": 3, "difficulty": 2 }),
    )
    .await;
    assert_eq!(status, 200, "{edited}");
    let (status, preview) = get(&app, &org.owner, &format!("/api/questions/{blank}/regrade")).await;
    assert_eq!(status, 200, "{preview}");
    assert_eq!(
        (preview["examined"].as_u64(), preview["changed"].as_u64()),
        (Some(1), Some(0)),
        "{preview}"
    );
}

#[tokio::test]
async fn review_requests_are_checked() {
    let app = spawn_app().await;
    let org = exam_org_with(&app, "rvc", &["single_choice", "fill_blank", "essay"]).await;
    let exam = org.exam(&app, json!({})).await;
    let other_exam = org.exam(&app, json!({})).await;
    let (attempt, cand) = take(&app, &org, 0, &exam, "北京").await;
    let blank = org.question("fill_blank").to_owned();
    let path = review_path(&exam, &attempt, &blank);
    let body = json!({ "reason": "复核" });

    for (input, why) in [
        (json!({ "reason": "   " }), "required"),
        (json!({ "reason": "长".repeat(501) }), "too_long"),
    ] {
        let (status, answer) = post(&app, &org.owner, &path, input).await;
        assert_eq!(status, 422, "{answer}");
        assert_eq!(
            answer["details"]["fields"][0]["field"], "reason",
            "{answer}"
        );
        assert_eq!(answer["details"]["fields"][0]["reason"], why, "{answer}");
    }
    let (status, answer) = post(&app, &org.owner, &path, json!({})).await;
    assert!(matches!(status, 400 | 422), "{answer}");
    // An essay is the graders' already.
    let essay = review_path(&exam, &attempt, org.question("essay"));
    let (status, answer) = post(&app, &org.owner, &essay, body.clone()).await;
    assert_eq!(status, 422, "{answer}");
    assert_eq!(answer["details"]["fields"][0]["reason"], "manual_question");

    let unknown = uuid::Uuid::now_v7().to_string();
    for path in [
        review_path(&exam, &attempt, &unknown),
        review_path(&exam, &unknown, &blank),
        review_path(&unknown, &attempt, &blank),
        review_path(&other_exam, &attempt, &blank),
    ] {
        let (status, answer) = post(&app, &org.owner, &path, body.clone()).await;
        assert_eq!(status, 404, "{path}: {answer}");
    }
    // An attempt still in progress.
    let cand1 = org.candidate(&app, 1).await;
    let (status, running) = start(&app, &cand1, &exam).await;
    assert_eq!(status, 201, "{running}");
    let (status, answer) = post(
        &app,
        &org.owner,
        &review_path(&exam, &id(&running), &blank),
        body.clone(),
    )
    .await;
    assert_eq!(
        (status, reason(&answer)),
        (409, "attempt_not_finished".to_owned())
    );
    // Candidates and graders cannot.
    assert_eq!(post(&app, &cand, &path, body.clone()).await.0, 401);
    let (_, marker) = grader(&app, &org, "rvc-grader").await;
    assert_eq!(post(&app, &marker, &path, body.clone()).await.0, 403);
    // Nothing was made by the refused requests.
    let (_, audit) = get(&app, &org.owner, "/api/audit?action=attempt.review_request").await;
    assert_eq!(
        audit["entries"].as_array().map(Vec::len),
        Some(0),
        "{audit}"
    );

    // With an essay waiting, the review joins the essay's items under one anonymous code and
    // the attempt is graded only once both are decided.
    let (status, item) = post(&app, &org.owner, &path, body).await;
    assert_eq!(status, 201, "{item}");
    let (status, page) = get(&app, &marker, &format!("/api/exams/{exam}/grading/items")).await;
    assert_eq!(status, 200, "{page}");
    let items = page["items"].as_array().expect("items");
    assert_eq!(items.len(), 2, "{page}");
    assert_eq!(
        items[0]["anonymous_code"], items[1]["anonymous_code"],
        "{page}"
    );
    let mut origins: Vec<&str> = items.iter().filter_map(|i| i["origin"].as_str()).collect();
    origins.sort_unstable();
    assert_eq!(origins, ["essay", "review"], "{page}");
    let (status, _) = put(
        &app,
        &marker,
        &format!("/api/grading/items/{}/mark", id(&item)),
        json!({ "points": 3 }),
    )
    .await;
    assert_eq!(status, 200);
    let page = results(&app, &org, &exam, "").await;
    assert_eq!(page["rows"][0]["grading"], "pending", "{page}");
    let essay_item = items
        .iter()
        .find(|i| i["origin"] == "essay")
        .map(id)
        .expect("essay item");
    let (status, marked) = put(
        &app,
        &marker,
        &format!("/api/grading/items/{essay_item}/mark"),
        json!({ "points": 1.2, "rubric": [2] }),
    )
    .await;
    assert_eq!(status, 200, "{marked}");
    // 3 (single choice) + 3 (reviewed blank) + 2 of 5 on the rubric scaled to 3 points (1.2).
    let page = results(&app, &org, &exam, "").await;
    assert_eq!(page["rows"][0]["grading"], "graded", "{page}");
    assert_eq!(page["rows"][0]["score"], 7.2, "{page}");
}
