//! The console's lists of named things (candidate groups, question banks, papers, API keys):
//! the notice after a change, a refusal the list words itself, the error of the last action,
//! and the table, whose rows are renamed in place and deleted (or revoked) after an inline
//! confirmation. [`NewNameForm`] is the one-line form that creates one by its name.
//!
//! Test ids derive from the list's `one` (`group`): `groups-table`, `groups-empty`,
//! `groups-notice`, `groups-error`, `group-row` (`data-name`, `data-id`, `data-status`),
//! `group-name`, `group-rename`, `group-rename-input`, `group-rename-save`,
//! `group-rename-cancel`, `group-delete` (or `group-revoke`), then `confirm-yes` / `confirm-no`;
//! the form: `group-new-name`, `group-create`, `group-form-error`, `group-taken`.

use std::future::Future;
use std::pin::Pin;

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::{ErrorCode, Lang};

use crate::api;
use crate::auth::use_auth;
use crate::components::ApiErrors;
use crate::components::confirm::Confirm;
use crate::components::console_gate::{report_error, watch_session};
use crate::components::form::{FieldErrors, FormAlert, FormError, missing, report};
use crate::components::text_field::TextField;
use crate::i18n::{AnyText, ConsoleMsg, Msg, use_i18n};

/// A request a list makes on behalf of a row, answered with nothing worth keeping.
pub type Pending = Pin<Box<dyn Future<Output = Result<(), api::Error>>>>;

/// Turns a call into a [`Pending`], dropping what it answers.
pub fn pending<T: 'static>(call: impl Future<Output = Result<T, api::Error>> + 'static) -> Pending {
    Box::pin(async move { call.await.map(|_| ()) })
}

/// What a list is of: its test ids, its columns and its wording.
#[derive(Clone, Copy)]
pub struct ListKind {
    /// One item, for the test ids (`group`, `bank`, `paper`, `api-key`); the list's own take
    /// an `s` (`groups-table`).
    pub one: &'static str,
    /// The column headers from the name on; the actions' header follows.
    pub columns: &'static [AnyText],
    pub empty: AnyText,
    pub rename: Option<RenameKind>,
    pub delete: DeleteKind,
}

/// How a row is renamed in place.
#[derive(Clone, Copy)]
pub struct RenameKind {
    /// The action's label.
    pub label: AnyText,
    /// The input's accessible name.
    pub input_label: AnyText,
    pub maxlength: u32,
}

/// How a row is deleted (or revoked).
#[derive(Clone, Copy)]
pub struct DeleteKind {
    pub label: AnyText,
    /// `delete` or `revoke`: the button is `<one>-<action>`.
    pub action: &'static str,
    /// The confirmation's question for a row of this name.
    pub question: fn(&str, Lang) -> String,
    /// What the consequences are.
    pub detail: AnyText,
    pub confirm: AnyText,
    /// The notice once done.
    pub done: AnyText,
    /// A refusal the list words itself instead of showing the server's message.
    pub refusal: Option<Refusal>,
}

/// The confirmation's question that is just the row's name.
pub fn named(name: &str, _lang: Lang) -> String {
    name.to_owned()
}

/// A deletion the server refuses for a reason the list explains (a bank that still holds
/// questions).
#[derive(Clone, Copy)]
pub struct Refusal {
    pub applies: fn(&api::Error) -> bool,
    pub msg: AnyText,
    pub testid: &'static str,
}

/// One row as the list shows it.
pub struct NamedRow {
    pub id: String,
    pub name: String,
    /// Where the name leads, if anywhere.
    pub link: Option<String>,
    /// `data-status` of the row (an API key's).
    pub status: Option<String>,
    /// The cells between the name and the actions.
    pub cells: AnyView,
    /// Actions before rename and delete (a paper's "Open").
    pub actions: Option<AnyView>,
    /// Whether the row can be deleted (a revoked key cannot be revoked again).
    pub deletable: bool,
}

