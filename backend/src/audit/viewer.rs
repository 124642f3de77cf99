//! `GET /api/audit` and `GET /api/audit/export`: an organisation's admins read and export their
//! organisation's audit log, filtered by action, outcome and time. Scoped to the caller's
//! organisation; personal data (IP, user agent) is decrypted for them, as the people
//! responsible for their organisation's security.

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use chrono::DateTime;
use diesel::prelude::*;
use question_formats::cells::neutralise;
use serde::Deserialize;
use shared::accounts::{AuditEntryDto, AuditPage};
use shared::certificates::{NameDisplay, mask_name};

use super::AuditPii;
use super::chain::Row;
use crate::crypto::{Aad, FieldCipher};
use crate::db::DbConnection;
use crate::db::schema::audit_log;
use crate::db::types::{DbUuid, Timestamp};
use crate::errors::{ApiError, FieldError};
use crate::state::AppState;
use crate::tenancy::OrgScope;
use shared::access::{Level, Module};

const MAX_PAGE: i64 = 500;
const MAX_EXPORT: i64 = 100_000;

/// Filters of the audit views.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Exact action, or a prefix ending in `.` (e.g. `auth.`).
    pub action: Option<String>,
    /// `success` or `failure`.
    #[param(value_type = Option<shared::schema::Outcome>)]
    pub outcome: Option<String>,
    /// From this instant (RFC 3339), inclusive.
    #[param(value_type = Option<shared::schema::DateTime>)]
    pub from: Option<String>,
    /// Until this instant (RFC 3339), exclusive.
    #[param(value_type = Option<shared::schema::DateTime>)]
    pub to: Option<String>,
    /// Entries older than this sequence number (paging).
    pub before_seq: Option<i64>,
    /// Page size, 1–500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
}

pub(crate) struct Filters {
    action: Option<String>,
    outcome: Option<String>,
    from: Option<Timestamp>,
    to: Option<Timestamp>,
    before_seq: Option<i64>,
}

fn parse(q: &AuditQuery) -> Result<Filters, ApiError> {
    let mut fields = Vec::new();
    let mut instant = |name: &str, v: &Option<String>| match v {
        None => None,
        Some(s) => match DateTime::parse_from_rfc3339(s) {
            Ok(t) => Some(Timestamp::from(t.to_utc())),
            Err(_) => {
                fields.push(FieldError {
                    field: name.to_owned(),
                    reason: "invalid_format".to_owned(),
                });
                None
            }
        },
    };
    let from = instant("from", &q.from);
    let to = instant("to", &q.to);
    if let Some(o) = &q.outcome
        && o != "success"
        && o != "failure"
    {
        fields.push(FieldError {
            field: "outcome".to_owned(),
            reason: "invalid_format".to_owned(),
        });
    }
    if q.limit.is_some_and(|l| !(1..=MAX_PAGE).contains(&l)) {
        fields.push(FieldError {
            field: "limit".to_owned(),
            reason: "out_of_range".to_owned(),
        });
    }
    if !fields.is_empty() {
        return Err(ApiError::Validation { fields });
    }
    Ok(Filters {
        action: q.action.clone(),
        outcome: q.outcome.clone(),
        from,
        to,
        before_seq: q.before_seq,
    })
}

/// The entries of one organisation, or of all (`None`, staff only), matching the filters.
pub(crate) fn load(
    conn: &mut DbConnection,
    org: Option<DbUuid>,
    f: &Filters,
    limit: i64,
) -> QueryResult<Vec<Row>> {
    let mut q = audit_log::table
        .order(audit_log::seq.desc())
        .limit(limit)
        .select(Row::as_select())
        .into_boxed();
    if let Some(org) = org {
        q = q.filter(audit_log::org_id.eq(org));
    }
    if let Some(action) = &f.action {
        q = if let Some(prefix) = action.strip_suffix('.') {
            // Escape LIKE wildcards in what the caller typed.
            let escaped = prefix
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            q.filter(audit_log::action.like(format!("{escaped}.%")).escape('\\'))
        } else {
            q.filter(audit_log::action.eq(action.clone()))
        };
    }
    if let Some(outcome) = &f.outcome {
        q = q.filter(audit_log::outcome.eq(outcome.clone()));
    }
    if let Some(from) = f.from {
        q = q.filter(audit_log::occurred_at.ge(from));
    }
    if let Some(to) = f.to {
        q = q.filter(audit_log::occurred_at.lt(to));
    }
    if let Some(before) = f.before_seq {
        q = q.filter(audit_log::seq.lt(before));
    }
    q.load(conn)
}

