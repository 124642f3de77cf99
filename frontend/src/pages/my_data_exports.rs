//! The exports of the "my data" page (privacy statement 5.3): the request button, what an
//! export is, and the list with each export's status, size and times, and the download link
//! while one is ready. While an export is being prepared the page reads the list again every
//! 2 seconds, and stops when none is (or when the page is left).

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::ErrorCode;
use shared::my_data::{DataExport, ExportStatus};

use crate::api;
use crate::components::LocalTime;
use crate::components::form::{FormAlert, FormError};
use crate::i18n::{MyDataMsg, export_status_msg, size_text, use_i18n};

use super::my_data::Person;
use super::my_data_records::Section;

/// How often the list is read while an export is being prepared.
const POLL: Duration = Duration::from_secs(2);

/// How many more readings follow a click on a download link, so that the row turns
/// "downloaded" once the browser fetched the file.
const READS_AFTER_DOWNLOAD: u32 = 3;

const COLUMNS: [MyDataMsg; 6] = [
    MyDataMsg::Requested,
    MyDataMsg::Status,
    MyDataMsg::Size,
    MyDataMsg::Expires,
    MyDataMsg::Downloaded,
    MyDataMsg::Download,
];

/// The list of exports and what keeps it current.
#[derive(Clone, Copy)]
struct ExportList {
    person: Person,
    exports: RwSignal<Vec<DataExport>>,
    /// Readings still wanted with nothing pending (after a download or a 409).
    extra_reads: RwSignal<u32>,
    reading: RwSignal<bool>,
    /// Why the last reading failed; cleared by the next that succeeds.
    read_error: RwSignal<Option<FormError>>,
}

impl ExportList {
    fn any_pending(self) -> bool {
        self.exports.with_untracked(|list| {
            list.iter()
                .any(|export| export.status == ExportStatus::Pending)
        })
    }

    /// One tick of the clock: reads the list again if something may change.
    fn tick(self, lang: shared::Lang) {
        let extra = self.extra_reads.get_untracked();
        if self.reading.get_untracked() || !(extra > 0 || self.any_pending()) {
            return;
        }
        self.extra_reads.set(extra.saturating_sub(1));
        self.reading.set(true);
        let api = self.person.api(lang);
        spawn_local(async move {
            let result = self.person.checked(api.get().await);
            self.reading.try_set(false);
            match result {
                Ok(data) => {
                    self.exports.try_set(data.exports);
                    self.read_error.try_set(None);
                }
                Err(err) => {
                    self.read_error.try_set(Some(FormError::Other(err)));
                }
            }
        });
    }
}

/// A refused request in words: one is already being prepared (409), or the day's five are
/// used (429).
fn request_error(err: api::Error) -> FormError {
    match err.code() {
        Some(ErrorCode::Conflict) => FormError::Text(MyDataMsg::ExportBusy.into()),
        Some(ErrorCode::RateLimited) => FormError::Text(MyDataMsg::ExportLimit.into()),
        _ => FormError::Other(err),
    }
}

