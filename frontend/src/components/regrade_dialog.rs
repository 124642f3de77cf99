//! The question editor's offer to re-grade, shown after a question that finished attempts
//! used is saved: the preview (the exams, and each attempt whose result changes, before →
//! after), the confirmation that starts the run, and the run followed until it is done with
//! the changes it made.
//!
//! `<RegradeOffer question_id=id />` (only for users who may change exams).

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::regrade::{RegradeDifference, RegradePreview, RegradeRun, RegradeScore, RegradeStatus};

use crate::api::{self, RegradeApi};
use crate::auth::{Auth, use_auth};
use crate::components::ApiErrors;
use crate::components::console_gate::report_error;
use crate::components::form::{FormAlert, FormError};
use crate::i18n::{RegradeMsg, regrade_count_text, use_i18n};

/// How often a started run is read again.
const POLL_MS: u64 = 1000;

/// The offer: a button when finished attempts used the question, opening the dialog.
#[component]
pub fn RegradeOffer(question_id: String) -> impl IntoView {
    let i18n = use_i18n();
    let id = StoredValue::new(question_id);
    let open = RwSignal::new(false);
    let preview = LocalResource::new(move || {
        let api = RegradeApi::new(i18n.lang_untracked());
        let id = id.get_value();
        async move { api.preview(&id).await }
    });
    view! {
        <Transition fallback=|| ()>
            <ErrorBoundary fallback=|errors| view! { <ApiErrors errors=errors /> }>
                {move || Suspend::new(async move {
                    let preview = preview.await?;
                    let used = preview.examined > 0;
                    Ok::<_, api::Error>(used.then(|| view! {
                        <section class="card" data-testid="regrade-offer">
                            <p class="field__hint">{move || i18n.t(RegradeMsg::OfferHint)}</p>
                            <button
                                type="button"
                                class="button button--secondary"
                                data-testid="regrade-open"
                                on:click=move |_| open.set(true)
                            >
                                {move || i18n.t(RegradeMsg::Offer)}
                            </button>
                            <Show when=move || open.get()>
                                <RegradeDialog
                                    question_id=id.get_value()
                                    preview=preview.clone()
                                    on_close=Callback::new(move |()| open.set(false))
                                />
                            </Show>
                        </section>
                    }))
                })}
            </ErrorBoundary>
        </Transition>
    }
}

/// Reads the run until it is done; the latest answer is in `run`.
fn poll(
    auth: Auth,
    api: RegradeApi,
    id: String,
    run: RwSignal<Option<RegradeRun>>,
    error: RwSignal<Option<FormError>>,
) {
    spawn_local(async move {
        match api.run(&id).await {
            Ok(answer) => {
                let done = answer.status.is_finished();
                run.set(Some(answer));
                if !done {
                    set_timeout(
                        move || poll(auth, api, id, run, error),
                        std::time::Duration::from_millis(POLL_MS),
                    );
                }
            }
            Err(err) => report_error(auth, err, error),
        }
    });
}

