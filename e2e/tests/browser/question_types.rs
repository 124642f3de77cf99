//! The editor's structured question types and the bank's category tree: an organisation writes
//! a matching question (with a distractor), a composite question (a single-choice part and a
//! fill-in-blank part, reordered once) and an essay with a rubric through the editor, each
//! stopped first by the editor's own check with the problem beside the right (nested) field,
//! and reads back through the API exactly what it entered; a formula in a stem renders as
//! MathML in the preview and in the bank list, while the candidate preview never shows the
//! rubric. Categories are created, nested, renamed (keeping their place) and deleted, and a
//! category that is not empty cannot be deleted.
//!
//! The `data-testid`s these pages add (keep them stable; `part-<i>-` prefixes the fields of a
//! composite question's part, e.g. `part-0-option-text-1`):
//!
//! - Matching: `matching-prompts`, `prompt-row`, `prompt-id`, `prompt-text-<i>`,
//!   `prompt-answer-<i>` (a select of answer ids), `prompt-remove-<i>`, `prompt-add`,
//!   `matching-answers`, `match-answer-row`, `match-answer-id`, `match-answer-text-<i>`,
//!   `match-answer-remove-<i>`, `match-answer-add`.
//! - Composite: `parts`, `part-row` (`data-index`, `data-type`), `part-<i>-type`,
//!   `part-<i>-stem`, `part-<i>-points`, `part-<i>-up`, `part-<i>-down`, `part-<i>-remove`,
//!   `part-add`, `parts-total`.
//! - Essay: `essay-reference`, `rubric`, `rubric-row`, `rubric-criterion-<i>`,
//!   `rubric-points-<i>`, `rubric-remove-<i>`, `rubric-add`, `rubric-total`; beside the
//!   preview, for graders only: `grader-notes`, `grader-reference`, `grader-rubric`,
//!   `grader-rubric-item`.
//! - Categories (bank page): `categories`, `category-tree`, `categories-empty`,
//!   `categories-notice`, `categories-error`, `category-not-empty`, `category-row`
//!   (`data-id`, `data-name`, `data-depth`, `data-parent`), `category-name`, `category-count`
//!   (`data-count`), `category-rename`, `category-rename-input`, `category-rename-save`,
//!   `category-add-child`, `category-child-name`, `category-child-create`, `category-cancel`,
//!   `category-delete`, `category-new-name`, `category-create`.

use fantoccini::Locator;
use serde_json::json;
use shared::questions::{
    Blank, CategoryDto, Choice, Pair, Part, QuestionContent, QuestionPage, QuestionType, RubricItem,
};

use crate::builders;
use crate::harness::{Browser, with_browser};
use crate::support::{attr, page_fetch, prop};

const ROW: &str = "[data-testid=question-row]";

fn choice(id: &str, text: &str) -> Choice {
    Choice {
        id: id.to_owned(),
        text: text.to_owned(),
    }
}

/// Registers in English, creates a bank and opens it; returns the bank's id.
async fn open_new_bank(b: &Browser, org: &str, email: &str, bank: &str) -> anyhow::Result<String> {
    builders::new_org(b, "en", org, email).await?;
    b.click("[data-testid=nav-questions]").await?;
    b.fill("[data-testid=bank-new-name]", bank).await?;
    b.click("[data-testid=bank-create]").await?;
    b.click(&format!(
        "[data-testid=bank-row][data-name='{bank}'] [data-testid=bank-name]"
    ))
    .await?;
    b.wait_text("[data-testid=questions-empty]", |t| !t.is_empty())
        .await?;
    let url = b.client.current_url().await?;
    url.query_pairs()
        .find(|(k, _)| k == "bank")
        .map(|(_, v)| v.into_owned())
        .ok_or_else(|| anyhow::anyhow!("no bank in {url}"))
}

/// A GET of the API with the page's session, decoded.
async fn api_get<T: serde::de::DeserializeOwned>(b: &Browser, path: &str) -> anyhow::Result<T> {
    let (status, body) = page_fetch(b, "GET", path, json!({}), None).await?;
    anyhow::ensure!(status == 200, "GET {path}: {status} {body}");
    Ok(serde_json::from_str(&body)?)
}

