//! `/`: the welcome page for visitors; a signed-in console user is taken to the dashboard,
//! which is their home.

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

use crate::auth::{Session, use_auth};
use crate::i18n::{Msg, use_i18n};
use crate::routes::Page;

#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if matches!(auth.session(), Session::SignedIn(_)) {
            let options = NavigateOptions {
                replace: true,
                ..Default::default()
            };
            navigate(Page::Dashboard.path(), options);
        }
    });
    move || match auth.session() {
        // Nothing of the welcome page for someone about to be taken to their dashboard.
        Session::Checking | Session::SignedIn(_) => view! {
            <p class="loading">{move || i18n.t(Msg::Loading)}</p>
        }
        .into_any(),
        Session::SignedOut | Session::Unknown(_) => view! {
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
        .into_any(),
    }
}
