//! `/candidate-groups`: the organisation's candidate groups with their member counts; creating,
//! renaming and deleting them (deleting keeps the candidates).

use leptos::prelude::*;
use shared::candidates::GroupDto;

use crate::api::CandidatesApi;
use crate::auth::use_auth;
use crate::components::CandidateTabs;
use crate::components::console_gate::{RequirePermission, may};
use crate::components::console_nav::{CANDIDATES_READ, CANDIDATES_WRITE};
use crate::components::named_list::{
    DeleteKind, ListKind, ListState, NamedList, NamedRow, NewNameForm, RenameKind, named, pending,
};
use crate::components::page_header::PageHeader;
use crate::i18n::{AnyText, CandidateMsg, ConsoleMsg, use_i18n};
use crate::pages::candidates::GROUP_PARAM;
use crate::routes::Page;

const GROUPS: ListKind = ListKind {
    one: "group",
    columns: &[
        AnyText::Candidate(CandidateMsg::ColGroupName),
        AnyText::Candidate(CandidateMsg::ColMembers),
    ],
    empty: AnyText::Candidate(CandidateMsg::NoGroups),
    rename: Some(RenameKind {
        label: AnyText::Candidate(CandidateMsg::Rename),
        input_label: AnyText::Candidate(CandidateMsg::GroupNameLabel),
        maxlength: 50,
    }),
    delete: DeleteKind {
        label: AnyText::Console(ConsoleMsg::Delete),
        action: "delete",
        question: named,
        detail: AnyText::Candidate(CandidateMsg::DeleteGroupQuestion),
        confirm: AnyText::Console(ConsoleMsg::ConfirmDelete),
        done: AnyText::Console(ConsoleMsg::Deleted),
        refusal: None,
    },
};

#[component]
pub fn CandidateGroupsPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="page">
            <PageHeader
                title=move || i18n.t(CandidateMsg::GroupsTitle)
                lead=move || i18n.t(CandidateMsg::GroupsLead)
            />
            <CandidateTabs />
            <RequirePermission needs=CANDIDATES_READ>
                <Groups />
            </RequirePermission>
        </section>
    }
}

#[component]
fn Groups() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let state = ListState::new(Memo::new(move |_| may(auth, CANDIDATES_WRITE)));
    let api = move || CandidatesApi::new(i18n.lang_untracked());
    let create =
        Callback::new(move |name: String| pending(async move { api().create_group(&name).await }));
    let rename = Callback::new(move |(id, name): (String, String)| {
        pending(async move { api().rename_group(&id, &name).await })
    });
    let delete =
        Callback::new(move |id: String| pending(async move { api().delete_group(&id).await }));
    view! {
        <Show when=move || state.can_write.get()>
            <NewNameForm
                state=state
                id="group-new-name"
                one="group"
                label=CandidateMsg::NewGroupLabel
                button=CandidateMsg::CreateGroup
                taken_msg=CandidateMsg::GroupTaken
                maxlength=50
                create=create
            />
        </Show>
        <NamedList
            kind=GROUPS
            state=state
            load=|lang| async move { CandidatesApi::new(lang).groups().await }
            row=group_row
            rename=rename
            delete=delete
        />
    }
}

fn group_row(group: GroupDto) -> NamedRow {
    let members_link = format!("{}?{GROUP_PARAM}={}", Page::Candidates.path(), group.id);
    NamedRow {
        cells: view! {
            <td>
                <a href=members_link data-testid="group-count">
                    {group.member_count}
                </a>
            </td>
        }
        .into_any(),
        id: group.id,
        name: group.name,
        link: None,
        status: None,
        actions: None,
        deletable: true,
    }
}
