//! Who may do what: the modules of the console, read/write permissions on them, the roles of
//! organisation users and platform staff, and API key scopes (the same permission strings).

use serde::{Deserialize, Serialize};

/// A part of the console that permissions are granted on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Module {
    /// Account information and branding of the organisation.
    Org,
    /// Admin accounts of the organisation (owners only may grant this).
    Users,
    /// Candidates and their groups.
    Candidates,
    /// The audit log.
    Audit,
    /// API keys.
    ApiKeys,
    /// Question banks and questions.
    Questions,
    /// Exams, their assignments and attempts.
    Exams,
    /// Manual grading of answers that need a person (graders hold it).
    Grading,
}

impl Module {
    pub const ALL: [Module; 8] = [
        Module::Org,
        Module::Users,
        Module::Candidates,
        Module::Audit,
        Module::ApiKeys,
        Module::Questions,
        Module::Exams,
        Module::Grading,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Module::Org => "org",
            Module::Users => "users",
            Module::Candidates => "candidates",
            Module::Audit => "audit",
            Module::ApiKeys => "api_keys",
            Module::Questions => "questions",
            Module::Exams => "exams",
            Module::Grading => "grading",
        }
    }

    /// Whether an API key may be granted this module (keys never manage users or keys).
    pub fn for_api_keys(self) -> bool {
        matches!(
            self,
            Module::Org
                | Module::Candidates
                | Module::Audit
                | Module::Questions
                | Module::Exams
                | Module::Grading
        )
    }
}

/// Read, or read and write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Read,
    Write,
}

/// A permission such as `candidates:write` (which includes `candidates:read`). Serialised as
/// that string; its OpenAPI schema is the enumeration of those strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Permission {
    pub module: Module,
    pub level: Level,
}

impl Permission {
    pub const fn new(module: Module, level: Level) -> Permission {
        Permission { module, level }
    }

    /// Whether holding `self` allows `wanted`.
    pub fn covers(self, wanted: Permission) -> bool {
        self.module == wanted.module && (self.level == Level::Write || wanted.level == Level::Read)
    }

    pub fn parse(s: &str) -> Option<Permission> {
        let (module, level) = s.split_once(':')?;
        let module = Module::ALL.into_iter().find(|m| m.as_str() == module)?;
        let level = match level {
            "read" => Level::Read,
            "write" => Level::Write,
            _ => return None,
        };
        Some(Permission { module, level })
    }
}

impl std::fmt::Display for Permission {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let level = match self.level {
            Level::Read => "read",
            Level::Write => "write",
        };
        write!(f, "{}:{level}", self.module.as_str())
    }
}

impl Serialize for Permission {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Permission {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Permission, D::Error> {
        let s = String::deserialize(d)?;
        Permission::parse(&s)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown permission `{s}`")))
    }
}

/// In the OpenAPI document a permission is one of its strings (`candidates:write`, …).
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Permission {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        permission_enum(
            Module::ALL.into_iter(),
            "A permission: `module:read` or `module:write` (write includes read).",
        )
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Permission {}

/// What an API key may be granted: a permission on a module keys can hold (`org`,
/// `candidates`, `audit`, `questions`, `exams`); keys never manage users or keys. Only in the
/// OpenAPI document: on the wire it is a [`Permission`].
#[cfg(feature = "openapi")]
pub struct ApiKeyScope;

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for ApiKeyScope {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        permission_enum(
            Module::ALL.into_iter().filter(|m| m.for_api_keys()),
            "A permission an API key can be granted: `module:read` or `module:write` on `org`, \
             `candidates`, `audit`, `questions` or `exams`.",
        )
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for ApiKeyScope {}

#[cfg(feature = "openapi")]
fn permission_enum(
    modules: impl Iterator<Item = Module>,
    description: &str,
) -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    let values: Vec<String> = modules
        .flat_map(|m| [Level::Read, Level::Write].map(|l| Permission::new(m, l).to_string()))
        .collect();
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(values))
        .description(Some(description))
        .into()
}

/// The roles an owner can give (`owner` only by registering an organisation). Only in the
/// OpenAPI document: on the wire it is an [`OrgRole`].
#[cfg(feature = "openapi")]
#[derive(utoipa::ToSchema)]
#[schema(rename_all = "snake_case")]
#[allow(dead_code)]
pub enum AssignableRole {
    Admin,
    Grader,
}

/// Whether an account can sign in. Only in the OpenAPI document: on the wire a string.
#[cfg(feature = "openapi")]
#[derive(utoipa::ToSchema)]
#[schema(rename_all = "snake_case")]
#[allow(dead_code)]
pub enum AccountStatus {
    Active,
    Disabled,
}

/// Deserialises a list of permissions, skipping ones this build does not know, so a client
/// built before a module was added still reads answers from a newer server.
pub fn lenient_permissions<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Vec<Permission>, D::Error> {
    let raw = Vec::<String>::deserialize(d)?;
    Ok(raw.iter().filter_map(|p| Permission::parse(p)).collect())
}

/// The role of an organisation user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OrgRole {
    /// Registered the organisation; may do everything.
    Owner,
    /// Acts within the permissions and data scope the owner gave.
    Admin,
    /// Grades answers (no console modules).
    Grader,
}

