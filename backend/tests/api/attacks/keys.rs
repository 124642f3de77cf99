//! A candidate who wants the key: reading it from the ids of a paper (ordering items authored
//! in the right order, matching pairs imported from GIFT in step), and reading it in a review
//! before retaking the exam on the same paper.

use std::collections::{BTreeMap, HashSet};

use chrono::{Duration, Utc};
use diesel::prelude::*;
use reqwest::{Client, Method};
use serde_json::{Value, json};

use crate::helpers::{CSRF, PASSWORD, TestApp, label_of, spawn_app};

async fn send(app: &TestApp, c: &Client, method: Method, path: &str, body: Value) -> (u16, Value) {
    let (status, json) = app.send_json(c, method, path, &body).await;
    (status.as_u16(), json)
}

/// Five pairs and a distractor, as a teacher writes them in GIFT: prompt and answer ids come
/// out of the importer in step (1↔a, 2↔b, …), and the correct option first.
const GIFT: &str = "\
::配对:: 把国家和首都配对 {
=中国 -> 北京
=日本 -> 东京
=韩国 -> 首尔
=法国 -> 巴黎
=德国 -> 柏林
= -> 上海
}

::单选:: 中国的首都是 {
=北京
~上海
~广州
~深圳
}
";

const DYNASTIES: [&str; 5] = ["秦", "汉", "隋", "唐", "宋"];
const PAIRS: [(&str, &str); 5] = [
    ("中国", "北京"),
    ("日本", "东京"),
    ("韩国", "首尔"),
    ("法国", "巴黎"),
    ("德国", "柏林"),
];

struct Fx {
    owner: Client,
    slug: String,
    paper: String,
    ordering: String,
    matching: String,
    single: String,
    candidates: Vec<String>,
}

async fn fixture(app: &TestApp, tag: &str) -> Fx {
    let owner = app
        .register_org(&format!("防作弊 {tag}"), &format!("keys-{tag}@example.com"))
        .await;
    let slug = app.slug_of(&owner).await;
    let (status, bank) = send(
        app,
        &owner,
        Method::POST,
        "/api/question-banks",
        json!({ "name": "题库" }),
    )
    .await;
    assert_eq!(status, 201, "{bank}");
    let bank = bank["id"].as_str().expect("bank").to_owned();
    let res = owner
        .post(app.url(&format!(
            "/api/question-banks/{bank}/questions/import?dry_run=false&format=gift"
        )))
        .header(CSRF.0, CSRF.1)
        .header("content-type", "application/octet-stream")
        .body(GIFT.as_bytes().to_vec())
        .send()
        .await
        .expect("import");
    assert_eq!(res.status().as_u16(), 200, "{:?}", res.text().await);
    // The ordering question with its items authored in the right order: ids 1 … 5.
    let (status, ordering) = send(
        app,
        &owner,
        Method::POST,
        &format!("/api/question-banks/{bank}/questions"),
        json!({ "content": { "type": "ordering", "stem": "<p>按时间排序</p>",
            "items": DYNASTIES.iter().enumerate()
                .map(|(i, t)| json!({ "id": (i + 1).to_string(), "text": t }))
                .collect::<Vec<_>>() },
            "points": 5, "difficulty": 3 }),
    )
    .await;
    assert_eq!(status, 201, "{ordering}");
    let (status, page) = send(
        app,
        &owner,
        Method::GET,
        &format!("/api/question-banks/{bank}/questions?limit=100"),
        Value::Null,
    )
    .await;
    assert_eq!(status, 200, "{page}");
    let of_type = |t: &str| -> String {
        page["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|q| q["content"]["type"] == t)
            .and_then(|q| q["id"].as_str())
            .unwrap_or_else(|| panic!("no {t} question in {page}"))
            .to_owned()
    };
    let (matching, single) = (of_type("matching"), of_type("single_choice"));
    // The importer gives the pairs in step: that is what the attack relies on.
    let (_, stored) = send(
        app,
        &owner,
        Method::GET,
        &format!("/api/questions/{matching}"),
        Value::Null,
    )
    .await;
    let pairs = &stored["content"]["pairs"];
    assert!(pairs.is_array(), "{stored}");
    let ordering = ordering["id"].as_str().expect("id").to_owned();
    let (status, paper) = send(
        app,
        &owner,
        Method::POST,
        "/api/papers",
        json!({ "name": "试卷", "shuffle_options": true, "shuffle_questions": true, "sections": [
            { "title": "一", "questions": [
                { "question_id": ordering }, { "question_id": matching }, { "question_id": single },
            ] },
        ] }),
    )
    .await;
    assert_eq!(status, 201, "{paper}");
    let mut candidates = Vec::new();
    for i in 0..2 {
        let c = app
            .create_candidate(
                &owner,
                json!({ "account": format!("key-{tag}-{i}"), "name": format!("考生{i}"), "password": PASSWORD }),
            )
            .await;
        candidates.push(c["id"].as_str().expect("id").to_owned());
    }
    Fx {
        owner,
        slug,
        paper: paper["id"].as_str().expect("paper").to_owned(),
        ordering,
        matching,
        single,
        candidates,
    }
}

impl Fx {
    async fn exam(&self, app: &TestApp, attempts: u32) -> String {
        let (status, exam) = send(
            app,
            &self.owner,
            Method::POST,
            "/api/exams",
            json!({
                "paper_id": self.paper, "name": "期末", "instructions": "",
                "opens_at": (Utc::now() - Duration::minutes(1)).to_rfc3339(),
                "closes_at": (Utc::now() + Duration::minutes(60)).to_rfc3339(),
                "duration_minutes": 30, "attempts_allowed": attempts, "scoring": "best",
                "pass_mark": 1, "release_policy": "immediately", "review_policy": "after_release",
            }),
        )
        .await;
        assert_eq!(status, 201, "{exam}");
        let exam = exam["id"].as_str().expect("exam").to_owned();
        let (status, body) = send(
            app,
            &self.owner,
            Method::POST,
            &format!("/api/exams/{exam}/assignments"),
            json!({ "candidate_ids": self.candidates }),
        )
        .await;
        assert_eq!(status, 200, "{body}");
        exam
    }

    async fn candidate(&self, app: &TestApp, tag: &str, i: usize) -> Client {
        app.portal_login(&self.slug, &format!("key-{tag}-{i}"), PASSWORD)
            .await
    }
}

/// The question `id` of an attempt's paper.
fn question<'a>(attempt: &'a Value, id: &str) -> &'a Value {
    attempt["paper"]["sections"][0]["questions"]
        .as_array()
        .expect("questions")
        .iter()
        .find(|q| q["question_id"] == id)
        .unwrap_or_else(|| panic!("{id} not on the paper"))
}

