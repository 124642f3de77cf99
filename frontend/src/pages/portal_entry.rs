//! Entering an exam without an account: `/o/{slug}/code` (the exam's 10-character access code),
//! `/o/{slug}/open/{token}` (the exam's open link) — both show the exam and the registration
//! form its organiser defined, and registering signs the person in (a first registration
//! shows the resume token to keep; a returning person proves it is them with that token or a
//! code to the contact they registered, `components/returning_registrant.rs`) — and
//! `/o/{slug}/invite#{token}` (a candidate's personal invite link, which signs them in at
//! once). Each ends on the exam's page in the portal.

use std::collections::BTreeMap;

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_params_map};
use shared::ErrorCode;
use shared::exams::{
    ExamEntryInfo, RegistrationExists, RegistrationField, RegistrationFieldKind,
    RegistrationRequest, normalise_access_code,
};

use crate::api::{self, EntryWay, PortalApi};
use crate::components::LocalTime;
use crate::components::form::{FormAlert, FormError};
use crate::components::policy_agreement::{PolicyAgreement, acceptance};
use crate::components::portal_frame::PortalFrame;
use crate::components::returning_registrant::{
    ProofInputs, ProofKind, ResumeTokenPanel, ReturningPanel, store_token,
};
use crate::components::rich_text::render_math;
use crate::components::send_code::normalise_code;
use crate::i18n::{
    ExamMsg, PrivacyMsg, minutes_text, registration_reason_msg, start_refused_msg, use_i18n,
};
use crate::routes::{PortalPage, TOKEN_PARAM};

use super::portal::use_slug;

fn replace() -> NavigateOptions {
    NavigateOptions {
        replace: true,
        ..Default::default()
    }
}

/// What the code page or the open link found.
#[derive(Debug, Clone, PartialEq)]
enum Lookup {
    Idle,
    Looking,
    Found(Box<ExamEntryInfo>),
    /// Closed, too many tries, or anything else: said in this message.
    Refused(ExamMsg),
    Failed(api::Error),
}

fn lookup_result(result: Result<ExamEntryInfo, api::Error>, unknown: ExamMsg) -> Lookup {
    match result {
        Ok(info) => Lookup::Found(Box::new(info)),
        Err(err) if err.code() == Some(ErrorCode::NotFound) => Lookup::Refused(unknown),
        Err(err) => match err.conflict_reason().and_then(start_refused_msg) {
            Some(msg) => Lookup::Refused(msg),
            None => Lookup::Failed(err),
        },
    }
}

#[component]
pub fn PortalCodePage() -> impl IntoView {
    let i18n = use_i18n();
    let slug = use_slug();
    let code = RwSignal::new(String::new());
    let lookup = RwSignal::new(Lookup::Idle);
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if lookup.with_untracked(|l| matches!(l, Lookup::Looking)) {
            return;
        }
        // Case, spaces and dashes do not matter; the server reads the code the same way.
        let Some(typed) = normalise_access_code(&code.get_untracked()) else {
            lookup.set(Lookup::Refused(ExamMsg::CodeInvalid));
            return;
        };
        lookup.set(Lookup::Looking);
        let api = PortalApi::new(i18n.lang_untracked());
        let slug = slug.get_untracked();
        spawn_local(async move {
            let result = api.entry_info(&slug, EntryWay::AccessCode, &typed).await;
            let found = lookup_result(result, ExamMsg::CodeUnknown);
            if let Lookup::Found(_) = &found {
                code.set(typed);
            }
            lookup.set(found);
        });
    };
    let found = move || match lookup.get() {
        Lookup::Found(info) => Some(view! {
            <Registration info=*info slug=slug way=EntryWay::AccessCode key=code.get_untracked() />
        }),
        _ => None,
    };
    view! {
        <PortalFrame slug=slug>
            <section class="auth">
                <h1 class="page-title" data-testid="page-title">{move || i18n.t(ExamMsg::CodeTitle)}</h1>
                <p class="lead">{move || i18n.t(ExamMsg::CodeLead)}</p>
                <Show when=move || !matches!(lookup.get(), Lookup::Found(_))>
                    <form class="form card" novalidate=true on:submit=on_submit>
                        <LookupAlert lookup=lookup />
                        <label class="field" for="entry-code">
                            <span class="field__label">{move || i18n.t(ExamMsg::CodeLabel)}</span>
                            <input
                                id="entry-code"
                                class="input entry-code"
                                autocomplete="off"
                                autocapitalize="characters"
                                spellcheck="false"
                                maxlength=16
                                data-testid="entry-code"
                                prop:value=move || code.get()
                                on:input=move |ev| code.set(event_target_value(&ev))
                            />
                        </label>
                        <button
                            type="submit"
                            class="button button--block"
                            data-testid="entry-code-submit"
                            disabled=move || matches!(lookup.get(), Lookup::Looking)
                        >
                            {move || i18n.t(ExamMsg::CodeContinue)}
                        </button>
                    </form>
                    <p class="hint">
                        <a href=move || PortalPage::Login.path(&slug.get())>{move || i18n.t(ExamMsg::SignInInstead)}</a>
                    </p>
                </Show>
                {found}
            </section>
        </PortalFrame>
    }
}

