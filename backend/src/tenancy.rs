//! Tenancy: the one mechanism that scopes every read and write to the caller's organisation.
//!
//! A handler that touches an organisation's data takes an [`OrgScope`]. The extractor
//! authenticates the caller — an organisation user by the console session cookie, or an
//! integrator by `Authorization: Bearer <api key>` — and yields the organisation it acts for,
//! what it may do ([`OrgScope::require`]) and which candidates it may see
//! ([`OrgScope::group_scope`]). Besides the extractor, an `OrgScope` is built only by
//! [`CandidateScope::org_scope`] and three crate-private constructors, each for one caller
//! ([`OrgScope::system`], [`OrgScope::for_staff`], [`OrgScope::portal_entry`]). The query
//! helpers of the domain modules take it instead of a bare org id, so a query that is not
//! scoped does not compile: an id from another organisation is simply not found (404).
//!
//! [`scoped!`] is the query helper: `scoped!(candidates, scope)` is
//! `candidates::table.filter(candidates::org_id.eq(scope.org_id()))`.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use diesel::prelude::*;
use sha2::{Digest, Sha256};
use shared::access::{Level, Module, OrgRole, Permission};
use subtle::ConstantTimeEq;

use crate::auth::AuthCandidate;
use crate::auth::cookies::Area;
use crate::auth::sessions::PrincipalKind;
use crate::db::schema::{api_keys, orgs, users};
use crate::db::types::{DbUuid, Timestamp};
use crate::errors::ApiError;
use crate::state::AppState;

/// `scoped!(table, scope)`: the rows of `table` that belong to the scope's organisation.
#[macro_export]
macro_rules! scoped {
    ($table:ident, $scope:expr) => {
        $crate::db::schema::$table::table
            .filter($crate::db::schema::$table::org_id.eq($scope.org_id()))
    };
}

/// Who is acting for the organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrgCaller {
    /// An owner, admin or grader in the console.
    User { user_id: DbUuid, role: OrgRole },
    /// An integrator's API key.
    ApiKey { key_id: DbUuid },
    /// Platform staff reading with a logged reason (never writing).
    Staff,
    /// A candidate acting on their own rows through the portal (see [`CandidateScope`]).
    Candidate { candidate_id: DbUuid },
    /// Someone entering an exam on the portal, not yet signed in.
    PortalEntry,
    /// The system itself (demo data, jobs).
    System,
}

/// The caller's organisation and rights. See the module documentation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgScope {
    org_id: DbUuid,
    caller: OrgCaller,
    /// Granted permissions; owners hold every one.
    permissions: Vec<Permission>,
    /// The candidate groups an admin is limited to; `None` means every candidate.
    group_scope: Option<Vec<DbUuid>>,
    /// A candidate's own scope reaches this one candidate and no other (then `group_scope` is
    /// empty, so code that only knows about groups sees nothing).
    own_candidate: Option<DbUuid>,
}

impl OrgScope {
    pub fn org_id(&self) -> DbUuid {
        self.org_id
    }

    /// Who is calling (the audit log's actor is `audit::Actor::of` it).
    pub fn caller(&self) -> &OrgCaller {
        &self.caller
    }

    /// The user id, if a person (not an API key) is calling.
    pub fn user_id(&self) -> Option<DbUuid> {
        match self.caller {
            OrgCaller::User { user_id, .. } => Some(user_id),
            OrgCaller::ApiKey { .. }
            | OrgCaller::Staff
            | OrgCaller::System
            | OrgCaller::Candidate { .. }
            | OrgCaller::PortalEntry => None,
        }
    }

    pub fn is_owner(&self) -> bool {
        matches!(
            self.caller,
            OrgCaller::User {
                role: OrgRole::Owner,
                ..
            }
        )
    }

    /// Whether the caller holds `level` on `module`.
    pub fn can(&self, module: Module, level: Level) -> bool {
        let wanted = Permission::new(module, level);
        self.permissions.iter().any(|p| p.covers(wanted))
    }

    /// Fails with 403 `forbidden` unless the caller holds `level` on `module`.
    pub fn require(&self, module: Module, level: Level) -> Result<(), ApiError> {
        if self.can(module, level) {
            Ok(())
        } else {
            Err(ApiError::Forbidden)
        }
    }

    /// The candidate groups the caller is limited to (`None`: all candidates).
    pub fn group_scope(&self) -> Option<&[DbUuid]> {
        self.group_scope.as_deref()
    }

    /// The one candidate a candidate's own scope reaches (`None` for console callers).
    pub fn own_candidate(&self) -> Option<DbUuid> {
        self.own_candidate
    }

