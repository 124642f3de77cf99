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

use serde::de::DeserializeOwned;
use shared::ErrorCode;

use super::Error;
use super::transport::{Answer, Client, Method, decode, headers};

/// How far an upload has got.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum UploadProgress {
    /// The share of the file sent, 0.0–1.0, when the browser knows the total.
    Sending(Option<f64>),
    /// Every byte is sent; the server is working on it.
    Sent,
}

impl Client {
    /// POSTs `blob` as the body with `content_type`, calling `on_progress` as it goes; when
    /// the session ran out, renews it and uploads once more.
    pub(super) async fn upload(
        &self,
        path: &str,
        blob: &Blob,
        content_type: &str,
        on_progress: Rc<dyn Fn(UploadProgress)>,
    ) -> Result<Answer, Error> {
        self.renewing(|| upload_once(self.lang, path, blob, content_type, on_progress.clone()))
            .await
    }
}

impl Client {
    /// Uploads an import file (checked only, or imported, as `path` says) and reads its report:
    /// a refused import (`422 import_rejected`) carries the same report, with nothing
    /// imported, so it is a report too, not an error.
    pub(super) async fn import<R: DeserializeOwned>(
        &self,
        path: &str,
        file: &web_sys::File,
        on_progress: Rc<dyn Fn(UploadProgress)>,
    ) -> Result<R, Error> {
        let declared = file.type_();
        let content_type = import_content_type(&declared, &file.name());
        let answer = self.upload(path, file, content_type, on_progress).await?;
        decode::<R>(&answer, &[]).or_else(rejected_report)
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
    xhr.open_with_async(Method::Post.as_str(), path, true)
        .map_err(js)?;
    for (name, value) in headers(lang, Method::Post, "application/json") {
        xhr.set_request_header(name, value).map_err(js)?;
    }
    xhr.set_request_header("Content-Type", content_type)
        .map_err(js)?;

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

/// The report inside a `422 import_rejected`; any other error stays an error.
fn rejected_report<R: DeserializeOwned>(err: Error) -> Result<R, Error> {
    if err.code() != Some(ErrorCode::ImportRejected) {
        return Err(err);
    }
    let Error::Api { body, .. } = &err else {
        return Err(err);
    };
    match body
        .details
        .as_ref()
        .and_then(|details| serde_json::from_value(details.clone()).ok())
    {
        Some(report) => Ok(report),
        None => Err(err),
    }
}

/// The content type to upload a file with: the browser's, else one from the name (browsers
/// leave it empty for types the system does not know, often `.csv` on Windows).
fn import_content_type<'a>(declared: &'a str, name: &str) -> &'a str {
    if !declared.is_empty() {
        return declared;
    }
    let ext = name
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xls" => "application/vnd.ms-excel",
        "ods" => "application/vnd.oasis.opendocument.spreadsheet",
        "csv" => "text/csv",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use shared::candidates::ImportReport;
    use shared::{ErrorBody, ErrorCode};

    use super::{Error, import_content_type, rejected_report};

    #[test]
    fn a_rejected_import_is_its_report() {
        let report = serde_json::json!({
            "committed": false, "total_rows": 2, "imported": 0, "new_groups": [],
            "errors": [{"row": 3, "field": "phone", "reason": "invalid_format"}],
            "preview": []
        });
        let err = Error::Api {
            status: 422,
            body: ErrorBody {
                code: ErrorCode::ImportRejected,
                message: "m".to_owned(),
                details: Some(report),
                request_id: "r".to_owned(),
            },
            retry_after: None,
        };
        let report = rejected_report::<ImportReport>(err).map(|r| r.errors[0].row);
        assert_eq!(report, Ok(3));
        let other = Error::Network("down".to_owned());
        assert!(rejected_report::<ImportReport>(other).is_err());
    }

    #[test]
    fn a_missing_content_type_comes_from_the_name() {
        assert_eq!(import_content_type("text/csv", "a.xlsx"), "text/csv");
        assert_eq!(import_content_type("", "名单.CSV"), "text/csv");
        assert_eq!(
            import_content_type("", "a.xlsx"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        );
        assert_eq!(import_content_type("", "noext"), "application/octet-stream");
    }
}