/// The stored content of the bank's question of this type.
async fn stored(b: &Browser, bank: &str, kind: QuestionType) -> anyhow::Result<QuestionContent> {
    let page: QuestionPage = api_get(
        b,
        &format!("/api/question-banks/{bank}/questions?limit=100"),
    )
    .await?;
    page.items
        .into_iter()
        .find(|q| q.content.question_type() == kind)
        .map(|q| q.content)
        .ok_or_else(|| anyhow::anyhow!("no {kind:?} question stored"))
}

/// Waits for the problem of a field (by its API path) and returns its reason.
async fn problem_of(b: &Browser, field: &str) -> anyhow::Result<String> {
    b.wait_attr(
        &format!(r#"[data-testid="field-error-{field}"]"#),
        "data-reason",
        |r| !r.is_empty(),
    )
    .await
}

/// Waits until the editor's preview frame shows `n` formulas (`<math>` elements).
async fn wait_math_in_preview(b: &Browser, n: usize) -> anyhow::Result<()> {
    let frame = b
        .client
        .find(Locator::Css("[data-testid=question-preview]"))
        .await?;
    frame.enter_frame().await?;
    let found = b.wait_count("math", n).await;
    b.client.enter_parent_frame().await?;
    found
}

#[tokio::test]
async fn an_org_writes_matching_composite_and_essay_questions_in_the_editor() -> anyhow::Result<()>
{
    with_browser(|b: Browser| async move {
        let result = async {
            let bank =
                open_new_bank(&b, "Hillside School", "admin@hillside.example", "Mixed").await?;

            // Matching: every prompt needs its answer; the unused answer is a distractor.
            b.click("[data-testid=question-new]").await?;
            b.select("[data-testid=question-type-select]", "matching")
                .await?;
            b.fill("[data-testid=question-stem-input]", "Match the formulas")
                .await?;
            b.fill("[data-testid=prompt-text-0]", "H2O").await?;
            b.fill("[data-testid=prompt-text-1]", "NaCl").await?;
            for (i, text) in ["water", "salt", "sugar"].iter().enumerate() {
                b.fill(&format!("[data-testid=match-answer-text-{i}]"), text)
                    .await?;
            }
            b.select("[data-testid=prompt-answer-0]", "a").await?;
            b.click("[data-testid=question-save]").await?;
            let reason = problem_of(&b, "content.pairs").await?;
            anyhow::ensure!(reason == "prompt_without_answer", "pairs: {reason}");
            b.select("[data-testid=prompt-answer-1]", "b").await?;
            b.click("[data-testid=question-save]").await?;
            b.wait_count(ROW, 1).await?;
            let expected = QuestionContent::Matching {
                stem: "Match the formulas".to_owned(),
                prompts: vec![choice("1", "H2O"), choice("2", "NaCl")],
                answers: vec![
                    choice("a", "water"),
                    choice("b", "salt"),
                    choice("c", "sugar"),
                ],
                pairs: vec![
                    Pair {
                        prompt: "1".to_owned(),
                        answer: "a".to_owned(),
                    },
                    Pair {
                        prompt: "2".to_owned(),
                        answer: "b".to_owned(),
                    },
                ],
            };
            let got = stored(&b, &bank, QuestionType::Matching).await?;
            anyhow::ensure!(got == expected, "stored matching: {got:?}");

            // Composite: a passage with a single-choice part and a fill-in-blank part.
            b.click("[data-testid=question-new]").await?;
            b.select("[data-testid=question-type-select]", "composite")
                .await?;
            b.fill("[data-testid=question-stem-input]", "Read the table.")
                .await?;
            b.wait_count("[data-testid=part-row]", 1).await?;
            b.fill("[data-testid=part-0-stem]", "Which is prime?")
                .await?;
            b.fill("[data-testid=part-0-option-text-0]", "4").await?;
            b.click("[data-testid=part-add]").await?;
            b.wait_count("[data-testid=part-row]", 2).await?;
            b.select("[data-testid=part-1-type]", "fill_blank").await?;
            b.wait_count("[data-testid=part-row][data-type=fill_blank]", 1)
                .await?;
            // The editor's own check names fields inside the parts.
            b.click("[data-testid=question-save]").await?;
            let reason = problem_of(&b, "content.parts[0].content.options[1].text").await?;
            anyhow::ensure!(reason == "required", "part 0 option 1: {reason}");
            let reason = problem_of(&b, "content.parts[0].content.answer").await?;
            anyhow::ensure!(reason == "unknown_option", "part 0 answer: {reason}");
            let reason = problem_of(&b, "content.parts[1].content.stem").await?;
            anyhow::ensure!(reason == "required", "part 1 stem: {reason}");
            for (i, text) in ["6", "7", "9"].iter().enumerate() {
                b.fill(&format!("[data-testid=part-0-option-text-{}]", i + 1), text)
                    .await?;
            }
            b.click("[data-testid=part-0-option-correct-2]").await?;
            b.fill("[data-testid=part-0-points]", "2").await?;
            b.fill("[data-testid=part-1-stem]", "2 + 2 = {{1}}").await?;
            b.fill("[data-testid=part-1-blank-answers-0]", "4; four")
                .await?;
            b.fill("[data-testid=part-1-points]", "1.5").await?;
            b.wait_text("[data-testid=parts-total]", |t| t.ends_with("3.5"))
                .await?;
            // Moved down and back up: the parts keep what was entered.
            b.click("[data-testid=part-0-down]").await?;
            b.wait_count(
                "[data-testid=part-row][data-index='0'][data-type=fill_blank]",
                1,
            )
            .await?;
            b.click("[data-testid=part-1-up]").await?;
            b.wait_count(
                "[data-testid=part-row][data-index='0'][data-type=single_choice]",
                1,
            )
            .await?;
            b.wait_attr("[data-testid=question-preview]", "srcdoc", |doc| {
                doc.contains("Which is prime?") && doc.contains("C. 7")
            })
            .await?;
            b.click("[data-testid=question-save]").await?;
            b.wait_count(ROW, 2).await?;
            let expected = QuestionContent::Composite {
                passage: "Read the table.".to_owned(),
                parts: vec![
                    Part {
                        content: QuestionContent::SingleChoice {
                            stem: "Which is prime?".to_owned(),
                            options: vec![
                                choice("A", "4"),
                                choice("B", "6"),
                                choice("C", "7"),
                                choice("D", "9"),
                            ],
                            answer: "C".to_owned(),
                        },
                        points: 2.0,
                    },
                    Part {
                        content: QuestionContent::FillBlank {
                            stem: "2 + 2 = {{1}}".to_owned(),
                            blanks: vec![Blank {
                                answers: vec!["4".to_owned(), "four".to_owned()],
                                case_sensitive: false,
                                exact_spaces: false,
                                width_sensitive: false,
                                numeric_tolerance: None,
                            }],
                        },
                        points: 1.5,
                    },
                ],
            };
            let got = stored(&b, &bank, QuestionType::Composite).await?;
            anyhow::ensure!(got == expected, "stored composite: {got:?}");

            // An essay with a formula and a rubric: graders see the rubric, candidates never.
            b.click("[data-testid=question-new]").await?;
            b.select("[data-testid=question-type-select]", "essay")
                .await?;
            b.fill(
                "[data-testid=question-stem-input]",
                r"Prove that $x^2 \geq 0$ for every real $x$.",
            )
            .await?;
            wait_math_in_preview(&b, 2).await?;
            b.fill(
                "[data-testid=essay-reference]",
                "Squares are never negative.",
            )
            .await?;
            b.click("[data-testid=rubric-add]").await?;
            b.click("[data-testid=rubric-add]").await?;
            b.fill("[data-testid=rubric-criterion-0]", "States the claim")
                .await?;
            b.fill("[data-testid=rubric-points-0]", "2").await?;
            b.fill("[data-testid=rubric-criterion-1]", "Gives a proof")
                .await?;
            b.click("[data-testid=question-save]").await?;
            let reason = problem_of(&b, "content.rubric[1].points").await?;
            anyhow::ensure!(reason == "out_of_range", "rubric points: {reason}");
            b.fill("[data-testid=rubric-points-1]", "3").await?;
            b.wait_text("[data-testid=rubric-total]", |t| t.ends_with(": 5"))
                .await?;
            b.wait_count("[data-testid=grader-rubric-item]", 2).await?;
            b.wait_text("[data-testid=grader-reference]", |t| {
                t == "Squares are never negative."
            })
            .await?;
            let doc = attr(&b, "[data-testid=question-preview]", "srcdoc")
                .await?
                .unwrap_or_default();
            anyhow::ensure!(
                !doc.contains("States the claim") && !doc.contains("Squares are"),
                "the candidate preview shows what only graders see: {doc}"
            );
            b.click("[data-testid=question-save]").await?;
            b.wait_count(ROW, 3).await?;
            // The bank list renders the stored stem's formulas too.
            b.wait_count(
                &format!("{ROW}[data-type=essay] [data-testid=question-stem] math"),
                2,
            )
            .await?;
            let got = stored(&b, &bank, QuestionType::Essay).await?;
            let QuestionContent::Essay {
                reference_answer,
                rubric,
                ..
            } = &got
            else {
                anyhow::bail!("not an essay: {got:?}");
            };
            anyhow::ensure!(
                reference_answer == "Squares are never negative."
                    && *rubric
                        == vec![
                            RubricItem {
                                criterion: "States the claim".to_owned(),
                                points: 2.0,
                            },
                            RubricItem {
                                criterion: "Gives a proof".to_owned(),
                                points: 3.0,
                            },
                        ],
                "stored essay: {got:?}"
            );

            // Editing the essay shows its rubric again.
            b.click(&format!(
                "{ROW}[data-type=essay] [data-testid=question-edit]"
            ))
            .await?;
            b.wait_count("[data-testid=rubric-row]", 2).await?;
            let criterion = prop(&b, "[data-testid=rubric-criterion-1]", "value").await?;
            anyhow::ensure!(
                criterion.as_deref() == Some("Gives a proof"),
                "the editor shows the criterion {criterion:?}"
            );
            Ok(())
        }
        .await;
        (b, result)
    })
    .await
}

#[tokio::test]
async fn categories_nest_are_renamed_in_place_and_only_empty_ones_are_deleted() -> anyhow::Result<()>
{
    with_browser(|b: Browser| async move {
        let result = async {
            let bank =
                open_new_bank(&b, "Lakeside School", "admin@lakeside.example", "Maths").await?;
            let row = |name: &str| format!("[data-testid=category-row][data-name='{name}']");

            b.wait_count("[data-testid=categories-empty]", 1).await?;
            b.fill("[data-testid=category-new-name]", "Algebra").await?;
            b.click("[data-testid=category-create]").await?;
            b.wait_count(&row("Algebra"), 1).await?;

            // Renamed.
            b.click(&format!("{} [data-testid=category-rename]", row("Algebra")))
                .await?;
            b.fill("[data-testid=category-rename-input]", "Algebra I")
                .await?;
            b.click("[data-testid=category-rename-save]").await?;
            b.wait_count(&row("Algebra I"), 1).await?;
            let parent_id = attr(&b, &row("Algebra I"), "data-id")
                .await?
                .unwrap_or_default();

            // A sub-category, one level deeper.
            b.click(&format!(
                "{} [data-testid=category-add-child]",
                row("Algebra I")
            ))
            .await?;
            b.fill("[data-testid=category-child-name]", "Linear equations")
                .await?;
            b.click("[data-testid=category-child-create]").await?;
            let child = row("Linear equations");
            b.wait_attr(&child, "data-depth", |d| d == "1").await?;
            let parent = attr(&b, &child, "data-parent").await?;
            anyhow::ensure!(
                parent.as_deref() == Some(parent_id.as_str()),
                "the sub-category's parent is {parent:?}"
            );

            // Renaming a sub-category keeps it where it is.
            b.click(&format!("{child} [data-testid=category-rename]"))
                .await?;
            b.fill("[data-testid=category-rename-input]", "Linear systems")
                .await?;
            b.click("[data-testid=category-rename-save]").await?;
            b.wait_attr(&row("Linear systems"), "data-depth", |d| d == "1")
                .await?;

            // The parent still has a sub-category: refused, and the page says why.
            b.click(&format!(
                "{} [data-testid=category-delete]",
                row("Algebra I")
            ))
            .await?;
            b.click("[data-testid=confirm-yes]").await?;
            b.wait_text("[data-testid=category-not-empty]", |t| {
                t.contains("still has sub-categories")
            })
            .await?;
            b.wait_count("[data-testid=category-row]", 2).await?;

            // The empty sub-category goes.
            b.click(&format!(
                "{} [data-testid=category-delete]",
                row("Linear systems")
            ))
            .await?;
            b.click("[data-testid=confirm-yes]").await?;
            b.wait_count("[data-testid=category-row]", 1).await?;

            let stored: Vec<CategoryDto> =
                api_get(&b, &format!("/api/question-banks/{bank}/categories")).await?;
            anyhow::ensure!(
                stored.len() == 1 && stored[0].name == "Algebra I" && stored[0].parent_id.is_none(),
                "stored categories: {stored:?}"
            );
            Ok(())
        }
        .await;
        (b, result)
    })
    .await
}

/// The other three types through the editor (with the tests above and `questions.rs`, one
/// question of every type is written in the browser): multiple choice with two correct
/// options, true/false, and ordering; each is stored exactly as entered.
#[tokio::test]
async fn an_org_writes_multiple_choice_true_false_and_ordering_questions_in_the_editor()
-> anyhow::Result<()> {
    with_browser(|b: Browser| async move {
        let result = async {
            let bank =
                open_new_bank(&b, "Valley School", "admin@valley.example", "Objective").await?;

            b.click("[data-testid=question-new]").await?;
            b.select("[data-testid=question-type-select]", "multiple_choice")
                .await?;
            b.fill("[data-testid=question-stem-input]", "Which are primes?")
                .await?;
            for (i, text) in ["2", "4", "5", "9"].iter().enumerate() {
                b.fill(&format!("[data-testid=option-text-{i}]"), text)
                    .await?;
            }
            b.click("[data-testid=option-correct-0]").await?;
            b.click("[data-testid=option-correct-2]").await?;
            b.click("[data-testid=question-save]").await?;
            b.wait_count(ROW, 1).await?;
            let got = stored(&b, &bank, QuestionType::MultipleChoice).await?;
            let expected = QuestionContent::MultipleChoice {
                stem: "Which are primes?".to_owned(),
                options: vec![
                    choice("A", "2"),
                    choice("B", "4"),
                    choice("C", "5"),
                    choice("D", "9"),
                ],
                answers: vec!["A".to_owned(), "C".to_owned()],
            };
            anyhow::ensure!(got == expected, "stored multiple choice: {got:?}");

            b.click("[data-testid=question-new]").await?;
            b.select("[data-testid=question-type-select]", "true_false")
                .await?;
            b.fill("[data-testid=question-stem-input]", "$2^{10} = 1024$")
                .await?;
            b.click("[data-testid=truth-false]").await?;
            b.click("[data-testid=truth-true]").await?;
            b.click("[data-testid=question-save]").await?;
            b.wait_count(ROW, 2).await?;
            let got = stored(&b, &bank, QuestionType::TrueFalse).await?;
            let expected = QuestionContent::TrueFalse {
                stem: "$2^{10} = 1024$".to_owned(),
                answer: true,
            };
            anyhow::ensure!(got == expected, "stored true/false: {got:?}");

            b.click("[data-testid=question-new]").await?;
            b.select("[data-testid=question-type-select]", "ordering")
                .await?;
            b.fill("[data-testid=question-stem-input]", "按时间排序")
                .await?;
            for (i, text) in ["秦", "汉", "唐", "宋"].iter().enumerate() {
                b.fill(&format!("[data-testid=option-text-{i}]"), text)
                    .await?;
            }
            b.click("[data-testid=question-save]").await?;
            b.wait_count(ROW, 3).await?;
            let got = stored(&b, &bank, QuestionType::Ordering).await?;
            let expected = QuestionContent::Ordering {
                stem: "按时间排序".to_owned(),
                items: vec![
                    choice("A", "秦"),
                    choice("B", "汉"),
                    choice("C", "唐"),
                    choice("D", "宋"),
                ],
            };
            anyhow::ensure!(got == expected, "stored ordering: {got:?}");
            Ok(())
        }
        .await;
        (b, result)
    })
    .await
}
