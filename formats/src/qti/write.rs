//! Writing a content package: element names in each version's spelling, the item document;
//! an item's body per question type in `body`, the package around the items in `package`.

mod body;
mod package;

use shared::questions::QuestionContent;

use super::entities::esc;
use super::xhtml::html_to_xhtml;
use super::{EC_NS, Version};
use crate::{ExportItem, MediaFile, Question, html_to_plain};
use body::Item;

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
    package::package(items, media, version).unwrap_or_default()
}
