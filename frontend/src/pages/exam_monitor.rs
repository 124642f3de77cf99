//! `/exam-monitor?id=…`: the proctor view of one exam. A row per assigned candidate with their
//! latest attempt (status, progress, time left counting down, event counts, last activity, why
//! it was submitted), refreshed every 5 seconds and on demand; per row the proctor's actions
//! (extend, force submit, reopen) and the attempt's event timeline.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_query_map;
use shared::exams::{AttemptStatus, MonitorRow};
use web_sys::js_sys::Date;

use crate::api::ExamsConsoleApi;
use crate::auth::{Auth, use_auth};
use crate::components::LocalTime;
use crate::components::confirm::Confirm;
use crate::components::console_gate::{RequirePermission, may, report_error};
use crate::components::console_nav::{EXAMS_READ, EXAMS_WRITE};
use crate::components::form::{FormAlert, FormError};
use crate::components::page_header::{Back, PageHeader};
use crate::i18n::{
    ExamAdminMsg, I18n, Msg, ProctorMsg, event_kind_msg, monitor_status_msg, other_events_text,
    other_events_total, proctor_conflict_msg, submit_reason_msg, time_left_text, use_i18n,
};
use crate::pages::exams::EXAM_PARAM;
use crate::routes::{Page, encode_query_value};

/// How often the table reloads.
const REFRESH: Duration = Duration::from_secs(5);
/// How often the time left counts down.
const TICK: Duration = Duration::from_secs(1);
/// The minutes an extension or reopening grants unless changed.
const DEFAULT_MINUTES: &str = "10";
/// Most minutes one extension or reopening grants (as the API allows).
const MAX_MINUTES: u32 = 600;

/// The address of an exam's proctor view.
pub fn monitor_href(exam_id: &str) -> String {
    format!(
        "{}?{EXAM_PARAM}={}",
        Page::ExamMonitor.path(),
        encode_query_value(exam_id)
    )
}

/// The address of the exam's own page.
fn exam_href(exam_id: &str) -> String {
    format!(
        "{}?{EXAM_PARAM}={}",
        Page::Exam.path(),
        encode_query_value(exam_id)
    )
}

/// Minutes typed by the proctor, if between 1 and 600.
fn parse_minutes(text: &str) -> Option<u32> {
    text.trim()
        .parse::<u32>()
        .ok()
        .filter(|m| (1..=MAX_MINUTES).contains(m))
}

/// Seconds left now, from the `seconds_left` read `elapsed_ms` ago.
fn seconds_left_now(seconds_left: i64, elapsed_ms: f64) -> i64 {
    let elapsed = (elapsed_ms.max(0.0) / 1000.0).floor() as i64;
    (seconds_left - elapsed).max(0)
}

#[component]
pub fn ExamMonitorPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let id = Memo::new(move |_| {
        query
            .with(|q| q.get(EXAM_PARAM))
            .filter(|id| !id.is_empty())
    });
    let title = move || i18n.t(ProctorMsg::Title);
    let lead = move || i18n.t(ProctorMsg::Lead);
    // The way back names the exam, once there is one.
    let header = move || match id.get() {
        Some(id) => {
            let back = Back {
                href: exam_href(&id),
                testid: "monitor-back",
                label: (move || i18n.t(ProctorMsg::BackToExam)).into(),
            };
            view! { <PageHeader back=back title=title lead=lead /> }.into_any()
        }
        None => view! { <PageHeader title=title lead=lead /> }.into_any(),
    };
    view! {
        <section class="page">
            {header}
            <RequirePermission needs=EXAMS_READ>
                {move || match id.get() {
                    Some(id) => view! { <Monitor exam_id=id /> }.into_any(),
                    None => view! {
                        <p class="empty" data-testid="monitor-no-exam">
                            <a href=Page::Exams.path()>{move || i18n.t(ExamAdminMsg::BackToExams)}</a>
                        </p>
                    }
                    .into_any(),
                }}
            </RequirePermission>
        </section>
    }
}

/// What the monitor shares with its rows.
#[derive(Clone, Copy)]
struct Live {
    exam_id: StoredValue<String>,
    rows: RwSignal<Vec<MonitorRow>>,
    /// When the rows were read (ms since the epoch).
    fetched_at: RwSignal<f64>,
    /// The clock, ticking each second.
    now: RwSignal<f64>,
    /// How many times the rows were read.
    reloads: RwSignal<u32>,
    error: RwSignal<Option<FormError>>,
    i18n: I18n,
    auth: Auth,
}

