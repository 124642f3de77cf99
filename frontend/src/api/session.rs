//! The console's signed-in session: who is signed in, and signing out.

use shared::Lang;
use shared::accounts::MeResponse;

use super::Error;
use super::transport::{Area, Client, Method};

const ME: &str = "/api/auth/me";
const LOGOUT: &str = "/api/auth/logout";
const LOGOUT_ALL: &str = "/api/auth/logout-all";

/// The calls that act on the console's signed-in session. A 401 renews the session once and
/// retries once; if that fails too, the 401 stands and the caller treats the user as signed
/// out.
#[derive(Debug, Clone, Copy)]
pub struct AuthApi {
    pub(super) client: Client,
}

impl AuthApi {
    /// A client whose requests ask for messages in `lang`.
    pub fn new(lang: Lang) -> Self {
        AuthApi {
            client: Client::new(lang, Area::Console),
        }
    }

    /// `GET /api/auth/me`: the signed-in account, or `None` when nobody is signed in (which is
    /// an answer, not an error).
    pub async fn me(&self) -> Result<Option<MeResponse>, Error> {
        self.client.signed_in(ME).await
    }

    /// `POST /api/auth/logout`: end this session. A session that is already gone counts as
    /// signed out.
    pub async fn logout(&self) -> Result<(), Error> {
        self.client.sign_out(LOGOUT).await
    }

    /// `POST /api/auth/logout-all`: end every session of the account. Needs a live session, so
    /// a 401 here is an error: the user must sign in again first.
    pub async fn logout_all(&self) -> Result<(), Error> {
        self.client.send_empty(Method::Post, LOGOUT_ALL).await
    }
}
