//! `/certificate-templates`: the organisation's certificate templates — the list (edit,
//! preview as a sample PDF, delete) and a form that creates or edits one (title and text with
//! placeholders, A4 orientation, the signatory line, how the public page shows the holder's
//! name), with its images (logo, signature, background) uploaded one by one. Certificates
//! print the template's current design; their holder, exam, score and number stay as issued.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::ErrorCode;
use shared::certificates::{
    CertificateTemplateDto, CertificateTemplateInput, NameDisplay, Orientation, TemplateImage,
};
use web_sys::HtmlInputElement;

use crate::api::{self, CertificatesConsoleApi, template_preview_url};
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
    // The template being edited; `None`: the form creates a new one.
    let editing = RwSignal::new(None::<CertificateTemplateDto>);
    let editing_id = Memo::new(move |_| editing.with(|t| t.as_ref().map(|t| t.id.clone())));
    let notice = RwSignal::new(None::<CertificateMsg>);
    let delete = Callback::new(move |id: String| {
        let api = CertificatesConsoleApi::new(i18n.lang_untracked());
        spawn_local(async move {
            match api.delete_template(&id).await {
                Ok(()) => {
                    if editing_id.get_untracked().as_deref() == Some(id.as_str()) {
                        editing.set(None);
                    }
                    reload.update(|n| *n += 1);
                }
                Err(err) => error.set(Some(FormError::Other(err))),
            }
        });
    });
    let edit = Callback::new(move |t: CertificateTemplateDto| {
        notice.set(None);
        editing.set(Some(t));
    });
    let saved = Callback::new(move |(t, created): (CertificateTemplateDto, bool)| {
        notice.set(Some(if created {
            CertificateMsg::Created
        } else {
            CertificateMsg::Saved
        }));
        editing.set(Some(t));
        reload.update(|n| *n += 1);
    });
    let cancel = Callback::new(move |()| {
        notice.set(None);
        editing.set(None);
    });
    let writer = move || may(auth, EXAMS_WRITE);
    view! {
        <FormAlert error=error testid="templates-error" />
        <Transition fallback=move || view! { <p class="loading">{move || i18n.t(Msg::Loading)}</p> }>
            <ErrorBoundary fallback=|errors| view! { <ApiErrors errors=errors /> }>
                {move || Suspend::new(async move {
                    let rows = list.await?;
                    Ok::<_, api::Error>(template_table(rows, writer(), edit, delete))
                })}
            </ErrorBoundary>
        </Transition>
        <Show when=writer>
            {move || {
                // A new form whenever another template is picked (or creating starts).
                editing_id.track();
                view! {
                    <TemplateForm
                        initial=editing.get_untracked()
                        notice=notice
                        on_saved=saved
                        on_cancel=cancel
                    />
                }
            }}
            <Show when=move || editing_id.with(Option::is_some)>
                <TemplateImages template=editing on_changed=Callback::new(move |()| reload.update(|n| *n += 1)) />
            </Show>
        </Show>
    }
}

