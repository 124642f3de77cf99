//! Candidates, their groups, bulk import, and signing in on an organisation's portal.

use serde::{Deserialize, Serialize};

/// A group a candidate belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GroupRef {
    pub id: String,
    pub name: String,
}

/// A candidate as the organisation's admins see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CandidateDto {
    pub id: String,
    /// The sign-in account (unique within the organisation; lower-cased).
    pub account: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// E.164 (`+8613800138000`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// The ID number, masked except the first 3 and last 4 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_number_masked: Option<String>,
    /// `active` or `disabled`.
    #[cfg_attr(feature = "openapi", schema(value_type = crate::access::AccountStatus))]
    pub status: String,
    /// Whether the candidate can sign in with a password.
    pub has_password: bool,
    pub groups: Vec<GroupRef>,
    pub created_at: String,
    pub updated_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_login_at: Option<String>,
}

/// `GET /api/candidates`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CandidatePage {
    pub items: Vec<CandidateDto>,
    /// All matching candidates (not only this page).
    pub total: i64,
    pub offset: i64,
    pub limit: i64,
}

/// `POST /api/candidates`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateCandidateRequest {
    /// Unique within the organisation (409).
    #[cfg_attr(feature = "openapi", schema(value_type = crate::schema::CandidateAccount))]
    pub account: String,
    /// The person's name.
    #[cfg_attr(feature = "openapi", schema(value_type = crate::schema::PersonName))]
    pub name: String,
    /// Unique within the organisation (409).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::schema::EmailOrEmpty>))]
    pub email: Option<String>,
    /// A mainland-China mobile number, unique within the organisation (409).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::schema::MobileOrEmpty>))]
    pub phone: Option<String>,
    /// An 18-character resident ID number (checksum verified).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::schema::IdNumberOrEmpty>))]
    pub id_number: Option<String>,
    /// An initial password. Without one the candidate signs in by code, so a phone or email
    /// is then required (422 `required` on `password` otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::schema::PasswordOrEmpty>))]
    pub password: Option<String>,
    /// Groups of the organisation (422 `unknown_group` otherwise); an admin limited to some
    /// groups must name one of them (422 `group_required` / `group_out_of_scope`).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<uuid::Uuid>))]
    pub group_ids: Vec<String>,
}

/// `PATCH /api/candidates/{id}`: absent fields stay; an empty string clears an optional one.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateCandidateRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::schema::CandidateAccount>))]
    pub account: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::schema::PersonName>))]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::schema::EmailOrEmpty>))]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::schema::MobileOrEmpty>))]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::schema::IdNumberOrEmpty>))]
    pub id_number: Option<String>,
    /// A new password; the candidate's sessions end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::schema::Password>))]
    pub password: Option<String>,
    /// `active` or `disabled` (disabling ends the candidate's sessions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::access::AccountStatus>))]
    pub status: Option<String>,
    /// Replaces the candidate's groups (of the organisation; 422 `unknown_group` otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Vec<uuid::Uuid>>))]
    pub group_ids: Option<Vec<String>>,
}

/// A candidate group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GroupDto {
    pub id: String,
    pub name: String,
    pub member_count: i64,
    pub created_at: String,
}

/// `POST /api/candidate-groups` and `PATCH /api/candidate-groups/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GroupRequest {
    /// 1–50 characters (no control characters), unique within the organisation (409).
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 50,
            pattern = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$"
        )
    )]
    pub name: String,
}

/// One problem in an import file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportRowError {
    /// The row number as a spreadsheet program shows it (the header is row 1); for text and
    /// XML question formats (GIFT, Aiken, Moodle XML, QTI) the 1-based line where the
    /// question or problem is (0 if unknown).
    pub row: u32,
    /// The field (`account`, `name`, `phone`, …), or `file` for the file as a whole.
    pub field: String,
    /// A stable reason such as `required`, `invalid_format`, `duplicate_in_file`,
    /// `already_exists`.
    pub reason: String,
    /// The item identifier (XML question formats) or the file inside a package, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
}

/// One parsed row, as the preview shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportPreviewRow {
    pub row: u32,
    pub account: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    pub groups: Vec<String>,
    pub has_password: bool,
}

/// The outcome of `POST /api/candidates/import`: a preview (`dry_run`) or the committed import.
/// With any error nothing is imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportReport {
    /// Whether the candidates were written (false for a preview or when there are errors).
    pub committed: bool,
    /// Data rows in the file (header and empty rows not counted).
    pub total_rows: u32,
    /// Candidates written (0 unless `committed`).
    pub imported: u32,
    /// Groups named in the file that do not exist yet (created by the import).
    pub new_groups: Vec<String>,
    pub errors: Vec<ImportRowError>,
    /// The first rows as parsed (at most 100).
    pub preview: Vec<ImportPreviewRow>,
}

/// `POST /api/portal/{slug}/login`: a candidate signs in by password or by a code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CandidateLoginRequest {
    /// Account, email address or mobile number.
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 254, pattern = r"\S")
    )]
    pub identifier: String,
    /// The password; send exactly one of `password` and `code` (422 `required` otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(min_length = 1))]
    pub password: Option<String>,
    /// A code from `POST /api/portal/{slug}/codes` (then `identifier` is the email or phone).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::schema::Code>))]
    pub code: Option<String>,
    /// Device details for the login log — send them only if the person agreed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<crate::accounts::DeviceInfo>,
}

/// `POST /api/portal/{slug}/codes`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PortalCodeRequest {
    /// The candidate's email address or mobile number.
    #[cfg_attr(feature = "openapi", schema(value_type = crate::schema::Contact))]
    pub destination: String,
}

/// `GET /api/candidate/me`: the signed-in candidate and their organisation's branding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CandidateMe {
    pub id: String,
    pub account: String,
    pub name: String,
    pub portal: crate::accounts::PortalBranding,
    /// Documents to agree to before going on (the first sign-in, a new major version):
    /// the portal's consent step; `POST /api/candidate/me/consents` records the agreement.
    #[serde(default)]
    pub consent_required: Vec<crate::policies::ConsentRequired>,
}
