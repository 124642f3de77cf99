//! HTTP plumbing shared by every route: request ids, the client's address and who the client
//! is (`ClientInfo`), field-level validation errors (`Fields`), the caller's language, the
//! error envelope, security headers and body extractor configuration. Domain modules never
//! repeat any of this.

mod audited_delete;
mod client_addr;
mod client_info;
mod envelope;
mod extractors;
mod fields;
mod json_object;
mod lang;
mod request_id;
mod security;
mod stored_image;

/// Re-exported for callers that build settings by hand (tests).
pub use crate::settings::TrustedProxies;
pub use audited_delete::audited_delete;
pub use client_addr::{address_group, client_addr};
pub use client_info::ClientInfo;
pub use envelope::error_envelope;
pub use extractors::{json_config, path_config, query_config};
pub use fields::{Fields, parse_reason};
pub use json_object::json_objects_only;
pub use lang::request_lang;
pub use request_id::{RequestId, request_id};
pub use security::{SecurityHeaders, security_headers};
pub use stored_image::stored_image;
