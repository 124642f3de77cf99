//! `GET /api/org` and `PATCH /api/org`.

use actix_web::{HttpRequest, web};
use diesel::prelude::*;
use shared::accounts::{OrgSettings, UpdateOrgRequest};

use super::{logo_url, require_admin};
use crate::accounts::{ClientInfo, Fields};
use crate::audit::{self, Actor, Outcome};
use crate::auth::AuthUser;
use crate::crypto::{Aad, IndexKind};
use crate::db::DbConnection;
use crate::db::schema::{orgs, users};
use crate::db::types::Timestamp;
use crate::domain::{LoginAccount, OrgName};
use crate::errors::ApiError;
use crate::state::AppState;

#[utoipa::path(
    get,
    path = "/api/org",
    operation_id = "get_org",
    tag = "orgs",
    security(("session_cookie" = [])),
    responses(
        (status = 200, description = "The organisation's account information.", body = OrgSettings),
        (status = 401, description = "Not signed in.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn get_org(
    user: AuthUser,
    state: web::Data<AppState>,
) -> Result<web::Json<OrgSettings>, ApiError> {
    let st = state.clone();
    let org = state.db.run(move |conn| load(conn, &st, &user)).await?;
    Ok(web::Json(org))
}

fn load(
    conn: &mut DbConnection,
    state: &AppState,
    user: &AuthUser,
) -> Result<OrgSettings, ApiError> {
    let (id, name, slug, app_name, logo): (
        crate::db::types::DbUuid,
        String,
        String,
        Option<String>,
        Option<String>,
    ) = orgs::table
        .find(user.org_id)
        .select((
            orgs::id,
            orgs::name,
            orgs::slug,
            orgs::candidate_app_name,
            orgs::logo_path,
        ))
        .first(conn)?;
    let account_enc: Option<Vec<u8>> = users::table
        .find(user.user_id)
        .filter(users::org_id.eq(user.org_id))
        .select(users::login_account_enc)
        .first(conn)?;
    let row_id = user.user_id.to_string();
    let login_account = account_enc
        .map(|ct| {
            state.cipher.decrypt(
                &ct,
                Aad {
                    table: "users",
                    column: "login_account_enc",
                    row_id: &row_id,
                },
            )
        })
        .transpose()
        .map_err(anyhow::Error::from)?;
    Ok(OrgSettings {
        id: id.to_string(),
        logo_url: logo_url(&slug, logo.as_deref()),
        name,
        slug,
        candidate_app_name: app_name,
        login_account,
    })
}

#[utoipa::path(
    patch,
    path = "/api/org",
    operation_id = "update_org",
    tag = "orgs",
    security(("session_cookie" = [])),
    request_body = UpdateOrgRequest,
    responses(
        (status = 200, description = "Updated.", body = OrgSettings),
        (status = 403, description = "Only the owner and admins may change these.", body = shared::ErrorBody),
        (status = 409, description = "The login account is taken.", body = shared::ErrorBody),
        (status = 422, description = "Invalid fields.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn update_org(
    req: HttpRequest,
    user: AuthUser,
    state: web::Data<AppState>,
    body: web::Json<UpdateOrgRequest>,
) -> Result<web::Json<OrgSettings>, ApiError> {
    require_admin(&user)?;
    let body = body.into_inner();
    let mut fields = Fields::default();
    let name = body
        .name
        .as_deref()
        .map(|n| fields.check("name", OrgName::parse(n)));
    let app_name = match body.candidate_app_name.as_deref().map(str::trim) {
        None => None,
        Some("") => Some(None),
        Some(n) if n.chars().count() > 40 => {
            fields.push("candidate_app_name", "too_long");
            None
        }
        Some(n) if n.chars().any(char::is_control) => {
            fields.push("candidate_app_name", "invalid_format");
            None
        }
        Some(n) => Some(Some(n.to_owned())),
    };
    let account = body
        .login_account
        .as_deref()
        .map(|a| fields.check("login_account", LoginAccount::parse(a)));
    fields.finish()?;
    let client = ClientInfo::of(&req);
    let st = state.clone();
    let org = state
        .db
        .run(move |conn| {
            crate::db::transaction(conn, |conn| {
                let now = Timestamp::now();
                let mut changed = Vec::new();
                if let Some(Some(name)) = &name {
                    diesel::update(orgs::table.find(user.org_id))
                        .set((orgs::name.eq(name.as_str()), orgs::updated_at.eq(now)))
                        .execute(conn)?;
                    changed.push("name");
                }
                if let Some(app_name) = &app_name {
                    diesel::update(orgs::table.find(user.org_id))
                        .set((
                            orgs::candidate_app_name.eq(app_name.as_deref()),
                            orgs::updated_at.eq(now),
                        ))
                        .execute(conn)?;
                    changed.push("candidate_app_name");
                }
                if let Some(Some(account)) = &account {
                    let row_id = user.user_id.to_string();
                    let enc = st.cipher.encrypt(
                        account.as_str(),
                        Aad {
                            table: "users",
                            column: "login_account_enc",
                            row_id: &row_id,
                        },
                    )?;
                    let index = st.bidx.compute(IndexKind::LoginAccount, account.as_str());
                    // The unique index answers a taken account with 409.
                    diesel::update(
                        users::table
                            .find(user.user_id)
                            .filter(users::org_id.eq(user.org_id)),
                    )
                    .set((
                        users::login_account_enc.eq(Some(enc)),
                        users::login_account_bidx.eq(Some(index)),
                        users::updated_at.eq(now),
                    ))
                    .execute(conn)?;
                    changed.push("login_account");
                }
                let mut entry = client.audit(
                    Some(user.org_id),
                    Actor::User(user.user_id),
                    "org.update",
                    Outcome::Success,
                    serde_json::json!({ "fields": changed }),
                );
                entry.target_kind = Some("org");
                entry.target_id = Some(user.org_id.to_string());
                audit::append(conn, &st.cipher, entry)?;
                load(conn, &st, &user)
            })
        })
        .await?;
    Ok(web::Json(org))
}