#[component]
fn LookupAlert(lookup: RwSignal<Lookup>) -> impl IntoView {
    let i18n = use_i18n();
    let error = RwSignal::new(None);
    Effect::new(move |_| error.set(error_of(&lookup.get())));
    view! {
        {move || match lookup.get() {
            Lookup::Refused(msg) => Some(view! {
                <p class="notice notice--error" role="alert" data-testid="entry-refused">{move || i18n.t(msg)}</p>
            }),
            _ => None,
        }}
        <FormAlert error=error testid="entry-error" />
    }
}

fn error_of(lookup: &Lookup) -> Option<FormError> {
    match lookup {
        Lookup::Failed(err) => Some(FormError::Other(err.clone())),
        _ => None,
    }
}

#[component]
pub fn PortalOpenLinkPage() -> impl IntoView {
    let i18n = use_i18n();
    let slug = use_slug();
    let params = use_params_map();
    let token = Memo::new(move |_| params.with(|p| p.get(TOKEN_PARAM).unwrap_or_default()));
    let lookup = RwSignal::new(Lookup::Looking);
    Effect::new(move |_| {
        let (slug, token) = (slug.get(), token.get());
        let api = PortalApi::new(i18n.lang_untracked());
        spawn_local(async move {
            let result = api.entry_info(&slug, EntryWay::OpenLink, &token).await;
            lookup.set(lookup_result(result, ExamMsg::OpenLinkUnknown));
        });
    });
    let body = move || match lookup.get() {
        Lookup::Found(info) => view! {
            <Registration info=*info slug=slug way=EntryWay::OpenLink key=token.get_untracked() />
        }
        .into_any(),
        Lookup::Looking | Lookup::Idle => view! {
            <p class="loading">{move || i18n.t(crate::i18n::Msg::Loading)}</p>
        }
        .into_any(),
        _ => view! { <LookupAlert lookup=lookup /> }.into_any(),
    };
    view! {
        <PortalFrame slug=slug>
            <section class="auth">{body}</section>
        </PortalFrame>
    }
}

/// Where the registration stands.
#[derive(Debug, Clone, PartialEq)]
enum Stage {
    Form,
    /// The values match an earlier registration: the person proves it is them.
    Returning(RegistrationExists),
    /// Registered: the resume token to keep before going on to the exam.
    Registered {
        exam_id: String,
        token: String,
    },
}

