//! `/candidates`: the organisation's candidates, filtered by group, status or an exact account,
//! email or phone, a page at a time; creating and editing them, disabling and enabling, and
//! deleting with a confirmation.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_query_map;
use shared::candidates::{CandidateDto, CandidatePage, UpdateCandidateRequest};

use crate::api::{self, CandidateFilter, CandidatesApi};
use crate::auth::use_auth;
use crate::components::candidate_filters::{CandidateFilters, Filter};
use crate::components::candidate_form::{CandidateForm, Editing};
use crate::components::confirm::Confirm;
use crate::components::console_gate::{
    RequirePermission, badge_class, may, report_error, watch_session,
};
use crate::components::console_nav::{CANDIDATES_READ, CANDIDATES_WRITE};
use crate::components::form::{FormAlert, FormError};
use crate::components::page_header::PageHeader;
use crate::components::pager::Pager;
use crate::components::{ApiErrors, CandidateTabs};
use crate::i18n::{CandidateMsg, ConsoleMsg, Msg, delete_candidate_text, format_time, use_i18n};

/// Candidates per page.
const PAGE_SIZE: i64 = 20;

/// The query parameter that opens the list filtered by a group (the groups page links to it).
pub const GROUP_PARAM: &str = "group_id";

#[component]
pub fn CandidatesPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="page">
            <PageHeader title=move || i18n.t(CandidateMsg::ListTitle) lead=move || i18n.t(CandidateMsg::ListLead) />
            <CandidateTabs />
            <RequirePermission needs=CANDIDATES_READ>
                <CandidateList />
            </RequirePermission>
        </section>
    }
}

/// The state the list's parts share.
#[derive(Clone, Copy)]
struct ListState {
    applied: RwSignal<CandidateFilter>,
    reload: RwSignal<u32>,
    editing: RwSignal<Option<Editing>>,
    /// The candidate whose deletion is being confirmed.
    confirming: RwSignal<Option<String>>,
    busy: RwSignal<bool>,
    notice: RwSignal<Option<ConsoleMsg>>,
    error: RwSignal<Option<FormError>>,
    can_write: Memo<bool>,
}

impl ListState {
    fn refresh(&self, notice: ConsoleMsg) {
        self.notice.set(Some(notice));
        self.reload.update(|n| *n += 1);
    }
}

