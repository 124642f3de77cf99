//! The candidate's answer to one question on the exam screen, an input per question type:
//! choices, true/false, blanks, an essay, ordering with up/down, matching with a choice per
//! prompt, and a composite's parts (each its own input). Every change hands the whole new
//! answer to `on_change`; what is shown follows `value`, so an answer restored from the
//! browser's queue or the server shows as it was left.

use leptos::prelude::*;
use shared::exams::AnswerValue;
use shared::papers::CandidateContent;
use shared::questions::Choice;

use crate::components::rich_text::{blanks_as_gaps, render_math};
use crate::i18n::{ExamMsg, QuestionMsg, use_i18n};

/// The inputs of `content` (a question or a composite's part) named `name`.
pub fn answer_view(
    content: CandidateContent,
    name: String,
    value: Signal<Option<AnswerValue>>,
    on_change: Callback<AnswerValue>,
) -> AnyView {
    let stem = |html: String| {
        view! { <div class="rich-text" data-testid="exam-stem" inner_html=render_math(&html)></div> }
    };
    match content {
        CandidateContent::SingleChoice { stem: s, options } => {
            let items = options
                .into_iter()
                .enumerate()
                .map(|(i, o)| {
                    let id = o.id.clone();
                    let checked = move || {
                        matches!(value.get(), Some(AnswerValue::SingleChoice { choice }) if choice == id)
                    };
                    let pick = o.id.clone();
                    let change = move |_| {
                        on_change.run(AnswerValue::SingleChoice {
                            choice: pick.clone(),
                        })
                    };
                    option_row(o, marker(i), "radio", &name, checked, change)
                })
                .collect_view();
            view! { {stem(s)} <ul class="candidate-options">{items}</ul> }.into_any()
        }
        CandidateContent::MultipleChoice { stem: s, options } => {
            let order: Vec<String> = options.iter().map(|o| o.id.clone()).collect();
            let items = options
                .into_iter()
                .enumerate()
                .map(|(i, o)| {
                    let id = o.id.clone();
                    let checked = move || {
                        matches!(value.get(), Some(AnswerValue::MultipleChoice { choices }) if choices.contains(&id))
                    };
                    let (toggle, order) = (o.id.clone(), order.clone());
                    let change = move |ev| {
                        let on = event_target_checked(&ev);
                        let mut chosen = match value.get_untracked() {
                            Some(AnswerValue::MultipleChoice { choices }) => choices,
                            _ => Vec::new(),
                        };
                        chosen.retain(|c| *c != toggle);
                        if on {
                            chosen.push(toggle.clone());
                        }
                        // In the order the options are shown.
                        chosen.sort_by_key(|c| order.iter().position(|o| o == c));
                        on_change.run(AnswerValue::MultipleChoice { choices: chosen });
                    };
                    option_row(o, marker(i), "checkbox", &name, checked, change)
                })
                .collect_view();
            view! { {stem(s)} <ul class="candidate-options">{items}</ul> }.into_any()
        }
        CandidateContent::TrueFalse { stem: s } => {
            let items = [(QuestionMsg::TrueLabel, true), (QuestionMsg::FalseLabel, false)]
                .into_iter()
                .map(|(msg, truth)| view! { <TruthOption msg=msg truth=truth name=name.clone() value=value on_change=on_change /> })
                .collect_view();
            view! { {stem(s)} <ul class="candidate-options">{items}</ul> }.into_any()
        }
        CandidateContent::FillBlank { stem: s, blanks } => {
            let count = blanks as usize;
            let inputs = (0..count)
                .map(|i| view! { <BlankInput index=i count=count value=value on_change=on_change /> })
                .collect_view();
            view! {
                <div class="rich-text" data-testid="exam-stem" inner_html=blanks_as_gaps(&s)></div>
                <div class="candidate-blanks">{inputs}</div>
            }
            .into_any()
        }
        CandidateContent::Essay { stem: s } => {
            view! { {stem(s)} <EssayInput value=value on_change=on_change /> }.into_any()
        }
        CandidateContent::Ordering { stem: s, items } => {
            view! { {stem(s)} <OrderingInput items=items value=value on_change=on_change /> }
                .into_any()
        }
        CandidateContent::Matching {
            stem: s,
            prompts,
            answers,
        } => view! {
            {stem(s)}
            <MatchingInput prompts=prompts answers=answers value=value on_change=on_change />
        }
        .into_any(),
        CandidateContent::Composite { passage, parts } => {
            let count = parts.len();
            let parts = parts
                .into_iter()
                .enumerate()
                .map(|(i, part)| {
                    let part_value = Signal::derive(move || match value.get() {
                        Some(AnswerValue::Composite { parts }) => parts.get(i).cloned().flatten(),
                        _ => None,
                    });
                    let part_change = Callback::new(move |answer: AnswerValue| {
                        let mut all = match value.get_untracked() {
                            Some(AnswerValue::Composite { parts }) => parts,
                            _ => Vec::new(),
                        };
                        all.resize(count, None);
                        all[i] = Some(answer);
                        on_change.run(AnswerValue::Composite { parts: all });
                    });
                    let label = i + 1;
                    view! {
                        <div class="candidate-part" data-testid="exam-part">
                            <h4 class="candidate-question__head">{format!("({label})")}</h4>
                            {answer_view(part.content, format!("{name}-{i}"), part_value, part_change)}
                        </div>
                    }
                })
                .collect_view();
            view! {
                <div class="rich-text" data-testid="exam-stem" inner_html=render_math(&passage)></div>
                {parts}
            }
            .into_any()
        }
    }
}

