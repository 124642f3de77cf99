//! The marking screen's pieces: the item as the grader reads it (anonymous code, question,
//! passage, reference answer, the candidate's answer as plain text, and for an arbiter the
//! other marks) and the mark being written ([`Draft`]: a score per rubric criterion or one
//! score, and a comment), checked here against the item before it is sent.

use leptos::html::Input;
use leptos::prelude::*;
use shared::grading::{GradingTask, ItemOrigin, ItemStatus, MarkInput, rubric_points};
use shared::questions::RubricItem;
use shared::results::{key_text, plain_text};

use crate::components::rich_text::{blanks_as_gaps, render_math};
use crate::i18n::{GradingMsg, grader_text, item_status_msg, queue_question_text, use_i18n};
use crate::pages::grading_queue::{HeldUntil, status_class};

/// Points as typed: a number from 0 to `max` in hundredths (the server's rule), else `None`.
pub fn parse_points(text: &str, max: f64) -> Option<f64> {
    let value: f64 = text.trim().parse().ok()?;
    let centi = value * 100.0;
    let whole = (centi - centi.round()).abs() < 1e-6;
    (value.is_finite() && whole && value >= 0.0 && value <= max + 1e-9).then_some(value)
}

/// A number without trailing zeros, as an input shows it.
pub fn points_text(value: f64) -> String {
    format!("{value}")
}

/// The rubric's scores as typed, each checked against its criterion.
pub fn parse_rubric(rubric: &[RubricItem], typed: &[String]) -> Option<Vec<f64>> {
    if typed.len() != rubric.len() {
        return None;
    }
    rubric
        .iter()
        .zip(typed)
        .map(|(item, text)| parse_points(text, item.points))
        .collect()
}

/// The mark being written for the item on screen.
#[derive(Debug, Clone, Copy)]
pub struct Draft {
    pub points: RwSignal<String>,
    pub rubric: RwSignal<Vec<String>>,
    pub comment: RwSignal<String>,
}

impl Draft {
    pub fn new() -> Draft {
        Draft {
            points: RwSignal::new(String::new()),
            rubric: RwSignal::new(Vec::new()),
            comment: RwSignal::new(String::new()),
        }
    }

    /// Starts from the caller's own mark on the item (re-opened to change it), else empty.
    pub fn fill(&self, task: &GradingTask) {
        let mine = task.my_mark.as_ref();
        self.points
            .set(mine.map(|m| points_text(m.points)).unwrap_or_default());
        let scores = mine.and_then(|m| m.rubric.clone()).unwrap_or_default();
        self.rubric.set(
            (0..task.rubric.len())
                .map(|i| scores.get(i).map(|s| points_text(*s)).unwrap_or_default())
                .collect(),
        );
        self.comment
            .set(mine.map(|m| m.comment.clone()).unwrap_or_default());
    }

    /// The rubric's total scaled to the item, once every criterion holds a valid score.
    pub fn rubric_total(&self, task: &GradingTask) -> Option<f64> {
        let scores = self
            .rubric
            .with(|typed| parse_rubric(&task.rubric, typed))?;
        rubric_points(&task.rubric, &scores, task.item.max_points)
    }

    /// The mark to send, or what is wrong with it.
    pub fn input(&self, task: &GradingTask) -> Result<MarkInput, GradingMsg> {
        let comment = self.comment.get_untracked();
        if task.rubric.is_empty() {
            let points = parse_points(&self.points.get_untracked(), task.item.max_points)
                .ok_or(GradingMsg::ErrorPoints)?;
            return Ok(MarkInput {
                points,
                rubric: None,
                comment,
            });
        }
        let scores = self
            .rubric
            .with_untracked(|typed| parse_rubric(&task.rubric, typed))
            .ok_or(GradingMsg::ErrorRubric)?;
        let points = rubric_points(&task.rubric, &scores, task.item.max_points)
            .ok_or(GradingMsg::ErrorRubric)?;
        Ok(MarkInput {
            points,
            rubric: Some(scores),
            comment,
        })
    }
}

