//! A small rich-text editor over `contenteditable`, for question text and exam instructions:
//! bold, italic, underline, lists, tables, media from the bank's attachments, formulas with a
//! live preview, the browser's undo/redo and an HTML source view. Its value is HTML.
//!
//! It runs under the SPA's CSP (no inline scripts or styles): formatting goes through the
//! browser's editing commands (`document.execCommand`), which produce plain tags (`<b>`, `<i>`,
//! `<u>`, `<ul>`/`<ol>`) and keep the browser's undo history. Formulas show as MathML inside the
//! editor (a span that cannot be edited inside, holding its source) and are written back as
//! their `$…$` text. Pasted HTML is rebuilt from a small allow-list (what the toolbar produces);
//! the server's sanitiser stays the last line.

use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};

use leptos::prelude::*;
use leptos::task::spawn_local;
use web_sys::Range;

use crate::api::{QuestionsApi, media_html};
use crate::auth::use_auth;
use crate::components::console_gate::report_error;
use crate::components::form::{FormAlert, FormError};
use crate::components::rich_text::{escape, formula_mathml, render_math_editable};
use crate::i18n::{EditorMsg, use_i18n};

mod html;

use html::{
    clean_paste, command_state, exec, formula_html, range_inside, read_html, restore_caret,
    table_html,
};

/// Gives each editor's controls their own element ids.
static NEXT_ID: AtomicUsize = AtomicUsize::new(0);

/// The largest table the table tool inserts.
const MAX_TABLE: usize = 20;

/// The panel open under the toolbar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Panel {
    Closed,
    Table,
    Formula,
}

/// The formatting states the toolbar shows as pressed.
const STATES: [&str; 5] = [
    "bold",
    "italic",
    "underline",
    "insertUnorderedList",
    "insertOrderedList",
];

