//! Liveness (`/api/health`) and readiness (`/api/ready`) for load balancers, and the readiness
//! checks in detail for operators (`/api/staff/ready`).

mod get_health;
mod get_ready;
mod get_ready_report;

use actix_web::web;

pub use get_health::{__path_get_health, get_health};
pub use get_ready::{__path_get_ready, get_ready, report};
pub use get_ready_report::{__path_get_ready_report, get_ready_report};

pub fn config(cfg: &mut web::ServiceConfig) {
    // Resources (not bare routes) so a wrong method answers 405, not 404.
    cfg.service(web::resource("/health").get(get_health))
        .service(web::resource("/ready").get(get_ready))
        .service(web::resource("/staff/ready").get(get_ready_report));
}
