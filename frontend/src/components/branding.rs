//! The candidate portal's branding: a live preview of the portal header, and the card that
//! picks, checks, uploads and removes the logo.
//!
//! A picked image is shown at once through an object URL, before any upload; the URL is
//! revoked when it is replaced, uploaded, cancelled or the card goes away, so no file stays
//! pinned in memory.

use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::accounts::OrgSettings;
use web_sys::{File, HtmlInputElement, Url};

use crate::api::AuthApi;
use crate::auth::use_auth;
use crate::components::form::{FieldErrors, FormAlert, FormError, FormNotice, report};
use crate::i18n::{AnyMsg, SettingsMsg, use_i18n};

/// Largest logo the server accepts, in bytes (`MAX_LOGO_BYTES` on the server).
pub const MAX_LOGO_BYTES: f64 = 512.0 * 1024.0;

/// The image types the server accepts; it checks the content as well.
const LOGO_TYPES: [&str; 2] = ["image/png", "image/jpeg"];

/// The content type to upload a picked file with, or the reason (as the API words it) why it
/// is refused before any upload.
pub fn check_logo(content_type: &str, size: f64) -> Result<&'static str, &'static str> {
    let Some(accepted) = LOGO_TYPES.iter().copied().find(|t| *t == content_type) else {
        return Err("unsupported_image_type");
    };
    if size > MAX_LOGO_BYTES {
        return Err("too_big");
    }
    Ok(accepted)
}

/// The logo the preview shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PreviewLogo {
    None,
    /// Picked but not uploaded: an object URL.
    Local(String),
    /// The uploaded one, as the portal serves it.
    Saved(String),
}

/// The header of the candidate portal as candidates will see it.
#[component]
pub fn PortalPreview(
    #[prop(into)] app_name: Signal<String>,
    #[prop(into)] logo: Signal<PreviewLogo>,
) -> impl IntoView {
    let i18n = use_i18n();
    let mark = move || {
        let (src, source) = match logo.get() {
            PreviewLogo::None => {
                let initial = app_name.with(|name| name.chars().next().unwrap_or('?'));
                return view! {
                    <span class="portal-preview__mark" aria-hidden="true" data-testid="preview-no-logo">
                        {initial.to_string()}
                    </span>
                }
                .into_any();
            }
            PreviewLogo::Local(src) => (src, "local"),
            PreviewLogo::Saved(src) => (src, "saved"),
        };
        view! {
            <img
                class="portal-preview__logo"
                src=src
                alt=move || i18n.t(SettingsMsg::PreviewLogoAlt)
                data-testid="preview-logo"
                data-source=source
            />
        }
        .into_any()
    };
    let unsaved = move || {
        matches!(logo.get(), PreviewLogo::Local(_)).then(|| {
            view! {
                <span class="badge badge--pending" data-testid="preview-unsaved">
                    {move || i18n.t(SettingsMsg::PreviewUnsaved)}
                </span>
            }
        })
    };
    view! {
        <figure class="portal-preview" data-testid="portal-preview">
            <div class="portal-preview__header">
                {mark}
                <span class="portal-preview__name" data-testid="preview-app-name">
                    {move || app_name.get()}
                </span>
                {unsaved}
                <span class="portal-preview__action" aria-hidden="true">
                    {move || i18n.t(SettingsMsg::PreviewSignIn)}
                </span>
            </div>
            <figcaption class="portal-preview__note">
                {move || i18n.t(SettingsMsg::PreviewNote)}
            </figcaption>
        </figure>
    }
}

/// A picked logo waiting to be uploaded.
#[derive(Clone)]
struct Pending {
    file: File,
    content_type: &'static str,
}

