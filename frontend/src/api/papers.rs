//! The console's calls on papers: the list, one paper, saving, deleting, checking rules
//! against the banks, and the candidate's-eye preview.

use shared::Lang;
use shared::papers::{
    CandidatePaper, PaperDto, PaperInput, PaperSummary, RuleCheckRequest, RuleCheckResult,
};

use super::Error;
use super::transport::{Area, Client, Method, encode_segment, with_query};

const PAPERS: &str = "/api/papers";
const CHECK_RULES: &str = "/api/papers/check-rules";

/// Calls on papers for the signed-in console user.
#[derive(Debug, Clone, Copy)]
pub struct PapersApi {
    client: Client,
}

impl PapersApi {
    pub fn new(lang: Lang) -> Self {
        PapersApi {
            client: Client::new(lang, Area::Console),
        }
    }

    /// `GET /api/papers`.
    pub async fn list(&self) -> Result<Vec<PaperSummary>, Error> {
        self.client.get(PAPERS).await
    }

    /// `GET /api/papers/{id}`.
    pub async fn paper(&self, id: &str) -> Result<PaperDto, Error> {
        self.client.get(&paper_path(id)).await
    }

    /// `POST /api/papers`.
    pub async fn create(&self, input: &PaperInput) -> Result<PaperDto, Error> {
        self.client.send_json(Method::Post, PAPERS, input).await
    }

    /// `PUT /api/papers/{id}`: the next revision.
    pub async fn update(&self, id: &str, input: &PaperInput) -> Result<PaperDto, Error> {
        self.client
            .send_json(Method::Put, &paper_path(id), input)
            .await
    }

    /// `DELETE /api/papers/{id}`.
    pub async fn delete(&self, id: &str) -> Result<(), Error> {
        self.client
            .send_empty(Method::Delete, &paper_path(id))
            .await
    }

    /// `POST /api/papers/check-rules`.
    pub async fn check_rules(&self, request: &RuleCheckRequest) -> Result<RuleCheckResult, Error> {
        self.client
            .send_json(Method::Post, CHECK_RULES, request)
            .await
    }

    /// `GET /api/papers/{id}/preview?seed=`: a new random draw when `seed` is `None`.
    pub async fn preview(&self, id: &str, seed: Option<&str>) -> Result<CandidatePaper, Error> {
        let path = with_query(
            &format!("{}/preview", paper_path(id)),
            &[("seed", seed.map(str::to_owned))],
        );
        self.client.get(&path).await
    }
}

fn paper_path(id: &str) -> String {
    format!("{PAPERS}/{}", encode_segment(id))
}
