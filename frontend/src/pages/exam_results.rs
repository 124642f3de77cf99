//! `/exam-results?id=…`: an exam's results. Figures over the whole exam (finished, passed,
//! waiting for grading, mean, highest), filters (outcome, grading state), the order (rank,
//! time used, submission), a paged table of one row per candidate with the counted attempt,
//! and downloads of everything matching the filters as Excel or CSV in the interface
//! language. Each row opens the attempt's score sheet.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use shared::results::{GradingState, ResultPage, ResultRow};

use crate::api::{self, ResultFilter, ResultsApi, results_export_url};
use crate::components::console_gate::RequirePermission;
use crate::components::console_nav::EXAMS_READ;
use crate::components::page_header::{Back, PageHeader};
use crate::components::pager::Pager;
use crate::components::{ApiErrors, LocalTime};
use crate::i18n::{ConsoleMsg, Msg, ResultsMsg, duration_text, submit_reason_msg, use_i18n};
use crate::pages::exams::{EXAM_PARAM, exam_link};
use crate::routes::{Page, encode_query_value};

/// Rows per page.
const PAGE: i64 = 50;
/// The score sheet's query parameter naming the attempt.
pub const ATTEMPT_PARAM: &str = "attempt";

/// The address of an exam's results.
pub fn results_href(exam_id: &str) -> String {
    format!(
        "{}?{EXAM_PARAM}={}",
        Page::ExamResults.path(),
        encode_query_value(exam_id)
    )
}

/// The address of one attempt's score sheet.
pub fn score_sheet_href(exam_id: &str, attempt_id: &str) -> String {
    format!(
        "{}?{EXAM_PARAM}={}&{ATTEMPT_PARAM}={}",
        Page::ScoreSheet.path(),
        encode_query_value(exam_id),
        encode_query_value(attempt_id)
    )
}

#[component]
pub fn ExamResultsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let id = Memo::new(move |_| {
        query
            .with(|q| q.get(EXAM_PARAM))
            .filter(|id| !id.is_empty())
    });
    let title = move || i18n.t(ResultsMsg::Title);
    let lead = move || i18n.t(ResultsMsg::Lead);
    let header = move || match id.get() {
        Some(id) => {
            let back = Back {
                href: exam_link(&id),
                testid: "results-back",
                label: (move || i18n.t(ResultsMsg::BackToExam)).into(),
            };
            view! { <PageHeader back=back title=title lead=lead /> }.into_any()
        }
        None => view! { <PageHeader title=title lead=lead /> }.into_any(),
    };
    view! {
        <section class="page">
            {header}
            <RequirePermission needs=EXAMS_READ>
                {move || id.get().map(|id| view! { <Results exam_id=id /> })}
            </RequirePermission>
        </section>
    }
}