/// The exam behind a code or link and the registration form its organiser defined.
#[component]
fn Registration(
    info: ExamEntryInfo,
    slug: Memo<String>,
    way: EntryWay,
    key: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let values: RwSignal<BTreeMap<String, String>> = RwSignal::new(BTreeMap::new());
    let errors: RwSignal<Vec<api::FieldError>> = RwSignal::new(Vec::new());
    let form_error = RwSignal::new(None::<FormError>);
    let refused = RwSignal::new(None::<ExamMsg>);
    let submitting = RwSignal::new(false);
    let stage = RwSignal::new(Stage::Form);
    let proof = ProofInputs::new(&info.id);
    let agreed = RwSignal::new(false);
    let versions = RwSignal::new(None);
    let agreement_missing = RwSignal::new(false);
    let purpose = info.purpose.clone();
    // The exam to go to once signed in (navigating from here keeps the closures `Copy`).
    let go_to = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if let Some(exam) = go_to.get() {
            navigate(
                &PortalPage::Exam.path_with_id(&slug.get_untracked(), &exam),
                replace(),
            );
        }
    });
    let fields = info.registration_fields.clone();
    let required: StoredValue<Vec<String>> = StoredValue::new(
        fields
            .iter()
            .filter(|f| f.required || f.kind == RegistrationFieldKind::Name)
            .map(|f| f.key.clone())
            .collect(),
    );
    let key = StoredValue::new(key);
    // The values as the request carries them, or `None` (and the blanks marked) when a
    // required one is missing.
    let filled = move || {
        let filled = values.get_untracked();
        let blank: Vec<api::FieldError> = required.with_value(|required| {
            required
                .iter()
                .filter(|k| filled.get(*k).is_none_or(|v| v.trim().is_empty()))
                .map(|k| api::FieldError {
                    field: format!("fields.{k}"),
                    reason: "required".to_owned(),
                })
                .collect()
        });
        if !blank.is_empty() {
            errors.set(blank);
            refused.set(Some(ExamMsg::CheckFieldsBelow));
            return None;
        }
        errors.set(Vec::new());
        // A first registration agrees to the privacy statement and the form's purpose.
        let accept = acceptance(agreed, versions);
        agreement_missing.set(accept.is_none());
        if accept.is_none() {
            refused.set(Some(ExamMsg::CheckFieldsBelow));
            return None;
        }
        Some(RegistrationRequest {
            accept,
            fields: filled
                .into_iter()
                .map(|(k, v)| (k, v.trim().to_owned()))
                .filter(|(_, v)| !v.is_empty())
                .collect(),
            ..Default::default()
        })
    };
    let submit = move |with: Option<ProofKind>| {
        if submitting.get_untracked() {
            return;
        }
        form_error.set(None);
        refused.set(None);
        proof.errors.set(Vec::new());
        let Some(mut request) = filled() else {
            return;
        };
        match with {
            Some(ProofKind::Code) => {
                request.code = Some(normalise_code(&proof.code.get_untracked()))
            }
            Some(ProofKind::Token) => request.resume_token = Some(proof.token.get_untracked()),
            None => {}
        }
        submitting.set(true);
        let api = PortalApi::new(i18n.lang_untracked());
        let slug = slug.get_untracked();
        let key = key.get_value();
        spawn_local(async move {
            let result = api.register(&slug, way, &key, &request).await;
            submitting.set(false);
            match result {
                Ok(entry) => match entry.resume_token {
                    Some(token) => {
                        store_token(&entry.exam_id, &token);
                        stage.set(Stage::Registered {
                            exam_id: entry.exam_id,
                            token,
                        });
                    }
                    None => go_to.set(Some(entry.exam_id)),
                },
                Err(err) => {
                    if let Some(exists) = err.details_of(ErrorCode::RegistrationExists) {
                        stage.set(Stage::Returning(exists));
                        return;
                    }
                    let fields = err.field_errors();
                    let (proof_errors, fields): (Vec<_>, Vec<_>) = fields
                        .into_iter()
                        .partition(|f| f.field == "code" || f.field == "resume_token");
                    if !proof_errors.is_empty() {
                        proof.errors.set(proof_errors);
                    } else if fields.is_empty() {
                        match err.conflict_reason().and_then(start_refused_msg) {
                            Some(msg) => refused.set(Some(msg)),
                            None => form_error.set(Some(FormError::Other(err))),
                        }
                    } else {
                        errors.set(fields);
                        refused.set(Some(ExamMsg::CheckFieldsBelow));
                    }
                }
            }
        });
    };
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        submit(None);
    };
    let send_code = move || {
        if !proof.can_send.get_untracked() {
            return;
        }
        let Some(request) = filled() else {
            return;
        };
        proof.can_send.set(false);
        form_error.set(None);
        let api = PortalApi::new(i18n.lang_untracked());
        let slug = slug.get_untracked();
        let key = key.get_value();
        spawn_local(async move {
            match api.send_resume_code(&slug, way, &key, &request).await {
                Ok(sent) => {
                    proof.code_sent(sent.expires_in_seconds.into(), sent.cooldown_seconds.into())
                }
                Err(err) => {
                    let wait = err.retry_after().unwrap_or(0);
                    proof.code_sent_failed(wait);
                    form_error.set(Some(FormError::Other(err)));
                }
            }
        });
    };
    let returning = move || match stage.get() {
        Stage::Returning(exists) => Some(view! {
            <ReturningPanel
                exists=exists
                inputs=proof
                busy=submitting
                on_send=send_code
                on_prove=move |kind| submit(Some(kind))
            />
        }),
        _ => None,
    };
    let inputs = fields
        .into_iter()
        .map(|field| view! { <RegistrationInput field=field values=values errors=errors /> })
        .collect_view();
    let instructions = info.instructions.clone();
    let registered = move || match stage.get() {
        Stage::Registered { exam_id, token } => Some(view! {
            <ResumeTokenPanel token=token on_continue=move || go_to.set(Some(exam_id.clone())) />
        }),
        _ => None,
    };
    view! {
        <h1 class="page-title" data-testid="entry-exam-name">{info.name.clone()}</h1>
        {registered}
        <Show when=move || !matches!(stage.get(), Stage::Registered { .. })>
            <div class="card">
                <dl class="details">
                    <dt>{move || i18n.t(ExamMsg::Window)}</dt>
                    <dd><LocalTime rfc3339=info.opens_at.clone() /> " – " <LocalTime rfc3339=info.closes_at.clone() /></dd>
                    <dt>{move || i18n.t(ExamMsg::Duration)}</dt>
                    <dd>{move || minutes_text(info.duration_minutes, i18n.lang())}</dd>
                </dl>
                {(!instructions.trim().is_empty()).then(|| view! {
                    <div class="rich-text" inner_html=render_math(&instructions.clone())></div>
                })}
            </div>
        </Show>
        <form
            class="form card"
            hidden=move || matches!(stage.get(), Stage::Registered { .. })
            novalidate=true
            on:submit=on_submit
            data-testid="registration-form"
        >
            <h2 class="section-title">{move || i18n.t(ExamMsg::RegisterTitle)}</h2>
            <p class="hint">{move || i18n.t(ExamMsg::RegisterLead)}</p>
            <Show when=move || refused.get().is_some()>
                <p class="notice notice--error" role="alert" data-testid="entry-refused">
                    {move || refused.get().map(|m| i18n.t(m))}
                </p>
            </Show>
            <FormAlert error=form_error testid="entry-error" />
            {(!purpose.trim().is_empty()).then(|| view! {
                <div class="notice" data-testid="registration-purpose">
                    <strong>{move || i18n.t(PrivacyMsg::FormPurpose)}</strong>
                    <p>{purpose.clone()}</p>
                </div>
            })}
            {inputs}
            <PolicyAgreement
                checked=agreed
                versions=versions
                missing=agreement_missing
                with_terms=false
                privacy_href=PortalPage::Privacy.path(&slug.get_untracked())
                label=PrivacyMsg::FormAgree
                testid="registration-accept"
            />
            <Show when=move || !matches!(stage.get(), Stage::Returning(_))>
                <button
                    type="submit"
                    class="button button--block"
                    data-testid="registration-submit"
                    disabled=submitting
                >
                    {move || i18n.t(if submitting.get() { ExamMsg::Registering } else { ExamMsg::RegisterSubmit })}
                </button>
            </Show>
            {returning}
        </form>
    }
}

