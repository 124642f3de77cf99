//! `/account/audit`: the organisation's audit log, newest first, filtered by action, outcome and
//! days, a page at a time; and the CSV export of everything the same filters select.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use shared::accounts::{AuditEntryDto, AuditPage};

use crate::api::{self, AuditFilter, AuthApi};
use crate::auth::use_auth;
use crate::components::form::{FormAlert, FormError};
use crate::components::{AccountShell, ApiErrors, LocalTime, ManagersOnly};
use crate::dates::Day;
use crate::i18n::{
    AUDIT_AREAS, AuditMsg, Msg, action_text, actions_of, actor_msg, area_text, detail_key_text,
    detail_value_text, page_text, role_msg, target_text, use_i18n,
};
use crate::routes::Page;

const PAGE_SIZES: [u32; 4] = [10, 20, 50, 100];
const DEFAULT_PAGE_SIZE: u32 = 50;

/// The filters and page size in force.
#[derive(Debug, Clone, PartialEq)]
struct Applied {
    filter: AuditFilter,
    page_size: u32,
}

#[component]
pub fn AuditLogPage() -> impl IntoView {
    view! {
        <AccountShell page=Page::AccountAudit title=AuditMsg::Title lead=AuditMsg::Lead>
            <ManagersOnly>
                <AuditLog />
            </ManagersOnly>
        </AccountShell>
    }
}

/// Turns the typed filters into the API's; the end day is inclusive, so the filter ends when
/// the next day starts.
fn build_filter(
    action: &str,
    outcome: &str,
    from: &str,
    to: &str,
) -> Result<AuditFilter, AuditMsg> {
    let (from, to) = (Day::parse(from), Day::parse(to));
    if let (Some(from), Some(to)) = (from, to)
        && to < from
    {
        return Err(AuditMsg::ToBeforeFrom);
    }
    let set = |value: &str| (!value.is_empty()).then(|| value.to_owned());
    Ok(AuditFilter {
        action: set(action),
        outcome: set(outcome),
        from: from.map(Day::local_start),
        to: to.map(|day| day.next().local_start()),
    })
}

