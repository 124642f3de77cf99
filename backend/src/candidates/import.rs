//! `POST /api/candidates/import`: candidates from an `.xlsx` (or `.xls`/`.ods`) workbook or a
//! `.csv` file (UTF-8 or GBK), with a preview (`?dry_run=true`) and per-row errors. All or
//! nothing: with any error nothing is written (`422 import_rejected`, every bad row named), and
//! a committed import writes every row in one transaction.
//!
//! The first non-empty row holds the column headers, in Chinese or English (see
//! [`Column::names`]; a trailing `*` is ignored, unknown columns are ignored). Rows are numbered
//! as a spreadsheet program shows them.

use std::collections::{HashMap, HashSet};

use actix_web::{HttpRequest, HttpResponse, web};
use diesel::prelude::*;
use serde::Deserialize;
use shared::access::{Level, Module};
use shared::candidates::{ImportPreviewRow, ImportReport, ImportRowError};

use super::groups::insert_group;
use super::import_rows::{Column, PREVIEW_ROWS, Parsed, file_error, parse_rows};
use super::model;
use crate::accounts::model::contact_index;
use crate::db::DbConnection;
use crate::db::schema::{candidate_groups, candidates};
use crate::db::types::DbUuid;
use crate::domain::Contact;
use crate::errors::ApiError;
use crate::http::ClientInfo;
use crate::scoped;
use crate::spreadsheet::{TableError, read_table};
use crate::state::AppState;
use crate::tenancy::OrgScope;

/// Checks the rows against the database: taken accounts/phones/emails and the groups. Returns
/// the ids of existing groups by name and the names of groups to create.
fn check_against_db(
    conn: &mut DbConnection,
    state: &AppState,
    scope: &OrgScope,
    rows: &[Parsed],
    errors: &mut Vec<ImportRowError>,
) -> Result<(HashMap<String, DbUuid>, Vec<String>), ApiError> {
    let existing = |conn: &mut DbConnection,
                    column: Column,
                    keys: Vec<Vec<u8>>|
     -> QueryResult<HashSet<Vec<u8>>> {
        let mut found = HashSet::new();
        for chunk in keys.chunks(500) {
            let q = scoped!(candidates, scope);
            let hits: Vec<Option<Vec<u8>>> = match column {
                Column::Account => q
                    .filter(candidates::account_bidx.eq_any(chunk.to_vec()))
                    .select(candidates::account_bidx.nullable())
                    .load(conn)?,
                Column::Phone => q
                    .filter(candidates::phone_bidx.eq_any(chunk.to_vec()))
                    .select(candidates::phone_bidx)
                    .load(conn)?,
                _ => q
                    .filter(candidates::email_bidx.eq_any(chunk.to_vec()))
                    .select(candidates::email_bidx)
                    .load(conn)?,
            };
            found.extend(hits.into_iter().flatten());
        }
        Ok(found)
    };
    let index_of = |p: &Parsed, column: Column| -> Option<Vec<u8>> {
        let c = &p.candidate;
        match column {
            Column::Account => Some(model::account_index(&state.bidx, &c.account)),
            Column::Phone => c
                .phone
                .as_ref()
                .map(|m| contact_index(&state.bidx, &Contact::Mobile(m.clone()))),
            _ => c
                .email
                .as_ref()
                .map(|e| contact_index(&state.bidx, &Contact::Email(e.clone()))),
        }
    };
    for column in [Column::Account, Column::Phone, Column::Email] {
        let keys: Vec<Vec<u8>> = rows.iter().filter_map(|p| index_of(p, column)).collect();
        let taken = existing(conn, column, keys)?;
        for p in rows {
            if index_of(p, column).is_some_and(|k| taken.contains(&k)) {
                errors.push(ImportRowError {
                    row: p.row,
                    field: column.field().to_owned(),
                    reason: "already_exists".to_owned(),
                    item: None,
                });
            }
        }
    }
    let groups: Vec<(DbUuid, String)> = scoped!(candidate_groups, scope)
        .select((candidate_groups::id, candidate_groups::name))
        .load(conn)?;
    let by_name: HashMap<String, DbUuid> = groups.into_iter().map(|(id, n)| (n, id)).collect();
    let mut new_groups: Vec<String> = Vec::new();
    for p in rows {
        match scope.group_scope() {
            // An admin limited to some groups imports only into those, and names one.
            Some(allowed) => {
                if p.groups.is_empty() {
                    errors.push(ImportRowError {
                        row: p.row,
                        field: "groups".to_owned(),
                        reason: "group_required".to_owned(),
                        item: None,
                    });
                }
                for g in &p.groups {
                    if !by_name.get(g).is_some_and(|id| allowed.contains(id)) {
                        errors.push(ImportRowError {
                            row: p.row,
                            field: "groups".to_owned(),
                            reason: "group_out_of_scope".to_owned(),
                            item: None,
                        });
                    }
                }
            }
            None => {
                for g in &p.groups {
                    if !by_name.contains_key(g) && !new_groups.contains(g) {
                        new_groups.push(g.clone());
                    }
                }
            }
        }
    }
    Ok((by_name, new_groups))
}

