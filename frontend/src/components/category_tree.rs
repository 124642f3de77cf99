//! A bank's categories as an indented tree, with what writers do to them: create one at the top
//! level or below another, rename one (it keeps its place in the tree) and delete one, which the
//! server refuses while it still has sub-categories or questions (`409 category_not_empty`).

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::questions::{CategoryDto, CategoryInput};

use crate::api::QuestionsApi;
use crate::auth::use_auth;
use crate::components::confirm::Confirm;
use crate::components::console_gate::report_error;
use crate::components::form::{FormAlert, FormError};
use crate::i18n::{ConsoleMsg, QuestionMsg, use_i18n};

/// The categories in tree order (each parent followed by its children, siblings by name), each
/// with its depth. A category whose parent is missing counts as top level.
pub fn tree_order(all: &[CategoryDto]) -> Vec<(usize, CategoryDto)> {
    let mut sorted: Vec<&CategoryDto> = all.iter().collect();
    sorted.sort_by(|a, b| a.name.cmp(&b.name));
    let is_root = |c: &CategoryDto| {
        c.parent_id
            .as_ref()
            .is_none_or(|p| !all.iter().any(|o| o.id == *p))
    };
    let mut out = Vec::with_capacity(all.len());
    // Depth-first, with a stack instead of recursion; the `seen` guard stops a cycle.
    let mut stack: Vec<(usize, &CategoryDto)> = sorted
        .iter()
        .rev()
        .filter(|c| is_root(c))
        .map(|c| (0, *c))
        .collect();
    let mut seen = std::collections::HashSet::new();
    while let Some((depth, c)) = stack.pop() {
        if !seen.insert(c.id.clone()) {
            continue;
        }
        out.push((depth, c.clone()));
        stack.extend(
            sorted
                .iter()
                .rev()
                .filter(|o| o.parent_id.as_deref() == Some(c.id.as_str()))
                .map(|o| (depth + 1, *o)),
        );
    }
    out
}

/// The deepest level the tree indents further (see `style.css`).
const MAX_INDENT: usize = 6;

/// A category's name indented by its depth, for `<option>`s.
pub fn indented_name(depth: usize, name: &str) -> String {
    format!("{}{name}", "\u{a0}\u{a0}".repeat(depth * 2))
}

/// What one row of the tree is doing.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Editing {
    Rename(String),
    AddChild(String),
    Delete(String),
}

impl Editing {
    fn id(&self) -> &str {
        match self {
            Editing::Rename(id) | Editing::AddChild(id) | Editing::Delete(id) => id,
        }
    }
}

