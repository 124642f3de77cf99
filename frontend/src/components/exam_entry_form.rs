//! The exam form's "Entry" fieldset: invite links, open link, access code, one device at a
//! time, and the registration fields asked of people entering by open link or access code.
//! Turning either of those on with no fields adds the required `name` field the server
//! demands. The server's problems (`entry.registration_fields[0].key`, …) show at their
//! inputs, found by the row's current position.

use leptos::prelude::*;
use shared::Lang;
use shared::exams::{EntrySettings, RegistrationField, RegistrationFieldKind};

use crate::api::FieldError;
use crate::i18n::{ExamAdminMsg, PrivacyMsg, exam_problem_text, use_i18n};

/// The kinds a registration field may have, in the order the select offers them.
pub const KINDS: [RegistrationFieldKind; 5] = [
    RegistrationFieldKind::Name,
    RegistrationFieldKind::Phone,
    RegistrationFieldKind::Email,
    RegistrationFieldKind::IdNumber,
    RegistrationFieldKind::Text,
];

/// The wire name of a kind (the `<option>` value).
pub fn kind_value(kind: RegistrationFieldKind) -> &'static str {
    match kind {
        RegistrationFieldKind::Name => "name",
        RegistrationFieldKind::Phone => "phone",
        RegistrationFieldKind::Email => "email",
        RegistrationFieldKind::IdNumber => "id_number",
        RegistrationFieldKind::Text => "text",
    }
}

fn kind_msg(kind: RegistrationFieldKind) -> ExamAdminMsg {
    match kind {
        RegistrationFieldKind::Name => ExamAdminMsg::KindName,
        RegistrationFieldKind::Phone => ExamAdminMsg::KindPhone,
        RegistrationFieldKind::Email => ExamAdminMsg::KindEmail,
        RegistrationFieldKind::IdNumber => ExamAdminMsg::KindIdNumber,
        RegistrationFieldKind::Text => ExamAdminMsg::KindText,
    }
}

/// Adds the required `name` field when a mode that registers people is on and no field is
/// asked yet (the server refuses those modes without one). Returns whether it added it.
pub fn ensure_name_field(entry: &mut EntrySettings, lang: Lang) -> bool {
    let registers = entry.open_link || entry.access_code;
    if !registers || !entry.registration_fields.is_empty() {
        return false;
    }
    entry.registration_fields.push(RegistrationField {
        key: "name".to_owned(),
        label: ExamAdminMsg::DefaultNameLabel.text(lang).to_owned(),
        kind: RegistrationFieldKind::Name,
        required: true,
    });
    true
}

/// The API's path of one registration field's property.
fn field_path(index: usize, name: &str) -> String {
    format!("entry.registration_fields[{index}].{name}")
}

/// The errors of the field named by `path` (tracked), with
/// `data-testid="field-error-<path>"` and the API's reason in `data-reason`.
#[component]
fn PathError(
    #[prop(into)] path: Signal<Option<String>>,
    errors: RwSignal<Vec<FieldError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let Some(path) = path.get() else {
            return Vec::new();
        };
        errors.with(|errors| {
            errors
                .iter()
                .filter(|e| e.field == path)
                .map(|e| {
                    let text = exam_problem_text(&e.reason, i18n.lang());
                    view! {
                        <p class="field__error" data-testid=format!("field-error-{path}") data-reason=e.reason.clone()>
                            {text}
                        </p>
                    }
                })
                .collect::<Vec<_>>()
        })
    }
}

