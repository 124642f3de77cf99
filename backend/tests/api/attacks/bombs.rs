//! Spreadsheet and archive bombs (issue 11, item 4): a 2 KB workbook with cells at A1 and
//! XFD1048576, and a zip whose entry inflates a thousandfold, uploaded to the candidate and the
//! question imports. Each is refused with 413 `file_too_large` naming the limit, quickly, and
//! the server answers afterwards.

use std::io::{Cursor, Write};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::helpers::{TestApp, create_bank, post_bytes, spawn_app};

const CONTENT_TYPES: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#;
const RELS: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
const WORKBOOK: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
const WORKBOOK_RELS: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#;
/// The sheet of the attack: one cell at A1, one at XFD1048576 (the last cell of a sheet), and
/// a dimension that says so.
const SPARSE_SHEET: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:XFD1048576"/><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>account</t></is></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>"#;

fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(9));
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in entries {
        zip.start_file(*name, options).expect("entry");
        zip.write_all(bytes).expect("write");
    }
    zip.finish().expect("zip").into_inner()
}

/// The ~2 KB workbook of the report.
fn sparse_xlsx() -> Vec<u8> {
    let bytes = zip_of(&[
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", RELS),
        ("xl/workbook.xml", WORKBOOK),
        ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
        ("xl/worksheets/sheet1.xml", SPARSE_SHEET),
    ]);
    assert!(bytes.len() < 2048, "{} bytes", bytes.len());
    bytes
}

/// A QTI package whose one media file is 20 MiB of zeros (≈ 20 KB compressed).
fn zip_bomb_package() -> Vec<u8> {
    let manifest = br#"<?xml version="1.0" encoding="UTF-8"?>
<manifest xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" identifier="m"><resources><resource identifier="r1" type="imsqti_item_xmlv2p1" href="item.xml"><file href="item.xml"/></resource></resources></manifest>"#;
    let zeros = vec![0u8; 20 * 1024 * 1024];
    zip_of(&[("imsmanifest.xml", manifest), ("media/big.png", &zeros)])
}

/// Uploads `body`, which must be answered within 20 s.
async fn post(app: &TestApp, client: &reqwest::Client, path: &str, body: Vec<u8>) -> (u16, Value) {
    let started = Instant::now();
    let answer = post_bytes(app, client, path, "application/octet-stream", body).await;
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{path} took {:?}",
        started.elapsed()
    );
    answer
}

/// The server still answers, and the uploader still works with it.
async fn still_serving(app: &TestApp, owner: &reqwest::Client) {
    assert_eq!(app.get("/api/health").await.status(), 200);
    let res = owner
        .get(app.url("/api/candidates"))
        .send()
        .await
        .expect("list");
    assert_eq!(res.status(), 200);
}

fn assert_file_too_large(status: u16, body: &Value, limit: &str) {
    assert_eq!(status, 413, "{body}");
    assert_eq!(body["code"], "file_too_large", "{body}");
    assert_eq!(body["details"]["limit"], limit, "{body}");
    assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()));
}

#[tokio::test]
async fn a_2kb_sparse_workbook_to_the_candidate_import_is_refused_and_the_server_survives() {
    let app = spawn_app().await;
    let owner = app.register_org("炸弹一", "bomb-1@example.com").await;
    for dry_run in [true, false] {
        let (status, body) = post(
            &app,
            &owner,
            &format!("/api/candidates/import?dry_run={dry_run}"),
            sparse_xlsx(),
        )
        .await;
        assert_file_too_large(status, &body, "rows");
        still_serving(&app, &owner).await;
    }
}

#[tokio::test]
async fn a_2kb_sparse_workbook_to_the_question_import_is_refused_and_the_server_survives() {
    let app = spawn_app().await;
    let owner = app.register_org("炸弹二", "bomb-2@example.com").await;
    let bank = create_bank(&app, &owner, "题库").await;
    for query in ["dry_run=true", "dry_run=false", "dry_run=true&format=xlsx"] {
        let (status, body) = post(
            &app,
            &owner,
            &format!("/api/question-banks/{bank}/questions/import?{query}"),
            sparse_xlsx(),
        )
        .await;
        assert_file_too_large(status, &body, "rows");
        still_serving(&app, &owner).await;
    }
}

#[tokio::test]
async fn a_zip_bomb_qti_package_is_refused_for_its_ratio_and_the_server_survives() {
    let app = spawn_app().await;
    let owner = app.register_org("炸弹三", "bomb-3@example.com").await;
    let bank = create_bank(&app, &owner, "题库").await;
    for query in ["dry_run=true", "dry_run=false&format=qti21"] {
        let (status, body) = post(
            &app,
            &owner,
            &format!("/api/question-banks/{bank}/questions/import?{query}"),
            zip_bomb_package(),
        )
        .await;
        assert_file_too_large(status, &body, "compression_ratio");
        still_serving(&app, &owner).await;
    }
}
