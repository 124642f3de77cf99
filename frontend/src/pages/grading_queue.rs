//! `/grading/exam?exam=…`: one exam's grading queue. Progress over the exam, per question and
//! per grader; the answers that need a person, filtered by question, status and grader, each
//! opening on the marking screen; "Start marking"; and the exam's marking rule. Blind: answers
//! are named by their attempt's anonymous code, graders other than the caller by a number.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use shared::grading::{GradingItemDto, GradingItemPage, GradingProgress, ItemOrigin, ItemStatus};

use crate::api::{self, GradingApi, ItemFilter};
use crate::auth::use_auth;
use crate::components::console_gate::{RequirePermission, watch_session};
use crate::components::console_nav::GRADING_READ;
use crate::components::grading_marking::MarkingRule;
use crate::components::page_header::{Back, PageHeader};
use crate::components::pager::Pager;
use crate::components::{ApiErrors, LocalTime};
use crate::i18n::{
    ConsoleMsg, GradingMsg, Msg, grader_text, item_status_msg, queue_question_text, use_i18n,
};
use crate::pages::grading::{GRADING_EXAM_PARAM, mark_href, to_mark};
use crate::routes::Page;

/// Items per page.
const PAGE: i64 = 50;

/// How a grader is shown: "Me", or "Grader n" by their place in the exam's progress.
pub fn grader_label(progress: &GradingProgress, grader_id: &str, me: Option<&str>) -> String {
    let i18n = use_i18n();
    if Some(grader_id) == me {
        return i18n.t(GradingMsg::Me).to_owned();
    }
    let n = progress
        .graders
        .iter()
        .position(|g| g.grader_id == grader_id)
        .map_or(0, |i| i + 1);
    grader_text(n, i18n.lang())
}

/// The badge class of an item's status.
pub fn status_class(status: ItemStatus) -> &'static str {
    match status {
        ItemStatus::Open => "badge badge--pending",
        ItemStatus::Arbitration => "badge badge--failing",
        ItemStatus::Done => "badge badge--ok",
    }
}

#[component]
pub fn GradingQueuePage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let id = Memo::new(move |_| {
        query
            .with(|q| q.get(GRADING_EXAM_PARAM))
            .filter(|id| !id.is_empty())
    });
    let back = Back {
        href: Page::Grading.path().to_owned(),
        testid: "queue-back",
        label: (move || i18n.t(GradingMsg::BackToGrading)).into(),
    };
    view! {
        <section class="page">
            <PageHeader back=back title=move || i18n.t(GradingMsg::QueueTitle)
                lead=move || i18n.t(GradingMsg::QueueLead)>
                {move || id.get().map(|id| view! {
                    <a class="button" href=mark_href(&id, None) data-testid="queue-start">
                        {move || i18n.t(GradingMsg::StartMarking)}
                    </a>
                })}
            </PageHeader>
            <RequirePermission needs=GRADING_READ>
                {move || id.get().map(|id| view! { <Queue exam_id=id /> })}
            </RequirePermission>
        </section>
    }
}

#[component]
fn Queue(exam_id: String) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let exam = StoredValue::new(exam_id.clone());
    let reload = RwSignal::new(0u32);
    let filter = RwSignal::new(ItemFilter {
        limit: PAGE,
        ..ItemFilter::default()
    });
    // Graders cannot read exams: the name comes from the list of exams with work (absent once
    // none waits). It is a heading only; the progress below reports any failure of the API.
    let name = LocalResource::new(move || {
        let lang = i18n.lang_untracked();
        async move {
            let exams = GradingApi::new(lang).exams().await.unwrap_or_default();
            exams
                .into_iter()
                .find(|e| e.id == exam.get_value())
                .map(|e| e.name)
        }
    });
    let progress = LocalResource::new(move || {
        reload.track();
        let lang = i18n.lang_untracked();
        async move { GradingApi::new(lang).progress(&exam.get_value()).await }
    });
    let items = LocalResource::new(move || {
        reload.track();
        let f = filter.get();
        let lang = i18n.lang_untracked();
        async move { GradingApi::new(lang).items(&exam.get_value(), &f).await }
    });
    watch_session(auth, progress);
    view! {
        <h2 class="section-title" data-testid="queue-exam-name">{move || name.get().flatten()}</h2>
        <Transition fallback=move || view! { <p class="loading">{move || i18n.t(Msg::Loading)}</p> }>
            <ErrorBoundary fallback=|errors| view! { <ApiErrors errors=errors /> }>
                {move || Suspend::new(async move {
                    let progress = progress.await?;
                    Ok::<_, api::Error>(view! {
                        {progress_view(progress.clone(), reload)}
                        <section class="card" data-testid="queue-items-card">
                            <h2 class="card__title">{move || i18n.t(GradingMsg::Items)}</h2>
                            {filters_view(&progress, filter)}
                            <Transition fallback=move || view! { <p class="loading">{move || i18n.t(Msg::Loading)}</p> }>
                                <ErrorBoundary fallback=|errors| view! { <ApiErrors errors=errors /> }>
                                    {move || Suspend::new(async move {
                                        let page = items.await?;
                                        Ok::<_, api::Error>(items_view(page, exam.get_value(), filter))
                                    })}
                                </ErrorBoundary>
                            </Transition>
                        </section>
                    })
                })}
            </ErrorBoundary>
        </Transition>
        <MarkingRule exam_id=exam_id />
    }
}

