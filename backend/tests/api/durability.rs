//! Durability of acknowledged answers: the real `examcloud` binary runs as its own process, a
//! candidate streams answer saves from concurrent tasks, the server is killed with SIGKILL while
//! saves are in flight, and after a restart on the same database every acknowledged save is
//! still there (or superseded by a newer `seq`).
//!
//! On SQLite the connection pragmas are `journal_mode = WAL` and `synchronous = NORMAL`
//! (`backend/src/db/mod.rs`). In WAL mode, NORMAL writes each commit to the WAL file before the
//! transaction returns, so a committed transaction survives the death of the process (what this
//! test does: the operating system still holds the written pages); it is not enough for a power
//! cut of the machine, which would need `synchronous = FULL` (fsync of the WAL at every commit).
//! PostgreSQL is durable against both with its defaults (`fsync = on`, `synchronous_commit = on`).

use std::collections::HashMap;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use reqwest::{Client, Method};
use serde_json::{Value, json};

use crate::helpers::{CSRF, TestDb, exam_body, id, label_of, request};

const OWNER: (&str, &str) = ("demo@example.com", "demo-password-2026");
const CANDIDATE: (&str, &str) = ("demo001", "candidate-2026");
const QUESTIONS: usize = 10;
const TASKS: usize = 4;
const CHOICES: [&str; 4] = ["A", "B", "C", "D"];