#[component]
fn RegradeDialog(
    question_id: String,
    preview: RegradePreview,
    /// Called by the close button.
    on_close: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let id = StoredValue::new(question_id);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<FormError>);
    let run = RwSignal::new(None::<RegradeRun>);
    let confirm = move |_| {
        let api = RegradeApi::new(i18n.lang_untracked());
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            match api.start(&id.get_value()).await {
                Ok(accepted) => poll(auth, api, accepted.id, run, error),
                Err(err) => {
                    busy.set(false);
                    report_error(auth, err, error);
                }
            }
        });
    };
    let nothing = preview.changed == 0;
    let exams = preview
        .exams
        .iter()
        .map(|e| {
            view! {
                <tr data-testid="regrade-exam">
                    <td>{e.name.clone()}</td>
                    <td>{e.attempts}</td>
                    <td>{e.changed}</td>
                </tr>
            }
        })
        .collect_view();
    let counts = regrade_count_text(preview.changed, preview.examined, i18n.lang_untracked());
    let status = move || {
        run.with(|r| {
            r.as_ref().map(|r| {
                let msg = match r.status {
                    RegradeStatus::Queued => RegradeMsg::Queued,
                    RegradeStatus::Running => RegradeMsg::Running,
                    RegradeStatus::Done => RegradeMsg::Done,
                    RegradeStatus::Failed => RegradeMsg::RunFailed,
                };
                let text = format!(
                    "{} {}",
                    i18n.t(msg),
                    regrade_count_text(r.changed, r.examined, i18n.lang())
                );
                view! { <p class="notice" role="status" data-testid="regrade-status">{text}</p> }
            })
        })
    };
    // Before the run: what would change; once it is done: what it changed.
    let differences = move || match run.get() {
        Some(r) if r.status.is_finished() => differences_table(r.differences),
        Some(_) => ().into_any(),
        None => differences_table(preview.differences.clone()),
    };
    view! {
        <div class="dialog dialog--wide card" role="dialog" aria-labelledby="regrade-title" data-testid="regrade-dialog">
            <h2 class="card__title" id="regrade-title">{move || i18n.t(RegradeMsg::Title)}</h2>
            <p data-testid="regrade-counts">{counts}</p>
            <table class="table">
                <thead>
                    <tr>
                        <th>{move || i18n.t(RegradeMsg::Exam)}</th>
                        <th>{move || i18n.t(RegradeMsg::Attempts)}</th>
                        <th>{move || i18n.t(RegradeMsg::Changes)}</th>
                    </tr>
                </thead>
                <tbody>{exams}</tbody>
            </table>
            {nothing.then(|| view! { <p>{move || i18n.t(RegradeMsg::NothingChanges)}</p> })}
            {preview.truncated.then(|| view! { <p class="field__hint">{move || i18n.t(RegradeMsg::Truncated)}</p> })}
            {differences}
            {status}
            <FormAlert error=error testid="regrade-error" />
            <div class="actions">
                <button
                    type="button"
                    class="button"
                    data-testid="regrade-confirm"
                    disabled=move || busy.get() || nothing
                    on:click=confirm
                >
                    {move || i18n.t(RegradeMsg::Confirm)}
                </button>
                <button
                    type="button"
                    class="button button--secondary"
                    data-testid="regrade-close"
                    on:click=move |_| on_close.run(())
                >
                    {move || i18n.t(RegradeMsg::Close)}
                </button>
            </div>
        </div>
    }
}

fn differences_table(list: Vec<RegradeDifference>) -> AnyView {
    let i18n = use_i18n();
    if list.is_empty() {
        return ().into_any();
    }
    let outcome = move |s: &RegradeScore| {
        if s.passed {
            i18n.t(RegradeMsg::Passed)
        } else {
            i18n.t(RegradeMsg::Failed)
        }
    };
    let rows = list
        .into_iter()
        .map(|d| {
            // The name and account when the server sent them (`candidates:read`), else the id.
            let who = match (&d.name, &d.account) {
                (Some(name), Some(account)) => format!("{name} ({account})"),
                _ => format!("{}…", d.candidate_id.chars().take(8).collect::<String>()),
            };
            let question = format!("{} → {}", d.before.question_points, d.after.question_points);
            let score = format!(
                "{} / {} → {} / {}",
                d.before.score, d.before.max_score, d.after.score, d.after.max_score
            );
            let result = format!("{} → {}", outcome(&d.before), outcome(&d.after));
            view! {
                <tr data-testid="regrade-difference" data-attempt=d.attempt_id.clone()>
                    <td title=d.candidate_id.clone() data-testid="regrade-candidate">{format!("{who} #{}", d.attempt_number)}</td>
                    <td>{question}</td>
                    <td>{score}</td>
                    <td>{result}</td>
                    <td class="regrade__note">{d.released.then(|| i18n.t(RegradeMsg::Released))}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="table" data-testid="regrade-differences">
            <thead>
                <tr>
                    <th>{move || i18n.t(RegradeMsg::Candidate)}</th>
                    <th>{move || i18n.t(RegradeMsg::Question)}</th>
                    <th>{move || i18n.t(RegradeMsg::Score)}</th>
                    <th>{move || i18n.t(RegradeMsg::Outcome)}</th>
                    <th></th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}