fn template_table(
    rows: Vec<CertificateTemplateDto>,
    writer: bool,
    edit: Callback<CertificateTemplateDto>,
    delete: Callback<String>,
) -> AnyView {
    let i18n = use_i18n();
    if rows.is_empty() {
        return view! {
            <p class="muted" data-testid="templates-empty">{move || i18n.t(CertificateMsg::NoTemplates)}</p>
        }
        .into_any();
    }
    view! {
        <div class="table-wrap templates-table">
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
                            let images = [&t.logo_url, &t.signature_url, &t.background_url]
                                .iter()
                                .any(|u| u.is_some());
                            let preview = template_preview_url(&t.id);
                            let row = t.clone();
                            view! {
                                <tr data-testid="template-row" data-id=t.id.clone()>
                                    <td>
                                        {t.name.clone()}
                                        {images.then(|| view! {
                                            " "
                                            <span class="badge" data-testid="template-has-images">
                                                {move || i18n.t(CertificateMsg::HasImages)}
                                            </span>
                                        })}
                                    </td>
                                    <td>{t.title.clone()}</td>
                                    <td>{move || i18n.t(orientation)}</td>
                                    <td class="actions actions--tight">
                                        {writer.then(|| view! {
                                            <button
                                                type="button"
                                                class="button button--secondary"
                                                data-testid="template-edit"
                                                on:click=move |_| edit.run(row.clone())
                                            >
                                                {move || i18n.t(CertificateMsg::Edit)}
                                            </button>
                                        })}
                                        <a
                                            class="button button--secondary"
                                            href=preview
                                            target="_blank"
                                            rel="noopener"
                                            data-testid="template-preview"
                                        >
                                            {move || i18n.t(CertificateMsg::Preview)}
                                        </a>
                                        {writer.then(|| view! {
                                            <button
                                                type="button"
                                                class="button button--secondary"
                                                data-testid="template-delete"
                                                on:click=move |_| delete.run(id.clone())
                                            >
                                                {move || i18n.t(CertificateMsg::Delete)}
                                            </button>
                                        })}
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// Creates a template (`initial` is `None`) or edits one.
#[component]
fn TemplateForm(
    initial: Option<CertificateTemplateDto>,
    notice: RwSignal<Option<CertificateMsg>>,
    on_saved: Callback<(CertificateTemplateDto, bool)>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = initial.as_ref().map(|t| t.id.clone());
    let editing = id.is_some();
    let field = |f: fn(&CertificateTemplateDto) -> String| {
        RwSignal::new(initial.as_ref().map(f).unwrap_or_default())
    };
    let name = field(|t| t.name.clone());
    let title = field(|t| t.title.clone());
    let body = field(|t| t.body.clone());
    let signatory = field(|t| t.signatory.clone());
    let portrait = RwSignal::new(
        initial
            .as_ref()
            .is_some_and(|t| t.orientation == Orientation::Portrait),
    );
    let full_name = RwSignal::new(
        initial
            .as_ref()
            .is_some_and(|t| t.name_display == NameDisplay::Full),
    );
    let error = RwSignal::new(None::<FormError>);
    let busy = RwSignal::new(false);
    let id_for_submit = id.clone();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        notice.set(None);
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
            signatory: signatory.get_untracked(),
        };
        let api = CertificatesConsoleApi::new(i18n.lang_untracked());
        let id = id_for_submit.clone();
        spawn_local(async move {
            let result = match &id {
                Some(id) => api.update_template(id, &input).await,
                None => api.create_template(&input).await,
            };
            busy.set(false);
            match result {
                Ok(saved) => on_saved.run((saved, id.is_none())),
                Err(err) => error.set(Some(FormError::Other(err))),
            }
        });
    };
    let heading = if editing {
        CertificateMsg::EditTemplate
    } else {
        CertificateMsg::CreateTemplate
    };
    let submit = if editing {
        CertificateMsg::Save
    } else {
        CertificateMsg::CreateTemplate
    };
    view! {
        <form class="card form" on:submit=on_submit data-testid="template-form" data-editing=editing.to_string()>
            <h2>{move || i18n.t(heading)}</h2>
            {move || notice.get().map(|msg| view! {
                <p class="notice" role="status" data-testid="template-notice">{move || i18n.t(msg)}</p>
            })}
            <label class="field">
                <span class="field__label">{move || i18n.t(CertificateMsg::TemplateName)}</span>
                <input class="input" type="text" maxlength="100" required bind:value=name data-testid="template-name" />
            </label>
            <label class="field">
                <span class="field__label">{move || i18n.t(CertificateMsg::TemplateTitle)}</span>
                <input class="input" type="text" maxlength="100" required bind:value=title data-testid="template-title" />
            </label>
            <label class="field">
                <span class="field__label">{move || i18n.t(CertificateMsg::TemplateBody)}</span>
                <textarea class="input" rows="4" maxlength="2000" bind:value=body data-testid="template-body"></textarea>
            </label>
            <label class="field">
                <span class="field__label">{move || i18n.t(CertificateMsg::Signatory)}</span>
                <input class="input" type="text" maxlength="100" bind:value=signatory data-testid="template-signatory" aria-describedby="template-signatory-hint" />
                <span class="field__hint" id="template-signatory-hint">{move || i18n.t(CertificateMsg::SignatoryHint)}</span>
            </label>
            <label class="checkbox">
                <input type="checkbox" bind:checked=portrait data-testid="template-portrait" />
                {move || i18n.t(CertificateMsg::Portrait)}
            </label>
            <label class="checkbox">
                <input type="checkbox" bind:checked=full_name data-testid="template-full-name" />
                {move || i18n.t(CertificateMsg::NameDisplay)}
                ": "
                {move || i18n.t(CertificateMsg::NameFull)}
            </label>
            <FormAlert error=error testid="template-form-error" />
            <p class="actions">
                <button type="submit" class="button" disabled=busy data-testid="template-save">
                    {move || i18n.t(submit)}
                </button>
                {editing.then(|| view! {
                    <button
                        type="button"
                        class="button button--secondary"
                        data-testid="template-cancel"
                        on:click=move |_| on_cancel.run(())
                    >
                        {move || i18n.t(CertificateMsg::Cancel)}
                    </button>
                })}
            </p>
        </form>
    }
}

/// The edited template's images, each uploaded or removed on its own.
#[component]
fn TemplateImages(
    template: RwSignal<Option<CertificateTemplateDto>>,
    on_changed: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card" data-testid="template-images">
            <h2>{move || i18n.t(CertificateMsg::Images)}</h2>
            <p class="field__hint">{move || i18n.t(CertificateMsg::ImagesHint)}</p>
            <div class="cert-images">
                {TemplateImage::ALL
                    .into_iter()
                    .map(|kind| view! { <ImageSlot kind=kind template=template on_changed=on_changed /> })
                    .collect_view()}
            </div>
        </section>
    }
}

