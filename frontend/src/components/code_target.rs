//! Where a one-time code is requested: the console's code endpoint (for a purpose), a
//! candidate portal's, or a signed-in person's new address. The send button and its cooldown
//! are the same for all.

use shared::Lang;
use shared::accounts::{BindCodeRequest, CodePurpose, SendCodeRequest, SendCodeResponse};

use crate::api::{self, AuthApi, CandidateContactApi, PortalApi, PublicApi};
use crate::auth::Auth;

#[derive(Clone)]
pub enum CodeTarget {
    /// `POST /api/auth/codes` with this purpose.
    Console(CodePurpose),
    /// `POST /api/portal/{slug}/codes`: a sign-in code for a candidate of that portal.
    Portal { slug: String },
    /// `POST /api/account/contact/code`: a code to bind a new address to the signed-in
    /// account (an expired session signs the SPA out).
    Bind(Auth),
    /// `POST /api/candidate/me/contact/code`: a code to the address a signed-in candidate wants
    /// to use from now on.
    CandidateContact,
}

impl From<CodePurpose> for CodeTarget {
    fn from(purpose: CodePurpose) -> Self {
        CodeTarget::Console(purpose)
    }
}

impl CodeTarget {
    /// Asks for a code to `destination`.
    pub async fn send(
        self,
        lang: Lang,
        destination: String,
    ) -> Result<SendCodeResponse, api::Error> {
        match self {
            CodeTarget::Console(purpose) => {
                let request = SendCodeRequest {
                    purpose,
                    destination,
                };
                PublicApi::new(lang).send_code(&request).await
            }
            CodeTarget::Portal { slug } => {
                PortalApi::new(lang).send_code(&slug, &destination).await
            }
            CodeTarget::Bind(auth) => {
                let request = BindCodeRequest { destination };
                auth.checked(AuthApi::new(lang).send_bind_code(&request).await)
            }
            CodeTarget::CandidateContact => {
                CandidateContactApi::new(lang).send_code(destination).await
            }
        }
    }
}
