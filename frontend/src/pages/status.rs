//! `/status`: liveness and readiness of the server, with a refresh button. Which readiness
//! check fails is for operators (`/api/staff/ready`, `examcloud ready`), not shown here.

use leptos::prelude::*;
use shared::{CheckStatus, HealthResponse, ReadySummary};

use crate::api::{self, PublicApi};
use crate::components::page_header::PageHeader;
use crate::components::{ApiErrors, StatusBadge};
use crate::i18n::{Msg, use_i18n};

#[component]
pub fn StatusPage() -> impl IntoView {
    let i18n = use_i18n();
    // Both resources read the language, so switching it refetches them and the server's own
    // messages (check details, errors) follow.
    let health = LocalResource::new(move || {
        let api = PublicApi::new(i18n.lang());
        async move { api.get_health().await }
    });
    let ready = LocalResource::new(move || {
        let api = PublicApi::new(i18n.lang());
        async move { api.get_ready().await }
    });
    let (pending, set_pending) = signal(false);
    let refresh = move |_| {
        health.refetch();
        ready.refetch();
    };

    view! {
        <section class="page">
            <PageHeader title=move || i18n.t(Msg::StatusTitle) lead=move || i18n.t(Msg::StatusLead)>
                <button
                    type="button"
                    class="button"
                    data-testid="status-refresh"
                    disabled=pending
                    on:click=refresh
                >
                    {move || i18n.t(if pending.get() { Msg::Refreshing } else { Msg::Refresh })}
                </button>
            </PageHeader>
            <Transition
                fallback=move || view! { <p class="loading">{move || i18n.t(Msg::Loading)}</p> }
                set_pending=set_pending
            >
                <ErrorBoundary fallback=|errors| view! { <ApiErrors errors=errors /> }>
                    {move || Suspend::new(async move {
                        // Both requests are already in flight; this only waits for both.
                        let health = health.await?;
                        let ready = ready.await?;
                        Ok::<_, api::Error>(view! { <StatusReport health=health ready=ready /> })
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

#[component]
fn StatusReport(health: HealthResponse, ready: ReadySummary) -> impl IntoView {
    let i18n = use_i18n();
    let (summary_class, summary) = match ready.status {
        CheckStatus::Ok => ("summary summary--ok", Msg::AllChecksPass),
        CheckStatus::Failing => ("summary summary--failing", Msg::SomeChecksFail),
    };
    view! {
        <p class=summary_class data-testid="status-summary">
            {move || i18n.t(summary)}
        </p>
        <div class="cards">
            <article class="card">
                <h2 class="card__title">{move || i18n.t(Msg::Liveness)}</h2>
                <StatusBadge status=health.status testid="health-status" />
                <dl class="facts">
                    <dt>{move || i18n.t(Msg::Version)}</dt>
                    <dd data-testid="app-version">{health.version}</dd>
                </dl>
            </article>
            <article class="card">
                <h2 class="card__title">{move || i18n.t(Msg::Readiness)}</h2>
                <StatusBadge status=ready.status testid="ready-status" />
            </article>
        </div>
    }
}
