//! The console's calls on candidates, their groups and bulk import.

use std::rc::Rc;

use shared::candidates::{
    CandidateDto, CandidatePage, CreateCandidateRequest, GroupDto, GroupRequest, ImportReport,
    UpdateCandidateRequest,
};
use shared::{ErrorCode, Lang};
use web_sys::File;

use super::Error;
use super::transport::{Area, Client, Verb, encode_segment, with_query};
use super::upload::UploadProgress;

const CANDIDATES: &str = "/api/candidates";
const GROUPS: &str = "/api/candidate-groups";
const IMPORT: &str = "/api/candidates/import";
const TEMPLATE: &str = "/api/candidates/import/template";

/// The filters and page of the candidate list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CandidateFilter {
    pub group_id: Option<String>,
    /// `active` or `disabled`.
    pub status: Option<String>,
    /// An exact account, email address or mobile number.
    pub q: Option<String>,
    pub offset: i64,
    pub limit: i64,
}

/// The file formats of the import template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TemplateFormat {
    Xlsx,
    Csv,
}

impl TemplateFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            TemplateFormat::Xlsx => "xlsx",
            TemplateFormat::Csv => "csv",
        }
    }
}

/// Calls on candidates for the signed-in console user.
#[derive(Debug, Clone, Copy)]
pub struct CandidatesApi {
    client: Client,
}

impl CandidatesApi {
    pub fn new(lang: Lang) -> Self {
        CandidatesApi {
            client: Client::new(lang, Area::Console),
        }
    }

    /// `GET /api/candidates`.
    pub async fn list(&self, filter: &CandidateFilter) -> Result<CandidatePage, Error> {
        self.client.get(&list_path(filter)).await
    }

    /// `POST /api/candidates`.
    pub async fn create(&self, request: &CreateCandidateRequest) -> Result<CandidateDto, Error> {
        self.client.send_json(Verb::Post, CANDIDATES, request).await
    }

    /// `PATCH /api/candidates/{id}`.
    pub async fn update(
        &self,
        id: &str,
        request: &UpdateCandidateRequest,
    ) -> Result<CandidateDto, Error> {
        self.client
            .send_json(Verb::Patch, &candidate_path(id), request)
            .await
    }

    /// `DELETE /api/candidates/{id}`.
    pub async fn delete(&self, id: &str) -> Result<(), Error> {
        self.client
            .send_empty(Verb::Delete, &candidate_path(id))
            .await
    }

    /// `GET /api/candidate-groups`.
    pub async fn groups(&self) -> Result<Vec<GroupDto>, Error> {
        self.client.get(GROUPS).await
    }

    /// `POST /api/candidate-groups`.
    pub async fn create_group(&self, name: &str) -> Result<GroupDto, Error> {
        let request = GroupRequest {
            name: name.to_owned(),
        };
        self.client.send_json(Verb::Post, GROUPS, &request).await
    }

    /// `PATCH /api/candidate-groups/{id}`.
    pub async fn rename_group(&self, id: &str, name: &str) -> Result<GroupDto, Error> {
        let request = GroupRequest {
            name: name.to_owned(),
        };
        self.client
            .send_json(Verb::Patch, &group_path(id), &request)
            .await
    }

    /// `DELETE /api/candidate-groups/{id}`.
    pub async fn delete_group(&self, id: &str) -> Result<(), Error> {
        self.client.send_empty(Verb::Delete, &group_path(id)).await
    }

    /// `POST /api/candidates/import`: checks the file (`dry_run`) or imports it. A file with
    /// errors is a report too, not an error: the preview lists them, and a refused import
    /// (`422 import_rejected`) carries the same report, with nothing imported.
    pub async fn import(
        &self,
        file: &File,
        dry_run: bool,
        on_progress: Rc<dyn Fn(UploadProgress)>,
    ) -> Result<ImportReport, Error> {
        let path = with_query(IMPORT, &[("dry_run", dry_run.then(|| "true".to_owned()))]);
        let declared = file.type_();
        let content_type = import_content_type(&declared, &file.name());
        let answer = self
            .client
            .upload(&path, file, content_type, on_progress)
            .await?;
        super::decode::<ImportReport>(&answer, &[]).or_else(rejected_report)
    }
}

/// The URL of the import template, for a download link.
pub fn template_url(format: TemplateFormat, lang: Lang) -> String {
    with_query(
        TEMPLATE,
        &[
            ("format", Some(format.as_str().to_owned())),
            ("lang", Some(lang.tag().to_owned())),
        ],
    )
}

fn list_path(filter: &CandidateFilter) -> String {
    with_query(
        CANDIDATES,
        &[
            ("group_id", filter.group_id.clone()),
            ("status", filter.status.clone()),
            ("q", filter.q.clone()),
            ("offset", Some(filter.offset.to_string())),
            ("limit", Some(filter.limit.to_string())),
        ],
    )
}

fn candidate_path(id: &str) -> String {
    format!("{CANDIDATES}/{}", encode_segment(id))
}

fn group_path(id: &str) -> String {
    format!("{GROUPS}/{}", encode_segment(id))
}

/// The report inside a `422 import_rejected`; any other error stays an error.
fn rejected_report(err: Error) -> Result<ImportReport, Error> {
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
pub fn import_content_type<'a>(declared: &'a str, name: &str) -> &'a str {
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
    use shared::{ErrorBody, ErrorCode, Lang};

    use super::{
        CandidateFilter, Error, TemplateFormat, import_content_type, list_path, rejected_report,
        template_url,
    };

    #[test]
    fn the_list_path_carries_the_filters() {
        let filter = CandidateFilter {
            group_id: Some("g-1".to_owned()),
            status: None,
            q: Some("li@example.com".to_owned()),
            offset: 40,
            limit: 20,
        };
        assert_eq!(
            list_path(&filter),
            "/api/candidates?group_id=g-1&q=li%40example.com&offset=40&limit=20"
        );
        assert_eq!(
            template_url(TemplateFormat::Csv, Lang::ZhCn),
            "/api/candidates/import/template?format=csv&lang=zh-CN"
        );
    }

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
        let report = rejected_report(err).map(|r| r.errors[0].row);
        assert_eq!(report, Ok(3));
        let other = Error::Network("down".to_owned());
        assert!(rejected_report(other).is_err());
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
