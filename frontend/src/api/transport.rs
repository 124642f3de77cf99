//! The one HTTP transport under every call the SPA makes: a request with the language and
//! (for a change) the anti-CSRF header, its answer read in full and decoded, and renewing an
//! expired session of the right kind before one retry. The console and the candidate portal
//! keep separate cookies and renew them through separate endpoints; public calls (sign-in,
//! registration, a portal's branding) never renew anything.
//!
//! Every way of sending goes through [`Client::renewing`]: JSON calls ([`send`]), uploads with
//! progress (`upload.rs`, over `XMLHttpRequest`) and file downloads ([`Client::fetch_file`]).

mod refresh;

use std::future::Future;

use gloo_net::http::{Request, RequestBuilder};
use serde::Serialize;
use serde::de::DeserializeOwned;
use shared::{ErrorBody, ErrorCode, Lang};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::Error;

/// The server rejects a cookie-carrying change without this header (a cross-site form cannot set
/// it), so every request but a GET sends it.
pub(super) const CSRF_HEADER: &str = "X-ExamCloud-CSRF";

/// Which session a call acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Area {
    /// No session: a 401 is the answer itself (wrong password, no such code).
    Public,
    /// The console's session (`/api/auth/refresh`).
    Console,
    /// The candidate portal's session (`/api/candidate/auth/refresh`).
    Portal,
}

