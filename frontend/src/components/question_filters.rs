//! The filters of a bank's question list: type, difficulty, category, tag and stem text.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use shared::questions::{CategoryDto, QuestionType};

use crate::components::category_tree::{indented_name, tree_order};
use crate::i18n::{QuestionMsg, type_msg, use_i18n};

/// The filters as chosen; `None` where the user chose "any".
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct QuestionFilterChoice {
    pub question_type: Option<String>,
    pub difficulty: Option<String>,
    pub category_id: Option<String>,
    pub tag: Option<String>,
    pub q: Option<String>,
}

/// The filter form of the bank browser.
#[component]
pub fn QuestionFilters(
    #[prop(into)] categories: Signal<Vec<CategoryDto>>,
    /// Called with the filters when the user searches or clears them.
    on_apply: Callback<QuestionFilterChoice>,
) -> impl IntoView {
    let i18n = use_i18n();
    let question_type = RwSignal::new(String::new());
    let difficulty = RwSignal::new(String::new());
    let category = RwSignal::new(String::new());
    let tag = RwSignal::new(String::new());
    let q = RwSignal::new(String::new());
    let non_empty = |value: String| {
        let value = value.trim().to_owned();
        (!value.is_empty()).then_some(value)
    };
    let apply = move || {
        on_apply.run(QuestionFilterChoice {
            question_type: non_empty(question_type.get_untracked()),
            difficulty: non_empty(difficulty.get_untracked()),
            category_id: non_empty(category.get_untracked()),
            tag: non_empty(tag.get_untracked()),
            q: non_empty(q.get_untracked()),
        });
    };
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        apply();
    };
    let clear = move |_| {
        for signal in [question_type, difficulty, category, tag, q] {
            signal.set(String::new());
        }
        apply();
    };
    let type_options = QuestionType::ALL
        .iter()
        .map(|t| {
            let value = t.as_str();
            let msg = type_msg(*t);
            view! {
                <option value=value selected=move || question_type.with(|c| c == value)>
                    {move || i18n.t(msg)}
                </option>
            }
        })
        .collect_view();
    let difficulty_options = (1..=5)
        .map(|d: u8| {
            let value = d.to_string();
            let current = value.clone();
            view! {
                <option value=value selected=move || difficulty.with(|c| *c == current)>
                    {d}
                </option>
            }
        })
        .collect_view();
    let category_options = move || {
        tree_order(&categories.get())
            .into_iter()
            .map(|(depth, c)| {
                let id = c.id.clone();
                view! {
                    <option value=c.id.clone() selected=move || category.with(|cur| *cur == id)>
                        {indented_name(depth, &c.name)}
                    </option>
                }
            })
            .collect_view()
    };
    view! {
        <form
            class="filters"
            role="search"
            aria-label=move || i18n.t(QuestionMsg::Filters)
            on:submit=on_submit
        >
            <label class="filters__item">
                <span class="field__label">{move || i18n.t(QuestionMsg::FilterType)}</span>
                <select
                    class="input"
                    data-testid="questions-filter-type"
                    prop:value=move || question_type.get()
                    on:change=move |ev| question_type.set(event_target_value(&ev))
                >
                    <option value="" selected=move || question_type.with(String::is_empty)>
                        {move || i18n.t(QuestionMsg::AllTypes)}
                    </option>
                    {type_options}
                </select>
            </label>
            <label class="filters__item">
                <span class="field__label">{move || i18n.t(QuestionMsg::FilterDifficulty)}</span>
                <select
                    class="input"
                    data-testid="questions-filter-difficulty"
                    prop:value=move || difficulty.get()
                    on:change=move |ev| difficulty.set(event_target_value(&ev))
                >
                    <option value="" selected=move || difficulty.with(String::is_empty)>
                        {move || i18n.t(QuestionMsg::AllDifficulties)}
                    </option>
                    {difficulty_options}
                </select>
            </label>
            <label class="filters__item">
                <span class="field__label">{move || i18n.t(QuestionMsg::FilterCategory)}</span>
                <select
                    class="input"
                    data-testid="questions-filter-category"
                    prop:value=move || category.get()
                    on:change=move |ev| category.set(event_target_value(&ev))
                >
                    <option value="" selected=move || category.with(String::is_empty)>
                        {move || i18n.t(QuestionMsg::AllCategories)}
                    </option>
                    {category_options}
                </select>
            </label>
            <label class="filters__item">
                <span class="field__label">{move || i18n.t(QuestionMsg::FilterTag)}</span>
                <input class="input" data-testid="questions-filter-tag" bind:value=tag />
            </label>
            <label class="filters__item filters__item--wide">
                <span class="field__label">{move || i18n.t(QuestionMsg::FilterText)}</span>
                <input class="input" type="search" data-testid="questions-filter-q" bind:value=q />
            </label>
            <div class="filters__actions">
                <button type="submit" class="button" data-testid="questions-filter-submit">
                    {move || i18n.t(QuestionMsg::Search)}
                </button>
                <button
                    type="button"
                    class="button button--secondary"
                    data-testid="questions-filter-clear"
                    on:click=clear
                >
                    {move || i18n.t(QuestionMsg::ClearFilters)}
                </button>
            </div>
        </form>
    }
}
