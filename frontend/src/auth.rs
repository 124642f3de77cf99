//! Who is signed in, shared through context: checked once at start with `GET /api/auth/me`,
//! then updated by sign-in, registration and sign-out.
//!
//! When a session ends without the user asking (the refresh token was rejected), the app goes
//! to the login page, which brings the user back afterwards.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_location, use_navigate};
use shared::ErrorCode;
use shared::accounts::MeResponse;

use crate::api::{self, AuthApi};
use crate::i18n::{AccountMsg, I18n, use_i18n};
use crate::routes::{Page, login_then};

/// What the SPA knows about the session.
#[derive(Debug, Clone, PartialEq)]
pub enum Session {
    /// `GET /api/auth/me` has not answered yet.
    Checking,
    SignedOut,
    SignedIn(MeResponse),
    /// The check failed (network, server error), so it is not known whether anyone is signed
    /// in. Pages that need a session show the error and offer a retry.
    Unknown(api::Error),
}

/// Why the user was signed out, told on the login page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignedOutNotice {
    SignedOut,
    SignedOutEverywhere,
    SessionExpired,
}

impl SignedOutNotice {
    pub fn msg(self) -> AccountMsg {
        match self {
            SignedOutNotice::SignedOut => AccountMsg::NoticeSignedOut,
            SignedOutNotice::SignedOutEverywhere => AccountMsg::NoticeSignedOutEverywhere,
            SignedOutNotice::SessionExpired => AccountMsg::NoticeSessionExpired,
        }
    }
}

/// The router's navigation, kept where a `Copy` context can reach it.
type Navigate = Box<dyn Fn(&str)>;

/// The session context provided by [`provide_auth`].
#[derive(Clone, Copy)]
pub struct Auth {
    session: RwSignal<Session>,
    notice: RwSignal<Option<SignedOutNotice>>,
    i18n: I18n,
    /// The current path and query, to come back to after signing in again.
    here: Memo<String>,
    navigate: StoredValue<Navigate, LocalStorage>,
}

impl Auth {
    /// The session (tracked).
    pub fn session(&self) -> Session {
        self.session.get()
    }

    /// The signed-in account, if any (tracked).
    pub fn user(&self) -> Option<MeResponse> {
        self.session.with(|session| match session {
            Session::SignedIn(me) => Some(me.clone()),
            _ => None,
        })
    }

    /// Why the user was last signed out, if that happened in this visit (tracked).
    pub fn notice(&self) -> Option<SignedOutNotice> {
        self.notice.get()
    }

    /// Asks the server who is signed in.
    pub fn check(self) {
        self.session.set(Session::Checking);
        let api = AuthApi::new(self.i18n.lang_untracked());
        spawn_local(async move {
            let result = api.me().await;
            // A sign-in that finished meanwhile knows better than this older answer.
            if self
                .session
                .with_untracked(|s| !matches!(s, Session::Checking))
            {
                return;
            }
            self.session.set(match result {
                Ok(Some(me)) => Session::SignedIn(me),
                Ok(None) => Session::SignedOut,
                Err(err) => Session::Unknown(err),
            });
        });
    }

    /// A sign-in or registration succeeded with this account.
    pub fn signed_in(&self, me: MeResponse) {
        self.notice.set(None);
        self.session.set(Session::SignedIn(me));
    }

    /// The signed-in account changed (its organisation's name, a new contact): update what the
    /// app shows without asking the server again.
    pub fn update_user(&self, change: impl FnOnce(&mut MeResponse)) {
        self.session.update(|session| {
            if let Session::SignedIn(me) = session {
                change(me);
            }
        });
    }

    /// Passes the result of a signed-in call through; when it failed because the session has
    /// ended and could not be renewed, the user is sent to sign in again (and brought back).
    pub fn checked<T>(&self, result: Result<T, api::Error>) -> Result<T, api::Error> {
        if let Err(err) = &result
            && err.code() == Some(ErrorCode::Unauthorized)
        {
            self.expire();
        }
        result
    }

    /// Signs out of this session, or of every session of the account, then goes to the login
    /// page. A session that has already ended is treated as [`Auth::expire`] does.
    pub async fn sign_out(self, everywhere: bool) -> Result<(), api::Error> {
        let api = AuthApi::new(self.i18n.lang_untracked());
        let result = if everywhere {
            api.logout_all().await
        } else {
            api.logout().await
        };
        match result {
            Ok(()) => {
                let notice = if everywhere {
                    SignedOutNotice::SignedOutEverywhere
                } else {
                    SignedOutNotice::SignedOut
                };
                self.end(notice, Page::Login.path());
                Ok(())
            }
            Err(err) if err.is_unauthorized() => {
                self.expire();
                Ok(())
            }
            Err(err) => Err(err),
        }
    }

    /// The session ended without the user asking (the server refused to renew it): go to the
    /// login page, which returns here afterwards.
    pub fn expire(&self) {
        let back_to = login_then(&self.here.get_untracked());
        self.end(SignedOutNotice::SessionExpired, &back_to);
    }

    fn end(&self, notice: SignedOutNotice, go_to: &str) {
        self.notice.set(Some(notice));
        self.session.set(Session::SignedOut);
        self.navigate.with_value(|navigate| navigate(go_to));
    }
}

/// Puts the session into context and starts checking it. Call inside the `<Router>`.
pub fn provide_auth() -> Auth {
    let navigate = use_navigate();
    let location = use_location();
    let here = Memo::new(move |_| {
        let path = location.pathname.get();
        let search = location.search.get();
        if search.is_empty() {
            path
        } else {
            format!("{path}?{search}")
        }
    });
    let navigate: Navigate = Box::new(move |path: &str| navigate(path, NavigateOptions::default()));
    let auth = Auth {
        session: RwSignal::new(Session::Checking),
        notice: RwSignal::new(None),
        i18n: use_i18n(),
        here,
        navigate: StoredValue::new_local(navigate),
    };
    provide_context(auth);
    auth.check();
    auth
}

/// The session context provided by [`provide_auth`].
pub fn use_auth() -> Auth {
    expect_context::<Auth>()
}

/// Whether a role may manage the organisation (its information, logo and audit log); the server
/// decides the same way and answers 403 otherwise.
pub fn can_manage_org(role: &str) -> bool {
    matches!(role, "owner" | "admin")
}

#[cfg(test)]
mod tests {
    use super::can_manage_org;

    #[test]
    fn owners_and_admins_manage_the_organisation() {
        assert!(can_manage_org("owner"));
        assert!(can_manage_org("admin"));
        assert!(!can_manage_org("grader"));
        assert!(!can_manage_org(""));
    }
}
