//! `/certificate-templates`: the organisation's certificate templates — the list, a form that
//! creates one (title and text with placeholders, A4 orientation, how the public page shows
//! the holder's name) and deleting one. Issued certificates keep what they print.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::certificates::{
    CertificateTemplateDto, CertificateTemplateInput, NameDisplay, Orientation,
};

use crate::api::{self, CertificatesConsoleApi};
use crate::auth::use_auth;
use crate::components::ApiErrors;
use crate::components::console_gate::{RequirePermission, may, watch_session};
use crate::components::console_nav::{EXAMS_READ, EXAMS_WRITE};
use crate::components::form::{FormAlert, FormError};
use crate::components::page_header::PageHeader;
use crate::i18n::{CertificateMsg, Msg, use_i18n};

#[component]
pub fn CertificateTemplatesPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="page">
            <PageHeader
                title=move || i18n.t(CertificateMsg::TemplatesTitle)
                lead=move || i18n.t(CertificateMsg::TemplatesLead)
            />
            <RequirePermission needs=EXAMS_READ>
                <Templates />
            </RequirePermission>
        </section>
    }
}

#[component]
fn Templates() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let reload = RwSignal::new(0_u32);
    let list = LocalResource::new(move || {
        reload.track();
        let api = CertificatesConsoleApi::new(i18n.lang_untracked());
        async move { api.templates().await }
    });
    watch_session(auth, list);
    let error = RwSignal::new(None::<FormError>);
    let delete = move |id: String| {
        let api = CertificatesConsoleApi::new(i18n.lang_untracked());
        spawn_local(async move {
            match api.delete_template(&id).await {
                Ok(()) => reload.update(|n| *n += 1),
                Err(err) => error.set(Some(FormError::Other(err))),
            }
        });
    };
    view! {
        <FormAlert error=error testid="templates-error" />
        <Transition fallback=move || view! { <p class="loading">{move || i18n.t(Msg::Loading)}</p> }>
            <ErrorBoundary fallback=|errors| view! { <ApiErrors errors=errors /> }>
                {move || Suspend::new(async move {
                    let rows = list.await?;
                    Ok::<_, api::Error>(template_table(rows, delete))
                })}
            </ErrorBoundary>
        </Transition>
        <Show when=move || may(auth, EXAMS_WRITE)>
            <NewTemplate on_created=Callback::new(move |()| reload.update(|n| *n += 1)) />
        </Show>
    }
}

fn template_table(
    rows: Vec<CertificateTemplateDto>,
    delete: impl Fn(String) + Copy + Send + Sync + 'static,
) -> AnyView {
    let i18n = use_i18n();
    if rows.is_empty() {
        return view! {
            <p class="muted" data-testid="templates-empty">{move || i18n.t(CertificateMsg::NoTemplates)}</p>
        }
        .into_any();
    }
    view! {
        <table class="table" data-testid="templates-table">
            <thead>
                <tr>
                    <th>{move || i18n.t(CertificateMsg::TemplateName)}</th>
                    <th>{move || i18n.t(CertificateMsg::TemplateTitle)}</th>
                    <th>{move || i18n.t(CertificateMsg::Orientation)}</th>
                    <th>{move || i18n.t(CertificateMsg::Actions)}</th>
                </tr>
            </thead>
            <tbody>
                {rows
                    .into_iter()
                    .map(|t| {
                        let id = t.id.clone();
                        let orientation = match t.orientation {
                            Orientation::Landscape => CertificateMsg::Landscape,
                            Orientation::Portrait => CertificateMsg::Portrait,
                        };
                        view! {
                            <tr data-testid="template-row" data-id=t.id.clone()>
                                <td>{t.name.clone()}</td>
                                <td>{t.title.clone()}</td>
                                <td>{move || i18n.t(orientation)}</td>
                                <td>
                                    <button
                                        type="button"
                                        class="button button--secondary"
                                        data-testid="template-delete"
                                        on:click=move |_| delete(id.clone())
                                    >
                                        {move || i18n.t(CertificateMsg::Delete)}
                                    </button>
                                </td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

#[component]
fn NewTemplate(on_created: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let name = RwSignal::new(String::new());
    let title = RwSignal::new(String::new());
    let body = RwSignal::new(String::new());
    let portrait = RwSignal::new(false);
    let full_name = RwSignal::new(false);
    let error = RwSignal::new(None::<FormError>);
    let busy = RwSignal::new(false);
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        let input = CertificateTemplateInput {
            name: name.get_untracked(),
            title: title.get_untracked(),
            body: body.get_untracked(),
            orientation: if portrait.get_untracked() {
                Orientation::Portrait
            } else {
                Orientation::Landscape
            },
            name_display: if full_name.get_untracked() {
                NameDisplay::Full
            } else {
                NameDisplay::Masked
            },
        };
        let api = CertificatesConsoleApi::new(i18n.lang_untracked());
        spawn_local(async move {
            let result = api.create_template(&input).await;
            busy.set(false);
            match result {
                Ok(_) => {
                    name.set(String::new());
                    title.set(String::new());
                    body.set(String::new());
                    on_created.run(());
                }
                Err(err) => error.set(Some(FormError::Other(err))),
            }
        });
    };
    view! {
        <form class="card form" on:submit=on_submit data-testid="template-form">
            <h2>{move || i18n.t(CertificateMsg::CreateTemplate)}</h2>
            <label class="field">
                <span class="field__label">{move || i18n.t(CertificateMsg::TemplateName)}</span>
                <input type="text" maxlength="100" required bind:value=name data-testid="template-name" />
            </label>
            <label class="field">
                <span class="field__label">{move || i18n.t(CertificateMsg::TemplateTitle)}</span>
                <input type="text" maxlength="100" required bind:value=title data-testid="template-title" />
            </label>
            <label class="field">
                <span class="field__label">{move || i18n.t(CertificateMsg::TemplateBody)}</span>
                <textarea rows="4" maxlength="2000" bind:value=body data-testid="template-body"></textarea>
            </label>
            <label class="field field--check">
                <input type="checkbox" bind:checked=portrait data-testid="template-portrait" />
                <span>{move || i18n.t(CertificateMsg::Portrait)}</span>
            </label>
            <label class="field field--check">
                <input type="checkbox" bind:checked=full_name data-testid="template-full-name" />
                <span>
                    {move || i18n.t(CertificateMsg::NameDisplay)}
                    ": "
                    {move || i18n.t(CertificateMsg::NameFull)}
                </span>
            </label>
            <FormAlert error=error testid="template-form-error" />
            <p class="actions">
                <button type="submit" class="button" disabled=busy data-testid="template-create">
                    {move || i18n.t(CertificateMsg::CreateTemplate)}
                </button>
            </p>
        </form>
    }
}
