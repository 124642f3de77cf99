//! Every HTTP call the SPA makes. Pages call these typed functions and never build a URL or
//! decode a response themselves.
//!
//! [`PublicApi`] makes the calls that need no session (health, sending a code, registering,
//! signing in, resetting a forgotten password). [`AuthApi`] makes the calls that act on the
//! session: on a 401 it renews the session once with the refresh cookie and retries once. The
//! session itself lives in HttpOnly cookies the SPA never sees; every change (POST, PUT, PATCH,
//! DELETE) carries the anti-CSRF header the server demands.
//!
//! The signed-in calls are split by concept: `session` (the client itself, sign-out),
//! `account` (organisation, logo, contact, password, devices) and `audit` (the audit log).

mod account;
mod audit;
mod session;

mod api_keys;
mod candidates;
mod exams;
mod exams_console;
mod export;
mod papers;
mod portal;
mod questions;
mod transport;
mod upload;

use std::fmt;

use gloo_net::http::{Request, RequestBuilder};
use serde::Serialize;
use serde::de::DeserializeOwned;
use shared::accounts::{
    LoginRequest, MeResponse, RegisterOrgRequest, ResetPasswordRequest, SendCodeRequest,
    SendCodeResponse,
};
use shared::{ErrorBody, ErrorCode, HealthResponse, Lang, ReadySummary};

use crate::i18n::Msg;

pub use audit::AuditFilter;
pub use session::AuthApi;

pub use api_keys::ApiKeysApi;
pub use candidates::{CandidateFilter, CandidatesApi, TemplateFormat, template_url};
pub use exams::ExamsApi;
pub use exams_console::ExamsConsoleApi;
pub use export::{EXPORT_FORMATS, ExportApi, ExportCheck, ExportRequest};
pub use papers::PapersApi;
pub use portal::{CandidateApi, EntryWay, PortalApi};
pub use questions::{QuestionFilter, QuestionsApi, media_html, question_template_url};
pub use upload::UploadProgress;

const HEALTH: &str = "/api/health";
const READY: &str = "/api/ready";
const CODES: &str = "/api/auth/codes";
const ORGS: &str = "/api/orgs";
const LOGIN: &str = "/api/auth/login";
const RESET_PASSWORD: &str = "/api/auth/password/reset";

/// The server rejects a cookie-carrying change without this header (a cross-site form cannot set
/// it), so every request but a GET sends it.
const CSRF_HEADER: &str = "X-ExamCloud-CSRF";

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
    lang: Lang,
}

impl PublicApi {
    /// A client whose requests ask for messages in `lang`.
    pub fn new(lang: Lang) -> Self {
        PublicApi { lang }
    }

    /// `GET /api/health`: is the server up?
    pub async fn get_health(&self) -> Result<HealthResponse, Error> {
        let answer = send(self.lang, Method::Get, HEALTH, &Body::Empty).await?;
        decode(&answer, &[])
    }

    /// `GET /api/ready`: can this node serve traffic? A failing check makes the server answer
    /// 503 with the same summary, which is a result here, not an error. (Which check failed is
    /// for operators: `GET /api/staff/ready`.)
    pub async fn get_ready(&self) -> Result<ReadySummary, Error> {
        let answer = send(self.lang, Method::Get, READY, &Body::Empty).await?;
        decode(&answer, &[503])
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
        let answer = send(
            self.lang,
            Method::Post,
            RESET_PASSWORD,
            &Body::json(request)?,
        )
        .await?;
        decode_empty(&answer)
    }

