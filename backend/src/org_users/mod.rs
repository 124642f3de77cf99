//! The organisation's admin accounts (`/api/org/users`): the owner — or an admin holding the
//! `users` permission — adds admins and graders who sign in with a login account, grants them
//! per-module permissions and limits admins to some candidate groups (data scope), resets
//! passwords, and disables accounts. Disabling or a password reset signs the account out
//! everywhere at once. Nobody grants permissions they do not hold, and the owner cannot be
//! changed or removed here.

use actix_web::{HttpRequest, HttpResponse, web};
use diesel::prelude::*;
use shared::access::{
    CreateOrgUserRequest, Level, Module, OrgRole, OrgUserDto, Permission, UpdateOrgUserRequest,
};

use crate::auth::sessions::{self, PrincipalKind};
use crate::crypto::{Aad, FieldCipher, IndexKind};
use crate::db::DbConnection;
use crate::db::schema::users;
use crate::db::types::{DbUuid, Timestamp};
use crate::domain::{LoginAccount, Password, PersonName};
use crate::errors::ApiError;
use crate::http::{ClientInfo, Fields};
use crate::scoped;
use crate::state::AppState;
use crate::tenancy::{self, OrgScope};

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/org/users")
            .get(list_org_users)
            .post(create_org_user),
    )
    .service(
        web::resource("/org/users/{id}")
            .patch(update_org_user)
            .delete(delete_org_user),
    );
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = users)]
struct Row {
    id: DbUuid,
    role: String,
    login_account_enc: Option<Vec<u8>>,
    display_name_enc: Option<Vec<u8>>,
    permissions: String,
    scope_groups: Option<String>,
    status: String,
    created_at: Timestamp,
    last_login_at: Option<Timestamp>,
}

fn aad<'a>(column: &'a str, row_id: &'a str) -> Aad<'a> {
    Aad {
        table: "users",
        column,
        row_id,
    }
}

fn to_dto(cipher: &FieldCipher, r: Row) -> Result<OrgUserDto, ApiError> {
    let row = r.id.to_string();
    let role = OrgRole::parse(&r.role).unwrap_or(OrgRole::Grader);
    Ok(OrgUserDto {
        login_account: r
            .login_account_enc
            .map(|ct| cipher.decrypt(&ct, aad("login_account_enc", &row)))
            .transpose()?,
        display_name: r
            .display_name_enc
            .map(|ct| cipher.decrypt(&ct, aad("display_name_enc", &row)))
            .transpose()?,
        permissions: tenancy::permissions_of(role, &r.permissions),
        group_ids: tenancy::parse_groups(r.scope_groups.as_deref())
            .map(|g| g.iter().map(ToString::to_string).collect()),
        id: row,
        role,
        status: r.status,
        created_at: r.created_at.to_canonical_string(),
        last_login_at: r.last_login_at.map(Timestamp::to_canonical_string),
    })
}

fn find(conn: &mut DbConnection, scope: &OrgScope, id: DbUuid) -> Result<Row, ApiError> {
    scoped!(users, scope)
        .filter(users::id.eq(id))
        .select(Row::as_select())
        .first(conn)
        .optional()?
        .ok_or(ApiError::NotFound)
}

/// Whether the caller may change or delete this account: never the owner, and — unless the
/// caller is the owner — only accounts whose rights are within the caller's own (else an admin
/// who manages users could reset a more powerful admin's password and become them).
fn require_manageable(scope: &OrgScope, target: &Row) -> Result<(), ApiError> {
    if target.role == "owner" {
        return Err(ApiError::Forbidden);
    }
    if scope.is_owner() {
        return Ok(());
    }
    let perms_within = tenancy::parse_permissions(&target.permissions)
        .iter()
        .all(|p| scope.can(p.module, p.level));
    let groups_within = match (
        scope.group_scope(),
        tenancy::parse_groups(target.scope_groups.as_deref()),
    ) {
        (None, _) => true,
        (Some(_), None) => false,
        (Some(mine), Some(theirs)) => theirs.iter().all(|g| mine.contains(g)),
    };
    if perms_within && groups_within {
        Ok(())
    } else {
        Err(ApiError::Forbidden)
    }
}

