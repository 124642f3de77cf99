//! A saved exam's ways in: the access code (big, copyable, replaceable), the open link and
//! each assigned candidate's invite link as absolute URLs of this site with copy buttons, and
//! the registrations of people who entered by open link or access code (their values under
//! the exam's field labels). Shown only when one of those entry modes is on.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::exams::{EntrySettings, ExamDto, RegistrationDto};
use wasm_bindgen_futures::JsFuture;

use crate::api::{self, ExamsConsoleApi};
use crate::auth::use_auth;
use crate::components::confirm::Confirm;
use crate::components::console_gate::{may, report_error, watch_session};
use crate::components::console_nav::EXAMS_WRITE;
use crate::components::exam_directory::Directory;
use crate::components::form::{FormAlert, FormError};
use crate::components::{ApiErrors, LocalTime};
use crate::i18n::{ExamAdminMsg, Msg, use_i18n};

/// This site's origin (`https://exams.example`), which the API's paths are relative to.
pub fn origin() -> String {
    web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default()
}

/// An absolute URL of this site for an API-given path.
pub fn absolute(origin: &str, path: &str) -> String {
    format!("{}{path}", origin.trim_end_matches('/'))
}

/// A copy button for `text`, with the outcome beside it (`<testid>-copied`,
/// `<testid>-copy-failed`).
#[component]
pub fn CopyButton(#[prop(into)] text: Signal<String>, testid: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let copied = RwSignal::new(None::<bool>);
    let copy = move |_| {
        let Some(window) = web_sys::window() else {
            copied.set(Some(false));
            return;
        };
        let promise = window
            .navigator()
            .clipboard()
            .write_text(&text.get_untracked());
        spawn_local(async move {
            copied.set(Some(JsFuture::from(promise).await.is_ok()));
        });
    };
    let status = move || {
        copied.get().map(|ok| {
            let (msg, id) = if ok {
                (ExamAdminMsg::Copied, format!("{testid}-copied"))
            } else {
                (ExamAdminMsg::CopyFailed, format!("{testid}-copy-failed"))
            };
            view! { <span class="hint" role="status" data-testid=id>{move || i18n.t(msg)}</span> }
        })
    };
    view! {
        <button type="button" class="button button--secondary" data-testid=testid on:click=copy>
            {move || i18n.t(ExamAdminMsg::Copy)}
        </button>
        {status}
    }
}

/// Which server-generated value a rotation replaces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rotation {
    AccessCode,
    OpenLink,
}

