//! A small XML tree over quick-xml (names of QTI 3.0 normalised to the QTI 2.1 spelling), its
//! serialisation back to HTML, and HTML → XHTML for writing.

use std::collections::HashSet;

use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

/// Deepest element nesting accepted (the tree is walked recursively).
const MAX_DEPTH: usize = 200;
/// Most elements in one file.
const MAX_ELEMENTS: usize = 200_000;

const VOID: [&str; 14] = [
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

/// Decodes the predefined entities, character references and `&nbsp;`; other references stay
/// as written.
pub(super) fn decode_entities(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = window(rest).find(';');
        let decoded = end.and_then(|end| {
            let name = &rest[1..end];
            let c = match name {
                "lt" => Some('<'),
                "gt" => Some('>'),
                "amp" => Some('&'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                _ => char_ref(name),
            };
            c.map(|c| (c, end + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// `#65` or `#x41` as its character, if valid in XML.
fn char_ref(name: &str) -> Option<char> {
    let n = if let Some(hex) = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
        u32::from_str_radix(hex, 16).ok()?
    } else {
        name.strip_prefix('#')?.parse::<u32>().ok()?
    };
    char::from_u32(n).filter(|c| xml_char(*c))
}

fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Escapes plain text for XML text or a double-quoted attribute; drops characters XML cannot
/// hold.
pub(super) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if xml_char(c) => out.push(c),
            _ => {}
        }
    }
    out
}

/// A reference read from XML as HTML: the five of XML and character references as
/// written (U+00A0 as `&nbsp;`), HTML's common named entities as character references,
/// `&nbsp;` as is, anything else as literal text.
fn html_ref(r: &str) -> String {
    match r {
        "lt" | "gt" | "amp" | "quot" | "apos" | "nbsp" => format!("&{r};"),
        _ if r.starts_with('#') => match char_ref(r) {
            Some('\u{a0}') => "&nbsp;".to_owned(),
            Some(_) => format!("&{r};"),
            None => format!("&amp;{r};"),
        },
        _ => match HTML_ENTITIES.iter().find(|(n, _)| *n == r) {
            Some((_, c)) => format!("&#{};", u32::from(*c)),
            None => format!("&amp;{r};"),
        },
    }
}

/// A raw XML attribute value (well-formed) as a double-quoted HTML attribute value.
fn html_attr(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(i) = rest.find(['&', '"', '<']) {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        if rest[i..].starts_with('&') {
            if let Some(end) = after.find(';') {
                out.push_str(&html_ref(&after[..end]));
                rest = &after[end + 1..];
                continue;
            }
            out.push_str("&amp;");
        } else if rest[i..].starts_with('"') {
            out.push_str("&quot;");
        } else {
            out.push_str("&lt;");
        }
        rest = after;
    }
    out.push_str(rest);
    out
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

/// A tag of HTML.
enum Tag {
    Start {
        name: String,
        attrs: Vec<(String, Option<String>)>,
        self_closing: bool,
    },
    End {
        name: String,
    },
}

/// Names are ASCII here (QTI's and HTML's are), which every XML parser accepts.
fn name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.')
}

/// A tag at the start of `s` (which starts with `<`) and its length.
fn parse_tag(s: &str) -> Option<(Tag, usize)> {
    let body = s.get(1..)?;
    if let Some(rest) = body.strip_prefix('/') {
        let name_len = rest.find(|c: char| !name_char(c)).unwrap_or(rest.len());
        let name = &rest[..name_len];
        if !name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
            return None;
        }
        let after = &rest[name_len..];
        let close = after.find('>')?;
        if !after[..close].trim().is_empty() {
            return None;
        }
        return Some((
            Tag::End {
                name: name.to_owned(),
            },
            2 + name_len + close + 1,
        ));
    }
    let name_len = body.find(|c: char| !name_char(c)).unwrap_or(body.len());
    let name = &body[..name_len];
    if !name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        return None;
    }
    let mut i = 1 + name_len;
    let mut attrs = Vec::new();
    loop {
        let rest = s.get(i..)?;
        let trimmed = rest.trim_start();
        i += rest.len() - trimmed.len();
        if trimmed.starts_with('>') {
            return Some((
                Tag::Start {
                    name: name.to_owned(),
                    attrs,
                    self_closing: false,
                },
                i + 1,
            ));
        }
        if trimmed.starts_with("/>") {
            return Some((
                Tag::Start {
                    name: name.to_owned(),
                    attrs,
                    self_closing: true,
                },
                i + 2,
            ));
        }
        if trimmed.starts_with('/') {
            i += 1;
            continue;
        }
        let key_len = trimmed
            .find(|c: char| c.is_whitespace() || matches!(c, '/' | '>' | '=' | '"' | '\'' | '<'))
            .unwrap_or(trimmed.len());
        if key_len == 0 {
            return None;
        }
        let key = trimmed[..key_len].to_owned();
        i += key_len;
        let rest = s.get(i..)?;
        let after_ws = rest.trim_start();
        if let Some(v) = after_ws.strip_prefix('=') {
            let v_trimmed = v.trim_start();
            i += rest.len() - v_trimmed.len();
            let (value, len) =
                if let Some(q) = v_trimmed.chars().next().filter(|c| *c == '"' || *c == '\'') {
                    let inner = &v_trimmed[1..];
                    let close = inner.find(q)?;
                    (inner[..close].to_owned(), close + 2)
                } else {
                    let len = v_trimmed
                        .find(|c: char| c.is_whitespace() || c == '>')
                        .unwrap_or(v_trimmed.len());
                    (v_trimmed[..len].to_owned(), len)
                };
            i += len;
            attrs.push((key, Some(value)));
        } else {
            attrs.push((key, None));
        }
    }
}

/// The first (at most) 34 bytes of `s`, where an entity's `;` would be.
fn window(s: &str) -> &str {
    let mut end = s.len().min(34);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// HTML's common named entities (other than the five of XML and `nbsp`), written as
/// character references in XML.
const HTML_ENTITIES: [(&str, char); 40] = [
    ("copy", '©'),
    ("reg", '®'),
    ("trade", '™'),
    ("mdash", '—'),
    ("ndash", '–'),
    ("hellip", '…'),
    ("laquo", '«'),
    ("raquo", '»'),
    ("lsquo", '‘'),
    ("rsquo", '’'),
    ("ldquo", '“'),
    ("rdquo", '”'),
    ("middot", '·'),
    ("bull", '•'),
    ("times", '×'),
    ("divide", '÷'),
    ("deg", '°'),
    ("plusmn", '±'),
    ("le", '≤'),
    ("ge", '≥'),
    ("ne", '≠'),
    ("infin", '∞'),
    ("sup2", '²'),
    ("sup3", '³'),
    ("frac12", '½'),
    ("frac14", '¼'),
    ("frac34", '¾'),
    ("euro", '€'),
    ("yen", '¥'),
    ("pound", '£'),
    ("cent", '¢'),
    ("sect", '§'),
    ("para", '¶'),
    ("larr", '←'),
    ("rarr", '→'),
    ("uarr", '↑'),
    ("darr", '↓'),
    ("harr", '↔'),
    ("alpha", 'α'),
    ("pi", 'π'),
];

/// An entity at the start of `s` (which starts with `&`) as XML, and the bytes it takes.
fn xml_entity(s: &str) -> (String, usize) {
    let end = window(s).find(';');
    if let Some(end) = end {
        let name = &s[1..end];
        match name {
            "lt" | "gt" | "amp" | "quot" | "apos" => return (format!("&{name};"), end + 1),
            "nbsp" => return ("&#160;".to_owned(), end + 1),
            _ => {
                if char_ref(name).is_some() {
                    return (format!("&{name};"), end + 1);
                }
                if let Some((_, c)) = HTML_ENTITIES.iter().find(|(n, _)| *n == name) {
                    return (format!("&#{};", u32::from(*c)), end + 1);
                }
            }
        }
    }
    ("&amp;".to_owned(), 1)
}

/// Escapes an HTML attribute value (as written in HTML) for a double-quoted XML attribute.
fn xml_attr_value(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    let mut i = 0;
    while let Some(c) = v.get(i..).and_then(|r| r.chars().next()) {
        match c {
            '&' => {
                let (s, len) = xml_entity(&v[i..]);
                out.push_str(&s);
                i += len;
                continue;
            }
            '<' => out.push_str("&lt;"),
            '"' => out.push_str("&quot;"),
            c if xml_char(c) => out.push(c),
            _ => {}
        }
        i += c.len_utf8();
    }
    out
}

fn xml_name(n: &str) -> bool {
    n.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && n.chars().all(name_char)
        && n.matches(':').count() <= 1
        && !n.starts_with("xmlns")
}

/// HTML (as a sanitiser writes it) as well-formed XHTML: void elements closed (`<br/>`),
/// stray end tags dropped, open elements closed, `&nbsp;` as `&#160;`, bare `&` and `<`
/// escaped, comments dropped.
pub(super) fn html_to_xhtml(html: &str) -> String {
    let mut out = String::with_capacity(html.len() + 16);
    let mut stack: Vec<String> = Vec::new();
    let mut i = 0;
    while let Some(c) = html.get(i..).and_then(|r| r.chars().next()) {
        let rest = &html[i..];
        if rest.starts_with("<!--") {
            i += rest.find("-->").map_or(rest.len(), |e| e + 3);
            continue;
        }
        match c {
            '<' => match parse_tag(rest) {
                Some((
                    Tag::Start {
                        name,
                        attrs,
                        self_closing,
                    },
                    len,
                )) => {
                    i += len;
                    // No namespace prefixes in HTML: `a:b` is written as `a-b`.
                    let name = name.replace(':', "-");
                    out.push('<');
                    out.push_str(&name);
                    let mut seen: Vec<String> = Vec::new();
                    for (k, v) in &attrs {
                        let k = if k.starts_with("xml:") {
                            k.clone()
                        } else {
                            k.replace(':', "-")
                        };
                        if !xml_name(&k) || seen.contains(&k) {
                            continue;
                        }
                        out.push(' ');
                        out.push_str(&k);
                        out.push_str("=\"");
                        out.push_str(&xml_attr_value(v.as_deref().unwrap_or("")));
                        out.push('"');
                        seen.push(k);
                    }
                    if self_closing || VOID.contains(&name.to_ascii_lowercase().as_str()) {
                        out.push_str("/>");
                    } else {
                        out.push('>');
                        stack.push(name);
                    }
                }
                Some((Tag::End { name }, len)) => {
                    i += len;
                    let name = name.replace(':', "-");
                    if let Some(pos) = stack.iter().rposition(|n| *n == name) {
                        while stack.len() > pos {
                            if let Some(n) = stack.pop() {
                                out.push_str("</");
                                out.push_str(&n);
                                out.push('>');
                            }
                        }
                    }
                }
                None => {
                    out.push_str("&lt;");
                    i += 1;
                }
            },
            '&' => {
                let (s, len) = xml_entity(rest);
                out.push_str(&s);
                i += len;
            }
            '>' if out.ends_with("]]") => {
                out.push_str("&gt;");
                i += 1;
            }
            c => {
                if xml_char(c) {
                    out.push(c);
                }
                i += c.len_utf8();
            }
        }
    }
    while let Some(n) = stack.pop() {
        out.push_str("</");
        out.push_str(&n);
        out.push('>');
    }
    out
}

/// The `src` values (and `data` of `<object>`) in HTML, decoded.
pub(super) fn html_sources(html: &str, out: &mut Vec<String>, seen: &mut HashSet<String>) {
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i..];
        match parse_tag(rest) {
            Some((Tag::Start { name, attrs, .. }, len)) => {
                for (k, v) in attrs {
                    let k = k.to_ascii_lowercase();
                    if let (true, Some(v)) = (
                        k == "src" || (k == "data" && name.eq_ignore_ascii_case("object")),
                        v,
                    ) {
                        let v = decode_entities(&v);
                        if seen.insert(v.clone()) {
                            out.push(v);
                        }
                    }
                }
                rest = &rest[len..];
            }
            Some((Tag::End { .. }, len)) => rest = &rest[len..],
            None => rest = &rest[1..],
        }
    }
}
