//! The owner's side of the exam-day benchmark: the bank, questions, paper and exam, the
//! candidates imported by CSV and assigned, through the console API.

use std::time::Instant;

use anyhow::{Context, ensure};
use reqwest::Method;
use serde_json::{Value, json};

use super::{CHOICES, CSRF, PASSWORD, QUESTIONS};
use crate::Console;

/// Rows per import request (the endpoint takes at most 10,000; smaller files keep each
/// request's password hashing short).
const IMPORT_CHUNK: usize = 500;
/// Candidate ids per assignment request (the endpoint takes at most 5,000).
const ASSIGN_CHUNK: usize = 5_000;

fn id(v: &Value, what: &str) -> anyhow::Result<String> {
    Ok(v["id"]
        .as_str()
        .with_context(|| format!("{what} id in {v}"))?
        .to_owned())
}

/// A console request that must succeed with `expect`.
async fn owner_call(
    console: &Console,
    method: Method,
    path: &str,
    body: Value,
    expect: u16,
) -> anyhow::Result<Value> {
    let mut req = console
        .client
        .request(method.clone(), console.url(path))
        .header(CSRF.0, CSRF.1);
    if !body.is_null() {
        req = req.json(&body);
    }
    let res = req.send().await?;
    let status = res.status();
    let text = res.text().await?;
    ensure!(
        status.as_u16() == expect,
        "{method} {path}: {status} {}",
        text.chars().take(600).collect::<String>()
    );
    Ok(serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// The owner's setup: bank, questions, paper, exam, imported candidates, assignments. Answers
/// (exam id, question ids, candidate accounts).
pub(super) async fn set_up(
    console: &Console,
    candidates: usize,
    pass_mark: f64,
) -> anyhow::Result<(String, Vec<String>, Vec<String>)> {
    let tag = std::process::id();
    let started = Instant::now();
    let bank = owner_call(
        console,
        Method::POST,
        "/api/question-banks",
        json!({ "name": format!("Exam day {tag}") }),
        201,
    )
    .await?;
    let bank = id(&bank, "bank")?;
    let mut questions = Vec::with_capacity(QUESTIONS);
    for i in 0..QUESTIONS {
        let q = owner_call(
            console,
            Method::POST,
            &format!("/api/question-banks/{bank}/questions"),
            json!({ "content": { "type": "single_choice", "stem": format!("<p>Question {i}</p>"),
                        "options": CHOICES.iter().map(|c| json!({ "id": c, "text": format!("Option {c}") })).collect::<Vec<_>>(),
                        "answer": CHOICES[i % CHOICES.len()] },
                    "points": 2, "difficulty": 2 }),
            201,
        )
        .await?;
        questions.push(id(&q, "question")?);
    }
    let paper = owner_call(
        console,
        Method::POST,
        "/api/papers",
        json!({ "name": format!("Exam day paper {tag}"), "sections": [{ "title": "Single choice",
            "questions": questions.iter().map(|q| json!({ "question_id": q })).collect::<Vec<_>>() }] }),
        201,
    )
    .await?;
    let now = chrono::Utc::now();
    let exam = owner_call(
        console,
        Method::POST,
        "/api/exams",
        json!({
            "paper_id": id(&paper, "paper")?, "name": format!("Exam day {tag}"),
            "instructions": "<p>Good luck</p>",
            "opens_at": (now - chrono::Duration::minutes(1)).to_rfc3339(),
            "closes_at": (now + chrono::Duration::minutes(120)).to_rfc3339(),
            "duration_minutes": 60, "attempts_allowed": 1, "scoring": "best", "pass_mark": pass_mark,
            "release_policy": "immediately", "review_policy": "never",
        }),
        201,
    )
    .await?;
    let exam = id(&exam, "exam")?;
    println!(
        "bank, {QUESTIONS} questions, paper, exam: {:.2} s",
        started.elapsed().as_secs_f64()
    );

    // Candidates by CSV with the English template headers, all in one new group.
    let group = format!("Exam day {tag}");
    let accounts: Vec<String> = (0..candidates).map(|i| format!("ed{tag}-{i:05}")).collect();
    let started = Instant::now();
    for chunk in accounts.chunks(IMPORT_CHUNK) {
        let mut csv = String::from("account,name,password,groups\n");
        for (i, account) in chunk.iter().enumerate() {
            csv.push_str(&format!(
                "{account},Bench Candidate {i},{PASSWORD},{group}\n"
            ));
        }
        let res = console
            .client
            .post(console.url("/api/candidates/import"))
            .header(CSRF.0, CSRF.1)
            .header("content-type", "text/csv")
            .body(csv)
            .send()
            .await?;
        let status = res.status();
        let report: Value = res.json().await.unwrap_or(Value::Null);
        ensure!(
            status.is_success() && report["imported"].as_u64() == Some(chunk.len() as u64),
            "importing candidates: {status} {}",
            report.to_string().chars().take(600).collect::<String>()
        );
    }
    let took = started.elapsed().as_secs_f64();
    println!(
        "import of {candidates} candidates by CSV ({} request(s)): {took:.2} s ({:.1} candidates/s)",
        candidates.div_ceil(IMPORT_CHUNK),
        candidates as f64 / took.max(1e-9)
    );

    // Assign the group's members by id (the whole list per request when it fits).
    let started = Instant::now();
    let res = console
        .client
        .get(console.url("/api/candidate-groups"))
        .send()
        .await?;
    let groups: Value = res.json().await?;
    let group_id = groups
        .as_array()
        .and_then(|g| g.iter().find(|g| g["name"] == group.as_str()))
        .and_then(|g| g["id"].as_str())
        .context("the imported group")?
        .to_owned();
    let mut ids = Vec::with_capacity(candidates);
    let mut offset = 0;
    loop {
        let page = owner_call(
            console,
            Method::GET,
            &format!("/api/candidates?group_id={group_id}&limit=200&offset={offset}"),
            Value::Null,
            200,
        )
        .await?;
        let items = page["items"].as_array().context("candidate list items")?;
        if items.is_empty() {
            break;
        }
        for c in items {
            ids.push(id(c, "candidate")?);
        }
        offset += items.len();
    }
    ensure!(
        ids.len() == candidates,
        "the group lists {} candidates, not {candidates}",
        ids.len()
    );
    let requests = ids.len().div_ceil(ASSIGN_CHUNK);
    for chunk in ids.chunks(ASSIGN_CHUNK) {
        owner_call(
            console,
            Method::POST,
            &format!("/api/exams/{exam}/assignments"),
            json!({ "candidate_ids": chunk }),
            200,
        )
        .await?;
    }
    println!(
        "assignment of {candidates} candidates ({requests} request(s), after listing the ids): {:.2} s",
        started.elapsed().as_secs_f64()
    );
    Ok((exam, questions, accounts))
}
