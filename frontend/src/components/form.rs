//! The pieces of the account forms: a labelled field that shows its own error, the blocks of
//! fields several forms share (contact, code, new password), the error summary above a form,
//! the notice after a success, the submit button and the link to the other sign-in page; and
//! how an API error is spread over fields and summary.

use leptos::prelude::*;
use leptos_router::components::A;
use shared::ErrorCode;

use crate::api::{self, FieldError};
use crate::components::send_code::{CodeSender, CodeSentNotice, SendCodeButton};
use crate::i18n::{
    AccountMsg, AnyMsg, FieldMsg, Msg, Text, field_error_msg, too_many_text, use_i18n,
};
use crate::routes::Page;

/// The field errors of one form, keyed by the API's field names.
#[derive(Debug, Clone, Copy)]
pub struct FieldErrors(RwSignal<Vec<FieldError>>);

impl Default for FieldErrors {
    fn default() -> Self {
        FieldErrors(RwSignal::new(Vec::new()))
    }
}

impl FieldErrors {
    pub fn set(&self, errors: Vec<FieldError>) {
        self.0.set(errors);
    }

    pub fn add(&self, field: &str, reason: &str) {
        self.0.update(|errors| {
            errors.push(FieldError {
                field: field.to_owned(),
                reason: reason.to_owned(),
            });
        });
    }

    pub fn clear(&self) {
        self.0.set(Vec::new());
    }

    /// Forgets the errors of `fields`, when the user edits them.
    pub fn clear_fields(&self, fields: &[&str]) {
        let stale = self
            .0
            .with_untracked(|errors| errors.iter().any(|e| fields.contains(&e.field.as_str())));
        if stale {
            self.0
                .update(|errors| errors.retain(|e| !fields.contains(&e.field.as_str())));
        }
    }

    /// The message for the first error of any of `fields`, worded for `fields[0]` (tracked).
    pub fn message(&self, fields: &[&str]) -> Option<FieldMsg> {
        let canonical = fields.first()?;
        self.0.with(|errors| {
            errors
                .iter()
                .find(|e| fields.contains(&e.field.as_str()))
                .map(|e| field_error_msg(canonical, &e.reason))
        })
    }
}

/// What the summary above a form says.
#[derive(Debug, Clone, PartialEq)]
pub enum FormError {
    /// Some fields are invalid; each says why beside it.
    CheckFields,
    /// Registration: the email or mobile number already has an account (409).
    AlreadyRegistered,
    /// Sign-in: wrong account and password, or account and code (401).
    InvalidCredentials { by_code: bool },
    /// 429: after repeated failed sign-ins (`locked`), or too many requests.
    TooMany {
        retry_after: Option<u64>,
        locked: bool,
    },
    /// A case the page words itself.
    Text(AnyMsg),
    /// Anything else, in the server's own (localised) words.
    Other(api::Error),
}

/// Shows an API error: invalid fields beside the fields in `shown` (with a summary), anything
/// else as the summary, worded by `specific` when it knows the case.
pub fn report(
    err: api::Error,
    shown: &[&str],
    errors: FieldErrors,
    form_error: RwSignal<Option<FormError>>,
    specific: impl FnOnce(&api::Error) -> Option<FormError>,
) {
    let fields = err.field_errors();
    if fields.iter().any(|e| shown.contains(&e.field.as_str())) {
        errors.set(fields);
        form_error.set(Some(FormError::CheckFields));
        return;
    }
    let summary = specific(&err).unwrap_or_else(|| match err.code() {
        Some(ErrorCode::RateLimited) => FormError::TooMany {
            retry_after: err.retry_after(),
            locked: false,
        },
        _ => FormError::Other(err),
    });
    form_error.set(Some(summary));
}

/// The fields of `values` (name, value) left empty, as `required` errors; checked before a
/// request that would otherwise count as a failed attempt.
pub fn missing(values: &[(&str, &str)]) -> Vec<FieldError> {
    values
        .iter()
        .filter(|(_, value)| value.trim().is_empty())
        .map(|(field, _)| FieldError {
            field: (*field).to_owned(),
            reason: "required".to_owned(),
        })
        .collect()
}

