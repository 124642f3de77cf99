//! The exam page's certificates: issue one for a graded attempt from a template, the exam's
//! certificates with their PDF a page at a time, and revoking one with a reason.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::certificates::{CertificateDto, CertificatePage, CertificateTemplateDto};
use shared::exams::{AttemptStatus, ExamAttemptDto};

use crate::api::{self, CertificatesConsoleApi, ExamsConsoleApi, certificate_pdf_url};
use crate::auth::use_auth;
use crate::components::ApiErrors;
use crate::components::console_gate::may;
use crate::components::console_nav::EXAMS_WRITE;
use crate::components::exam_directory::Directory;
use crate::components::form::{FormAlert, FormError};
use crate::components::pager::Pager;
use crate::i18n::{CertificateMsg, Msg, date_text, use_i18n};

/// What the card loads at once.
type Loaded = (
    CertificatePage,
    Vec<CertificateTemplateDto>,
    Vec<ExamAttemptDto>,
);

/// Certificates per page.
const PAGE: i64 = 50;

#[component]
pub fn ExamCertificates(exam_id: String, directory: Directory) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let exam_id = StoredValue::new(exam_id);
    let reload = RwSignal::new(0_u32);
    let offset = RwSignal::new(0_i64);
    let page_size = RwSignal::new(PAGE);
    let error = RwSignal::new(None::<FormError>);
    let loaded = LocalResource::new(move || {
        reload.track();
        let offset = offset.get();
        let limit = page_size.get();
        let lang = i18n.lang_untracked();
        let id = exam_id.get_value();
        async move {
            let api = CertificatesConsoleApi::new(lang);
            let certificates = api.exam_certificates(&id, offset, limit).await?;
            let templates = api.templates().await?;
            let attempts = ExamsConsoleApi::new(lang).attempts(&id).await?;
            Ok::<Loaded, api::Error>((certificates, templates, attempts))
        }
    });
    let done = move |result: Result<CertificateDto, api::Error>| match result {
        Ok(_) => reload.update(|n| *n += 1),
        Err(err) => error.set(Some(FormError::Other(err))),
    };
    let issue = move |attempt_id: String, template_id: String| {
        let api = CertificatesConsoleApi::new(i18n.lang_untracked());
        let exam = exam_id.get_value();
        error.set(None);
        spawn_local(async move { done(api.issue(&exam, &attempt_id, &template_id).await) });
    };
    let revoke = move |id: String, reason: String| {
        let api = CertificatesConsoleApi::new(i18n.lang_untracked());
        error.set(None);
        spawn_local(async move { done(api.revoke(&id, &reason).await) });
    };
    let writer = move || may(auth, EXAMS_WRITE);
    view! {
        <section class="card exam-certificates" data-testid="exam-certificates">
            <h2>{move || i18n.t(CertificateMsg::ExamCertificates)}</h2>
            <FormAlert error=error testid="exam-certificates-error" />
            <Transition fallback=move || view! { <p class="loading">{move || i18n.t(Msg::Loading)}</p> }>
                <ErrorBoundary fallback=|errors| view! { <ApiErrors errors=errors /> }>
                    {move || Suspend::new(async move {
                        let (certificates, templates, attempts) = loaded.await?;
                        Ok::<_, api::Error>(view! {
                            <Show when=writer>
                                <IssueForm templates=templates.clone() attempts=attempts.clone() directory=directory issue=issue />
                            </Show>
                            {certificate_table(
                                certificates,
                                revoke,
                                Callback::new(move |to| offset.set(to)),
                                Callback::new(move |n| {
                                    page_size.set(n);
                                    offset.set(0);
                                }),
                            )}
                        })
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

#[component]
fn IssueForm(
    templates: Vec<CertificateTemplateDto>,
    attempts: Vec<ExamAttemptDto>,
    directory: Directory,
    issue: impl Fn(String, String) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let graded: Vec<ExamAttemptDto> = attempts
        .into_iter()
        .filter(|a| a.status == AttemptStatus::Graded)
        .collect();
    let attempt = RwSignal::new(graded.first().map(|a| a.id.clone()).unwrap_or_default());
    let template = RwSignal::new(templates.first().map(|t| t.id.clone()).unwrap_or_default());
    view! {
        <div class="form form--inline" data-testid="issue-form">
            <label class="field">
                <span class="field__label">{move || i18n.t(CertificateMsg::GradedAttempt)}</span>
                <select class="input" bind:value=attempt data-testid="issue-attempt">
                    {graded
                        .iter()
                        .map(|a| {
                            // The candidate by name and account where the page knows them.
                            let (number, candidate) = (a.number, a.candidate_id.clone());
                            let (score, max) = (a.score.unwrap_or_default(), a.max_score);
                            let label = move || {
                                let who = directory.get(&candidate).map_or_else(
                                    || candidate.chars().take(8).collect::<String>(),
                                    |(name, account)| format!("{name} ({account})"),
                                );
                                format!("{who} · #{number} · {score}/{max}")
                            };
                            view! { <option value=a.id.clone()>{label}</option> }
                        })
                        .collect_view()}
                </select>
            </label>
            <label class="field">
                <span class="field__label">{move || i18n.t(CertificateMsg::Template)}</span>
                <select class="input" bind:value=template data-testid="issue-template">
                    {templates
                        .iter()
                        .map(|t| view! { <option value=t.id.clone()>{t.name.clone()}</option> })
                        .collect_view()}
                </select>
            </label>
            <button
                type="button"
                class="button"
                data-testid="issue-certificate"
                disabled=move || attempt.get().is_empty() || template.get().is_empty()
                on:click=move |_| issue(attempt.get_untracked(), template.get_untracked())
            >
                {move || i18n.t(CertificateMsg::Issue)}
            </button>
        </div>
    }
}

fn certificate_table(
    page: CertificatePage,
    revoke: impl Fn(String, String) + Copy + Send + Sync + 'static,
    go: Callback<i64>,
    resize: Callback<i64>,
) -> AnyView {
    let i18n = use_i18n();
    let (offset, limit, total, rows) = (page.offset, page.limit, page.total, page.items);
    let shown = rows.len();
    if rows.is_empty() && offset == 0 {
        return view! {
            <p class="muted" data-testid="exam-certificates-empty">
                {move || i18n.t(CertificateMsg::NoExamCertificates)}
            </p>
        }
        .into_any();
    }
    view! {
        <div class="table-wrap">
        <table class="table" data-testid="exam-certificates-table">
            <thead>
                <tr>
                    <th>{move || i18n.t(CertificateMsg::Number)}</th>
                    <th>{move || i18n.t(CertificateMsg::Holder)}</th>
                    <th>{move || i18n.t(CertificateMsg::IssuedOn)}</th>
                    <th>{move || i18n.t(CertificateMsg::Status)}</th>
                    <th>{move || i18n.t(CertificateMsg::Actions)}</th>
                </tr>
            </thead>
            <tbody>
                {rows.into_iter().map(|c| view! { <CertificateRow c=c revoke=revoke /> }).collect_view()}
            </tbody>
        </table>
        </div>
        <Pager offset=offset limit=limit shown=shown total=total testid="exam-certificates" go=go resize=resize />
    }
    .into_any()
}

#[component]
fn CertificateRow(
    c: CertificateDto,
    revoke: impl Fn(String, String) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let reason = RwSignal::new(String::new());
    let id = StoredValue::new(c.id.clone());
    let revoked = c.revoked_at.is_some();
    view! {
        <tr data-testid="certificate-row" data-number=c.number.clone()>
            <td><code>{c.number.clone()}</code></td>
            <td>{c.holder_name.clone()}</td>
            <td>{date_text(&c.issued_at)}</td>
            <td>
                {move || i18n.t(if revoked { CertificateMsg::Revoked } else { CertificateMsg::Valid })}
                {c.revoke_reason.clone().map(|r| view! { <span class="muted">" · " {r}</span> })}
            </td>
            <td class="actions">
                <a class="button button--secondary" href=certificate_pdf_url(&c.id) download="">
                    {move || i18n.t(CertificateMsg::Download)}
                </a>
                {(!revoked).then(|| view! {
                    <input
                        class="input"
                        type="text"
                        maxlength="500"
                        bind:value=reason
                        aria-label=move || i18n.t(CertificateMsg::RevokeReason)
                        placeholder=move || i18n.t(CertificateMsg::RevokeReason)
                        data-testid="revoke-reason"
                    />
                    <button
                        type="button"
                        class="button button--danger"
                        data-testid="revoke-certificate"
                        disabled=move || reason.get().trim().is_empty()
                        on:click=move |_| revoke(id.get_value(), reason.get_untracked())
                    >
                        {move || i18n.t(CertificateMsg::Revoke)}
                    </button>
                })}
            </td>
        </tr>
    }
}