/// Picking, uploading and removing the logo. `saved` is the organisation as last saved (the
/// upload answers with it); `pending_url` is the object URL of a picked image, for the preview.
#[component]
pub fn LogoCard(
    saved: RwSignal<OrgSettings>,
    pending_url: RwSignal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let input = NodeRef::<html::Input>::new();
    let pending = StoredValue::new_local(None::<Pending>);
    let errors = FieldErrors::default();
    let form_error = RwSignal::new(None);
    let notice = RwSignal::new(None::<AnyMsg>);
    let busy = RwSignal::new(None::<SettingsMsg>);

    // Forgets the picked file and its object URL (and empties the file input).
    let forget = move || {
        pending.set_value(None);
        if let Some(url) = pending_url.get_untracked() {
            // Revoking an unknown URL is harmless; the browser reports no error.
            let _ = Url::revoke_object_url(&url);
            pending_url.set(None);
        }
        if let Some(input) = input.get_untracked() {
            input.set_value("");
        }
    };
    on_cleanup(move || {
        if let Some(url) = pending_url.try_get_untracked().flatten() {
            let _ = Url::revoke_object_url(&url);
        }
    });

    let on_pick = move |ev: leptos::ev::Event| {
        let picked: HtmlInputElement = event_target(&ev);
        let Some(file) = picked.files().and_then(|files| files.get(0)) else {
            return;
        };
        forget_messages(errors, form_error, notice);
        let content_type = match check_logo(&file.type_(), file.size()) {
            Ok(content_type) => content_type,
            Err(reason) => {
                forget();
                errors.add("logo", reason);
                return;
            }
        };
        let Ok(url) = Url::create_object_url_with_blob(&file) else {
            errors.add("logo", "unreadable_image");
            return;
        };
        if let Some(old) = pending_url.get_untracked() {
            let _ = Url::revoke_object_url(&old);
        }
        pending.set_value(Some(Pending { file, content_type }));
        pending_url.set(Some(url));
    };

    let upload = move |_| {
        let Some(Pending { file, content_type }) = pending.get_value() else {
            return;
        };
        if busy.get_untracked().is_some() {
            return;
        }
        forget_messages(errors, form_error, notice);
        busy.set(Some(SettingsMsg::LogoUploading));
        let api = AuthApi::new(i18n.lang_untracked());
        spawn_local(async move {
            let result = auth.checked(api.upload_logo(&file, content_type).await);
            busy.set(None);
            match result {
                Ok(org) => {
                    saved.set(org);
                    forget();
                    notice.set(Some(SettingsMsg::LogoUploaded.into()));
                }
                Err(err) => report(err, &["logo"], errors, form_error, |_| None),
            }
        });
    };

    let remove = move |_| {
        if busy.get_untracked().is_some() {
            return;
        }
        forget_messages(errors, form_error, notice);
        busy.set(Some(SettingsMsg::LogoRemoving));
        let api = AuthApi::new(i18n.lang_untracked());
        spawn_local(async move {
            let result = auth.checked(api.delete_logo().await);
            busy.set(None);
            match result {
                Ok(()) => {
                    saved.update(|org| org.logo_url = None);
                    notice.set(Some(SettingsMsg::LogoRemoved.into()));
                }
                Err(err) => form_error.set(Some(FormError::Other(err))),
            }
        });
    };

    let error = Memo::new(move |_| errors.message(&["logo"]));
    let error_view = move || {
        error.get().map(|msg| {
            view! {
                <p class="field__error" id="logo-file-error" data-testid="field-error-logo">
                    {move || i18n.t(msg)}
                </p>
            }
        })
    };
    let has_pending = move || pending_url.with(Option::is_some);
    let has_saved = move || saved.with(|org| org.logo_url.is_some());
    let label = move |idle: SettingsMsg, working: SettingsMsg| {
        move || {
            i18n.t(if busy.get() == Some(working) {
                working
            } else {
                idle
            })
        }
    };

    view! {
        <article class="card">
            <h2 class="card__title">{move || i18n.t(SettingsMsg::BrandingSection)}</h2>
            <div class="form form--flat">
                <FormAlert error=form_error testid="logo-error" />
                <div class="field">
                    <label class="field__label" for="logo-file">
                        {move || i18n.t(SettingsMsg::LogoLabel)}
                    </label>
                    <input
                        id="logo-file"
                        node_ref=input
                        class="input input--file"
                        type="file"
                        accept="image/png,image/jpeg"
                        aria-describedby="logo-file-hint"
                        aria-invalid=move || error.get().map(|_| "true")
                        data-testid="logo-file"
                        on:change=on_pick
                    />
                    <p class="field__hint" id="logo-file-hint">
                        {move || i18n.t(SettingsMsg::LogoHint)}
                    </p>
                    {error_view}
                </div>
                <p class="hint" data-testid="logo-none" hidden=move || has_saved() || has_pending()>
                    {move || i18n.t(SettingsMsg::NoLogo)}
                </p>
                <div class="actions actions--tight">
                    <Show when=has_pending>
                        <button
                            type="button"
                            class="button"
                            data-testid="logo-upload"
                            disabled=move || busy.with(Option::is_some)
                            on:click=upload
                        >
                            {label(SettingsMsg::LogoUpload, SettingsMsg::LogoUploading)}
                        </button>
                        <button
                            type="button"
                            class="button button--secondary"
                            data-testid="logo-cancel"
                            disabled=move || busy.with(Option::is_some)
                            on:click=move |_| {
                                forget_messages(errors, form_error, notice);
                                forget();
                            }
                        >
                            {move || i18n.t(SettingsMsg::Cancel)}
                        </button>
                    </Show>
                    <Show when=move || has_saved() && !has_pending()>
                        <button
                            type="button"
                            class="button button--secondary"
                            data-testid="logo-remove"
                            disabled=move || busy.with(Option::is_some)
                            on:click=remove
                        >
                            {label(SettingsMsg::LogoRemove, SettingsMsg::LogoRemoving)}
                        </button>
                    </Show>
                </div>
                <FormNotice notice=notice testid="logo-notice" />
            </div>
        </article>
    }
}

fn forget_messages(
    errors: FieldErrors,
    form_error: RwSignal<Option<FormError>>,
    notice: RwSignal<Option<AnyMsg>>,
) {
    errors.clear();
    form_error.set(None);
    notice.set(None);
}

#[cfg(test)]
mod tests {
    use super::{MAX_LOGO_BYTES, check_logo};

    #[test]
    fn only_small_pngs_and_jpegs_are_uploaded() {
        assert_eq!(check_logo("image/png", 1024.0), Ok("image/png"));
        assert_eq!(check_logo("image/jpeg", MAX_LOGO_BYTES), Ok("image/jpeg"));
        assert_eq!(
            check_logo("image/png", MAX_LOGO_BYTES + 1.0),
            Err("too_big")
        );
        for refused in ["image/svg+xml", "image/gif", "text/plain", ""] {
            assert_eq!(check_logo(refused, 10.0), Err("unsupported_image_type"));
        }
    }
}
