//! A person's own data (privacy statement 5.1 and 5.3): what the platform holds about an
//! organisation user (`GET /api/me/data`) or a candidate (`GET /api/candidate/me/data`), its
//! export as a ZIP produced by a job and downloadable once, and the person's own corrections.

use serde::{Deserialize, Serialize};

/// Whose data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DataSubject {
    /// An organisation's user (owner, admin, grader): the console.
    User,
    /// A candidate: the portal.
    Candidate,
}

/// Everything held about the person, as the "my data" page shows it. The export holds the
/// same and more (every audit entry, the registration forms' values in full).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyData {
    pub subject: DataSubject,
    pub profile: MyProfile,
    /// Signed-in devices (sessions), newest first, ended ones included until retention
    /// deletes them.
    pub devices: Vec<MyDevice>,
    /// Consent records, newest first.
    pub consents: Vec<crate::policies::ConsentRecord>,
    /// Exam attempts (candidates), newest first.
    pub attempts: Vec<MyAttempt>,
    /// Exam registration forms filled in (candidates), newest first.
    pub registrations: Vec<MyRegistration>,
    /// Certificates issued (candidates), newest first.
    pub certificates: Vec<MyCertificate>,
    /// How many audit log entries name the person, as actor or as target.
    pub audit_total: u64,
    /// The latest of them (at most 50); the export holds all.
    pub audit_latest: Vec<MyAuditEntry>,
    /// The person's exports, newest first.
    pub exports: Vec<DataExport>,
}

/// The person's own fields, in full (they are the person's own).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyProfile {
    /// The organisation the account belongs to.
    pub organisation: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub login_account: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Masked on the page (`1101**********1234`); in full in the export.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_number: Option<String>,
    /// Users: `owner`, `admin` or `grader`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// Candidates: the names of their groups.
    #[serde(default)]
    pub groups: Vec<String>,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_login_at: Option<String>,
}

/// A signed-in device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyDevice {
    /// Device details shared with consent at sign-in, e.g. `Windows · 1920x1080`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<String>,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339.
    pub last_used_at: String,
    /// RFC 3339: signed out, or signed out by a password change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended_at: Option<String>,
}

/// An exam attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyAttempt {
    pub exam: String,
    /// 1 for the first attempt at the exam.
    pub number: i32,
    /// `in_progress`, `submitted` or `graded`.
    pub status: String,
    /// RFC 3339.
    pub started_at: String,
    /// RFC 3339.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub submitted_at: Option<String>,
    /// The score, once the organisation has released the result (e.g. `86.5`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_score: Option<String>,
}

/// A registration form filled in to enter an exam.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyRegistration {
    pub exam: String,
    /// The fields filled in (`name`, `phone`, `email`, `id_number` masked on the page).
    pub fields: Vec<MyField>,
    /// RFC 3339.
    pub created_at: String,
}

/// One field of a form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyField {
    pub key: String,
    pub value: String,
}

/// A certificate issued to the person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyCertificate {
    pub number: String,
    pub exam: String,
    /// RFC 3339.
    pub issued_at: String,
    pub revoked: bool,
}

/// An audit log entry naming the person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyAuditEntry {
    /// RFC 3339.
    pub at: String,
    /// A dotted action name, e.g. `auth.login`.
    pub action: String,
    /// `success` or `failure`.
    pub outcome: String,
    /// Who acted: `self`, `organisation`, `staff` or `system`.
    pub by: String,
}

/// Where an export is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ExportStatus {
    /// Queued or being built.
    Pending,
    /// Ready to download (once, until `expires_at`).
    Ready,
    /// Downloaded; the file is gone.
    Downloaded,
    /// Not downloaded in time; the file is gone.
    Expired,
    /// Building it failed; request another.
    Failed,
}

impl ExportStatus {
    pub const ALL: [ExportStatus; 5] = [
        ExportStatus::Pending,
        ExportStatus::Ready,
        ExportStatus::Downloaded,
        ExportStatus::Expired,
        ExportStatus::Failed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ExportStatus::Pending => "pending",
            ExportStatus::Ready => "ready",
            ExportStatus::Downloaded => "downloaded",
            ExportStatus::Expired => "expired",
            ExportStatus::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<ExportStatus> {
        ExportStatus::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// An export of the person's data: a ZIP of JSON files (and CSV where tabular).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DataExport {
    pub id: String,
    pub status: ExportStatus,
    /// RFC 3339.
    pub requested_at: String,
    /// RFC 3339: when it became ready.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ready_at: Option<String>,
    /// RFC 3339: the last moment it can be downloaded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<String>,
    /// RFC 3339.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub downloaded_at: Option<String>,
    /// Bytes of the ZIP, once ready.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<i64>,
    /// Where to download it while `ready`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub download_url: Option<String>,
}

/// `PUT /api/account/profile`: an organisation user corrects their name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProfileUpdate {
    /// 1–50 characters, no control characters.
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 50, pattern = r"^[^\x00-\x1f\x7f-\x9f]*$")
    )]
    pub name: String,
}

/// `POST /api/candidate/me/contact/code`: a code to the address a candidate wants to use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CandidateContactCode {
    /// An email address or a mainland-China mobile number.
    #[cfg_attr(feature = "openapi", schema(max_length = 254))]
    pub destination: String,
}

/// `PUT /api/candidate/me/contact`: a candidate changes their email or mobile number with
/// the code sent to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CandidateContactUpdate {
    #[cfg_attr(feature = "openapi", schema(max_length = 254))]
    pub destination: String,
    /// The six-digit code.
    #[cfg_attr(feature = "openapi", schema(pattern = r"^[0-9]{6}$"))]
    pub code: String,
}
