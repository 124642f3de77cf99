//! The import side of the interchange formats (`question-formats`): which format a file is,
//! and its questions as import rows, with the media they show checked and given attachment
//! URLs.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use question_formats::{Format, Parsed as FormatParsed};
use shared::candidates::ImportRowError;
use shared::questions::QuestionInput;

use super::attachments::{self, Pending, Refusal};

/// What an import file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// A spreadsheet (`.xlsx`, `.xls`, `.ods`) or `.csv`: one question per row.
    Table,
    Format(Format),
}

impl FileKind {
    /// The `?format=` value: `xlsx` and `csv` are tables (detected by content), the others
    /// interchange formats.
    pub fn parse(s: &str) -> Option<FileKind> {
        match s {
            "xlsx" | "csv" => Some(FileKind::Table),
            s => Format::parse(s).map(FileKind::Format),
        }
    }
}

/// The format of a file, by its content. `is_table_header` says whether a CSV header cell is
/// one of the template's columns.
pub fn detect(bytes: &[u8], is_table_header: impl Fn(&str) -> bool) -> FileKind {
    if bytes.starts_with(b"PK\x03\x04") {
        return detect_zip(bytes);
    }
    if bytes.is_empty() || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return FileKind::Table;
    }
    let text = head_text(bytes);
    let trimmed = text.trim_start();
    if trimmed.starts_with('<') {
        return FileKind::Format(xml_format(trimmed).unwrap_or(Format::MoodleXml));
    }
    let csv_header = trimmed
        .lines()
        .next()
        .map(|l| l.split([',', '\t', ';']).any(&is_table_header))
        .unwrap_or(false);
    if csv_header {
        return FileKind::Table;
    }
    let aiken = text.lines().any(|l| l.trim_start().starts_with("ANSWER:"));
    if aiken && !text.contains('{') {
        FileKind::Format(Format::Aiken)
    } else {
        FileKind::Format(Format::Gift)
    }
}

/// The text of a file for sniffing: UTF-8 or UTF-16 (with a byte order mark), lossy.
fn head_text(bytes: &[u8]) -> String {
    let utf16 = |le: bool| {
        let units: Vec<u16> = bytes[2..]
            .chunks_exact(2)
            .map(|c| {
                if le {
                    u16::from_le_bytes([c[0], c[1]])
                } else {
                    u16::from_be_bytes([c[0], c[1]])
                }
            })
            .collect();
        String::from_utf16_lossy(&units)
    };
    if bytes.starts_with(&[0xFF, 0xFE]) {
        utf16(true)
    } else if bytes.starts_with(&[0xFE, 0xFF]) {
        utf16(false)
    } else {
        let b = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        match std::str::from_utf8(b) {
            Ok(text) => text.to_owned(),
            // Not UTF-8: spreadsheet programs in China save CSV as GBK.
            Err(_) => encoding_rs::GBK.decode(b).0.into_owned(),
        }
    }
}

fn xml_format(text: &str) -> Option<Format> {
    if text.contains("<quiz") {
        Some(Format::MoodleXml)
    } else if text.contains("<qti-assessment-item") {
        Some(Format::Qti30)
    } else if text.contains("<assessmentItem") {
        Some(Format::Qti21)
    } else {
        None
    }
}

/// A zip with `imsmanifest.xml` is a QTI package (2.1 or 3.0 by its resource types or its
/// items' elements); any other zip is a workbook.
fn detect_zip(bytes: &[u8]) -> FileKind {
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return FileKind::Table;
    };
    let mut read = |name: &str| -> Option<String> {
        let file = archive.by_name(name).ok()?;
        let mut text = String::new();
        // Only the start matters for sniffing; a bound keeps zip bombs harmless.
        file.take(1024 * 1024).read_to_string(&mut text).ok()?;
        Some(text)
    };
    let Some(manifest) = read("imsmanifest.xml") else {
        return FileKind::Table;
    };
    if manifest.contains("imsqti_item_xmlv3p0") || manifest.contains("imsqtiasi_v3p0") {
        return FileKind::Format(Format::Qti30);
    }
    if manifest.contains("imsqti_item_xmlv2p1") || manifest.contains("imsqti_v2p1") {
        return FileKind::Format(Format::Qti21);
    }
    let names: Vec<String> = archive
        .file_names()
        .filter_map(Result::ok)
        .map(|n| n.into_owned())
        .filter(|n| n.ends_with(".xml") && n != "imsmanifest.xml")
        .collect();
    for name in names {
        let Ok(file) = archive.by_name(&name) else {
            continue;
        };
        let mut text = String::new();
        if file.take(64 * 1024).read_to_string(&mut text).is_ok()
            && let Some(f @ (Format::Qti21 | Format::Qti30)) = xml_format(&text)
        {
            return FileKind::Format(f);
        }
    }
    FileKind::Format(Format::Qti21)
}