impl Live {
    /// Reads the rows again.
    fn reload(self) {
        let api = ExamsConsoleApi::new(self.i18n.lang_untracked());
        let Some(id) = self.exam_id.try_get_value() else {
            return;
        };
        spawn_local(async move {
            match api.monitor(&id).await {
                Ok(list) => {
                    self.rows.try_set(list);
                    self.fetched_at.try_set(Date::now());
                    self.now.try_set(Date::now());
                    self.error.try_set(None);
                }
                Err(err) if err.is_unauthorized() => self.auth.expire(),
                Err(err) => {
                    self.error.try_set(Some(FormError::Other(err)));
                }
            }
            self.reloads.try_update(|n| *n += 1);
        });
    }
}

#[component]
fn Monitor(exam_id: String) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let live = Live {
        exam_id: StoredValue::new(exam_id.clone()),
        rows: RwSignal::new(Vec::new()),
        fetched_at: RwSignal::new(Date::now()),
        now: RwSignal::new(Date::now()),
        reloads: RwSignal::new(0),
        error: RwSignal::new(None),
        i18n,
        auth,
    };
    live.reload();
    if let Ok(handle) = set_interval_with_handle(move || live.reload(), REFRESH) {
        on_cleanup(move || handle.clear());
    }
    if let Ok(handle) = set_interval_with_handle(move || live.now.set(Date::now()), TICK) {
        on_cleanup(move || handle.clear());
    }
    let can_write = Memo::new(move |_| may(auth, EXAMS_WRITE));
    let loaded = move || live.reloads.get() > 0;
    let empty =
        move || loaded() && live.rows.with(Vec::is_empty) && live.error.with(Option::is_none);
    view! {
        <section
            class="card monitor"
            data-testid="exam-monitor"
            data-exam-id=exam_id
            data-reloads=move || live.reloads.get()
        >
            <div class="monitor__head">
                <button
                    type="button"
                    class="button button--secondary"
                    data-testid="monitor-refresh"
                    on:click=move |_| live.reload()
                >
                    {move || i18n.t(ProctorMsg::Refresh)}
                </button>
            </div>
            <FormAlert error=live.error testid="monitor-error" />
            <Show when=move || !loaded()>
                <p class="loading">{move || i18n.t(Msg::Loading)}</p>
            </Show>
            <Show when=empty>
                <p class="empty" data-testid="monitor-empty">{move || i18n.t(ProctorMsg::NoCandidates)}</p>
            </Show>
            <Show when=move || !live.rows.with(Vec::is_empty)>
                <div class="table-wrap">
                    <table class="table monitor__table" data-testid="monitor-table">
                        <thead>
                            <tr>
                                <th scope="col">{move || i18n.t(ProctorMsg::ColCandidate)}</th>
                                <th scope="col">{move || i18n.t(ProctorMsg::ColStatus)}</th>
                                <th scope="col">{move || i18n.t(ProctorMsg::ColProgress)}</th>
                                <th scope="col">{move || i18n.t(ProctorMsg::ColTimeLeft)}</th>
                                <th scope="col">{move || i18n.t(ProctorMsg::ColFocusLosses)}</th>
                                <th scope="col">{move || i18n.t(ProctorMsg::ColOtherEvents)}</th>
                                <th scope="col">{move || i18n.t(ProctorMsg::ColLastActivity)}</th>
                                <th scope="col">{move || i18n.t(ProctorMsg::ColReason)}</th>
                                <th scope="col">{move || i18n.t(ProctorMsg::ColActions)}</th>
                            </tr>
                        </thead>
                        <For
                            each=move || live.rows.with(|rows| rows.iter().map(|r| r.candidate_id.clone()).collect::<Vec<_>>())
                            key=|id| id.clone()
                            let(candidate_id)
                        >
                            <Row live=live candidate_id=candidate_id can_write=can_write />
                        </For>
                    </table>
                </div>
            </Show>
        </section>
    }
}

/// The outcome of the last action on a row.
#[derive(Debug, Clone)]
enum Outcome {
    Done(ProctorMsg),
    Refused(ProctorMsg),
    Failed(String),
}

