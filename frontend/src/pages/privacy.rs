//! `/privacy` and `/o/{slug}/privacy`: the privacy statement and the terms (current version,
//! effective date, earlier versions), the privacy contact channels, and — for whoever is
//! signed in there — their consent choices (device details), consent records and the way to
//! their "my data" page.

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use shared::Lang;
use shared::policies::{
    ConsentRecord, ConsentUpdate, MyConsents, PoliciesResponse, PolicyDocument, PolicyKind,
};

use crate::api::{self, ConsentArea, PrivacyApi};
use crate::components::form::{FormAlert, FormError};
use crate::components::page_header::PageHeader;
use crate::components::policy_text::PolicyText;
use crate::components::portal_frame::PortalFrame;
use crate::components::{ApiErrors, LocalTime};
use crate::i18n::{Msg, MyDataMsg, PrivacyMsg, method_msg, purpose_msg, use_i18n};
use crate::routes::SLUG_PARAM;

use super::my_data::MyDataLink;

/// The console's privacy page.
#[component]
pub fn PrivacyPage() -> impl IntoView {
    view! { <PrivacyCentre area=ConsentArea::Console /> }
}

/// The portal's privacy page, in the organisation's frame.
#[component]
pub fn PortalPrivacyPage() -> impl IntoView {
    let params = use_params_map();
    let slug = Memo::new(move |_| params.with(|p| p.get(SLUG_PARAM).unwrap_or_default()));
    view! {
        <PortalFrame slug=slug>
            <PrivacyCentre area=ConsentArea::Portal />
        </PortalFrame>
    }
}

fn pick(lang: Lang, zh: &str, en: &str) -> String {
    match lang {
        Lang::ZhCn => zh.to_owned(),
        Lang::En => en.to_owned(),
    }
}

