//! `/account/data` and `/o/{slug}/my-data`: what the platform holds about the signed-in person
//! (privacy statement 5.1) — their profile, signed-in devices, consent records, exam attempts,
//! registrations and certificates, and the audit entries naming them — with their name (and a
//! candidate's email or mobile number) corrected here, and exports of it all (5.3). The
//! console's user and the portal's candidate get the same page, each in their own frame: the
//! read-only sections are in `my_data_records.rs`, the exports in `my_data_exports.rs`.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use shared::my_data::{CandidateContactUpdate, DataSubject, MyData, MyProfile, ProfileUpdate};
use shared::{ErrorCode, Lang};

use crate::api::{self, CandidateContactApi, ConsentArea, FieldError, MyDataApi};
use crate::auth::{Auth, use_auth};
use crate::components::code_target::CodeTarget;
use crate::components::form::{
    CodeField, ContactField, Field, FormAlert, FormError, FormNotice, FormState, SubmitButton,
    missing, report,
};
use crate::components::page_header::{Back, PageHeader};
use crate::components::portal_frame::PortalFrame;
use crate::components::send_code::{CodeSender, normalise_code};
use crate::components::{AccountShell, ApiErrors, LocalTime};
use crate::i18n::{AnyMsg, Msg, MyDataMsg, ResultsMsg, role_msg, use_i18n};
use crate::routes::{Page, PortalPage};

use super::my_data_exports::Exports;
use super::my_data_records::{
    Attempts, Audit, Certificates, Consents, Devices, Registrations, Section,
};
use super::portal::{go_to_login_on_401, use_slug};

/// The console's page, among the account pages.
#[component]
pub fn MyDataPage() -> impl IntoView {
    view! {
        <AccountShell page=Page::AccountData title=MyDataMsg::Title lead=MyDataMsg::Lead>
            <MyDataView area=ConsentArea::Console />
        </AccountShell>
    }
}

/// The portal's page, in the organisation's frame.
#[component]
pub fn PortalMyDataPage() -> impl IntoView {
    let slug = use_slug();
    view! {
        <PortalFrame slug=slug>
            <PortalMyData slug=slug />
        </PortalFrame>
    }
}

#[component]
fn PortalMyData(slug: Memo<String>) -> impl IntoView {
    let i18n = use_i18n();
    let back = Back {
        href: PortalPage::Home.path(&slug.get_untracked()),
        testid: "my-data-home",
        label: (move || i18n.t(ResultsMsg::BackToHome)).into(),
    };
    view! {
        <section class="page">
            <PageHeader
                title=move || i18n.t(MyDataMsg::Title)
                lead=move || i18n.t(MyDataMsg::Lead)
                back=back
            />
            <MyDataView area=ConsentArea::Portal />
        </section>
    }
}

/// The link to the signed-in person's "my data" page of `area` (the portal's of the slug in
/// the URL).
#[component]
pub fn MyDataLink(area: ConsentArea, testid: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let href = match area {
        ConsentArea::Console => Signal::derive(|| Page::AccountData.path().to_owned()),
        ConsentArea::Portal => {
            let slug = use_slug();
            Signal::derive(move || PortalPage::MyData.path(&slug.get()))
        }
    };
    view! {
        <a href=href data-testid=testid>
            {move || i18n.t(MyDataMsg::Title)}
        </a>
    }
}

/// Whose page it is, and what an ended session does: the console signs in again (through
/// [`Auth`]); the portal goes to its sign-in page (watching `ended`).
#[derive(Clone, Copy)]
pub(super) struct Person {
    area: ConsentArea,
    auth: Auth,
    ended: RwSignal<bool>,
}

impl Person {
    fn new(area: ConsentArea) -> Self {
        Person {
            area,
            auth: use_auth(),
            ended: RwSignal::new(false),
        }
    }

    pub(super) fn api(self, lang: Lang) -> MyDataApi {
        MyDataApi::new(lang, self.area)
    }

    /// Passes the result of a call through, noting a session that ended.
    pub(super) fn checked<T>(self, result: Result<T, api::Error>) -> Result<T, api::Error> {
        match self.area {
            ConsentArea::Console => self.auth.checked(result),
            ConsentArea::Portal => {
                if matches!(&result, Err(err) if err.code() == Some(ErrorCode::Unauthorized)) {
                    self.ended.try_set(true);
                }
                result
            }
        }
    }
}

