//! The filters of the candidate list: a group, a status, and an exact account, email or phone.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use shared::candidates::GroupDto;

use crate::i18n::{CandidateMsg, use_i18n};

/// The filters as chosen; `None` where the user chose "any".
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Filter {
    pub group_id: Option<String>,
    /// `active` or `disabled`.
    pub status: Option<String>,
    pub q: Option<String>,
}

/// The filter form: group, status and exact search.
#[component]
pub fn CandidateFilters(
    /// The group the list opens with (from the groups page's link).
    initial_group: Option<String>,
    #[prop(into)] groups: Signal<Vec<GroupDto>>,
    /// Called with the filters when the user searches or clears them.
    on_apply: Callback<Filter>,
) -> impl IntoView {
    let i18n = use_i18n();
    let group = RwSignal::new(initial_group.unwrap_or_default());
    let status = RwSignal::new(String::new());
    let q = RwSignal::new(String::new());
    let non_empty = |value: String| {
        let value = value.trim().to_owned();
        (!value.is_empty()).then_some(value)
    };
    let apply = move || {
        on_apply.run(Filter {
            group_id: non_empty(group.get_untracked()),
            status: non_empty(status.get_untracked()),
            q: non_empty(q.get_untracked()),
        });
    };
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        apply();
    };
    let clear = move |_| {
        group.set(String::new());
        status.set(String::new());
        q.set(String::new());
        apply();
    };
    let group_options = move || {
        groups
            .get()
            .into_iter()
            .map(|g| {
                let id = g.id.clone();
                let selected = move || group.with(|current| *current == id);
                view! {
                    <option value=g.id.clone() selected=selected>
                        {g.name}
                    </option>
                }
            })
            .collect_view()
    };
    let status_option = move |value: &'static str, label: CandidateMsg| {
        view! {
            <option value=value selected=move || status.with(|s| s == value)>
                {move || i18n.t(label)}
            </option>
        }
    };
    view! {
        <form
            class="filters"
            role="search"
            aria-label=move || i18n.t(CandidateMsg::Filters)
            on:submit=on_submit
        >
            <label class="filters__item">
                <span class="field__label">{move || i18n.t(CandidateMsg::FilterGroup)}</span>
                <select
                    class="input"
                    data-testid="candidates-filter-group"
                    prop:value=move || group.get()
                    on:change=move |ev| group.set(event_target_value(&ev))
                >
                    <option value="" selected=move || group.with(String::is_empty)>
                        {move || i18n.t(CandidateMsg::AllGroups)}
                    </option>
                    {group_options}
                </select>
            </label>
            <label class="filters__item">
                <span class="field__label">{move || i18n.t(CandidateMsg::FilterStatus)}</span>
                <select
                    class="input"
                    data-testid="candidates-filter-status"
                    prop:value=move || status.get()
                    on:change=move |ev| status.set(event_target_value(&ev))
                >
                    {status_option("", CandidateMsg::AllStatuses)}
                    {status_option("active", CandidateMsg::StatusActive)}
                    {status_option("disabled", CandidateMsg::StatusDisabled)}
                </select>
            </label>
            <label class="filters__item filters__item--wide">
                <span class="field__label">{move || i18n.t(CandidateMsg::FilterSearch)}</span>
                <input
                    class="input"
                    type="search"
                    data-testid="candidates-filter-q"
                    title=move || i18n.t(CandidateMsg::FilterSearchHint)
                    placeholder=move || i18n.t(CandidateMsg::FilterSearchHint)
                    bind:value=q
                />
            </label>
            <div class="filters__actions">
                <button type="submit" class="button" data-testid="candidates-filter-submit">
                    {move || i18n.t(CandidateMsg::Search)}
                </button>
                <button
                    type="button"
                    class="button button--secondary"
                    data-testid="candidates-filter-clear"
                    on:click=clear
                >
                    {move || i18n.t(CandidateMsg::ClearFilters)}
                </button>
            </div>
        </form>
    }
}
