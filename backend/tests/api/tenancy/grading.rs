//! The matrix's grading item: an essay exam the tenant's candidate has submitted, so the
//! organisation holds one answer that needs a person.

use reqwest::Client;
use serde_json::json;

use crate::helpers::{TestApp, get, id, post, save, start, submit};

/// Creates an essay in `bank`, a paper and an exam of it for `candidate`, who answers and
/// submits; answers (exam id, grading item id).
pub async fn essay_item(
    app: &TestApp,
    owner: &Client,
    candidate: &Client,
    candidate_id: &str,
    bank: &str,
) -> (String, String) {
    let (status, essay) = post(
        app,
        owner,
        &format!("/api/question-banks/{bank}/questions"),
        json!({ "content": { "type": "essay", "stem": "<p>论述</p>" }, "points": 2, "difficulty": 1 }),
    )
    .await;
    assert_eq!(status, 201, "{essay}");
    let (status, paper) = post(
        app,
        owner,
        "/api/papers",
        json!({ "name": "论述卷",
        "sections": [{ "title": "一", "questions": [{ "question_id": id(&essay) }] }] }),
    )
    .await;
    assert_eq!(status, 201, "{paper}");
    let (status, exam) = post(
        app,
        owner,
        "/api/exams",
        json!({ "paper_id": id(&paper),
        "name": "论述", "opens_at": "2020-01-01T00:00:00Z", "closes_at": "2099-01-01T00:00:00Z",
        "duration_minutes": 30, "attempts_allowed": 1, "scoring": "best",
        "release_policy": "after_grading", "review_policy": "never" }),
    )
    .await;
    assert_eq!(status, 201, "{exam}");
    let exam = id(&exam);
    let path = format!("/api/exams/{exam}/assignments");
    let (status, body) = post(
        app,
        owner,
        &path,
        json!({ "candidate_ids": [candidate_id] }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (status, attempt) = start(app, candidate, &exam).await;
    assert_eq!(status, 201, "{attempt}");
    let attempt = id(&attempt);
    let answer = json!({ "type": "essay", "text": "文" });
    assert_eq!(
        save(app, candidate, &attempt, &id(&essay), answer, 1)
            .await
            .0,
        200
    );
    assert_eq!(submit(app, candidate, &attempt).await.0, 200);
    let (status, page) = get(app, owner, &format!("/api/exams/{exam}/grading/items")).await;
    assert_eq!(status, 200, "{page}");
    let item = page["items"][0]["id"]
        .as_str()
        .expect("a grading item")
        .to_owned();
    (exam, item)
}