/// What the grader reads: the item's facts, the question and the candidate's answer.
pub fn paper_view(task: &GradingTask, sitting: usize) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let lang = i18n.lang_untracked();
    let item = &task.item;
    let (number, part, status) = (item.question_number, item.part, item.status);
    // Rendered as the candidate saw it: formulas, and blanks as numbered gaps.
    let stem = blanks_as_gaps(task.question.stem());
    let passage = task
        .passage
        .as_deref()
        .filter(|p| !plain_text(p).is_empty())
        .map(render_math);
    // A review item is judged against its key, shown open; an essay's reference answer folds.
    let review = task.item.origin == ItemOrigin::Review;
    let key = task.key.clone().filter(|_| review);
    let reference =
        Some(key_text(&task.question, lang)).filter(|k| !review && !k.trim().is_empty());
    let answer = task.answer.clone();
    let answered = !answer.trim().is_empty();
    let arbiter = status == ItemStatus::Arbitration && task.my_mark.is_none();
    let decided = status == ItemStatus::Done;
    view! {
        <div class="grading-paper">
            <div class="grading-paper__facts">
                <code class="grading-paper__code" data-testid="mark-code">{item.anonymous_code.clone()}</code>
                <span data-testid="mark-question">{move || queue_question_text(number, part, i18n.lang())}</span>
                <span class="results__num" data-testid="mark-max">
                    {move || i18n.t(GradingMsg::Max)}" "{item.max_points}
                </span>
                <span class=status_class(status) data-testid="mark-status" data-status=status.as_str()>
                    {move || i18n.t(item_status_msg(status))}
                </span>
                <span class="results__num">{format!("{} / {}", item.marks_given, item.marks_required)}</span>
                <HeldUntil until=task.leased_until.clone() />
                <span class="results__muted" data-testid="mark-sitting">
                    {move || crate::i18n::sitting_text(sitting, i18n.lang())}
                </span>
            </div>
            <Show when=move || arbiter>
                <p class="notice notice--info" data-testid="mark-arbitrate">{move || i18n.t(GradingMsg::Arbitrate)}</p>
            </Show>
            <Show when=move || decided>
                <p class="notice notice--info" data-testid="mark-decided">{move || i18n.t(GradingMsg::Decided)}</p>
            </Show>
            {passage.map(|p| view! {
                <h3 class="grading-paper__label">{move || i18n.t(GradingMsg::Passage)}</h3>
                <div class="grading-paper__text rich-text" inner_html=p></div>
            })}
            <div class="grading-paper__stem rich-text" data-testid="mark-stem" inner_html=stem></div>
            <Show when=move || review>
                <p class="notice notice--info" data-testid="mark-review">{move || i18n.t(GradingMsg::ReviewItem)}</p>
            </Show>
            {key.map(|k| view! {
                <h3 class="grading-paper__label">{move || i18n.t(GradingMsg::Key)}</h3>
                <p class="grading-paper__text" data-testid="mark-key">{k}</p>
            })}
            {reference.map(|r| view! {
                <details class="grading-paper__reference" data-testid="mark-reference">
                    <summary>{move || i18n.t(GradingMsg::Reference)}</summary>
                    <p class="grading-paper__text">{r}</p>
                </details>
            })}
            <h3 class="grading-paper__label">{move || i18n.t(GradingMsg::Answer)}</h3>
            <div class="grading-paper__answer" data-testid="mark-answer" data-answered=answered.to_string()>
                {if answered { answer } else { i18n.t(GradingMsg::NotAnswered).to_owned() }}
            </div>
            {other_marks_view(task)}
        </div>
    }
}

/// The other graders' marks, shown to an arbiter (and once an item is decided).
fn other_marks_view(task: &GradingTask) -> Option<impl IntoView + use<>> {
    let i18n = use_i18n();
    if task.other_marks.is_empty() {
        return None;
    }
    let max = task.item.max_points;
    let criteria: Vec<String> = task.rubric.iter().map(|r| r.criterion.clone()).collect();
    let marks = task
        .other_marks
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let rubric = m
                .rubric
                .as_ref()
                .map(|scores| {
                    criteria
                        .iter()
                        .zip(scores)
                        .map(|(c, s)| format!("{c}: {s}"))
                        .collect::<Vec<_>>()
                        .join(" · ")
                })
                .unwrap_or_default();
            let comment = m.comment.clone();
            view! {
                <li class="grading-marks__mark" data-testid="mark-other" data-points=m.points.to_string()>
                    <strong>{move || grader_text(i + 1, i18n.lang())}</strong>
                    <span class="results__num">{format!("{} / {max}", m.points)}</span>
                    <span class="results__muted">{rubric}</span>
                    <span class="grading-marks__comment">{comment}</span>
                </li>
            }
        })
        .collect_view();
    Some(view! {
        <section class="grading-marks" data-testid="mark-others">
            <h3 class="grading-paper__label">{move || i18n.t(GradingMsg::OtherMarks)}</h3>
            <ul class="grading-marks__list">{marks}</ul>
        </section>
    })
}

