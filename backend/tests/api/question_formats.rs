//! Questions in every interchange format through the API: import by content with media stored
//! as attachments, broken files refused whole with located errors, export in every format
//! imported back equal, attachment uploads checked by their bytes, and the sanitiser's media
//! rules.

use serde_json::{Value, json};

use crate::helpers::{
    CSRF, TestApp, create_bank, formats_fixture, get, post, post_bytes, spawn_app,
};

fn png() -> Vec<u8> {
    formats_fixture("qti30/package/images/formula.png")
}

async fn import(
    app: &TestApp,
    owner: &reqwest::Client,
    bank: &str,
    format: Option<&str>,
    body: Vec<u8>,
    dry_run: bool,
) -> (u16, Value) {
    let format = format.map_or(String::new(), |f| format!("&format={f}"));
    let path = format!("/api/question-banks/{bank}/questions/import?dry_run={dry_run}{format}");
    post_bytes(app, owner, &path, "application/octet-stream", body).await
}

async fn questions_of(app: &TestApp, owner: &reqwest::Client, bank: &str) -> Vec<Value> {
    let (status, page) = get(
        app,
        owner,
        &format!("/api/question-banks/{bank}/questions?limit=200"),
    )
    .await;
    assert_eq!(status, 200, "{page}");
    page["items"].as_array().expect("items").clone()
}

/// The attachment URLs in a question's JSON.
fn attachment_urls(question: &Value) -> Vec<String> {
    let text = question.to_string();
    text.match_indices("/api/attachments/")
        .map(|(i, _)| text[i..i + "/api/attachments/".len() + 36].to_owned())
        .collect()
}

/// A question's content, points and tags with attachment ids blanked (a re-import stores new
/// attachments).
fn comparable(q: &Value) -> Value {
    let content = q["content"].to_string();
    let mut out = String::new();
    let mut rest = content.as_str();
    while let Some(i) = rest.find("/api/attachments/") {
        let end = (i + "/api/attachments/".len() + 36).min(rest.len());
        out.push_str(&rest[..i]);
        out.push_str("/api/attachments/ID");
        rest = &rest[end..];
    }
    out.push_str(rest);
    json!({
        "content": serde_json::from_str::<Value>(&out).expect("json"),
        "points": q["points"],
        "tags": q["tags"],
    })
}

