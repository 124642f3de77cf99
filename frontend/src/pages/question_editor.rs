//! `/question-editor?bank=…[&question=…]`: creating a question or editing one (each save a new
//! version), checked on the spot by the same `validate` the server runs, with problems beside
//! their fields, a live preview and, for an existing question, its version history with
//! restore.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};
use shared::ErrorCode;
use shared::questions::{CategoryDto, QuestionDto, QuestionType, QuestionVersionDto};

use crate::api::{self, FieldError, QuestionsApi};
use crate::auth::use_auth;
use crate::components::ApiErrors;
use crate::components::category_tree::{indented_name, tree_order};
use crate::components::console_gate::may;
use crate::components::console_gate::{RequirePermission, report_error, watch_session};
use crate::components::console_nav::{EXAMS_WRITE, QUESTIONS_WRITE};
use crate::components::form::{FormAlert, FormError};
use crate::components::page_header::{Back, PageHeader};
use crate::components::question_draft::Draft;
use crate::components::question_fields::{DraftBank, Problem, Slot, type_fields};
use crate::components::question_preview::{GraderNotes, preview_document};
use crate::components::regrade_dialog::RegradeOffer;
use crate::components::rich_editor::RichEditor;
use crate::i18n::{
    ConsoleMsg, DifficultyMsg, Msg, QuestionMsg, difficulty_msg, format_time, type_msg, use_i18n,
};
use crate::pages::question_bank::{BANK_PARAM, QUESTION_PARAM, bank_link, saved_link};

#[component]
pub fn QuestionEditorPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let bank = query
        .with_untracked(|q| q.get(BANK_PARAM))
        .unwrap_or_default();
    let question = query.with_untracked(|q| q.get(QUESTION_PARAM));
    let title = if question.is_some() {
        QuestionMsg::EditorEditTitle
    } else {
        QuestionMsg::EditorNewTitle
    };
    let back = bank_link(&bank);
    view! {
        <section class="page">
            <PageHeader
                back=Back {
                    href: back,
                    testid: "back-to-bank",
                    label: (move || i18n.t(QuestionMsg::BankTitle)).into(),
                }
                title=move || i18n.t(title)
                lead=move || i18n.t(QuestionMsg::EditorLead)
            />
            <RequirePermission needs=QUESTIONS_WRITE>
                <EditorLoader bank=bank.clone() question=question.clone() />
            </RequirePermission>
        </section>
    }
}

