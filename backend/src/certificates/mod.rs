//! Certificates: templates per organisation (`templates.rs`, their images and sample PDF in
//! `template_images.rs`, decoded by [`raster`]), certificates issued for graded
//! attempts by hand or by [`model::issue_for_attempt`] (`issue.rs`), revocation with a reason,
//! the PDF rendered on the server ([`pdf`], filled in by [`document`]), the candidate's own
//! in the portal (`portal.rs`) and the public verification of a number (`verify.rs`).
//!
//! Numbers ([`number`]) are 80 random bits from the operating system, so the public lookup by
//! number needs no sign-in and reveals nothing to someone guessing. The holder's name is
//! copied at issue and stored encrypted (AAD `certificates`/`holder_name_enc`/id); the exam's
//! name and the score are copied too, so later edits change no issued certificate.

pub mod document;
mod issue;
mod limiter;
pub mod model;
pub mod number;
pub mod pdf;
mod portal;
pub mod raster;
mod template_images;
mod templates;
mod verify;

use actix_web::web;

pub use issue::{
    __path_download_certificate, __path_issue_certificate, __path_list_exam_certificates,
    __path_revoke_certificate, download_certificate, issue_certificate, list_exam_certificates,
    revoke_certificate,
};
pub use limiter::VerifyLimiter;
pub use model::issue_for_attempt;
pub use portal::{
    __path_download_my_certificate, __path_list_my_certificates, download_my_certificate,
    list_my_certificates,
};
pub use template_images::{
    __path_delete_certificate_template_image, __path_get_certificate_template_image,
    __path_preview_certificate_template, __path_upload_certificate_template_image,
    delete_certificate_template_image, get_certificate_template_image,
    preview_certificate_template, upload_certificate_template_image,
};
pub use templates::{
    __path_create_certificate_template, __path_delete_certificate_template,
    __path_get_certificate_template, __path_list_certificate_templates,
    __path_update_certificate_template, create_certificate_template, delete_certificate_template,
    get_certificate_template, list_certificate_templates, update_certificate_template,
};
pub use verify::{__path_verify_certificate, verify_certificate};

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/certificate-templates")
            .get(list_certificate_templates)
            .post(create_certificate_template),
    )
    .service(
        web::resource("/certificate-templates/{id}")
            .get(get_certificate_template)
            .put(update_certificate_template)
            .delete(delete_certificate_template),
    )
    .service(
        web::resource("/certificate-templates/{id}/images/{kind}")
            .app_data(web::PayloadConfig::new(template_images::MAX_IMAGE_BYTES))
            .get(get_certificate_template_image)
            .put(upload_certificate_template_image)
            .delete(delete_certificate_template_image),
    )
    .service(web::resource("/certificate-templates/{id}/preview").get(preview_certificate_template))
    .service(web::resource("/exams/{id}/attempts/{attempt_id}/certificate").post(issue_certificate))
    .service(web::resource("/exams/{id}/certificates").get(list_exam_certificates))
    .service(web::resource("/certificates/{id}/revoke").post(revoke_certificate))
    .service(web::resource("/certificates/{id}/pdf").get(download_certificate))
    .service(web::resource("/candidate/certificates").get(list_my_certificates))
    .service(web::resource("/candidate/certificates/{id}/pdf").get(download_my_certificate))
    .service(web::resource("/verify/{number}").get(verify_certificate));
}
