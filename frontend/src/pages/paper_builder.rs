//! `/paper[?id=…]`: the paper builder. Name, description and shuffling; sections, each with
//! chosen questions (picked from a bank, reordered by dragging or up/down, points per
//! question) and rules that draw questions from banks, with live counts of the questions each
//! rule can draw (checked by the server, debounced) and whether the rules can be met together;
//! totals per section and overall; saving, with the server's problems shown at their fields.

use std::time::Duration;

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};
use shared::papers::{PaperDto, RuleCheckRequest};

use crate::api::{self, PapersApi, QuestionsApi};
use crate::auth::use_auth;
use crate::components::ApiErrors;
use crate::components::console_gate::{RequirePermission, may, report_error, watch_session};
use crate::components::console_nav::{QUESTIONS_READ, QUESTIONS_WRITE};
use crate::components::form::{FormAlert, FormError};
use crate::components::page_header::{Back, PageHeader};
use crate::components::paper_draft::{
    BuilderCtx, Draft, LiveCheck, PathError, SectionSlot, move_item,
};
use crate::components::paper_questions::{ChosenList, QuestionPicker};
use crate::components::paper_rules::RuleList;
use crate::i18n::{Msg, PaperMsg, totals_text, use_i18n};
use crate::pages::papers::{PAPER_PARAM, paper_link};
use crate::routes::Page;

/// How long the rules must stay unchanged before they are checked again.
const CHECK_DELAY: Duration = Duration::from_millis(300);

#[component]
pub fn PaperBuilderPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let id = query
        .with_untracked(|q| q.get(PAPER_PARAM))
        .filter(|id| !id.is_empty());
    let editing = id.is_some();
    view! {
        <section class="page">
            <PageHeader
                back=Back {
                    href: Page::Papers.path().to_owned(),
                    testid: "back-to-papers",
                    label: (move || i18n.t(PaperMsg::BackToPapers)).into(),
                }
                title=move || i18n.t(if editing { PaperMsg::BuilderEditTitle } else { PaperMsg::BuilderNewTitle })
            />
            <RequirePermission needs=QUESTIONS_READ>
                <LoadPaper id=id.clone() />
            </RequirePermission>
        </section>
    }
}

/// The saved paper (when editing one), then the builder.
#[component]
fn LoadPaper(id: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let Some(id) = id else {
        return view! { <Builder initial=None /> }.into_any();
    };
    let paper = LocalResource::new(move || {
        let api = PapersApi::new(i18n.lang_untracked());
        let id = id.clone();
        async move { api.paper(&id).await }
    });
    watch_session(auth, paper);
    view! {
        <Transition fallback=move || view! { <p class="loading">{move || i18n.t(Msg::Loading)}</p> }>
            <ErrorBoundary fallback=|errors| view! { <ApiErrors errors=errors /> }>
                {move || Suspend::new(async move {
                    let paper = paper.await?;
                    Ok::<_, api::Error>(view! { <Builder initial=Some(paper) /> })
                })}
            </ErrorBoundary>
        </Transition>
    }
    .into_any()
}

