//! Every HTTP call the SPA makes. Pages call these typed functions and never build a URL or
//! decode a response themselves.
//!
//! Every request goes through one transport (`transport.rs`): the language, the anti-CSRF
//! header on every change (POST, PUT, PATCH, DELETE), decoding, and renewing an expired session
//! of the right kind once before one retry. The session itself lives in HttpOnly cookies the
//! SPA never sees.
//!
//! [`PublicApi`] makes the calls that need no session (health, sending a code, registering,
//! signing in, resetting a forgotten password); it never renews anything. [`AuthApi`] makes the
//! console's calls about the signed-in account, split by concept: `session` (who is signed in,
//! sign-out), `account` (organisation, logo, contact, password, devices) and `audit` (the audit
//! log). The data clients (candidates, questions, papers, exams, …) and the candidate portal's
//! have a file each.

mod account;
mod audit;
mod session;
mod transport;

mod api_keys;
mod cancellation;
mod candidates;
mod certificates;
mod dashboard;
mod exams;
mod exams_console;
mod export;
mod grading;
mod my_data;
mod org_users;
mod papers;
mod portal;
mod privacy;
mod questions;
mod regrade;
mod results;
mod upload;

use std::fmt;

use serde::Serialize;
use serde::de::DeserializeOwned;
use shared::accounts::{
    LoginRequest, MeResponse, RegisterOrgRequest, ResetPasswordRequest, SendCodeRequest,
    SendCodeResponse,
};
use shared::privacy::RetentionPolicy;
use shared::{ErrorBody, ErrorCode, HealthResponse, Lang, ReadySummary};

use transport::{Client, Method, decode};

use crate::i18n::Msg;

pub use audit::AuditFilter;
pub use session::AuthApi;

pub use api_keys::ApiKeysApi;
pub use cancellation::CancellationApi;
pub use candidates::{CandidateFilter, CandidatesApi, TemplateFormat, template_url};
pub use certificates::{
    CertificatesConsoleApi, MyCertificatesApi, VerifyApi, certificate_pdf_url,
    my_certificate_pdf_url, template_preview_url,
};
pub use dashboard::DashboardApi;
pub use exams::ExamsApi;
pub use exams_console::ExamsConsoleApi;
pub use export::{EXPORT_FORMATS, ExportApi, ExportCheck, ExportRequest};
pub use grading::{GradingApi, ItemFilter};
pub use my_data::{CandidateContactApi, MyDataApi};
pub use org_users::OrgUsersApi;
pub use papers::PapersApi;
pub use portal::{CandidateApi, EntryWay, PortalApi};
pub use privacy::{ConsentArea, PrivacyApi};
pub use questions::{QuestionFilter, QuestionsApi, media_html, question_template_url};
pub use regrade::RegradeApi;
pub use results::{MyResultsApi, ResultFilter, ResultsApi, results_export_url};
pub use upload::UploadProgress;

const HEALTH: &str = "/api/health";
const READY: &str = "/api/ready";
const RETENTION: &str = "/api/privacy/retention";
const CODES: &str = "/api/auth/codes";
const ORGS: &str = "/api/orgs";
const LOGIN: &str = "/api/auth/login";
const RESET_PASSWORD: &str = "/api/auth/password/reset";

/// Why an API call failed.
#[derive(Debug, Clone, PartialEq)]
pub enum Error {
    /// No HTTP response at all: the server is unreachable or the network is down.
    Network(String),
    /// The API answered with its error envelope.
    Api {
        status: u16,
        body: ErrorBody,
        /// Seconds to wait before retrying, from `Retry-After` (or the envelope's
        /// `details.retry_after_seconds` when the header is missing).
        retry_after: Option<u64>,
    },
    /// The answer was neither the expected body nor an error envelope: a proxy's error page, a
    /// truncated body, or a server of another version.
    UnexpectedResponse {
        status: u16,
        request_id: Option<String>,
        detail: String,
    },
}

/// One invalid field of a `validation_failed` error (`details.fields`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct FieldError {
    /// The field's name as in the request, e.g. `org_name`.
    pub field: String,
    /// A stable reason such as `required`, `too_short`, `invalid_code`.
    pub reason: String,
}

