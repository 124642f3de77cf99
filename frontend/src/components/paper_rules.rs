//! The rules of a random section: one editor row per rule (bank, category as a tree, tag,
//! type, difficulty, count, points) with how many questions of the banks match it now.

use leptos::prelude::*;
use shared::questions::{CategoryDto, QuestionType};

use crate::api::QuestionsApi;
use crate::components::paper_draft::{BuilderCtx, PathError, RuleSlot, SectionSlot};
use crate::i18n::{ConsoleMsg, PaperMsg, QuestionMsg, available_text, type_msg, use_i18n};

/// The rules of `section`, and the button that adds one.
#[component]
pub fn RuleList(ctx: BuilderCtx, section: SectionSlot) -> impl IntoView {
    let i18n = use_i18n();
    let add = move |_| {
        let bank = ctx
            .banks
            .with_untracked(|b| b.first().map(|b| b.id.clone()))
            .unwrap_or_default();
        ctx.draft.add_rule(section, bank);
    };
    view! {
        <div class="paper-rules" data-testid="rules">
            <h3 class="section-title">{move || i18n.t(PaperMsg::Rules)}</h3>
            <Show when=move || section.rules.with(Vec::is_empty)>
                <p class="empty" data-testid="rules-empty">{move || i18n.t(PaperMsg::NoRules)}</p>
            </Show>
            <For
                each=move || section.rules.get()
                key=|rule| rule.key
                children=move |rule| view! { <RuleRow ctx=ctx section=section rule=rule /> }
            />
            <Show when=move || ctx.can_write.get()>
                <button type="button" class="button button--secondary" data-testid="rule-add" on:click=add>
                    {move || i18n.t(PaperMsg::AddRule)}
                </button>
            </Show>
        </div>
    }
}

#[component]
fn RuleRow(ctx: BuilderCtx, section: SectionSlot, rule: RuleSlot) -> impl IntoView {
    let i18n = use_i18n();
    // The API's path of this rule, following the rule (and its section) as others move.
    let prefix = Memo::new(move |_| {
        let s = ctx
            .draft
            .sections
            .with(|all| all.iter().position(|x| x.key == section.key))
            .unwrap_or(0);
        let r = section
            .rules
            .with(|all| all.iter().position(|x| x.key == rule.key))
            .unwrap_or(0);
        format!("sections[{s}].rules[{r}]")
    });
    let path =
        move |field: &'static str| Signal::derive(move || format!("{}.{field}", prefix.get()));
    let categories = LocalResource::new(move || {
        let bank = rule.bank_id.get();
        let api = QuestionsApi::new(i18n.lang_untracked());
        async move {
            if bank.is_empty() {
                return Vec::new();
            }
            // A failure leaves only "any category"; saving still names a bad category.
            api.categories(&bank).await.unwrap_or_default()
        }
    });
    let bank_options = move || {
        ctx.banks
            .get()
            .into_iter()
            .map(|bank| {
                let id = bank.id.clone();
                view! {
                    <option value=bank.id.clone() selected=move || rule.bank_id.with(|b| *b == id)>
                        {bank.name}
                    </option>
                }
            })
            .collect_view()
    };
    let category_options = move || {
        let list = categories.get().unwrap_or_default();
        category_tree(&list)
            .into_iter()
            .map(|(depth, c)| {
                let id = c.id.clone();
                let label = format!("{}{}", "\u{3000}".repeat(depth), c.name);
                view! {
                    <option value=c.id.clone() selected=move || rule.category_id.with(|x| *x == id)>
                        {label}
                    </option>
                }
            })
            .collect_view()
    };
    let type_options = QuestionType::ALL
        .iter()
        .map(|t| {
            let value = t.as_str();
            let msg = type_msg(*t);
            view! {
                <option value=value selected=move || rule.question_type.with(|c| c == value)>
                    {move || i18n.t(msg)}
                </option>
            }
        })
        .collect_view();
    let difficulty_options = (1..=5)
        .map(|d: u8| {
            let value = d.to_string();
            let current = value.clone();
            view! {
                <option value=value selected=move || rule.difficulty.with(|c| *c == current)>
                    {d}
                </option>
            }
        })
        .collect_view();
    let available = move || {
        let n = ctx.live.with(|l| l.available_for(rule.key))?;
        let short = rule.count_value().is_some_and(|c| i64::from(c) > n);
        let class = if short {
            "rule__available field__error"
        } else {
            "rule__available hint"
        };
        Some(view! {
            <span class=class data-testid="rule-available" data-available=n data-short=short.to_string()>
                {move || available_text(n, i18n.lang())}
            </span>
        })
    };
    let remove = move |_| section.rules.update(|r| r.retain(|x| x.key != rule.key));
    let disabled = move || !ctx.can_write.get();
    view! {
        <div class="rule card" data-testid="rule-row" data-key=rule.key>
            <div class="filters">
                <label class="filters__item">
                    <span class="field__label">{move || i18n.t(QuestionMsg::ColBankName)}</span>
                    <select
                        class="input"
                        data-testid="rule-bank"
                        disabled=disabled
                        on:change=move |ev| {
                            rule.bank_id.set(event_target_value(&ev));
                            rule.category_id.set(String::new());
                        }
                    >
                        <option value="" selected=move || rule.bank_id.with(String::is_empty)>
                            {move || i18n.t(PaperMsg::ChooseBank)}
                        </option>
                        {bank_options}
                    </select>
                    <PathError path=path("bank_id") errors=ctx.errors />
                </label>
                <label class="filters__item">
                    <span class="field__label">{move || i18n.t(PaperMsg::RuleCategory)}</span>
                    <select
                        class="input"
                        data-testid="rule-category"
                        disabled=disabled
                        on:change=move |ev| rule.category_id.set(event_target_value(&ev))
                    >
                        <option value="" selected=move || rule.category_id.with(String::is_empty)>
                            {move || i18n.t(PaperMsg::AnyCategory)}
                        </option>
                        {category_options}
                    </select>
                    <PathError path=path("category_id") errors=ctx.errors />
                </label>
                <label class="filters__item">
                    <span class="field__label">{move || i18n.t(PaperMsg::RuleTag)}</span>
                    <input class="input" data-testid="rule-tag" maxlength=50 disabled=disabled bind:value=rule.tag />
                </label>
                <label class="filters__item">
                    <span class="field__label">{move || i18n.t(QuestionMsg::FilterType)}</span>
                    <select
                        class="input"
                        data-testid="rule-type"
                        disabled=disabled
                        on:change=move |ev| rule.question_type.set(event_target_value(&ev))
                    >
                        {type_options}
                    </select>
                </label>
                <label class="filters__item">
                    <span class="field__label">{move || i18n.t(QuestionMsg::Difficulty)}</span>
                    <select
                        class="input"
                        data-testid="rule-difficulty"
                        disabled=disabled
                        on:change=move |ev| rule.difficulty.set(event_target_value(&ev))
                    >
                        <option value="" selected=move || rule.difficulty.with(String::is_empty)>
                            {move || i18n.t(PaperMsg::AnyDifficulty)}
                        </option>
                        {difficulty_options}
                    </select>
                    <PathError path=path("difficulty") errors=ctx.errors />
                </label>
                <label class="filters__item">
                    <span class="field__label">{move || i18n.t(PaperMsg::RuleCount)}</span>
                    <input
                        class="input"
                        type="number"
                        min=1
                        step=1
                        data-testid="rule-count"
                        disabled=disabled
                        bind:value=rule.count
                    />
                    {available}
                    <PathError path=path("count") errors=ctx.errors />
                </label>
                <label class="filters__item">
                    <span class="field__label">{move || i18n.t(PaperMsg::RulePoints)}</span>
                    <input
                        class="input"
                        type="number"
                        min=0
                        step="any"
                        data-testid="rule-points"
                        disabled=disabled
                        bind:value=rule.points
                    />
                    <PathError path=path("points") errors=ctx.errors />
                </label>
                <Show when=move || ctx.can_write.get()>
                    <div class="filters__actions">
                        <button type="button" class="link-button link-button--danger" data-testid="rule-remove" on:click=remove>
                            {move || i18n.t(ConsoleMsg::Delete)}
                        </button>
                    </div>
                </Show>
            </div>
        </div>
    }
}

