//! A small XML tree over quick-xml (names of QTI 3.0 normalised to the QTI 2.1 spelling) and
//! its serialisation back to HTML. HTML → XHTML for writing is in `xhtml`.

use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

use super::entities::{char_ref, decode_entities, html_attr, html_ref, name_char, xml_char};

/// Deepest element nesting accepted (the tree is walked recursively).
const MAX_DEPTH: usize = 200;
/// Most elements in one file.
const MAX_ELEMENTS: usize = 200_000;

pub(super) const VOID: [&str; 14] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

#[derive(Debug, Clone)]
pub(super) enum Node {
    El(Element),
    /// Character data as written (it holds no `&` or `<`).
    Text(String),
    /// An entity or character reference, the part between `&` and `;`.
    Ref(String),
    CData(String),
}

#[derive(Debug, Clone, Default)]
pub(super) struct Element {
    /// The local name; a QTI 3.0 name (`qti-simple-choice`) becomes its 2.1 spelling
    /// (`simpleChoice`).
    pub name: String,
    /// Names (QTI 3.0 attribute names of `qti-` elements in their 2.1 spelling), raw values.
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Node>,
    pub line: u32,
}

impl Element {
    /// An attribute's decoded value.
    pub fn attr(&self, name: &str) -> Option<String> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| decode_entities(v))
    }

    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|n| match n {
            Node::El(e) => Some(e),
            _ => None,
        })
    }

    pub fn child(&self, name: &str) -> Option<&Element> {
        self.elements().find(|e| e.name == name)
    }

    pub fn has_class(&self, class: &str) -> bool {
        self.attr("class")
            .is_some_and(|c| c.split_whitespace().any(|c| c == class))
    }

    /// Every element below this one (depth first, document order) that `pred` accepts.
    pub fn descendants<'a>(&'a self, pred: &dyn Fn(&Element) -> bool, out: &mut Vec<&'a Element>) {
        for e in self.elements() {
            if pred(e) {
                out.push(e);
            }
            e.descendants(pred, out);
        }
    }

    /// The decoded text inside, trimmed.
    pub fn text(&self) -> String {
        self.raw_text().trim().to_owned()
    }

    /// The decoded text inside.
    pub fn raw_text(&self) -> String {
        let mut out = String::new();
        plain_text(&self.children, &mut out);
        out
    }
}

fn plain_text(nodes: &[Node], out: &mut String) {
    for n in nodes {
        match n {
            Node::El(e) => plain_text(&e.children, out),
            Node::Text(t) | Node::CData(t) => out.push_str(t),
            Node::Ref(r) => out.push_str(&decode_entities(&format!("&{r};"))),
        }
    }
}

/// Why a file is not a well-formed XML tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum XmlError {
    Syntax(u32),
    TooLarge(u32),
}

/// Counts lines up to byte positions that mostly grow.
struct Lines<'a> {
    bytes: &'a [u8],
    pos: usize,
    line: u32,
}

impl Lines<'_> {
    fn at(&mut self, pos: u64) -> u32 {
        let pos = usize::try_from(pos)
            .unwrap_or(usize::MAX)
            .min(self.bytes.len());
        if pos < self.pos {
            self.pos = 0;
            self.line = 1;
        }
        let newlines = self
            .bytes
            .get(self.pos..pos)
            .map_or(0, |s| s.iter().filter(|b| **b == b'\n').count());
        self.line = self
            .line
            .saturating_add(u32::try_from(newlines).unwrap_or(u32::MAX));
        self.pos = pos;
        self.line
    }
}