fn progress_view(p: GradingProgress, reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let me = use_auth().user().map(|u| u.user_id);
    let figure = |msg: GradingMsg, value: String, testid: &'static str| {
        view! {
            <div class="figure" data-testid=testid>
                <span class="figure__value">{value}</span>
                <span class="figure__label">{move || i18n.t(msg)}</span>
            </div>
        }
    };
    let header = |msg: GradingMsg| view! { <th scope="col">{move || i18n.t(msg)}</th> };
    let questions = p
        .questions
        .iter()
        .map(|q| {
            let (number, part) = (q.question_number, q.part);
            view! {
                <tr data-testid="queue-question" data-question-id=q.question_id.clone()>
                    <td>{move || queue_question_text(number, part, i18n.lang())}</td>
                    <td class="results__num">{format!("{} / {}", q.done, q.total)}</td>
                    <td class="results__num">{q.arbitration}</td>
                </tr>
            }
        })
        .collect_view();
    let graders = p
        .graders
        .iter()
        .map(|g| {
            let label = grader_label(&p, &g.grader_id, me.as_deref());
            view! {
                <tr data-testid="queue-grader">
                    <td>{label}</td>
                    <td class="results__num">{g.marks}</td>
                    <td class="results__num">{g.arbitrations}</td>
                </tr>
            }
        })
        .collect_view();
    let no_graders = p.graders.is_empty();
    view! {
        <section class="card" data-testid="queue-progress">
            <div class="grading__head">
                <h2 class="card__title">{move || i18n.t(GradingMsg::Progress)}</h2>
                <button type="button" class="button button--secondary" data-testid="queue-refresh"
                    on:click=move |_| reload.update(|n| *n += 1)>
                    {move || i18n.t(GradingMsg::Refresh)}
                </button>
            </div>
            <div class="figures">
                {figure(GradingMsg::Done, format!("{} / {}", p.done, p.total), "queue-done")}
                {figure(GradingMsg::ToMark, to_mark(&p).to_string(), "queue-to-mark")}
                {figure(GradingMsg::ToArbitrate, p.arbitration.to_string(), "queue-to-arbitrate")}
                {figure(GradingMsg::AttemptsWaiting, p.attempts_waiting.to_string(), "queue-waiting")}
            </div>
            <div class="grading__split">
                <div class="table-wrap">
                    <table class="table" data-testid="queue-questions">
                        <caption>{move || i18n.t(GradingMsg::ByQuestion)}</caption>
                        <thead><tr>
                            {header(GradingMsg::Question)}
                            {header(GradingMsg::Done)}
                            {header(GradingMsg::ToArbitrate)}
                        </tr></thead>
                        <tbody>{questions}</tbody>
                    </table>
                </div>
                <div class="table-wrap">
                    <table class="table" data-testid="queue-graders">
                        <caption>{move || i18n.t(GradingMsg::ByGrader)}</caption>
                        <thead><tr>
                            {header(GradingMsg::Grader)}
                            {header(GradingMsg::Marks)}
                            {header(GradingMsg::Arbitrations)}
                        </tr></thead>
                        <tbody>{graders}</tbody>
                    </table>
                    <Show when=move || no_graders>
                        <p class="empty">{move || i18n.t(GradingMsg::NoMarksYet)}</p>
                    </Show>
                </div>
            </div>
        </section>
    }
}

