//! `/candidate-groups`: the organisation's candidate groups with their member counts; creating,
//! renaming and deleting them (deleting keeps the candidates).

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::ErrorCode;
use shared::candidates::GroupDto;

use crate::api::{self, CandidatesApi};
use crate::auth::use_auth;
use crate::components::confirm::Confirm;
use crate::components::console_gate::{RequirePermission, may, report_error, watch_session};
use crate::components::console_nav::{CANDIDATES_READ, CANDIDATES_WRITE};
use crate::components::form::{FieldErrors, FormAlert, FormError, missing, report};
use crate::components::text_field::TextField;
use crate::components::{ApiErrors, CandidateTabs};
use crate::i18n::{CandidateMsg, ConsoleMsg, Msg, use_i18n};
use crate::pages::candidates::GROUP_PARAM;
use crate::routes::Page;

#[component]
pub fn CandidateGroupsPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="page">
            <div class="page-header">
                <div>
                    <h1 class="page-title" data-testid="page-title">
                        {move || i18n.t(CandidateMsg::GroupsTitle)}
                    </h1>
                    <p class="lead">{move || i18n.t(CandidateMsg::GroupsLead)}</p>
                </div>
            </div>
            <CandidateTabs />
            <RequirePermission needs=CANDIDATES_READ>
                <Groups />
            </RequirePermission>
        </section>
    }
}

/// The state the page's parts share.
#[derive(Clone, Copy)]
struct GroupsState {
    reload: RwSignal<u32>,
    /// The group being renamed, or whose deletion is being confirmed.
    renaming: RwSignal<Option<String>>,
    confirming: RwSignal<Option<String>>,
    busy: RwSignal<bool>,
    notice: RwSignal<Option<ConsoleMsg>>,
    error: RwSignal<Option<FormError>>,
    can_write: Memo<bool>,
}

impl GroupsState {
    fn refresh(&self, notice: ConsoleMsg) {
        self.renaming.set(None);
        self.confirming.set(None);
        self.notice.set(Some(notice));
        self.reload.update(|n| *n += 1);
    }
}

