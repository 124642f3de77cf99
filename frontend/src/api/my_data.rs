//! A person's own data (privacy statement 5.1 and 5.3), in the console or the portal: what is
//! held about them, their exports (a ZIP prepared in the background, downloaded once), their
//! name corrected, and a candidate's own email or mobile number changed with a code.

use shared::Lang;
use shared::accounts::SendCodeResponse;
use shared::my_data::{
    CandidateContactCode, CandidateContactUpdate, DataExport, MyData, MyProfile, ProfileUpdate,
};

use super::transport::{Area, Client, Method};
use super::{ConsentArea, Error};

const CONSOLE_DATA: &str = "/api/me/data";
const CONSOLE_EXPORTS: &str = "/api/me/data/exports";
const CONSOLE_PROFILE: &str = "/api/account/profile";
const PORTAL_DATA: &str = "/api/candidate/me/data";
const PORTAL_EXPORTS: &str = "/api/candidate/me/data/exports";
const PORTAL_PROFILE: &str = "/api/candidate/me/profile";
const PORTAL_CONTACT_CODE: &str = "/api/candidate/me/contact/code";
const PORTAL_CONTACT: &str = "/api/candidate/me/contact";

/// The "my data" calls of the signed-in person of one area: the console's user or the
/// portal's candidate.
#[derive(Debug, Clone, Copy)]
pub struct MyDataApi {
    client: Client,
    area: ConsentArea,
}

impl MyDataApi {
    pub fn new(lang: Lang, area: ConsentArea) -> Self {
        let client_area = match area {
            ConsentArea::Console => Area::Console,
            ConsentArea::Portal => Area::Portal,
        };
        MyDataApi {
            client: Client::new(lang, client_area),
            area,
        }
    }

    fn pick(&self, console: &'static str, portal: &'static str) -> &'static str {
        match self.area {
            ConsentArea::Console => console,
            ConsentArea::Portal => portal,
        }
    }

    /// `GET /api/me/data` or `/api/candidate/me/data`: everything held about the person.
    pub async fn get(&self) -> Result<MyData, Error> {
        self.client.get(self.pick(CONSOLE_DATA, PORTAL_DATA)).await
    }

    /// `POST …/me/data/exports`: asks for an export (202, `pending`); 409 `conflict` while one
    /// is pending, 429 `rate_limited` after five a day.
    pub async fn request_export(&self) -> Result<DataExport, Error> {
        self.client
            .send_bodiless(Method::Post, self.pick(CONSOLE_EXPORTS, PORTAL_EXPORTS))
            .await
    }

    /// `PUT /api/account/profile` or `/api/candidate/me/profile`: corrects the person's name.
    pub async fn update_profile(&self, update: &ProfileUpdate) -> Result<MyProfile, Error> {
        self.client
            .send_json(
                Method::Put,
                self.pick(CONSOLE_PROFILE, PORTAL_PROFILE),
                update,
            )
            .await
    }
}

/// A candidate changing their own email address or mobile number (the console's users do it on
/// the security page, with their password).
#[derive(Debug, Clone, Copy)]
pub struct CandidateContactApi {
    client: Client,
}

impl CandidateContactApi {
    pub fn new(lang: Lang) -> Self {
        CandidateContactApi {
            client: Client::new(lang, Area::Portal),
        }
    }

    /// `POST /api/candidate/me/contact/code`: a code to the address to use from now on.
    pub async fn send_code(&self, destination: String) -> Result<SendCodeResponse, Error> {
        let request = CandidateContactCode { destination };
        self.client
            .send_json(Method::Post, PORTAL_CONTACT_CODE, &request)
            .await
    }

    /// `PUT /api/candidate/me/contact`: uses the address, proven by the code sent to it; 409
    /// `conflict` when another candidate of the organisation has it.
    pub async fn change(&self, update: &CandidateContactUpdate) -> Result<MyProfile, Error> {
        self.client
            .send_json(Method::Put, PORTAL_CONTACT, update)
            .await
    }
}