fn filters_view(p: &GradingProgress, filter: RwSignal<ItemFilter>) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let me = use_auth().user().map(|u| u.user_id);
    let set = move |change: fn(&mut ItemFilter, Option<String>), value: String| {
        filter.update(|f| {
            change(f, (!value.is_empty()).then_some(value));
            f.offset = 0;
        });
    };
    let all = move || view! { <option value="">{move || i18n.t(GradingMsg::FilterAll)}</option> };
    // The same question may be listed per part; the filter is by question.
    let mut seen = Vec::new();
    let questions = p
        .questions
        .iter()
        .filter(|q| {
            let new = !seen.contains(&q.question_id);
            seen.push(q.question_id.clone());
            new
        })
        .map(|q| {
            let number = q.question_number;
            view! { <option value=q.question_id.clone()>{move || queue_question_text(number, None, i18n.lang())}</option> }
        })
        .collect_view();
    let graders = p
        .graders
        .iter()
        .map(|g| {
            let label = grader_label(p, &g.grader_id, me.as_deref());
            view! { <option value=g.grader_id.clone()>{label}</option> }
        })
        .collect_view();
    let statuses = ItemStatus::ALL
        .into_iter()
        .map(|s| view! { <option value=s.as_str()>{move || i18n.t(item_status_msg(s))}</option> })
        .collect_view();
    view! {
        <div class="results__filters">
            <label class="field field--inline">
                <span class="field__label">{move || i18n.t(GradingMsg::Question)}</span>
                <select class="input" data-testid="queue-filter-question"
                    on:change=move |ev| set(|f, v| f.question_id = v, event_target_value(&ev))>
                    {all()}{questions}
                </select>
            </label>
            <label class="field field--inline">
                <span class="field__label">{move || i18n.t(GradingMsg::Status)}</span>
                <select class="input" data-testid="queue-filter-status"
                    on:change=move |ev| set(|f, v| f.status = v, event_target_value(&ev))>
                    {all()}{statuses}
                </select>
            </label>
            <label class="field field--inline">
                <span class="field__label">{move || i18n.t(GradingMsg::Grader)}</span>
                <select class="input" data-testid="queue-filter-grader"
                    on:change=move |ev| set(|f, v| f.grader_id = v, event_target_value(&ev))>
                    {all()}{graders}
                </select>
            </label>
        </div>
    }
}

fn items_view(page: GradingItemPage, exam_id: String, filter: RwSignal<ItemFilter>) -> AnyView {
    let i18n = use_i18n();
    if page.items.is_empty() {
        return view! { <p class="empty" data-testid="queue-empty">{move || i18n.t(GradingMsg::NoItems)}</p> }
            .into_any();
    }
    let (offset, limit, total, shown) = (page.offset, page.limit, page.total, page.items.len());
    let go = Callback::new(move |to: i64| filter.update(|f| f.offset = to.max(0)));
    let header = |msg: GradingMsg| view! { <th scope="col">{move || i18n.t(msg)}</th> };
    let rows = page
        .items
        .into_iter()
        .map(|item| item_row(item, &exam_id))
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="table grading__items" data-testid="queue-items">
                <thead><tr>
                    {header(GradingMsg::Code)}
                    {header(GradingMsg::Question)}
                    {header(GradingMsg::Status)}
                    {header(GradingMsg::MarksGiven)}
                    {header(GradingMsg::MyMark)}
                    {header(GradingMsg::FinalMark)}
                    <th scope="col">{move || i18n.t(ConsoleMsg::Actions)}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <Pager offset=offset limit=limit shown=shown total=total testid="queue" go=go
            resize=Callback::new(move |n| filter.update(|f| { f.limit = n; f.offset = 0; })) />
    }
    .into_any()
}

fn item_row(item: GradingItemDto, exam_id: &str) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let (number, part, status) = (item.question_number, item.part, item.status);
    let points =
        |p: Option<f64>| p.map_or_else(|| "–".to_owned(), |p| format!("{p} / {}", item.max_points));
    view! {
        <tr data-testid="queue-item" data-item-id=item.id.clone() data-status=status.as_str()>
            <td><code data-testid="queue-item-code">{item.anonymous_code.clone()}</code></td>
            <td>
                {move || queue_question_text(number, part, i18n.lang())}
                {(item.origin == ItemOrigin::Review).then(|| view! {
                    " "<span class="badge badge--muted" data-testid="queue-item-review">{move || i18n.t(GradingMsg::ReviewBadge)}</span>
                })}
            </td>
            <td><span class=status_class(status)>{move || i18n.t(item_status_msg(status))}</span></td>
            <td class="results__num">{format!("{} / {}", item.marks_given, item.marks_required)}</td>
            <td class="results__num" data-testid="queue-item-mine">{points(item.my_points)}</td>
            <td class="results__num" data-testid="queue-item-final">{points(item.final_points)}</td>
            <td><a href=mark_href(exam_id, Some(&item.id)) data-testid="queue-item-open">{move || i18n.t(GradingMsg::Open)}</a></td>
        </tr>
    }
}

/// When the caller holds an item, until when (shown on the marking screen).
#[component]
pub fn HeldUntil(until: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    until.map(|until| {
        view! {
            <span class="results__muted" data-testid="mark-held">
                {move || i18n.t(GradingMsg::HeldUntil)}" " <LocalTime rfc3339=until.clone() />
            </span>
        }
    })
}