#[component]
fn PrivacyCentre(area: ConsentArea) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let initial = query.with_untracked(|q| {
        if q.get("doc").as_deref() == Some("terms") {
            PolicyKind::Terms
        } else {
            PolicyKind::Privacy
        }
    });
    let kind = RwSignal::new(initial);
    let policies = LocalResource::new(move || {
        let api = PrivacyApi::new(i18n.lang_untracked(), area);
        async move { api.policies().await }
    });
    view! {
        <section class="page privacy-page">
            <PageHeader title=move || i18n.t(PrivacyMsg::Title) lead=move || i18n.t(PrivacyMsg::Lead) />
            <div class="tabs" role="tablist">
                {[PolicyKind::Privacy, PolicyKind::Terms].into_iter().map(|k| {
                    let label = move || i18n.t(match k {
                        PolicyKind::Privacy => PrivacyMsg::PrivacyTab,
                        PolicyKind::Terms => PrivacyMsg::TermsTab,
                    });
                    view! {
                        <button type="button" role="tab" class="tabs__tab"
                            class:is-active=move || kind.get() == k
                            aria-selected=move || (kind.get() == k).to_string()
                            data-testid=format!("privacy-tab-{}", k.as_str())
                            on:click=move |_| kind.set(k)>{label}</button>
                    }
                }).collect_view()}
            </div>
            <Transition fallback=move || view! { <p class="loading">{move || i18n.t(Msg::Loading)}</p> }>
                <ErrorBoundary fallback=|errors| view! { <ApiErrors errors=errors /> }>
                    {move || Suspend::new(async move {
                        let docs = policies.await?;
                        Ok::<_, api::Error>(view! { <Documents docs=docs kind=kind area=area /> })
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

#[component]
fn Documents(
    docs: PoliciesResponse,
    kind: RwSignal<PolicyKind>,
    area: ConsentArea,
) -> impl IntoView {
    let i18n = use_i18n();
    let docs = StoredValue::new(docs);
    let doc = move || {
        docs.with_value(|d| match kind.get() {
            PolicyKind::Privacy => d.privacy.clone(),
            PolicyKind::Terms => d.terms.clone(),
        })
    };
    let contact = docs.with_value(|d| d.contact.clone());
    view! {
        <div class="privacy-layout">
            <article class="card policy-card" data-testid="policy-document">
                {move || {
                    let d: PolicyDocument = doc();
                    let lang = i18n.lang();
                    let body = pick(lang, &d.body_zh, &d.body_en);
                    view! {
                        <p class="policy__meta">
                            <span>{move || i18n.t(PrivacyMsg::Version)} " " <strong data-testid="policy-version">{d.version.clone()}</strong></span>
                            <span>{move || i18n.t(PrivacyMsg::EffectiveOn)} " " <strong data-testid="policy-effective">{d.effective_on.clone()}</strong></span>
                        </p>
                        <PolicyText text=body />
                    }
                }}
                <Versions kind=kind area=area />
            </article>
            <aside class="privacy-aside">
                <div class="card" data-testid="privacy-contact">
                    <h2 class="section-title">{move || i18n.t(PrivacyMsg::Contact)}</h2>
                    <p class="hint">{move || i18n.t(PrivacyMsg::ContactLead)}</p>
                    <dl class="details">
                        <dt>{move || i18n.t(PrivacyMsg::Email)}</dt>
                        <dd><a href=format!("mailto:{}", contact.email)>{contact.email.clone()}</a></dd>
                        <dt>{move || i18n.t(PrivacyMsg::Phone)}</dt>
                        <dd>{contact.phone.clone()}</dd>
                        <dt>{move || i18n.t(PrivacyMsg::ReplyWithin)}</dt>
                        <dd>{contact.reply_working_days} " " {move || i18n.t(PrivacyMsg::WorkingDays)}</dd>
                    </dl>
                </div>
                <MyChoices area=area />
            </aside>
        </div>
    }
}

/// A document's earlier versions.
#[component]
fn Versions(kind: RwSignal<PolicyKind>, area: ConsentArea) -> impl IntoView {
    let i18n = use_i18n();
    let versions = LocalResource::new(move || {
        let (api, k) = (PrivacyApi::new(i18n.lang_untracked(), area), kind.get());
        async move { api.versions(k.as_str()).await }
    });
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let list = versions.await.unwrap_or_default();
                view! {
                    <details class="policy__history" data-testid="policy-history">
                        <summary>{move || i18n.t(PrivacyMsg::History)} " (" {list.len()} ")"</summary>
                        <ul>
                            {list.into_iter().map(|v| {
                                let summary = move || pick(i18n.lang(), &v.summary_zh, &v.summary_en);
                                view! {
                                    <li>
                                        <strong>{v.version.clone()}</strong> " · " {v.effective_on.clone()}
                                        {v.major.then(|| view! { " " <span class="badge badge--pending">{move || i18n.t(PrivacyMsg::Major)}</span> })}
                                        " — " {summary}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    </details>
                }
            })}
        </Transition>
    }
}

/// The signed-in person's choices and records; nothing for a visitor.
#[component]
fn MyChoices(area: ConsentArea) -> impl IntoView {
    let i18n = use_i18n();
    let mine = LocalResource::new(move || {
        let api = PrivacyApi::new(i18n.lang_untracked(), area);
        async move { api.mine().await }
    });
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match mine.await {
                    Ok(Some(consents)) => view! { <Choices consents=consents area=area /> }.into_any(),
                    _ => ().into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Choices(consents: MyConsents, area: ConsentArea) -> impl IntoView {
    let i18n = use_i18n();
    let state = RwSignal::new(consents);
    let error = RwSignal::new(None::<FormError>);
    let saved = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let toggle = move |_| {
        let next = !state.with_untracked(|s| s.device_details);
        busy.set(true);
        saved.set(false);
        let api = PrivacyApi::new(i18n.lang_untracked(), area);
        leptos::task::spawn_local(async move {
            let update = ConsentUpdate {
                accept: None,
                device_details: Some(next),
            };
            match api.update(&update).await {
                Ok(now) => {
                    state.set(now);
                    saved.set(true);
                    error.set(None);
                }
                Err(err) => error.set(Some(FormError::Other(err))),
            }
            busy.set(false);
        });
    };
    let records = move || {
        state.with(|s| {
            s.history
                .iter()
                .cloned()
                .map(|record| view! { <ConsentRow record=record /> })
                .collect_view()
        })
    };
    view! {
        <div class="card" data-testid="privacy-choices">
            <h2 class="section-title">{move || i18n.t(PrivacyMsg::YourChoices)}</h2>
            <div class="choice">
                <div>
                    <strong>{move || i18n.t(PrivacyMsg::DeviceDetails)}</strong>
                    " "
                    <span class="badge" data-testid="device-details-state"
                        class:badge--ok=move || state.with(|s| s.device_details)>
                        {move || i18n.t(if state.with(|s| s.device_details) { PrivacyMsg::On } else { PrivacyMsg::Off })}
                    </span>
                    <p class="hint">{move || i18n.t(PrivacyMsg::DeviceDetailsHint)}</p>
                </div>
                <button type="button" class="button button--secondary" data-testid="device-details-toggle"
                    disabled=busy on:click=toggle>
                    {move || i18n.t(if state.with(|s| s.device_details) { PrivacyMsg::TurnOff } else { PrivacyMsg::TurnOn })}
                </button>
            </div>
            <Show when=move || saved.get()>
                <p class="notice notice--ok" role="status" data-testid="privacy-saved">{move || i18n.t(PrivacyMsg::Saved)}</p>
            </Show>
            <FormAlert error=error testid="privacy-error" />
            <h3 class="section-title">{move || i18n.t(PrivacyMsg::ConsentHistory)}</h3>
            <Show when=move || state.with(|s| !s.history.is_empty())
                fallback=move || view! { <p class="hint">{move || i18n.t(PrivacyMsg::NoRecords)}</p> }>
                <div class="table-wrap">
                    <table class="table" data-testid="consent-records">
                        <tbody>{records}</tbody>
                    </table>
                </div>
            </Show>
            <p class="card__note" data-testid="privacy-my-data">
                <MyDataLink area=area testid="privacy-my-data-link" />
                " — " {move || i18n.t(MyDataMsg::LinkLead)}
            </p>
        </div>
    }
}

/// One consent record as a table row: when, what (the purpose and the document's version),
/// agreed or withdrawn, and how. The privacy page and the "my data" page show the same rows.
#[component]
pub fn ConsentRow(record: ConsentRecord) -> impl IntoView {
    let i18n = use_i18n();
    let (pzh, pen) = purpose_msg(record.purpose);
    let (mzh, men) = method_msg(record.method);
    let version = record.version;
    let what = move || {
        let purpose = pick(i18n.lang(), pzh, pen);
        match &version {
            Some(v) => format!("{purpose} {v}"),
            None => purpose,
        }
    };
    let verdict = if record.granted {
        PrivacyMsg::Granted
    } else {
        PrivacyMsg::Withdrawn
    };
    view! {
        <tr data-testid="consent-row">
            <td class="table__nowrap"><LocalTime rfc3339=record.at /></td>
            <td>{what}</td>
            <td>{move || i18n.t(verdict)}</td>
            <td>{move || pick(i18n.lang(), mzh, men)}</td>
        </tr>
    }
}
