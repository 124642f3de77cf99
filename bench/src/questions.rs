//! The question-bank benchmark: a 10,000-question xlsx import, then list and filter latency.

use std::time::{Duration, Instant};

use anyhow::{Context, ensure};
use rust_xlsxwriter::Workbook;
use serde_json::{Value, json};

use crate::Console;
use crate::stats::summary;

const TYPES: [&str; 5] = ["单选", "多选", "判断", "填空", "简答"];
const TAGS: [&str; 20] = [
    "代数",
    "几何",
    "函数",
    "概率",
    "统计",
    "数列",
    "向量",
    "三角",
    "导数",
    "积分",
    "集合",
    "逻辑",
    "复数",
    "矩阵",
    "不等式",
    "方程",
    "圆锥曲线",
    "立体几何",
    "排列组合",
    "期中",
];

/// An xlsx file of `n` questions in the import template's columns (Chinese headers).
fn workbook(n: usize) -> anyhow::Result<Vec<u8>> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let headers = [
        "题型*", "题干*", "选项A", "选项B", "选项C", "选项D", "答案*", "分值", "难度", "解析",
        "标签", "分类",
    ];
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string(0, u16::try_from(c)?, *h)?;
    }
    for i in 0..n {
        let row = u32::try_from(i + 1)?;
        let kind = TYPES[i % TYPES.len()];
        let stem = match kind {
            "填空" => format!("第{i}题：方程 x + {i} = 0 的解是____。"),
            _ => format!(
                "第{i}题：关于 $x^{}$ 的第 {i} 个问题，下列说法正确的是？",
                i % 7 + 2
            ),
        };
        let (options, answer): (Vec<String>, String) = match kind {
            "单选" => (
                (0..4).map(|o| format!("选项{o}-{i}")).collect(),
                ["A", "B", "C", "D"][i % 4].to_owned(),
            ),
            "多选" => (
                (0..4).map(|o| format!("选项{o}-{i}")).collect(),
                "AC".to_owned(),
            ),
            "判断" => (Vec::new(), if i % 2 == 0 { "对" } else { "错" }.to_owned()),
            "填空" => (Vec::new(), format!("-{i}")),
            _ => (Vec::new(), format!("参考答案 {i}")),
        };
        sheet.write_string(row, 0, kind)?;
        sheet.write_string(row, 1, &stem)?;
        for (o, text) in options.iter().enumerate() {
            sheet.write_string(row, 2 + u16::try_from(o)?, text)?;
        }
        sheet.write_string(row, 6, &answer)?;
        sheet.write_string(row, 7, "2")?;
        sheet.write_string(row, 8, (i % 5 + 1).to_string())?;
        sheet.write_string(row, 9, format!("解析 {i}"))?;
        sheet.write_string(
            row,
            10,
            format!("{};{}", TAGS[i % TAGS.len()], TAGS[(i / 20) % TAGS.len()]),
        )?;
        sheet.write_string(row, 11, format!("数学/第{}章", i % 10 + 1))?;
    }
    Ok(book.save_to_buffer()?)
}

async fn timed_get(console: &Console, path: &str) -> anyhow::Result<(Duration, Value)> {
    let started = Instant::now();
    let res = console.client.get(console.url(path)).send().await?;
    let status = res.status();
    let body: Value = res.json().await.unwrap_or(Value::Null);
    let took = started.elapsed();
    ensure!(status.is_success(), "GET {path}: {status} {body}");
    Ok((took, body))
}

pub async fn run(
    base: &str,
    account: &str,
    password: &str,
    n: usize,
    requests: usize,
) -> anyhow::Result<()> {
    let console = Console::sign_in(base, account, password).await?;
    let res = console
        .client
        .post(console.url("/api/question-banks"))
        .header("x-examcloud-csrf", "1")
        .json(&json!({ "name": format!("Benchmark {}", std::process::id()) }))
        .send()
        .await?;
    ensure!(
        res.status().is_success(),
        "creating a bank: {}",
        res.status()
    );
    let bank: Value = res.json().await?;
    let bank = bank["id"].as_str().context("bank id")?.to_owned();

    let started = Instant::now();
    let file = workbook(n)?;
    println!(
        "xlsx of {n} questions: {:.1} KiB, written in {:.2} s",
        file.len() as f64 / 1024.0,
        started.elapsed().as_secs_f64()
    );
    for (label, dry_run) in [("preview (dry run)", true), ("import (commit)", false)] {
        let started = Instant::now();
        let res = console
            .client
            .post(console.url(&format!(
                "/api/question-banks/{bank}/questions/import?dry_run={dry_run}"
            )))
            .header("x-examcloud-csrf", "1")
            .header(
                "content-type",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
            .body(file.clone())
            .send()
            .await?;
        let status = res.status();
        let report: Value = res.json().await.unwrap_or(Value::Null);
        ensure!(
            status.is_success(),
            "{label}: {status} {}",
            report.to_string().chars().take(600).collect::<String>()
        );
        println!(
            "{label:<28} {:>8.2} s  ({} rows, {} imported)",
            started.elapsed().as_secs_f64(),
            report["total_rows"],
            report["imported"]
        );
    }

    let (_, categories) =
        timed_get(&console, &format!("/api/question-banks/{bank}/categories")).await?;
    let chapter = categories
        .as_array()
        .and_then(|c| c.iter().find(|c| c["name"] == "第3章"))
        .and_then(|c| c["id"].as_str())
        .context("category 第3章")?
        .to_owned();
    let list = format!("/api/question-banks/{bank}/questions");
    let kinds: Vec<(&str, String)> = vec![
        ("list, first page", format!("{list}?limit=50")),
        ("list, page 100", format!("{list}?limit=50&offset=5000")),
        ("filter type", format!("{list}?type=fill_blank&limit=50")),
        ("filter difficulty", format!("{list}?difficulty=4&limit=50")),
        (
            "filter tag",
            format!("{list}?tag=%E6%A6%82%E7%8E%87&limit=50"),
        ),
        (
            "filter category",
            format!("{list}?category_id={chapter}&limit=50"),
        ),
        ("search text", format!("{list}?q=%E7%AC%AC4321&limit=50")),
        (
            "type+difficulty+tag",
            format!("{list}?type=single_choice&difficulty=1&tag=%E4%BB%A3%E6%95%B0&limit=50"),
        ),
    ];
    let (_, first) = timed_get(&console, &kinds[0].1).await?;
    ensure!(
        first["total"].as_u64() == Some(n as u64),
        "the bank lists {} questions, not {n}",
        first["total"]
    );
    println!("list latency over {requests} requests each (one client, sequential):");
    for (name, path) in &kinds {
        let mut samples = Vec::with_capacity(requests);
        let mut total = Value::Null;
        for _ in 0..requests {
            let (took, body) = timed_get(&console, path).await?;
            samples.push(took);
            total = body["total"].clone();
        }
        println!("{}  total={total}", summary(name, samples));
    }
    Ok(())
}
