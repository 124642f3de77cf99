//! The question editor's type-specific fields (options and the correct ones, true/false,
//! blanks with their matching rules, an essay's reference answer and rubric) and the problem
//! shown beside a field. Every set of fields edits a [`Slot`]: the question's own draft or one
//! part of a composite question, so a part reuses exactly the fields of its type.

use leptos::prelude::*;
use shared::questions::QuestionType;

use crate::api::FieldError;
use crate::components::question_composite::CompositeFields;
use crate::components::question_draft::{BlankDraft, Draft, RubricDraft};
use crate::components::question_matching::MatchingFields;
use crate::components::rich_editor::RichEditor;
use crate::i18n::{QuestionMsg, problem_text, use_i18n};

/// The draft a set of fields edits: the question's own, or that of one part of a composite
/// question. It knows the API path of its content, so problems land beside the right field,
/// and the prefix of its `data-testid`s (`part-<i>-` for a part, nothing for the question).
#[derive(Debug, Clone, Copy)]
pub struct Slot {
    root: RwSignal<Draft>,
    part: Option<usize>,
}

impl Slot {
    /// The question's own draft.
    pub fn question(root: RwSignal<Draft>) -> Self {
        Slot { root, part: None }
    }

    /// The draft of the composite question's part at `index`.
    pub fn part(root: RwSignal<Draft>, index: usize) -> Self {
        Slot {
            root,
            part: Some(index),
        }
    }

    pub fn is_part(&self) -> bool {
        self.part.is_some()
    }

    /// Reads the draft (tracked); a part that no longer exists reads as an empty draft.
    pub fn with<R>(&self, f: impl FnOnce(&Draft) -> R) -> R {
        let part = self.part;
        self.root.with(|d| match part {
            None => f(d),
            Some(i) => match d.parts.get(i) {
                Some(p) => f(&p.draft),
                None => f(&Draft::default()),
            },
        })
    }

    /// Changes the draft (nothing when the part no longer exists).
    pub fn update(&self, f: impl FnOnce(&mut Draft)) {
        let part = self.part;
        self.root.update(|d| match part {
            None => f(d),
            Some(i) => {
                if let Some(p) = d.parts.get_mut(i) {
                    f(&mut p.draft);
                }
            }
        });
    }

    /// The API path of a field of this draft's content (`content.options[1].text`,
    /// `content.parts[0].content.options[1].text`).
    pub fn path(&self, field: &str) -> String {
        match self.part {
            None => format!("content.{field}"),
            Some(i) => format!("content.parts[{i}].content.{field}"),
        }
    }

    /// A `data-testid` of this draft's fields (`option-text-1`, `part-0-option-text-1`).
    pub fn testid(&self, name: &str) -> String {
        match self.part {
            None => name.to_owned(),
            Some(i) => format!("part-{i}-{name}"),
        }
    }
}

/// The bank of the question being edited, provided by the editor: media uploaded in any of its
/// rich-text fields go to this bank's attachments.
#[derive(Debug, Clone)]
pub struct DraftBank(pub String);

/// The bank media of the edited question are uploaded to, if the editor provided one.
pub fn draft_bank() -> Option<String> {
    use_context::<DraftBank>().map(|b| b.0)
}

/// The fields of one question type. A part of a composite question is never composite.
pub fn type_fields(
    slot: Slot,
    problems: RwSignal<Vec<FieldError>>,
    question_type: QuestionType,
) -> AnyView {
    match question_type {
        QuestionType::SingleChoice | QuestionType::MultipleChoice | QuestionType::Ordering => {
            view! { <OptionFields at=slot problems=problems /> }.into_any()
        }
        QuestionType::TrueFalse => view! { <TruthField at=slot /> }.into_any(),
        QuestionType::FillBlank => view! { <BlankFields at=slot problems=problems /> }.into_any(),
        QuestionType::Essay => view! { <EssayFields at=slot problems=problems /> }.into_any(),
        QuestionType::Matching => view! { <MatchingFields at=slot problems=problems /> }.into_any(),
        QuestionType::Composite if !slot.is_part() => {
            view! { <CompositeFields draft=slot.root problems=problems /> }.into_any()
        }
        QuestionType::Composite => ().into_any(),
    }
}

/// The problem of one field (by its API path), if any; `data-testid="field-error-<path>"`.
#[component]
pub fn Problem(
    #[prop(into)] field: Signal<String>,
    problems: RwSignal<Vec<FieldError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let field = field.get();
        problems.with(|all| {
            all.iter().find(|p| p.field == field).map(|p| {
                let reason = p.reason.clone();
                let shown = reason.clone();
                let testid = format!("field-error-{field}");
                view! {
                    <p class="field__error" role="alert" data-testid=testid data-reason=reason>
                        {move || problem_text(&shown, i18n.lang())}
                    </p>
                }
            })
        })
    }
}

