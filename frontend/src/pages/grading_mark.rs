//! `/grading/mark?exam=…[&item=…]`: the marking screen, made for hundreds of answers in a
//! sitting. It claims the next answer (held for the grader for 10 minutes), shows it blind
//! (an anonymous code, never the candidate), takes a score per rubric criterion or one score
//! and a comment, and moves on: save and next (Ctrl+Enter), skip (Alt+N: the answer goes back
//! to the queue and is passed over in this sitting), previous (Alt+P: re-opens the grader's
//! earlier marks of this sitting to change them). An arbiter sees the other marks and sets the
//! final one. `item` opens that answer first (from the queue).

use leptos::html::Input;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_query_map;
use shared::grading::{GradingTask, NextItemInput};

use crate::api::GradingApi;
use crate::auth::use_auth;
use crate::components::console_gate::{RequirePermission, report_error};
use crate::components::console_nav::GRADING_WRITE;
use crate::components::form::{FormAlert, FormError};
use crate::components::grading_task::{Draft, paper_view, score_view};
use crate::components::page_header::{Back, PageHeader};
use crate::i18n::{GradingMsg, Msg, use_i18n};
use crate::pages::grading::{GRADING_EXAM_PARAM, GRADING_ITEM_PARAM, queue_href};
use crate::routes::Page;

/// What the screen shows.
#[derive(Debug, Clone, PartialEq)]
enum Shown {
    Loading,
    Task(Box<GradingTask>),
    /// Nothing left for the caller (skipped answers aside).
    Empty,
}

#[component]
pub fn GradingMarkPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let exam = Memo::new(move |_| {
        query
            .with(|q| q.get(GRADING_EXAM_PARAM))
            .filter(|id| !id.is_empty())
    });
    let header = move || {
        let href = exam
            .get()
            .map_or_else(|| Page::Grading.path().to_owned(), |id| queue_href(&id));
        let back = Back {
            href,
            testid: "mark-back",
            label: (move || i18n.t(GradingMsg::BackToQueue)).into(),
        };
        view! { <PageHeader back=back title=move || i18n.t(GradingMsg::MarkTitle) /> }
    };
    view! {
        <section class="page">
            {header}
            <RequirePermission needs=GRADING_WRITE>
                {move || exam.get().map(|id| {
                    let first = query.with_untracked(|q| q.get(GRADING_ITEM_PARAM)).filter(|i| !i.is_empty());
                    view! { <Marking exam_id=id first_item=first /> }
                })}
            </RequirePermission>
        </section>
    }
}