fn option_row(
    option: Choice,
    marker: String,
    kind: &'static str,
    name: &str,
    checked: impl Fn() -> bool + Send + Sync + 'static,
    change: impl FnMut(leptos::ev::Event) + 'static,
) -> impl IntoView {
    view! {
        <li class="candidate-option">
            <label>
                <input
                    type=kind
                    name=name.to_owned()
                    data-testid="answer-option"
                    data-option-id=option.id.clone()
                    data-option-marker=marker.clone()
                    prop:checked=checked
                    on:change=change
                />
                <span class="candidate-option__id">{marker} ". "</span>
                <span class="rich-text" inner_html=render_math(&option.text)></span>
            </label>
        </li>
    }
}

#[component]
fn TruthOption(
    msg: QuestionMsg,
    truth: bool,
    name: String,
    value: Signal<Option<AnswerValue>>,
    on_change: Callback<AnswerValue>,
) -> impl IntoView {
    let i18n = use_i18n();
    let checked =
        move || matches!(value.get(), Some(AnswerValue::TrueFalse { value }) if value == truth);
    view! {
        <li class="candidate-option">
            <label>
                <input
                    type="radio"
                    name=name
                    data-testid="answer-option"
                    data-option-id=truth.to_string()
                    prop:checked=checked
                    on:change=move |_| on_change.run(AnswerValue::TrueFalse { value: truth })
                />
                " " {move || i18n.t(msg)}
            </label>
        </li>
    }
}

#[component]
fn BlankInput(
    index: usize,
    count: usize,
    value: Signal<Option<AnswerValue>>,
    on_change: Callback<AnswerValue>,
) -> impl IntoView {
    let i18n = use_i18n();
    let text = move || match value.get() {
        Some(AnswerValue::FillBlank { blanks }) => blanks.get(index).cloned().unwrap_or_default(),
        _ => String::new(),
    };
    let input = move |ev| {
        let mut blanks = match value.get_untracked() {
            Some(AnswerValue::FillBlank { blanks }) => blanks,
            _ => Vec::new(),
        };
        blanks.resize(count, String::new());
        blanks[index] = event_target_value(&ev);
        on_change.run(AnswerValue::FillBlank { blanks });
    };
    let number = index + 1;
    view! {
        <label class="candidate-blank">
            <span class="field__label">{move || format!("{} {number}", i18n.t(ExamMsg::Blank))}</span>
            <input
                class="input"
                data-testid="answer-blank"
                autocomplete="off"
                prop:value=text
                on:input=input
            />
        </label>
    }
}

