//! The anti-cheat part of the exam form: limits on leaving the page and fullscreen, fullscreen
//! and copy/paste blocking, the idle timeout and the IP ranges candidates may answer from.
//! Problems come back from the server under `integrity.*` and show at their inputs.

use leptos::prelude::*;
use shared::exams::IntegritySettings;

use crate::api::FieldError;
use crate::i18n::{ExamAdminMsg, exam_problem_text, use_i18n};

/// An optional count as typed (empty: no limit); `None` when it is not a whole number.
fn parse_limit(text: &str) -> Result<Option<u32>, ()> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    text.parse().map(Some).map_err(|_| ())
}

/// The IP ranges typed one per line (or separated by commas or spaces).
pub fn parse_ranges(text: &str) -> Vec<String> {
    text.split(|c: char| c == '\n' || c == ',' || c.is_whitespace())
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

#[component]
fn LimitInput(
    label: ExamAdminMsg,
    field: &'static str,
    testid: &'static str,
    value: RwSignal<Option<u32>>,
    errors: RwSignal<Vec<FieldError>>,
    disabled: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let text = RwSignal::new(
        value
            .get_untracked()
            .map(|v| v.to_string())
            .unwrap_or_default(),
    );
    let bad = RwSignal::new(false);
    let on_input = move |ev| {
        let typed = event_target_value(&ev);
        match parse_limit(&typed) {
            Ok(v) => {
                value.set(v);
                bad.set(false);
            }
            Err(()) => bad.set(true),
        }
        text.set(typed);
    };
    let problem = move || {
        if bad.get() {
            return Some((
                "invalid_format".to_owned(),
                exam_problem_text("invalid_format", i18n.lang()),
            ));
        }
        errors.with(|errors| {
            errors
                .iter()
                .find(|e| e.field == field)
                .map(|e| (e.reason.clone(), exam_problem_text(&e.reason, i18n.lang())))
        })
    };
    view! {
        <label class="field">
            <span class="field__label">{move || i18n.t(label)}</span>
            <input
                class="input"
                type="number"
                min=0
                step=1
                data-testid=testid
                disabled=disabled
                prop:value=move || text.get()
                on:input=on_input
            />
            {move || problem().map(|(reason, text)| view! {
                <p class="field__error" data-testid=format!("field-error-{field}") data-reason=reason>{text}</p>
            })}
        </label>
    }
}

#[component]
pub fn IntegrityFieldset(
    integrity: RwSignal<IntegritySettings>,
    errors: RwSignal<Vec<FieldError>>,
    #[prop(into)] disabled: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let initial = integrity.get_untracked();
    let focus = RwSignal::new(initial.max_focus_losses);
    let fullscreen_exits = RwSignal::new(initial.max_fullscreen_exits);
    let idle = RwSignal::new(initial.idle_timeout_minutes);
    let ranges = RwSignal::new(initial.ip_ranges.join("\n"));
    // Every input writes through to the settings the form sends.
    Effect::new(move |_| {
        let (f, x, i, r) = (
            focus.get(),
            fullscreen_exits.get(),
            idle.get(),
            ranges.get(),
        );
        integrity.update(|s| {
            s.max_focus_losses = f;
            s.max_fullscreen_exits = x;
            s.idle_timeout_minutes = i;
            s.ip_ranges = parse_ranges(&r);
        });
    });
    let range_problems = move || {
        errors.with(|errors| {
            errors
                .iter()
                .filter(|e| e.field.starts_with("integrity.ip_ranges"))
                .map(|e| {
                    let text = exam_problem_text(&e.reason, i18n.lang());
                    view! {
                        <p class="field__error" data-testid="field-error-integrity.ip_ranges" data-field=e.field.clone() data-reason=e.reason.clone()>
                            {e.field.trim_start_matches("integrity.").to_owned()} ": " {text}
                        </p>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <fieldset class="exam-integrity-form" data-testid="exam-integrity">
            <legend>{move || i18n.t(ExamAdminMsg::IntegrityTitle)}</legend>
            <p class="hint">{move || i18n.t(ExamAdminMsg::IntegrityLead)}</p>
            <div class="data-form__grid">
                <LimitInput label=ExamAdminMsg::MaxFocusLosses field="integrity.max_focus_losses" testid="exam-max-focus-losses" value=focus errors=errors disabled=disabled />
                <LimitInput label=ExamAdminMsg::MaxFullscreenExits field="integrity.max_fullscreen_exits" testid="exam-max-fullscreen-exits" value=fullscreen_exits errors=errors disabled=disabled />
                <LimitInput label=ExamAdminMsg::IdleTimeout field="integrity.idle_timeout_minutes" testid="exam-idle-timeout" value=idle errors=errors disabled=disabled />
            </div>
            <label class="checkbox">
                <input
                    type="checkbox"
                    data-testid="exam-require-fullscreen"
                    disabled=disabled
                    prop:checked=move || integrity.with(|s| s.require_fullscreen)
                    on:change=move |ev| integrity.update(|s| s.require_fullscreen = event_target_checked(&ev))
                />
                " " {move || i18n.t(ExamAdminMsg::RequireFullscreen)}
            </label>
            <label class="checkbox">
                <input
                    type="checkbox"
                    data-testid="exam-block-copy-paste"
                    disabled=disabled
                    prop:checked=move || integrity.with(|s| s.block_copy_paste)
                    on:change=move |ev| integrity.update(|s| s.block_copy_paste = event_target_checked(&ev))
                />
                " " {move || i18n.t(ExamAdminMsg::BlockCopyPaste)}
            </label>
            <label class="field">
                <span class="field__label">{move || i18n.t(ExamAdminMsg::IpRanges)}</span>
                <textarea
                    class="input"
                    rows=3
                    data-testid="exam-ip-ranges"
                    placeholder="10.0.0.0/8"
                    disabled=disabled
                    prop:value=move || ranges.get()
                    on:input=move |ev| ranges.set(event_target_value(&ev))
                ></textarea>
                <span class="field__hint">{move || i18n.t(ExamAdminMsg::IpRangesHint)}</span>
                {range_problems}
            </label>
        </fieldset>
    }
}

#[cfg(test)]
mod tests {
    use super::{parse_limit, parse_ranges};

    #[test]
    fn limits_are_whole_numbers_or_nothing() {
        assert_eq!(parse_limit(""), Ok(None));
        assert_eq!(parse_limit(" 5 "), Ok(Some(5)));
        assert_eq!(parse_limit("2.5"), Err(()));
        assert_eq!(parse_limit("-1"), Err(()));
    }

    #[test]
    fn ranges_split_on_lines_commas_and_spaces() {
        assert_eq!(
            parse_ranges("10.0.0.0/8\n 192.168.1.0/24, 2001:db8::/32\n\n"),
            ["10.0.0.0/8", "192.168.1.0/24", "2001:db8::/32"]
        );
        assert!(parse_ranges("  ").is_empty());
    }
}
