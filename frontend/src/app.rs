//! The root component: the language context, the router and the layout around every page.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};

use crate::components::Layout;
use crate::i18n;
use crate::pages::{HomePage, NotFoundPage, StatusPage};
use crate::routes::Page;

#[component]
pub fn App() -> impl IntoView {
    i18n::provide_i18n();
    view! {
        <Router>
            <Layout>
                <Routes fallback=NotFoundPage>
                    <Route path=Page::Home.segment() view=HomePage />
                    <Route path=Page::Status.segment() view=StatusPage />
                </Routes>
            </Layout>
        </Router>
    }
}
