//! What every `DELETE` of one of an organisation's things shares: the deletion and its audit
//! entry commit in one transaction.

use actix_web::HttpRequest;

use crate::db::DbConnection;
use crate::db::types::DbUuid;
use crate::errors::ApiError;
use crate::http::ClientInfo;
use crate::state::AppState;
use crate::tenancy::OrgScope;

/// Runs `delete` of the `kind` with `id` (the audit target; the action is `<kind>.delete`) in
/// one transaction with its audit entry, whose details `delete` returns with its own result.
/// The caller has checked the permission.
pub async fn audited_delete<T, F>(
    req: &HttpRequest,
    scope: OrgScope,
    state: &AppState,
    kind: &'static str,
    id: DbUuid,
    delete: F,
) -> Result<T, ApiError>
where
    F: FnOnce(&mut DbConnection, &OrgScope) -> Result<(T, serde_json::Value), ApiError>
        + Send
        + 'static,
    T: Send + 'static,
{
    let client = ClientInfo::of(req);
    state
        .transaction(move |conn, st| {
            let (done, details) = delete(conn, &scope)?;
            client.log_change(
                conn,
                &st.cipher,
                &scope,
                &format!("{kind}.delete"),
                Some((kind, id.to_string())),
                details,
            )?;
            Ok(done)
        })
        .await
}