impl Error {
    /// The message to show the user. The API already localises its own messages according to
    /// the `Accept-Language` the request carried.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            Error::Network(_) => Msg::ErrorNetwork.text(lang).to_owned(),
            Error::Api { body, .. } => body.message.clone(),
            Error::UnexpectedResponse { status, .. } => {
                format!(
                    "{} (HTTP {status})",
                    Msg::ErrorUnexpectedResponse.text(lang)
                )
            }
        }
    }

    /// The request id to quote to support, when the server assigned one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Network(_) => None,
            Error::Api { body, .. } => Some(&body.request_id),
            Error::UnexpectedResponse { request_id, .. } => request_id.as_deref(),
        }
    }

    /// The API's machine-readable code, when it answered with its envelope.
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            Error::Api { body, .. } => Some(body.code),
            _ => None,
        }
    }

    /// The `reason` of a `409 conflict` (`bank_not_empty`, `category_not_empty`, …).
    pub fn conflict_reason(&self) -> Option<&str> {
        if self.code() != Some(ErrorCode::Conflict) {
            return None;
        }
        let Error::Api { body, .. } = self else {
            return None;
        };
        body.details
            .as_ref()
            .and_then(|details| details.get("reason"))
            .and_then(|reason| reason.as_str())
    }

    /// The envelope's `details` read as `T`, when the API answered with `code`.
    pub fn details_of<T: serde::de::DeserializeOwned>(&self, code: ErrorCode) -> Option<T> {
        let Error::Api { body, .. } = self else {
            return None;
        };
        if body.code != code {
            return None;
        }
        serde_json::from_value(body.details.clone()?).ok()
    }

    /// True for a 401: no valid session (or wrong credentials, see [`Error::code`]).
    pub fn is_unauthorized(&self) -> bool {
        matches!(self, Error::Api { status: 401, .. })
    }

    /// The invalid fields of a `validation_failed` error; empty for any other error.
    pub fn field_errors(&self) -> Vec<FieldError> {
        let Error::Api { body, .. } = self else {
            return Vec::new();
        };
        body.details
            .as_ref()
            .and_then(|details| details.get("fields"))
            .and_then(|fields| serde_json::from_value(fields.clone()).ok())
            .unwrap_or_default()
    }

    /// Seconds to wait before trying again, for a 429 or 503 that says.
    pub fn retry_after(&self) -> Option<u64> {
        match self {
            Error::Api { retry_after, .. } => *retry_after,
            _ => None,
        }
    }
}

/// A developer-facing description, for logs; users see [`Error::message`].
impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Network(detail) => write!(f, "network error: {detail}"),
            Error::Api { status, body, .. } => write!(
                f,
                "API error {status} {}: {} (request id {})",
                body.code, body.message, body.request_id
            ),
            Error::UnexpectedResponse { status, detail, .. } => {
                write!(f, "unexpected response (HTTP {status}): {detail}")
            }
        }
    }
}

impl std::error::Error for Error {}

/// The calls that need no session.
#[derive(Debug, Clone, Copy)]
pub struct PublicApi {
    client: Client,
}

impl PublicApi {
    /// A client whose requests ask for messages in `lang`.
    pub fn new(lang: Lang) -> Self {
        PublicApi {
            client: Client::public(lang),
        }
    }

    /// `GET /api/health`: is the server up?
    pub async fn get_health(&self) -> Result<HealthResponse, Error> {
        self.client.get(HEALTH).await
    }

    /// `GET /api/ready`: can this node serve traffic? A failing check makes the server answer
    /// 503 with the same summary, which is a result here, not an error. (Which check failed is
    /// for operators: `GET /api/staff/ready`.)
    pub async fn get_ready(&self) -> Result<ReadySummary, Error> {
        let answer = self
            .client
            .call(Method::Get, READY, transport::Body::Empty)
            .await?;
        decode(&answer, &[503])
    }

    /// `GET /api/privacy/retention`: the data retention policy in effect.
    pub async fn get_retention_policy(&self) -> Result<RetentionPolicy, Error> {
        self.client.get(RETENTION).await
    }

    /// `POST /api/auth/codes`: send a one-time code to an email address or mobile number.
    pub async fn send_code(&self, request: &SendCodeRequest) -> Result<SendCodeResponse, Error> {
        self.post(CODES, request).await
    }

    /// `POST /api/orgs`: register an organisation; its owner is signed in at once.
    pub async fn register_org(&self, request: &RegisterOrgRequest) -> Result<MeResponse, Error> {
        self.post(ORGS, request).await
    }

    /// `POST /api/auth/login`: sign in with a password or a code.
    pub async fn login(&self, request: &LoginRequest) -> Result<MeResponse, Error> {
        self.post(LOGIN, request).await
    }

    /// `POST /api/auth/password/reset`: set a new password with a code sent for `recover`. Every
    /// session of the account ends, this browser's included.
    pub async fn reset_password(&self, request: &ResetPasswordRequest) -> Result<(), Error> {
        self.client
            .send_json_empty(Method::Post, RESET_PASSWORD, request)
            .await
    }

    async fn post<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<T, Error> {
        self.client.send_json(Method::Post, path, body).await
    }
}