#[component]
fn Groups() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let state = GroupsState {
        reload: RwSignal::new(0),
        renaming: RwSignal::new(None),
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
    watch_session(auth, groups);
    let notice = move || {
        state.notice.get().map(|msg| {
            view! {
                <p class="notice" role="status" data-testid="groups-notice">
                    {move || i18n.t(msg)}
                </p>
            }
        })
    };
    view! {
        <Show when=move || state.can_write.get()>
            <NewGroup state=state />
        </Show>
        {notice}
        <FormAlert error=state.error testid="groups-error" />
        <Transition fallback=move || view! { <p class="loading">{move || i18n.t(Msg::Loading)}</p> }>
            <ErrorBoundary fallback=|errors| view! { <ApiErrors errors=errors /> }>
                {move || Suspend::new(async move {
                    let groups = groups.await?;
                    Ok::<_, api::Error>(view! { <GroupTable groups=groups state=state /> })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

/// The one-line form that creates a group.
#[component]
fn NewGroup(state: GroupsState) -> impl IntoView {
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
        let api = CandidatesApi::new(i18n.lang_untracked());
        state.busy.set(true);
        spawn_local(async move {
            let result = api.create_group(value.trim()).await;
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
                id="group-new-name"
                label=CandidateMsg::NewGroupLabel
                value=name
                testid="group-new-name"
                fields=&["name"]
                errors=errors
                maxlength=50
                required=true
            />
            <button type="submit" class="button" data-testid="group-create" disabled=state.busy>
                {move || i18n.t(CandidateMsg::CreateGroup)}
            </button>
            <FormAlert error=form_error testid="group-form-error" />
            <Show when=move || taken.get()>
                <p class="field__error" data-testid="group-taken">
                    {move || i18n.t(CandidateMsg::GroupTaken)}
                </p>
            </Show>
        </form>
    }
}

#[component]
fn GroupTable(groups: Vec<GroupDto>, state: GroupsState) -> impl IntoView {
    let i18n = use_i18n();
    if groups.is_empty() {
        return view! {
            <p class="empty" data-testid="groups-empty">
                {move || i18n.t(CandidateMsg::NoGroups)}
            </p>
        }
        .into_any();
    }
    let rows = groups
        .into_iter()
        .map(|group| view! { <GroupRow group=group state=state /> })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="table" data-testid="groups-table">
                <thead>
                    <tr>
                        <th scope="col">{move || i18n.t(CandidateMsg::ColGroupName)}</th>
                        <th scope="col">{move || i18n.t(CandidateMsg::ColMembers)}</th>
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
fn GroupRow(group: GroupDto, state: GroupsState) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let id = StoredValue::new(group.id.clone());
    let is = move |slot: RwSignal<Option<String>>| {
        move || slot.with(|s| id.with_value(|id| s.as_deref() == Some(id.as_str())))
    };
    let renaming = is(state.renaming);
    let confirming = is(state.confirming);
    let new_name = RwSignal::new(group.name.clone());
    let members_link = format!("{}?{GROUP_PARAM}={}", Page::Candidates.path(), group.id);

    let rename = move |ev: SubmitEvent| {
        ev.prevent_default();
        let name = new_name.get_untracked().trim().to_owned();
        if name.is_empty() || state.busy.get_untracked() {
            return;
        }
        let api = CandidatesApi::new(i18n.lang_untracked());
        state.busy.set(true);
        state.error.set(None);
        spawn_local(async move {
            let result = api.rename_group(&id.get_value(), &name).await;
            state.busy.set(false);
            match result {
                Ok(_) => state.refresh(ConsoleMsg::Saved),
                Err(err) => report_error(auth, err, state.error),
            }
        });
    };
    let delete = move || {
        let api = CandidatesApi::new(i18n.lang_untracked());
        state.busy.set(true);
        state.error.set(None);
        spawn_local(async move {
            let result = api.delete_group(&id.get_value()).await;
            state.busy.set(false);
            match result {
                Ok(()) => state.refresh(ConsoleMsg::Deleted),
                Err(err) => report_error(auth, err, state.error),
            }
        });
    };
    let name = group.name.clone();
    let name_cell = move || {
        if renaming() {
            view! {
                <form class="inline-form" on:submit=rename>
                    <input
                        class="input"
                        aria-label=move || i18n.t(CandidateMsg::GroupNameLabel)
                        maxlength=50
                        data-testid="group-rename-input"
                        bind:value=new_name
                    />
                    <button type="submit" class="button" data-testid="group-rename-save" disabled=state.busy>
                        {move || i18n.t(ConsoleMsg::Save)}
                    </button>
                    <button
                        type="button"
                        class="button button--secondary"
                        data-testid="group-rename-cancel"
                        on:click=move |_| state.renaming.set(None)
                    >
                        {move || i18n.t(ConsoleMsg::Cancel)}
                    </button>
                </form>
            }
            .into_any()
        } else {
            view! { <span data-testid="group-name">{name.clone()}</span> }.into_any()
        }
    };
    let actions = move || {
        (state.can_write.get() && !renaming()).then(|| {
            view! {
                <button
                    type="button"
                    class="link-button"
                    data-testid="group-rename"
                    on:click=move |_| {
                        state.notice.set(None);
                        state.renaming.set(Some(id.get_value()));
                    }
                >
                    {move || i18n.t(CandidateMsg::Rename)}
                </button>
                <button
                    type="button"
                    class="link-button link-button--danger"
                    data-testid="group-delete"
                    on:click=move |_| state.confirming.set(Some(id.get_value()))
                >
                    {move || i18n.t(ConsoleMsg::Delete)}
                </button>
            }
        })
    };
    let group_name = group.name.clone();
    let confirm_row = move || {
        confirming().then(|| {
            let group_name = group_name.clone();
            view! {
                <tr class="table__confirm">
                    <td colspan="3">
                        <Confirm
                            question=move || group_name.clone()
                            detail=move || i18n.t(CandidateMsg::DeleteGroupQuestion)
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
        <tr data-testid="group-row" data-name=group.name.clone()>
            <td>{name_cell}</td>
            <td>
                <a href=members_link data-testid="group-count">
                    {group.member_count}
                </a>
            </td>
            <td class="table__actions">{actions}</td>
        </tr>
        {confirm_row}
    }
}
