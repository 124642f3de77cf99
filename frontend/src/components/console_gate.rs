//! The gate in front of a console page that needs a permission: visitors are sent to sign in
//! (and brought back), users without the permission are told so, and a session that ends
//! during a call goes back to sign-in.

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_location, use_navigate};
use shared::access::Permission;
use shared::accounts::MeResponse;

use crate::api;
use crate::auth::{Auth, Session, use_auth};
use crate::components::form::{FormAlert, FormError};
use crate::i18n::{ConsoleMsg, Msg, use_i18n};
use crate::routes::login_then;

/// Whether the signed-in account holds `wanted` (a write permission includes the read one).
pub fn holds(me: &MeResponse, wanted: Permission) -> bool {
    me.permissions.iter().any(|held| held.covers(wanted))
}

/// Whether the signed-in user holds `wanted` (tracked); false while nobody is signed in.
pub fn may(auth: Auth, wanted: Permission) -> bool {
    auth.user().is_some_and(|me| holds(&me, wanted))
}

/// Sends the user to sign in again (and back here afterwards) when `resource` fails because the
/// session has ended; other failures are for the page to show.
pub fn watch_session<T: 'static>(auth: Auth, resource: LocalResource<Result<T, api::Error>>) {
    Effect::new(move |_| {
        let ended = resource
            .map(|result| matches!(result, Err(err) if err.is_unauthorized()))
            .unwrap_or(false);
        if ended {
            auth.expire();
        }
    });
}

/// The badge class of an active or inactive (disabled, expired, revoked) item.
pub fn badge_class(active: bool) -> &'static str {
    if active {
        "badge badge--ok"
    } else {
        "badge badge--muted"
    }
}

/// What the gate shows.
#[derive(Debug, Clone, PartialEq)]
enum Gate {
    Waiting,
    Unknown(api::Error),
    Open,
    Closed,
}

/// Shows the error of a call, unless it says the session has ended: then the user is sent to
/// sign in again and comes back here afterwards.
pub fn report_error(auth: Auth, err: api::Error, shown: RwSignal<Option<FormError>>) {
    if err.is_unauthorized() {
        auth.expire();
    } else {
        shown.set(Some(FormError::Other(err)));
    }
}

/// Renders `children` once the signed-in user is known to hold `needs`.
#[component]
pub fn RequirePermission(needs: Permission, children: ChildrenFn) -> impl IntoView {
    gate(Some(needs), children)
}

/// Renders `children` once someone is known to be signed in to the console, whatever they
/// may do (a page whose sections each check their own permission).
#[component]
pub fn RequireSignedIn(children: ChildrenFn) -> impl IntoView {
    gate(None, children)
}

/// The gate of [`RequirePermission`] and [`RequireSignedIn`]: visitors go to sign in, users
/// without `needs` (when given) are told so.
fn gate(needs: Option<Permission>, children: ChildrenFn) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let navigate = use_navigate();
    let location = use_location();
    let here = location.pathname.get_untracked();
    Effect::new(move |_| {
        // Signing out navigates by itself; by the time this runs the page may already be gone.
        let still_here = location.pathname.with_untracked(|p| *p == here);
        if matches!(auth.session(), Session::SignedOut) && still_here {
            let search = location.search.get_untracked();
            let back = if search.is_empty() {
                here.clone()
            } else {
                format!("{here}?{search}")
            };
            let options = NavigateOptions {
                replace: true,
                ..Default::default()
            };
            navigate(&login_then(&back), options);
        }
    });
    // A memo, so the page is built once and not again each time the session is re-checked.
    let gate = Memo::new(move |_| match auth.session() {
        Session::Checking | Session::SignedOut => Gate::Waiting,
        Session::Unknown(err) => Gate::Unknown(err),
        Session::SignedIn(me) if needs.is_none_or(|needs| holds(&me, needs)) => Gate::Open,
        Session::SignedIn(_) => Gate::Closed,
    });
    let children = StoredValue::new(children);
    move || match gate.get() {
        Gate::Waiting => view! {
            <p class="loading">{move || i18n.t(Msg::Loading)}</p>
        }
        .into_any(),
        Gate::Unknown(err) => {
            let error = RwSignal::new(Some(FormError::Other(err)));
            view! {
                <FormAlert error=error testid="api-error" />
                <p class="actions">
                    <button type="button" class="button" on:click=move |_| auth.check()>
                        {move || i18n.t(ConsoleMsg::Retry)}
                    </button>
                </p>
            }
            .into_any()
        }
        Gate::Open => children.read_value()().into_any(),
        Gate::Closed => view! {
            <p class="alert alert--error" role="alert" data-testid="no-permission">
                {move || i18n.t(ConsoleMsg::NoPermission)}
            </p>
        }
        .into_any(),
    }
}
