//! Character and entity references: decoding them when reading, escaping text and attribute
//! values when writing, and HTML's named entities as XML character references.

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
pub(super) fn char_ref(name: &str) -> Option<char> {
    let n = if let Some(hex) = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
        u32::from_str_radix(hex, 16).ok()?
    } else {
        name.strip_prefix('#')?.parse::<u32>().ok()?
    };
    char::from_u32(n).filter(|c| xml_char(*c))
}

pub(super) fn xml_char(c: char) -> bool {
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
pub(super) fn html_ref(r: &str) -> String {
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
pub(super) fn html_attr(raw: &str) -> String {
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

/// Names are ASCII here (QTI's and HTML's are), which every XML parser accepts.
pub(super) fn name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.')
}

/// The first (at most) 34 bytes of `s`, where an entity's `;` would be.
pub(super) fn window(s: &str) -> &str {
    let mut end = s.len().min(34);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// HTML's common named entities (other than the five of XML and `nbsp`), written as
/// character references in XML.
pub(super) const HTML_ENTITIES: [(&str, char); 40] = [
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