#[component]
fn RegistrationInput(
    field: RegistrationField,
    values: RwSignal<BTreeMap<String, String>>,
    errors: RwSignal<Vec<api::FieldError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let (input_type, autocomplete, inputmode) = match field.kind {
        RegistrationFieldKind::Name => ("text", "name", "text"),
        RegistrationFieldKind::Phone => ("tel", "tel", "tel"),
        RegistrationFieldKind::Email => ("email", "email", "email"),
        RegistrationFieldKind::IdNumber => ("text", "off", "text"),
        RegistrationFieldKind::Text => ("text", "off", "text"),
    };
    let id = format!("registration-{}", field.key);
    let path = format!("fields.{}", field.key);
    let error = {
        let path = path.clone();
        Memo::new(move |_| {
            errors.with(|errors| {
                errors
                    .iter()
                    .find(|e| e.field == path)
                    .map(|e| e.reason.clone())
            })
        })
    };
    let key = field.key.clone();
    let value = {
        let key = key.clone();
        move || values.with(|v| v.get(&key).cloned().unwrap_or_default())
    };
    let input = {
        let (key, path) = (key.clone(), path.clone());
        move |ev| {
            let text = event_target_value(&ev);
            values.update(|v| {
                v.insert(key.clone(), text);
            });
            if errors.with_untracked(|e| e.iter().any(|e| e.field == path)) {
                errors.update(|e| e.retain(|e| e.field != path));
            }
        }
    };
    let required = field.required || field.kind == RegistrationFieldKind::Name;
    view! {
        <div class="field">
            <label class="field__label" for=id.clone()>
                {field.label.clone()}
                {required.then_some(" *")}
            </label>
            <input
                id=id
                class="input"
                type=input_type
                autocomplete=autocomplete
                inputmode=inputmode
                required=required
                data-testid=format!("registration-{}", field.key)
                aria-invalid=move || error.with(Option::is_some).to_string()
                prop:value=value
                on:input=input
            />
            {move || error.get().map(|reason| {
                let msg = registration_reason_msg(&reason);
                view! {
                    <p class="field__error" role="alert" data-testid=format!("field-error-{path}") data-reason=reason>
                        {move || i18n.t(msg)}
                    </p>
                }
            })}
        </div>
    }
}

