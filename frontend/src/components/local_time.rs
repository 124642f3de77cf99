//! An instant from the API, shown in the user's time zone and language.

use leptos::prelude::*;

use crate::dates::format_local;
use crate::i18n::use_i18n;

#[component]
pub fn LocalTime(rfc3339: String) -> impl IntoView {
    let i18n = use_i18n();
    let text = {
        let rfc3339 = rfc3339.clone();
        move || format_local(&rfc3339, i18n.lang())
    };
    view! { <time datetime=rfc3339>{text}</time> }
}
