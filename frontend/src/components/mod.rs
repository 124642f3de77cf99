//! Reusable widgets shared by several pages.

mod account_nav;
mod api_error;
pub mod form;
mod lang_switch;
mod layout;
pub mod send_code;
mod signed_in_notice;
mod status_badge;

pub mod api_key_create;
pub mod candidate_filters;
pub mod candidate_form;
mod candidate_tabs;
pub mod code_target;
pub mod confirm;
pub mod console_gate;
pub mod console_nav;
pub mod import_report;
pub mod portal_frame;
pub mod text_field;

pub use account_nav::AccountNav;
pub use api_error::ApiErrors;
pub use lang_switch::LangSwitch;
pub use layout::Layout;
pub use signed_in_notice::SignedInNotice;
pub use status_badge::{StatusBadge, wire_name};

pub use candidate_tabs::CandidateTabs;
pub use console_nav::ConsoleNav;