/// The state a list's parts share.
#[derive(Clone, Copy)]
pub struct ListState {
    reload: RwSignal<u32>,
    /// The row being renamed, or whose deletion is being confirmed.
    renaming: RwSignal<Option<String>>,
    confirming: RwSignal<Option<String>>,
    busy: RwSignal<bool>,
    notice: RwSignal<Option<AnyText>>,
    error: RwSignal<Option<FormError>>,
    refused: RwSignal<bool>,
    pub can_write: Memo<bool>,
}

impl ListState {
    pub fn new(can_write: Memo<bool>) -> Self {
        ListState {
            reload: RwSignal::new(0),
            renaming: RwSignal::new(None),
            confirming: RwSignal::new(None),
            busy: RwSignal::new(false),
            notice: RwSignal::new(None),
            error: RwSignal::new(None),
            refused: RwSignal::new(false),
            can_write,
        }
    }

    /// After a change: closes what was open, says `notice` and loads the list again.
    pub fn refresh(&self, notice: impl Into<AnyText>) {
        self.renaming.set(None);
        self.confirming.set(None);
        self.refused.set(false);
        self.notice.set(Some(notice.into()));
        self.reload.update(|n| *n += 1);
    }

    /// Loads the list again, saying nothing (a new API key shows itself).
    pub fn reload(&self) {
        self.notice.set(None);
        self.reload.update(|n| *n += 1);
    }
}

