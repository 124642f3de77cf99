//! `/api-keys`: the organisation's API keys (name, prefix, permissions, status, last use,
//! expiry), creating one (shown in full once, with a copy button and a warning) and revoking
//! one after a confirmation.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::access::{ApiKeyDto, CreatedApiKey};

use crate::api::{self, ApiKeysApi};
use crate::auth::use_auth;
use crate::components::ApiErrors;
use crate::components::api_key_create::{CreateForm, NewKey};
use crate::components::confirm::Confirm;
use crate::components::console_gate::{
    RequirePermission, badge_class, may, report_error, watch_session,
};
use crate::components::console_nav::{API_KEYS_READ, API_KEYS_WRITE};
use crate::components::form::{FormAlert, FormError};
use crate::i18n::{
    ApiKeyMsg, ConsoleMsg, Msg, format_time, key_status_msg, revoke_text, scope_msg, use_i18n,
};

#[component]
pub fn ApiKeysPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="page">
            <div class="page-header">
                <div>
                    <h1 class="page-title" data-testid="page-title">
                        {move || i18n.t(ApiKeyMsg::Title)}
                    </h1>
                    <p class="lead">{move || i18n.t(ApiKeyMsg::Lead)}</p>
                </div>
            </div>
            <RequirePermission needs=API_KEYS_READ>
                <ApiKeys />
            </RequirePermission>
        </section>
    }
}

/// The state the page's parts share.
#[derive(Clone, Copy)]
struct KeysState {
    reload: RwSignal<u32>,
    created: RwSignal<Option<CreatedApiKey>>,
    confirming: RwSignal<Option<String>>,
    busy: RwSignal<bool>,
    notice: RwSignal<Option<ApiKeyMsg>>,
    error: RwSignal<Option<FormError>>,
}