/// Who acted, as the viewer names them: an organisation user's masked name (or masked login
/// account) and role.
#[derive(Debug, Clone)]
pub(crate) struct Actor {
    name: Option<String>,
    role: String,
}

/// An organisation user as the viewer reads them: id, role, encrypted name and login account.
type ActorRow = (DbUuid, String, Option<Vec<u8>>, Option<Vec<u8>>);

/// The organisation users among the actors of `rows`, by id (in one query).
pub(crate) fn actors(
    conn: &mut DbConnection,
    cipher: &FieldCipher,
    rows: &[Row],
) -> QueryResult<std::collections::HashMap<DbUuid, Actor>> {
    use crate::db::schema::users;
    let mut ids: Vec<DbUuid> = rows
        .iter()
        .filter(|r| r.actor_kind == "user")
        .filter_map(|r| r.actor_id)
        .collect();
    ids.sort_unstable_by_key(|id| id.0);
    ids.dedup();
    let mut out = std::collections::HashMap::new();
    for chunk in ids.chunks(500) {
        let found: Vec<ActorRow> = users::table
            .filter(users::id.eq_any(chunk))
            .select((
                users::id,
                users::role,
                users::display_name_enc,
                users::login_account_enc,
            ))
            .load(conn)?;
        for (id, role, name_enc, account_enc) in found {
            let row_id = id.to_string();
            let open = |ct: Option<Vec<u8>>, column: &str| {
                ct.and_then(|ct| {
                    cipher
                        .decrypt(
                            &ct,
                            Aad {
                                table: "users",
                                column,
                                row_id: &row_id,
                            },
                        )
                        .ok()
                })
            };
            let name = open(name_enc, "display_name_enc")
                .filter(|n| !n.trim().is_empty())
                .or_else(|| open(account_enc, "login_account_enc"))
                .map(|n| mask_name(&n, NameDisplay::Masked));
            out.insert(id, Actor { name, role });
        }
    }
    Ok(out)
}

fn to_dto(
    cipher: &FieldCipher,
    actors: &std::collections::HashMap<DbUuid, Actor>,
    row: Row,
) -> AuditEntryDto {
    let actor = row
        .actor_id
        .filter(|_| row.actor_kind == "user")
        .and_then(|id| actors.get(&id))
        .cloned();
    let row_id = row.id.to_string();
    let pii = row
        .pii_enc
        .and_then(|ct| {
            cipher
                .decrypt(
                    &ct,
                    Aad {
                        table: "audit_log",
                        column: "pii_enc",
                        row_id: &row_id,
                    },
                )
                .ok()
        })
        .and_then(|json| serde_json::from_str::<AuditPii>(&json).ok());
    AuditEntryDto {
        seq: row.seq,
        id: row_id,
        occurred_at: row.occurred_at.to_canonical_string(),
        actor_kind: row.actor_kind,
        actor_id: row.actor_id.map(|a| a.to_string()),
        actor_name: actor.as_ref().and_then(|a| a.name.clone()),
        actor_role: actor.map(|a| a.role),
        action: row.action,
        target_kind: row.target_kind,
        target_id: row.target_id,
        outcome: row.outcome,
        request_id: row.request_id,
        details: serde_json::from_str(&row.details).unwrap_or(serde_json::Value::Null),
        ip: pii.as_ref().and_then(|p| p.ip.clone()),
        user_agent: pii.as_ref().and_then(|p| p.user_agent.clone()),
        device: pii.and_then(|p| p.device),
    }
}

