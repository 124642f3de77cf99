//! The candidate portal's calls: its public branding, sending a sign-in code and signing in
//! (no session needed), and the signed-in candidate's own calls, which renew the portal's
//! session (never the console's) on a 401.

use shared::Lang;
use shared::accounts::{PortalBranding, SendCodeResponse};
use shared::candidates::{CandidateLoginRequest, CandidateMe, PortalCodeRequest};
use shared::exams::{EntryResult, ExamEntryInfo, InviteRequest, RegistrationRequest};

use super::Error;
use super::transport::{Area, Client, Method, encode_segment};

const ME: &str = "/api/candidate/me";
const LOGOUT: &str = "/api/candidate/auth/logout";

/// The calls of a portal's sign-in page.
#[derive(Debug, Clone, Copy)]
pub struct PortalApi {
    client: Client,
}

impl PortalApi {
    pub fn new(lang: Lang) -> Self {
        PortalApi {
            client: Client::public(lang),
        }
    }

    /// `GET /api/portal/{slug}`: the app name, organisation name and logo (404: no such
    /// portal).
    pub async fn branding(&self, slug: &str) -> Result<PortalBranding, Error> {
        self.client.get(&portal_path(slug, "")).await
    }

    /// `POST /api/portal/{slug}/codes`: a sign-in code to a candidate's email or phone (the
    /// answer is the same whether or not the address is a candidate's).
    pub async fn send_code(
        &self,
        slug: &str,
        destination: &str,
    ) -> Result<SendCodeResponse, Error> {
        let request = PortalCodeRequest {
            destination: destination.to_owned(),
        };
        self.post(&portal_path(slug, "/codes"), &request).await
    }

    /// `POST /api/portal/{slug}/login`: sets the portal's session cookies.
    pub async fn login(
        &self,
        slug: &str,
        request: &CandidateLoginRequest,
    ) -> Result<CandidateMe, Error> {
        self.post(&portal_path(slug, "/login"), request).await
    }

    /// `GET /api/portal/{slug}/exams/{open|code}/{key}`: the exam behind an open link or an
    /// access code, with its registration form.
    pub async fn entry_info(
        &self,
        slug: &str,
        way: EntryWay,
        key: &str,
    ) -> Result<ExamEntryInfo, Error> {
        self.client.get(&entry_path(slug, way, key)).await
    }

    /// `POST /api/portal/{slug}/exams/{open|code}/{key}`: registers the person (or lets a
    /// returning one back in with their resume token or code) and signs them in to the portal;
    /// 409 `registration_exists` when they registered before and brought no proof.
    pub async fn register(
        &self,
        slug: &str,
        way: EntryWay,
        key: &str,
        request: &RegistrationRequest,
    ) -> Result<EntryResult, Error> {
        self.post(&entry_path(slug, way, key), request).await
    }

    /// `POST /api/portal/{slug}/exams/{open|code}/{key}/resume-code`: a code to the contact
    /// of the earlier registration these values match (the answer is the same either way).
    pub async fn send_resume_code(
        &self,
        slug: &str,
        way: EntryWay,
        key: &str,
        request: &RegistrationRequest,
    ) -> Result<SendCodeResponse, Error> {
        let path = format!("{}/resume-code", entry_path(slug, way, key));
        self.post(&path, request).await
    }

    /// `POST /api/portal/{slug}/invite`: signs in the invited candidate.
    pub async fn invite(&self, slug: &str, token: &str) -> Result<EntryResult, Error> {
        let request = InviteRequest {
            token: token.to_owned(),
        };
        self.post(&portal_path(slug, "/invite"), &request).await
    }

    async fn post<B: serde::Serialize, T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<T, Error> {
        self.client.send_json(Method::Post, path, body).await
    }
}

/// The signed-in candidate's calls.
#[derive(Debug, Clone, Copy)]
pub struct CandidateApi {
    client: Client,
}

impl CandidateApi {
    pub fn new(lang: Lang) -> Self {
        CandidateApi {
            client: Client::new(lang, Area::Portal),
        }
    }

    /// `GET /api/candidate/me`: the candidate and their portal, or `None` when no candidate is
    /// signed in (an answer, not an error).
    pub async fn me(&self) -> Result<Option<CandidateMe>, Error> {
        self.client.signed_in(ME).await
    }

    /// `POST /api/candidate/auth/logout`. A session that is already gone counts as signed out.
    pub async fn logout(&self) -> Result<(), Error> {
        self.client.sign_out(LOGOUT).await
    }
}

/// How a person reaches an exam without an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryWay {
    /// The exam's open link (`/o/{slug}/open/{token}`).
    OpenLink,
    /// The exam's access code (10 characters).
    AccessCode,
}

fn entry_path(slug: &str, way: EntryWay, key: &str) -> String {
    let kind = match way {
        EntryWay::OpenLink => "open",
        EntryWay::AccessCode => "code",
    };
    portal_path(slug, &format!("/exams/{kind}/{}", encode_segment(key)))
}

fn portal_path(slug: &str, rest: &str) -> String {
    format!("/api/portal/{}{rest}", encode_segment(slug))
}
