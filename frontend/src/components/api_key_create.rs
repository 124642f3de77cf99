//! Creating an API key: the form (name, permissions the user holds, expiry, rate limit) and the
//! panel that shows the new key once, with a warning and a copy button.

use leptos::ev::SubmitEvent;
use leptos::html::Input;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::access::{CreateApiKeyRequest, CreatedApiKey, Permission};
use wasm_bindgen_futures::JsFuture;

use crate::api::{self, ApiKeysApi};
use crate::auth::use_auth;
use crate::components::console_gate::holds;
use crate::components::form::{FieldErrors, FormAlert, FormError, missing, report};
use crate::components::text_field::TextField;
use crate::i18n::{ApiKeyMsg, KEY_SCOPES, scope_msg, use_i18n};

/// The API fields the create form shows errors beside.
const FIELDS: &[&str] = &["name", "scopes", "expires_in_days", "rate_limit_per_minute"];

#[component]
pub fn CreateForm(
    /// Called with the new key (and its secret, shown this once).
    on_created: Callback<CreatedApiKey>,
) -> impl IntoView {
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
                Ok(created) => on_created.run(created),
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
pub fn NewKey(
    created: CreatedApiKey,
    /// Called when the user has saved the key and closes the panel.
    on_done: Callback<()>,
) -> impl IntoView {
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
                    on:click=move |_| on_done.run(())
                >
                    {move || i18n.t(ApiKeyMsg::Done)}
                </button>
            </p>
        </section>
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
