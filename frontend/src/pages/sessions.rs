//! `/account/sessions`: the devices signed in to the account, this one marked; signing one of
//! the others out, or every device at once.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::accounts::SessionInfo;

use crate::api::{self, AuthApi};
use crate::auth::use_auth;
use crate::components::form::{FormAlert, FormError, FormNotice};
use crate::components::{AccountShell, ApiErrors, LocalTime};
use crate::i18n::{AccountMsg, AnyMsg, Msg, SettingsMsg, use_i18n};
use crate::routes::Page;

#[component]
pub fn SessionsPage() -> impl IntoView {
    view! {
        <AccountShell
            page=Page::AccountSessions
            title=SettingsMsg::SessionsTitle
            lead=SettingsMsg::SessionsLead
        >
            <SessionList />
        </AccountShell>
    }
}

/// What is being signed out.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Busy {
    Revoking(String),
    Everywhere,
}

#[component]
fn SessionList() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let sessions = LocalResource::new(move || {
        let api = AuthApi::new(i18n.lang_untracked());
        async move { auth.checked(api.list_sessions().await) }
    });
    let error = RwSignal::new(None);
    let notice = RwSignal::new(None::<AnyMsg>);
    let busy = RwSignal::new(None::<Busy>);

    let revoke = move |id: String| {
        if busy.with_untracked(Option::is_some) {
            return;
        }
        busy.set(Some(Busy::Revoking(id.clone())));
        error.set(None);
        notice.set(None);
        let api = AuthApi::new(i18n.lang_untracked());
        spawn_local(async move {
            let result = auth.checked(api.revoke_session(&id).await);
            busy.set(None);
            match result {
                Ok(()) => {
                    notice.set(Some(SettingsMsg::Revoked.into()));
                    sessions.refetch();
                }
                Err(err) => error.set(Some(FormError::Other(err))),
            }
        });
    };
    let sign_out_everywhere = move |_| {
        if busy.with_untracked(Option::is_some) {
            return;
        }
        busy.set(Some(Busy::Everywhere));
        error.set(None);
        notice.set(None);
        spawn_local(async move {
            let result = auth.sign_out(true).await;
            busy.set(None);
            if let Err(err) = result {
                error.set(Some(FormError::Other(err)));
            }
        });
    };

    let rows = move |list: Vec<SessionInfo>| {
        list.into_iter()
            .map(|session| view! { <SessionRow session=session busy=busy on_revoke=revoke /> })
            .collect_view()
    };

    view! {
        <FormAlert error=error testid="sessions-error" />
        <FormNotice notice=notice testid="sessions-notice" />
        <Transition fallback=move || view! { <p class="loading">{move || i18n.t(Msg::Loading)}</p> }>
            <ErrorBoundary fallback=|errors| view! { <ApiErrors errors=errors /> }>
                {move || Suspend::new(async move {
                    let list = sessions.await?;
                    Ok::<_, api::Error>(view! {
                        <ul class="sessions" data-testid="sessions-list">{rows(list)}</ul>
                    })
                })}
            </ErrorBoundary>
        </Transition>
        <div class="actions">
            <button
                type="button"
                class="button button--secondary"
                data-testid="sessions-logout-all"
                disabled=move || busy.with(Option::is_some)
                on:click=sign_out_everywhere
            >
                {move || {
                    i18n.t(if busy.with(|b| b == &Some(Busy::Everywhere)) {
                        AccountMsg::SigningOut
                    } else {
                        AccountMsg::LogoutAll
                    })
                }}
            </button>
        </div>
        <p class="hint">{move || i18n.t(AccountMsg::LogoutAllHint)}</p>
    }
}

