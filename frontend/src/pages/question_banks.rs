//! `/question-banks`: the organisation's question banks with their question counts; creating,
//! renaming and deleting them (a bank that still holds questions is refused, and said so).

use leptos::prelude::*;
use shared::questions::{BankDto, BankInput};

use crate::api::{self, QuestionsApi};
use crate::auth::use_auth;
use crate::components::console_gate::{RequirePermission, may};
use crate::components::console_nav::{QUESTIONS_READ, QUESTIONS_WRITE};
use crate::components::named_list::{
    DeleteKind, ListKind, ListState, NamedList, NamedRow, NewNameForm, Refusal, RenameKind, named,
    pending,
};
use crate::components::page_header::PageHeader;
use crate::i18n::{AnyText, ConsoleMsg, QuestionMsg, use_i18n};
use crate::pages::question_bank::bank_link;

const BANKS: ListKind = ListKind {
    one: "bank",
    columns: &[
        AnyText::Question(QuestionMsg::ColBankName),
        AnyText::Question(QuestionMsg::ColQuestionCount),
    ],
    empty: AnyText::Question(QuestionMsg::NoBanks),
    rename: Some(RenameKind {
        label: AnyText::Question(QuestionMsg::Rename),
        input_label: AnyText::Question(QuestionMsg::BankNameLabel),
        maxlength: 100,
    }),
    delete: DeleteKind {
        label: AnyText::Console(ConsoleMsg::Delete),
        action: "delete",
        question: named,
        detail: AnyText::Question(QuestionMsg::DeleteBankQuestion),
        confirm: AnyText::Console(ConsoleMsg::ConfirmDelete),
        done: AnyText::Console(ConsoleMsg::Deleted),
        refusal: Some(Refusal {
            applies: is_bank_not_empty,
            msg: AnyText::Question(QuestionMsg::BankNotEmpty),
            testid: "bank-not-empty",
        }),
    },
};

/// Whether an error is the `409` of a bank that still holds questions.
fn is_bank_not_empty(err: &api::Error) -> bool {
    err.conflict_reason() == Some("bank_not_empty")
}

#[component]
pub fn QuestionBanksPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="page">
            <PageHeader
                title=move || i18n.t(QuestionMsg::BanksTitle)
                lead=move || i18n.t(QuestionMsg::BanksLead)
            />
            <RequirePermission needs=QUESTIONS_READ>
                <Banks />
            </RequirePermission>
        </section>
    }
}

#[component]
fn Banks() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let state = ListState::new(Memo::new(move |_| may(auth, QUESTIONS_WRITE)));
    let api = move || QuestionsApi::new(i18n.lang_untracked());
    // Renaming sends the bank's description as it was.
    let descriptions = StoredValue::new(Vec::<(String, String)>::new());
    let create = Callback::new(move |name: String| {
        let input = BankInput {
            name,
            description: String::new(),
        };
        pending(async move { api().create_bank(&input).await })
    });
    let rename = Callback::new(move |(id, name): (String, String)| {
        let description = descriptions.with_value(|known| {
            known
                .iter()
                .find(|(bank, _)| *bank == id)
                .map(|(_, description)| description.clone())
                .unwrap_or_default()
        });
        let input = BankInput { name, description };
        pending(async move { api().update_bank(&id, &input).await })
    });
    let delete =
        Callback::new(move |id: String| pending(async move { api().delete_bank(&id).await }));
    let load = move |lang| async move {
        let banks = QuestionsApi::new(lang).banks().await?;
        descriptions.set_value(
            banks
                .iter()
                .map(|bank| (bank.id.clone(), bank.description.clone()))
                .collect(),
        );
        Ok(banks)
    };
    view! {
        <Show when=move || state.can_write.get()>
            <NewNameForm
                state=state
                id="bank-new-name"
                one="bank"
                label=QuestionMsg::NewBankLabel
                button=QuestionMsg::CreateBank
                taken_msg=QuestionMsg::BankTaken
                maxlength=100
                create=create
            />
        </Show>
        <NamedList
            kind=BANKS
            state=state
            load=load
            row=bank_row
            rename=rename
            delete=delete
        />
    }
}

fn bank_row(bank: BankDto) -> NamedRow {
    NamedRow {
        cells: view! { <td data-testid="bank-count">{bank.question_count}</td> }.into_any(),
        link: Some(bank_link(&bank.id)),
        id: bank.id,
        name: bank.name,
        status: None,
        actions: None,
        deletable: true,
    }
}