/// The tree and its forms. `can_write` shows the forms; `on_changed` reloads the categories.
#[component]
pub fn CategoryTree(
    bank: StoredValue<String>,
    #[prop(into)] categories: Signal<Vec<CategoryDto>>,
    #[prop(into)] can_write: Signal<bool>,
    on_changed: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let editing: RwSignal<Option<Editing>> = RwSignal::new(None);
    let text = RwSignal::new(String::new());
    let new_name = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<FormError>);
    let not_empty = RwSignal::new(false);
    let notice = RwSignal::new(false);

    // Runs one change, then reloads the tree (or shows why not).
    let run = move |change: Change| {
        if busy.get_untracked() {
            return;
        }
        let api = QuestionsApi::new(i18n.lang_untracked());
        busy.set(true);
        error.set(None);
        not_empty.set(false);
        notice.set(false);
        spawn_local(async move {
            let result = match &change {
                Change::Create { parent, name } => api
                    .create_category(
                        &bank.get_value(),
                        &CategoryInput {
                            name: name.clone(),
                            parent_id: parent.clone(),
                        },
                    )
                    .await
                    .map(drop),
                Change::Rename { id, parent, name } => api
                    .update_category(
                        id,
                        &CategoryInput {
                            name: name.clone(),
                            parent_id: parent.clone(),
                        },
                    )
                    .await
                    .map(drop),
                Change::Delete { id } => api.delete_category(id).await,
            };
            busy.set(false);
            match result {
                Ok(()) => {
                    editing.set(None);
                    text.set(String::new());
                    if matches!(change, Change::Create { parent: None, .. }) {
                        new_name.set(String::new());
                    }
                    notice.set(true);
                    on_changed.run(());
                }
                Err(err) if err.conflict_reason() == Some("category_not_empty") => {
                    editing.set(None);
                    not_empty.set(true);
                }
                Err(err) => report_error(auth, err, error),
            }
        });
    };

    let create_top = move |ev: SubmitEvent| {
        ev.prevent_default();
        let name = new_name.get_untracked().trim().to_owned();
        if !name.is_empty() {
            run(Change::Create { parent: None, name });
        }
    };
    let rows = move || {
        tree_order(&categories.get())
            .into_iter()
            .map(|(depth, c)| view! { <CategoryRow depth=depth category=c can_write=can_write editing=editing text=text busy=busy run=run /> })
            .collect_view()
    };
    view! {
        <section class="card category-tree" data-testid="categories">
            <h2>{move || i18n.t(QuestionMsg::CategoriesTitle)}</h2>
            <FormAlert error=error testid="categories-error" />
            <Show when=move || not_empty.get()>
                <div class="alert alert--error" role="alert" data-testid="category-not-empty">
                    <p class="alert__message">{move || i18n.t(QuestionMsg::CategoryNotEmpty)}</p>
                </div>
            </Show>
            <Show when=move || notice.get()>
                <p class="notice" role="status" data-testid="categories-notice">
                    {move || i18n.t(QuestionMsg::CategoryDone)}
                </p>
            </Show>
            <Show
                when=move || categories.with(|c| !c.is_empty())
                fallback=move || view! {
                    <p class="empty" data-testid="categories-empty">{move || i18n.t(QuestionMsg::NoCategories)}</p>
                }
            >
                <ul class="category-tree__list" data-testid="category-tree">{rows}</ul>
            </Show>
            <Show when=move || can_write.get()>
                <form class="inline-form" on:submit=create_top>
                    <input
                        class="input"
                        aria-label=move || i18n.t(QuestionMsg::NewCategoryLabel)
                        placeholder=move || i18n.t(QuestionMsg::NewCategoryLabel)
                        maxlength=100
                        data-testid="category-new-name"
                        bind:value=new_name
                    />
                    <button type="submit" class="button button--secondary" data-testid="category-create" disabled=busy>
                        {move || i18n.t(QuestionMsg::CreateCategory)}
                    </button>
                </form>
            </Show>
        </section>
    }
}

/// A change to the tree.
#[derive(Debug, Clone)]
enum Change {
    Create {
        parent: Option<String>,
        name: String,
    },
    Rename {
        id: String,
        parent: Option<String>,
        name: String,
    },
    Delete {
        id: String,
    },
}

