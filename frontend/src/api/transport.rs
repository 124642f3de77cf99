//! The transport under the console's data clients and the candidate portal's: any method, a
//! JSON body, and renewing an expired session of the right kind (console or portal) before
//! one retry.

use gloo_net::http::{Request, RequestBuilder};
use serde::Serialize;
use serde::de::DeserializeOwned;
use shared::Lang;

use super::session::refresh_session;
use super::{Answer, CSRF_HEADER, Error, decode, decode_empty};

/// Which session a call acts on. The console and the candidate portal keep separate cookies
/// and renew them through separate endpoints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Area {
    Console,
    Portal,
}

impl Area {
    pub(super) fn refresh_path(self) -> &'static str {
        match self {
            Area::Console => "/api/auth/refresh",
            Area::Portal => "/api/candidate/auth/refresh",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Verb {
    Get,
    Post,
    Patch,
    Put,
    Delete,
}

/// A client for the calls of one session area, asking for messages in one language.
#[derive(Debug, Clone, Copy)]
pub(super) struct Client {
    pub(super) lang: Lang,
    pub(super) area: Area,
}

impl Client {
    pub(super) fn new(lang: Lang, area: Area) -> Self {
        Client { lang, area }
    }

    /// Sends the request; on a 401 renews the session and sends it once more. A 401 that
    /// stands means the user must sign in again.
    pub(super) async fn call(
        &self,
        verb: Verb,
        path: &str,
        json: Option<&str>,
    ) -> Result<Answer, Error> {
        let answer = send(self.lang, verb, path, json).await?;
        if answer.status != 401 {
            return Ok(answer);
        }
        if refresh_session(self.lang, self.area.refresh_path()).await? {
            send(self.lang, verb, path, json).await
        } else {
            Ok(answer)
        }
    }

    pub(super) async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, Error> {
        let answer = self.call(Verb::Get, path, None).await?;
        decode(&answer, &[])
    }

    /// A POST or PATCH with a JSON body, answered with a JSON body.
    pub(super) async fn send_json<B: Serialize, T: DeserializeOwned>(
        &self,
        verb: Verb,
        path: &str,
        body: &B,
    ) -> Result<T, Error> {
        let json = encode(body)?;
        let answer = self.call(verb, path, Some(&json)).await?;
        decode(&answer, &[])
    }

    /// A request without a body answered with `204 No Content`.
    pub(super) async fn send_empty(&self, verb: Verb, path: &str) -> Result<(), Error> {
        let answer = self.call(verb, path, None).await?;
        decode_empty(&answer)
    }

    /// A request without a body answered with a JSON body.
    pub(super) async fn send_bodiless<T: DeserializeOwned>(
        &self,
        verb: Verb,
        path: &str,
    ) -> Result<T, Error> {
        let answer = self.call(verb, path, None).await?;
        decode(&answer, &[])
    }
}

pub(super) fn encode<B: Serialize>(body: &B) -> Result<String, Error> {
    serde_json::to_string(body)
        .map_err(|err| Error::Network(format!("could not encode the request: {err}")))
}

/// One request with the language and, unless it is a GET, the anti-CSRF header.
pub(super) async fn send(
    lang: Lang,
    verb: Verb,
    path: &str,
    json: Option<&str>,
) -> Result<Answer, Error> {
    let builder: RequestBuilder = match verb {
        Verb::Get => Request::get(path),
        Verb::Post => Request::post(path),
        Verb::Patch => Request::patch(path),
        Verb::Put => Request::put(path),
        Verb::Delete => Request::delete(path),
    };
    let builder = if verb == Verb::Get {
        builder
    } else {
        builder.header(CSRF_HEADER, "1")
    }
    .header("Accept", "application/json")
    .header("Accept-Language", lang.tag());
    let request = match json {
        Some(json) => builder
            .header("Content-Type", "application/json")
            .body(json.to_owned()),
        None => builder.build(),
    }
    .map_err(|err| Error::Network(err.to_string()))?;
    let response = request
        .send()
        .await
        .map_err(|err| Error::Network(err.to_string()))?;
    let headers = response.headers();
    let request_id = headers.get("x-request-id");
    let retry_after = headers.get("retry-after");
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
mod tests {
    use super::{encode_segment, with_query};

    #[test]
    fn queries_keep_only_given_values_and_encode_them() {
        assert_eq!(with_query("/api/x", &[("a", None)]), "/api/x");
        assert_eq!(
            with_query(
                "/api/candidates",
                &[
                    ("q", Some("+86 138@x.cn".to_owned())),
                    ("status", None),
                    ("limit", Some("20".to_owned())),
                ]
            ),
            "/api/candidates?q=%2B86%20138%40x.cn&limit=20"
        );
        assert_eq!(encode_segment("a/b?c"), "a%2Fb%3Fc");
        assert_eq!(encode_segment("考"), "%E8%80%83");
    }
}