#[component]
pub fn RichEditor(
    /// The HTML edited. When it changes from outside (a restored version, another question
    /// type), the editor shows the new value; its own changes come back unchanged.
    #[prop(into)]
    value: Signal<String>,
    /// Called with the editor's HTML after each change.
    on_change: Callback<String>,
    /// The accessible name of the editing area (the field's visible label).
    #[prop(into)]
    label: Signal<String>,
    /// The `data-testid` of the editing area; each tool's is `<testid>-<tool>`.
    #[prop(into)]
    testid: String,
    /// The bank whose attachment store takes uploaded media; without a bank there is no image
    /// tool.
    #[prop(default = None)]
    bank: Option<String>,
    /// A short field (an option): a one-line area with the inline tools only (bold, italic,
    /// underline, image, formula).
    #[prop(optional)]
    compact: bool,
    #[prop(optional, into)] disabled: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let uid = NEXT_ID.fetch_add(1, Ordering::Relaxed);
    let area_ref = NodeRef::<leptos::html::Div>::new();
    let file_ref = NodeRef::<leptos::html::Input>::new();
    // What the area shows, as HTML: a value equal to it came from the editor itself.
    let shown = StoredValue::new(String::new());
    // Where the caret was when the user last worked in the area; tools insert there.
    let caret = StoredValue::new_local(None::<Range>);
    let panel = RwSignal::new(Panel::Closed);
    let source = RwSignal::new(false);
    let pressed = RwSignal::new([false; 5]);
    let uploading = RwSignal::new(false);
    let upload_error = RwSignal::new(None::<FormError>);
    let bank = StoredValue::new(bank);
    // The tools' test ids start with the area's: `question-stem-input-bold`.
    let base = StoredValue::new(testid.clone());
    let tool_testid = move |tool: &str| format!("{}-{tool}", base.get_value());

    Effect::new(move |_| {
        let html = value.get();
        let Some(area) = area_ref.get() else {
            return;
        };
        if shown.with_value(|s| *s != html) {
            area.set_inner_html(&render_math_editable(&html));
            shown.set_value(html);
        }
    });

    let remember_caret = move || {
        if let Some(area) = area_ref.get_untracked()
            && let Some(range) = range_inside(&area)
        {
            caret.set_value(Some(range));
        }
        pressed.set(STATES.map(command_state));
    };
    let emit = move || {
        if let Some(area) = area_ref.get_untracked() {
            let html = read_html(&area);
            shown.set_value(html.clone());
            on_change.run(html);
        }
    };
    // Puts the focus and the caret back where the user left them, then runs the command.
    let run = move |command: &str, argument: &str| {
        let Some(area) = area_ref.get_untracked() else {
            return;
        };
        restore_caret(&area, caret.get_value().as_ref());
        exec(command, argument);
        remember_caret();
        emit();
    };
    let insert_html = move |html: &str| run("insertHTML", html);

    let tool =
        move |name: &'static str, msg: EditorMsg, glyph: &'static str, state: Option<usize>| {
            let testid = tool_testid(name);
            let is_pressed = move || state.map(|i| pressed.get()[i].to_string());
            view! {
                <button
                    type="button"
                    class=format!("rich-editor__tool rich-editor__tool--{name}")
                    title=move || i18n.t(msg)
                    aria-label=move || i18n.t(msg)
                    aria-pressed=is_pressed
                    data-tool=name
                    data-testid=testid
                    disabled=move || disabled.get() || source.get()
                    // Keeps the selection in the editing area.
                    on:mousedown=|ev| ev.prevent_default()
                    on:click=move |_| match name {
                        "bullets" => run("insertUnorderedList", ""),
                        "numbers" => run("insertOrderedList", ""),
                        _ => run(name, ""),
                    }
                >
                    {glyph}
                </button>
            }
        };
    let text_tool = move |name: &'static str, msg: EditorMsg| {
        let testid = tool_testid(name);
        view! {
            <button
                type="button"
                class="rich-editor__tool rich-editor__tool--text"
                aria-expanded=move || {
                    let open = match name {
                        "table" => Panel::Table,
                        _ => Panel::Formula,
                    };
                    (panel.get() == open).to_string()
                }
                data-testid=testid
                disabled=move || disabled.get() || source.get()
                on:mousedown=|ev| ev.prevent_default()
                on:click=move |_| {
                    let open = match name {
                        "table" => Panel::Table,
                        _ => Panel::Formula,
                    };
                    remember_caret();
                    panel.update(|p| *p = if *p == open { Panel::Closed } else { open });
                }
            >
                {move || i18n.t(msg)}
            </button>
        }
    };

    let on_file = move |_| {
        let Some(bank_id) = bank.get_value() else {
            return;
        };
        let Some(file) = file_ref
            .get_untracked()
            .and_then(|i| i.files())
            .and_then(|files| files.get(0))
        else {
            return;
        };
        upload_error.set(None);
        uploading.set(true);
        let api = QuestionsApi::new(i18n.lang_untracked());
        spawn_local(async move {
            let result = api
                .upload_attachment(&bank_id, &file, Rc::new(|_| {}))
                .await;
            uploading.set(false);
            if let Some(input) = file_ref.get_untracked() {
                input.set_value("");
            }
            match result {
                Ok(attachment) => insert_html(&media_html(&attachment)),
                Err(err) => report_error(auth, err, upload_error),
            }
        });
    };
    let file_id = format!("rich-editor-file-{uid}");
    let image_tool = bank.with_value(Option::is_some).then(|| {
        let testid = tool_testid("image");
        view! {
            <label
                class="rich-editor__tool rich-editor__tool--text"
                class:rich-editor__tool--busy=move || uploading.get()
                for=file_id.clone()
                title=move || i18n.t(EditorMsg::ImageTitle)
                on:mousedown=move |ev| {
                    ev.prevent_default();
                    remember_caret();
                }
            >
                {move || if uploading.get() { i18n.t(EditorMsg::Uploading) } else { i18n.t(EditorMsg::Image) }}
            </label>
            <input
                id=file_id.clone()
                class="rich-editor__file"
                type="file"
                accept="image/png,image/jpeg,image/gif,image/webp,audio/mpeg,audio/ogg,audio/wav,video/mp4,video/webm"
                data-testid=testid
                disabled=move || disabled.get() || uploading.get() || source.get()
                node_ref=file_ref
                on:change=on_file
            />
        }
    });

    let class = if compact {
        "rich-editor rich-editor--compact"
    } else {
        "rich-editor"
    };
    let area_testid = testid.clone();
    let source_testid = format!("{testid}-source-text");
    view! {
        <div class=class>
            <div class="rich-editor__toolbar" role="toolbar" aria-label=move || i18n.t(EditorMsg::Toolbar)>
                {tool("bold", EditorMsg::Bold, "B", Some(0))}
                {tool("italic", EditorMsg::Italic, "I", Some(1))}
                {tool("underline", EditorMsg::Underline, "U", Some(2))}
                // A short field keeps to inline tools, always shown, so nothing moves when it
                // gains or loses the focus.
                {(!compact).then(|| view! {
                    {tool("bullets", EditorMsg::BulletList, "•", Some(3))}
                    {tool("numbers", EditorMsg::NumberedList, "1.", Some(4))}
                    {text_tool("table", EditorMsg::Table)}
                })}
                {image_tool}
                {text_tool("formula", EditorMsg::Formula)}
                {(!compact).then(|| view! {
                    {tool("undo", EditorMsg::Undo, "↶", None)}
                    {tool("redo", EditorMsg::Redo, "↷", None)}
                    <button
                        type="button"
                        class="rich-editor__tool rich-editor__tool--text rich-editor__tool--source"
                        title=move || i18n.t(EditorMsg::Source)
                        aria-label=move || i18n.t(EditorMsg::Source)
                        aria-pressed=move || source.get().to_string()
                        data-testid=tool_testid("source")
                        disabled=disabled
                        on:click=move |_| {
                            panel.set(Panel::Closed);
                            source.update(|s| *s = !*s);
                        }
                    >
                        "</>"
                    </button>
                })}
            </div>
            <div
                class="input rich-editor__area rich-text"
                class:rich-editor__area--hidden=move || source.get()
                contenteditable=move || if disabled.get() { "false" } else { "true" }
                role="textbox"
                aria-multiline=(!compact).to_string()
                aria-label=move || label.get()
                aria-disabled=move || disabled.get().to_string()
                data-testid=area_testid
                node_ref=area_ref
                on:focus=move |_| exec("defaultParagraphSeparator", "p")
                on:input=move |_| {
                    remember_caret();
                    emit();
                }
                // WebDriver's clear empties the area without an input event, then blurs it.
                on:blur=move |_| emit()
                on:keyup=move |_| remember_caret()
                on:mouseup=move |_| remember_caret()
                on:paste=move |ev: web_sys::ClipboardEvent| {
                    let Some(data) = ev.clipboard_data() else {
                        return;
                    };
                    ev.prevent_default();
                    let html = data.get_data("text/html").unwrap_or_default();
                    match clean_paste(&html) {
                        Some(clean) if !clean.trim().is_empty() => exec("insertHTML", &clean),
                        _ => exec("insertText", &data.get_data("text/plain").unwrap_or_default()),
                    }
                }
            ></div>
            <Show when=move || source.get()>
                <textarea
                    class="input rich-editor__source"
                    rows="6"
                    aria-label=move || format!("{} ({})", label.get(), i18n.t(EditorMsg::Source))
                    data-testid=source_testid.clone()
                    disabled=disabled
                    prop:value=move || value.get()
                    on:input=move |ev| on_change.run(event_target_value(&ev))
                ></textarea>
            </Show>
            <Show when=move || panel.get() == Panel::Table>
                <TablePanel base=base.get_value() on_insert=Callback::new(move |html: String| {
                    panel.set(Panel::Closed);
                    insert_html(&html);
                }) on_cancel=Callback::new(move |()| panel.set(Panel::Closed)) />
            </Show>
            <Show when=move || panel.get() == Panel::Formula>
                <FormulaPanel uid=uid base=base.get_value() on_insert=Callback::new(move |html: String| {
                    panel.set(Panel::Closed);
                    insert_html(&html);
                }) on_cancel=Callback::new(move |()| panel.set(Panel::Closed)) />
            </Show>
            <FormAlert error=upload_error testid=tool_testid("image-error") />
        </div>
    }
}

