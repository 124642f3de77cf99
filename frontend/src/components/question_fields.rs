//! The question editor's type-specific fields (options and the correct ones, true/false,
//! blanks with their matching rules, an essay's reference answer), the problem shown beside a
//! field, and the live preview of the question as a candidate will see it.

use leptos::prelude::*;
use shared::questions::{QuestionContent, QuestionType, blank_markers};

use crate::api::FieldError;
use crate::components::question_draft::Draft;
use crate::i18n::{QuestionMsg, problem_text, use_i18n};

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
pub fn OptionFields(draft: RwSignal<Draft>, problems: RwSignal<Vec<FieldError>>) -> impl IntoView {
    let i18n = use_i18n();
    let count = Memo::new(move |_| draft.with(|d| d.options.len()));
    let question_type = Memo::new(move |_| draft.with(|d| d.question_type));
    let is_choice = move || question_type.get() != QuestionType::Ordering;
    let row = move |i: usize| {
        let id = move || draft.with(|d| d.options.get(i).map(|o| o.id.clone()).unwrap_or_default());
        let text =
            move || draft.with(|d| d.options.get(i).map(|o| o.text.clone()).unwrap_or_default());
        let correct =
            move || draft.with(|d| d.options.get(i).is_some_and(|o| d.correct.contains(&o.id)));
        let input_type = move || {
            if question_type.get() == QuestionType::SingleChoice {
                "radio"
            } else {
                "checkbox"
            }
        };
        view! {
            <li class="option-row" data-testid="option-row" data-index=i>
                <span class="option-row__id" data-testid="option-id">{id}</span>
                <Show when=is_choice>
                    <label class="check">
                        <input
                            type=input_type
                            name="correct-option"
                            data-testid=format!("option-correct-{i}")
                            prop:checked=correct
                            on:change=move |_| {
                                let id = id();
                                draft.update(|d| d.toggle_correct(&id));
                            }
                        />
                        {move || i18n.t(QuestionMsg::CorrectLabel)}
                    </label>
                </Show>
                <input
                    class="input"
                    data-testid=format!("option-text-{i}")
                    aria-label=move || i18n.t(QuestionMsg::OptionLabel)
                    prop:value=text
                    on:input=move |ev| {
                        let value = event_target_value(&ev);
                        draft.update(|d| {
                            if let Some(o) = d.options.get_mut(i) {
                                o.text = value;
                            }
                        });
                    }
                />
                <button
                    type="button"
                    class="link-button link-button--danger"
                    data-testid=format!("option-remove-{i}")
                    on:click=move |_| draft.update(|d| d.remove_option(i))
                >
                    {move || i18n.t(QuestionMsg::RemoveOption)}
                </button>
                <Problem field=format!("content.options[{i}].text") problems=problems />
                <Problem field=format!("content.items[{i}].text") problems=problems />
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
        <fieldset class="fieldset" data-testid="options">
            <legend>{label}</legend>
            <ol class="option-list">{move || (0..count.get()).map(row).collect_view()}</ol>
            <button
                type="button"
                class="button button--secondary"
                data-testid="option-add"
                on:click=move |_| draft.update(Draft::add_option)
            >
                {move || i18n.t(QuestionMsg::AddOption)}
            </button>
            <Problem field="content.options" problems=problems />
            <Problem field="content.items" problems=problems />
            <Problem field="content.answer" problems=problems />
            <Problem field="content.answers" problems=problems />
        </fieldset>
    }
}

/// The answer of a true/false question.
#[component]
pub fn TruthField(draft: RwSignal<Draft>) -> impl IntoView {
    let i18n = use_i18n();
    let choice = move |value: bool, msg: QuestionMsg, testid: &'static str| {
        view! {
            <label class="check">
                <input
                    type="radio"
                    name="truth"
                    data-testid=testid
                    prop:checked=move || draft.with(|d| d.truth == value)
                    on:change=move |_| draft.update(|d| d.truth = value)
                />
                {move || i18n.t(msg)}
            </label>
        }
    };
    view! {
        <fieldset class="fieldset" data-testid="truth">
            <legend>{move || i18n.t(QuestionMsg::CorrectLabel)}</legend>
            {choice(true, QuestionMsg::TrueLabel, "truth-true")}
            {choice(false, QuestionMsg::FalseLabel, "truth-false")}
        </fieldset>
    }
}