/// The server as a child process; killed (SIGKILL) when dropped, so a failing test leaves no
/// process behind.
struct Server {
    child: Child,
    base: String,
    log: std::path::PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Starts `examcloud serve --demo` in `dir` (so `data/keys.json` lives there) on a free
    /// port and waits for `/api/health`. Retries with another port if the one picked was taken
    /// in between.
    async fn start(dir: &Path, db_url: &str, run: &str) -> Server {
        let probe = Client::builder()
            .timeout(Duration::from_secs(2))
            .build()
            .expect("client");
        for attempt in 0..3 {
            let port = std::net::TcpListener::bind("127.0.0.1:0")
                .expect("bind a free port")
                .local_addr()
                .expect("address")
                .port();
            let log = dir.join(format!("server-{run}-{attempt}.log"));
            let out = std::fs::File::create(&log).expect("log file");
            let err = out.try_clone().expect("log file");
            let child = Command::new(env!("CARGO_BIN_EXE_examcloud"))
                .args([
                    "serve",
                    "--port",
                    &port.to_string(),
                    "--database-url",
                    db_url,
                ])
                .arg("--demo")
                .current_dir(dir)
                .env("RUST_LOG", "warn")
                .env_remove("APP_CONFIG_FILE")
                .stdin(Stdio::null())
                .stdout(out)
                .stderr(err)
                .spawn()
                .expect("start the examcloud binary");
            let mut server = Server {
                child,
                base: format!("http://127.0.0.1:{port}"),
                log,
            };
            let deadline = Instant::now() + Duration::from_secs(20);
            loop {
                if let Some(status) = server.child.try_wait().expect("child status") {
                    eprintln!(
                        "server exited ({status}) before it was ready:\n{}",
                        server.log_text()
                    );
                    break;
                }
                if let Ok(res) = probe.get(server.url("/api/health")).send().await
                    && res.status().is_success()
                {
                    return server;
                }
                assert!(
                    Instant::now() < deadline,
                    "the server did not answer /api/health within 20 s:\n{}",
                    server.log_text()
                );
                tokio::time::sleep(Duration::from_millis(25)).await;
            }
        }
        panic!("the server did not start in three tries");
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// SIGKILL (what `Child::kill` sends on Unix): no shutdown hook, no flush, no checkpoint.
    fn kill_9(mut self) {
        self.child.kill().expect("SIGKILL the server");
        let status = self.child.wait().expect("reap the server");
        assert!(!status.success(), "the server was killed: {status}");
    }
}

fn cookie_client() -> Client {
    Client::builder()
        .cookie_store(true)
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client")
}

async fn send(s: &Server, c: &Client, method: Method, path: &str, body: Value) -> (u16, Value) {
    let (status, json) = request(c, method, &s.url(path), &body).await;
    (status.as_u16(), json)
}

async fn candidate_login(s: &Server) -> Client {
    let c = cookie_client();
    let (status, body) = send(
        s,
        &c,
        Method::POST,
        "/api/portal/demo/login",
        json!({ "identifier": CANDIDATE.0, "password": CANDIDATE.1 }),
    )
    .await;
    assert_eq!(status, 200, "demo001 signing in: {body}");
    c
}

/// As the demo owner: a bank of single-choice questions on a fixed paper, an exam open now for
/// 60 minutes, demo001 assigned. Answers (exam id, question ids).
async fn set_up_exam(s: &Server) -> (String, Vec<String>) {
    let owner = cookie_client();
    let (status, body) = send(
        s,
        &owner,
        Method::POST,
        "/api/auth/login",
        json!({ "identifier": OWNER.0, "password": OWNER.1 }),
    )
    .await;
    assert_eq!(status, 200, "the demo owner signing in: {body}");
    let (status, bank) = send(
        s,
        &owner,
        Method::POST,
        "/api/question-banks",
        json!({ "name": "Durability" }),
    )
    .await;
    assert_eq!(status, 201, "{bank}");
    let bank = id(&bank);
    let mut questions = Vec::new();
    for i in 0..QUESTIONS {
        let (status, q) = send(
            s,
            &owner,
            Method::POST,
            &format!("/api/question-banks/{bank}/questions"),
            json!({ "content": { "type": "single_choice", "stem": format!("<p>Question {i}</p>"),
                        "options": CHOICES.iter().map(|c| json!({ "id": c, "text": format!("Option {c}") })).collect::<Vec<_>>(),
                        "answer": "A" },
                    "points": 1, "difficulty": 2 }),
        )
        .await;
        assert_eq!(status, 201, "{q}");
        questions.push(id(&q));
    }
    let (status, paper) = send(
        s,
        &owner,
        Method::POST,
        "/api/papers",
        json!({ "name": "Durability paper", "sections": [{ "title": "One",
            "questions": questions.iter().map(|q| json!({ "question_id": q })).collect::<Vec<_>>() }] }),
    )
    .await;
    assert_eq!(status, 201, "{paper}");
    let body = exam_body(
        &id(&paper),
        json!({ "name": "Durability", "duration_minutes": 60 }),
    );
    let (status, exam) = send(s, &owner, Method::POST, "/api/exams", body).await;
    assert_eq!(status, 201, "{exam}");
    let exam = id(&exam);
    let (status, found) = send(
        s,
        &owner,
        Method::GET,
        &format!("/api/candidates?q={}", CANDIDATE.0),
        Value::Null,
    )
    .await;
    assert_eq!(status, 200, "{found}");
    let candidate = found["items"][0]["id"]
        .as_str()
        .expect("demo001 exists")
        .to_owned();
    let (status, result) = send(
        s,
        &owner,
        Method::POST,
        &format!("/api/exams/{exam}/assignments"),
        json!({ "candidate_ids": [candidate] }),
    )
    .await;
    assert_eq!(status, 200, "{result}");
    (exam, questions)
}

/// One acknowledged save: (question index, seq, choice).
type Ack = (usize, u64, &'static str);

#[derive(Default)]
struct Tally {
    acked: AtomicUsize,
    superseded: AtomicUsize,
    refused: AtomicUsize,
    failed: AtomicUsize,
}

/// Saves answers until the server goes away: every task walks over all the questions, so
/// saves of the same question race each other; `seq` per question comes from one counter, and
/// the choice varies with it.
/// What every saving task shares.
#[derive(Clone)]
struct Saver {
    base: String,
    client: Client,
    attempt: String,
    questions: Arc<Vec<String>>,
    /// Per question: the attempt's label of each choice (candidates never see authored ids).
    labels: Arc<Vec<HashMap<&'static str, String>>>,
    seqs: Arc<Vec<AtomicU64>>,
    tally: Arc<Tally>,
    stop: Arc<AtomicBool>,
}

async fn save_until_failure(saver: Saver, task: usize) -> Vec<Ack> {
    let Saver {
        base,
        client,
        attempt,
        questions,
        labels,
        seqs,
        tally,
        stop,
    } = saver;
    let mut acks = Vec::new();
    let mut i = task;
    while !stop.load(Ordering::Relaxed) {
        let q = i % questions.len();
        i += 1;
        let seq = seqs[q].fetch_add(1, Ordering::SeqCst) + 1;
        let choice = CHOICES[usize::try_from(seq).unwrap_or(0) * 7 % CHOICES.len()];
        let res = client
            .put(format!(
                "{base}/api/candidate/attempts/{attempt}/answers/{}",
                questions[q]
            ))
            .header(CSRF.0, CSRF.1)
            .json(&json!({ "answer": { "type": "single_choice", "choice": labels[q][choice] }, "seq": seq }))
            .send()
            .await;
        let res = match res {
            Ok(res) => res,
            Err(_) => {
                // The server is gone: this save was never acknowledged.
                tally.failed.fetch_add(1, Ordering::Relaxed);
                break;
            }
        };
        let status = res.status();
        let Ok(body) = res.json::<Value>().await else {
            // The connection died while the body was read: no acknowledgement either.
            tally.failed.fetch_add(1, Ordering::Relaxed);
            break;
        };
        if !status.is_success() {
            eprintln!("save refused with {status}: {body}");
            tally.refused.fetch_add(1, Ordering::Relaxed);
            continue;
        }
        if body["applied"] != true {
            // A newer save of this question committed first; this one is acknowledged as
            // superseded (its seq is below the stored one).
            tally.superseded.fetch_add(1, Ordering::Relaxed);
        }
        tally.acked.fetch_add(1, Ordering::Relaxed);
        acks.push((q, seq, choice));
    }
    acks
}

#[tokio::test]
async fn acknowledged_answers_survive_a_sigkill_of_the_server() {
    let started = Instant::now();
    let dir = tempfile::tempdir().expect("tempdir");
    // SQLite: a file in the tempdir; PostgreSQL: a fresh database (dropped at the end).
    let db = TestDb::new(dir.path());

    let server = Server::start(dir.path(), &db.url, "first").await;
    // The generated key file sits in the server's working directory, which the restart reuses.
    assert!(
        dir.path().join("data/keys.json").exists(),
        "no data/keys.json in the cwd"
    );
    let (exam, questions) = set_up_exam(&server).await;
    let candidate = candidate_login(&server).await;
    let (status, attempt) = send(
        &server,
        &candidate,
        Method::POST,
        &format!("/api/candidate/exams/{exam}/attempts"),
        Value::Null,
    )
    .await;
    assert_eq!(status, 201, "{attempt}");
    let labels: Vec<HashMap<&'static str, String>> = questions
        .iter()
        .map(|q| {
            CHOICES
                .iter()
                .map(|c| (*c, label_of(&attempt, q, &format!("Option {c}"))))
                .collect()
        })
        .collect();
    let attempt = id(&attempt);

    let questions = Arc::new(questions);
    let labels = Arc::new(labels);
    let seqs: Arc<Vec<AtomicU64>> = Arc::new((0..QUESTIONS).map(|_| AtomicU64::new(0)).collect());
    let tally = Arc::new(Tally::default());
    let stop = Arc::new(AtomicBool::new(false));
    let saver = Saver {
        base: server.base.clone(),
        client: candidate.clone(),
        attempt: attempt.clone(),
        questions: questions.clone(),
        labels: labels.clone(),
        seqs: seqs.clone(),
        tally: tally.clone(),
        stop: stop.clone(),
    };
    let tasks: Vec<_> = (0..TASKS)
        .map(|task| tokio::spawn(save_until_failure(saver.clone(), task)))
        .collect();

    // Save for at least a second and a few hundred acknowledgements (at most 5 s), then kill
    // the server while the tasks are still sending.
    let saving = Instant::now();
    loop {
        tokio::time::sleep(Duration::from_millis(20)).await;
        let acked = tally.acked.load(Ordering::Relaxed);
        let elapsed = saving.elapsed();
        if (elapsed >= Duration::from_secs(1) && acked >= 300) || elapsed >= Duration::from_secs(5)
        {
            break;
        }
        assert!(
            tasks.iter().all(|t| !t.is_finished()),
            "a saving task stopped while the server was up:\n{}",
            server.log_text()
        );
    }
    let saving_for = saving.elapsed();
    let acked_at_kill = tally.acked.load(Ordering::Relaxed);
    server.kill_9();
    stop.store(true, Ordering::Relaxed);

    let mut acks: Vec<Ack> = Vec::new();
    for task in tasks {
        let done = tokio::time::timeout(Duration::from_secs(15), task)
            .await
            .expect("a saving task did not stop after the kill")
            .expect("a saving task panicked");
        acks.extend(done);
    }
    let failed = tally.failed.load(Ordering::Relaxed);
    let refused = tally.refused.load(Ordering::Relaxed);
    let superseded = tally.superseded.load(Ordering::Relaxed);
    assert_eq!(refused, 0, "saves were refused while the server was up");
    assert!(
        acks.len() >= 50,
        "too few saves acknowledged to mean anything: {}",
        acks.len()
    );

    // The highest acknowledged save of each question.
    let mut highest: HashMap<usize, (u64, &str)> = HashMap::new();
    for &(q, seq, choice) in &acks {
        let entry = highest.entry(q).or_insert((seq, choice));
        if seq > entry.0 {
            *entry = (seq, choice);
        }
    }

    let server = Server::start(dir.path(), &db.url, "second").await;
    let candidate = candidate_login(&server).await;
    // A new sign-in is a new device: it resumes the attempt (taking it over) before reading it.
    let (status, resumed) = send(
        &server,
        &candidate,
        Method::POST,
        &format!("/api/candidate/exams/{exam}/attempts"),
        Value::Null,
    )
    .await;
    assert_eq!(status, 200, "resuming after the restart: {resumed}");
    let (status, view) = send(
        &server,
        &candidate,
        Method::GET,
        &format!("/api/candidate/attempts/{attempt}"),
        Value::Null,
    )
    .await;
    assert_eq!(status, 200, "the attempt after the restart: {view}");
    let stored: HashMap<&str, (u64, &str)> = view["answers"]
        .as_array()
        .expect("answers")
        .iter()
        .map(|a| {
            (
                a["question_id"].as_str().expect("question_id"),
                (
                    a["seq"].as_u64().expect("seq"),
                    a["answer"]["choice"].as_str().expect("choice"),
                ),
            )
        })
        .collect();

    let mut lines = Vec::new();
    for (q, question) in questions.iter().enumerate() {
        let sent = seqs[q].load(Ordering::SeqCst);
        let Some(&(acked_seq, acked_choice)) = highest.get(&q) else {
            lines.push(format!("  q{q}: sent up to {sent}, none acknowledged"));
            continue;
        };
        let &(seq, label) = stored.get(question.as_str()).unwrap_or_else(|| {
            panic!(
                "question {q}: acknowledged up to seq {acked_seq}, nothing stored after the restart"
            )
        });
        // The same attempt keeps its labels across the restart (same keys).
        let choice = CHOICES
            .iter()
            .copied()
            .find(|c| labels[q][c] == label)
            .unwrap_or_else(|| panic!("question {q}: stored label {label} is no choice's"));
        assert!(
            seq >= acked_seq,
            "question {q}: acknowledged seq {acked_seq} ({acked_choice}) but only seq {seq} ({choice}) survived the kill"
        );
        if seq == acked_seq {
            assert_eq!(
                choice, acked_choice,
                "question {q}: seq {seq} survived with another answer than the acknowledged one"
            );
        }
        lines.push(format!(
            "  q{q}: sent up to seq {sent}, acknowledged up to {acked_seq}, stored {seq} ({})",
            if seq == acked_seq {
                "= last ack"
            } else {
                "committed, ack lost in the kill"
            }
        ));
    }
    eprintln!(
        "durability on {:?}: {} saves acknowledged ({superseded} of them superseded by a newer seq) \
         in {saving_for:.2?} from {TASKS} tasks ({acked_at_kill} when the kill was sent), \
         {failed} in flight failed at the kill; per question:\n{}\n  total {:.2?}",
        crate::helpers::backend(),
        acks.len(),
        lines.join("\n"),
        started.elapsed()
    );
    drop(server);
}