#[component]
fn CandidateList() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let query = use_query_map();
    let initial_group = query.with_untracked(|q| q.get(GROUP_PARAM));
    let state = ListState {
        applied: RwSignal::new(CandidateFilter {
            group_id: initial_group,
            limit: PAGE_SIZE,
            ..CandidateFilter::default()
        }),
        reload: RwSignal::new(0),
        editing: RwSignal::new(None),
        confirming: RwSignal::new(None),
        busy: RwSignal::new(false),
        notice: RwSignal::new(None),
        error: RwSignal::new(None),
        can_write: Memo::new(move |_| may(auth, CANDIDATES_WRITE)),
    };
    let groups = LocalResource::new(move || {
        state.reload.track();
        let api = CandidatesApi::new(i18n.lang());
        async move { api.groups().await }
    });
    let page = LocalResource::new(move || {
        state.reload.track();
        let filter = state.applied.get();
        let api = CandidatesApi::new(i18n.lang());
        async move { api.list(&filter).await }
    });
    watch_session(auth, page);
    let group_list = Signal::derive(move || {
        groups
            .map(|r| r.clone().unwrap_or_default())
            .unwrap_or_default()
    });

    let on_filter = Callback::new(move |filter: Filter| {
        state.notice.set(None);
        state.applied.set(CandidateFilter {
            group_id: filter.group_id,
            status: filter.status,
            q: filter.q,
            offset: 0,
            limit: PAGE_SIZE,
        });
    });
    let on_done = Callback::new(move |saved: Option<CandidateDto>| {
        state.editing.set(None);
        if saved.is_some() {
            state.refresh(ConsoleMsg::Saved);
        }
    });
    let form = move || {
        state.editing.get().map(|editing| {
            view! { <CandidateForm editing=editing groups=group_list on_done=on_done /> }
        })
    };
    let notice = move || {
        state.notice.get().map(|msg| {
            view! {
                <p class="notice" role="status" data-testid="candidates-notice">
                    {move || i18n.t(msg)}
                </p>
            }
        })
    };

    view! {
        <div class="toolbar">
            <CandidateFilters
                initial_group=state.applied.with_untracked(|f| f.group_id.clone())
                groups=group_list
                on_apply=on_filter
            />
            <Show when=move || state.can_write.get()>
                <button
                    type="button"
                    class="button"
                    data-testid="candidate-new"
                    on:click=move |_| {
                        state.notice.set(None);
                        state.editing.set(Some(Editing::New));
                    }
                >
                    {move || i18n.t(CandidateMsg::NewCandidate)}
                </button>
            </Show>
        </div>
        {notice}
        <FormAlert error=state.error testid="candidates-error" />
        {form}
        <Transition fallback=move || view! { <p class="loading">{move || i18n.t(Msg::Loading)}</p> }>
            <ErrorBoundary fallback=|errors| view! { <ApiErrors errors=errors /> }>
                {move || Suspend::new(async move {
                    let page = page.await?;
                    Ok::<_, api::Error>(view! { <CandidateTable page=page state=state /> })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

/// One page of candidates with the paging controls.
#[component]
fn CandidateTable(page: CandidatePage, state: ListState) -> impl IntoView {
    let i18n = use_i18n();
    if page.items.is_empty() {
        let filtered = state
            .applied
            .with_untracked(|f| f.group_id.is_some() || f.status.is_some() || f.q.is_some());
        let msg = if filtered {
            CandidateMsg::NoMatches
        } else {
            CandidateMsg::NoCandidates
        };
        return view! {
            <p class="empty" data-testid="candidates-empty">
                {move || i18n.t(msg)}
            </p>
        }
        .into_any();
    }
    let CandidatePage {
        items,
        total,
        offset,
        limit,
    } = page;
    let shown = items.len();
    let rows = items
        .into_iter()
        .map(|candidate| view! { <CandidateRow candidate=candidate state=state /> })
        .collect_view();
    let go = move |to: i64| {
        state.notice.set(None);
        state.applied.update(|f| f.offset = to.max(0));
    };
    let header = |msg: CandidateMsg| view! { <th scope="col">{move || i18n.t(msg)}</th> };
    view! {
        <div class="table-wrap">
            <table class="table" data-testid="candidates-table">
                <thead>
                    <tr>
                        {header(CandidateMsg::ColAccount)}
                        {header(CandidateMsg::ColName)}
                        {header(CandidateMsg::ColPhone)}
                        {header(CandidateMsg::ColEmail)}
                        {header(CandidateMsg::ColGroups)}
                        {header(CandidateMsg::ColStatus)}
                        {header(CandidateMsg::ColLastLogin)}
                        <th scope="col">{move || i18n.t(ConsoleMsg::Actions)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <Pager offset=offset limit=limit shown=shown total=total testid="candidates" go=Callback::new(go) />
    }
    .into_any()
}

#[component]
fn CandidateRow(candidate: CandidateDto, state: ListState) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let id = candidate.id.clone();
    let active = candidate.status == "active";
    let status_msg = if active {
        CandidateMsg::StatusActive
    } else {
        CandidateMsg::StatusDisabled
    };
    let groups = candidate
        .groups
        .iter()
        .map(|g| g.name.as_str())
        .collect::<Vec<_>>()
        .join("、");
    let last_login = candidate.last_login_at.as_deref().map(format_time);
    let stored = StoredValue::new(candidate.clone());

    let set_status = {
        let id = id.clone();
        move |_| {
            if state.busy.get_untracked() {
                return;
            }
            let request = UpdateCandidateRequest {
                status: Some(if active { "disabled" } else { "active" }.to_owned()),
                ..UpdateCandidateRequest::default()
            };
            let api = CandidatesApi::new(i18n.lang_untracked());
            let id = id.clone();
            state.busy.set(true);
            state.error.set(None);
            spawn_local(async move {
                let result = api.update(&id, &request).await;
                state.busy.set(false);
                match result {
                    Ok(_) => state.refresh(ConsoleMsg::Saved),
                    Err(err) => report_error(auth, err, state.error),
                }
            });
        }
    };
    let delete = {
        let id = id.clone();
        move || {
            let api = CandidatesApi::new(i18n.lang_untracked());
            let id = id.clone();
            state.busy.set(true);
            state.error.set(None);
            spawn_local(async move {
                let result = api.delete(&id).await;
                state.busy.set(false);
                state.confirming.set(None);
                match result {
                    Ok(()) => state.refresh(ConsoleMsg::Deleted),
                    Err(err) => report_error(auth, err, state.error),
                }
            });
        }
    };
    let confirming = {
        let id = id.clone();
        Memo::new(move |_| state.confirming.with(|c| c.as_deref() == Some(id.as_str())))
    };
    let question = {
        let (name, account) = (candidate.name.clone(), candidate.account.clone());
        move || delete_candidate_text(&name, &account, i18n.lang())
    };
    let actions = move || {
        state.can_write.get().then(|| {
            let ask = {
                let id = id.clone();
                move |_| state.confirming.set(Some(id.clone()))
            };
            view! {
                <button
                    type="button"
                    class="link-button"
                    data-testid="candidate-edit"
                    on:click=move |_| {
                        state.notice.set(None);
                        state.editing.set(Some(Editing::Existing(Box::new(stored.get_value()))));
                    }
                >
                    {move || i18n.t(ConsoleMsg::Edit)}
                </button>
                <button
                    type="button"
                    class="link-button"
                    data-testid="candidate-toggle-status"
                    disabled=move || state.busy.get()
                    on:click=set_status.clone()
                >
                    {move || {
                        i18n.t(if active { CandidateMsg::Disable } else { CandidateMsg::Enable })
                    }}
                </button>
                <button
                    type="button"
                    class="link-button link-button--danger"
                    data-testid="candidate-delete"
                    on:click=ask
                >
                    {move || i18n.t(ConsoleMsg::Delete)}
                </button>
            }
        })
    };
    let confirm_row = move || {
        confirming.get().then(|| {
            let delete = delete.clone();
            view! {
                <tr class="table__confirm">
                    <td colspan="8">
                        <Confirm
                            question=question.clone()
                            detail=move || i18n.t(CandidateMsg::DeleteCandidateQuestion)
                            confirm_label=ConsoleMsg::ConfirmDelete
                            busy=state.busy
                            on_yes=move || delete()
                            on_no=move || state.confirming.set(None)
                        />
                    </td>
                </tr>
            }
        })
    };
    view! {
        <tr data-testid="candidate-row" data-account=candidate.account.clone()>
            <td data-testid="candidate-account">
                <code>{candidate.account.clone()}</code>
            </td>
            <td data-testid="candidate-name">{candidate.name.clone()}</td>
            <td data-testid="candidate-phone">{candidate.phone.clone()}</td>
            <td data-testid="candidate-email">{candidate.email.clone()}</td>
            <td data-testid="candidate-groups">{groups}</td>
            <td>
                <span
                    class=badge_class(active)
                    data-testid="candidate-status"
                    data-status=candidate.status.clone()
                >
                    {move || i18n.t(status_msg)}
                </span>
            </td>
            <td>
                {match last_login {
                    Some(at) => at.into_any(),
                    None => (move || i18n.t(ConsoleMsg::Never)).into_any(),
                }}
            </td>
            <td class="table__actions">{actions}</td>
        </tr>
        {confirm_row}
    }
}