#[tokio::test]
async fn every_valid_fixture_imports_by_content_and_its_media_are_served() {
    let app = spawn_app().await;
    let owner = app.register_org("格式单位", "formats@example.com").await;
    let cases: [(&str, Option<&str>, usize); 7] = [
        ("gift/valid.gift", None, 0),
        ("aiken/valid.txt", None, 4),
        ("moodle/valid.xml", None, 0),
        ("qti21/single-choice.xml", None, 1),
        ("qti30/single-choice.xml", Some("qti30"), 1),
        ("qti30/examcloud-sample.zip", None, 2),
        ("gift/valid.gift", Some("gift"), 0),
    ];
    for (i, (path, format, expected)) in cases.into_iter().enumerate() {
        let bank = create_bank(&app, &owner, &format!("题库 {i}")).await;
        let (status, preview) =
            import(&app, &owner, &bank, format, formats_fixture(path), true).await;
        assert_eq!(status, 200, "{path}: {preview}");
        assert_eq!(preview["errors"], json!([]), "{path}");
        assert!(
            questions_of(&app, &owner, &bank).await.is_empty(),
            "dry run"
        );
        let (status, report) =
            import(&app, &owner, &bank, format, formats_fixture(path), false).await;
        assert_eq!(status, 200, "{path}: {report}");
        assert_eq!(report["committed"], true, "{path}");
        let imported = report["imported"].as_u64().expect("imported") as usize;
        assert!(imported > 0, "{path}");
        if expected > 0 {
            assert_eq!(imported, expected, "{path}");
        }
        let list = questions_of(&app, &owner, &bank).await;
        assert_eq!(list.len(), imported, "{path}");
        // Media that a question shows are attachments now, served with their type.
        if path.starts_with("moodle") || path.ends_with(".zip") {
            let urls: Vec<String> = list.iter().flat_map(attachment_urls).collect();
            assert!(!urls.is_empty(), "{path}: an image is imported");
            let res = reqwest::get(app.url(&urls[0])).await.expect("attachment");
            assert_eq!(res.status(), 200, "{path}");
            assert!(
                res.headers()["content-type"]
                    .to_str()
                    .unwrap()
                    .starts_with("image/"),
                "{path}"
            );
            assert_eq!(res.headers()["x-content-type-options"], "nosniff");
            assert!(!res.bytes().await.unwrap().is_empty());
        }
        // The same file again: every question is already in the bank.
        let (status, err) = import(&app, &owner, &bank, format, formats_fixture(path), false).await;
        assert_eq!(status, 422, "{path}");
        assert_eq!(err["details"]["errors"][0]["reason"], "duplicate_in_bank");
    }

    // The spreadsheet import still works, detected by content.
    let bank = create_bank(&app, &owner, "表格").await;
    let template = owner
        .get(app.url("/api/question-import/template?lang=en"))
        .send()
        .await
        .expect("template")
        .bytes()
        .await
        .expect("bytes")
        .to_vec();
    let (status, report) = import(&app, &owner, &bank, None, template, true).await;
    assert_eq!(status, 200);
    assert_eq!(report["errors"][0]["reason"], "no_rows", "{report}");

    // An unknown format is refused before anything is read.
    let (status, err) = import(&app, &owner, &bank, Some("docx"), b"x".to_vec(), true).await;
    assert_eq!(status, 422, "{err}");
    assert_eq!(err["details"]["fields"][0]["field"], "format", "{err}");
}

#[tokio::test]
async fn broken_files_are_refused_whole_with_located_errors() {
    let app = spawn_app().await;
    let owner = app.register_org("坏文件单位", "broken@example.com").await;
    for (i, path) in [
        "gift/broken.gift",
        "aiken/broken.txt",
        "moodle/broken.xml",
        "qti21/package.zip",
        "qti30/package.zip",
    ]
    .into_iter()
    .enumerate()
    {
        let bank = create_bank(&app, &owner, &format!("坏 {i}")).await;
        let (status, err) = import(&app, &owner, &bank, None, formats_fixture(path), false).await;
        assert_eq!(status, 422, "{path}: {err}");
        assert_eq!(err["code"], "import_rejected", "{path}");
        let errors = err["details"]["errors"].as_array().expect("errors");
        assert!(!errors.is_empty(), "{path}");
        assert!(
            errors
                .iter()
                .all(|e| e["row"].is_u64() && e["field"].is_string()),
            "{path}: {errors:?}"
        );
        if path.ends_with(".zip") || path.ends_with(".xml") {
            assert!(
                errors.iter().any(|e| e["item"].is_string()),
                "{path}: XML errors name their item: {errors:?}"
            );
        } else {
            assert!(
                errors.iter().any(|e| e["row"].as_u64() > Some(1)),
                "{path}: text errors name their line: {errors:?}"
            );
        }
        assert!(questions_of(&app, &owner, &bank).await.is_empty(), "{path}");
    }
}

