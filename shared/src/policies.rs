//! The privacy statement and the terms as versioned documents, and people's consent to them
//! (`/api/privacy/policies`, `/api/me/consents`, `/api/candidate/me/consents`).

use serde::{Deserialize, Serialize};

/// Which document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PolicyKind {
    /// 《考试云用户隐私保护声明》, the privacy statement.
    Privacy,
    /// The terms of service.
    Terms,
}

impl PolicyKind {
    pub const ALL: [PolicyKind; 2] = [PolicyKind::Privacy, PolicyKind::Terms];

    pub fn as_str(self) -> &'static str {
        match self {
            PolicyKind::Privacy => "privacy",
            PolicyKind::Terms => "terms",
        }
    }

    pub fn parse(s: &str) -> Option<PolicyKind> {
        PolicyKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A published version of a document, in both languages (Markdown).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PolicyDocument {
    pub kind: PolicyKind,
    /// e.g. `1.0`; unique per kind.
    pub version: String,
    /// A major version asks everyone to agree again at their next sign-in.
    pub major: bool,
    /// The date it applies from (`YYYY-MM-DD`), shown as the document's last update.
    pub effective_on: String,
    /// When it was published (RFC 3339).
    pub published_at: String,
    /// What changed, in Chinese and in English.
    pub summary_zh: String,
    pub summary_en: String,
    /// The text in Chinese and in English (Markdown: `#` headings, paragraphs, `**bold**`).
    pub body_zh: String,
    pub body_en: String,
}

/// `GET /api/privacy/policies`: the current version of each document and where to reach us.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PoliciesResponse {
    pub privacy: PolicyDocument,
    pub terms: PolicyDocument,
    pub contact: PrivacyContact,
}

/// The privacy contact channels (clause 9) and the promised reply time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PrivacyContact {
    pub email: String,
    pub phone: String,
    /// Working days within which a request is answered.
    pub reply_working_days: u32,
}

/// A version in a document's history (`GET /api/privacy/policies/{kind}/versions`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PolicyVersionSummary {
    pub version: String,
    pub major: bool,
    pub effective_on: String,
    pub published_at: String,
    pub summary_zh: String,
    pub summary_en: String,
}

/// The versions a person agrees to (registration, the consent gate): they must be the
/// current ones, so nobody agrees to a text they were not shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PolicyAcceptance {
    /// The privacy statement's version, e.g. `1.0`.
    pub privacy: String,
    /// The terms' version (organisations only; candidates agree to the privacy statement).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terms: Option<String>,
}

/// What a consent record is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ConsentPurpose {
    /// The privacy statement (a version).
    Privacy,
    /// The terms of service (a version).
    Terms,
    /// Optional: recording the browser and system of each sign-in (shown in "Signed-in
    /// devices"). Withdrawn, no device details are recorded any more.
    DeviceDetails,
    /// The extra fields of an exam's registration form (context: the exam's id).
    ExamForm,
}

impl ConsentPurpose {
    pub const ALL: [ConsentPurpose; 4] = [
        ConsentPurpose::Privacy,
        ConsentPurpose::Terms,
        ConsentPurpose::DeviceDetails,
        ConsentPurpose::ExamForm,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ConsentPurpose::Privacy => "privacy",
            ConsentPurpose::Terms => "terms",
            ConsentPurpose::DeviceDetails => "device_details",
            ConsentPurpose::ExamForm => "exam_form",
        }
    }

    pub fn parse(s: &str) -> Option<ConsentPurpose> {
        ConsentPurpose::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// How a consent was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ConsentMethod {
    /// Registering the organisation.
    Registration,
    /// A candidate's first sign-in (an account the organisation created).
    FirstSignIn,
    /// Agreeing to a new major version at sign-in.
    ReConsent,
    /// An exam's registration form (open link or access code).
    ExamRegistration,
    /// The privacy page (optional consents).
    PrivacyPage,
}

impl ConsentMethod {
    pub const ALL: [ConsentMethod; 5] = [
        ConsentMethod::Registration,
        ConsentMethod::FirstSignIn,
        ConsentMethod::ReConsent,
        ConsentMethod::ExamRegistration,
        ConsentMethod::PrivacyPage,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ConsentMethod::Registration => "registration",
            ConsentMethod::FirstSignIn => "first_sign_in",
            ConsentMethod::ReConsent => "re_consent",
            ConsentMethod::ExamRegistration => "exam_registration",
            ConsentMethod::PrivacyPage => "privacy_page",
        }
    }

    pub fn parse(s: &str) -> Option<ConsentMethod> {
        ConsentMethod::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// One consent record, as its person sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConsentRecord {
    pub purpose: ConsentPurpose,
    /// The document version agreed to (privacy and terms).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// What it is about beyond the purpose, e.g. the exam of a registration form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
    pub granted: bool,
    pub method: ConsentMethod,
    /// Given by a guardian (a candidate under 14).
    pub by_guardian: bool,
    /// When (RFC 3339).
    pub at: String,
}

/// A document the signed-in person must agree to before going on (the consent gate).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConsentRequired {
    pub kind: PolicyKind,
    /// The current version to agree to.
    pub version: String,
    /// True when the person has agreed to an earlier version (a major change), false when
    /// they never agreed (a candidate's first sign-in).
    pub renewal: bool,
}

/// `GET /api/me/consents` and `GET /api/candidate/me/consents`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyConsents {
    /// Documents to agree to now (empty: nothing to do).
    pub required: Vec<ConsentRequired>,
    /// Whether device details of sign-ins are recorded (the optional consent).
    pub device_details: bool,
    /// Every record, newest first.
    pub history: Vec<ConsentRecord>,
}

/// `POST /api/me/consents` and `POST /api/candidate/me/consents`: agree to the current
/// documents (the consent gate), and/or give or withdraw the optional device-details consent.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConsentUpdate {
    /// The current versions, when agreeing to the documents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accept: Option<PolicyAcceptance>,
    /// Give (`true`) or withdraw (`false`) the device-details consent; absent: unchanged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_details: Option<bool>,
}

/// `POST /api/staff/policies`: publish a new version (platform staff, with a reason).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublishPolicyRequest {
    pub kind: PolicyKind,
    /// 1–20 characters: digits, letters, `.` and `-`; new for its kind.
    pub version: String,
    pub major: bool,
    /// `YYYY-MM-DD`.
    pub effective_on: String,
    pub summary_zh: String,
    pub summary_en: String,
    pub body_zh: String,
    pub body_en: String,
    /// Why (recorded in the audit log), 5–500 characters.
    pub reason: String,
}

/// What publishing did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublishPolicyResponse {
    pub document: PolicyDocument,
    /// Organisation owners notified (major versions only).
    pub owners_notified: u32,
}
