//! The demo's finished exam: seeded once (again changes nothing), with a full results table,
//! an essay waiting in the grading queue and certificates for those who passed.

use serde_json::{Value, json};

use crate::helpers::{cookie_client, get, post, spawn_app};

#[tokio::test]
async fn the_demo_final_is_seeded_once_with_results_grading_and_certificates() {
    let app = spawn_app().await;
    let db = backend::db::Database::connect(&app.settings.database).expect("connect");
    let keys = backend::keys::KeyRing::load(&app.settings.keys).expect("keys");
    backend::demo::seed(&db, &keys).expect("seed");
    backend::demo::seed(&db, &keys).expect("seeding again changes nothing");
    let owner = cookie_client();
    let (status, body) = post(
        &app,
        &owner,
        "/api/auth/login",
        json!({ "identifier": backend::demo::DEMO_EMAIL, "password": backend::demo::DEMO_PASSWORD }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (_, exams) = get(&app, &owner, "/api/exams").await;
    let finals: Vec<&Value> = exams
        .as_array()
        .expect("exams")
        .iter()
        .filter(|e| e["name"] == backend::demo::DEMO_FINAL)
        .collect();
    assert_eq!(finals.len(), 1, "{exams}");
    let exam = finals[0]["id"].as_str().expect("id");

    // Five candidates' results: two pass, two fail, one waits for its essay (6 points so far).
    let (status, results) = get(&app, &owner, &format!("/api/exams/{exam}/results")).await;
    assert_eq!(status, 200, "{results}");
    let rows = results["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), 5, "{results}");
    let names: Vec<&str> = rows.iter().filter_map(|r| r["name"].as_str()).collect();
    assert!(
        names.contains(&"王小明") && names.contains(&"Emily Chen"),
        "{names:?}"
    );
    let scores: Vec<(Option<f64>, &Value, &Value)> = rows
        .iter()
        .map(|r| (r["score"].as_f64(), &r["passed"], &r["grading"]))
        .collect();
    let (yes, no) = (json!(true), json!(false));
    let (graded, pending) = (json!("graded"), json!("pending"));
    assert_eq!(
        scores,
        [
            (Some(14.0), &yes, &graded),
            (Some(11.5), &yes, &graded),
            (Some(7.0), &no, &graded),
            (Some(6.0), &no, &pending),
            (Some(4.5), &no, &graded),
        ],
        "{results}"
    );
    let top = rows.iter().find(|r| r["name"] == "王小明").expect("王小明");
    assert_eq!(
        (top["score"].as_f64(), top["released"].as_bool()),
        (Some(14.0), Some(true)),
        "{top}"
    );

    // One essay is in the grading queue.
    let (status, progress) =
        get(&app, &owner, &format!("/api/exams/{exam}/grading/progress")).await;
    assert_eq!(status, 200, "{progress}");
    assert_eq!(
        (progress["total"].as_u64(), progress["done"].as_u64()),
        (Some(5), Some(4)),
        "{progress}"
    );
    assert_eq!(progress["attempts_waiting"], 1, "{progress}");

    // Certificates for the two who passed.
    let (status, certs) = get(&app, &owner, &format!("/api/exams/{exam}/certificates")).await;
    assert_eq!(status, 200, "{certs}");
    let mut holders: Vec<&str> = certs["items"]
        .as_array()
        .expect("certificates")
        .iter()
        .filter_map(|c| c["holder_name"].as_str())
        .collect();
    holders.sort_unstable();
    assert_eq!(holders, ["李小红", "王小明"], "{certs}");
}