fn image_url(t: &CertificateTemplateDto, kind: TemplateImage) -> Option<String> {
    match kind {
        TemplateImage::Logo => t.logo_url.clone(),
        TemplateImage::Signature => t.signature_url.clone(),
        TemplateImage::Background => t.background_url.clone(),
    }
}

/// The content type to upload a picked file with, or why it is refused before any upload.
fn check_image(
    kind: TemplateImage,
    content_type: &str,
    size: f64,
) -> Result<&'static str, CertificateMsg> {
    let content_type = match content_type {
        "image/png" => "image/png",
        "image/jpeg" | "image/jpg" => "image/jpeg",
        _ => return Err(CertificateMsg::ImageWrongType),
    };
    // Sizes are far below 2^53: the comparison is exact.
    #[allow(clippy::cast_precision_loss)]
    let max = kind.max_bytes() as f64;
    if size > max {
        return Err(CertificateMsg::ImageTooBig);
    }
    Ok(content_type)
}

/// What the server's refusal of an upload means for the user.
fn upload_problem(err: &api::Error) -> Option<CertificateMsg> {
    match err.code() {
        Some(ErrorCode::PayloadTooLarge) => Some(CertificateMsg::ImageTooBig),
        Some(ErrorCode::UnsupportedMediaType) => Some(CertificateMsg::ImageWrongType),
        Some(ErrorCode::ValidationFailed) => {
            let reason = err.field_errors().into_iter().next()?.reason;
            Some(match reason.as_str() {
                "image_too_large" => CertificateMsg::ImageTooBig,
                "unreadable_image" => CertificateMsg::ImageUnreadable,
                _ => CertificateMsg::ImageWrongType,
            })
        }
        _ => None,
    }
}

