//! An admin overrides an automatic mark with a reason: the score follows, the audit log holds
//! the points before and after, a released result's candidate is told, and bad input is a 422.

use chrono::Utc;
use serde_json::{Value, json};

use crate::helpers::{exam_org_with, get, put, send, spawn_app};
use crate::results::{outbox, run_jobs_at, take};

fn first_field(body: &Value) -> (String, String) {
    let f = &body["details"]["fields"][0];
    (
        f["field"].as_str().unwrap_or_default().to_owned(),
        f["reason"].as_str().unwrap_or_default().to_owned(),
    )
}

#[tokio::test]
async fn an_admin_overrides_an_automatic_mark_with_a_reason_and_it_is_audited() {
    let app = spawn_app().await;
    let org = exam_org_with(&app, "ovr", &["single_choice", "true_false"]).await;
    let exam = org
        .exam(
            &app,
            json!({ "pass_mark": 4, "release_policy": "immediately" }),
        )
        .await;
    let (status, body) = send(
        &app,
        &org.owner,
        reqwest::Method::PATCH,
        &format!("/api/candidates/{}", org.candidates[0]),
        json!({ "email": "stu-ovr-0@example.com" }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    // Single choice wrong (0 of 3), true/false right (3 of 3): 3 points, failed.
    let (attempt, cand, _) = take(&app, &org, 0, &exam, false, true).await;
    run_jobs_at(&app, Utc::now());
    let notices_before = outbox(&app, "result_changed");
    let single = org.question("single_choice").to_owned();
    let path = format!("/api/exams/{exam}/attempts/{attempt}/questions/{single}/override");

    for (body, field, why) in [
        (
            json!({ "points": 3.5, "reason": "复核" }),
            "points",
            "out_of_range",
        ),
        (
            json!({ "points": 1.234, "reason": "复核" }),
            "points",
            "out_of_range",
        ),
        (
            json!({ "points": -1, "reason": "复核" }),
            "points",
            "out_of_range",
        ),
        (json!({ "points": 2, "reason": "  " }), "reason", "required"),
        (
            json!({ "points": 2, "reason": "长".repeat(501) }),
            "reason",
            "too_long",
        ),
    ] {
        let (status, answer) = put(&app, &org.owner, &path, body).await;
        assert_eq!(status, 422, "{answer}");
        assert_eq!(first_field(&answer), (field.to_owned(), why.to_owned()));
    }
    let elsewhere = uuid::Uuid::now_v7();
    let (status, _) = put(
        &app,
        &org.owner,
        &format!("/api/exams/{exam}/attempts/{attempt}/questions/{elsewhere}/override"),
        json!({ "points": 1, "reason": "复核" }),
    )
    .await;
    assert_eq!(status, 404);
    // A candidate cannot.
    assert_eq!(
        put(&app, &cand, &path, json!({ "points": 3, "reason": "我" }))
            .await
            .0,
        401
    );

    let (status, changed) = put(
        &app,
        &org.owner,
        &path,
        json!({ "points": 3, "reason": "题干有歧义，两项均给分" }),
    )
    .await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(
        (
            changed["before"].as_f64(),
            changed["after"].as_f64(),
            changed["automatic"].as_f64()
        ),
        (Some(0.0), Some(3.0), Some(0.0))
    );
    assert_eq!(changed["score"], 6.0);
    let (_, results) = get(&app, &org.owner, &format!("/api/exams/{exam}/results")).await;
    assert_eq!(results["rows"][0]["score"], 6.0, "{results}");
    assert_eq!(results["rows"][0]["passed"], true, "{results}");
    // A second override keeps what automatic grading gave.
    let (_, again) = put(
        &app,
        &org.owner,
        &path,
        json!({ "points": 1.5, "reason": "再议" }),
    )
    .await;
    assert_eq!(
        (again["before"].as_f64(), again["automatic"].as_f64()),
        (Some(3.0), Some(0.0))
    );
    assert_eq!(again["score"], 4.5);

    let (_, audit) = get(&app, &org.owner, "/api/audit?action=attempt.mark_override").await;
    let entries = audit["entries"].as_array().expect("entries");
    assert_eq!(entries.len(), 2, "{audit}");
    let text = audit.to_string();
    assert!(text.contains("题干有歧义"), "{audit}");

    // The released result's candidate sees the new score and is told it changed.
    let (_, mine) = get(&app, &cand, "/api/candidate/results").await;
    assert_eq!(mine[0]["score"], 4.5, "{mine}");
    run_jobs_at(&app, Utc::now());
    assert_eq!(outbox(&app, "result_changed"), notices_before + 2);
}