/// Options (or ordering items) with their texts and, for choices, which are correct.
#[component]
pub fn OptionFields(
    /// The draft these fields edit (the question or one of its parts).
    at: Slot,
    problems: RwSignal<Vec<FieldError>>,
) -> impl IntoView {
    let slot = at;
    let i18n = use_i18n();
    let count = Memo::new(move |_| slot.with(|d| d.options.len()));
    let question_type = Memo::new(move |_| slot.with(|d| d.question_type));
    let is_choice = move || question_type.get() != QuestionType::Ordering;
    let row = move |i: usize| {
        let id = move || slot.with(|d| d.options.get(i).map(|o| o.id.clone()).unwrap_or_default());
        let text =
            move || slot.with(|d| d.options.get(i).map(|o| o.text.clone()).unwrap_or_default());
        let correct =
            move || slot.with(|d| d.options.get(i).is_some_and(|o| d.correct.contains(&o.id)));
        let input_type = move || {
            if question_type.get() == QuestionType::SingleChoice {
                "radio"
            } else {
                "checkbox"
            }
        };
        view! {
            <li class="option-row" data-testid=slot.testid("option-row") data-index=i>
                <span class="option-row__id" data-testid=slot.testid("option-id")>{id}</span>
                <Show when=is_choice>
                    <label class="check">
                        <input
                            type=input_type
                            name=slot.testid("correct-option")
                            data-testid=slot.testid(&format!("option-correct-{i}"))
                            prop:checked=correct
                            on:change=move |_| {
                                let id = id();
                                slot.update(|d| d.toggle_correct(&id));
                            }
                        />
                        {move || i18n.t(QuestionMsg::CorrectLabel)}
                    </label>
                </Show>
                <div class="option-row__text">
                    <RichEditor
                        value=Signal::derive(text)
                        on_change=Callback::new(move |html: String| slot.update(|d| {
                            if let Some(o) = d.options.get_mut(i) {
                                o.text = html;
                            }
                        }))
                        label=Signal::derive(move || i18n.t(QuestionMsg::OptionLabel).to_owned())
                        testid=slot.testid(&format!("option-text-{i}"))
                        bank=draft_bank()
                        compact=true
                    />
                </div>
                <button
                    type="button"
                    class="link-button link-button--danger"
                    data-testid=slot.testid(&format!("option-remove-{i}"))
                    on:click=move |_| slot.update(|d| d.remove_option(i))
                >
                    {move || i18n.t(QuestionMsg::RemoveOption)}
                </button>
                <Problem field=slot.path(&format!("options[{i}].text")) problems=problems />
                <Problem field=slot.path(&format!("items[{i}].text")) problems=problems />
            </li>
        }
    };
    let label = move || {
        if is_choice() {
            i18n.t(QuestionMsg::OptionsLabel)
        } else {
            i18n.t(QuestionMsg::ItemsLabel)
        }
    };
    view! {
        <fieldset class="fieldset" data-testid=slot.testid("options")>
            <legend>{label}</legend>
            <ol class="option-list">{move || (0..count.get()).map(row).collect_view()}</ol>
            <button
                type="button"
                class="button button--secondary"
                data-testid=slot.testid("option-add")
                on:click=move |_| slot.update(Draft::add_option)
            >
                {move || i18n.t(QuestionMsg::AddOption)}
            </button>
            <Problem field=slot.path("options") problems=problems />
            <Problem field=slot.path("items") problems=problems />
            <Problem field=slot.path("answer") problems=problems />
            <Problem field=slot.path("answers") problems=problems />
        </fieldset>
    }
}

/// The answer of a true/false question.
#[component]
pub fn TruthField(
    /// The draft these fields edit (the question or one of its parts).
    at: Slot,
) -> impl IntoView {
    let slot = at;
    let i18n = use_i18n();
    let choice = move |value: bool, msg: QuestionMsg, testid: &'static str| {
        view! {
            <label class="check">
                <input
                    type="radio"
                    name=slot.testid("truth")
                    data-testid=slot.testid(testid)
                    prop:checked=move || slot.with(|d| d.truth == value)
                    on:change=move |_| slot.update(|d| d.truth = value)
                />
                {move || i18n.t(msg)}
            </label>
        }
    };
    view! {
        <fieldset class="fieldset" data-testid=slot.testid("truth")>
            <legend>{move || i18n.t(QuestionMsg::CorrectLabel)}</legend>
            {choice(true, QuestionMsg::TrueLabel, "truth-true")}
            {choice(false, QuestionMsg::FalseLabel, "truth-false")}
        </fieldset>
    }
}

