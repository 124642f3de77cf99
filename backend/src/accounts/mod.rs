//! Organisation registration, sign-in, sessions and the signed-in account.

mod bind_contact;
mod get_me;
mod list_sessions;
mod login;
mod logout;
pub mod model;
mod password;
mod profile;
mod refresh_session;
mod register_org;
mod send_code;
mod session_cookies;
pub(crate) mod throttle;

use actix_web::web;

pub use bind_contact::{__path_bind_contact, __path_send_bind_code, bind_contact, send_bind_code};
pub use get_me::{__path_get_me, get_me};
pub use list_sessions::{
    __path_list_sessions, __path_revoke_session, list_sessions, revoke_session,
};
pub use login::{__path_login, login};
pub use logout::{__path_logout, __path_logout_all, logout, logout_all};
pub use password::{
    __path_change_password, __path_reset_password, change_password, reset_password,
};
pub use profile::{__path_update_my_profile, update_my_profile};
pub(crate) use refresh_session::refresh_in;
pub use refresh_session::{__path_refresh_session, refresh_session};
pub use register_org::{__path_register_org, register_org};
pub use send_code::{__path_send_code, send_code};
pub(crate) use send_code::{code_message, destination, queue_code_message};
pub use session_cookies::set_session_cookies;

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/auth/codes").post(send_code))
        .service(web::resource("/orgs").post(register_org))
        .service(web::resource("/auth/login").post(login))
        .service(web::resource("/auth/refresh").post(refresh_session))
        .service(web::resource("/auth/logout").post(logout))
        .service(web::resource("/auth/logout-all").post(logout_all))
        .service(web::resource("/auth/me").get(get_me))
        .service(web::resource("/auth/password").post(change_password))
        .service(web::resource("/auth/password/reset").post(reset_password))
        .service(web::resource("/auth/sessions").get(list_sessions))
        .service(web::resource("/auth/sessions/{id}").delete(revoke_session))
        .service(web::resource("/account/contact/code").post(send_bind_code))
        .service(web::resource("/account/contact").put(bind_contact))
        .service(web::resource("/account/profile").put(update_my_profile));
}
