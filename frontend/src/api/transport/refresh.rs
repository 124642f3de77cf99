//! Renewing a session through its refresh endpoint, once for every call that needs it: the
//! refresh token is single-use and presenting a spent one revokes the whole session, so two
//! concurrent 401s must not each spend it.

use std::cell::RefCell;
use std::rc::Rc;

use shared::Lang;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::{JsFuture, future_to_promise, js_sys::Promise};

use super::{Body, Error, Method, decode_empty, send};

/// A refresh in progress, shared by every call that waits for it.
#[derive(Clone)]
struct InFlight {
    /// The refresh endpoint: the console's and the candidate portal's sessions renew apart.
    path: &'static str,
    /// Resolves (never rejects) once `outcome` is set.
    done: Promise,
    outcome: Rc<RefCell<Option<Result<bool, Error>>>>,
}

thread_local! {
    static REFRESHING: RefCell<Vec<InFlight>> = const { RefCell::new(Vec::new()) };
}

/// Renews the session cookies through the refresh endpoint `path`: `Ok(true)` when renewed,
/// `Ok(false)` when there is no session to renew, an error when the server could not be asked.
pub(super) async fn renew(lang: Lang, path: &'static str) -> Result<bool, Error> {
    let in_flight = REFRESHING.with(|slot| {
        let mut slot = slot.borrow_mut();
        match slot.iter().find(|r| r.path == path) {
            Some(running) => running.clone(),
            None => {
                let started = start(lang, path);
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

fn start(lang: Lang, path: &'static str) -> InFlight {
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
    InFlight {
        path,
        done,
        outcome,
    }
}