/// The fieldset. `entry` is the draft's value; `errors` the form's field errors.
#[component]
pub fn EntryFieldset(
    entry: RwSignal<EntrySettings>,
    errors: RwSignal<Vec<FieldError>>,
    #[prop(into)] disabled: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    // Each row has a stable id, so typing in one re-renders nothing; the id's position is the
    // field's index in `entry.registration_fields`.
    let initial = entry.with_untracked(|e| e.registration_fields.len());
    let ids = RwSignal::new((0..initial).collect::<Vec<usize>>());
    let next_id = StoredValue::new(initial);
    let new_id = move || {
        let id = next_id.get_value();
        next_id.set_value(id + 1);
        id
    };
    let add_name_if_needed = move || {
        let mut added = false;
        entry.update(|e| added = ensure_name_field(e, i18n.lang_untracked()));
        if added {
            let id = new_id();
            ids.update(|ids| ids.push(id));
        }
    };
    let toggle = move |set: fn(&mut EntrySettings, bool)| {
        move |ev: leptos::ev::Event| {
            let on = event_target_checked(&ev);
            entry.update(|e| set(e, on));
            add_name_if_needed();
        }
    };
    let add_field = move |_| {
        entry.update(|e| {
            e.registration_fields.push(RegistrationField {
                key: String::new(),
                label: String::new(),
                kind: RegistrationFieldKind::Text,
                required: false,
            });
        });
        let id = new_id();
        ids.update(|ids| ids.push(id));
    };
    let registers = move || entry.with(|e| e.open_link || e.access_code);
    let list_path = Signal::derive(|| Some("entry.registration_fields".to_owned()));

    view! {
        <fieldset class="fieldset exam-entry" data-testid="exam-entry" disabled=disabled>
            <legend class="section-title">{move || i18n.t(ExamAdminMsg::Entry)}</legend>
            <p class="hint">{move || i18n.t(ExamAdminMsg::EntryLead)}</p>
            <div class="checkbox-group">
                <label class="checkbox">
                    <input type="checkbox" data-testid="exam-entry-invite-links"
                        prop:checked=move || entry.with(|e| e.invite_links)
                        on:change=toggle(|e, on| e.invite_links = on) />
                    {move || i18n.t(ExamAdminMsg::EntryInviteLinks)}
                </label>
                <label class="checkbox">
                    <input type="checkbox" data-testid="exam-entry-open-link"
                        prop:checked=move || entry.with(|e| e.open_link)
                        on:change=toggle(|e, on| e.open_link = on) />
                    {move || i18n.t(ExamAdminMsg::EntryOpenLink)}
                </label>
                <label class="checkbox">
                    <input type="checkbox" data-testid="exam-entry-access-code"
                        prop:checked=move || entry.with(|e| e.access_code)
                        on:change=toggle(|e, on| e.access_code = on) />
                    {move || i18n.t(ExamAdminMsg::EntryAccessCode)}
                </label>
                <label class="checkbox">
                    <input type="checkbox" data-testid="exam-entry-single-device"
                        prop:checked=move || entry.with(|e| e.single_device)
                        on:change=toggle(|e, on| e.single_device = on) />
                    {move || i18n.t(ExamAdminMsg::EntrySingleDevice)}
                </label>
            </div>
            <Show when=registers>
                <div class="reg-fields" data-testid="reg-fields">
                    <h3 class="section-title">{move || i18n.t(ExamAdminMsg::RegistrationFields)}</h3>
                    <p class="hint">{move || i18n.t(ExamAdminMsg::RegistrationHint)}</p>
                    <PathError path=list_path errors=errors />
                    <div class="table-wrap">
                        <table class="table">
                            <thead>
                                <tr>
                                    <th scope="col">{move || i18n.t(ExamAdminMsg::FieldKey)}</th>
                                    <th scope="col">{move || i18n.t(ExamAdminMsg::FieldLabel)}</th>
                                    <th scope="col">{move || i18n.t(ExamAdminMsg::FieldKind)}</th>
                                    <th scope="col">{move || i18n.t(ExamAdminMsg::FieldRequired)}</th>
                                    <th scope="col"></th>
                                </tr>
                            </thead>
                            <tbody>
                                <For each=move || ids.get() key=|id| *id let:id>
                                    <FieldRow id=id ids=ids entry=entry errors=errors />
                                </For>
                            </tbody>
                        </table>
                    </div>
                    <p class="hint">{move || i18n.t(ExamAdminMsg::FieldKeyHint)}</p>
                    <button type="button" class="button button--secondary" data-testid="reg-field-add" on:click=add_field>
                        {move || i18n.t(ExamAdminMsg::AddField)}
                    </button>
                    <label class="field">
                        <span class="field__label">{move || i18n.t(PrivacyMsg::PurposeLabel)}</span>
                        <textarea class="input" rows="2" maxlength="500" data-testid="exam-entry-purpose"
                            prop:value=move || entry.with(|e| e.purpose.clone())
                            on:input=move |ev| {
                                let value = event_target_value(&ev);
                                entry.update(|e| e.purpose = value);
                            }></textarea>
                        <span class="field__hint">{move || i18n.t(PrivacyMsg::PurposeHint)}</span>
                        <PathError path=Signal::derive(|| Some("entry.purpose".to_owned())) errors=errors />
                    </label>
                </div>
            </Show>
        </fieldset>
    }
}

