//! A person's own data (privacy statement 5.1, 5.3): `collect.rs` gathers what is held about
//! an organisation user or a candidate from every table that names them; `export.rs` is the
//! export (requested, built by the `data_export` job into a ZIP, downloaded once, expired by
//! `data_export_expire`); `handlers.rs` the endpoints. Corrections are the people's own
//! endpoints: `accounts/profile.rs` and `accounts/bind_contact.rs` (users),
//! `portal/profile.rs` (candidates).

pub mod collect;
pub mod export;
mod handlers;

pub use handlers::{
    __path_download_candidate_data_export, __path_download_my_data_export,
    __path_get_candidate_data, __path_get_my_data, __path_request_candidate_data_export,
    __path_request_my_data_export, download_candidate_data_export, download_my_data_export,
    get_candidate_data, get_my_data, request_candidate_data_export, request_my_data_export,
};
