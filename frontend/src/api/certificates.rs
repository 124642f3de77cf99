//! Certificate calls: the signed-in candidate's own certificates (portal session), the links
//! that download a certificate's PDF, and the public verification of a number (no session).

use shared::Lang;
use shared::certificates::{CertificateDto, VerifiedCertificate};

use super::Error;
use super::transport::{Area, Client, encode_segment};

const MINE: &str = "/api/candidate/certificates";

/// The signed-in candidate's certificates.
#[derive(Debug, Clone, Copy)]
pub struct MyCertificatesApi {
    client: Client,
}

impl MyCertificatesApi {
    pub fn new(lang: Lang) -> Self {
        MyCertificatesApi {
            client: Client::new(lang, Area::Portal),
        }
    }

    /// `GET /api/candidate/certificates`.
    pub async fn list(&self) -> Result<Vec<CertificateDto>, Error> {
        self.client.get(MINE).await
    }
}

/// The link that downloads one of the signed-in candidate's certificates (the portal cookie
/// goes with it).
pub fn my_certificate_pdf_url(id: &str) -> String {
    format!("{MINE}/{}/pdf", encode_segment(id))
}

/// The public verification page's call.
#[derive(Debug, Clone, Copy)]
pub struct VerifyApi {
    client: Client,
}

impl VerifyApi {
    pub fn new(lang: Lang) -> Self {
        VerifyApi {
            client: Client::public(lang),
        }
    }

    /// `GET /api/verify/{number}` (404: no certificate has this number).
    pub async fn verify(&self, number: &str) -> Result<VerifiedCertificate, Error> {
        self.client
            .get(&format!("/api/verify/{}", encode_segment(number)))
            .await
    }
}