/// The card. `reload` is bumped when the assignments change (the invite links follow them).
#[component]
pub fn EntryAccessCard(
    exam: ExamDto,
    directory: Directory,
    reload: RwSignal<u32>,
) -> impl IntoView {
    let entry = exam.settings.entry.clone();
    if !(entry.invite_links || entry.open_link || entry.access_code) {
        return ().into_any();
    }
    let i18n = use_i18n();
    let auth = use_auth();
    let exam_id = StoredValue::new(exam.id.clone());
    let access = RwSignal::new(exam.entry_access.clone());
    let can_write = Memo::new(move |_| may(auth, EXAMS_WRITE));
    let confirming = RwSignal::new(None::<Rotation>);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<FormError>);
    let origin = StoredValue::new(origin());

    let rotate = move |what: Rotation| {
        busy.set(true);
        error.set(None);
        let api = ExamsConsoleApi::new(i18n.lang_untracked());
        let id = exam_id.get_value();
        spawn_local(async move {
            let result = match what {
                Rotation::AccessCode => api.rotate_access_code(&id).await,
                Rotation::OpenLink => api.rotate_open_link(&id).await,
            };
            busy.set(false);
            confirming.set(None);
            match result {
                Ok(dto) => access.set(dto.entry_access),
                Err(err) => report_error(auth, err, error),
            }
        });
    };
    let rotate_button = move |what: Rotation, label: ExamAdminMsg, testid: &'static str| {
        view! {
            <Show when=move || can_write.get() && confirming.get() != Some(what)>
                <button type="button" class="button button--secondary" data-testid=testid
                    disabled=busy on:click=move |_| confirming.set(Some(what))>
                    {move || i18n.t(label)}
                </button>
            </Show>
            <Show when=move || confirming.get() == Some(what)>
                <Confirm
                    question=move || i18n.t(match what {
                        Rotation::AccessCode => ExamAdminMsg::NewCodeQuestion,
                        Rotation::OpenLink => ExamAdminMsg::NewLinkQuestion,
                    }).to_owned()
                    detail=move || i18n.t(match what {
                        Rotation::AccessCode => ExamAdminMsg::NewCodeDetail,
                        Rotation::OpenLink => ExamAdminMsg::NewLinkDetail,
                    })
                    confirm_label=ExamAdminMsg::ConfirmReplace
                    busy=busy
                    on_yes=move || rotate(what)
                    on_no=move || confirming.set(None)
                />
            </Show>
        }
    };

    let code = move || access.with(|a| a.access_code.clone().unwrap_or_default());
    let open_url = move || {
        access.with(|a| {
            a.open_link_path
                .as_deref()
                .map(|p| absolute(&origin.get_value(), p))
                .unwrap_or_default()
        })
    };
    let code_block = entry.access_code.then(|| {
        view! {
            <div class="entry-access__item" data-testid="entry-access-code">
                <h3 class="section-title">{move || i18n.t(ExamAdminMsg::AccessCode)}</h3>
                <div class="field__row">
                    <output class="access-code" data-testid="access-code">{code}</output>
                    <CopyButton text=Signal::derive(code) testid="access-code-copy" />
                </div>
                {rotate_button(Rotation::AccessCode, ExamAdminMsg::NewCode, "access-code-rotate")}
            </div>
        }
    });
    let link_block = entry.open_link.then(|| {
        view! {
            <div class="entry-access__item" data-testid="entry-open-link">
                <h3 class="section-title">{move || i18n.t(ExamAdminMsg::OpenLink)}</h3>
                <div class="field__row">
                    <input class="input input--mono" readonly=true data-testid="open-link-url"
                        aria-label=move || i18n.t(ExamAdminMsg::OpenLink)
                        prop:value=open_url />
                    <CopyButton text=Signal::derive(open_url) testid="open-link-copy" />
                </div>
                {rotate_button(Rotation::OpenLink, ExamAdminMsg::NewLink, "open-link-rotate")}
            </div>
        }
    });
    let invites_block = entry.invite_links.then(
        || view! { <Invites exam_id=exam_id directory=directory reload=reload origin=origin /> },
    );
    let registrations_block = (entry.open_link || entry.access_code)
        .then(|| view! { <Registrations exam_id=exam_id entry=entry.clone() /> });
    view! {
        <section class="card entry-access" data-testid="entry-access">
            <h2 class="card__title">{move || i18n.t(ExamAdminMsg::WaysIn)}</h2>
            {code_block}
            {link_block}
            <FormAlert error=error testid="entry-access-error" />
            {invites_block}
            {registrations_block}
        </section>
    }
    .into_any()
}

/// The assigned candidates' invite links.
#[component]
fn Invites(
    exam_id: StoredValue<String>,
    directory: Directory,
    reload: RwSignal<u32>,
    origin: StoredValue<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let invites = LocalResource::new(move || {
        reload.track();
        let api = ExamsConsoleApi::new(i18n.lang_untracked());
        let id = exam_id.get_value();
        async move { api.invites(&id).await }
    });
    watch_session(auth, invites);
    view! {
        <div class="entry-access__item" data-testid="entry-invites">
            <h3 class="section-title">{move || i18n.t(ExamAdminMsg::InviteLinks)}</h3>
            <p class="hint">{move || i18n.t(ExamAdminMsg::InviteHint)}</p>
            <Transition fallback=move || view! { <p class="loading">{move || i18n.t(Msg::Loading)}</p> }>
                <ErrorBoundary fallback=|errors| view! { <ApiErrors errors=errors /> }>
                    {move || Suspend::new(async move {
                        let list = invites.await?;
                        if list.is_empty() {
                            return Ok::<_, api::Error>(view! {
                                <p class="empty" data-testid="invites-empty">{move || i18n.t(ExamAdminMsg::NoAssignments)}</p>
                            }.into_any());
                        }
                        let rows = list
                            .into_iter()
                            .map(|invite| {
                                let url = absolute(&origin.get_value(), &invite.url);
                                let id = StoredValue::new(invite.candidate_id.clone());
                                let name = move || {
                                    id.with_value(|id| directory.get(id))
                                        .map(|(name, account)| format!("{name} ({account})"))
                                        .unwrap_or_else(|| id.get_value())
                                };
                                view! {
                                    <tr data-testid="invite-row" data-candidate-id=invite.candidate_id.clone()>
                                        <td data-testid="invite-name">{name}</td>
                                        <td><code class="table__code" data-testid="invite-url">{url.clone()}</code></td>
                                        <td class="table__actions">
                                            <CopyButton text=Signal::derive(move || url.clone()) testid="invite-copy" />
                                        </td>
                                    </tr>
                                }
                            })
                            .collect_view();
                        Ok(view! {
                            <div class="table-wrap">
                                <table class="table" data-testid="invites-table">
                                    <thead>
                                        <tr>
                                            <th scope="col">{move || i18n.t(ExamAdminMsg::ColCandidate)}</th>
                                            <th scope="col">{move || i18n.t(ExamAdminMsg::ColInviteLink)}</th>
                                            <th scope="col"></th>
                                        </tr>
                                    </thead>
                                    <tbody>{rows}</tbody>
                                </table>
                            </div>
                        }.into_any())
                    })}
                </ErrorBoundary>
            </Transition>
        </div>
    }
}

