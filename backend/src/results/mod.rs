//! Results (permission `exams:read`): an exam's results table with ranks and its xlsx/CSV
//! export, one attempt's score sheet, overriding an automatic mark with a reason, the candidate's own released results, and releasing
//! results (notices and automatic certificates, through the job queue).
//!
//! Scores are made by automatic grading at submission (`exams::attempts::model::finalise`)
//! and by manual grading (`grading::marks`); this module reads them. Whether a candidate sees
//! one is `exams::attempts::view::released`, decided on every read.

pub mod certify;
pub mod export;
mod handlers;
mod mine;
pub mod notices;
pub mod overrides;
pub mod release;
pub mod sheet;
pub mod table;

use actix_web::web;

pub use certify::{__path_issue_certificates_bulk, issue_certificates_bulk};
pub use handlers::{
    __path_export_results, __path_get_score_sheet, __path_list_my_results, __path_list_results,
    export_results, get_score_sheet, list_my_results, list_results,
};
pub use overrides::{__path_override_mark, override_mark};

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/exams/{id}/results").get(list_results))
        .service(web::resource("/exams/{id}/results/export").get(export_results))
        .service(
            web::resource("/exams/{id}/attempts/{attempt_id}/score-sheet").get(get_score_sheet),
        )
        .service(
            web::resource("/exams/{id}/attempts/{attempt_id}/questions/{question_id}/override")
                .put(override_mark),
        )
        .service(web::resource("/exams/{id}/certificates/bulk").post(issue_certificates_bulk))
        .service(web::resource("/candidate/results").get(list_my_results));
}
