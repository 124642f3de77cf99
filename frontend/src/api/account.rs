//! The signed-in calls about the account: the organisation's information and logo, the email
//! or mobile number, the password and the signed-in devices.

use shared::accounts::{
    BindCodeRequest, BindContactRequest, ChangePasswordRequest, MeResponse, OrgSettings,
    SendCodeResponse, SessionInfo, UpdateOrgRequest,
};

use super::transport::{Body, Method, decode};
use super::{AuthApi, Error};
use crate::routes::encode_path_segment;

const ORG: &str = "/api/org";
const ORG_LOGO: &str = "/api/org/logo";
const CONTACT_CODE: &str = "/api/account/contact/code";
const CONTACT: &str = "/api/account/contact";
const PASSWORD: &str = "/api/auth/password";
const SESSIONS: &str = "/api/auth/sessions";

impl AuthApi {
    /// `GET /api/org`: the organisation's account information.
    pub async fn get_org(&self) -> Result<OrgSettings, Error> {
        self.client.get(ORG).await
    }

    /// `PATCH /api/org`: change the fields that are set; owners and admins only.
    pub async fn update_org(&self, request: &UpdateOrgRequest) -> Result<OrgSettings, Error> {
        self.client.send_json(Method::Patch, ORG, request).await
    }

    /// `PUT /api/org/logo`: the file as it is, with its own content type (`image/png` or
    /// `image/jpeg`); the server checks the content too.
    pub async fn upload_logo(
        &self,
        file: &web_sys::Blob,
        content_type: &str,
    ) -> Result<OrgSettings, Error> {
        let body = Body::Blob {
            content_type: content_type.to_owned(),
            blob: file.clone(),
        };
        let answer = self.client.call(Method::Put, ORG_LOGO, body).await?;
        decode(&answer, &[])
    }

    /// `DELETE /api/org/logo`.
    pub async fn delete_logo(&self) -> Result<(), Error> {
        self.client.send_empty(Method::Delete, ORG_LOGO).await
    }

    /// `POST /api/account/contact/code`: a code to the email address or mobile number to bind.
    pub async fn send_bind_code(
        &self,
        request: &BindCodeRequest,
    ) -> Result<SendCodeResponse, Error> {
        self.client
            .send_json(Method::Post, CONTACT_CODE, request)
            .await
    }

    /// `PUT /api/account/contact`: bind or change the email address or mobile number.
    pub async fn bind_contact(&self, request: &BindContactRequest) -> Result<MeResponse, Error> {
        self.client.send_json(Method::Put, CONTACT, request).await
    }

    /// `POST /api/auth/password`: every other session of the account ends; this one goes on
    /// with new cookies.
    pub async fn change_password(&self, request: &ChangePasswordRequest) -> Result<(), Error> {
        self.client
            .send_json_empty(Method::Post, PASSWORD, request)
            .await
    }

    /// `GET /api/auth/sessions`: the signed-in devices, newest first.
    pub async fn list_sessions(&self) -> Result<Vec<SessionInfo>, Error> {
        self.client.get(SESSIONS).await
    }

    /// `DELETE /api/auth/sessions/{id}`: sign that device out.
    pub async fn revoke_session(&self, id: &str) -> Result<(), Error> {
        let path = format!("{SESSIONS}/{}", encode_path_segment(id));
        self.client.send_empty(Method::Delete, &path).await
    }
}
