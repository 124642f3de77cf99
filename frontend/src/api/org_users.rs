//! The console's calls on the organisation's own accounts (owner, admins, graders).

use shared::Lang;
use shared::access::OrgUserDto;

use super::Error;
use super::transport::{Area, Client};

/// Calls on the organisation's accounts for the signed-in console user.
#[derive(Debug, Clone, Copy)]
pub struct OrgUsersApi {
    client: Client,
}

impl OrgUsersApi {
    pub fn new(lang: Lang) -> Self {
        OrgUsersApi {
            client: Client::new(lang, Area::Console),
        }
    }

    /// `GET /api/org/users` (permission `users:read`).
    pub async fn list(&self) -> Result<Vec<OrgUserDto>, Error> {
        self.client.get("/api/org/users").await
    }
}
