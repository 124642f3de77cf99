//! A finished attempt reviewed by its candidate: every question as it was shown (options in
//! the candidate's order, lettered A, B, C… as on the exam screen), the candidate's answer
//! beside the correct one, the points earned and the explanation, with formulas rendered.
//! Ids are the attempt's labels throughout, so the paper, the answer and the key line up.

use leptos::prelude::*;
use shared::Lang;
use shared::exams::{AnswerValue, AttemptReview, ReviewItem};
use shared::papers::{CandidateContent, CandidateQuestion};
use shared::questions::{Choice, QuestionContent};
use shared::results::essay_text;

use crate::components::answer_input::marker;
use crate::components::rich_text::{blanks_as_gaps, render_math};
use crate::i18n::{QuestionMsg, ResultsMsg, score_text, use_i18n};

/// Every question of `review`, by section.
#[component]
pub fn AttemptReviewView(review: AttemptReview) -> impl IntoView {
    let mut items = review.items;
    review
        .paper
        .sections
        .into_iter()
        .map(|section| {
            let title = section.title.clone();
            let questions = section
                .questions
                .into_iter()
                .filter_map(|q| {
                    let at = items.iter().position(|i| i.question_id == q.question_id)?;
                    Some(question_view(q, items.swap_remove(at)))
                })
                .collect_view();
            view! {
                <section class="review-section">
                    {(!title.trim().is_empty()).then(|| view! { <h2 class="section-title">{title}</h2> })}
                    {questions}
                </section>
            }
        })
        .collect_view()
}

/// How an item came out, for its badge.
fn verdict(item: &ReviewItem) -> (ResultsMsg, &'static str) {
    match item.earned {
        _ if item.needs_manual => (ResultsMsg::VerdictPending, "badge badge--pending"),
        None => (ResultsMsg::VerdictPending, "badge badge--pending"),
        Some(e) if e + 1e-9 >= item.points => (ResultsMsg::VerdictCorrect, "badge badge--ok"),
        Some(e) if e > 1e-9 => (ResultsMsg::VerdictPartly, "badge badge--pending"),
        Some(_) => (ResultsMsg::VerdictWrong, "badge badge--failing"),
    }
}

fn question_view(question: CandidateQuestion, item: ReviewItem) -> impl IntoView {
    let i18n = use_i18n();
    let (msg, class) = verdict(&item);
    let points = match item.earned {
        Some(e) if !item.needs_manual => score_text(e, Some(item.points)),
        _ => score_text(item.points, None),
    };
    let earned_label = move || match item.earned {
        Some(_) if !item.needs_manual => points.clone(),
        _ => format!("– / {points}"),
    };
    let explanation = item.explanation.clone();
    let comments = item
        .comments
        .iter()
        .map(|c| view! { <p class="review-comment" data-testid="review-comment">{c.comment.clone()}</p> })
        .collect_view();
    let has_comments = !item.comments.is_empty();
    let body = content_view(question.content, &item.correct, item.answer.as_ref());
    view! {
        <article class="review-q" data-testid="review-item" data-number=question.number>
            <header class="review-q__head">
                <h3 class="review-q__number">{question.number}"."</h3>
                <span class=class data-testid="review-verdict">{move || i18n.t(msg)}</span>
                <span class="review-q__points" data-testid="review-points">{earned_label}</span>
            </header>
            {body}
            {(!explanation.trim().is_empty()).then(|| view! {
                <div class="review-q__explanation">
                    <h4>{move || i18n.t(QuestionMsg::ExplanationLabel)}</h4>
                    <div class="rich-text" data-testid="review-explanation" inner_html=render_math(&explanation)></div>
                </div>
            })}
            {has_comments.then(|| view! {
                <div class="review-q__comments">
                    <h4>{move || i18n.t(ResultsMsg::Comments)}</h4>
                    {comments}
                </div>
            })}
        </article>
    }
}

/// A stem, rendered.
fn stem(html: &str) -> AnyView {
    view! { <div class="rich-text review-q__stem" data-testid="review-stem" inner_html=render_math(html)></div> }
        .into_any()
}

