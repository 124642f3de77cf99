//! Cancelling the organisation (privacy statement 5.3): where it stands (any signed-in user of
//! the organisation may read it), and the owner's steps: a code to their bound address, the
//! request confirmed by that code (starting the grace period), and the undo.

use shared::Lang;
use shared::accounts::SendCodeResponse;
use shared::privacy::{CancelOrgRequest, OrgCancellation};

use super::Error;
use super::transport::{Area, Client, Method};

const CANCELLATION: &str = "/api/org/cancellation";
const CANCELLATION_CODE: &str = "/api/org/cancellation/code";

/// The calls about the signed-in user's organisation's cancellation.
#[derive(Debug, Clone, Copy)]
pub struct CancellationApi {
    client: Client,
}

impl CancellationApi {
    pub fn new(lang: Lang) -> Self {
        CancellationApi {
            client: Client::new(lang, Area::Console),
        }
    }

    /// `GET /api/org/cancellation`: whether the cancellation is scheduled, and when it takes
    /// effect.
    pub async fn get(&self) -> Result<OrgCancellation, Error> {
        self.client.get(CANCELLATION).await
    }

    /// `POST /api/org/cancellation/code`: a code to the owner's bound address (202); 403 for
    /// anyone else; 409 `conflict` with `details.reason` `no_contact` or `already_scheduled`;
    /// 429 `rate_limited`.
    pub async fn send_code(&self) -> Result<SendCodeResponse, Error> {
        self.client
            .send_bodiless(Method::Post, CANCELLATION_CODE)
            .await
    }

    /// `POST /api/org/cancellation`: schedules the cancellation, confirmed by the code; 422
    /// (`code`: `invalid_code`) for a wrong or expired code, 409 `already_scheduled`.
    pub async fn cancel(&self, code: String) -> Result<OrgCancellation, Error> {
        self.client
            .send_json(Method::Post, CANCELLATION, &CancelOrgRequest { code })
            .await
    }

    /// `DELETE /api/org/cancellation`: undoes a scheduled cancellation; 409 `not_scheduled`.
    pub async fn undo(&self) -> Result<OrgCancellation, Error> {
        self.client
            .send_bodiless(Method::Delete, CANCELLATION)
            .await
    }
}