/// One category, indented by its depth, with its actions and the form of the one under way.
#[component]
fn CategoryRow(
    depth: usize,
    category: CategoryDto,
    #[prop(into)] can_write: Signal<bool>,
    editing: RwSignal<Option<Editing>>,
    text: RwSignal<String>,
    busy: RwSignal<bool>,
    run: impl Fn(Change) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let CategoryDto {
        id,
        parent_id,
        name,
        question_count,
    } = category;
    let id = StoredValue::new(id);
    let parent = StoredValue::new(parent_id);
    let current = StoredValue::new(name.clone());
    let mode = move || {
        editing.with(|e| {
            e.as_ref()
                .filter(|e| id.with_value(|id| e.id() == id))
                .cloned()
        })
    };
    let start = move |make: fn(String) -> Editing, initial: String| {
        text.set(initial);
        editing.set(Some(make(id.get_value())));
    };
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let value = text.get_untracked().trim().to_owned();
        if value.is_empty() {
            return;
        }
        match mode() {
            Some(Editing::Rename(_)) => run(Change::Rename {
                id: id.get_value(),
                parent: parent.get_value(),
                name: value,
            }),
            Some(Editing::AddChild(_)) => run(Change::Create {
                parent: Some(id.get_value()),
                name: value,
            }),
            _ => {}
        }
    };
    let cancel = move |_| editing.set(None);
    let form = move |label: QuestionMsg, input_testid: &'static str, save_testid: &'static str| {
        view! {
            <form class="inline-form" on:submit=submit>
                <input
                    class="input"
                    aria-label=move || i18n.t(label)
                    placeholder=move || i18n.t(label)
                    maxlength=100
                    data-testid=input_testid
                    bind:value=text
                />
                <button type="submit" class="button button--secondary" data-testid=save_testid disabled=busy>
                    {move || i18n.t(ConsoleMsg::Save)}
                </button>
                <button type="button" class="link-button" data-testid="category-cancel" on:click=cancel>
                    {move || i18n.t(ConsoleMsg::Cancel)}
                </button>
            </form>
        }
    };
    let actions = move || match mode() {
        Some(Editing::Rename(_)) => form(
            QuestionMsg::CategoryNameLabel,
            "category-rename-input",
            "category-rename-save",
        )
        .into_any(),
        Some(Editing::AddChild(_)) => form(
            QuestionMsg::SubcategoryLabel,
            "category-child-name",
            "category-child-create",
        )
        .into_any(),
        Some(Editing::Delete(_)) => view! {
            <Confirm
                question=move || i18n.t(QuestionMsg::DeleteCategoryQuestion).to_owned()
                detail=move || i18n.t(QuestionMsg::DeleteCategoryDetail)
                confirm_label=ConsoleMsg::ConfirmDelete
                busy=busy
                on_yes=move || run(Change::Delete { id: id.get_value() })
                on_no=move || editing.set(None)
            />
        }
        .into_any(),
        None if can_write.get() => view! {
            <span class="category-tree__actions">
                <button
                    type="button"
                    class="link-button"
                    data-testid="category-rename"
                    on:click=move |_| start(Editing::Rename, current.get_value())
                >
                    {move || i18n.t(QuestionMsg::Rename)}
                </button>
                <button
                    type="button"
                    class="link-button"
                    data-testid="category-add-child"
                    on:click=move |_| start(Editing::AddChild, String::new())
                >
                    {move || i18n.t(QuestionMsg::AddSubcategory)}
                </button>
                <button
                    type="button"
                    class="link-button link-button--danger"
                    data-testid="category-delete"
                    on:click=move |_| start(Editing::Delete, String::new())
                >
                    {move || i18n.t(ConsoleMsg::Delete)}
                </button>
            </span>
        }
        .into_any(),
        None => ().into_any(),
    };
    // A class, not a style attribute: the page's CSP allows no inline styles. Deeper levels
    // share the deepest indentation.
    let class = format!(
        "category-tree__row category-tree__row--depth-{}",
        depth.min(MAX_INDENT)
    );
    let data_name = name.clone();
    view! {
        <li
            class=class
            data-testid="category-row"
            data-id=id.get_value()
            data-name=data_name
            data-depth=depth
            data-parent=parent.get_value().unwrap_or_default()
        >
            <span data-testid="category-name">{name}</span>
            " "
            <span class="badge" data-testid="category-count" data-count=question_count>{question_count}</span>
            " "
            {actions}
        </li>
    }
}

#[cfg(test)]
mod tests {
    use shared::questions::CategoryDto;

    use super::tree_order;

    fn category(id: &str, parent: Option<&str>, name: &str) -> CategoryDto {
        CategoryDto {
            id: id.to_owned(),
            parent_id: parent.map(str::to_owned),
            name: name.to_owned(),
            question_count: 0,
        }
    }

    #[test]
    fn children_follow_their_parent_one_level_deeper_and_siblings_go_by_name() {
        let all = vec![
            category("3", Some("1"), "Algebra"),
            category("2", None, "Physics"),
            category("1", None, "Maths"),
            category("4", Some("3"), "Linear"),
            category("5", Some("1"), "Geometry"),
            category("6", Some("gone"), "Orphan"),
        ];
        let order: Vec<(usize, String)> = tree_order(&all)
            .into_iter()
            .map(|(d, c)| (d, c.name))
            .collect();
        let expected = [
            (0, "Maths"),
            (1, "Algebra"),
            (2, "Linear"),
            (1, "Geometry"),
            (0, "Orphan"),
            (0, "Physics"),
        ];
        assert_eq!(
            order,
            expected
                .iter()
                .map(|(d, n)| (*d, (*n).to_owned()))
                .collect::<Vec<_>>()
        );
    }
}