#[component]
fn MyDataView(area: ConsentArea) -> impl IntoView {
    let i18n = use_i18n();
    let person = Person::new(area);
    if area == ConsentArea::Portal {
        go_to_login_on_401(use_slug(), move || person.ended.get());
    }
    // The data holds no text of the interface, so a change of language needs no new request.
    let data = LocalResource::new(move || {
        let api = person.api(i18n.lang_untracked());
        async move { person.checked(api.get().await) }
    });
    view! {
        <Transition fallback=move || view! { <p class="loading">{move || i18n.t(Msg::Loading)}</p> }>
            <ErrorBoundary fallback=|errors| view! { <ApiErrors errors=errors /> }>
                {move || Suspend::new(async move {
                    let data = data.await?;
                    Ok::<_, api::Error>(view! { <Sections data=data person=person /> })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

#[component]
fn Sections(data: MyData, person: Person) -> impl IntoView {
    let MyData {
        subject,
        profile,
        devices,
        consents,
        attempts,
        registrations,
        certificates,
        audit_total,
        audit_latest,
        exports,
    } = data;
    let candidate = subject == DataSubject::Candidate;
    let subject = if candidate { "candidate" } else { "user" };
    // Exams, registrations and certificates are a candidate's only.
    let exams = candidate.then(|| {
        view! {
            <Attempts attempts=attempts />
            <Registrations registrations=registrations />
            <Certificates certificates=certificates />
        }
    });
    view! {
        <div
            class="my-data"
            data-testid="my-data"
            data-subject=subject
        >
            <ProfileCard profile=profile person=person candidate=candidate />
            <Exports exports=exports person=person />
            <Devices devices=devices />
            <Consents consents=consents />
            {exams}
            <Audit total=audit_total latest=audit_latest />
        </div>
    }
}

/// A value of the profile, or "not set" (`data-unset`).
fn value_cell(
    testid: &'static str,
    get: impl Fn() -> Option<String> + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let value = Memo::new(move |_| get());
    view! {
        <dd
            data-testid=testid
            class:details__unset=move || value.with(Option::is_none)
            data-unset=move || value.with(Option::is_none).then_some("true")
        >
            {move || value.get().unwrap_or_else(|| i18n.t(MyDataMsg::NotSet).to_owned())}
        </dd>
    }
}

#[component]
fn ProfileCard(profile: MyProfile, person: Person, candidate: bool) -> impl IntoView {
    let i18n = use_i18n();
    let profile = RwSignal::new(profile);
    // One notice for both forms: what the last one that succeeded did.
    let notice = RwSignal::new(None::<AnyMsg>);
    let field = move |get: fn(&MyProfile) -> Option<String>| move || profile.with(get);
    let role = move || {
        profile.with(|p| {
            p.role.as_deref().map(|role| {
                role_msg(role).map_or_else(|| role.to_owned(), |msg| i18n.t(msg).to_owned())
            })
        })
    };
    let groups = move || {
        let separator = match i18n.lang() {
            Lang::ZhCn => "、",
            Lang::En => ", ",
        };
        profile.with(|p| (!p.groups.is_empty()).then(|| p.groups.join(separator)))
    };
    let shows_role = profile.with_untracked(|p| p.role.is_some());
    let shows_id = candidate || profile.with_untracked(|p| p.id_number.is_some());
    let contact = if candidate {
        view! { <ContactForm profile=profile person=person notice=notice /> }.into_any()
    } else {
        view! {
            <p class="hint" data-testid="my-data-contact-console">
                {move || i18n.t(MyDataMsg::ContactConsole)} " "
                <A href=Page::AccountSecurity.path() {..} data-testid="my-data-security-link">
                    {move || i18n.t(MyDataMsg::ContactConsoleLink)}
                </A>
            </p>
        }
        .into_any()
    };
    view! {
        <Section title=MyDataMsg::ProfileSection testid="my-data-profile">
            <dl class="details">
                <dt>{move || i18n.t(MyDataMsg::Organisation)}</dt>
                {value_cell("my-data-organisation", move || profile.with(|p| Some(p.organisation.clone())))}
                <dt>{move || i18n.t(MyDataMsg::Name)}</dt>
                {value_cell("my-data-name", field(|p| p.name.clone()))}
                <dt>{move || i18n.t(MyDataMsg::LoginAccount)}</dt>
                {value_cell("my-data-login-account", field(|p| p.login_account.clone()))}
                <dt>{move || i18n.t(MyDataMsg::Email)}</dt>
                {value_cell("my-data-email", field(|p| p.email.clone()))}
                <dt>{move || i18n.t(MyDataMsg::Phone)}</dt>
                {value_cell("my-data-phone", field(|p| p.phone.clone()))}
                {shows_id.then(|| view! {
                    <dt>{move || i18n.t(MyDataMsg::IdNumber)}</dt>
                    {value_cell("my-data-id-number", field(|p| p.id_number.clone()))}
                })}
                {shows_role.then(|| view! {
                    <dt>{move || i18n.t(MyDataMsg::Role)}</dt>
                    {value_cell("my-data-role", role)}
                })}
                {candidate.then(|| view! {
                    <dt>{move || i18n.t(MyDataMsg::Groups)}</dt>
                    {value_cell("my-data-groups", groups)}
                })}
                <dt>{move || i18n.t(MyDataMsg::CreatedAt)}</dt>
                <dd>{move || profile.with(|p| view! { <LocalTime rfc3339=p.created_at.clone() /> })}</dd>
                <dt>{move || i18n.t(MyDataMsg::LastSignIn)}</dt>
                <dd data-testid="my-data-last-sign-in">
                    {move || match profile.with(|p| p.last_login_at.clone()) {
                        Some(at) => view! { <LocalTime rfc3339=at /> }.into_any(),
                        None => i18n.t(MyDataMsg::Never).into_any(),
                    }}
                </dd>
            </dl>
            <NameForm profile=profile person=person notice=notice />
            {contact}
            <FormNotice notice=notice testid="my-data-message" />
        </Section>
    }
}

/// "Correct my name".
#[component]
fn NameForm(
    profile: RwSignal<MyProfile>,
    person: Person,
    notice: RwSignal<Option<AnyMsg>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let name = RwSignal::new(profile.with_untracked(|p| p.name.clone().unwrap_or_default()));
    let form = FormState {
        notice,
        ..FormState::new()
    };
    let FormState {
        errors,
        error,
        submitting,
        ..
    } = form;
    let on_submit = form.on_submit(move || {
        let update = ProfileUpdate {
            name: name.get_untracked().trim().to_owned(),
        };
        let blank = missing(&[("name", &update.name)]);
        if !blank.is_empty() {
            errors.set(blank);
            error.set(Some(FormError::CheckFields));
            return;
        }
        submitting.set(true);
        let api = person.api(i18n.lang_untracked());
        spawn_local(async move {
            let result = person.checked(api.update_profile(&update).await);
            submitting.set(false);
            match result {
                Ok(now) => {
                    name.set(now.name.clone().unwrap_or_default());
                    profile.set(now);
                    notice.set(Some(MyDataMsg::NameSaved.into()));
                }
                Err(err) => report(err, &["name"], errors, error, |_| None),
            }
        });
    });
    view! {
        <form class="form form--flat my-data__form" novalidate=true on:submit=on_submit>
            <FormAlert error=error testid="my-data-name-error" />
            // The API names the field `name`; `person_name` words its errors for a person.
            <Field
                id="my-data-name-input"
                label=MyDataMsg::NameLabel
                value=name
                testid="my-data-name-input"
                fields=&["person_name", "name"]
                errors=errors
                autocomplete="name"
                maxlength=50
                hint=MyDataMsg::NameHint
            />
            <SubmitButton
                testid="my-data-name-save"
                busy=submitting
                label=MyDataMsg::NameSave
                busy_label=MyDataMsg::Saving
                class="button"
            />
        </form>
    }
}

/// A candidate's new email address or mobile number: a code sent there, then saved with it.
#[component]
fn ContactForm(
    profile: RwSignal<MyProfile>,
    person: Person,
    notice: RwSignal<Option<AnyMsg>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let destination = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let form = FormState {
        notice,
        ..FormState::new()
    };
    let FormState {
        errors,
        error,
        submitting,
        ..
    } = form;
    let sender = CodeSender::new(CodeTarget::CandidateContact, destination, errors, error);
    let on_submit = form.on_submit(move || {
        let update = CandidateContactUpdate {
            destination: destination.get_untracked().trim().to_owned(),
            code: normalise_code(&code.get_untracked()),
        };
        let blank = missing(&[("destination", &update.destination), ("code", &update.code)]);
        if !blank.is_empty() {
            errors.set(blank);
            error.set(Some(FormError::CheckFields));
            return;
        }
        submitting.set(true);
        let api = CandidateContactApi::new(i18n.lang_untracked());
        spawn_local(async move {
            let result = person.checked(api.change(&update).await);
            submitting.set(false);
            match result {
                Ok(now) => {
                    profile.set(now);
                    destination.set(String::new());
                    code.set(String::new());
                    notice.set(Some(MyDataMsg::ContactSaved.into()));
                }
                // Another candidate of the organisation uses the address.
                Err(err) if err.code() == Some(ErrorCode::Conflict) => {
                    errors.set(vec![FieldError {
                        field: "destination".to_owned(),
                        reason: "taken".to_owned(),
                    }]);
                    error.set(Some(FormError::CheckFields));
                }
                Err(err) => report(err, &["destination", "code"], errors, error, |_| None),
            }
        });
    });
    view! {
        <form class="form form--flat my-data__form" novalidate=true on:submit=on_submit>
            <h3 class="section-title">{move || i18n.t(MyDataMsg::ContactSection)}</h3>
            <p class="hint">{move || i18n.t(MyDataMsg::ContactLead)}</p>
            <FormAlert error=error testid="my-data-contact-error" />
            <ContactField
                id="my-data-contact-destination"
                label=MyDataMsg::ContactLabel
                value=destination
                fields=&["destination"]
                errors=errors
            />
            <CodeField
                id="my-data-contact-code"
                value=code
                errors=errors
                sender=sender
                send_testid="my-data-contact-send"
            />
            <SubmitButton
                testid="my-data-contact-save"
                busy=submitting
                label=MyDataMsg::ContactSave
                busy_label=MyDataMsg::Saving
                class="button"
            />
        </form>
    }
}
