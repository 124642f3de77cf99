//! The read-only sections of the "my data" page: signed-in devices, consent records, exam
//! attempts, registrations, certificates and the audit entries naming the person. Each is a
//! card with a heading; an empty one says so in a line instead of showing an empty table.

use leptos::prelude::*;
use shared::Lang;
use shared::my_data::{MyAttempt, MyAuditEntry, MyCertificate, MyDevice, MyRegistration};
use shared::policies::ConsentRecord;

use crate::components::LocalTime;
use crate::i18n::{
    AuditMsg, MyDataMsg, action_text, audit_by_msg, audit_total_text, my_attempt_status_text,
    registration_field_text, score_of_text, use_i18n,
};

use super::privacy::ConsentRow;

/// A section of the page: a card with its heading.
#[component]
pub(super) fn Section(title: MyDataMsg, testid: &'static str, children: Children) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <article class="card my-data__section" data-testid=testid>
            <h2 class="section-title">{move || i18n.t(title)}</h2>
            {children()}
        </article>
    }
}

/// A table of `rows` under the headings `columns`, or the line `none` when there are no rows.
fn table_or_none<R: IntoView + 'static>(
    rows: Vec<R>,
    columns: &'static [MyDataMsg],
    none: MyDataMsg,
    testid: &'static str,
) -> AnyView {
    let i18n = use_i18n();
    if rows.is_empty() {
        return view! {
            <p class="hint" data-testid=format!("{testid}-none")>{move || i18n.t(none)}</p>
        }
        .into_any();
    }
    let head = columns
        .iter()
        .map(|&column| view! { <th scope="col">{move || i18n.t(column)}</th> })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="table" data-testid=format!("{testid}-table")>
                <thead><tr>{head}</tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

/// An optional instant, or a dash.
fn time_or_dash(at: Option<String>) -> AnyView {
    match at {
        Some(at) => view! { <LocalTime rfc3339=at /> }.into_any(),
        None => "—".into_any(),
    }
}

#[component]
pub(super) fn Devices(devices: Vec<MyDevice>) -> impl IntoView {
    let i18n = use_i18n();
    let rows = devices
        .into_iter()
        .map(|d| {
            let device = match d.device {
                Some(device) => device.into_any(),
                None => view! {
                    <span class="details__unset">{move || i18n.t(MyDataMsg::UnknownDevice)}</span>
                }
                .into_any(),
            };
            let ended = match d.ended_at {
                Some(at) => view! { <LocalTime rfc3339=at /> }.into_any(),
                None => view! {
                    <span class="badge badge--ok">{move || i18n.t(MyDataMsg::Active)}</span>
                }
                .into_any(),
            };
            view! {
                <tr data-testid="my-data-device">
                    <td>{device}</td>
                    <td class="table__nowrap"><LocalTime rfc3339=d.created_at /></td>
                    <td class="table__nowrap"><LocalTime rfc3339=d.last_used_at /></td>
                    <td class="table__nowrap">{ended}</td>
                </tr>
            }
        })
        .collect::<Vec<_>>();
    const COLUMNS: &[MyDataMsg] = &[
        MyDataMsg::Device,
        MyDataMsg::SignedIn,
        MyDataMsg::LastUsed,
        MyDataMsg::Ended,
    ];
    view! {
        <Section title=MyDataMsg::DevicesSection testid="my-data-devices">
            {table_or_none(rows, COLUMNS, MyDataMsg::NoDevices, "my-data-devices")}
        </Section>
    }
}

#[component]
pub(super) fn Consents(consents: Vec<ConsentRecord>) -> impl IntoView {
    let rows = consents
        .into_iter()
        .map(|record| view! { <ConsentRow record=record /> })
        .collect::<Vec<_>>();
    const COLUMNS: &[MyDataMsg] = &[
        MyDataMsg::When,
        MyDataMsg::ConsentWhat,
        MyDataMsg::ConsentChoice,
        MyDataMsg::ConsentHow,
    ];
    view! {
        <Section title=MyDataMsg::ConsentsSection testid="my-data-consents">
            {table_or_none(rows, COLUMNS, MyDataMsg::NoConsents, "my-data-consents")}
        </Section>
    }
}

/// A released score of a maximum; as the server wrote them when they are not numbers.
fn score_text(score: &str, max: Option<&str>, lang: Lang) -> String {
    let parsed = max.map(|max| (score.parse::<f64>(), max.parse::<f64>()));
    match (parsed, max) {
        (Some((Ok(score), Ok(max))), _) => score_of_text(score, max, lang),
        (_, Some(max)) => format!("{score} / {max}"),
        (_, None) => score.to_owned(),
    }
}

#[component]
pub(super) fn Attempts(attempts: Vec<MyAttempt>) -> impl IntoView {
    let i18n = use_i18n();
    let rows = attempts
        .into_iter()
        .map(|a| {
            let status = a.status.clone();
            let score = match a.score {
                Some(score) => {
                    let max = a.max_score.clone();
                    (move || score_text(&score, max.as_deref(), i18n.lang())).into_any()
                }
                None => view! {
                    <span class="details__unset">{move || i18n.t(MyDataMsg::NotReleased)}</span>
                }
                .into_any(),
            };
            view! {
                <tr data-testid="my-data-attempt" data-status=a.status>
                    <td>{a.exam}</td>
                    <td>{a.number}</td>
                    <td class="table__nowrap">{move || my_attempt_status_text(&status, i18n.lang())}</td>
                    <td class="table__nowrap"><LocalTime rfc3339=a.started_at /></td>
                    <td class="table__nowrap">{time_or_dash(a.submitted_at)}</td>
                    <td class="table__nowrap">{score}</td>
                </tr>
            }
        })
        .collect::<Vec<_>>();
    const COLUMNS: &[MyDataMsg] = &[
        MyDataMsg::Exam,
        MyDataMsg::AttemptNumber,
        MyDataMsg::Status,
        MyDataMsg::Started,
        MyDataMsg::Submitted,
        MyDataMsg::Score,
    ];
    view! {
        <Section title=MyDataMsg::AttemptsSection testid="my-data-attempts">
            {table_or_none(rows, COLUMNS, MyDataMsg::NoAttempts, "my-data-attempts")}
        </Section>
    }
}

#[component]
pub(super) fn Registrations(registrations: Vec<MyRegistration>) -> impl IntoView {
    let i18n = use_i18n();
    let rows = registrations
        .into_iter()
        .map(|r| {
            let fields = r
                .fields
                .into_iter()
                .map(|f| {
                    let key = f.key;
                    view! {
                        <li>
                            <span class="my-data__key">{move || registration_field_text(&key, i18n.lang())}</span>
                            " " {f.value}
                        </li>
                    }
                })
                .collect_view();
            view! {
                <tr data-testid="my-data-registration">
                    <td>{r.exam}</td>
                    <td class="table__nowrap"><LocalTime rfc3339=r.created_at /></td>
                    <td><ul class="my-data__fields">{fields}</ul></td>
                </tr>
            }
        })
        .collect::<Vec<_>>();
    const COLUMNS: &[MyDataMsg] = &[MyDataMsg::Exam, MyDataMsg::FilledIn, MyDataMsg::Details];
    view! {
        <Section title=MyDataMsg::RegistrationsSection testid="my-data-registrations">
            {table_or_none(rows, COLUMNS, MyDataMsg::NoRegistrations, "my-data-registrations")}
        </Section>
    }
}

#[component]
pub(super) fn Certificates(certificates: Vec<MyCertificate>) -> impl IntoView {
    let i18n = use_i18n();
    let rows = certificates
        .into_iter()
        .map(|c| {
            let (class, state) = if c.revoked {
                ("badge badge--failing", MyDataMsg::Revoked)
            } else {
                ("badge badge--ok", MyDataMsg::Valid)
            };
            view! {
                <tr data-testid="my-data-certificate">
                    <td><code>{c.number}</code></td>
                    <td>{c.exam}</td>
                    <td class="table__nowrap"><LocalTime rfc3339=c.issued_at /></td>
                    <td><span class=class>{move || i18n.t(state)}</span></td>
                </tr>
            }
        })
        .collect::<Vec<_>>();
    const COLUMNS: &[MyDataMsg] = &[
        MyDataMsg::CertificateNumber,
        MyDataMsg::Exam,
        MyDataMsg::Issued,
        MyDataMsg::Status,
    ];
    view! {
        <Section title=MyDataMsg::CertificatesSection testid="my-data-certificates">
            {table_or_none(rows, COLUMNS, MyDataMsg::NoCertificates, "my-data-certificates")}
        </Section>
    }
}

/// The audit entries naming the person: how many there are, and the latest.
#[component]
pub(super) fn Audit(total: u64, latest: Vec<MyAuditEntry>) -> impl IntoView {
    let i18n = use_i18n();
    let shown = latest.len();
    let rows = latest
        .into_iter()
        .map(|e| {
            let action = e.action.clone();
            let action_words = move || {
                action_text(&action, i18n.lang()).map_or_else(|| action.clone(), str::to_owned)
            };
            let outcome = e.outcome.clone();
            let outcome_words = move || match outcome.as_str() {
                "success" => i18n.t(AuditMsg::Success).to_owned(),
                "failure" => i18n.t(AuditMsg::Failure).to_owned(),
                other => other.to_owned(),
            };
            let by = e.by.clone();
            let by_words =
                move || audit_by_msg(&by).map_or_else(|| by.clone(), |m| i18n.t(m).to_owned());
            view! {
                <tr data-testid="my-data-audit-row" data-action=e.action data-outcome=e.outcome>
                    <td class="table__nowrap"><LocalTime rfc3339=e.at /></td>
                    <td>{action_words}</td>
                    <td>{outcome_words}</td>
                    <td>{by_words}</td>
                </tr>
            }
        })
        .collect::<Vec<_>>();
    const COLUMNS: &[MyDataMsg] = &[
        MyDataMsg::When,
        MyDataMsg::Action,
        MyDataMsg::Outcome,
        MyDataMsg::By,
    ];
    view! {
        <Section title=MyDataMsg::AuditSection testid="my-data-audit">
            {(total > 0).then(|| view! {
                <p class="hint" data-testid="my-data-audit-total" data-total=total>
                    {move || audit_total_text(total, shown, i18n.lang())}
                </p>
            })}
            {table_or_none(rows, COLUMNS, MyDataMsg::NoAudit, "my-data-audit")}
        </Section>
    }
}
