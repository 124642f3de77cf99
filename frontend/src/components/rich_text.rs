//! Rich text with its formulas: LaTeX between `$…$` (inline) or `$$…$$` (display) in the text
//! of question HTML becomes MathML, which browsers render natively. Formulas are looked for
//! only in text, never inside tags or attributes, nor in `<code>`/`<pre>`; `\$` is a literal
//! dollar sign. A formula that does not parse is shown as its source in
//! `<code class="latex-error">`.
//!
//! Everything that shows question text goes through [`render_math`] (or [`RichText`]), so a
//! formula looks the same in the bank list, the editor's preview and, later, the exam.

use latex2mathml::{DisplayStyle, latex_to_mathml};
use leptos::prelude::*;

/// The longest formula source converted; longer ones are shown as source.
const MAX_FORMULA: usize = 1_000;
/// The deepest `{…}` nesting converted: the parser recurses on groups (and on scripts, so
/// their number is bounded too).
const MAX_DEPTH: usize = 32;
const MAX_SCRIPTS: usize = 100;

/// Server-sanitised HTML, shown with its formulas rendered.
#[component]
pub fn RichText(
    #[prop(into)] html: String,
    #[prop(optional)] class: &'static str,
    #[prop(optional)] testid: &'static str,
) -> impl IntoView {
    let class = if class.is_empty() {
        "rich-text".to_owned()
    } else {
        format!("rich-text {class}")
    };
    view! { <div class=class data-testid=testid inner_html=render_math(&html)></div> }
}

/// A fill-in-the-blank stem as a candidate reads it: each `{{n}}` marker becomes a numbered
/// gap (`(n) ____`), so no marker syntax reaches the page; formulas are rendered as by
/// [`render_math`].
pub fn blanks_as_gaps(stem: &str) -> String {
    let mut out = stem.to_owned();
    for n in shared::questions::blank_markers(stem) {
        out = out.replacen(
            &format!("{{{{{n}}}}}"),
            &format!("<span class=\"blank-gap\">({n})</span>"),
            1,
        );
    }
    render_math(&out)
}

/// `html` with every formula in its text replaced by MathML (or by its source, marked as an
/// error). Tags, comments and attributes are copied as they are.
pub fn render_math(html: &str) -> String {
    render(html, Mode::Show)
}

/// `html` as the rich-text editor shows it: each formula that parses becomes a
/// [`FORMULA_CLASS`] span that cannot be edited inside, carrying its source (fences included)
/// in `data-latex` and showing its MathML; the editor writes the source back when it reads its
/// value. Formulas that do not parse and escaped dollars stay as typed, so nothing is lost.
pub fn render_math_editable(html: &str) -> String {
    render(html, Mode::Edit)
}

/// The class of a rendered formula inside the editor (see [`render_math_editable`]).
pub const FORMULA_CLASS: &str = "rich-editor__formula";

/// The span the editor shows for a formula: its source kept in `data-latex`.
pub fn editable_formula(source: &str, mathml: &str) -> String {
    format!(
        "<span class=\"{FORMULA_CLASS}\" contenteditable=\"false\" data-latex=\"{}\">{mathml}</span>",
        escape(source)
    )
}

/// The MathML of one formula given without its fences, for the editor's formula preview;
/// `None` when it does not parse.
pub fn formula_mathml(latex: &str, display: bool) -> Option<String> {
    to_mathml(latex, display)
}

/// Whether formulas are shown (as the exam shows them) or prepared for the editor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Show,
    Edit,
}

fn render(html: &str, mode: Mode) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    // Inside <code>, <pre>, <script>, <style>, <textarea> or existing <math>, text is kept.
    let mut verbatim = 0usize;
    while !rest.is_empty() {
        if starts_markup(rest) {
            let end = if rest.starts_with("<!--") {
                rest.find("-->").map_or(rest.len(), |i| i + 3)
            } else {
                tag_end(rest)
            };
            let tag = &rest[..end];
            match tag_name(tag) {
                Some((name, closing)) if is_verbatim(&name) => {
                    if closing {
                        verbatim = verbatim.saturating_sub(1);
                    } else if !tag.ends_with("/>") {
                        verbatim += 1;
                    }
                }
                _ => {}
            }
            out.push_str(tag);
            rest = &rest[end..];
        } else {
            let end = next_markup(rest);
            let text = &rest[..end];
            if verbatim > 0 {
                out.push_str(text);
            } else {
                render_text(text, mode, &mut out);
            }
            rest = &rest[end..];
        }
    }
    out
}

