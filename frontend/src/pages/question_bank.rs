//! `/question-bank?bank=…`: the questions of one bank, filtered and paged, each stem shown as
//! its (server-sanitised) HTML; several selected at once are deleted, moved to a category or
//! tagged together. The bank's category tree is managed here too.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_query_map;
use shared::questions::{BulkAction, CategoryDto, QuestionDto, QuestionPage};

use crate::api::{self, QuestionFilter, QuestionsApi};
use crate::auth::{Auth, use_auth};
use crate::components::ApiErrors;
use crate::components::category_tree::{CategoryTree, indented_name, tree_order};
use crate::components::confirm::Confirm;
use crate::components::console_gate::{RequirePermission, may, report_error, watch_session};
use crate::components::console_nav::{QUESTIONS_READ, QUESTIONS_WRITE};
use crate::components::export_dialog::ExportDialog;
use crate::components::form::{FormAlert, FormError};
use crate::components::page_header::{Back, PageHeader};
use crate::components::pager::Pager;
use crate::components::question_filters::{QuestionFilterChoice, QuestionFilters};
use crate::components::rich_text::RichText;
use crate::i18n::{
    ConsoleMsg, I18n, Msg, PaperMsg, QuestionMsg, difficulty_msg, type_msg, use_i18n,
};
use crate::routes::{Page, encode_query_value};

/// The query parameter naming the bank (browser, editor, import).
pub const BANK_PARAM: &str = "bank";
/// The query parameter naming the question the editor opens.
pub const QUESTION_PARAM: &str = "question";
/// The query parameter naming the question just created, which the bank confirms as saved.
pub const SAVED_PARAM: &str = "saved";
const PAGE_SIZE: i64 = 20;

/// The link to a bank's questions.
pub fn bank_link(bank_id: &str) -> String {
    page_with_bank(Page::QuestionBank, bank_id)
}

/// A page of the question area for one bank.
pub fn page_with_bank(page: Page, bank_id: &str) -> String {
    format!(
        "{}?{BANK_PARAM}={}",
        page.path(),
        encode_query_value(bank_id)
    )
}

/// The editor of one question of a bank.
pub fn editor_link(bank_id: &str, question_id: &str) -> String {
    format!(
        "{}&{QUESTION_PARAM}={}",
        page_with_bank(Page::QuestionEditor, bank_id),
        encode_query_value(question_id)
    )
}

/// The bank's questions after a question was created in it, confirming the save.
pub fn saved_link(bank_id: &str, question_id: &str) -> String {
    format!(
        "{}&{SAVED_PARAM}={}",
        bank_link(bank_id),
        encode_query_value(question_id)
    )
}

#[component]
pub fn QuestionBankPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let bank = query
        .with_untracked(|q| q.get(BANK_PARAM))
        .unwrap_or_default();
    // The bank's name titles the page; until it is known (or if it cannot be read), the
    // generic title stands.
    let name = LocalResource::new({
        let bank = bank.clone();
        move || {
            let api = QuestionsApi::new(i18n.lang_untracked());
            let bank = bank.clone();
            async move {
                api.banks()
                    .await
                    .ok()
                    .and_then(|banks| banks.into_iter().find(|b| b.id == bank).map(|b| b.name))
            }
        }
    });
    let name = move || name.get().flatten();
    let title = move || name().unwrap_or_else(|| i18n.t(QuestionMsg::BankTitle).to_owned());
    view! {
        <section class="page">
            <PageHeader
                back=Back {
                    href: Page::QuestionBanks.path().to_owned(),
                    testid: "back-to-banks",
                    label: (move || i18n.t(QuestionMsg::BackToBanks)).into(),
                }
                title=title
                lead=move || if name().is_some() { i18n.t(QuestionMsg::BankTitle) } else { "" }
            />
            <RequirePermission needs=QUESTIONS_READ>
                <BankQuestions bank=bank.clone() />
            </RequirePermission>
        </section>
    }
}

/// The state the page's parts share.
#[derive(Clone, Copy)]
struct BrowserState {
    bank: StoredValue<String>,
    applied: RwSignal<QuestionFilter>,
    reload: RwSignal<u32>,
    selected: RwSignal<Vec<String>>,
    confirming: RwSignal<bool>,
    exporting: RwSignal<bool>,
    busy: RwSignal<bool>,
    notice: RwSignal<Option<QuestionMsg>>,
    error: RwSignal<Option<FormError>>,
    can_write: Memo<bool>,
    auth: Auth,
    i18n: I18n,
}

