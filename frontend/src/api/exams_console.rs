//! The console's calls on exams: the list, one exam, creating one, its assignments (assigning
//! candidates and groups, each candidate's accommodation, removing one), its attempts and its
//! entry modes (rotating the access code and open link, invite links, registrations). Editing
//! and deleting an exam have no endpoint yet.

use shared::Lang;
use shared::exams::{
    Accommodation, AssignmentDto, AssignmentRequest, AssignmentResult, AttemptEventDto,
    ExamAttemptDto, ExamDto, ExamInput, InviteLink, MonitorRow, ProctorMinutes, ProctoredAttempt,
    RegistrationDto,
};

use super::Error;
use super::transport::{Area, Client, Method, encode_segment};

const EXAMS: &str = "/api/exams";

/// Calls on exams for the signed-in console user.
#[derive(Debug, Clone, Copy)]
pub struct ExamsConsoleApi {
    client: Client,
}

impl ExamsConsoleApi {
    pub fn new(lang: Lang) -> Self {
        ExamsConsoleApi {
            client: Client::new(lang, Area::Console),
        }
    }

    /// `GET /api/exams`: latest opening first.
    pub async fn list(&self) -> Result<Vec<ExamDto>, Error> {
        self.client.get(EXAMS).await
    }

    /// `GET /api/exams/{id}`.
    pub async fn exam(&self, id: &str) -> Result<ExamDto, Error> {
        self.client.get(&exam_path(id, "")).await
    }

    /// `POST /api/exams`.
    pub async fn create(&self, input: &ExamInput) -> Result<ExamDto, Error> {
        self.client.send_json(Method::Post, EXAMS, input).await
    }

    /// `PUT /api/exams/{id}`: new settings (the paper only while nobody has attempted it).
    pub async fn update(&self, id: &str, input: &ExamInput) -> Result<ExamDto, Error> {
        self.client
            .send_json(Method::Put, &exam_path(id, ""), input)
            .await
    }

    /// `DELETE /api/exams/{id}` (refused while candidates are answering).
    pub async fn delete(&self, id: &str) -> Result<(), Error> {
        self.client
            .send_empty(Method::Delete, &exam_path(id, ""))
            .await
    }

    /// `GET /api/exams/{id}/assignments`.
    pub async fn assignments(&self, id: &str) -> Result<Vec<AssignmentDto>, Error> {
        self.client.get(&exam_path(id, "/assignments")).await
    }

    /// `POST /api/exams/{id}/assignments`: the candidates and every current member of the
    /// groups; all or nothing.
    pub async fn assign(
        &self,
        id: &str,
        request: &AssignmentRequest,
    ) -> Result<AssignmentResult, Error> {
        self.client
            .send_json(Method::Post, &exam_path(id, "/assignments"), request)
            .await
    }

    /// `PUT /api/exams/{id}/assignments/{candidate_id}`.
    pub async fn set_accommodation(
        &self,
        id: &str,
        candidate_id: &str,
        accommodation: &Accommodation,
    ) -> Result<AssignmentDto, Error> {
        let path = accommodation_path(id, candidate_id);
        self.client
            .send_json(Method::Put, &path, accommodation)
            .await
    }

    /// `DELETE /api/exams/{id}/assignments/{candidate_id}`: their invite link stops working;
    /// attempts already made stay.
    pub async fn unassign(&self, id: &str, candidate_id: &str) -> Result<(), Error> {
        let path = accommodation_path(id, candidate_id);
        self.client.send_empty(Method::Delete, &path).await
    }

    /// `POST /api/exams/{id}/access-code`: a new code; the old one stops working at once.
    pub async fn rotate_access_code(&self, id: &str) -> Result<ExamDto, Error> {
        self.client
            .send_bodiless(Method::Post, &exam_path(id, "/access-code"))
            .await
    }

    /// `POST /api/exams/{id}/open-link`: a new open link; the old one stops working at once.
    pub async fn rotate_open_link(&self, id: &str) -> Result<ExamDto, Error> {
        self.client
            .send_bodiless(Method::Post, &exam_path(id, "/open-link"))
            .await
    }

