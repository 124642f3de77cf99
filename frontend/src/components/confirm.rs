//! An inline confirmation for a destructive action: the question and two buttons, in place of
//! the button that asked.

use leptos::prelude::*;

use crate::i18n::{ConsoleMsg, Text, use_i18n};

/// "Are you sure?" with confirm (`confirm-yes`) and cancel (`confirm-no`) buttons.
#[component]
pub fn Confirm<L, Q, D, Y, N>(
    /// The question, in the current language.
    question: Q,
    /// What the consequences are.
    detail: D,
    /// The confirm button's label.
    confirm_label: L,
    /// Whether the action is under way (the buttons are disabled meanwhile).
    #[prop(into)]
    busy: Signal<bool>,
    on_yes: Y,
    on_no: N,
) -> impl IntoView
where
    L: Text + Send + Sync + 'static,
    Q: Fn() -> String + Send + Sync + 'static,
    D: Fn() -> &'static str + Send + Sync + 'static,
    Y: Fn() + 'static,
    N: Fn() + 'static,
{
    let i18n = use_i18n();
    view! {
        <div class="confirm" role="alertdialog" aria-live="assertive" data-testid="confirm">
            <p class="confirm__question">{question}</p>
            <p class="confirm__detail">{detail}</p>
            <div class="confirm__actions">
                <button
                    type="button"
                    class="button button--danger"
                    data-testid="confirm-yes"
                    disabled=busy
                    on:click=move |_| on_yes()
                >
                    {move || i18n.t(confirm_label)}
                </button>
                <button
                    type="button"
                    class="button button--secondary"
                    data-testid="confirm-no"
                    disabled=busy
                    on:click=move |_| on_no()
                >
                    {move || i18n.t(ConsoleMsg::Cancel)}
                </button>
            </div>
        </div>
    }
}
