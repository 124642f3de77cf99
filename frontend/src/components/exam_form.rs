//! The exam settings form: paper, name, instructions, window (local times), duration, late
//! entry, attempts, scoring, pass mark, negative marking, release and review policies, and
//! the entry modes (`exam_entry_form.rs`). A new exam is created from it; a saved one is
//! shown in it, disabled, until the API can change an exam. Problems are shown at their fields (`field-error-<field>`), whether found here
//! or by the server.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::hooks::use_navigate;
use shared::exams::ExamDto;

use crate::api::{ExamsConsoleApi, FieldError, PapersApi};
use crate::auth::use_auth;
use crate::components::confirm::Confirm;
use crate::components::console_gate::{may, report_error};
use crate::components::console_nav::EXAMS_WRITE;
use crate::components::exam_draft::{
    ExamFields, RELEASE_POLICIES, REVIEW_POLICIES, SCORINGS, by_value, release_value, review_value,
    scoring_value,
};
use crate::components::exam_entry_form::EntryFieldset;
use crate::components::exam_integrity_form::IntegrityFieldset;
use crate::components::exam_results_form::ResultsFieldset;
use crate::components::form::{FormAlert, FormError};
use crate::components::rich_editor::RichEditor;
use crate::dates::local_input_value;
use crate::i18n::{
    ConsoleMsg, ExamAdminMsg, exam_problem_text, release_msg, review_msg, scoring_msg, use_i18n,
};
use crate::pages::exams::exam_link;

/// The form's values as signals, one per input.
#[derive(Debug, Clone, Copy)]
struct Draft {
    paper_id: RwSignal<String>,
    name: RwSignal<String>,
    instructions: RwSignal<String>,
    opens_at: RwSignal<String>,
    closes_at: RwSignal<String>,
    duration_minutes: RwSignal<String>,
    late_entry_minutes: RwSignal<String>,
    attempts_allowed: RwSignal<String>,
    scoring: RwSignal<String>,
    pass_mark: RwSignal<String>,
    negative_marking: RwSignal<bool>,
    negative_fraction: RwSignal<String>,
    release_policy: RwSignal<String>,
    release_at: RwSignal<String>,
    review_policy: RwSignal<String>,
    show_rank: RwSignal<bool>,
    certificate_template_id: RwSignal<Option<String>>,
    entry: RwSignal<shared::exams::EntrySettings>,
    integrity: RwSignal<shared::exams::IntegritySettings>,
}

impl Draft {
    fn new(fields: ExamFields) -> Draft {
        Draft {
            paper_id: RwSignal::new(fields.paper_id),
            name: RwSignal::new(fields.name),
            instructions: RwSignal::new(fields.instructions),
            opens_at: RwSignal::new(fields.opens_at),
            closes_at: RwSignal::new(fields.closes_at),
            duration_minutes: RwSignal::new(fields.duration_minutes),
            late_entry_minutes: RwSignal::new(fields.late_entry_minutes),
            attempts_allowed: RwSignal::new(fields.attempts_allowed),
            scoring: RwSignal::new(scoring_value(fields.scoring).to_owned()),
            pass_mark: RwSignal::new(fields.pass_mark),
            negative_marking: RwSignal::new(fields.negative_marking),
            negative_fraction: RwSignal::new(fields.negative_fraction),
            release_policy: RwSignal::new(release_value(fields.release_policy).to_owned()),
            release_at: RwSignal::new(fields.release_at),
            review_policy: RwSignal::new(review_value(fields.review_policy).to_owned()),
            show_rank: RwSignal::new(fields.show_rank),
            certificate_template_id: RwSignal::new(fields.certificate_template_id),
            entry: RwSignal::new(fields.entry),
            integrity: RwSignal::new(fields.integrity),
        }
    }