/// The score inputs: one per rubric criterion (0 to its points) with the scaled total, or one
/// score (0 to the item's points); then the comment. `first` is focused on each new item.
/// The inputs start from the draft and only write to it: a number input reads as empty while
/// half typed (`7.`), and writing that back would wipe what the grader is typing.
pub fn score_view(
    task: &GradingTask,
    draft: Draft,
    first: NodeRef<Input>,
) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let max = task.item.max_points;
    let scores = if task.rubric.is_empty() {
        view! {
            <label class="field">
                <span class="field__label">{move || i18n.t(GradingMsg::Score)}" (0–"{max}")"</span>
                <input class="input grading-score__input" type="number" min="0" max=max step="0.01"
                    inputmode="decimal" data-testid="mark-points" node_ref=first
                    prop:value=draft.points.get_untracked()
                    on:input=move |ev| draft.points.set(event_target_value(&ev)) />
            </label>
        }
        .into_any()
    } else {
        let rows = task
            .rubric
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let points = item.points;
                let node = if i == 0 { first } else { NodeRef::new() };
                let input = view! {
                    <input class="input grading-score__input" type="number" min="0" max=points step="0.01"
                        inputmode="decimal" data-testid="mark-criterion" data-index=i node_ref=node
                        prop:value=draft.rubric.with_untracked(|r| r.get(i).cloned().unwrap_or_default())
                        on:input=move |ev| {
                            let value = event_target_value(&ev);
                            draft.rubric.update(|r| if let Some(slot) = r.get_mut(i) { *slot = value; });
                        } />
                };
                view! {
                    <label class="grading-rubric__row">
                        <span class="grading-rubric__criterion">{item.criterion.clone()}</span>
                        {input}
                        <span class="results__num">"/ "{points}</span>
                    </label>
                }
            })
            .collect_view();
        let task = task.clone();
        let total = move || {
            draft
                .rubric_total(&task)
                .map_or_else(|| "–".to_owned(), points_text)
        };
        view! {
            <fieldset class="grading-rubric" data-testid="mark-rubric">
                <legend>{move || i18n.t(GradingMsg::Rubric)}</legend>
                {rows}
                <p class="grading-rubric__total">
                    {move || i18n.t(GradingMsg::RubricTotal)}": "
                    <strong data-testid="mark-total">{total}</strong>" / "{max}
                </p>
            </fieldset>
        }
        .into_any()
    };
    view! {
        {scores}
        <label class="field">
            <span class="field__label">{move || i18n.t(GradingMsg::Comment)}</span>
            <textarea class="input grading-comment" rows="4" data-testid="mark-comment"
                prop:value=draft.comment.get_untracked()
                on:input=move |ev| draft.comment.set(event_target_value(&ev))></textarea>
        </label>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_are_hundredths_from_zero_to_the_maximum() {
        assert_eq!(parse_points("7.5", 10.0), Some(7.5));
        assert_eq!(parse_points(" 0 ", 10.0), Some(0.0));
        assert_eq!(parse_points("10", 10.0), Some(10.0));
        assert_eq!(parse_points("0.01", 10.0), Some(0.01));
        assert_eq!(parse_points("10.01", 10.0), None);
        assert_eq!(parse_points("-1", 10.0), None);
        assert_eq!(parse_points("1.005", 10.0), None);
        assert_eq!(parse_points("", 10.0), None);
        assert_eq!(parse_points("abc", 10.0), None);
    }

    #[test]
    fn rubric_scores_are_checked_against_their_criteria() {
        let rubric = vec![
            RubricItem {
                criterion: "a".to_owned(),
                points: 4.0,
            },
            RubricItem {
                criterion: "b".to_owned(),
                points: 6.0,
            },
        ];
        let typed = |a: &str, b: &str| vec![a.to_owned(), b.to_owned()];
        assert_eq!(
            parse_rubric(&rubric, &typed("4", "3")),
            Some(vec![4.0, 3.0])
        );
        assert_eq!(parse_rubric(&rubric, &typed("5", "3")), None);
        assert_eq!(parse_rubric(&rubric, &typed("", "3")), None);
        assert_eq!(parse_rubric(&rubric, &typed("1", "")), None);
    }
}
