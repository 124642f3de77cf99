//! The OpenAPI document, generated from the handlers' `#[utoipa::path]` annotations. The
//! committed `openapi/openapi.json` must equal it (a test checks; `cargo xtask openapi` rewrites
//! it). Architecture invariant: every endpoint the SPA or integrators use is listed here.

use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::auth::cookies::{
    ACCESS_COOKIE, PORTAL_ACCESS_COOKIE, PORTAL_REFRESH_COOKIE, REFRESH_COOKIE,
};
use crate::{
    accounts, audit, candidates, certificates, exams, grading, health, integration, org_users,
    orgs, papers, portal, privacy, questions, results, staff,
};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "ExamCloud API",
        description = "The REST API of ExamCloud (考试云). Every error response has the body \
            `ErrorBody` with a stable `code`; messages follow `Accept-Language` (zh-CN or en).",
    ),
    paths(
        health::get_health,
        health::get_ready,
        health::get_ready_report,
        privacy::get_retention_policy,
        accounts::send_code,
        accounts::register_org,
        accounts::login,
        accounts::refresh_session,
        accounts::logout,
        accounts::logout_all,
        accounts::get_me,
        accounts::change_password,
        accounts::reset_password,
        accounts::list_sessions,
        accounts::revoke_session,
        accounts::send_bind_code,
        accounts::bind_contact,
        accounts::update_my_profile,
        orgs::get_org,
        orgs::update_org,
        orgs::upload_logo,
        orgs::delete_logo,
        crate::dashboard::get_dashboard,
        org_users::list_org_users,
        org_users::create_org_user,
        org_users::update_org_user,
        org_users::delete_org_user,
        integration::list_api_keys,
        integration::create_api_key,
        integration::revoke_api_key,
        orgs::get_portal,
        orgs::get_portal_logo,
        portal::send_portal_code,
        portal::candidate_login,
        portal::candidate_me,
        portal::update_candidate_profile,
        portal::send_candidate_contact_code,
        portal::update_candidate_contact,
        portal::refresh_candidate_session,
        portal::candidate_logout,
        portal::enter_by_invite,
        portal::exam_by_open_link,
        portal::enter_by_open_link,
        portal::exam_by_access_code,
        portal::enter_by_access_code,
        portal::send_resume_code_by_open_link,
        portal::send_resume_code_by_access_code,
        candidates::list_candidates,
        candidates::create_candidate,
        candidates::get_candidate,
        candidates::update_candidate,
        candidates::delete_candidate,
        candidates::list_groups,
        candidates::create_group,
        candidates::update_group,
        candidates::delete_group,
        candidates::import_template,
        candidates::import_candidates,
        audit::list_audit,
        audit::export_audit,
        questions::list_banks,
        questions::create_bank,
        questions::update_bank,
        questions::delete_bank,
        questions::list_questions,
        questions::create_question,
        questions::get_question,
        questions::update_question,
        questions::delete_question,
        questions::list_question_versions,
        questions::restore_question_version,
        questions::bulk_questions,
        questions::import_questions,
        questions::question_import_template,
        questions::export_questions,
        questions::upload_attachment,
        questions::get_attachment,
        questions::list_categories,
        questions::create_category,
        questions::update_category,
        questions::delete_category,
        papers::list_papers,
        papers::create_paper,
        papers::check_paper_rules,
        papers::get_paper,
        papers::update_paper,
        papers::delete_paper,
        papers::preview_paper,
        papers::generate_papers,
        papers::get_generated_paper,
        exams::list_exams,
        exams::create_exam,
        exams::get_exam,
        exams::update_exam,
        exams::delete_exam,
        exams::list_exam_attempts,
        exams::assign_candidates,
        exams::list_assignments,
        exams::update_accommodation,
        exams::unassign_candidate,
        exams::rotate_access_code,
        exams::rotate_open_link,
        exams::list_invites,
        exams::list_registrations,
        exams::list_candidate_exams,
        exams::start_attempt,
        exams::get_attempt,
        exams::save_answer,
        exams::submit_attempt,
        exams::record_events,
        exams::review_attempt,
        exams::monitor_exam,
        exams::list_attempt_events,
        exams::extend_attempt,
        exams::force_submit_attempt,
        exams::reopen_attempt,
        grading::list_grading_exams,
        grading::get_marking,
        grading::update_marking,
        grading::list_grading_items,
        grading::next_grading_item,
        grading::get_grading_item,
        grading::mark_grading_item,
        grading::release_grading_item,
        grading::get_grading_progress,
        grading::request_review,
        certificates::list_certificate_templates,
        certificates::create_certificate_template,
        certificates::get_certificate_template,
        certificates::update_certificate_template,
        certificates::delete_certificate_template,
        certificates::upload_certificate_template_image,
        certificates::delete_certificate_template_image,
        certificates::get_certificate_template_image,
        certificates::preview_certificate_template,
        certificates::issue_certificate,
        certificates::list_exam_certificates,
        certificates::revoke_certificate,
        certificates::download_certificate,
        certificates::list_my_certificates,
        certificates::download_my_certificate,
        certificates::verify_certificate,
        results::list_results,
        results::export_results,
        results::get_score_sheet,
        results::list_my_results,
        results::issue_certificates_bulk,
        results::override_mark,
        crate::regrade::preview_regrade,
        crate::regrade::start_regrade,
        crate::regrade::get_regrade,
        staff::staff_login,
        staff::staff_logout,
        staff::staff_me,
        staff::staff_orgs,
        staff::staff_candidates,
        staff::staff_audit,
        crate::privacy::get_policies,
        crate::privacy::list_policy_versions,
        crate::privacy::get_my_consents,
        crate::privacy::update_my_consents,
        crate::privacy::get_candidate_consents,
        crate::privacy::update_candidate_consents,
        crate::privacy::publish_policy,
        crate::privacy::my_data::get_my_data,
        crate::privacy::my_data::request_my_data_export,
        crate::privacy::my_data::download_my_data_export,
        crate::privacy::my_data::get_candidate_data,
        crate::privacy::my_data::request_candidate_data_export,
        crate::privacy::my_data::download_candidate_data_export,
        crate::privacy::cancellation::get_org_cancellation,
        crate::privacy::cancellation::send_org_cancellation_code,
        crate::privacy::cancellation::cancel_org,
        crate::privacy::cancellation::undo_org_cancellation,
    ),
    components(schemas(
        shared::ErrorBody,
        shared::ErrorCode,
        shared::exams::RegistrationExists,
        // Named only by query parameters, which utoipa does not collect.
        shared::schema::Outcome,
        shared::schema::TableFormat,
        shared::results::ResultSort,
        shared::results::GradingState,
        shared::certificates::TemplateImage,
        crate::results::overrides::OverrideInput,
        crate::results::overrides::OverrideResult,
    )),
    modifiers(&SessionCookies),
    tags(
        (name = "health", description = "Liveness and readiness of this node."),
        (name = "privacy", description = "The retention policy in effect (public): how long each kind of data is kept before it is deleted or anonymised."),
        (name = "audit", description = "The organisation's tamper-evident audit log."),
        (name = "candidates", description = "Candidates, groups and bulk import (xlsx/csv, all or nothing)."),
        (name = "questions", description = "Question banks and questions (eight types, versioned, sanitised rich text)."),
        (name = "papers", description = "Fixed and random papers, candidate previews and per-candidate pre-generated papers."),
        (name = "exams", description = "Exams: window, duration, attempts, scoring and policies; assignments (papers generated at once) and accommodations."),
        (name = "proctoring", description = "The proctor's console: the live monitor of an exam, each attempt's event log (focus losses, copy/paste, fullscreen, idle, address changes), extending, force-submitting and reopening attempts. Every action is audited."),
        (name = "attempts", description = "A candidate's attempts (portal cookie): start or resume, save answers (ordered by `seq`, durable before the answer), submit with a receipt. Never carries answer keys."),
        (name = "grading", description = "Manual grading: the queue of answers that need a person (blind: an anonymous code per attempt), marks against the rubric, several independent marks with an arbiter beyond a tolerance, progress. Every mark is audited."),
        (name = "results", description = "Results: per exam one row per candidate (the counted attempt, score, pass/fail, rank with ties), its xlsx/CSV export (audited), each attempt's score sheet, and the candidate's own results once the release policy releases them."),
        (name = "regrade", description = "Re-grading after a question's key or points are corrected (a new version): the preview of what changes, a queued run that writes only changed attempts (each audited, released ones notified) and its differences."),
        (name = "certificates", description = "Certificate templates, certificates issued for graded attempts (by hand or automatically), revocation with a reason, the PDF (embedded CJK font, QR code of the verification URL), the candidate's own, and the public verification of a number (no sign-in)."),
        (name = "staff", description = "Platform staff. Reads of personal data need a `reason` and are logged."),
        (name = "integration", description = "API keys for integrators."),
        (name = "privacy", description = "The privacy statement and the terms as versioned documents (public), and each person's consent records: agreement to the current versions (required at registration, a candidate's first sign-in and after a major change), the optional device-details consent."),
        (name = "portal", description = "Candidates signing in to their organisation's portal."),
        (name = "dashboard", description = "The console's home: live exams, what needs attention, recent exams and the setting-up checklist, each section only for callers who may read it."),
        (name = "orgs", description = "Organisation account information and candidate-portal branding."),
        (name = "accounts", description = "Registration, sign-in, sessions. Cookie-authenticated \
            POST/PUT/PATCH/DELETE requests must send `X-ExamCloud-CSRF: 1`."),
    )
)]
pub struct ApiDoc;

