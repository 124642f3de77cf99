//! Privacy: what the product promises about personal data and the machinery that keeps the
//! promise. `retention` deletes or anonymises data at the end of its life (statement 4.1.2);
//! `GET /api/privacy/retention` publishes the policy in effect.

mod get_retention_policy;
pub mod retention;

use actix_web::web;

pub use get_retention_policy::{__path_get_retention_policy, get_retention_policy};

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/privacy/retention").get(get_retention_policy));
}
