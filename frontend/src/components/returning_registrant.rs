//! A person who registers for an exam they registered for before proves it is them: the
//! panel offering a code to the contact they registered (masked, as the server named it) and
//! the resume token input; and, after a first registration, the panel showing the resume
//! token to keep. The token is also kept in localStorage under `examcloud.resume.<exam>`, so
//! the same browser fills it in — but never sends it unasked (a shared computer's next
//! person must not become the previous one).

use std::time::Duration;

use leptos::prelude::*;
use shared::exams::RegistrationExists;

use crate::api;
use crate::i18n::{
    ExamMsg, code_sent_text, registration_reason_msg, send_resume_code_text, use_i18n,
};

/// The localStorage key of an exam's resume token.
fn storage_key(exam: &str) -> String {
    format!("examcloud.resume.{exam}")
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The resume token this browser kept for `exam`, if any.
pub fn stored_token(exam: &str) -> Option<String> {
    local_storage()?.get_item(&storage_key(exam)).ok().flatten()
}

/// Keeps the resume token for `exam` (a browser that refuses storage only loses the
/// convenience: the token is still shown to be written down).
pub fn store_token(exam: &str, token: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.set_item(&storage_key(exam), token);
    }
}

/// What the returning registrant's proof is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProofKind {
    Code,
    Token,
}

/// The state of a returning registrant's proof, shared with the registration form.
#[derive(Clone, Copy)]
pub struct ProofInputs {
    pub code: RwSignal<String>,
    pub token: RwSignal<String>,
    /// Field errors on `code` / `resume_token` from the server.
    pub errors: RwSignal<Vec<api::FieldError>>,
    /// Seconds a sent code is valid, once one was sent.
    pub sent: RwSignal<Option<u64>>,
    /// A code may be requested (false while one is being sent and during the cooldown).
    pub can_send: RwSignal<bool>,
}

impl ProofInputs {
    pub fn new(exam: &str) -> Self {
        ProofInputs {
            code: RwSignal::new(String::new()),
            token: RwSignal::new(stored_token(exam).unwrap_or_default()),
            errors: RwSignal::new(Vec::new()),
            sent: RwSignal::new(None),
            can_send: RwSignal::new(true),
        }
    }

    /// After a failed request: the button back after `wait` seconds (at once when 0).
    pub fn code_sent_failed(self, wait: u64) {
        if wait == 0 {
            self.can_send.set(true);
        } else {
            set_timeout(move || self.can_send.set(true), Duration::from_secs(wait));
        }
    }

    /// After a code was sent: the notice, and the button back after `cooldown` seconds.
    pub fn code_sent(self, valid_for: u64, cooldown: u64) {
        self.sent.set(Some(valid_for));
        set_timeout(
            move || self.can_send.set(true),
            Duration::from_secs(cooldown),
        );
    }
}

/// "You registered before": send a code to the masked contact and type it, or type the resume
/// token. `on_send` requests the code; `on_prove` resubmits the form with the proof.
#[component]
pub fn ReturningPanel(
    exists: RegistrationExists,
    inputs: ProofInputs,
    busy: RwSignal<bool>,
    on_send: impl Fn() + Send + Sync + 'static,
    on_prove: impl Fn(ProofKind) + Send + Sync + Copy + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let error_of = move |field: &'static str| {
        move || {
            inputs.errors.with(|errors| {
                errors.iter().find(|e| e.field == field).map(|e| {
                    let msg = registration_reason_msg(&e.reason);
                    view! {
                        <p class="field__error" role="alert" data-testid=format!("field-error-{field}") data-reason=e.reason.clone()>
                            {move || i18n.t(msg)}
                        </p>
                    }
                })
            })
        }
    };
    let code_part = match exists.contact_hint.clone().filter(|_| exists.can_send_code) {
        Some(hint) => {
            let label = {
                let hint = hint.clone();
                move || send_resume_code_text(&hint, i18n.lang())
            };
            let sent_notice = move || {
                inputs.sent.get().map(|valid_for| {
                    view! {
                        <p class="notice" role="status" data-testid="resume-code-sent">
                            {code_sent_text(&hint, valid_for, i18n.lang())}
                        </p>
                    }
                })
            };
            view! {
                <button
                    type="button"
                    class="button button--secondary button--block"
                    data-testid="resume-send-code"
                    disabled=move || !inputs.can_send.get() || busy.get()
                    on:click=move |_| on_send()
                >
                    {label}
                </button>
                {sent_notice}
                <div class="field">
                    <label class="field__label" for="resume-code">{move || i18n.t(ExamMsg::ResumeCodeLabel)}</label>
                    <input
                        id="resume-code"
                        class="input"
                        inputmode="numeric"
                        autocomplete="one-time-code"
                        maxlength=12
                        data-testid="resume-code"
                        prop:value=move || inputs.code.get()
                        on:input=move |ev| inputs.code.set(event_target_value(&ev))
                    />
                    {error_of("code")}
                </div>
                <button
                    type="button"
                    class="button button--block"
                    data-testid="resume-code-submit"
                    disabled=move || busy.get() || inputs.code.with(|c| c.trim().is_empty())
                    on:click=move |_| on_prove(ProofKind::Code)
                >
                    {move || i18n.t(ExamMsg::ResumeCodeSubmit)}
                </button>
            }
            .into_any()
        }
        None => view! {
            <p class="hint" data-testid="resume-no-contact">{move || i18n.t(ExamMsg::ReturningNoContact)}</p>
        }
        .into_any(),
    };
    view! {
        <div class="returning" data-testid="returning-panel">
            <h3 class="section-title">{move || i18n.t(ExamMsg::ReturningTitle)}</h3>
            <p class="hint">{move || i18n.t(ExamMsg::ReturningLead)}</p>
            {code_part}
            <div class="field">
                <label class="field__label" for="resume-token">{move || i18n.t(ExamMsg::ResumeTokenLabel)}</label>
                <input
                    id="resume-token"
                    class="input input--mono"
                    autocomplete="off"
                    spellcheck="false"
                    maxlength=48
                    data-testid="resume-token-input"
                    prop:value=move || inputs.token.get()
                    on:input=move |ev| inputs.token.set(event_target_value(&ev))
                />
                {error_of("resume_token")}
            </div>
            <button
                type="button"
                class="button button--secondary button--block"
                data-testid="resume-token-submit"
                disabled=move || busy.get() || inputs.token.with(|t| t.trim().is_empty())
                on:click=move |_| on_prove(ProofKind::Token)
            >
                {move || i18n.t(ExamMsg::ResumeTokenSubmit)}
            </button>
        </div>
    }
}

/// After a first registration: the resume token to keep, then on to the exam.
#[component]
pub fn ResumeTokenPanel(token: String, on_continue: impl Fn() + 'static) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="card" data-testid="resume-token-panel">
            <h2 class="section-title">{move || i18n.t(ExamMsg::TokenTitle)}</h2>
            <p class="hint">{move || i18n.t(ExamMsg::TokenLead)}</p>
            <p class="resume-token" data-testid="resume-token">{token}</p>
            <button
                type="button"
                class="button button--block"
                data-testid="resume-token-continue"
                on:click=move |_| on_continue()
            >
                {move || i18n.t(ExamMsg::TokenContinue)}
            </button>
        </div>
    }
}
