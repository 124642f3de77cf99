//! Privacy: what the product promises about personal data and the machinery that keeps the
//! promise. The privacy statement and the terms as versioned documents, and people's consent
//! to them (`policies.rs`, `consent.rs`, HTTP in `handlers.rs`; statement clause 7);
//! `retention` deletes or anonymises data at the end of its life (statement 4.1.2), and
//! `GET /api/privacy/retention` publishes the policy in effect; `my_data` is what is held about
//! a person, its export and download (statement 5.1, 5.3); `cancellation` an organisation's
//! cancellation and the deletion of its data (5.3, 4.2.3).

pub mod cancellation;
pub mod consent;
mod get_retention_policy;
mod handlers;
pub mod my_data;
pub mod policies;
pub mod retention;

use actix_web::web;

pub use get_retention_policy::{__path_get_retention_policy, get_retention_policy};
pub use handlers::{
    __path_get_candidate_consents, __path_get_my_consents, __path_get_policies,
    __path_list_policy_versions, __path_publish_policy, __path_update_candidate_consents,
    __path_update_my_consents, get_candidate_consents, get_my_consents, get_policies,
    list_policy_versions, publish_policy, update_candidate_consents, update_my_consents,
};

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/privacy/retention").get(get_retention_policy))
        .service(web::resource("/privacy/policies").get(get_policies))
        .service(web::resource("/privacy/policies/{kind}/versions").get(list_policy_versions))
        .service(
            web::resource("/me/consents")
                .get(get_my_consents)
                .post(update_my_consents),
        )
        .service(
            web::resource("/candidate/me/consents")
                .get(get_candidate_consents)
                .post(update_candidate_consents),
        )
        .service(web::resource("/me/data").get(my_data::get_my_data))
        .service(web::resource("/me/data/exports").post(my_data::request_my_data_export))
        .service(
            web::resource("/me/data/exports/{id}/download").get(my_data::download_my_data_export),
        )
        .service(web::resource("/candidate/me/data").get(my_data::get_candidate_data))
        .service(
            web::resource("/candidate/me/data/exports")
                .post(my_data::request_candidate_data_export),
        )
        .service(
            web::resource("/candidate/me/data/exports/{id}/download")
                .get(my_data::download_candidate_data_export),
        )
        .service(
            web::resource("/org/cancellation")
                .get(cancellation::get_org_cancellation)
                .post(cancellation::cancel_org)
                .delete(cancellation::undo_org_cancellation),
        )
        .service(
            web::resource("/org/cancellation/code").post(cancellation::send_org_cancellation_code),
        )
        .service(web::resource("/staff/policies").post(publish_policy));
}
