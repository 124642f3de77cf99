//! Re-grade calls: the preview of re-grading a question's finished attempts against its
//! current version, starting the run, and following it.

use shared::Lang;
use shared::regrade::{RegradeAccepted, RegradeInput, RegradePreview, RegradeRun};

use super::Error;
use super::transport::{Area, Client, Method, encode_segment};

fn question_path(question_id: &str) -> String {
    format!("/api/questions/{}/regrade", encode_segment(question_id))
}

/// The console's re-grade calls (`questions:read` with `exams:read`, `exams:write` to start).
#[derive(Debug, Clone, Copy)]
pub struct RegradeApi {
    client: Client,
}

impl RegradeApi {
    pub fn new(lang: Lang) -> Self {
        RegradeApi {
            client: Client::new(lang, Area::Console),
        }
    }

    /// `GET /api/questions/{id}/regrade`: what a re-grade would change (nothing is written).
    pub async fn preview(&self, question_id: &str) -> Result<RegradePreview, Error> {
        self.client.get(&question_path(question_id)).await
    }

    /// `POST /api/questions/{id}/regrade`: queues the run over every exam that used it.
    pub async fn start(&self, question_id: &str) -> Result<RegradeAccepted, Error> {
        let body = RegradeInput::default();
        self.client
            .send_json(Method::Post, &question_path(question_id), &body)
            .await
    }

    /// `GET /api/regrades/{id}`.
    pub async fn run(&self, id: &str) -> Result<RegradeRun, Error> {
        self.client
            .get(&format!("/api/regrades/{}", encode_segment(id)))
            .await
    }
}
