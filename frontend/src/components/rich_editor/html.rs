//! The editor's HTML and DOM work: the tables and formulas it inserts, the browser's editing
//! commands and caret, reading the editing area back as HTML, and pasted HTML rebuilt from an
//! allow-list.

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, Node, Range};

use super::MAX_TABLE;
use crate::components::rich_text::{FORMULA_CLASS, editable_formula, escape, formula_mathml};

/// How deep pasted HTML is read; deeper content is dropped.
const MAX_PASTE_DEPTH: usize = 32;

/// The HTML of an empty table (each cell holds a `<br>` so the caret can enter it), followed by
/// a paragraph so writing can go on below it.
pub fn table_html(rows: usize, cols: usize, header: bool) -> String {
    let rows = rows.clamp(1, MAX_TABLE);
    let cols = cols.clamp(1, MAX_TABLE);
    let row = |cell: &str| {
        let cells: String = (0..cols)
            .map(|_| format!("<{cell}><br></{cell}>"))
            .collect();
        format!("<tr>{cells}</tr>")
    };
    let mut html = String::from("<table>");
    let body_rows = if header && rows > 1 {
        html.push_str(&format!("<thead>{}</thead>", row("th")));
        rows - 1
    } else {
        rows
    };
    html.push_str("<tbody>");
    for _ in 0..body_rows {
        html.push_str(&row("td"));
    }
    html.push_str("</tbody></table><p><br></p>");
    html
}

/// What the formula tool inserts: the formula's span (its MathML, its `$…$` source kept), or
/// its source as text when it does not parse, so it can be corrected in place.
pub fn formula_html(latex: &str, display: bool) -> String {
    let fenced = if display {
        format!("$${latex}$$")
    } else {
        format!("${latex}$")
    };
    match formula_mathml(latex, display) {
        Some(mathml) => editable_formula(&fenced, &mathml),
        None => escape(&fenced),
    }
}

/// Runs an editing command on the current selection.
pub(super) fn exec(command: &str, argument: &str) {
    if let Some(document) = html_document() {
        // A command the browser does not know answers false; nothing to do then.
        let _ = document.exec_command_with_show_ui_and_value(command, false, argument);
    }
}

/// Whether the selection has a format on (bold, in a list, …).
pub(super) fn command_state(command: &str) -> bool {
    html_document()
        .and_then(|d| d.query_command_state(command).ok())
        .unwrap_or(false)
}

pub(super) fn html_document() -> Option<web_sys::HtmlDocument> {
    web_sys::window()?.document()?.dyn_into().ok()
}

/// The selection's range when it lies inside `area`.
pub(super) fn range_inside(area: &HtmlElement) -> Option<Range> {
    let selection = web_sys::window()?.get_selection().ok()??;
    if selection.range_count() == 0 {
        return None;
    }
    let range = selection.get_range_at(0).ok()?;
    let node = range.common_ancestor_container().ok()?;
    area.contains(Some(&node)).then_some(range)
}

/// Focuses `area` with the caret at `range` (or at its end).
pub(super) fn restore_caret(area: &HtmlElement, range: Option<&Range>) {
    let _ = area.focus();
    let Some(selection) = web_sys::window().and_then(|w| w.get_selection().ok().flatten()) else {
        return;
    };
    let range = match range {
        Some(range) => Some(range.clone()),
        None => web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.create_range().ok())
            .filter(|r| r.select_node_contents(area).is_ok())
            .inspect(|r| r.collapse_with_to_start(false)),
    };
    if let Some(range) = range {
        let _ = selection.remove_all_ranges();
        let _ = selection.add_range(&range);
    }
}

/// The area's HTML with each formula written back as its `$…$` source; an area holding only
/// an empty line reads as empty.
pub(super) fn read_html(area: &HtmlElement) -> String {
    let copy = area
        .clone_node_with_deep(true)
        .ok()
        .and_then(|n| n.dyn_into::<Element>().ok());
    let Some(copy) = copy else {
        return normalise(area.inner_html());
    };
    let document = web_sys::window().and_then(|w| w.document());
    if let (Some(document), Ok(formulas)) = (
        document,
        copy.query_selector_all(&format!(".{FORMULA_CLASS}")),
    ) {
        for i in 0..formulas.length() {
            let Some(formula) = formulas.item(i) else {
                continue;
            };
            let source = formula
                .dyn_ref::<Element>()
                .and_then(|e| e.get_attribute("data-latex"))
                .unwrap_or_default();
            if let Some(parent) = formula.parent_node() {
                let text = document.create_text_node(&source);
                let _ = parent.replace_child(&text, &formula);
            }
        }
    }
    normalise(copy.inner_html())
}

