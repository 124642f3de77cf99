//! Certificates for a whole exam at once: every candidate whose counted attempt is graded and
//! passed, and holds no valid certificate, gets one from the chosen template. The work is a
//! job ([`BULK`]) that issues [`BATCH`] certificates per transaction and queues itself again
//! for the rest, so an exam of 10,000 candidates never holds the write lock for long and
//! other requests go on between batches. Each certificate is audited like one issued by hand.

use actix_web::{HttpRequest, HttpResponse, web};
use anyhow::Context;
use diesel::prelude::*;
use shared::access::{Level, Module};
use shared::certificates::{BulkIssueAccepted, IssueCertificateInput};
use shared::results::GradingState;

use super::table;
use crate::audit::{Actor, AuditEntry, Outcome};
use crate::crypto::FieldCipher;
use crate::db::DbConnection;
use crate::db::schema::certificates;
use crate::db::types::{DbUuid, Timestamp};
use crate::errors::{ApiError, ModelError};
use crate::http::{ClientInfo, Fields};
use crate::scoped;
use crate::state::AppState;
use crate::tenancy::OrgScope;

/// The job kind.
pub const BULK: &str = "certificates_bulk";
/// Certificates issued per transaction.
const BATCH: usize = 50;

/// The counted attempts of `exam` that are graded and passed and hold no valid certificate.
fn waiting(
    conn: &mut DbConnection,
    scope: &OrgScope,
    exam: &crate::exams::model::ExamRow,
    now: Timestamp,
) -> Result<Vec<DbUuid>, ModelError> {
    let t = table::table(conn, scope, exam, &table::Filter::default(), now)?;
    let issued: std::collections::HashSet<DbUuid> = scoped!(certificates, scope)
        .filter(certificates::exam_id.eq(exam.id))
        .filter(certificates::revoked_at.is_null())
        .select(certificates::attempt_id)
        .load::<DbUuid>(conn)?
        .into_iter()
        .collect();
    Ok(t.rows
        .iter()
        .filter(|r| r.passed && r.grading == GradingState::Graded)
        .filter_map(|r| uuid::Uuid::parse_str(&r.attempt_id).ok().map(DbUuid))
        .filter(|a| !issued.contains(a))
        .collect())
}

fn payload(scope: &OrgScope, exam: DbUuid, template: DbUuid) -> serde_json::Value {
    serde_json::json!({
        "org_id": scope.org_id().to_string(),
        "exam_id": exam.to_string(),
        "template_id": template.to_string(),
        "issued_by": scope.user_id().map(|u| u.to_string()),
    })
}

#[utoipa::path(
    post,
    path = "/api/exams/{id}/certificates/bulk",
    operation_id = "issue_certificates_bulk",
    tag = "certificates",
    security(("session_cookie" = []), ("api_key" = ["exams:write"])),
    params(("id" = String, Path, description = "The exam id.")),
    request_body = IssueCertificateInput,
    responses(
        (status = 202, description = "Queued (audited `certificate.bulk`): a job issues a certificate from the template for every candidate whose counted attempt is graded and passed and holds no valid certificate, in batches; each certificate is audited `certificate.issue`. `queued` says how many.", body = BulkIssueAccepted),
        (status = 403, description = "Needs `exams:write`.", body = shared::ErrorBody),
        (status = 404, description = "No such exam or template in this organisation.", body = shared::ErrorBody),
        (status = 422, description = "`template_id`: `invalid_format`.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn issue_certificates_bulk(
    req: HttpRequest,
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<uuid::Uuid>,
    body: web::Json<IssueCertificateInput>,
) -> Result<HttpResponse, ApiError> {
    scope.require(Module::Exams, Level::Write)?;
    let exam_id = DbUuid(path.into_inner());
    let template = uuid::Uuid::parse_str(body.template_id.trim())
        .map(DbUuid)
        .map_err(|_| Fields::single("template_id", "invalid_format"))?;
    let client = ClientInfo::of(&req);
    let queued = state
        .transaction(move |conn, st| {
            let exam = crate::exams::model::find(conn, &scope, exam_id)?;
            crate::certificates::model::find_template(conn, &scope, template)?;
            let queued = waiting(conn, &scope, &exam, Timestamp::now())?.len();
            crate::jobs::enqueue(
                conn,
                BULK,
                Timestamp::now(),
                &payload(&scope, exam_id, template),
            )?;
            client.log_change(
                conn,
                &st.cipher,
                &scope,
                "certificate.bulk",
                Some(("exam", exam_id.to_string())),
                serde_json::json!({ "template_id": template.to_string(), "queued": queued }),
            )?;
            Ok::<_, ApiError>(queued)
        })
        .await?;
    Ok(HttpResponse::Accepted().json(BulkIssueAccepted {
        queued: u32::try_from(queued).unwrap_or(u32::MAX),
    }))
}

fn id_of(payload: &serde_json::Value, name: &str) -> anyhow::Result<DbUuid> {
    let s = payload[name].as_str().context("missing id")?;
    Ok(DbUuid(uuid::Uuid::parse_str(s)?))
}

/// The [`BULK`] job: issues one batch and, if more wait, queues itself again.
pub fn run_bulk(
    conn: &mut DbConnection,
    cipher: &FieldCipher,
    payload: &serde_json::Value,
    now: Timestamp,
) -> anyhow::Result<()> {
    let (org, exam_id) = (id_of(payload, "org_id")?, id_of(payload, "exam_id")?);
    let template = id_of(payload, "template_id")?;
    let issued_by = id_of(payload, "issued_by").ok();
    let scope = OrgScope::system(org);
    let result = crate::db::transaction(conn, |conn| {
        let exam = crate::exams::model::find(conn, &scope, exam_id)?;
        let waiting = waiting(conn, &scope, &exam, now)?;
        for attempt in waiting.iter().take(BATCH) {
            let cert = crate::certificates::issue_for_attempt(
                conn, cipher, &scope, *attempt, template, issued_by,
            )?;
            crate::audit::append(
                conn,
                cipher,
                AuditEntry {
                    org_id: Some(org),
                    actor: issued_by.map_or(Actor::System, Actor::User),
                    action: "certificate.issue",
                    target_kind: Some("certificate"),
                    target_id: Some(cert.id.to_string()),
                    outcome: Outcome::Success,
                    request_id: None,
                    details: serde_json::json!({ "number": cert.number,
                        "attempt_id": attempt.to_string(), "exam_id": exam_id.to_string(),
                        "template_id": template.to_string(), "bulk": true }),
                    ip: None,
                    user_agent: None,
                    device: None,
                },
            )?;
        }
        if waiting.len() > BATCH {
            crate::jobs::enqueue(conn, BULK, now, payload)?;
        }
        Ok::<_, ModelError>(waiting.len().min(BATCH))
    });
    match result {
        Ok(n) => {
            tracing::info!(exam = %exam_id, issued = n, "certificates issued");
            Ok(())
        }
        // The exam or the template is gone: nothing more to issue.
        Err(ModelError::NotFound) => Ok(()),
        Err(e) => Err(anyhow::anyhow!("issuing certificates: {e}")),
    }
}
