//! The cross-tenant matrix, generated from the OpenAPI document: every documented operation is
//! called by every kind of caller — the owner and an admin of each of two organisations, a
//! candidate of each, anonymous, and API keys with and without the operation's scope — and must
//! answer with the right status and never with another organisation's data. New endpoints join
//! the matrix by being documented.

mod grading;
mod samples;

use reqwest::{Client, Method, StatusCode};
use serde_json::{Value, json};

use samples::sample_body;

use crate::helpers::certificates::tenant_certificate;
use crate::helpers::{CSRF, PASSWORD, TestApp, create_bank, get, post, spawn_app, start};

/// One organisation with every kind of caller and a resource of each kind.
struct Tenant {
    owner: Client,
    admin: Client,
    candidate: Client,
    /// Keys by their scopes.
    key_full: String,
    key_audit_read: String,
    key_org_read: String,
    key_candidates_read: String,
    id: String,
    /// The candidate's id (for paths that name a candidate too).
    candidate_id: String,
    /// The question on the tenant's paper (for paths that name a question).
    question_id: String,
    /// The candidate's attempt (for paths that name an attempt under its exam).
    attempt_id: String,
    /// A save of the question on the attempt's paper, by the attempt's own label of an option.
    save: Value,
    /// Strings that only this organisation's responses may contain (ids, names, emails).
    secrets: Vec<String>,
    /// This organisation's resource ids by path template.
    resources: Vec<(&'static str, String)>,
}

async fn tenant(app: &TestApp, tag: &str, name: &str) -> Tenant {
    let owner = app
        .register_org(name, &format!("tenant-{tag}@example.com"))
        .await;
    let (_, me) = get(app, &owner, "/api/auth/me").await;
    let id = me["org"]["id"].as_str().expect("org id").to_owned();
    let slug = me["org"]["slug"].as_str().expect("slug").to_owned();
    let (_, sessions) = get(app, &owner, "/api/auth/sessions").await;
    let session_id = sessions[0]["id"].as_str().expect("session id").to_owned();
    let group = app.create_group(&owner, &format!("{tag} 班级")).await;
    let candidate_name = format!("考生{tag}");
    let candidate_email = format!("candidate-{tag}@example.com");
    let candidate = app
        .create_candidate(
            &owner,
            json!({
                "account": format!("cand-{tag}"),
                "name": candidate_name,
                "email": candidate_email,
                "password": PASSWORD,
                "group_ids": [group],
            }),
        )
        .await;
    let candidate_id = candidate["id"].as_str().expect("candidate id").to_owned();
    let all = [
        "org:write",
        "users:write",
        "candidates:write",
        "audit:read",
        "api_keys:write",
        "questions:write",
        "exams:write",
        "grading:write",
    ];
    let (admin_id, admin) = app
        .create_admin(&owner, &format!("admin-{tag}"), &all)
        .await;
    let (key_id, key_full) = app
        .create_api_key(
            &owner,
            &[
                "org:write",
                "candidates:write",
                "audit:read",
                "questions:write",
                "exams:write",
                "grading:read",
            ],
        )
        .await;
    let (_, key_audit_read) = app.create_api_key(&owner, &["audit:read"]).await;
    let (_, key_org_read) = app.create_api_key(&owner, &["org:read"]).await;
    let (_, key_candidates_read) = app.create_api_key(&owner, &["candidates:read"]).await;
    let candidate_client = app
        .portal_login(&slug, &format!("cand-{tag}"), PASSWORD)
        .await;
    let bank_id = create_bank(app, &owner, &format!("{tag} 题库")).await;
    let (status, question) = post(
        app,
        &owner,
        &format!("/api/question-banks/{bank_id}/questions"),
        sample_body("create_question").expect("sample").clone(),
    )
    .await;
    assert_eq!(status, 201, "{question}");
    let question_id = question["id"].as_str().expect("question id").to_owned();
    let (status, category) = post(
        app,
        &owner,
        &format!("/api/question-banks/{bank_id}/categories"),
        json!({ "name": format!("{tag} 代数") }),
    )
    .await;
    assert_eq!(status, 201, "{category}");
    let category_id = category["id"].as_str().expect("category id").to_owned();
    let (status, paper) = post(app, &owner, "/api/papers", json!({ "name": format!("{tag} 试卷"),
                     "sections": [{ "title": "一", "questions": [{ "question_id": question_id }] }] }))
        .await;
    assert_eq!(status, 201, "{paper}");
    let paper_id = paper["id"].as_str().expect("paper id").to_owned();
    let (status, generated) = post(
        app,
        &owner,
        &format!("/api/papers/{paper_id}/generate"),
        json!({ "candidate_ids": [candidate_id] }),
    )
    .await;
    assert_eq!(status, 200, "{generated}");
    let (status, exam) = post(
        app,
        &owner,
        "/api/exams",
        sample_body("create_exam")
            .map(|mut b| {
                b["paper_id"] = json!(paper_id);
                b["attempts_allowed"] = json!(3);
                b
            })
            .expect("sample")
            .clone(),
    )
    .await;
    assert_eq!(status, 201, "{exam}");
    let exam_id = exam["id"].as_str().expect("exam id").to_owned();
    let (status, assigned) = post(
        app,
        &owner,
        &format!("/api/exams/{exam_id}/assignments"),
        json!({ "candidate_ids": [candidate_id] }),
    )
    .await;
    assert_eq!(status, 200, "{assigned}");
    let (status, attempt) = start(app, &candidate_client, &exam_id).await;
    assert_eq!(status, 201, "{attempt}");
    let attempt_id = attempt["id"].as_str().expect("attempt id").to_owned();
    let choice = attempt["paper"]["sections"][0]["questions"][0]["content"]["options"][0]["id"]
        .as_str()
        .expect("an option")
        .to_owned();
    let save = json!({ "answer": { "type": "single_choice", "choice": choice }, "seq": 1 });
    let (essay_exam, item) =
        grading::essay_item(app, &owner, &candidate_client, &candidate_id, &bank_id).await;
    let certificate = tenant_certificate(app, &owner, &candidate_client, &paper_id, &candidate_id);
    let certificate = certificate.await;
    let regrade = regrade_of(app, &owner, &question_id).await;
    let (status, export) = post(app, &owner, "/api/me/data/exports", json!({})).await;
    assert_eq!(status, 202, "{export}");
    let owner_export = export["id"].as_str().expect("export id").to_owned();
    let (status, export) = post(
        app,
        &candidate_client,
        "/api/candidate/me/data/exports",
        json!({}),
    )
    .await;
    assert_eq!(status, 202, "{export}");
    let candidate_export = export["id"].as_str().expect("export id").to_owned();
    Tenant {
        save,
        owner,
        admin,
        candidate: candidate_client,
        key_full,
        key_audit_read,
        key_org_read,
        key_candidates_read,
        secrets: vec![
            id.clone(),
            name.to_owned(),
            candidate_name,
            candidate_email,
            candidate_id.clone(),
            group.clone(),
            paper_id.clone(),
            exam_id.clone(),
            attempt_id.clone(),
        ],
        candidate_id: candidate_id.clone(),
        question_id: question_id.clone(),
        attempt_id: attempt_id.clone(),
        id,
        resources: [
            certificate,
            vec![
                ("/api/auth/sessions/{id}", session_id),
                ("/api/me/data/exports/{id}/download", owner_export),
                (
                    "/api/candidate/me/data/exports/{id}/download",
                    candidate_export,
                ),
                ("/api/candidates/{id}", candidate_id),
                ("/api/candidate-groups/{id}", group),
                ("/api/org/users/{id}", admin_id),
                ("/api/api-keys/{id}", key_id),
                ("/api/question-banks/{id}", bank_id.clone()),
                ("/api/question-banks/{id}/questions", bank_id.clone()),
                ("/api/question-banks/{id}/questions/bulk", bank_id.clone()),
                ("/api/question-banks/{id}/export", bank_id.clone()),
                ("/api/question-banks/{id}/attachments", bank_id.clone()),
                ("/api/question-banks/{id}/questions/import", bank_id.clone()),
                ("/api/question-banks/{id}/categories", bank_id),
                ("/api/question-categories/{id}", category_id),
                ("/api/questions/{id}", question_id.clone()),
                ("/api/questions/{id}/versions", question_id.clone()),
                ("/api/questions/{id}/regrade", question_id.clone()),
                ("/api/regrades/{id}", regrade),
                (
                    "/api/questions/{id}/versions/{version}/restore",
                    question_id,
                ),
                ("/api/papers/{id}", paper_id.clone()),
                ("/api/papers/{id}/preview", paper_id.clone()),
                ("/api/papers/{id}/generate", paper_id.clone()),
                ("/api/papers/{id}/generated/{candidate_id}", paper_id),
                ("/api/exams/{id}", exam_id.clone()),
                ("/api/exams/{id}/attempts", exam_id.clone()),
                ("/api/exams/{id}/access-code", exam_id.clone()),
                ("/api/exams/{id}/open-link", exam_id.clone()),
                ("/api/exams/{id}/invites", exam_id.clone()),
                ("/api/exams/{id}/registrations", exam_id.clone()),
                ("/api/exams/{id}/monitor", exam_id.clone()),
                ("/api/exams/{id}/results", exam_id.clone()),
                ("/api/exams/{id}/certificates/bulk", exam_id.clone()),
                ("/api/exams/{id}/results/export", exam_id.clone()),
                (
                    "/api/exams/{id}/attempts/{attempt_id}/score-sheet",
                    exam_id.clone(),
                ),
                (
                    "/api/exams/{id}/attempts/{attempt_id}/questions/{question_id}/override",
                    exam_id.clone(),
                ),
                (
                    "/api/exams/{id}/attempts/{attempt_id}/questions/{question_id}/review",
                    exam_id.clone(),
                ),
                (
                    "/api/exams/{id}/attempts/{attempt_id}/events",
                    exam_id.clone(),
                ),
                (
                    "/api/exams/{id}/attempts/{attempt_id}/extend",
                    exam_id.clone(),
                ),
                (
                    "/api/exams/{id}/attempts/{attempt_id}/force-submit",
                    exam_id.clone(),
                ),
                (
                    "/api/exams/{id}/attempts/{attempt_id}/reopen",
                    exam_id.clone(),
                ),
                ("/api/exams/{id}/assignments", exam_id.clone()),
                (
                    "/api/exams/{id}/assignments/{candidate_id}",
                    exam_id.clone(),
                ),
                ("/api/candidate/exams/{id}/attempts", exam_id),
                ("/api/candidate/attempts/{id}", attempt_id.clone()),
                (
                    "/api/candidate/attempts/{id}/answers/{question_id}",
                    attempt_id.clone(),
                ),
                ("/api/candidate/attempts/{id}/events", attempt_id.clone()),
                ("/api/candidate/attempts/{id}/review", attempt_id.clone()),
                ("/api/candidate/attempts/{id}/submit", attempt_id.clone()),
                ("/api/exams/{id}/marking", essay_exam.clone()),
                ("/api/exams/{id}/grading/items", essay_exam.clone()),
                ("/api/exams/{id}/grading/next", essay_exam.clone()),
                ("/api/exams/{id}/grading/progress", essay_exam),
                ("/api/grading/items/{id}", item.clone()),
                ("/api/grading/items/{id}/mark", item.clone()),
                ("/api/grading/items/{id}/lease", item),
            ],
        ]
        .concat(),
    }
}

/// Operations that end or change the caller's own session: not run by the matrix, where they
/// would sign its callers out (they have their own tests).
const SESSION_ENDING: [&str; 7] = [
    "/api/auth/logout",
    "/api/auth/logout-all",
    "/api/auth/password",
    "/api/auth/refresh",
    "/api/candidate/auth/logout",
    "/api/candidate/auth/refresh",
    "/api/staff/logout",
];

/// How an operation is secured, from its `security` list.
struct Security {
    console: bool,
    portal: bool,
    /// The API key scope, when API keys may call it.
    api_scope: Option<String>,
}

/// A re-grade run of the tenant's question (for `/api/regrades/{id}`).
async fn regrade_of(app: &TestApp, owner: &Client, question: &str) -> String {
    let path = format!("/api/questions/{question}/regrade");
    let (status, run) = post(app, owner, &path, json!({})).await;
    assert_eq!(status, 202, "{run}");
    run["id"].as_str().expect("regrade id").to_owned()
}

fn security_of(op: &Value) -> Option<Security> {
    let list = op["security"].as_array().filter(|s| !s.is_empty())?;
    let mut sec = Security {
        console: false,
        portal: false,
        api_scope: None,
    };
    for req in list {
        for (scheme, scopes) in req.as_object().expect("requirement") {
            match scheme.as_str() {
                "session_cookie" | "refresh_cookie" => sec.console = true,
                "portal_cookie" | "portal_refresh_cookie" => sec.portal = true,
                "api_key" => {
                    sec.api_scope = Some(scopes[0].as_str().expect("scope").to_owned());
                }
                other => panic!("unknown security scheme {other}"),
            }
        }
    }
    Some(sec)
}

/// A key of `t` that lacks `scope` (its module or its level).
fn key_without<'a>(t: &'a Tenant, scope: &str) -> &'a str {
    if scope.ends_with(":write") && scope.starts_with("candidates") {
        &t.key_candidates_read
    } else if scope.starts_with("audit") {
        &t.key_org_read
    } else {
        &t.key_audit_read
    }
}

