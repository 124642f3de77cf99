//! `PUT /api/org/logo` and `DELETE /api/org/logo`: the candidate-side logo. PNG or JPEG only
//! (checked by content, not by name), at most 512 KiB and 2048×2048. SVG is rejected: it can
//! carry scripts, and a raster logo is all a portal header needs.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use diesel::prelude::*;

use super::assets::MAX_LOGO_BYTES;
use crate::db::schema::orgs;
use crate::db::types::Timestamp;
use crate::errors::{ApiError, FieldError};
use crate::http::ClientInfo;
use crate::state::AppState;
use crate::tenancy::OrgScope;
use shared::access::{Level, Module};

const MAX_SIDE: u32 = 2048;

/// The file extension of the bytes, if they are a PNG or JPEG the server accepts (the same
/// sniffing as certificate images).
fn sniff(bytes: &[u8]) -> Result<&'static str, &'static str> {
    match crate::certificates::raster::sniff(bytes, MAX_SIDE)? {
        image::ImageFormat::Png => Ok("png"),
        _ => Ok("jpg"),
    }
}

#[utoipa::path(
    put,
    path = "/api/org/logo",
    operation_id = "upload_logo",
    tag = "orgs",
    security(("session_cookie" = []), ("api_key" = ["org:write"])),
    request_body(description = "A PNG or JPEG image as the raw body, with `Content-Type` `image/png` or `image/jpeg`; at most 512 KiB and 2048×2048.", content(("image/png"), ("image/jpeg"))),
    responses(
        (status = 200, description = "Stored; the body is the updated account information.", body = shared::accounts::OrgSettings),
        (status = 403, description = "Needs `org:write`.", body = shared::ErrorBody),
        (status = 413, description = "`payload_too_large`: larger than 512 KiB.", body = shared::ErrorBody),
        (status = 415, description = "`unsupported_media_type`: `Content-Type` is not `image/png` or `image/jpeg` (SVG is not accepted).", body = shared::ErrorBody),
        (status = 422, description = "`validation_failed` on field `logo`: `unsupported_image_type` (the bytes are not a PNG or JPEG), `unreadable_image`, or `image_too_large` (larger than 2048×2048).", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn upload_logo(
    req: HttpRequest,
    scope: OrgScope,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    scope.require(Module::Org, Level::Write)?;
    let declared = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if !matches!(declared, "image/png" | "image/jpeg") {
        return Err(ApiError::UnsupportedMediaType);
    }
    if body.len() > MAX_LOGO_BYTES {
        return Err(ApiError::PayloadTooLarge {
            limit: MAX_LOGO_BYTES,
        });
    }
    let ext = sniff(&body).map_err(|reason| ApiError::Validation {
        fields: vec![FieldError {
            field: "logo".to_owned(),
            reason: reason.to_owned(),
        }],
    })?;
    let key = format!(
        "orgs/{}/logo-{}.{ext}",
        scope.org_id(),
        uuid::Uuid::now_v7().simple()
    );
    let answer_scope = scope.clone();
    let client = ClientInfo::of(&req);
    let st = state.clone();
    let old = state
        .db
        .run(move |conn| {
            st.storage.put(&key, &body)?;
            crate::db::transaction(conn, |conn| {
                let old: Option<String> = orgs::table
                    .find(scope.org_id())
                    .select(orgs::logo_path)
                    .first(conn)?;
                diesel::update(orgs::table.find(scope.org_id()))
                    .set((
                        orgs::logo_path.eq(Some(&key)),
                        orgs::updated_at.eq(Timestamp::now()),
                    ))
                    .execute(conn)?;
                client.log_change(
                    conn,
                    &st.cipher,
                    &scope,
                    "org.logo_upload",
                    Some(("org", scope.org_id().to_string())),
                    serde_json::json!({ "bytes": body.len(), "type": ext }),
                )?;
                Ok::<_, ApiError>(old)
            })
        })
        .await?;
    crate::storage::delete_replaced(state.storage.clone(), old).await;
    let org = super::settings::get_org(answer_scope, state).await?;
    Ok(HttpResponse::Ok().json(org.into_inner()))
}

#[utoipa::path(
    delete,
    path = "/api/org/logo",
    operation_id = "delete_logo",
    tag = "orgs",
    security(("session_cookie" = []), ("api_key" = ["org:write"])),
    responses(
        (status = 204, description = "The logo is removed."),
        (status = 403, description = "Needs `org:write`.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn delete_logo(
    req: HttpRequest,
    scope: OrgScope,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    scope.require(Module::Org, Level::Write)?;
    let client = ClientInfo::of(&req);
    let old = state
        .transaction(move |conn, st| {
            let old: Option<String> = orgs::table
                .find(scope.org_id())
                .select(orgs::logo_path)
                .first(conn)?;
            diesel::update(orgs::table.find(scope.org_id()))
                .set((
                    orgs::logo_path.eq(None::<String>),
                    orgs::updated_at.eq(Timestamp::now()),
                ))
                .execute(conn)?;
            client.log_change(
                conn,
                &st.cipher,
                &scope,
                "org.logo_delete",
                None,
                serde_json::json!({}),
            )?;
            Ok::<_, ApiError>(old)
        })
        .await?;
    crate::storage::delete_replaced(state.storage.clone(), old).await;
    Ok(HttpResponse::NoContent().finish())
}

#[cfg(test)]
mod tests {
    use super::sniff;

    #[test]
    fn only_real_pngs_and_jpegs_pass() {
        // A 1x1 PNG.
        let png: &[u8] = &[
            0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52,
            0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1F, 0x15, 0xC4, 0x89,
        ];
        assert_eq!(sniff(png), Ok("png"));
        assert_eq!(
            sniff(b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"),
            Err("unsupported_image_type")
        );
        assert_eq!(sniff(b"GIF89a...."), Err("unsupported_image_type"));
        assert_eq!(sniff(b""), Err("unsupported_image_type"));
    }
}
