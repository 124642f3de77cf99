//! Exams and attempts: creation and assignment, the attempt lifecycle end to end, answers
//! ordered by `seq`, no answer keys in anything a candidate receives, the window, late entry
//! and attempt limits, grading, auto-submission by the job queue, and tenancy.

use chrono::{Duration, Utc};
use serde_json::{Value, json};

use crate::helpers::{
    answer_tf, assert_no_keys, at, exam_org, fields, get, id, label_of, post, put, reason,
    spawn_app, start, submit, view,
};

#[tokio::test]
async fn an_exam_runs_end_to_end_with_grading_a_receipt_and_no_answer_keys() {
    let app = spawn_app().await;
    let o = exam_org(&app, "e2e").await;
    let exam = o.exam(&app, json!({})).await;
    let (_, listed) = get(&app, &o.owner, &format!("/api/exams/{exam}")).await;
    assert_eq!(listed["assigned_count"], 2);

    let cand = o.candidate(&app, 0).await;
    let (status, exams) = get(&app, &cand, "/api/candidate/exams").await;
    assert_eq!(status, 200, "{exams}");
    assert_eq!(exams[0]["state"], "open");
    assert_eq!(exams[0]["attempts_left"], 1);

    let (status, attempt) = start(&app, &cand, &exam).await;
    assert_eq!(status, 201, "{attempt}");
    assert_no_keys(&attempt);
    assert_eq!(
        attempt["paper"]["sections"][0]["questions"]
            .as_array()
            .map(Vec::len),
        Some(8)
    );
    assert!(attempt["server_time"].is_string() && attempt["deadline"].is_string());
    let attempt_id = id(&attempt);
    // Starting again resumes the same attempt.
    let (status, again) = start(&app, &cand, &exam).await;
    assert_eq!(status, 200);
    assert_eq!(id(&again), attempt_id);
    let (_, exams) = get(&app, &cand, "/api/candidate/exams").await;
    assert_eq!(exams[0]["state"], "in_progress");

    // Choices are named by the labels this attempt's paper shows.
    let l = |kind: &str, text: &str| label_of(&attempt, o.question(kind), text);
    let answers = [
        (
            "single_choice",
            json!({ "type": "single_choice", "choice": l("single_choice", "乙") }),
        ),
        (
            "multiple_choice",
            json!({ "type": "multiple_choice", "choices": [l("multiple_choice", "甲")] }),
        ),
        ("true_false", answer_tf(true)),
        (
            "fill_blank",
            json!({ "type": "fill_blank", "blanks": [" secret-blank "] }),
        ),
        ("essay", json!({ "type": "essay", "text": "我的论述" })),
        (
            "ordering",
            json!({ "type": "ordering", "order": [l("ordering", "秦"), l("ordering", "汉"), l("ordering", "唐")] }),
        ),
        (
            "matching",
            json!({ "type": "matching", "pairs": {
                l("matching", "H2O"): l("matching", "水"), l("matching", "NaCl"): l("matching", "水") } }),
        ),
        (
            "composite",
            json!({ "type": "composite", "parts": [{ "type": "fill_blank", "blanks": ["SECRET-PART"] }] }),
        ),
    ];
    for (kind, answer) in &answers {
        let path = format!(
            "/api/candidate/attempts/{attempt_id}/answers/{}",
            o.question(kind)
        );
        let (status, saved) = put(&app, &cand, &path, json!({ "answer": answer, "seq": 1 })).await;
        assert_eq!(status, 200, "{kind}: {saved}");
        assert_eq!(saved["applied"], true);
    }
    // A shape that does not fit the question is refused.
    let path = format!(
        "/api/candidate/attempts/{attempt_id}/answers/{}",
        o.question("true_false")
    );
    let (status, bad) = put(
        &app,
        &cand,
        &path,
        json!({ "answer": { "type": "essay", "text": "x" }, "seq": 9 }),
    )
    .await;
    assert_eq!(status, 422, "{bad}");

    let (status, view) = view(&app, &cand, &attempt_id).await;
    assert_eq!(status, 200);
    assert_no_keys(&json!({ "paper": view["paper"] }));
    assert_eq!(view["answers"].as_array().map(Vec::len), Some(8));

    let (status, receipt) = submit(&app, &cand, &attempt_id).await;
    assert_eq!(status, 200, "{receipt}");
    let hash = receipt["receipt"].as_str().expect("receipt");
    assert_eq!(hash.len(), 64);
    assert!(hash.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_eq!(receipt["answer_count"], 8);
    // The essay waits for a person; the rest: 3 + 1.5 + 3 + 3 + 3 + 1.5 + 3.
    assert_eq!(receipt["status"], "submitted");
    assert_eq!(receipt["score"], 18.0);
    // Score out of the paper's total; no verdict while the essay waits for a person.
    assert_eq!(receipt["max_score"], 24.0);
    assert!(receipt.get("passed").is_none(), "{receipt}");
    // Submitting again changes nothing and returns the same receipt.
    let (_, again) = submit(&app, &cand, &attempt_id).await;
    assert_eq!(again["receipt"], receipt["receipt"]);
    // Saves after submission are refused.
    let (status, late) = put(
        &app,
        &cand,
        &path,
        json!({ "answer": { "type": "true_false", "value": false }, "seq": 5 }),
    )
    .await;
    assert_eq!(status, 409, "{late}");
    assert_eq!(reason(&late), "attempt_submitted");
    let (_, attempts) = get(&app, &o.owner, &format!("/api/exams/{exam}/attempts")).await;
    assert_eq!(attempts[0]["needs_manual_grading"], true);
    assert_eq!(attempts[0]["auto_submitted"], false);
    assert_eq!(attempts[0]["max_score"], 24.0);

    // No attempts left.
    let (_, exams) = get(&app, &cand, "/api/candidate/exams").await;
    assert_eq!(exams[0]["score"], 18.0);
    assert_eq!(exams[0]["state"], "closed");
    assert_eq!(exams[0]["attempts_left"], 0);
    let (status, refused) = start(&app, &cand, &exam).await;
    assert_eq!(status, 409);
    assert_eq!(reason(&refused), "no_attempts_left");
}

#[tokio::test]
async fn saves_are_ordered_by_seq_and_a_replay_returns_the_same_result() {
    let app = spawn_app().await;
    let o = exam_org(&app, "seq").await;
    let exam = o.exam(&app, json!({})).await;
    let cand = o.candidate(&app, 0).await;
    let (_, attempt) = start(&app, &cand, &exam).await;
    let path = format!(
        "/api/candidate/attempts/{}/answers/{}",
        id(&attempt),
        o.question("single_choice")
    );
    let (a, b) = (
        label_of(&attempt, o.question("single_choice"), "甲"),
        label_of(&attempt, o.question("single_choice"), "乙"),
    );
    let save = |choice: &str, seq: u64| json!({ "answer": { "type": "single_choice", "choice": choice }, "seq": seq });
    let (_, first) = put(&app, &cand, &path, save(&a, 2)).await;
    assert_eq!(first["applied"], true);
    // The same save again (a retry after a lost response) answers exactly as before.
    let (status, replay) = put(&app, &cand, &path, save(&a, 2)).await;
    assert_eq!(status, 200);
    assert_eq!(replay, first);
    // An older save arriving late is ignored.
    let (status, old) = put(&app, &cand, &path, save(&b, 1)).await;
    assert_eq!(status, 200);
    assert_eq!(old["applied"], false);
    assert_eq!(old["answer"]["choice"], a.as_str());
    assert_eq!(old["seq"], 2);
    // An authored id is not a label of this attempt.
    let (status, authored) = put(&app, &cand, &path, save("B", 5)).await;
    assert_eq!(status, 422, "{authored}");
    let (_, newer) = put(&app, &cand, &path, save(&b, 3)).await;
    assert_eq!(newer["applied"], true);
    let (_, view) = view(&app, &cand, &id(&attempt)).await;
    assert_eq!(view["answers"][0]["answer"]["choice"], b.as_str());
    assert_eq!(view["answers"][0]["seq"], 3);
    // A question that is not on the paper is not found.
    let other = format!(
        "/api/candidate/attempts/{}/answers/0193a000-0000-7000-8000-000000000000",
        id(&attempt)
    );
    let (status, _) = put(&app, &cand, &other, save(&b, 4)).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn the_window_late_entry_attempt_limits_and_accommodations_are_enforced() {
    let app = spawn_app().await;
    let o = exam_org(&app, "win").await;
    let cand = o.candidate(&app, 0).await;
    let upcoming = o
        .exam(&app, json!({ "opens_at": at(30), "closes_at": at(90) }))
        .await;
    let (status, body) = start(&app, &cand, &upcoming).await;
    assert_eq!((status, reason(&body).as_str()), (409, "exam_not_open"));
    let closed = o
        .exam(&app, json!({ "opens_at": at(-90), "closes_at": at(-30) }))
        .await;
    let (status, body) = start(&app, &cand, &closed).await;
    assert_eq!((status, reason(&body).as_str()), (409, "exam_closed"));
    let late = o
        .exam(
            &app,
            json!({ "opens_at": at(-30), "late_entry_minutes": 10 }),
        )
        .await;
    let (status, body) = start(&app, &cand, &late).await;
    assert_eq!((status, reason(&body).as_str()), (409, "late_entry_over"));

    // Extra time and an extra attempt for this candidate.
    let exam = o
        .exam(
            &app,
            json!({ "closes_at": at(600), "duration_minutes": 60 }),
        )
        .await;
    let (status, acc) = put(
        &app,
        &o.owner,
        &format!("/api/exams/{exam}/assignments/{}", o.candidates[0]),
        json!({ "extra_minutes": 10, "extra_percent": 50, "extra_attempts": 1 }),
    )
    .await;
    assert_eq!(status, 200, "{acc}");
    let (status, first) = start(&app, &cand, &exam).await;
    assert_eq!(status, 201);
    let started =
        chrono::DateTime::parse_from_rfc3339(first["started_at"].as_str().expect("start"))
            .expect("time");
    let deadline =
        chrono::DateTime::parse_from_rfc3339(first["deadline"].as_str().expect("deadline"))
            .expect("time");
    assert_eq!((deadline - started).num_minutes(), 60 + 10 + 30);
    submit(&app, &cand, &id(&first)).await;
    let (status, second) = start(&app, &cand, &exam).await;
    assert_eq!(status, 201, "{second}");
    assert_eq!(second["number"], 2);
    submit(&app, &cand, &id(&second)).await;
    let (status, body) = start(&app, &cand, &exam).await;
    assert_eq!((status, reason(&body).as_str()), (409, "no_attempts_left"));

    // A deadline never passes the exam's close.
    let short = o
        .exam(&app, json!({ "closes_at": at(5), "duration_minutes": 60 }))
        .await;
    let (_, attempt) = start(&app, &cand, &short).await;
    let deadline =
        chrono::DateTime::parse_from_rfc3339(attempt["deadline"].as_str().expect("deadline"))
            .expect("time");
    assert!(deadline <= Utc::now() + Duration::minutes(5) + Duration::seconds(1));

    // Invalid settings name their fields.
    let (status, invalid) = post(&app, &o.owner, "/api/exams", json!({ "paper_id": "0193a000-0000-7000-8000-000000000000", "name": " ",
                "opens_at": at(10), "closes_at": at(5), "duration_minutes": 0, "attempts_allowed": 1,
                "scoring": "last", "release_policy": "at_time", "review_policy": "after_close" }))
    .await;
    assert_eq!(status, 422);
    let fields = fields(&invalid);
    for expected in [
        "name:required",
        "closes_at:before_opens_at",
        "duration_minutes:out_of_range",
        "release_at:required",
        "paper_id:not_found",
    ] {
        assert!(
            fields.iter().any(|f| f == expected),
            "{expected} missing from {fields:?}"
        );
    }
}

#[tokio::test]
async fn an_attempt_is_submitted_and_graded_at_its_deadline_by_the_job_queue() {
    let app = spawn_app().await;
    let o = exam_org(&app, "auto").await;
    // A paper of one true/false question, so the attempt is fully graded automatically.
    let paper = o.paper(&app, &["true_false"], false).await;
    let closes = (Utc::now() + Duration::seconds(3)).to_rfc3339();
    let exam = o
        .exam(
            &app,
            json!({ "paper_id": paper, "closes_at": closes, "pass_mark": 3 }),
        )
        .await;
    let cand = o.candidate(&app, 0).await;
    let (status, attempt) = start(&app, &cand, &exam).await;
    assert_eq!(status, 201, "{attempt}");
    let path = format!(
        "/api/candidate/attempts/{}/answers/{}",
        id(&attempt),
        o.question("true_false")
    );
    let (status, _) = put(
        &app,
        &cand,
        &path,
        json!({ "answer": { "type": "true_false", "value": true }, "seq": 1 }),
    )
    .await;
    assert_eq!(status, 200);
    // The candidate goes away; only the console looks.
    let mut row = Value::Null;
    for _ in 0..40 {
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
        let (_, list) = get(&app, &o.owner, &format!("/api/exams/{exam}/attempts")).await;
        row = list[0].clone();
        if row["status"] != "in_progress" {
            break;
        }
    }
    assert_eq!(row["status"], "graded", "{row}");
    assert_eq!(row["auto_submitted"], true);
    assert_eq!(row["score"], 3.0);
    // The candidate then sees the result and the receipt.
    let (_, view) = view(&app, &cand, &id(&attempt)).await;
    assert_eq!(view["status"], "graded");
    assert_eq!(view["passed"], true);
    assert_eq!(view["receipt"].as_str().map(str::len), Some(64));
}

#[tokio::test]
async fn attempts_and_exams_of_others_are_not_found() {
    let app = spawn_app().await;
    let a = exam_org(&app, "ta").await;
    let b = exam_org(&app, "tb").await;
    let exam = a.exam(&app, json!({})).await;
    let mine = a.candidate(&app, 0).await;
    let neighbour = a.candidate(&app, 1).await;
    let stranger = b.candidate(&app, 0).await;
    let (_, attempt) = start(&app, &mine, &exam).await;
    let attempt = id(&attempt);
    let save = json!({ "answer": { "type": "single_choice", "choice": "B" }, "seq": 1 });
    for who in [&neighbour, &stranger] {
        let (status, _) = view(&app, who, &attempt).await;
        assert_eq!(status, 404);
        let path = format!(
            "/api/candidate/attempts/{attempt}/answers/{}",
            a.question("single_choice")
        );
        let (status, _) = put(&app, who, &path, save.clone()).await;
        assert_eq!(status, 404);
        let (status, _) = submit(&app, who, &attempt).await;
        assert_eq!(status, 404);
    }
    // Another organisation's candidate is not assigned; its owner cannot see the exam.
    let (status, _) = start(&app, &stranger, &exam).await;
    assert_eq!(status, 404);
    let (_, listed) = get(&app, &stranger, "/api/candidate/exams").await;
    assert_eq!(listed, json!([]));
    for path in [
        format!("/api/exams/{exam}"),
        format!("/api/exams/{exam}/attempts"),
        format!("/api/exams/{exam}/assignments"),
    ] {
        let (status, _) = get(&app, &b.owner, &path).await;
        assert_eq!(status, 404, "{path}");
    }
    // Assigning another organisation's candidate is refused by field.
    let (status, refused) = post(
        &app,
        &a.owner,
        &format!("/api/exams/{exam}/assignments"),
        json!({ "candidate_ids": [b.candidates[0]] }),
    )
    .await;
    assert_eq!(status, 422, "{refused}");
    assert_eq!(refused["details"]["fields"][0]["field"], "candidate_ids[0]");
    // The attempt itself is untouched.
    let (status, view) = view(&app, &mine, &attempt).await;
    assert_eq!(status, 200);
    assert_eq!(view["answers"], json!([]));
}

#[tokio::test]
async fn exam_instructions_keep_what_the_rich_text_editor_writes_and_lose_scripts() {
    let app = spawn_app().await;
    let o = exam_org(&app, "ri").await;
    let image = "/api/attachments/468b21f9-ad53-41de-b2d6-6b69e99cb39a";
    let written = format!(
        "<p><b>Read</b> <i>all</i> <u>parts</u>: $x^2$</p><ul><li>one</li></ul><ol><li>two</li></ol>\
         <table><thead><tr><th>a</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>\
         <p><img src=\"{image}\" alt=\"\"><img src=\"x\" onerror=\"alert(1)\"></p><script>x()</script>"
    );
    let exam = o
        .create_exam(&app, json!({ "instructions": written }))
        .await;
    let stored = exam["instructions"].as_str().unwrap_or_default();
    for kept in [
        "<b>Read</b>",
        "<i>all</i>",
        "<u>parts</u>",
        "$x^2$",
        "<ul><li>one</li></ul>",
        "<ol><li>two</li></ol>",
        "<thead><tr><th>a</th></tr></thead><tbody><tr><td>1</td></tr></tbody>",
    ] {
        assert!(stored.contains(kept), "{kept} lost: {stored}");
    }
    assert!(
        stored.contains(&format!("<img src=\"{image}\"")),
        "{stored}"
    );
    assert!(
        !stored.contains("script") && !stored.contains("onerror"),
        "{stored}"
    );
    assert!(!stored.contains("src=\"x\""), "{stored}");
}