#[component]
fn Results(exam_id: String) -> impl IntoView {
    let i18n = use_i18n();
    let exam_id = StoredValue::new(exam_id);
    let filter = RwSignal::new(ResultFilter {
        limit: PAGE,
        ..ResultFilter::default()
    });
    let page = LocalResource::new(move || {
        let f = filter.get();
        let lang = i18n.lang_untracked();
        let id = exam_id.get_value();
        async move { ResultsApi::new(lang).table(&id, &f).await }
    });
    let set = move |change: fn(&mut ResultFilter, String), value: String| {
        filter.update(|f| {
            change(f, value);
            f.offset = 0;
        });
    };
    let outcome = move |ev| {
        set(
            |f, v| {
                f.passed = match v.as_str() {
                    "passed" => Some(true),
                    "failed" => Some(false),
                    _ => None,
                }
            },
            event_target_value(&ev),
        )
    };
    let grading = move |ev| {
        set(
            |f, v| f.grading = (!v.is_empty()).then_some(v),
            event_target_value(&ev),
        )
    };
    let sort = move |ev| {
        set(
            |f, v| f.sort = (v != "rank").then_some(v),
            event_target_value(&ev),
        )
    };
    let export = move |format: &'static str| {
        move || results_export_url(&exam_id.get_value(), &filter.get(), format, i18n.lang())
    };
    let option = |value: &'static str, msg: ResultsMsg| {
        view! { <option value=value>{move || i18n.t(msg)}</option> }
    };
    view! {
        <section class="card results" data-testid="exam-results">
            <div class="results__filters">
                <label class="field field--inline">
                    <span class="field__label">{move || i18n.t(ResultsMsg::Outcome)}</span>
                    <select class="input" data-testid="results-outcome" on:change=outcome>
                        {option("", ResultsMsg::FilterAll)}
                        {option("passed", ResultsMsg::FilterPassed)}
                        {option("failed", ResultsMsg::FilterFailed)}
                    </select>
                </label>
                <label class="field field--inline">
                    <span class="field__label">{move || i18n.t(ResultsMsg::Grading)}</span>
                    <select class="input" data-testid="results-grading" on:change=grading>
                        {option("", ResultsMsg::FilterAll)}
                        {option("graded", ResultsMsg::FilterGraded)}
                        {option("pending", ResultsMsg::FilterPending)}
                    </select>
                </label>
                <label class="field field--inline">
                    <span class="field__label">{move || i18n.t(ResultsMsg::SortBy)}</span>
                    <select class="input" data-testid="results-sort" on:change=sort>
                        {option("rank", ResultsMsg::SortRank)}
                        {option("time_used", ResultsMsg::SortTime)}
                        {option("submitted", ResultsMsg::SortSubmitted)}
                    </select>
                </label>
                <label class="checkbox">
                    <input type="checkbox" data-testid="results-reverse"
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            filter.update(|f| { f.descending = on; f.offset = 0; });
                        } />
                    {move || i18n.t(ResultsMsg::Reverse)}
                </label>
                <span class="results__exports">
                    <a class="button button--secondary" data-testid="results-export-xlsx" href=export("xlsx") download="">
                        {move || i18n.t(ResultsMsg::ExportXlsx)}
                    </a>
                    <a class="button button--secondary" data-testid="results-export-csv" href=export("csv") download="">
                        {move || i18n.t(ResultsMsg::ExportCsv)}
                    </a>
                </span>
            </div>
            <p class="field__hint">{move || i18n.t(ResultsMsg::ExportHint)}</p>
            <Transition fallback=move || view! { <p class="loading">{move || i18n.t(Msg::Loading)}</p> }>
                <ErrorBoundary fallback=|errors| view! { <ApiErrors errors=errors /> }>
                    {move || Suspend::new(async move {
                        let loaded = page.await?;
                        Ok::<_, api::Error>(results_view(loaded, exam_id.get_value(), filter))
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

fn results_view(page: ResultPage, exam_id: String, filter: RwSignal<ResultFilter>) -> AnyView {
    let i18n = use_i18n();
    let s = page.summary.clone();
    let figure = |msg: ResultsMsg, value: String, testid: &'static str| {
        view! {
            <div class="figure" data-testid=testid>
                <span class="figure__value">{value}</span>
                <span class="figure__label">{move || i18n.t(msg)}</span>
            </div>
        }
    };
    let opt = |v: Option<f64>| v.map_or_else(|| "–".to_owned(), |v| v.to_string());
    let figures = view! {
        <div class="figures" data-testid="results-summary">
            {figure(ResultsMsg::Finished, format!("{} / {}", s.finished, s.candidates), "results-finished")}
            {figure(ResultsMsg::PassedCount, s.passed.to_string(), "results-passed")}
            {figure(ResultsMsg::PendingCount, s.pending.to_string(), "results-pending")}
            {figure(ResultsMsg::Mean, opt(s.mean_score), "results-mean")}
            {figure(ResultsMsg::Highest, opt(s.highest_score), "results-highest")}
            {figure(ResultsMsg::PassMark, format!("{} / {}", s.pass_mark, s.max_score), "results-pass-mark")}
        </div>
    };
    if page.rows.is_empty() {
        let msg = if s.finished == 0 {
            ResultsMsg::NoResults
        } else {
            ResultsMsg::NoMatch
        };
        return view! {
            {figures}
            <p class="empty" data-testid="results-empty">{move || i18n.t(msg)}</p>
        }
        .into_any();
    }
    let (offset, limit, total, shown) = (page.offset, page.limit, page.total, page.rows.len());
    let go = Callback::new(move |to: i64| filter.update(|f| f.offset = to));
    let header = |msg: ResultsMsg| view! { <th scope="col">{move || i18n.t(msg)}</th> };
    let rows = page
        .rows
        .into_iter()
        .map(|row| result_row(row, &exam_id))
        .collect_view();
    view! {
        {figures}
        <div class="table-wrap">
            <table class="table results__table" data-testid="results-table">
                <thead>
                    <tr>
                        {header(ResultsMsg::Rank)}
                        {header(ResultsMsg::Candidate)}
                        {header(ResultsMsg::Score)}
                        {header(ResultsMsg::Percent)}
                        {header(ResultsMsg::Result)}
                        {header(ResultsMsg::TimeUsed)}
                        {header(ResultsMsg::Submitted)}
                        {header(ResultsMsg::Attempts)}
                        {header(ResultsMsg::Grading)}
                        <th scope="col">{move || i18n.t(ConsoleMsg::Actions)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <Pager offset=offset limit=limit shown=shown total=total testid="results" go=go
            resize=Callback::new(move |n| filter.update(|f| { f.limit = n; f.offset = 0; })) />
    }
    .into_any()
}

fn result_row(row: ResultRow, exam_id: &str) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let who = match (&row.name, &row.account) {
        (Some(name), Some(account)) => view! {
            <span class="results__name">{name.clone()}</span>
            <span class="results__muted">{account.clone()}</span>
        }
        .into_any(),
        _ => view! { <span class="results__muted" title=move || i18n.t(ResultsMsg::Hidden)>{short_id(&row.candidate_id)}</span> }
            .into_any(),
    };
    let (result_msg, result_class) = if row.passed {
        (ResultsMsg::Passed, "badge badge--ok")
    } else {
        (ResultsMsg::Failed, "badge badge--failing")
    };
    let (grading_msg, grading_class) = match row.grading {
        GradingState::Graded => (ResultsMsg::Graded, "badge badge--muted"),
        GradingState::Pending => (ResultsMsg::Pending, "badge badge--pending"),
    };
    let released = row.released;
    let reason = row.submitted_reason.map(submit_reason_msg);
    let sheet = score_sheet_href(exam_id, &row.attempt_id);
    view! {
        <tr data-testid="results-row" data-candidate=row.candidate_id.clone() data-rank=row.rank>
            <td class="results__rank">{row.rank}</td>
            <td><div class="results__who">{who}</div></td>
            <td class="results__num">{format!("{} / {}", row.score, row.max_score)}</td>
            <td class="results__num">{format!("{}%", row.percent)}</td>
            <td><span class=result_class>{move || i18n.t(result_msg)}</span></td>
            <td class="results__num">{duration_text(row.time_used_seconds)}</td>
            <td>
                <LocalTime rfc3339=row.submitted_at.clone() />
                {reason.map(|r| view! { <span class="results__muted results__reason">{move || i18n.t(r)}</span> })}
            </td>
            <td class="results__num">{row.attempts}</td>
            <td>
                <span class=grading_class>{move || i18n.t(grading_msg)}</span>
                <Show when=move || !released>
                    <span class="badge badge--muted">{move || i18n.t(ResultsMsg::NotReleased)}</span>
                </Show>
            </td>
            <td><a href=sheet data-testid="results-sheet">{move || i18n.t(ResultsMsg::ScoreSheet)}</a></td>
        </tr>
    }
}

/// The first characters of an id, for rows without names.
fn short_id(id: &str) -> String {
    id.chars().take(8).collect()
}
