//! Requesting a one-time code: the send button with its cooldown countdown, and the notice
//! that a code was sent.
//!
//! The cooldown belongs to the destination it was started for: after fixing a mistyped
//! address the user need not wait (the server limits each destination separately).
//!
//! Codes for registering, signing in and recovering a password are requested without a session;
//! a code to bind a new address to the account is requested by the signed-in user.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::{ErrorCode, Lang};
use web_sys::js_sys::Date;

use crate::auth::use_auth;
use crate::components::code_target::CodeTarget;
use crate::components::form::{FieldErrors, FormError, report};
use crate::i18n::{AccountMsg, code_sent_text, cooldown_text, use_i18n};

/// How often the countdown looks at the clock; under a second so it never shows a stale value
/// for long. The remaining time is computed from the clock, not by counting ticks, so a
/// throttled background tab still shows the right value.
const TICK: Duration = Duration::from_millis(250);

/// The wait when the server says "too many" without saying for how long.
const DEFAULT_WAIT_SECONDS: u64 = 60;

#[derive(Debug, Clone, PartialEq)]
struct Sent {
    destination: String,
    valid_for_seconds: u64,
}

#[derive(Debug, Clone, PartialEq)]
struct Cooldown {
    destination: String,
    until_ms: f64,
}

/// The state of requesting codes for one form's destination field.
#[derive(Clone, Copy)]
pub struct CodeSender {
    target: StoredValue<CodeTarget>,
    destination: RwSignal<String>,
    errors: FieldErrors,
    form_error: RwSignal<Option<FormError>>,
    sending: RwSignal<bool>,
    sent: RwSignal<Option<Sent>>,
    cooldown: RwSignal<Option<Cooldown>>,
    now_ms: RwSignal<f64>,
}

impl CodeSender {
    /// Codes for `target` (a console purpose or a portal), sent to the value of `destination`;
    /// failures show on the form's `errors` and `form_error`. Call in the form's component: the
    /// clock stops with it.
    pub fn new(
        target: impl Into<CodeTarget>,
        destination: RwSignal<String>,
        errors: FieldErrors,
        form_error: RwSignal<Option<FormError>>,
    ) -> Self {
        let sender = CodeSender {
            target: StoredValue::new(target.into()),
            destination,
            errors,
            form_error,
            sending: RwSignal::new(false),
            sent: RwSignal::new(None),
            cooldown: RwSignal::new(None),
            now_ms: RwSignal::new(Date::now()),
        };
        let tick = move || {
            if sender.cooldown.with_untracked(Option::is_some) {
                sender.now_ms.set(Date::now());
            }
        };
        // Without a timer the countdown would only stand still; the button still works.
        if let Ok(handle) = set_interval_with_handle(tick, TICK) {
            on_cleanup(move || handle.clear());
        }
        sender
    }

    /// Codes to bind the value of `destination` to the signed-in account.
    pub fn for_binding(
        destination: RwSignal<String>,
        errors: FieldErrors,
        form_error: RwSignal<Option<FormError>>,
    ) -> Self {
        Self::new(
            CodeTarget::Bind(use_auth()),
            destination,
            errors,
            form_error,
        )
    }

    /// Seconds before a code may be requested for the destination now typed (tracked).
    fn wait(&self) -> u64 {
        let destination = self.destination.with(|d| d.trim().to_owned());
        let now_ms = self.now_ms.get();
        self.cooldown.with(|cooldown| match cooldown {
            Some(c) if c.destination == destination => remaining_seconds(c.until_ms, now_ms),
            _ => 0,
        })
    }

    fn start_cooldown(&self, destination: String, seconds: u64) {
        let now_ms = Date::now();
        self.now_ms.set(now_ms);
        self.cooldown.set(Some(Cooldown {
            destination,
            until_ms: now_ms + seconds as f64 * 1000.0,
        }));
    }