    fn fields(&self) -> ExamFields {
        let defaults = ExamFields::default();
        ExamFields {
            paper_id: self.paper_id.get_untracked(),
            name: self.name.get_untracked(),
            instructions: self.instructions.get_untracked(),
            opens_at: self.opens_at.get_untracked(),
            closes_at: self.closes_at.get_untracked(),
            duration_minutes: self.duration_minutes.get_untracked(),
            late_entry_minutes: self.late_entry_minutes.get_untracked(),
            attempts_allowed: self.attempts_allowed.get_untracked(),
            scoring: self
                .scoring
                .with_untracked(|v| by_value(&SCORINGS, scoring_value, v))
                .unwrap_or(defaults.scoring),
            pass_mark: self.pass_mark.get_untracked(),
            negative_marking: self.negative_marking.get_untracked(),
            negative_fraction: self.negative_fraction.get_untracked(),
            release_policy: self
                .release_policy
                .with_untracked(|v| by_value(&RELEASE_POLICIES, release_value, v))
                .unwrap_or(defaults.release_policy),
            release_at: self.release_at.get_untracked(),
            review_policy: self
                .review_policy
                .with_untracked(|v| by_value(&REVIEW_POLICIES, review_value, v))
                .unwrap_or(defaults.review_policy),
            show_rank: self.show_rank.get_untracked(),
            certificate_template_id: self.certificate_template_id.get_untracked(),
            entry: self.entry.get_untracked(),
            integrity: self.integrity.get_untracked(),
        }
    }
}

/// The errors of one field, worded for exams; `data-reason` carries the API's reason.
#[component]
fn ExamFieldError(field: &'static str, errors: RwSignal<Vec<FieldError>>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        errors.with(|errors| {
            errors
                .iter()
                .filter(|e| e.field == field)
                .map(|e| {
                    let reason = e.reason.clone();
                    let text = exam_problem_text(&reason, i18n.lang());
                    view! {
                        <p class="field__error" data-testid=format!("field-error-{field}") data-reason=reason>
                            {text}
                        </p>
                    }
                })
                .collect_view()
        })
    }
}

