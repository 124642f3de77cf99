//! Integration: organisations' API keys. Keys are created by people with the `api_keys`
//! permission, shown once, stored as a hash, scoped to permissions on `org`, `candidates` and
//! `audit`, optionally expiring, revocable, with their last use recorded and a per-key rate
//! limit (`limiter.rs`, one token bucket per key and node). Authentication with a key is in
//! [`crate::tenancy`].

mod api_keys;
mod limiter;

use actix_web::web;

pub use api_keys::{
    __path_create_api_key, __path_list_api_keys, __path_revoke_api_key, create_api_key,
    list_api_keys, revoke_api_key,
};
pub use limiter::ApiKeyLimiter;

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/api-keys")
            .get(list_api_keys)
            .post(create_api_key),
    )
    .service(web::resource("/api-keys/{id}").delete(revoke_api_key));
}
