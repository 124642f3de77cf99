//! The chosen questions of a section: the list (points per question, drag-and-drop and
//! up/down to reorder, remove, "update to the latest version") and the picker that browses a
//! bank with the bank browser's filters and adds questions.

use leptos::ev::DragEvent;
use leptos::prelude::*;
use shared::questions::QuestionDto;

use crate::api::{QuestionFilter, QuestionsApi};
use crate::components::pager::Pager;
use crate::components::paper_draft::{BuilderCtx, PathError, QuestionSlot, SectionSlot, move_item};
use crate::components::question_filters::{QuestionFilterChoice, QuestionFilters};
use crate::components::rich_text::render_math;
use crate::i18n::{PaperMsg, QuestionMsg, type_msg, use_i18n};

const PICKER_PAGE: i64 = 50;

/// The chosen questions of `section`.
#[component]
pub fn ChosenList(ctx: BuilderCtx, section: SectionSlot) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="paper-chosen">
            <h3 class="section-title">{move || i18n.t(PaperMsg::ChosenQuestions)}</h3>
            <Show
                when=move || section.questions.with(|q| !q.is_empty())
                fallback=move || view! {
                    <p class="empty" data-testid="chosen-empty">{move || i18n.t(PaperMsg::NoChosen)}</p>
                }
            >
                <p class="hint">{move || i18n.t(PaperMsg::DragHint)}</p>
            </Show>
            <ol class="chosen-list" data-testid="chosen-list">
                <For
                    each=move || section.questions.get()
                    key=|q| q.key
                    children=move |q| view! { <ChosenRow ctx=ctx section=section question=q /> }
                />
            </ol>
        </div>
    }
}

