//! Uploading a file as the raw body of a POST, with progress. `fetch` cannot report upload
//! progress, so this one request goes through `XMLHttpRequest`. The file is handed to the
//! browser as it is (a `Blob`): it is never copied into WASM memory, so a large file does not
//! stall the page.

use std::cell::RefCell;
use std::rc::Rc;

use shared::Lang;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_futures::js_sys::{Function, Promise};
use web_sys::{Blob, ProgressEvent, XmlHttpRequest};

use super::session::refresh_session;
use super::transport::Client;
use super::{Answer, CSRF_HEADER, Error};

/// How far an upload has got.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum UploadProgress {
    /// The share of the file sent, 0.0–1.0, when the browser knows the total.
    Sending(Option<f64>),
    /// Every byte is sent; the server is working on it.
    Sent,
}

impl Client {
    /// POSTs `blob` as the body with `content_type`, calling `on_progress` as it goes; on a 401
    /// renews the session and uploads once more.
    pub(super) async fn upload(
        &self,
        path: &str,
        blob: &Blob,
        content_type: &str,
        on_progress: Rc<dyn Fn(UploadProgress)>,
    ) -> Result<Answer, Error> {
        let answer = upload_once(self.lang, path, blob, content_type, on_progress.clone()).await?;
        if answer.status != 401 {
            return Ok(answer);
        }
        if refresh_session(self.lang, self.area.refresh_path()).await? {
            upload_once(self.lang, path, blob, content_type, on_progress).await
        } else {
            Ok(answer)
        }
    }
}

/// The callbacks of one request, kept alive until it ends and then dropped with it.
type Handlers = Rc<RefCell<Vec<Closure<dyn FnMut(ProgressEvent)>>>>;

async fn upload_once(
    lang: Lang,
    path: &str,
    blob: &Blob,
    content_type: &str,
    on_progress: Rc<dyn Fn(UploadProgress)>,
) -> Result<Answer, Error> {
    let js = |err: wasm_bindgen::JsValue| Error::Network(format!("{err:?}"));
    let xhr = XmlHttpRequest::new().map_err(js)?;
    xhr.open_with_async("POST", path, true).map_err(js)?;
    for (name, value) in [
        (CSRF_HEADER, "1"),
        ("Accept", "application/json"),
        ("Accept-Language", lang.tag()),
        ("Content-Type", content_type),
    ] {
        xhr.set_request_header(name, value).map_err(js)?;
    }

    let handlers: Handlers = Rc::default();
    let progress = on_progress.clone();
    let on_upload_progress = Closure::<dyn FnMut(ProgressEvent)>::new(move |ev: ProgressEvent| {
        let share = ev
            .length_computable()
            .then(|| ev.loaded() / ev.total().max(1.0));
        progress(UploadProgress::Sending(share));
    });
    let on_upload_done = Closure::<dyn FnMut(ProgressEvent)>::new(move |_| {
        on_progress(UploadProgress::Sent);
    });
    let upload = xhr.upload().map_err(js)?;
    upload.set_onprogress(Some(on_upload_progress.as_ref().unchecked_ref()));
    upload.set_onload(Some(on_upload_done.as_ref().unchecked_ref()));
    handlers.borrow_mut().push(on_upload_progress);
    handlers.borrow_mut().push(on_upload_done);

    // Settles when the request ends, whichever way; the status tells how.
    let finished = {
        let handlers = Rc::clone(&handlers);
        let xhr = xhr.clone();
        Promise::new(&mut move |resolve: Function, _reject: Function| {
            let on_end = Closure::<dyn FnMut(ProgressEvent)>::new(move |_| {
                // Resolving cannot fail for a function the Promise constructor gave us.
                let _ = resolve.call0(&wasm_bindgen::JsValue::UNDEFINED);
            });
            xhr.set_onloadend(Some(on_end.as_ref().unchecked_ref()));
            handlers.borrow_mut().push(on_end);
        })
    };
    xhr.send_with_opt_blob(Some(blob)).map_err(js)?;
    // The promise never rejects.
    let _ = JsFuture::from(finished).await;
    drop(handlers);

    let status = xhr.status().map_err(js)?;
    if status == 0 {
        return Err(Error::Network(
            "the upload did not reach the server".to_owned(),
        ));
    }
    let header = |name: &str| xhr.get_response_header(name).ok().flatten();
    Ok(Answer {
        status,
        request_id: header("x-request-id"),
        retry_after: header("retry-after"),
        body: xhr.response_text().ok().flatten().unwrap_or_default(),
    })
}
