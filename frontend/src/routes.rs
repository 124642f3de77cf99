//! Every screen of the SPA as a [`Page`], so that links and route definitions never spell a
//! path by hand.

use leptos_router::StaticSegment;

/// A screen with its own URL. Unknown URLs render the not-found page, which has no path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    Home,
    Status,
}

impl Page {
    #[cfg(test)]
    pub const ALL: [Page; 2] = [Page::Home, Page::Status];

    /// The absolute path of the page, for links.
    pub fn path(&self) -> &'static str {
        match self {
            Page::Home => "/",
            Page::Status => "/status",
        }
    }

    /// The route matcher for the page, derived from [`Page::path`] so the two cannot drift.
    pub fn segment(&self) -> StaticSegment<&'static str> {
        StaticSegment(self.path().trim_start_matches('/'))
    }
}

#[cfg(test)]
mod tests {
    use super::Page;

    #[test]
    fn paths_are_absolute_and_distinct() {
        for (i, page) in Page::ALL.iter().enumerate() {
            assert!(page.path().starts_with('/'), "{page:?}");
            for other in &Page::ALL[i + 1..] {
                assert_ne!(page.path(), other.path());
            }
        }
    }
}
