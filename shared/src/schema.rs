//! Named OpenAPI schemas for the strings the server parses into domain types (a contact, a
//! password, a login account, …), so the document states the rule the server applies once,
//! and every field that takes such a value refers to it (`value_type = schema::Contact`).
//! Only in the document: on the wire these are plain strings. Compiled with the `openapi`
//! feature only.
//!
//! Patterns are ECMA-262 as JSON Schema wants; `[^\x00-\x1f\x7f-\x9f]` is "no control
//! character" (what `char::is_control` refuses). The server trims surrounding white space
//! before it checks a value, so a value the schema accepts is always accepted for its form;
//! what no schema can say (an ID number's check character, a common password, whether an
//! address or account exists) is a 422 the operation documents.

use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
use utoipa::openapi::{RefOr, Schema};

/// A line of text with at least one visible character and no control characters.
pub const LINE: &str = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$";

const EMAIL: &str = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,63}";
const MOBILE: &str = r"(\+86|0086)?1[3-9][0-9]{9}";
const LOGIN_ACCOUNT: &str = r"[A-Za-z][A-Za-z0-9_.-]{3,31}";
const ID_NUMBER: &str = r"[0-9]{17}[0-9Xx]";

fn string(description: &str) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some(description))
}

macro_rules! named {
    ($(#[$doc:meta])* $name:ident => $schema:expr) => {
        $(#[$doc])*
        pub struct $name;

        impl utoipa::PartialSchema for $name {
            fn schema() -> RefOr<Schema> {
                $schema.into()
            }
        }

        impl utoipa::ToSchema for $name {}
    };
}

named!(
    /// An email address or a mainland-China mobile number.
    Contact => string("An email address, or a mainland-China mobile number (11 digits starting \
        with 1 and 3–9, optionally after +86 or 0086).")
        .max_length(Some(254))
        .pattern(Some(format!("^({EMAIL}|{MOBILE})$")))
);

named!(
    /// A login account, an email address or a mainland-China mobile number.
    Identifier => string("A login account, an email address or a mainland-China mobile number.")
        .max_length(Some(254))
        .pattern(Some(format!("^({LOGIN_ACCOUNT}|{EMAIL}|{MOBILE})$")))
);

named!(
    /// A login account.
    LoginAccount => string("4–32 letters, digits, `_`, `.` or `-`, starting with a letter \
        (compared without case).")
        .pattern(Some(format!("^{LOGIN_ACCOUNT}$")))
);

named!(
    /// A new password.
    Password => string("8–128 characters, not all the same character; a very common \
        password is refused with 422 `invalid_format`.")
        .min_length(Some(8))
        .max_length(Some(128))
        .pattern(Some(r"^(?!([\s\S])\1*$)"))
);

named!(
    /// A person's name.
    PersonName => string("A person's name: 1–50 characters, no control characters.")
        .min_length(Some(1))
        .max_length(Some(50))
        .pattern(Some(LINE))
);

named!(
    /// A candidate's sign-in account.
    CandidateAccount => string("2–40 letters, digits, `_`, `.` or `-` (student or employee \
        numbers welcome; compared without case).")
        .pattern(Some(r"^[A-Za-z0-9_.-]{2,40}$"))
);

named!(
    /// A mainland-China mobile number.
    Mobile => string("A mainland-China mobile number: 11 digits starting with 1 and 3–9, \
        optionally after +86 or 0086.")
        .pattern(Some(format!("^{MOBILE}$")))
);

named!(
    /// An email address.
    Email => string("An email address.")
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Email)))
        .max_length(Some(254))
);

named!(
    /// A 6-digit verification code.
    Code => string("A 6-digit code sent by `POST …/codes`; a wrong or expired one is refused \
        with 422 `invalid_code`.")
        .pattern(Some(r"^[0-9]{6}$"))
);

named!(
    /// An RFC 3339 date and time.
    DateTime => string("An RFC 3339 date and time with its offset, e.g. \
        `2026-03-01T09:00:00+08:00`.")
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime)))
);

named!(
    /// An email address, or empty.
    EmailOrEmpty => string("An email address, or an empty string for none.")
        .max_length(Some(254))
        .pattern(Some(format!("^(|{EMAIL})$")))
);

named!(
    /// A mainland-China mobile number, or empty.
    MobileOrEmpty => string("A mainland-China mobile number (11 digits starting with 1 and \
        3–9, optionally after +86 or 0086), or an empty string for none.")
        .pattern(Some(format!("^(|{MOBILE})$")))
);

named!(
    /// A resident ID number.
    IdNumber => string("An 18-character PRC resident ID number: 17 digits and a check \
        character (a digit or X); a wrong check character is refused with 422 \
        `invalid_format`.")
        .pattern(Some(format!("^{ID_NUMBER}$")))
);

named!(
    /// A resident ID number, or empty.
    IdNumberOrEmpty => string("An 18-character PRC resident ID number (17 digits and a check \
        character, a digit or X), or an empty string for none.")
        .pattern(Some(format!("^(|{ID_NUMBER})$")))
);

named!(
    /// A new password, or empty for none.
    PasswordOrEmpty => string("8–128 characters, not all the same character (a very common \
        password is refused with 422 `invalid_format`), or an empty string for none.")
        .max_length(Some(128))
        .pattern(Some(r"^(|(?!([\s\S])\2*$)[\s\S]{8,})$"))
);

/// An IPv4 address in dotted decimal (no leading zeros).
const IPV4: &str = r"((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])";

named!(
    /// A CIDR range or a single address.
    IpRange => string("An IPv4 or IPv6 range in CIDR notation (`10.0.0.0/8`, `2001:db8::/32`) or \
        a single address (its own /32 or /128); stored in canonical form. A malformed IPv6 \
        address is refused with 422 `invalid_format`.")
        .pattern(Some(format!(
            r"^({IPV4}(/([0-9]|[12][0-9]|3[0-2]))?|[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*(/([0-9]|[1-9][0-9]|1[01][0-9]|12[0-8]))?)$"
        )))
);

named!(
    /// A UUID, or empty for none.
    IdOrEmpty => string("A UUID, or an empty string for none.")
        .pattern(Some(
            r"^(|[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})$"
        ))
);

named!(
    /// A question's tag.
    Tag => string("A tag: 1–30 characters, no control characters.")
        .min_length(Some(1))
        .max_length(Some(30))
        .pattern(Some(LINE))
);

/// How an audited action ended.
#[derive(utoipa::ToSchema)]
#[schema(rename_all = "snake_case")]
#[allow(dead_code)]
pub enum Outcome {
    Success,
    Failure,
}

/// A spreadsheet format the server writes.
#[derive(utoipa::ToSchema)]
#[schema(rename_all = "snake_case")]
#[allow(dead_code)]
pub enum TableFormat {
    Xlsx,
    Csv,
}

/// A question file format: the import template's spreadsheet columns (`xlsx`, `csv`) or an
/// interchange format.
#[derive(utoipa::ToSchema)]
#[schema(rename_all = "snake_case")]
#[allow(dead_code)]
pub enum QuestionFileFormat {
    Xlsx,
    Csv,
    Gift,
    Aiken,
    MoodleXml,
    Qti21,
    Qti30,
}