/// The form. `initial` is a saved exam (shown read-only) or `None` (a new one).
#[component]
pub fn ExamForm(initial: Option<ExamDto>) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let navigate = use_navigate();
    let existing = initial.as_ref().map(|exam| exam.id.clone());
    let saved = existing.is_some();
    let existing = StoredValue::new(existing);
    let fields = match &initial {
        Some(exam) => ExamFields::from_settings(&exam.settings, |t| {
            local_input_value(t).unwrap_or_else(|| t.to_owned())
        }),
        None => ExamFields::default(),
    };
    let draft = Draft::new(fields);
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let form_error = RwSignal::new(None::<FormError>);
    let busy = RwSignal::new(false);
    let can_write = Memo::new(move |_| may(auth, EXAMS_WRITE));
    let disabled = move || !can_write.get() || busy.get();
    let notice = RwSignal::new(false);
    let deleting = RwSignal::new(false);
    let delete_busy = RwSignal::new(false);
    // 409 `exam_has_attempts` (editing the paper, or deleting while candidates answer).
    let refused = RwSignal::new(false);
    let delete = {
        let navigate = navigate.clone();
        move || {
            let Some(id) = existing.get_value() else {
                return;
            };
            if delete_busy.get_untracked() {
                return;
            }
            delete_busy.set(true);
            refused.set(false);
            let api = ExamsConsoleApi::new(i18n.lang_untracked());
            let navigate = navigate.clone();
            spawn_local(async move {
                let result = api.delete(&id).await;
                delete_busy.set(false);
                deleting.set(false);
                match result {
                    Ok(()) => navigate(crate::routes::Page::Exams.path(), Default::default()),
                    Err(err) if err.conflict_reason() == Some("exam_has_attempts") => {
                        refused.set(true)
                    }
                    Err(err) => report_error(auth, err, form_error),
                }
            });
        }
    };
    let delete = StoredValue::new_local(delete);

    let papers = RwSignal::new(Vec::new());
    {
        let api = PapersApi::new(i18n.lang_untracked());
        spawn_local(async move {
            match api.list().await {
                Ok(list) => papers.set(list),
                Err(err) => report_error(auth, err, form_error),
            }
        });
    }

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        form_error.set(None);
        notice.set(false);
        refused.set(false);
        let input = match draft.fields().to_input(|local| local.to_local_rfc3339()) {
            Ok(input) => input,
            Err(local) => {
                errors.set(local);
                form_error.set(Some(FormError::CheckFields));
                return;
            }
        };
        errors.set(Vec::new());
        busy.set(true);
        let api = ExamsConsoleApi::new(i18n.lang_untracked());
        let navigate = navigate.clone();
        spawn_local(async move {
            let result = match existing.get_value() {
                Some(id) => api.update(&id, &input).await,
                None => api.create(&input).await,
            };
            busy.set(false);
            match result {
                Ok(_) if saved => notice.set(true),
                Ok(exam) => {
                    let options = NavigateOptions {
                        replace: true,
                        ..Default::default()
                    };
                    navigate(&exam_link(&exam.id), options);
                }
                Err(err) if err.conflict_reason() == Some("exam_has_attempts") => {
                    refused.set(true);
                }
                Err(err) => {
                    let fields = err.field_errors();
                    if fields.is_empty() {
                        report_error(auth, err, form_error);
                    } else {
                        errors.set(fields);
                        form_error.set(Some(FormError::CheckFields));
                    }
                }
            }
        });
    };

    let paper_options = move || {
        papers.with(|list| {
            list.iter()
                .map(|p| {
                    let id = p.id.clone();
                    view! {
                        <option value=p.id.clone() selected=move || draft.paper_id.with(|v| *v == id)>
                            {p.name.clone()}
                        </option>
                    }
                })
                .collect_view()
        })
    };
    let scoring_options = SCORINGS
        .into_iter()
        .map(|s| {
            let value = scoring_value(s);
            view! {
                <option value=value selected=move || draft.scoring.with(|v| v == value)>
                    {move || i18n.t(scoring_msg(s))}
                </option>
            }
        })
        .collect_view();
    let release_options = RELEASE_POLICIES
        .into_iter()
        .map(|p| {
            let value = release_value(p);
            view! {
                <option value=value selected=move || draft.release_policy.with(|v| v == value)>
                    {move || i18n.t(release_msg(p))}
                </option>
            }
        })
        .collect_view();
    let review_options = REVIEW_POLICIES
        .into_iter()
        .map(|p| {
            let value = review_value(p);
            view! {
                <option value=value selected=move || draft.review_policy.with(|v| v == value)>
                    {move || i18n.t(review_msg(p))}
                </option>
            }
        })
        .collect_view();
    let at_time = move || {
        draft
            .release_policy
            .with(|v| v == release_value(shared::exams::ReleasePolicy::AtTime))
    };
    let no_papers = move || !saved && papers.with(Vec::is_empty);

    view! {
        <form class="card data-form exam-form" novalidate=true on:submit=submit data-testid="exam-form">
            <h2 class="card__title">{move || i18n.t(ExamAdminMsg::Settings)}</h2>

            <div class="data-form__grid">
                <label class="field">
                    <span class="field__label">{move || i18n.t(ExamAdminMsg::Paper)}</span>
                    <select
                        class="input"
                        data-testid="exam-paper"
                        disabled=disabled
                        on:change=move |ev| {
                            draft.paper_id.set(event_target_value(&ev));
                            errors.update(|e| e.retain(|e| e.field != "paper_id" && e.field != "pass_mark"));
                        }
                    >
                        <option value="" selected=move || draft.paper_id.with(String::is_empty)>
                            {move || i18n.t(ExamAdminMsg::ChoosePaper)}
                        </option>
                        {paper_options}
                    </select>
                    <Show when=no_papers>
                        <span class="field__hint" data-testid="exam-no-papers">
                            {move || i18n.t(ExamAdminMsg::NoPapers)}
                        </span>
                    </Show>
                    <ExamFieldError field="paper_id" errors=errors />
                </label>
                <label class="field">
                    <span class="field__label">{move || i18n.t(ExamAdminMsg::Name)}</span>
                    <input class="input" data-testid="exam-name" maxlength=200 disabled=disabled bind:value=draft.name />
                    <ExamFieldError field="name" errors=errors />
                </label>
            </div>
            <div class="field">
                <span class="field__label">{move || i18n.t(ExamAdminMsg::Instructions)}</span>
                // No bank here to store media in: instructions take text, tables and formulas.
                <RichEditor
                    value=Signal::derive(move || draft.instructions.get())
                    on_change=Callback::new(move |html: String| draft.instructions.set(html))
                    label=Signal::derive(move || i18n.t(ExamAdminMsg::Instructions).to_owned())
                    testid="exam-instructions"
                    disabled=Signal::derive(disabled)
                />
                <span class="field__hint">{move || i18n.t(ExamAdminMsg::InstructionsHint)}</span>
                <ExamFieldError field="instructions" errors=errors />
            </div>
            <div class="data-form__grid">
                <label class="field">
                    <span class="field__label">{move || i18n.t(ExamAdminMsg::OpensAt)}</span>
                    <input class="input" type="datetime-local" data-testid="exam-opens-at" disabled=disabled bind:value=draft.opens_at />
                    <span class="field__hint">{move || i18n.t(ExamAdminMsg::LocalTimeHint)}</span>
                    <ExamFieldError field="opens_at" errors=errors />
                </label>
                <label class="field">
                    <span class="field__label">{move || i18n.t(ExamAdminMsg::ClosesAt)}</span>
                    <input class="input" type="datetime-local" data-testid="exam-closes-at" disabled=disabled bind:value=draft.closes_at />
                    <span class="field__hint">{move || i18n.t(ExamAdminMsg::LocalTimeHint)}</span>
                    <ExamFieldError field="closes_at" errors=errors />
                </label>
                <label class="field">
                    <span class="field__label">{move || i18n.t(ExamAdminMsg::DurationMinutes)}</span>
                    <input class="input" type="number" min=1 max=1440 step=1 data-testid="exam-duration" disabled=disabled bind:value=draft.duration_minutes />
                    <ExamFieldError field="duration_minutes" errors=errors />
                </label>
                <label class="field">
                    <span class="field__label">
                        {move || i18n.t(ExamAdminMsg::LateEntryMinutes)}
                        " "<span class="field__optional">{move || i18n.t(ConsoleMsg::Optional)}</span>
                    </span>
                    <input class="input" type="number" min=0 step=1 data-testid="exam-late-entry" disabled=disabled bind:value=draft.late_entry_minutes />
                    <span class="field__hint">{move || i18n.t(ExamAdminMsg::LateEntryHint)}</span>
                    <ExamFieldError field="late_entry_minutes" errors=errors />
                </label>
                <label class="field">
                    <span class="field__label">{move || i18n.t(ExamAdminMsg::AttemptsAllowed)}</span>
                    <input class="input" type="number" min=1 max=100 step=1 data-testid="exam-attempts-allowed" disabled=disabled bind:value=draft.attempts_allowed />
                    <ExamFieldError field="attempts_allowed" errors=errors />
                </label>
                <label class="field">
                    <span class="field__label">{move || i18n.t(ExamAdminMsg::Scoring)}</span>
                    <select class="input" data-testid="exam-scoring" disabled=disabled
                        on:change=move |ev| draft.scoring.set(event_target_value(&ev))>
                        {scoring_options}
                    </select>
                    <ExamFieldError field="scoring" errors=errors />
                </label>
                <label class="field">
                    <span class="field__label">{move || i18n.t(ExamAdminMsg::PassMark)}</span>
                    <input class="input" type="number" min=0 step="any" data-testid="exam-pass-mark" disabled=disabled bind:value=draft.pass_mark />
                    <ExamFieldError field="pass_mark" errors=errors />
                </label>
                <div class="field">
                    <label class="checkbox">
                        <input type="checkbox" data-testid="exam-negative-marking" disabled=disabled bind:checked=draft.negative_marking />
                        {move || i18n.t(ExamAdminMsg::NegativeMarking)}
                    </label>
                    <Show when=move || draft.negative_marking.get()>
                        <label class="field">
                            <span class="field__label">{move || i18n.t(ExamAdminMsg::NegativeFraction)}</span>
                            <input class="input input--narrow" type="number" min=0 max=1 step="any" data-testid="exam-negative-fraction" disabled=disabled bind:value=draft.negative_fraction />
                        </label>
                    </Show>
                    <ExamFieldError field="negative_fraction" errors=errors />
                </div>
                <label class="field">
                    <span class="field__label">{move || i18n.t(ExamAdminMsg::ReleasePolicy)}</span>
                    <select class="input" data-testid="exam-release-policy" disabled=disabled
                        on:change=move |ev| draft.release_policy.set(event_target_value(&ev))>
                        {release_options}
                    </select>
                    <ExamFieldError field="release_policy" errors=errors />
                </label>
                <Show when=at_time>
                    <label class="field">
                        <span class="field__label">{move || i18n.t(ExamAdminMsg::ReleaseAt)}</span>
                        <input class="input" type="datetime-local" data-testid="exam-release-at" disabled=disabled bind:value=draft.release_at />
                        <span class="field__hint">{move || i18n.t(ExamAdminMsg::LocalTimeHint)}</span>
                        <ExamFieldError field="release_at" errors=errors />
                    </label>
                </Show>
                <label class="field">
                    <span class="field__label">{move || i18n.t(ExamAdminMsg::ReviewPolicy)}</span>
                    <select class="input" data-testid="exam-review-policy" disabled=disabled
                        on:change=move |ev| draft.review_policy.set(event_target_value(&ev))>
                        {review_options}
                    </select>
                    <span class="field__hint" data-testid="exam-review-hint">{move || i18n.t(ExamAdminMsg::ReviewHint)}</span>
                    <ExamFieldError field="review_policy" errors=errors />
                </label>
            </div>
            <ResultsFieldset show_rank=draft.show_rank certificate_template_id=draft.certificate_template_id errors=errors disabled=Signal::derive(disabled) />
            <EntryFieldset entry=draft.entry errors=errors disabled=Signal::derive(disabled) />
            <IntegrityFieldset integrity=draft.integrity errors=errors disabled=Signal::derive(disabled) />
            <FormAlert error=form_error testid="exam-form-error" />
            <Show when=move || refused.get()>
                <p class="notice notice--error" role="alert" data-testid="exam-has-attempts">
                    {move || i18n.t(ExamAdminMsg::ExamHasAttempts)}
                </p>
            </Show>
            <Show when=move || notice.get()>
                <p class="notice notice--success" role="status" data-testid="exam-saved">
                    {move || i18n.t(ExamAdminMsg::ChangesSaved)}
                </p>
            </Show>
            <Show when=move || can_write.get()>
                <div class="actions">
                    <button type="submit" class="button" data-testid="exam-save" disabled=busy>
                        {move || i18n.t(match (saved, busy.get()) {
                            (false, false) => ExamAdminMsg::CreateExam,
                            (false, true) => ExamAdminMsg::Creating,
                            (true, false) => ExamAdminMsg::SaveChanges,
                            (true, true) => ExamAdminMsg::SavingChanges,
                        })}
                    </button>
                    <Show when=move || saved>
                        <button
                            type="button"
                            class="button button--danger"
                            data-testid="exam-delete"
                            on:click=move |_| deleting.set(true)
                        >
                            {move || i18n.t(ExamAdminMsg::DeleteExam)}
                        </button>
                    </Show>
                </div>
                <Show when=move || deleting.get()>
                    <Confirm
                        question=move || i18n.t(ExamAdminMsg::DeleteExam).to_owned()
                        detail=move || i18n.t(ExamAdminMsg::DeleteExamQuestion)
                        confirm_label=ExamAdminMsg::DeleteExam
                        busy=delete_busy
                        on_yes=move || delete.with_value(|delete| delete())
                        on_no=move || deleting.set(false)
                    />
                </Show>
            </Show>
        </form>
    }
}
