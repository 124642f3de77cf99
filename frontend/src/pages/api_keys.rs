//! `/api-keys`: the organisation's API keys (name, prefix, permissions, status, last use,
//! expiry), creating one (shown in full once, with a copy button and a warning) and revoking
//! one after a confirmation.

use leptos::prelude::*;
use shared::access::{ApiKeyDto, CreatedApiKey};

use crate::api::ApiKeysApi;
use crate::auth::use_auth;
use crate::components::api_key_create::{CreateForm, NewKey};
use crate::components::console_gate::{RequirePermission, badge_class, may};
use crate::components::console_nav::{API_KEYS_READ, API_KEYS_WRITE};
use crate::components::named_list::{
    DeleteKind, ListKind, ListState, NamedList, NamedRow, pending,
};
use crate::components::page_header::PageHeader;
use crate::i18n::{
    AnyText, ApiKeyMsg, ConsoleMsg, format_time, key_status_msg, revoke_text, scope_msg, use_i18n,
};

const KEYS: ListKind = ListKind {
    one: "api-key",
    columns: &[
        AnyText::ApiKey(ApiKeyMsg::ColName),
        AnyText::ApiKey(ApiKeyMsg::ColPrefix),
        AnyText::ApiKey(ApiKeyMsg::ColScopes),
        AnyText::ApiKey(ApiKeyMsg::ColStatus),
        AnyText::ApiKey(ApiKeyMsg::ColLastUsed),
        AnyText::ApiKey(ApiKeyMsg::ColExpires),
    ],
    empty: AnyText::ApiKey(ApiKeyMsg::NoKeys),
    rename: None,
    delete: DeleteKind {
        label: AnyText::ApiKey(ApiKeyMsg::Revoke),
        action: "revoke",
        question: revoke_text,
        detail: AnyText::ApiKey(ApiKeyMsg::RevokeQuestion),
        confirm: AnyText::ApiKey(ApiKeyMsg::ConfirmRevoke),
        done: AnyText::ApiKey(ApiKeyMsg::Revoked),
        refusal: None,
    },
};

#[component]
pub fn ApiKeysPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="page">
            <PageHeader title=move || i18n.t(ApiKeyMsg::Title) lead=move || i18n.t(ApiKeyMsg::Lead) />
            <RequirePermission needs=API_KEYS_READ>
                <ApiKeys />
            </RequirePermission>
        </section>
    }
}

#[component]
fn ApiKeys() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let state = ListState::new(Memo::new(move |_| may(auth, API_KEYS_WRITE)));
    let created = RwSignal::new(None::<CreatedApiKey>);
    let on_created = Callback::new(move |key: CreatedApiKey| {
        created.set(Some(key));
        state.reload();
    });
    let on_done = Callback::new(move |()| created.set(None));
    let shown = move || {
        created
            .get()
            .map(|created| view! { <NewKey created=created on_done=on_done /> })
    };
    let revoke = Callback::new(move |id: String| {
        let api = ApiKeysApi::new(i18n.lang_untracked());
        pending(async move { api.revoke(&id).await })
    });
    view! {
        {shown}
        <Show when=move || state.can_write.get() && created.with(Option::is_none)>
            <CreateForm on_created=on_created />
        </Show>
        <h2 class="section-title">{move || i18n.t(ApiKeyMsg::ListTitle)}</h2>
        <NamedList
            kind=KEYS
            state=state
            load=|lang| async move { ApiKeysApi::new(lang).list().await }
            row=key_row
            delete=revoke
        />
    }
}

fn key_row(key: ApiKeyDto) -> NamedRow {
    let i18n = use_i18n();
    let active = key.status == "active";
    let status_label = {
        let status = key.status.clone();
        move || key_status_msg(&status).map_or_else(|| status.clone(), |m| i18n.t(m).to_owned())
    };
    let scopes = key
        .scopes
        .iter()
        .map(|scope| {
            let title = scope.to_string();
            let label = scope_msg(*scope);
            let text = {
                let title = title.clone();
                move || label.map_or_else(|| title.clone(), |m| i18n.t(m).to_owned())
            };
            view! { <li title=title>{text}</li> }
        })
        .collect_view();
    let last_used = match key.last_used_at.as_deref().map(format_time) {
        Some(at) => at.into_any(),
        None => (move || i18n.t(ConsoleMsg::Never)).into_any(),
    };
    let expires = match key.expires_at.as_deref().map(format_time) {
        Some(at) => at.into_any(),
        None => (move || i18n.t(ApiKeyMsg::NoExpiry)).into_any(),
    };
    NamedRow {
        cells: view! {
            <td>
                <code data-testid="api-key-prefix">{key.prefix.clone()}</code>
            </td>
            <td>
                <ul class="scope-list" data-testid="api-key-scopes">
                    {scopes}
                </ul>
            </td>
            <td>
                <span class=badge_class(active) data-testid="api-key-status" data-status=key.status.clone()>
                    {status_label}
                </span>
            </td>
            <td data-testid="api-key-last-used">{last_used}</td>
            <td data-testid="api-key-expires">{expires}</td>
        }
        .into_any(),
        status: Some(key.status),
        id: key.id,
        name: key.name,
        link: None,
        actions: None,
        deletable: active,
    }
}
