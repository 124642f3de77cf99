//! Certificate calls: the signed-in candidate's own certificates (portal session), the links
//! that download a certificate's PDF, and the public verification of a number (no session).

use shared::Lang;
use shared::certificates::{
    CertificateDto, CertificatePage, CertificateTemplateDto, CertificateTemplateInput,
    IssueCertificateInput, RevokeCertificateInput, TemplateImage, VerifiedCertificate,
};

use super::Error;
use super::transport::{Area, Body, Client, Method, decode, encode_segment};

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

/// The console's certificate calls (permission `exams`).
#[derive(Debug, Clone, Copy)]
pub struct CertificatesConsoleApi {
    client: Client,
}

const TEMPLATES: &str = "/api/certificate-templates";

impl CertificatesConsoleApi {
    pub fn new(lang: Lang) -> Self {
        CertificatesConsoleApi {
            client: Client::new(lang, Area::Console),
        }
    }

    /// `GET /api/certificate-templates`.
    pub async fn templates(&self) -> Result<Vec<CertificateTemplateDto>, Error> {
        self.client.get(TEMPLATES).await
    }

    /// `POST /api/certificate-templates`.
    pub async fn create_template(
        &self,
        input: &CertificateTemplateInput,
    ) -> Result<CertificateTemplateDto, Error> {
        self.client.send_json(Method::Post, TEMPLATES, input).await
    }

    /// `PUT /api/certificate-templates/{id}`.
    pub async fn update_template(
        &self,
        id: &str,
        input: &CertificateTemplateInput,
    ) -> Result<CertificateTemplateDto, Error> {
        let path = format!("{TEMPLATES}/{}", encode_segment(id));
        self.client.send_json(Method::Put, &path, input).await
    }

    /// `PUT /api/certificate-templates/{id}/images/{kind}` with the picked file as the body.
    pub async fn upload_image(
        &self,
        id: &str,
        kind: TemplateImage,
        file: &web_sys::Blob,
        content_type: &str,
    ) -> Result<CertificateTemplateDto, Error> {
        let body = Body::Blob {
            content_type: content_type.to_owned(),
            blob: file.clone(),
        };
        let answer = self
            .client
            .call(Method::Put, &template_image_path(id, kind), body)
            .await?;
        decode(&answer, &[])
    }

    /// `DELETE /api/certificate-templates/{id}/images/{kind}`.
    pub async fn delete_image(
        &self,
        id: &str,
        kind: TemplateImage,
    ) -> Result<CertificateTemplateDto, Error> {
        self.client
            .send_bodiless(Method::Delete, &template_image_path(id, kind))
            .await
    }

    /// `DELETE /api/certificate-templates/{id}`.
    pub async fn delete_template(&self, id: &str) -> Result<(), Error> {
        let path = format!("{TEMPLATES}/{}", encode_segment(id));
        self.client.send_empty(Method::Delete, &path).await
    }

    /// `GET /api/exams/{id}/certificates?offset=&limit=`.
    pub async fn exam_certificates(
        &self,
        exam_id: &str,
        offset: i64,
        limit: i64,
    ) -> Result<CertificatePage, Error> {
        let path = format!(
            "/api/exams/{}/certificates?offset={offset}&limit={limit}",
            encode_segment(exam_id)
        );
        self.client.get(&path).await
    }

    /// `POST /api/exams/{id}/attempts/{attempt_id}/certificate`.
    pub async fn issue(
        &self,
        exam_id: &str,
        attempt_id: &str,
        template_id: &str,
    ) -> Result<CertificateDto, Error> {
        let path = format!(
            "/api/exams/{}/attempts/{}/certificate",
            encode_segment(exam_id),
            encode_segment(attempt_id)
        );
        let body = IssueCertificateInput {
            template_id: template_id.to_owned(),
        };
        self.client.send_json(Method::Post, &path, &body).await
    }

    /// `POST /api/certificates/{id}/revoke`.
    pub async fn revoke(&self, id: &str, reason: &str) -> Result<CertificateDto, Error> {
        let path = format!("/api/certificates/{}/revoke", encode_segment(id));
        let body = RevokeCertificateInput {
            reason: reason.to_owned(),
        };
        self.client.send_json(Method::Post, &path, &body).await
    }
}

fn template_image_path(id: &str, kind: TemplateImage) -> String {
    format!(
        "{TEMPLATES}/{}/images/{}",
        encode_segment(id),
        kind.as_str()
    )
}

/// The link that opens a template's sample certificate (PDF) in a new tab.
pub fn template_preview_url(id: &str) -> String {
    format!("{TEMPLATES}/{}/preview", encode_segment(id))
}

/// The link that downloads a certificate from the console.
pub fn certificate_pdf_url(id: &str) -> String {
    format!("/api/certificates/{}/pdf", encode_segment(id))
}
