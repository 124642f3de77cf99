//! `/status`: liveness, readiness and each readiness check of the server, with a refresh button.

use leptos::prelude::*;
use shared::{CheckStatus, HealthResponse, ReadyCheck, ReadyResponse};

use crate::api::{self, PublicApi};
use crate::components::{ApiErrors, StatusBadge, wire_name};
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
            <div class="page-header">
                <div>
                    <h1 class="page-title" data-testid="page-title">
                        {move || i18n.t(Msg::StatusTitle)}
                    </h1>
                    <p class="lead">{move || i18n.t(Msg::StatusLead)}</p>
                </div>
                <button
                    type="button"
                    class="button"
                    data-testid="status-refresh"
                    disabled=pending
                    on:click=refresh
                >
                    {move || i18n.t(if pending.get() { Msg::Refreshing } else { Msg::Refresh })}
                </button>
            </div>
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
fn StatusReport(health: HealthResponse, ready: ReadyResponse) -> impl IntoView {
    let i18n = use_i18n();
    let (summary_class, summary) = match ready.status {
        CheckStatus::Ok => ("summary summary--ok", Msg::AllChecksPass),
        CheckStatus::Failing => ("summary summary--failing", Msg::SomeChecksFail),
    };
    let checks = ready
        .checks
        .into_iter()
        .map(|check| view! { <CheckRow check=check /> })
        .collect_view();
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
                <dl class="facts">
                    <dt>{move || i18n.t(Msg::DatabaseBackend)}</dt>
                    <dd data-testid="database-backend">{ready.database_backend}</dd>
                </dl>
            </article>
        </div>
        <h2 class="section-title">{move || i18n.t(Msg::Checks)}</h2>
        <ul class="checks">{checks}</ul>
    }
}

#[component]
fn CheckRow(check: ReadyCheck) -> impl IntoView {
    let i18n = use_i18n();
    // Unknown checks (from a newer server) still show, under their wire name.
    let label = match check.name.as_str() {
        "database" => Some(Msg::CheckDatabase),
        "migrations" => Some(Msg::CheckMigrations),
        "keys" => Some(Msg::CheckKeys),
        _ => None,
    };
    let name = check.name.clone();
    let title = move || label.map_or_else(|| name.clone(), |msg| i18n.t(msg).to_owned());
    let row_class = match check.status {
        CheckStatus::Ok => "check card check--ok",
        CheckStatus::Failing => "check card check--failing",
    };
    view! {
        <li
            class=row_class
            data-testid=format!("ready-check-{}", check.name)
            data-status=wire_name(check.status)
        >
            <div class="check__head">
                <h3 class="check__title">
                    {title} <code class="check__name">{check.name.clone()}</code>
                </h3>
                <StatusBadge status=check.status />
            </div>
            <p class="check__detail">{check.detail}</p>
            <p class="check__duration">
                {check.duration_ms} " " {move || i18n.t(Msg::Milliseconds)}
            </p>
        </li>
    }
}