#[component]
fn EssayInput(
    value: Signal<Option<AnswerValue>>,
    on_change: Callback<AnswerValue>,
) -> impl IntoView {
    let i18n = use_i18n();
    let text = move || match value.get() {
        Some(AnswerValue::Essay { text }) => text,
        _ => String::new(),
    };
    view! {
        <textarea
            class="input"
            rows=8
            data-testid="answer-essay"
            aria-label=move || i18n.t(ExamMsg::AnswerArea)
            prop:value=text
            on:input=move |ev| on_change.run(AnswerValue::Essay { text: event_target_value(&ev) })
        ></textarea>
    }
}

/// The order to show: the candidate's saved order when it names every item exactly once,
/// otherwise the paper's.
fn current_order(items: &[Choice], value: Option<AnswerValue>) -> Vec<String> {
    let shown: Vec<String> = items.iter().map(|c| c.id.clone()).collect();
    match value {
        Some(AnswerValue::Ordering { order }) => {
            let mut sorted = order.clone();
            sorted.sort();
            let mut expected = shown.clone();
            expected.sort();
            if sorted == expected { order } else { shown }
        }
        _ => shown,
    }
}

#[component]
fn OrderingInput(
    items: Vec<Choice>,
    value: Signal<Option<AnswerValue>>,
    on_change: Callback<AnswerValue>,
) -> impl IntoView {
    let i18n = use_i18n();
    let items = StoredValue::new(items);
    let order = Memo::new(move |_| items.with_value(|items| current_order(items, value.get())));
    let set = move |order: Vec<String>| on_change.run(AnswerValue::Ordering { order });
    let swap = move |from: usize, to: usize| {
        let mut list = order.get_untracked();
        if to < list.len() && from < list.len() {
            list.swap(from, to);
            set(list);
        }
    };
    let rows = move || {
        let list = order.get();
        let last = list.len().saturating_sub(1);
        list.into_iter()
            .enumerate()
            .map(|(i, id)| {
                let text = items.with_value(|items| {
                    items.iter().find(|c| c.id == id).map(|c| c.text.clone()).unwrap_or_default()
                });
                view! {
                    <li class="candidate-order__item" data-testid="answer-item" data-option-id=id.clone()>
                        <span class="rich-text" inner_html=render_math(&text)></span>
                        <span class="candidate-order__moves">
                            <button
                                type="button"
                                class="button button--small button--secondary"
                                data-testid="answer-item-up"
                                disabled={ i == 0 }
                                on:click=move |_| swap(i, i.wrapping_sub(1))
                            >
                                {move || i18n.t(ExamMsg::MoveUp)}
                            </button>
                            <button
                                type="button"
                                class="button button--small button--secondary"
                                data-testid="answer-item-down"
                                disabled={ i == last }
                                on:click=move |_| swap(i, i + 1)
                            >
                                {move || i18n.t(ExamMsg::MoveDown)}
                            </button>
                        </span>
                    </li>
                }
            })
            .collect_view()
    };
    let unanswered = move || !matches!(value.get(), Some(AnswerValue::Ordering { .. }));
    view! {
        <ol class="candidate-order">{rows}</ol>
        <Show when=unanswered>
            <button
                type="button"
                class="button button--small"
                data-testid="answer-keep-order"
                on:click=move |_| set(order.get_untracked())
            >
                {move || i18n.t(ExamMsg::KeepOrder)}
            </button>
        </Show>
    }
}

