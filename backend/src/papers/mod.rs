//! Papers (`/api/papers`): fixed papers of chosen question versions, random papers drawn by
//! rules, a candidate's-eye preview, and pre-generated per-candidate papers so exam start
//! does no heavy work. Needs the `questions` permission (papers are built from banks).
//!
//! See `generate` for how rules are checked and papers drawn.

pub mod candidate;
pub mod generate;
mod generated;
mod handlers;
pub mod input;
pub mod instances;
pub mod labels;
#[cfg(test)]
mod leak_tests;
pub mod model;
pub mod rules;
pub mod spec;

use actix_web::web;

pub use generated::{
    __path_generate_papers, __path_get_generated_paper, __path_preview_paper, PreviewQuery,
    generate_papers, get_generated_paper, preview_paper,
};
pub use handlers::{
    __path_check_paper_rules, __path_create_paper, __path_delete_paper, __path_get_paper,
    __path_list_papers, __path_update_paper, check_paper_rules, create_paper, delete_paper,
    get_paper, list_papers, update_paper,
};

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/papers").get(list_papers).post(create_paper))
        .service(web::resource("/papers/check-rules").post(check_paper_rules))
        .service(
            web::resource("/papers/{id}")
                .get(get_paper)
                .put(update_paper)
                .delete(delete_paper),
        )
        .service(web::resource("/papers/{id}/preview").get(preview_paper))
        .service(web::resource("/papers/{id}/generate").post(generate_papers))
        .service(web::resource("/papers/{id}/generated/{candidate_id}").get(get_generated_paper));
}