#[component]
fn AuditLog() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let action = RwSignal::new(String::new());
    let outcome = RwSignal::new(String::new());
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let page_size = RwSignal::new(DEFAULT_PAGE_SIZE);
    let form_error = RwSignal::new(None);
    let applied = RwSignal::new(Applied {
        filter: AuditFilter::default(),
        page_size: DEFAULT_PAGE_SIZE,
    });
    // Where each page seen so far starts (`before_seq`), the current one last.
    let cursors = RwSignal::new(vec![None::<i64>]);
    let entries = LocalResource::new(move || {
        let Applied { filter, page_size } = applied.get();
        let before_seq = cursors.with(|c| c.last().copied().flatten());
        let api = AuthApi::new(i18n.lang_untracked());
        async move { auth.checked(api.list_audit(&filter, page_size, before_seq).await) }
    });

    let apply = move |ev: SubmitEvent| {
        ev.prevent_default();
        form_error.set(None);
        let built = build_filter(
            &action.get_untracked(),
            &outcome.get_untracked(),
            &from.get_untracked(),
            &to.get_untracked(),
        );
        match built {
            Ok(filter) => {
                applied.set(Applied {
                    filter,
                    page_size: page_size.get_untracked(),
                });
                cursors.set(vec![None]);
            }
            Err(msg) => form_error.set(Some(FormError::Text(msg.into()))),
        }
    };
    let reset = move |_| {
        action.set(String::new());
        outcome.set(String::new());
        from.set(String::new());
        to.set(String::new());
        page_size.set(DEFAULT_PAGE_SIZE);
        form_error.set(None);
        applied.set(Applied {
            filter: AuditFilter::default(),
            page_size: DEFAULT_PAGE_SIZE,
        });
        cursors.set(vec![None]);
    };
    let export_url = move || applied.with(|a| a.filter.export_url());

    // `prop:selected`, not the attribute: once the user has picked an option, only the property
    // still moves the selection (on reset).
    let action_options = move || {
        let lang = i18n.lang();
        AUDIT_AREAS
            .iter()
            .map(|(area, _, _)| {
                let label = area_text(area, lang).unwrap_or(area);
                let all = format!("{area}.");
                let options = actions_of(area)
                    .map(|value| {
                        let text = action_text(value, lang).unwrap_or(value);
                        view! {
                            <option value=value prop:selected=move || action.with(|a| a == value)>
                                {text}
                            </option>
                        }
                    })
                    .collect_view();
                view! {
                    <optgroup label=label>
                        <option value=all.clone() prop:selected=move || action.with(|a| *a == all)>
                            {format!("{label}{}", i18n.t(AuditMsg::AllOfArea))}
                        </option>
                        {options}
                    </optgroup>
                }
            })
            .collect_view()
    };
    let outcome_option = move |value: &'static str, label: AuditMsg| {
        view! {
            <option value=value prop:selected=move || outcome.with(|o| o == value)>
                {move || i18n.t(label)}
            </option>
        }
    };
    let size_options = PAGE_SIZES
        .iter()
        .map(|size| {
            let size = *size;
            view! {
                <option value=size.to_string() prop:selected=move || page_size.get() == size>
                    {size}
                </option>
            }
        })
        .collect_view();

    view! {
        <form class="filters card" novalidate=true on:submit=apply aria-label=move || i18n.t(AuditMsg::Filters)>
            <div class="filters__fields">
                <label class="field">
                    <span class="field__label">{move || i18n.t(AuditMsg::ActionLabel)}</span>
                    <select
                        class="input"
                        data-testid="audit-action"
                        on:change=move |ev| action.set(event_target_value(&ev))
                    >
                        <option value="" prop:selected=move || action.with(String::is_empty)>
                            {move || i18n.t(AuditMsg::AnyAction)}
                        </option>
                        {action_options}
                    </select>
                </label>
                <label class="field">
                    <span class="field__label">{move || i18n.t(AuditMsg::OutcomeLabel)}</span>
                    <select
                        class="input"
                        data-testid="audit-outcome"
                        on:change=move |ev| outcome.set(event_target_value(&ev))
                    >
                        {outcome_option("", AuditMsg::AnyOutcome)}
                        {outcome_option("success", AuditMsg::Success)}
                        {outcome_option("failure", AuditMsg::Failure)}
                    </select>
                </label>
                <label class="field">
                    <span class="field__label">{move || i18n.t(AuditMsg::FromLabel)}</span>
                    <input class="input" type="date" data-testid="audit-from" bind:value=from />
                </label>
                <label class="field">
                    <span class="field__label">{move || i18n.t(AuditMsg::ToLabel)}</span>
                    <input class="input" type="date" data-testid="audit-to" bind:value=to />
                </label>
                <label class="field">
                    <span class="field__label">{move || i18n.t(AuditMsg::PageSizeLabel)}</span>
                    <select
                        class="input"
                        data-testid="audit-page-size"
                        on:change=move |ev| {
                            if let Ok(size) = event_target_value(&ev).parse() {
                                page_size.set(size);
                            }
                        }
                    >
                        {size_options}
                    </select>
                </label>
            </div>
            <FormAlert error=form_error testid="audit-filter-error" />
            <div class="actions actions--tight">
                <button type="submit" class="button" data-testid="audit-apply">
                    {move || i18n.t(AuditMsg::Apply)}
                </button>
                <button type="button" class="button button--secondary" data-testid="audit-reset" on:click=reset>
                    {move || i18n.t(AuditMsg::Reset)}
                </button>
                <a class="button button--secondary" href=export_url download="audit-log.csv" data-testid="audit-export">
                    {move || i18n.t(AuditMsg::Export)}
                </a>
            </div>
            <p class="hint">{move || i18n.t(AuditMsg::ExportHint)}</p>
        </form>
        <Transition fallback=move || view! { <p class="loading">{move || i18n.t(Msg::Loading)}</p> }>
            <ErrorBoundary fallback=|errors| view! { <ApiErrors errors=errors /> }>
                {move || Suspend::new(async move {
                    let page = entries.await?;
                    Ok::<_, api::Error>(view! { <AuditTable page=page cursors=cursors /> })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

/// One page of entries and the buttons to the newer and older ones.
#[component]
fn AuditTable(page: AuditPage, cursors: RwSignal<Vec<Option<i64>>>) -> impl IntoView {
    let i18n = use_i18n();
    let AuditPage {
        entries,
        next_before_seq,
    } = page;
    let table = if entries.is_empty() {
        view! {
            <p class="notice notice--info" data-testid="audit-empty">
                {move || i18n.t(AuditMsg::Empty)}
            </p>
        }
        .into_any()
    } else {
        let rows = entries
            .into_iter()
            .map(|entry| view! { <AuditRow entry=entry /> })
            .collect_view();
        view! {
            <div class="table-wrap">
                <table class="table table--audit" data-testid="audit-table">
                    <thead>
                        <tr>
                            <th scope="col">{move || i18n.t(AuditMsg::ColTime)}</th>
                            <th scope="col">{move || i18n.t(AuditMsg::ColAction)}</th>
                            <th scope="col">{move || i18n.t(AuditMsg::ColOutcome)}</th>
                            <th scope="col">{move || i18n.t(AuditMsg::ColActor)}</th>
                            <th scope="col">{move || i18n.t(AuditMsg::ColTarget)}</th>
                            <th scope="col">{move || i18n.t(AuditMsg::ColIp)}</th>
                            <th scope="col">{move || i18n.t(AuditMsg::ColDetails)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    let first = move || cursors.with(|c| c.len() <= 1);
    view! {
        {table}
        <nav class="pager" aria-label=move || i18n.t(AuditMsg::Paging)>
            <button
                type="button"
                class="button button--secondary"
                data-testid="audit-newer"
                disabled=first
                on:click=move |_| {
                    cursors.update(|c| {
                        if c.len() > 1 {
                            c.pop();
                        }
                    })
                }
            >
                {move || i18n.t(AuditMsg::Newer)}
            </button>
            <span class="pager__page" data-testid="audit-page">
                {move || page_text(cursors.with(Vec::len), i18n.lang())}
            </span>
            <button
                type="button"
                class="button button--secondary"
                data-testid="audit-older"
                disabled=next_before_seq.is_none()
                on:click=move |_| {
                    if let Some(seq) = next_before_seq {
                        cursors.update(|c| c.push(Some(seq)));
                    }
                }
            >
                {move || i18n.t(AuditMsg::Older)}
            </button>
        </nav>
    }
}

#[component]
fn AuditRow(entry: AuditEntryDto) -> impl IntoView {
    let i18n = use_i18n();
    let AuditEntryDto {
        occurred_at,
        actor_kind,
        actor_name,
        actor_role,
        action,
        target_kind,
        outcome,
        details,
        ip,
        ..
    } = entry;
    let action_label = {
        let action = action.clone();
        move || action_text(&action, i18n.lang()).map_or_else(|| action.clone(), str::to_owned)
    };
    let actor_label = {
        let kind = actor_kind.clone();
        move || {
            let lang = i18n.lang();
            let role = actor_role
                .as_deref()
                .and_then(role_msg)
                .map(|m| i18n.t(m).to_owned());
            match (&actor_name, role) {
                (Some(name), Some(role)) => format!("{name} · {role}"),
                (Some(name), None) => name.clone(),
                (None, Some(role)) => role,
                (None, None) => {
                    actor_msg(&kind).map_or_else(|| kind.clone(), |msg| msg.text(lang).to_owned())
                }
            }
        }
    };
    let target_label = move || {
        target_kind.as_deref().map(|kind| {
            target_text(kind, i18n.lang()).map_or_else(|| kind.to_owned(), str::to_owned)
        })
    };
    let (badge, outcome_msg) = if outcome == "success" {
        ("badge badge--ok", Some(AuditMsg::Success))
    } else if outcome == "failure" {
        ("badge badge--failing", Some(AuditMsg::Failure))
    } else {
        ("badge", None)
    };
    let outcome_label = {
        let outcome = outcome.clone();
        move || outcome_msg.map_or_else(|| outcome.clone(), |msg| i18n.t(msg).to_owned())
    };
    let fields = StoredValue::new(detail_fields(&details));
    let details_view = move || {
        let lang = i18n.lang();
        let rows = fields.with_value(|fields| {
            fields
                .iter()
                .map(|(key, value)| {
                    let label = detail_key_text(key, lang);
                    let value = match value {
                        DetailValue::Text(t) => {
                            let text = detail_value_text(key, t, lang).map_or_else(|| t.clone(), str::to_owned);
                            view! { <span title=t.clone()>{text}</span> }.into_any()
                        }
                        DetailValue::Id(id) => {
                            view! { <code class="table__code" title=id.clone()>{short_id(id)}</code> }.into_any()
                        }
                        DetailValue::Flag(b) => {
                            let msg = if *b { AuditMsg::Yes } else { AuditMsg::No };
                            view! { <span>{i18n.t(msg)}</span> }.into_any()
                        }
                    };
                    view! { <dt>{label}</dt><dd>{value}</dd> }
                })
                .collect_view()
        });
        view! { <dl class="audit-details" data-testid="audit-row-details">{rows}</dl> }
    };
    let code = action.clone();
    view! {
        <tr data-testid="audit-row" data-action=action data-outcome=outcome>
            <td class="table__nowrap">
                <LocalTime rfc3339=occurred_at />
            </td>
            <td data-testid="audit-row-action" title=code>
                {action_label}
            </td>
            <td>
                <span class=badge>{outcome_label}</span>
            </td>
            <td data-testid="audit-row-actor">{actor_label}</td>
            <td>{target_label}</td>
            <td class="table__nowrap">{ip}</td>
            <td>{details_view}</td>
        </tr>
    }
}

/// A value of an entry's details, as the viewer shows it.
#[derive(Debug, Clone, PartialEq)]
enum DetailValue {
    Text(String),
    /// An id (a key ending in `_id`, or a UUID): shown shortened, whole on hover.
    Id(String),
    Flag(bool),
}

/// An entry's details as labelled fields: nested objects flattened (`limits.questions`),
/// lists joined with commas, `null`s left out.
fn detail_fields(details: &serde_json::Value) -> Vec<(String, DetailValue)> {
    fn walk(prefix: &str, value: &serde_json::Value, out: &mut Vec<(String, DetailValue)>) {
        use serde_json::Value;
        let key = prefix.rsplit('.').next().unwrap_or(prefix);
        match value {
            Value::Null => {}
            Value::Object(map) => {
                for (k, v) in map {
                    let name = if prefix.is_empty() {
                        k.clone()
                    } else {
                        format!("{prefix}.{k}")
                    };
                    walk(&name, v, out);
                }
            }
            Value::Bool(b) => out.push((prefix.to_owned(), DetailValue::Flag(*b))),
            Value::String(s) if key.ends_with("_id") || looks_like_uuid(s) => {
                out.push((prefix.to_owned(), DetailValue::Id(s.clone())));
            }
            Value::String(s) => out.push((prefix.to_owned(), DetailValue::Text(s.clone()))),
            Value::Number(n) => out.push((prefix.to_owned(), DetailValue::Text(n.to_string()))),
            Value::Array(items) => {
                let text = items
                    .iter()
                    .map(|v| match v {
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    })
                    .collect::<Vec<_>>()
                    .join(", ");
                out.push((prefix.to_owned(), DetailValue::Text(text)));
            }
        }
    }
    let mut out = Vec::new();
    if details.is_object() {
        walk("", details, &mut out);
    } else if !details.is_null() {
        walk("value", details, &mut out);
    }
    out
}

fn looks_like_uuid(s: &str) -> bool {
    s.len() == 36 && s.chars().all(|c| c.is_ascii_hexdigit() || c == '-')
}

/// The first 8 characters of an id.
fn short_id(id: &str) -> String {
    id.chars().take(8).collect()
}

#[cfg(test)]
mod tests {
    use super::{DetailValue, build_filter, detail_fields};

    #[test]
    fn details_are_labelled_fields_not_json() {
        let details = serde_json::json!({
            "reason": "typo in the key",
            "exam_id": "0196f1e2-7c3a-7b00-8000-000000000001",
            "limits": { "questions": 3 },
            "fields": ["name", "phone"],
            "session_revoked": true,
            "none": null,
        });
        assert_eq!(
            detail_fields(&details),
            vec![
                (
                    "exam_id".to_owned(),
                    DetailValue::Id("0196f1e2-7c3a-7b00-8000-000000000001".to_owned())
                ),
                (
                    "fields".to_owned(),
                    DetailValue::Text("name, phone".to_owned())
                ),
                (
                    "limits.questions".to_owned(),
                    DetailValue::Text("3".to_owned())
                ),
                (
                    "reason".to_owned(),
                    DetailValue::Text("typo in the key".to_owned())
                ),
                ("session_revoked".to_owned(), DetailValue::Flag(true)),
            ]
        );
        assert!(detail_fields(&serde_json::json!({})).is_empty());
    }
    use crate::i18n::AuditMsg;

    #[test]
    fn empty_filters_select_everything() {
        let filter = build_filter("", "", "", "");
        assert_eq!(
            filter.map(|f| f.export_url()),
            Ok("/api/audit/export".to_owned())
        );
    }

    #[test]
    fn an_end_before_the_start_is_refused() {
        assert_eq!(
            build_filter("", "", "2026-05-02", "2026-05-01"),
            Err(AuditMsg::ToBeforeFrom)
        );
    }

    #[test]
    fn action_and_outcome_pass_through() {
        let filter = build_filter("auth.login", "failure", "not a day", "");
        let filter = filter.unwrap_or_default();
        assert_eq!(filter.action.as_deref(), Some("auth.login"));
        assert_eq!(filter.outcome.as_deref(), Some("failure"));
        assert_eq!(filter.from, None);
        assert_eq!(filter.to, None);
    }
}
