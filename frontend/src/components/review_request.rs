//! The score sheet's "Send for review" on an automatically graded answer: a small dialog asking
//! for the reason, then the row shows "In review". Only for users who may change exams (the
//! permission the API asks, `exams:write`).

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::grading::MAX_REVIEW_REASON_CHARS;
use shared::results::ReviewState;

use crate::api::ResultsApi;
use crate::auth::use_auth;
use crate::components::console_gate::report_error;
use crate::components::form::{FormAlert, FormError};
use crate::i18n::{ResultsMsg, use_i18n};

/// What one question of the score sheet is.
#[derive(Debug, Clone)]
pub struct ReviewTarget {
    pub exam_id: String,
    pub attempt_id: String,
    pub question_id: String,
}

/// The reason as typed, trimmed and checked as the server checks it.
pub fn checked_reason(text: &str) -> Result<String, ResultsMsg> {
    let reason = text.trim();
    match reason.chars().count() {
        0 => Err(ResultsMsg::ReviewReasonRequired),
        n if n > MAX_REVIEW_REASON_CHARS => Err(ResultsMsg::ReviewReasonTooLong),
        _ => Ok(reason.to_owned()),
    }
}

/// The row's review state (`In review`, `Reviewed by a grader`) and, where the answer may be
/// sent (`can_send`), the button with its dialog.
#[component]
pub fn ReviewAction(
    target: ReviewTarget,
    review: Option<ReviewState>,
    can_send: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let state = RwSignal::new(review);
    let open = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let invalid = RwSignal::new(None::<ResultsMsg>);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<FormError>);
    let target = StoredValue::new(target);
    let send = move |_| {
        let text = match checked_reason(&reason.get_untracked()) {
            Ok(text) => text,
            Err(msg) => {
                invalid.set(Some(msg));
                return;
            }
        };
        invalid.set(None);
        error.set(None);
        busy.set(true);
        let api = ResultsApi::new(i18n.lang_untracked());
        let t = target.get_value();
        spawn_local(async move {
            let sent = api
                .request_review(&t.exam_id, &t.attempt_id, &t.question_id, &text)
                .await;
            busy.set(false);
            match sent {
                Ok(_) => {
                    state.set(Some(ReviewState::InReview));
                    open.set(false);
                }
                Err(err) => report_error(auth, err, error),
            }
        });
    };
    let badge = move || {
        state.get().map(|s| {
            let (msg, class, testid) = match s {
                ReviewState::InReview => (
                    ResultsMsg::InReview,
                    "badge badge--pending",
                    "sheet-in-review",
                ),
                ReviewState::Reviewed => {
                    (ResultsMsg::Reviewed, "badge badge--ok", "sheet-reviewed")
                }
            };
            view! { <span class=class data-testid=testid>{move || i18n.t(msg)}</span> }
        })
    };
    let can_open = move || can_send && state.get().is_none() && !open.get();
    view! {
        {badge}
        <Show when=can_open>
            <button
                type="button"
                class="button button--secondary"
                data-testid="sheet-send-review"
                on:click=move |_| open.set(true)
            >
                {move || i18n.t(ResultsMsg::SendForReview)}
            </button>
        </Show>
        <Show when=move || open.get()>
            <div class="dialog card" role="dialog" aria-labelledby="review-title" data-testid="review-dialog">
                <h3 class="card__title" id="review-title">{move || i18n.t(ResultsMsg::ReviewTitle)}</h3>
                <p class="field__hint">{move || i18n.t(ResultsMsg::ReviewHint)}</p>
                <label class="field">
                    <span class="field__label">{move || i18n.t(ResultsMsg::ReviewReason)}</span>
                    <textarea class="input" rows="3" maxlength=MAX_REVIEW_REASON_CHARS
                        data-testid="review-reason"
                        prop:value=move || reason.get()
                        on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
                </label>
                {move || invalid.get().map(|msg| view! {
                    <p class="field__error" data-testid="review-reason-error">{move || i18n.t(msg)}</p>
                })}
                <FormAlert error=error testid="review-error" />
                <div class="actions">
                    <button type="button" class="button" data-testid="review-send"
                        disabled=move || busy.get() on:click=send>
                        {move || i18n.t(ResultsMsg::ReviewSend)}
                    </button>
                    <button type="button" class="button button--secondary" data-testid="review-cancel"
                        disabled=move || busy.get() on:click=move |_| open.set(false)>
                        {move || i18n.t(ResultsMsg::ReviewCancel)}
                    </button>
                </div>
            </div>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reason_is_required_trimmed_and_at_most_500_characters() {
        assert_eq!(checked_reason("  复核 "), Ok("复核".to_owned()));
        assert_eq!(checked_reason("   "), Err(ResultsMsg::ReviewReasonRequired));
        assert_eq!(
            checked_reason(&"长".repeat(500)).map(|r| r.chars().count()),
            Ok(500)
        );
        assert_eq!(
            checked_reason(&"长".repeat(501)),
            Err(ResultsMsg::ReviewReasonTooLong)
        );
    }
}