/// Loads the question being edited (if any) and the bank's categories, then the form.
#[component]
fn EditorLoader(bank: String, question: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let reload = RwSignal::new(0u32);
    // Set by a save: the form is rebuilt from the saved question, and that form (not the one
    // it replaces) confirms the save, so the confirmation and what follows it (the re-grade
    // offer) appear once, on the form that stays.
    let after_save = StoredValue::new(false);
    let loaded = LocalResource::new({
        let bank = bank.clone();
        move || {
            reload.track();
            let just_saved = after_save.get_value();
            after_save.set_value(false);
            let api = QuestionsApi::new(i18n.lang_untracked());
            let (bank, question) = (bank.clone(), question.clone());
            async move {
                let categories = api.categories(&bank).await?;
                let question = match question {
                    Some(id) => Some(api.question(&id).await?),
                    None => None,
                };
                Ok::<_, api::Error>((categories, question, just_saved))
            }
        }
    });
    watch_session(auth, loaded);
    let bank = StoredValue::new(bank);
    view! {
        <Transition fallback=move || view! { <p class="loading">{move || i18n.t(Msg::Loading)}</p> }>
            <ErrorBoundary fallback=|errors| view! { <ApiErrors errors=errors /> }>
                {move || Suspend::new(async move {
                    let (categories, question, just_saved) = loaded.await?;
                    Ok::<_, api::Error>(view! {
                        <Editor
                            bank=bank.get_value()
                            categories=categories
                            question=question
                            saved=just_saved
                            on_saved=move || {
                                after_save.set_value(true);
                                reload.update(|n| *n += 1);
                            }
                            on_restored=move || reload.update(|n| *n += 1)
                        />
                    })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

#[component]
fn Editor(
    bank: String,
    categories: Vec<CategoryDto>,
    question: Option<QuestionDto>,
    /// The form follows a save of this question: it says so.
    saved: bool,
    on_saved: impl Fn() + Copy + Send + Sync + 'static,
    on_restored: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let saved = RwSignal::new(saved);
    let i18n = use_i18n();
    let auth = use_auth();
    let navigate = use_navigate();
    let draft = RwSignal::new(
        question
            .as_ref()
            .map(Draft::from_question)
            .unwrap_or_default(),
    );
    let question_id = StoredValue::new(question.as_ref().map(|q| q.id.clone()));
    let version = question.as_ref().map(|q| q.version);
    let problems: RwSignal<Vec<FieldError>> = RwSignal::new(Vec::new());
    let form_error = RwSignal::new(None);
    let busy = RwSignal::new(false);
    provide_context(DraftBank(bank.clone()));
    let bank = StoredValue::new(bank);
    let question_type = Memo::new(move |_| draft.with(|d| d.question_type));

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        saved.set(false);
        form_error.set(None);
        let input = match draft.with_untracked(Draft::to_input) {
            Ok(input) => input,
            Err(found) => {
                problems.set(found);
                form_error.set(Some(FormError::CheckFields));
                return;
            }
        };
        problems.set(Vec::new());
        let api = QuestionsApi::new(i18n.lang_untracked());
        busy.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            let result = match question_id.get_value() {
                Some(id) => api.update_question(&id, &input).await,
                None => api.create_question(&bank.get_value(), &input).await,
            };
            busy.set(false);
            match result {
                Ok(created) if question_id.with_value(Option::is_none) => {
                    navigate(
                        &saved_link(&bank.get_value(), &created.id),
                        Default::default(),
                    );
                }
                Ok(_) => on_saved(),
                Err(err) if err.code() == Some(ErrorCode::ValidationFailed) => {
                    problems.set(err.field_errors());
                    form_error.set(Some(FormError::CheckFields));
                }
                Err(err) => report_error(auth, err, form_error),
            }
        });
    };

    let text_input = move |testid: &'static str,
                           msg: QuestionMsg,
                           read: fn(&Draft) -> String,
                           write: fn(&mut Draft, String)| {
        view! {
            <label class="field">
                <span class="field__label">{move || i18n.t(msg)}</span>
                <input
                    class="input"
                    data-testid=testid
                    prop:value=move || draft.with(read)
                    on:input=move |ev| {
                        let value = event_target_value(&ev);
                        draft.update(|d| write(d, value));
                    }
                />
            </label>
        }
    };
    let type_options = QuestionType::ALL
        .iter()
        .map(|t| {
            let t = *t;
            view! {
                <option value=t.as_str() selected=move || question_type.get() == t>
                    {move || i18n.t(type_msg(t))}
                </option>
            }
        })
        .collect_view();
    let category_options = tree_order(&categories)
        .into_iter()
        .map(|(depth, c)| {
            let id = c.id.clone();
            let current = id.clone();
            view! {
                <option value=id selected=move || draft.with(|d| d.category_id == current)>
                    {indented_name(depth, &c.name)}
                </option>
            }
        })
        .collect_view();
    let fields = move || type_fields(Slot::question(draft), problems, question_type.get());
    let stem_hint = move || match question_type.get() {
        QuestionType::FillBlank => i18n.t(QuestionMsg::FillStemHint),
        QuestionType::Composite => i18n.t(QuestionMsg::PassageHint),
        _ => i18n.t(QuestionMsg::StemHint),
    };
    let stem_label = move || {
        if question_type.get() == QuestionType::Composite {
            i18n.t(QuestionMsg::PassageLabel)
        } else {
            i18n.t(QuestionMsg::StemLabel)
        }
    };
    let content = Memo::new(move |_| draft.with(Draft::content));
    let preview = move || content.with(|c| preview_document(c, i18n.lang()));
    view! {
        <div class="editor">
            <form class="card editor__form" novalidate=true on:submit=on_submit data-testid="question-form">
                <FormAlert error=form_error testid="question-form-error" />
                <label class="field">
                    <span class="field__label">{move || i18n.t(QuestionMsg::TypeLabel)}</span>
                    <select
                        class="input"
                        data-testid="question-type-select"
                        on:change=move |ev| {
                            if let Some(t) = QuestionType::parse(&event_target_value(&ev)) {
                                problems.set(Vec::new());
                                draft.update(|d| d.set_type(t));
                            }
                        }
                    >
                        {type_options}
                    </select>
                </label>
                <div class="field">
                    <span class="field__label">{stem_label}</span>
                    <RichEditor
                        value=Signal::derive(move || draft.with(|d| d.stem.clone()))
                        on_change=Callback::new(move |html: String| draft.update(|d| d.stem = html))
                        label=Signal::derive(move || stem_label().to_owned())
                        testid="question-stem-input"
                        bank=Some(bank.get_value())
                    />
                    <span class="field__hint">{stem_hint}</span>
                </div>
                <Problem field="content.stem" problems=problems />
                <Problem field="content.passage" problems=problems />
                {fields}
                {text_input("question-points", QuestionMsg::Points, |d| d.points.clone(), |d, v| d.points = v)}
                <Problem field="points" problems=problems />
                <DifficultyScale draft=draft />
                <Problem field="difficulty" problems=problems />
                {text_input("question-tags-input", QuestionMsg::TagsLabel, |d| d.tags.clone(), |d, v| d.tags = v)}
                <div class="field">
                    <span class="field__label">{move || i18n.t(QuestionMsg::ExplanationLabel)}</span>
                    <RichEditor
                        value=Signal::derive(move || draft.with(|d| d.explanation.clone()))
                        on_change=Callback::new(move |html: String| draft.update(|d| d.explanation = html))
                        label=Signal::derive(move || i18n.t(QuestionMsg::ExplanationLabel).to_owned())
                        testid="question-explanation"
                        bank=Some(bank.get_value())
                    />
                </div>
                <Problem field="explanation" problems=problems />
                <label class="field">
                    <span class="field__label">{move || i18n.t(QuestionMsg::CategoryLabel)}</span>
                    <select
                        class="input"
                        data-testid="question-category"
                        on:change=move |ev| {
                            let value = event_target_value(&ev);
                            draft.update(|d| d.category_id = value);
                        }
                    >
                        <option value="">{move || i18n.t(QuestionMsg::NoCategory)}</option>
                        {category_options}
                    </select>
                </label>
                <Problem field="category_id" problems=problems />
                <div class="editor__actions">
                    <button type="submit" class="button" data-testid="question-save" disabled=busy>
                        {move || i18n.t(QuestionMsg::SaveQuestion)}
                    </button>
                    // Beside the button the user just pressed, so the confirmation is seen (and
                    // announced) where the save happened.
                    <Show when=move || saved.get()>
                        <p class="notice editor__saved" role="status" data-testid="question-saved">
                            {move || i18n.t(ConsoleMsg::Saved)}
                        </p>
                    </Show>
                </div>
            </form>
            <aside class="card editor__preview">
                <h2>{move || i18n.t(QuestionMsg::PreviewTitle)}</h2>
                // Sandboxed without scripts: the draft has not been through the server's sanitiser.
                <iframe
                    class="preview-frame"
                    sandbox=""
                    title=move || i18n.t(QuestionMsg::PreviewTitle)
                    data-testid="question-preview"
                    srcdoc=preview
                ></iframe>
                <GraderNotes content=content />
            </aside>
        </div>
        {move || {
            question_id
                .get_value()
                .map(|id| view! { <Versions question_id=id current=version.unwrap_or(1) on_restored=on_restored /> })
        }}
        // After a save, re-grading the finished attempts that used the question is offered.
        {move || {
            let offer = saved.get() && may(auth, EXAMS_WRITE);
            question_id
                .get_value()
                .filter(|_| offer)
                .map(|id| view! { <RegradeOffer question_id=id /> })
        }}
    }
}

/// The versions of a question, newest first, each but the current one restorable.
#[component]
fn Versions(
    question_id: String,
    current: i32,
    on_restored: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let id = StoredValue::new(question_id);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None);
    let versions = LocalResource::new(move || {
        let api = QuestionsApi::new(i18n.lang_untracked());
        let id = id.get_value();
        async move { api.versions(&id).await }
    });
    let restore = move |version: i32| {
        let api = QuestionsApi::new(i18n.lang_untracked());
        busy.set(true);
        spawn_local(async move {
            let result = api.restore(&id.get_value(), version).await;
            busy.set(false);
            match result {
                Ok(_) => on_restored(),
                Err(err) => report_error(auth, err, error),
            }
        });
    };
    let rows = move |list: Vec<QuestionVersionDto>| {
        let mut list = list;
        list.sort_by_key(|v| std::cmp::Reverse(v.version));
        list.into_iter()
            .map(|v| {
                let number = v.version;
                let action = if number == current {
                    view! { <span data-testid="version-current">{move || i18n.t(QuestionMsg::Current)}</span> }.into_any()
                } else {
                    view! {
                        <button
                            type="button"
                            class="link-button"
                            data-testid="version-restore"
                            disabled=busy
                            on:click=move |_| restore(number)
                        >
                            {move || i18n.t(QuestionMsg::Restore)}
                        </button>
                    }
                    .into_any()
                };
                view! {
                    <tr data-testid="version-row" data-version=number>
                        <td>{number}</td>
                        <td>{format_time(&v.created_at)}</td>
                        <td>{shared::results::plain_text(v.content.stem()).chars().take(80).collect::<String>()}</td>
                        <td class="nowrap">{action}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <section class="card" data-testid="versions">
            <h2>{move || i18n.t(QuestionMsg::VersionsTitle)}</h2>
            <FormAlert error=error testid="versions-error" />
            <Transition fallback=move || view! { <p class="loading">{move || i18n.t(Msg::Loading)}</p> }>
                <ErrorBoundary fallback=|errors| view! { <ApiErrors errors=errors /> }>
                    {move || Suspend::new(async move {
                        let list = versions.await?;
                        Ok::<_, api::Error>(view! {
                            <table class="table">
                                <tbody>{rows(list)}</tbody>
                            </table>
                        })
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

/// A question's difficulty as a labelled scale from very easy (1) to very hard (5).
#[component]
fn DifficultyScale(draft: RwSignal<Draft>) -> impl IntoView {
    let i18n = use_i18n();
    let steps = (1..=5)
        .map(|level: i32| {
            let name = difficulty_msg(level).unwrap_or(DifficultyMsg::Medium);
            let value = level.to_string();
            let checked =
                Memo::new(move |_| draft.with(|d| d.difficulty.trim() == level.to_string()));
            view! {
                // The label is what is seen and clicked; the radio inside keeps keyboard use.
                <label
                    class="difficulty-scale__step"
                    data-testid=format!("question-difficulty-{level}")
                    data-selected=move || checked.get().to_string()
                >
                    <input
                        type="radio"
                        name="question-difficulty"
                        value=value
                        prop:checked=checked
                        on:change=move |_| draft.update(|d| d.difficulty = level.to_string())
                    />
                    <span class="difficulty-scale__level">{level}</span>
                    <span class="difficulty-scale__name">{move || i18n.t(name)}</span>
                </label>
            }
        })
        .collect_view();
    view! {
        <fieldset class="fieldset difficulty-scale" data-testid="question-difficulty-input">
            <legend>{move || i18n.t(QuestionMsg::Difficulty)}</legend>
            <div class="difficulty-scale__steps">{steps}</div>
        </fieldset>
    }
}
