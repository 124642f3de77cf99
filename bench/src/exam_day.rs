//! The exam-day benchmark: as the demo owner, a bank of 50 single-choice questions on a fixed
//! paper, an exam open now for two hours (60 minutes to write), N candidates imported by CSV and
//! assigned. Then every candidate signs in on the demo portal (argon2 on the server: done first,
//! with bounded concurrency, and reported on its own), starts its attempt at a random moment of
//! the start window, saves an answer every few seconds (jittered, increasing `seq`) and submits.
//! Every request is timed by kind. A closed-loop mode instead has C started candidates save as
//! fast as they can for T seconds.

mod results;
mod setup;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::ensure;
use reqwest::{Client, Method};
use serde_json::{Value, json};
use tokio::sync::Semaphore;

use crate::Console;
use crate::stats::summary;
use setup::set_up;

const QUESTIONS: usize = 50;
const CHOICES: [&str; 4] = ["A", "B", "C", "D"];
const PASSWORD: &str = "bench-candidate-2026";
const CSRF: (&str, &str) = ("x-examcloud-csrf", "1");

/// The exam-day options.
pub struct Options {
    pub candidates: usize,
    pub window_secs: u64,
    pub save_every_secs: f64,
    pub saves: usize,
    pub login_concurrency: usize,
    pub closed_loop: Option<usize>,
    pub seconds: u64,
    /// After the exam day, time the results table, its exports and bulk certificates (the
    /// exam's pass mark is 0 then, so every candidate passes and gets one).
    pub results: bool,
}

/// Samples and errors of one request kind.
#[derive(Default)]
struct Kind {
    samples: Vec<Duration>,
    errors: usize,
    first_error: Option<String>,
}

/// Per-kind measurements; merged from the tasks at the end.
#[derive(Default)]
struct Recorder {
    kinds: BTreeMap<&'static str, Kind>,
}

impl Recorder {
    fn ok(&mut self, kind: &'static str, took: Duration) {
        self.kinds.entry(kind).or_default().samples.push(took);
    }

    fn err(&mut self, kind: &'static str, took: Duration, what: String) {
        let k = self.kinds.entry(kind).or_default();
        k.samples.push(took);
        k.errors += 1;
        k.first_error.get_or_insert(what);
    }

    fn merge(&mut self, other: Recorder) {
        for (name, k) in other.kinds {
            let mine = self.kinds.entry(name).or_default();
            mine.samples.extend(k.samples);
            mine.errors += k.errors;
            if mine.first_error.is_none() {
                mine.first_error = k.first_error;
            }
        }
    }

    fn total(&self) -> usize {
        self.kinds.values().map(|k| k.samples.len()).sum()
    }

    fn errors(&self) -> usize {
        self.kinds.values().map(|k| k.errors).sum()
    }

