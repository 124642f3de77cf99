//! Certificate templates and certificates in the database, and issuing one for an attempt.
//! No HTTP here: handlers turn [`ModelError`] into responses.

use diesel::prelude::*;
use shared::certificates::{
    CertificateDto, CertificateTemplateDto, CertificateTemplateInput, NameDisplay, Orientation,
    TemplateImage,
};
use shared::exams::AttemptStatus;

use super::number::CertificateNumber;
use crate::crypto::{Aad, FieldCipher};
use crate::db::DbConnection;
use crate::db::schema::{
    attempts, candidate_group_members, candidates, certificate_templates, certificates, exams,
};
use crate::db::types::{DbUuid, Timestamp};
use crate::errors::{FieldErrors, ModelError};
use crate::http::Fields;
use crate::scoped;
use crate::tenancy::OrgScope;

fn aad(row_id: &str) -> Aad<'_> {
    Aad {
        table: "certificates",
        column: "holder_name_enc",
        row_id,
    }
}

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = certificate_templates)]
pub struct TemplateRow {
    pub id: DbUuid,
    pub org_id: DbUuid,
    pub name: String,
    pub title: String,
    pub body: String,
    pub orientation: String,
    pub name_display: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub logo_path: Option<String>,
    pub signature_path: Option<String>,
    pub background_path: Option<String>,
    pub signatory: String,
}

impl TemplateRow {
    /// The storage key of the template's image of `kind`, if it has one.
    pub fn image(&self, kind: TemplateImage) -> Option<&str> {
        match kind {
            TemplateImage::Logo => self.logo_path.as_deref(),
            TemplateImage::Signature => self.signature_path.as_deref(),
            TemplateImage::Background => self.background_path.as_deref(),
        }
    }

    /// Where the console reads an image; the key's unique file name busts caches.
    fn image_url(&self, kind: TemplateImage) -> Option<String> {
        let key = self.image(kind)?;
        let version = key.rsplit('/').next().unwrap_or(key);
        Some(format!(
            "/api/certificate-templates/{}/images/{}?v={version}",
            self.id,
            kind.as_str()
        ))
    }

    pub fn orientation(&self) -> Orientation {
        Orientation::parse(&self.orientation).unwrap_or_default()
    }

    pub fn name_display(&self) -> NameDisplay {
        NameDisplay::parse(&self.name_display).unwrap_or_default()
    }

    pub fn dto(&self) -> CertificateTemplateDto {
        CertificateTemplateDto {
            id: self.id.to_string(),
            name: self.name.clone(),
            title: self.title.clone(),
            body: self.body.clone(),
            orientation: self.orientation(),
            name_display: self.name_display(),
            signatory: self.signatory.clone(),
            logo_url: self.image_url(TemplateImage::Logo),
            signature_url: self.image_url(TemplateImage::Signature),
            background_url: self.image_url(TemplateImage::Background),
            created_at: self.created_at.to_canonical_string(),
            updated_at: self.updated_at.to_canonical_string(),
        }
    }
}

/// A template's input, trimmed and checked.
pub fn check_template(
    input: CertificateTemplateInput,
) -> Result<CertificateTemplateInput, FieldErrors> {
    let mut fields = Fields::default();
    let trimmed = CertificateTemplateInput {
        name: input.name.trim().to_owned(),
        title: input.title.trim().to_owned(),
        body: input.body.trim().to_owned(),
        signatory: input.signatory.trim().to_owned(),
        ..input
    };
    for (field, value, max) in [
        ("name", &trimmed.name, 100),
        ("title", &trimmed.title, 100),
        ("body", &trimmed.body, 2000),
        ("signatory", &trimmed.signatory, 100),
    ] {
        let len = value.chars().count();
        if len == 0 && !matches!(field, "body" | "signatory") {
            fields.push(field, "required");
        } else if len > max {
            fields.push(field, "too_long");
        }
    }
    fields.finish()?;
    Ok(trimmed)
}