/// The permissions to store: only the caller's own may be granted.
fn grantable(scope: &OrgScope, wanted: &[Permission]) -> Result<String, ApiError> {
    if wanted.iter().any(|p| !scope.can(p.module, p.level)) {
        return Err(ApiError::Forbidden);
    }
    let mut list: Vec<String> = wanted.iter().map(ToString::to_string).collect();
    list.sort();
    list.dedup();
    Ok(serde_json::to_string(&list).map_err(anyhow::Error::from)?)
}

/// The group limit to store (`None`: all candidates). A caller limited to some groups can only
/// hand out a subset of them.
fn group_limit(
    conn: &mut DbConnection,
    scope: &OrgScope,
    ids: Option<&[String]>,
) -> Result<Option<String>, ApiError> {
    let ids = match ids {
        None | Some([]) => {
            if scope.group_scope().is_some() {
                return Err(ApiError::Forbidden);
            }
            return Ok(None);
        }
        Some(ids) => ids,
    };
    let checked = crate::candidates::model::check_groups(conn, scope, ids, "group_ids")?;
    let list: Vec<String> = checked.iter().map(ToString::to_string).collect();
    Ok(Some(
        serde_json::to_string(&list).map_err(anyhow::Error::from)?,
    ))
}

#[utoipa::path(
    get,
    path = "/api/org/users",
    operation_id = "list_org_users",
    tag = "orgs",
    security(("session_cookie" = [])),
    responses(
        (status = 200, description = "The organisation's owner, admins and graders.", body = Vec<OrgUserDto>),
        (status = 403, description = "Needs `users:read`.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn list_org_users(
    scope: OrgScope,
    state: web::Data<AppState>,
) -> Result<web::Json<Vec<OrgUserDto>>, ApiError> {
    scope.require(Module::Users, Level::Read)?;
    let cipher = state.cipher.clone();
    let list = state
        .db
        .run(move |conn| {
            let rows: Vec<Row> = scoped!(users, scope)
                .order(users::created_at.asc())
                .select(Row::as_select())
                .load(conn)?;
            rows.into_iter()
                .map(|r| to_dto(&cipher, r))
                .collect::<Result<Vec<_>, ApiError>>()
        })
        .await?;
    Ok(web::Json(list))
}

#[utoipa::path(
    post,
    path = "/api/org/users",
    operation_id = "create_org_user",
    tag = "orgs",
    security(("session_cookie" = [])),
    request_body = CreateOrgUserRequest,
    responses(
        (status = 201, description = "Created; they sign in with the login account and password.", body = OrgUserDto),
        (status = 403, description = "Needs `users:write`; only permissions the caller holds can be granted.", body = shared::ErrorBody),
        (status = 409, description = "The login account is taken.", body = shared::ErrorBody),
        (status = 422, description = "Invalid fields.", body = shared::ErrorBody),
        (status = 503, description = "`server_busy`: every password-hashing slot of this node is taken and the queue is full; nothing was done. Retry after `Retry-After` seconds.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn create_org_user(
    req: HttpRequest,
    scope: OrgScope,
    state: web::Data<AppState>,
    body: web::Json<CreateOrgUserRequest>,
) -> Result<HttpResponse, ApiError> {
    scope.require(Module::Users, Level::Write)?;
    let body = body.into_inner();
    let mut fields = Fields::default();
    let account = fields.check("login_account", LoginAccount::parse(&body.login_account));
    let name = fields.check("display_name", PersonName::parse(&body.display_name));
    let password = fields.check("password", Password::parse(&body.password));
    if body.role == OrgRole::Owner {
        fields.push("role", "not_allowed");
    }
    fields.finish()?;
    let (Some(account), Some(name), Some(password)) = (account, name, password) else {
        return Err(ApiError::Internal(anyhow::anyhow!(
            "validated fields missing"
        )));
    };
    let permissions = match body.role {
        OrgRole::Admin => grantable(&scope, &body.permissions)?,
        _ => "[]".to_owned(),
    };
    let hash = state.hasher.hash(password.expose()).await?;
    let client = ClientInfo::of(&req);
    let dto = state
        .transaction(move |conn, st| {
            let groups = match body.role {
                OrgRole::Admin => group_limit(conn, &scope, body.group_ids.as_deref())?,
                _ => None,
            };
            let id = DbUuid::new_v7();
            let row = id.to_string();
            let now = Timestamp::now();
            diesel::insert_into(users::table)
                .values((
                    users::id.eq(id),
                    users::org_id.eq(scope.org_id()),
                    users::role.eq(body.role.as_str()),
                    users::login_account_enc.eq(Some(
                        st.cipher
                            .encrypt(account.as_str(), aad("login_account_enc", &row))?,
                    )),
                    users::login_account_bidx.eq(Some(
                        st.bidx.compute(IndexKind::LoginAccount, account.as_str()),
                    )),
                    users::display_name_enc.eq(Some(
                        st.cipher
                            .encrypt(name.as_str(), aad("display_name_enc", &row))?,
                    )),
                    users::password_hash.eq(&hash),
                    users::status.eq("active"),
                    users::permissions.eq(&permissions),
                    users::scope_groups.eq(&groups),
                    users::created_at.eq(now),
                    users::updated_at.eq(now),
                ))
                .execute(conn)?;
            client.log_change(
                conn,
                &st.cipher,
                &scope,
                "org_user.create",
                Some(("user", row)),
                serde_json::json!({
                    "role": body.role.as_str(),
                    "permissions": permissions,
                    "group_limit": groups,
                }),
            )?;
            to_dto(&st.cipher, find(conn, &scope, id)?)
        })
        .await?;
    Ok(HttpResponse::Created().json(dto))
}

#[utoipa::path(
    patch,
    path = "/api/org/users/{id}",
    operation_id = "update_org_user",
    tag = "orgs",
    security(("session_cookie" = [])),
    params(("id" = String, Path, description = "The user id.")),
    request_body = UpdateOrgUserRequest,
    responses(
        (status = 200, description = "Updated.", body = OrgUserDto),
        (status = 403, description = "Needs `users:write`; the owner and one's own account cannot be changed here.", body = shared::ErrorBody),
        (status = 404, description = "No such user in this organisation.", body = shared::ErrorBody),
        (status = 422, description = "Invalid fields.", body = shared::ErrorBody),
        (status = 503, description = "`server_busy`: every password-hashing slot of this node is taken and the queue is full; nothing was done. Retry after `Retry-After` seconds.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn update_org_user(
    req: HttpRequest,
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<uuid::Uuid>,
    body: web::Json<UpdateOrgUserRequest>,
) -> Result<web::Json<OrgUserDto>, ApiError> {
    scope.require(Module::Users, Level::Write)?;
    let id = DbUuid(path.into_inner());
    if scope.user_id() == Some(id) {
        // Own profile and password are changed under "account", with the current password.
        return Err(ApiError::Forbidden);
    }
    let changes = UserChanges::parse(&scope, body.into_inner())?;
    let hash = match &changes.password {
        Some(p) => Some(state.hasher.hash(p.expose()).await?),
        None => None,
    };
    let client = ClientInfo::of(&req);
    let dto = state
        .transaction(move |conn, st| {
            let (changed, revoked) = changes.apply(conn, st, &scope, id, hash.as_deref())?;
            client.log_change(
                conn,
                &st.cipher,
                &scope,
                "org_user.update",
                Some(("user", id.to_string())),
                serde_json::json!({ "fields": changed, "sessions_revoked": revoked }),
            )?;
            to_dto(&st.cipher, find(conn, &scope, id)?)
        })
        .await?;
    Ok(web::Json(dto))
}

/// The changes of a `PATCH` to a user, parsed (every field checked at once).
struct UserChanges {
    name: Option<PersonName>,
    /// Hashed by the caller (off the transaction) before [`UserChanges::apply`].
    password: Option<Password>,
    role: Option<OrgRole>,
    /// Stored form of the permissions, which the caller may grant.
    permissions: Option<String>,
    group_ids: Option<Vec<String>>,
    status: Option<String>,
}

impl UserChanges {
    fn parse(scope: &OrgScope, body: UpdateOrgUserRequest) -> Result<UserChanges, ApiError> {
        let mut fields = Fields::default();
        let name = body
            .display_name
            .as_deref()
            .and_then(|n| fields.check("display_name", PersonName::parse(n)));
        let password = body
            .password
            .as_deref()
            .and_then(|p| fields.check("password", Password::parse(p)));
        if body.role == Some(OrgRole::Owner) {
            fields.push("role", "not_allowed");
        }
        if body
            .status
            .as_deref()
            .is_some_and(|s| s != "active" && s != "disabled")
        {
            fields.push("status", "invalid_format");
        }
        fields.finish()?;
        let permissions = body
            .permissions
            .as_deref()
            .map(|p| grantable(scope, p))
            .transpose()?;
        Ok(UserChanges {
            name,
            password,
            role: body.role,
            permissions,
            group_ids: body.group_ids,
            status: body.status,
        })
    }

    /// Writes the changes to user `id` (with the new password's hash, if any), ending their
    /// sessions when the password changes or they are disabled; returns the fields changed and
    /// how many sessions ended.
    fn apply(
        &self,
        conn: &mut DbConnection,
        st: &AppState,
        scope: &OrgScope,
        id: DbUuid,
        hash: Option<&str>,
    ) -> Result<(Vec<&'static str>, usize), ApiError> {
        let before = find(conn, scope, id)?;
        require_manageable(scope, &before)?;
        let target = || scoped!(users, scope).filter(users::id.eq(id));
        let row = id.to_string();
        let mut changed: Vec<&'static str> = Vec::new();
        let mut sign_out = None;
        if let Some(name) = &self.name {
            diesel::update(target())
                .set(
                    users::display_name_enc.eq(Some(
                        st.cipher
                            .encrypt(name.as_str(), aad("display_name_enc", &row))?,
                    )),
                )
                .execute(conn)?;
            changed.push("display_name");
        }
        if let Some(role) = self.role {
            diesel::update(target())
                .set(users::role.eq(role.as_str()))
                .execute(conn)?;
            changed.push("role");
        }
        if let Some(p) = &self.permissions {
            diesel::update(target())
                .set(users::permissions.eq(p))
                .execute(conn)?;
            changed.push("permissions");
        }
        if let Some(groups) = &self.group_ids {
            let limit = group_limit(conn, scope, Some(groups))?;
            diesel::update(target())
                .set(users::scope_groups.eq(limit))
                .execute(conn)?;
            changed.push("group_ids");
        }
        if let Some(hash) = hash {
            diesel::update(target())
                .set(users::password_hash.eq(hash))
                .execute(conn)?;
            changed.push("password");
            sign_out = Some("password_reset_by_admin");
        }
        if let Some(status) = &self.status
            && *status != before.status
        {
            diesel::update(target())
                .set(users::status.eq(status))
                .execute(conn)?;
            changed.push("status");
            if status == "disabled" {
                sign_out = Some("account_disabled");
            }
        }
        diesel::update(target())
            .set(users::updated_at.eq(Timestamp::now()))
            .execute(conn)?;
        let revoked = match sign_out {
            Some(reason) => sessions::revoke_all(conn, PrincipalKind::User, id, reason)?,
            None => 0,
        };
        Ok((changed, revoked))
    }
}

#[utoipa::path(
    delete,
    path = "/api/org/users/{id}",
    operation_id = "delete_org_user",
    tag = "orgs",
    security(("session_cookie" = [])),
    params(("id" = String, Path, description = "The user id.")),
    responses(
        (status = 204, description = "Deleted and signed out everywhere."),
        (status = 403, description = "Needs `users:write`; the owner and one's own account cannot be deleted.", body = shared::ErrorBody),
        (status = 404, description = "No such user in this organisation.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn delete_org_user(
    req: HttpRequest,
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<uuid::Uuid>,
) -> Result<HttpResponse, ApiError> {
    scope.require(Module::Users, Level::Write)?;
    let id = DbUuid(path.into_inner());
    if scope.user_id() == Some(id) {
        return Err(ApiError::Forbidden);
    }
    let client = ClientInfo::of(&req);
    state
        .transaction(move |conn, st| {
            let before = find(conn, &scope, id)?;
            require_manageable(&scope, &before)?;
            sessions::delete_all(conn, PrincipalKind::User, id)?;
            diesel::delete(scoped!(users, scope).filter(users::id.eq(id))).execute(conn)?;
            client.log_change(
                conn,
                &st.cipher,
                &scope,
                "org_user.delete",
                Some(("user", id.to_string())),
                serde_json::json!({}),
            )?;
            Ok::<_, ApiError>(())
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
