//! The exam screen, `/o/{slug}/attempt?id=`: the candidate's paper with an input per
//! question, one question per page or all on one page, a navigator showing answered and
//! flagged questions, a countdown to the server's deadline corrected for the browser clock's
//! error, the save status, and submission with a warning about unanswered questions and a
//! receipt at the end. A finished attempt shows its receipt.
//!
//! Answers never wait for the network: each change goes into the attempt's queue in
//! localStorage first (see [`crate::exam::outbox`]), and one sender ([`crate::exam::sender`])
//! sends the queue in order, one save at a time, retrying while the network or the server is
//! away. Reloading the page finds the queue again and merges it with what the server holds.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_query_map;
use shared::exams::{AnswerValue, AttemptStatus, AttemptView};
use shared::papers::CandidateQuestion;
use web_sys::js_sys::Date;

use crate::api::{self, ExamsApi};
use crate::components::ApiErrors;
use crate::components::answer_input::answer_view;
use crate::components::exam_result::AttemptResult;
use crate::components::exam_takeover::TakeOver;
use crate::components::form::{FormAlert, FormError};
use crate::components::portal_frame::PortalFrame;
use crate::components::rich_text::RichText;
use crate::exam::clock::{Skew, countdown_text, parse_ms};
use crate::exam::outbox;
use crate::exam::save_state::SaveState;
use crate::exam::sender::{Finished, Sender};
use crate::exam::watch::{Watch, request_fullscreen};
use crate::i18n::{
    ExamMsg, Msg, answered_text, focus_losses_text, numbered_text, question_label, queued_text,
    use_i18n,
};
use crate::routes::{ID_PARAM, PortalPage};

use super::portal::use_slug;

#[component]
pub fn ExamScreenPage() -> impl IntoView {
    let i18n = use_i18n();
    let slug = use_slug();
    let query = use_query_map();
    let id = Memo::new(move |_| query.with(|q| q.get(ID_PARAM).unwrap_or_default()));
    let attempt = LocalResource::new(move || {
        let (api, id) = (ExamsApi::new(i18n.lang_untracked()), id.get());
        async move {
            let sent = Date::now();
            let view = api.attempt(&id).await?;
            let skew = parse_ms(&view.server_time)
                .map(|server| Skew::measure(server, sent, Date::now()))
                .unwrap_or_default();
            Ok::<_, api::Error>((view, skew))
        }
    });
    view! {
        <PortalFrame slug=slug>
            <Transition fallback=move || view! { <p class="loading">{move || i18n.t(Msg::Loading)}</p> }>
                <ErrorBoundary fallback=|errors| view! { <ApiErrors errors=errors /> }>
                    {move || Suspend::new(async move {
                        let (view, skew) = match attempt.await {
                            Ok(found) => found,
                            Err(err) if err.code() == Some(shared::ErrorCode::AnotherDevice) => {
                                return Ok(view! { <TakeOver attempt_id=id.get_untracked() on_done=move || attempt.refetch() /> }.into_any());
                            }
                            Err(err) => return Err(err),
                        };
                        let screen = if view.summary.status == AttemptStatus::InProgress {
                            view! { <ExamScreen view=view skew=skew slug=slug /> }.into_any()
                        } else {
                            outbox::clear(&view.summary.id);
                            let finished = Finished::Closed {
                                view: Box::new(view),
                                note: None,
                            };
                            view! { <AttemptResult finished=finished slug=slug /> }
                                .into_any()
                        };
                        Ok::<_, api::Error>(screen)
                    })}
                </ErrorBoundary>
            </Transition>
        </PortalFrame>
    }
}

/// Loads the page again (after taking the attempt over: the queue and the server's answers
/// merge as on any opening).
fn reload() {
    if let Some(location) = web_sys::window().map(|w| w.location()) {
        let _ = location.reload();
    }
}

/// A question with the title of its section.
#[derive(Clone)]
struct Placed {
    section: String,
    first_in_section: bool,
    question: CandidateQuestion,
}

