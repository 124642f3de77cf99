//! Every screen of the SPA as a [`Page`], so that links and route definitions never spell a
//! path by hand; the `?next=` parameter that brings a user back after signing in; and the
//! percent-encoding of the values put into paths and queries.

use leptos_router::{ParamSegment, StaticSegment};

mod portal;

pub use portal::{ID_PARAM, PortalPage, SLUG_PARAM, TOKEN_PARAM, is_portal_path};

/// A screen with its own URL. Unknown URLs render the not-found page, which has no path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    Home,
    Dashboard,
    Status,
    /// `/privacy`: the privacy statement and the terms (public), and a signed-in user's
    /// consent choices.
    Privacy,
    Register,
    Login,
    ForgotPassword,
    Account,
    AccountOrganisation,
    AccountSecurity,
    AccountSessions,
    AccountAudit,
    AccountRetention,
    /// `/account/data`: what the platform holds about the signed-in user, their exports and
    /// their name corrected (privacy statement 5.1 and 5.3).
    AccountData,
    /// `/account/cancel`: the organisation's cancellation (privacy statement 5.3): the owner
    /// requests or undoes it, everyone else sees whether it is scheduled.
    AccountCancel,
    Candidates,
    CandidateGroups,
    CandidateImport,
    ApiKeys,
    QuestionBanks,
    QuestionBank,
    QuestionEditor,
    QuestionImport,
    Papers,
    Paper,
    PaperPreview,
    Exams,
    Exam,
    ExamMonitor,
    ExamResults,
    ScoreSheet,
    CertificateTemplates,
    Grading,
    GradingExam,
    GradingMark,
}

/// The route parameter of the public verification page's certificate number.
pub const NUMBER_PARAM: &str = "number";

/// `/verify/{number}`: the public verification page of a certificate number (the URL in a
/// certificate's QR code, built by the server from its public URL).
pub fn verify_route() -> (StaticSegment<&'static str>, ParamSegment) {
    (StaticSegment("verify"), ParamSegment(NUMBER_PARAM))
}

/// The query parameter of the login page naming where to go after signing in.
pub const NEXT_PARAM: &str = "next";

impl Page {
    #[cfg(test)]
    pub const ALL: [Page; 35] = [
        Page::Home,
        Page::Dashboard,
        Page::Status,
        Page::Privacy,
        Page::Register,
        Page::Login,
        Page::ForgotPassword,
        Page::Account,
        Page::AccountOrganisation,
        Page::AccountSecurity,
        Page::AccountSessions,
        Page::AccountAudit,
        Page::AccountRetention,
        Page::AccountData,
        Page::AccountCancel,
        Page::Candidates,
        Page::CandidateGroups,
        Page::CandidateImport,
        Page::ApiKeys,
        Page::QuestionBanks,
        Page::QuestionBank,
        Page::QuestionEditor,
        Page::QuestionImport,
        Page::Papers,
        Page::Paper,
        Page::PaperPreview,
        Page::Exams,
        Page::Exam,
        Page::ExamMonitor,
        Page::ExamResults,
        Page::ScoreSheet,
        Page::CertificateTemplates,
        Page::Grading,
        Page::GradingExam,
        Page::GradingMark,
    ];

    /// The absolute path of the page, for links.
    pub fn path(&self) -> &'static str {
        match self {
            Page::Home => "/",
            Page::Dashboard => "/dashboard",
            Page::Status => "/status",
            Page::Privacy => "/privacy",
            Page::Register => "/register",
            Page::Login => "/login",
            Page::ForgotPassword => "/forgot-password",
            Page::Account => "/account",
            Page::AccountOrganisation => "/account/organisation",
            Page::AccountSecurity => "/account/security",
            Page::AccountSessions => "/account/sessions",
            Page::AccountAudit => "/account/audit",
            Page::AccountRetention => "/account/retention",
            Page::AccountData => "/account/data",
            Page::AccountCancel => "/account/cancel",
            Page::Candidates => "/candidates",
            Page::CandidateGroups => "/candidate-groups",
            Page::CandidateImport => "/candidate-import",
            Page::ApiKeys => "/api-keys",
            Page::QuestionBanks => "/question-banks",
            Page::QuestionBank => "/question-bank",
            Page::QuestionEditor => "/question-editor",
            Page::QuestionImport => "/question-import",
            Page::Papers => "/papers",
            Page::Paper => "/paper",
            Page::PaperPreview => "/paper-preview",
            Page::Exams => "/exams",
            Page::Exam => "/exam",
            Page::ExamMonitor => "/exam-monitor",
            Page::ExamResults => "/exam-results",
            Page::ScoreSheet => "/score-sheet",
            Page::CertificateTemplates => "/certificate-templates",
            Page::Grading => "/grading",
            Page::GradingExam => "/grading/exam",
            Page::GradingMark => "/grading/mark",
        }
    }

    /// The route matcher of a top-level page, derived from [`Page::path`] so the two cannot
    /// drift. A static segment matches one path segment only: pages one level down use
    /// [`Page::nested_segments`].
    pub fn segment(&self) -> StaticSegment<&'static str> {
        StaticSegment(self.path().trim_start_matches('/'))
    }

    /// The route matcher of a page one level below another (`/account/audit`), derived from
    /// [`Page::path`].
    pub fn nested_segments(&self) -> (StaticSegment<&'static str>, StaticSegment<&'static str>) {
        let path = self.path().trim_start_matches('/');
        let (parent, child) = path.split_once('/').unwrap_or((path, ""));
        (StaticSegment(parent), StaticSegment(child))
    }
}