/// Query of the import.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// Only check the file and return the preview; write nothing.
    #[serde(default)]
    pub dry_run: bool,
}

#[utoipa::path(
    post,
    path = "/api/candidates/import",
    operation_id = "import_candidates",
    tag = "candidates",
    security(("session_cookie" = []), ("api_key" = ["candidates:write"])),
    params(ImportQuery),
    request_body(description = "The file as the raw body (.xlsx, .xls, .ods or .csv in UTF-8 or GBK; at most 5 MiB and 10,000 rows). The format is recognised by content, so any `Content-Type` is accepted; these are the usual ones.", content(("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), ("application/vnd.ms-excel"), ("application/vnd.oasis.opendocument.spreadsheet"), ("text/csv"), ("application/octet-stream"))),
    responses(
        (status = 200, description = "The preview (`dry_run`, `committed` false, errors listed) or the committed import.", body = ImportReport),
        (status = 403, description = "Needs `candidates:write`.", body = shared::ErrorBody),
        (status = 413, description = "`payload_too_large`: larger than 5 MiB. `file_too_large`: the file goes past an import limit, named by `details.limit` (`rows`, `columns`, `cells`, `text_size`, `shared_strings`, `zip_entries`, `zip_entry_size`, `zip_total_size`, `compression_ratio`, `file_size`) with its value in `details.max`; nothing was read further.", body = shared::ErrorBody),
        (status = 422, description = "`import_rejected`: the file has errors and nothing was imported; `details` is the report naming every bad row.", body = shared::ErrorBody),
        (status = 503, description = "`server_busy`: the initial passwords could not be hashed now (the node's hashing slots are taken); nothing was imported. Retry after `Retry-After` seconds.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn import_candidates(
    req: HttpRequest,
    scope: OrgScope,
    state: web::Data<AppState>,
    query: web::Query<ImportQuery>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    scope.require(Module::Candidates, Level::Write)?;
    let st = state.clone();
    let check_scope = scope.clone();
    // Parsing a large workbook is CPU work: off the request threads.
    let CheckedFile {
        mut report,
        parsed,
        by_name,
    } = state
        .db
        .run(move |conn| check_file(conn, &st, &check_scope, &body))
        .await?;
    if query.dry_run {
        return Ok(HttpResponse::Ok().json(report));
    }
    if !report.errors.is_empty() {
        return Err(ApiError::import_rejected(&report));
    }
    let hashed = hash_passwords(&state, parsed).await?;
    let client = ClientInfo::of(&req);
    let st = state.clone();
    let new_groups = report.new_groups.clone();
    let imported = state
        .db
        .run(move |conn| {
            crate::db::transaction(conn, |conn| {
                commit(conn, &st, &scope, &client, (&new_groups, by_name), hashed)
            })
        })
        .await?;
    report.committed = true;
    report.imported = imported;
    Ok(HttpResponse::Ok().json(report))
}

/// A file parsed and checked: the report (errors and preview), the rows, the existing groups
/// they name.
struct CheckedFile {
    report: ImportReport,
    parsed: Vec<Parsed>,
    by_name: HashMap<String, DbUuid>,
}

/// Parses the file and checks every row, in the file and against the organisation; nothing
/// is written. A file without rows is an error too.
fn check_file(
    conn: &mut DbConnection,
    st: &AppState,
    scope: &OrgScope,
    body: &[u8],
) -> Result<CheckedFile, ApiError> {
    let table = match read_table(body) {
        Ok(t) => t,
        Err(TableError::TooLarge(exceeded)) => return Err(exceeded.into()),
        Err(TableError::Invalid(reason)) => {
            return Ok(CheckedFile {
                report: file_error(reason),
                parsed: Vec::new(),
                by_name: HashMap::new(),
            });
        }
    };
    let mut errors = Vec::new();
    let (total, parsed) = parse_rows(table, &mut errors);
    let (by_name, new_groups) = if errors.is_empty() || !parsed.is_empty() {
        check_against_db(conn, st, scope, &parsed, &mut errors)?
    } else {
        (HashMap::new(), Vec::new())
    };
    errors.sort_by_key(|e| e.row);
    if errors.is_empty() && total == 0 {
        errors.push(ImportRowError {
            row: 1,
            field: "file".to_owned(),
            reason: "no_rows".to_owned(),
            item: None,
        });
    }
    let preview = parsed
        .iter()
        .take(PREVIEW_ROWS)
        .map(|p| ImportPreviewRow {
            row: p.row,
            account: p.candidate.account.as_str().to_owned(),
            name: p.candidate.name.as_str().to_owned(),
            email: p.candidate.email.as_ref().map(|e| e.as_str().to_owned()),
            phone: p.candidate.phone.as_ref().map(|m| m.as_str().to_owned()),
            groups: p.groups.clone(),
            has_password: p.password.is_some(),
        })
        .collect();
    let report = ImportReport {
        committed: false,
        total_rows: total,
        imported: 0,
        new_groups,
        errors,
        preview,
    };
    Ok(CheckedFile {
        report,
        parsed,
        by_name,
    })
}

/// Hashes the initial passwords (slow by design) one by one under the node's hashing limit,
/// so a large import shares the slots with sign-ins instead of taking them all.
async fn hash_passwords(state: &AppState, mut rows: Vec<Parsed>) -> Result<Vec<Parsed>, ApiError> {
    for p in &mut rows {
        if let Some(pw) = &p.password {
            p.candidate.password_hash = Some(state.hasher.hash(pw.expose()).await?);
        }
    }
    Ok(rows)
}

/// Creates the new groups and writes every row, in the caller's transaction; returns how many
/// candidates were written.
fn commit(
    conn: &mut DbConnection,
    st: &AppState,
    scope: &OrgScope,
    client: &ClientInfo,
    (new_groups, mut by_name): (&[String], HashMap<String, DbUuid>),
    rows: Vec<Parsed>,
) -> Result<u32, ApiError> {
    for name in new_groups {
        let id = insert_group(conn, scope, name)?;
        by_name.insert(name.clone(), id);
    }
    let mut count = 0u32;
    for mut p in rows {
        p.candidate.group_ids = p
            .groups
            .iter()
            .filter_map(|g| by_name.get(g).copied())
            .collect();
        model::insert(conn, &st.cipher, &st.bidx, scope, &p.candidate)?;
        count += 1;
    }
    client.log_change(
        conn,
        &st.cipher,
        scope,
        "candidate.import",
        Some(("candidate", String::new())),
        serde_json::json!({ "imported": count, "new_groups": new_groups.len() }),
    )?;
    Ok(count)
}
