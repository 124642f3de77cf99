//! The exam fixture every exam test starts from: an organisation with a bank holding one
//! question of each of the eight types (3 points each, keys and explanations marked
//! `SECRET-…` so a test can tell when one reaches a candidate), a paper, two candidates who can
//! sign in, and exams made from a default body; and the candidate's side of an attempt.

use std::net::IpAddr;

use chrono::Utc;
use reqwest::Client;
use serde_json::{Value, json};

use super::requests::{at, get, id, post, put};
use super::{PASSWORD, TestApp, label_of};

/// The eight question types, in the order of the fixture's bank and paper.
pub const ALL_TYPES: [&str; 8] = [
    "single_choice",
    "multiple_choice",
    "true_false",
    "fill_blank",
    "essay",
    "ordering",
    "matching",
    "composite",
];

/// Text of answers, explanations and rubrics that must never reach a candidate.
const SECRETS: [&str; 5] = [
    "SECRET-BLANK",
    "SECRET-REFERENCE",
    "SECRET-RUBRIC",
    "SECRET-PART",
    "SECRET-EXPLANATION",
];

/// The fixture's question of type `kind`. Single choice: 甲 / 乙, key 乙 (`B`); multiple
/// choice: 甲 乙 丙, key 甲 丙; true/false: true; ordering: 秦 汉 唐; matching: H2O → 水,
/// NaCl → 盐.
fn content(kind: &str) -> Value {
    match kind {
        "single_choice" => json!({ "type": "single_choice", "stem": "<p>单选</p>",
            "options": [{ "id": "A", "text": "甲" }, { "id": "B", "text": "乙" }], "answer": "B" }),
        "multiple_choice" => json!({ "type": "multiple_choice", "stem": "<p>多选</p>",
            "options": [{ "id": "A", "text": "甲" }, { "id": "B", "text": "乙" }, { "id": "C", "text": "丙" }],
            "answers": ["A", "C"] }),
        "true_false" => json!({ "type": "true_false", "stem": "<p>判断</p>", "answer": true }),
        "fill_blank" => json!({ "type": "fill_blank", "stem": "<p>首都是{{1}}</p>",
            "blanks": [{ "answers": ["SECRET-BLANK"] }] }),
        "essay" => json!({ "type": "essay", "stem": "<p>论述</p>",
            "reference_answer": "<p>SECRET-REFERENCE</p>",
            "rubric": [{ "criterion": "SECRET-RUBRIC", "points": 5 }] }),
        "ordering" => json!({ "type": "ordering", "stem": "<p>排序</p>",
            "items": [{ "id": "1", "text": "秦" }, { "id": "2", "text": "汉" }, { "id": "3", "text": "唐" }] }),
        "matching" => json!({ "type": "matching", "stem": "<p>配对</p>",
            "prompts": [{ "id": "1", "text": "H2O" }, { "id": "2", "text": "NaCl" }],
            "answers": [{ "id": "a", "text": "水" }, { "id": "b", "text": "盐" }],
            "pairs": [{ "prompt": "1", "answer": "a" }, { "prompt": "2", "answer": "b" }] }),
        "composite" => json!({ "type": "composite", "passage": "<p>材料</p>",
            "parts": [{ "points": 2, "content": { "type": "fill_blank", "stem": "<p>{{1}}</p>",
                        "blanks": [{ "answers": ["SECRET-PART"] }] } }] }),
        other => panic!("no question type {other}"),
    }
}