#[component]
fn MatchingInput(
    prompts: Vec<Choice>,
    answers: Vec<Choice>,
    value: Signal<Option<AnswerValue>>,
    on_change: Callback<AnswerValue>,
) -> impl IntoView {
    let i18n = use_i18n();
    let answer_list = answers
        .iter()
        .enumerate()
        .map(|(i, a)| {
            view! {
                <li data-option-id=a.id.clone() data-option-marker=marker(i)>
                    <span class="candidate-option__id">{marker(i)} ". "</span>
                    <span class="rich-text" inner_html=render_math(&a.text.clone())></span>
                </li>
            }
        })
        .collect_view();
    let ids: Vec<String> = answers.iter().map(|a| a.id.clone()).collect();
    let rows = prompts
        .into_iter()
        .enumerate()
        .map(|(n, p)| {
            let prompt = p.id.clone();
            let chosen = {
                let prompt = prompt.clone();
                move || match value.get() {
                    Some(AnswerValue::Matching { pairs }) => {
                        pairs.get(&prompt).cloned().unwrap_or_default()
                    }
                    _ => String::new(),
                }
            };
            let change = {
                let prompt = prompt.clone();
                move |ev| {
                    let mut pairs = match value.get_untracked() {
                        Some(AnswerValue::Matching { pairs }) => pairs,
                        _ => Default::default(),
                    };
                    let picked = event_target_value(&ev);
                    if picked.is_empty() {
                        pairs.remove(&prompt);
                    } else {
                        pairs.insert(prompt.clone(), picked);
                    }
                    on_change.run(AnswerValue::Matching { pairs });
                }
            };
            let options = ids
                .iter()
                .enumerate()
                .map(|(i, id)| view! { <option value=id.clone()>{marker(i)}</option> })
                .collect_view();
            view! {
                <li class="candidate-match">
                    <span class="candidate-option__id">{n + 1} ". "</span>
                    <span class="rich-text" inner_html=render_math(&p.text)></span>
                    <select
                        class="input candidate-match__select"
                        data-testid="answer-match"
                        data-prompt-id=prompt
                        prop:value=chosen
                        on:change=change
                    >
                        <option value="">{move || i18n.t(ExamMsg::Choose)}</option>
                        {options}
                    </select>
                </li>
            }
        })
        .collect_view();
    view! {
        <div class="candidate-matching">
            <ol class="candidate-items">{rows}</ol>
            <ul class="candidate-items" data-testid="answer-targets">{answer_list}</ul>
        </div>
    }
}

/// The marker shown before the `i`-th choice as displayed (`A`, `B`, … `Z`, `AA`, …). Markers
/// go by position: the ids a candidate receives are opaque per-attempt labels, not letters.
pub fn marker(i: usize) -> String {
    let mut n = i + 1;
    let mut letters = Vec::new();
    while n > 0 {
        n -= 1;
        letters.push(char::from(b'A' + u8::try_from(n % 26).unwrap_or(0)));
        n /= 26;
    }
    letters.iter().rev().collect()
}

#[cfg(test)]
mod tests {
    use shared::exams::AnswerValue;
    use shared::questions::Choice;

    use super::{current_order, marker};

    #[test]
    fn markers_count_like_spreadsheet_columns() {
        assert_eq!(marker(0), "A");
        assert_eq!(marker(25), "Z");
        assert_eq!(marker(26), "AA");
        assert_eq!(marker(49), "AX");
    }

    fn items() -> Vec<Choice> {
        ["c", "a", "b"]
            .iter()
            .map(|id| Choice {
                id: (*id).to_owned(),
                text: String::new(),
            })
            .collect()
    }

    #[test]
    fn a_saved_order_shows_only_when_it_names_every_item_once() {
        let order = |o: &[&str]| {
            Some(AnswerValue::Ordering {
                order: o.iter().map(|s| (*s).to_owned()).collect(),
            })
        };
        assert_eq!(current_order(&items(), None), ["c", "a", "b"]);
        assert_eq!(
            current_order(&items(), order(&["a", "b", "c"])),
            ["a", "b", "c"]
        );
        assert_eq!(
            current_order(&items(), order(&["a", "a", "c"])),
            ["c", "a", "b"]
        );
        assert_eq!(current_order(&items(), order(&["a", "b"])), ["c", "a", "b"]);
    }
}