/// The blanks of a fill-in-blank question, each with its accepted answers, matching rules and
/// a box to try an answer against them (the same matching grading uses).
#[component]
pub fn BlankFields(
    /// The draft these fields edit (the question or one of its parts).
    at: Slot,
    problems: RwSignal<Vec<FieldError>>,
) -> impl IntoView {
    let slot = at;
    let i18n = use_i18n();
    let count = Memo::new(move |_| slot.with(|d| d.blanks.len()));
    let row = move |i: usize| {
        let get = move |f: fn(&BlankDraft) -> String| {
            move || slot.with(|d| d.blanks.get(i).map(f).unwrap_or_default())
        };
        let flag = move |testid: String,
                         msg: QuestionMsg,
                         read: fn(&BlankDraft) -> bool,
                         write: fn(&mut BlankDraft, bool)| {
            view! {
                <label class="check">
                    <input
                        type="checkbox"
                        data-testid=testid
                        prop:checked=move || slot.with(|d| d.blanks.get(i).is_some_and(read))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            slot.update(|d| {
                                if let Some(b) = d.blanks.get_mut(i) {
                                    write(b, on);
                                }
                            });
                        }
                    />
                    {move || i18n.t(msg)}
                </label>
            }
        };
        let attempt = RwSignal::new(String::new());
        let verdict = move || {
            let given = attempt.get();
            (!given.trim().is_empty()).then(|| {
                let ok = slot.with(|d| {
                    d.blanks
                        .get(i)
                        .is_some_and(|b| b.to_blank().matches(&given))
                });
                let msg = if ok {
                    QuestionMsg::TryMatches
                } else {
                    QuestionMsg::TryNoMatch
                };
                view! {
                    <span data-testid=slot.testid(&format!("blank-try-result-{i}")) data-matches=ok.to_string()>
                        {move || i18n.t(msg)}
                    </span>
                }
            })
        };
        view! {
            <li class="blank-row card" data-testid=slot.testid("blank-row") data-index=i>
                <p class="field__label">{move || i18n.t(QuestionMsg::BlankLabel)} " " {i + 1}</p>
                <label class="field">
                    <span class="field__label">{move || i18n.t(QuestionMsg::BlankAnswersLabel)}</span>
                    <input
                        class="input"
                        data-testid=slot.testid(&format!("blank-answers-{i}"))
                        prop:value=get(|b| b.answers.clone())
                        on:input=move |ev| {
                            let value = event_target_value(&ev);
                            slot.update(|d| {
                                if let Some(b) = d.blanks.get_mut(i) {
                                    b.answers = value;
                                }
                            });
                        }
                    />
                </label>
                <Problem field=slot.path(&format!("blanks[{i}].answers")) problems=problems />
                {flag(slot.testid(&format!("blank-case-{i}")), QuestionMsg::CaseSensitive, |b| b.case_sensitive, |b, on| b.case_sensitive = on)}
                {flag(slot.testid(&format!("blank-spaces-{i}")), QuestionMsg::ExactSpaces, |b| b.exact_spaces, |b, on| b.exact_spaces = on)}
                {flag(slot.testid(&format!("blank-width-{i}")), QuestionMsg::WidthSensitive, |b| b.width_sensitive, |b, on| b.width_sensitive = on)}
                <label class="field">
                    <span class="field__label">{move || i18n.t(QuestionMsg::NumericTolerance)}</span>
                    <input
                        class="input"
                        inputmode="decimal"
                        data-testid=slot.testid(&format!("blank-tolerance-{i}"))
                        prop:value=get(|b| b.tolerance.clone())
                        on:input=move |ev| {
                            let value = event_target_value(&ev);
                            slot.update(|d| {
                                if let Some(b) = d.blanks.get_mut(i) {
                                    b.tolerance = value;
                                }
                            });
                        }
                    />
                </label>
                <Problem field=slot.path(&format!("blanks[{i}].numeric_tolerance")) problems=problems />
                <label class="field">
                    <span class="field__label">{move || i18n.t(QuestionMsg::TryAnswer)}</span>
                    <input class="input" data-testid=slot.testid(&format!("blank-try-{i}")) bind:value=attempt />
                </label>
                {verdict}
                <button
                    type="button"
                    class="link-button link-button--danger"
                    data-testid=slot.testid(&format!("blank-remove-{i}"))
                    on:click=move |_| slot.update(|d| {
                        if i < d.blanks.len() {
                            d.blanks.remove(i);
                        }
                    })
                >
                    {move || i18n.t(QuestionMsg::RemoveBlank)}
                </button>
            </li>
        }
    };
    view! {
        <fieldset class="fieldset" data-testid=slot.testid("blanks")>
            <legend>{move || i18n.t(QuestionMsg::BlanksLabel)}</legend>
            <ol class="blank-list">{move || (0..count.get()).map(row).collect_view()}</ol>
            <button
                type="button"
                class="button button--secondary"
                data-testid=slot.testid("blank-add")
                on:click=move |_| slot.update(|d| d.blanks.push(Default::default()))
            >
                {move || i18n.t(QuestionMsg::AddBlank)}
            </button>
            <Problem field=slot.path("blanks") problems=problems />
        </fieldset>
    }
}