#[tokio::test]
async fn every_export_imports_back_equal() {
    let app = spawn_app().await;
    let owner = app.register_org("导出单位", "export@example.com").await;
    let bank = create_bank(&app, &owner, "源题库 Source").await;
    let (status, image) = post_bytes(
        &app,
        &owner,
        &format!("/api/question-banks/{bank}/attachments"),
        "image/png",
        png(),
    )
    .await;
    assert_eq!(status, 201, "{image}");
    let url = image["url"].as_str().expect("url").to_owned();
    let contents = [
        json!({ "type": "single_choice", "stem": "<p>中国的首都是？</p>",
                "options": [{ "id": "A", "text": "<p>上海</p>" }, { "id": "B", "text": "<p>北京</p>" }], "answer": "B" }),
        json!({ "type": "multiple_choice", "stem": "<p>Which are primes?</p>",
                "options": [{ "id": "A", "text": "<p>2</p>" }, { "id": "B", "text": "<p>4</p>" }, { "id": "C", "text": "<p>5</p>" }],
                "answers": ["A", "C"] }),
        json!({ "type": "true_false", "stem": "<p>地球是圆的</p>", "answer": true }),
        json!({ "type": "fill_blank", "stem": "<p>水的化学式是{{1}}。</p>",
                "blanks": [{ "answers": ["H2O"] }] }),
        json!({ "type": "essay", "stem": "<p>简述光合作用。</p>", "reference_answer": "<p>要点</p>" }),
        json!({ "type": "single_choice", "stem": format!("<p>图中是什么？</p><p><img src=\"{url}\"></p>"),
                "options": [{ "id": "A", "text": "<p>公式</p>" }, { "id": "B", "text": "<p>图表</p>" }], "answer": "A" }),
        json!({ "type": "ordering", "stem": "<p>排序</p>",
                "items": [{ "id": "A", "text": "<p>一</p>" }, { "id": "B", "text": "<p>二</p>" }] }),
    ];
    for content in &contents {
        let (status, q) = post(
            &app,
            &owner,
            &format!("/api/question-banks/{bank}/questions"),
            json!({ "content": content, "points": 2, "difficulty": 2, "tags": ["t1"] }),
        )
        .await;
        assert_eq!(status, 201, "{q}");
    }
    let source = questions_of(&app, &owner, &bank).await;
    for (i, format) in [
        "xlsx",
        "csv",
        "gift",
        "aiken",
        "moodle_xml",
        "qti21",
        "qti30",
    ]
    .into_iter()
    .enumerate()
    {
        let (status, check) = post(
            &app,
            &owner,
            &format!("/api/question-banks/{bank}/export"),
            json!({ "format": format, "check_only": true }),
        )
        .await;
        assert_eq!(status, 200, "{format}: {check}");
        let skipped: Vec<&str> = check["skipped"]
            .as_array()
            .expect("skipped")
            .iter()
            .map(|s| s["question_id"].as_str().unwrap())
            .collect();
        assert_eq!(
            check["exportable"].as_u64().unwrap() as usize + skipped.len(),
            source.len()
        );
        let res = owner
            .post(app.url(&format!("/api/question-banks/{bank}/export")))
            .header(CSRF.0, CSRF.1)
            .json(&json!({ "format": format }))
            .send()
            .await
            .expect("export");
        assert_eq!(res.status(), 200, "{format}");
        assert_eq!(
            res.headers()["x-examcloud-skipped"].to_str().unwrap(),
            skipped.len().to_string(),
            "{format}"
        );
        let disposition = res.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(
            disposition.starts_with("attachment; filename=\"")
                && disposition.contains(&format!("-{format}."))
                && disposition.contains("filename*=UTF-8''"),
            "{disposition}"
        );
        let bytes = res.bytes().await.expect("bytes").to_vec();
        let target = create_bank(&app, &owner, &format!("目标 {i}")).await;
        let (status, report) = import(&app, &owner, &target, Some(format), bytes, false).await;
        assert_eq!(status, 200, "{format}: {report}");
        let imported = questions_of(&app, &owner, &target).await;
        let expected: Vec<&Value> = source
            .iter()
            .filter(|q| !skipped.contains(&q["id"].as_str().unwrap()))
            .collect();
        assert_eq!(imported.len(), expected.len(), "{format}");
        let carries_media = matches!(format, "moodle_xml" | "qti21" | "qti30");
        for q in expected {
            let stem = q["content"]["stem"].as_str().unwrap();
            if stem.contains("<img") && !carries_media {
                continue; // Text and spreadsheet formats carry no images.
            }
            let type_ = &q["content"]["type"];
            let back = imported
                .iter()
                .find(|b| {
                    &b["content"]["type"] == type_
                        && b["content"]["stem"]
                            .as_str()
                            .unwrap()
                            .split("/api/attachments/")
                            .next()
                            == stem.split("/api/attachments/").next()
                })
                .unwrap_or_else(|| panic!("{format}: {stem} not imported back: {imported:?}"));
            let mut want = comparable(q);
            let got = comparable(back);
            if matches!(format, "gift" | "aiken") {
                // These formats carry neither points nor tags.
                want["points"] = got["points"].clone();
                want["tags"] = got["tags"].clone();
            }
            assert_eq!(got, want, "{format}");
            for url in attachment_urls(back) {
                let res = reqwest::get(app.url(&url)).await.expect("attachment");
                assert_eq!(res.status(), 200, "{format}");
                assert_eq!(res.bytes().await.unwrap().to_vec(), png(), "{format}");
            }
        }
    }

    // Some questions only, and an unknown format.
    let first = source
        .iter()
        .find(|q| q["content"]["type"] == "true_false")
        .and_then(|q| q["id"].as_str())
        .unwrap();
    let (status, check) = post(
        &app,
        &owner,
        &format!("/api/question-banks/{bank}/export"),
        json!({ "format": "gift", "question_ids": [first], "check_only": true }),
    )
    .await;
    assert_eq!((status, &check["exportable"]), (200, &json!(1)));
    let (status, _) = post(
        &app,
        &owner,
        &format!("/api/question-banks/{bank}/export"),
        json!({ "format": "docx" }),
    )
    .await;
    assert_eq!(status, 422);
}

