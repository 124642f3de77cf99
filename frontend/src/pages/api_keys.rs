//! `/api-keys`: the organisation's API keys (name, prefix, permissions, status, last use,
//! expiry), creating one (shown in full once, with a copy button and a warning) and revoking
//! one after a confirmation.

use leptos::ev::SubmitEvent;
use leptos::html::Input;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::access::{ApiKeyDto, CreateApiKeyRequest, CreatedApiKey, Permission};
use wasm_bindgen_futures::JsFuture;

use crate::api::{self, ApiKeysApi};
use crate::auth::use_auth;
use crate::components::ApiErrors;
use crate::components::confirm::Confirm;
use crate::components::console_gate::{
    RequirePermission, badge_class, holds, may, report_error, watch_session,
};
use crate::components::console_nav::{API_KEYS_READ, API_KEYS_WRITE};
use crate::components::form::{FieldErrors, FormAlert, FormError, missing, report};
use crate::components::text_field::TextField;
use crate::i18n::{
    ApiKeyMsg, ConsoleMsg, KEY_SCOPES, Msg, format_time, key_status_msg, revoke_text, scope_msg,
    use_i18n,
};

/// The API fields the create form shows errors beside.
const FIELDS: &[&str] = &["name", "scopes", "expires_in_days", "rate_limit_per_minute"];

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
    let created = move || {
        state
            .created
            .get()
            .map(|created| view! { <NewKey created=created state=state /> })
    };
    view! {
        {created}
        <Show when=move || can_write.get() && state.created.with(Option::is_none)>
            <CreateForm state=state />
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
fn CreateForm(state: KeysState) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let name = RwSignal::new(String::new());
    let expires = RwSignal::new(String::new());
    let rate = RwSignal::new(String::new());
    let scopes = RwSignal::new(Vec::<Permission>::new());
    let errors = FieldErrors::default();
    let form_error = RwSignal::new(None);
    let creating = RwSignal::new(false);
    // Only permissions the user holds can be granted.
    let grantable: Vec<Permission> = auth
        .user()
        .map(|me| KEY_SCOPES.into_iter().filter(|s| holds(&me, *s)).collect())
        .unwrap_or_default();

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if creating.get_untracked() {
            return;
        }
        errors.clear();
        form_error.set(None);
        let name_value = name.get_untracked();
        let mut problems = missing(&[("name", &name_value)]);
        let mut problem = |field: &str, reason: &str| {
            problems.push(api::FieldError {
                field: field.to_owned(),
                reason: reason.to_owned(),
            });
        };
        if scopes.with_untracked(Vec::is_empty) {
            problem("scopes", "required");
        }
        let expires_in_days = parse_number::<i64>(&expires.get_untracked());
        if expires_in_days.is_err() {
            problem("expires_in_days", "invalid_format");
        }
        let rate_limit = parse_number::<i32>(&rate.get_untracked());
        if rate_limit.is_err() {
            problem("rate_limit_per_minute", "invalid_format");
        }
        let (Ok(expires_in_days), Ok(rate_limit_per_minute), true) =
            (expires_in_days, rate_limit, problems.is_empty())
        else {
            errors.set(problems);
            form_error.set(Some(FormError::CheckFields));
            return;
        };
        let request = CreateApiKeyRequest {
            name: name_value.trim().to_owned(),
            scopes: scopes.get_untracked(),
            expires_in_days,
            rate_limit_per_minute,
        };
        let api = ApiKeysApi::new(i18n.lang_untracked());
        creating.set(true);
        spawn_local(async move {
            let result = api.create(&request).await;
            creating.set(false);
            match result {
                Ok(created) => {
                    state.notice.set(None);
                    state.created.set(Some(created));
                    state.reload.update(|n| *n += 1);
                }
                Err(err) if err.is_unauthorized() => auth.expire(),
                Err(err) => report(err, FIELDS, errors, form_error, |_| None),
            }
        });
    };

    let scope_boxes = grantable
        .into_iter()
        .filter_map(|scope| {
            let label = scope_msg(scope)?;
            let checked = move || scopes.with(|s| s.contains(&scope));
            let toggle = move |_| {
                errors.clear_fields(&["scopes"]);
                scopes.update(|s| {
                    if let Some(at) = s.iter().position(|p| *p == scope) {
                        s.remove(at);
                    } else {
                        s.push(scope);
                    }
                });
            };
            let testid = format!("api-key-scope-{}", scope.to_string().replace([':', '_'], "-"));
            Some(view! {
                <label class="checkbox">
                    <input type="checkbox" data-testid=testid value=scope.to_string() prop:checked=checked on:change=toggle />
                    {move || i18n.t(label)}
                    " "
                    <code class="checkbox__code">{scope.to_string()}</code>
                </label>
            })
        })
        .collect_view();
    let scopes_error = move || {
        errors.message(&["scopes"]).map(|_| {
            view! {
                <p class="field__error" data-testid="field-error-scopes">
                    {move || i18n.t(ApiKeyMsg::ScopesRequired)}
                </p>
            }
        })
    };

    view! {
        <form class="form card data-form" novalidate=true data-testid="api-key-form" on:submit=on_submit>
            <h2 class="card__title">{move || i18n.t(ApiKeyMsg::NewTitle)}</h2>
            <FormAlert error=form_error testid="api-key-form-error" />
            <TextField
                id="api-key-name"
                label=ApiKeyMsg::NameLabel
                hint=ApiKeyMsg::NameHint
                value=name
                testid="api-key-form-name"
                fields=&["name"]
                errors=errors
                maxlength=60
                required=true
            />
            <fieldset class="field checkbox-group">
                <legend class="field__label">{move || i18n.t(ApiKeyMsg::ScopesLabel)}</legend>
                {scope_boxes}
                <p class="field__hint">{move || i18n.t(ApiKeyMsg::ScopesHint)}</p>
                {scopes_error}
            </fieldset>
            <div class="data-form__grid">
                <TextField
                    id="api-key-expires"
                    label=ApiKeyMsg::ExpiresLabel
                    hint=ApiKeyMsg::ExpiresHint
                    value=expires
                    testid="api-key-form-expires"
                    fields=&["expires_in_days"]
                    errors=errors
                    inputmode="numeric"
                />
                <TextField
                    id="api-key-rate"
                    label=ApiKeyMsg::RateLabel
                    hint=ApiKeyMsg::RateHint
                    value=rate
                    testid="api-key-form-rate"
                    fields=&["rate_limit_per_minute"]
                    errors=errors
                    inputmode="numeric"
                />
            </div>
            <div class="actions">
                <button type="submit" class="button" data-testid="api-key-form-submit" disabled=creating>
                    {move || i18n.t(if creating.get() { ApiKeyMsg::Creating } else { ApiKeyMsg::Create })}
                </button>
            </div>
        </form>
    }
}

