//! Exams (`/api/exams`, permission `exams`): a paper given to assigned candidates within a
//! time window, with duration, late entry, attempts, scoring, pass mark, negative marking and
//! release/review policies; assignments of candidates and groups (papers are generated for
//! them at once, so starting does no heavy work) and per-candidate accommodations.
//!
//! The exams themselves are `handlers.rs`, assignments and accommodations `assignments.rs`,
//! the rows [`model`]. The candidate side (starting, saving, submitting) is in [`attempts`];
//! grading in [`grading`]; checking an exam's input in [`input`]; the entry secrets in
//! [`tokens`]; anti-cheat (IP ranges, the attempt event log, limits) in [`integrity`] and the
//! candidate's events in `events`; the proctor's console in [`proctor`] (its monitor in
//! `monitor.rs`); answer review in [`review`].

mod assignments;
pub mod attempts;
pub mod entry;
mod events;
pub mod grading;
mod handlers;
pub mod input;
pub mod integrity;
pub mod model;
mod monitor;
pub mod proctor;
pub mod registrations;
pub mod review;
pub mod tokens;

use actix_web::web;

pub use assignments::{
    __path_assign_candidates, __path_list_assignments, __path_list_exam_attempts,
    __path_update_accommodation, assign_candidates, list_assignments, list_exam_attempts,
    update_accommodation,
};
pub use attempts::{
    __path_get_attempt, __path_list_candidate_exams, __path_save_answer, __path_start_attempt,
    __path_submit_attempt, get_attempt, list_candidate_exams, save_answer, start_attempt,
    submit_attempt,
};
pub use entry::{
    __path_list_invites, __path_list_registrations, __path_rotate_access_code,
    __path_rotate_open_link, __path_unassign_candidate, list_invites, list_registrations,
    rotate_access_code, rotate_open_link, unassign_candidate,
};
pub use events::{__path_record_events, record_events};
pub use handlers::{
    __path_create_exam, __path_delete_exam, __path_get_exam, __path_list_exams, __path_update_exam,
    create_exam, delete_exam, get_exam, list_exams, update_exam,
};
pub use monitor::{__path_monitor_exam, monitor_exam};
pub use proctor::{
    __path_extend_attempt, __path_force_submit_attempt, __path_list_attempt_events,
    __path_reopen_attempt, extend_attempt, force_submit_attempt, list_attempt_events,
    reopen_attempt,
};
pub use review::{__path_review_attempt, review_attempt};

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/exams").get(list_exams).post(create_exam))
        .service(
            web::resource("/exams/{id}")
                .get(get_exam)
                .put(update_exam)
                .delete(delete_exam),
        )
        .service(web::resource("/exams/{id}/attempts").get(list_exam_attempts))
        .service(
            web::resource("/exams/{id}/assignments")
                .get(list_assignments)
                .post(assign_candidates),
        )
        .service(
            web::resource("/exams/{id}/assignments/{candidate_id}")
                .put(update_accommodation)
                .delete(unassign_candidate),
        )
        .service(web::resource("/exams/{id}/access-code").post(rotate_access_code))
        .service(web::resource("/exams/{id}/open-link").post(rotate_open_link))
        .service(web::resource("/exams/{id}/invites").get(list_invites))
        .service(web::resource("/exams/{id}/registrations").get(list_registrations));
    proctor::config(cfg);
    attempts::config(cfg);
    review::candidate_config(cfg);
}
