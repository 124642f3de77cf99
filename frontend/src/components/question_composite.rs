//! The parts of a composite question (the passage is the question's stem field): each part has
//! its own type (never composite), stem and points, and is edited with the very fields of its
//! type; parts are added, removed and moved up or down.

use leptos::prelude::*;
use shared::questions::QuestionType;

use crate::api::FieldError;
use crate::components::question_draft::{Draft, PartDraft};
use crate::components::question_fields::{Problem, Slot, draft_bank, type_fields};
use crate::components::rich_editor::RichEditor;
use crate::i18n::{QuestionMsg, type_msg, use_i18n};

/// The parts of a composite question, in order, with their total points.
#[component]
pub fn CompositeFields(
    draft: RwSignal<Draft>,
    problems: RwSignal<Vec<FieldError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    // The rows are rebuilt when parts come, go or change type; moving parts of the same types
    // only changes what the rows read.
    let types = Memo::new(move |_| {
        draft.with(|d| {
            d.parts
                .iter()
                .map(|p| p.draft.question_type)
                .collect::<Vec<_>>()
        })
    });
    let rows = move || {
        let types = types.get();
        let count = types.len();
        types
            .into_iter()
            .enumerate()
            .map(|(i, t)| view! { <PartRow draft=draft problems=problems index=i count=count question_type=t /> })
            .collect_view()
    };
    let total = move || {
        draft.with(|d| {
            d.parts
                .iter()
                .filter_map(|p| p.points.trim().parse::<f64>().ok())
                .sum::<f64>()
        })
    };
    view! {
        <fieldset class="fieldset" data-testid="parts">
            <legend>{move || i18n.t(QuestionMsg::PartsLabel)}</legend>
            <ol class="part-list">{rows}</ol>
            <p data-testid="parts-total">{move || i18n.t(QuestionMsg::PartsTotal)} ": " {total}</p>
            <button
                type="button"
                class="button button--secondary"
                data-testid="part-add"
                on:click=move |_| draft.update(|d| d.parts.push(PartDraft::default()))
            >
                {move || i18n.t(QuestionMsg::AddPart)}
            </button>
            <Problem field="content.parts" problems=problems />
        </fieldset>
    }
}

/// One part: its type, stem, type-specific fields and points.
#[component]
fn PartRow(
    draft: RwSignal<Draft>,
    problems: RwSignal<Vec<FieldError>>,
    index: usize,
    count: usize,
    question_type: QuestionType,
) -> impl IntoView {
    let i18n = use_i18n();
    let i = index;
    let slot = Slot::part(draft, i);
    let (first, last) = (i == 0, i + 1 >= count);
    let type_options = QuestionType::ALL
        .iter()
        .filter(|t| **t != QuestionType::Composite)
        .map(|t| {
            let t = *t;
            view! {
                <option value=t.as_str() selected=t == question_type>
                    {move || i18n.t(type_msg(t))}
                </option>
            }
        })
        .collect_view();
    let stem_hint = move || {
        if question_type == QuestionType::FillBlank {
            i18n.t(QuestionMsg::FillStemHint)
        } else {
            i18n.t(QuestionMsg::StemHint)
        }
    };
    let points =
        move || draft.with(|d| d.parts.get(i).map(|p| p.points.clone()).unwrap_or_default());
    view! {
        <li class="part card" data-testid="part-row" data-index=i data-type=question_type.as_str()>
            <div class="part__header">
                <h3>{move || i18n.t(QuestionMsg::PartLabel)} " " {i + 1}</h3>
                <button
                    type="button"
                    class="link-button"
                    data-testid=format!("part-{i}-up")
                    disabled=first
                    on:click=move |_| draft.update(|d| d.move_part(i, true))
                >
                    {move || i18n.t(QuestionMsg::MoveUp)}
                </button>
                <button
                    type="button"
                    class="link-button"
                    data-testid=format!("part-{i}-down")
                    disabled=last
                    on:click=move |_| draft.update(|d| d.move_part(i, false))
                >
                    {move || i18n.t(QuestionMsg::MoveDown)}
                </button>
                <button
                    type="button"
                    class="link-button link-button--danger"
                    data-testid=format!("part-{i}-remove")
                    on:click=move |_| draft.update(|d| {
                        if i < d.parts.len() {
                            d.parts.remove(i);
                        }
                    })
                >
                    {move || i18n.t(QuestionMsg::RemovePart)}
                </button>
            </div>
            <label class="field">
                <span class="field__label">{move || i18n.t(QuestionMsg::TypeLabel)}</span>
                <select
                    class="input"
                    data-testid=format!("part-{i}-type")
                    on:change=move |ev| {
                        if let Some(t) = QuestionType::parse(&event_target_value(&ev)) {
                            problems.set(Vec::new());
                            slot.update(|d| d.set_type(t));
                        }
                    }
                >
                    {type_options}
                </select>
            </label>
            <Problem field=format!("content.parts[{i}].content") problems=problems />
            <div class="field">
                <span class="field__label">{move || i18n.t(QuestionMsg::StemLabel)}</span>
                <RichEditor
                    value=Signal::derive(move || slot.with(|d| d.stem.clone()))
                    on_change=Callback::new(move |html: String| slot.update(|d| d.stem = html))
                    label=Signal::derive(move || i18n.t(QuestionMsg::StemLabel).to_owned())
                    testid=format!("part-{i}-stem")
                    bank=draft_bank()
                />
                <span class="field__hint">{stem_hint}</span>
            </div>
            <Problem field=slot.path("stem") problems=problems />
            {type_fields(slot, problems, question_type)}
            <label class="field">
                <span class="field__label">{move || i18n.t(QuestionMsg::PartPoints)}</span>
                <input
                    class="input input--narrow"
                    inputmode="decimal"
                    data-testid=format!("part-{i}-points")
                    prop:value=points
                    on:input=move |ev| {
                        let value = event_target_value(&ev);
                        draft.update(|d| {
                            if let Some(p) = d.parts.get_mut(i) {
                                p.points = value;
                            }
                        });
                    }
                />
            </label>
            <Problem field=format!("content.parts[{i}].points") problems=problems />
        </li>
    }
}
