//! Results: the table (counted attempt, rank with ties, filters), its xlsx/CSV export read back
//! and compared with the table, names only for callers who may read candidates, exports
//! audited; release at a set time through the job queue on an injected clock, with nothing of
//! a result reaching a candidate before; notices through the outbox; automatic certificates.

use std::io::Cursor;
use std::sync::Arc;

use calamine::{Data, Reader, Xlsx};
use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use reqwest::Client;
use serde_json::{Value, json};

use crate::helpers::{
    ExamOrg, PASSWORD, TestApp, answer_tf, exam_org_with, get, id, label_of, post, put, save,
    spawn_app, start, submit,
};

/// Runs every job due at `at` (the queue's clock injected), as any node would then.
pub(crate) fn run_jobs_at(app: &TestApp, at: DateTime<Utc>) -> usize {
    let settings = app.settings.clone();
    let keys = Arc::new(backend::keys::KeyRing::load(&settings.keys).expect("keys"));
    let db = backend::db::Database::connect(&settings.database).expect("db");
    let state = backend::state::AppState::new(db, keys, settings).expect("state");
    let registry = backend::startup::job_kinds(&state);
    backend::jobs::run_due_with(&mut app.db(), &registry, || {
        backend::db::types::Timestamp::from(at)
    })
    .expect("jobs")
}

/// Outbox messages of `template`.
pub(crate) fn outbox(app: &TestApp, template: &str) -> i64 {
    use backend::db::schema::notification_outbox;
    notification_outbox::table
        .filter(notification_outbox::template.eq(template))
        .count()
        .get_result(&mut *app.db())
        .expect("count")
}

/// A third and fourth candidate (`stu-{tag}-2`, `-3`), the fourth with an email address.
async fn more_candidates(app: &TestApp, org: &mut ExamOrg) {
    for i in 2..4 {
        let mut body = json!({ "account": org.account(i), "name": format!("学生{i}"),
                               "password": PASSWORD });
        if i == 3 {
            body["email"] = json!(format!("stu{i}-{}@example.com", org.tag));
        }
        let c = app.create_candidate(&org.owner, body).await;
        org.candidates.push(id(&c));
    }
}

/// Candidate `i` takes `exam`, answering the single choice right or not and the true/false
/// right or not; answers the attempt id.
pub(crate) async fn take(
    app: &TestApp,
    org: &ExamOrg,
    i: usize,
    exam: &str,
    single: bool,
    tf: bool,
) -> (String, Client, Value) {
    let cand = org.candidate(app, i).await;
    let (status, attempt) = start(app, &cand, exam).await;
    assert_eq!(status, 201, "{attempt}");
    let q = org.question("single_choice");
    let choice = label_of(&attempt, q, if single { "乙" } else { "甲" });
    let attempt = id(&attempt);
    let answer = json!({ "type": "single_choice", "choice": choice });
    assert_eq!(save(app, &cand, &attempt, q, answer, 1).await.0, 200);
    let q = org.question("true_false");
    assert_eq!(save(app, &cand, &attempt, q, answer_tf(tf), 2).await.0, 200);
    let (status, receipt) = submit(app, &cand, &attempt).await;
    assert_eq!(status, 200, "{receipt}");
    (attempt, cand, receipt)
}

/// The reason of a 422's first field error.
fn field_reason(body: &Value) -> String {
    body["details"]["fields"][0]["reason"]
        .as_str()
        .unwrap_or("")
        .to_owned()
}

async fn bytes(app: &TestApp, client: &Client, path: &str) -> (u16, String, Vec<u8>) {
    let res = client.get(app.url(path)).send().await.expect("request");
    let status = res.status().as_u16();
    let kind = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    (status, kind, res.bytes().await.expect("body").to_vec())
}

