//! The authenticated client: calls that act on the signed-in session, renewing it once on a 401.

use std::cell::RefCell;
use std::rc::Rc;

use serde::Serialize;
use serde::de::DeserializeOwned;
use shared::accounts::MeResponse;
use shared::{ErrorCode, Lang};
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::{JsFuture, future_to_promise, js_sys::Promise};

use super::{Answer, Body, Error, Method, decode, decode_empty, error_of, send};

const ME: &str = "/api/auth/me";
const REFRESH: &str = "/api/auth/refresh";
const LOGOUT: &str = "/api/auth/logout";
const LOGOUT_ALL: &str = "/api/auth/logout-all";

/// The calls that act on the signed-in session. A 401 renews the session once through
/// `/api/auth/refresh` and retries once; if that fails too, the 401 stands and the caller
/// treats the user as signed out.
#[derive(Debug, Clone, Copy)]
pub struct AuthApi {
    lang: Lang,
}

impl AuthApi {
    /// A client whose requests ask for messages in `lang`.
    pub fn new(lang: Lang) -> Self {
        AuthApi { lang }
    }

    /// `GET /api/auth/me`: the signed-in account, or `None` when nobody is signed in (which is
    /// an answer, not an error).
    pub async fn me(&self) -> Result<Option<MeResponse>, Error> {
        let answer = self.call(Method::Get, ME, Body::Empty).await?;
        if answer.status == 401 {
            return Ok(None);
        }
        decode(&answer, &[]).map(Some)
    }

    /// `POST /api/auth/logout`: end this session. A session that is already gone counts as
    /// signed out.
    pub async fn logout(&self) -> Result<(), Error> {
        let answer = self.call(Method::Post, LOGOUT, Body::Empty).await?;
        if answer.status == 401 {
            return Ok(());
        }
        decode_empty(&answer)
    }

    /// `POST /api/auth/logout-all`: end every session of the account. Needs a live session, so
    /// a 401 here is an error: the user must sign in again first.
    pub async fn logout_all(&self) -> Result<(), Error> {
        let answer = self.call(Method::Post, LOGOUT_ALL, Body::Empty).await?;
        decode_empty(&answer)
    }

    /// A GET whose 2xx body is a `T`.
    pub(super) async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, Error> {
        let answer = self.call(Method::Get, path, Body::Empty).await?;
        decode(&answer, &[])
    }

    /// A change with a JSON body whose 2xx body is a `T`.
    pub(super) async fn send_json<B: Serialize, T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: &B,
    ) -> Result<T, Error> {
        let answer = self.call(method, path, Body::json(body)?).await?;
        decode(&answer, &[])
    }

    /// Sends the request; on a 401 renews the session and sends it once more.
    pub(super) async fn call(
        &self,
        method: Method,
        path: &str,
        body: Body,
    ) -> Result<Answer, Error> {
        let answer = send(self.lang, method, path, &body).await?;
        if !needs_renewal(&answer) {
            return Ok(answer);
        }
        if refresh_session(self.lang, REFRESH).await? {
            send(self.lang, method, path, &body).await
        } else {
            Ok(answer)
        }
    }
}

/// A 401 means the access token ran out or the session ended, except when the server says the
/// credentials in the request itself (a current password) are wrong: renewing would not change
/// that answer, and would only spend the refresh token and repeat the failed attempt.
fn needs_renewal(answer: &Answer) -> bool {
    answer.status == 401 && error_of(answer).code() != Some(ErrorCode::InvalidCredentials)
}

/// A refresh in progress, shared by every call that needs one: the refresh token is single-use
/// and presenting a spent one revokes the whole session, so two concurrent 401s must not each
/// spend it.
#[derive(Clone)]
struct InFlightRefresh {
    /// The refresh endpoint: the console's and the candidate portal's sessions renew apart.
    path: &'static str,
    /// Resolves (never rejects) once `outcome` is set.
    done: Promise,
    outcome: Rc<RefCell<Option<Result<bool, Error>>>>,
}

thread_local! {
    static REFRESHING: RefCell<Vec<InFlightRefresh>> = const { RefCell::new(Vec::new()) };
}

/// Renews the session cookies through the refresh endpoint `path`: `Ok(true)` when renewed,
/// `Ok(false)` when there is no session to renew, an error when the server could not be asked.
pub(super) async fn refresh_session(lang: Lang, path: &'static str) -> Result<bool, Error> {
    let in_flight = REFRESHING.with(|slot| {
        let mut slot = slot.borrow_mut();
        match slot.iter().find(|r| r.path == path) {
            Some(running) => running.clone(),
            None => {
                let started = start_refresh(lang, path);
                slot.push(started.clone());
                started
            }
        }
    });
    // The promise only signals completion; it carries nothing and cannot reject.
    let _ = JsFuture::from(in_flight.done.clone()).await;
    let outcome = in_flight.outcome.borrow().clone();
    outcome.unwrap_or(Ok(false))
}

fn start_refresh(lang: Lang, path: &'static str) -> InFlightRefresh {
    let outcome = Rc::new(RefCell::new(None));
    let slot = Rc::clone(&outcome);
    let done = future_to_promise(async move {
        let result = match send(lang, Method::Post, path, &Body::Empty).await {
            Ok(answer) if answer.status == 401 => Ok(false),
            Ok(answer) => decode_empty(&answer).map(|()| true),
            Err(err) => Err(err),
        };
        *slot.borrow_mut() = Some(result);
        REFRESHING.with(|refreshing| refreshing.borrow_mut().retain(|r| r.path != path));
        Ok(JsValue::UNDEFINED)
    });
    InFlightRefresh {
        path,
        done,
        outcome,
    }
}

#[cfg(test)]
mod tests {
    use super::{Answer, needs_renewal};

    fn answer(status: u16, body: &str) -> Answer {
        Answer {
            status,
            request_id: None,
            retry_after: None,
            body: body.to_owned(),
        }
    }

    #[test]
    fn only_a_401_about_the_session_is_worth_renewing_it() {
        let expired = r#"{"code":"unauthorized","message":"m","request_id":"r"}"#;
        let wrong_password = r#"{"code":"invalid_credentials","message":"m","request_id":"r"}"#;
        assert!(needs_renewal(&answer(401, expired)));
        assert!(needs_renewal(&answer(401, "<html>proxy</html>")));
        assert!(!needs_renewal(&answer(401, wrong_password)));
        assert!(!needs_renewal(&answer(403, expired)));
        assert!(!needs_renewal(&answer(200, "{}")));
    }
}
