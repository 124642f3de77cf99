//! `/account/organisation`: the organisation's name, the signed-in user's login name and the
//! candidate app name, the candidate-side logo, and a live preview of the candidate portal's
//! header that follows what is typed and picked before anything is saved.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::ErrorCode;
use shared::accounts::{OrgSettings, UpdateOrgRequest};

use crate::api::{self, AuthApi};
use crate::auth::use_auth;
use crate::components::branding::{LogoCard, PortalPreview, PreviewLogo};
use crate::components::form::{
    Field, FormAlert, FormError, FormNotice, FormState, SubmitButton, missing, report,
};
use crate::components::{AccountShell, ApiErrors, ManagersOnly};
use crate::i18n::{AccountMsg, Msg, SettingsMsg, use_i18n};
use crate::routes::Page;

/// The request's fields, each shown beside its input.
const FIELDS: &[&str] = &["name", "candidate_app_name", "login_account"];

#[component]
pub fn OrganisationPage() -> impl IntoView {
    view! {
        <AccountShell
            page=Page::AccountOrganisation
            title=SettingsMsg::OrganisationTitle
            lead=SettingsMsg::OrganisationLead
        >
            <ManagersOnly>
                <OrganisationLoader />
            </ManagersOnly>
        </AccountShell>
    }
}

