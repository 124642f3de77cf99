//! The fallback of an `<ErrorBoundary>` around API calls: the localised message of each error
//! and the request id to quote to support.

use leptos::error::Errors;
use leptos::prelude::*;

use crate::api;
use crate::i18n::{Msg, use_i18n};

#[component]
pub fn ApiErrors(errors: ArcRwSignal<Errors>) -> impl IntoView {
    let i18n = use_i18n();
    let items = move || {
        let lang = i18n.lang();
        errors
            .get()
            .into_iter()
            .map(|(_, error)| {
                // Only api::Error reaches this boundary today; anything else is still shown.
                let (message, request_id) = match error.downcast_ref::<api::Error>() {
                    Some(error) => (error.message(lang), error.request_id().map(str::to_owned)),
                    None => (error.to_string(), None),
                };
                let request_id = request_id.map(|id| {
                    view! {
                        <p class="alert__request-id">
                            {Msg::RequestId.text(lang)} ": " <code>{id}</code>
                        </p>
                    }
                });
                view! {
                    <p class="alert__message">{message}</p>
                    {request_id}
                }
            })
            .collect_view()
    };
    view! {
        <div class="alert alert--error" role="alert" data-testid="api-error">
            <p class="alert__title">{move || i18n.t(Msg::ErrorTitle)}</p>
            {items}
        </div>
    }
}
