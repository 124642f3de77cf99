//! The console's calls on candidates, their groups and bulk import.

use std::rc::Rc;

use shared::Lang;
use shared::candidates::{
    CandidateDto, CandidatePage, CreateCandidateRequest, GroupDto, GroupRequest, ImportReport,
    UpdateCandidateRequest,
};
use web_sys::File;

use super::Error;
use super::transport::{Area, Client, Method, encode_segment, with_query};
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
        self.client
            .send_json(Method::Post, CANDIDATES, request)
            .await
    }

    /// `PATCH /api/candidates/{id}`.
    pub async fn update(
        &self,
        id: &str,
        request: &UpdateCandidateRequest,
    ) -> Result<CandidateDto, Error> {
        self.client
            .send_json(Method::Patch, &candidate_path(id), request)
            .await
    }

    /// `DELETE /api/candidates/{id}`.
    pub async fn delete(&self, id: &str) -> Result<(), Error> {
        self.client
            .send_empty(Method::Delete, &candidate_path(id))
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
        self.client.send_json(Method::Post, GROUPS, &request).await
    }

    /// `PATCH /api/candidate-groups/{id}`.
    pub async fn rename_group(&self, id: &str, name: &str) -> Result<GroupDto, Error> {
        let request = GroupRequest {
            name: name.to_owned(),
        };
        self.client
            .send_json(Method::Patch, &group_path(id), &request)
            .await
    }

    /// `DELETE /api/candidate-groups/{id}`.
    pub async fn delete_group(&self, id: &str) -> Result<(), Error> {
        self.client
            .send_empty(Method::Delete, &group_path(id))
            .await
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
        self.client.import(&path, file, on_progress).await
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

#[cfg(test)]
mod tests {
    use shared::Lang;

    use super::{CandidateFilter, TemplateFormat, list_path, template_url};

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
}
