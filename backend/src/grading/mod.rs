//! Manual grading (permission `grading`; the `grader` role holds it): answers that need a
//! person — essays and the essay parts of composite questions — become grading items when the
//! queue is read ([`items::sync`]); graders mark them blind (an anonymous code per attempt,
//! never the candidate) against the question's rubric or with one score, each item held by
//! one grader at a time (a lease). An exam may require several independent marks per answer
//! (`/api/exams/{id}/marking`); marks that differ by more than the tolerance go to an arbiter,
//! else the mean counts. When an attempt's last item is decided, its score is the automatic
//! points plus the final marks and it is graded (so release "after grading" follows).
//! Every mark, change and arbitration is audited.
//!
//! An admin may also send an automatically graded answer for review ([`review`]): it becomes
//! an item of origin `review` that graders mark against the key, and its final mark replaces
//! the question's automatic points.
//!
//! Automatic grading of objective answers is `exams::grading`.

mod handlers;
pub mod items;
pub mod limits;
pub mod marks;
mod review;
mod task;

use actix_web::web;

pub use handlers::{
    __path_get_grading_item, __path_get_grading_progress, __path_get_marking,
    __path_list_grading_exams, __path_list_grading_items, __path_mark_grading_item,
    __path_next_grading_item, __path_release_grading_item, __path_update_marking, get_grading_item,
    get_grading_progress, get_marking, list_grading_exams, list_grading_items, mark_grading_item,
    next_grading_item, release_grading_item, update_marking,
};
pub use review::{__path_request_review, request_review};

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/exams/{id}/marking")
            .get(get_marking)
            .put(update_marking),
    )
    .service(web::resource("/exams/{id}/grading/items").get(list_grading_items))
    .service(web::resource("/exams/{id}/grading/next").post(next_grading_item))
    .service(web::resource("/exams/{id}/grading/progress").get(get_grading_progress))
    .service(
        web::resource("/exams/{id}/attempts/{attempt_id}/questions/{question_id}/review")
            .post(request_review),
    )
    .service(web::resource("/grading/exams").get(list_grading_exams))
    .service(web::resource("/grading/items/{id}").get(get_grading_item))
    .service(web::resource("/grading/items/{id}/mark").put(mark_grading_item))
    .service(web::resource("/grading/items/{id}/lease").delete(release_grading_item));
}
