//! The content package: `imsmanifest.xml` with IEEE LOM metadata, one file per item and the
//! media files the items refer to.

use std::collections::HashSet;
use std::io::{Cursor, Write};

use shared::questions::QuestionContent;

use super::super::Version;
use super::super::entities::esc;
use super::super::xhtml::html_sources;
use super::{is_local, item_xml, normalize};
use crate::{ExportItem, MediaFile, Question};

/// A name usable as an identifier and a file name.
fn identifier_of(id: &str) -> String {
    let mut out: String = id
        .chars()
        .take(64)
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if !out.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        out.insert(0, 'Q');
    }
    out
}

/// Every text of a question (composite parts included) and the rubric.
fn texts(content: &QuestionContent) -> Vec<&str> {
    let mut out = vec![content.stem()];
    match content {
        QuestionContent::SingleChoice { options, .. }
        | QuestionContent::MultipleChoice { options, .. } => {
            out.extend(options.iter().map(|o| o.text.as_str()))
        }
        QuestionContent::Essay {
            reference_answer, ..
        } => out.push(reference_answer),
        QuestionContent::Ordering { items, .. } => {
            out.extend(items.iter().map(|o| o.text.as_str()))
        }
        QuestionContent::Matching {
            prompts, answers, ..
        } => {
            out.extend(prompts.iter().map(|o| o.text.as_str()));
            out.extend(answers.iter().map(|o| o.text.as_str()));
        }
        QuestionContent::Composite { parts, .. } => {
            for p in parts {
                out.extend(texts(&p.content));
            }
        }
        QuestionContent::TrueFalse { .. } | QuestionContent::FillBlank { .. } => {}
    }
    out
}

/// The item's keywords (its tags) and difficulty as IEEE LOM, for other tools.
fn lom(q: &Question) -> String {
    let mut out = String::from("<metadata>\n<imsmd:lom>\n");
    if !q.tags.is_empty() {
        out.push_str("<imsmd:general>\n");
        for t in &q.tags {
            out.push_str(&format!(
                "<imsmd:keyword><imsmd:string>{}</imsmd:string></imsmd:keyword>\n",
                esc(t)
            ));
        }
        out.push_str("</imsmd:general>\n");
    }
    let difficulty = usize::try_from(q.difficulty - 1)
        .ok()
        .and_then(|i| super::super::read::LOM_DIFFICULTY.get(i));
    if let Some(d) = difficulty {
        out.push_str(&format!(
            "<imsmd:educational><imsmd:difficulty><imsmd:source>LOMv1.0</imsmd:source><imsmd:value>{d}</imsmd:value></imsmd:difficulty></imsmd:educational>\n"
        ));
    }
    out.push_str("</imsmd:lom>\n</metadata>\n");
    out
}

pub(super) fn package(
    items: &[&ExportItem],
    media: &[MediaFile],
    version: Version,
) -> zip::result::ZipResult<Vec<u8>> {
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let mut ids: HashSet<String> = HashSet::new();
    let mut written: HashSet<String> = HashSet::new();
    let mut resources = String::new();
    let item_type = match version {
        Version::V21 => "imsqti_item_xmlv2p1",
        Version::V30 => "imsqti_item_xmlv3p0",
    };
    for (n, item) in items.iter().enumerate() {
        let base = identifier_of(&item.id);
        let mut id = base.clone();
        let mut k = n;
        while ids.contains(&id) {
            id = format!("{base}_{k}");
            k += 1;
        }
        ids.insert(id.clone());
        let href = format!("items/{id}.xml");
        let xml = item_xml(&item.question, &id, version);
        zip.start_file(href.as_str(), options)?;
        zip.write_all(xml.as_bytes())?;
        written.insert(href.clone());
        resources.push_str(&format!(
            "<resource identifier=\"{}\" type=\"{item_type}\" href=\"{}\">\n",
            esc(&id),
            esc(&href),
        ));
        resources.push_str(&lom(&item.question));
        resources.push_str(&format!("<file href=\"{}\"/>\n", esc(&href)));
        let mut sources = Vec::new();
        let mut seen = HashSet::new();
        for t in texts(&item.question.content) {
            html_sources(t, &mut sources, &mut seen);
        }
        html_sources(&item.question.explanation, &mut sources, &mut seen);
        for src in sources.iter().filter(|s| is_local(s)) {
            let Some(file) = media.iter().find(|m| m.name == *src) else {
                continue;
            };
            let Some(path) = normalize(&format!("items/{src}")) else {
                continue;
            };
            resources.push_str(&format!("<file href=\"{}\"/>\n", esc(&path)));
            if written.insert(path.clone()) {
                zip.start_file(path.as_str(), options)?;
                zip.write_all(&file.bytes)?;
            }
        }
        resources.push_str("</resource>\n");
    }
    let (ns, schema, schema_version) = match version {
        Version::V21 => (
            "http://www.imsglobal.org/xsd/imscp_v1p1",
            "QTIv2.1 Package",
            "1.0.0",
        ),
        Version::V30 => (
            "http://www.imsglobal.org/xsd/qti/qtiv3p0/imscp_v1p1",
            "QTI Package",
            "3.0.0",
        ),
    };
    let manifest = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<manifest xmlns=\"{ns}\" xmlns:imsmd=\"http://ltsc.ieee.org/xsd/LOM\" identifier=\"MANIFEST-examcloud\">\n<metadata>\n<schema>{schema}</schema>\n<schemaversion>{schema_version}</schemaversion>\n</metadata>\n<organizations/>\n<resources>\n{resources}</resources>\n</manifest>\n"
    );
    zip.start_file("imsmanifest.xml", options)?;
    zip.write_all(manifest.as_bytes())?;
    Ok(zip.finish()?.into_inner())
}
