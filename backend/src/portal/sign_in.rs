//! Every way into the portal ends here: the audited `portal.login` and a new portal session.

use actix_web::HttpResponse;
use shared::candidates::CandidateMe;

use super::session;
use crate::accounts::set_session_cookies;
use crate::audit::{self, Actor, Outcome};
use crate::auth::sessions::{self, PrincipalKind};
use crate::db::DbConnection;
use crate::db::types::DbUuid;
use crate::errors::ApiError;
use crate::http::ClientInfo;
use crate::privacy::consent::{self, Subject};
use crate::state::AppState;

/// The organisation whose portal has this slug (404 when there is none).
pub(crate) fn portal_of(conn: &mut DbConnection, slug: &str) -> Result<DbUuid, ApiError> {
    crate::orgs::find_portal(conn, slug)
        .map(|(id, _)| id)
        .map_err(ApiError::from)
}

/// A new portal session of a candidate, and who they are.
pub(crate) struct SignedIn {
    issued: sessions::Issued,
    pub me: CandidateMe,
}

impl SignedIn {
    /// The response: `body` (built from the candidate) with the portal session cookies set.
    pub(crate) fn respond<T: serde::Serialize>(
        self,
        mut res: actix_web::HttpResponseBuilder,
        state: &AppState,
        body: impl FnOnce(CandidateMe) -> T,
    ) -> Result<HttpResponse, ApiError> {
        set_session_cookies(&mut res, state, &self.issued)?;
        Ok(res.json(body(self.me)))
    }
}

/// Signs a candidate in to their portal: the `portal.login` audit entry (with `details`, e.g.
/// the method) and a new session, in the caller's transaction. Every way into the portal —
/// password, code, invite link, open link, access code — goes through here.
pub(crate) fn sign_in(
    conn: &mut DbConnection,
    cipher: &crate::crypto::FieldCipher,
    client: &ClientInfo,
    org: DbUuid,
    candidate: DbUuid,
    details: serde_json::Value,
    device: Option<shared::accounts::DeviceInfo>,
) -> Result<SignedIn, ApiError> {
    let mut entry = client.audit(
        Some(org),
        Actor::Candidate(candidate),
        "portal.login",
        Outcome::Success,
        details,
    );
    // Device details only while the candidate has not withdrawn that consent.
    let devices = consent::device_details_allowed(conn, Subject::Candidate { org, id: candidate })?;
    entry.device = device.filter(|_| devices);
    audit::append(conn, cipher, entry)?;
    let issued = sessions::create(
        conn,
        cipher,
        PrincipalKind::Candidate,
        candidate,
        client.user_agent.as_deref().filter(|_| devices),
    )?;
    let me = session::load_me(conn, cipher, org, candidate)?;
    Ok(SignedIn { issued, me })
}