/// Rows and columns of a new table.
#[component]
fn TablePanel(
    /// The editor's test id, which the panel's controls start with.
    base: String,
    on_insert: Callback<String>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let rows = RwSignal::new("3".to_owned());
    let cols = RwSignal::new("3".to_owned());
    let header = RwSignal::new(true);
    let number = |signal: RwSignal<String>, msg: EditorMsg, testid: String| {
        view! {
            <label class="field rich-editor__number">
                <span class="field__label">{move || i18n.t(msg)}</span>
                <input class="input input--narrow" type="number" min="1" max=MAX_TABLE.to_string() data-testid=testid bind:value=signal />
            </label>
        }
    };
    let insert = move |_| {
        let size = |s: RwSignal<String>| s.get_untracked().trim().parse::<usize>().unwrap_or(1);
        on_insert.run(table_html(size(rows), size(cols), header.get_untracked()));
    };
    view! {
        <div class="rich-editor__panel card" role="group" aria-label=move || i18n.t(EditorMsg::InsertTable)>
            <div class="rich-editor__panel-fields">
                {number(rows, EditorMsg::Rows, format!("{base}-table-rows"))}
                {number(cols, EditorMsg::Columns, format!("{base}-table-cols"))}
                <label class="check">
                    <input type="checkbox" data-testid=format!("{base}-table-header") bind:checked=header />
                    {move || i18n.t(EditorMsg::HeaderRow)}
                </label>
            </div>
            <div class="rich-editor__panel-actions">
                <button type="button" class="button" data-testid=format!("{base}-table-insert") on:click=insert>
                    {move || i18n.t(EditorMsg::InsertTable)}
                </button>
                <button type="button" class="button button--secondary" on:click=move |_| on_cancel.run(())>
                    {move || i18n.t(EditorMsg::Cancel)}
                </button>
            </div>
        </div>
    }
}