#[component]
fn Builder(initial: Option<PaperDto>) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let navigate = use_navigate();
    let draft = Draft::new(PaperMsg::NewSectionTitle.text(i18n.lang_untracked()));
    if let Some(paper) = &initial {
        draft.load(paper);
    }
    let ctx = BuilderCtx {
        draft,
        errors: RwSignal::new(Vec::new()),
        banks: RwSignal::new(Vec::new()),
        live: RwSignal::new(LiveCheck::default()),
        picking: RwSignal::new(None),
        dragging: RwSignal::new(None),
        can_write: Memo::new(move |_| may(auth, QUESTIONS_WRITE)),
    };
    let busy = RwSignal::new(false);
    let saved = RwSignal::new(false);
    let form_error = RwSignal::new(None::<FormError>);
    load_banks(ctx, form_error);
    watch_rules(ctx);

    let save = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        ctx.errors.set(Vec::new());
        form_error.set(None);
        saved.set(false);
        let input = draft.to_input();
        let id = draft.id.get_untracked();
        let api = PapersApi::new(i18n.lang_untracked());
        let navigate = navigate.clone();
        busy.set(true);
        spawn_local(async move {
            let result = match &id {
                Some(id) => api.update(id, &input).await,
                None => api.create(&input).await,
            };
            busy.set(false);
            match result {
                Ok(paper) => {
                    draft.load(&paper);
                    saved.set(true);
                    if id.is_none() {
                        let options = NavigateOptions {
                            replace: true,
                            ..Default::default()
                        };
                        navigate(&paper_link(Page::Paper, &paper.id), options);
                    }
                }
                Err(err) => {
                    let fields = err.field_errors();
                    if fields.is_empty() {
                        report_error(auth, err, form_error);
                    } else {
                        ctx.errors.set(fields);
                        form_error.set(Some(FormError::CheckFields));
                    }
                }
            }
        });
    };
    let disabled = move || !ctx.can_write.get();
    let (total_count, total_points) = (
        Memo::new(move |_| draft.totals().0),
        Memo::new(move |_| draft.totals().1),
    );
    let preview_link = move || draft.id.get().map(|id| paper_link(Page::PaperPreview, &id));
    view! {
        <form class="paper-builder" novalidate=true on:submit=save data-testid="paper-form">
            <div class="card">
                <label class="field">
                    <span class="field__label">{move || i18n.t(PaperMsg::NameLabel)}</span>
                    <input class="input" data-testid="paper-name-input" maxlength=100 disabled=disabled bind:value=draft.name />
                    <PathError path="name".to_owned() errors=ctx.errors />
                </label>
                <label class="field">
                    <span class="field__label">{move || i18n.t(PaperMsg::DescriptionLabel)}</span>
                    <textarea
                        class="input"
                        rows=2
                        data-testid="paper-description"
                        disabled=disabled
                        prop:value=move || draft.description.get()
                        on:input=move |ev| draft.description.set(event_target_value(&ev))
                    ></textarea>
                    <PathError path="description".to_owned() errors=ctx.errors />
                </label>
                <label class="checkbox">
                    <input type="checkbox" data-testid="paper-shuffle-questions" disabled=disabled bind:checked=draft.shuffle_questions />
                    {move || i18n.t(PaperMsg::ShuffleQuestions)}
                </label>
                <label class="checkbox">
                    <input type="checkbox" data-testid="paper-shuffle-options" disabled=disabled bind:checked=draft.shuffle_options />
                    {move || i18n.t(PaperMsg::ShuffleOptions)}
                </label>
            </div>
            <h2 class="section-title">{move || i18n.t(PaperMsg::Sections)}</h2>
            <PathError path="sections".to_owned() errors=ctx.errors />
            <For
                each=move || draft.sections.get()
                key=|s| s.key
                children=move |section| view! { <SectionView ctx=ctx section=section /> }
            />
            <Show when=move || ctx.can_write.get()>
                <p class="actions">
                    <button
                        type="button"
                        class="button button--secondary"
                        data-testid="section-add"
                        on:click=move |_| draft.add_section(PaperMsg::NewSectionTitle.text(i18n.lang_untracked()))
                    >
                        {move || i18n.t(PaperMsg::AddSection)}
                    </button>
                </p>
            </Show>
            <Feasibility ctx=ctx />
            <p class="summary" data-testid="paper-totals" data-questions=move || total_count.get() data-points=move || total_points.get()>
                {move || i18n.t(PaperMsg::Total)} ": "
                {move || totals_text(total_count.get(), total_points.get(), i18n.lang())}
            </p>
            <FormAlert error=form_error testid="paper-form-error" />
            <Show when=move || saved.get()>
                <p class="notice notice--ok" role="status" data-testid="paper-saved">
                    {move || i18n.t(PaperMsg::Saved)}
                </p>
            </Show>
            <div class="actions">
                <Show when=move || ctx.can_write.get()>
                    <button type="submit" class="button" data-testid="paper-save" disabled=busy>
                        {move || i18n.t(PaperMsg::SavePaper)}
                    </button>
                </Show>
                {move || preview_link().map(|href| view! {
                    <a class="button button--secondary" href=href data-testid="paper-preview">
                        {move || i18n.t(PaperMsg::Preview)}
                    </a>
                })}
            </div>
        </form>
    }
}

