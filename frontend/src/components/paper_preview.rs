//! A candidate's paper, read-only: sections, numbered questions with their points, and each
//! question's content as the candidate sees it (stems are the server's sanitised HTML).

use leptos::prelude::*;
use shared::papers::{CandidateContent, CandidatePaper, CandidateQuestion};
use shared::questions::Choice;

use crate::components::answer_input::marker;
use crate::components::rich_text::{blanks_as_gaps, render_math};
use crate::i18n::{PaperMsg, QuestionMsg, numbered_text, totals_text, use_i18n};

#[component]
pub fn CandidatePaperView(paper: CandidatePaper) -> impl IntoView {
    let i18n = use_i18n();
    let count: i64 = paper
        .sections
        .iter()
        .map(|s| s.questions.len() as i64)
        .sum();
    let total = paper.total_points;
    let sections = paper
        .sections
        .into_iter()
        .map(|section| {
            let questions = section
                .questions
                .into_iter()
                .map(|q| view! { <QuestionView question=q /> })
                .collect_view();
            view! {
                <section class="candidate-section card" data-testid="preview-section">
                    <h2 class="section-title" data-testid="preview-section-title">{section.title}</h2>
                    <p class="lead">{section.description}</p>
                    {questions}
                </section>
            }
        })
        .collect_view();
    view! {
        <div class="candidate-paper" data-testid="candidate-paper" data-questions=count>
            <h2 class="page-title" data-testid="preview-name">{paper.name}</h2>
            <p class="hint" data-testid="preview-totals">
                {move || totals_text(count, total, i18n.lang())}
            </p>
            {sections}
        </div>
    }
}

#[component]
fn QuestionView(question: CandidateQuestion) -> impl IntoView {
    let i18n = use_i18n();
    let (number, points) = (question.number, question.points);
    let name = format!("q{number}");
    view! {
        <article
            class="candidate-question"
            data-testid="preview-question"
            data-question-id=question.question_id.clone()
            data-number=number
        >
            <h3 class="candidate-question__head" data-testid="preview-number">
                {move || numbered_text(number, points, i18n.lang())}
            </h3>
            {content_view(question.content, name)}
        </article>
    }
}

/// The content of one question (or one part of a composite), under the input `name`.
fn content_view(content: CandidateContent, name: String) -> AnyView {
    let stem = |html: String| {
        view! { <div class="rich-text" data-testid="preview-stem" inner_html=render_math(&html)></div> }
    };
    match content {
        CandidateContent::SingleChoice { stem: s, options } => {
            view! { {stem(s)} {choices(options, "radio", name)} }.into_any()
        }
        CandidateContent::MultipleChoice { stem: s, options } => {
            view! { {stem(s)} {choices(options, "checkbox", name)} }.into_any()
        }
        CandidateContent::TrueFalse { stem: s } => {
            let options = vec![
                (QuestionMsg::TrueLabel, "true"),
                (QuestionMsg::FalseLabel, "false"),
            ];
            view! { {stem(s)} {truth(options, name)} }.into_any()
        }
        CandidateContent::FillBlank { stem: s, blanks } => {
            let inputs = (1..=blanks)
                .map(|i| view! { <BlankInput index=i /> })
                .collect_view();
            view! {
                <div class="rich-text" data-testid="preview-stem" inner_html=blanks_as_gaps(&s)></div>
                <div class="candidate-blanks">{inputs}</div>
            }
            .into_any()
        }
        CandidateContent::Essay { stem: s } => {
            view! { {stem(s)} <EssayArea /> }.into_any()
        }
        CandidateContent::Ordering { stem: s, items } => {
            view! {
                {stem(s)}
                <ol class="candidate-items" data-testid="preview-items">{choice_items(items)}</ol>
            }
            .into_any()
        }
        CandidateContent::Matching {
            stem: s,
            prompts,
            answers,
        } => view! {
            {stem(s)}
            <div class="candidate-matching">
                <ol class="candidate-items" data-testid="preview-prompts">{choice_items(prompts)}</ol>
                <ul class="candidate-items" data-testid="preview-answers">{choice_items(answers)}</ul>
            </div>
        }
        .into_any(),
        CandidateContent::Composite { passage, parts } => {
            let parts = parts
                .into_iter()
                .enumerate()
                .map(|(i, part)| {
                    let points = part.points;
                    let part_name = format!("{name}-{i}");
                    let label = i + 1;
                    view! {
                        <div class="candidate-part" data-testid="preview-part">
                            <h4 class="candidate-question__head">
                                {format!("({label})")} " " <PartPoints points=points />
                            </h4>
                            {content_view(part.content, part_name)}
                        </div>
                    }
                })
                .collect_view();
            view! {
                <div class="rich-text" data-testid="preview-stem" inner_html=render_math(&passage)></div>
                {parts}
            }
            .into_any()
        }
    }
}

#[component]
fn PartPoints(points: f64) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let text = totals_text(1, points, i18n.lang());
        // Only the points matter for a part: "1 question, 3 points" becomes "3 points".
        text.split_once(['，', ','])
            .map(|(_, p)| p.trim().to_owned())
            .unwrap_or(text)
    }
}

#[component]
fn BlankInput(index: u32) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <label class="candidate-blank">
            <span class="field__label">{move || format!("{} {index}", i18n.t(PaperMsg::Blank))}</span>
            <input class="input" disabled=true data-testid="preview-blank" />
        </label>
    }
}

#[component]
fn EssayArea() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <textarea
            class="input"
            rows=4
            disabled=true
            aria-label=move || i18n.t(PaperMsg::AnswerArea)
            data-testid="preview-essay"
        ></textarea>
    }
}

fn choices(options: Vec<Choice>, kind: &'static str, name: String) -> impl IntoView {
    let items = options
        .into_iter()
        .enumerate()
        .map(|(i, o)| {
            view! {
                <li class="candidate-option" data-testid="preview-option" data-option-id=o.id.clone()>
                    <label>
                        <input type=kind name=name.clone() disabled=true />
                        <span class="candidate-option__id">{marker(i)} ". "</span>
                        <span class="rich-text" inner_html=render_math(&o.text)></span>
                    </label>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="candidate-options">{items}</ul> }
}

fn truth(options: Vec<(QuestionMsg, &'static str)>, name: String) -> impl IntoView {
    let i18n = use_i18n();
    let items = options
        .into_iter()
        .map(|(msg, value)| {
            view! {
                <li class="candidate-option" data-testid="preview-option" data-option-id=value>
                    <label>
                        <input type="radio" name=name.clone() disabled=true />
                        " " {move || i18n.t(msg)}
                    </label>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="candidate-options">{items}</ul> }
}

fn choice_items(list: Vec<Choice>) -> impl IntoView {
    list.into_iter()
        .enumerate()
        .map(|(i, c)| {
            view! {
                <li data-option-id=c.id.clone()>
                    <span class="candidate-option__id">{marker(i)} ". "</span>
                    <span class="rich-text" inner_html=render_math(&c.text)></span>
                </li>
            }
        })
        .collect_view()
}