#[component]
fn Row(live: Live, candidate_id: String, can_write: Memo<bool>) -> impl IntoView {
    let i18n = live.i18n;
    let id = StoredValue::new(candidate_id.clone());
    let row = Memo::new(move |_| {
        live.rows
            .with(|rows| id.with_value(|id| rows.iter().find(|r| &r.candidate_id == id).cloned()))
    });
    let get =
        move |f: fn(&MonitorRow) -> String| row.with(|r| r.as_ref().map(f).unwrap_or_default());
    let status = Memo::new(move |_| row.with(|r| r.as_ref().and_then(|r| r.status)));
    let attempt_id =
        Memo::new(move |_| row.with(|r| r.as_ref().and_then(|r| r.attempt_id.clone())));
    let keys_shown_at =
        Memo::new(move |_| row.with(|r| r.as_ref().and_then(|r| r.keys_shown_at.clone())));
    let seconds_left = move || {
        let left = row.with(|r| r.as_ref().and_then(|r| r.seconds_left))?;
        (status.get() == Some(AttemptStatus::InProgress))
            .then(|| seconds_left_now(left, live.now.get() - live.fetched_at.get()))
    };
    let events_open = RwSignal::new(false);
    let extend_minutes = RwSignal::new(DEFAULT_MINUTES.to_owned());
    let reopen_minutes = RwSignal::new(DEFAULT_MINUTES.to_owned());
    let confirming = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let outcome = RwSignal::new(None::<Outcome>);
    // Bumped after each action, so an open timeline reads again.
    let acted = RwSignal::new(0_u32);

    #[derive(Clone, Copy)]
    enum Action {
        Extend(u32),
        ForceSubmit,
        Reopen(u32),
    }
    let act = move |action: Action| {
        let Some(attempt) = attempt_id.get_untracked() else {
            return;
        };
        busy.set(true);
        outcome.set(None);
        let api = ExamsConsoleApi::new(i18n.lang_untracked());
        let exam = live.exam_id.get_value();
        spawn_local(async move {
            let (result, done) = match action {
                Action::Extend(m) => (
                    api.extend_attempt(&exam, &attempt, m).await,
                    ProctorMsg::Extended,
                ),
                Action::ForceSubmit => (
                    api.force_submit_attempt(&exam, &attempt).await,
                    ProctorMsg::ForceSubmitted,
                ),
                Action::Reopen(m) => (
                    api.reopen_attempt(&exam, &attempt, m).await,
                    ProctorMsg::Reopened,
                ),
            };
            busy.try_set(false);
            confirming.try_set(false);
            let shown = match result {
                Ok(_) => Outcome::Done(done),
                Err(err) if err.is_unauthorized() => {
                    live.auth.expire();
                    return;
                }
                Err(err) => match err.conflict_reason().and_then(proctor_conflict_msg) {
                    Some(msg) => Outcome::Refused(msg),
                    None if !err.field_errors().is_empty() => {
                        Outcome::Refused(ProctorMsg::MinutesRange)
                    }
                    None => Outcome::Failed(err.message(i18n.lang_untracked())),
                },
            };
            outcome.try_set(Some(shown));
            acted.try_update(|n| *n += 1);
            live.reload();
        });
    };
    let with_minutes = move |text: RwSignal<String>, make: fn(u32) -> Action| match parse_minutes(
        &text.get_untracked(),
    ) {
        Some(m) => act(make(m)),
        None => outcome.set(Some(Outcome::Refused(ProctorMsg::MinutesRange))),
    };

    let in_progress = move || status.get() == Some(AttemptStatus::InProgress);
    let finished = move || {
        matches!(
            status.get(),
            Some(AttemptStatus::Submitted | AttemptStatus::Graded)
        )
    };
    let started = move || attempt_id.with(Option::is_some);
    let status_text = move || i18n.t(monitor_status_msg(status.get()));
    let status_attr = move || {
        status
            .get()
            .map(AttemptStatus::as_str)
            .unwrap_or("not_started")
    };
    let progress = move || {
        row.with(|r| {
            r.as_ref()
                .map(|r| format!("{} / {}", r.answered, r.question_count))
                .unwrap_or_default()
        })
    };
    let focus = move || row.with(|r| r.as_ref().map(|r| r.events.focus_losses).unwrap_or(0));
    let focus_class = move || if focus() > 0 { "monitor__alert" } else { "" };
    let others = move || {
        row.with(|r| {
            r.as_ref()
                .map(|r| other_events_text(&r.events, i18n.lang()))
                .unwrap_or_default()
        })
    };
    let others_total = move || {
        row.with(|r| {
            r.as_ref()
                .map(|r| other_events_total(&r.events))
                .unwrap_or(0)
        })
    };
    let reason = Memo::new(move |_| row.with(|r| r.as_ref().and_then(|r| r.submitted_reason)));
    let last_activity =
        Memo::new(move |_| row.with(|r| r.as_ref().and_then(|r| r.last_activity_at.clone())));

    view! {
        <tbody class="monitor__row-group">
            <tr
                data-testid="monitor-row"
                data-candidate-id=candidate_id
                data-attempt-id=move || attempt_id.get().unwrap_or_default()
                data-status=status_attr
            >
                <td data-testid="monitor-candidate">{move || get(|r| r.candidate_name.clone())}</td>
                <td data-testid="monitor-status">
                    <span class=move || format!("monitor__status monitor__status--{}", status_attr())>{status_text}</span>
                </td>
                <td data-testid="monitor-progress">{progress}</td>
                <td
                    class="table__nowrap monitor__time-left"
                    data-testid="monitor-time-left"
                    data-seconds=move || seconds_left().map(|s| s.to_string()).unwrap_or_default()
                >
                    {move || seconds_left().map(time_left_text).unwrap_or_else(|| "–".to_owned())}
                </td>
                <td data-testid="monitor-focus-losses" class=focus_class>{focus}</td>
                <td data-testid="monitor-other-events" data-value=others_total>{others}</td>
                <td class="table__nowrap" data-testid="monitor-last-activity">
                    {move || last_activity.get().map(|at| view! { <LocalTime rfc3339=at /> })}
                </td>
                <td data-testid="monitor-reason" data-value=move || reason.get().map(|r| r.as_str()).unwrap_or_default()>
                    {move || reason.get().map(|r| i18n.t(submit_reason_msg(r))).unwrap_or("–")}
                </td>
                <td class="monitor__actions">
                    <Show when=move || can_write.get() && in_progress()>
                        <div class="monitor__action">
                            <label class="monitor__minutes">
                                <span class="monitor__minutes-label">{move || i18n.t(ProctorMsg::Minutes)}</span>
                                <input
                                    type="number"
                                    min="1"
                                    max="600"
                                    class="input"
                                    data-testid="monitor-extend-minutes"
                                    prop:value=move || extend_minutes.get()
                                    on:input=move |ev| extend_minutes.set(event_target_value(&ev))
                                />
                            </label>
                            <button
                                type="button"
                                class="button button--secondary"
                                data-testid="monitor-extend"
                                disabled=move || busy.get()
                                on:click=move |_| with_minutes(extend_minutes, Action::Extend)
                            >
                                {move || i18n.t(ProctorMsg::Extend)}
                            </button>
                        </div>
                        <Show
                            when=move || confirming.get()
                            fallback=move || view! {
                                <button
                                    type="button"
                                    class="button button--danger"
                                    data-testid="monitor-force-submit"
                                    disabled=move || busy.get()
                                    on:click=move |_| confirming.set(true)
                                >
                                    {move || i18n.t(ProctorMsg::ForceSubmit)}
                                </button>
                            }
                        >
                            <Confirm
                                question=move || i18n.t(ProctorMsg::ForceSubmitQuestion).to_owned()
                                detail=move || i18n.t(ProctorMsg::ForceSubmitDetail)
                                confirm_label=ProctorMsg::ConfirmForceSubmit
                                busy=busy
                                on_yes=move || act(Action::ForceSubmit)
                                on_no=move || confirming.set(false)
                            />
                        </Show>
                    </Show>
                    <Show when=move || finished() && keys_shown_at.with(Option::is_some)>
                        <p class="monitor__note" data-testid="monitor-keys-seen">
                            {move || i18n.t(ProctorMsg::KeysSeen)}
                            " "
                            {move || keys_shown_at.get().map(|at| view! { <LocalTime rfc3339=at /> })}
                        </p>
                    </Show>
                    <Show when=move || can_write.get() && finished() && keys_shown_at.with(Option::is_none)>
                        <div class="monitor__action">
                            <label class="monitor__minutes">
                                <span class="monitor__minutes-label">{move || i18n.t(ProctorMsg::Minutes)}</span>
                                <input
                                    type="number"
                                    min="1"
                                    max="600"
                                    class="input"
                                    data-testid="monitor-reopen-minutes"
                                    prop:value=move || reopen_minutes.get()
                                    on:input=move |ev| reopen_minutes.set(event_target_value(&ev))
                                />
                            </label>
                            <button
                                type="button"
                                class="button button--secondary"
                                data-testid="monitor-reopen"
                                disabled=move || busy.get()
                                on:click=move |_| with_minutes(reopen_minutes, Action::Reopen)
                            >
                                {move || i18n.t(ProctorMsg::Reopen)}
                            </button>
                        </div>
                    </Show>
                    <Show when=started>
                        <button
                            type="button"
                            class="link-button"
                            data-testid="monitor-events-toggle"
                            aria-expanded=move || events_open.get().to_string()
                            on:click=move |_| events_open.update(|open| *open = !*open)
                        >
                            {move || i18n.t(if events_open.get() { ProctorMsg::HideEvents } else { ProctorMsg::Events })}
                        </button>
                    </Show>
                    {move || outcome.get().map(|o| {
                        let (ok, text) = match o {
                            Outcome::Done(msg) => (true, i18n.t(msg).to_owned()),
                            Outcome::Refused(msg) => (false, i18n.t(msg).to_owned()),
                            Outcome::Failed(text) => (false, text),
                        };
                        let class = if ok { "monitor__result monitor__result--ok" } else { "monitor__result monitor__result--error" };
                        view! {
                            <p class=class role="status" data-testid="monitor-result" data-ok=ok.to_string()>{text}</p>
                        }
                    })}
                </td>
            </tr>
            <Show when=move || events_open.get() && started()>
                <tr class="monitor__events-row">
                    <td colspan="9">
                        <Timeline live=live attempt_id=attempt_id.get_untracked().unwrap_or_default() acted=acted />
                    </td>
                </tr>
            </Show>
        </tbody>
    }
}

