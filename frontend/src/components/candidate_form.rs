//! The form that creates a candidate or edits one: account, name, contacts, ID number,
//! password and groups. An edit sends only what changed.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::ErrorCode;
use shared::candidates::{CandidateDto, CreateCandidateRequest, GroupDto, UpdateCandidateRequest};

use crate::api::CandidatesApi;
use crate::auth::use_auth;
use crate::components::form::{FieldErrors, FormAlert, FormError, missing, report};
use crate::components::text_field::TextField;
use crate::i18n::{CandidateMsg, ConsoleMsg, use_i18n};

/// What the form is for.
#[derive(Debug, Clone, PartialEq)]
pub enum Editing {
    New,
    Existing(Box<CandidateDto>),
}

/// The API fields the form shows errors beside.
const FIELDS: &[&str] = &[
    "account",
    "name",
    "phone",
    "email",
    "id_number",
    "password",
    "group_ids",
];

/// The form's values as typed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Values {
    account: String,
    name: String,
    phone: String,
    email: String,
    id_number: String,
    password: String,
    group_ids: Vec<String>,
}

impl Values {
    fn of(candidate: &CandidateDto) -> Self {
        Values {
            account: candidate.account.clone(),
            name: candidate.name.clone(),
            phone: candidate.phone.clone().unwrap_or_default(),
            email: candidate.email.clone().unwrap_or_default(),
            id_number: String::new(),
            password: String::new(),
            group_ids: candidate.groups.iter().map(|g| g.id.clone()).collect(),
        }
    }

    fn create_request(&self) -> CreateCandidateRequest {
        let given = |value: &str| Some(value.trim().to_owned()).filter(|v| !v.is_empty());
        CreateCandidateRequest {
            account: self.account.trim().to_owned(),
            name: self.name.trim().to_owned(),
            email: given(&self.email),
            phone: given(&self.phone),
            id_number: given(&self.id_number),
            password: Some(self.password.clone()).filter(|p| !p.is_empty()),
            group_ids: self.group_ids.clone(),
        }
    }

    /// Only what differs from `before`: an emptied contact is cleared (`""`), an empty ID
    /// number or password is left as it was.
    fn update_request(&self, before: &Values) -> UpdateCandidateRequest {
        let changed = |now: &str, was: &str| (now.trim() != was).then(|| now.trim().to_owned());
        let mut groups_now = self.group_ids.clone();
        let mut groups_before = before.group_ids.clone();
        groups_now.sort();
        groups_before.sort();
        UpdateCandidateRequest {
            account: changed(&self.account, &before.account),
            name: changed(&self.name, &before.name),
            email: changed(&self.email, &before.email),
            phone: changed(&self.phone, &before.phone),
            id_number: Some(self.id_number.trim().to_owned()).filter(|v| !v.is_empty()),
            password: Some(self.password.clone()).filter(|p| !p.is_empty()),
            status: None,
            group_ids: (groups_now != groups_before).then(|| self.group_ids.clone()),
        }
    }
}

