//! `/question-banks`: the organisation's question banks with their question counts; creating,
//! renaming and deleting them (a bank that still holds questions is refused, and said so).

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::ErrorCode;
use shared::questions::{BankDto, BankInput};

use crate::api::{self, QuestionsApi};
use crate::auth::use_auth;
use crate::components::ApiErrors;
use crate::components::confirm::Confirm;
use crate::components::console_gate::{RequirePermission, may, report_error, watch_session};
use crate::components::console_nav::{QUESTIONS_READ, QUESTIONS_WRITE};
use crate::components::form::{FieldErrors, FormAlert, FormError, missing, report};
use crate::components::text_field::TextField;
use crate::i18n::{ConsoleMsg, Msg, QuestionMsg, use_i18n};
use crate::pages::question_bank::bank_link;

#[component]
pub fn QuestionBanksPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="page">
            <div class="page-header">
                <div>
                    <h1 class="page-title" data-testid="page-title">
                        {move || i18n.t(QuestionMsg::BanksTitle)}
                    </h1>
                    <p class="lead">{move || i18n.t(QuestionMsg::BanksLead)}</p>
                </div>
            </div>
            <RequirePermission needs=QUESTIONS_READ>
                <Banks />
            </RequirePermission>
        </section>
    }
}

/// The state the page's parts share.
#[derive(Clone, Copy)]
struct BanksState {
    reload: RwSignal<u32>,
    /// The bank being renamed, or whose deletion is being confirmed.
    renaming: RwSignal<Option<String>>,
    confirming: RwSignal<Option<String>>,
    busy: RwSignal<bool>,
    notice: RwSignal<Option<ConsoleMsg>>,
    error: RwSignal<Option<FormError>>,
    /// The bank whose deletion was refused because it still holds questions.
    not_empty: RwSignal<Option<String>>,
    can_write: Memo<bool>,
}

impl BanksState {
    fn refresh(&self, notice: ConsoleMsg) {
        self.renaming.set(None);
        self.confirming.set(None);
        self.not_empty.set(None);
        self.notice.set(Some(notice));
        self.reload.update(|n| *n += 1);
    }
}

/// Whether an error is the `409` of a bank that still holds questions.
pub fn is_bank_not_empty(err: &api::Error) -> bool {
    err.conflict_reason() == Some("bank_not_empty")
}