fn cell_text(c: &Data) -> String {
    match c {
        Data::String(s) => s.clone(),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

/// The table's rows as the export writes them (English), for comparison.
fn expected_rows(rows: &[Value], with_names: bool) -> Vec<Vec<String>> {
    rows.iter()
        .map(|r| {
            let mut line = vec![r["rank"].to_string()];
            if with_names {
                line.push(r["account"].as_str().unwrap_or("").to_owned());
                line.push(r["name"].as_str().unwrap_or("").to_owned());
            }
            let n = |v: &Value| v.as_f64().map(|f| f.to_string()).unwrap_or_default();
            line.extend([
                r["candidate_id"].as_str().unwrap_or("").to_owned(),
                n(&r["score"]),
                n(&r["max_score"]),
                n(&r["percent"]),
                if r["passed"] == true {
                    "Passed"
                } else {
                    "Failed"
                }
                .to_owned(),
                n(&r["time_used_seconds"]),
                r["submitted_at"].as_str().unwrap_or("").to_owned(),
                "Candidate".to_owned(),
                n(&r["attempts"]),
                n(&r["attempt_number"]),
                "Graded".to_owned(),
            ]);
            line
        })
        .collect()
}

fn xlsx_rows(body: Vec<u8>) -> Vec<Vec<String>> {
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(body)).expect("an xlsx file");
    let sheet = book
        .worksheet_range_at(0)
        .expect("a sheet")
        .expect("readable");
    sheet
        .rows()
        .map(|r| r.iter().map(cell_text).collect())
        .collect()
}

/// An exam (pass mark 3) that four candidates finished with 6, 3, 3 and 0 points (ranks 1, 2,
/// 2, 4), all assigned.
async fn four_finished(app: &TestApp, tag: &str) -> (ExamOrg, String) {
    let mut org = exam_org_with(app, tag, &["single_choice", "true_false"]).await;
    more_candidates(app, &mut org).await;
    let exam = org.exam(app, json!({ "pass_mark": 3 })).await;
    let (status, _) = post(
        app,
        &org.owner,
        &format!("/api/exams/{exam}/assignments"),
        json!({ "candidate_ids": org.candidates }),
    )
    .await;
    assert_eq!(status, 200);
    for (i, single, tf) in [
        (0, true, true),
        (1, true, false),
        (2, false, true),
        (3, false, false),
    ] {
        take(app, &org, i, &exam, single, tf).await;
    }
    (org, exam)
}

#[tokio::test]
async fn the_results_table_ranks_with_ties_and_its_exports_equal_it() {
    let app = spawn_app().await;
    let (org, exam) = four_finished(&app, "res").await;
    let path = format!("/api/exams/{exam}/results");
    let (status, page) = get(&app, &org.owner, &path).await;
    assert_eq!(status, 200, "{page}");
    let rows = page["rows"].as_array().expect("rows").clone();
    let ranks: Vec<(String, i64, f64)> = rows
        .iter()
        .map(|r| {
            (
                r["account"].as_str().unwrap_or("").to_owned(),
                r["rank"].as_i64().unwrap_or(0),
                r["score"].as_f64().unwrap_or(-1.0),
            )
        })
        .collect();
    assert_eq!(ranks[0], (org.account(0), 1, 6.0), "{page}");
    assert_eq!((ranks[1].1, ranks[2].1), (2, 2), "{page}");
    assert_eq!(ranks[3], (org.account(3), 4, 0.0), "{page}");
    assert_eq!(rows[0]["name"], "学生0");
    assert_eq!(rows[0]["percent"], 100.0);
    assert_eq!(rows[3]["passed"], false);
    assert_eq!(rows[1]["grading"], "graded");
    assert_eq!(rows[1]["released"], true);
    let summary = &page["summary"];
    assert_eq!(
        (
            &summary["finished"],
            &summary["passed"],
            &summary["mean_score"]
        ),
        (&json!(4), &json!(3), &json!(3.0)),
        "{page}"
    );

    // Filters and paging.
    let (_, failed) = get(&app, &org.owner, &format!("{path}?passed=false")).await;
    assert_eq!(failed["total"], 1, "{failed}");
    assert_eq!(failed["rows"][0]["account"], org.account(3));
    let (_, second) = get(&app, &org.owner, &format!("{path}?offset=1&limit=2")).await;
    assert_eq!(second["rows"].as_array().map(Vec::len), Some(2));
    assert_eq!(second["total"], 4);
    let (_, reversed) = get(&app, &org.owner, &format!("{path}?order=desc")).await;
    assert_eq!(reversed["rows"][0]["account"], org.account(3));
    let (status, body) = get(&app, &org.owner, &format!("{path}?sort=name")).await;
    assert_eq!(
        (status, field_reason(&body)),
        (422, "invalid_format".to_owned()),
        "{body}"
    );

    // The xlsx export, read back, equals the table.
    let (status, kind, body) = bytes(
        &app,
        &org.owner,
        &format!("{path}/export?format=xlsx&lang=en"),
    )
    .await;
    assert_eq!(status, 200);
    assert!(kind.starts_with("application/vnd.openxmlformats"), "{kind}");
    let sheet = xlsx_rows(body);
    assert_eq!(
        sheet[0],
        vec![
            "Rank",
            "Account",
            "Name",
            "Candidate ID",
            "Score",
            "Max score",
            "Percent",
            "Passed",
            "Time used (s)",
            "Submitted at",
            "Submission",
            "Attempts",
            "Counted attempt",
            "Grading"
        ]
    );
    assert_eq!(sheet[1..].to_vec(), expected_rows(&rows, true));

    // CSV in Chinese: a byte order mark, then the Chinese headers and the same rows.
    let (status, kind, body) = bytes(&app, &org.owner, &format!("{path}/export?format=csv")).await;
    assert_eq!(status, 200);
    assert!(kind.starts_with("text/csv"), "{kind}");
    assert!(body.starts_with(b"\xEF\xBB\xBF"));
    let text = String::from_utf8(body[3..].to_vec()).expect("utf-8");
    let mut csv = csv::Reader::from_reader(text.as_bytes());
    let headers: Vec<String> = csv
        .headers()
        .expect("headers")
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(&headers[..3], ["排名", "账号", "姓名"]);
    assert_eq!(csv.records().count(), 4);

    // Someone who may read exams but not candidates: no names, in the table or the file.
    let (_, admin) = app
        .create_admin(&org.owner, "results-reader", &["exams:read"])
        .await;
    let (status, page) = get(&app, &admin, &path).await;
    assert_eq!(status, 200, "{page}");
    assert!(page["rows"][0].get("name").is_none(), "{page}");
    assert!(!page.to_string().contains("学生"), "{page}");
    let (_, _, body) = bytes(&app, &admin, &format!("{path}/export?lang=en")).await;
    let sheet = xlsx_rows(body);
    assert_eq!(sheet[0][1], "Candidate ID");
    assert_eq!(sheet[1..].to_vec(), expected_rows(&rows, false));

    // Every export is audited.
    let (_, audit) = get(&app, &org.owner, "/api/audit?action=results.export").await;
    let entries = audit["entries"].as_array().expect("entries");
    assert_eq!(entries.len(), 3, "{audit}");
    assert!(
        entries.iter().any(|e| e["details"]["with_names"] == false),
        "{audit}"
    );

    // The score sheet: each question with the answer, the key and the points.
    let attempt = rows[1]["attempt_id"].as_str().expect("attempt");
    let (status, sheet) = get(
        &app,
        &org.owner,
        &format!("/api/exams/{exam}/attempts/{attempt}/score-sheet"),
    )
    .await;
    assert_eq!(status, 200, "{sheet}");
    let items = sheet["items"].as_array().expect("items");
    assert_eq!(items.len(), 2);
    assert_eq!(sheet["score"], 3.0);
    assert!(
        items.iter().any(|i| i["question"]["answer"] == true),
        "{sheet}"
    );
    let (status, _) = get(
        &app,
        &org.owner,
        &format!(
            "/api/exams/{exam}/attempts/{}/score-sheet",
            uuid::Uuid::now_v7()
        ),
    )
    .await;
    assert_eq!(status, 404);
}

/// Fails if anything of a result is in a candidate-facing body.
fn assert_no_result(body: &Value, what: &str) {
    fn walk(v: &Value, what: &str, text: &str) {
        match v {
            Value::Object(map) => {
                for (k, v) in map {
                    assert!(
                        !matches!(k.as_str(), "score" | "passed" | "rank" | "percent"),
                        "{what} shows `{k}` before release: {text}"
                    );
                    walk(v, what, text);
                }
            }
            Value::Array(list) => list.iter().for_each(|v| walk(v, what, text)),
            _ => {}
        }
    }
    walk(body, what, &body.to_string());
}

#[tokio::test]
async fn results_released_at_a_set_time_are_released_by_the_job_queue_and_not_before() {
    let app = spawn_app().await;
    let mut org = exam_org_with(&app, "rel", &["single_choice", "true_false"]).await;
    more_candidates(&app, &mut org).await;
    let release_at = Utc::now() + Duration::hours(2);
    let exam = org
        .exam(
            &app,
            json!({ "release_policy": "at_time", "release_at": release_at.to_rfc3339(),
                    "review_policy": "after_release", "show_rank": true }),
        )
        .await;
    let (status, _) = post(
        &app,
        &org.owner,
        &format!("/api/exams/{exam}/assignments"),
        json!({ "candidate_ids": [org.candidates[3]] }),
    )
    .await;
    assert_eq!(status, 200);
    let (attempt, cand, receipt) = take(&app, &org, 3, &exam, true, true).await;
    assert_no_result(&receipt, "the receipt");
    // A certificate issued by hand before release stays hidden: it states the score.
    let (status, template) = post(
        &app,
        &org.owner,
        "/api/certificate-templates",
        json!({ "name": "合格证书", "title": "合格证书", "body": "{name} 通过 {exam}，成绩 {score}" }),
    )
    .await;
    assert_eq!(status, 201, "{template}");
    let (status, cert) = post(
        &app,
        &org.owner,
        &format!("/api/exams/{exam}/attempts/{attempt}/certificate"),
        json!({ "template_id": id(&template) }),
    )
    .await;
    assert_eq!(status, 201, "{cert}");

    // Before release: no candidate-facing response holds a score, pass/fail or rank.
    for path in [
        "/api/candidate/exams".to_owned(),
        format!("/api/candidate/attempts/{attempt}"),
        "/api/candidate/results".to_owned(),
        "/api/candidate/certificates".to_owned(),
    ] {
        let (status, body) = get(&app, &cand, &path).await;
        assert_eq!(status, 200, "{path}: {body}");
        assert_no_result(&body, &path);
    }
    let (_, mine) = get(&app, &cand, "/api/candidate/results").await;
    assert_eq!(mine, json!([]));
    let (_, certs) = get(&app, &cand, "/api/candidate/certificates").await;
    assert_eq!(certs, json!([]));
    let (status, _) = get(
        &app,
        &cand,
        &format!("/api/candidate/certificates/{}/pdf", id(&cert)),
    )
    .await;
    assert_eq!(status, 404);
    let (status, body) = get(
        &app,
        &cand,
        &format!("/api/candidate/attempts/{attempt}/review"),
    )
    .await;
    assert_eq!(status, 409, "{body}");

    // The queue a minute before the release time: nothing is sent.
    run_jobs_at(&app, release_at - Duration::minutes(1));
    assert_eq!(outbox(&app, "result_released"), 0);
    // At the release time, on any node: the notice goes out, once.
    run_jobs_at(&app, release_at + Duration::seconds(1));
    assert_eq!(outbox(&app, "result_released"), 1);
    run_jobs_at(&app, release_at + Duration::minutes(5));
    assert_eq!(outbox(&app, "result_released"), 1);

    // Moving the release time into the past releases at once under the real clock.
    let mut body = org.exam_body(json!({ "release_policy": "at_time",
        "release_at": (Utc::now() - Duration::minutes(1)).to_rfc3339(),
        "review_policy": "after_release", "show_rank": true }));
    body["name"] = json!("期中");
    let (status, updated) = put(&app, &org.owner, &format!("/api/exams/{exam}"), body).await;
    assert_eq!(status, 200, "{updated}");
    let (_, mine) = get(&app, &cand, "/api/candidate/results").await;
    assert_eq!(mine[0]["score"], 6.0, "{mine}");
    assert_eq!(mine[0]["passed"], true);
    assert_eq!(
        (&mine[0]["rank"], &mine[0]["ranked"]),
        (&json!(1), &json!(1))
    );
    assert_eq!(mine[0]["review_available"], true);
    assert_eq!(mine[0]["certificates"][0], cert["number"]);
    let (_, certs) = get(&app, &cand, "/api/candidate/certificates").await;
    assert_eq!(certs.as_array().map(Vec::len), Some(1), "{certs}");
}

#[tokio::test]
async fn passing_attempts_get_the_exams_automatic_certificate_and_a_notice() {
    let app = spawn_app().await;
    let mut org = exam_org_with(&app, "auto", &["single_choice", "true_false"]).await;
    more_candidates(&app, &mut org).await;
    let (status, template) = post(
        &app,
        &org.owner,
        "/api/certificate-templates",
        json!({ "name": "合格", "title": "合格证书", "body": "{name} {exam} {score}" }),
    )
    .await;
    assert_eq!(status, 201, "{template}");
    let (status, body) = post(
        &app,
        &org.owner,
        "/api/exams",
        org.exam_body(json!({ "certificate_template_id": uuid::Uuid::now_v7().to_string() })),
    )
    .await;
    assert_eq!(
        (status, field_reason(&body)),
        (422, "not_found".to_owned()),
        "{body}"
    );
    let exam = org
        .exam(
            &app,
            json!({ "pass_mark": 4, "certificate_template_id": id(&template) }),
        )
        .await;
    let (status, _) = post(
        &app,
        &org.owner,
        &format!("/api/exams/{exam}/assignments"),
        json!({ "candidate_ids": org.candidates }),
    )
    .await;
    assert_eq!(status, 200);
    let (passed, cand, _) = take(&app, &org, 3, &exam, true, true).await;
    take(&app, &org, 0, &exam, true, false).await;
    // The node's job worker issues it within a few seconds.
    let mut certs = Value::Null;
    for _ in 0..50 {
        certs = get(&app, &org.owner, &format!("/api/exams/{exam}/certificates"))
            .await
            .1;
        if certs["items"].as_array().is_some_and(|c| !c.is_empty())
            && outbox(&app, "result_released") > 0
        {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    let list = certs["items"].as_array().expect("certificates");
    assert_eq!((list.len(), &certs["total"]), (1, &json!(1)), "{certs}");
    assert_eq!(list[0]["attempt_id"], passed);
    // Only the candidate with an address is notified (the other has none).
    assert_eq!(outbox(&app, "result_released"), 1);
    let (_, mine) = get(&app, &cand, "/api/candidate/results").await;
    assert_eq!(
        mine[0]["certificates"].as_array().map(Vec::len),
        Some(1),
        "{mine}"
    );
    assert!(mine[0].get("rank").is_none(), "{mine}");
}

#[tokio::test]
async fn certificates_for_everyone_who_passed_are_issued_by_a_job() {
    let app = spawn_app().await;
    let (org, exam) = four_finished(&app, "bulk").await;
    let (status, template) = post(
        &app,
        &org.owner,
        "/api/certificate-templates",
        json!({ "name": "合格", "title": "合格证书", "body": "{name}" }),
    )
    .await;
    assert_eq!(status, 201, "{template}");
    let bulk = format!("/api/exams/{exam}/certificates/bulk");
    let (status, body) = post(&app, &org.owner, &bulk, json!({ "template_id": "x" })).await;
    assert_eq!(
        (status, field_reason(&body)),
        (422, "invalid_format".to_owned())
    );
    let (status, body) = post(
        &app,
        &org.owner,
        &bulk,
        json!({ "template_id": uuid::Uuid::now_v7().to_string() }),
    )
    .await;
    assert_eq!(status, 404, "{body}");
    let (status, accepted) = post(
        &app,
        &org.owner,
        &bulk,
        json!({ "template_id": id(&template) }),
    )
    .await;
    assert_eq!(status, 202, "{accepted}");
    assert_eq!(accepted["queued"], 3);
    let mut list = Value::Null;
    for _ in 0..50 {
        list = get(&app, &org.owner, &format!("/api/exams/{exam}/certificates"))
            .await
            .1;
        if list["total"] == 3 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert_eq!(list["items"].as_array().map(Vec::len), Some(3), "{list}");
    // Nobody is left; a second run issues nothing.
    let (_, again) = post(
        &app,
        &org.owner,
        &bulk,
        json!({ "template_id": id(&template) }),
    )
    .await;
    assert_eq!(again["queued"], 0, "{again}");
    let (_, audit) = get(&app, &org.owner, "/api/audit?action=certificate.issue").await;
    assert_eq!(
        audit["entries"].as_array().map(Vec::len),
        Some(3),
        "{audit}"
    );
}
