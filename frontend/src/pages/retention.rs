//! `/account/retention`: the data retention policy in effect (read-only), as the public
//! `GET /api/privacy/retention` answers it: for each kind of data what happens at the end of
//! its life and after how long, in the reader's language.

use leptos::prelude::*;
use shared::privacy::{RetentionPolicy, RetentionRule};

use crate::api::{self, PublicApi};
use crate::components::{AccountShell, ApiErrors};
use crate::i18n::{
    Msg, RetentionMsg, retention_action_msg, retention_days_text, retention_kind_msgs, use_i18n,
};
use crate::routes::Page;

#[component]
pub fn RetentionPage() -> impl IntoView {
    view! {
        <AccountShell page=Page::AccountRetention title=RetentionMsg::Title lead=RetentionMsg::Lead>
            <RetentionPolicyView />
        </AccountShell>
    }
}

#[component]
fn RetentionPolicyView() -> impl IntoView {
    let i18n = use_i18n();
    // The policy holds no text, so a change of language needs no new request.
    let policy = LocalResource::new(move || {
        let api = PublicApi::new(i18n.lang_untracked());
        async move { api.get_retention_policy().await }
    });
    view! {
        <Transition fallback=move || view! { <p class="loading">{move || i18n.t(Msg::Loading)}</p> }>
            <ErrorBoundary fallback=|errors| view! { <ApiErrors errors=errors /> }>
                {move || Suspend::new(async move {
                    let policy = policy.await?;
                    Ok::<_, api::Error>(view! { <PolicyTable policy=policy /> })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

#[component]
fn PolicyTable(policy: RetentionPolicy) -> impl IntoView {
    let i18n = use_i18n();
    let rows = policy
        .kinds
        .into_iter()
        .map(|rule| view! { <RuleRow rule=rule /> })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table
                class="table"
                data-testid="retention-table"
                aria-label=move || i18n.t(RetentionMsg::TableLabel)
            >
                <thead>
                    <tr>
                        <th scope="col">{move || i18n.t(RetentionMsg::Kind)}</th>
                        <th scope="col">{move || i18n.t(RetentionMsg::What)}</th>
                        <th scope="col">{move || i18n.t(RetentionMsg::Action)}</th>
                        <th scope="col">{move || i18n.t(RetentionMsg::Days)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

#[component]
fn RuleRow(rule: RetentionRule) -> impl IntoView {
    let i18n = use_i18n();
    let (name, what) = retention_kind_msgs(rule.kind);
    let action = retention_action_msg(rule.action);
    let days = rule.days;
    view! {
        <tr data-testid=format!("retention-{}", rule.kind.as_str())>
            <td>{move || i18n.t(name)}</td>
            <td>{move || i18n.t(what)}</td>
            <td>{move || i18n.t(action)}</td>
            <td class="table__nowrap">{move || retention_days_text(days, i18n.lang())}</td>
        </tr>
    }
}