/// Whether `s` starts a tag, end tag, comment or declaration (as an HTML parser decides).
fn starts_markup(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next() == Some('<')
        && chars
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || matches!(c, '/' | '!' | '?'))
}

/// Where the text before the next piece of markup ends.
fn next_markup(s: &str) -> usize {
    // Past the first character (which may take several bytes, as Chinese text does).
    let mut from = s.chars().next().map_or(s.len(), char::len_utf8);
    while let Some(i) = s[from..].find('<') {
        let at = from + i;
        if starts_markup(&s[at..]) {
            return at;
        }
        from = at + 1;
    }
    s.len()
}

/// The length of the tag at the start of `s`, up to its `>` outside quoted attribute values.
fn tag_end(s: &str) -> usize {
    let mut quote = None;
    for (i, c) in s.char_indices().skip(1) {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return i + 1,
            _ => {}
        }
    }
    s.len()
}

/// The lower-case name of a tag and whether it is an end tag.
fn tag_name(tag: &str) -> Option<(String, bool)> {
    let inner = tag.strip_prefix('<')?;
    let (closing, inner) = match inner.strip_prefix('/') {
        Some(rest) => (true, rest),
        None => (false, inner),
    };
    let name: String = inner
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    (!name.is_empty()).then_some((name, closing))
}

fn is_verbatim(name: &str) -> bool {
    matches!(
        name,
        "code" | "pre" | "script" | "style" | "textarea" | "math"
    )
}

/// One text node (still HTML-escaped) with its formulas rendered, appended to `out`.
fn render_text(text: &str, mode: Mode, out: &mut String) {
    let mut i = 0;
    let bytes = text.as_bytes();
    let mut copied = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if bytes.get(i + 1) == Some(&b'$') => {
                // An escaped dollar outside formulas is a literal `$` (the editor keeps the
                // escape, which is what it writes back).
                if mode == Mode::Show {
                    out.push_str(&text[copied..i]);
                    out.push('$');
                    copied = i + 2;
                }
                i += 2;
            }
            b'$' => {
                let display = bytes.get(i + 1) == Some(&b'$');
                let found = if display {
                    display_end(text, i + 2).map(|end| (i + 2, end, end + 2))
                } else {
                    inline_end(text, i + 1).map(|end| (i + 1, end, end + 1))
                };
                match found {
                    Some((start, end, after)) => {
                        out.push_str(&text[copied..i]);
                        match mode {
                            Mode::Show => formula(&text[start..end], display, out),
                            Mode::Edit => editable(&text[i..after], display, out),
                        }
                        i = after;
                        copied = i;
                    }
                    // An unmatched `$` (or `$$`) is text.
                    None => i += if display { 2 } else { 1 },
                }
            }
            _ => i += 1,
        }
    }
    out.push_str(&text[copied..]);
}

/// The index of the `$$` closing a display formula whose source starts at `from`.
fn display_end(text: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = from;
    while i + 1 < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'$' if bytes[i + 1] == b'$' => {
                return (!text[from..i].trim().is_empty()).then_some(i);
            }
            _ => i += 1,
        }
    }
    None
}

/// The index of the `$` closing an inline formula whose source starts at `from`. As in
/// pandoc, the source neither starts nor ends with a space and the closing `$` is not followed
/// by a digit, so prices such as "$5 and $10" stay text.
fn inline_end(text: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    if bytes.get(from).is_none_or(|b| b.is_ascii_whitespace()) {
        return None;
    }
    let mut i = from;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'$' => {
                let spaced = bytes[i - 1].is_ascii_whitespace();
                let digit_after = bytes.get(i + 1).is_some_and(u8::is_ascii_digit);
                if i > from && !spaced && !digit_after {
                    return Some(i);
                }
                return None;
            }
            _ => i += 1,
        }
    }
    None
}