/// A formula typed as LaTeX, with its rendering shown as it is typed.
#[component]
fn FormulaPanel(
    /// The editor's instance number, for the input's id.
    uid: usize,
    /// The editor's test id, which the panel's controls start with.
    base: String,
    on_insert: Callback<String>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let latex = RwSignal::new(String::new());
    let display = RwSignal::new(false);
    let input_id = format!("rich-editor-latex-{uid}");
    let input_ref = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        if let Some(input) = input_ref.get() {
            let _ = input.focus();
        }
    });
    let preview = move || {
        let source = latex.get();
        let source = source.trim();
        if source.is_empty() {
            return String::new();
        }
        formula_mathml(source, display.get())
            .unwrap_or_else(|| format!("<code class=\"latex-error\">{}</code>", escape(source)))
    };
    let insert = move || {
        let source = latex.get_untracked().trim().to_owned();
        if source.is_empty() {
            on_cancel.run(());
            return;
        }
        on_insert.run(formula_html(&source, display.get_untracked()));
    };
    view! {
        <div class="rich-editor__panel card" role="group" aria-label=move || i18n.t(EditorMsg::InsertFormula)>
            <label class="field" for=input_id.clone()>
                <span class="field__label">{move || i18n.t(EditorMsg::LatexLabel)}</span>
            </label>
            <input
                id=input_id
                class="input rich-editor__latex"
                spellcheck="false"
                autocomplete="off"
                data-testid=format!("{base}-formula-input")
                node_ref=input_ref
                bind:value=latex
                on:keydown=move |ev| {
                    // Enter inserts rather than submitting the form around the editor.
                    if ev.key() == "Enter" {
                        ev.prevent_default();
                        insert();
                    } else if ev.key() == "Escape" {
                        on_cancel.run(());
                    }
                }
            />
            <span class="field__hint">{move || i18n.t(EditorMsg::LatexHint)}</span>
            <label class="check">
                <input type="checkbox" bind:checked=display />
                {move || i18n.t(EditorMsg::DisplayFormula)}
            </label>
            <p class="field__label">{move || i18n.t(EditorMsg::FormulaPreview)}</p>
            <div class="rich-editor__formula-preview rich-text" role="status" data-testid=format!("{base}-formula-preview") inner_html=preview></div>
            <div class="rich-editor__panel-actions">
                <button type="button" class="button" data-testid=format!("{base}-formula-insert") on:click=move |_| insert()>
                    {move || i18n.t(EditorMsg::InsertFormula)}
                </button>
                <button type="button" class="button button--secondary" on:click=move |_| on_cancel.run(())>
                    {move || i18n.t(EditorMsg::Cancel)}
                </button>
            </div>
        </div>
    }
}
