//! `GET /api/portal/{slug}` and `GET /api/portal/{slug}/logo`: what an organisation's candidate
//! portal shows before anyone signs in. Public by design: name and logo only.

use actix_web::{HttpResponse, web};
use diesel::prelude::*;
use shared::accounts::PortalBranding;

use super::assets::logo_url;
use crate::db::DbConnection;
use crate::db::schema::orgs;
use crate::db::types::DbUuid;
use crate::errors::ApiError;
use crate::state::AppState;

/// The active organisation with portal `slug`, and its branding.
pub(crate) fn find_portal(
    conn: &mut DbConnection,
    slug: &str,
) -> QueryResult<(DbUuid, PortalBranding)> {
    let (id, name, app_name, logo): (DbUuid, String, Option<String>, Option<String>) = orgs::table
        .filter(orgs::slug.eq(slug))
        .filter(orgs::status.eq("active"))
        .select((
            orgs::id,
            orgs::name,
            orgs::candidate_app_name,
            orgs::logo_path,
        ))
        .first(conn)?;
    Ok((
        id,
        PortalBranding {
            logo_url: logo_url(slug, logo.as_deref()),
            app_name: app_name.unwrap_or_else(|| name.clone()),
            org_name: name,
            slug: slug.to_owned(),
        },
    ))
}

/// The branding of an organisation's portal by the organisation's id.
pub(crate) fn branding_of(conn: &mut DbConnection, org: DbUuid) -> QueryResult<PortalBranding> {
    let slug: String = orgs::table.find(org).select(orgs::slug).first(conn)?;
    find_portal(conn, &slug).map(|(_, b)| b)
}

#[utoipa::path(
    get,
    path = "/api/portal/{slug}",
    operation_id = "get_portal",
    tag = "orgs",
    params(("slug" = String, Path, description = "The organisation's portal slug.")),
    responses(
        (status = 200, description = "The portal's name and logo.", body = PortalBranding),
        (status = 404, description = "No active organisation with this slug.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn get_portal(
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<web::Json<PortalBranding>, ApiError> {
    let slug = slug.into_inner();
    let (_, branding) = state
        .db
        .run(move |conn| find_portal(conn, &slug).map_err(ApiError::from))
        .await?;
    Ok(web::Json(branding))
}

#[utoipa::path(
    get,
    path = "/api/portal/{slug}/logo",
    operation_id = "get_portal_logo",
    tag = "orgs",
    params(("slug" = String, Path, description = "The organisation's portal slug.")),
    responses(
        (status = 200, description = "The logo image (PNG or JPEG).", content(("image/png"), ("image/jpeg"))),
        (status = 404, description = "No such organisation or no logo.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn get_portal_logo(
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let slug = slug.into_inner();
    let st = state.clone();
    let (key, bytes) = state
        .db
        .run(move |conn| {
            let key: Option<String> = orgs::table
                .filter(orgs::slug.eq(&slug))
                .filter(orgs::status.eq("active"))
                .select(orgs::logo_path)
                .first(conn)?;
            let key = key.ok_or(ApiError::NotFound)?;
            let bytes = st.storage.get(&key)?.ok_or(ApiError::NotFound)?;
            Ok::<_, ApiError>((key, bytes))
        })
        .await?;
    // The URL carries the file's unique name, so it can be cached for long.
    Ok(crate::http::stored_image(
        &key,
        bytes,
        "public, max-age=86400",
    ))
}