    /// Read access to one organisation's candidates for platform staff, after their reason was
    /// logged (see [`crate::staff`]).
    pub(crate) fn for_staff(org_id: DbUuid) -> OrgScope {
        OrgScope {
            org_id,
            caller: OrgCaller::Staff,
            permissions: vec![Permission::new(Module::Candidates, Level::Read)],
            group_scope: None,
            own_candidate: None,
        }
    }

    /// Someone entering an exam on the portal before they are signed in: no permission and no
    /// candidate, only the organisation's exams through the model functions.
    pub(crate) fn portal_entry(org_id: DbUuid) -> OrgScope {
        OrgScope {
            org_id,
            caller: OrgCaller::PortalEntry,
            permissions: Vec::new(),
            group_scope: Some(Vec::new()),
            own_candidate: None,
        }
    }

    /// The system acting for an organisation (demo data, background jobs): every permission.
    pub(crate) fn system(org_id: DbUuid) -> OrgScope {
        OrgScope {
            org_id,
            caller: OrgCaller::System,
            permissions: all_permissions(),
            group_scope: None,
            own_candidate: None,
        }
    }
}

/// A candidate acting on their own rows, from the portal session: the organisation and the
/// candidate, and no console permission at all. Candidate handlers take this instead of an
/// [`OrgScope`]; the shared query functions that want an `OrgScope` get
/// [`CandidateScope::org_scope`], whose `require()` always fails and whose data scope reaches
/// only this candidate, so a mistake in a candidate handler cannot reach console data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CandidateScope {
    me: AuthCandidate,
}

impl CandidateScope {
    pub fn new(me: AuthCandidate) -> CandidateScope {
        CandidateScope { me }
    }

    pub fn org_id(&self) -> DbUuid {
        self.me.org_id
    }

    pub fn candidate_id(&self) -> DbUuid {
        self.me.candidate_id
    }

    /// The portal session the request came with (one active device per attempt).
    pub fn session_id(&self) -> DbUuid {
        self.me.session_id
    }

    /// The signed-in candidate, for the functions that take one.
    pub fn me(&self) -> &AuthCandidate {
        &self.me
    }

    /// The scope to pass to shared query functions: this organisation, no permission, and
    /// candidate data limited to this candidate.
    pub fn org_scope(&self) -> OrgScope {
        OrgScope {
            org_id: self.me.org_id,
            caller: OrgCaller::Candidate {
                candidate_id: self.me.candidate_id,
            },
            permissions: Vec::new(),
            group_scope: Some(Vec::new()),
            own_candidate: Some(self.me.candidate_id),
        }
    }

    /// One active device: a single-device attempt answers only the portal session that last
    /// started or resumed it (`owner`); any other gets 409 `another_device`.
    pub fn require_device(
        &self,
        single_device: bool,
        owner: Option<DbUuid>,
    ) -> Result<(), ApiError> {
        if self.holds_device(single_device, owner) {
            Ok(())
        } else {
            Err(ApiError::AnotherDevice)
        }
    }

    /// Whether this session may work on an attempt owned by `owner` (see
    /// [`CandidateScope::require_device`]).
    pub fn holds_device(&self, single_device: bool, owner: Option<DbUuid>) -> bool {
        !matches!(owner, Some(owner) if single_device && owner != self.me.session_id)
    }
}

impl FromRequest for CandidateScope {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<CandidateScope, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let me = AuthCandidate::from_request(req, payload);
        Box::pin(async move { Ok(CandidateScope::new(me.await?)) })
    }
}

/// Every permission (what an owner holds).
pub fn all_permissions() -> Vec<Permission> {
    Module::ALL
        .into_iter()
        .map(|m| Permission::new(m, Level::Write))
        .collect()
}

/// What a user of `role` holds, given their stored permissions (owners: everything; graders:
/// grading only).
pub fn permissions_of(role: OrgRole, stored: &str) -> Vec<Permission> {
    match role {
        OrgRole::Owner => all_permissions(),
        OrgRole::Admin => parse_permissions(stored),
        OrgRole::Grader => vec![Permission::new(Module::Grading, Level::Write)],
    }
}

/// Parses a stored JSON array of permission strings, skipping unknown ones (a module removed
/// in a later version grants nothing).
pub fn parse_permissions(json: &str) -> Vec<Permission> {
    serde_json::from_str::<Vec<String>>(json)
        .unwrap_or_default()
        .iter()
        .filter_map(|p| Permission::parse(p))
        .collect()
}

/// Parses a stored JSON array of group ids.
pub fn parse_groups(json: Option<&str>) -> Option<Vec<DbUuid>> {
    let json = json?;
    Some(
        serde_json::from_str::<Vec<uuid::Uuid>>(json)
            .unwrap_or_default()
            .into_iter()
            .map(DbUuid)
            .collect(),
    )
}

