//! The header of a page: an optional way back, the title (`data-testid="page-title"`), an
//! optional lead, and actions on the right.

use leptos::prelude::*;

/// The link back to where the page belongs (`← 题库`).
pub struct Back {
    pub href: String,
    pub testid: &'static str,
    pub label: TextProp,
}

#[component]
pub fn PageHeader(
    /// The title, in the current language (a closure follows language changes).
    #[prop(into)]
    title: TextProp,
    #[prop(optional, into)] lead: Option<TextProp>,
    #[prop(optional)] back: Option<Back>,
    /// Shown on the right of the header: a button or a link to another view.
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let back = back.map(
        |Back {
             href,
             testid,
             label,
         }| {
            view! {
                <p>
                    <a href=href data-testid=testid>
                        {move || label.get()}
                    </a>
                </p>
            }
        },
    );
    let lead = lead.map(|lead| view! { <p class="lead">{move || lead.get()}</p> });
    view! {
        <div class="page-header">
            <div>
                {back}
                <h1 class="page-title" data-testid="page-title">
                    {move || title.get()}
                </h1>
                {lead}
            </div>
            {children.map(|children| children())}
        </div>
    }
}