#[component]
fn Banks() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let state = BanksState {
        reload: RwSignal::new(0),
        renaming: RwSignal::new(None),
        confirming: RwSignal::new(None),
        busy: RwSignal::new(false),
        notice: RwSignal::new(None),
        error: RwSignal::new(None),
        not_empty: RwSignal::new(None),
        can_write: Memo::new(move |_| may(auth, QUESTIONS_WRITE)),
    };
    let banks = LocalResource::new(move || {
        state.reload.track();
        let api = QuestionsApi::new(i18n.lang());
        async move { api.banks().await }
    });
    watch_session(auth, banks);
    let notice = move || {
        state.notice.get().map(|msg| {
            view! {
                <p class="notice" role="status" data-testid="banks-notice">
                    {move || i18n.t(msg)}
                </p>
            }
        })
    };
    let not_empty = move || {
        state.not_empty.get().map(|_| {
            view! {
                <div class="alert alert--error" role="alert" data-testid="bank-not-empty">
                    <p class="alert__message">{move || i18n.t(QuestionMsg::BankNotEmpty)}</p>
                </div>
            }
        })
    };
    view! {
        <Show when=move || state.can_write.get()>
            <NewBank state=state />
        </Show>
        {notice}
        {not_empty}
        <FormAlert error=state.error testid="banks-error" />
        <Transition fallback=move || view! { <p class="loading">{move || i18n.t(Msg::Loading)}</p> }>
            <ErrorBoundary fallback=|errors| view! { <ApiErrors errors=errors /> }>
                {move || Suspend::new(async move {
                    let banks = banks.await?;
                    Ok::<_, api::Error>(view! { <BankTable banks=banks state=state /> })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

/// The one-line form that creates a bank.
#[component]
fn NewBank(state: BanksState) -> impl IntoView {
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
        let api = QuestionsApi::new(i18n.lang_untracked());
        state.busy.set(true);
        spawn_local(async move {
            let input = BankInput {
                name: value.trim().to_owned(),
                description: String::new(),
            };
            let result = api.create_bank(&input).await;
            state.busy.set(false);
            match result {
                Ok(_) => {
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
                id="bank-new-name"
                label=QuestionMsg::NewBankLabel
                value=name
                testid="bank-new-name"
                fields=&["name"]
                errors=errors
                maxlength=100
                required=true
            />
            <button type="submit" class="button" data-testid="bank-create" disabled=state.busy>
                {move || i18n.t(QuestionMsg::CreateBank)}
            </button>
            <FormAlert error=form_error testid="bank-form-error" />
            <Show when=move || taken.get()>
                <p class="field__error" data-testid="bank-taken">
                    {move || i18n.t(QuestionMsg::BankTaken)}
                </p>
            </Show>
        </form>
    }
}

#[component]
fn BankTable(banks: Vec<BankDto>, state: BanksState) -> impl IntoView {
    let i18n = use_i18n();
    if banks.is_empty() {
        return view! {
            <p class="empty" data-testid="banks-empty">
                {move || i18n.t(QuestionMsg::NoBanks)}
            </p>
        }
        .into_any();
    }
    let rows = banks
        .into_iter()
        .map(|bank| view! { <BankRow bank=bank state=state /> })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="table" data-testid="banks-table">
                <thead>
                    <tr>
                        <th scope="col">{move || i18n.t(QuestionMsg::ColBankName)}</th>
                        <th scope="col">{move || i18n.t(QuestionMsg::ColQuestionCount)}</th>
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
fn BankRow(bank: BankDto, state: BanksState) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let id = StoredValue::new(bank.id.clone());
    let description = StoredValue::new(bank.description.clone());
    let is = move |slot: RwSignal<Option<String>>| {
        move || slot.with(|s| id.with_value(|id| s.as_deref() == Some(id.as_str())))
    };
    let renaming = is(state.renaming);
    let confirming = is(state.confirming);
    let new_name = RwSignal::new(bank.name.clone());
    let link = bank_link(&bank.id);

    let rename = move |ev: SubmitEvent| {
        ev.prevent_default();
        let name = new_name.get_untracked().trim().to_owned();
        if name.is_empty() || state.busy.get_untracked() {
            return;
        }
        let api = QuestionsApi::new(i18n.lang_untracked());
        state.busy.set(true);
        state.error.set(None);
        spawn_local(async move {
            let input = BankInput {
                name,
                description: description.get_value(),
            };
            let result = api.update_bank(&id.get_value(), &input).await;
            state.busy.set(false);
            match result {
                Ok(_) => state.refresh(ConsoleMsg::Saved),
                Err(err) => report_error(auth, err, state.error),
            }
        });
    };
    let delete = move || {
        let api = QuestionsApi::new(i18n.lang_untracked());
        state.busy.set(true);
        state.error.set(None);
        state.not_empty.set(None);
        spawn_local(async move {
            let result = api.delete_bank(&id.get_value()).await;
            state.busy.set(false);
            match result {
                Ok(()) => state.refresh(ConsoleMsg::Deleted),
                Err(err) if is_bank_not_empty(&err) => {
                    state.confirming.set(None);
                    state.not_empty.set(Some(id.get_value()));
                }
                Err(err) => report_error(auth, err, state.error),
            }
        });
    };
    let name = bank.name.clone();
    let name_cell = move || {
        if renaming() {
            view! {
                <form class="inline-form" on:submit=rename>
                    <input
                        class="input"
                        aria-label=move || i18n.t(QuestionMsg::BankNameLabel)
                        maxlength=100
                        data-testid="bank-rename-input"
                        bind:value=new_name
                    />
                    <button type="submit" class="button" data-testid="bank-rename-save" disabled=state.busy>
                        {move || i18n.t(ConsoleMsg::Save)}
                    </button>
                    <button
                        type="button"
                        class="button button--secondary"
                        data-testid="bank-rename-cancel"
                        on:click=move |_| state.renaming.set(None)
                    >
                        {move || i18n.t(ConsoleMsg::Cancel)}
                    </button>
                </form>
            }
            .into_any()
        } else {
            view! {
                <a href=link.clone() data-testid="bank-name">
                    {name.clone()}
                </a>
            }
            .into_any()
        }
    };
    let actions = move || {
        (state.can_write.get() && !renaming()).then(|| {
            view! {
                <button
                    type="button"
                    class="link-button"
                    data-testid="bank-rename"
                    on:click=move |_| {
                        state.notice.set(None);
                        state.renaming.set(Some(id.get_value()));
                    }
                >
                    {move || i18n.t(QuestionMsg::Rename)}
                </button>
                <button
                    type="button"
                    class="link-button link-button--danger"
                    data-testid="bank-delete"
                    on:click=move |_| {
                        state.not_empty.set(None);
                        state.confirming.set(Some(id.get_value()));
                    }
                >
                    {move || i18n.t(ConsoleMsg::Delete)}
                </button>
            }
        })
    };
    let bank_name = bank.name.clone();
    let confirm_row = move || {
        confirming().then(|| {
            let bank_name = bank_name.clone();
            view! {
                <tr class="table__confirm">
                    <td colspan="3">
                        <Confirm
                            question=move || bank_name.clone()
                            detail=move || i18n.t(QuestionMsg::DeleteBankQuestion)
                            confirm_label=ConsoleMsg::ConfirmDelete
                            busy=state.busy
                            on_yes=delete
                            on_no=move || state.confirming.set(None)
                        />
                    </td>
                </tr>
            }
        })
    };
    view! {
        <tr data-testid="bank-row" data-name=bank.name.clone()>
            <td>{name_cell}</td>
            <td data-testid="bank-count">{bank.question_count}</td>
            <td class="table__actions">{actions}</td>
        </tr>
        {confirm_row}
    }
}
