//! Registration, sign-in and the signed-in account.

use serde::{Deserialize, Serialize};

/// What a verification code is requested for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CodePurpose {
    /// Registering a new organisation.
    Register,
    /// Signing in with a code instead of a password.
    Login,
    /// Resetting a forgotten password.
    Recover,
}

/// `POST /api/auth/codes`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SendCodeRequest {
    pub purpose: CodePurpose,
    /// An email address or a mainland-China mobile number.
    #[cfg_attr(feature = "openapi", schema(value_type = crate::schema::Contact))]
    pub destination: String,
}

/// The same answer whether or not the destination is registered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SendCodeResponse {
    /// Seconds before another code may be requested for this destination.
    pub cooldown_seconds: u32,
    /// Seconds the code stays valid.
    pub expires_in_seconds: u32,
}

/// `POST /api/orgs`: register an organisation and its owner account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegisterOrgRequest {
    /// 单位名称, 2–100 characters (no control characters).
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 2,
            max_length = 100,
            pattern = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$"
        )
    )]
    pub org_name: String,
    #[cfg_attr(feature = "openapi", schema(value_type = crate::schema::Password))]
    pub password: String,
    /// The email address or mainland-China mobile number the code was sent to.
    #[cfg_attr(feature = "openapi", schema(value_type = crate::schema::Contact))]
    pub destination: String,
    /// The 6-digit code from `POST /api/auth/codes` with purpose `register`.
    #[cfg_attr(feature = "openapi", schema(value_type = crate::schema::Code))]
    pub code: String,
    /// Agreement to the current privacy statement and terms (their versions, as
    /// `GET /api/privacy/policies` gives them). Required: 422 `accept.privacy` /
    /// `accept.terms` `required`, or `outdated` when a newer version was published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accept: Option<crate::policies::PolicyAcceptance>,
}

/// `POST /api/auth/login`: by password, or by a code sent with purpose `login`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginRequest {
    /// Login account, email address or mobile number.
    #[cfg_attr(feature = "openapi", schema(value_type = crate::schema::Identifier))]
    pub identifier: String,
    /// The password; send exactly one of `password` and `code` (422 `required` otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(min_length = 1))]
    pub password: Option<String>,
    /// A code sent with purpose `login` to the email address or mobile number in
    /// `identifier`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::schema::Code>))]
    pub code: Option<String>,
    /// Device details for the login log — send them only if the person agreed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<DeviceInfo>,
}

/// Device details of a sign-in, recorded (encrypted) in the login log only when the person
/// agreed to share them (privacy statement 3.2.1). Each field at most 100 characters.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeviceInfo {
    /// Operating system or platform, e.g. `Windows`, `iOS`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 100, pattern = r"^[^\x00-\x1f\x7f-\x9f]*$")
    )]
    pub platform: Option<String>,
    /// Screen size in CSS pixels, e.g. `1920x1080`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 100, pattern = r"^[^\x00-\x1f\x7f-\x9f]*$")
    )]
    pub screen: Option<String>,
    /// IANA time zone, e.g. `Asia/Shanghai`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 100, pattern = r"^[^\x00-\x1f\x7f-\x9f]*$")
    )]
    pub timezone: Option<String>,
    /// The browser's language, e.g. `zh-CN`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 100, pattern = r"^[^\x00-\x1f\x7f-\x9f]*$")
    )]
    pub language: Option<String>,
}

impl DeviceInfo {
    /// The name of the first invalid field (too long or with control characters).
    pub fn invalid_field(&self) -> Option<&'static str> {
        [
            ("device.platform", &self.platform),
            ("device.screen", &self.screen),
            ("device.timezone", &self.timezone),
            ("device.language", &self.language),
        ]
        .into_iter()
        .find(|(_, v)| {
            v.as_deref()
                .is_some_and(|v| v.chars().count() > 100 || v.chars().any(char::is_control))
        })
        .map(|(name, _)| name)
    }
}

/// The signed-in account (`GET /api/auth/me`, and the answer to register and login).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MeResponse {
    pub user_id: String,
    pub role: String,
    pub org: OrgSummary,
    /// Masked, e.g. `z***@example.com`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Masked, e.g. `138****8000`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// What this account may do in the console (owners: everything), e.g. `candidates:write`.
    #[serde(default, deserialize_with = "crate::access::lenient_permissions")]
    pub permissions: Vec<crate::access::Permission>,
    /// Documents to agree to before going on (a new major version): the console's consent
    /// step; `POST /api/me/consents` records the agreement.
    #[serde(default)]
    pub consent_required: Vec<crate::policies::ConsentRequired>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrgSummary {
    pub id: String,
    pub name: String,
    /// The candidate portal lives at `/o/{slug}`.
    pub slug: String,
}