#[component]
pub fn PortalInvitePage() -> impl IntoView {
    let i18n = use_i18n();
    let slug = use_slug();
    let navigate = use_navigate();
    let failed = RwSignal::new(None::<api::Error>);
    let invalid = RwSignal::new(false);
    Effect::new(move |_| {
        let slug = slug.get();
        let token = web_sys::window()
            .and_then(|w| w.location().hash().ok())
            .map(|h| h.trim_start_matches('#').to_owned())
            .unwrap_or_default();
        if token.is_empty() {
            invalid.set(true);
            return;
        }
        let api = PortalApi::new(i18n.lang_untracked());
        let navigate = navigate.clone();
        spawn_local(async move {
            match api.invite(&slug, &token).await {
                Ok(entry) => navigate(
                    &PortalPage::Exam.path_with_id(&slug, &entry.exam_id),
                    replace(),
                ),
                Err(err) if err.is_unauthorized() || err.code() == Some(ErrorCode::NotFound) => {
                    invalid.set(true)
                }
                Err(err) => failed.set(Some(err)),
            }
        });
    });
    let form_error = RwSignal::new(None::<FormError>);
    Effect::new(move |_| form_error.set(failed.get().map(FormError::Other)));
    view! {
        <PortalFrame slug=slug>
            <section class="auth">
                <Show
                    when=move || invalid.get() || failed.with(Option::is_some)
                    fallback=move || view! { <p class="loading" data-testid="invite-checking">{move || i18n.t(ExamMsg::InviteChecking)}</p> }
                >
                    <Show when=move || invalid.get()>
                        <p class="notice notice--error" role="alert" data-testid="invite-invalid">
                            {move || i18n.t(ExamMsg::InviteInvalid)}
                        </p>
                    </Show>
                    <FormAlert error=form_error testid="entry-error" />
                    <p><a href=move || PortalPage::Login.path(&slug.get())>{move || i18n.t(ExamMsg::SignInInstead)}</a></p>
                </Show>
            </section>
        </PortalFrame>
    }
}
