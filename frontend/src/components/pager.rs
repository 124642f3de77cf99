//! "1–50 of 120" with previous and next buttons under a paged table, and — where the page
//! lets the user choose — how many rows a page holds. The page asks for the offset to go to
//! (and the new page size, which starts again at the first row); the buttons are disabled at
//! either end.

use leptos::prelude::*;

use crate::i18n::{ConsoleMsg, range_text, use_i18n};

/// The page sizes a user may choose.
pub const PAGE_SIZES: [i64; 4] = [10, 20, 50, 100];

/// The pager of a page that starts at `offset`, holds `shown` rows of at most `limit`, out of
/// `total`. Test ids: `{testid}-range` (with `data-total`), `{testid}-prev`, `{testid}-next`,
/// and with `resize` the page size `{testid}-size` (10, 20, 50 or 100 rows).
#[component]
pub fn Pager(
    offset: i64,
    limit: i64,
    shown: usize,
    total: i64,
    testid: &'static str,
    go: Callback<i64>,
    /// Called with a new page size chosen by the user; without it the size is fixed.
    #[prop(optional)]
    resize: Option<Callback<i64>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let first = offset + 1;
    let last = (offset + i64::try_from(shown).unwrap_or(i64::MAX)).min(total);
    let at_start = offset == 0;
    let at_end = last >= total;
    let sizes = resize.map(|resize| {
        let options = PAGE_SIZES
            .iter()
            .map(|n| view! { <option value=n.to_string() selected=*n == limit>{*n}</option> })
            .collect_view();
        view! {
            <label class="pager__size">
                <span>{move || i18n.t(ConsoleMsg::PerPage)}</span>
                <select class="input" data-testid=format!("{testid}-size")
                    on:change=move |ev| {
                        if let Ok(n) = event_target_value(&ev).parse::<i64>() {
                            resize.run(n);
                        }
                    }>
                    {options}
                </select>
            </label>
        }
    });
    view! {
        <nav class="pager" aria-label=move || i18n.t(ConsoleMsg::Pagination)>
            <span data-testid=format!("{testid}-range") data-total=total>
                {move || range_text(first, last, total, i18n.lang())}
            </span>
            <button type="button" class="button button--secondary" data-testid=format!("{testid}-prev")
                disabled=at_start on:click=move |_| go.run((offset - limit).max(0))>
                {move || i18n.t(ConsoleMsg::PrevPage)}
            </button>
            <button type="button" class="button button--secondary" data-testid=format!("{testid}-next")
                disabled=at_end on:click=move |_| go.run(offset + limit)>
                {move || i18n.t(ConsoleMsg::NextPage)}
            </button>
            {sizes}
        </nav>
    }
}
