//! An exam's assignments: the picker that assigns candidates (found by an exact account,
//! email address or mobile number, or the first page of candidates) and whole groups, and the
//! assigned candidates, each with their accommodation (extra minutes, extra percent of the
//! duration, extra attempts) editable in its row, and a button that removes them (confirmed).

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::candidates::{CandidateDto, GroupDto};
use shared::exams::{Accommodation, AssignmentDto, AssignmentRequest};

use crate::api::{self, CandidateFilter, CandidatesApi, ExamsConsoleApi, FieldError};
use crate::auth::use_auth;
use crate::components::ApiErrors;
use crate::components::confirm::Confirm;
use crate::components::console_gate::{may, report_error, watch_session};
use crate::components::console_nav::{CANDIDATES_READ, EXAMS_WRITE};
use crate::components::exam_directory::Directory;
use crate::components::form::{FormAlert, FormError};
use crate::i18n::{
    ConsoleMsg, ExamAdminMsg, Msg, assigned_text, exam_problem_text, selection_text, use_i18n,
};

/// How many candidates a search lists.
const SEARCH_LIMIT: i64 = 20;

/// Field errors as the API names them, each with `data-testid="field-error-<field>"`.
#[component]
fn ProblemList(errors: RwSignal<Vec<FieldError>>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        errors.with(|errors| {
            errors
                .iter()
                .map(|e| {
                    let text = exam_problem_text(&e.reason, i18n.lang());
                    view! {
                        <p class="field__error" data-testid=format!("field-error-{}", e.field) data-reason=e.reason.clone()>
                            {text}
                        </p>
                    }
                })
                .collect_view()
        })
    }
}