#[tokio::test]
async fn an_embedded_file_of_a_refused_type_is_a_located_error() {
    let app = spawn_app().await;
    let owner = app.register_org("嵌入单位", "embedded@example.com").await;
    let bank = create_bank(&app, &owner, "嵌入").await;
    // An SVG (it can carry scripts) inside a Moodle question.
    let svg = "PHN2ZyB4bWxucz0naHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmcnPjxzY3JpcHQ+YWxlcnQoMSk8L3NjcmlwdD48L3N2Zz4=";
    let xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="truefalse">
    <name><text>svg</text></name>
    <questiontext format="html">
      <text><![CDATA[<p>看图</p><img src="@@PLUGINFILE@@/x.svg">]]></text>
      <file name="x.svg" path="/" encoding="base64">{svg}</file>
    </questiontext>
    <answer fraction="100"><text>true</text></answer>
    <answer fraction="0"><text>false</text></answer>
  </question>
</quiz>
"#
    );
    let (status, err) = import(&app, &owner, &bank, None, xml.into_bytes(), false).await;
    assert_eq!(status, 422, "{err}");
    let errors = err["details"]["errors"].as_array().expect("errors");
    assert!(
        errors.iter().any(|e| e["field"] == "media"
            && e["reason"] == "unsupported_media_type"
            && e["item"].as_str().is_some_and(|i| i.contains("x.svg"))
            && e["row"].as_u64() > Some(0)),
        "{errors:?}"
    );
    assert!(questions_of(&app, &owner, &bank).await.is_empty());
}