/// Fills `ctx.banks` once.
fn load_banks(ctx: BuilderCtx, form_error: RwSignal<Option<FormError>>) {
    let i18n = use_i18n();
    let auth = use_auth();
    let api = QuestionsApi::new(i18n.lang_untracked());
    spawn_local(async move {
        match api.banks().await {
            Ok(banks) => ctx.banks.set(banks),
            Err(err) => report_error(auth, err, form_error),
        }
    });
}

/// Asks the server how many questions each complete rule matches, and whether all can be met
/// together, whenever the rules or the chosen questions change (after [`CHECK_DELAY`]).
fn watch_rules(ctx: BuilderCtx) {
    let i18n = use_i18n();
    let auth = use_auth();
    let request = Memo::new(move |_| {
        let mut keys = Vec::new();
        let mut rules = Vec::new();
        ctx.draft.sections.with(|sections| {
            for section in sections {
                section.rules.with(|list| {
                    for rule in list {
                        if let Some(checkable) = rule.to_checkable() {
                            keys.push(rule.key);
                            rules.push(checkable);
                        }
                    }
                });
            }
        });
        let request = RuleCheckRequest {
            rules,
            exclude_question_ids: ctx.draft.chosen_ids(),
        };
        (keys, request)
    });
    let generation = StoredValue::new(0_u64);
    Effect::new(move |_| {
        let (keys, request) = request.get();
        generation.update_value(|g| *g += 1);
        let mine = generation.get_value();
        if request.rules.is_empty() {
            ctx.live.set(LiveCheck::default());
            return;
        }
        ctx.live.update(|l| l.pending = true);
        set_timeout(
            move || {
                if generation.get_value() != mine {
                    return;
                }
                let api = PapersApi::new(i18n.lang_untracked());
                spawn_local(async move {
                    let result = api.check_rules(&request).await;
                    if generation.get_value() != mine {
                        return;
                    }
                    match result {
                        Ok(answer) => ctx.live.set(LiveCheck {
                            available: keys.into_iter().zip(answer.available).collect(),
                            feasible: Some(answer.feasible),
                            pending: false,
                            failed: None,
                        }),
                        Err(err) if err.is_unauthorized() => auth.expire(),
                        Err(err) => ctx.live.set(LiveCheck {
                            failed: Some(err.message(i18n.lang_untracked())),
                            ..LiveCheck::default()
                        }),
                    }
                });
            },
            CHECK_DELAY,
        );
    });
}

/// "The rules can (not) be met together", once there are rules to check.
#[component]
fn Feasibility(ctx: BuilderCtx) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let live = ctx.live.get();
        if let Some(failed) = live.failed {
            return view! { <p class="field__error" data-testid="rules-check-failed">{failed}</p> }
                .into_any();
        }
        match live.feasible {
            None if live.pending => view! {
                <p class="hint" data-testid="rules-checking">{move || i18n.t(PaperMsg::Checking)}</p>
            }
            .into_any(),
            None => ().into_any(),
            Some(feasible) => {
                let (class, msg) = if feasible {
                    ("notice notice--ok", PaperMsg::RulesFeasible)
                } else {
                    ("alert alert--error", PaperMsg::RulesInfeasible)
                };
                view! {
                    <p class=class data-testid="rules-feasibility" data-feasible=feasible.to_string() data-pending=live.pending.to_string()>
                        {move || i18n.t(msg)}
                    </p>
                }
                .into_any()
            }
        }
    }
}

