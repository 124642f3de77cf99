//! Papers in the console: with a bank of twelve questions (two types, three tags) made through
//! the API, an organisation builds a random paper from two rules in the builder, watching the
//! live counts (a rule asking for more than the bank holds turns red and the rules cannot be
//! met), saves it and previews it as a candidate (as many questions as the rules draw; the
//! same seed gives the same paper); then builds a fixed paper from three picked questions,
//! reorders them with the up/down buttons, saves, and finds the order kept.
//!
//! The `data-testid`s of the paper pages (keep them stable):
//!
//! - Navigation: `nav-papers`.
//! - List (`/papers`): `paper-new`, `papers-table`, `paper-row` (`data-name`, `data-id`),
//!   `paper-name`, `paper-kind` (`data-kind`), `paper-count`, `paper-points`, `paper-open`,
//!   `paper-delete`, `papers-empty`, `papers-notice`, `papers-error`; `confirm-yes`/`-no`.
//! - Builder (`/paper[?id=…]`): `back-to-papers`, `paper-form`, `paper-name-input`,
//!   `paper-description`, `paper-shuffle-questions`, `paper-shuffle-options`,
//!   `paper-section` (`data-index`), `section-title`, `section-description`, `section-up`,
//!   `section-down`, `section-remove`, `section-add`, `section-totals` (`data-questions`,
//!   `data-points`), `chosen-list`, `chosen-empty`, `chosen-question` (`data-question-id`),
//!   `chosen-number`, `chosen-type`, `chosen-stem`, `chosen-outdated`, `chosen-update`,
//!   `chosen-latest`, `chosen-points`, `chosen-up`, `chosen-down`, `chosen-remove`,
//!   `pick-questions`, `picker`, `picker-bank`, the bank browser's `questions-filter-*`,
//!   `picker-range` (`data-total`), `picker-list`, `picker-question` (`data-question-id`),
//!   `picker-stem`, `picker-add`, `picker-empty`, `picker-error`, `rules`, `rules-empty`,
//!   `rule-add`, `rule-row`, `rule-bank`, `rule-category`, `rule-tag`, `rule-type`,
//!   `rule-difficulty`, `rule-count`, `rule-points`, `rule-remove`, `rule-available`
//!   (`data-available`, `data-short`), `rules-feasibility` (`data-feasible`), `rules-checking`,
//!   `rules-check-failed`, `paper-totals` (`data-questions`, `data-points`), `paper-save`,
//!   `paper-saved`, `paper-form-error`, `paper-preview`, `field-error-<path>` (the API's path,
//!   e.g. `field-error-sections[0].rules[1].count`, with `data-reason`).
//! - Preview (`/paper-preview?id=…`): `back-to-paper`, `preview-toolbar` (`data-draw`),
//!   `preview-seed` (`data-seed`), `preview-draw-again`, `preview-same-seed`,
//!   `candidate-paper` (`data-questions`), `preview-name`, `preview-totals`,
//!   `preview-section`, `preview-section-title`, `preview-question` (`data-question-id`,
//!   `data-number`), `preview-number`, `preview-stem`, `preview-option`, `preview-blank`,
//!   `preview-essay`, `preview-part`.

use anyhow::Context;
use fantoccini::Locator;
use serde_json::json;

use crate::builders;
use crate::harness::{Browser, with_browser};
use crate::support::call;

/// The attribute `name` of every element matching `css`, in document order.
async fn attrs(b: &Browser, css: &str, name: &str) -> anyhow::Result<Vec<String>> {
    let mut out = Vec::new();
    for el in b.client.find_all(Locator::Css(css)).await? {
        out.push(el.attr(name).await?.unwrap_or_default());
    }
    Ok(out)
}

/// A bank of eight single-choice questions (six tagged `algebra`, two `geometry`) and four
/// true/false ones (tagged `logic`); returns the bank's id.
async fn make_bank(b: &Browser) -> anyhow::Result<String> {
    let bank_id = builders::bank(b, "Maths").await?;
    for i in 1..=8 {
        let tag = if i <= 6 { "algebra" } else { "geometry" };
        let content = json!({
            "type": "single_choice",
            "stem": format!("<p>Choice question {i}</p>"),
            "options": [{ "id": "A", "text": "<p>yes</p>" }, { "id": "B", "text": "<p>no</p>" }],
            "answer": "A",
        });
        let extra = json!({ "difficulty": 3, "tags": [tag] });
        builders::question(b, &bank_id, content, 2.0, extra).await?;
    }
    for i in 1..=4 {
        let content = json!({
            "type": "true_false",
            "stem": format!("<p>True or false {i}</p>"),
            "answer": true,
        });
        builders::question(b, &bank_id, content, 1.0, json!({ "tags": ["logic"] })).await?;
    }
    Ok(bank_id)
}