/// `qti-choice-interaction` → `choiceInteraction`.
fn camel(kebab: &str) -> String {
    let mut out = String::with_capacity(kebab.len());
    let mut upper = false;
    for c in kebab.chars() {
        if c == '-' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

fn element(start: &BytesStart, line: u32) -> Result<Element, XmlError> {
    let qname = start.name();
    let qname: &str = qname.as_ref();
    if !valid_name(qname) {
        return Err(XmlError::Syntax(line));
    }
    let local = qname.rsplit(':').next().unwrap_or(qname);
    let qti3 = local.starts_with("qti-");
    let name = match local.strip_prefix("qti-") {
        Some(rest) => camel(rest),
        None => local.to_owned(),
    };
    let mut attrs = Vec::new();
    for a in start.attributes() {
        let a = a.map_err(|_| XmlError::Syntax(line))?;
        let key: &str = a.key.as_ref();
        if !valid_name(key) || !valid_attr_value(&a.value) {
            return Err(XmlError::Syntax(line));
        }
        let key = if qti3 && !key.contains(':') && !key.starts_with("data-") {
            camel(key)
        } else {
            key.to_owned()
        };
        attrs.push((key, a.value.into_owned()));
    }
    Ok(Element {
        name,
        attrs,
        children: Vec::new(),
        line,
    })
}

/// Whether `name` is an XML name of ASCII letters, digits, `-`, `_`, `.` and `:`, not
/// starting with a digit, `-`, `.` or `:`.
fn valid_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') && name.chars().all(name_char)
}

/// Whether a raw attribute value is well-formed: XML characters, no `<`, and every `&`
/// starting a reference.
fn valid_attr_value(v: &str) -> bool {
    if v.contains('<') || !v.chars().all(xml_char) {
        return false;
    }
    let mut rest = v;
    while let Some(i) = rest.find('&') {
        rest = &rest[i + 1..];
        let Some(end) = rest.find(';') else {
            return false;
        };
        let name = &rest[..end];
        let ok = if name.starts_with('#') {
            char_ref(name).is_some()
        } else {
            valid_name(name)
        };
        if !ok {
            return false;
        }
        rest = &rest[end + 1..];
    }
    true
}

/// Parses a whole document into its root element.
pub(super) fn parse_xml(text: &str) -> Result<Element, XmlError> {
    let mut reader = Reader::from_str(text);
    let mut lines = Lines {
        bytes: text.as_bytes(),
        pos: 0,
        line: 1,
    };
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    let mut count = 0usize;
    loop {
        let pos = reader.buffer_position();
        let event = match reader.read_event() {
            Ok(e) => e,
            Err(_) => return Err(XmlError::Syntax(lines.at(reader.error_position()))),
        };
        let line = lines.at(pos);
        let node = match event {
            Event::Start(s) => {
                count += 1;
                if stack.len() >= MAX_DEPTH || count > MAX_ELEMENTS {
                    return Err(XmlError::TooLarge(line));
                }
                if root.is_some() && stack.is_empty() {
                    return Err(XmlError::Syntax(line));
                }
                stack.push(element(&s, line)?);
                continue;
            }
            Event::Empty(s) => {
                count += 1;
                if count > MAX_ELEMENTS {
                    return Err(XmlError::TooLarge(line));
                }
                Node::El(element(&s, line)?)
            }
            Event::End(_) => match stack.pop() {
                Some(el) => Node::El(el),
                None => return Err(XmlError::Syntax(line)),
            },
            Event::Text(t) => {
                let t = t.into_inner();
                if !t.chars().all(xml_char) {
                    return Err(XmlError::Syntax(line));
                }
                if stack.is_empty() {
                    if t.trim().is_empty() {
                        continue;
                    }
                    return Err(XmlError::Syntax(line));
                }
                Node::Text(t.into_owned())
            }
            Event::CData(t) => {
                let t = t.into_inner();
                if !t.chars().all(xml_char) {
                    return Err(XmlError::Syntax(line));
                }
                Node::CData(t.into_owned())
            }
            Event::GeneralRef(r) => {
                let r = r.into_inner();
                let ok = if r.starts_with('#') {
                    char_ref(&r).is_some()
                } else {
                    valid_name(&r)
                };
                if !ok {
                    return Err(XmlError::Syntax(line));
                }
                Node::Ref(r.into_owned())
            }
            Event::Eof => break,
            _ => continue,
        };
        match stack.last_mut() {
            Some(parent) => parent.children.push(node),
            None => match node {
                Node::El(el) if root.is_none() => root = Some(el),
                _ => return Err(XmlError::Syntax(line)),
            },
        }
    }
    if !stack.is_empty() {
        return Err(XmlError::Syntax(lines.at(u64::MAX)));
    }
    root.ok_or(XmlError::Syntax(1))
}

/// What [`write_html`] does with an element.
pub(super) enum Hook {
    /// Serialise it as HTML.
    Keep,
    /// Leave it (and its content) out.
    Skip,
    /// Write this instead.
    Replace(String),
}

/// Serialises nodes as HTML: void elements without end tag, references as written (`&#160;`
/// as `&nbsp;`), CDATA escaped, namespace declarations dropped.
pub(super) fn write_html(
    nodes: &[&Node],
    out: &mut String,
    hook: &mut dyn FnMut(&Element) -> Hook,
) {
    for n in nodes {
        match n {
            Node::Text(t) => out.push_str(t),
            Node::Ref(r) => out.push_str(&html_ref(r)),
            Node::CData(t) => out.push_str(
                &t.replace('&', "&amp;")
                    .replace('<', "&lt;")
                    .replace('>', "&gt;"),
            ),
            Node::El(e) => match hook(e) {
                Hook::Skip => {}
                Hook::Replace(s) => out.push_str(&s),
                Hook::Keep => {
                    out.push('<');
                    out.push_str(&e.name);
                    for (k, v) in &e.attrs {
                        // Namespaced attributes are not HTML (`xml:lang` is).
                        if (k.contains(':') && !k.starts_with("xml:")) || k == "xmlns" {
                            continue;
                        }
                        out.push(' ');
                        out.push_str(k);
                        out.push_str("=\"");
                        out.push_str(&html_attr(v));
                        out.push('"');
                    }
                    out.push('>');
                    if VOID.contains(&e.name.as_str()) {
                        continue;
                    }
                    let children: Vec<&Node> = e.children.iter().collect();
                    write_html(&children, out, hook);
                    out.push_str("</");
                    out.push_str(&e.name);
                    out.push('>');
                }
            },
        }
    }
}