/// An organisation ready for exams.
pub struct ExamOrg {
    pub owner: Client,
    pub slug: String,
    pub tag: String,
    /// The default paper of every exam (see [`exam_org_with`]).
    pub paper_id: String,
    /// Question ids by type, in the bank's order.
    pub questions: Vec<(&'static str, String)>,
    pub candidates: Vec<String>,
}

/// An organisation whose default paper holds all eight questions (24 points), shuffled.
pub async fn exam_org(app: &TestApp, tag: &str) -> ExamOrg {
    exam_org_with(app, tag, &ALL_TYPES).await
}

/// An organisation whose default paper holds the questions of `paper` (in that order,
/// unshuffled). `tag` names the organisation and its candidates (`stu-{tag}-{i}`).
pub async fn exam_org_with(app: &TestApp, tag: &str, paper: &[&str]) -> ExamOrg {
    let owner = app
        .register_org(
            &format!("考试单位 {tag}"),
            &format!("exams-{tag}@example.com"),
        )
        .await;
    let slug = app.slug_of(&owner).await;
    let bank = super::create_bank(app, &owner, "题库").await;
    let mut questions = Vec::new();
    for kind in ALL_TYPES {
        let (status, q) = post(
            app,
            &owner,
            &format!("/api/question-banks/{bank}/questions"),
            json!({ "content": content(kind), "points": 3, "difficulty": 2,
                    "explanation": "<p>SECRET-EXPLANATION</p>" }),
        )
        .await;
        assert_eq!(status, 201, "{q}");
        questions.push((kind, id(&q)));
    }
    let mut candidates = Vec::new();
    for i in 0..2 {
        let c = app
            .create_candidate(
                &owner,
                json!({ "account": format!("stu-{tag}-{i}"), "name": format!("学生{i}"), "password": PASSWORD }),
            )
            .await;
        candidates.push(id(&c));
    }
    let mut org = ExamOrg {
        owner,
        slug,
        tag: tag.to_owned(),
        paper_id: String::new(),
        questions,
        candidates,
    };
    let shuffled = paper.len() == ALL_TYPES.len();
    org.paper_id = org.paper(app, paper, shuffled).await;
    org
}

impl ExamOrg {
    /// The id of the question of type `kind`.
    pub fn question(&self, kind: &str) -> &str {
        &self
            .questions
            .iter()
            .find(|(k, _)| *k == kind)
            .unwrap_or_else(|| panic!("no {kind} question"))
            .1
    }

    /// Creates a paper of one section with the questions of `kinds`; answers its id.
    pub async fn paper(&self, app: &TestApp, kinds: &[&str], shuffled: bool) -> String {
        let questions: Vec<Value> = kinds
            .iter()
            .map(|k| json!({ "question_id": self.question(k) }))
            .collect();
        let (status, paper) = post(
            app,
            &self.owner,
            "/api/papers",
            json!({ "name": "试卷", "shuffle_options": shuffled, "shuffle_questions": shuffled,
                    "sections": [{ "title": "一", "questions": questions }] }),
        )
        .await;
        assert_eq!(status, 201, "{paper}");
        id(&paper)
    }

    /// The default exam body on the default paper with `overrides` (a JSON object) applied.
    pub fn exam_body(&self, overrides: Value) -> Value {
        exam_body(&self.paper_id, overrides)
    }

    /// Creates an exam of [`Self::exam_body`]; answers the exam as created (nobody assigned).
    /// Its instructions come back sanitised.
    pub async fn create_exam(&self, app: &TestApp, overrides: Value) -> Value {
        let (status, exam) = post(app, &self.owner, "/api/exams", self.exam_body(overrides)).await;
        assert_eq!(status, 201, "{exam}");
        let instructions = exam["instructions"].as_str().unwrap_or("");
        assert!(!instructions.contains("script"), "{instructions}");
        exam
    }

    /// Assigns both candidates to `exam`.
    pub async fn assign_all(&self, app: &TestApp, exam: &str) {
        let (status, result) = post(
            app,
            &self.owner,
            &format!("/api/exams/{exam}/assignments"),
            json!({ "candidate_ids": self.candidates }),
        )
        .await;
        assert_eq!(status, 200, "{result}");
    }

    /// Creates an exam with `overrides` and assigns both candidates; answers its id.
    pub async fn exam(&self, app: &TestApp, overrides: Value) -> String {
        let exam = id(&self.create_exam(app, overrides).await);
        self.assign_all(app, &exam).await;
        exam
    }

    /// Starts `exam` as `cand` and saves the single choice's key (乙); answers the attempt's id.
    pub async fn start_and_save(&self, app: &TestApp, cand: &Client, exam: &str) -> String {
        let (status, attempt) = start(app, cand, exam).await;
        assert_eq!(status, 201, "{attempt}");
        let question = self.question("single_choice");
        let choice = label_of(&attempt, question, "乙");
        let attempt = id(&attempt);
        let (status, saved) = save(app, cand, &attempt, question, answer_choice(&choice), 1).await;
        assert_eq!(status, 200, "{saved}");
        assert_eq!(saved["applied"], true);
        attempt
    }

    /// Candidate `i`'s account (their password is [`PASSWORD`]).
    pub fn account(&self, i: usize) -> String {
        format!("stu-{}-{i}", self.tag)
    }

    /// Candidate `i` signed in on the portal.
    pub async fn candidate(&self, app: &TestApp, i: usize) -> Client {
        self.candidate_from(app, i, "127.0.0.1").await
    }

