//! A policy document's text (the restricted Markdown of `docs/policies`): `#`–`###` headings,
//! paragraphs, `-` and `1.` lists, `**bold**`, and `<https://…>` addresses shown as text. Built
//! as elements, never as HTML, so nothing in a document can inject markup.

use leptos::prelude::*;

/// A run of text, bold or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    pub text: String,
    pub bold: bool,
}

/// One block of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Heading(u8, Vec<Run>),
    Paragraph(Vec<Run>),
    List { ordered: bool, items: Vec<Vec<Run>> },
}

/// Splits a line into bold and plain runs; `<…>` around an address is dropped.
pub fn runs(line: &str) -> Vec<Run> {
    let line = line.replace("<http", "http").replace("/>", "/");
    let mut out = Vec::new();
    for (i, part) in line.split("**").enumerate() {
        if !part.is_empty() {
            out.push(Run {
                text: part.to_owned(),
                bold: i % 2 == 1,
            });
        }
    }
    out
}

/// The item text of a list line (`- x`, `1. x`), and whether the list is ordered.
fn list_item(line: &str) -> Option<(bool, &str)> {
    if let Some(rest) = line.strip_prefix("- ") {
        return Some((false, rest));
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 {
        return line[digits..].strip_prefix(". ").map(|rest| (true, rest));
    }
    None
}

/// Parses a document into blocks.
pub fn parse(text: &str) -> Vec<Block> {
    let mut blocks: Vec<Block> = Vec::new();
    let mut paragraph: Vec<String> = Vec::new();
    let flush = |paragraph: &mut Vec<String>, blocks: &mut Vec<Block>| {
        if !paragraph.is_empty() {
            blocks.push(Block::Paragraph(runs(&paragraph.join(" "))));
            paragraph.clear();
        }
    };
    for raw in text.lines() {
        let line = raw.trim();
        if line.is_empty() {
            flush(&mut paragraph, &mut blocks);
            continue;
        }
        let hashes = line.chars().take_while(|c| *c == '#').count();
        if (1..=3).contains(&hashes) && line[hashes..].starts_with(' ') {
            flush(&mut paragraph, &mut blocks);
            blocks.push(Block::Heading(hashes as u8, runs(line[hashes..].trim())));
            continue;
        }
        if let Some((ordered, item)) = list_item(line) {
            flush(&mut paragraph, &mut blocks);
            match blocks.last_mut() {
                Some(Block::List { ordered: o, items }) if *o == ordered => items.push(runs(item)),
                _ => blocks.push(Block::List {
                    ordered,
                    items: vec![runs(item)],
                }),
            }
            continue;
        }
        paragraph.push(line.to_owned());
    }
    flush(&mut paragraph, &mut blocks);
    blocks
}

fn runs_view(runs: Vec<Run>) -> impl IntoView {
    runs.into_iter()
        .map(|r| {
            if r.bold {
                view! { <strong>{r.text}</strong> }.into_any()
            } else {
                r.text.into_any()
            }
        })
        .collect_view()
}

/// A document, rendered. The document's own title (`#`) is left out when `skip_title`: the
/// page shows it.
#[component]
pub fn PolicyText(#[prop(into)] text: String, #[prop(optional)] skip_title: bool) -> impl IntoView {
    let blocks = parse(&text);
    let body = blocks
        .into_iter()
        .filter(|b| !(skip_title && matches!(b, Block::Heading(1, _))))
        .map(|block| match block {
            Block::Heading(1, r) => view! { <h2 class="policy__title">{runs_view(r)}</h2> }.into_any(),
            Block::Heading(2, r) => view! { <h3 class="policy__heading">{runs_view(r)}</h3> }.into_any(),
            Block::Heading(_, r) => view! { <h4 class="policy__subheading">{runs_view(r)}</h4> }.into_any(),
            Block::Paragraph(r) => view! { <p>{runs_view(r)}</p> }.into_any(),
            Block::List { ordered: true, items } => view! {
                <ol>{items.into_iter().map(|r| view! { <li>{runs_view(r)}</li> }).collect_view()}</ol>
            }
            .into_any(),
            Block::List { ordered: false, items } => view! {
                <ul>{items.into_iter().map(|r| view! { <li>{runs_view(r)}</li> }).collect_view()}</ul>
            }
            .into_any(),
        })
        .collect_view();
    view! { <div class="policy" data-testid="policy-text">{body}</div> }
}

#[cfg(test)]
mod tests {
    use super::{Block, Run, parse, runs};

    fn plain(t: &str) -> Run {
        Run {
            text: t.to_owned(),
            bold: false,
        }
    }

    #[test]
    fn headings_paragraphs_lists_and_bold_are_recognised() {
        let doc = "# Title\n\nIntro line one\nline two\n\n- a\n- b\n\n1. one\n2. two\n\n## Part\n\n**1.1** Clause";
        let blocks = parse(doc);
        assert_eq!(blocks[0], Block::Heading(1, vec![plain("Title")]));
        assert_eq!(
            blocks[1],
            Block::Paragraph(vec![plain("Intro line one line two")])
        );
        assert_eq!(
            blocks[2],
            Block::List {
                ordered: false,
                items: vec![vec![plain("a")], vec![plain("b")]]
            }
        );
        assert_eq!(
            blocks[3],
            Block::List {
                ordered: true,
                items: vec![vec![plain("one")], vec![plain("two")]]
            }
        );
        assert_eq!(blocks[4], Block::Heading(2, vec![plain("Part")]));
        assert_eq!(
            blocks[5],
            Block::Paragraph(vec![
                Run {
                    text: "1.1".to_owned(),
                    bold: true
                },
                plain(" Clause")
            ])
        );
    }

    #[test]
    fn markup_stays_text_and_addresses_lose_their_brackets() {
        assert_eq!(
            runs("<script>x</script>"),
            vec![plain("<script>x</script>")]
        );
        assert_eq!(
            runs("site <https://example.com/>"),
            vec![plain("site https://example.com/")]
        );
    }

    #[test]
    fn the_shipped_documents_parse_into_sections() {
        for doc in [
            include_str!("../../../docs/policies/privacy.zh.md"),
            include_str!("../../../docs/policies/privacy.en.md"),
            include_str!("../../../docs/policies/terms.zh.md"),
            include_str!("../../../docs/policies/terms.en.md"),
        ] {
            let blocks = parse(doc);
            assert!(matches!(blocks[0], Block::Heading(1, _)));
            let sections = blocks
                .iter()
                .filter(|b| matches!(b, Block::Heading(2, _)))
                .count();
            assert!(sections >= 9, "{sections} sections");
        }
    }
}