/// Loads the organisation once; the forms then keep their own state.
#[component]
fn OrganisationLoader() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    // The language is read untracked: switching it must not reload the forms over what is
    // being typed.
    let org = LocalResource::new(move || {
        let api = AuthApi::new(i18n.lang_untracked());
        async move { auth.checked(api.get_org().await) }
    });
    view! {
        <Transition fallback=move || view! { <p class="loading">{move || i18n.t(Msg::Loading)}</p> }>
            <ErrorBoundary fallback=|errors| view! { <ApiErrors errors=errors /> }>
                {move || Suspend::new(async move {
                    let org = org.await?;
                    Ok::<_, api::Error>(view! { <OrganisationForms org=org /> })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

/// What to send for the values typed, given the organisation as saved: only what changed. A
/// login name cannot be removed once set, so an emptied one is left as it is.
fn changes(
    saved: &OrgSettings,
    name: &str,
    app_name: &str,
    login_account: &str,
) -> UpdateOrgRequest {
    let (name, app_name, login_account) = (name.trim(), app_name.trim(), login_account.trim());
    UpdateOrgRequest {
        name: (name != saved.name).then(|| name.to_owned()),
        candidate_app_name: (app_name != saved.candidate_app_name.as_deref().unwrap_or_default())
            .then(|| app_name.to_owned()),
        login_account: (!login_account.is_empty()
            && Some(login_account) != saved.login_account.as_deref())
        .then(|| login_account.to_owned()),
    }
}

/// The name the portal shows for the values typed: the app name, else the organisation's.
fn portal_name(name: &str, app_name: &str) -> String {
    let app_name = app_name.trim();
    if app_name.is_empty() {
        name.trim().to_owned()
    } else {
        app_name.to_owned()
    }
}

#[component]
fn OrganisationForms(org: OrgSettings) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let name = RwSignal::new(org.name.clone());
    let app_name = RwSignal::new(org.candidate_app_name.clone().unwrap_or_default());
    let login_account = RwSignal::new(org.login_account.clone().unwrap_or_default());
    let saved = RwSignal::new(org);
    let pending_url = RwSignal::new(None::<String>);
    let form = FormState::new();
    let FormState {
        errors,
        error: form_error,
        notice,
        submitting,
    } = form;

    let on_submit = form.on_submit(move || {
        let typed_name = name.get_untracked();
        let blank = missing(&[("name", &typed_name)]);
        if !blank.is_empty() {
            errors.set(blank);
            form_error.set(Some(FormError::CheckFields));
            return;
        }
        let request = saved.with_untracked(|org| {
            changes(
                org,
                &typed_name,
                &app_name.get_untracked(),
                &login_account.get_untracked(),
            )
        });
        if request == UpdateOrgRequest::default() {
            notice.set(Some(SettingsMsg::NothingChanged.into()));
            return;
        }
        submitting.set(true);
        let api = AuthApi::new(i18n.lang_untracked());
        spawn_local(async move {
            let result = auth.checked(api.update_org(&request).await);
            submitting.set(false);
            match result {
                Ok(org) => {
                    // Show the values as the server keeps them (trimmed).
                    name.set(org.name.clone());
                    app_name.set(org.candidate_app_name.clone().unwrap_or_default());
                    login_account.set(org.login_account.clone().unwrap_or_default());
                    let org_name = org.name.clone();
                    auth.update_user(|me| me.org.name = org_name);
                    saved.set(org);
                    notice.set(Some(SettingsMsg::Saved.into()));
                }
                // The only unique field: the login name is someone else's.
                Err(err) if err.code() == Some(ErrorCode::Conflict) => {
                    errors.add("login_account", "taken");
                    form_error.set(Some(FormError::CheckFields));
                }
                Err(err) => report(err, FIELDS, errors, form_error, |_| None),
            }
        });
    });

    let preview_name = Signal::derive(move || portal_name(&name.get(), &app_name.get()));
    let preview_logo = Signal::derive(move || match pending_url.get() {
        Some(url) => PreviewLogo::Local(url),
        None => saved.with(|org| {
            org.logo_url
                .clone()
                .map_or(PreviewLogo::None, PreviewLogo::Saved)
        }),
    });

    view! {
        <div class="settings-grid">
            <form class="form card" novalidate=true on:submit=on_submit>
                <h2 class="card__title">{move || i18n.t(SettingsMsg::ProfileSection)}</h2>
                <FormAlert error=form_error testid="org-error" />
                <Field
                    id="org-name"
                    label=AccountMsg::OrgNameLabel
                    value=name
                    testid="org-name"
                    fields=&["name"]
                    errors=errors
                    autocomplete="organization"
                    maxlength=100
                    hint=AccountMsg::OrgNameHint
                />
                <Field
                    id="org-app-name"
                    label=SettingsMsg::AppNameLabel
                    value=app_name
                    testid="org-app-name"
                    fields=&["candidate_app_name"]
                    errors=errors
                    autocomplete="off"
                    maxlength=40
                    hint=SettingsMsg::AppNameHint
                    required=false
                />
                <Field
                    id="org-login-account"
                    label=SettingsMsg::LoginAccountLabel
                    value=login_account
                    testid="org-login-account"
                    fields=&["login_account"]
                    errors=errors
                    autocomplete="username"
                    maxlength=32
                    hint=SettingsMsg::LoginAccountHint
                    required=false
                />
                <FormNotice notice=notice testid="org-saved" />
                <SubmitButton
                    testid="org-save"
                    busy=submitting
                    label=SettingsMsg::Save
                    busy_label=SettingsMsg::Saving
                    class="button"
                />
            </form>
            <div class="settings-grid__side">
                <article class="card">
                    <h2 class="card__title">{move || i18n.t(SettingsMsg::PreviewTitle)}</h2>
                    <PortalPreview app_name=preview_name logo=preview_logo />
                </article>
                <LogoCard saved=saved pending_url=pending_url />
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use shared::accounts::{OrgSettings, UpdateOrgRequest};

    use super::{changes, portal_name};

    fn saved() -> OrgSettings {
        OrgSettings {
            id: "o".to_owned(),
            name: "Example School".to_owned(),
            slug: "example".to_owned(),
            candidate_app_name: None,
            logo_url: None,
            login_account: Some("admin01".to_owned()),
        }
    }

    #[test]
    fn nothing_typed_differently_means_nothing_to_send() {
        let request = changes(&saved(), " Example School ", "", "admin01");
        assert_eq!(request, UpdateOrgRequest::default());
    }

    #[test]
    fn only_changed_fields_are_sent_and_an_emptied_login_name_is_kept() {
        let request = changes(&saved(), "Example School", " Exam Hub ", "");
        assert_eq!(
            request,
            UpdateOrgRequest {
                name: None,
                candidate_app_name: Some("Exam Hub".to_owned()),
                login_account: None,
            }
        );
        let mut with_app_name = saved();
        with_app_name.candidate_app_name = Some("Exam Hub".to_owned());
        let cleared = changes(&with_app_name, "New Name", "", "admin02");
        assert_eq!(cleared.name.as_deref(), Some("New Name"));
        assert_eq!(cleared.candidate_app_name.as_deref(), Some(""));
        assert_eq!(cleared.login_account.as_deref(), Some("admin02"));
    }

    #[test]
    fn the_portal_shows_the_app_name_else_the_organisation_name() {
        assert_eq!(portal_name("Example School", "  "), "Example School");
        assert_eq!(portal_name("Example School", " Exam Hub "), "Exam Hub");
    }
}