#[component]
fn ChosenRow(ctx: BuilderCtx, section: SectionSlot, question: QuestionSlot) -> impl IntoView {
    let i18n = use_i18n();
    let key = question.key;
    let index = Memo::new(move |_| {
        section
            .questions
            .with(|all| all.iter().position(|x| x.key == key))
            .unwrap_or(0)
    });
    let at_end = move || index.get() + 1 >= section.questions.with(Vec::len);
    let points_path = Signal::derive(move || {
        let s = ctx
            .draft
            .sections
            .with(|all| all.iter().position(|x| x.key == section.key))
            .unwrap_or(0);
        format!("sections[{s}].questions[{}].points", index.get())
    });
    let id_path = Signal::derive(move || {
        points_path.get().trim_end_matches(".points").to_owned() + ".question_id"
    });
    let shift = move |by: isize| {
        let from = index.get_untracked();
        let to = from.checked_add_signed(by).unwrap_or(0);
        section.questions.update(|q| move_item(q, from, to));
    };
    let on_dragstart = move |ev: DragEvent| {
        ctx.dragging.set(Some(key));
        if let Some(transfer) = ev.data_transfer() {
            transfer.set_effect_allowed("move");
            // Some browsers start a drag only when it carries data.
            let _ = transfer.set_data("text/plain", &question.question_id.get_value());
        }
    };
    let on_dragover = move |ev: DragEvent| {
        let ours = ctx.dragging.with_untracked(|d| {
            d.is_some_and(|d| {
                section
                    .questions
                    .with_untracked(|q| q.iter().any(|x| x.key == d))
            })
        });
        if ours {
            ev.prevent_default();
        }
    };
    let on_drop = move |ev: DragEvent| {
        ev.prevent_default();
        let Some(dragged) = ctx.dragging.get_untracked() else {
            return;
        };
        ctx.dragging.set(None);
        section.questions.update(|q| {
            let from = q.iter().position(|x| x.key == dragged);
            let to = q.iter().position(|x| x.key == key);
            if let (Some(from), Some(to)) = (from, to) {
                move_item(q, from, to);
            }
        });
    };
    let remove = move |_| section.questions.update(|q| q.retain(|x| x.key != key));
    let update_latest = move |_| {
        question.version.set(None);
        question.outdated.set(false);
    };
    let type_name = type_msg(question.question_type);
    let can_write = move || ctx.can_write.get();
    view! {
        <li
            class="chosen card"
            draggable=move || if can_write() { "true" } else { "false" }
            data-testid="chosen-question"
            data-question-id=question.question_id.get_value()
            on:dragstart=on_dragstart
            on:dragover=on_dragover
            on:drop=on_drop
            on:dragend=move |_| ctx.dragging.set(None)
        >
            <span class="chosen__handle" aria-hidden="true">"⠿"</span>
            <span class="chosen__number" data-testid="chosen-number">{move || index.get() + 1}"."</span>
            <span class="badge badge--muted" data-testid="chosen-type">{move || i18n.t(type_name)}</span>
            <div
                class="chosen__stem rich-text"
                data-testid="chosen-stem"
                inner_html=render_math(&question.stem.get_value())
            ></div>
            <Show when=move || question.outdated.get()>
                <span class="badge badge--pending" data-testid="chosen-outdated">
                    {move || i18n.t(PaperMsg::Outdated)}
                </span>
                <Show when=can_write>
                    <button type="button" class="link-button" data-testid="chosen-update" on:click=update_latest>
                        {move || i18n.t(PaperMsg::UpdateToLatest)}
                    </button>
                </Show>
            </Show>
            <Show when=move || question.version.with(Option::is_none)>
                <span class="hint" data-testid="chosen-latest">{move || i18n.t(PaperMsg::WillUseLatest)}</span>
            </Show>
            <label class="chosen__points">
                <span class="field__label">{move || i18n.t(QuestionMsg::Points)}</span>
                <input
                    class="input"
                    type="number"
                    min=0
                    step="any"
                    data-testid="chosen-points"
                    disabled=move || !can_write()
                    bind:value=question.points
                />
            </label>
            <PathError path=points_path errors=ctx.errors />
            <PathError path=id_path errors=ctx.errors />
            <Show when=can_write>
                <span class="chosen__actions">
                    <button
                        type="button"
                        class="link-button"
                        data-testid="chosen-up"
                        aria-label=move || i18n.t(PaperMsg::MoveUp)
                        disabled=move || index.get() == 0
                        on:click=move |_| shift(-1)
                    >
                        "↑"
                    </button>
                    <button
                        type="button"
                        class="link-button"
                        data-testid="chosen-down"
                        aria-label=move || i18n.t(PaperMsg::MoveDown)
                        disabled=at_end
                        on:click=move |_| shift(1)
                    >
                        "↓"
                    </button>
                    <button
                        type="button"
                        class="link-button link-button--danger"
                        data-testid="chosen-remove"
                        on:click=remove
                    >
                        {move || i18n.t(PaperMsg::Remove)}
                    </button>
                </span>
            </Show>
        </li>
    }
}

