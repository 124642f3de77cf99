//! Crafted files that ask a reader for far more memory or time than their size: each one is
//! generated here (no binaries in the repository) and must be refused quickly with the limit
//! it went past, or read within the limits, never allocated for.

#![allow(clippy::expect_used, clippy::unwrap_used)] // helpers of tests fail by panicking

use std::io::{Cursor, Write};
use std::time::{Duration, Instant};

use question_formats::limits::{self, Limit};
use question_formats::table::{TableError, read_table};
use question_formats::{Format, reason};

/// Every crafted file is answered within this (debug build, shared machine).
const QUICK: Duration = Duration::from_secs(10);

fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(9));
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in entries {
        zip.start_file(*name, options).expect("entry");
        zip.write_all(bytes).expect("write");
    }
    zip.finish().expect("finish").into_inner()
}

const CONTENT_TYPES: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#;
const RELS: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
const WORKBOOK: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
const WORKBOOK_RELS: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#;

/// An `.xlsx` whose first sheet has `sheet_data` inside `<sheetData>` (after `dimension`),
/// and the shared strings `sst` if any.
fn xlsx(dimension: &str, sheet_data: &str, sst: Option<&[u8]>) -> Vec<u8> {
    let sheet = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="{dimension}"/><sheetData>{sheet_data}</sheetData></worksheet>"#
    );
    let mut entries: Vec<(&str, &[u8])> = vec![
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", RELS),
        ("xl/workbook.xml", WORKBOOK),
        ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
        ("xl/worksheets/sheet1.xml", sheet.as_bytes()),
    ];
    if let Some(sst) = sst {
        entries.push(("xl/sharedStrings.xml", sst));
    }
    zip_of(&entries)
}

