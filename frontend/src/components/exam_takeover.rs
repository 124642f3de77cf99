//! Taking over an attempt that is active on another device: resuming it here stops the other
//! device from saving (single-device exams answer only the session that last resumed).

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::ExamsApi;
use crate::components::form::{FormAlert, FormError};
use crate::i18n::{ExamMsg, use_i18n};

/// The attempt is active on another device: taking it over here (by resuming it) stops the
/// other device from saving.
#[component]
pub fn TakeOver(
    attempt_id: String,
    on_done: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let working = RwSignal::new(false);
    let error = RwSignal::new(None::<FormError>);
    let take_over = move |_| {
        if working.get_untracked() {
            return;
        }
        working.set(true);
        error.set(None);
        let api = ExamsApi::new(i18n.lang_untracked());
        let attempt_id = attempt_id.clone();
        spawn_local(async move {
            // Resuming the attempt's exam takes the attempt over for this session.
            let exam = api.list().await.map(|list| {
                list.into_iter()
                    .find(|e| e.attempts.iter().any(|a| a.id == attempt_id))
                    .map(|e| e.id)
            });
            let result = match exam {
                Ok(Some(exam_id)) => api.start(&exam_id).await.map(|_| ()),
                Ok(None) => Ok(()),
                Err(err) => Err(err),
            };
            working.set(false);
            match result {
                Ok(()) => on_done(),
                Err(err) => error.set(Some(FormError::Other(err))),
            }
        });
    };
    view! {
        <section class="card" data-testid="exam-elsewhere">
            <p class="notice notice--info">{move || i18n.t(ExamMsg::AnotherDevice)}</p>
            <FormAlert error=error testid="takeover-error" />
            <p class="actions">
                <button type="button" class="button" data-testid="exam-continue-here" disabled=working on:click=take_over>
                    {move || i18n.t(ExamMsg::ContinueHere)}
                </button>
            </p>
        </section>
    }
}