pub(super) fn normalise(html: String) -> String {
    let trimmed = html.trim();
    match trimmed {
        "<br>" | "<p><br></p>" | "<div><br></div>" => String::new(),
        _ => html,
    }
}

/// Pasted HTML rebuilt from what the toolbar produces: the allowed tags without attributes,
/// images only from our attachments or http(s) (`src` and `alt`), other blocks as paragraphs,
/// other inline elements unwrapped, scripts, styles and embedded documents dropped. Parsed in
/// an inert document, so nothing in it runs or loads.
pub(super) fn clean_paste(html: &str) -> Option<String> {
    if html.trim().is_empty() {
        return None;
    }
    let parser = web_sys::DomParser::new().ok()?;
    let document = parser
        .parse_from_string(html, web_sys::SupportedType::TextHtml)
        .ok()?;
    let body = document.body()?;
    let mut out = String::new();
    clean_children(&body, &mut out, 0);
    Some(out)
}

pub(super) fn clean_children(node: &Node, out: &mut String, depth: usize) {
    if depth > MAX_PASTE_DEPTH {
        return;
    }
    let children = node.child_nodes();
    for i in 0..children.length() {
        let Some(child) = children.item(i) else {
            continue;
        };
        match child.node_type() {
            Node::TEXT_NODE => out.push_str(&escape(&child.text_content().unwrap_or_default())),
            Node::ELEMENT_NODE => {
                if let Some(element) = child.dyn_ref::<Element>() {
                    clean_element(element, out, depth);
                }
            }
            _ => {}
        }
    }
}

pub(super) fn clean_element(element: &Element, out: &mut String, depth: usize) {
    let name = element.local_name();
    match name.as_str() {
        "script" | "style" | "template" | "iframe" | "object" | "embed" | "noscript" | "svg"
        | "math" | "head" | "title" | "meta" | "link" | "button" | "input" | "select"
        | "textarea" | "form" => {}
        "br" => out.push_str("<br>"),
        "img" => {
            let src = element.get_attribute("src").unwrap_or_default();
            let allowed = src.starts_with("/api/attachments/")
                || src.starts_with("https://")
                || src.starts_with("http://");
            if allowed {
                let alt = element.get_attribute("alt").unwrap_or_default();
                out.push_str(&format!(
                    "<img src=\"{}\" alt=\"{}\">",
                    escape(&src),
                    escape(&alt)
                ));
            }
        }
        "b" | "strong" | "i" | "em" | "u" | "ul" | "ol" | "li" | "table" | "thead" | "tbody"
        | "tr" | "th" | "td" | "p" | "sub" | "sup" => {
            out.push_str(&format!("<{name}>"));
            clean_children(element, out, depth + 1);
            out.push_str(&format!("</{name}>"));
        }
        "div" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "blockquote" | "pre" => {
            out.push_str("<p>");
            clean_children(element, out, depth + 1);
            out.push_str("</p>");
        }
        _ => clean_children(element, out, depth + 1),
    }
}

#[cfg(test)]
mod tests {
    use super::{formula_html, normalise, table_html};

    #[test]
    fn a_table_has_a_header_row_and_cells_the_caret_can_enter() {
        assert_eq!(
            table_html(2, 2, true),
            "<table><thead><tr><th><br></th><th><br></th></tr></thead><tbody><tr><td><br></td><td><br></td></tr></tbody></table><p><br></p>"
        );
        let html = table_html(1, 3, true);
        assert!(
            !html.contains("<thead>") && html.matches("<td>").count() == 3,
            "{html}"
        );
        let html = table_html(0, 500, false);
        assert_eq!(html.matches("<td>").count(), super::MAX_TABLE, "{html}");
    }

    #[test]
    fn a_formula_keeps_its_source_and_a_broken_one_stays_text() {
        let html = formula_html("x^2", false);
        assert!(
            html.contains("data-latex=\"$x^2$\"") && html.contains("<math"),
            "{html}"
        );
        assert!(formula_html("\\sqrt{2}", true).contains("data-latex=\"$$\\sqrt{2}$$\""));
        assert_eq!(formula_html("\\frac{1", false), "$\\frac{1$");
        assert!(!formula_html("a<b", false).contains("<b"));
    }

    #[test]
    fn an_empty_line_reads_as_empty() {
        assert_eq!(normalise("<br>".to_owned()), "");
        assert_eq!(normalise("<p><br></p>".to_owned()), "");
        assert_eq!(normalise("<p>x</p>".to_owned()), "<p>x</p>");
    }
}