impl FromRequest for OrgScope {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<OrgScope, ApiError>>>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let state = req
                .app_data::<web::Data<AppState>>()
                .cloned()
                .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("app state missing")))?;
            match bearer_token(&req)? {
                Some(token) => api_key_scope(&state, token).await,
                None => user_scope(&req).await,
            }
        })
    }
}

/// The bearer token, if the request has an `Authorization` header; a header of another scheme
/// is a 401 rather than silently falling back to cookies.
fn bearer_token(req: &HttpRequest) -> Result<Option<String>, ApiError> {
    let Some(value) = req.headers().get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let value = value.to_str().map_err(|_| ApiError::Unauthorized)?;
    let (scheme, token) = value.split_once(' ').ok_or(ApiError::Unauthorized)?;
    if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
        return Err(ApiError::Unauthorized);
    }
    Ok(Some(token.trim().to_owned()))
}

/// The scope of a signed-in organisation user; their grants come with the session lookup.
async fn user_scope(req: &HttpRequest) -> Result<OrgScope, ApiError> {
    let session = crate::auth::session_of(req, Area::Console, PrincipalKind::User).await?;
    let org_id = session.org_id.ok_or(ApiError::Unauthorized)?;
    let grants = session.grants.ok_or(ApiError::Unauthorized)?;
    let role = OrgRole::parse(&session.role).ok_or(ApiError::Unauthorized)?;
    Ok(OrgScope {
        org_id,
        caller: OrgCaller::User {
            user_id: session.user_id,
            role,
        },
        permissions: permissions_of(role, &grants.permissions),
        group_scope: data_scope_of(role, grants.scope_groups.as_deref()),
        own_candidate: None,
    })
}

/// The candidate groups a user of `role` is limited to, given their stored group limit
/// (owners: none; graders: every group closed).
fn data_scope_of(role: OrgRole, stored: Option<&str>) -> Option<Vec<DbUuid>> {
    match role {
        OrgRole::Owner => None,
        OrgRole::Admin => parse_groups(stored),
        OrgRole::Grader => Some(Vec::new()),
    }
}

/// What a key granted `key` may do while its creator holds `creator`: each granted permission
/// the creator still covers, a write the creator now only reads as a read, nothing else.
pub fn intersect_permissions(key: &[Permission], creator: &[Permission]) -> Vec<Permission> {
    let covered = |p: Permission| creator.iter().any(|c| c.covers(p));
    let mut out: Vec<Permission> = key
        .iter()
        .filter_map(|&p| {
            if covered(p) {
                Some(p)
            } else {
                let read = Permission::new(p.module, Level::Read);
                covered(read).then_some(read)
            }
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The prefix every API key starts with.
pub const KEY_PREFIX: &str = "eck_";

/// A new API key: `(prefix, full key, hash of the full key)`. The prefix (16 hex digits) finds
/// the row; the full key is shown once; only the hash is stored.
pub fn new_api_key() -> (String, String, String) {
    use base64::Engine;
    use rand::RngCore;
    let mut id = [0u8; 8];
    let mut secret = [0u8; 32];
    rand::rng().fill_bytes(&mut id);
    rand::rng().fill_bytes(&mut secret);
    let prefix = hex::encode(id);
    let full = format!(
        "{KEY_PREFIX}{prefix}_{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(secret)
    );
    let hash = key_hash(&full);
    (prefix, full, hash)
}

/// API keys carry 256 random bits, so a plain SHA-256 is enough to store them.
fn key_hash(key: &str) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))
}

#[derive(Queryable)]
struct KeyRow {
    id: DbUuid,
    org_id: DbUuid,
    secret_hash: String,
    scopes: String,
    rate_limit_per_minute: i32,
    expires_at: Option<Timestamp>,
    revoked_at: Option<Timestamp>,
    last_used_at: Option<Timestamp>,
    created_by: Option<DbUuid>,
}

/// The key's creator as they are now: role, permissions and group limit.
#[derive(Queryable)]
struct CreatorRow {
    role: String,
    permissions: String,
    scope_groups: Option<String>,
}