/// `POST /api/auth/password`: change the password of the signed-in account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangePasswordRequest {
    pub current_password: String,
    #[cfg_attr(feature = "openapi", schema(value_type = crate::schema::Password))]
    pub new_password: String,
}

/// `POST /api/auth/password/reset`: set a new password with a code sent with purpose `recover`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResetPasswordRequest {
    #[cfg_attr(feature = "openapi", schema(value_type = crate::schema::Contact))]
    pub destination: String,
    /// The code sent with purpose `recover` (a wrong or expired one: 422 `invalid_code`).
    pub code: String,
    #[cfg_attr(feature = "openapi", schema(value_type = crate::schema::Password))]
    pub new_password: String,
}

/// One signed-in device (`GET /api/auth/sessions`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionInfo {
    pub id: String,
    /// The browser's user agent when it signed in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<String>,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339.
    pub last_used_at: String,
    /// The session making this request.
    pub current: bool,
}

/// `GET /api/org`: the organisation's account information (账号信息).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrgSettings {
    pub id: String,
    /// Company / organisation name (企业名称).
    pub name: String,
    /// The candidate portal lives at `/o/{slug}`.
    pub slug: String,
    /// The app name candidates see (考生端应用名称); the organisation name when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub candidate_app_name: Option<String>,
    /// URL of the candidate-side logo, if one is uploaded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo_url: Option<String>,
    /// The signed-in user's login account (登录账号), if set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub login_account: Option<String>,
}

/// `PATCH /api/org`: change any of these; absent fields stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateOrgRequest {
    /// 2–100 characters (no control characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 2,
            max_length = 100,
            pattern = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$"
        )
    )]
    pub name: Option<String>,
    /// At most 40 characters (no control characters); an empty string clears it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 40, pattern = r"^[^\x00-\x1f\x7f-\x9f]*$")
    )]
    pub candidate_app_name: Option<String>,
    /// The signed-in user's own login account (unique: 409). Not with an API key (422
    /// `not_allowed`): a key has no account of its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::schema::LoginAccount>))]
    pub login_account: Option<String>,
}

/// `GET /api/portal/{slug}`: what a candidate portal shows before sign-in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PortalBranding {
    pub slug: String,
    /// The candidate app name, or the organisation name when none is set.
    pub app_name: String,
    pub org_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo_url: Option<String>,
}

/// One audit log entry as an organisation's admins see it (`GET /api/audit`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntryDto {
    /// Position in the tamper-evident chain.
    pub seq: i64,
    pub id: String,
    /// RFC 3339.
    pub occurred_at: String,
    /// `user`, `staff`, `api_key`, `system` or `anonymous`.
    pub actor_kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor_id: Option<String>,
    /// An organisation user's name (or, without one, login account), masked: first and last
    /// character kept (`张*丰`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor_name: Option<String>,
    /// An organisation user's role (`owner`, `admin`, `grader`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor_role: Option<String>,
    /// A dotted action name such as `auth.login` or `org.update`.
    pub action: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_id: Option<String>,
    /// `success` or `failure`.
    pub outcome: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    pub details: serde_json::Value,
    /// Device details a sign-in shared with consent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<DeviceInfo>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_agent: Option<String>,
}

/// A page of audit entries, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditPage {
    pub entries: Vec<AuditEntryDto>,
    /// Pass as `before_seq` for the next (older) page; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_before_seq: Option<i64>,
}

/// `POST /api/account/contact/code`: send a code to an email address or mobile number to bind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BindCodeRequest {
    #[cfg_attr(feature = "openapi", schema(value_type = crate::schema::Contact))]
    pub destination: String,
}

/// `PUT /api/account/contact`: bind (or change) the account's email or mobile number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BindContactRequest {
    #[cfg_attr(feature = "openapi", schema(value_type = crate::schema::Contact))]
    pub destination: String,
    /// The code sent to `destination`.
    pub code: String,
    /// The account's current password.
    pub password: String,
}