/// Appends the MathML of one formula (`source` is HTML-escaped text), or its source marked as
/// an error.
fn formula(source: &str, display: bool, out: &mut String) {
    let latex = decode_entities(source);
    match to_mathml(&latex, display) {
        Some(mathml) => out.push_str(&mathml),
        None => {
            let fence = if display { "$$" } else { "$" };
            out.push_str("<code class=\"latex-error\">");
            out.push_str(&escape(&format!("{fence}{latex}{fence}")));
            out.push_str("</code>");
        }
    }
}

/// Appends the editor's span of one formula (`fenced` is its HTML-escaped source with its
/// `$`/`$$` fences), or the source as it is when it does not parse.
fn editable(fenced: &str, display: bool, out: &mut String) {
    let fence = if display { 2 } else { 1 };
    let latex = decode_entities(&fenced[fence..fenced.len() - fence]);
    match to_mathml(&latex, display) {
        Some(mathml) => out.push_str(&editable_formula(&decode_entities(fenced), &mathml)),
        None => out.push_str(fenced),
    }
}

/// The MathML of a formula, or `None` when it does not parse.
fn to_mathml(latex: &str, display: bool) -> Option<String> {
    let scripts = latex.chars().filter(|c| matches!(c, '^' | '_')).count();
    if latex.chars().count() > MAX_FORMULA || depth(latex) > MAX_DEPTH || scripts > MAX_SCRIPTS {
        return None;
    }
    // The converter copies operators and `\text{…}` into its markup unescaped, so `<` and `>`
    // go in as commands: no character of the source can then open a tag.
    let latex = latex.replace('<', r"\lt ").replace('>', r"\gt ");
    let style = if display {
        DisplayStyle::Block
    } else {
        DisplayStyle::Inline
    };
    latex_to_mathml(&latex, style)
        .ok()
        .filter(|mathml| !mathml.contains("[PARSE ERROR"))
        // Browsers read a lone `<` or `>` in text as text, but the escaped form is unambiguous.
        .map(|mathml| {
            mathml
                .replace("<mo><</mo>", "<mo>&lt;</mo>")
                .replace("<mo>></mo>", "<mo>&gt;</mo>")
        })
}

/// The deepest nesting of `{…}` in a formula.
fn depth(latex: &str) -> usize {
    let (mut now, mut most) = (0usize, 0usize);
    for c in latex.chars() {
        match c {
            '{' => {
                now += 1;
                most = most.max(now);
            }
            '}' => now = now.saturating_sub(1),
            _ => {}
        }
    }
    most
}

