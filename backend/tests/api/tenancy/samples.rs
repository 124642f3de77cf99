//! The matrix's request bodies: one that deserialises for each operation that takes JSON.

use serde_json::{Value, json};

use crate::helpers::PASSWORD;

/// A request body that deserialises for each operation that takes JSON, so a refusal is the
/// permission check's and not the body parser's. Every documented JSON body must have one.
pub fn sample_body(operation: &str) -> Option<Value> {
    Some(match operation {
        "update_org" => json!({ "candidate_app_name": "Matrix" }),
        "create_candidate" => {
            json!({ "account": "matrix-1", "name": "Matrix", "password": PASSWORD })
        }
        "update_candidate" => json!({ "name": "Matrix" }),
        "create_group" | "update_group" => json!({ "name": "Matrix group" }),
        "create_org_user" => json!({
            "login_account": "matrixadmin", "display_name": "Matrix", "password": PASSWORD, "role": "admin"
        }),
        "update_org_user" => json!({ "display_name": "Matrix" }),
        "create_api_key" => json!({ "name": "matrix", "scopes": ["org:read"] }),
        "create_bank" | "update_bank" => json!({ "name": "Matrix bank" }),
        "create_category" | "update_category" => json!({ "name": "Matrix category" }),
        "bulk_questions" => {
            json!({ "action": "delete", "question_ids": ["0193a000-0000-7000-8000-000000000000"] })
        }
        "create_question" | "update_question" => json!({
            "content": {
                "type": "single_choice",
                "stem": "<p>1 + 1 = ?</p>",
                "options": [{ "id": "A", "text": "1" }, { "id": "B", "text": "2" }],
                "answer": "B",
            },
            "points": 2,
            "difficulty": 1,
        }),
        "create_paper" | "update_paper" => json!({
            "name": "Matrix paper",
            "sections": [{ "title": "一", "rules": [{
                "bank_id": "0193a000-0000-7000-8000-000000000000",
                "question_type": "single_choice", "count": 1, "points": 1 }] }],
        }),
        "check_paper_rules" => json!({ "rules": [] }),
        "create_exam" | "update_exam" => json!({
            "paper_id": "0193a000-0000-7000-8000-000000000000", "name": "Matrix exam",
            "opens_at": "2020-01-01T00:00:00Z", "closes_at": "2099-01-01T00:00:00Z",
            "duration_minutes": 30, "attempts_allowed": 1, "scoring": "best",
            "release_policy": "immediately", "review_policy": "never",
            "entry": { "invite_links": true, "open_link": true, "access_code": true,
                "registration_fields": [{ "key": "name", "label": "姓名", "kind": "name" }] },
        }),
        "assign_candidates" => {
            json!({ "candidate_ids": ["0193a000-0000-7000-8000-000000000000"] })
        }
        "update_accommodation" => json!({ "extra_minutes": 5 }),
        "record_events" => {
            json!({ "events": [{ "kind": "focus_lost", "client_time": "2026-01-01T00:00:00Z" }] })
        }
        "extend_attempt" | "reopen_attempt" => json!({ "minutes": 5 }),
        "override_mark" => json!({ "points": 0, "reason": "复核" }),
        "request_review" => json!({ "reason": "复核" }),
        "update_marking" => json!({ "graders_per_answer": 1, "tolerance": 0 }),
        "next_grading_item" => json!({}),
        "mark_grading_item" => json!({ "points": 0 }),
        "save_answer" => json!({ "answer": { "type": "single_choice", "choice": "B" }, "seq": 1 }),
        "generate_papers" => {
            json!({ "candidate_ids": ["0193a000-0000-7000-8000-000000000000"] })
        }
        "export_questions" => json!({ "format": "gift" }),
        "send_bind_code" => json!({ "destination": "matrix@example.com" }),
        "bind_contact" => {
            json!({ "destination": "matrix@example.com", "code": "000000", "password": PASSWORD })
        }
        "change_password" => json!({ "current_password": PASSWORD, "new_password": PASSWORD }),
        "create_certificate_template" | "update_certificate_template" => {
            json!({ "name": "Matrix", "title": "证书", "body": "{name}" })
        }
        "issue_certificate" | "issue_certificates_bulk" => {
            json!({ "template_id": "0193a000-0000-7000-8000-000000000000" })
        }
        "revoke_certificate" => json!({ "reason": "matrix" }),
        "start_regrade" => json!({}),
        "update_my_consents" | "update_candidate_consents" => json!({ "device_details": true }),
        "update_my_profile" | "update_candidate_profile" => json!({ "name": "Matrix" }),
        "cancel_org" => json!({ "code": "000000" }),
        "send_candidate_contact_code" => json!({ "destination": "matrix@example.com" }),
        "update_candidate_contact" => {
            json!({ "destination": "matrix@example.com", "code": "000000" })
        }
        "publish_policy" => json!({
            "kind": "terms", "version": "9.9", "major": false, "effective_on": "2027-01-01",
            "summary_zh": "矩阵", "summary_en": "Matrix", "body_zh": "# 条款", "body_en": "# Terms",
            "reason": "tenancy matrix"
        }),
        _ => return None,
    })
}