    /// `GET /api/exams/{id}/invites`: every assigned candidate's invite link (a path).
    pub async fn invites(&self, id: &str) -> Result<Vec<InviteLink>, Error> {
        self.client.get(&exam_path(id, "/invites")).await
    }

    /// `GET /api/exams/{id}/registrations`: oldest first (the read is audit-logged).
    pub async fn registrations(&self, id: &str) -> Result<Vec<RegistrationDto>, Error> {
        self.client.get(&exam_path(id, "/registrations")).await
    }

    /// `GET /api/exams/{id}/attempts`: oldest first.
    pub async fn attempts(&self, id: &str) -> Result<Vec<ExamAttemptDto>, Error> {
        self.client.get(&exam_path(id, "/attempts")).await
    }

    /// `GET /api/exams/{id}/monitor`: a row per assigned candidate with their latest attempt.
    pub async fn monitor(&self, id: &str) -> Result<Vec<MonitorRow>, Error> {
        self.client.get(&exam_path(id, "/monitor")).await
    }

    /// `GET /api/exams/{id}/attempts/{attempt_id}/events`: the attempt's timeline.
    pub async fn attempt_events(
        &self,
        id: &str,
        attempt_id: &str,
    ) -> Result<Vec<AttemptEventDto>, Error> {
        self.client
            .get(&attempt_path(id, attempt_id, "/events"))
            .await
    }

    /// `POST /api/exams/{id}/attempts/{attempt_id}/extend`: moves an attempt's deadline in
    /// progress later (409 `attempt_not_in_progress`, `deadline_passed`).
    pub async fn extend_attempt(
        &self,
        id: &str,
        attempt_id: &str,
        minutes: u32,
    ) -> Result<ProctoredAttempt, Error> {
        let path = attempt_path(id, attempt_id, "/extend");
        self.client
            .send_json(Method::Post, &path, &ProctorMinutes { minutes })
            .await
    }

    /// `POST /api/exams/{id}/attempts/{attempt_id}/force-submit` (409
    /// `attempt_not_in_progress`).
    pub async fn force_submit_attempt(
        &self,
        id: &str,
        attempt_id: &str,
    ) -> Result<ProctoredAttempt, Error> {
        let path = attempt_path(id, attempt_id, "/force-submit");
        self.client.send_bodiless(Method::Post, &path).await
    }

    /// `POST /api/exams/{id}/attempts/{attempt_id}/reopen`: a submitted attempt in progress
    /// again for `minutes` (409 `attempt_in_progress`, `attempt_running`).
    pub async fn reopen_attempt(
        &self,
        id: &str,
        attempt_id: &str,
        minutes: u32,
    ) -> Result<ProctoredAttempt, Error> {
        let path = attempt_path(id, attempt_id, "/reopen");
        self.client
            .send_json(Method::Post, &path, &ProctorMinutes { minutes })
            .await
    }
}

/// `/api/exams/{id}/attempts/{attempt_id}` followed by `tail`.
fn attempt_path(id: &str, attempt_id: &str, tail: &str) -> String {
    format!(
        "{}/{}{tail}",
        exam_path(id, "/attempts"),
        encode_segment(attempt_id)
    )
}

/// `/api/exams/{id}` followed by `tail`.
fn exam_path(id: &str, tail: &str) -> String {
    format!("{EXAMS}/{}{tail}", encode_segment(id))
}

fn accommodation_path(id: &str, candidate_id: &str) -> String {
    format!(
        "{}/{}",
        exam_path(id, "/assignments"),
        encode_segment(candidate_id)
    )
}

#[cfg(test)]
mod tests {
    use super::{accommodation_path, attempt_path, exam_path};

    #[test]
    fn paths_encode_their_ids() {
        assert_eq!(exam_path("e-1", ""), "/api/exams/e-1");
        assert_eq!(exam_path("e/1", "/attempts"), "/api/exams/e%2F1/attempts");
        assert_eq!(
            accommodation_path("e-1", "c 2"),
            "/api/exams/e-1/assignments/c%202"
        );
        assert_eq!(
            attempt_path("e-1", "a/2", "/extend"),
            "/api/exams/e-1/attempts/a%2F2/extend"
        );
    }
}