fn inline(r: &str, text: &str) -> String {
    format!(r#"<c r="{r}" t="inlineStr"><is><t>{text}</t></is></c>"#)
}

/// Reads `bytes` as a table, checking it is answered quickly.
fn table(bytes: &[u8]) -> Result<question_formats::table::Table, TableError> {
    let started = Instant::now();
    let result = read_table(bytes);
    assert!(started.elapsed() < QUICK, "took {:?}", started.elapsed());
    result
}

fn refused_for(bytes: &[u8]) -> Limit {
    match table(bytes) {
        Err(TableError::TooLarge(e)) => e.limit,
        other => panic!("expected a refusal for a limit, got {other:?}"),
    }
}

#[test]
fn an_honest_small_xlsx_reads_at_its_sheet_positions() {
    let data = format!(
        r#"<row r="1">{}{}</row><row r="3">{}</row>"#,
        inline("A1", "account"),
        inline("C1", "name"),
        inline("B3", "13800138000")
    );
    let t = table(&xlsx("A1:C3", &data, None)).expect("reads");
    assert_eq!(
        t,
        vec![
            (1, vec!["account".into(), String::new(), "name".into()]),
            (3, vec![String::new(), "13800138000".into()]),
        ]
    );
}

#[test]
fn a_sparse_xlsx_with_cells_at_a1_and_xfd1048576_is_refused_without_allocating() {
    let data = format!(
        r#"<row r="1">{}</row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>"#,
        inline("A1", "x")
    );
    let bytes = xlsx("A1:XFD1048576", &data, None);
    assert!(
        bytes.len() < 2048,
        "the attack file is {} bytes",
        bytes.len()
    );
    assert_eq!(refused_for(&bytes), Limit::Rows);
}

#[test]
fn a_cell_beyond_the_column_limit_is_refused() {
    let data = format!(r#"<row r="1">{}</row>"#, inline("XFD1", "far"));
    assert_eq!(refused_for(&xlsx("A1", &data, None)), Limit::Columns);
}

#[test]
fn a_lying_dimension_tag_costs_nothing_either_way() {
    // Declares the whole sheet, holds one cell: read as the one cell.
    let data = format!(r#"<row r="1">{}</row>"#, inline("A1", "x"));
    let t = table(&xlsx("A1:XFD1048576", &data, None)).expect("reads");
    assert_eq!(t, vec![(1, vec!["x".to_owned()])]);
    // Declares one cell, holds a far one: refused by the cells themselves.
    let data = format!(r#"<row r="500000">{}</row>"#, inline("A500000", "x"));
    assert_eq!(refused_for(&xlsx("A1", &data, None)), Limit::Rows);
}

#[test]
fn a_shared_string_table_declaring_billions_of_strings_is_refused_before_calamine_reserves_them() {
    let sst = br#"<?xml version="1.0" encoding="UTF-8"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="4000000000" uniqueCount="4000000000"><si><t>a</t></si></sst>"#;
    let data = r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#;
    assert_eq!(
        refused_for(&xlsx("A1", data, Some(sst))),
        Limit::SharedStrings
    );
}

#[test]
fn one_huge_shared_string_used_by_every_cell_is_refused_by_the_text_limit() {
    // 900 KiB (under the ratio floor) × 80 cells = 70 MiB of cell text.
    let text = "x".repeat(900 * 1024);
    let sst = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="80" uniqueCount="1"><si><t>{text}</t></si></sst>"#
    );
    let cells: String = (1..=80)
        .map(|r| format!(r#"<row r="{r}"><c r="A{r}" t="s"><v>0</v></c></row>"#))
        .collect();
    assert_eq!(
        refused_for(&xlsx("A1:A80", &cells, Some(sst.as_bytes()))),
        Limit::TextSize
    );
}

#[test]
fn xml_nested_ten_thousand_deep_in_a_sheet_is_answered_quickly() {
    let deep = format!("{}{}", "<x>".repeat(10_000), "</x>".repeat(10_000));
    let data = format!(r#"<row r="1">{}</row>{deep}"#, inline("A1", "x"));
    // calamine streams past unknown elements: read or refused, but quickly and bounded.
    let _ = table(&xlsx("A1", &data, None));
}

#[test]
fn a_zip_bomb_workbook_is_refused_for_its_ratio() {
    // 20 MiB of one byte deflates to ~20 KB: a thousandfold.
    let padding = vec![b' '; 20 * 1024 * 1024];
    let bytes = zip_of(&[
        ("[Content_Types].xml", CONTENT_TYPES),
        ("xl/worksheets/sheet1.xml", &padding),
    ]);
    assert!(bytes.len() < 100 * 1024);
    assert_eq!(refused_for(&bytes), Limit::CompressionRatio);
}

/// Rewrites every local and central header's uncompressed size in a one-entry zip.
fn lie_about_size(mut bytes: Vec<u8>, size: u32) -> Vec<u8> {
    let mut i = 0;
    while i + 4 <= bytes.len() {
        let at = match &bytes[i..i + 4] {
            b"PK\x03\x04" => Some(i + 22),
            b"PK\x01\x02" => Some(i + 24),
            _ => None,
        };
        if let Some(at) = at {
            bytes[at..at + 4].copy_from_slice(&size.to_le_bytes());
        }
        i += 1;
    }
    bytes
}

#[test]
fn a_zip_entry_lying_about_its_size_is_stopped_at_the_size_it_declared() {
    // Declared 100 bytes, inflates to 20 MiB: reading stops past the declared size (the
    // check reads through a `take` of the limit, and the zip reader refuses to go past the
    // header's size), so the file is refused quickly whichever stops it first.
    let padding = vec![b' '; 20 * 1024 * 1024];
    let bytes = lie_about_size(zip_of(&[("xl/worksheets/sheet1.xml", &padding)]), 100);
    assert!(matches!(
        table(&bytes),
        Err(TableError::Invalid("unreadable_spreadsheet") | TableError::TooLarge(_))
    ));
}

#[test]
fn a_zip_with_more_entries_than_the_limit_is_refused() {
    let names: Vec<String> = (0..=limits::MAX_ZIP_ENTRIES)
        .map(|i| format!("e{i}"))
        .collect();
    let entries: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b""[..])).collect();
    assert_eq!(refused_for(&zip_of(&entries)), Limit::ZipEntries);
}

const ODS_MIME: &[u8] = b"application/vnd.oasis.opendocument.spreadsheet";

fn ods(table_xml: &str) -> Vec<u8> {
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Sheet1">{table_xml}</table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    let manifest = br#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
    zip_of(&[
        ("mimetype", ODS_MIME),
        ("META-INF/manifest.xml", manifest),
        ("content.xml", content.as_bytes()),
    ])
}

const ODS_CELL: &str =
    r#"<table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell>"#;

#[test]
fn an_honest_small_ods_reads() {
    let t = table(&ods(&format!(
        "<table:table-row>{ODS_CELL}{ODS_CELL}</table:table-row>"
    )))
    .expect("reads");
    assert_eq!(t, vec![(1, vec!["x".to_owned(), "x".to_owned()])]);
}

#[test]
fn an_ods_with_a_value_repeated_over_a_million_rows_is_refused() {
    let bytes = ods(&format!(
        r#"<table:table-row>{ODS_CELL}</table:table-row><table:table-row table:number-rows-repeated="1000000">{ODS_CELL}</table:table-row>"#
    ));
    assert_eq!(refused_for(&bytes), Limit::Rows);
}

#[test]
fn an_ods_with_a_value_repeated_over_every_column_is_refused() {
    let cell = r#"<table:table-cell table:number-columns-repeated="16384" office:value-type="float" office:value="1"/>"#;
    let bytes = ods(&format!("<table:table-row>{cell}</table:table-row>"));
    assert_eq!(refused_for(&bytes), Limit::Columns);
}

#[test]
fn an_ods_whose_extent_is_past_the_cell_limit_is_refused() {
    let far = r#"<table:table-cell table:number-columns-repeated="150"/><table:table-cell office:value-type="float" office:value="1"/>"#;
    let bytes = ods(&format!(
        r#"<table:table-row>{ODS_CELL}</table:table-row><table:table-row table:number-rows-repeated="90000"><table:table-cell/></table:table-row><table:table-row>{far}</table:table-row>"#
    ));
    assert_eq!(refused_for(&bytes), Limit::Cells);
}

#[test]
fn trailing_empty_repeats_that_spreadsheet_programs_write_cost_nothing() {
    let bytes = ods(&format!(
        r#"<table:table-row>{ODS_CELL}<table:table-cell table:number-columns-repeated="16383"/></table:table-row><table:table-row table:number-rows-repeated="1048575"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>"#
    ));
    assert_eq!(
        table(&bytes).expect("reads"),
        vec![(1, vec!["x".to_owned()])]
    );
}

/// A compound file with one `Workbook` stream holding `records` (512-byte sectors: FAT,
/// directory, then the stream, padded past the mini-stream cutoff).
fn xls(records: &[(u16, Vec<u8>)]) -> Vec<u8> {
    let mut stream = Vec::new();
    for (typ, data) in records {
        stream.extend_from_slice(&typ.to_le_bytes());
        stream.extend_from_slice(&u16::try_from(data.len()).expect("record").to_le_bytes());
        stream.extend_from_slice(data);
    }
    // Pad with an unknown record so the stream is a regular one (≥ 4096 bytes).
    while stream.len() < 4096 {
        stream.extend_from_slice(&0x00FFu16.to_le_bytes());
        stream.extend_from_slice(&0u16.to_le_bytes());
    }
    let stream_len = stream.len();
    stream.resize(stream_len.div_ceil(512) * 512, 0);
    let stream_sectors = u32::try_from(stream.len() / 512).expect("sectors");
    let mut header = vec![0u8; 512];
    header[..8].copy_from_slice(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    header[0x18..0x1A].copy_from_slice(&0x3Eu16.to_le_bytes());
    header[0x1A..0x1C].copy_from_slice(&3u16.to_le_bytes());
    header[0x1C..0x1E].copy_from_slice(&0xFFFEu16.to_le_bytes());
    header[0x1E..0x20].copy_from_slice(&9u16.to_le_bytes());
    header[0x20..0x22].copy_from_slice(&6u16.to_le_bytes());
    header[0x2C..0x30].copy_from_slice(&1u32.to_le_bytes());
    header[0x30..0x34].copy_from_slice(&1u32.to_le_bytes());
    header[0x38..0x3C].copy_from_slice(&4096u32.to_le_bytes());
    header[0x3C..0x40].copy_from_slice(&0xFFFF_FFFEu32.to_le_bytes());
    header[0x44..0x48].copy_from_slice(&0xFFFF_FFFEu32.to_le_bytes());
    for i in 0..109 {
        let v: u32 = if i == 0 { 0 } else { 0xFFFF_FFFF };
        header[0x4C + 4 * i..0x50 + 4 * i].copy_from_slice(&v.to_le_bytes());
    }
    let mut fat = vec![0xFFFF_FFFFu32; 128];
    fat[0] = 0xFFFF_FFFD;
    fat[1] = 0xFFFF_FFFE;
    for s in 0..stream_sectors {
        let id = 2 + s as usize;
        fat[id] = if s + 1 == stream_sectors {
            0xFFFF_FFFE
        } else {
            u32::try_from(id + 1).expect("id")
        };
    }
    let fat: Vec<u8> = fat.iter().flat_map(|v| v.to_le_bytes()).collect();
    let entry = |name: &str, typ: u8, start: u32, size: u32| {
        let mut e = vec![0u8; 128];
        let units: Vec<u16> = name.encode_utf16().chain([0]).collect();
        for (i, u) in units.iter().enumerate() {
            e[2 * i..2 * i + 2].copy_from_slice(&u.to_le_bytes());
        }
        e[0x40..0x42].copy_from_slice(&u16::try_from(units.len() * 2).expect("len").to_le_bytes());
        e[0x42] = typ;
        for at in [0x44, 0x48, 0x4C] {
            e[at..at + 4].copy_from_slice(&0xFFFF_FFFFu32.to_le_bytes());
        }
        e[0x74..0x78].copy_from_slice(&start.to_le_bytes());
        e[0x78..0x7C].copy_from_slice(&size.to_le_bytes());
        e
    };
    let mut dir = entry("Root Entry", 5, 0xFFFF_FFFE, 0);
    dir[0x4C..0x50].copy_from_slice(&1u32.to_le_bytes());
    dir.extend(entry(
        "Workbook",
        2,
        2,
        u32::try_from(stream_len).expect("len"),
    ));
    dir.resize(512, 0);
    [header, fat, dir, stream].concat()
}

fn bof() -> (u16, Vec<u8>) {
    (
        0x0809,
        [0x00, 0x06, 0x10, 0x00]
            .into_iter()
            .chain([0; 12])
            .collect(),
    )
}

fn number(row: u16, col: u16) -> (u16, Vec<u8>) {
    let mut d = Vec::new();
    d.extend_from_slice(&row.to_le_bytes());
    d.extend_from_slice(&col.to_le_bytes());
    d.extend_from_slice(&0u16.to_le_bytes());
    d.extend_from_slice(&1.0f64.to_le_bytes());
    (0x0203, d)
}

#[test]
fn an_xls_declaring_billions_of_cells_in_its_dimensions_is_refused_before_calamine_reserves_them() {
    let mut dims = Vec::new();
    dims.extend_from_slice(&0u32.to_le_bytes());
    dims.extend_from_slice(&u32::MAX.to_le_bytes());
    dims.extend_from_slice(&0u16.to_le_bytes());
    dims.extend_from_slice(&255u16.to_le_bytes());
    dims.extend_from_slice(&0u16.to_le_bytes());
    let bytes = xls(&[bof(), (0x0200, dims), number(0, 0), (0x000A, vec![])]);
    assert_eq!(refused_for(&bytes), Limit::Cells);
}

#[test]
fn a_sparse_xls_with_a_far_cell_is_refused() {
    let bytes = xls(&[bof(), number(0, 0), number(65_535, 255), (0x000A, vec![])]);
    assert_eq!(refused_for(&bytes), Limit::Columns);
    let bytes = xls(&[bof(), number(0, 0), number(65_535, 100), (0x000A, vec![])]);
    assert_eq!(refused_for(&bytes), Limit::Cells);
}

#[test]
fn a_broken_compound_file_is_unreadable_not_a_panic() {
    let mut bytes = xls(&[bof(), number(0, 0), (0x000A, vec![])]);
    // The directory sector points into nowhere.
    bytes[0x30..0x34].copy_from_slice(&0x00FF_FFFFu32.to_le_bytes());
    assert_eq!(
        table(&bytes),
        Err(TableError::Invalid("unreadable_spreadsheet"))
    );
}

fn qti_manifest() -> &'static [u8] {
    br#"<?xml version="1.0" encoding="UTF-8"?>
<manifest xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" identifier="m"><resources><resource identifier="r1" type="imsqti_item_xmlv2p1" href="item.xml"><file href="item.xml"/></resource></resources></manifest>"#
}

#[test]
fn a_zip_bomb_qti_package_is_refused_with_the_limit_it_went_past() {
    let padding = vec![0u8; 20 * 1024 * 1024];
    let bytes = zip_of(&[
        ("imsmanifest.xml", qti_manifest()),
        ("media/big.png", &padding),
    ]);
    for format in [Format::Qti21, Format::Qti30] {
        let started = Instant::now();
        let parsed = question_formats::parse(format, &bytes);
        assert!(started.elapsed() < QUICK);
        assert_eq!(
            parsed.exceeded.map(|e| e.limit),
            Some(Limit::CompressionRatio)
        );
        assert!(
            parsed
                .problems
                .iter()
                .any(|p| p.reason == reason::TOO_LARGE)
        );
        assert!(parsed.questions.is_empty() && parsed.media.is_empty());
    }
}

#[test]
fn a_qti_package_lying_about_an_entry_size_is_stopped_at_the_size_it_declared() {
    let padding = vec![0u8; 20 * 1024 * 1024];
    let bytes = lie_about_size(zip_of(&[("imsmanifest.xml", &padding)]), 10);
    let started = Instant::now();
    let parsed = question_formats::parse(Format::Qti21, &bytes);
    assert!(started.elapsed() < QUICK);
    assert!(parsed.questions.is_empty() && parsed.media.is_empty());
    assert!(!parsed.problems.is_empty());
}

#[test]
fn ten_thousand_deep_xml_is_refused_by_every_xml_reader() {
    let deep = |open: &str, close: &str| {
        format!(
            r#"<?xml version="1.0"?>{}{}"#,
            open.repeat(10_000),
            close.repeat(10_000)
        )
    };
    let cases = [
        (Format::MoodleXml, deep("<quiz>", "</quiz>")),
        (Format::Qti21, deep("<assessmentItem>", "</assessmentItem>")),
        (
            Format::Qti30,
            deep("<qti-assessment-item>", "</qti-assessment-item>"),
        ),
    ];
    for (format, xml) in cases {
        let started = Instant::now();
        let parsed = question_formats::parse(format, xml.as_bytes());
        assert!(started.elapsed() < QUICK, "{format:?}");
        assert_eq!(
            parsed.exceeded.map(|e| e.limit),
            Some(Limit::XmlSize),
            "{format:?}: {:?}",
            parsed.problems
        );
    }
}