/// Browses a bank and adds questions to `section`.
#[component]
pub fn QuestionPicker(ctx: BuilderCtx, section: SectionSlot) -> impl IntoView {
    let i18n = use_i18n();
    let bank = RwSignal::new(
        ctx.banks
            .with_untracked(|b| b.first().map(|b| b.id.clone()))
            .unwrap_or_default(),
    );
    let filter = RwSignal::new(QuestionFilterChoice::default());
    // The picker's page; a new bank or filter starts again at the first.
    let offset = RwSignal::new(0_i64);
    let page_size = RwSignal::new(PICKER_PAGE);
    let categories = LocalResource::new(move || {
        let bank = bank.get();
        let api = QuestionsApi::new(i18n.lang_untracked());
        async move {
            if bank.is_empty() {
                return Vec::new();
            }
            api.categories(&bank).await.unwrap_or_default()
        }
    });
    let category_list = Signal::derive(move || categories.get().unwrap_or_default());
    let found = LocalResource::new(move || {
        let bank = bank.get();
        let choice = filter.get();
        let at = offset.get();
        let limit = page_size.get();
        let api = QuestionsApi::new(i18n.lang_untracked());
        async move {
            if bank.is_empty() {
                return Ok(None);
            }
            let filter = QuestionFilter {
                question_type: choice.question_type,
                difficulty: choice.difficulty,
                tag: choice.tag,
                q: choice.q,
                category_id: choice.category_id,
                offset: at,
                limit,
            };
            api.questions(&bank, &filter).await.map(Some)
        }
    });
    let chosen = Memo::new(move |_| ctx.draft.chosen_ids());
    let add = move |question: &QuestionDto| {
        let slot = QuestionSlot::picked(ctx.draft.key(), question);
        section.questions.update(|q| q.push(slot));
    };
    let bank_options = move || {
        ctx.banks
            .get()
            .into_iter()
            .map(|b| {
                let id = b.id.clone();
                view! {
                    <option value=b.id.clone() selected=move || bank.with(|x| *x == id)>{b.name}</option>
                }
            })
            .collect_view()
    };
    let results = move || {
        let page = match found.get() {
            None => {
                return view! { <p class="loading">{move || i18n.t(crate::i18n::Msg::Loading)}</p> }
                    .into_any();
            }
            Some(Err(err)) => {
                let text = err.message(i18n.lang_untracked());
                return view! { <p class="field__error" data-testid="picker-error">{text}</p> }
                    .into_any();
            }
            Some(Ok(None)) => return ().into_any(),
            Some(Ok(Some(page))) => page,
        };
        if page.items.is_empty() {
            return view! {
                <p class="empty" data-testid="picker-empty">{move || i18n.t(QuestionMsg::NoMatches)}</p>
            }
            .into_any();
        }
        let (at, limit, shown, total) = (page.offset, page.limit, page.items.len(), page.total);
        let rows = page
            .items
            .into_iter()
            .map(|q| {
                let id = q.id.clone();
                let taken = Signal::derive(move || chosen.with(|c| c.contains(&id)));
                let type_name = type_msg(q.content.question_type());
                let stem = q.content.stem().to_owned();
                let tags = q.tags.join(", ");
                let question = StoredValue::new(q);
                view! {
                    <li class="picker__item" data-testid="picker-question" data-question-id=question.with_value(|q| q.id.clone())>
                        <span class="badge badge--muted">{move || i18n.t(type_name)}</span>
                        <div class="picker__stem rich-text" data-testid="picker-stem" inner_html=render_math(&stem)></div>
                        <span class="hint">{tags}</span>
                        <button
                            type="button"
                            class="button button--secondary"
                            data-testid="picker-add"
                            disabled=taken
                            on:click=move |_| question.with_value(|q| add(q))
                        >
                            {move || if taken.get() { i18n.t(PaperMsg::Added) } else { i18n.t(PaperMsg::Add) }}
                        </button>
                    </li>
                }
            })
            .collect_view();
        view! {
            <ul class="picker__list" data-testid="picker-list">{rows}</ul>
            <Pager offset=at limit=limit shown=shown total=total testid="picker"
                go=Callback::new(move |to| offset.set(to))
                resize=Callback::new(move |n| {
                    page_size.set(n);
                    offset.set(0);
                }) />
        }
        .into_any()
    };
    view! {
        <div class="picker card" data-testid="picker">
            <label class="field">
                <span class="field__label">{move || i18n.t(PaperMsg::PickerBank)}</span>
                <select
                    class="input"
                    data-testid="picker-bank"
                    on:change=move |ev| {
                        bank.set(event_target_value(&ev));
                        filter.set(QuestionFilterChoice::default());
                        offset.set(0);
                    }
                >
                    <option value="" selected=move || bank.with(String::is_empty)>
                        {move || i18n.t(PaperMsg::ChooseBank)}
                    </option>
                    {bank_options}
                </select>
            </label>
            <QuestionFilters categories=category_list on_apply=Callback::new(move |choice| {
                filter.set(choice);
                offset.set(0);
            }) />
            {results}
        </div>
    }
}
