//! ExamCloud's single-page application: a client-side-rendered Leptos app compiled to WASM and
//! served by the backend as static files (`cargo xtask build-frontend` builds the bundle).
//!
//! Code map: [`app`] wires the router and layout, [`pages`] holds one module per screen,
//! [`components`] the reusable widgets, [`api`] every HTTP call, [`auth`] who is signed in,
//! [`i18n`] every user-visible string, [`routes`] every path and [`dates`] local dates and times.

mod api;
mod app;
mod auth;
mod components;
mod dates;
mod device;
mod exam;
mod i18n;
mod pages;
mod routes;

fn main() {
    // Panics are bugs; without the hook they show up in the console only as "unreachable".
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
    // index.html's loading screen stays until the app is in the page.
    if let Some(boot) = leptos::prelude::document().get_element_by_id("boot") {
        boot.remove();
    }
}
