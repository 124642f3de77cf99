//! `/paper-preview?id=…`: a paper as a candidate sees it, drawn for a seed (shown), with
//! "draw again" (a new random seed) and "same seed again" (the same paper once more).

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::{self, PapersApi};
use crate::auth::use_auth;
use crate::components::ApiErrors;
use crate::components::console_gate::{RequirePermission, watch_session};
use crate::components::console_nav::QUESTIONS_READ;
use crate::components::page_header::{Back, PageHeader};
use crate::components::paper_preview::CandidatePaperView;
use crate::i18n::{Msg, PaperMsg, use_i18n};
use crate::pages::papers::{PAPER_PARAM, paper_link};
use crate::routes::Page;

#[component]
pub fn PaperPreviewPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let id = query
        .with_untracked(|q| q.get(PAPER_PARAM))
        .unwrap_or_default();
    let back = paper_link(Page::Paper, &id);
    view! {
        <section class="page">
            <PageHeader
                back=Back {
                    href: back,
                    testid: "back-to-paper",
                    label: (move || i18n.t(PaperMsg::BackToBuilder)).into(),
                }
                title=move || i18n.t(PaperMsg::PreviewTitle)
                lead=move || i18n.t(PaperMsg::PreviewLead)
            />
            <RequirePermission needs=QUESTIONS_READ>
                <Preview id=id.clone() />
            </RequirePermission>
        </section>
    }
}

#[component]
fn Preview(id: String) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    // The seed asked for; `None`: a new random draw. `draws` forces a new request even when
    // the seed asked for is the same as before.
    let seed = RwSignal::new(None::<String>);
    let draws = RwSignal::new(0_u32);
    let id = StoredValue::new(id);
    let paper = LocalResource::new(move || {
        draws.track();
        let seed = seed.get();
        let api = PapersApi::new(i18n.lang_untracked());
        async move { api.preview(&id.get_value(), seed.as_deref()).await }
    });
    watch_session(auth, paper);
    view! {
        <Transition fallback=move || view! { <p class="loading">{move || i18n.t(Msg::Loading)}</p> }>
            <ErrorBoundary fallback=|errors| view! { <ApiErrors errors=errors /> }>
                {move || Suspend::new(async move {
                    let paper = paper.await?;
                    let shown = paper.seed.clone().unwrap_or_default();
                    let again = shown.clone();
                    let draw = draws.get_untracked();
                    Ok::<_, api::Error>(view! {
                        <div class="toolbar" data-testid="preview-toolbar" data-draw=draw>
                            <p data-testid="preview-seed" data-seed=shown.clone()>
                                {move || i18n.t(PaperMsg::Seed)} ": " <code>{shown.clone()}</code>
                            </p>
                            <button
                                type="button"
                                class="button"
                                data-testid="preview-draw-again"
                                on:click=move |_| {
                                    seed.set(None);
                                    draws.update(|n| *n += 1);
                                }
                            >
                                {move || i18n.t(PaperMsg::DrawAgain)}
                            </button>
                            <button
                                type="button"
                                class="button button--secondary"
                                data-testid="preview-same-seed"
                                on:click=move |_| {
                                    seed.set(Some(again.clone()));
                                    draws.update(|n| *n += 1);
                                }
                            >
                                {move || i18n.t(PaperMsg::SameSeed)}
                            </button>
                        </div>
                        <CandidatePaperView paper=paper />
                    })
                })}
            </ErrorBoundary>
        </Transition>
    }
}
