//! Reusable widgets shared by several pages.

mod account_nav;
mod account_shell;
mod api_error;
pub mod branding;
pub mod form;
mod lang_switch;
mod layout;
mod local_time;
pub mod send_code;
mod signed_in_notice;
mod status_badge;

pub use account_nav::{AccountNav, AccountTabs};
pub use account_shell::{AccountShell, ManagersOnly};

pub mod answer_input;
pub mod api_key_create;
pub mod candidate_filters;
pub mod candidate_form;
mod candidate_tabs;
pub mod category_tree;
pub mod code_target;
pub mod confirm;
pub mod console_gate;
pub mod console_nav;
pub mod exam_assignments;
pub mod exam_attempts;
pub mod exam_draft;
pub mod exam_entry_access;
pub mod exam_entry_form;
pub mod exam_form;
pub mod exam_integrity_form;
pub mod export_dialog;
pub mod import_report;
pub mod paper_draft;
pub mod paper_preview;
pub mod paper_questions;
pub mod paper_rules;
pub mod portal_frame;
pub mod question_composite;
pub mod question_draft;
pub mod question_fields;
pub mod question_filters;
pub mod question_matching;
pub mod question_preview;
pub mod returning_registrant;
pub mod rich_text;
pub mod text_field;
pub use api_error::ApiErrors;
pub use lang_switch::LangSwitch;
pub use layout::Layout;
pub use local_time::LocalTime;
pub use signed_in_notice::SignedInNotice;
pub use status_badge::StatusBadge;

pub use candidate_tabs::CandidateTabs;
pub use console_nav::ConsoleNav;
