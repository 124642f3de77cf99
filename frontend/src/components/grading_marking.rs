//! The card of an exam's marking rule (`GET`/`PUT /api/exams/{id}/marking`): how many
//! independent marks each answer needs and the tolerance beyond which an arbiter decides.
//! Everyone with the grading module reads it; changing it needs `exams:write`, and those who
//! may change it also edit the grader limits here (`grader_limits.rs`), saved with the rule.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::grading::{MAX_GRADERS_PER_ANSWER, MarkingSettings};

use crate::api::GradingApi;
use crate::auth::use_auth;
use crate::components::console_gate::{may, report_error};
use crate::components::console_nav::EXAMS_WRITE;
use crate::components::form::{FormAlert, FormError};
use crate::components::grader_limits::GraderLimits;
use crate::i18n::{GradingMsg, Msg, use_i18n};

#[component]
pub fn MarkingRule(exam_id: String) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let exam_id = StoredValue::new(exam_id);
    let graders = RwSignal::new(String::new());
    let tolerance = RwSignal::new(String::new());
    let loaded = RwSignal::new(false);
    let error = RwSignal::new(None::<FormError>);
    let saved = RwSignal::new(false);
    let busy = RwSignal::new(false);
    // The grader limits, edited below the rule by those who may change it.
    let limits = RwSignal::new(Vec::new());
    let fill = move |s: MarkingSettings| {
        limits.set(s.limits);
        graders.set(s.graders_per_answer.to_string());
        tolerance.set(s.tolerance.to_string());
        loaded.set(true);
    };
    spawn_local(async move {
        match GradingApi::new(i18n.lang_untracked())
            .marking(&exam_id.get_value())
            .await
        {
            Ok(s) => fill(s),
            Err(err) => report_error(auth, err, error),
        }
    });
    let editable = move || may(auth, EXAMS_WRITE);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        // The server checks the ranges; an unreadable number is sent as one out of range so
        // its message names the field.
        let settings = MarkingSettings {
            graders_per_answer: graders.get_untracked().trim().parse().unwrap_or(0),
            tolerance: tolerance.get_untracked().trim().parse().unwrap_or(-1.0),
            limits: limits.get_untracked(),
        };
        busy.set(true);
        saved.set(false);
        error.set(None);
        spawn_local(async move {
            let result = GradingApi::new(i18n.lang_untracked())
                .set_marking(&exam_id.get_value(), &settings)
                .await;
            busy.set(false);
            match result {
                Ok(s) => {
                    fill(s);
                    saved.set(true);
                }
                Err(err) => report_error(auth, err, error),
            }
        });
    };
    view! {
        <section class="card" data-testid="marking-rule">
            <h2 class="card__title">{move || i18n.t(GradingMsg::SettingsTitle)}</h2>
            <FormAlert error=error testid="marking-error" />
            <Show when=move || loaded.get() fallback=move || view! { <p class="loading">{move || i18n.t(Msg::Loading)}</p> }>
                <form class="grading__form" novalidate on:submit=save>
                    <div class="grading__rule">
                        <label class="field field--inline">
                            <span class="field__label">{move || i18n.t(GradingMsg::GradersPerAnswer)}</span>
                            <input class="input input--narrow" type="number" min="1" max=MAX_GRADERS_PER_ANSWER step="1"
                                data-testid="marking-graders" disabled=move || !editable()
                                prop:value=move || graders.get()
                                on:input=move |ev| graders.set(event_target_value(&ev)) />
                        </label>
                        <label class="field field--inline">
                            <span class="field__label">{move || i18n.t(GradingMsg::Tolerance)}</span>
                            <input class="input input--narrow" type="number" min="0" max="1000" step="0.01"
                                data-testid="marking-tolerance" disabled=move || !editable()
                                prop:value=move || tolerance.get()
                                on:input=move |ev| tolerance.set(event_target_value(&ev)) />
                        </label>
                    </div>
                    <p class="field__hint">{move || i18n.t(GradingMsg::ArbiterHint)}</p>
                    <Show
                        when=editable
                        fallback=move || view! {
                            <Show when=move || !limits.with(Vec::is_empty)>
                                <p class="field__hint" data-testid="marking-limits">
                                    {move || limits_text(limits.with(Vec::len), i18n.lang())}
                                </p>
                            </Show>
                        }
                    >
                        <GraderLimits exam_id=exam_id.get_value() limits=limits />
                    </Show>
                    <Show when=editable>
                        <div class="actions actions--tight">
                            <button type="submit" class="button" data-testid="marking-save" disabled=move || busy.get()>
                                {move || i18n.t(GradingMsg::Save)}
                            </button>
                            <Show when=move || saved.get()>
                                <span class="badge badge--ok" role="status" data-testid="marking-saved">
                                    {move || i18n.t(GradingMsg::Saved)}
                                </span>
                            </Show>
                        </div>
                    </Show>
                </form>
            </Show>
        </section>
    }
}

/// How many graders are limited at the exam (shown to those who may not change the rule).
fn limits_text(n: usize, lang: shared::Lang) -> String {
    match lang {
        shared::Lang::ZhCn => {
            format!("{n} 位阅卷人限定了题目或考生分组。")
        }
        shared::Lang::En => format!("{n} grader(s) limited to some questions or candidate groups."),
    }
}