#[component]
fn ImageSlot(
    kind: TemplateImage,
    template: RwSignal<Option<CertificateTemplateDto>>,
    on_changed: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let url = Memo::new(move |_| template.with(|t| t.as_ref().and_then(|t| image_url(t, kind))));
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None::<CertificateMsg>);
    let error = RwSignal::new(None::<FormError>);
    let label = match kind {
        TemplateImage::Logo => CertificateMsg::Logo,
        TemplateImage::Signature => CertificateMsg::SignatureImage,
        TemplateImage::Background => CertificateMsg::Background,
    };
    let name = kind.as_str();
    let input_id = format!("template-image-{name}");
    let done = move |result: Result<CertificateTemplateDto, api::Error>| {
        busy.set(false);
        match result {
            Ok(t) => {
                template.set(Some(t));
                on_changed.run(());
            }
            Err(err) => match upload_problem(&err) {
                Some(msg) => problem.set(Some(msg)),
                None => error.set(Some(FormError::Other(err))),
            },
        }
    };
    let on_pick = move |ev: leptos::ev::Event| {
        let input: HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|files| files.get(0)) else {
            return;
        };
        input.set_value("");
        problem.set(None);
        error.set(None);
        let content_type = match check_image(kind, &file.type_(), file.size()) {
            Ok(content_type) => content_type,
            Err(msg) => {
                problem.set(Some(msg));
                return;
            }
        };
        let Some(id) = template.with_untracked(|t| t.as_ref().map(|t| t.id.clone())) else {
            return;
        };
        busy.set(true);
        let api = CertificatesConsoleApi::new(i18n.lang_untracked());
        spawn_local(async move {
            done(auth.checked(api.upload_image(&id, kind, &file, content_type).await));
        });
    };
    let remove = move |_| {
        let Some(id) = template.with_untracked(|t| t.as_ref().map(|t| t.id.clone())) else {
            return;
        };
        problem.set(None);
        error.set(None);
        busy.set(true);
        let api = CertificatesConsoleApi::new(i18n.lang_untracked());
        spawn_local(async move {
            done(auth.checked(api.delete_image(&id, kind).await));
        });
    };
    view! {
        <div class="cert-image" data-testid=format!("template-image-{name}")>
            <h3 class="cert-image__label">{move || i18n.t(label)}</h3>
            <div class="cert-image__frame">
                {move || match url.get() {
                    Some(src) => view! {
                        <img class="cert-image__preview" src=src alt=move || i18n.t(label) data-testid=format!("template-image-{name}-preview") />
                    }.into_any(),
                    None => view! {
                        <span class="muted">{move || i18n.t(CertificateMsg::NoImage)}</span>
                    }.into_any(),
                }}
            </div>
            <label class="field__label" for=input_id.clone()>{move || i18n.t(CertificateMsg::ChooseImage)}</label>
            <input
                id=input_id
                class="input input--file"
                type="file"
                accept="image/png,image/jpeg"
                disabled=busy
                on:change=on_pick
                data-testid=format!("template-image-{name}-file")
            />
            <Show when=move || busy.get()>
                <p class="muted">{move || i18n.t(CertificateMsg::Uploading)}</p>
            </Show>
            {move || problem.get().map(|msg| view! {
                <p class="field__error" data-testid=format!("template-image-{name}-error")>{move || i18n.t(msg)}</p>
            })}
            <FormAlert error=error testid=format!("template-image-{name}-alert") />
            <Show when=move || url.with(Option::is_some)>
                <p class="actions">
                    <button
                        type="button"
                        class="button button--secondary"
                        disabled=busy
                        on:click=remove
                        data-testid=format!("template-image-{name}-remove")
                    >
                        {move || i18n.t(CertificateMsg::RemoveImage)}
                    </button>
                </p>
            </Show>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_pngs_and_jpegs_within_the_kinds_limit_are_uploaded() {
        assert_eq!(
            check_image(TemplateImage::Logo, "image/png", 1024.0),
            Ok("image/png")
        );
        assert_eq!(
            check_image(TemplateImage::Logo, "image/svg+xml", 10.0),
            Err(CertificateMsg::ImageWrongType)
        );
        assert_eq!(
            check_image(TemplateImage::Logo, "image/jpeg", 600.0 * 1024.0),
            Err(CertificateMsg::ImageTooBig)
        );
        assert_eq!(
            check_image(TemplateImage::Background, "image/jpeg", 600.0 * 1024.0),
            Ok("image/jpeg")
        );
    }
}
