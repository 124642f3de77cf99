//! The question bank's spreadsheet import: a workbook of the template's columns imports all or
//! nothing, with errors located by row and field, and the template itself downloads.

use serde_json::{Value, json};

use crate::helpers::{TestApp, XLSX, create_bank, get, post_bytes, spawn_app, xlsx};

async fn import(
    app: &TestApp,
    owner: &reqwest::Client,
    bank: &str,
    body: Vec<u8>,
    dry_run: bool,
) -> (u16, Value) {
    let path = format!("/api/question-banks/{bank}/questions/import?dry_run={dry_run}");
    post_bytes(app, owner, &path, XLSX, body).await
}

#[tokio::test]
async fn an_xlsx_bank_imports_all_or_nothing_with_located_errors() {
    let app = spawn_app().await;
    let owner = app.register_org("导题单位", "import-q@example.com").await;
    let bank = create_bank(&app, &owner, "导入题库").await;
    let header = vec![
        "题型*", "题干*", "选项A", "选项B", "选项C", "选项D", "答案*", "分值", "难度", "解析",
        "标签", "分类",
    ];
    let good: Vec<Vec<&str>> = vec![
        vec![
            "单选题",
            "中国的首都是？",
            "上海",
            "北京",
            "",
            "",
            "B",
            "2",
            "1",
            "北京是首都",
            "地理",
            "地理/中国",
        ],
        vec![
            "多选题",
            "哪些是质数？",
            "2",
            "4",
            "5",
            "9",
            "AC",
            "3",
            "较难",
            "",
            "数学;数论",
            "数学/数论",
        ],
        vec![
            "判断题",
            "$e^{i\\pi}+1=0$",
            "",
            "",
            "",
            "",
            "对",
            "",
            "",
            "",
            "",
            "数学",
        ],
        vec![
            "填空题",
            "水的化学式是____，圆周率约为（）。",
            "",
            "",
            "",
            "",
            "H2O;H₂O|3.14",
            "2",
            "",
            "",
            "",
            "",
        ],
        vec![
            "简答题",
            "简述 a<b 的含义。",
            "",
            "",
            "",
            "",
            "a 小于 b",
            "10",
            "5",
            "",
            "",
            "",
        ],
    ];
    let mut bad = vec![header.clone()];
    bad.extend(good.iter().cloned());
    bad.push(vec![
        "连线题",
        "配对",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
    ]);
    bad.push(vec![
        "单选题",
        "选哪个？",
        "甲",
        "乙",
        "",
        "",
        "C",
        "1",
        "",
        "",
        "",
        "",
    ]);
    bad.push(vec![
        "单选题",
        "中国的首都是？",
        "上海",
        "北京",
        "",
        "",
        "B",
        "2",
        "1",
        "",
        "",
        "",
    ]);

    let (status, report) = import(&app, &owner, &bank, xlsx(&bad), true).await;
    assert_eq!(status, 200, "{report}");
    let errors: Vec<(i64, &str, &str)> = report["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| {
            (
                e["row"].as_i64().unwrap(),
                e["field"].as_str().unwrap(),
                e["reason"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        errors,
        vec![
            (7, "type", "type_not_supported_by_format"),
            (8, "answer", "unknown_option"),
            (9, "stem", "duplicate_in_file_row_2"),
        ]
    );
    assert_eq!(report["total_rows"], 8);
    let (status, err) = import(&app, &owner, &bank, xlsx(&bad), false).await;
    assert_eq!(
        (status, err["code"].as_str()),
        (422, Some("import_rejected"))
    );
    assert_eq!(err["details"]["errors"][0]["row"], 7);
    let (_, page) = get(
        &app,
        &owner,
        &format!("/api/question-banks/{bank}/questions"),
    )
    .await;
    assert_eq!(page["total"], 0, "nothing imported");

    let mut fixed = vec![header.clone()];
    fixed.extend(good.iter().cloned());
    let (status, report) = import(&app, &owner, &bank, xlsx(&fixed), false).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(
        (report["committed"].as_bool(), report["imported"].as_i64()),
        (Some(true), Some(5))
    );
    let (_, page) = get(
        &app,
        &owner,
        &format!("/api/question-banks/{bank}/questions?type=fill_blank"),
    )
    .await;
    let fill = &page["items"][0];
    assert_eq!(
        fill["content"]["stem"],
        "<p>水的化学式是{{1}}，圆周率约为{{2}}。</p>"
    );
    assert_eq!(
        fill["content"]["blanks"][0]["answers"],
        json!(["H2O", "H₂O"])
    );
    let (_, page) = get(
        &app,
        &owner,
        &format!("/api/question-banks/{bank}/questions?type=essay"),
    )
    .await;
    assert_eq!(
        page["items"][0]["content"]["stem"], "<p>简述 a&lt;b 的含义。</p>",
        "cells are text, not HTML"
    );
    assert_eq!(page["items"][0]["difficulty"], 5);
    let (_, categories) = get(
        &app,
        &owner,
        &format!("/api/question-banks/{bank}/categories"),
    )
    .await;
    let names: Vec<&str> = categories
        .as_array()
        .expect("list")
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names.len(),
        4,
        "地理, 中国, 数学, 数论 — 数学 once: {names:?}"
    );
    // The same file again: every row is already in the bank.
    let (status, err) = import(&app, &owner, &bank, xlsx(&fixed), false).await;
    assert_eq!(status, 422);
    assert_eq!(err["details"]["errors"][0]["reason"], "duplicate_in_bank");

    // The template downloads in both languages; its first sheet is an empty, valid file.
    for lang in ["zh-CN", "en"] {
        let res = owner
            .get(app.url(&format!("/api/question-import/template?lang={lang}")))
            .send()
            .await
            .expect("template");
        assert_eq!(res.status(), 200);
        let bytes = res.bytes().await.expect("bytes").to_vec();
        let (status, report) = import(&app, &owner, &bank, bytes, true).await;
        assert_eq!(status, 200);
        assert_eq!(report["errors"][0]["reason"], "no_rows", "{report}");
    }
}