/// The `password_confirm` error when a new password and its confirmation differ. The server
/// never sees the confirmation, so only here can a mistyped password be caught.
pub fn confirmation_error(password: &str, confirm: &str) -> Option<FieldError> {
    (!password.is_empty() && password != confirm).then(|| FieldError {
        field: "password_confirm".to_owned(),
        reason: "mismatch".to_owned(),
    })
}

/// The `autocomplete` token for a field taking an email address or a mobile number: `tel` once
/// the value looks like a phone number, `email` otherwise. (The keyboard is left alone: many
/// email addresses in China start with digits.)
pub fn contact_autocomplete(value: &str) -> &'static str {
    let value = value.trim();
    let phone_like = !value.is_empty()
        && !value.contains('@')
        && value
            .chars()
            .all(|c| c.is_ascii_digit() || " +-()".contains(c) || ('０'..='９').contains(&c));
    if phone_like { "tel" } else { "email" }
}

/// A labelled input with an optional hint and its error, tied together for assistive
/// technology (`for`, `aria-describedby`, `aria-invalid`).
#[component]
pub fn Field(
    /// The input's id; the hint and error ids derive from it.
    id: &'static str,
    #[prop(into)] label: AnyMsg,
    value: RwSignal<String>,
    testid: &'static str,
    /// The API field names whose errors show here. The first names the error
    /// (`data-testid="field-error-<first>"`) and picks its wording.
    fields: &'static [&'static str],
    errors: FieldErrors,
    #[prop(into)] autocomplete: Signal<&'static str>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(optional)] maxlength: Option<u32>,
    #[prop(optional, into)] hint: Option<AnyMsg>,
    /// Optional fields may be left empty (an empty app name means "use the organisation's").
    #[prop(default = true)]
    required: bool,
    /// Shown beside the input, e.g. the send-code button.
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = Memo::new(move |_| errors.message(fields));
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described_by = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        move || {
            let ids: Vec<&str> = [
                hint.map(|_| hint_id.as_str()),
                error.get().map(|_| error_id.as_str()),
            ]
            .into_iter()
            .flatten()
            .collect();
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    let field_name = fields.first().copied().unwrap_or(id);
    let hint = hint.map(|hint| {
        view! {
            <p class="field__hint" id=hint_id>
                {move || i18n.t(hint)}
            </p>
        }
    });
    let error_view = move || {
        error.get().map(|msg| {
            view! {
                <p
                    class="field__error"
                    id=error_id.clone()
                    data-testid=format!("field-error-{field_name}")
                >
                    {move || i18n.t(msg)}
                </p>
            }
        })
    };
    view! {
        <div class="field">
            <label class="field__label" for=id>
                {move || i18n.t(label)}
            </label>
            <div class="field__row">
                <input
                    id=id
                    name=field_name
                    class="input"
                    type=input_type
                    autocomplete=autocomplete
                    inputmode=inputmode
                    maxlength=maxlength
                    required=required
                    aria-invalid=move || error.get().map(|_| "true")
                    aria-describedby=described_by
                    data-testid=testid
                    bind:value=value
                    on:input=move |_| errors.clear_fields(fields)
                />
                {children.map(|children| children())}
            </div>
            {hint}
            {error_view}
        </div>
    }
}

