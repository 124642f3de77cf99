//! The console's dashboard (`GET /api/dashboard`): one call for every section the signed-in
//! user may see.

use shared::Lang;
use shared::dashboard::Dashboard;

use super::Error;
use super::transport::{Area, Client};

/// The dashboard's call.
#[derive(Debug, Clone, Copy)]
pub struct DashboardApi {
    client: Client,
}

impl DashboardApi {
    pub fn new(lang: Lang) -> Self {
        DashboardApi {
            client: Client::new(lang, Area::Console),
        }
    }

    /// `GET /api/dashboard`.
    pub async fn get(&self) -> Result<Dashboard, Error> {
        self.client.get("/api/dashboard").await
    }
}
