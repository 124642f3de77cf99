//! `GET /api/org` and `PATCH /api/org`.

use actix_web::{HttpRequest, web};
use diesel::prelude::*;
use shared::accounts::{OrgSettings, UpdateOrgRequest};

use super::assets::logo_url;
use crate::crypto::{Aad, IndexKind};
use crate::db::DbConnection;
use crate::db::schema::{orgs, users};
use crate::db::types::Timestamp;
use crate::domain::{LoginAccount, OrgName};
use crate::errors::ApiError;
use crate::http::{ClientInfo, Fields};
use crate::scoped;
use crate::state::AppState;
use crate::tenancy::OrgScope;
use shared::access::{Level, Module};

#[utoipa::path(
    get,
    path = "/api/org",
    operation_id = "get_org",
    tag = "orgs",
    security(("session_cookie" = []), ("api_key" = ["org:read"])),
    responses(
        (status = 200, description = "The organisation's account information.", body = OrgSettings),
        (status = 401, description = "Not signed in.", body = shared::ErrorBody),
        (status = 403, description = "Needs `org:read`.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn get_org(
    scope: OrgScope,
    state: web::Data<AppState>,
) -> Result<web::Json<OrgSettings>, ApiError> {
    scope.require(Module::Org, Level::Read)?;
    let st = state.clone();
    let org = state.db.run(move |conn| load(conn, &st, &scope)).await?;
    Ok(web::Json(org))
}

fn load(
    conn: &mut DbConnection,
    state: &AppState,
    scope: &OrgScope,
) -> Result<OrgSettings, ApiError> {
    let (id, name, slug, app_name, logo): (
        crate::db::types::DbUuid,
        String,
        String,
        Option<String>,
        Option<String>,
    ) = orgs::table
        .find(scope.org_id())
        .select((
            orgs::id,
            orgs::name,
            orgs::slug,
            orgs::candidate_app_name,
            orgs::logo_path,
        ))
        .first(conn)?;
    // The signing-in account of the person calling (an API key has none).
    let account_enc: Option<Vec<u8>> = match scope.user_id() {
        Some(user_id) => scoped!(users, scope)
            .find(user_id)
            .select(users::login_account_enc)
            .first(conn)?,
        None => None,
    };
    let row_id = scope.user_id().map(|u| u.to_string()).unwrap_or_default();
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
    security(("session_cookie" = []), ("api_key" = ["org:write"])),
    request_body = UpdateOrgRequest,
    responses(
        (status = 200, description = "Updated.", body = OrgSettings),
        (status = 403, description = "Needs `org:write`.", body = shared::ErrorBody),
        (status = 409, description = "The login account is taken.", body = shared::ErrorBody),
        (status = 422, description = "Invalid fields.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn update_org(
    req: HttpRequest,
    scope: OrgScope,
    state: web::Data<AppState>,
    body: web::Json<UpdateOrgRequest>,
) -> Result<web::Json<OrgSettings>, ApiError> {
    scope.require(Module::Org, Level::Write)?;
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
    // The login account is the calling person's own; an API key has none to change.
    let account = match (account, scope.user_id()) {
        (Some(_), None) => {
            fields.push("login_account", "not_allowed");
            None
        }
        (account, Some(user_id)) => account.map(|a| a.map(|a| (user_id, a))),
        (None, None) => None,
    };
    fields.finish()?;
    let client = ClientInfo::of(&req);
    let org = state
        .transaction(move |conn, st| {
            let now = Timestamp::now();
            let mut changed = Vec::new();
            if let Some(Some(name)) = &name {
                diesel::update(orgs::table.find(scope.org_id()))
                    .set((orgs::name.eq(name.as_str()), orgs::updated_at.eq(now)))
                    .execute(conn)?;
                changed.push("name");
            }
            if let Some(app_name) = &app_name {
                diesel::update(orgs::table.find(scope.org_id()))
                    .set((
                        orgs::candidate_app_name.eq(app_name.as_deref()),
                        orgs::updated_at.eq(now),
                    ))
                    .execute(conn)?;
                changed.push("candidate_app_name");
            }
            if let Some(Some((user_id, account))) = &account {
                let row_id = user_id.to_string();
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
                diesel::update(scoped!(users, scope).find(*user_id))
                    .set((
                        users::login_account_enc.eq(Some(enc)),
                        users::login_account_bidx.eq(Some(index)),
                        users::updated_at.eq(now),
                    ))
                    .execute(conn)?;
                changed.push("login_account");
            }
            client.log_change(
                conn,
                &st.cipher,
                &scope,
                "org.update",
                Some(("org", scope.org_id().to_string())),
                serde_json::json!({ "fields": changed }),
            )?;
            load(conn, st, &scope)
        })
        .await?;
    Ok(web::Json(org))
}