#[utoipa::path(
    get,
    path = "/api/audit",
    operation_id = "list_audit",
    tag = "audit",
    security(("session_cookie" = []), ("api_key" = ["audit:read"])),
    params(AuditQuery),
    responses(
        (status = 200, description = "The organisation's audit entries, newest first.", body = AuditPage),
        (status = 403, description = "Needs `audit:read`.", body = shared::ErrorBody),
        (status = 422, description = "Invalid filters.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn list_audit(
    scope: OrgScope,
    state: web::Data<AppState>,
    query: web::Query<AuditQuery>,
) -> Result<web::Json<AuditPage>, ApiError> {
    scope.require(Module::Audit, Level::Read)?;
    Ok(web::Json(page(&state, Some(scope.org_id()), &query).await?))
}

/// One page of entries of an organisation, or of all (`None`).
pub(crate) async fn page(
    state: &AppState,
    org: Option<DbUuid>,
    query: &AuditQuery,
) -> Result<AuditPage, ApiError> {
    let filters = parse(query)?;
    let limit = query.limit.unwrap_or(50);
    let cipher = state.cipher.clone();
    let (rows, actors) = state
        .db
        .run(move |conn| {
            let rows = load(conn, org, &filters, limit)?;
            let actors = actors(conn, &cipher, &rows)?;
            Ok::<_, ApiError>((rows, actors))
        })
        .await?;
    let next_before_seq = (rows.len() as i64 == limit)
        .then(|| rows.last().map(|r| r.seq))
        .flatten();
    let cipher = state.cipher.clone();
    let entries = rows
        .into_iter()
        .map(|r| to_dto(&cipher, &actors, r))
        .collect();
    Ok(AuditPage {
        entries,
        next_before_seq,
    })
}

#[utoipa::path(
    get,
    path = "/api/audit/export",
    operation_id = "export_audit",
    tag = "audit",
    security(("session_cookie" = []), ("api_key" = ["audit:read"])),
    params(AuditQuery),
    responses(
        (status = 200, description = "CSV (UTF-8 with BOM, for spreadsheet programs), newest first, at most 100,000 entries.", content_type = "text/csv"),
        (status = 403, description = "Needs `audit:read`.", body = shared::ErrorBody),
        (status = 422, description = "Invalid filters.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn export_audit(
    scope: OrgScope,
    state: web::Data<AppState>,
    query: web::Query<AuditQuery>,
) -> Result<HttpResponse, ApiError> {
    scope.require(Module::Audit, Level::Read)?;
    let org = scope.org_id();
    let filters = parse(&query)?;
    let cipher = state.cipher.clone();
    let csv = state
        .db
        .run(move |conn| {
            let rows = load(conn, Some(org), &filters, MAX_EXPORT)?;
            let actors = actors(conn, &cipher, &rows)?;
            let mut out = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
            out.write_record([
                "seq",
                "id",
                "occurred_at",
                "actor_kind",
                "actor_id",
                "action",
                "target_kind",
                "target_id",
                "outcome",
                "request_id",
                "details",
                "ip",
                "user_agent",
                "actor_name",
                "actor_role",
            ])
            .map_err(anyhow::Error::from)?;
            for row in rows {
                let e = to_dto(&cipher, &actors, row);
                let record = [
                    e.seq.to_string(),
                    e.id,
                    e.occurred_at,
                    e.actor_kind,
                    e.actor_id.unwrap_or_default(),
                    e.action,
                    e.target_kind.unwrap_or_default(),
                    e.target_id.unwrap_or_default(),
                    e.outcome,
                    e.request_id.unwrap_or_default(),
                    e.details.to_string(),
                    e.ip.unwrap_or_default(),
                    e.user_agent.unwrap_or_default(),
                    e.actor_name.unwrap_or_default(),
                    e.actor_role.unwrap_or_default(),
                ];
                // Actors' names, details and user agents are anyone's text: never a formula.
                out.write_record(record.iter().map(|c| neutralise(c).into_owned()))
                    .map_err(anyhow::Error::from)?;
            }
            Ok::<_, ApiError>(
                out.into_inner()
                    .map_err(|e| anyhow::anyhow!("writing CSV: {e}"))?,
            )
        })
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"audit-log.csv\"",
        ))
        .body(csv))
}