#[component]
fn ApiKeys() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let state = KeysState {
        reload: RwSignal::new(0),
        created: RwSignal::new(None),
        confirming: RwSignal::new(None),
        busy: RwSignal::new(false),
        notice: RwSignal::new(None),
        error: RwSignal::new(None),
    };
    let keys = LocalResource::new(move || {
        state.reload.track();
        let api = ApiKeysApi::new(i18n.lang());
        async move { api.list().await }
    });
    watch_session(auth, keys);
    let can_write = Memo::new(move |_| may(auth, API_KEYS_WRITE));
    let notice = move || {
        state.notice.get().map(|msg| {
            view! {
                <p class="notice" role="status" data-testid="api-keys-notice">
                    {move || i18n.t(msg)}
                </p>
            }
        })
    };
    let on_created = Callback::new(move |created: CreatedApiKey| {
        state.notice.set(None);
        state.created.set(Some(created));
        state.reload.update(|n| *n += 1);
    });
    let on_done = Callback::new(move |()| state.created.set(None));
    let created = move || {
        state
            .created
            .get()
            .map(|created| view! { <NewKey created=created on_done=on_done /> })
    };
    view! {
        {created}
        <Show when=move || can_write.get() && state.created.with(Option::is_none)>
            <CreateForm on_created=on_created />
        </Show>
        <h2 class="section-title">{move || i18n.t(ApiKeyMsg::ListTitle)}</h2>
        {notice}
        <FormAlert error=state.error testid="api-keys-error" />
        <Transition fallback=move || view! { <p class="loading">{move || i18n.t(Msg::Loading)}</p> }>
            <ErrorBoundary fallback=|errors| view! { <ApiErrors errors=errors /> }>
                {move || Suspend::new(async move {
                    let keys = keys.await?;
                    Ok::<_, api::Error>(view! { <KeyTable keys=keys state=state can_write=can_write /> })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

#[component]
fn KeyTable(keys: Vec<ApiKeyDto>, state: KeysState, can_write: Memo<bool>) -> impl IntoView {
    let i18n = use_i18n();
    if keys.is_empty() {
        return view! {
            <p class="empty" data-testid="api-keys-empty">
                {move || i18n.t(ApiKeyMsg::NoKeys)}
            </p>
        }
        .into_any();
    }
    let rows = keys
        .into_iter()
        .map(|key| view! { <KeyRow key=key state=state can_write=can_write /> })
        .collect_view();
    let header = |msg: ApiKeyMsg| view! { <th scope="col">{move || i18n.t(msg)}</th> };
    view! {
        <div class="table-wrap">
            <table class="table" data-testid="api-keys-table">
                <thead>
                    <tr>
                        {header(ApiKeyMsg::ColName)}
                        {header(ApiKeyMsg::ColPrefix)}
                        {header(ApiKeyMsg::ColScopes)}
                        {header(ApiKeyMsg::ColStatus)}
                        {header(ApiKeyMsg::ColLastUsed)}
                        {header(ApiKeyMsg::ColExpires)}
                        <th scope="col">{move || i18n.t(ConsoleMsg::Actions)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn KeyRow(key: ApiKeyDto, state: KeysState, can_write: Memo<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let id = StoredValue::new(key.id.clone());
    let active = key.status == "active";
    let status = key.status.clone();
    let status_label = {
        let status = status.clone();
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
    let last_used = key.last_used_at.as_deref().map(format_time);
    let expires = key.expires_at.as_deref().map(format_time);
    let confirming = move || {
        state
            .confirming
            .with(|c| id.with_value(|id| c.as_ref() == Some(id)))
    };
    let revoke = move || {
        let api = ApiKeysApi::new(i18n.lang_untracked());
        state.busy.set(true);
        state.error.set(None);
        spawn_local(async move {
            let result = api.revoke(&id.get_value()).await;
            state.busy.set(false);
            state.confirming.set(None);
            match result {
                Ok(()) => {
                    state.notice.set(Some(ApiKeyMsg::Revoked));
                    state.reload.update(|n| *n += 1);
                }
                Err(err) => report_error(auth, err, state.error),
            }
        });
    };
    let name = key.name.clone();
    let confirm_row = move || {
        confirming().then(|| {
            let name = name.clone();
            view! {
                <tr class="table__confirm">
                    <td colspan="7">
                        <Confirm
                            question=move || revoke_text(&name, i18n.lang())
                            detail=move || i18n.t(ApiKeyMsg::RevokeQuestion)
                            confirm_label=ApiKeyMsg::ConfirmRevoke
                            busy=state.busy
                            on_yes=revoke
                            on_no=move || state.confirming.set(None)
                        />
                    </td>
                </tr>
            }
        })
    };
    let action = move || {
        (active && can_write.get()).then(|| {
            view! {
                <button
                    type="button"
                    class="link-button link-button--danger"
                    data-testid="api-key-revoke"
                    on:click=move |_| {
                        state.notice.set(None);
                        state.confirming.set(Some(id.get_value()));
                    }
                >
                    {move || i18n.t(ApiKeyMsg::Revoke)}
                </button>
            }
        })
    };
    view! {
        <tr data-testid="api-key-row" data-name=key.name.clone() data-status=key.status.clone()>
            <td data-testid="api-key-name">{key.name.clone()}</td>
            <td>
                <code data-testid="api-key-prefix">{key.prefix.clone()}</code>
            </td>
            <td>
                <ul class="scope-list" data-testid="api-key-scopes">
                    {scopes}
                </ul>
            </td>
            <td>
                <span
                    class=badge_class(active)
                    data-testid="api-key-status"
                    data-status=status
                >
                    {status_label}
                </span>
            </td>
            <td data-testid="api-key-last-used">
                {match last_used {
                    Some(at) => at.into_any(),
                    None => (move || i18n.t(ConsoleMsg::Never)).into_any(),
                }}
            </td>
            <td data-testid="api-key-expires">
                {match expires {
                    Some(at) => at.into_any(),
                    None => (move || i18n.t(ApiKeyMsg::NoExpiry)).into_any(),
                }}
            </td>
            <td class="table__actions">{action}</td>
        </tr>
        {confirm_row}
    }
}
