//! Platform staff (运营/客服/财务/安全): people of the platform operator, in no organisation.
//! Accounts are created by the operator CLI (`examcloud create-staff`); staff sign in to the
//! console with their login account and password.
//!
//! Need-to-know: every staff read of an organisation's personal data or audit log requires a
//! stated `reason` (5–500 characters) and is itself written to the audit log with that reason,
//! before the data is returned. Roles: `security` reads audit logs of all organisations;
//! `support` reads an organisation's candidates (assisted changes); every role lists
//! organisations (no personal data).

mod handlers;
pub mod model;

use actix_web::web;

pub use handlers::{
    __path_staff_audit, __path_staff_candidates, __path_staff_login, __path_staff_logout,
    __path_staff_me, __path_staff_orgs, staff_audit, staff_candidates, staff_login, staff_logout,
    staff_me, staff_orgs,
};

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/staff/login").post(staff_login))
        .service(web::resource("/staff/logout").post(staff_logout))
        .service(web::resource("/staff/me").get(staff_me))
        .service(web::resource("/staff/orgs").get(staff_orgs))
        .service(web::resource("/staff/orgs/{id}/candidates").get(staff_candidates))
        .service(web::resource("/staff/audit").get(staff_audit));
}
