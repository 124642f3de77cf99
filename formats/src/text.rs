//! Rich text ↔ plain text for the plain-text formats (GIFT, Aiken).

/// Plain text as rich text: escaped, line breaks as `<br>`, in one paragraph.
pub fn plain_to_html(text: &str) -> String {
    let escaped = text
        .trim()
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;");
    format!(
        "<p>{}</p>",
        escaped.replace("\r\n", "\n").replace('\n', "<br>")
    )
}

/// Rich text as plain text: tags dropped (`<br>` and paragraph ends as line breaks), entities
/// decoded.
pub fn html_to_plain(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let Some(end) = rest[start..].find('>') else {
            out.push_str(&rest[start..]);
            rest = "";
            break;
        };
        let tag = rest[start + 1..start + end].trim().to_ascii_lowercase();
        if tag.starts_with("br") || tag == "/p" || tag == "/div" || tag == "/li" {
            out.push('\n');
        }
        rest = &rest[start + end + 1..];
    }
    out.push_str(rest);
    let decoded = out
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&");
    decoded.trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_survives_a_round_trip() {
        for s in ["a<b & c>d \"q\"", "第一行\n第二行", "$x^2$"] {
            assert_eq!(html_to_plain(&plain_to_html(s)), s);
        }
    }
}