/// The login page, asked to return to `next` (a path with an optional query) afterwards.
pub fn login_then(next: &str) -> String {
    match safe_next(next) {
        Some(next) => format!(
            "{}?{NEXT_PARAM}={}",
            Page::Login.path(),
            encode_query_value(next)
        ),
        None => Page::Login.path().to_owned(),
    }
}

/// Where to go after signing in: `next` if it is a path on this site, else the dashboard.
/// Anything else (`//evil.example`, `https://…`, `/\evil`) is refused, so the parameter cannot
/// send a user to another site.
pub fn after_sign_in(next: Option<&str>) -> String {
    next.and_then(safe_next)
        .filter(|next| !is_auth_page(next))
        .unwrap_or(Page::Dashboard.path())
        .to_owned()
}

fn safe_next(next: &str) -> Option<&str> {
    let local = next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && !next.chars().any(char::is_control);
    local.then_some(next)
}

/// Returning to a signed-out page (login, register, password reset) after signing in would be a
/// loop.
fn is_auth_page(path: &str) -> bool {
    let path = path.split(['?', '#']).next().unwrap_or_default();
    [Page::Login, Page::Register, Page::ForgotPassword]
        .iter()
        .any(|page| page.path() == path)
}

/// Percent-encodes a query value: everything but unreserved characters and `/`.
pub fn encode_query_value(value: &str) -> String {
    percent_encode(value, b"-._~/")
}

/// Percent-encodes one path segment: everything but unreserved characters.
pub fn encode_path_segment(value: &str) -> String {
    percent_encode(value, b"-._~")
}

fn percent_encode(value: &str, keep: &[u8]) -> String {
    let mut encoded = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || keep.contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

#[cfg(test)]
mod tests {
    use super::{Page, after_sign_in, encode_path_segment, encode_query_value, login_then};

    #[test]
    fn paths_are_absolute_and_distinct() {
        for (i, page) in Page::ALL.iter().enumerate() {
            assert!(page.path().starts_with('/'), "{page:?}");
            for other in &Page::ALL[i + 1..] {
                assert_ne!(page.path(), other.path());
            }
        }
    }

    #[test]
    fn nested_pages_split_into_their_two_segments() {
        for page in Page::ALL {
            let (parent, child) = page.nested_segments();
            let depth = page.path().matches('/').count();
            assert!(
                depth <= 2,
                "{page:?} is nested deeper than the router matches"
            );
            if depth == 2 {
                assert_eq!(format!("/{}/{}", parent.0, child.0), page.path());
            } else {
                assert!(!page.segment().0.contains('/'), "{page:?}");
            }
        }
        let (parent, child) = Page::AccountAudit.nested_segments();
        assert_eq!((parent.0, child.0), ("account", "audit"));
    }

    #[test]
    fn sign_in_returns_only_to_local_paths() {
        assert_eq!(after_sign_in(None), "/dashboard");
        assert_eq!(after_sign_in(Some("/status")), "/status");
        assert_eq!(after_sign_in(Some("/exams/7?tab=2")), "/exams/7?tab=2");
        for hostile in [
            "//evil.example/x",
            "https://evil.example",
            "/\\evil.example",
            "javascript:alert(1)",
            "",
            "/a\nb",
        ] {
            assert_eq!(after_sign_in(Some(hostile)), "/dashboard", "{hostile:?}");
        }
    }

    #[test]
    fn sign_in_never_returns_to_the_sign_in_pages() {
        assert_eq!(after_sign_in(Some("/login")), "/dashboard");
        assert_eq!(after_sign_in(Some("/login?next=/x")), "/dashboard");
        assert_eq!(after_sign_in(Some("/register")), "/dashboard");
        assert_eq!(after_sign_in(Some("/forgot-password")), "/dashboard");
        assert_eq!(
            after_sign_in(Some("/account/sessions")),
            "/account/sessions"
        );
    }

    #[test]
    fn the_login_link_carries_an_encoded_next() {
        assert_eq!(login_then("/account"), "/login?next=/account");
        assert_eq!(
            login_then("/exams/7?tab=2&q=a b"),
            "/login?next=/exams/7%3Ftab%3D2%26q%3Da%20b"
        );
        assert_eq!(login_then("//evil.example"), "/login");
        assert_eq!(encode_query_value("考试"), "%E8%80%83%E8%AF%95");
        assert_eq!(encode_path_segment("a/b c"), "a%2Fb%20c");
        assert_eq!(
            encode_path_segment("0196f1e2-7c3a-7b00-8000-000000000001"),
            "0196f1e2-7c3a-7b00-8000-000000000001"
        );
    }
}
