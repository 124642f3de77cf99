//! The authenticated client: calls that act on the signed-in session, renewing it once on a 401.

use std::cell::RefCell;
use std::rc::Rc;

use shared::Lang;
use shared::accounts::MeResponse;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::{JsFuture, future_to_promise, js_sys::Promise};

use super::{Answer, Error, Method, decode, decode_empty, send};

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
        let answer = self.call(Method::Get, ME).await?;
        if answer.status == 401 {
            return Ok(None);
        }
        decode(&answer, &[]).map(Some)
    }

    /// `POST /api/auth/logout`: end this session. A session that is already gone counts as
    /// signed out.
    pub async fn logout(&self) -> Result<(), Error> {
        let answer = self.call(Method::Post, LOGOUT).await?;
        if answer.status == 401 {
            return Ok(());
        }
        decode_empty(&answer)
    }

    /// `POST /api/auth/logout-all`: end every session of the account. Needs a live session, so
    /// a 401 here is an error: the user must sign in again first.
    pub async fn logout_all(&self) -> Result<(), Error> {
        let answer = self.call(Method::Post, LOGOUT_ALL).await?;
        decode_empty(&answer)
    }

    /// Sends the request; on a 401 renews the session and sends it once more.
    async fn call(&self, method: Method, path: &str) -> Result<Answer, Error> {
        let answer = send(self.lang, method, path, None).await?;
        if answer.status != 401 {
            return Ok(answer);
        }
        if refresh_session(self.lang, REFRESH).await? {
            send(self.lang, method, path, None).await
        } else {
            Ok(answer)
        }
    }
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
        let result = match send(lang, Method::Post, path, None).await {
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