impl Area {
    fn refresh_path(self) -> Option<&'static str> {
        match self {
            Area::Public => None,
            Area::Console => Some("/api/auth/refresh"),
            Area::Portal => Some("/api/candidate/auth/refresh"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl Method {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

/// What a request carries.
#[derive(Debug, Clone)]
pub(super) enum Body {
    Empty,
    Json(String),
    /// A file the user picked, sent as it is with its content type (`image/png`, …).
    Blob {
        content_type: String,
        blob: web_sys::Blob,
    },
}

impl Body {
    pub(super) fn json<B: Serialize>(value: &B) -> Result<Body, Error> {
        serde_json::to_string(value)
            .map(Body::Json)
            .map_err(|err| Error::Network(format!("could not encode the request: {err}")))
    }
}

/// An HTTP answer, read in full.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Answer {
    pub(super) status: u16,
    pub(super) request_id: Option<String>,
    pub(super) retry_after: Option<String>,
    pub(super) body: String,
}

/// An answer that may say the session ran out.
pub(super) trait Renewable {
    /// A 401 means the access token ran out or the session ended, except when the server says
    /// the credentials in the request itself (a current password) are wrong: renewing would
    /// not change that answer, and would only spend the refresh token and repeat the attempt.
    fn needs_renewal(&self) -> bool;
}

impl Renewable for Answer {
    fn needs_renewal(&self) -> bool {
        self.status == 401 && error_of(self).code() != Some(ErrorCode::InvalidCredentials)
    }
}

/// A client for the calls of one session area, asking for messages in one language.
#[derive(Debug, Clone, Copy)]
pub(super) struct Client {
    pub(super) lang: Lang,
    area: Area,
}

impl Client {
    pub(super) fn new(lang: Lang, area: Area) -> Self {
        Client { lang, area }
    }

    /// A client for the calls that need no session.
    pub(super) fn public(lang: Lang) -> Self {
        Client::new(lang, Area::Public)
    }

    /// Runs `attempt`; when its answer says the session ran out, renews the session and runs
    /// it once more. An answer that still needs renewal stands: the user must sign in again.
    pub(super) async fn renewing<R, F, Fut>(&self, attempt: F) -> Result<R, Error>
    where
        R: Renewable,
        F: Fn() -> Fut,
        Fut: Future<Output = Result<R, Error>>,
    {
        let answer = attempt().await?;
        let Some(path) = self.area.refresh_path() else {
            return Ok(answer);
        };
        if answer.needs_renewal() && refresh::renew(self.lang, path).await? {
            attempt().await
        } else {
            Ok(answer)
        }
    }

    /// Sends the request (renewing the session once if it ran out) and reads the answer.
    pub(super) async fn call(
        &self,
        method: Method,
        path: &str,
        body: Body,
    ) -> Result<Answer, Error> {
        self.renewing(|| send(self.lang, method, path, &body)).await
    }

    /// A GET whose 2xx body is a `T`.
    pub(super) async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, Error> {
        let answer = self.call(Method::Get, path, Body::Empty).await?;
        decode(&answer, &[])
    }

    /// A change with a JSON body, answered with a JSON body.
    pub(super) async fn send_json<B: Serialize, T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: &B,
    ) -> Result<T, Error> {
        let answer = self.call(method, path, Body::json(body)?).await?;
        decode(&answer, &[])
    }

    /// A change with a JSON body answered with `204 No Content`.
    pub(super) async fn send_json_empty<B: Serialize>(
        &self,
        method: Method,
        path: &str,
        body: &B,
    ) -> Result<(), Error> {
        let answer = self.call(method, path, Body::json(body)?).await?;
        decode_empty(&answer)
    }

    /// A request without a body answered with `204 No Content`.
    pub(super) async fn send_empty(&self, method: Method, path: &str) -> Result<(), Error> {
        let answer = self.call(method, path, Body::Empty).await?;
        decode_empty(&answer)
    }

    /// A request without a body answered with a JSON body.
    pub(super) async fn send_bodiless<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
    ) -> Result<T, Error> {
        let answer = self.call(method, path, Body::Empty).await?;
        decode(&answer, &[])
    }

    /// `GET` of who is signed in to this area: `None` when nobody is (a 401 is an answer here,
    /// not an error).
    pub(super) async fn signed_in<T: DeserializeOwned>(
        &self,
        path: &str,
    ) -> Result<Option<T>, Error> {
        let answer = self.call(Method::Get, path, Body::Empty).await?;
        if answer.status == 401 {
            return Ok(None);
        }
        decode(&answer, &[]).map(Some)
    }

    /// `POST` of a sign-out: a session that is already gone (401) counts as signed out.
    pub(super) async fn sign_out(&self, path: &str) -> Result<(), Error> {
        let answer = self.call(Method::Post, path, Body::Empty).await?;
        if answer.status == 401 {
            return Ok(());
        }
        decode_empty(&answer)
    }

    /// A request answered with a file (2xx) or the error envelope.
    pub(super) async fn fetch_file(
        &self,
        method: Method,
        path: &str,
        body: &Body,
    ) -> Result<FileAnswer, Error> {
        match self
            .renewing(|| fetch_file(self.lang, method, path, body))
            .await?
        {
            Fetched::File(file) => Ok(file),
            Fetched::Refused(answer) => Err(error_of(&answer)),
        }
    }
}

/// The headers of every request: the language, the anti-CSRF header on a change, and what is
/// accepted (JSON for API calls, anything for a file).
pub(super) fn headers(
    lang: Lang,
    method: Method,
    accept: &'static str,
) -> Vec<(&'static str, &'static str)> {
    let mut headers = vec![("Accept", accept), ("Accept-Language", lang.tag())];
    if method != Method::Get {
        headers.push((CSRF_HEADER, "1"));
    }
    headers
}

fn request(
    lang: Lang,
    method: Method,
    path: &str,
    body: &Body,
    accept: &'static str,
) -> Result<Request, Error> {
    let mut builder: RequestBuilder = match method {
        Method::Get => Request::get(path),
        Method::Post => Request::post(path),
        Method::Put => Request::put(path),
        Method::Patch => Request::patch(path),
        Method::Delete => Request::delete(path),
    };
    for (name, value) in headers(lang, method, accept) {
        builder = builder.header(name, value);
    }
    match body {
        Body::Empty => builder.build(),
        Body::Json(json) => builder
            .header("Content-Type", "application/json")
            .body(json.clone()),
        Body::Blob { content_type, blob } => builder
            .header("Content-Type", content_type)
            .body(blob.clone()),
    }
    .map_err(|err| Error::Network(err.to_string()))
}

/// Sends one request and reads the whole answer.
async fn send(lang: Lang, method: Method, path: &str, body: &Body) -> Result<Answer, Error> {
    let response = request(lang, method, path, body, "application/json")?
        .send()
        .await
        .map_err(|err| Error::Network(err.to_string()))?;
    read_answer(response).await
}

async fn read_answer(response: gloo_net::http::Response) -> Result<Answer, Error> {
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

/// A file the server sent: its bytes, and its `Content-Disposition` header.
pub(super) struct FileAnswer {
    pub(super) blob: web_sys::Blob,
    pub(super) disposition: Option<String>,
}

enum Fetched {
    File(FileAnswer),
    Refused(Answer),
}

impl Renewable for Fetched {
    fn needs_renewal(&self) -> bool {
        match self {
            Fetched::File(_) => false,
            Fetched::Refused(answer) => answer.needs_renewal(),
        }
    }
}

async fn fetch_file(lang: Lang, method: Method, path: &str, body: &Body) -> Result<Fetched, Error> {
    let response = request(lang, method, path, body, "*/*")?
        .send()
        .await
        .map_err(|err| Error::Network(err.to_string()))?;
    if !response.ok() {
        return read_answer(response).await.map(Fetched::Refused);
    }
    let disposition = response.headers().get("content-disposition");
    let unreadable = || Error::Network("could not read the file".to_owned());
    let raw: web_sys::Response = response.into();
    let blob = JsFuture::from(raw.blob().map_err(|_| unreadable())?)
        .await
        .ok()
        .and_then(|value| value.dyn_into::<web_sys::Blob>().ok())
        .ok_or_else(unreadable)?;
    Ok(Fetched::File(FileAnswer { blob, disposition }))
}

/// Turns an answer into the expected body or an [`Error`]; kept apart from the transport so it
/// can be tested without a browser. `also_typed` lists non-2xx statuses whose body is a `T`.
pub(super) fn decode<T: DeserializeOwned>(answer: &Answer, also_typed: &[u16]) -> Result<T, Error> {
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
pub(super) fn decode_empty(answer: &Answer) -> Result<(), Error> {
    if (200..300).contains(&answer.status) {
        Ok(())
    } else {
        Err(error_of(answer))
    }
}

/// The error a non-2xx answer stands for.
pub(super) fn error_of(answer: &Answer) -> Error {
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

/// `path?name=value&…` for the pairs that have a value, each value percent-encoded.
pub(super) fn with_query(path: &str, pairs: &[(&str, Option<String>)]) -> String {
    let query: Vec<String> = pairs
        .iter()
        .filter_map(|(name, value)| {
            let value = value.as_deref()?;
            Some(format!("{name}={}", encode_segment(value)))
        })
        .collect();
    if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", query.join("&"))
    }
}

/// Percent-encodes a path segment or query value: everything but unreserved characters.
pub(super) fn encode_segment(value: &str) -> String {
    let mut encoded = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

#[cfg(test)]
mod tests;
