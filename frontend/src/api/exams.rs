//! The signed-in candidate's exam calls: the exam list, starting (or resuming) an attempt,
//! the attempt with its paper, saving one answer and submitting. They renew the portal's
//! session (never the console's) on a 401.

use shared::Lang;
use shared::exams::{
    AttemptView, CandidateExam, ClientEvent, ClientEvents, EventsRecorded, SaveAnswer, SavedAnswer,
    SubmitReceipt,
};

use super::Error;
use super::transport::{Area, Client, Method, encode_segment};

const EXAMS: &str = "/api/candidate/exams";

/// Calls on the signed-in candidate's exams and attempts.
#[derive(Debug, Clone, Copy)]
pub struct ExamsApi {
    client: Client,
}

impl ExamsApi {
    pub fn new(lang: Lang) -> Self {
        ExamsApi {
            client: Client::new(lang, Area::Portal),
        }
    }

    /// `GET /api/candidate/exams`.
    pub async fn list(&self) -> Result<Vec<CandidateExam>, Error> {
        self.client.get(EXAMS).await
    }

    /// `POST /api/candidate/exams/{id}/attempts`: a new attempt, or the running one resumed.
    pub async fn start(&self, exam_id: &str) -> Result<AttemptView, Error> {
        let path = format!("{EXAMS}/{}/attempts", encode_segment(exam_id));
        self.client.send_bodiless(Method::Post, &path).await
    }

    /// `GET /api/candidate/attempts/{id}`.
    pub async fn attempt(&self, attempt_id: &str) -> Result<AttemptView, Error> {
        self.client.get(&attempt_path(attempt_id, "")).await
    }

    /// `PUT /api/candidate/attempts/{id}/answers/{question_id}`: answered after the server
    /// committed the answer (or kept a newer one).
    pub async fn save(
        &self,
        attempt_id: &str,
        question_id: &str,
        save: &SaveAnswer,
    ) -> Result<SavedAnswer, Error> {
        let path = attempt_path(
            attempt_id,
            &format!("/answers/{}", encode_segment(question_id)),
        );
        self.client.send_json(Method::Put, &path, save).await
    }

    /// `POST /api/candidate/attempts/{id}/submit`.
    pub async fn submit(&self, attempt_id: &str) -> Result<SubmitReceipt, Error> {
        self.client
            .send_bodiless(Method::Post, &attempt_path(attempt_id, "/submit"))
            .await
    }
}

impl ExamsApi {
    /// `POST /api/candidate/attempts/{id}/events`: what the integrity watch saw; the answer
    /// says whether a limit made the server submit the attempt.
    pub async fn events(
        &self,
        attempt_id: &str,
        events: Vec<ClientEvent>,
    ) -> Result<EventsRecorded, Error> {
        let body = ClientEvents { events };
        self.client
            .send_json(Method::Post, &attempt_path(attempt_id, "/events"), &body)
            .await
    }
}

fn attempt_path(attempt_id: &str, rest: &str) -> String {
    format!(
        "/api/candidate/attempts/{}{rest}",
        encode_segment(attempt_id)
    )
}
