//! A labelled input of a data form (candidates, groups, API keys): like the account forms'
//! [`Field`](super::form::Field), with the label and hint from any message catalogue and
//! optional values allowed.

use leptos::prelude::*;

use crate::components::form::{FieldErrors, FieldInput, error_view, hint_view};
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
    let has_hint = hint.is_some();
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
            {hint}
            {error_view}
        </div>
    }
}
