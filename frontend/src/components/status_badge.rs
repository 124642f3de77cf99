//! A green or red badge for a [`CheckStatus`], with its localised label beside it.

use leptos::prelude::*;
use shared::CheckStatus;

use crate::i18n::{Msg, use_i18n};

/// The status as it appears on the wire; tests and operators read this exact text.
pub fn wire_name(status: CheckStatus) -> &'static str {
    match status {
        CheckStatus::Ok => "ok",
        CheckStatus::Failing => "failing",
    }
}

#[component]
pub fn StatusBadge(
    status: CheckStatus,
    /// Put on the badge itself, whose text is exactly the wire value.
    #[prop(optional)]
    testid: Option<&'static str>,
) -> impl IntoView {
    let i18n = use_i18n();
    let (class, label) = match status {
        CheckStatus::Ok => ("badge badge--ok", Msg::StatusOk),
        CheckStatus::Failing => ("badge badge--failing", Msg::StatusFailing),
    };
    view! {
        <span class="status">
            <span class=class data-testid=testid>
                {wire_name(status)}
            </span>
            <span class="status__label">{move || i18n.t(label)}</span>
        </span>
    }
}
