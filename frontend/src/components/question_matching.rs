//! The fields of a matching question: the prompts, the answers (those no prompt chooses are
//! distractors) and, for each prompt, its answer; together they make the question's `pairs`.

use leptos::prelude::*;
use shared::questions::Choice;

use crate::api::FieldError;
use crate::components::question_draft::Draft;
use crate::components::question_fields::{Problem, Slot, draft_bank};
use crate::components::rich_editor::RichEditor;
use crate::i18n::{QuestionMsg, use_i18n};

/// Which list of a matching question a row belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Prompts,
    Answers,
}

impl Side {
    fn list(self, d: &Draft) -> &Vec<Choice> {
        match self {
            Side::Prompts => &d.prompts,
            Side::Answers => &d.match_answers,
        }
    }

    fn list_mut(self, d: &mut Draft) -> &mut Vec<Choice> {
        match self {
            Side::Prompts => &mut d.prompts,
            Side::Answers => &mut d.match_answers,
        }
    }

    /// The API name of the list and the prefix of its `data-testid`s.
    fn names(self) -> (&'static str, &'static str) {
        match self {
            Side::Prompts => ("prompts", "prompt"),
            Side::Answers => ("answers", "match-answer"),
        }
    }
}

/// The prompts with each one's answer, and the answers (distractors included).
#[component]
pub fn MatchingFields(
    /// The draft these fields edit (the question or one of its parts).
    at: Slot,
    problems: RwSignal<Vec<FieldError>>,
) -> impl IntoView {
    let slot = at;
    let i18n = use_i18n();
    let prompt_count = Memo::new(move |_| slot.with(|d| d.prompts.len()));
    let answer_count = Memo::new(move |_| slot.with(|d| d.match_answers.len()));
    let answers = Memo::new(move |_| slot.with(|d| d.match_answers.clone()));
    let text_row = move |side: Side, i: usize| {
        let (api, testid) = side.names();
        let id = move || {
            slot.with(|d| {
                side.list(d)
                    .get(i)
                    .map(|c| c.id.clone())
                    .unwrap_or_default()
            })
        };
        let text = move || {
            slot.with(|d| {
                side.list(d)
                    .get(i)
                    .map(|c| c.text.clone())
                    .unwrap_or_default()
            })
        };
        let label = match side {
            Side::Prompts => QuestionMsg::PromptLabel,
            Side::Answers => QuestionMsg::MatchAnswerLabel,
        };
        let chooser = (side == Side::Prompts).then(|| {
            let options = move || {
                answers
                    .get()
                    .into_iter()
                    .map(|a| {
                        let chosen = a.id.clone();
                        let selected = move || slot.with(|d| d.pairs.get(i) == Some(&chosen));
                        view! {
                            <option value=a.id.clone() prop:selected=selected>
                                {format!("{}. {}", a.id, a.text)}
                            </option>
                        }
                    })
                    .collect_view()
            };
            view! {
                <select
                    class="input"
                    data-testid=slot.testid(&format!("prompt-answer-{i}"))
                    aria-label=move || i18n.t(QuestionMsg::PairLabel)
                    on:change=move |ev| {
                        let value = event_target_value(&ev);
                        slot.update(|d| d.set_pair(i, value));
                    }
                >
                    <option value="" prop:selected=move || slot.with(|d| d.pairs.get(i).is_none_or(String::is_empty))>
                        {move || i18n.t(QuestionMsg::ChoosePair)}
                    </option>
                    {options}
                </select>
            }
        });
        view! {
            <li class="option-row" data-testid=slot.testid(&format!("{testid}-row")) data-index=i>
                <span class="option-row__id" data-testid=slot.testid(&format!("{testid}-id"))>{id}</span>
                <div class="option-row__text">
                    <RichEditor
                        value=Signal::derive(text)
                        on_change=Callback::new(move |html: String| slot.update(|d| {
                            if let Some(c) = side.list_mut(d).get_mut(i) {
                                c.text = html;
                            }
                        }))
                        label=Signal::derive(move || i18n.t(label).to_owned())
                        testid=slot.testid(&format!("{testid}-text-{i}"))
                        bank=draft_bank()
                        compact=true
                    />
                </div>
                {chooser}
                <button
                    type="button"
                    class="link-button link-button--danger"
                    data-testid=slot.testid(&format!("{testid}-remove-{i}"))
                    on:click=move |_| slot.update(|d| match side {
                        Side::Prompts => d.remove_prompt(i),
                        Side::Answers => d.remove_match_answer(i),
                    })
                >
                    {move || i18n.t(QuestionMsg::RemoveOption)}
                </button>
                <Problem field=slot.path(&format!("{api}[{i}].text")) problems=problems />
                <Problem field=slot.path(&format!("{api}[{i}].id")) problems=problems />
            </li>
        }
    };
    view! {
        <fieldset class="fieldset" data-testid=slot.testid("matching-prompts")>
            <legend>{move || i18n.t(QuestionMsg::PromptsLabel)}</legend>
            <ol class="option-list">
                {move || (0..prompt_count.get()).map(|i| text_row(Side::Prompts, i)).collect_view()}
            </ol>
            <button
                type="button"
                class="button button--secondary"
                data-testid=slot.testid("prompt-add")
                on:click=move |_| slot.update(Draft::add_prompt)
            >
                {move || i18n.t(QuestionMsg::AddPrompt)}
            </button>
            <Problem field=slot.path("prompts") problems=problems />
            <Problem field=slot.path("pairs") problems=problems />
        </fieldset>
        <fieldset class="fieldset" data-testid=slot.testid("matching-answers")>
            <legend>{move || i18n.t(QuestionMsg::MatchAnswersLabel)}</legend>
            <p class="field__hint">{move || i18n.t(QuestionMsg::DistractorHint)}</p>
            <ol class="option-list">
                {move || (0..answer_count.get()).map(|i| text_row(Side::Answers, i)).collect_view()}
            </ol>
            <button
                type="button"
                class="button button--secondary"
                data-testid=slot.testid("match-answer-add")
                on:click=move |_| slot.update(Draft::add_match_answer)
            >
                {move || i18n.t(QuestionMsg::AddMatchAnswer)}
            </button>
            <Problem field=slot.path("answers") problems=problems />
        </fieldset>
    }
}