/// The summary above a form; absent while there is nothing to say.
#[component]
pub fn FormAlert(error: RwSignal<Option<FormError>>, testid: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let lang = i18n.lang();
        error.get().map(|error| {
            let (message, extra) = match error {
                FormError::CheckFields => {
                    (AccountMsg::ErrorCheckFields.text(lang).to_owned(), None)
                }
                FormError::AlreadyRegistered => {
                    let link = view! {
                        <p class="alert__action">
                            <A href=Page::Login.path() {..} data-testid="error-login-link">
                                {AccountMsg::GoToLogin.text(lang)}
                            </A>
                        </p>
                    };
                    (
                        AccountMsg::ErrorAlreadyRegistered.text(lang).to_owned(),
                        Some(link.into_any()),
                    )
                }
                FormError::InvalidCredentials { by_code } => {
                    let msg = if by_code {
                        AccountMsg::ErrorInvalidCode
                    } else {
                        AccountMsg::ErrorInvalidPassword
                    };
                    (msg.text(lang).to_owned(), None)
                }
                FormError::TooMany {
                    retry_after,
                    locked,
                } => (too_many_text(retry_after, locked, lang), None),
                FormError::Text(msg) => (msg.text(lang).to_owned(), None),
                FormError::Other(err) => {
                    let request_id = err.request_id().map(|id| {
                        view! {
                            <p class="alert__request-id">
                                {Msg::RequestId.text(lang)} ": " <code>{id.to_owned()}</code>
                            </p>
                        }
                        .into_any()
                    });
                    (err.message(lang), request_id)
                }
            };
            view! {
                <div class="alert alert--error form-alert" role="alert" data-testid=testid>
                    <p class="alert__message">{message}</p>
                    {extra}
                </div>
            }
        })
    }
}

/// The notice after a form succeeded; absent until then. Announced politely.
#[component]
pub fn FormNotice(notice: RwSignal<Option<AnyMsg>>, testid: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let text = move || {
        notice.get().map(|msg| {
            view! {
                <p class="notice" data-testid=testid>
                    {move || i18n.t(msg)}
                </p>
            }
        })
    };
    view! {
        <div class="form-notice" role="status">
            {text}
        </div>
    }
}

/// A form's submit button, disabled and relabelled while the request is under way.
#[component]
pub fn SubmitButton(
    testid: &'static str,
    busy: RwSignal<bool>,
    #[prop(into)] label: AnyMsg,
    #[prop(into)] busy_label: AnyMsg,
    /// Full width under the sign-in forms; inline in the settings cards.
    #[prop(default = "button button--block")]
    class: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <button type="submit" class=class data-testid=testid disabled=busy>
            {move || i18n.t(if busy.get() { busy_label } else { label })}
        </button>
    }
}

/// "No account yet? Register" under a sign-in form: the way to the neighbouring page.
#[component]
pub fn SwitchLink(
    #[prop(into)] question: AnyMsg,
    page: Page,
    #[prop(into)] link: AnyMsg,
    testid: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="auth__switch">
            {move || i18n.t(question)} " "
            <A href=page.path() {..} data-testid=testid>
                {move || i18n.t(link)}
            </A>
        </p>
    }
}

/// An email address or mobile number, autocompleted as `tel` once it looks like a number.
#[component]
pub fn ContactField(
    id: &'static str,
    #[prop(into)] label: AnyMsg,
    value: RwSignal<String>,
    /// The API field names whose errors show here, as for [`Field`].
    fields: &'static [&'static str],
    errors: FieldErrors,
    #[prop(optional, into)] hint: Option<AnyMsg>,
) -> impl IntoView {
    let autocomplete = Signal::derive(move || value.with(|v| contact_autocomplete(v)));
    match hint {
        Some(hint) => view! {
            <Field id=id label=label value=value testid=id fields=fields errors=errors
                autocomplete=autocomplete hint=hint />
        }
        .into_any(),
        None => view! {
            <Field id=id label=label value=value testid=id fields=fields errors=errors
                autocomplete=autocomplete />
        }
        .into_any(),
    }
}

/// The one-time code, with the button that sends it and the notice that it was sent.
#[component]
pub fn CodeField(
    id: &'static str,
    value: RwSignal<String>,
    errors: FieldErrors,
    sender: CodeSender,
    send_testid: &'static str,
) -> impl IntoView {
    view! {
        <Field
            id=id
            label=AccountMsg::CodeLabel
            value=value
            testid=id
            fields=&["code"]
            errors=errors
            autocomplete="one-time-code"
            inputmode="numeric"
        >
            <SendCodeButton sender=sender testid=send_testid />
        </Field>
        <CodeSentNotice sender=sender />
    }
}

