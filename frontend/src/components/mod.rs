//! Reusable widgets shared by several pages.

mod api_error;
mod lang_switch;
mod layout;
mod status_badge;

pub use api_error::ApiErrors;
pub use lang_switch::LangSwitch;
pub use layout::Layout;
pub use status_badge::{StatusBadge, wire_name};