#[component]
pub(super) fn Exports(exports: Vec<DataExport>, person: Person) -> impl IntoView {
    let i18n = use_i18n();
    let list = ExportList {
        person,
        exports: RwSignal::new(exports),
        extra_reads: RwSignal::new(0),
        reading: RwSignal::new(false),
        read_error: RwSignal::new(None),
    };
    if let Ok(handle) = set_interval_with_handle(move || list.tick(i18n.lang_untracked()), POLL) {
        on_cleanup(move || handle.clear());
    }
    let requesting = RwSignal::new(false);
    let error = RwSignal::new(None::<FormError>);
    let request = move |_| {
        if requesting.get_untracked() {
            return;
        }
        requesting.set(true);
        error.set(None);
        let api = person.api(i18n.lang_untracked());
        spawn_local(async move {
            let result = person.checked(api.request_export().await);
            requesting.try_set(false);
            match result {
                Ok(export) => {
                    list.exports.try_update(|exports| exports.insert(0, export));
                }
                Err(err) => {
                    // Pending elsewhere (another tab): show it.
                    if err.code() == Some(ErrorCode::Conflict) {
                        list.extra_reads.try_set(1);
                    }
                    error.try_set(Some(request_error(err)));
                }
            }
        });
    };
    let rows = move || {
        list.exports
            .get()
            .into_iter()
            .map(|export| view! { <ExportRow export=export list=list /> })
            .collect_view()
    };
    let head = move || {
        COLUMNS
            .iter()
            .map(|&column| view! { <th scope="col">{move || i18n.t(column)}</th> })
            .collect_view()
    };
    view! {
        <Section title=MyDataMsg::ExportsSection testid="my-data-exports">
            <p class="hint">{move || i18n.t(MyDataMsg::ExportLead)}</p>
            <p class="actions actions--tight my-data__actions">
                <button
                    type="button"
                    class="button"
                    data-testid="my-data-export-request"
                    disabled=requesting
                    on:click=request
                >
                    {move || i18n.t(if requesting.get() {
                        MyDataMsg::ExportRequesting
                    } else {
                        MyDataMsg::ExportRequest
                    })}
                </button>
            </p>
            <FormAlert error=error testid="my-data-export-error" />
            <FormAlert error=list.read_error testid="my-data-export-read-error" />
            <Show
                when=move || list.exports.with(|e| !e.is_empty())
                fallback=move || view! {
                    <p class="hint" data-testid="my-data-exports-none">{move || i18n.t(MyDataMsg::NoExports)}</p>
                }
            >
                <div class="table-wrap">
                    <table class="table" data-testid="my-data-exports-table">
                        <thead><tr>{head}</tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            </Show>
        </Section>
    }
}

#[component]
fn ExportRow(export: DataExport, list: ExportList) -> impl IntoView {
    let i18n = use_i18n();
    let DataExport {
        id,
        status,
        requested_at,
        expires_at,
        downloaded_at,
        size,
        download_url,
        ..
    } = export;
    let badge = match status {
        ExportStatus::Ready => "badge badge--ok",
        ExportStatus::Pending => "badge badge--pending",
        ExportStatus::Failed => "badge badge--failing",
        ExportStatus::Downloaded | ExportStatus::Expired => "badge badge--muted",
    };
    let time = |at: Option<String>| match at {
        Some(at) => view! { <LocalTime rfc3339=at /> }.into_any(),
        None => "—".into_any(),
    };
    let link = download_url
        .filter(|_| status == ExportStatus::Ready)
        .map(|url| {
            let target = url.clone();
            // The link is followed by the browser, which cannot renew an expired session:
            // one API call first renews it if needed, then the browser fetches the file.
            let download = move |ev: leptos::ev::MouseEvent| {
                ev.prevent_default();
                let target = target.clone();
                let api = list.person.api(i18n.lang_untracked());
                spawn_local(async move {
                    let _ = api.get().await;
                    if let Some(window) = web_sys::window() {
                        let _ = window.location().assign(&target);
                    }
                    list.extra_reads.try_set(READS_AFTER_DOWNLOAD);
                });
            };
            view! {
                <a
                    class="button button--secondary"
                    href=url
                    download=""
                    data-testid="my-data-export-download"
                    on:click=download
                >
                    {move || i18n.t(MyDataMsg::Download)}
                </a>
            }
        });
    view! {
        <tr data-testid="my-data-export" data-status=status.as_str() data-id=id>
            <td class="table__nowrap"><LocalTime rfc3339=requested_at /></td>
            <td class="table__nowrap">
                <span class=badge>{move || i18n.t(export_status_msg(status))}</span>
            </td>
            <td class="table__nowrap">{size.map_or_else(|| "—".to_owned(), size_text)}</td>
            <td class="table__nowrap">{time(expires_at)}</td>
            <td class="table__nowrap">{time(downloaded_at)}</td>
            <td>{link}</td>
        </tr>
    }
}
