//! The export dialog of a bank: a format, the scope (the whole bank or the selected questions),
//! what the format can express (checked by the server first), and the download.
//!
//! Mount it on the bank page with the bank's id and the selection, e.g.
//! `<ExportDialog bank_id=bank selected=Signal::derive(move || state.selected.get()) on_close=… />`.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::questions::QuestionType;

use crate::api::{EXPORT_FORMATS, ExportApi, ExportCheck, ExportRequest};
use crate::auth::use_auth;
use crate::components::console_gate::report_error;
use crate::components::form::{FormAlert, FormError};
use crate::i18n::{PaperMsg, export_check_text, format_msg, type_msg, use_i18n};

/// The dialog. `selected` are the questions ticked on the page; with none, only the whole
/// bank can be exported.
#[component]
pub fn ExportDialog(
    #[prop(into)] bank_id: String,
    #[prop(into)] selected: Signal<Vec<String>>,
    /// Called by the close button.
    on_close: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let bank = StoredValue::new(bank_id);
    let format = RwSignal::new(EXPORT_FORMATS[0].to_owned());
    let only_selected = RwSignal::new(selected.with_untracked(|s| !s.is_empty()));
    let check = RwSignal::new(None::<ExportCheck>);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<FormError>);
    let request = Memo::new(move |_| ExportRequest {
        format: format.get(),
        question_ids: (only_selected.get() && selected.with(|s| !s.is_empty()))
            .then(|| selected.get()),
        check_only: false,
    });
    // Each change of format or scope is checked again; an answer that arrives after a newer
    // request was made is dropped.
    let generation = StoredValue::new(0_u64);
    Effect::new(move |_| {
        let request = request.get();
        generation.update_value(|g| *g += 1);
        let mine = generation.get_value();
        check.set(None);
        error.set(None);
        let api = ExportApi::new(i18n.lang_untracked());
        spawn_local(async move {
            let result = api.check(&bank.get_value(), &request).await;
            if generation.get_value() != mine {
                return;
            }
            match result {
                Ok(answer) => check.set(Some(answer)),
                Err(err) => report_error(auth, err, error),
            }
        });
    });
    let download = move |_| {
        let request = request.get_untracked();
        let api = ExportApi::new(i18n.lang_untracked());
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let result = api.download(&bank.get_value(), &request).await;
            busy.set(false);
            if let Err(err) = result {
                report_error(auth, err, error);
            }
        });
    };
    let format_options = EXPORT_FORMATS
        .iter()
        .map(|f| {
            let value = *f;
            view! {
                <option value=value selected=move || format.with(|c| c == value)>
                    {move || i18n.t(format_msg(value))}
                </option>
            }
        })
        .collect_view();
    let summary = move || {
        check.get().map(|answer| {
            let mut types: Vec<QuestionType> = answer
                .skipped
                .iter()
                .filter_map(|s| QuestionType::parse(&s.question_type))
                .collect();
            types.dedup();
            types.sort_by_key(|t| t.as_str());
            types.dedup();
            let skipped = answer.skipped.len();
            let exportable = answer.exportable;
            let text = move || {
                let lang = i18n.lang();
                let names: Vec<&str> = types.iter().map(|t| type_msg(*t).text(lang)).collect();
                export_check_text(exportable, skipped, &names.join(", "), lang)
            };
            view! {
                <p
                    class=if skipped == 0 { "notice notice--ok" } else { "notice notice--info" }
                    role="status"
                    data-testid="export-summary"
                    data-exportable=exportable
                    data-skipped=skipped
                >
                    {text}
                </p>
            }
        })
    };
    let nothing = move || check.with(|c| c.as_ref().is_none_or(|c| c.exportable == 0));
    view! {
        <div class="dialog card" role="dialog" aria-labelledby="export-title" data-testid="export-dialog">
            <h2 class="card__title" id="export-title">{move || i18n.t(PaperMsg::ExportTitle)}</h2>
            <label class="field">
                <span class="field__label">{move || i18n.t(PaperMsg::ExportFormat)}</span>
                <select
                    class="input"
                    data-testid="export-format"
                    on:change=move |ev| format.set(event_target_value(&ev))
                >
                    {format_options}
                </select>
            </label>
            <fieldset class="field">
                <legend class="field__label">{move || i18n.t(PaperMsg::ExportScope)}</legend>
                <label class="checkbox">
                    <input
                        type="radio"
                        name="export-scope"
                        data-testid="export-scope-bank"
                        prop:checked=move || !only_selected.get()
                        on:change=move |_| only_selected.set(false)
                    />
                    {move || i18n.t(PaperMsg::ExportWholeBank)}
                </label>
                <label class="checkbox">
                    <input
                        type="radio"
                        name="export-scope"
                        data-testid="export-scope-selected"
                        disabled=move || selected.with(Vec::is_empty)
                        prop:checked=move || only_selected.get()
                        on:change=move |_| only_selected.set(true)
                    />
                    {move || format!("{} ({})", i18n.t(PaperMsg::ExportSelected), selected.with(Vec::len))}
                </label>
            </fieldset>
            {summary}
            <FormAlert error=error testid="export-error" />
            <div class="actions">
                <button
                    type="button"
                    class="button"
                    data-testid="export-download"
                    disabled=move || busy.get() || nothing()
                    on:click=download
                >
                    {move || i18n.t(PaperMsg::ExportDownload)}
                </button>
                <button
                    type="button"
                    class="button button--secondary"
                    data-testid="export-close"
                    on:click=move |_| on_close.run(())
                >
                    {move || i18n.t(PaperMsg::ExportClose)}
                </button>
            </div>
        </div>
    }
}
