//! Input parsed into domain types at the boundary: once a value is a `CnMobile` or an `Email` it
//! is valid and normalised, so nothing further in does its own checking.

mod contact;
mod invalid;
mod names;
pub mod password;
mod people;

pub use contact::{CnMobile, Contact, Email};
pub use invalid::Invalid;
pub use names::{LoginAccount, OrgName};
pub use password::Password;
pub use people::{CandidateAccount, IdNumber, PersonName};