#[component]
fn SessionRow(
    session: SessionInfo,
    busy: RwSignal<Option<Busy>>,
    on_revoke: impl Fn(String) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let SessionInfo {
        id,
        device,
        created_at,
        last_used_at,
        current,
    } = session;
    let title = device.clone().unwrap_or_default();
    let device_name = device.as_deref().map(describe_device);
    let name = move || {
        device_name
            .clone()
            .unwrap_or_else(|| i18n.t(SettingsMsg::UnknownDevice).to_owned())
    };
    let action = if current {
        view! {
            <span class="badge badge--ok" data-testid="session-current">
                {move || i18n.t(SettingsMsg::ThisDevice)}
            </span>
        }
        .into_any()
    } else {
        let revoking = {
            let id = id.clone();
            move || busy.with(|b| matches!(b, Some(Busy::Revoking(r)) if *r == id))
        };
        let label = {
            let revoking = revoking.clone();
            move || {
                i18n.t(if revoking() {
                    SettingsMsg::Revoking
                } else {
                    SettingsMsg::Revoke
                })
            }
        };
        view! {
            <button
                type="button"
                class="button button--secondary"
                data-testid="session-revoke"
                disabled=move || busy.with(Option::is_some)
                on:click=move |_| on_revoke(id.clone())
            >
                {label}
            </button>
        }
        .into_any()
    };
    view! {
        <li
            class="session card"
            data-testid="session-row"
            data-current=if current { "true" } else { "false" }
        >
            <div class="session__main">
                <p class="session__device" data-testid="session-device" title=title>
                    {name}
                </p>
                <dl class="session__times">
                    <dt>{move || i18n.t(SettingsMsg::SessionSignedIn)}</dt>
                    <dd>
                        <LocalTime rfc3339=created_at />
                    </dd>
                    <dt>{move || i18n.t(SettingsMsg::SessionLastUsed)}</dt>
                    <dd>
                        <LocalTime rfc3339=last_used_at />
                    </dd>
                </dl>
            </div>
            {action}
        </li>
    }
}

/// A short name for a browser's user agent, "Chrome · Windows"; the whole string when it names
/// no browser this knows.
pub fn describe_device(user_agent: &str) -> String {
    let ua = user_agent;
    // Order matters: Edge and Opera also say "Chrome", Chrome also says "Safari".
    let browser = [
        ("MicroMessenger", "WeChat"),
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("Firefox/", "Firefox"),
        ("HeadlessChrome/", "Headless Chrome"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
    ]
    .into_iter()
    .find(|(token, _)| ua.contains(token))
    .map(|(_, name)| name);
    let os = [
        ("Windows", "Windows"),
        ("Android", "Android"),
        ("iPhone", "iOS"),
        ("iPad", "iPadOS"),
        ("Mac OS X", "macOS"),
        ("CrOS", "ChromeOS"),
        ("Linux", "Linux"),
    ]
    .into_iter()
    .find(|(token, _)| ua.contains(token))
    .map(|(_, name)| name);
    match (browser, os) {
        (Some(browser), Some(os)) => format!("{browser} · {os}"),
        (Some(browser), None) => browser.to_owned(),
        _ => ua.chars().take(80).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::describe_device;

    #[test]
    fn user_agents_become_browser_and_system() {
        let chrome_windows = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 \
            (KHTML, like Gecko) Chrome/124.0 Safari/537.36";
        assert_eq!(describe_device(chrome_windows), "Chrome · Windows");
        let edge = "Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 Chrome/124.0 \
            Safari/537.36 Edg/124.0";
        assert_eq!(describe_device(edge), "Edge · Windows");
        let safari_iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) \
            AppleWebKit/605.1.15 Version/17.4 Mobile/15E148 Safari/604.1";
        assert_eq!(describe_device(safari_iphone), "Safari · iOS");
        let wechat = "Mozilla/5.0 (Linux; Android 14) Chrome/120 Mobile Safari/537.36 \
            MicroMessenger/8.0";
        assert_eq!(describe_device(wechat), "WeChat · Android");
        assert_eq!(describe_device("curl/8.5.0"), "curl/8.5.0");
    }
}
