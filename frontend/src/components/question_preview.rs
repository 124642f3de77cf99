//! The editor's live preview: the question as a candidate will see it (never its answers, an
//! essay's reference answer or rubric), with formulas rendered; and beside it what only graders
//! see, an essay's reference answer and rubric.

use leptos::prelude::*;
use shared::Lang;
use shared::questions::{Choice, QuestionContent, RubricItem, blank_markers};

use crate::components::rich_text::{escape, render_math};
use crate::i18n::{QuestionMsg, use_i18n};

/// The question as a candidate sees it, as an HTML document for a sandboxed frame: the draft's
/// text is not yet sanitised by the server, so it is never put into this page itself.
pub fn preview_document(content: &QuestionContent, lang: Lang) -> String {
    let mut body = String::new();
    question_body(content, lang, &mut body);
    let body = render_math(&body);
    format!(
        "<!doctype html><meta charset=\"utf-8\"><style>body{{font-family:sans-serif;margin:8px}}ul{{list-style:none;padding:0}}.latex-error{{color:#b00020}}.part{{margin:12px 0}}</style>{body}"
    )
}

fn question_body(content: &QuestionContent, lang: Lang, body: &mut String) {
    let stem = content.stem();
    let stem = if let QuestionContent::FillBlank { .. } = content {
        let mut stem = stem.to_owned();
        for n in blank_markers(content.stem()) {
            stem = stem.replacen(
                &format!("{{{{{n}}}}}"),
                &format!("<input size=\"8\" disabled aria-label=\"{n}\">"),
                1,
            );
        }
        stem
    } else {
        stem.to_owned()
    };
    body.push_str(&format!("<div class=\"stem\">{stem}</div>"));
    let list = |body: &mut String, kind: &str, options: &[Choice]| {
        body.push_str("<ul>");
        for o in options {
            body.push_str(&format!(
                "<li><label><input type=\"{kind}\" disabled> {}. {}</label></li>",
                escape(&o.id),
                o.text
            ));
        }
        body.push_str("</ul>");
    };
    match content {
        QuestionContent::SingleChoice { options, .. } => list(body, "radio", options),
        QuestionContent::MultipleChoice { options, .. } => list(body, "checkbox", options),
        QuestionContent::Ordering { items, .. } => list(body, "checkbox", items),
        QuestionContent::TrueFalse { .. } => {
            body.push_str("<p><label><input type=\"radio\" disabled> ✓</label> <label><input type=\"radio\" disabled> ✗</label></p>");
        }
        QuestionContent::Essay { .. } => body.push_str("<textarea rows=\"4\" disabled></textarea>"),
        // The stem already holds the boxes.
        QuestionContent::FillBlank { .. } => {}
        QuestionContent::Matching {
            prompts, answers, ..
        } => {
            // The answers are offered as a list of their own, distractors included.
            body.push_str("<table class=\"matching\"><tbody>");
            for p in prompts {
                body.push_str(&format!(
                    "<tr><td>{}. {}</td><td><select disabled><option></option>",
                    escape(&p.id),
                    p.text
                ));
                for a in answers {
                    body.push_str(&format!("<option>{}</option>", escape(&a.id)));
                }
                body.push_str("</select></td></tr>");
            }
            body.push_str("</tbody></table><ul class=\"matching-answers\">");
            for a in answers {
                body.push_str(&format!("<li>{}. {}</li>", escape(&a.id), a.text));
            }
            body.push_str("</ul>");
        }
        QuestionContent::Composite { parts, .. } => {
            body.push_str("<ol class=\"parts\">");
            for part in parts {
                body.push_str(&format!(
                    "<li class=\"part\"><p class=\"part-points\">({} {})</p>",
                    QuestionMsg::Points.text(lang),
                    part.points
                ));
                question_body(&part.content, lang, body);
                body.push_str("</li>");
            }
            body.push_str("</ol>");
        }
    }
}