/// One registration field's row.
#[component]
fn FieldRow(
    id: usize,
    ids: RwSignal<Vec<usize>>,
    entry: RwSignal<EntrySettings>,
    errors: RwSignal<Vec<FieldError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let index = move || ids.with(|ids| ids.iter().position(|x| *x == id));
    let index_untracked = move || ids.with_untracked(|ids| ids.iter().position(|x| *x == id));
    let read = move |get: fn(&RegistrationField) -> String| {
        move || {
            let i = index()?;
            entry.with(|e| e.registration_fields.get(i).map(get))
        }
    };
    let edit = move |change: &dyn Fn(&mut RegistrationField)| {
        if let Some(i) = index_untracked() {
            entry.update(|e| {
                if let Some(field) = e.registration_fields.get_mut(i) {
                    change(field);
                }
            });
        }
    };
    let kind =
        move || index().and_then(|i| entry.with(|e| e.registration_fields.get(i).map(|f| f.kind)));
    let is_name = move || kind() == Some(RegistrationFieldKind::Name);
    let remove = move |_| {
        if let Some(i) = index_untracked() {
            entry.update(|e| {
                if i < e.registration_fields.len() {
                    e.registration_fields.remove(i);
                }
            });
            ids.update(|ids| ids.retain(|x| *x != id));
            // The server's paths name positions, which have just moved.
            errors.update(|errors| errors.retain(|e| !e.field.starts_with("entry.")));
        }
    };
    let path =
        move |name: &'static str| Signal::derive(move || index().map(|i| field_path(i, name)));
    let kind_options = KINDS
        .into_iter()
        .map(|k| {
            let value = kind_value(k);
            view! {
                <option value=value selected=move || kind() == Some(k)>
                    {move || i18n.t(kind_msg(k))}
                </option>
            }
        })
        .collect_view();
    view! {
        <tr data-testid="reg-field" data-index=move || index().map(|i| i.to_string())>
            <td>
                <input class="input input--narrow" maxlength=40 data-testid="reg-field-key"
                    aria-label=move || i18n.t(ExamAdminMsg::FieldKey)
                    prop:value=read(|f| f.key.clone())
                    on:input=move |ev| {
                        let value = event_target_value(&ev);
                        edit(&|f| f.key = value.clone());
                    } />
                <PathError path=path("key") errors=errors />
            </td>
            <td>
                <input class="input" maxlength=60 data-testid="reg-field-label"
                    aria-label=move || i18n.t(ExamAdminMsg::FieldLabel)
                    prop:value=read(|f| f.label.clone())
                    on:input=move |ev| {
                        let value = event_target_value(&ev);
                        edit(&|f| f.label = value.clone());
                    } />
                <PathError path=path("label") errors=errors />
            </td>
            <td>
                <select class="input" data-testid="reg-field-kind"
                    aria-label=move || i18n.t(ExamAdminMsg::FieldKind)
                    on:change=move |ev| {
                        let value = event_target_value(&ev);
                        if let Some(k) = KINDS.into_iter().find(|k| kind_value(*k) == value) {
                            edit(&|f| {
                                f.kind = k;
                                if k == RegistrationFieldKind::Name {
                                    f.required = true;
                                }
                            });
                        }
                    }>
                    {kind_options}
                </select>
                <PathError path=path("kind") errors=errors />
            </td>
            <td>
                // A name is always required (the server insists), so its box stays ticked.
                <input type="checkbox" data-testid="reg-field-required"
                    aria-label=move || i18n.t(ExamAdminMsg::FieldRequired)
                    disabled=is_name
                    prop:checked=move || {
                        index().is_some_and(|i| entry.with(|e| e.registration_fields.get(i).is_some_and(|f| f.required)))
                    }
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        edit(&|f| f.required = on);
                    } />
            </td>
            <td class="table__actions">
                <button type="button" class="link-button" data-testid="reg-field-remove" on:click=remove>
                    {move || i18n.t(ExamAdminMsg::RemoveField)}
                </button>
            </td>
        </tr>
    }
}

#[cfg(test)]
mod tests {
    use shared::Lang;
    use shared::exams::{EntrySettings, RegistrationFieldKind};

    use super::{KINDS, ensure_name_field, field_path, kind_value};

    #[test]
    fn kinds_have_their_wire_names() {
        let names: Vec<_> = KINDS.into_iter().map(kind_value).collect();
        assert_eq!(names, ["name", "phone", "email", "id_number", "text"]);
    }

    #[test]
    fn a_registering_mode_without_fields_gets_a_required_name() {
        let mut entry = EntrySettings {
            access_code: true,
            ..EntrySettings::default()
        };
        assert!(ensure_name_field(&mut entry, Lang::ZhCn));
        let field = &entry.registration_fields[0];
        assert_eq!(
            (
                field.key.as_str(),
                field.label.as_str(),
                field.kind,
                field.required
            ),
            ("name", "姓名", RegistrationFieldKind::Name, true)
        );
        // Only once, and never for invite links alone.
        assert!(!ensure_name_field(&mut entry, Lang::En));
        let mut invites = EntrySettings {
            invite_links: true,
            ..EntrySettings::default()
        };
        assert!(!ensure_name_field(&mut invites, Lang::En));
    }

    #[test]
    fn field_paths_are_the_servers() {
        assert_eq!(field_path(1, "key"), "entry.registration_fields[1].key");
    }
}
