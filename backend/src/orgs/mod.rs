//! The organisation's account information (name, candidate app name, logo, the user's login
//! account) and the public branding of its candidate portal.

mod assets;
mod branding;
mod logo;
mod settings;

use actix_web::web;

pub use assets::MAX_LOGO_BYTES;
pub use branding::{__path_get_portal, __path_get_portal_logo, get_portal, get_portal_logo};
pub(crate) use branding::{branding_of, find_portal};
pub use logo::{__path_delete_logo, __path_upload_logo, delete_logo, upload_logo};
pub use settings::{__path_get_org, __path_update_org, get_org, update_org};

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/org").get(get_org).patch(update_org))
        .service(
            web::resource("/org/logo")
                .app_data(web::PayloadConfig::new(MAX_LOGO_BYTES))
                .put(upload_logo)
                .delete(delete_logo),
        )
        .service(web::resource("/portal/{slug}").get(get_portal))
        .service(web::resource("/portal/{slug}/logo").get(get_portal_logo));
}