/// Declares the session cookies as security schemes.
struct SessionCookies;

impl Modify for SessionCookies {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session_cookie",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                ACCESS_COOKIE,
                "HttpOnly access token cookie set by sign-in (15 minutes; renew with /api/auth/refresh).",
            ))),
        );
        components.add_security_scheme(
            "refresh_cookie",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                REFRESH_COOKIE,
                "HttpOnly refresh token cookie, sent only to /api/auth; single-use and rotated.",
            ))),
        );
        components.add_security_scheme(
            "portal_cookie",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                PORTAL_ACCESS_COOKIE,
                "A candidate's HttpOnly access token cookie, set by the portal sign-in.",
            ))),
        );
        components.add_security_scheme(
            "portal_refresh_cookie",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                PORTAL_REFRESH_COOKIE,
                "A candidate's HttpOnly refresh token cookie, sent only to /api/candidate/auth.",
            ))),
        );
        components.add_security_scheme(
            "api_key",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("eck_<16 hex>_<secret>")
                    .description(Some(
                        "An organisation's API key (`Authorization: Bearer eck_…`). The scopes \
                         listed on an operation are the permissions the key needs; each key is \
                         rate limited (429 with Retry-After).",
                    ))
                    .build(),
            ),
        );
    }
}

mod contract;

/// The document as served at `/api/openapi.json` and committed in `openapi/openapi.json`.
pub fn document() -> serde_json::Value {
    // The contract rules work on the document's JSON form (utoipa's own types do not read
    // every document they write back), which is what is served and committed.
    let mut doc = serde_json::to_value(ApiDoc::openapi()).unwrap_or_default();
    contract::apply(&mut doc);
    doc
}

/// The committed form: pretty JSON with a trailing newline.
pub fn document_json() -> anyhow::Result<String> {
    Ok(format!("{}\n", serde_json::to_string_pretty(&document())?))
}