async fn call(
    app: &TestApp,
    client: &Client,
    method: &Method,
    path: &str,
    body: &Option<Value>,
    bearer: Option<&str>,
) -> (StatusCode, String) {
    let mut req = client
        .request(method.clone(), app.url(path))
        .header(CSRF.0, CSRF.1);
    if let Some(key) = bearer {
        req = req.bearer_auth(key);
    }
    if let Some(body) = body {
        req = req.json(body);
    }
    let res = req.send().await.expect("call");
    let status = res.status();
    (status, res.text().await.unwrap_or_default())
}

fn assert_no_leak(body: &str, other: &Tenant, who: &str, method: &Method, path: &str) {
    for secret in &other.secrets {
        assert!(
            !body.contains(secret.as_str()),
            "{who} {method} {path} leaked another organisation's {secret}"
        );
    }
}

#[tokio::test]
async fn every_documented_operation_is_tenant_scoped() {
    let app = spawn_app().await;
    let a = tenant(&app, "a", "甲单位 Tenant A").await;
    let b = tenant(&app, "b", "乙单位 Tenant B").await;
    let anonymous = Client::new();
    let doc: Value = app.get_json("/api/openapi.json").await.1;

    let mut checked = 0;
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("item") {
            let Some(sec) = security_of(op) else {
                continue; // Public: the portal branding, sign-in, registration, health.
            };
            let operation = op["operationId"].as_str().expect("operationId");
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).expect("method");
            let json_body = op["requestBody"]["content"]
                .as_object()
                .is_some_and(|c| c.contains_key("application/json"));
            let body = sample_body(operation);
            assert!(
                !json_body || body.is_some(),
                "add a sample body for {operation} to the matrix"
            );
            let staff_only = op["tags"][0] == "staff";
            let at = |t: &Tenant| -> String {
                let id = t
                    .resources
                    .iter()
                    .find(|(p, _)| p == path)
                    .map_or("0193a000-0000-7000-8000-000000000000", |(_, id)| {
                        id.as_str()
                    });
                path.replace("{id}", id)
                    .replace("{version}", "1")
                    .replace("{candidate_id}", &t.candidate_id)
                    .replace("{question_id}", &t.question_id)
                    .replace("{attempt_id}", &t.attempt_id)
                    .replace("{kind}", "logo")
            };
            let templated = path.contains('{');

            // Anonymous callers get 401 from every secured operation.
            let (status, _) = call(&app, &anonymous, &method, &at(&a), &body, None).await;
            assert_eq!(status, 401, "anonymous {method} {path}");
            checked += 1;
            if SESSION_ENDING.contains(&path.as_str()) {
                continue;
            }

            // A console operation is not the portal's, and the other way round.
            for (who, client) in [
                ("candidate of A", &a.candidate),
                ("candidate of B", &b.candidate),
            ] {
                if !sec.portal {
                    let (status, _) = call(&app, client, &method, &at(&a), &body, None).await;
                    assert_eq!(status, 401, "{who} {method} {path}");
                    checked += 1;
                }
            }
            if sec.portal {
                for (who, client) in [("owner of A", &a.owner), ("admin of B", &b.admin)] {
                    let (status, _) = call(&app, client, &method, &at(&a), &body, None).await;
                    assert_eq!(status, 401, "{who} {method} {path}");
                    checked += 1;
                }
                if !templated {
                    for (me, other) in [(&a, &b), (&b, &a)] {
                        let (status, text) =
                            call(&app, &me.candidate, &method, path, &body, None).await;
                        // The matrix cannot know the code sent to a candidate's new address:
                        // its sample's code is refused before anything is read or changed.
                        // A state conflict is allowed (an export still being built).
                        if operation == "update_candidate_contact" {
                            assert_eq!(status, 422, "candidate {method} {path}: {text}");
                        } else {
                            assert!(
                                status.is_success() || status == 409,
                                "candidate {method} {path}: {status} {text}"
                            );
                        }
                        assert_no_leak(&text, other, "candidate", &method, path);
                        checked += 1;
                    }
                    continue;
                }
                // A candidate's own resources answer (a state conflict is allowed: the matrix
                // submits before it starts again); another organisation's are not found.
                for (me, other) in [(&a, &b), (&b, &a)] {
                    // A save names an option by the attempt's own label.
                    let body = if operation == "save_answer" {
                        Some(me.save.clone())
                    } else {
                        body.clone()
                    };
                    let (status, text) =
                        call(&app, &me.candidate, &method, &at(me), &body, None).await;
                    assert!(
                        status.is_success() || status == 409,
                        "candidate {method} {path}: {status} {text}"
                    );
                    assert_no_leak(&text, other, "candidate", &method, path);
                    let (status, text) =
                        call(&app, &other.candidate, &method, &at(me), &body, None).await;
                    assert_eq!(status, 404, "another org's candidate {method} {path}");
                    assert_no_leak(&text, me, "candidate", &method, path);
                    checked += 2;
                }
                continue;
            }
            if staff_only {
                // Staff endpoints are for platform staff; organisation callers are refused.
                for (who, client) in [("owner of A", &a.owner), ("admin of B", &b.admin)] {
                    let (status, _) = call(&app, client, &method, &at(&a), &body, None).await;
                    assert_eq!(status, 401, "{who} {method} {path}");
                    checked += 1;
                }
                continue;
            }

            // API keys: without the scope 403 (before anything else happens); an operation that
            // keys may not call at all answers a key 401 or 403.
            match &sec.api_scope {
                Some(scope) => {
                    let key = key_without(&a, scope);
                    let (status, _) =
                        call(&app, &anonymous, &method, &at(&a), &body, Some(key)).await;
                    assert_eq!(status, 403, "API key without {scope}: {method} {path}");
                    checked += 1;
                }
                None => {
                    let (status, _) =
                        call(&app, &anonymous, &method, &at(&a), &body, Some(&a.key_full)).await;
                    assert!(
                        status == 401 || status == 403,
                        "API key on a session-only operation {method} {path}: {status}"
                    );
                    checked += 1;
                }
            }

            if templated {
                // Another organisation's ids are simply not found, for every kind of caller.
                let mut cross: Vec<(&str, &Client, Option<&str>, String)> = vec![
                    ("admin of B", &b.admin, None, at(&a)),
                    ("owner of A", &a.owner, None, at(&b)),
                ];
                if sec.api_scope.is_some() {
                    cross.push(("API key of B", &anonymous, Some(&b.key_full), at(&a)));
                }
                for (who, client, key, target) in cross {
                    let (status, text) = call(&app, client, &method, &target, &body, key).await;
                    assert_eq!(status, 404, "{who} {method} {target} (the other org's id)");
                    assert_no_leak(
                        &text,
                        if who == "owner of A" { &b } else { &a },
                        who,
                        &method,
                        path,
                    );
                    checked += 1;
                }
                if method == Method::GET && sec.api_scope.is_some() {
                    let (status, text) =
                        call(&app, &anonymous, &method, &at(&a), &None, Some(&a.key_full)).await;
                    assert_eq!(status, 200, "API key of A {method} {path}");
                    assert_no_leak(&text, &b, "API key of A", &method, path);
                    checked += 1;
                }
                continue;
            }

            // Reads answer each organisation with its own data and never the other's.
            if method == Method::GET {
                let mut readers: Vec<(&str, &Client, Option<&str>, &Tenant)> = vec![
                    ("owner of A", &a.owner, None, &b),
                    ("admin of B", &b.admin, None, &a),
                ];
                if sec.api_scope.is_some() {
                    readers.push(("API key of A", &anonymous, Some(&a.key_full), &b));
                }
                for (who, client, key, other) in readers {
                    let (status, text) = call(&app, client, &method, path, &None, key).await;
                    assert_eq!(status, 200, "{who} GET {path}");
                    assert_no_leak(&text, other, who, &method, path);
                    checked += 1;
                }
            }
        }
    }
    assert!(checked >= 150, "the matrix checked only {checked} cases");
    // The organisations' own reads did see their own data (the leak checks are not vacuous).
    // (By the candidate's email: the matrix's candidates have corrected their own names.)
    let (_, mine) = call(&app, &a.owner, &Method::GET, "/api/candidates", &None, None).await;
    assert!(mine.contains(&a.secrets[3]), "{mine}");
    assert!(!a.id.is_empty() && !b.id.is_empty());
}