    /// Requests a code for the destination now typed.
    pub fn send(self, lang: Lang) {
        if self.sending.get_untracked() || self.wait_untracked() > 0 {
            return;
        }
        let destination = self.destination.get_untracked().trim().to_owned();
        self.errors.clear_fields(&["destination", "identifier"]);
        self.form_error.set(None);
        if destination.is_empty() {
            self.errors.add("destination", "required");
            return;
        }
        self.sending.set(true);
        let target = self.target.get_value();
        spawn_local(async move {
            let result = target.send(lang, destination.clone()).await;
            self.sending.set(false);
            match result {
                Ok(answer) => {
                    self.sent.set(Some(Sent {
                        destination: destination.clone(),
                        valid_for_seconds: answer.expires_in_seconds.into(),
                    }));
                    self.start_cooldown(destination, answer.cooldown_seconds.into());
                }
                Err(err) => {
                    if err.code() == Some(ErrorCode::RateLimited) {
                        let wait = err.retry_after().unwrap_or(DEFAULT_WAIT_SECONDS);
                        self.start_cooldown(destination, wait);
                    }
                    // Only binding says that an address is taken (by another account).
                    if err.code() == Some(ErrorCode::Conflict) {
                        self.errors.add("destination", "taken");
                        self.form_error.set(Some(FormError::CheckFields));
                        return;
                    }
                    report(err, &["destination"], self.errors, self.form_error, |_| {
                        None
                    });
                }
            }
        });
    }

    fn wait_untracked(&self) -> u64 {
        untrack(|| self.wait())
    }
}

/// Whole seconds left until `until_ms`, rounded up; 0 once it has passed.
pub(crate) fn remaining_seconds(until_ms: f64, now_ms: f64) -> u64 {
    let left = ((until_ms - now_ms) / 1000.0).ceil();
    if left > 0.0 { left as u64 } else { 0 }
}

/// A code as typed, made into what the API expects: full-width digits (from a Chinese input
/// method) become ASCII, and spaces or dashes pasted from a message are dropped.
pub fn normalise_code(input: &str) -> String {
    input
        .chars()
        .filter_map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
            c if c.is_whitespace() || c == '-' => None,
            c => Some(c),
        })
        .collect()
}

/// The send-code button; during the cooldown it is disabled and counts down.
#[component]
pub fn SendCodeButton(sender: CodeSender, testid: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let wait = Memo::new(move |_| sender.wait());
    let label = move || {
        let lang = i18n.lang();
        let seconds = wait.get();
        if seconds > 0 {
            view! { <span data-testid="cooldown">{cooldown_text(seconds, lang)}</span> }.into_any()
        } else {
            let msg = if sender.sending.get() {
                AccountMsg::SendingCode
            } else if sender.sent.with(Option::is_some) {
                AccountMsg::SendCodeAgain
            } else {
                AccountMsg::SendCode
            };
            msg.text(lang).into_any()
        }
    };
    let disabled = move || sender.sending.get() || wait.get() > 0;
    view! {
        <button
            type="button"
            class="button button--secondary field__action"
            data-testid=testid
            disabled=disabled
            on:click=move |_| sender.send(i18n.lang_untracked())
        >
            {label}
        </button>
    }
}

/// "Code sent to …", announced politely once a code is on its way.
#[component]
pub fn CodeSentNotice(sender: CodeSender) -> impl IntoView {
    let i18n = use_i18n();
    let notice = move || {
        let lang = i18n.lang();
        sender.sent.get().map(|sent| {
            view! {
                <p class="notice" data-testid="code-sent">
                    {code_sent_text(&sent.destination, sent.valid_for_seconds, lang)}
                </p>
            }
        })
    };
    view! {
        <div class="code-status" role="status">
            {notice}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::{normalise_code, remaining_seconds};

    #[test]
    fn the_countdown_rounds_up_and_stops_at_zero() {
        assert_eq!(remaining_seconds(60_000.0, 0.0), 60);
        assert_eq!(remaining_seconds(60_000.0, 0.5), 60);
        assert_eq!(remaining_seconds(60_000.0, 59_001.0), 1);
        assert_eq!(remaining_seconds(60_000.0, 60_000.0), 0);
        assert_eq!(remaining_seconds(60_000.0, 90_000.0), 0);
    }

    #[test]
    fn codes_are_normalised_to_ascii_digits() {
        assert_eq!(normalise_code("123456"), "123456");
        assert_eq!(normalise_code(" 123 456 "), "123456");
        assert_eq!(normalise_code("123-456"), "123456");
        assert_eq!(normalise_code("１２３４５６"), "123456");
        // Anything else is left for the server to reject with a proper reason.
        assert_eq!(normalise_code("12a456"), "12a456");
    }
}
