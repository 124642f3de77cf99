//! Any path no route matches: a not-found page inside the SPA, with a way back home.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::{Msg, use_i18n};
use crate::routes::Page;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="hero">
            <p class="hero__code" aria-hidden="true">
                "404"
            </p>
            <h1 class="page-title" data-testid="page-title">
                {move || i18n.t(Msg::NotFoundTitle)}
            </h1>
            <p class="lead">{move || i18n.t(Msg::NotFoundLead)}</p>
            <A href=Page::Home.path() attr:class="button" {..} data-testid="not-found-home">
                {move || i18n.t(Msg::BackHome)}
            </A>
        </section>
    }
}