/// A new password and its confirmation. `fields` names the password as the API does; a
/// mismatch shows on the confirmation (see [`confirmation_error`]).
#[component]
pub fn NewPasswordFields(
    id: &'static str,
    confirm_id: &'static str,
    #[prop(into)] label: AnyMsg,
    #[prop(into)] confirm_label: AnyMsg,
    fields: &'static [&'static str],
    password: RwSignal<String>,
    confirm: RwSignal<String>,
    errors: FieldErrors,
) -> impl IntoView {
    view! {
        <Field
            id=id
            label=label
            value=password
            testid=id
            fields=fields
            errors=errors
            autocomplete="new-password"
            input_type="password"
            maxlength=128
            hint=AccountMsg::NewPasswordHint
        />
        <Field
            id=confirm_id
            label=confirm_label
            value=confirm
            testid=confirm_id
            fields=&["password_confirm"]
            errors=errors
            autocomplete="new-password"
            input_type="password"
            maxlength=128
        />
    }
}

#[cfg(test)]
mod tests {
    use super::{confirmation_error, contact_autocomplete, missing};

    #[test]
    fn blank_values_are_missing() {
        let found = missing(&[("identifier", "  "), ("password", "secret"), ("code", "")]);
        let names: Vec<(&str, &str)> = found
            .iter()
            .map(|e| (e.field.as_str(), e.reason.as_str()))
            .collect();
        assert_eq!(names, [("identifier", "required"), ("code", "required")]);
    }

    #[test]
    fn a_differing_confirmation_is_an_error_on_the_confirmation() {
        assert_eq!(confirmation_error("", ""), None);
        assert_eq!(confirmation_error("secret-1", "secret-1"), None);
        let err = confirmation_error("secret-1", "secret-2");
        assert_eq!(
            err.map(|e| (e.field, e.reason)),
            Some(("password_confirm".to_owned(), "mismatch".to_owned()))
        );
    }

    #[test]
    fn contacts_autocomplete_as_tel_or_email() {
        assert_eq!(contact_autocomplete(""), "email");
        assert_eq!(contact_autocomplete("138 0013 8000"), "tel");
        assert_eq!(contact_autocomplete("+86-13800138000"), "tel");
        assert_eq!(contact_autocomplete("１３８"), "tel");
        assert_eq!(contact_autocomplete("12345@qq.com"), "email");
        assert_eq!(contact_autocomplete("li@example.com"), "email");
    }
}

/// How someone signs in: with a password or with a code sent to them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInMode {
    Password,
    Code,
}

impl SignInMode {
    /// The API fields whose errors show on this mode's inputs.
    pub fn fields(self) -> &'static [&'static str] {
        match self {
            SignInMode::Password => &["identifier", "password"],
            SignInMode::Code => &["destination", "identifier", "code"],
        }
    }
}

/// The password/code switch of a sign-in form (console or portal); the pressed button is the
/// current mode.
#[component]
pub fn SignInModes(
    mode: RwSignal<SignInMode>,
    on_select: impl Fn(SignInMode) + Copy + 'static,
    password_testid: &'static str,
    code_testid: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let button = move |value: SignInMode, label: AccountMsg, testid: &'static str| {
        let pressed = move || if mode.get() == value { "true" } else { "false" };
        view! {
            <button
                type="button"
                class="segmented__button"
                aria-pressed=pressed
                data-testid=testid
                on:click=move |_| on_select(value)
            >
                {move || i18n.t(label)}
            </button>
        }
    };
    view! {
        <div class="segmented" role="group" aria-label=move || i18n.t(AccountMsg::LoginModes)>
            {button(SignInMode::Password, AccountMsg::ModePassword, password_testid)}
            {button(SignInMode::Code, AccountMsg::ModeCode, code_testid)}
        </div>
    }
}