const RULE_1: &str = "[data-testid=rule-row]:nth-of-type(1)";
const RULE_2: &str = "[data-testid=rule-row]:nth-of-type(2)";
const CHOSEN: &str = "[data-testid=chosen-question]";

#[tokio::test]
async fn an_org_builds_a_random_and_a_fixed_paper_and_previews_it_as_a_candidate()
-> anyhow::Result<()> {
    with_browser(|b: Browser| async move {
        let result = async {
            builders::new_org(&b, "en", "Hillside School", "admin@hillside.example").await?;
            let bank_id = make_bank(&b).await?;

            // A random paper: two rules, with live counts.
            b.click("[data-testid=nav-papers]").await?;
            b.wait_text("[data-testid=papers-empty]", |t| t.contains("No papers"))
                .await?;
            b.click("[data-testid=paper-new]").await?;
            b.fill("[data-testid=paper-name-input]", "Random quiz")
                .await?;
            b.fill("[data-testid=section-title]", "Part one").await?;
            b.click("[data-testid=rule-add]").await?;
            // The rule offers the organisation's banks once they are known.
            b.wait_count(
                &format!("{RULE_1} [data-testid=rule-bank] option[value='{bank_id}']"),
                1,
            )
            .await?;
            b.select(&format!("{RULE_1} [data-testid=rule-bank]"), &bank_id)
                .await?;
            b.select(
                &format!("{RULE_1} [data-testid=rule-type]"),
                "single_choice",
            )
            .await?;
            b.fill(&format!("{RULE_1} [data-testid=rule-tag]"), "algebra")
                .await?;
            b.fill(&format!("{RULE_1} [data-testid=rule-count]"), "4")
                .await?;
            b.fill(&format!("{RULE_1} [data-testid=rule-points]"), "2")
                .await?;
            b.wait_attr(
                &format!("{RULE_1} [data-testid=rule-available]"),
                "data-available",
                |v| v == "6",
            )
            .await?;
            b.click("[data-testid=rule-add]").await?;
            b.select(&format!("{RULE_2} [data-testid=rule-bank]"), &bank_id)
                .await?;
            b.select(&format!("{RULE_2} [data-testid=rule-type]"), "true_false")
                .await?;
            b.fill(&format!("{RULE_2} [data-testid=rule-count]"), "3")
                .await?;
            b.fill(&format!("{RULE_2} [data-testid=rule-points]"), "1")
                .await?;
            b.wait_attr(
                &format!("{RULE_2} [data-testid=rule-available]"),
                "data-available",
                |v| v == "4",
            )
            .await?;
            b.wait_attr("[data-testid=rules-feasibility]", "data-feasible", |v| {
                v == "true"
            })
            .await?;
            b.wait_attr("[data-testid=paper-totals]", "data-questions", |v| v == "7")
                .await?;
            b.wait_attr("[data-testid=paper-totals]", "data-points", |v| v == "11")
                .await?;

            // Asking for more than the bank holds turns the rule red and the rules unmet.
            b.fill(&format!("{RULE_1} [data-testid=rule-count]"), "7")
                .await?;
            b.wait_attr(
                &format!("{RULE_1} [data-testid=rule-available]"),
                "data-short",
                |v| v == "true",
            )
            .await?;
            b.wait_attr("[data-testid=rules-feasibility]", "data-feasible", |v| {
                v == "false"
            })
            .await?;
            // Saved like that, the server names the rule's count.
            b.click("[data-testid=paper-save]").await?;
            b.wait_attr(
                "[data-testid='field-error-sections[0].rules[0].count']",
                "data-reason",
                |v| v == "not_enough_questions",
            )
            .await?;
            b.fill(&format!("{RULE_1} [data-testid=rule-count]"), "4")
                .await?;
            b.wait_attr("[data-testid=rules-feasibility]", "data-feasible", |v| {
                v == "true"
            })
            .await?;
            b.click("[data-testid=paper-save]").await?;
            b.wait_text("[data-testid=paper-saved]", |t| t.contains("saved"))
                .await?;

            // The candidate's view: seven questions; the same seed gives the same paper.
            b.click("[data-testid=paper-preview]").await?;
            b.wait_count("[data-testid=preview-question]", 7).await?;
            let stems = b
                .texts("[data-testid=preview-question] [data-testid=preview-stem]")
                .await?;
            assert_eq!(
                stems
                    .iter()
                    .filter(|s| s.starts_with("Choice question"))
                    .count(),
                4
            );
            assert_eq!(
                stems
                    .iter()
                    .filter(|s| s.starts_with("True or false"))
                    .count(),
                3
            );
            let seed = b
                .wait_attr("[data-testid=preview-seed]", "data-seed", |v| !v.is_empty())
                .await?;
            b.click("[data-testid=preview-same-seed]").await?;
            b.wait_attr("[data-testid=preview-toolbar]", "data-draw", |v| v == "1")
                .await?;
            b.wait_count("[data-testid=preview-question]", 7).await?;
            let again = b
                .texts("[data-testid=preview-question] [data-testid=preview-stem]")
                .await?;
            assert_eq!(again, stems, "the same seed must give the same paper");
            let seed_again = b
                .wait_attr("[data-testid=preview-seed]", "data-seed", |v| !v.is_empty())
                .await?;
            assert_eq!(seed_again, seed);
            b.click("[data-testid=preview-draw-again]").await?;
            b.wait_attr("[data-testid=preview-toolbar]", "data-draw", |v| v == "2")
                .await?;
            b.wait_count("[data-testid=preview-question]", 7).await?;

            // A fixed paper: three questions picked, then reordered with the buttons.
            b.click("[data-testid=nav-papers]").await?;
            b.wait_count("[data-testid=paper-row]", 1).await?;
            b.click("[data-testid=paper-new]").await?;
            b.fill("[data-testid=paper-name-input]", "Fixed quiz")
                .await?;
            b.click("[data-testid=pick-questions]").await?;
            b.wait_count(
                &format!("[data-testid=picker-bank] option[value='{bank_id}']"),
                1,
            )
            .await?;
            b.select("[data-testid=picker-bank]", &bank_id).await?;
            b.wait_count("[data-testid=picker-question]", 12).await?;
            for n in 1..=3 {
                b.click(&format!(
                    "[data-testid=picker-question]:nth-of-type({n}) [data-testid=picker-add]"
                ))
                .await?;
            }
            b.wait_count(CHOSEN, 3).await?;
            let picked = attrs(&b, CHOSEN, "data-question-id").await?;
            b.click(&format!(
                "{CHOSEN}:nth-of-type(1) [data-testid=chosen-down]"
            ))
            .await?;
            b.click(&format!("{CHOSEN}:nth-of-type(3) [data-testid=chosen-up]"))
                .await?;
            let expected = vec![picked[1].clone(), picked[2].clone(), picked[0].clone()];
            assert_eq!(attrs(&b, CHOSEN, "data-question-id").await?, expected);
            b.click("[data-testid=paper-save]").await?;
            b.wait_text("[data-testid=paper-saved]", |t| t.contains("saved"))
                .await?;

            let list = call(&b, "GET", "/api/papers", None).await?;
            let fixed = list
                .as_array()
                .context("paper list")?
                .iter()
                .find(|p| p["name"] == "Fixed quiz")
                .context("the fixed paper is listed")?;
            assert_eq!(fixed["kind"], "fixed");
            let id = fixed["id"].as_str().context("paper id")?.to_owned();
            let paper = call(&b, "GET", &format!("/api/papers/{id}"), None).await?;
            let saved: Vec<String> = paper["sections"][0]["questions"]
                .as_array()
                .context("questions")?
                .iter()
                .filter_map(|q| q["question_id"].as_str().map(str::to_owned))
                .collect();
            assert_eq!(saved, expected, "the order is kept");

            // Opened again, the builder shows that order.
            b.goto(&format!("/paper?id={id}")).await?;
            b.wait_count(CHOSEN, 3).await?;
            assert_eq!(attrs(&b, CHOSEN, "data-question-id").await?, expected);
            b.click("[data-testid=nav-papers]").await?;
            b.wait_count("[data-testid=paper-row]", 2).await?;
            Ok(())
        }
        .await;
        (b, result)
    })
    .await
}
