//! Re-grading (issue 13): after a question's key or points are corrected — a new version —
//! the finished attempts that used the question are graded again against that version.
//! `GET /api/questions/{id}/regrade` previews it without writing; `POST` queues a run (the
//! [`run::REGRADE`] job, in batches) that writes only the attempts whose result changes,
//! audits each change (`attempt.regraded`, before and after) and queues the "your result
//! changed" notice of results already released; `GET /api/regrades/{id}` follows the run.
//! Scoring is `exams::grading::grade`; a grader's marks are never recomputed.
//!
//! Architecture invariant: a re-grade never changes an attempt silently — each change is
//! audited in the transaction that writes it.

pub mod compute;
mod handlers;
pub mod run;

use actix_web::web;

pub use handlers::{
    __path_get_regrade, __path_preview_regrade, __path_start_regrade, get_regrade, preview_regrade,
    start_regrade,
};

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/questions/{id}/regrade")
            .get(preview_regrade)
            .post(start_regrade),
    )
    .service(web::resource("/regrades/{id}").get(get_regrade));
}
