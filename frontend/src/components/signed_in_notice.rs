//! On the sign-in and register pages: "you are already signed in to …", with a way to the
//! account page. The forms stay usable (to switch account or register another organisation).

use leptos::prelude::*;
use leptos_router::components::A;

use crate::auth::use_auth;
use crate::i18n::{AccountMsg, use_i18n};
use crate::routes::Page;

#[component]
pub fn SignedInNotice() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    move || {
        auth.user().map(|me| {
            view! {
                <p class="notice notice--info" data-testid="signed-in-notice">
                    {move || i18n.t(AccountMsg::AlreadySignedIn)} " "
                    <strong>{me.org.name.clone()}</strong> " · "
                    <A href=Page::Account.path()>{move || i18n.t(AccountMsg::GoToAccount)}</A>
                </p>
            }
        })
    }
}