/// The categories in tree order (each parent before its children), with their depth. A
/// category whose parent is missing is shown as a root rather than lost.
pub fn category_tree(list: &[CategoryDto]) -> Vec<(usize, &CategoryDto)> {
    fn visit<'a>(
        list: &'a [CategoryDto],
        parent: Option<&str>,
        depth: usize,
        out: &mut Vec<(usize, &'a CategoryDto)>,
    ) {
        for c in list.iter().filter(|c| c.parent_id.as_deref() == parent) {
            if out.iter().any(|(_, seen)| seen.id == c.id) || depth > 32 {
                continue;
            }
            out.push((depth, c));
            visit(list, Some(&c.id), depth + 1, out);
        }
    }
    let mut out = Vec::with_capacity(list.len());
    let known = |id: &str| list.iter().any(|c| c.id == id);
    for root in list
        .iter()
        .filter(|c| c.parent_id.as_deref().is_none_or(|p| !known(p)))
    {
        if out
            .iter()
            .any(|(_, seen): &(usize, &CategoryDto)| seen.id == root.id)
        {
            continue;
        }
        out.push((0, root));
        visit(list, Some(&root.id), 1, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use shared::questions::CategoryDto;

    use super::category_tree;

    fn cat(id: &str, parent: Option<&str>) -> CategoryDto {
        CategoryDto {
            id: id.to_owned(),
            parent_id: parent.map(str::to_owned),
            name: id.to_owned(),
            question_count: 0,
        }
    }

    #[test]
    fn categories_come_in_tree_order_with_their_depth() {
        let list = [
            cat("b", Some("a")),
            cat("a", None),
            cat("c", Some("b")),
            cat("d", None),
            cat("orphan", Some("gone")),
        ];
        let tree: Vec<(usize, &str)> = category_tree(&list)
            .into_iter()
            .map(|(d, c)| (d, c.id.as_str()))
            .collect();
        assert_eq!(
            tree,
            [(0, "a"), (1, "b"), (2, "c"), (0, "d"), (0, "orphan")]
        );
    }
}