fn ids(list: &Value) -> Vec<String> {
    list.as_array()
        .expect("list")
        .iter()
        .map(|c| c["id"].as_str().expect("id").to_owned())
        .collect()
}

async fn save(app: &TestApp, c: &Client, attempt: &str, question: &str, answer: Value) {
    let (status, body) = send(
        app,
        c,
        Method::PUT,
        &format!("/api/candidate/attempts/{attempt}/answers/{question}"),
        json!({ "answer": answer, "seq": 1 }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
}

async fn start(app: &TestApp, c: &Client, exam: &str) -> (u16, Value) {
    send(
        app,
        c,
        Method::POST,
        &format!("/api/candidate/exams/{exam}/attempts"),
        Value::Null,
    )
    .await
}

async fn submit(app: &TestApp, c: &Client, attempt: &str) -> Value {
    let (status, receipt) = send(
        app,
        c,
        Method::POST,
        &format!("/api/candidate/attempts/{attempt}/submit"),
        Value::Null,
    )
    .await;
    assert_eq!(status, 200, "{receipt}");
    receipt
}

async fn review(app: &TestApp, c: &Client, attempt: &str) -> (u16, Value) {
    send(
        app,
        c,
        Method::GET,
        &format!("/api/candidate/attempts/{attempt}/review"),
        Value::Null,
    )
    .await
}

fn earned(review: &Value, question: &str) -> f64 {
    review["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["question_id"] == question)
        .and_then(|i| i["earned"].as_f64())
        .expect("earned")
}

#[tokio::test]
async fn the_ids_of_a_candidates_paper_do_not_give_away_ordering_or_matching_keys() {
    let app = spawn_app().await;
    let f = fixture(&app, "ids").await;
    let exam = f.exam(&app, 1).await;

    // The attacker reads ids: none is an authored one, and sorting them is no better than a
    // guess.
    let attacker = f.candidate(&app, "ids", 0).await;
    let (status, attempt) = start(&app, &attacker, &exam).await;
    assert_eq!(status, 201, "{attempt}");
    assert!(
        attempt["paper"]["seed"].is_null(),
        "a candidate's paper carries no seed: {}",
        attempt["paper"]
    );
    let authored: HashSet<&str> = [
        "1", "2", "3", "4", "5", "6", "a", "b", "c", "d", "e", "f", "A", "B", "C", "D",
    ]
    .into();
    let items = ids(&question(&attempt, &f.ordering)["content"]["items"]);
    let prompts = ids(&question(&attempt, &f.matching)["content"]["prompts"]);
    let answers = ids(&question(&attempt, &f.matching)["content"]["answers"]);
    let options = ids(&question(&attempt, &f.single)["content"]["options"]);
    for id in items.iter().chain(&prompts).chain(&answers).chain(&options) {
        assert!(
            !authored.contains(id.as_str()),
            "authored id {id} reached the candidate"
        );
        assert_eq!(id.len(), 16, "{id}");
    }
    let attempt_id = attempt["id"].as_str().expect("id").to_owned();
    let mut sorted_items = items.clone();
    sorted_items.sort();
    save(
        &app,
        &attacker,
        &attempt_id,
        &f.ordering,
        json!({ "type": "ordering", "order": sorted_items }),
    )
    .await;
    let (mut p, mut a) = (prompts.clone(), answers.clone());
    p.sort();
    a.sort();
    let pairs: BTreeMap<String, String> = p.into_iter().zip(a).collect();
    save(
        &app,
        &attacker,
        &attempt_id,
        &f.matching,
        json!({ "type": "matching", "pairs": pairs }),
    )
    .await;
    // An authored id is refused outright: it is not a label of this attempt.
    let (status, body) = send(
        &app,
        &attacker,
        Method::PUT,
        &format!("/api/candidate/attempts/{attempt_id}/answers/{}", f.single),
        json!({ "answer": { "type": "single_choice", "choice": "A" }, "seq": 1 }),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert!(body.to_string().contains("unknown_id"), "{body}");
    submit(&app, &attacker, &attempt_id).await;
    let (status, reviewed) = review(&app, &attacker, &attempt_id).await;
    assert_eq!(status, 200, "{reviewed}");
    // With authored ids both were full marks; now both at once is a 1 in 86,400 chance.
    let (ordering, matching) = (
        earned(&reviewed, &f.ordering),
        earned(&reviewed, &f.matching),
    );
    assert!(
        !(ordering >= 5.0 && matching >= 1.0),
        "sorting ids answered both: ordering {ordering}, matching {matching}"
    );
    // The review names the key by the same labels as the paper.
    let key = reviewed["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["question_id"] == f.single.as_str())
        .expect("single");
    assert_eq!(
        key["correct"]["answer"],
        label_of(&reviewed, &f.single, "北京").as_str()
    );

    // An honest candidate answering by what the paper says gets full marks: the labels map
    // back to the authored key for grading.
    let honest = f.candidate(&app, "ids", 1).await;
    let (status, attempt) = start(&app, &honest, &exam).await;
    assert_eq!(status, 201, "{attempt}");
    let id = attempt["id"].as_str().expect("id").to_owned();
    let order: Vec<String> = DYNASTIES
        .iter()
        .map(|t| label_of(&attempt, &f.ordering, t))
        .collect();
    save(
        &app,
        &honest,
        &id,
        &f.ordering,
        json!({ "type": "ordering", "order": order }),
    )
    .await;
    let pairs: BTreeMap<String, String> = PAIRS
        .iter()
        .map(|(p, a)| {
            (
                label_of(&attempt, &f.matching, p),
                label_of(&attempt, &f.matching, a),
            )
        })
        .collect();
    save(
        &app,
        &honest,
        &id,
        &f.matching,
        json!({ "type": "matching", "pairs": pairs }),
    )
    .await;
    save(
        &app,
        &honest,
        &id,
        &f.single,
        json!({ "type": "single_choice", "choice": label_of(&attempt, &f.single, "北京") }),
    )
    .await;
    let receipt = submit(&app, &honest, &id).await;
    assert_eq!(receipt["score"], 7.0, "{receipt}");
}

#[tokio::test]
async fn keys_stay_hidden_while_a_retake_is_possible_and_a_retake_gets_a_new_paper() {
    let app = spawn_app().await;
    let f = fixture(&app, "retake").await;
    let exam = f.exam(&app, 2).await;
    let cand = f.candidate(&app, "retake", 0).await;

    let (status, first) = start(&app, &cand, &exam).await;
    assert_eq!(status, 201, "{first}");
    let first_id = first["id"].as_str().expect("id").to_owned();
    submit(&app, &cand, &first_id).await;
    // Released at once, reviewable after release: but an attempt is left, so no keys.
    let (status, body) = review(&app, &cand, &first_id).await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["details"]["reason"], "review_not_available", "{body}");

    let (status, second) = start(&app, &cand, &exam).await;
    assert_eq!(status, 201, "{second}");
    let second_id = second["id"].as_str().expect("id").to_owned();
    // Another draw and shuffle: its own seed, and labels that share nothing with the first.
    let seeds: Vec<String> = {
        use backend::db::schema::attempts;
        let db = backend::db::Database::connect(&app.settings.database).expect("connect");
        let mut conn = db.get().expect("conn");
        attempts::table
            .order(attempts::number)
            .select(attempts::seed)
            .load(&mut *conn)
            .expect("seeds")
    };
    assert_eq!(seeds.len(), 2);
    assert_ne!(
        seeds[0], seeds[1],
        "the retake got the first attempt's paper"
    );
    let labels = |a: &Value| -> HashSet<String> {
        ids(&question(a, &f.ordering)["content"]["items"])
            .into_iter()
            .collect()
    };
    assert!(labels(&first).is_disjoint(&labels(&second)));
    submit(&app, &cand, &second_id).await;
    // No attempt left: the keys of both attempts can be reviewed, each in its own labels.
    for (id, paper) in [(&first_id, &first), (&second_id, &second)] {
        let (status, body) = review(&app, &cand, id).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(
            label_of(&body, &f.single, "北京"),
            label_of(paper, &f.single, "北京")
        );
    }
}
