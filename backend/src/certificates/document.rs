//! From a stored certificate to its PDF: the template's placeholders filled in with what was
//! copied at issue (name, exam, score, date, number: later edits of the candidate or the exam
//! change none of them), the template's current design and images, and the PDF as an HTTP
//! response. The database is read first; the images are read from storage and the page drawn
//! afterwards on the blocking pool, holding no connection.

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use chrono::Duration;
use diesel::prelude::*;

use shared::certificates::TemplateImage;

use super::model::{self, Certificate, TemplateRow};
use super::pdf::{self, Sheet};
use super::raster::{self, Raster};
use crate::crypto::FieldCipher;
use crate::db::DbConnection;
use crate::db::schema::orgs;
use crate::db::types::DbUuid;
use crate::errors::{ApiError, ModelError};
use crate::state::AppState;
use crate::storage::Storage;
use crate::tenancy::OrgScope;

/// Dates on certificates are in China Standard Time (UTC+8), where the product's
/// organisations are.
fn local_date(cert: &Certificate) -> String {
    (cert.issued_at.0 + Duration::hours(8))
        .format("%Y-%m-%d")
        .to_string()
}

/// The public verification URL of a certificate number.
pub fn verify_url(public_base: &str, number: &str) -> String {
    format!("{public_base}/verify/{number}")
}

/// `text` with every placeholder replaced.
pub fn fill(text: &str, values: &[(&str, String)]) -> String {
    values
        .iter()
        .fold(text.to_owned(), |acc, (key, value)| acc.replace(key, value))
}

fn format_number(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// What a certificate's PDF needs from the database.
#[derive(Debug, Clone)]
pub struct Printable {
    pub cert: Certificate,
    pub template: TemplateRow,
    pub org_name: String,
    pub holder_name: String,
}

/// Reads what `cert` prints: its template (whatever its status) and the organisation's name,
/// and decrypts the holder's name.
pub fn load(
    conn: &mut DbConnection,
    cipher: &FieldCipher,
    cert: Certificate,
) -> Result<Printable, ModelError> {
    let template = model::template_of(conn, cert.org_id, cert.template_id)?;
    let org_name: String = orgs::table
        .filter(orgs::id.eq(cert.org_id))
        .select(orgs::name)
        .first(conn)?;
    let holder_name = cert.holder_name(cipher)?;
    Ok(Printable {
        cert,
        template,
        org_name,
        holder_name,
    })
}

/// The template's image of `kind`, decoded; a file missing from storage or no longer
/// decodable is left off the page (logged), so the certificate still downloads.
fn template_image(
    storage: &dyn Storage,
    template: &TemplateRow,
    kind: TemplateImage,
) -> Option<Raster> {
    let key = template.image(kind)?;
    match storage.get(key) {
        Ok(Some(bytes)) => match raster::decode(&bytes, kind) {
            Ok(image) => Some(image),
            Err(reason) => {
                tracing::warn!(
                    kind = kind.as_str(),
                    reason,
                    "a certificate image no longer decodes"
                );
                None
            }
        },
        Ok(None) => {
            tracing::warn!(
                kind = kind.as_str(),
                "a certificate image is missing from storage"
            );
            None
        }
        Err(error) => {
            tracing::warn!(kind = kind.as_str(), %error, "reading a certificate image failed");
            None
        }
    }
}

/// Renders a certificate as a PDF. Blocking: reads images from storage.
pub fn render(
    storage: &dyn Storage,
    public_base: &str,
    printable: &Printable,
) -> anyhow::Result<Vec<u8>> {
    let Printable {
        cert,
        template,
        org_name,
        holder_name,
    } = printable;
    let date = local_date(cert);
    let values = [
        ("{name}", holder_name.clone()),
        ("{exam}", cert.exam_name.clone()),
        ("{score}", format_number(cert.score())),
        ("{percent}", format!("{}%", format_number(cert.percent()))),
        ("{date}", date.clone()),
        ("{number}", cert.number.clone()),
        ("{org}", org_name.clone()),
    ];
    let sheet = Sheet {
        orientation: template.orientation(),
        org_name: org_name.clone(),
        title: fill(&template.title, &values),
        holder_name: holder_name.clone(),
        body: fill(&template.body, &values),
        number: cert.number.clone(),
        issued_on: date,
        verify_url: verify_url(public_base, &cert.number),
        verify_caption: "扫码验证 · Scan to verify".to_owned(),
        signatory: fill(&template.signatory, &values),
        logo: template_image(storage, template, TemplateImage::Logo),
        signature: template_image(storage, template, TemplateImage::Signature),
        background: template_image(storage, template, TemplateImage::Background),
    };
    pdf::render(&sheet)
}

/// PDFs drawn at once on this node. Drawing decodes the template's images (a 4096×4096
/// background is 64 MiB of pixels while it is drawn), and candidates drive downloads, so they
/// wait their turn here instead of adding up in memory and CPU.
static RENDERS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

/// Renders on the blocking pool, at most [`RENDERS`] at a time.
pub async fn render_blocking(
    state: &web::Data<AppState>,
    printable: Printable,
) -> Result<Vec<u8>, ApiError> {
    let _turn = RENDERS
        .acquire()
        .await
        .map_err(|e| ApiError::Internal(anyhow::Error::new(e)))?;
    let st = state.clone();
    let bytes = tokio::task::spawn_blocking(move || {
        render(&*st.storage, st.settings.server.public_base(), &printable)
    })
    .await?
    .map_err(ApiError::Internal)?;
    Ok(bytes)
}

/// Certificate `id` as the scope sees it (the console's, or a candidate's own), rendered and
/// answered as a PDF download.
pub async fn download(
    state: &web::Data<AppState>,
    scope: OrgScope,
    id: DbUuid,
) -> Result<HttpResponse, ApiError> {
    let st = state.clone();
    let printable = state
        .db
        .run(move |conn| {
            let cert = model::find(conn, &scope, id)?;
            Ok::<_, ApiError>(load(conn, &st.cipher, cert)?)
        })
        .await?;
    let number = printable.cert.number.clone();
    let bytes = render_blocking(state, printable).await?;
    pdf_response(&number, bytes)
}

/// The PDF as a download named after the certificate number.
pub fn pdf_response(number: &str, bytes: Vec<u8>) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"certificate-{number}.pdf\""),
        ))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled_and_numbers_lose_trailing_zeros() {
        let values = [
            ("{name}", "张三".to_owned()),
            ("{score}", format_number(95.5)),
        ];
        assert_eq!(fill("{name} 得分 {score}", &values), "张三 得分 95.5");
        assert_eq!(format_number(90.0), "90");
        assert_eq!(format_number(87.25), "87.25");
    }
}