/// An essay's reference answer and its rubric: criteria with points, for graders only.
#[component]
pub fn EssayFields(
    /// The draft these fields edit (the question or one of its parts).
    at: Slot,
    problems: RwSignal<Vec<FieldError>>,
) -> impl IntoView {
    let slot = at;
    let i18n = use_i18n();
    let count = Memo::new(move |_| slot.with(|d| d.rubric.len()));
    let edit = move |i: usize, write: fn(&mut RubricDraft, String)| {
        move |ev| {
            let value = event_target_value(&ev);
            slot.update(|d| {
                if let Some(r) = d.rubric.get_mut(i) {
                    write(r, value);
                }
            });
        }
    };
    let row = move |i: usize| {
        let read = move |f: fn(&RubricDraft) -> String| {
            move || slot.with(|d| d.rubric.get(i).map(f).unwrap_or_default())
        };
        view! {
            <li class="option-row" data-testid=slot.testid("rubric-row") data-index=i>
                <input
                    class="input"
                    data-testid=slot.testid(&format!("rubric-criterion-{i}"))
                    aria-label=move || i18n.t(QuestionMsg::RubricCriterion)
                    placeholder=move || i18n.t(QuestionMsg::RubricCriterion)
                    prop:value=read(|r| r.criterion.clone())
                    on:input=edit(i, |r, v| r.criterion = v)
                />
                <input
                    class="input input--narrow"
                    inputmode="decimal"
                    data-testid=slot.testid(&format!("rubric-points-{i}"))
                    aria-label=move || i18n.t(QuestionMsg::Points)
                    placeholder=move || i18n.t(QuestionMsg::Points)
                    prop:value=read(|r| r.points.clone())
                    on:input=edit(i, |r, v| r.points = v)
                />
                <button
                    type="button"
                    class="link-button link-button--danger"
                    data-testid=slot.testid(&format!("rubric-remove-{i}"))
                    on:click=move |_| slot.update(|d| {
                        if i < d.rubric.len() {
                            d.rubric.remove(i);
                        }
                    })
                >
                    {move || i18n.t(QuestionMsg::RemoveCriterion)}
                </button>
                <Problem field=slot.path(&format!("rubric[{i}].criterion")) problems=problems />
                <Problem field=slot.path(&format!("rubric[{i}].points")) problems=problems />
            </li>
        }
    };
    let total = move || {
        slot.with(|d| {
            d.rubric
                .iter()
                .filter_map(|r| r.points.trim().parse::<f64>().ok())
                .sum::<f64>()
        })
    };
    view! {
        <label class="field">
            <span class="field__label">{move || i18n.t(QuestionMsg::ReferenceAnswer)}</span>
            <textarea
                class="input"
                rows="4"
                data-testid=slot.testid("essay-reference")
                prop:value=move || slot.with(|d| d.reference_answer.clone())
                on:input=move |ev| {
                    let value = event_target_value(&ev);
                    slot.update(|d| d.reference_answer = value);
                }
            ></textarea>
        </label>
        <fieldset class="fieldset" data-testid=slot.testid("rubric")>
            <legend>{move || i18n.t(QuestionMsg::RubricLabel)}</legend>
            <p class="field__hint">{move || i18n.t(QuestionMsg::RubricHint)}</p>
            <ol class="option-list">{move || (0..count.get()).map(row).collect_view()}</ol>
            <p data-testid=slot.testid("rubric-total")>
                {move || i18n.t(QuestionMsg::RubricTotal)} ": " {total}
            </p>
            <button
                type="button"
                class="button button--secondary"
                data-testid=slot.testid("rubric-add")
                on:click=move |_| slot.update(|d| d.rubric.push(RubricDraft::default()))
            >
                {move || i18n.t(QuestionMsg::AddCriterion)}
            </button>
        </fieldset>
    }
}
