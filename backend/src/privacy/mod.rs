//! The privacy centre: the privacy statement and the terms as versioned documents, and
//! people's consent to them (`policies.rs`, `consent.rs`, HTTP in `handlers.rs`).

pub mod consent;
mod handlers;
pub mod policies;

use actix_web::web;

pub use handlers::{
    __path_get_candidate_consents, __path_get_my_consents, __path_get_policies,
    __path_list_policy_versions, __path_publish_policy, __path_update_candidate_consents,
    __path_update_my_consents, get_candidate_consents, get_my_consents, get_policies,
    list_policy_versions, publish_policy, update_candidate_consents, update_my_consents,
};

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/privacy/policies").get(get_policies))
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
        .service(web::resource("/staff/policies").post(publish_policy));
}