/// The list: notice, refusal, error and the table of what `load` answers, each item shown
/// as `row` makes it.
#[component]
pub fn NamedList<T, L, Fut>(
    kind: ListKind,
    state: ListState,
    /// Loads the items, in a language.
    load: L,
    row: fn(T) -> NamedRow,
    /// Renames a row (id, new name); present when the list's rows can be renamed.
    #[prop(optional)]
    rename: Option<Callback<(String, String), Pending>>,
    delete: Callback<String, Pending>,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    L: Fn(Lang) -> Fut + 'static,
    Fut: Future<Output = Result<Vec<T>, api::Error>> + 'static,
{
    let i18n = use_i18n();
    let auth = use_auth();
    let items = LocalResource::new(move || {
        state.reload.track();
        load(i18n.lang())
    });
    watch_session(auth, items);
    let many = format!("{}s", kind.one);
    let notice = {
        let testid = format!("{many}-notice");
        move || {
            state.notice.get().map(|msg| {
                view! {
                    <p class="notice" role="status" data-testid=testid.clone()>
                        {move || i18n.t(msg)}
                    </p>
                }
            })
        }
    };
    let refusal = kind.delete.refusal.map(|refusal| {
        move || {
            state.refused.get().then(|| {
                view! {
                    <div class="alert alert--error" role="alert" data-testid=refusal.testid>
                        <p class="alert__message">{move || i18n.t(refusal.msg)}</p>
                    </div>
                }
            })
        }
    });
    let error_testid = format!("{many}-error");
    let actions = RowActions {
        kind,
        state,
        rename,
        delete,
    };
    view! {
        {notice}
        {refusal}
        <FormAlert error=state.error testid=error_testid />
        <Transition fallback=move || view! { <p class="loading">{move || i18n.t(Msg::Loading)}</p> }>
            <ErrorBoundary fallback=|errors| view! { <ApiErrors errors=errors /> }>
                {move || Suspend::new(async move {
                    let items = items.await?;
                    let rows = items.into_iter().map(row).collect::<Vec<_>>();
                    Ok::<_, api::Error>(view! { <Table rows=rows actions=actions /> })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

/// What a row's actions need.
#[derive(Clone, Copy)]
struct RowActions {
    kind: ListKind,
    state: ListState,
    rename: Option<Callback<(String, String), Pending>>,
    delete: Callback<String, Pending>,
}

#[component]
fn Table(rows: Vec<NamedRow>, actions: RowActions) -> impl IntoView {
    let i18n = use_i18n();
    let kind = actions.kind;
    if rows.is_empty() {
        return view! {
            <p class="empty" data-testid=format!("{}s-empty", kind.one)>
                {move || i18n.t(kind.empty)}
            </p>
        }
        .into_any();
    }
    let headers = kind
        .columns
        .iter()
        .map(|&msg| view! { <th scope="col">{move || i18n.t(msg)}</th> })
        .collect_view();
    let rows = rows
        .into_iter()
        .map(|row| view! { <Row row=row actions=actions /> })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="table" data-testid=format!("{}s-table", kind.one)>
                <thead>
                    <tr>
                        {headers}
                        <th scope="col">{move || i18n.t(ConsoleMsg::Actions)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn Row(row: NamedRow, actions: RowActions) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let RowActions {
        kind,
        state,
        rename,
        delete,
    } = actions;
    let one = kind.one;
    let NamedRow {
        id,
        name,
        link,
        status,
        cells,
        actions: extra_actions,
        deletable,
    } = row;
    let id = StoredValue::new(id);
    let is = move |slot: RwSignal<Option<String>>| {
        move || slot.with(|s| id.with_value(|id| s.as_deref() == Some(id.as_str())))
    };
    let renaming = is(state.renaming);
    let confirming = is(state.confirming);
    let new_name = RwSignal::new(name.clone());

    let on_rename = move |ev: SubmitEvent| {
        ev.prevent_default();
        let name = new_name.get_untracked().trim().to_owned();
        let Some(rename) = rename else {
            return;
        };
        if name.is_empty() || state.busy.get_untracked() {
            return;
        }
        state.busy.set(true);
        state.error.set(None);
        let call = rename.run((id.get_value(), name));
        spawn_local(async move {
            let result = call.await;
            state.busy.set(false);
            match result {
                Ok(()) => state.refresh(ConsoleMsg::Saved),
                Err(err) => report_error(auth, err, state.error),
            }
        });
    };
    let on_delete = move || {
        state.busy.set(true);
        state.error.set(None);
        state.refused.set(false);
        let call = delete.run(id.get_value());
        spawn_local(async move {
            let result = call.await;
            state.busy.set(false);
            match result {
                Ok(()) => state.refresh(kind.delete.done),
                Err(err) if kind.delete.refusal.is_some_and(|r| (r.applies)(&err)) => {
                    state.confirming.set(None);
                    state.refused.set(true);
                }
                Err(err) => report_error(auth, err, state.error),
            }
        });
    };

    let name_cell = {
        let name = name.clone();
        move || {
            match kind.rename.filter(|_| renaming()) {
            Some(spec) => view! {
                <form class="inline-form" on:submit=on_rename>
                    <input
                        class="input"
                        aria-label=move || i18n.t(spec.input_label)
                        maxlength=spec.maxlength
                        data-testid=format!("{one}-rename-input")
                        bind:value=new_name
                    />
                    <button type="submit" class="button" data-testid=format!("{one}-rename-save") disabled=state.busy>
                        {move || i18n.t(ConsoleMsg::Save)}
                    </button>
                    <button
                        type="button"
                        class="button button--secondary"
                        data-testid=format!("{one}-rename-cancel")
                        on:click=move |_| state.renaming.set(None)
                    >
                        {move || i18n.t(ConsoleMsg::Cancel)}
                    </button>
                </form>
            }
            .into_any(),
            None => match link.clone() {
                Some(href) => view! {
                    <a href=href data-testid=format!("{one}-name")>
                        {name.clone()}
                    </a>
                }
                .into_any(),
                None => view! { <span data-testid=format!("{one}-name")>{name.clone()}</span> }
                    .into_any(),
            },
        }
        }
    };
    let change_actions = move || {
        (state.can_write.get() && deletable && !renaming()).then(|| {
            let rename_button = kind.rename.map(|spec| {
                view! {
                    <button
                        type="button"
                        class="link-button"
                        data-testid=format!("{one}-rename")
                        on:click=move |_| {
                            state.notice.set(None);
                            state.renaming.set(Some(id.get_value()));
                        }
                    >
                        {move || i18n.t(spec.label)}
                    </button>
                }
            });
            view! {
                {rename_button}
                <button
                    type="button"
                    class="link-button link-button--danger"
                    data-testid=format!("{one}-{}", kind.delete.action)
                    on:click=move |_| {
                        state.notice.set(None);
                        state.refused.set(false);
                        state.confirming.set(Some(id.get_value()));
                    }
                >
                    {move || i18n.t(kind.delete.label)}
                </button>
            }
        })
    };
    let colspan = (kind.columns.len() + 1).to_string();
    let confirm_row = {
        let name = name.clone();
        move || {
            confirming().then(|| {
                let name = name.clone();
                view! {
                    <tr class="table__confirm">
                        <td colspan=colspan.clone()>
                            <Confirm
                                question=move || (kind.delete.question)(&name, i18n.lang())
                                detail=move || i18n.t(kind.delete.detail)
                                confirm_label=kind.delete.confirm
                                busy=state.busy
                                on_yes=on_delete
                                on_no=move || state.confirming.set(None)
                            />
                        </td>
                    </tr>
                }
            })
        }
    };
    view! {
        <tr
            data-testid=format!("{one}-row")
            data-name=name
            data-id=id.get_value()
            data-status=status
        >
            <td>{name_cell}</td>
            {cells}
            <td class="table__actions">
                {extra_actions}
                {change_actions}
            </td>
        </tr>
        {confirm_row}
    }
}

/// The one-line form that creates an item by its name (`<one>-new-name`, `<one>-create`).
#[component]
pub fn NewNameForm(
    state: ListState,
    /// The input's id and test id (`group-new-name`).
    id: &'static str,
    one: &'static str,
    #[prop(into)] label: AnyText,
    #[prop(into)] button: AnyText,
    /// Said when the name is taken (409).
    #[prop(into)]
    taken_msg: AnyText,
    maxlength: u32,
    create: Callback<String, Pending>,
) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let name = RwSignal::new(String::new());
    let errors = FieldErrors::default();
    let form_error = RwSignal::new(None);
    let taken = RwSignal::new(false);
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if state.busy.get_untracked() {
            return;
        }
        errors.clear();
        form_error.set(None);
        taken.set(false);
        let value = name.get_untracked();
        let blank = missing(&[("name", &value)]);
        if !blank.is_empty() {
            errors.set(blank);
            return;
        }
        state.busy.set(true);
        let call = create.run(value.trim().to_owned());
        spawn_local(async move {
            let result = call.await;
            state.busy.set(false);
            match result {
                Ok(()) => {
                    name.set(String::new());
                    state.refresh(ConsoleMsg::Saved);
                }
                Err(err) if err.is_unauthorized() => auth.expire(),
                Err(err) if err.code() == Some(ErrorCode::Conflict) => taken.set(true),
                Err(err) => report(err, &["name"], errors, form_error, |_| None),
            }
        });
    };
    view! {
        <form class="inline-form card" novalidate=true on:submit=on_submit>
            <TextField
                id=id
                label=label
                value=name
                testid=id
                fields=&["name"]
                errors=errors
                maxlength=maxlength
                required=true
            />
            <button type="submit" class="button" data-testid=format!("{one}-create") disabled=state.busy>
                {move || i18n.t(button)}
            </button>
            <FormAlert error=form_error testid=format!("{one}-form-error") />
            <Show when=move || taken.get()>
                <p class="field__error" data-testid=format!("{one}-taken")>
                    {move || i18n.t(taken_msg)}
                </p>
            </Show>
        </form>
    }
}
