//! From a stored certificate to its PDF: the template's placeholders filled in with what was
//! copied at issue, and the PDF as an HTTP response.

use actix_web::HttpResponse;
use actix_web::http::header;
use chrono::Duration;
use diesel::prelude::*;

use super::model::{self, Certificate};
use super::pdf::{self, Sheet};
use crate::crypto::FieldCipher;
use crate::db::DbConnection;
use crate::db::schema::orgs;
use crate::db::types::DbUuid;
use crate::errors::{ApiError, ModelError};
use crate::state::AppState;
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

/// Renders `cert` as a PDF.
pub fn render(
    conn: &mut DbConnection,
    cipher: &FieldCipher,
    public_base: &str,
    cert: &Certificate,
) -> Result<Vec<u8>, ModelError> {
    let template = model::template_of(conn, cert.org_id, cert.template_id)?;
    let org_name: String = orgs::table
        .filter(orgs::id.eq(cert.org_id))
        .select(orgs::name)
        .first(conn)?;
    let holder_name = cert.holder_name(cipher)?;
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
        org_name,
        title: fill(&template.title, &values),
        holder_name,
        body: fill(&template.body, &values),
        number: cert.number.clone(),
        issued_on: date,
        verify_url: verify_url(public_base, &cert.number),
        verify_caption: "扫码验证 · Scan to verify".to_owned(),
    };
    Ok(pdf::render(&sheet)?)
}

/// Certificate `id` as the scope sees it (the console's, or a candidate's own), rendered and
/// answered as a PDF download.
pub async fn download(
    state: &AppState,
    scope: OrgScope,
    id: DbUuid,
) -> Result<HttpResponse, ApiError> {
    let (number, bytes) = state
        .transaction(move |conn, st| {
            let cert = model::find(conn, &scope, id)?;
            let bytes = render(conn, &st.cipher, st.settings.server.public_base(), &cert)?;
            Ok::<_, ApiError>((cert.number, bytes))
        })
        .await?;
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
