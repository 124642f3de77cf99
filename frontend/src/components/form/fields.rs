//! The labelled inputs of the account forms: a field that shows its own error, and the blocks
//! of fields several forms share (contact, code, new password).

use leptos::prelude::*;

use super::errors::FieldErrors;
use crate::components::send_code::{CodeSender, CodeSentNotice, SendCodeButton};
use crate::i18n::{AccountMsg, AnyMsg, FieldMsg, use_i18n};

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

/// `aria-describedby` of the input `id`: its hint (when it has one) and its error (while
/// there is one).
pub fn described_by(
    id: &str,
    has_hint: bool,
    error: Memo<Option<FieldMsg>>,
) -> impl Fn() -> Option<String> + Clone + Send + Sync + 'static + use<> {
    let (hint_id, error_id) = (format!("{id}-hint"), format!("{id}-error"));
    move || {
        let ids: Vec<&str> = [
            has_hint.then_some(hint_id.as_str()),
            error.get().map(|_| error_id.as_str()),
        ]
        .into_iter()
        .flatten()
        .collect();
        (!ids.is_empty()).then(|| ids.join(" "))
    }
}

/// The hint under the input `id`.
pub fn hint_view<F>(id: &str, text: F) -> impl IntoView + use<F>
where
    F: Fn() -> &'static str + Send + Sync + 'static,
{
    view! {
        <p class="field__hint" id=format!("{id}-hint")>
            {text}
        </p>
    }
}

/// The error under the input `id` while there is one (`field-error-<field_name>`).
pub fn error_view(
    id: &str,
    field_name: &'static str,
    error: Memo<Option<FieldMsg>>,
) -> impl Fn() -> Option<AnyView> + Send + Sync + 'static + use<> {
    let i18n = use_i18n();
    let error_id = format!("{id}-error");
    move || {
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
            .into_any()
        })
    }
}

/// The input of a labelled field ([`Field`], `TextField`): named after the first of
/// `fields`, described by its hint (when it has one) and its error `error` (while there is
/// one), bound to `value`; typing clears the errors of `fields`.
#[component]
pub fn FieldInput(
    id: &'static str,
    value: RwSignal<String>,
    testid: &'static str,
    fields: &'static [&'static str],
    errors: FieldErrors,
    error: Memo<Option<FieldMsg>>,
    has_hint: bool,
    #[prop(into)] autocomplete: Signal<&'static str>,
    input_type: &'static str,
    inputmode: Option<&'static str>,
    maxlength: Option<u32>,
    required: bool,
) -> impl IntoView {
    view! {
        <input
            id=id
            name=fields.first().copied().unwrap_or(id)
            class="input"
            type=input_type
            autocomplete=autocomplete
            inputmode=inputmode
            maxlength=maxlength
            required=required
            aria-invalid=move || error.get().map(|_| "true")
            aria-describedby=described_by(id, has_hint, error)
            data-testid=testid
            bind:value=value
            on:input=move |_| errors.clear_fields(fields)
        />
    }
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
    let field_name = fields.first().copied().unwrap_or(id);
    let error_view = error_view(id, field_name, error);
    let has_hint = hint.is_some();
    let hint = hint.map(|hint| hint_view(id, move || i18n.t(hint)));
    view! {
        <div class="field">
            <label class="field__label" for=id>
                {move || i18n.t(label)}
            </label>
            <div class="field__row">
                <FieldInput
                    id=id
                    value=value
                    testid=testid
                    fields=fields
                    errors=errors
                    error=error
                    has_hint=has_hint
                    autocomplete=autocomplete
                    input_type=input_type
                    inputmode=inputmode
                    maxlength=maxlength
                    required=required
                />
                {children.map(|children| children())}
            </div>
            {hint}
            {error_view}
        </div>
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
    use super::contact_autocomplete;

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
