//! The candidate portal's screens, under `/o/{slug}` where `slug` names the organisation.
//! `/o/{slug}` itself is the portal's front door and shows its sign-in page.

use leptos_router::{ParamSegment, StaticSegment};

/// The first segment of every portal path.
const PREFIX: &str = "o";
/// The route parameter holding the organisation's slug.
pub const SLUG_PARAM: &str = "slug";

/// A screen of an organisation's candidate portal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PortalPage {
    /// `/o/{slug}/login` (and `/o/{slug}`).
    Login,
    /// `/o/{slug}/home`: the signed-in candidate's page with their exams.
    Home,
    /// `/o/{slug}/exam?id=`: an exam's instructions, attempts and start button.
    Exam,
    /// `/o/{slug}/attempt?id=`: the exam screen of a running attempt, or its receipt.
    Attempt,
    /// `/o/{slug}/code`: entering an exam with its access code.
    Code,
    /// `/o/{slug}/invite#{token}`: a personal invite link (the token stays in the fragment,
    /// which browsers never send to a server).
    Invite,
    /// `/o/{slug}/results`: the candidate's released results and certificates (the link in
    /// the release notice).
    Results,
    /// `/o/{slug}/review?id=`: a finished attempt's answers beside the keys, points and
    /// explanations, where the exam's review policy allows.
    Review,
    /// `/o/{slug}/privacy`: the privacy statement in the portal's frame, and the signed-in
    /// candidate's consent choices.
    Privacy,
    /// `/o/{slug}/my-data`: what the organisation holds about the signed-in candidate, their
    /// exports, and their name and contact corrected.
    MyData,
}

/// The route parameter holding an open link's token (`/o/{slug}/open/{token}`).
pub const TOKEN_PARAM: &str = "token";

/// The query parameter naming the exam or attempt of [`PortalPage::Exam`] and
/// [`PortalPage::Attempt`].
pub const ID_PARAM: &str = "id";

/// A route matcher of `/o/{slug}/…`.
pub type PortalSegments = (
    StaticSegment<&'static str>,
    ParamSegment,
    StaticSegment<&'static str>,
);

impl PortalPage {
    fn segment(self) -> &'static str {
        match self {
            PortalPage::Login => "login",
            PortalPage::Home => "home",
            PortalPage::Exam => "exam",
            PortalPage::Attempt => "attempt",
            PortalPage::Code => "code",
            PortalPage::Invite => "invite",
            PortalPage::Results => "results",
            PortalPage::Review => "review",
            PortalPage::Privacy => "privacy",
            PortalPage::MyData => "my-data",
        }
    }

    /// The absolute path of the page in the portal of `slug`, for links.
    pub fn path(self, slug: &str) -> String {
        format!("/{PREFIX}/{slug}/{}", self.segment())
    }

    /// The path of the page for one exam or attempt.
    pub fn path_with_id(self, slug: &str, id: &str) -> String {
        format!(
            "{}?{ID_PARAM}={}",
            self.path(slug),
            super::encode_query_value(id)
        )
    }

    /// The route matcher of the page, from the same names as [`PortalPage::path`].
    pub fn route(self) -> PortalSegments {
        (
            StaticSegment(PREFIX),
            ParamSegment(SLUG_PARAM),
            StaticSegment(self.segment()),
        )
    }

    /// The route matcher of an open link, `/o/{slug}/open/{token}`.
    pub fn open_link_route() -> (
        StaticSegment<&'static str>,
        ParamSegment,
        StaticSegment<&'static str>,
        ParamSegment,
    ) {
        (
            StaticSegment(PREFIX),
            ParamSegment(SLUG_PARAM),
            StaticSegment("open"),
            ParamSegment(TOKEN_PARAM),
        )
    }

    /// The route matcher of the front door `/o/{slug}`.
    pub fn entry_route() -> (StaticSegment<&'static str>, ParamSegment) {
        (StaticSegment(PREFIX), ParamSegment(SLUG_PARAM))
    }
}

/// Whether `path` is in a candidate portal, which shows none of the console's frame.
pub fn is_portal_path(path: &str) -> bool {
    path.strip_prefix('/')
        .and_then(|rest| rest.strip_prefix(PREFIX))
        .is_some_and(|rest| rest.starts_with('/'))
}

#[cfg(test)]
mod tests {
    use super::{PortalPage, is_portal_path};

    #[test]
    fn portal_paths_name_the_organisation() {
        assert_eq!(PortalPage::Login.path("no1-school"), "/o/no1-school/login");
        assert_eq!(PortalPage::Home.path("no1-school"), "/o/no1-school/home");
        assert_eq!(
            PortalPage::Attempt.path_with_id("no1-school", "a b"),
            "/o/no1-school/attempt?id=a%20b"
        );
    }

    #[test]
    fn only_portal_paths_are_in_the_portal() {
        assert!(is_portal_path("/o/no1-school"));
        assert!(is_portal_path("/o/no1-school/home"));
        assert!(!is_portal_path("/o"));
        assert!(!is_portal_path("/orgs"));
        assert!(!is_portal_path("/candidates"));
        assert!(!is_portal_path("/"));
    }
}
