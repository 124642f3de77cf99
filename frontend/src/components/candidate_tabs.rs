//! The tabs above the candidate pages: the list, the groups and (for those who may add
//! candidates) the import.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::auth::use_auth;
use crate::components::console_gate::may;
use crate::components::console_nav::CANDIDATES_WRITE;
use crate::i18n::{CandidateMsg, use_i18n};
use crate::routes::Page;

#[component]
pub fn CandidateTabs() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let tab = move |page: Page, label: CandidateMsg, testid: &'static str| {
        view! {
            <A href=page.path() attr:class="tabs__tab" {..} data-testid=testid>
                {move || i18n.t(label)}
            </A>
        }
    };
    view! {
        <nav class="tabs" aria-label=move || i18n.t(CandidateMsg::TabsLabel)>
            {tab(Page::Candidates, CandidateMsg::TabList, "tab-candidates")}
            {tab(Page::CandidateGroups, CandidateMsg::TabGroups, "tab-groups")}
            <Show when=move || may(auth, CANDIDATES_WRITE)>
                {tab(Page::CandidateImport, CandidateMsg::TabImport, "tab-import")}
            </Show>
        </nav>
    }
}