    async fn post<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<T, Error> {
        let answer = send(self.lang, Method::Post, path, &Body::json(body)?).await?;
        decode(&answer, &[])
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

/// What a request carries.
#[derive(Debug, Clone)]
enum Body {
    Empty,
    Json(String),
    /// A file the user picked, sent as it is with its content type (`image/png`, …).
    Blob {
        content_type: String,
        blob: web_sys::Blob,
    },
}

impl Body {
    fn json<B: Serialize>(value: &B) -> Result<Body, Error> {
        serde_json::to_string(value)
            .map(Body::Json)
            .map_err(|err| Error::Network(format!("could not encode the request: {err}")))
    }
}

/// An HTTP answer, read in full.
#[derive(Debug, Clone, PartialEq)]
struct Answer {
    status: u16,
    request_id: Option<String>,
    retry_after: Option<String>,
    body: String,
}

/// Sends one request with the language and (for a change) the anti-CSRF header, and reads the
/// whole answer.
async fn send(lang: Lang, method: Method, path: &str, body: &Body) -> Result<Answer, Error> {
    let builder: RequestBuilder = match method {
        Method::Get => Request::get(path),
        Method::Post => Request::post(path),
        Method::Put => Request::put(path),
        Method::Patch => Request::patch(path),
        Method::Delete => Request::delete(path),
    };
    let builder = if method == Method::Get {
        builder
    } else {
        builder.header(CSRF_HEADER, "1")
    }
    .header("Accept", "application/json")
    .header("Accept-Language", lang.tag());
    let request = match body {
        Body::Empty => builder.build(),
        Body::Json(json) => builder
            .header("Content-Type", "application/json")
            .body(json.clone()),
        Body::Blob { content_type, blob } => builder
            .header("Content-Type", content_type)
            .body(blob.clone()),
    }
    .map_err(|err| Error::Network(err.to_string()))?;
    let response = request
        .send()
        .await
        .map_err(|err| Error::Network(err.to_string()))?;
    let headers = response.headers();
    let request_id = headers.get("x-request-id");
    let retry_after = headers.get("retry-after");
    // A body cut off mid-way is a network failure, not a malformed answer.
    let body = response
        .text()
        .await
        .map_err(|err| Error::Network(err.to_string()))?;
    Ok(Answer {
        status: response.status(),
        request_id,
        retry_after,
        body,
    })
}

/// Turns an answer into the expected body or an [`Error`]; kept apart from the transport so it
/// can be tested without a browser. `also_typed` lists non-2xx statuses whose body is a `T`.
fn decode<T: DeserializeOwned>(answer: &Answer, also_typed: &[u16]) -> Result<T, Error> {
    if (200..300).contains(&answer.status) {
        return serde_json::from_str(&answer.body).map_err(|err| unexpected(answer, err));
    }
    if also_typed.contains(&answer.status)
        && let Ok(value) = serde_json::from_str(&answer.body)
    {
        return Ok(value);
    }
    Err(error_of(answer))
}

/// Like [`decode`] for answers without a body (204).
fn decode_empty(answer: &Answer) -> Result<(), Error> {
    if (200..300).contains(&answer.status) {
        Ok(())
    } else {
        Err(error_of(answer))
    }
}

/// The error a non-2xx answer stands for.
fn error_of(answer: &Answer) -> Error {
    match serde_json::from_str::<ErrorBody>(&answer.body) {
        Ok(body) => {
            let retry_after = answer
                .retry_after
                .as_deref()
                .and_then(|value| value.trim().parse().ok())
                .or_else(|| body.details.as_ref()?.get("retry_after_seconds")?.as_u64());
            Error::Api {
                status: answer.status,
                body,
                retry_after,
            }
        }
        Err(err) => unexpected(answer, err),
    }
}

fn unexpected(answer: &Answer, err: serde_json::Error) -> Error {
    Error::UnexpectedResponse {
        status: answer.status,
        request_id: answer.request_id.clone(),
        detail: err.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use shared::accounts::MeResponse;
    use shared::{CheckStatus, ErrorCode, HealthResponse, Lang, ReadySummary};

    use super::{Answer, Error, FieldError, decode, decode_empty};

    const READY_FAILING: &str = r#"{"status":"failing"}"#;
    const ERROR_BODY: &str =
        r#"{"code":"service_unavailable","message":"busy","request_id":"r-1"}"#;

    fn answer(status: u16, body: &str) -> Answer {
        Answer {
            status,
            request_id: None,
            retry_after: None,
            body: body.to_owned(),
        }
    }

    #[test]
    fn a_2xx_body_decodes_as_the_expected_type() {
        let health: Result<HealthResponse, Error> =
            decode(&answer(200, r#"{"status":"ok","version":"0.1.0"}"#), &[]);
        assert_eq!(
            health,
            Ok(HealthResponse {
                status: CheckStatus::Ok,
                version: "0.1.0".to_owned()
            })
        );
    }

    #[test]
    fn a_failing_readiness_report_on_503_is_a_result_not_an_error() {
        let ready: Result<ReadySummary, Error> = decode(&answer(503, READY_FAILING), &[503]);
        assert_eq!(
            ready,
            Ok(ReadySummary {
                status: CheckStatus::Failing,
            })
        );
    }

    #[test]
    fn an_error_envelope_becomes_an_api_error_with_its_request_id() {
        let ready: Result<ReadySummary, Error> = decode(&answer(503, ERROR_BODY), &[503]);
        let Err(err @ Error::Api { status: 503, .. }) = ready else {
            panic!("expected an API error, got {ready:?}");
        };
        assert_eq!(err.request_id(), Some("r-1"));
        assert_eq!(err.message(Lang::En), "busy");
        assert_eq!(err.code(), Some(ErrorCode::ServiceUnavailable));
        assert_eq!(err.retry_after(), None);
        assert!(err.field_errors().is_empty());
    }

    #[test]
    fn anything_else_is_an_unexpected_response_keeping_the_header_request_id() {
        let mut bad_gateway = answer(502, "<html>Bad Gateway</html>");
        bad_gateway.request_id = Some("r-2".to_owned());
        let health: Result<HealthResponse, Error> = decode(&bad_gateway, &[]);
        let Err(err) = health else {
            panic!("expected an error");
        };
        assert!(matches!(err, Error::UnexpectedResponse { status: 502, .. }));
        assert_eq!(err.request_id(), Some("r-2"));
        assert!(err.message(Lang::ZhCn).contains("502"));

        let truncated: Result<HealthResponse, Error> = decode(&answer(200, r#"{"status":"#), &[]);
        assert!(matches!(
            truncated,
            Err(Error::UnexpectedResponse { status: 200, .. })
        ));
    }

    #[test]
    fn validation_errors_carry_their_fields() {
        let body = r#"{"code":"validation_failed","message":"m","request_id":"r",
            "details":{"fields":[{"field":"org_name","reason":"too_short"},
                                 {"field":"code","reason":"invalid_code"}]}}"#;
        let me: Result<MeResponse, Error> = decode(&answer(422, body), &[]);
        let Err(err) = me else {
            panic!("expected an error");
        };
        assert_eq!(err.code(), Some(ErrorCode::ValidationFailed));
        assert_eq!(
            err.field_errors(),
            vec![
                FieldError {
                    field: "org_name".to_owned(),
                    reason: "too_short".to_owned()
                },
                FieldError {
                    field: "code".to_owned(),
                    reason: "invalid_code".to_owned()
                },
            ]
        );
    }

    #[test]
    fn retry_after_comes_from_the_header_else_from_the_details() {
        let body = r#"{"code":"rate_limited","message":"m","request_id":"r",
            "details":{"retry_after_seconds":42}}"#;
        let from_details = decode_empty(&answer(429, body));
        assert_eq!(from_details.err().and_then(|e| e.retry_after()), Some(42));

        let mut with_header = answer(429, body);
        with_header.retry_after = Some(" 900 ".to_owned());
        let from_header = decode_empty(&with_header);
        assert_eq!(from_header.err().and_then(|e| e.retry_after()), Some(900));
    }

    #[test]
    fn an_empty_2xx_answer_is_success_and_a_401_is_unauthorized() {
        assert_eq!(decode_empty(&answer(204, "")), Ok(()));
        let body = r#"{"code":"unauthorized","message":"m","request_id":"r"}"#;
        let err = decode_empty(&answer(401, body)).err();
        assert!(err.is_some_and(|e| e.is_unauthorized()));
    }
}