/// The committed spreadsheet fixtures (xlsx with Chinese or English headers, CSV in UTF-8 and
/// GBK) import exactly: every type a row can hold, formulas kept as typed, markup kept as
/// text, several blanks with alternatives, category paths; the broken ones are refused whole
/// with each problem at its row and column.
#[tokio::test]
async fn spreadsheet_fixtures_import_exactly_and_broken_ones_name_each_cell() {
    let app = spawn_app().await;
    let owner = app.register_org("表格单位", "sheets@example.com").await;
    for (i, path) in [
        "xlsx/questions-zh.xlsx",
        "xlsx/questions-en.xlsx",
        "csv/questions-utf8.csv",
        "csv/questions-gbk.csv",
    ]
    .into_iter()
    .enumerate()
    {
        let bank = create_bank(&app, &owner, &format!("表格 {i}")).await;
        let (status, report) =
            import(&app, &owner, &bank, None, formats_fixture(path), false).await;
        assert_eq!(status, 200, "{path}: {report}");
        assert_eq!(report["imported"], 6, "{path}");
        let list = questions_of(&app, &owner, &bank).await;
        let by_stem = |needle: &str| -> Value {
            list.iter()
                .find(|q| {
                    q["content"]["stem"]
                        .as_str()
                        .is_some_and(|s| s.contains(needle))
                })
                .cloned()
                .unwrap_or_else(|| panic!("{path}: no question with {needle}"))
        };
        let single = by_stem("导数");
        assert_eq!(
            single["content"]["stem"],
            "<p>函数 $f(x)=x^2$ 在 $x=3$ 处的导数是？</p>"
        );
        assert_eq!(single["content"]["answer"], "B");
        assert_eq!(single["content"]["options"][3]["text"], "<p>$2x$</p>");
        assert_eq!(single["points"], 2.0);
        assert_eq!(single["tags"], json!(["导数", "期中"]));
        let multiple = by_stem("质数");
        assert_eq!(multiple["content"]["answers"], json!(["A", "C"]));
        let fill = by_stem("首都");
        assert_eq!(
            fill["content"]["stem"],
            "<p>中国的首都是{{1}}，最大的城市是{{2}}。</p>"
        );
        assert_eq!(
            fill["content"]["blanks"][1]["answers"],
            json!(["上海", "上海市"])
        );
        assert_eq!(fill["tags"], json!(["地理", "未知标签"]));
        let tf = by_stem("沸腾");
        assert_eq!(tf["content"]["answer"], true);
        let essay = by_stem("牛顿");
        assert_eq!(essay["content"]["type"], "essay");
        assert_eq!(essay["difficulty"], 4);
        // Markup typed in a cell is text, not HTML.
        let escaped = by_stem("a&lt;b");
        assert!(
            escaped["content"]["stem"]
                .as_str()
                .is_some_and(|s| s.contains("&lt;b&gt;不是标签&lt;/b&gt;")),
            "{escaped}"
        );
        assert_eq!(escaped["difficulty"], 3, "difficulty defaults to 3");
        // Category paths became a tree.
        let (_, categories) = get(
            &app,
            &owner,
            &format!("/api/question-banks/{bank}/categories"),
        )
        .await;
        let names: Vec<&str> = categories
            .as_array()
            .expect("categories")
            .iter()
            .filter_map(|c| c["name"].as_str())
            .collect();
        for name in ["数学", "微积分", "数论", "物理", "力学", "地理", "中国"] {
            assert!(
                names.contains(&name),
                "{path}: category {name} in {names:?}"
            );
        }
    }

    for path in ["xlsx/broken.xlsx", "csv/broken.csv"] {
        let bank = create_bank(&app, &owner, &format!("坏表格 {path}")).await;
        let (status, err) = import(&app, &owner, &bank, None, formats_fixture(path), false).await;
        assert_eq!(status, 422, "{path}: {err}");
        let errors: Vec<(u64, String, String)> = err["details"]["errors"]
            .as_array()
            .expect("errors")
            .iter()
            .map(|e| {
                (
                    e["row"].as_u64().unwrap_or(0),
                    e["field"].as_str().unwrap_or("").to_owned(),
                    e["reason"].as_str().unwrap_or("").to_owned(),
                )
            })
            .collect();
        for expected in [
            (2, "answer", "unknown_option"),
            (3, "type", "type_not_supported_by_format"),
            (4, "stem", "required"),
            (5, "difficulty", "out_of_range"),
            (7, "stem", "duplicate_in_file_row_6"),
            (8, "type", "unknown_type"),
        ] {
            assert!(
                errors.contains(&(expected.0, expected.1.to_owned(), expected.2.to_owned())),
                "{path}: {expected:?} in {errors:?}"
            );
        }
        assert!(questions_of(&app, &owner, &bank).await.is_empty(), "{path}");
    }
}
