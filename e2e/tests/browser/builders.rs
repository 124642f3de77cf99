//! The data a test starts from, made with the page's console session through the API (as
//! the SPA would make it): an organisation signed up in the browser, question banks and their
//! questions, fixed papers, candidates, exams and their assignments. Each builder returns the
//! ids the test goes on with.

use anyhow::Context;
use serde_json::{Value, json};

use crate::accounts::register;
use crate::harness::Browser;
use crate::support::call;

/// Opens the site in `lang` (`en` or `zh-CN`), registers `org` with `email` (the first
/// message of the outbox) and returns its portal's slug; the console is signed in.
pub async fn new_org(b: &Browser, lang: &str, org: &str, email: &str) -> anyhow::Result<String> {
    b.goto("/").await?;
    b.click(&format!("[data-testid=lang-{lang}]")).await?;
    register(b, org, email, 1, email).await?;
    b.wait_text("[data-testid=account-slug]", |t| !t.is_empty())
        .await
}

/// The `id` of what the API answered.
pub fn id_of(created: &Value) -> anyhow::Result<String> {
    Ok(created["id"].as_str().context("an id")?.to_owned())
}

/// An RFC 3339 time `minutes` from now, by the browser's clock.
pub async fn at(b: &Browser, minutes: i64) -> anyhow::Result<String> {
    let value = b
        .client
        .execute(
            "return new Date(Date.now() + arguments[0] * 60000).toISOString();",
            vec![json!(minutes)],
        )
        .await?;
    Ok(value.as_str().context("a date")?.to_owned())
}

/// A question bank; returns its id.
pub async fn bank(b: &Browser, name: &str) -> anyhow::Result<String> {
    let bank = call(
        b,
        "POST",
        "/api/question-banks",
        Some(json!({ "name": name })),
    )
    .await?;
    id_of(&bank)
}

/// A question of `content` in the bank (`extra` adds fields such as `tags`); returns its id.
pub async fn question(
    b: &Browser,
    bank_id: &str,
    content: Value,
    points: f64,
    extra: Value,
) -> anyhow::Result<String> {
    let mut body = json!({ "content": content, "points": points, "difficulty": 2 });
    merge(&mut body, extra);
    let path = format!("/api/question-banks/{bank_id}/questions");
    id_of(&call(b, "POST", &path, Some(body)).await?)
}

/// A bank named `name` holding `contents`, each worth `points`; returns the questions' ids.
pub async fn bank_with(
    b: &Browser,
    name: &str,
    contents: Vec<Value>,
    points: f64,
) -> anyhow::Result<Vec<String>> {
    let bank_id = bank(b, name).await?;
    let mut ids = Vec::new();
    for content in contents {
        ids.push(question(b, &bank_id, content, points, json!({})).await?);
    }
    Ok(ids)
}

/// A fixed paper of one section holding `questions` in that order, nothing shuffled; returns
/// its id.
pub async fn fixed_paper(
    b: &Browser,
    name: &str,
    section: &str,
    questions: &[String],
) -> anyhow::Result<String> {
    let questions: Vec<Value> = questions
        .iter()
        .map(|id| json!({ "question_id": id }))
        .collect();
    let body = json!({
        "name": name, "shuffle_questions": false, "shuffle_options": false,
        "sections": [{ "title": section, "questions": questions }],
    });
    id_of(&call(b, "POST", "/api/papers", Some(body)).await?)
}

/// A candidate with a password; returns their id.
pub async fn candidate(
    b: &Browser,
    account: &str,
    name: &str,
    password: &str,
) -> anyhow::Result<String> {
    let body = json!({ "account": account, "name": name, "password": password });
    id_of(&call(b, "POST", "/api/candidates", Some(body)).await?)
}

/// An exam of `paper_id` named `name`: open from a minute ago for an hour, 30 minutes, one
/// attempt, best score, released at once, never reviewed; `fields` overrides or adds to that.
/// Returns the exam as the API answered (its `id`, its `entry_access`).
pub async fn exam(b: &Browser, paper_id: &str, name: &str, fields: Value) -> anyhow::Result<Value> {
    let mut body = json!({
        "paper_id": paper_id, "name": name,
        "opens_at": at(b, -1).await?, "closes_at": at(b, 60).await?, "duration_minutes": 30,
        "attempts_allowed": 1, "scoring": "best", "pass_mark": 0,
        "release_policy": "immediately", "review_policy": "never",
    });
    merge(&mut body, fields);
    call(b, "POST", "/api/exams", Some(body)).await
}

/// Assigns the candidates to the exam.
pub async fn assign(b: &Browser, exam_id: &str, candidate_ids: &[String]) -> anyhow::Result<()> {
    call(
        b,
        "POST",
        &format!("/api/exams/{exam_id}/assignments"),
        Some(json!({ "candidate_ids": candidate_ids })),
    )
    .await?;
    Ok(())
}

/// Adds the fields of `extra` (an object) to `body`, replacing those it names.
pub fn merge(body: &mut Value, extra: Value) {
    if let (Some(body), Value::Object(extra)) = (body.as_object_mut(), extra) {
        body.extend(extra);
    }
}
