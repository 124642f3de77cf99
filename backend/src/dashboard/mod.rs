//! The console's dashboard (`GET /api/dashboard`): live exams with the candidates in them,
//! what needs attention (answers waiting for a grader, failed notifications, recent imports),
//! the recent exams with their pass rate and the setting-up checklist of a new organisation.
//! Every section is computed only when the caller may read what it counts, and each is a few
//! grouped counts (`model.rs`), never a query per row.

mod handlers;
pub mod model;

use actix_web::web;

pub use handlers::{__path_get_dashboard, get_dashboard};

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/dashboard").get(get_dashboard));
}