    /// Candidate `i` signed in from the loopback address `from` (127.0.0.0/8 all reaches the
    /// server, each as its own peer address).
    pub async fn candidate_from(&self, app: &TestApp, i: usize, from: &str) -> Client {
        let local: IpAddr = from.parse().expect("address");
        let client = Client::builder()
            .cookie_store(true)
            .local_address(local)
            .build()
            .expect("client");
        let (status, body) = post(
            app,
            &client,
            &format!("/api/portal/{}/login", self.slug),
            json!({ "identifier": self.account(i), "password": PASSWORD }),
        )
        .await;
        assert_eq!(status, 200, "{body}");
        client
    }
}

/// An exam on `paper_id`, open from a minute ago for an hour, 30 minutes, one attempt, the
/// score released at once, no review; `overrides` (a JSON object) replace its fields.
pub fn exam_body(paper_id: &str, overrides: Value) -> Value {
    let mut body = json!({
        "paper_id": paper_id, "name": "期中", "instructions": "<p>诚信<script>x()</script></p>",
        "opens_at": at(-1), "closes_at": at(60), "duration_minutes": 30,
        "attempts_allowed": 1, "scoring": "best", "pass_mark": 3,
        "release_policy": "immediately", "review_policy": "never",
    });
    for (k, v) in overrides.as_object().expect("overrides are an object") {
        body[k] = v.clone();
    }
    body
}

/// Fails if anything of an answer key reached a candidate: the secret texts anywhere in
/// `body`, or a key's field in its `paper`.
pub fn assert_no_keys(body: &Value) {
    let text = body.to_string();
    for secret in SECRETS {
        assert!(
            !text.contains(secret),
            "{secret} reached a candidate: {text}"
        );
    }
    let paper = body["paper"].to_string();
    for key in [
        "\"answer\"",
        "\"answers\":[\"",
        "\"pairs\"",
        "\"rubric\"",
        "\"reference_answer\"",
        "\"explanation\"",
    ] {
        assert!(
            !paper.contains(key),
            "{key} in the candidate's paper: {paper}"
        );
    }
}

/// A true/false answer.
pub fn answer_tf(value: bool) -> Value {
    json!({ "type": "true_false", "value": value })
}

/// A single-choice answer naming the option the attempt shows as `label`.
pub fn answer_choice(label: &str) -> Value {
    json!({ "type": "single_choice", "choice": label })
}

/// Starts (or resumes) the candidate's attempt at `exam`.
pub async fn start(app: &TestApp, cand: &Client, exam: &str) -> (u16, Value) {
    post(
        app,
        cand,
        &format!("/api/candidate/exams/{exam}/attempts"),
        Value::Null,
    )
    .await
}

/// Saves `answer` to `question` with `seq`.
pub async fn save(
    app: &TestApp,
    cand: &Client,
    attempt: &str,
    question: &str,
    answer: Value,
    seq: u64,
) -> (u16, Value) {
    put(
        app,
        cand,
        &format!("/api/candidate/attempts/{attempt}/answers/{question}"),
        json!({ "answer": answer, "seq": seq }),
    )
    .await
}

/// Submits the attempt.
pub async fn submit(app: &TestApp, cand: &Client, attempt: &str) -> (u16, Value) {
    post(
        app,
        cand,
        &format!("/api/candidate/attempts/{attempt}/submit"),
        Value::Null,
    )
    .await
}

/// The candidate's view of the attempt.
pub async fn view(app: &TestApp, cand: &Client, attempt: &str) -> (u16, Value) {
    get(app, cand, &format!("/api/candidate/attempts/{attempt}")).await
}

/// The candidate's review of the attempt.
pub async fn review(app: &TestApp, cand: &Client, attempt: &str) -> (u16, Value) {
    get(
        app,
        cand,
        &format!("/api/candidate/attempts/{attempt}/review"),
    )
    .await
}

/// Reports integrity events of `kinds`, all at the present time.
pub async fn events(app: &TestApp, cand: &Client, attempt: &str, kinds: &[&str]) -> (u16, Value) {
    let events: Vec<Value> = kinds
        .iter()
        .map(|k| json!({ "kind": k, "client_time": Utc::now().to_rfc3339() }))
        .collect();
    post(
        app,
        cand,
        &format!("/api/candidate/attempts/{attempt}/events"),
        json!({ "events": events }),
    )
    .await
}