    fn print(&self, order: &[&'static str]) {
        for name in order {
            if let Some(k) = self.kinds.get(name) {
                println!("{}  errors={}", summary(name, k.samples.clone()), k.errors);
                if let Some(e) = &k.first_error {
                    println!("  first {name} error: {e}");
                }
            }
        }
    }

    /// Times one request; a non-2xx status or a transport error counts as an error. Answers
    /// the body when the request succeeded.
    async fn send(
        &mut self,
        kind: &'static str,
        client: &Client,
        method: Method,
        url: String,
        body: Option<Value>,
    ) -> Option<Value> {
        let started = Instant::now();
        let mut req = client.request(method, url).header(CSRF.0, CSRF.1);
        if let Some(body) = body {
            req = req.json(&body);
        }
        let res = match req.send().await {
            Ok(res) => res,
            Err(e) => {
                self.err(kind, started.elapsed(), format!("transport: {e}"));
                return None;
            }
        };
        let status = res.status();
        let text = res.text().await;
        let took = started.elapsed();
        match text {
            Ok(text) if status.is_success() => {
                self.ok(kind, took);
                Some(serde_json::from_str(&text).unwrap_or(Value::Null))
            }
            Ok(text) => {
                let short: String = text.chars().take(300).collect();
                self.err(kind, took, format!("{status} {short}"));
                None
            }
            Err(e) => {
                self.err(kind, took, format!("reading the body: {e}"));
                None
            }
        }
    }
}

fn candidate_client() -> anyhow::Result<Client> {
    Ok(Client::builder()
        .cookie_store(true)
        .timeout(Duration::from_secs(120))
        .build()?)
}

/// Signs every candidate in on the demo portal, `concurrency` at a time. Answers the signed-in
/// clients (None for a failed sign-in), the measurements and the wall time.
async fn sign_in_all(
    base: &str,
    accounts: &[String],
    concurrency: usize,
) -> anyhow::Result<(Vec<Option<Client>>, Recorder, Duration)> {
    let gate = Arc::new(Semaphore::new(concurrency.max(1)));
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(accounts.len());
    for account in accounts {
        let client = candidate_client()?;
        let gate = gate.clone();
        let url = format!("{base}/api/portal/demo/login");
        let account = account.clone();
        tasks.push(tokio::spawn(async move {
            let _permit = gate.acquire_owned().await;
            let mut rec = Recorder::default();
            let ok = rec
                .send(
                    "login",
                    &client,
                    Method::POST,
                    url,
                    Some(json!({ "identifier": account, "password": PASSWORD })),
                )
                .await
                .is_some();
            (ok.then_some(client), rec)
        }));
    }
    let mut clients = Vec::with_capacity(accounts.len());
    let mut rec = Recorder::default();
    for task in tasks {
        let (client, r) = task.await?;
        clients.push(client);
        rec.merge(r);
    }
    Ok((clients, rec, started.elapsed()))
}

/// A save of question `question` choosing one of `choices` (the ids the attempt's paper
/// shows for it: per-attempt labels, not the authored `A`–`D`).
fn save_body(choices: Option<&Vec<String>>, question: usize, seq: u64) -> Value {
    let n = usize::try_from(seq).unwrap_or(0) + question;
    let choice = choices
        .filter(|c| !c.is_empty())
        .map_or("", |c| c[n % c.len()].as_str());
    json!({ "answer": { "type": "single_choice", "choice": choice }, "seq": seq })
}

/// The ids of each question's options in an attempt's paper, by question id.
fn choices_of(attempt: &Value) -> HashMap<String, Vec<String>> {
    let mut out = HashMap::new();
    for section in attempt["paper"]["sections"]
        .as_array()
        .into_iter()
        .flatten()
    {
        for q in section["questions"].as_array().into_iter().flatten() {
            let ids = q["content"]["options"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|o| o["id"].as_str().map(str::to_owned))
                .collect();
            if let Some(id) = q["question_id"].as_str() {
                out.insert(id.to_owned(), ids);
            }
        }
    }
    out
}

/// One candidate's exam: wait for its moment, start, fetch the paper, save, submit.
async fn candidate(
    base: String,
    client: Client,
    exam: String,
    questions: Arc<Vec<String>>,
    delay: Duration,
    save_every: Duration,
    saves: usize,
) -> Recorder {
    let mut rec = Recorder::default();
    tokio::time::sleep(delay).await;
    let Some(attempt) = rec
        .send(
            "start",
            &client,
            Method::POST,
            format!("{base}/api/candidate/exams/{exam}/attempts"),
            None,
        )
        .await
    else {
        return rec;
    };
    let choices = choices_of(&attempt);
    let Some(attempt) = attempt["id"].as_str().map(str::to_owned) else {
        // Counted as a success by `send`; the missing id makes it an error.
        let k = rec.kinds.entry("start").or_default();
        k.errors += 1;
        k.first_error
            .get_or_insert_with(|| format!("no attempt id in {attempt}"));
        return rec;
    };
    rec.send(
        "get paper",
        &client,
        Method::GET,
        format!("{base}/api/candidate/attempts/{attempt}"),
        None,
    )
    .await;
    let first = rand::random_range(0..questions.len());
    for s in 0..saves {
        // Reading and thinking: the period with ±50 % jitter.
        let pause = save_every.mul_f64(rand::random_range(0.5..1.5));
        tokio::time::sleep(pause).await;
        let q = (first + s) % questions.len();
        let seq = u64::try_from(s).unwrap_or(u64::MAX) + 1;
        rec.send(
            "save",
            &client,
            Method::PUT,
            format!(
                "{base}/api/candidate/attempts/{attempt}/answers/{}",
                questions[q]
            ),
            Some(save_body(choices.get(&questions[q]), q, seq)),
        )
        .await;
    }
    rec.send(
        "submit",
        &client,
        Method::POST,
        format!("{base}/api/candidate/attempts/{attempt}/submit"),
        None,
    )
    .await;
    rec
}

/// One started candidate saving back to back until `until`.
async fn save_loop(
    base: String,
    client: Client,
    (attempt, choices): (String, HashMap<String, Vec<String>>),
    questions: Arc<Vec<String>>,
    until: Instant,
) -> Recorder {
    let mut rec = Recorder::default();
    let mut seq = 0u64;
    while Instant::now() < until {
        seq += 1;
        let q = usize::try_from(seq).unwrap_or(0) % questions.len();
        rec.send(
            "save",
            &client,
            Method::PUT,
            format!(
                "{base}/api/candidate/attempts/{attempt}/answers/{}",
                questions[q]
            ),
            Some(save_body(choices.get(&questions[q]), q, seq)),
        )
        .await;
    }
    rec
}

fn print_logins(rec: &Recorder, wall: Duration, n: usize, concurrency: usize) {
    println!(
        "sign-in of {n} candidates ({concurrency} at a time): {:.2} s, {:.1} logins/s",
        wall.as_secs_f64(),
        n as f64 / wall.as_secs_f64().max(1e-9)
    );
    rec.print(&["login"]);
}

pub async fn run(base: &str, account: &str, password: &str, opts: Options) -> anyhow::Result<()> {
    let console = Console::sign_in(base, account, password).await?;
    let n = opts.closed_loop.unwrap_or(opts.candidates);
    ensure!(n > 0, "no candidates");
    let pass_mark = if opts.results { 0.0 } else { 50.0 };
    let (exam, questions, accounts) = set_up(&console, n, pass_mark).await?;
    let questions = Arc::new(questions);

    let (clients, logins, wall) = sign_in_all(base, &accounts, opts.login_concurrency).await?;
    print_logins(&logins, wall, n, opts.login_concurrency);
    let clients: Vec<Client> = clients.into_iter().flatten().collect();
    ensure!(
        !clients.is_empty(),
        "no candidate could sign in (see the login errors)"
    );

    if opts.closed_loop.is_some() {
        // Start every attempt first, then save back to back.
        let mut rec = Recorder::default();
        let mut started = Vec::with_capacity(clients.len());
        for client in clients {
            if let Some(a) = rec
                .send(
                    "start",
                    &client,
                    Method::POST,
                    format!("{base}/api/candidate/exams/{exam}/attempts"),
                    None,
                )
                .await
                && let Some(id) = a["id"].as_str()
            {
                started.push((client, (id.to_owned(), choices_of(&a))));
            }
        }
        rec.print(&["start"]);
        let c = started.len();
        let begin = Instant::now();
        let until = begin + Duration::from_secs(opts.seconds);
        let tasks: Vec<_> = started
            .into_iter()
            .map(|(client, attempt)| {
                tokio::spawn(save_loop(
                    base.to_owned(),
                    client,
                    attempt,
                    questions.clone(),
                    until,
                ))
            })
            .collect();
        let mut saves = Recorder::default();
        for task in tasks {
            saves.merge(task.await?);
        }
        let elapsed = begin.elapsed().as_secs_f64();
        let kind = saves.kinds.get("save");
        let total = kind.map_or(0, |k| k.samples.len());
        let errors = kind.map_or(0, |k| k.errors);
        println!(
            "closed loop: {c} candidates saving back to back for {elapsed:.2} s: {} durable saves ({:.1} saves/s), {errors} errors",
            total - errors,
            (total - errors) as f64 / elapsed.max(1e-9)
        );
        saves.print(&["save"]);
        return Ok(());
    }

    // Open loop: every candidate starts at a random moment of the window.
    let window = Duration::from_secs(opts.window_secs);
    let save_every = Duration::from_secs_f64(opts.save_every_secs.max(0.0));
    let begin = Instant::now();
    let tasks: Vec<_> = clients
        .into_iter()
        .map(|client| {
            let delay = window.mul_f64(rand::random_range(0.0..1.0));
            tokio::spawn(candidate(
                base.to_owned(),
                client,
                exam.clone(),
                questions.clone(),
                delay,
                save_every,
                opts.saves,
            ))
        })
        .collect();
    let mut rec = Recorder::default();
    for task in tasks {
        rec.merge(task.await?);
    }
    let elapsed = begin.elapsed().as_secs_f64();
    println!(
        "exam day: {} candidates, start window {} s, {} saves each every ~{} s: {:.2} s, {} requests ({} errors), {:.1} requests/s",
        n,
        opts.window_secs,
        opts.saves,
        opts.save_every_secs,
        elapsed,
        rec.total(),
        rec.errors(),
        rec.total() as f64 / elapsed.max(1e-9)
    );
    rec.print(&["start", "get paper", "save", "submit"]);
    let mut all = logins;
    all.merge(rec);
    println!(
        "all requests including sign-in: {} ({} errors)",
        all.total(),
        all.errors()
    );
    if opts.results {
        results::run(&console, &exam).await?;
    }
    Ok(())
}
