//! An organisation user correcting their own name (`PUT /api/account/profile`; privacy
//! statement 5.1). Contacts change through `bind_contact.rs` (a code to the new address).

use actix_web::{HttpRequest, web};
use diesel::prelude::*;
use shared::my_data::{MyProfile, ProfileUpdate};

use crate::audit::{self, Actor, Outcome};
use crate::auth::AuthUser;
use crate::crypto::Aad;
use crate::db::schema::users;
use crate::db::types::Timestamp;
use crate::domain::PersonName;
use crate::errors::ApiError;
use crate::http::{ClientInfo, Fields};
use crate::privacy::consent::Subject;
use crate::privacy::my_data::collect;
use crate::state::AppState;

#[utoipa::path(
    put,
    path = "/api/account/profile",
    operation_id = "update_my_profile",
    tag = "accounts",
    security(("session_cookie" = [])),
    request_body = ProfileUpdate,
    responses(
        (status = 200, description = "The name is corrected (audited `org_user.update`); the profile as it is now.", body = MyProfile),
        (status = 401, description = "Not signed in.", body = shared::ErrorBody),
        (status = 422, description = "`name` empty (`required`), longer than 50 characters (`too_long`) or with control characters (`invalid_format`).", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn update_my_profile(
    req: HttpRequest,
    user: AuthUser,
    state: web::Data<AppState>,
    body: web::Json<ProfileUpdate>,
) -> Result<web::Json<MyProfile>, ApiError> {
    let mut fields = Fields::default();
    let name = fields.check("name", PersonName::parse(&body.name));
    fields.finish()?;
    let Some(name) = name else {
        return Err(ApiError::Internal(anyhow::anyhow!(
            "a checked name is missing"
        )));
    };
    let client = ClientInfo::of(&req);
    let profile = state
        .transaction(move |conn, st| {
            let row = user.user_id.to_string();
            let enc = st.cipher.encrypt(
                name.as_str(),
                Aad {
                    table: "users",
                    column: "display_name_enc",
                    row_id: &row,
                },
            )?;
            diesel::update(
                users::table
                    .find(user.user_id)
                    .filter(users::org_id.eq(user.org_id)),
            )
            .set((
                users::display_name_enc.eq(Some(enc)),
                users::updated_at.eq(Timestamp::now()),
            ))
            .execute(conn)?;
            let mut entry = client.audit(
                Some(user.org_id),
                Actor::User(user.user_id),
                "org_user.update",
                Outcome::Success,
                serde_json::json!({ "fields": ["display_name"], "by": "self" }),
            );
            entry.target_kind = Some("user");
            entry.target_id = Some(row);
            audit::append(conn, &st.cipher, entry)?;
            let who = Subject::User {
                org: user.org_id,
                id: user.user_id,
            };
            collect::profile(conn, &st.cipher, who)?.ok_or(ApiError::Unauthorized)
        })
        .await?;
    Ok(web::Json(profile))
}
