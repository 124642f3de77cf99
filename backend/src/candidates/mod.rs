//! Candidates (考生) of an organisation: create, list, edit, disable, delete; groups; bulk
//! import from `.xlsx`/`.csv` with a template, a preview and per-row errors (all or nothing).
//! Every handler takes the caller's [`OrgScope`](crate::tenancy::OrgScope) and needs the
//! `candidates` permission; an admin limited to some groups sees only their candidates.

mod crud;
mod groups;
mod import;
mod import_rows;
pub mod model;
mod template;
mod update;

use actix_web::web;

pub use crud::{
    __path_create_candidate, __path_delete_candidate, __path_get_candidate, __path_list_candidates,
    __path_update_candidate, create_candidate, delete_candidate, get_candidate, list_candidates,
    update_candidate,
};
pub(crate) use groups::insert_group;
pub use groups::{
    __path_create_group, __path_delete_group, __path_list_groups, __path_update_group,
    create_group, delete_group, list_groups, update_group,
};
pub use import::{__path_import_candidates, import_candidates};
pub use template::{__path_import_template, import_template};
pub(crate) use update::Changes;

/// Largest import file.
pub const MAX_IMPORT_BYTES: usize = 5 * 1024 * 1024;

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/candidates")
            .get(list_candidates)
            .post(create_candidate),
    )
    .service(web::resource("/candidates/import/template").get(import_template))
    .service(
        web::resource("/candidates/import")
            .app_data(web::PayloadConfig::new(MAX_IMPORT_BYTES))
            .post(import_candidates),
    )
    .service(
        web::resource("/candidates/{id}")
            .get(get_candidate)
            .patch(update_candidate)
            .delete(delete_candidate),
    )
    .service(
        web::resource("/candidate-groups")
            .get(list_groups)
            .post(create_group),
    )
    .service(
        web::resource("/candidate-groups/{id}")
            .patch(update_group)
            .delete(delete_group),
    );
}