impl OrgRole {
    pub fn as_str(self) -> &'static str {
        match self {
            OrgRole::Owner => "owner",
            OrgRole::Admin => "admin",
            OrgRole::Grader => "grader",
        }
    }

    pub fn parse(s: &str) -> Option<OrgRole> {
        match s {
            "owner" => Some(OrgRole::Owner),
            "admin" => Some(OrgRole::Admin),
            "grader" => Some(OrgRole::Grader),
            _ => None,
        }
    }
}

/// The role of a platform staff member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum StaffRole {
    /// Customer support: assisted changes after identity verification.
    Support,
    /// Invoices and payments.
    Finance,
    /// Incidents, notices and the audit log.
    Security,
}

impl StaffRole {
    pub fn as_str(self) -> &'static str {
        match self {
            StaffRole::Support => "support",
            StaffRole::Finance => "finance",
            StaffRole::Security => "security",
        }
    }

    pub fn parse(s: &str) -> Option<StaffRole> {
        match s {
            "support" => Some(StaffRole::Support),
            "finance" => Some(StaffRole::Finance),
            "security" => Some(StaffRole::Security),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permissions_round_trip_and_write_covers_read() {
        for m in Module::ALL {
            for l in [Level::Read, Level::Write] {
                let p = Permission::new(m, l);
                assert_eq!(Permission::parse(&p.to_string()), Some(p));
            }
        }
        let write = Permission::new(Module::Candidates, Level::Write);
        let read = Permission::new(Module::Candidates, Level::Read);
        assert!(write.covers(read));
        assert!(!read.covers(write));
        assert!(!write.covers(Permission::new(Module::Audit, Level::Read)));
        assert_eq!(Permission::parse("candidates:delete"), None);
        assert_eq!(Permission::parse("exams"), None);
        assert_eq!(
            Permission::parse("exams:write").map(|p| p.module),
            Some(Module::Exams)
        );
    }

    #[test]
    fn answers_with_permissions_from_a_newer_server_still_read() {
        let me: crate::accounts::MeResponse = serde_json::from_value(serde_json::json!({
            "user_id": "u", "role": "owner", "org": { "id": "o", "name": "n", "slug": "s" },
            "permissions": ["candidates:write", "proctoring:write"],
        }))
        .unwrap();
        assert_eq!(
            me.permissions,
            vec![Permission::new(Module::Candidates, Level::Write)]
        );
    }
}

/// An API key as listed (the secret is never shown again).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiKeyDto {
    pub id: String,
    pub name: String,
    /// The key's public part (`eck_<prefix>_…`), to recognise it.
    pub prefix: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<ApiKeyScope>, example = json!(["candidates:read"])))]
    #[serde(deserialize_with = "lenient_permissions")]
    pub scopes: Vec<Permission>,
    pub rate_limit_per_minute: i32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_used_at: Option<String>,
    pub created_at: String,
    /// `active`, `expired` or `revoked`.
    #[cfg_attr(feature = "openapi", schema(pattern = "^(active|expired|revoked)$"))]
    pub status: String,
}