/// The registrations, one column per registration field of the exam.
#[component]
fn Registrations(exam_id: StoredValue<String>, entry: EntrySettings) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let reload = RwSignal::new(0_u32);
    let registrations = LocalResource::new(move || {
        reload.track();
        let api = ExamsConsoleApi::new(i18n.lang_untracked());
        let id = exam_id.get_value();
        async move { api.registrations(&id).await }
    });
    watch_session(auth, registrations);
    let fields = StoredValue::new(entry.registration_fields);
    view! {
        <div class="entry-access__item" data-testid="entry-registrations">
            <div class="toolbar">
                <h3 class="section-title">{move || i18n.t(ExamAdminMsg::Registrations)}</h3>
                <button type="button" class="link-button" data-testid="registrations-refresh"
                    on:click=move |_| reload.update(|n| *n += 1)>
                    {move || i18n.t(ExamAdminMsg::Refresh)}
                </button>
            </div>
            <Transition fallback=move || view! { <p class="loading">{move || i18n.t(Msg::Loading)}</p> }>
                <ErrorBoundary fallback=|errors| view! { <ApiErrors errors=errors /> }>
                    {move || Suspend::new(async move {
                        let list = registrations.await?;
                        Ok::<_, api::Error>(view! { <RegistrationTable list=list fields=fields /> })
                    })}
                </ErrorBoundary>
            </Transition>
        </div>
    }
}

#[component]
fn RegistrationTable(
    list: Vec<RegistrationDto>,
    fields: StoredValue<Vec<shared::exams::RegistrationField>>,
) -> impl IntoView {
    let i18n = use_i18n();
    if list.is_empty() {
        return view! {
            <p class="empty" data-testid="registrations-empty">{move || i18n.t(ExamAdminMsg::NoRegistrations)}</p>
        }
        .into_any();
    }
    let head = fields.with_value(|fields| {
        fields
            .iter()
            .map(|f| view! { <th scope="col" data-key=f.key.clone()>{f.label.clone()}</th> })
            .collect_view()
    });
    let rows = list
        .into_iter()
        .map(|r| {
            let cells = fields.with_value(|fields| {
                fields
                    .iter()
                    .map(|f| {
                        let value = r.fields.get(&f.key).cloned().unwrap_or_default();
                        view! { <td data-testid="registration-value" data-key=f.key.clone()>{value}</td> }
                    })
                    .collect_view()
            });
            view! {
                <tr data-testid="registration-row" data-id=r.id.clone() data-candidate-id=r.candidate_id.clone()>
                    {cells}
                    <td class="table__nowrap" data-testid="registration-date"><LocalTime rfc3339=r.created_at.clone() /></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="table" data-testid="registrations-table">
                <thead>
                    <tr>
                        {head}
                        <th scope="col">{move || i18n.t(ExamAdminMsg::ColRegisteredAt)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::absolute;

    #[test]
    fn api_paths_become_absolute_urls_of_this_site() {
        assert_eq!(
            absolute("https://exams.example", "/o/river/open/abc"),
            "https://exams.example/o/river/open/abc"
        );
        assert_eq!(
            absolute("http://127.0.0.1:8080/", "/o/river/invite#t"),
            "http://127.0.0.1:8080/o/river/invite#t"
        );
    }
}
