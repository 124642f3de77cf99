//! The audit log: who did what, when, from where — for every change by an admin or staff
//! member and every login. Append-only and tamper-evident.
//!
//! Each entry's `hash` is SHA-256 over its sequence number, its content and the previous
//! entry's hash, so editing, deleting or reordering any entry breaks the chain at that entry;
//! [`verify`] (CLI: `examcloud audit-verify`) names the first broken one. The chain head (last
//! sequence number and hash) is kept in its own row, which every append locks first, so
//! concurrent appends — from several API nodes too — are serialised and the head also reveals
//! a deleted last entry. The database additionally refuses updates and deletes by trigger.
//!
//! Personal data in an entry (IP address, user agent) is stored encrypted and bound to its entry
//! by the cipher's associated data; the chain commits only to whether an entry has personal
//! data, so the ciphertext can be re-encrypted under a new key or erased when its retention
//! ends without breaking verification. Verifying with the key ring also checks that every
//! entry's personal data decrypts as its own.

mod chain;
mod viewer;

use actix_web::web;

pub use chain::{Actor, AuditEntry, AuditPii, Outcome, VerifyReport, append, verify};
pub(crate) use viewer::page;
pub use viewer::{__path_export_audit, __path_list_audit, AuditQuery, export_audit, list_audit};

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/audit").get(list_audit))
        .service(web::resource("/audit/export").get(export_audit));
}