/// A blank field is `None`; anything else must be a whole number.
fn parse_number<T: std::str::FromStr>(text: &str) -> Result<Option<T>, ()> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    text.parse().map(Some).map_err(|_| ())
}

/// The key just created, shown this once.
#[component]
fn NewKey(created: CreatedApiKey, state: KeysState) -> impl IntoView {
    let i18n = use_i18n();
    let copied = RwSignal::new(None::<bool>);
    let field = NodeRef::<Input>::new();
    let key = StoredValue::new(created.key);
    let copy = move |_| {
        if let Some(input) = field.get_untracked() {
            // Selected too, so copying by hand works if the clipboard is refused.
            input.select();
        }
        let Some(window) = web_sys::window() else {
            copied.set(Some(false));
            return;
        };
        let promise = window.navigator().clipboard().write_text(&key.get_value());
        spawn_local(async move {
            copied.set(Some(JsFuture::from(promise).await.is_ok()));
        });
    };
    let copy_status = move || {
        copied.get().map(|ok| {
            let (msg, testid) = if ok {
                (ApiKeyMsg::Copied, "api-key-copied")
            } else {
                (ApiKeyMsg::CopyFailed, "api-key-copy-failed")
            };
            view! {
                <p class="hint" role="status" data-testid=testid>
                    {move || i18n.t(msg)}
                </p>
            }
        })
    };
    view! {
        <section class="card card--highlight" data-testid="api-key-created" aria-live="polite">
            <h2 class="card__title">{move || i18n.t(ApiKeyMsg::CreatedTitle)} " · " {created.api_key.name}</h2>
            <p class="alert alert--warning" role="alert" data-testid="api-key-warning">
                {move || i18n.t(ApiKeyMsg::CreatedWarning)}
            </p>
            <div class="field__row">
                <input
                    class="input input--mono"
                    readonly=true
                    aria-label=move || i18n.t(ApiKeyMsg::KeyLabel)
                    data-testid="api-key-secret"
                    node_ref=field
                    prop:value=key.get_value()
                    on:focus=move |_| {
                        if let Some(input) = field.get_untracked() {
                            input.select();
                        }
                    }
                />
                <button type="button" class="button" data-testid="api-key-copy" on:click=copy>
                    {move || i18n.t(ApiKeyMsg::Copy)}
                </button>
            </div>
            {copy_status}
            <p class="actions">
                <button
                    type="button"
                    class="button button--secondary"
                    data-testid="api-key-created-done"
                    on:click=move |_| state.created.set(None)
                >
                    {move || i18n.t(ApiKeyMsg::Done)}
                </button>
            </p>
        </section>
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

#[cfg(test)]
mod tests {
    use super::parse_number;

    #[test]
    fn numbers_are_blank_or_whole() {
        assert_eq!(parse_number::<i64>(" "), Ok(None));
        assert_eq!(parse_number::<i64>(" 30 "), Ok(Some(30)));
        assert_eq!(parse_number::<i32>("1.5"), Err(()));
        assert_eq!(parse_number::<i32>("三十"), Err(()));
    }
}