impl BrowserState {
    fn refresh(&self, notice: QuestionMsg) {
        self.selected.set(Vec::new());
        self.confirming.set(false);
        self.notice.set(Some(notice));
        self.reload.update(|n| *n += 1);
    }

    fn run_bulk(&self, action: BulkAction) {
        let state = *self;
        let auth = self.auth;
        let api = QuestionsApi::new(self.i18n.lang_untracked());
        state.busy.set(true);
        state.error.set(None);
        spawn_local(async move {
            let result = api.bulk(&state.bank.get_value(), &action).await;
            state.busy.set(false);
            match result {
                Ok(_) => state.refresh(QuestionMsg::BulkDone),
                Err(err) => report_error(auth, err, state.error),
            }
        });
    }
}

#[component]
fn BankQuestions(bank: String) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let state = BrowserState {
        bank: StoredValue::new(bank.clone()),
        applied: RwSignal::new(QuestionFilter {
            limit: PAGE_SIZE,
            ..QuestionFilter::default()
        }),
        reload: RwSignal::new(0),
        selected: RwSignal::new(Vec::new()),
        confirming: RwSignal::new(false),
        exporting: RwSignal::new(false),
        busy: RwSignal::new(false),
        notice: RwSignal::new(None),
        error: RwSignal::new(None),
        can_write: Memo::new(move |_| may(auth, QUESTIONS_WRITE)),
        auth,
        i18n,
    };
    let categories = LocalResource::new(move || {
        state.reload.track();
        let api = QuestionsApi::new(i18n.lang());
        let bank = state.bank.get_value();
        async move { api.categories(&bank).await }
    });
    let page = LocalResource::new(move || {
        state.reload.track();
        let filter = state.applied.get();
        let api = QuestionsApi::new(i18n.lang());
        let bank = state.bank.get_value();
        async move { api.questions(&bank, &filter).await }
    });
    watch_session(auth, page);
    let category_list = Signal::derive(move || {
        categories
            .map(|r| r.clone().unwrap_or_default())
            .unwrap_or_default()
    });
    let on_filter = Callback::new(move |choice: QuestionFilterChoice| {
        state.notice.set(None);
        state.selected.set(Vec::new());
        state.applied.set(QuestionFilter {
            question_type: choice.question_type,
            difficulty: choice.difficulty,
            tag: choice.tag,
            q: choice.q,
            category_id: choice.category_id,
            offset: 0,
            limit: PAGE_SIZE,
        });
    });
    let notice = move || {
        state.notice.get().map(|msg| {
            view! {
                <p class="notice" role="status" data-testid="questions-notice">
                    {move || i18n.t(msg)}
                </p>
            }
        })
    };
    let just_saved = use_query_map().with_untracked(|q| q.get(SAVED_PARAM).is_some());
    let saved = RwSignal::new(just_saved);
    let new_link = page_with_bank(Page::QuestionEditor, &bank);
    let import_link = page_with_bank(Page::QuestionImport, &bank);
    view! {
        <div class="toolbar">
            <Show when=move || state.can_write.get()>
                <a class="button" href=new_link.clone() data-testid="question-new">
                    {move || i18n.t(QuestionMsg::NewQuestion)}
                </a>
                <a class="button button--secondary" href=import_link.clone() data-testid="question-import">
                    {move || i18n.t(QuestionMsg::ImportQuestions)}
                </a>
            </Show>
            <button
                type="button"
                class="button button--secondary"
                data-testid="question-export"
                on:click=move |_| state.exporting.set(true)
            >
                {move || i18n.t(PaperMsg::ExportTitle)}
            </button>
        </div>
        <Show when=move || state.exporting.get()>
            <ExportDialog
                bank_id=state.bank.get_value()
                selected=Signal::derive(move || state.selected.get())
                on_close=Callback::new(move |()| state.exporting.set(false))
            />
        </Show>
        <CategoryTree
            bank=state.bank
            categories=category_list
            can_write=state.can_write
            on_changed=Callback::new(move |()| state.reload.update(|n| *n += 1))
        />
        <Show when=move || saved.get()>
            <p class="notice" role="status" data-testid="question-saved">
                {move || i18n.t(QuestionMsg::QuestionSaved)}
            </p>
        </Show>
        <QuestionFilters categories=category_list on_apply=on_filter />
        {notice}
        <FormAlert error=state.error testid="questions-error" />
        <Show when=move || state.can_write.get()>
            <BulkBar state=state categories=category_list />
        </Show>
        <Transition fallback=move || view! { <p class="loading">{move || i18n.t(Msg::Loading)}</p> }>
            <ErrorBoundary fallback=|errors| view! { <ApiErrors errors=errors /> }>
                {move || Suspend::new(async move {
                    let page = page.await?;
                    Ok::<_, api::Error>(view! { <QuestionTable page=page state=state /> })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

/// The actions on the selected questions; shown while some are selected.
#[component]
fn BulkBar(
    state: BrowserState,
    #[prop(into)] categories: Signal<Vec<CategoryDto>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let target = RwSignal::new(String::new());
    let tag = RwSignal::new(String::new());
    let ids = move || state.selected.get_untracked();
    let move_to = move |_| {
        let category = target.get_untracked();
        state.run_bulk(BulkAction::Move {
            question_ids: ids(),
            category_id: (!category.is_empty()).then_some(category),
        });
    };
    let add_tag = move |_| {
        let value = tag.get_untracked().trim().to_owned();
        if value.is_empty() {
            return;
        }
        tag.set(String::new());
        state.run_bulk(BulkAction::Tag {
            question_ids: ids(),
            tags: vec![value],
        });
    };
    let delete = move || {
        state.run_bulk(BulkAction::Delete {
            question_ids: ids(),
        })
    };
    let category_options = move || {
        tree_order(&categories.get())
            .into_iter()
            .map(|(depth, c)| view! { <option value=c.id.clone()>{indented_name(depth, &c.name)}</option> })
            .collect_view()
    };
    let count = move || state.selected.with(Vec::len);
    view! {
        <Show when=move || { count() > 0 }>
            <div class="toolbar card" data-testid="bulk-bar">
                <span data-testid="bulk-count" data-count=count>
                    {move || i18n.t(QuestionMsg::Selected)} ": " {count}
                </span>
                <button
                    type="button"
                    class="button button--danger"
                    data-testid="bulk-delete"
                    disabled=state.busy
                    on:click=move |_| state.confirming.set(true)
                >
                    {move || i18n.t(QuestionMsg::BulkDelete)}
                </button>
                <select
                    class="input"
                    data-testid="bulk-move-target"
                    aria-label=move || i18n.t(QuestionMsg::CategoryLabel)
                    on:change=move |ev| target.set(event_target_value(&ev))
                >
                    <option value="">{move || i18n.t(QuestionMsg::NoCategory)}</option>
                    {category_options}
                </select>
                <button type="button" class="button button--secondary" data-testid="bulk-move" disabled=state.busy on:click=move_to>
                    {move || i18n.t(QuestionMsg::BulkMove)}
                </button>
                <input
                    class="input"
                    data-testid="bulk-tag-input"
                    aria-label=move || i18n.t(QuestionMsg::BulkTagLabel)
                    placeholder=move || i18n.t(QuestionMsg::BulkTagLabel)
                    bind:value=tag
                />
                <button type="button" class="button button--secondary" data-testid="bulk-tag" disabled=state.busy on:click=add_tag>
                    {move || i18n.t(QuestionMsg::BulkTag)}
                </button>
            </div>
            <Show when=move || state.confirming.get()>
                <Confirm
                    question=move || i18n.t(QuestionMsg::BulkDelete).to_owned()
                    detail=move || i18n.t(QuestionMsg::DeleteSelectedQuestion)
                    confirm_label=ConsoleMsg::ConfirmDelete
                    busy=state.busy
                    on_yes=delete
                    on_no=move || state.confirming.set(false)
                />
            </Show>
        </Show>
    }
}

/// One page of questions with the paging controls.
#[component]
fn QuestionTable(page: QuestionPage, state: BrowserState) -> impl IntoView {
    let i18n = use_i18n();
    if page.items.is_empty() {
        let filtered = state.applied.with_untracked(|f| {
            f.question_type.is_some()
                || f.difficulty.is_some()
                || f.tag.is_some()
                || f.q.is_some()
                || f.category_id.is_some()
        });
        let msg = if filtered {
            QuestionMsg::NoMatches
        } else {
            QuestionMsg::NoQuestions
        };
        return view! {
            <p class="empty" data-testid="questions-empty">
                {move || i18n.t(msg)}
            </p>
        }
        .into_any();
    }
    let QuestionPage {
        items,
        total,
        offset,
        limit,
    } = page;
    let shown = items.len();
    let rows = items
        .into_iter()
        .map(|question| view! { <QuestionRow question=question state=state /> })
        .collect_view();
    let go = move |to: i64| {
        state.notice.set(None);
        state.selected.set(Vec::new());
        state.applied.update(|f| f.offset = to.max(0));
    };
    view! {
        <div class="table-wrap question-table__wrap">
            <table class="table question-table" data-testid="questions-list">
                <thead>
                    <tr>
                        <Show when=move || state.can_write.get()>
                            <th class="question-table__select">
                                <span class="visually-hidden">{move || i18n.t(QuestionMsg::SelectQuestion)}</span>
                            </th>
                        </Show>
                        <th>{move || i18n.t(QuestionMsg::StemLabel)}</th>
                        <th>{move || i18n.t(QuestionMsg::FilterType)}</th>
                        <th class="question-table__num">{move || i18n.t(QuestionMsg::Points)}</th>
                        <th>{move || i18n.t(QuestionMsg::Difficulty)}</th>
                        <th class="question-table__num">{move || i18n.t(QuestionMsg::Version)}</th>
                        <th>{move || i18n.t(QuestionMsg::Tags)}</th>
                        <th><span class="visually-hidden">{move || i18n.t(ConsoleMsg::Edit)}</span></th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <Pager offset=offset limit=limit shown=shown total=total testid="questions" go=Callback::new(go) />
    }
    .into_any()
}

#[component]
fn QuestionRow(question: QuestionDto, state: BrowserState) -> impl IntoView {
    let i18n = use_i18n();
    let id = StoredValue::new(question.id.clone());
    let question_type = question.content.question_type();
    let type_name = type_msg(question_type);
    let checked = move || state.selected.with(|s| id.with_value(|id| s.contains(id)));
    let toggle = move |_| {
        let id = id.get_value();
        state.selected.update(|s| {
            if let Some(at) = s.iter().position(|x| *x == id) {
                s.remove(at);
            } else {
                s.push(id);
            }
        });
    };
    let tags = question
        .tags
        .iter()
        .map(|tag| view! { <span class="tag" data-testid="question-tag">{tag.clone()}</span> })
        .collect_view();
    let edit = editor_link(&state.bank.get_value(), &question.id);
    let difficulty = question.difficulty;
    let difficulty_name = move || {
        difficulty_msg(difficulty)
            .map(|m| i18n.t(m))
            .unwrap_or_default()
    };
    // Each cell names its column for the stacked layout of narrow screens.
    let col = move |msg: QuestionMsg| move || i18n.t(msg);
    view! {
        <tr class="question-table__row" data-testid="question-row" data-type=question_type.as_str()>
            <Show when=move || state.can_write.get()>
                <td class="question-table__select">
                    <input
                        type="checkbox"
                        data-testid="question-select"
                        aria-label=move || i18n.t(QuestionMsg::SelectQuestion)
                        prop:checked=checked
                        on:change=toggle
                    />
                </td>
            </Show>
            <td class="question-table__stem">
                // The server sanitised the stem on the way in.
                <RichText html=question.content.stem().to_owned() class="question-table__stem-text" testid="question-stem" />
            </td>
            <td class="question-table__type" data-label=col(QuestionMsg::FilterType)>
                <span class=format!("badge type-badge type-badge--{}", question_type.as_str()) data-testid="question-type">
                    {move || i18n.t(type_name)}
                </span>
            </td>
            <td class="question-table__num" data-label=col(QuestionMsg::Points) data-testid="question-points">
                {question.points}
            </td>
            <td class="question-table__difficulty" data-label=col(QuestionMsg::Difficulty) data-testid="question-difficulty" data-difficulty=difficulty>
                <span class="difficulty-meter" aria-hidden="true">
                    {(1..=5).map(|n| {
                        let class = if n <= difficulty { "difficulty-meter__dot difficulty-meter__dot--on" } else { "difficulty-meter__dot" };
                        view! { <span class=class></span> }
                    }).collect_view()}
                </span>
                " " {difficulty_name}
            </td>
            <td class="question-table__num" data-label=col(QuestionMsg::Version) data-testid="question-version" data-version=question.version>
                {question.version}
            </td>
            <td class="question-table__tags" data-label=col(QuestionMsg::Tags)>{tags}</td>
            <td class="question-table__actions">
                <a href=edit data-testid="question-edit">
                    {move || i18n.t(ConsoleMsg::Edit)}
                </a>
            </td>
        </tr>
    }
}