pub fn insert_template(
    conn: &mut DbConnection,
    scope: &OrgScope,
    id: DbUuid,
    t: &CertificateTemplateInput,
) -> QueryResult<()> {
    let now = Timestamp::now();
    diesel::insert_into(certificate_templates::table)
        .values((
            certificate_templates::id.eq(id),
            certificate_templates::org_id.eq(scope.org_id()),
            certificate_templates::name.eq(&t.name),
            certificate_templates::title.eq(&t.title),
            certificate_templates::body.eq(&t.body),
            certificate_templates::orientation.eq(t.orientation.as_str()),
            certificate_templates::name_display.eq(t.name_display.as_str()),
            certificate_templates::signatory.eq(&t.signatory),
            certificate_templates::status.eq("active"),
            certificate_templates::created_at.eq(now),
            certificate_templates::updated_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn update_template(
    conn: &mut DbConnection,
    scope: &OrgScope,
    id: DbUuid,
    t: &CertificateTemplateInput,
) -> Result<(), ModelError> {
    let n = diesel::update(
        scoped!(certificate_templates, scope)
            .filter(certificate_templates::id.eq(id))
            .filter(certificate_templates::status.eq("active")),
    )
    .set((
        certificate_templates::name.eq(&t.name),
        certificate_templates::title.eq(&t.title),
        certificate_templates::body.eq(&t.body),
        certificate_templates::orientation.eq(t.orientation.as_str()),
        certificate_templates::name_display.eq(t.name_display.as_str()),
        certificate_templates::signatory.eq(&t.signatory),
        certificate_templates::updated_at.eq(Timestamp::now()),
    ))
    .execute(conn)?;
    if n == 0 {
        return Err(ModelError::NotFound);
    }
    Ok(())
}

/// Sets (or with `None` removes) an active template's image of `kind`; returns the key it
/// replaced, for the caller to delete from storage after the commit.
pub fn set_template_image(
    conn: &mut DbConnection,
    scope: &OrgScope,
    id: DbUuid,
    kind: TemplateImage,
    key: Option<&str>,
) -> Result<Option<String>, ModelError> {
    let old = find_template(conn, scope, id)?
        .image(kind)
        .map(str::to_owned);
    let target = scoped!(certificate_templates, scope).filter(certificate_templates::id.eq(id));
    let now = certificate_templates::updated_at.eq(Timestamp::now());
    match kind {
        TemplateImage::Logo => diesel::update(target)
            .set((certificate_templates::logo_path.eq(key), now))
            .execute(conn)?,
        TemplateImage::Signature => diesel::update(target)
            .set((certificate_templates::signature_path.eq(key), now))
            .execute(conn)?,
        TemplateImage::Background => diesel::update(target)
            .set((certificate_templates::background_path.eq(key), now))
            .execute(conn)?,
    };
    Ok(old)
}

/// Marks a template deleted: issued certificates keep pointing at it (the verification page
/// still needs its name display), but it is no longer listed or used for new ones.
pub fn delete_template(
    conn: &mut DbConnection,
    scope: &OrgScope,
    id: DbUuid,
) -> Result<(), ModelError> {
    let n = diesel::update(
        scoped!(certificate_templates, scope)
            .filter(certificate_templates::id.eq(id))
            .filter(certificate_templates::status.eq("active")),
    )
    .set((
        certificate_templates::status.eq("deleted"),
        certificate_templates::updated_at.eq(Timestamp::now()),
    ))
    .execute(conn)?;
    if n == 0 {
        return Err(ModelError::NotFound);
    }
    Ok(())
}

pub fn list_templates(conn: &mut DbConnection, scope: &OrgScope) -> QueryResult<Vec<TemplateRow>> {
    scoped!(certificate_templates, scope)
        .filter(certificate_templates::status.eq("active"))
        .order((certificate_templates::name, certificate_templates::id))
        .select(TemplateRow::as_select())
        .load(conn)
}

/// An active template of the scope's organisation, or 404.
pub fn find_template(
    conn: &mut DbConnection,
    scope: &OrgScope,
    id: DbUuid,
) -> Result<TemplateRow, ModelError> {
    scoped!(certificate_templates, scope)
        .filter(certificate_templates::id.eq(id))
        .filter(certificate_templates::status.eq("active"))
        .select(TemplateRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(ModelError::NotFound)
}

/// A template by id whatever its status (an issued certificate's design).
pub fn template_of(conn: &mut DbConnection, org: DbUuid, id: DbUuid) -> QueryResult<TemplateRow> {
    certificate_templates::table
        .filter(certificate_templates::org_id.eq(org))
        .filter(certificate_templates::id.eq(id))
        .select(TemplateRow::as_select())
        .first(conn)
}

/// A stored certificate; the holder's name is still a ciphertext.
#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = certificates)]
pub struct Certificate {
    pub id: DbUuid,
    pub org_id: DbUuid,
    pub number: String,
    pub template_id: DbUuid,
    pub exam_id: DbUuid,
    pub attempt_id: DbUuid,
    pub candidate_id: DbUuid,
    pub holder_name_enc: Vec<u8>,
    pub exam_name: String,
    pub score_centi: i32,
    pub max_score_centi: i32,
    pub issued_at: Timestamp,
    pub issued_by: Option<DbUuid>,
    pub revoked_at: Option<Timestamp>,
    pub revoke_reason: Option<String>,
}

impl Certificate {
    pub fn holder_name(&self, cipher: &FieldCipher) -> Result<String, ModelError> {
        Ok(cipher.decrypt(&self.holder_name_enc, aad(&self.id.to_string()))?)
    }

    pub fn score(&self) -> f64 {
        f64::from(self.score_centi) / 100.0
    }

    pub fn max_score(&self) -> f64 {
        f64::from(self.max_score_centi) / 100.0
    }

    /// The percentage of the maximum, to one decimal.
    pub fn percent(&self) -> f64 {
        if self.max_score_centi <= 0 {
            return 0.0;
        }
        (f64::from(self.score_centi) * 1000.0 / f64::from(self.max_score_centi)).round() / 10.0
    }

    pub fn dto(&self, cipher: &FieldCipher) -> Result<CertificateDto, ModelError> {
        Ok(CertificateDto {
            id: self.id.to_string(),
            number: self.number.clone(),
            template_id: self.template_id.to_string(),
            exam_id: self.exam_id.to_string(),
            attempt_id: self.attempt_id.to_string(),
            candidate_id: self.candidate_id.to_string(),
            holder_name: self.holder_name(cipher)?,
            exam_name: self.exam_name.clone(),
            score: self.score(),
            max_score: self.max_score(),
            percent: self.percent(),
            issued_at: self.issued_at.to_canonical_string(),
            revoked_at: self.revoked_at.map(Timestamp::to_canonical_string),
            revoke_reason: self.revoke_reason.clone(),
        })
    }
}

/// The certificates the scope may see: its organisation's, of candidates it may see (a
/// candidate's own scope: only theirs).
fn visible(scope: &OrgScope) -> certificates::BoxedQuery<'static, crate::db::MultiBackend> {
    let q = scoped!(certificates, scope).into_boxed();
    if let Some(me) = scope.own_candidate() {
        return q.filter(certificates::candidate_id.eq(me));
    }
    match scope.group_scope() {
        None => q,
        Some(groups) => q.filter(
            certificates::candidate_id.eq_any(
                candidate_group_members::table
                    .filter(candidate_group_members::org_id.eq(scope.org_id()))
                    .filter(candidate_group_members::group_id.eq_any(groups.to_vec()))
                    .select(candidate_group_members::candidate_id),
            ),
        ),
    }
}

/// One visible certificate, or 404.
pub fn find(
    conn: &mut DbConnection,
    scope: &OrgScope,
    id: DbUuid,
) -> Result<Certificate, ModelError> {
    visible(scope)
        .filter(certificates::id.eq(id))
        .select(Certificate::as_select())
        .first(conn)
        .optional()?
        .ok_or(ModelError::NotFound)
}

/// Which of an exam's certificates a listing holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Validity {
    Any,
    Valid,
    Revoked,
}

/// One page of an exam's certificates (after checking the exam is the organisation's),
/// newest first, with the number of all that match.
pub fn list_for_exam(
    conn: &mut DbConnection,
    scope: &OrgScope,
    exam_id: DbUuid,
    validity: Validity,
    offset: i64,
    limit: i64,
) -> Result<(Vec<Certificate>, i64), ModelError> {
    let exists: i64 = scoped!(exams, scope)
        .filter(exams::id.eq(exam_id))
        .filter(exams::status.eq("active"))
        .count()
        .get_result(conn)?;
    if exists == 0 {
        return Err(ModelError::NotFound);
    }
    let matching = || {
        let q = visible(scope).filter(certificates::exam_id.eq(exam_id));
        match validity {
            Validity::Any => q,
            Validity::Valid => q.filter(certificates::revoked_at.is_null()),
            Validity::Revoked => q.filter(certificates::revoked_at.is_not_null()),
        }
    };
    let total: i64 = matching().count().get_result(conn)?;
    let rows = matching()
        .order((certificates::issued_at.desc(), certificates::id))
        .offset(offset)
        .limit(limit)
        .select(Certificate::as_select())
        .load(conn)?;
    Ok((rows, total))
}

/// The signed-in candidate's certificates (`scope` is their own), newest first.
pub fn list_own(conn: &mut DbConnection, scope: &OrgScope) -> Result<Vec<Certificate>, ModelError> {
    if scope.own_candidate().is_none() {
        return Err(ModelError::NotFound);
    }
    Ok(visible(scope)
        .order((certificates::issued_at.desc(), certificates::id))
        .select(Certificate::as_select())
        .load(conn)?)
}

/// The certificate with this number, in any organisation: the public verification lookup,
/// which knows no organisation. The number is the secret that grants this read.
pub fn find_by_number(
    conn: &mut DbConnection,
    number: &CertificateNumber,
) -> QueryResult<Option<Certificate>> {
    certificates::table
        .filter(certificates::number.eq(number.as_str()))
        .select(Certificate::as_select())
        .first(conn)
        .optional()
}

/// Revokes a valid certificate; 409 `already_revoked` if it is not.
pub fn revoke(
    conn: &mut DbConnection,
    scope: &OrgScope,
    id: DbUuid,
    reason: &str,
) -> Result<Certificate, ModelError> {
    let cert = find(conn, scope, id)?;
    if cert.revoked_at.is_some() {
        return Err(ModelError::Conflict("already_revoked"));
    }
    diesel::update(scoped!(certificates, scope).filter(certificates::id.eq(id)))
        .set((
            certificates::revoked_at.eq(Some(Timestamp::now())),
            certificates::revoke_reason.eq(Some(reason)),
        ))
        .execute(conn)?;
    find(conn, scope, id)
}

/// Whether `attempt_id` is an attempt of exam `exam_id` in the scope's organisation.
pub fn attempt_of_exam(
    conn: &mut DbConnection,
    scope: &OrgScope,
    exam_id: DbUuid,
    attempt_id: DbUuid,
) -> QueryResult<bool> {
    let n: i64 = scoped!(attempts, scope)
        .filter(attempts::id.eq(attempt_id))
        .filter(attempts::exam_id.eq(exam_id))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// Issues a certificate from template `template_id` for the graded attempt `attempt_id`:
/// copies the holder's name (encrypted), the exam's name and the score, and draws a fresh
/// number. Fails with 404 (`NotFound`) for an attempt, candidate or template outside the
/// scope, and with `Conflict("attempt_not_graded")` or `Conflict("certificate_exists")`
/// (the attempt already holds a valid certificate). `issued_by` is the user who issued it by
/// hand, `None` for automatic issue. The caller audits and commits.
pub fn issue_for_attempt(
    conn: &mut DbConnection,
    cipher: &FieldCipher,
    scope: &OrgScope,
    attempt_id: DbUuid,
    template_id: DbUuid,
    issued_by: Option<DbUuid>,
) -> Result<Certificate, ModelError> {
    let template = find_template(conn, scope, template_id)?;
    let (exam_id, candidate_id, status, score, max): (DbUuid, DbUuid, String, Option<i32>, i32) =
        scoped!(attempts, scope)
            .filter(attempts::id.eq(attempt_id))
            .select((
                attempts::exam_id,
                attempts::candidate_id,
                attempts::status,
                attempts::score_centi,
                attempts::max_score_centi,
            ))
            .first(conn)
            .optional()?
            .ok_or(ModelError::NotFound)?;
    let name_enc: Vec<u8> = crate::candidates::model::visible(scope)
        .filter(candidates::id.eq(candidate_id))
        .select(candidates::name_enc)
        .first(conn)
        .optional()?
        .ok_or(ModelError::NotFound)?;
    let score = match (AttemptStatus::parse(&status), score) {
        (Some(AttemptStatus::Graded), Some(score)) => score,
        _ => return Err(ModelError::Conflict("attempt_not_graded")),
    };
    let held: i64 = scoped!(certificates, scope)
        .filter(certificates::attempt_id.eq(attempt_id))
        .filter(certificates::revoked_at.is_null())
        .count()
        .get_result(conn)?;
    if held > 0 {
        return Err(ModelError::Conflict("certificate_exists"));
    }
    let exam_name: String = scoped!(exams, scope)
        .filter(exams::id.eq(exam_id))
        .select(exams::name)
        .first(conn)?;
    let holder_name = cipher.decrypt(
        &name_enc,
        Aad {
            table: "candidates",
            column: "name_enc",
            row_id: &candidate_id.to_string(),
        },
    )?;
    let id = DbUuid::new_v7();
    let number = CertificateNumber::generate()?;
    diesel::insert_into(certificates::table)
        .values((
            certificates::id.eq(id),
            certificates::org_id.eq(scope.org_id()),
            certificates::number.eq(number.as_str()),
            certificates::template_id.eq(template.id),
            certificates::exam_id.eq(exam_id),
            certificates::attempt_id.eq(attempt_id),
            certificates::candidate_id.eq(candidate_id),
            certificates::holder_name_enc.eq(cipher.encrypt(&holder_name, aad(&id.to_string()))?),
            certificates::exam_name.eq(exam_name),
            certificates::score_centi.eq(score),
            certificates::max_score_centi.eq(max),
            certificates::issued_at.eq(Timestamp::now()),
            certificates::issued_by.eq(issued_by),
        ))
        .execute(conn)?;
    find(conn, scope, id)
}