/// Every essay of a question (itself or its parts) with its part number, if any.
fn essays(content: &QuestionContent) -> Vec<(Option<usize>, String, Vec<RubricItem>)> {
    match content {
        QuestionContent::Essay {
            reference_answer,
            rubric,
            ..
        } => vec![(None, reference_answer.clone(), rubric.clone())],
        QuestionContent::Composite { parts, .. } => parts
            .iter()
            .enumerate()
            .filter_map(|(i, p)| match &p.content {
                QuestionContent::Essay {
                    reference_answer,
                    rubric,
                    ..
                } => Some((Some(i + 1), reference_answer.clone(), rubric.clone())),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// What graders see of the essays in a question: the reference answer and the rubric, as
/// plain text (the draft is not sanitised yet). Nothing for questions without essays.
#[component]
pub fn GraderNotes(#[prop(into)] content: Signal<QuestionContent>) -> impl IntoView {
    let i18n = use_i18n();
    let notes = move || {
        content.with(essays)
            .into_iter()
            .map(|(part, reference, rubric)| {
                let total: f64 = rubric.iter().map(|r| r.points).filter(|p| p.is_finite()).sum();
                let items = rubric
                    .into_iter()
                    .map(|r| {
                        let points = if r.points.is_finite() { r.points.to_string() } else { String::new() };
                        view! {
                            <li data-testid="grader-rubric-item">
                                {r.criterion} " (" {points} ")"
                            </li>
                        }
                    })
                    .collect_view();
                view! {
                    <div class="grader-notes__essay">
                        {part.map(|n| view! { <h3>{move || i18n.t(QuestionMsg::PartLabel)} " " {n}</h3> })}
                        <p class="field__label">{move || i18n.t(QuestionMsg::ReferenceAnswer)}</p>
                        <p data-testid="grader-reference">{reference}</p>
                        <p class="field__label">{move || i18n.t(QuestionMsg::RubricLabel)}</p>
                        <ul data-testid="grader-rubric">{items}</ul>
                        <p>{move || i18n.t(QuestionMsg::RubricTotal)} ": " {total}</p>
                    </div>
                }
            })
            .collect_view()
    };
    let any = move || content.with(|c| !essays(c).is_empty());
    view! {
        <Show when=any>
            <section class="grader-notes" data-testid="grader-notes">
                <h2>{move || i18n.t(QuestionMsg::GraderNotesTitle)}</h2>
                <p class="field__hint">{move || i18n.t(QuestionMsg::GraderNotesHint)}</p>
                {notes}
            </section>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use shared::Lang;
    use shared::questions::{Blank, Choice, Pair, Part, QuestionContent, RubricItem};

    use super::preview_document;

    fn choice(id: &str, text: &str) -> Choice {
        Choice {
            id: id.to_owned(),
            text: text.to_owned(),
        }
    }

    #[test]
    fn the_preview_shows_options_and_turns_markers_into_boxes() {
        let choice_question = QuestionContent::SingleChoice {
            stem: "<p>Pick</p>".to_owned(),
            options: vec![choice("A", "one")],
            answer: "A".to_owned(),
        };
        let html = preview_document(&choice_question, Lang::En);
        assert!(
            html.contains("<p>Pick</p>") && html.contains("A. one"),
            "{html}"
        );
        let blank = QuestionContent::FillBlank {
            stem: "x {{1}} y".to_owned(),
            blanks: vec![Blank {
                answers: vec!["a".to_owned()],
                case_sensitive: false,
                exact_spaces: false,
                width_sensitive: false,
                numeric_tolerance: None,
            }],
        };
        let html = preview_document(&blank, Lang::En);
        assert!(
            !html.contains("{{1}}") && html.contains("<input size"),
            "{html}"
        );
    }

    #[test]
    fn the_preview_renders_formulas_and_hides_what_only_graders_see() {
        let essay = QuestionContent::Essay {
            stem: "<p>Prove $x^2 \\geq 0$</p>".to_owned(),
            reference_answer: "SECRET-REFERENCE".to_owned(),
            rubric: vec![RubricItem {
                criterion: "SECRET-CRITERION".to_owned(),
                points: 2.0,
            }],
        };
        let composite = QuestionContent::Composite {
            passage: "<p>Read</p>".to_owned(),
            parts: vec![
                Part {
                    content: essay,
                    points: 2.0,
                },
                Part {
                    content: QuestionContent::Matching {
                        stem: "Match".to_owned(),
                        prompts: vec![choice("1", "H2O")],
                        answers: vec![choice("a", "water"), choice("b", "salt")],
                        pairs: vec![Pair {
                            prompt: "1".to_owned(),
                            answer: "a".to_owned(),
                        }],
                    },
                    points: 1.5,
                },
            ],
        };
        let html = preview_document(&composite, Lang::En);
        assert!(html.contains("<math"), "{html}");
        assert!(
            html.contains("1. H2O") && html.contains("b. salt"),
            "{html}"
        );
        assert!(html.contains("(Points 1.5)"), "{html}");
        assert!(!html.contains("SECRET"), "{html}");
    }
}
