//! The candidate portal's sign-in: a candidate signs in to their organisation's portal
//! (`/o/{slug}` in the SPA) by account, email or phone with a password, or by a code sent to
//! their email or phone. Sessions are the same rotating-refresh-token sessions as the console's,
//! in the portal's own cookies. Failures answer the same `invalid_credentials` whether or not
//! the candidate exists, and are throttled like console sign-ins.

mod entry;
mod login;
mod profile;
mod session;
mod sign_in;

use actix_web::web;

pub use entry::{
    __path_enter_by_access_code, __path_enter_by_invite, __path_enter_by_open_link,
    __path_exam_by_access_code, __path_exam_by_open_link, __path_send_resume_code_by_access_code,
    __path_send_resume_code_by_open_link, enter_by_access_code, enter_by_invite,
    enter_by_open_link, exam_by_access_code, exam_by_open_link, send_resume_code_by_access_code,
    send_resume_code_by_open_link,
};
pub use login::{
    __path_candidate_login, __path_send_portal_code, candidate_login, send_portal_code,
};
pub use profile::{
    __path_send_candidate_contact_code, __path_update_candidate_contact,
    __path_update_candidate_profile, send_candidate_contact_code, update_candidate_contact,
    update_candidate_profile,
};
pub use session::{
    __path_candidate_logout, __path_candidate_me, __path_refresh_candidate_session,
    candidate_logout, candidate_me, refresh_candidate_session,
};

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/portal/{slug}/codes").post(send_portal_code))
        .service(web::resource("/portal/{slug}/login").post(candidate_login))
        .service(web::resource("/portal/{slug}/invite").post(enter_by_invite))
        .service(
            web::resource("/portal/{slug}/exams/open/{token}")
                .get(exam_by_open_link)
                .post(enter_by_open_link),
        )
        .service(
            web::resource("/portal/{slug}/exams/code/{code}")
                .get(exam_by_access_code)
                .post(enter_by_access_code),
        )
        .service(
            web::resource("/portal/{slug}/exams/open/{token}/resume-code")
                .post(send_resume_code_by_open_link),
        )
        .service(
            web::resource("/portal/{slug}/exams/code/{code}/resume-code")
                .post(send_resume_code_by_access_code),
        )
        .service(web::resource("/candidate/me").get(candidate_me))
        .service(web::resource("/candidate/me/profile").put(update_candidate_profile))
        .service(web::resource("/candidate/me/contact/code").post(send_candidate_contact_code))
        .service(web::resource("/candidate/me/contact").put(update_candidate_contact))
        .service(web::resource("/candidate/auth/refresh").post(refresh_candidate_session))
        .service(web::resource("/candidate/auth/logout").post(candidate_logout));
}