#[component]
fn ExamScreen(view: AttemptView, skew: Skew, slug: Memo<String>) -> impl IntoView {
    let i18n = use_i18n();
    let attempt_id = view.summary.id.clone();
    // The queue as this browser left it, merged with what the server holds.
    let mut local = outbox::load(&attempt_id);
    local.merge_server(&view.answers);
    let screen = Sender::start(&attempt_id, local);
    // Leaving the page, copy/paste, fullscreen and idleness go to the server, which may
    // submit the attempt when a limit is passed.
    let integrity = view.integrity.clone();
    let watch = Watch::start(&attempt_id, integrity.clone(), i18n.lang_untracked());
    Effect::new(move |_| {
        if watch.submitted.get() {
            spawn_local(screen.close(Some(ExamMsg::LimitSubmitted)));
        }
    });
    let max_focus = integrity.max_focus_losses;
    let block_copy = integrity.block_copy_paste;
    let need_fullscreen = integrity.require_fullscreen;

    let placed: Vec<Placed> = {
        let mut out = Vec::new();
        for section in &view.paper.sections {
            for (i, q) in section.questions.iter().enumerate() {
                out.push(Placed {
                    section: section.title.clone(),
                    first_in_section: i == 0,
                    question: q.clone(),
                });
            }
        }
        out
    };
    let total = placed.len();
    let placed = StoredValue::new(placed);
    let current = RwSignal::new(0_usize);
    let all_on_page = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let submitting = RwSignal::new(false);
    let submit_error = RwSignal::new(None::<FormError>);

    // The countdown, on the server's clock.
    let deadline_ms = parse_ms(&view.summary.deadline).unwrap_or(0.0);
    let now_ms = RwSignal::new(Date::now());
    if let Ok(handle) =
        set_interval_with_handle(move || now_ms.set(Date::now()), Duration::from_millis(500))
    {
        on_cleanup(move || handle.clear());
    }
    let remaining = Memo::new(move |_| skew.remaining_ms(deadline_ms, now_ms.get()));
    // At the deadline the server submits; show its result (it finalises on reading).
    let deadline_handled = StoredValue::new(false);
    Effect::new(move |_| {
        if remaining.get() <= 0.0 && !deadline_handled.get_value() {
            deadline_handled.set_value(true);
            spawn_local(screen.close(Some(ExamMsg::TimeUp)));
        }
    });

    let answered_count = Memo::new(move |_| {
        placed.with_value(|placed| {
            screen.outbox.with(|o| {
                placed
                    .iter()
                    .filter(|p| o.answered(&p.question.question_id))
                    .count()
            })
        })
    });
    let queued = Memo::new(move |_| screen.outbox.with(|o| o.pending.len()));

    let question_view = move |p: Placed| {
        let qid = p.question.question_id.clone();
        let value = {
            let qid = qid.clone();
            Memo::new(move |_| screen.outbox.with(|o| o.answers.get(&qid).cloned()))
        };
        let flagged = {
            let qid = qid.clone();
            Memo::new(move |_| screen.outbox.with(|o| o.flagged.contains(&qid)))
        };
        let on_change = {
            let qid = qid.clone();
            Callback::new(move |answer: AnswerValue| screen.change(&qid, answer))
        };
        let toggle_flag = {
            let qid = qid.clone();
            move |_| screen.toggle_flag(&qid)
        };
        let (number, points) = (p.question.number, p.question.points);
        let section = p.first_in_section.then(|| {
            view! { <h2 class="section-title" data-testid="exam-section">{p.section.clone()}</h2> }
        });
        view! {
            {section}
            <article
                class="candidate-question card"
                id=format!("question-{number}")
                data-testid="exam-question"
                data-question-id=qid.clone()
                data-number=number
            >
                <header class="candidate-question__head">
                    <h3 data-testid="exam-question-number">
                        {move || numbered_text(number, points, i18n.lang())}
                    </h3>
                    <button
                        type="button"
                        class="button button--small button--secondary"
                        class:is-flagged=flagged
                        data-testid="flag-question"
                        aria-pressed=move || flagged.get().to_string()
                        on:click=toggle_flag
                    >
                        {move || i18n.t(if flagged.get() { ExamMsg::Unflag } else { ExamMsg::Flag })}
                    </button>
                </header>
                {answer_view(p.question.content, format!("q{number}"), value.into(), on_change)}
            </article>
        }
    };

    let questions = move || {
        if all_on_page.get() {
            placed
                .with_value(|placed| placed.clone())
                .into_iter()
                .map(question_view)
                .collect_view()
                .into_any()
        } else {
            let i = current.get();
            let Some(mut p) = placed.with_value(|placed| placed.get(i).cloned()) else {
                return ().into_any();
            };
            // One per page: always name the section.
            p.first_in_section = true;
            let last = total.saturating_sub(1);
            view! {
                {question_view(p)}
                <p class="actions exam-pager">
                    <button
                        type="button"
                        class="button button--secondary"
                        data-testid="exam-previous"
                        disabled={ i == 0 }
                        on:click=move |_| current.set(i.saturating_sub(1))
                    >
                        {move || i18n.t(ExamMsg::Previous)}
                    </button>
                    <button
                        type="button"
                        class="button button--secondary"
                        data-testid="exam-next"
                        disabled={ i >= last }
                        on:click=move |_| current.set((i + 1).min(last))
                    >
                        {move || i18n.t(ExamMsg::Next)}
                    </button>
                </p>
            }
            .into_any()
        }
    };

    let navigator = move || {
        placed.with_value(|placed| {
            placed
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    let qid = p.question.question_id.clone();
                    let number = p.question.number;
                    let answered = {
                        let qid = qid.clone();
                        move || screen.outbox.with(|o| o.answered(&qid))
                    };
                    let flagged = move || screen.outbox.with(|o| o.flagged.contains(&qid));
                    let go = move |_| {
                        current.set(i);
                        if all_on_page.get_untracked()
                            && let Some(el) = web_sys::window()
                                .and_then(|w| w.document())
                                .and_then(|d| d.get_element_by_id(&format!("question-{number}")))
                        {
                            el.scroll_into_view();
                        }
                    };
                    view! {
                        <button
                            type="button"
                            class="exam-nav__item"
                            class:is-answered=answered.clone()
                            class:is-flagged=flagged.clone()
                            class:is-current=move || current.get() == i && !all_on_page.get()
                            data-testid="nav-question"
                            data-number=number
                            data-answered=move || answered().to_string()
                            data-flagged=move || flagged().to_string()
                            aria-label=move || question_label(number, i18n.lang())
                            on:click=go
                        >
                            {number}
                        </button>
                    }
                })
                .collect_view()
        })
    };

    let unanswered = move || {
        placed.with_value(|placed| {
            screen.outbox.with(|o| {
                placed
                    .iter()
                    .filter(|p| !o.answered(&p.question.question_id))
                    .map(|p| p.question.number)
                    .collect::<Vec<u32>>()
            })
        })
    };
    // The modal takes the focus (on its safe choice), so the keyboard stays inside it.
    let keep_answering = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if let Some(button) = keep_answering.get() {
            let _ = button.focus();
        }
    });
    let flagged_numbers = move || {
        placed.with_value(|placed| {
            screen.outbox.with(|o| {
                placed
                    .iter()
                    .filter(|p| o.flagged.contains(&p.question.question_id))
                    .map(|p| p.question.number)
                    .collect::<Vec<u32>>()
            })
        })
    };
    let submit = move |_| {
        if submitting.get_untracked() || queued.get_untracked() > 0 {
            return;
        }
        submitting.set(true);
        submit_error.set(None);
        let api = ExamsApi::new(i18n.lang_untracked());
        let id = screen.attempt_id.get_value();
        spawn_local(async move {
            let result = api.submit(&id).await;
            submitting.set(false);
            match result {
                Ok(receipt) => {
                    outbox::clear(&id);
                    screen.finished.set(Some(Finished::Submitted(receipt)));
                }
                Err(err) => submit_error.set(Some(FormError::Other(err))),
            }
        });
    };
    let open_confirm = move |_| {
        confirming.set(true);
        // Anything still queued should go now.
        screen.flush();
    };

    let status_text = move || {
        let state = screen.state.get();
        let mut text = i18n.t(state.msg()).to_owned();
        let n = queued.get();
        if n > 0 && state != SaveState::Saving {
            text = format!("{text} · {}", queued_text(n, i18n.lang()));
        }
        text
    };
    let exam_name = view.exam_name.clone();
    let instructions = view.instructions.clone();

    view! {
        <Show
            when=move || screen.finished.with(Option::is_none)
            fallback=move || {
                screen
                    .finished
                    .get()
                    .map(|finished| view! { <AttemptResult finished=finished slug=slug /> })
            }
        >
            <div class="exam-screen" data-testid="exam-screen">
                <header class="exam-bar">
                    <h1 class="exam-bar__name" data-testid="exam-name">{exam_name.clone()}</h1>
                    <p class="exam-bar__clock">
                        <span class="hint">{move || i18n.t(ExamMsg::TimeLeft)}</span>
                        " "
                        <strong
                            data-testid="exam-countdown"
                            class:is-urgent=move || { remaining.get() < 300_000.0 }
                        >
                            {move || countdown_text(remaining.get())}
                        </strong>
                    </p>
                    <p
                        class="exam-bar__status"
                        role="status"
                        aria-live="polite"
                        data-testid="save-status"
                        data-state=move || screen.state.get().name()
                        data-queued=move || queued.get().to_string()
                    >
                        {status_text}
                    </p>
                    <button type="button" class="button" data-testid="exam-submit" on:click=open_confirm>
                        {move || i18n.t(ExamMsg::Submit)}
                    </button>
                </header>
                {max_focus.map(|max| view! {
                    <p class="hint exam-integrity" data-testid="focus-count">
                        {move || focus_losses_text(watch.counts.with(|c| c.focus_losses), max, i18n.lang())}
                    </p>
                })}
                {block_copy.then(|| view! {
                    <p class="hint exam-integrity" data-testid="copy-blocked">{move || i18n.t(ExamMsg::CopyPasteBlocked)}</p>
                })}
                <Show when=move || need_fullscreen && !watch.fullscreen.get()>
                    <div class="notice notice--info exam-fullscreen" data-testid="fullscreen-required">
                        <p>{move || i18n.t(ExamMsg::FullscreenRequired)}</p>
                        <button type="button" class="button" data-testid="enter-fullscreen" on:click=move |_| request_fullscreen()>
                            {move || i18n.t(ExamMsg::EnterFullscreen)}
                        </button>
                    </div>
                </Show>
                <Show when=move || !screen.stored.get()>
                    <p class="notice notice--error" role="alert" data-testid="storage-refused">
                        {move || i18n.t(ExamMsg::StatusNoStorage)}
                    </p>
                </Show>
                <Show when=move || screen.rejected.get()>
                    <p class="notice notice--error" role="alert" data-testid="save-rejected">
                        {move || i18n.t(ExamMsg::StatusRejected)}
                    </p>
                </Show>
                <Show when=move || screen.state.get() == SaveState::AnotherDevice>
                    <TakeOver attempt_id=screen.attempt_id.get_value() on_done=reload />
                </Show>
                <Show when=move || screen.state.get() == SaveState::SignedOut>
                    <p class="notice notice--error" role="alert">
                        <a href=move || PortalPage::Login.path(&slug.get()) target="_blank">
                            {move || i18n.t(ExamMsg::StatusSignedOut)}
                        </a>
                    </p>
                </Show>
                <Show when=move || confirming.get()>
                    <div class="modal-backdrop" data-testid="submit-backdrop"
                        on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                            if ev.key() == "Escape" && !submitting.get_untracked() {
                                confirming.set(false);
                            }
                        }>
                    <div class="modal card confirm" role="alertdialog" aria-modal="true"
                        aria-labelledby="submit-dialog-title" data-testid="submit-dialog">
                        <h2 class="section-title" id="submit-dialog-title">{move || i18n.t(ExamMsg::SubmitTitle)}</h2>
                        {move || {
                            let missing = unanswered();
                            if missing.is_empty() {
                                view! { <p data-testid="all-answered">{move || i18n.t(ExamMsg::AllAnswered)}</p> }.into_any()
                            } else {
                                let list = missing
                                    .into_iter()
                                    .map(|n| view! { <li data-testid="unanswered-question">{move || question_label(n, i18n.lang())}</li> })
                                    .collect_view();
                                view! {
                                    <p>{move || i18n.t(ExamMsg::Unanswered)}</p>
                                    <ul class="exam-unanswered" data-testid="unanswered">{list}</ul>
                                }
                                .into_any()
                            }
                        }}
                        {move || {
                            let flagged = flagged_numbers();
                            (!flagged.is_empty()).then(|| {
                                let list = flagged
                                    .into_iter()
                                    .map(|n| view! { <li data-testid="flagged-question">{move || question_label(n, i18n.lang())}</li> })
                                    .collect_view();
                                view! {
                                    <p>{move || i18n.t(ExamMsg::FlaggedLeft)}</p>
                                    <ul class="exam-unanswered" data-testid="flagged">{list}</ul>
                                }
                            })
                        }}
                        <p class="hint">{move || i18n.t(ExamMsg::SubmitFinal)}</p>
                        <Show when=move || { queued.get() > 0 }>
                            <p class="notice notice--info" data-testid="submit-waits">
                                {move || i18n.t(ExamMsg::WaitForSaves)}
                            </p>
                        </Show>
                        <FormAlert error=submit_error testid="submit-error" />
                        <p class="confirm__actions">
                            <button
                                type="button"
                                class="button"
                                data-testid="submit-confirm"
                                disabled=move || { submitting.get() || queued.get() > 0 }
                                on:click=submit
                            >
                                {move || i18n.t(if submitting.get() { ExamMsg::Submitting } else { ExamMsg::ConfirmSubmit })}
                            </button>
                            <button
                                type="button"
                                class="button button--secondary"
                                data-testid="submit-cancel"
                                node_ref=keep_answering
                                on:click=move |_| confirming.set(false)
                            >
                                {move || i18n.t(ExamMsg::KeepAnswering)}
                            </button>
                        </p>
                    </div>
                    </div>
                </Show>
                <div class="exam-body">
                    <aside class="exam-nav card" data-testid="exam-navigator">
                        <h2 class="section-title">{move || i18n.t(ExamMsg::Navigator)}</h2>
                        <p class="hint" data-testid="answered-count">
                            {move || answered_text(answered_count.get(), total, i18n.lang())}
                        </p>
                        <div class="exam-nav__grid">{navigator}</div>
                        <p class="exam-nav__legend hint">
                            <span class="exam-nav__item is-answered"></span>
                            {move || i18n.t(ExamMsg::LegendAnswered)}
                            " "
                            <span class="exam-nav__item is-flagged"></span>
                            {move || i18n.t(ExamMsg::LegendFlagged)}
                        </p>
                        <label class="checkbox">
                            <input
                                type="checkbox"
                                data-testid="exam-all-on-page"
                                prop:checked=move || all_on_page.get()
                                on:change=move |ev| all_on_page.set(event_target_checked(&ev))
                            />
                            " " {move || i18n.t(ExamMsg::AllOnPage)}
                        </label>
                    </aside>
                    <main class="exam-questions">
                        {(!instructions.trim().is_empty()).then(|| view! {
                            <details class="card exam-instructions">
                                <summary>{move || i18n.t(ExamMsg::Instructions)}</summary>
                                <RichText html=instructions.clone() />
                            </details>
                        })}
                        {questions}
                    </main>
                </div>
            </div>
        </Show>
    }
}
