//! The policy documents (public) and a person's consents, in the console or the portal.

use shared::Lang;
use shared::policies::{ConsentUpdate, MyConsents, PoliciesResponse, PolicyVersionSummary};

use super::Error;
use super::transport::{Area, Client, Method};

/// Whose consents (and whose data, see `my_data.rs`): the console's user or the portal's
/// candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsentArea {
    Console,
    Portal,
}

impl ConsentArea {
    fn path(self) -> &'static str {
        match self {
            ConsentArea::Console => "/api/me/consents",
            ConsentArea::Portal => "/api/candidate/me/consents",
        }
    }
}

/// The privacy calls.
#[derive(Debug, Clone, Copy)]
pub struct PrivacyApi {
    public: Client,
    signed_in: Client,
    area: ConsentArea,
}

impl PrivacyApi {
    pub fn new(lang: Lang, area: ConsentArea) -> Self {
        let client_area = match area {
            ConsentArea::Console => Area::Console,
            ConsentArea::Portal => Area::Portal,
        };
        PrivacyApi {
            public: Client::public(lang),
            signed_in: Client::new(lang, client_area),
            area,
        }
    }

    /// `GET /api/privacy/policies`: the current documents and the contact channels.
    pub async fn policies(&self) -> Result<PoliciesResponse, Error> {
        self.public.get("/api/privacy/policies").await
    }

    /// `GET /api/privacy/policies/{kind}/versions`.
    pub async fn versions(&self, kind: &str) -> Result<Vec<PolicyVersionSummary>, Error> {
        self.public
            .get(&format!("/api/privacy/policies/{kind}/versions"))
            .await
    }

    /// The signed-in person's consents; `None` when nobody is signed in here.
    pub async fn mine(&self) -> Result<Option<MyConsents>, Error> {
        self.signed_in.signed_in(self.area.path()).await
    }

    /// Records agreement and/or the device-details choice.
    pub async fn update(&self, update: &ConsentUpdate) -> Result<MyConsents, Error> {
        self.signed_in
            .send_json(Method::Post, self.area.path(), update)
            .await
    }
}