/// `POST /api/api-keys`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateApiKeyRequest {
    /// What the key is for, 1–60 characters (no control characters).
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 60,
            pattern = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$"
        )
    )]
    pub name: String,
    /// Permissions on `org`, `candidates`, `audit`, `questions` or `exams`, e.g.
    /// `candidates:write`; at least one, and only ones the caller holds (403 otherwise).
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<ApiKeyScope>, min_items = 1, example = json!(["candidates:read"])))]
    pub scopes: Vec<Permission>,
    /// Days until the key expires (1–3650); absent: never.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 3650))]
    pub expires_in_days: Option<i64>,
    /// Requests per minute (1–6000, default 600).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 6000))]
    pub rate_limit_per_minute: Option<i32>,
}

/// The answer to creating a key: the only time the full key is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatedApiKey {
    /// The full key, for `Authorization: Bearer …`. Store it now: it cannot be shown again.
    pub key: String,
    pub api_key: ApiKeyDto,
}

/// An admin account of the organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrgUserDto {
    pub id: String,
    pub role: OrgRole,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub login_account: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// Owners hold every permission.
    #[serde(deserialize_with = "lenient_permissions")]
    pub permissions: Vec<Permission>,
    /// The candidate groups an admin is limited to; absent: all candidates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_ids: Option<Vec<String>>,
    /// `active` or `disabled`.
    #[cfg_attr(feature = "openapi", schema(value_type = AccountStatus))]
    pub status: String,
    pub created_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_login_at: Option<String>,
}

/// `POST /api/org/users`: a new admin or grader who signs in with a login account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateOrgUserRequest {
    /// 4–32 letters, digits, `_ . -`, starting with a letter; unique on the platform (409).
    #[cfg_attr(feature = "openapi", schema(value_type = crate::schema::LoginAccount))]
    pub login_account: String,
    #[cfg_attr(feature = "openapi", schema(value_type = crate::schema::PersonName))]
    pub display_name: String,
    /// The initial password: 8–128 characters, not all the same character, not a common
    /// password.
    #[cfg_attr(feature = "openapi", schema(value_type = crate::schema::Password))]
    pub password: String,
    /// `admin` or `grader`.
    #[cfg_attr(feature = "openapi", schema(value_type = AssignableRole))]
    pub role: OrgRole,
    /// An admin's permissions (only ones the caller holds; 403 otherwise); ignored for a
    /// grader.
    #[serde(default)]
    pub permissions: Vec<Permission>,
    /// Limit an admin to these candidate groups; absent: all candidates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Vec<uuid::Uuid>>))]
    pub group_ids: Option<Vec<String>>,
}

/// `PATCH /api/org/users/{id}`: absent fields stay.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateOrgUserRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::schema::PersonName>))]
    pub display_name: Option<String>,
    /// `admin` or `grader`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<AssignableRole>))]
    pub role: Option<OrgRole>,
    /// Only ones the caller holds (403 otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permissions: Option<Vec<Permission>>,
    /// Replaces the group limit; an empty list removes it (all candidates).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Vec<uuid::Uuid>>))]
    pub group_ids: Option<Vec<String>>,
    /// `active` or `disabled`; disabling signs the account out everywhere at once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<AccountStatus>))]
    pub status: Option<String>,
    /// A new password (8–128 characters, not all the same character, not a common one); the
    /// account is signed out everywhere.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::schema::Password>))]
    pub password: Option<String>,
}

/// `POST /api/staff/login`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffLoginRequest {
    #[cfg_attr(feature = "openapi", schema(value_type = crate::schema::LoginAccount))]
    pub account: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 1))]
    pub password: String,
}

/// The signed-in staff member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffMe {
    pub id: String,
    pub role: StaffRole,
    pub account: String,
}

/// An organisation as staff see it in the list (no personal data).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffOrgDto {
    pub id: String,
    pub name: String,
    pub slug: String,
    pub status: String,
    pub created_at: String,
}