#[component]
pub fn CandidateForm(
    editing: Editing,
    #[prop(into)] groups: Signal<Vec<GroupDto>>,
    /// Called with the saved candidate, or `None` when the user cancels.
    on_done: Callback<Option<CandidateDto>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let (existing, before) = match &editing {
        Editing::New => (None, Values::default()),
        Editing::Existing(candidate) => (Some((**candidate).clone()), Values::of(candidate)),
    };
    let is_new = existing.is_none();
    let account = RwSignal::new(before.account.clone());
    let name = RwSignal::new(before.name.clone());
    let phone = RwSignal::new(before.phone.clone());
    let email = RwSignal::new(before.email.clone());
    let id_number = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let selected = RwSignal::new(before.group_ids.clone());
    let errors = FieldErrors::default();
    let form_error = RwSignal::new(None);
    let taken = RwSignal::new(false);
    let saving = RwSignal::new(false);
    let existing = StoredValue::new(existing);
    let before = StoredValue::new(before);

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        errors.clear();
        form_error.set(None);
        taken.set(false);
        let values = Values {
            account: account.get_untracked(),
            name: name.get_untracked(),
            phone: phone.get_untracked(),
            email: email.get_untracked(),
            id_number: id_number.get_untracked(),
            password: password.get_untracked(),
            group_ids: selected.get_untracked(),
        };
        let blank = missing(&[("account", &values.account), ("name", &values.name)]);
        if !blank.is_empty() {
            errors.set(blank);
            form_error.set(Some(FormError::CheckFields));
            return;
        }
        let api = CandidatesApi::new(i18n.lang_untracked());
        let target = existing.get_value();
        let update = before.with_value(|before| values.update_request(before));
        saving.set(true);
        spawn_local(async move {
            let result = match &target {
                None => api.create(&values.create_request()).await,
                Some(candidate) => api.update(&candidate.id, &update).await,
            };
            saving.set(false);
            match result {
                Ok(saved) => on_done.run(Some(saved)),
                Err(err) if err.is_unauthorized() => auth.expire(),
                Err(err) if err.code() == Some(ErrorCode::Conflict) => taken.set(true),
                Err(err) => report(err, FIELDS, errors, form_error, |_| None),
            }
        });
    };

    let title = if is_new {
        CandidateMsg::FormNewTitle
    } else {
        CandidateMsg::FormEditTitle
    };
    let (password_label, password_hint) = if is_new {
        (
            CandidateMsg::PasswordNewLabel,
            CandidateMsg::PasswordNewHint,
        )
    } else {
        (
            CandidateMsg::PasswordEditLabel,
            CandidateMsg::PasswordEditHint,
        )
    };
    let has_id_number = existing.with_value(|c| {
        c.as_ref()
            .and_then(|c| c.id_number_masked.clone())
            .is_some()
    });
    let id_hint = if has_id_number {
        CandidateMsg::IdNumberKeep
    } else {
        CandidateMsg::IdNumberHint
    };
    let taken_alert = move || {
        taken.get().then(|| {
            view! {
                <div class="alert alert--error form-alert" role="alert" data-testid="candidate-form-taken">
                    <p class="alert__message">{move || i18n.t(CandidateMsg::Taken)}</p>
                </div>
            }
        })
    };
    let group_boxes = move || {
        let groups = groups.get();
        if groups.is_empty() {
            return view! {
                <p class="field__hint">{move || i18n.t(CandidateMsg::NoGroupsYet)}</p>
            }
            .into_any();
        }
        groups
            .into_iter()
            .map(|group| {
                let id = StoredValue::new(group.id.clone());
                let checked = move || selected.with(|s| id.with_value(|id| s.contains(id)));
                let toggle = move |_| {
                    let id = id.get_value();
                    selected.update(|s| {
                        if let Some(at) = s.iter().position(|g| *g == id) {
                            s.remove(at);
                        } else {
                            s.push(id);
                        }
                    });
                };
                view! {
                    <label class="checkbox">
                        <input
                            type="checkbox"
                            data-testid="candidate-form-group"
                            data-group=group.name.clone()
                            prop:checked=checked
                            on:change=toggle
                        />
                        {group.name}
                    </label>
                }
            })
            .collect_view()
            .into_any()
    };

    view! {
        <form class="form card data-form" novalidate=true data-testid="candidate-form" on:submit=on_submit>
            <h2 class="card__title">{move || i18n.t(title)}</h2>
            <FormAlert error=form_error testid="candidate-form-error" />
            {taken_alert}
            <div class="data-form__grid">
                <TextField
                    id="candidate-account"
                    label=CandidateMsg::AccountLabel
                    hint=CandidateMsg::AccountHint
                    value=account
                    testid="candidate-form-account"
                    fields=&["account"]
                    errors=errors
                    maxlength=40
                    required=true
                />
                <TextField
                    id="candidate-name"
                    label=CandidateMsg::NameLabel
                    value=name
                    testid="candidate-form-name"
                    fields=&["name"]
                    errors=errors
                    maxlength=50
                    required=true
                />
                <TextField
                    id="candidate-phone"
                    label=CandidateMsg::PhoneLabel
                    hint=CandidateMsg::ContactHint
                    value=phone
                    testid="candidate-form-phone"
                    fields=&["phone"]
                    errors=errors
                    input_type="tel"
                />
                <TextField
                    id="candidate-email"
                    label=CandidateMsg::EmailLabel
                    hint=CandidateMsg::ContactHint
                    value=email
                    testid="candidate-form-email"
                    fields=&["email"]
                    errors=errors
                    input_type="email"
                />
                <TextField
                    id="candidate-id-number"
                    label=CandidateMsg::IdNumberLabel
                    hint=id_hint
                    value=id_number
                    testid="candidate-form-id-number"
                    fields=&["id_number"]
                    errors=errors
                    maxlength=18
                />
                <TextField
                    id="candidate-password"
                    label=password_label
                    hint=password_hint
                    value=password
                    testid="candidate-form-password"
                    fields=&["password"]
                    errors=errors
                    input_type="password"
                    autocomplete="new-password"
                />
            </div>
            <fieldset class="field checkbox-group">
                <legend class="field__label">{move || i18n.t(CandidateMsg::GroupsLabel)}</legend>
                {group_boxes}
            </fieldset>
            <div class="actions">
                <button type="submit" class="button" data-testid="candidate-form-submit" disabled=saving>
                    {move || i18n.t(if saving.get() { ConsoleMsg::Saving } else { ConsoleMsg::Save })}
                </button>
                <button
                    type="button"
                    class="button button--secondary"
                    data-testid="candidate-form-cancel"
                    on:click=move |_| on_done.run(None)
                >
                    {move || i18n.t(ConsoleMsg::Cancel)}
                </button>
            </div>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::Values;

    fn before() -> Values {
        Values {
            account: "2023001".to_owned(),
            name: "李雷".to_owned(),
            phone: "+8613800138000".to_owned(),
            email: String::new(),
            id_number: String::new(),
            password: String::new(),
            group_ids: vec!["a".to_owned(), "b".to_owned()],
        }
    }

    #[test]
    fn an_edit_sends_only_what_changed() {
        let mut now = before();
        now.name = " 李雷雷 ".to_owned();
        now.phone = String::new();
        now.group_ids = vec!["b".to_owned(), "a".to_owned()];
        let request = now.update_request(&before());
        assert_eq!(request.name.as_deref(), Some("李雷雷"));
        assert_eq!(
            request.phone.as_deref(),
            Some(""),
            "an emptied phone is cleared"
        );
        assert_eq!(request.account, None);
        assert_eq!(request.email, None);
        assert_eq!(request.id_number, None, "a blank ID number is kept");
        assert_eq!(request.password, None);
        assert_eq!(request.group_ids, None, "the same groups in another order");
    }

    #[test]
    fn a_new_candidate_leaves_out_blank_optional_fields() {
        let mut values = before();
        values.phone = " ".to_owned();
        values.password = "Spring-exam-2026".to_owned();
        let request = values.create_request();
        assert_eq!(request.phone, None);
        assert_eq!(request.email, None);
        assert_eq!(request.password.as_deref(), Some("Spring-exam-2026"));
        assert_eq!(request.group_ids, vec!["a", "b"]);
    }
}
