//! A candidate who wants the key: reading it from the ids of a paper (ordering items authored
//! in the right order, matching pairs imported from GIFT in step), and reading it in a review
//! before retaking the exam on the same paper.

use std::collections::{BTreeMap, HashSet};

use diesel::prelude::*;
use reqwest::Client;
use serde_json::{Value, json};

use crate::helpers::{
    ExamOrg, TestApp, create_bank, exam_org, get, id, label_of, post, post_bytes, review, save,
    spawn_app, start, submit,
};

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

/// The exam fixture's organisation with a paper of the GIFT matching and single choice
/// questions and the ordering question, from a bank of their own.
struct Fx {
    org: ExamOrg,
    paper: String,
    ordering: String,
    matching: String,
    single: String,
}

async fn fixture(app: &TestApp, tag: &str) -> Fx {
    let org = exam_org(app, tag).await;
    let owner = &org.owner;
    let bank = create_bank(app, owner, "防作弊").await;
    let (status, report) = post_bytes(
        app,
        owner,
        &format!("/api/question-banks/{bank}/questions/import?dry_run=false&format=gift"),
        "application/octet-stream",
        GIFT.as_bytes().to_vec(),
    )
    .await;
    assert_eq!(status, 200, "{report}");
    // The ordering question with its items authored in the right order: ids 1 … 5.
    let (status, ordering) = post(
        app,
        owner,
        &format!("/api/question-banks/{bank}/questions"),
        json!({ "content": { "type": "ordering", "stem": "<p>按时间排序</p>",
            "items": DYNASTIES.iter().enumerate()
                .map(|(i, t)| json!({ "id": (i + 1).to_string(), "text": t }))
                .collect::<Vec<_>>() },
            "points": 5, "difficulty": 3 }),
    )
    .await;
    assert_eq!(status, 201, "{ordering}");
    let (status, page) = get(
        app,
        owner,
        &format!("/api/question-banks/{bank}/questions?limit=100"),
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
    let (_, stored) = get(app, owner, &format!("/api/questions/{matching}")).await;
    let pairs = &stored["content"]["pairs"];
    assert!(pairs.is_array(), "{stored}");
    let ordering = id(&ordering);
    let (status, paper) = post(
        app,
        owner,
        "/api/papers",
        json!({ "name": "试卷", "shuffle_options": true, "shuffle_questions": true, "sections": [
            { "title": "一", "questions": [
                { "question_id": ordering }, { "question_id": matching }, { "question_id": single },
            ] },
        ] }),
    )
    .await;
    assert_eq!(status, 201, "{paper}");
    Fx {
        org,
        paper: id(&paper),
        ordering,
        matching,
        single,
    }
}

impl Fx {
    /// An exam of the paper with `attempts` attempts, reviewable after release (at once).
    async fn exam(&self, app: &TestApp, attempts: u32) -> String {
        let overrides = json!({ "paper_id": self.paper, "attempts_allowed": attempts,
                                "pass_mark": 1, "review_policy": "after_release" });
        self.org.exam(app, overrides).await
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

/// Saves `answer` (seq 1), which must be accepted.
async fn save_ok(app: &TestApp, c: &Client, attempt: &str, question: &str, answer: Value) {
    let (status, body) = save(app, c, attempt, question, answer, 1).await;
    assert_eq!(status, 200, "{body}");
}

/// Submits the attempt, which must be accepted; answers the receipt.
async fn submit_ok(app: &TestApp, c: &Client, attempt: &str) -> Value {
    let (status, receipt) = submit(app, c, attempt).await;
    assert_eq!(status, 200, "{receipt}");
    receipt
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
    let attacker = f.org.candidate(&app, 0).await;
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
    save_ok(
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
    save_ok(
        &app,
        &attacker,
        &attempt_id,
        &f.matching,
        json!({ "type": "matching", "pairs": pairs }),
    )
    .await;
    // An authored id is refused outright: it is not a label of this attempt.
    let authored = json!({ "type": "single_choice", "choice": "A" });
    let (status, body) = save(&app, &attacker, &attempt_id, &f.single, authored, 1).await;
    assert_eq!(status, 422, "{body}");
    assert!(body.to_string().contains("unknown_id"), "{body}");
    submit_ok(&app, &attacker, &attempt_id).await;
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
    let honest = f.org.candidate(&app, 1).await;
    let (status, attempt) = start(&app, &honest, &exam).await;
    assert_eq!(status, 201, "{attempt}");
    let id = attempt["id"].as_str().expect("id").to_owned();
    let order: Vec<String> = DYNASTIES
        .iter()
        .map(|t| label_of(&attempt, &f.ordering, t))
        .collect();
    save_ok(
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
    save_ok(
        &app,
        &honest,
        &id,
        &f.matching,
        json!({ "type": "matching", "pairs": pairs }),
    )
    .await;
    save_ok(
        &app,
        &honest,
        &id,
        &f.single,
        json!({ "type": "single_choice", "choice": label_of(&attempt, &f.single, "北京") }),
    )
    .await;
    let receipt = submit_ok(&app, &honest, &id).await;
    assert_eq!(receipt["score"], 7.0, "{receipt}");
}

#[tokio::test]
async fn keys_stay_hidden_while_a_retake_is_possible_and_a_retake_gets_a_new_paper() {
    let app = spawn_app().await;
    let f = fixture(&app, "retake").await;
    let exam = f.exam(&app, 2).await;
    let cand = f.org.candidate(&app, 0).await;

    let (status, first) = start(&app, &cand, &exam).await;
    assert_eq!(status, 201, "{first}");
    let first_id = id(&first);
    submit_ok(&app, &cand, &first_id).await;
    // Released at once, reviewable after release: but an attempt is left, so no keys.
    let (status, body) = review(&app, &cand, &first_id).await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["details"]["reason"], "review_not_available", "{body}");

    let (status, second) = start(&app, &cand, &exam).await;
    assert_eq!(status, 201, "{second}");
    let second_id = id(&second);
    // Another draw and shuffle: its own seed, and labels that share nothing with the first.
    let seeds: Vec<String> = {
        use backend::db::schema::attempts;
        let mut conn = app.db();
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
    submit_ok(&app, &cand, &second_id).await;
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

#[tokio::test]
async fn once_the_keys_were_read_no_attempt_reopens_or_starts_again() {
    let app = spawn_app().await;
    let f = fixture(&app, "keys-seen").await;
    let exam = f.exam(&app, 1).await;
    let cand = f.org.candidate(&app, 0).await;
    let owner = &f.org.owner;
    let (status, first) = start(&app, &cand, &exam).await;
    assert_eq!(status, 201, "{first}");
    let first_id = id(&first);
    submit_ok(&app, &cand, &first_id).await;
    // Before the review, a proctor may still reopen (a browser crash, say): checked on a
    // second candidate below. This one reads the keys: no attempt left, released at once.
    let (status, body) = review(&app, &cand, &first_id).await;
    assert_eq!(status, 200, "{body}");

    // Reopening the attempt would let them answer with the keys.
    let base = format!("/api/exams/{exam}/attempts/{first_id}");
    let (status, body) = post(
        &app,
        owner,
        &format!("{base}/reopen"),
        json!({ "minutes": 30 }),
    )
    .await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["details"]["reason"], "keys_seen", "{body}");
    // So would an extra attempt granted afterwards, or a raised attempt limit.
    let (status, body) = crate::helpers::put(
        &app,
        owner,
        &format!("/api/exams/{exam}/assignments/{}", f.org.candidates[0]),
        json!({ "extra_minutes": 0, "extra_percent": 0, "extra_attempts": 2 }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = start(&app, &cand, &exam).await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["details"]["reason"], "keys_seen", "{body}");
    // The portal offers no attempt, and the proctor's monitor says why.
    let (status, list) = get(&app, &cand, "/api/candidate/exams").await;
    assert_eq!(status, 200, "{list}");
    let mine = list
        .as_array()
        .and_then(|l| l.iter().find(|e| e["id"] == exam.as_str()))
        .unwrap_or_else(|| panic!("exam not listed: {list}"));
    assert_eq!(mine["attempts_left"], 0, "{mine}");
    let (status, monitor) = get(&app, owner, &format!("/api/exams/{exam}/monitor")).await;
    assert_eq!(status, 200, "{monitor}");
    let row = monitor
        .as_array()
        .and_then(|rows| rows.iter().find(|r| r["attempt_id"] == first_id.as_str()))
        .unwrap_or_else(|| panic!("attempt not in the monitor: {monitor}"));
    assert!(row["keys_shown_at"].is_string(), "{row}");
    // Nothing was changed by the refusals.
    let (status, body) = review(&app, &cand, &first_id).await;
    assert_eq!(status, 200, "{body}");

    // A candidate who did not read the keys can still be reopened.
    let other = f.org.candidate(&app, 1).await;
    let (status, attempt) = start(&app, &other, &exam).await;
    assert_eq!(status, 201, "{attempt}");
    let other_id = id(&attempt);
    submit_ok(&app, &other, &other_id).await;
    let (status, body) = post(
        &app,
        owner,
        &format!("/api/exams/{exam}/attempts/{other_id}/reopen"),
        json!({ "minutes": 30 }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "in_progress", "{body}");
}