/// One question of a format file as an import row.
pub struct FormatRow {
    pub line: u32,
    pub item: Option<String>,
    pub input: QuestionInput,
    pub category: Option<String>,
}

/// The questions and problems of a parsed file as import rows and errors; media that questions
/// show are checked like uploads, given attachment ids, and their `src` rewritten to the
/// attachment URL. Returns the rows and the files to store on commit.
pub fn rows_of(
    parsed: FormatParsed,
    errors: &mut Vec<ImportRowError>,
) -> (Vec<FormatRow>, Vec<Pending>) {
    for p in parsed.problems {
        errors.push(ImportRowError {
            row: p.location.line,
            field: p.field,
            reason: p.reason,
            item: p.location.item,
        });
    }
    let media: HashMap<String, Vec<u8>> = parsed
        .media
        .into_iter()
        .map(|m| (m.name, m.bytes))
        .collect();
    // Each file once, by name: its attachment, or why it was refused.
    let mut stored: HashMap<String, Result<usize, &'static str>> = HashMap::new();
    let mut files: Vec<Pending> = Vec::new();
    let mut rows = Vec::new();
    for located in parsed.questions {
        let q = located.question;
        let mut input = QuestionInput {
            content: q.content,
            points: q.points,
            difficulty: q.difficulty,
            explanation: q.explanation,
            tags: q.tags,
            category_id: None,
        };
        let mut refused = false;
        let mut texts: Vec<&mut String> = input.content.texts_mut();
        texts.push(&mut input.explanation);
        for text in texts {
            for name in srcs(text) {
                let Some(bytes) = media.get(&name) else {
                    continue;
                };
                let outcome =
                    stored.entry(name.clone()).or_insert_with(|| {
                        match attachments::check(bytes, None) {
                            Ok(kind) => {
                                files.push(Pending::new(kind, bytes.clone()));
                                Ok(files.len() - 1)
                            }
                            Err(Refusal::UnsupportedType) => Err("unsupported_media_type"),
                            Err(Refusal::TooLarge { .. }) => Err("too_large"),
                        }
                    });
                match outcome {
                    Ok(i) => {
                        let url = files[*i].url();
                        *text = text
                            .replace(&format!("src=\"{name}\""), &format!("src=\"{url}\""))
                            .replace(&format!("src='{name}'"), &format!("src=\"{url}\""));
                    }
                    Err(reason) => {
                        refused = true;
                        errors.push(ImportRowError {
                            row: located.location.line,
                            field: "media".to_owned(),
                            reason: (*reason).to_owned(),
                            item: Some(
                                located
                                    .location
                                    .item
                                    .clone()
                                    .map_or(name.clone(), |i| format!("{i}: {name}")),
                            ),
                        });
                    }
                }
            }
        }
        if !refused {
            rows.push(FormatRow {
                line: located.location.line,
                item: located.location.item,
                input,
                category: q.category,
            });
        }
    }
    // Only files that a question still refers to are stored.
    (rows, files)
}

/// The values of `src="…"` / `src='…'` attributes in HTML.
pub fn srcs(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find("src=") {
        rest = &rest[i + 4..];
        let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            continue;
        };
        let body = &rest[1..];
        if let Some(end) = body.find(quote) {
            out.push(body[..end].to_owned());
            rest = &body[end..];
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_detected_by_content() {
        let none = |_: &str| false;
        let header = |h: &str| h.trim() == "type";
        assert_eq!(
            detect(b"<?xml version='1.0'?><quiz>", none),
            FileKind::Format(Format::MoodleXml)
        );
        assert_eq!(
            detect(b"<qti-assessment-item identifier='a'>", none),
            FileKind::Format(Format::Qti30)
        );
        assert_eq!(
            detect(b"<assessmentItem identifier='a'>", none),
            FileKind::Format(Format::Qti21)
        );
        assert_eq!(
            detect(b"Q?\nA. x\nB. y\nANSWER: A\n", none),
            FileKind::Format(Format::Aiken)
        );
        assert_eq!(
            detect(b"::a:: 1+1 {=2 ~3}", none),
            FileKind::Format(Format::Gift)
        );
        assert_eq!(detect(b"type,stem,answer\n", header), FileKind::Table);
        assert_eq!(detect(b"", none), FileKind::Table);
        assert_eq!(
            srcs(r#"<img src="a.png"> <img src='b c.png'>"#),
            vec!["a.png", "b c.png"]
        );
    }
}