#[component]
fn Marking(exam_id: String, first_item: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let exam = StoredValue::new(exam_id);
    let shown = RwSignal::new(Shown::Loading);
    let draft = Draft::new();
    let error = RwSignal::new(None::<FormError>);
    let problem = RwSignal::new(None::<GradingMsg>);
    let busy = RwSignal::new(false);
    // Answers passed over in this sitting, and the ones marked in it (in order).
    let skipped = StoredValue::new(Vec::<String>::new());
    let history = RwSignal::new(Vec::<String>::new());
    // Where in `history` the answer on screen is, when it was re-opened with "previous".
    let position = RwSignal::new(None::<usize>);
    let first_input = NodeRef::<Input>::new();
    let api = move || GradingApi::new(i18n.lang_untracked());

    let show = move |task: Option<GradingTask>| {
        problem.set(None);
        match task {
            Some(task) => {
                draft.fill(&task);
                shown.set(Shown::Task(Box::new(task)));
            }
            None => shown.set(Shown::Empty),
        }
    };
    let failed = move |err| {
        busy.set(false);
        report_error(auth, err, error);
    };
    let load_next = move || {
        busy.set(true);
        let input = NextItemInput {
            question_id: None,
            skip: skipped.get_value(),
        };
        spawn_local(async move {
            match api().next(&exam.get_value(), &input).await {
                Ok(task) => {
                    busy.set(false);
                    position.set(None);
                    show(task);
                }
                Err(err) => failed(err),
            }
        });
    };
    let open = move |item: String, at: Option<usize>| {
        busy.set(true);
        spawn_local(async move {
            match api().item(&item).await {
                Ok(task) => {
                    busy.set(false);
                    position.set(at);
                    show(Some(task));
                }
                Err(err) => failed(err),
            }
        });
    };
    match first_item {
        Some(item) => open(item, None),
        None => load_next(),
    }

    let current = move || match shown.get_untracked() {
        Shown::Task(task) => Some(task),
        _ => None,
    };
    let save_next = move || {
        if busy.get_untracked() {
            return;
        }
        let Some(task) = current() else { return };
        let input = match draft.input(&task) {
            Ok(input) => input,
            Err(msg) => {
                problem.set(Some(msg));
                return;
            }
        };
        problem.set(None);
        error.set(None);
        busy.set(true);
        let id = task.item.id.clone();
        spawn_local(async move {
            match api().mark(&id, &input).await {
                Ok(_) => {
                    history.update(|h| {
                        if !h.contains(&id) {
                            h.push(id);
                        }
                    });
                    load_next();
                }
                Err(err) => failed(err),
            }
        });
    };
    let skip = move || {
        if busy.get_untracked() {
            return;
        }
        let Some(task) = current() else { return };
        error.set(None);
        // A re-opened earlier mark is left as it is; a fresh answer goes back to the queue.
        if position.get_untracked().is_some() || task.leased_until.is_none() {
            load_next();
            return;
        }
        let id = task.item.id.clone();
        skipped.update_value(|s| s.push(id.clone()));
        busy.set(true);
        spawn_local(async move {
            match api().release(&id).await {
                Ok(()) => load_next(),
                Err(err) => failed(err),
            }
        });
    };
    let previous_index = move || {
        let len = history.with(Vec::len);
        match position.get() {
            None => len.checked_sub(1),
            Some(i) => i.checked_sub(1),
        }
    };
    let previous = move || {
        if busy.get_untracked() {
            return;
        }
        let Some(i) = previous_index() else { return };
        let Some(item) = history.with_untracked(|h| h.get(i).cloned()) else {
            return;
        };
        error.set(None);
        open(item, Some(i));
    };
    let start_over = move || {
        skipped.set_value(Vec::new());
        load_next();
    };

    // Keyboard first: the shortcuts work from any field of the screen.
    let keys = window_event_listener(leptos::ev::keydown, move |ev| {
        let code = ev.code();
        if (ev.ctrl_key() || ev.meta_key()) && ev.key() == "Enter" {
            ev.prevent_default();
            save_next();
        } else if ev.alt_key() && code == "KeyN" {
            ev.prevent_default();
            skip();
        } else if ev.alt_key() && code == "KeyP" {
            ev.prevent_default();
            previous();
        }
    });
    on_cleanup(move || keys.remove());
    // Each new answer puts the cursor in its first score, and starts from the top of the page
    // (focusing scrolls to the field, which on a phone hides the answer).
    Effect::new(move |_| {
        if let Some(input) = first_input.get() {
            let _ = input.focus();
            window().scroll_to_with_x_and_y(0.0, 0.0);
        }
    });

    let body = move || {
        match shown.get() {
        Shown::Loading => view! { <p class="loading">{move || i18n.t(Msg::Loading)}</p> }.into_any(),
        Shown::Empty => view! {
            <section class="card" data-testid="mark-empty">
                <p class="empty">{move || i18n.t(GradingMsg::NothingLeft)}</p>
                <div class="actions">
                    <a class="button button--secondary" href=queue_href(&exam.get_value()) data-testid="mark-empty-queue">
                        {move || i18n.t(GradingMsg::BackToQueue)}
                    </a>
                    <Show when=move || !skipped.with_value(Vec::is_empty)>
                        <button type="button" class="button" data-testid="mark-start-over" on:click=move |_| start_over()>
                            {move || i18n.t(GradingMsg::StartMarking)}
                        </button>
                    </Show>
                    <Show when=move || previous_index().is_some()>
                        <button type="button" class="button button--secondary" data-testid="mark-previous" on:click=move |_| previous()>
                            {move || i18n.t(GradingMsg::Previous)}
                        </button>
                    </Show>
                </div>
            </section>
        }
        .into_any(),
        Shown::Task(task) => {
            let sitting = history.with_untracked(Vec::len);
            view! {
                <div class="grading-mark" data-testid="mark-screen" data-item-id=task.item.id.clone()>
                    <section class="card grading-mark__paper">{paper_view(&task, sitting)}</section>
                    <section class="card grading-mark__score">
                        // The screen checks the scores itself (in the interface language).
                        <form novalidate on:submit=move |ev| { ev.prevent_default(); save_next(); }>
                            {score_view(&task, draft, first_input)}
                            <Show when=move || problem.get().is_some()>
                                <div class="alert alert--error" role="alert" data-testid="mark-invalid">
                                    <p class="alert__message">{move || problem.get().map(|m| i18n.t(m))}</p>
                                </div>
                            </Show>
                            <FormAlert error=error testid="mark-error" />
                            <div class="grading-mark__actions">
                                <button type="submit" class="button" data-testid="mark-save" disabled=move || busy.get()>
                                    {move || i18n.t(GradingMsg::SaveNext)}
                                </button>
                                <button type="button" class="button button--secondary" data-testid="mark-skip"
                                    disabled=move || busy.get() on:click=move |_| skip()>
                                    {move || i18n.t(GradingMsg::Skip)}
                                </button>
                                <button type="button" class="button button--secondary" data-testid="mark-previous"
                                    disabled=move || busy.get() || previous_index().is_none() on:click=move |_| previous()>
                                    {move || i18n.t(GradingMsg::Previous)}
                                </button>
                            </div>
                            <p class="field__hint" data-testid="mark-shortcuts">{move || i18n.t(GradingMsg::Shortcuts)}</p>
                        </form>
                    </section>
                </div>
            }
            .into_any()
        }
    }
    };
    view! {
        <div data-testid="marking" data-busy=move || busy.get().to_string()>
            <Show when=move || matches!(shown.get(), Shown::Empty | Shown::Loading)>
                <FormAlert error=error testid="mark-load-error" />
            </Show>
            {body}
        </div>
    }
}