#[component]
pub fn Assignments(
    exam_id: String,
    directory: Directory,
    /// Bumped whenever the assignments change (here or by the caller); reloads the list.
    reload: RwSignal<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let exam_id = StoredValue::new(exam_id);
    let assignments = LocalResource::new(move || {
        reload.track();
        let api = ExamsConsoleApi::new(i18n.lang_untracked());
        let id = exam_id.get_value();
        async move { api.assignments(&id).await }
    });
    watch_session(auth, assignments);
    let assigned_ids = Memo::new(move |_| {
        assignments
            .get()
            .and_then(Result::ok)
            .map(|list| list.into_iter().map(|a| a.candidate_id).collect::<Vec<_>>())
            .unwrap_or_default()
    });
    let can_assign = Memo::new(move |_| may(auth, EXAMS_WRITE) && may(auth, CANDIDATES_READ));
    view! {
        <section class="card exam-assignments" data-testid="exam-assignments">
            <h2 class="card__title">{move || i18n.t(ExamAdminMsg::Assignments)}</h2>
            <p class="hint">{move || i18n.t(ExamAdminMsg::AssignLead)}</p>
            <Show when=move || can_assign.get()>
                <Picker exam_id=exam_id directory=directory assigned=assigned_ids reload=reload />
            </Show>
            <h3 class="section-title">{move || i18n.t(ExamAdminMsg::AssignedList)}</h3>
            <Transition fallback=move || view! { <p class="loading">{move || i18n.t(Msg::Loading)}</p> }>
                <ErrorBoundary fallback=|errors| view! { <ApiErrors errors=errors /> }>
                    {move || Suspend::new(async move {
                        let list = assignments.await?;
                        Ok::<_, api::Error>(view! { <AssignedTable list=list exam_id=exam_id directory=directory reload=reload /> })
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

/// Searching candidates, choosing them and groups, and assigning the selection.
#[component]
fn Picker(
    exam_id: StoredValue<String>,
    directory: Directory,
    assigned: Memo<Vec<String>>,
    reload: RwSignal<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let query = RwSignal::new(String::new());
    let results = RwSignal::new(None::<Vec<CandidateDto>>);
    let groups = RwSignal::new(Vec::<GroupDto>::new());
    let chosen = RwSignal::new(Vec::<String>::new());
    let chosen_groups = RwSignal::new(Vec::<String>::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<FormError>);
    let problems = RwSignal::new(Vec::<FieldError>::new());
    let done = RwSignal::new(None::<String>);
    let nothing = RwSignal::new(false);
    {
        let api = CandidatesApi::new(i18n.lang_untracked());
        spawn_local(async move {
            match api.groups().await {
                Ok(list) => groups.set(list),
                Err(err) => report_error(auth, err, error),
            }
        });
    }
    let search = move |ev: SubmitEvent| {
        ev.prevent_default();
        let q = query.get_untracked().trim().to_owned();
        let filter = CandidateFilter {
            q: (!q.is_empty()).then_some(q),
            limit: SEARCH_LIMIT,
            ..CandidateFilter::default()
        };
        let api = CandidatesApi::new(i18n.lang_untracked());
        error.set(None);
        spawn_local(async move {
            match api.list(&filter).await {
                Ok(page) => {
                    directory.learn(&page.items);
                    results.set(Some(page.items));
                }
                Err(err) => report_error(auth, err, error),
            }
        });
    };
    let assign = move |_| {
        let request = AssignmentRequest {
            candidate_ids: chosen.get_untracked(),
            group_ids: chosen_groups.get_untracked(),
        };
        done.set(None);
        problems.set(Vec::new());
        error.set(None);
        nothing.set(request.candidate_ids.is_empty() && request.group_ids.is_empty());
        if nothing.get_untracked() {
            return;
        }
        busy.set(true);
        let api = ExamsConsoleApi::new(i18n.lang_untracked());
        spawn_local(async move {
            let result = api.assign(&exam_id.get_value(), &request).await;
            busy.set(false);
            match result {
                Ok(result) => {
                    done.set(Some(assigned_text(&result, i18n.lang_untracked())));
                    chosen.set(Vec::new());
                    chosen_groups.set(Vec::new());
                    reload.update(|n| *n += 1);
                }
                Err(err) => {
                    let fields = err.field_errors();
                    if fields.is_empty() {
                        report_error(auth, err, error);
                    } else {
                        problems.set(fields);
                    }
                }
            }
        });
    };
    let result_rows = move || {
        results.get().map(|list| {
            if list.is_empty() {
                return view! {
                    <p class="empty" data-testid="assign-no-results">
                        {move || i18n.t(ExamAdminMsg::NoResults)}
                    </p>
                }
                .into_any();
            }
            let rows = list
                .into_iter()
                .map(|c| {
                    let id = StoredValue::new(c.id.clone());
                    let is_assigned = move || assigned.with(|a| id.with_value(|id| a.contains(id)));
                    let checked = move || chosen.with(|ch| id.with_value(|id| ch.contains(id)));
                    view! {
                        <li class="picker__item" data-testid="assign-result" data-candidate-id=c.id.clone()>
                            <label class="checkbox">
                                <input
                                    type="checkbox"
                                    data-testid="assign-result-select"
                                    disabled=is_assigned
                                    prop:checked=move || checked() || is_assigned()
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        let id = id.get_value();
                                        chosen.update(|ch| {
                                            ch.retain(|x| *x != id);
                                            if on {
                                                ch.push(id);
                                            }
                                        });
                                    }
                                />
                                <span data-testid="assign-result-name">{c.name.clone()}</span>
                                " "
                                <code class="table__code">{c.account.clone()}</code>
                            </label>
                            <Show when=is_assigned>
                                <span class="badge badge--muted">{move || i18n.t(ExamAdminMsg::AlreadyAssigned)}</span>
                            </Show>
                        </li>
                    }
                })
                .collect_view();
            view! { <ul class="picker__list" data-testid="assign-results">{rows}</ul> }.into_any()
        })
    };
    let group_rows = move || {
        let list = groups.get();
        if list.is_empty() {
            return view! {
                <p class="hint" data-testid="assign-no-groups">{move || i18n.t(ExamAdminMsg::NoGroups)}</p>
            }
            .into_any();
        }
        list.into_iter()
            .map(|g| {
                let id = StoredValue::new(g.id.clone());
                view! {
                    <label class="checkbox" data-testid="assign-group" data-group-id=g.id.clone()>
                        <input
                            type="checkbox"
                            data-testid="assign-group-select"
                            prop:checked=move || chosen_groups.with(|ch| id.with_value(|id| ch.contains(id)))
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                let id = id.get_value();
                                chosen_groups.update(|ch| {
                                    ch.retain(|x| *x != id);
                                    if on {
                                        ch.push(id);
                                    }
                                });
                            }
                        />
                        {format!("{} ({})", g.name, g.member_count)}
                    </label>
                }
            })
            .collect_view()
            .into_any()
    };
    view! {
        <div class="picker exam-picker" data-testid="assign-picker">
            <form class="inline-form" novalidate=true on:submit=search data-testid="assign-search-form">
                <label class="field">
                    <span class="field__label">{move || i18n.t(ExamAdminMsg::SearchCandidates)}</span>
                    <input class="input" type="search" data-testid="assign-search" bind:value=query />
                    <span class="field__hint">{move || i18n.t(ExamAdminMsg::SearchHint)}</span>
                </label>
                <button type="submit" class="button button--secondary" data-testid="assign-search-submit">
                    {move || i18n.t(ExamAdminMsg::Search)}
                </button>
            </form>
            {result_rows}
            <fieldset class="checkbox-group" data-testid="assign-groups">
                <legend>{move || i18n.t(ExamAdminMsg::Groups)}</legend>
                {group_rows}
            </fieldset>
            <p class="actions">
                <span class="hint" data-testid="assign-selection">
                    {move || i18n.t(ExamAdminMsg::Selection)} ": "
                    {move || selection_text(chosen.with(Vec::len), chosen_groups.with(Vec::len), i18n.lang())}
                </span>
                <button type="button" class="button" data-testid="assign-submit" disabled=busy on:click=assign>
                    {move || i18n.t(if busy.get() { ExamAdminMsg::Assigning } else { ExamAdminMsg::AssignSelected })}
                </button>
            </p>
            <Show when=move || nothing.get()>
                <p class="field__error" data-testid="assign-nothing-selected">
                    {move || i18n.t(ExamAdminMsg::NothingSelected)}
                </p>
            </Show>
            <ProblemList errors=problems />
            <FormAlert error=error testid="assign-error" />
            {move || done.get().map(|text| view! {
                <p class="notice notice--ok" role="status" data-testid="assign-done">{text}</p>
            })}
        </div>
    }
}

#[component]
fn AssignedTable(
    list: Vec<AssignmentDto>,
    exam_id: StoredValue<String>,
    directory: Directory,
    reload: RwSignal<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    if list.is_empty() {
        return view! {
            <p class="empty" data-testid="assigned-empty">{move || i18n.t(ExamAdminMsg::NoAssignments)}</p>
        }
        .into_any();
    }
    let rows = list
        .into_iter()
        .map(|a| view! { <AssignedRow assignment=a exam_id=exam_id directory=directory reload=reload /> })
        .collect_view();
    view! {
        <p class="hint">{move || i18n.t(ExamAdminMsg::AccommodationHint)}</p>
        <div class="table-wrap">
            <table class="table" data-testid="assigned-table">
                <thead>
                    <tr>
                        <th scope="col">{move || i18n.t(ExamAdminMsg::ColCandidate)}</th>
                        <th scope="col">{move || i18n.t(ExamAdminMsg::ColAccount)}</th>
                        <th scope="col">{move || i18n.t(ExamAdminMsg::ColAttemptsUsed)}</th>
                        <th scope="col">{move || i18n.t(ExamAdminMsg::ColExtraMinutes)}</th>
                        <th scope="col">{move || i18n.t(ExamAdminMsg::ColExtraPercent)}</th>
                        <th scope="col">{move || i18n.t(ExamAdminMsg::ColExtraAttempts)}</th>
                        <th scope="col">{move || i18n.t(ConsoleMsg::Actions)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

/// One assigned candidate; the accommodation is saved with the row's button.
#[component]
fn AssignedRow(
    assignment: AssignmentDto,
    exam_id: StoredValue<String>,
    directory: Directory,
    reload: RwSignal<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let can_write = Memo::new(move |_| may(auth, EXAMS_WRITE));
    let candidate_id = StoredValue::new(assignment.candidate_id.clone());
    let a = &assignment.accommodation;
    let minutes = RwSignal::new(a.extra_minutes.to_string());
    let percent = RwSignal::new(a.extra_percent.to_string());
    let attempts = RwSignal::new(a.extra_attempts.to_string());
    let busy = RwSignal::new(false);
    let saved = RwSignal::new(false);
    let problems = RwSignal::new(Vec::<FieldError>::new());
    let error = RwSignal::new(None::<FormError>);
    let save = move |_| {
        saved.set(false);
        error.set(None);
        let mut local = Vec::new();
        let mut number = |field: &str, value: RwSignal<String>| -> u32 {
            let text = value.get_untracked();
            let text = text.trim();
            if text.is_empty() {
                return 0;
            }
            text.parse().unwrap_or_else(|_| {
                local.push(FieldError {
                    field: field.to_owned(),
                    reason: "invalid_format".to_owned(),
                });
                0
            })
        };
        let accommodation = Accommodation {
            extra_minutes: number("extra_minutes", minutes),
            extra_percent: number("extra_percent", percent),
            extra_attempts: number("extra_attempts", attempts),
        };
        problems.set(local);
        if !problems.with_untracked(Vec::is_empty) {
            return;
        }
        busy.set(true);
        let api = ExamsConsoleApi::new(i18n.lang_untracked());
        spawn_local(async move {
            let result = api
                .set_accommodation(
                    &exam_id.get_value(),
                    &candidate_id.get_value(),
                    &accommodation,
                )
                .await;
            busy.set(false);
            match result {
                Ok(dto) => {
                    let a = dto.accommodation;
                    minutes.set(a.extra_minutes.to_string());
                    percent.set(a.extra_percent.to_string());
                    attempts.set(a.extra_attempts.to_string());
                    saved.set(true);
                }
                Err(err) => {
                    let fields = err.field_errors();
                    if fields.is_empty() {
                        report_error(auth, err, error);
                    } else {
                        problems.set(fields);
                    }
                }
            }
        });
    };
    let known = move || candidate_id.with_value(|id| directory.get(id));
    let name = move || match known() {
        Some((name, _)) => name,
        None => ExamAdminMsg::UnknownCandidate.text(i18n.lang()).to_owned(),
    };
    let account = move || {
        known()
            .map(|(_, account)| account)
            .unwrap_or_else(|| candidate_id.get_value())
    };
    let disabled = move || !can_write.get() || busy.get();
    let edited = move |_| saved.set(false);
    let confirming = RwSignal::new(false);
    let remove = move || {
        busy.set(true);
        error.set(None);
        let api = ExamsConsoleApi::new(i18n.lang_untracked());
        spawn_local(async move {
            let result = api
                .unassign(&exam_id.get_value(), &candidate_id.get_value())
                .await;
            busy.set(false);
            confirming.set(false);
            match result {
                Ok(()) => reload.update(|n| *n += 1),
                Err(err) => report_error(auth, err, error),
            }
        });
    };
    view! {
        <tr data-testid="assigned-row" data-candidate-id=assignment.candidate_id.clone()>
            <td data-testid="assigned-name">{name}</td>
            <td><code class="table__code" data-testid="assigned-account">{account}</code></td>
            <td data-testid="assigned-attempts-used">{assignment.attempts_used}</td>
            <td>
                <input class="input input--narrow" type="number" min=0 max=1440 step=1
                    aria-label=move || i18n.t(ExamAdminMsg::ColExtraMinutes)
                    data-testid="accommodation-minutes" disabled=disabled bind:value=minutes on:input=edited />
            </td>
            <td>
                <input class="input input--narrow" type="number" min=0 max=400 step=1
                    aria-label=move || i18n.t(ExamAdminMsg::ColExtraPercent)
                    data-testid="accommodation-percent" disabled=disabled bind:value=percent on:input=edited />
            </td>
            <td>
                <input class="input input--narrow" type="number" min=0 max=100 step=1
                    aria-label=move || i18n.t(ExamAdminMsg::ColExtraAttempts)
                    data-testid="accommodation-attempts" disabled=disabled bind:value=attempts on:input=edited />
            </td>
            <td class="table__actions">
                <Show when=move || can_write.get()>
                    <button type="button" class="link-button" data-testid="accommodation-save" disabled=busy on:click=save>
                        {move || i18n.t(if busy.get() { ConsoleMsg::Saving } else { ConsoleMsg::Save })}
                    </button>
                </Show>
                <Show when=move || saved.get()>
                    <span class="notice--ok" role="status" data-testid="accommodation-saved">
                        {move || i18n.t(ConsoleMsg::Saved)}
                    </span>
                </Show>
                <Show when=move || can_write.get() && !confirming.get()>
                    <button type="button" class="link-button link-button--danger" data-testid="assigned-remove"
                        disabled=busy on:click=move |_| confirming.set(true)>
                        {move || i18n.t(ExamAdminMsg::Remove)}
                    </button>
                </Show>
                <Show when=move || confirming.get()>
                    <Confirm
                        question=move || i18n.t(ExamAdminMsg::RemoveQuestion).to_owned()
                        detail=move || i18n.t(ExamAdminMsg::RemoveDetail)
                        confirm_label=ExamAdminMsg::ConfirmRemove
                        busy=busy
                        on_yes=remove
                        on_no=move || confirming.set(false)
                    />
                </Show>
                <ProblemList errors=problems />
                <FormAlert error=error testid="accommodation-error" />
            </td>
        </tr>
    }
}
