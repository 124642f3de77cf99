//! The candidate's side of an exam (portal cookie): the assigned exams, starting (or resuming)
//! an attempt on the pre-generated paper, saving answers ordered by a client sequence number,
//! and submitting with a receipt. Grading runs at submission, and at the deadline through the
//! job queue when the candidate never submits.
//!
//! Architecture invariant: a save is acknowledged only after its transaction committed, and
//! nothing sent to a candidate carries answer keys, explanations or rubrics (the paper is
//! built by `papers::candidate::build_candidate_paper`).
//!
//! `model.rs` holds the queries (the row and its lock, the answers and their `seq` rule,
//! `finalise`, the deadline job); `view.rs` what the candidate sees; `guard.rs` the checks of
//! every call; `start.rs` and `save.rs` the domain of starting, saving and submitting;
//! `handlers.rs` the HTTP operations, which hold no queries.

mod error;
mod guard;
mod handlers;
pub mod model;
mod save;
mod start;
pub mod view;

use actix_web::web;

pub use error::AttemptError;
pub(crate) use guard::open_locked;
pub use handlers::{
    __path_get_attempt, __path_list_candidate_exams, __path_save_answer, __path_start_attempt,
    __path_submit_attempt, get_attempt, list_candidate_exams, save_answer, start_attempt,
    submit_attempt,
};

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/candidate/exams").get(list_candidate_exams))
        .service(web::resource("/candidate/exams/{id}/attempts").post(start_attempt))
        .service(web::resource("/candidate/attempts/{id}").get(get_attempt))
        .service(web::resource("/candidate/attempts/{id}/answers/{question_id}").put(save_answer))
        .service(web::resource("/candidate/attempts/{id}/submit").post(submit_attempt));
    super::events::candidate_config(cfg);
}
