//! After the exam day (`--results`): the organiser's side at scale. Times the results table's
//! first page (and a filtered, re-sorted page), the full xlsx and CSV exports, then issues a
//! certificate to everyone who passed (`POST /api/exams/{id}/certificates/bulk`, a job) and
//! times the results page again while the job runs, to show whether other requests notice.

use std::time::{Duration, Instant};

use anyhow::{Context, ensure};
use serde_json::{Value, json};

use super::CSRF;
use crate::Console;
use crate::stats::summary;

/// Requests per timed page kind.
const PAGE_REQUESTS: usize = 100;

async fn get_json(console: &Console, path: &str) -> anyhow::Result<(Duration, Value)> {
    let started = Instant::now();
    let res = console.client.get(console.url(path)).send().await?;
    let status = res.status();
    let body: Value = res.json().await.unwrap_or(Value::Null);
    let took = started.elapsed();
    ensure!(status.is_success(), "GET {path}: {status} {body}");
    Ok((took, body))
}

async fn pages(console: &Console, path: &str, n: usize) -> anyhow::Result<Vec<Duration>> {
    let mut samples = Vec::with_capacity(n);
    for _ in 0..n {
        samples.push(get_json(console, path).await?.0);
    }
    Ok(samples)
}

/// Streams an export, answering its time to the last byte and its size.
async fn export(console: &Console, path: &str) -> anyhow::Result<(Duration, u64)> {
    let started = Instant::now();
    let mut res = console.client.get(console.url(path)).send().await?;
    ensure!(res.status().is_success(), "GET {path}: {}", res.status());
    let mut size = 0u64;
    while let Some(chunk) = res.chunk().await? {
        size += chunk.len() as u64;
    }
    Ok((started.elapsed(), size))
}

pub(super) async fn run(console: &Console, exam: &str) -> anyhow::Result<()> {
    let first = format!("/api/exams/{exam}/results");
    let (_, page) = get_json(console, &first).await?;
    let total = page["total"].as_u64().context("results total")?;
    let passed = page["summary"]["passed"].as_u64().unwrap_or(0);
    println!("results: {total} candidates with a counted attempt, {passed} passed");
    let samples = pages(console, &first, PAGE_REQUESTS).await?;
    println!("{}", summary("results first page", samples));
    let filtered = format!("{first}?passed=true&sort=time_used&order=desc&offset=50");
    let samples = pages(console, &filtered, PAGE_REQUESTS).await?;
    println!("{}", summary("results filtered page", samples));

    for (format, lang) in [("xlsx", "zh-CN"), ("csv", "en")] {
        let path = format!("/api/exams/{exam}/results/export?format={format}&lang={lang}");
        let (took, size) = export(console, &path).await?;
        println!(
            "export {format}: {total} rows, {:.1} KiB in {:.2} s",
            size as f64 / 1024.0,
            took.as_secs_f64()
        );
    }

    // Certificates for everyone who passed, as a job, with the results page timed meanwhile.
    let res = console
        .client
        .post(console.url("/api/certificate-templates"))
        .header(CSRF.0, CSRF.1)
        .json(&json!({ "name": "Bench", "title": "合格证书 Certificate",
                       "body": "{name} 通过 {exam}，成绩 {score}" }))
        .send()
        .await?;
    ensure!(res.status().as_u16() == 201, "template: {}", res.status());
    let template: Value = res.json().await?;
    let template = template["id"].as_str().context("template id")?.to_owned();
    let started = Instant::now();
    let res = console
        .client
        .post(console.url(&format!("/api/exams/{exam}/certificates/bulk")))
        .header(CSRF.0, CSRF.1)
        .json(&json!({ "template_id": template }))
        .send()
        .await?;
    ensure!(res.status().as_u16() == 202, "bulk: {}", res.status());
    let accepted: Value = res.json().await?;
    let queued = accepted["queued"].as_u64().unwrap_or(0);
    println!(
        "certificates: {queued} queued in {:.2} s",
        started.elapsed().as_secs_f64()
    );
    let mut during = Vec::new();
    let mut issued = 0u64;
    let deadline = started + Duration::from_secs(1800);
    let mut last_count = Instant::now() - Duration::from_secs(10);
    while issued < queued && Instant::now() < deadline {
        during.push(get_json(console, &first).await?.0);
        if last_count.elapsed() >= Duration::from_secs(5) {
            last_count = Instant::now();
            let (took, list) = get_json(
                console,
                &format!("/api/exams/{exam}/certificates?status=valid&limit=1"),
            )
            .await?;
            issued = list["total"].as_u64().unwrap_or(0);
            println!(
                "  {:>6.1} s: {issued} issued (listing them took {:.0} ms)",
                started.elapsed().as_secs_f64(),
                took.as_secs_f64() * 1000.0
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    println!(
        "certificates: {issued} of {queued} issued in {:.1} s ({:.0}/s)",
        started.elapsed().as_secs_f64(),
        issued as f64 / started.elapsed().as_secs_f64().max(1e-9)
    );
    println!("{}", summary("results page during the job", during));
    Ok(())
}