#[component]
fn SectionView(ctx: BuilderCtx, section: SectionSlot) -> impl IntoView {
    let i18n = use_i18n();
    let draft = ctx.draft;
    let index = Memo::new(move |_| {
        draft
            .sections
            .with(|all| all.iter().position(|x| x.key == section.key))
            .unwrap_or(0)
    });
    let path = move |field: &'static str| {
        Signal::derive(move || {
            if field.is_empty() {
                format!("sections[{}]", index.get())
            } else {
                format!("sections[{}].{field}", index.get())
            }
        })
    };
    let shift = move |by: isize| {
        let from = index.get_untracked();
        let to = from.checked_add_signed(by).unwrap_or(0);
        draft.sections.update(|s| move_item(s, from, to));
    };
    let remove = move |_| {
        draft
            .sections
            .update(|s| s.retain(|x| x.key != section.key));
    };
    let picking = move || ctx.picking.get() == Some(section.key);
    let toggle_picker = move |_| {
        ctx.picking.update(|p| {
            *p = if *p == Some(section.key) {
                None
            } else {
                Some(section.key)
            }
        });
    };
    let totals = Memo::new(move |_| section.totals());
    let at_end = move || index.get() + 1 >= draft.sections.with(Vec::len);
    let disabled = move || !ctx.can_write.get();
    view! {
        <fieldset class="paper-section card" data-testid="paper-section" data-index=move || index.get()>
            <div class="paper-section__head">
                <label class="field">
                    <span class="field__label">{move || i18n.t(PaperMsg::SectionTitle)}</span>
                    <input class="input" data-testid="section-title" maxlength=200 disabled=disabled bind:value=section.title />
                    <PathError path=path("title") errors=ctx.errors />
                </label>
                <Show when=move || ctx.can_write.get()>
                    <span class="actions actions--tight">
                        <button type="button" class="link-button" data-testid="section-up"
                            disabled=move || index.get() == 0 on:click=move |_| shift(-1)>
                            {move || i18n.t(PaperMsg::MoveUp)}
                        </button>
                        <button type="button" class="link-button" data-testid="section-down"
                            disabled=at_end on:click=move |_| shift(1)>
                            {move || i18n.t(PaperMsg::MoveDown)}
                        </button>
                        <button type="button" class="link-button link-button--danger" data-testid="section-remove"
                            on:click=remove>
                            {move || i18n.t(PaperMsg::RemoveSection)}
                        </button>
                    </span>
                </Show>
            </div>
            <label class="field">
                <span class="field__label">{move || i18n.t(PaperMsg::SectionDescription)}</span>
                <textarea
                    class="input"
                    rows=2
                    data-testid="section-description"
                    disabled=disabled
                    prop:value=move || section.description.get()
                    on:input=move |ev| section.description.set(event_target_value(&ev))
                ></textarea>
                <PathError path=path("description") errors=ctx.errors />
            </label>
            <PathError path=path("") errors=ctx.errors />
            <PathError path=path("rules") errors=ctx.errors />
            <ChosenList ctx=ctx section=section />
            <Show when=move || ctx.can_write.get()>
                <button type="button" class="button button--secondary" data-testid="pick-questions" on:click=toggle_picker>
                    {move || i18n.t(if picking() { PaperMsg::ClosePicker } else { PaperMsg::PickQuestions })}
                </button>
            </Show>
            <Show when=picking>
                <QuestionPicker ctx=ctx section=section />
            </Show>
            <RuleList ctx=ctx section=section />
            <p class="hint" data-testid="section-totals" data-questions=move || totals.get().0 data-points=move || totals.get().1>
                {move || totals_text(totals.get().0, totals.get().1, i18n.lang())}
            </p>
        </fieldset>
    }
}
