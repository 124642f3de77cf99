//! `/`: the welcome page.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::{Msg, use_i18n};
use crate::routes::Page;

#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="hero">
            <h1 class="page-title" data-testid="page-title">
                {move || i18n.t(Msg::HomeTitle)}
            </h1>
            <p class="lead">{move || i18n.t(Msg::HomeLead)}</p>
            <A href=Page::Status.path() attr:class="button">
                {move || i18n.t(Msg::HomeStatusLink)}
            </A>
        </section>
    }
}