/// The scope of an API key: the key's scopes as far as its creator still holds them, and the
/// creator's data scope. A key whose creator was disabled or deleted (or that has no creator)
/// answers 401, like a revoked one: the key dies with the person who vouched for it.
async fn api_key_scope(state: &AppState, token: String) -> Result<OrgScope, ApiError> {
    let prefix = token
        .strip_prefix(KEY_PREFIX)
        .and_then(|rest| rest.split_once('_'))
        .map(|(prefix, _)| prefix.to_owned())
        .filter(|p| p.len() == 16 && p.bytes().all(|b| b.is_ascii_hexdigit()))
        .ok_or(ApiError::Unauthorized)?;
    let now = Timestamp::now();
    let found: Option<(KeyRow, Option<CreatorRow>)> = state
        .db
        .run(move |conn| {
            let Some(key) = api_keys::table
                .inner_join(orgs::table)
                .filter(api_keys::prefix.eq(&prefix))
                .filter(orgs::status.eq("active"))
                .select((
                    api_keys::id,
                    api_keys::org_id,
                    api_keys::secret_hash,
                    api_keys::scopes,
                    api_keys::rate_limit_per_minute,
                    api_keys::expires_at,
                    api_keys::revoked_at,
                    api_keys::last_used_at,
                    api_keys::created_by,
                ))
                .first::<KeyRow>(conn)
                .optional()?
            else {
                return Ok(None);
            };
            let creator = match key.created_by {
                Some(user) => users::table
                    .filter(users::id.eq(user))
                    .filter(users::org_id.eq(key.org_id))
                    .filter(users::status.eq("active"))
                    .select((users::role, users::permissions, users::scope_groups))
                    .first::<CreatorRow>(conn)
                    .optional()?,
                None => None,
            };
            Ok::<_, ApiError>(Some((key, creator)))
        })
        .await?;
    let (row, creator) = found.ok_or(ApiError::Unauthorized)?;
    let presented = key_hash(&token);
    if !bool::from(presented.as_bytes().ct_eq(row.secret_hash.as_bytes()))
        || row.revoked_at.is_some()
        || row.expires_at.is_some_and(|e| e <= now)
    {
        return Err(ApiError::Unauthorized);
    }
    let creator = creator.ok_or(ApiError::Unauthorized)?;
    let role = OrgRole::parse(&creator.role).ok_or(ApiError::Unauthorized)?;
    let permissions = intersect_permissions(
        &parse_permissions(&row.scopes),
        &permissions_of(role, &creator.permissions),
    );
    let group_scope = data_scope_of(role, creator.scope_groups.as_deref());
    state
        .api_limiter
        .check(row.id, row.rate_limit_per_minute)
        .map_err(|retry_after_secs| ApiError::RateLimited { retry_after_secs })?;
    // Record use at most once a minute per key, so a busy integration does not write a row per
    // request.
    if row
        .last_used_at
        .is_none_or(|t| (now.0 - t.0).num_seconds() >= 60)
    {
        let id = row.id;
        state
            .db
            .run(move |conn| {
                diesel::update(api_keys::table.find(id))
                    .set(api_keys::last_used_at.eq(Some(now)))
                    .execute(conn)
                    .map_err(ApiError::from)
            })
            .await?;
    }
    Ok(OrgScope {
        org_id: row.org_id,
        caller: OrgCaller::ApiKey { key_id: row.id },
        permissions,
        group_scope,
        own_candidate: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_have_a_findable_prefix_and_only_the_hash_is_kept() {
        let (prefix, full, hash) = new_api_key();
        assert!(full.starts_with(&format!("{KEY_PREFIX}{prefix}_")));
        assert_eq!(prefix.len(), 16);
        assert_eq!(hash, key_hash(&full));
        assert!(!hash.contains(&full[20..]));
    }

    #[test]
    fn a_key_holds_only_what_its_creator_still_holds() {
        let w = |m| Permission::new(m, Level::Write);
        let r = |m| Permission::new(m, Level::Read);
        let key = [w(Module::Candidates), w(Module::Exams), r(Module::Audit)];
        let creator = [r(Module::Candidates), w(Module::Exams)];
        let mut expected = vec![r(Module::Candidates), w(Module::Exams)];
        expected.sort();
        assert_eq!(intersect_permissions(&key, &creator), expected);
        assert!(intersect_permissions(&key, &[]).is_empty());
    }

    #[test]
    fn a_candidate_scope_is_refused_by_every_console_permission_check() {
        let me = AuthCandidate {
            candidate_id: DbUuid::new_v7(),
            org_id: DbUuid::new_v7(),
            session_id: DbUuid::new_v7(),
        };
        let scope = CandidateScope::new(me.clone()).org_scope();
        for module in Module::ALL {
            for level in [Level::Read, Level::Write] {
                assert!(
                    scope.require(module, level).is_err(),
                    "{module:?} {level:?}"
                );
            }
        }
        assert_eq!(scope.org_id(), me.org_id);
        assert_eq!(scope.own_candidate(), Some(me.candidate_id));
        assert_eq!(scope.group_scope(), Some(&[][..]));
        assert_eq!(scope.user_id(), None);
        assert_eq!(
            crate::audit::Actor::of(&scope),
            crate::audit::Actor::Candidate(me.candidate_id)
        );
    }

    #[test]
    fn stored_permissions_parse_and_unknown_ones_grant_nothing() {
        let p = parse_permissions(r#"["candidates:write","proctoring:read","nonsense"]"#);
        assert_eq!(p, vec![Permission::new(Module::Candidates, Level::Write)]);
        assert!(parse_permissions("not json").is_empty());
    }
}
