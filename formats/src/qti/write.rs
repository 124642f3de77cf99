//! Writing a content package.

use std::collections::HashSet;
use std::io::{Cursor, Write};

use shared::questions::{Blank, Choice, QuestionContent};

use super::dom::{esc, html_sources, html_to_xhtml};
use super::{EC_NS, Version};
use crate::{ExportItem, MediaFile, Question, html_to_plain};

/// An element name in `version`'s spelling: `choiceInteraction` / `qti-choice-interaction`.
pub(super) fn qti_name(version: Version, name: &str) -> String {
    match version {
        Version::V21 => name.to_owned(),
        Version::V30 => {
            let mut out = String::from("qti-");
            out.push_str(&kebab(name));
            out
        }
    }
}

fn kebab(camel: &str) -> String {
    let mut out = String::with_capacity(camel.len() + 4);
    for c in camel.chars() {
        if c.is_ascii_uppercase() {
            out.push('-');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// Builds an item document.
struct Xml {
    version: Version,
    out: String,
}

impl Xml {
    fn attrs(&mut self, attrs: &[(&str, String)]) {
        for (k, v) in attrs {
            self.out.push(' ');
            if self.version == Version::V30 && !k.contains(':') && !k.starts_with("data-") {
                self.out.push_str(&kebab(k));
            } else {
                self.out.push_str(k);
            }
            self.out.push_str("=\"");
            self.out.push_str(&esc(v));
            self.out.push('"');
        }
    }

    /// `<name attrs>` of a QTI element.
    fn open(&mut self, name: &str, attrs: &[(&str, String)]) {
        self.out.push('<');
        self.out.push_str(&qti_name(self.version, name));
        self.attrs(attrs);
        self.out.push('>');
    }

    fn empty(&mut self, name: &str, attrs: &[(&str, String)]) {
        self.out.push('<');
        self.out.push_str(&qti_name(self.version, name));
        self.attrs(attrs);
        self.out.push_str("/>");
    }

    fn close(&mut self, name: &str) {
        self.out.push_str("</");
        self.out.push_str(&qti_name(self.version, name));
        self.out.push('>');
    }

    fn nl(&mut self) {
        self.out.push('\n');
    }

    /// A `<value>` with plain text.
    fn value(&mut self, text: &str) {
        self.open("value", &[]);
        self.out.push_str(&esc(text));
        self.close("value");
    }

    /// Rich text inside an HTML `<div class="…">`.
    fn div(&mut self, class: &str, html: &str) {
        self.out.push_str("<div class=\"");
        self.out.push_str(class);
        self.out.push_str("\">");
        self.out.push_str(&html_to_xhtml(html));
        self.out.push_str("</div>");
    }

    /// Content of a 3.0 element that needs `qti-content-body` (rubric blocks, modal feedback).
    fn content_body(&mut self, xhtml: &str) {
        if self.version == Version::V30 {
            self.open("contentBody", &[]);
            self.out.push_str(xhtml);
            self.close("contentBody");
        } else {
            self.out.push_str(xhtml);
        }
    }
}

fn num(n: f64) -> String {
    format!("{n}")
}

fn bool_attr(b: bool) -> String {
    if b { "true" } else { "false" }.to_owned()
}

/// Tags as one attribute: comma-separated, `%` and `,` percent-encoded.
pub(super) fn encode_tags(tags: &[String]) -> String {
    tags.iter()
        .map(|t| t.replace('%', "%25").replace(',', "%2C"))
        .collect::<Vec<_>>()
        .join(",")
}

/// Declarations and body of one question (or part) being written.
struct Item {
    decls: Xml,
    body: Xml,
    /// Response identifiers given so far.
    next: usize,
}

impl Item {
    fn response_id(&mut self, only_one: bool) -> String {
        self.next += 1;
        if only_one {
            "RESPONSE".to_owned()
        } else {
            format!("RESPONSE_{}", self.next)
        }
    }

    /// A response declaration with its correct values; `points` for a composite's part.
    fn declare(
        &mut self,
        id: &str,
        cardinality: &str,
        base_type: &str,
        points: Option<f64>,
        values: &[String],
    ) {
        let mut attrs = vec![
            ("identifier", id.to_owned()),
            ("cardinality", cardinality.to_owned()),
            ("baseType", base_type.to_owned()),
        ];
        if let Some(p) = points {
            attrs.push(("ec:points", num(p)));
        }
        self.decls.open("responseDeclaration", &attrs);
        if !values.is_empty() {
            self.decls.open("correctResponse", &[]);
            for v in values {
                self.decls.value(v);
            }
            self.decls.close("correctResponse");
        }
        self.decls.close("responseDeclaration");
        self.decls.nl();
    }

    fn blank(&mut self, id: &str, blank: &Blank, points: Option<f64>) {
        let numeric = blank.numeric_tolerance.is_some()
            && blank
                .answers
                .iter()
                .all(|a| a.trim().parse::<f64>().is_ok());
        let mut attrs = vec![
            ("identifier", id.to_owned()),
            ("cardinality", "single".to_owned()),
            (
                "baseType",
                if numeric { "float" } else { "string" }.to_owned(),
            ),
        ];
        if let Some(p) = points {
            attrs.push(("ec:points", num(p)));
        }
        if let Some(t) = blank.numeric_tolerance {
            attrs.push(("ec:tolerance", num(t)));
        }
        if blank.exact_spaces {
            attrs.push(("ec:exact-spaces", "true".to_owned()));
        }
        if blank.width_sensitive {
            attrs.push(("ec:width-sensitive", "true".to_owned()));
        }
        let d = &mut self.decls;
        d.open("responseDeclaration", &attrs);
        if let Some(first) = blank.answers.first() {
            d.open("correctResponse", &[]);
            d.value(first);
            d.close("correctResponse");
            d.open("mapping", &[("defaultValue", "0".to_owned())]);
            for a in &blank.answers {
                d.empty(
                    "mapEntry",
                    &[
                        ("mapKey", a.clone()),
                        ("mappedValue", "1".to_owned()),
                        ("caseSensitive", bool_attr(blank.case_sensitive)),
                    ],
                );
            }
            d.close("mapping");
        }
        d.close("responseDeclaration");
        d.nl();
    }

    fn choices(&mut self, element: &str, choices: &[Choice], extra: &[(&str, String)]) {
        for c in choices {
            let mut attrs = vec![("identifier", c.id.clone())];
            attrs.extend(extra.iter().cloned());
            self.body.open(element, &attrs);
            self.body.out.push_str(&html_to_xhtml(&c.text));
            self.body.close(element);
            self.body.nl();
        }
    }

    /// Writes a question that is not composite. `only_one`: the item has this one question
    /// (a single `RESPONSE`); `points`: the points of a composite's part.
    fn question(&mut self, content: &QuestionContent, only_one: bool, points: Option<f64>) {
        let single = only_one && !matches!(content, QuestionContent::FillBlank { .. });
        match content {
            QuestionContent::SingleChoice {
                stem,
                options,
                answer,
            } => {
                let id = self.response_id(single);
                self.declare(
                    &id,
                    "single",
                    "identifier",
                    points,
                    std::slice::from_ref(answer),
                );
                self.body.div("ec-stem", stem);
                self.body.nl();
                self.choice_interaction(&id, 1, options);
            }
            QuestionContent::MultipleChoice {
                stem,
                options,
                answers,
            } => {
                let id = self.response_id(single);
                self.declare(&id, "multiple", "identifier", points, answers);
                self.body.div("ec-stem", stem);
                self.body.nl();
                self.choice_interaction(&id, 0, options);
            }
            QuestionContent::TrueFalse { stem, answer } => {
                let id = self.response_id(single);
                self.declare(&id, "single", "identifier", points, &[answer.to_string()]);
                self.body.div("ec-stem", stem);
                self.body.nl();
                let options = [
                    Choice {
                        id: "true".to_owned(),
                        text: "True".to_owned(),
                    },
                    Choice {
                        id: "false".to_owned(),
                        text: "False".to_owned(),
                    },
                ];
                self.choice_interaction(&id, 1, &options);
            }
            QuestionContent::FillBlank { stem, blanks } => {
                let mut ids = Vec::new();
                for (i, blank) in blanks.iter().enumerate() {
                    let id = self.response_id(only_one && blanks.len() == 1);
                    self.blank(&id, blank, if i == 0 { points } else { None });
                    ids.push(id);
                }
                let xhtml = html_to_xhtml(stem);
                let mut out = String::with_capacity(xhtml.len());
                let mut rest = xhtml.as_str();
                let mut k = 0;
                while let Some(start) = rest.find("{{") {
                    let after = &rest[start + 2..];
                    let marker = after
                        .find("}}")
                        .and_then(|end| Some((after[..end].trim().parse::<usize>().ok()?, end)));
                    match marker {
                        Some((n, end)) if n == k + 1 && k < ids.len() => {
                            out.push_str(&rest[..start]);
                            let mut x = Xml {
                                version: self.body.version,
                                out: String::new(),
                            };
                            x.empty(
                                "textEntryInteraction",
                                &[("responseIdentifier", ids[k].clone())],
                            );
                            out.push_str(&x.out);
                            k += 1;
                            rest = &after[end + 2..];
                        }
                        _ => {
                            out.push_str(&rest[..start + 2]);
                            rest = after;
                        }
                    }
                }
                out.push_str(rest);
                self.body.out.push_str("<div class=\"ec-stem\">");
                self.body.out.push_str(&out);
                self.body.out.push_str("</div>");
                self.body.nl();
            }
            QuestionContent::Essay {
                stem,
                reference_answer,
                rubric,
            } => {
                let id = self.response_id(single);
                self.declare(&id, "single", "string", points, &[]);
                self.body.div("ec-stem", stem);
                self.body.nl();
                self.body
                    .empty("extendedTextInteraction", &[("responseIdentifier", id)]);
                self.body.nl();
                if !reference_answer.is_empty() || !rubric.is_empty() {
                    let mut inner = Xml {
                        version: self.body.version,
                        out: String::new(),
                    };
                    if !reference_answer.is_empty() {
                        inner.div("ec-reference", reference_answer);
                    }
                    if !rubric.is_empty() {
                        inner.out.push_str("<ul class=\"ec-rubric\">");
                        for r in rubric {
                            inner.out.push_str("<li data-points=\"");
                            inner.out.push_str(&num(r.points));
                            inner.out.push_str("\">");
                            inner.out.push_str(&esc(&r.criterion));
                            inner.out.push_str("</li>");
                        }
                        inner.out.push_str("</ul>");
                    }
                    let mut attrs = vec![("view", "scorer".to_owned())];
                    if self.body.version == Version::V30 {
                        attrs.push(("use", "scoring".to_owned()));
                    }
                    self.body.open("rubricBlock", &attrs);
                    self.body.content_body(&inner.out);
                    self.body.close("rubricBlock");
                    self.body.nl();
                }
            }
            QuestionContent::Ordering { stem, items } => {
                let id = self.response_id(single);
                let order: Vec<String> = items.iter().map(|i| i.id.clone()).collect();
                self.declare(&id, "ordered", "identifier", points, &order);
                self.body.div("ec-stem", stem);
                self.body.nl();
                self.body.open(
                    "orderInteraction",
                    &[("responseIdentifier", id), ("shuffle", "true".to_owned())],
                );
                self.body.nl();
                self.choices("simpleChoice", items, &[]);
                self.body.close("orderInteraction");
                self.body.nl();
            }
            QuestionContent::Matching {
                stem,
                prompts,
                answers,
                pairs,
            } => {
                let id = self.response_id(single);
                let values: Vec<String> = pairs
                    .iter()
                    .map(|p| format!("{} {}", p.prompt, p.answer))
                    .collect();
                self.declare(&id, "multiple", "directedPair", points, &values);
                self.body.div("ec-stem", stem);
                self.body.nl();
                self.body.open(
                    "matchInteraction",
                    &[
                        ("responseIdentifier", id),
                        ("shuffle", "true".to_owned()),
                        ("maxAssociations", prompts.len().to_string()),
                    ],
                );
                self.body.nl();
                self.body.open("simpleMatchSet", &[]);
                self.body.nl();
                self.choices(
                    "simpleAssociableChoice",
                    prompts,
                    &[("matchMax", "1".to_owned())],
                );
                self.body.close("simpleMatchSet");
                self.body.nl();
                self.body.open("simpleMatchSet", &[]);
                self.body.nl();
                self.choices(
                    "simpleAssociableChoice",
                    answers,
                    &[("matchMax", prompts.len().to_string())],
                );
                self.body.close("simpleMatchSet");
                self.body.nl();
                self.body.close("matchInteraction");
                self.body.nl();
            }
            QuestionContent::Composite { passage, parts } => {
                self.body.div("ec-passage", passage);
                self.body.nl();
                for part in parts {
                    self.body.out.push_str("<div class=\"ec-part\">");
                    self.body.nl();
                    self.question(&part.content, false, Some(part.points));
                    self.body.out.push_str("</div>");
                    self.body.nl();
                }
            }
        }
    }

    fn choice_interaction(&mut self, id: &str, max: usize, options: &[Choice]) {
        self.body.open(
            "choiceInteraction",
            &[
                ("responseIdentifier", id.to_owned()),
                ("shuffle", "false".to_owned()),
                ("maxChoices", max.to_string()),
            ],
        );
        self.body.nl();
        self.choices("simpleChoice", options, &[]);
        self.body.close("choiceInteraction");
        self.body.nl();
    }
}

/// One item document.
pub(super) fn item_xml(q: &Question, identifier: &str, version: Version) -> String {
    let mut item = Item {
        decls: Xml {
            version,
            out: String::new(),
        },
        body: Xml {
            version,
            out: String::new(),
        },
        next: 0,
    };
    item.question(&q.content, true, None);
    let mut x = Xml {
        version,
        out: String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"),
    };
    let (ns, schema) = match version {
        Version::V21 => (
            "http://www.imsglobal.org/xsd/imsqti_v2p1",
            "http://www.imsglobal.org/xsd/imsqti_v2p1 http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1.xsd",
        ),
        Version::V30 => (
            "http://www.imsglobal.org/xsd/imsqtiasi_v3p0",
            "http://www.imsglobal.org/xsd/imsqtiasi_v3p0 https://purl.imsglobal.org/spec/qti/v3p0/schema/xsd/imsqti_asiv3p0_v1p0.xsd",
        ),
    };
    let plain = html_to_plain(q.content.stem());
    let mut title: String = plain.split_whitespace().collect::<Vec<_>>().join(" ");
    for n in 1..=shared::questions::blank_markers(&title).len() {
        title = title.replace(&format!("{{{{{n}}}}}"), "___");
    }
    if let Some((i, _)) = title.char_indices().nth(80) {
        title.truncate(i);
    }
    if title.is_empty() {
        title = identifier.to_owned();
    }
    let mut attrs = vec![
        ("xmlns", ns.to_owned()),
        (
            "xmlns:xsi",
            "http://www.w3.org/2001/XMLSchema-instance".to_owned(),
        ),
        ("xmlns:ec", EC_NS.to_owned()),
        ("xsi:schemaLocation", schema.to_owned()),
        ("identifier", identifier.to_owned()),
        ("title", title),
        ("adaptive", "false".to_owned()),
        ("timeDependent", "false".to_owned()),
        ("toolName", super::TOOL_NAME.to_owned()),
        ("toolVersion", env!("CARGO_PKG_VERSION").to_owned()),
        ("ec:difficulty", q.difficulty.to_string()),
    ];
    if !q.tags.is_empty() {
        attrs.push(("ec:tags", encode_tags(&q.tags)));
    }
    if let Some(c) = &q.category {
        attrs.push(("ec:category", c.clone()));
    }
    x.open("assessmentItem", &attrs);
    x.nl();
    x.out.push_str(&item.decls.out);
    x.open(
        "outcomeDeclaration",
        &[
            ("identifier", "SCORE".to_owned()),
            ("cardinality", "single".to_owned()),
            ("baseType", "float".to_owned()),
            ("normalMaximum", num(q.points)),
        ],
    );
    x.open("defaultValue", &[]);
    x.value("0");
    x.close("defaultValue");
    x.close("outcomeDeclaration");
    x.nl();
    if !q.explanation.is_empty() {
        x.empty(
            "outcomeDeclaration",
            &[
                ("identifier", "FEEDBACK".to_owned()),
                ("cardinality", "single".to_owned()),
                ("baseType", "identifier".to_owned()),
            ],
        );
        x.nl();
    }
    x.open("itemBody", &[]);
    x.nl();
    x.out.push_str(&item.body.out);
    x.close("itemBody");
    x.nl();
    let template = match (&q.content, item.next) {
        (QuestionContent::Essay { .. } | QuestionContent::Composite { .. }, _) => None,
        (QuestionContent::FillBlank { blanks, .. }, 1) => match blanks.first() {
            Some(b) if b.numeric_tolerance.is_none() => Some("map_response"),
            _ => Some("match_correct"),
        },
        (QuestionContent::FillBlank { .. }, _) => None,
        _ => Some("match_correct"),
    };
    if let Some(t) = template {
        let href = match version {
            Version::V21 => format!("http://www.imsglobal.org/question/qti_v2p1/rptemplates/{t}"),
            Version::V30 => {
                format!("https://purl.imsglobal.org/spec/qti/v3p0/rptemplates/{t}.xml")
            }
        };
        x.empty("responseProcessing", &[("template", href)]);
        x.nl();
    }
    if !q.explanation.is_empty() {
        x.open(
            "modalFeedback",
            &[
                ("outcomeIdentifier", "FEEDBACK".to_owned()),
                ("identifier", "EXPLANATION".to_owned()),
                ("showHide", "show".to_owned()),
            ],
        );
        x.content_body(&html_to_xhtml(&q.explanation));
        x.close("modalFeedback");
        x.nl();
    }
    x.close("assessmentItem");
    x.nl();
    x.out
}

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

/// `a/./b/../c` → `a/c`; `None` when it leaves the root or is not a relative path.
pub(super) fn normalize(path: &str) -> Option<String> {
    if path.starts_with('/') || path.contains('\\') || path.contains(':') || path.contains('\0') {
        return None;
    }
    let mut parts: Vec<&str> = Vec::new();
    for p in path.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    if parts.is_empty() {
        return None;
    }
    Some(parts.join("/"))
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
        .and_then(|i| super::read::LOM_DIFFICULTY.get(i));
    if let Some(d) = difficulty {
        out.push_str(&format!(
            "<imsmd:educational><imsmd:difficulty><imsmd:source>LOMv1.0</imsmd:source><imsmd:value>{d}</imsmd:value></imsmd:difficulty></imsmd:educational>\n"
        ));
    }
    out.push_str("</imsmd:lom>\n</metadata>\n");
    out
}

/// Whether a `src` names a file of the package (not a URL).
pub(super) fn is_local(src: &str) -> bool {
    !(src.is_empty()
        || src.starts_with('#')
        || src.starts_with("//")
        || src.contains("://")
        || src.starts_with("data:")
        || src.starts_with("mailto:"))
}

pub(super) fn write(items: &[&ExportItem], media: &[MediaFile], version: Version) -> Vec<u8> {
    package(items, media, version).unwrap_or_default()
}

fn package(
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
