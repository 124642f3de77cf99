//! Grading calls (permission `grading`): the exams with work for the caller, an exam's queue,
//! progress and marking rule, the next item (held for the caller), one item, a mark, and giving
//! an item back.

use shared::Lang;
use shared::grading::{
    GradingExam, GradingItemPage, GradingProgress, GradingTask, MarkInput, MarkingSettings,
    NextItemInput,
};

use super::Error;
use super::transport::{Area, Body, Client, Method, decode, encode_segment, with_query};

/// The filters and page of an exam's grading queue.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemFilter {
    pub question_id: Option<String>,
    /// `open`, `arbitration` or `done`.
    pub status: Option<String>,
    /// Items this grader marked.
    pub grader_id: Option<String>,
    pub offset: i64,
    pub limit: i64,
}

fn exam_path(exam_id: &str, rest: &str) -> String {
    format!("/api/exams/{}/{rest}", encode_segment(exam_id))
}

fn item_path(item_id: &str, rest: &str) -> String {
    format!("/api/grading/items/{}{rest}", encode_segment(item_id))
}

/// The console's grading calls.
#[derive(Debug, Clone, Copy)]
pub struct GradingApi {
    client: Client,
}

impl GradingApi {
    pub fn new(lang: Lang) -> Self {
        GradingApi {
            client: Client::new(lang, Area::Console),
        }
    }

    /// `GET /api/grading/exams`: exams with submitted attempts waiting for a person.
    pub async fn exams(&self) -> Result<Vec<GradingExam>, Error> {
        self.client.get("/api/grading/exams").await
    }

    /// `GET /api/exams/{id}/grading/items`.
    pub async fn items(
        &self,
        exam_id: &str,
        filter: &ItemFilter,
    ) -> Result<GradingItemPage, Error> {
        let pairs = [
            ("question_id", filter.question_id.clone()),
            ("status", filter.status.clone()),
            ("grader_id", filter.grader_id.clone()),
            ("offset", Some(filter.offset.to_string())),
            ("limit", Some(filter.limit.to_string())),
        ];
        let path = with_query(&exam_path(exam_id, "grading/items"), &pairs);
        self.client.get(&path).await
    }

    /// `GET /api/exams/{id}/grading/progress`.
    pub async fn progress(&self, exam_id: &str) -> Result<GradingProgress, Error> {
        self.client
            .get(&exam_path(exam_id, "grading/progress"))
            .await
    }

    /// `POST /api/exams/{id}/grading/next`: the next item, held for the caller; `None` when
    /// nothing is left for them (204).
    pub async fn next(
        &self,
        exam_id: &str,
        input: &NextItemInput,
    ) -> Result<Option<GradingTask>, Error> {
        let path = exam_path(exam_id, "grading/next");
        let answer = self
            .client
            .call(Method::Post, &path, Body::json(input)?)
            .await?;
        if answer.status == 204 {
            return Ok(None);
        }
        decode(&answer, &[]).map(Some)
    }

    /// `GET /api/grading/items/{id}`: an item with the caller's mark (to change it).
    pub async fn item(&self, item_id: &str) -> Result<GradingTask, Error> {
        self.client.get(&item_path(item_id, "")).await
    }

    /// `PUT /api/grading/items/{id}/mark`.
    pub async fn mark(&self, item_id: &str, input: &MarkInput) -> Result<GradingTask, Error> {
        self.client
            .send_json(Method::Put, &item_path(item_id, "/mark"), input)
            .await
    }

    /// `DELETE /api/grading/items/{id}/lease`: gives the item back to the queue.
    pub async fn release(&self, item_id: &str) -> Result<(), Error> {
        self.client
            .send_empty(Method::Delete, &item_path(item_id, "/lease"))
            .await
    }

    /// `GET /api/exams/{id}/marking`.
    pub async fn marking(&self, exam_id: &str) -> Result<MarkingSettings, Error> {
        self.client.get(&exam_path(exam_id, "marking")).await
    }

    /// `PUT /api/exams/{id}/marking` (permission `exams:write`).
    pub async fn set_marking(
        &self,
        exam_id: &str,
        settings: &MarkingSettings,
    ) -> Result<MarkingSettings, Error> {
        self.client
            .send_json(Method::Put, &exam_path(exam_id, "marking"), settings)
            .await
    }
}
