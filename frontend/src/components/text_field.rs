//! A labelled input of a data form (candidates, groups, API keys): like the account forms'
//! [`Field`](super::form::Field), with the label and hint from any message catalogue and
//! optional values allowed.

use leptos::prelude::*;

use crate::components::form::{FieldErrors, described_by, error_view, hint_view};
use crate::i18n::{AnyText, ConsoleMsg, use_i18n};

#[component]
pub fn TextField(
    /// The input's id; the hint and error ids derive from it.
    id: &'static str,
    #[prop(into)] label: AnyText,
    value: RwSignal<String>,
    testid: &'static str,
    /// The API field names whose errors show here; the first names the error
    /// (`data-testid="field-error-<first>"`) and picks its wording.
    fields: &'static [&'static str],
    errors: FieldErrors,
    #[prop(optional, into)] hint: Option<AnyText>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(optional)] maxlength: Option<u32>,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = Memo::new(move |_| errors.message(fields));
    let described_by = described_by(id, hint.is_some(), error);
    let field_name = fields.first().copied().unwrap_or(id);
    let hint = hint.map(|hint| hint_view(id, move || i18n.t(hint)));
    let optional = (!required).then(|| {
        view! { <span class="field__optional">{move || i18n.t(ConsoleMsg::Optional)}</span> }
    });
    let error_view = error_view(id, field_name, error);
    view! {
        <div class="field">
            <label class="field__label" for=id>
                {move || i18n.t(label)}
                {optional}
            </label>
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
            {hint}
            {error_view}
        </div>
    }
}