/// The candidate's part of the review of `shown` (as on the paper), against the key in
/// `correct` and the candidate's `answer`.
fn content_view(
    shown: CandidateContent,
    correct: &QuestionContent,
    answer: Option<&AnswerValue>,
) -> AnyView {
    let i18n = use_i18n();
    match (shown, correct) {
        (
            CandidateContent::SingleChoice { stem: s, options },
            QuestionContent::SingleChoice { answer: key, .. },
        ) => {
            let chosen: Vec<String> = match answer {
                Some(AnswerValue::SingleChoice { choice }) => vec![choice.clone()],
                _ => Vec::new(),
            };
            let keys = [key.clone()];
            view! { {stem(&s)} {choice_list(options, &keys, &chosen)} }.into_any()
        }
        (
            CandidateContent::MultipleChoice { stem: s, options },
            QuestionContent::MultipleChoice { answers: keys, .. },
        ) => {
            let chosen = match answer {
                Some(AnswerValue::MultipleChoice { choices }) => choices.clone(),
                _ => Vec::new(),
            };
            view! { {stem(&s)} {choice_list(options, keys, &chosen)} }.into_any()
        }
        (
            CandidateContent::TrueFalse { stem: s },
            QuestionContent::TrueFalse { answer: key, .. },
        ) => {
            let chosen = match answer {
                Some(AnswerValue::TrueFalse { value }) => Some(*value),
                _ => None,
            };
            let rows = [(true, QuestionMsg::TrueLabel), (false, QuestionMsg::FalseLabel)]
                .into_iter()
                .map(|(value, msg)| {
                    let is_key = value == *key;
                    let is_chosen = chosen == Some(value);
                    view! {
                        <li class="review-option" class:is-key=is_key class:is-chosen=is_chosen
                            data-testid="review-option" data-key=is_key.to_string() data-chosen=is_chosen.to_string()>
                            <span class="review-option__text">{move || i18n.t(msg)}</span>
                            {marks(is_key, is_chosen)}
                        </li>
                    }
                })
                .collect_view();
            view! { {stem(&s)} <ul class="review-options">{rows}</ul> }.into_any()
        }
        (
            CandidateContent::FillBlank { stem: s, .. },
            QuestionContent::FillBlank { blanks, .. },
        ) => {
            let given: Vec<String> = match answer {
                Some(AnswerValue::FillBlank { blanks }) => blanks.clone(),
                _ => Vec::new(),
            };
            let rows = blanks
                .iter()
                .enumerate()
                .map(|(i, blank)| {
                    let mine = given.get(i).map(|g| g.trim().to_owned()).filter(|g| !g.is_empty());
                    let accepted = blank.answers.join(" / ");
                    view! {
                        <tr data-testid="review-blank">
                            <th scope="row">"("{i + 1}")"</th>
                            <td>{match mine {
                                Some(m) => view! { <span>{m}</span> }.into_any(),
                                None => view! { <span class="hint">{move || i18n.t(ResultsMsg::NotAnswered)}</span> }.into_any(),
                            }}</td>
                            <td>{accepted}</td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <div class="rich-text review-q__stem" data-testid="review-stem" inner_html=blanks_as_gaps(&s)></div>
                <div class="table-wrap">
                    <table class="review-table">
                        <thead><tr>
                            <th scope="col"></th>
                            <th scope="col">{move || i18n.t(ResultsMsg::YourAnswer)}</th>
                            <th scope="col">{move || i18n.t(ResultsMsg::AcceptedAnswers)}</th>
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            }
            .into_any()
        }
        (
            CandidateContent::Essay { stem: s },
            QuestionContent::Essay {
                reference_answer, ..
            },
        ) => {
            let mine = match answer {
                Some(AnswerValue::Essay { text }) => essay_text(text),
                _ => String::new(),
            };
            let reference = reference_answer.clone();
            view! {
                {stem(&s)}
                <div class="review-pair">
                    <div>
                        <h4>{move || i18n.t(ResultsMsg::YourAnswer)}</h4>
                        {if mine.trim().is_empty() {
                            view! { <p class="hint">{move || i18n.t(ResultsMsg::NotAnswered)}</p> }.into_any()
                        } else {
                            view! { <p class="review-essay" data-testid="review-essay">{mine}</p> }.into_any()
                        }}
                    </div>
                    {(!reference.trim().is_empty()).then(|| view! {
                        <div>
                            <h4>{move || i18n.t(ResultsMsg::ReferenceAnswer)}</h4>
                            <div class="rich-text" inner_html=render_math(&reference)></div>
                        </div>
                    })}
                </div>
            }
            .into_any()
        }
        (
            CandidateContent::Ordering {
                stem: s,
                items: shown,
            },
            QuestionContent::Ordering { items, .. },
        ) => {
            let mine: Vec<String> = match answer {
                Some(AnswerValue::Ordering { order }) => order.clone(),
                _ => Vec::new(),
            };
            let key: Vec<String> = items.iter().map(|c| c.id.clone()).collect();
            let mine_list = if mine.is_empty() {
                view! { <p class="hint">{move || i18n.t(ResultsMsg::NotAnswered)}</p> }.into_any()
            } else {
                ordered_list(&shown, &mine, Some(&key)).into_any()
            };
            view! {
                {stem(&s)}
                <div class="review-pair">
                    <div>
                        <h4>{move || i18n.t(ResultsMsg::YourOrder)}</h4>
                        {mine_list}
                    </div>
                    <div>
                        <h4>{move || i18n.t(ResultsMsg::CorrectOrder)}</h4>
                        {ordered_list(&shown, &key, None)}
                    </div>
                </div>
            }
            .into_any()
        }
        (
            CandidateContent::Matching {
                stem: s,
                prompts,
                answers: targets,
            },
            QuestionContent::Matching { pairs, .. },
        ) => {
            let mine = match answer {
                Some(AnswerValue::Matching { pairs }) => pairs.clone(),
                _ => Default::default(),
            };
            // A target by its letter on the candidate's paper, then its text.
            let target = |id: &str| -> String {
                targets
                    .iter()
                    .position(|t| t.id == id)
                    .map(|i| format!("{}. {}", marker(i), targets[i].text))
                    .unwrap_or_default()
            };
            let rows = prompts
                .iter()
                .enumerate()
                .map(|(n, p)| {
                    let given = mine.get(&p.id).cloned();
                    let right = pairs.iter().find(|pair| pair.prompt == p.id).map(|pair| pair.answer.clone());
                    let ok = given.is_some() && given == right;
                    let given_html = given.as_deref().map(target).unwrap_or_default();
                    let right_html = right.as_deref().map(target).unwrap_or_default();
                    view! {
                        <tr data-testid="review-pair" class:is-wrong=!ok>
                            <td>{n + 1}". "<span class="rich-text" inner_html=render_math(&p.text)></span></td>
                            <td>{if given_html.is_empty() {
                                view! { <span class="hint">{move || i18n.t(ResultsMsg::NotAnswered)}</span> }.into_any()
                            } else {
                                view! { <span class="rich-text" inner_html=render_math(&given_html)></span> }.into_any()
                            }}</td>
                            <td><span class="rich-text" inner_html=render_math(&right_html)></span></td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                {stem(&s)}
                <div class="table-wrap">
                    <table class="review-table">
                        <thead><tr>
                            <th scope="col">{move || i18n.t(ResultsMsg::Prompt)}</th>
                            <th scope="col">{move || i18n.t(ResultsMsg::YourAnswer)}</th>
                            <th scope="col">{move || i18n.t(ResultsMsg::CorrectAnswer)}</th>
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            }
            .into_any()
        }
        (
            CandidateContent::Composite { passage, parts },
            QuestionContent::Composite { parts: keys, .. },
        ) => {
            let given: Vec<Option<AnswerValue>> = match answer {
                Some(AnswerValue::Composite { parts }) => parts.clone(),
                _ => Vec::new(),
            };
            let parts = parts
                .into_iter()
                .zip(keys)
                .enumerate()
                .map(|(i, (part, key))| {
                    let mine = given.get(i).cloned().flatten();
                    view! {
                        <div class="review-part">
                            <h4 class="review-part__head">"("{i + 1}") "{score_text(part.points, None)}</h4>
                            {content_view(part.content, &key.content, mine.as_ref())}
                        </div>
                    }
                })
                .collect_view();
            view! { {stem(&passage)} {parts} }.into_any()
        }
        // The paper and the key disagree on the type: show the stem alone.
        (shown, _) => stem(shown.stem()),
    }
}

/// The options in the order shown, lettered, with the key and the candidate's choice marked.
fn choice_list(options: Vec<Choice>, keys: &[String], chosen: &[String]) -> impl IntoView {
    let rows = options
        .into_iter()
        .enumerate()
        .map(|(i, o)| {
            let is_key = keys.contains(&o.id);
            let is_chosen = chosen.contains(&o.id);
            view! {
                <li class="review-option" class:is-key=is_key class:is-chosen=is_chosen
                    data-testid="review-option" data-marker=marker(i)
                    data-key=is_key.to_string() data-chosen=is_chosen.to_string()>
                    <span class="review-option__marker">{marker(i)}"."</span>
                    <span class="rich-text review-option__text" inner_html=render_math(&o.text)></span>
                    {marks(is_key, is_chosen)}
                </li>
            }
        })
        .collect_view();
    view! { <ul class="review-options">{rows}</ul> }
}

/// The "correct answer" and "your choice" tags of an option.
fn marks(is_key: bool, is_chosen: bool) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <span class="review-option__marks">
            {is_chosen.then(|| view! { <span class="tag tag--chosen">{move || i18n.t(ResultsMsg::YourChoice)}</span> })}
            {is_key.then(|| view! { <span class="tag tag--key">"✓ "{move || i18n.t(ResultsMsg::CorrectAnswer)}</span> })}
        </span>
    }
}

/// The items of `shown` in `order` (ids), numbered; with `key`, each item out of its correct
/// place is marked.
fn ordered_list(shown: &[Choice], order: &[String], key: Option<&[String]>) -> impl IntoView {
    let rows = order
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let text = shown
                .iter()
                .find(|c| &c.id == id)
                .map(|c| c.text.clone())
                .unwrap_or_default();
            let wrong = key.is_some_and(|k| k.get(i) != Some(id));
            view! {
                <li class:is-wrong=wrong data-testid="review-order-item">
                    <span class="rich-text" inner_html=render_math(&text)></span>
                </li>
            }
        })
        .collect_view();
    view! { <ol class="review-order">{rows}</ol> }
}

/// The heading figures of a review: `score / max` once released.
pub fn review_score(review: &AttemptReview, lang: Lang) -> Option<String> {
    review
        .score
        .map(|s| crate::i18n::score_of_text(s, review.max_score, lang))
}
