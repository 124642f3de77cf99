//! Every HTTP call the SPA makes. Pages call these typed functions and never build a URL or
//! decode a response themselves.
//!
//! [`PublicApi`] makes the calls that need no session. Calls that need one will live on a
//! separate authenticated client, so only that client can ever carry credentials.

use std::fmt;

use gloo_net::http::Request;
use serde::de::DeserializeOwned;
use shared::{ErrorBody, HealthResponse, Lang, ReadyResponse};

use crate::i18n::Msg;

const HEALTH: &str = "/api/health";
const READY: &str = "/api/ready";

/// Why an API call failed.
#[derive(Debug, Clone, PartialEq)]
pub enum Error {
    /// No HTTP response at all: the server is unreachable or the network is down.
    Network(String),
    /// The API answered with its error envelope.
    Api { status: u16, body: ErrorBody },
    /// The answer was neither the expected body nor an error envelope: a proxy's error page, a
    /// truncated body, or a server of another version.
    UnexpectedResponse {
        status: u16,
        request_id: Option<String>,
        detail: String,
    },
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
}

/// A developer-facing description, for logs; users see [`Error::message`].
impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Network(detail) => write!(f, "network error: {detail}"),
            Error::Api { status, body } => write!(
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
        self.get(HEALTH, &[]).await
    }

    /// `GET /api/ready`: can this node serve traffic? A failing check makes the server answer
    /// 503 with a full report, which is a result here, not an error.
    pub async fn get_ready(&self) -> Result<ReadyResponse, Error> {
        self.get(READY, &[503]).await
    }

    /// Sends a GET and decodes a `T` from a 2xx answer or from one of the `also_typed` statuses.
    async fn get<T: DeserializeOwned>(&self, path: &str, also_typed: &[u16]) -> Result<T, Error> {
        let response = Request::get(path)
            .header("Accept", "application/json")
            .header("Accept-Language", self.lang.tag())
            .send()
            .await
            .map_err(|err| Error::Network(err.to_string()))?;
        let status = response.status();
        let request_id = response.headers().get("x-request-id");
        // A body cut off mid-way is a network failure, not a malformed answer.
        let body = response
            .text()
            .await
            .map_err(|err| Error::Network(err.to_string()))?;
        decode(status, request_id, &body, also_typed)
    }
}

/// Turns an HTTP answer into the expected body or an [`Error`]; kept apart from the transport so
/// it can be tested without a browser.
fn decode<T: DeserializeOwned>(
    status: u16,
    request_id: Option<String>,
    body: &str,
    also_typed: &[u16],
) -> Result<T, Error> {
    let unexpected = |detail: String| Error::UnexpectedResponse {
        status,
        request_id: request_id.clone(),
        detail,
    };
    if (200..300).contains(&status) {
        return serde_json::from_str(body).map_err(|err| unexpected(err.to_string()));
    }
    if also_typed.contains(&status)
        && let Ok(value) = serde_json::from_str(body)
    {
        return Ok(value);
    }
    match serde_json::from_str::<ErrorBody>(body) {
        Ok(body) => Err(Error::Api { status, body }),
        Err(err) => Err(unexpected(err.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use shared::{CheckStatus, ErrorCode, HealthResponse, Lang, ReadyResponse};

    use super::{Error, decode};

    const READY_FAILING: &str = r#"{"status":"failing","database_backend":"sqlite","checks":[
        {"name":"database","status":"failing","detail":"unreachable","duration_ms":3}]}"#;
    const ERROR_BODY: &str =
        r#"{"code":"service_unavailable","message":"busy","request_id":"r-1"}"#;

    #[test]
    fn a_2xx_body_decodes_as_the_expected_type() {
        let health: Result<HealthResponse, Error> =
            decode(200, None, r#"{"status":"ok","version":"0.1.0"}"#, &[]);
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
        let ready: Result<ReadyResponse, Error> = decode(503, None, READY_FAILING, &[503]);
        assert!(matches!(
            ready,
            Ok(ReadyResponse {
                status: CheckStatus::Failing,
                ..
            })
        ));
    }

    #[test]
    fn an_error_envelope_becomes_an_api_error_with_its_request_id() {
        let ready: Result<ReadyResponse, Error> = decode(503, None, ERROR_BODY, &[503]);
        let Err(err @ Error::Api { status: 503, .. }) = ready else {
            panic!("expected an API error, got {ready:?}");
        };
        assert_eq!(err.request_id(), Some("r-1"));
        assert_eq!(err.message(Lang::En), "busy");
        assert!(
            matches!(err, Error::Api { ref body, .. } if body.code == ErrorCode::ServiceUnavailable)
        );
    }

    #[test]
    fn anything_else_is_an_unexpected_response_keeping_the_header_request_id() {
        let health: Result<HealthResponse, Error> =
            decode(502, Some("r-2".to_owned()), "<html>Bad Gateway</html>", &[]);
        let Err(err) = health else {
            panic!("expected an error");
        };
        assert!(matches!(err, Error::UnexpectedResponse { status: 502, .. }));
        assert_eq!(err.request_id(), Some("r-2"));
        assert!(err.message(Lang::ZhCn).contains("502"));

        let truncated: Result<HealthResponse, Error> = decode(200, None, r#"{"status":"#, &[]);
        assert!(matches!(
            truncated,
            Err(Error::UnexpectedResponse { status: 200, .. })
        ));
    }
}
