//! HTML (as the sanitiser writes it) → well-formed XHTML for an item file, and the media an
//! HTML text refers to.

use std::collections::HashSet;

use super::dom::VOID;
use super::entities::{HTML_ENTITIES, char_ref, decode_entities, name_char, window, xml_char};

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
