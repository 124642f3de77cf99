//! The two language buttons in the header; the pressed one is the current language.

use leptos::prelude::*;
use shared::Lang;

use crate::i18n::{Msg, endonym, use_i18n};

#[component]
pub fn LangSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let buttons = Lang::ALL
        .into_iter()
        .map(|lang| {
            let pressed = move || if i18n.lang() == lang { "true" } else { "false" };
            view! {
                <button
                    type="button"
                    class="lang-switch__button"
                    lang=lang.tag()
                    aria-pressed=pressed
                    data-testid=format!("lang-{}", lang.tag())
                    on:click=move |_| i18n.set_lang(lang)
                >
                    {endonym(lang)}
                </button>
            }
        })
        .collect_view();
    view! {
        <div class="lang-switch" role="group" aria-label=move || i18n.t(Msg::LanguagePicker)>
            {buttons}
        </div>
    }
}
