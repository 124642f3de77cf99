//! Exporting a bank's questions (`POST /api/question-banks/{id}/export`): first a check of what
//! the chosen format can express, then the file itself, handed to the browser as a download.

use serde::{Deserialize, Serialize};
use shared::Lang;
use wasm_bindgen::JsCast;

use super::Error;
use super::transport::{Area, Body, Client, Method, encode_segment};

/// The formats a bank exports to, by their wire names.
pub const EXPORT_FORMATS: [&str; 7] = [
    "xlsx",
    "csv",
    "gift",
    "aiken",
    "moodle_xml",
    "qti21",
    "qti30",
];

/// The body of an export request.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExportRequest {
    pub format: String,
    /// Only these questions; absent: the whole bank.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub question_ids: Option<Vec<String>>,
    /// Only say what would be exported.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub check_only: bool,
}

/// A question the format cannot express.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct SkippedQuestion {
    pub question_id: String,
    pub question_type: String,
}

/// The answer of a `check_only` request.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ExportCheck {
    pub exportable: i64,
    #[serde(default)]
    pub skipped: Vec<SkippedQuestion>,
}

/// Calls of the export dialog.
#[derive(Debug, Clone, Copy)]
pub struct ExportApi {
    client: Client,
}

impl ExportApi {
    pub fn new(lang: Lang) -> Self {
        ExportApi {
            client: Client::new(lang, Area::Console),
        }
    }

    /// What `request` would export (sent with `check_only: true`).
    pub async fn check(
        &self,
        bank_id: &str,
        request: &ExportRequest,
    ) -> Result<ExportCheck, Error> {
        let request = ExportRequest {
            check_only: true,
            ..request.clone()
        };
        self.client
            .send_json(Method::Post, &export_path(bank_id), &request)
            .await
    }

    /// Exports and saves the file under the name the server gives (`Content-Disposition`).
    pub async fn download(&self, bank_id: &str, request: &ExportRequest) -> Result<(), Error> {
        let request = ExportRequest {
            check_only: false,
            ..request.clone()
        };
        let file = self
            .client
            .fetch_file(Method::Post, &export_path(bank_id), &Body::json(&request)?)
            .await?;
        let name = file
            .disposition
            .as_deref()
            .and_then(disposition_filename)
            .unwrap_or_else(|| format!("questions.{}", request.format));
        save_blob(&file.blob, &name)
            .map_err(|_| Error::Network("could not save the file".to_owned()))
    }
}

/// Hands `blob` to the browser as a download named `name`, through a temporary link.
fn save_blob(blob: &web_sys::Blob, name: &str) -> Result<(), wasm_bindgen::JsValue> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or(wasm_bindgen::JsValue::NULL)?;
    let url = web_sys::Url::create_object_url_with_blob(blob)?;
    let link: web_sys::HtmlAnchorElement = document.create_element("a")?.unchecked_into();
    link.set_href(&url);
    link.set_download(name);
    link.set_attribute("data-testid", "export-link")?;
    if let Some(body) = document.body() {
        body.append_child(&link)?;
        link.click();
        link.remove();
    }
    web_sys::Url::revoke_object_url(&url)
}

/// The file name of a `Content-Disposition` header: `filename*=UTF-8''…` (percent-decoded)
/// when present, else `filename="…"`.
pub fn disposition_filename(header: &str) -> Option<String> {
    let mut plain = None;
    for part in header.split(';').map(str::trim) {
        if let Some(value) = part.strip_prefix("filename*=") {
            let encoded = value.split("''").nth(1).unwrap_or(value);
            if let Some(name) = percent_decode(encoded.trim_matches('"')) {
                return Some(name);
            }
        } else if let Some(value) = part.strip_prefix("filename=") {
            plain = Some(value.trim_matches('"').to_owned());
        }
    }
    plain.filter(|name| !name.is_empty())
}

fn percent_decode(value: &str) -> Option<String> {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = value.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok().filter(|name| !name.is_empty())
}

fn export_path(bank_id: &str) -> String {
    format!("/api/question-banks/{}/export", encode_segment(bank_id))
}

#[cfg(test)]
mod tests {
    use super::{ExportRequest, disposition_filename};

    #[test]
    fn the_file_name_comes_from_the_disposition_header() {
        assert_eq!(
            disposition_filename("attachment; filename=\"bank.gift.txt\"").as_deref(),
            Some("bank.gift.txt")
        );
        assert_eq!(
            disposition_filename(
                "attachment; filename=\"x.xlsx\"; filename*=UTF-8''%E9%A2%98%E5%BA%93.xlsx"
            )
            .as_deref(),
            Some("题库.xlsx")
        );
        assert_eq!(disposition_filename("attachment"), None);
    }

    #[test]
    fn a_whole_bank_request_names_no_questions() {
        let request = ExportRequest {
            format: "gift".to_owned(),
            question_ids: None,
            check_only: true,
        };
        let json = serde_json::to_string(&request).unwrap_or_default();
        assert_eq!(json, r#"{"format":"gift","check_only":true}"#);
    }
}