/// An attempt's events, oldest first, read again after each refresh of the table.
#[component]
fn Timeline(live: Live, attempt_id: String, acted: RwSignal<u32>) -> impl IntoView {
    let i18n = live.i18n;
    let attempt_id = StoredValue::new(attempt_id);
    let error = RwSignal::new(None::<FormError>);
    let events = LocalResource::new(move || {
        live.reloads.track();
        acted.track();
        let api = ExamsConsoleApi::new(i18n.lang_untracked());
        let exam = live.exam_id.get_value();
        let attempt = attempt_id.get_value();
        async move { api.attempt_events(&exam, &attempt).await }
    });
    Effect::new(move |_| {
        if let Some(Err(err)) = events.get() {
            report_error(live.auth, err, error);
        }
    });
    view! {
        <div class="monitor__events" data-testid="monitor-events">
            <FormAlert error=error testid="monitor-events-error" />
            <Transition fallback=move || view! { <p class="loading">{move || i18n.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    let list = events.await.unwrap_or_default();
                    if list.is_empty() {
                        return view! {
                            <p class="empty" data-testid="monitor-events-empty">{move || i18n.t(ProctorMsg::NoEvents)}</p>
                        }
                        .into_any();
                    }
                    let rows = list
                        .into_iter()
                        .map(|e| {
                            let kind = e.kind;
                            view! {
                                <tr data-testid="monitor-event" data-kind=kind.as_str()>
                                    <td class="table__nowrap"><LocalTime rfc3339=e.occurred_at /></td>
                                    <td data-testid="monitor-event-kind">{move || i18n.t(event_kind_msg(kind))}</td>
                                    <td data-testid="monitor-event-detail">{e.detail.unwrap_or_default()}</td>
                                    <td data-testid="monitor-event-ip">{e.ip.unwrap_or_default()}</td>
                                </tr>
                            }
                        })
                        .collect_view();
                    view! {
                        <div class="table-wrap"><table class="table monitor__events-table">
                            <thead>
                                <tr>
                                    <th scope="col">{move || i18n.t(ProctorMsg::EventTime)}</th>
                                    <th scope="col">{move || i18n.t(ProctorMsg::EventKind)}</th>
                                    <th scope="col">{move || i18n.t(ProctorMsg::EventDetail)}</th>
                                    <th scope="col">{move || i18n.t(ProctorMsg::EventIp)}</th>
                                </tr>
                            </thead>
                            <tbody>{rows}</tbody>
                        </table></div>
                    }
                    .into_any()
                })}
            </Transition>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::{monitor_href, parse_minutes, seconds_left_now};

    #[test]
    fn the_monitor_address_carries_the_exam() {
        assert_eq!(monitor_href("e-1"), "/exam-monitor?id=e-1");
    }

    #[test]
    fn minutes_must_be_between_1_and_600() {
        assert_eq!(parse_minutes(" 15 "), Some(15));
        assert_eq!(parse_minutes("600"), Some(600));
        assert_eq!(parse_minutes("0"), None);
        assert_eq!(parse_minutes("601"), None);
        assert_eq!(parse_minutes("x"), None);
    }

    #[test]
    fn the_time_left_counts_down_from_the_last_read() {
        assert_eq!(seconds_left_now(100, 0.0), 100);
        assert_eq!(seconds_left_now(100, 2_500.0), 98);
        assert_eq!(seconds_left_now(1, 5_000.0), 0);
    }
}
