//! Results calls: an exam's results table and the links of its exports, one attempt's score
//! sheet (console), and the signed-in candidate's released results (portal).

use shared::Lang;
use shared::exams::AttemptReview;
use shared::grading::{GradingItemDto, ReviewRequestInput};
use shared::results::{MyResult, ResultPage, ScoreSheet};

use super::Error;
use super::transport::{Area, Client, Method, encode_segment, with_query};

/// The filters, order and page of the results table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResultFilter {
    /// `Some(true)`: passed only; `Some(false)`: failed only.
    pub passed: Option<bool>,
    /// `graded` or `pending`.
    pub grading: Option<String>,
    /// `rank`, `time_used` or `submitted`.
    pub sort: Option<String>,
    pub descending: bool,
    pub offset: i64,
    pub limit: i64,
}

impl ResultFilter {
    fn pairs(&self) -> Vec<(&'static str, Option<String>)> {
        vec![
            ("passed", self.passed.map(|p| p.to_string())),
            ("grading", self.grading.clone()),
            ("sort", self.sort.clone()),
            ("order", self.descending.then(|| "desc".to_owned())),
        ]
    }
}

fn results_path(exam_id: &str) -> String {
    format!("/api/exams/{}/results", encode_segment(exam_id))
}

/// The link that downloads the table (every row matching `filter`) as `format` (`xlsx` or
/// `csv`) with headers in `lang`; the console cookie goes with it.
pub fn results_export_url(
    exam_id: &str,
    filter: &ResultFilter,
    format: &str,
    lang: Lang,
) -> String {
    let mut pairs = filter.pairs();
    pairs.push(("format", Some(format.to_owned())));
    pairs.push(("lang", Some(lang.tag().to_owned())));
    with_query(&format!("{}/export", results_path(exam_id)), &pairs)
}

/// The console's results calls (permission `exams:read`).
#[derive(Debug, Clone, Copy)]
pub struct ResultsApi {
    client: Client,
}

impl ResultsApi {
    pub fn new(lang: Lang) -> Self {
        ResultsApi {
            client: Client::new(lang, Area::Console),
        }
    }

    /// `GET /api/exams/{id}/results`.
    pub async fn table(&self, exam_id: &str, filter: &ResultFilter) -> Result<ResultPage, Error> {
        let mut pairs = filter.pairs();
        pairs.push(("offset", Some(filter.offset.to_string())));
        pairs.push(("limit", Some(filter.limit.to_string())));
        self.client
            .get(&with_query(&results_path(exam_id), &pairs))
            .await
    }

    /// `GET /api/exams/{id}/attempts/{attempt_id}/score-sheet`.
    pub async fn score_sheet(&self, exam_id: &str, attempt_id: &str) -> Result<ScoreSheet, Error> {
        let path = format!(
            "/api/exams/{}/attempts/{}/score-sheet",
            encode_segment(exam_id),
            encode_segment(attempt_id)
        );
        self.client.get(&path).await
    }

    /// `POST /api/exams/{id}/attempts/{attempt_id}/questions/{question_id}/review`: sends an
    /// automatically graded answer to the graders, with the reason.
    pub async fn request_review(
        &self,
        exam_id: &str,
        attempt_id: &str,
        question_id: &str,
        reason: &str,
    ) -> Result<GradingItemDto, Error> {
        let path = format!(
            "/api/exams/{}/attempts/{}/questions/{}/review",
            encode_segment(exam_id),
            encode_segment(attempt_id),
            encode_segment(question_id)
        );
        let body = ReviewRequestInput {
            reason: reason.to_owned(),
        };
        self.client.send_json(Method::Post, &path, &body).await
    }
}

/// The signed-in candidate's results.
#[derive(Debug, Clone, Copy)]
pub struct MyResultsApi {
    client: Client,
}

impl MyResultsApi {
    pub fn new(lang: Lang) -> Self {
        MyResultsApi {
            client: Client::new(lang, Area::Portal),
        }
    }

    /// `GET /api/candidate/results`.
    pub async fn list(&self) -> Result<Vec<MyResult>, Error> {
        self.client.get("/api/candidate/results").await
    }

    /// `GET /api/candidate/attempts/{id}/review`: the answers with the keys (409
    /// `review_not_available` while the review policy does not allow it).
    pub async fn review(&self, attempt_id: &str) -> Result<AttemptReview, Error> {
        let path = format!(
            "/api/candidate/attempts/{}/review",
            encode_segment(attempt_id)
        );
        self.client.get(&path).await
    }
}