/// The blanks of a fill-in-blank question, each with its accepted answers, matching rules and
/// a box to try an answer against them (the same matching grading uses).
#[component]
pub fn BlankFields(draft: RwSignal<Draft>, problems: RwSignal<Vec<FieldError>>) -> impl IntoView {
    let i18n = use_i18n();
    let count = Memo::new(move |_| draft.with(|d| d.blanks.len()));
    let row = move |i: usize| {
        let get = move |f: fn(&crate::components::question_draft::BlankDraft) -> String| {
            move || draft.with(|d| d.blanks.get(i).map(f).unwrap_or_default())
        };
        let flag =
            move |testid: String,
                  msg: QuestionMsg,
                  read: fn(&crate::components::question_draft::BlankDraft) -> bool,
                  write: fn(&mut crate::components::question_draft::BlankDraft, bool)| {
                view! {
                    <label class="check">
                        <input
                            type="checkbox"
                            data-testid=testid
                            prop:checked=move || draft.with(|d| d.blanks.get(i).is_some_and(read))
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                draft.update(|d| {
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
                let ok = draft.with(|d| {
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
                    <span data-testid=format!("blank-try-result-{i}") data-matches=ok.to_string()>
                        {move || i18n.t(msg)}
                    </span>
                }
            })
        };
        view! {
            <li class="blank-row card" data-testid="blank-row" data-index=i>
                <p class="field__label">{move || i18n.t(QuestionMsg::BlankLabel)} " " {i + 1}</p>
                <label class="field">
                    <span class="field__label">{move || i18n.t(QuestionMsg::BlankAnswersLabel)}</span>
                    <input
                        class="input"
                        data-testid=format!("blank-answers-{i}")
                        prop:value=get(|b| b.answers.clone())
                        on:input=move |ev| {
                            let value = event_target_value(&ev);
                            draft.update(|d| {
                                if let Some(b) = d.blanks.get_mut(i) {
                                    b.answers = value;
                                }
                            });
                        }
                    />
                </label>
                <Problem field=format!("content.blanks[{i}].answers") problems=problems />
                {flag(format!("blank-case-{i}"), QuestionMsg::CaseSensitive, |b| b.case_sensitive, |b, on| b.case_sensitive = on)}
                {flag(format!("blank-spaces-{i}"), QuestionMsg::ExactSpaces, |b| b.exact_spaces, |b, on| b.exact_spaces = on)}
                {flag(format!("blank-width-{i}"), QuestionMsg::WidthSensitive, |b| b.width_sensitive, |b, on| b.width_sensitive = on)}
                <label class="field">
                    <span class="field__label">{move || i18n.t(QuestionMsg::NumericTolerance)}</span>
                    <input
                        class="input"
                        inputmode="decimal"
                        data-testid=format!("blank-tolerance-{i}")
                        prop:value=get(|b| b.tolerance.clone())
                        on:input=move |ev| {
                            let value = event_target_value(&ev);
                            draft.update(|d| {
                                if let Some(b) = d.blanks.get_mut(i) {
                                    b.tolerance = value;
                                }
                            });
                        }
                    />
                </label>
                <Problem field=format!("content.blanks[{i}].numeric_tolerance") problems=problems />
                <label class="field">
                    <span class="field__label">{move || i18n.t(QuestionMsg::TryAnswer)}</span>
                    <input class="input" data-testid=format!("blank-try-{i}") bind:value=attempt />
                </label>
                {verdict}
                <button
                    type="button"
                    class="link-button link-button--danger"
                    data-testid=format!("blank-remove-{i}")
                    on:click=move |_| draft.update(|d| {
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
        <fieldset class="fieldset" data-testid="blanks">
            <legend>{move || i18n.t(QuestionMsg::BlanksLabel)}</legend>
            <ol class="blank-list">{move || (0..count.get()).map(row).collect_view()}</ol>
            <button
                type="button"
                class="button button--secondary"
                data-testid="blank-add"
                on:click=move |_| draft.update(|d| d.blanks.push(Default::default()))
            >
                {move || i18n.t(QuestionMsg::AddBlank)}
            </button>
            <Problem field="content.blanks" problems=problems />
        </fieldset>
    }
}

/// The question as a candidate sees it, as an HTML document for a sandboxed frame: the draft's
/// stem is not yet sanitised by the server, so it is never put into this page itself.
pub fn preview_document(content: &QuestionContent) -> String {
    let mut body = String::new();
    let stem = content.stem();
    let stem = if let QuestionContent::FillBlank { .. } = content {
        let mut stem = stem.to_owned();
        for n in blank_markers(content.stem()) {
            stem = stem.replacen(
                &format!("{{{{{n}}}}}"),
                &format!("<input size=\"8\" disabled aria-label=\"{n}\">"),
                1,
            );
        }
        stem
    } else {
        stem.to_owned()
    };
    body.push_str(&format!("<div class=\"stem\">{stem}</div>"));
    let list = |body: &mut String, kind: &str, options: &[shared::questions::Choice]| {
        body.push_str("<ul>");
        for o in options {
            body.push_str(&format!(
                "<li><label><input type=\"{kind}\" disabled> {}. {}</label></li>",
                escape(&o.id),
                o.text
            ));
        }
        body.push_str("</ul>");
    };
    match content {
        QuestionContent::SingleChoice { options, .. } => list(&mut body, "radio", options),
        QuestionContent::MultipleChoice { options, .. } => list(&mut body, "checkbox", options),
        QuestionContent::Ordering { items, .. } => list(&mut body, "checkbox", items),
        QuestionContent::TrueFalse { .. } => {
            body.push_str("<p><label><input type=\"radio\" disabled> ✓</label> <label><input type=\"radio\" disabled> ✗</label></p>");
        }
        QuestionContent::Essay { .. } => body.push_str("<textarea rows=\"4\" disabled></textarea>"),
        _ => {}
    }
    format!(
        "<!doctype html><meta charset=\"utf-8\"><style>body{{font-family:sans-serif;margin:8px}}ul{{list-style:none;padding:0}}</style>{body}"
    )
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use shared::questions::{Blank, Choice, QuestionContent};

    use super::preview_document;

    #[test]
    fn the_preview_shows_options_and_turns_markers_into_boxes() {
        let choice = QuestionContent::SingleChoice {
            stem: "<p>Pick</p>".to_owned(),
            options: vec![Choice {
                id: "A".to_owned(),
                text: "one".to_owned(),
            }],
            answer: "A".to_owned(),
        };
        let html = preview_document(&choice);
        assert!(
            html.contains("<p>Pick</p>") && html.contains("A. one"),
            "{html}"
        );
        let blank = QuestionContent::FillBlank {
            stem: "x {{1}} y".to_owned(),
            blanks: vec![Blank {
                answers: vec!["a".to_owned()],
                case_sensitive: false,
                exact_spaces: false,
                width_sensitive: false,
                numeric_tolerance: None,
            }],
        };
        let html = preview_document(&blank);
        assert!(
            !html.contains("{{1}}") && html.contains("<input size"),
            "{html}"
        );
    }
}