/// The text an HTML-escaped text node stands for (the entities a sanitiser writes, and numeric
/// references).
fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let decoded = rest.find(';').filter(|end| *end <= 10).and_then(|end| {
            let name = &rest[1..end];
            let c = match name {
                "lt" => Some('<'),
                "gt" => Some('>'),
                "amp" => Some('&'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                _ => name
                    .strip_prefix("#x")
                    .or_else(|| name.strip_prefix("#X"))
                    .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                    .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
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

/// Text escaped for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::render_math;

    /// Every sequence of up to four pieces (tags, Chinese text, dollars, entities, a lone
    /// `<`) renders without a panic and keeps its text.
    #[test]
    fn any_mix_of_markup_and_multibyte_text_renders() {
        const PIECES: [&str; 10] = [
            "<p>",
            "</p>",
            "中",
            "$",
            "x",
            "<",
            "<img src=\"a\">",
            "“",
            "\\$",
            "&amp;",
        ];
        let mut count = 0;
        for n in 0..10_000usize {
            let mut source = String::new();
            let mut k = n;
            for _ in 0..4 {
                source.push_str(PIECES[k % PIECES.len()]);
                k /= PIECES.len();
            }
            let out = render_math(&source);
            if source.contains('中') {
                assert!(out.contains('中'), "{source} → {out}");
            }
            count += 1;
        }
        assert_eq!(count, 10_000);
    }

    #[test]
    fn imported_stems_with_images_and_quotes_render() {
        let out = render_math(
            "<p>如图，直角三角形的斜边 $c$ 是多少？</p><p><img src=\"/api/attachments/468b21f9-ad53-41de-b2d6-6b69e99cb39a\" alt=\"三角形\"></p>",
        );
        assert!(out.contains("<math") && out.contains("<img src="), "{out}");
        let out = render_math("<p>“床前明月光”的下一句是{{1}}。</p>");
        assert!(out.contains("床前明月光"), "{out}");
    }

    #[test]
    fn inline_and_display_formulas_become_mathml() {
        let html = render_math("<p>Area: $x^2$ and</p><p>$$\\frac{a}{b}$$</p>");
        assert!(html.starts_with("<p>Area: <math "), "{html}");
        assert!(html.contains("display=\"inline\""), "{html}");
        assert!(html.contains("<msup><mi>x</mi><mn>2</mn></msup>"), "{html}");
        assert!(html.contains("display=\"block\""), "{html}");
        assert!(html.contains("<mfrac>"), "{html}");
        assert!(html.ends_with("</math></p>"), "{html}");
    }

    #[test]
    fn attributes_code_and_escaped_dollars_are_left_alone() {
        let html = "<p title=\"$x$\">costs \\$5</p><code>$y$</code><img alt='$z$'>";
        assert_eq!(
            render_math(html),
            "<p title=\"$x$\">costs $5</p><code>$y$</code><img alt='$z$'>"
        );
    }

    #[test]
    fn the_editor_gets_formula_spans_that_keep_their_source() {
        let html = super::render_math_editable("<p>a $x &lt; 1$ b \\$5 $\\frac{1$</p>");
        assert!(
            html.starts_with("<p>a <span class=\"rich-editor__formula\" contenteditable=\"false\" data-latex=\"$x &lt; 1$\"><math"),
            "{html}"
        );
        assert!(
            html.ends_with("</math></span> b \\$5 $\\frac{1$</p>"),
            "{html}"
        );
        let html = super::render_math_editable("<p>$$\\sqrt{2}$$</p>");
        assert!(html.contains("data-latex=\"$$\\sqrt{2}$$\""), "{html}");
    }

    #[test]
    fn prices_and_lone_dollars_stay_text() {
        for text in [
            "<p>$5 and $10</p>",
            "<p>a $ b</p>",
            "<p>$x</p>",
            "<p>$$ $$</p>",
        ] {
            assert_eq!(render_math(text), text);
        }
    }

    #[test]
    fn entities_are_decoded_before_conversion_and_cannot_open_tags() {
        let html = render_math("<p>$a &lt; b$</p>");
        assert!(
            html.contains("<mo>&lt;</mo>") || html.contains("<mo><</mo>"),
            "{html}"
        );
        let html = render_math("<p>$\\text{&lt;img src=x onerror=alert(1)&gt;}$</p>");
        assert!(!html.contains("<img"), "{html}");
    }

    #[test]
    fn unparseable_formulas_show_their_source() {
        let html = render_math("<p>$\\frac{1$</p>");
        assert_eq!(html, "<p><code class=\"latex-error\">$\\frac{1$</code></p>");
        let html = render_math("<p>$\\nosuchcommand$</p>");
        assert!(html.contains("latex-error"), "{html}");
    }

    #[test]
    fn odd_sources_do_not_panic() {
        for source in [
            "{",
            "}",
            "^",
            "_",
            "x^",
            "\\sqrt[",
            "\\left(",
            "\\begin{",
            "\\end{matrix}",
            "\\text{",
            "&",
            "\\\\",
            "\\frac",
            "\\frac{}{}",
            "{{{{}}}}",
            "a_b_c",
            "\\",
            "\\begin{matrix}a&b\\\\c&d\\end{matrix}",
            "\\mathrm{",
            "\\overset{a}",
        ] {
            let _ = render_math(&format!("<p>${source}$ $${source}$$</p>"));
        }
    }
}
