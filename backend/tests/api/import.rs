//! Bulk import of candidates: the templates, the preview, per-row errors, all or nothing, and
//! that nothing imported is readable in the raw database.

use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp, XLSX, get, post_bytes, spawn_app, xlsx};

async fn upload(
    app: &TestApp,
    client: &reqwest::Client,
    body: Vec<u8>,
    content_type: &str,
    dry_run: bool,
) -> (u16, Value) {
    let path = format!("/api/candidates/import?dry_run={dry_run}");
    post_bytes(app, client, &path, content_type, body).await
}

async fn count(app: &TestApp, client: &reqwest::Client) -> i64 {
    let (_, page) = get(app, client, "/api/candidates").await;
    page["total"].as_i64().expect("total")
}

const HEADER: &[&str] = &[
    "账号*",
    "姓名*",
    "手机号",
    "邮箱",
    "身份证号",
    "初始密码",
    "分组",
];

#[tokio::test]
async fn an_xlsx_with_a_bad_row_imports_nothing_and_the_fixed_file_imports_everything() {
    let app = spawn_app().await;
    let owner = app.register_org("导入测试学校", "import@example.com").await;
    let rows: Vec<&[&str]> = vec![
        HEADER,
        &[
            "2024001",
            "王小明",
            "13900001111",
            "xiaoming@school.example",
            "11010519491231002X",
            PASSWORD,
            "初一(1)班",
        ],
        &[
            "2024002",
            "赵小红",
            "13900002222",
            "",
            "",
            PASSWORD,
            "初一(1)班；初一(2)班",
        ],
        &["2024003", "钱小刚", "1390000", "", "", PASSWORD, ""],
    ];
    let bad = xlsx(&rows);

    // The preview names the bad row and field, and writes nothing.
    let (status, report) = upload(&app, &owner, bad.clone(), XLSX, true).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["committed"], false);
    assert_eq!(report["total_rows"], 3);
    assert_eq!(
        report["errors"],
        json!([{ "row": 4, "field": "phone", "reason": "invalid_format" }])
    );
    assert_eq!(report["new_groups"], json!(["初一(1)班", "初一(2)班"]));
    assert_eq!(report["preview"][0]["name"], "王小明");

    // Committing the bad file is refused as a whole.
    let (status, err) = upload(&app, &owner, bad, XLSX, false).await;
    assert_eq!(status, 422);
    assert_eq!(err["code"], "import_rejected");
    assert_eq!(err["details"]["errors"][0]["row"], 4);
    assert_eq!(count(&app, &owner).await, 0, "nothing imported");
    let (_, groups) = get(&app, &owner, "/api/candidate-groups").await;
    assert_eq!(groups, json!([]), "no group created either");

    // Fixed: everything lands, groups are created, candidates can sign in.
    let mut fixed = rows.clone();
    fixed[3] = &["2024003", "钱小刚", "13900003333", "", "", PASSWORD, ""];
    let (status, report) = upload(&app, &owner, xlsx(&fixed), XLSX, false).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["committed"], true);
    assert_eq!(report["imported"], 3);
    assert_eq!(count(&app, &owner).await, 3);
    let (_, groups) = get(&app, &owner, "/api/candidate-groups").await;
    let counts: Vec<(String, i64)> = groups
        .as_array()
        .expect("groups")
        .iter()
        .map(|g| {
            (
                g["name"].as_str().expect("name").to_owned(),
                g["member_count"].as_i64().expect("n"),
            )
        })
        .collect();
    assert_eq!(
        counts,
        vec![("初一(1)班".to_owned(), 2), ("初一(2)班".to_owned(), 1)]
    );
    let slug = app.slug_of(&owner).await;
    let portal = app.portal_login(&slug, "2024002", PASSWORD).await;
    let (_, me) = get(&app, &portal, "/api/candidate/me").await;
    assert_eq!(me["name"], "赵小红");

    // Importing the same file again: every row already exists, nothing changes.
    let (status, err) = upload(&app, &owner, xlsx(&fixed), XLSX, false).await;
    assert_eq!(status, 422);
    assert!(
        err["details"]["errors"]
            .as_array()
            .expect("errors")
            .iter()
            .any(|e| e["row"] == 2 && e["field"] == "account" && e["reason"] == "already_exists"),
        "{err}"
    );
    assert_eq!(count(&app, &owner).await, 3);

    // The raw database holds none of the names, phones, emails or ID numbers.
    let dump = app.raw_database_dump();
    assert!(
        dump.contains("导入测试学校"),
        "sanity: the dump has the data"
    );
    for needle in [
        "王小明",
        "赵小红",
        "钱小刚",
        "13900001111",
        "8613900002222",
        "xiaoming@school",
        "11010519491231002X",
    ] {
        assert!(!dump.contains(needle), "{needle} stored in plaintext");
    }
}

#[tokio::test]
async fn templates_come_in_both_languages_and_csv_in_gbk_is_read() {
    let app = spawn_app().await;
    let owner = app.register_org("模板测试", "template@example.com").await;
    for (lang, first) in [("zh-CN", "账号*"), ("en", "account*")] {
        let res = owner
            .get(app.url(&format!(
                "/api/candidates/import/template?format=xlsx&lang={lang}"
            )))
            .send()
            .await
            .expect("template");
        assert_eq!(res.status(), 200);
        assert_eq!(
            res.headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok()),
            Some(XLSX)
        );
        let bytes = res.bytes().await.expect("bytes").to_vec();
        use calamine::Reader;
        let mut book: calamine::Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.clone())).expect("xlsx");
        let range = book.worksheet_range_at(0).expect("sheet").expect("range");
        assert_eq!(
            range.get((0, 0)).map(ToString::to_string).as_deref(),
            Some(first)
        );
        // The template itself is a valid (empty) import file.
        let (status, report) = upload(&app, &owner, bytes, XLSX, true).await;
        assert_eq!(status, 200);
        assert_eq!(report["errors"][0]["reason"], "no_rows", "{report}");
        let csv = owner
            .get(app.url(&format!(
                "/api/candidates/import/template?format=csv&lang={lang}"
            )))
            .send()
            .await
            .expect("csv")
            .text()
            .await
            .expect("text");
        assert!(
            csv.trim_start_matches('\u{feff}').starts_with(first),
            "{csv}"
        );
    }
    let res = owner
        .get(app.url("/api/candidates/import/template?format=pdf"))
        .send()
        .await
        .expect("bad format");
    assert_eq!(res.status(), 422);

    // A CSV saved by a spreadsheet program in China: GBK, English headers mixed in.
    let (gbk, _, _) = encoding_rs::GBK
        .encode("account,姓名,Email,password\r\nzs01,张三,zs@example.com,long enough pw\r\n");
    let (status, report) = upload(&app, &owner, gbk.into_owned(), "text/csv", false).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["imported"], 1);
    let (_, page) = get(&app, &owner, "/api/candidates?q=zs01").await;
    assert_eq!(page["items"][0]["name"], "张三");

    // Garbage is a file error, not a crash.
    for (body, reason) in [
        (
            b"PK\x03\x04 not really a zip".to_vec(),
            "unreadable_spreadsheet",
        ),
        (Vec::new(), "empty_file"),
        (b"name,phone\nx,1\n".to_vec(), "missing_column"),
    ] {
        let (status, report) = upload(&app, &owner, body, "text/csv", true).await;
        assert_eq!(status, 200);
        assert_eq!(report["errors"][0]["reason"], reason, "{report}");
    }
}
