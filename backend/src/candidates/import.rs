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
use shared::Lang;
use shared::access::{Level, Module};
use shared::candidates::{ImportPreviewRow, ImportReport, ImportRowError};

use super::groups::{insert_group, parse_group_name};
use super::model::{self, NewCandidate};
use crate::accounts::ClientInfo;
use crate::accounts::model::contact_index;
use crate::db::DbConnection;
use crate::db::schema::{candidate_groups, candidates};
use crate::db::types::DbUuid;
use crate::domain::{CandidateAccount, CnMobile, Contact, Email, IdNumber, Password, PersonName};
use crate::errors::ApiError;
use crate::scoped;
use crate::spreadsheet::{Table, TableError, read_table};
use crate::state::AppState;
use crate::tenancy::OrgScope;

/// Most data rows in one file.
pub const MAX_ROWS: usize = 10_000;
/// Rows shown in the preview.
const PREVIEW_ROWS: usize = 100;

/// A column of the import file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    Account,
    Name,
    Phone,
    Email,
    IdNumber,
    Password,
    Groups,
}

impl Column {
    pub const ALL: [Column; 7] = [
        Column::Account,
        Column::Name,
        Column::Phone,
        Column::Email,
        Column::IdNumber,
        Column::Password,
        Column::Groups,
    ];

    /// The field name used in errors.
    pub fn field(self) -> &'static str {
        match self {
            Column::Account => "account",
            Column::Name => "name",
            Column::Phone => "phone",
            Column::Email => "email",
            Column::IdNumber => "id_number",
            Column::Password => "password",
            Column::Groups => "groups",
        }
    }

    pub fn required(self) -> bool {
        matches!(self, Column::Account | Column::Name)
    }

    /// Accepted headers; the first is the template's.
    pub fn names(self, lang: Lang) -> &'static [&'static str] {
        match (self, lang) {
            (Column::Account, Lang::ZhCn) => &["账号", "登录账号", "考生账号", "学号", "工号"],
            (Column::Account, Lang::En) => &["account", "login account", "username"],
            (Column::Name, Lang::ZhCn) => &["姓名", "考生姓名"],
            (Column::Name, Lang::En) => &["name", "full name"],
            (Column::Phone, Lang::ZhCn) => &["手机号", "手机", "手机号码"],
            (Column::Phone, Lang::En) => &["phone", "mobile", "mobile number"],
            (Column::Email, Lang::ZhCn) => &["邮箱", "电子邮箱", "邮件"],
            (Column::Email, Lang::En) => &["email", "e-mail", "email address"],
            (Column::IdNumber, Lang::ZhCn) => &["身份证号", "身份证号码", "身份证"],
            (Column::IdNumber, Lang::En) => &["id number", "id_number", "id no"],
            (Column::Password, Lang::ZhCn) => &["初始密码", "密码"],
            (Column::Password, Lang::En) => &["password", "initial password"],
            (Column::Groups, Lang::ZhCn) => &["分组", "组别", "班级"],
            (Column::Groups, Lang::En) => &["groups", "group"],
        }
    }

    pub fn help(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Column::Account, Lang::ZhCn) => {
                "必填。2–40 位字母、数字、_ . -（可用学号、工号），机构内唯一，不区分大小写。"
            }
            (Column::Account, Lang::En) => {
                "Required. 2–40 letters, digits, _ . - (student or employee numbers work); unique in the organisation, case-insensitive."
            }
            (Column::Name, Lang::ZhCn) => "必填。考生姓名，最多 50 个字符。",
            (Column::Name, Lang::En) => "Required. The candidate's name, at most 50 characters.",
            (Column::Phone, Lang::ZhCn) => {
                "选填。中国大陆手机号，可带 +86；机构内唯一。可用于验证码登录。"
            }
            (Column::Phone, Lang::En) => {
                "Optional. A mainland-China mobile number, +86 allowed; unique in the organisation. Enables sign-in by code."
            }
            (Column::Email, Lang::ZhCn) => "选填。邮箱地址，机构内唯一。可用于验证码登录。",
            (Column::Email, Lang::En) => {
                "Optional. An email address, unique in the organisation. Enables sign-in by code."
            }
            (Column::IdNumber, Lang::ZhCn) => {
                "选填。18 位居民身份证号码（校验位会被检查）。请以文本格式填写。"
            }
            (Column::IdNumber, Lang::En) => {
                "Optional. An 18-character resident ID number (the check digit is verified). Enter it as text."
            }
            (Column::Password, Lang::ZhCn) => {
                "选填。初始密码，至少 8 位。未填写时须填写手机号或邮箱（考生用验证码登录）。"
            }
            (Column::Password, Lang::En) => {
                "Optional. An initial password, at least 8 characters. Without one, a phone or email is required (sign-in by code)."
            }
            (Column::Groups, Lang::ZhCn) => {
                "选填。分组名称，多个用 ; 或 、 分隔；不存在的分组会自动创建。"
            }
            (Column::Groups, Lang::En) => {
                "Optional. Group names separated by ; — groups that do not exist yet are created."
            }
        }
    }

    fn from_header(header: &str) -> Option<Column> {
        let h = header
            .trim()
            .trim_end_matches(['*', '＊'])
            .trim()
            .to_lowercase()
            .replace('_', " ");
        Column::ALL.into_iter().find(|c| {
            [Lang::ZhCn, Lang::En]
                .iter()
                .any(|l| c.names(*l).iter().any(|n| n.replace('_', " ") == h))
        })
    }
}

/// Query of the import.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// Only check the file and return the preview; write nothing.
    #[serde(default)]
    pub dry_run: bool,
}

/// A file-level problem (reported as row 1, field `file`).
fn file_error(reason: &str) -> ImportReport {
    ImportReport {
        committed: false,
        total_rows: 0,
        imported: 0,
        new_groups: Vec::new(),
        errors: vec![ImportRowError {
            row: 1,
            field: "file".to_owned(),
            reason: reason.to_owned(),
            item: None,
        }],
        preview: Vec::new(),
    }
}

/// One row that passed the field checks.
struct Parsed {
    row: u32,
    candidate: NewCandidate,
    /// The plaintext initial password, hashed only when committing.
    password: Option<Password>,
    groups: Vec<String>,
}

/// Parses and checks every row; `errors` collects every problem.
fn parse_rows(table: Table, errors: &mut Vec<ImportRowError>) -> (u32, Vec<Parsed>) {
    let Some(crate::spreadsheet::Sheet {
        header_row,
        columns,
        duplicates,
        rows: data,
    }) = crate::spreadsheet::headers_and_rows(table, Column::from_header)
    else {
        errors.push(ImportRowError {
            row: 1,
            field: "file".to_owned(),
            reason: "empty_file".to_owned(),
            item: None,
        });
        return (0, Vec::new());
    };
    for c in duplicates {
        errors.push(ImportRowError {
            row: header_row,
            field: c.field().to_owned(),
            reason: "duplicate_column".to_owned(),
            item: None,
        });
    }
    for c in Column::ALL.iter().filter(|c| c.required()) {
        if !columns.contains_key(c) {
            errors.push(ImportRowError {
                row: header_row,
                field: c.field().to_owned(),
                reason: "missing_column".to_owned(),
                item: None,
            });
        }
    }
    if !errors.is_empty() {
        return (0, Vec::new());
    }
    let total = u32::try_from(data.len()).unwrap_or(u32::MAX);
    if data.len() > MAX_ROWS {
        errors.push(ImportRowError {
            row: 1,
            field: "file".to_owned(),
            reason: "too_many_rows".to_owned(),
            item: None,
        });
        return (total, Vec::new());
    }
    let mut parsed = Vec::new();
    let mut seen: HashMap<(Column, String), u32> = HashMap::new();
    for (row, cells) in data {
        let get = |c: Column| -> &str {
            columns
                .get(&c)
                .and_then(|i| cells.get(*i))
                .map_or("", |s| s.trim())
        };
        let mut fail = |c: Column, reason: &str| {
            errors.push(ImportRowError {
                row,
                field: c.field().to_owned(),
                reason: reason.to_owned(),
                item: None,
            });
        };
        let mut check = |c: Column, r: Result<(), crate::domain::Invalid>| {
            if let Err(why) = r {
                fail(c, why.as_str());
                false
            } else {
                true
            }
        };
        let account = CandidateAccount::parse(get(Column::Account));
        let name = PersonName::parse(get(Column::Name));
        let optional = |c: Column| Some(get(c)).filter(|v| !v.is_empty());
        let phone = optional(Column::Phone).map(CnMobile::parse).transpose();
        let email = optional(Column::Email).map(Email::parse).transpose();
        let id_number = optional(Column::IdNumber).map(IdNumber::parse).transpose();
        let password = optional(Column::Password).map(Password::parse).transpose();
        let mut ok = check(
            Column::Account,
            account.as_ref().map(|_| ()).map_err(|e| *e),
        );
        ok &= check(Column::Name, name.as_ref().map(|_| ()).map_err(|e| *e));
        ok &= check(Column::Phone, phone.as_ref().map(|_| ()).map_err(|e| *e));
        ok &= check(Column::Email, email.as_ref().map(|_| ()).map_err(|e| *e));
        ok &= check(
            Column::IdNumber,
            id_number.as_ref().map(|_| ()).map_err(|e| *e),
        );
        ok &= check(
            Column::Password,
            password.as_ref().map(|_| ()).map_err(|e| *e),
        );
        let mut groups: Vec<String> = Vec::new();
        for g in get(Column::Groups)
            .split([';', '；', '、', ',', '，', '\n'])
            .map(str::trim)
            .filter(|g| !g.is_empty())
        {
            match parse_group_name(g) {
                Ok(g) if !groups.contains(&g) => groups.push(g),
                Ok(_) => {}
                Err(why) => {
                    fail(Column::Groups, why);
                    ok = false;
                }
            }
        }
        let (Ok(account), Ok(name), Ok(phone), Ok(email), Ok(id_number), Ok(password)) =
            (account, name, phone, email, id_number, password)
        else {
            continue;
        };
        if password.is_none() && phone.is_none() && email.is_none() {
            fail(Column::Password, "required");
            ok = false;
        }
        // The same account, phone or email twice in the file.
        let mut keys = vec![(Column::Account, account.as_str().to_owned())];
        if let Some(p) = &phone {
            keys.push((Column::Phone, p.as_str().to_owned()));
        }
        if let Some(e) = &email {
            keys.push((Column::Email, e.lookup_key()));
        }
        for key in keys {
            if let Some(first) = seen.get(&key) {
                errors.push(ImportRowError {
                    row,
                    field: key.0.field().to_owned(),
                    reason: format!("duplicate_in_file_row_{first}"),
                    item: None,
                });
                ok = false;
            } else {
                seen.insert(key, row);
            }
        }
        if ok {
            parsed.push(Parsed {
                row,
                candidate: NewCandidate {
                    account,
                    name,
                    email,
                    phone,
                    id_number,
                    password_hash: None,
                    group_ids: Vec::new(),
                },
                password,
                groups,
            });
        }
    }
    (total, parsed)
}

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
    let dry_run = query.dry_run;
    let st = state.clone();
    let scope2 = scope.clone();
    // Parsing a large workbook is CPU work: off the request threads.
    let (mut report, parsed, by_name) = state
        .db
        .run(move |conn| {
            let table = match read_table(&body) {
                Ok(t) => t,
                Err(TableError::TooLarge(exceeded)) => return Err(exceeded.into()),
                Err(TableError::Invalid(reason)) => {
                    return Ok((file_error(reason), Vec::new(), HashMap::new()));
                }
            };
            let mut errors = Vec::new();
            let (total, parsed) = parse_rows(table, &mut errors);
            let (by_name, new_groups) = if errors.is_empty() || !parsed.is_empty() {
                check_against_db(conn, &st, &scope2, &parsed, &mut errors)?
            } else {
                (HashMap::new(), Vec::new())
            };
            errors.sort_by_key(|e| e.row);
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
            Ok::<_, ApiError>((report, parsed, by_name))
        })
        .await?;
    if report.errors.is_empty() && report.total_rows == 0 {
        report.errors.push(ImportRowError {
            row: 1,
            field: "file".to_owned(),
            reason: "no_rows".to_owned(),
            item: None,
        });
    }
    if dry_run {
        return Ok(HttpResponse::Ok().json(report));
    }
    if !report.errors.is_empty() {
        return Err(ApiError::import_rejected(&report));
    }

    // Hash the initial passwords (slow by design) one by one under the node's hashing limit,
    // so a large import shares the slots with sign-ins instead of taking them all.
    let mut hashed = parsed;
    for p in &mut hashed {
        if let Some(pw) = &p.password {
            p.candidate.password_hash = Some(state.hasher.hash(pw.expose()).await?);
        }
    }

    let client = ClientInfo::of(&req);
    let st = state.clone();
    let new_groups = report.new_groups.clone();
    let imported = state
        .db
        .run(move |conn| {
            crate::db::transaction(conn, |conn| {
                let mut by_name = by_name;
                for name in &new_groups {
                    let id = insert_group(conn, &scope, name)?;
                    by_name.insert(name.clone(), id);
                }
                let mut count = 0u32;
                for mut p in hashed {
                    p.candidate.group_ids = p
                        .groups
                        .iter()
                        .filter_map(|g| by_name.get(g).copied())
                        .collect();
                    model::insert(conn, &st.cipher, &st.bidx, &scope, &p.candidate)?;
                    count += 1;
                }
                client.log_change(
                    conn,
                    &st.cipher,
                    &scope,
                    "candidate.import",
                    Some(("candidate", String::new())),
                    serde_json::json!({ "imported": count, "new_groups": new_groups.len() }),
                )?;
                Ok::<_, ApiError>(count)
            })
        })
        .await?;
    report.committed = true;
    report.imported = imported;
    Ok(HttpResponse::Ok().json(report))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(rows: &[&[&str]]) -> Table {
        rows.iter()
            .enumerate()
            .map(|(i, r)| {
                (
                    u32::try_from(i + 1).unwrap(),
                    r.iter().map(|s| (*s).to_owned()).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn headers_in_either_language_and_per_row_errors() {
        let mut errors = Vec::new();
        let (total, rows) = parse_rows(
            table(&[
                &["账号*", "姓名*", "手机号", "Email", "分组", "备注"],
                &["2023001", "李雷", "138 0013 8000", "", "一班；二班", "x"],
                &["2023002", "", "12345", "", "", ""],
                &["", "", "", "", "", ""],
                &["2023001", "韩梅梅", "", "hmm@example.com", "", ""],
            ]),
            &mut errors,
        );
        assert_eq!(total, 3);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].groups, vec!["一班", "二班"]);
        assert_eq!(
            rows[0].candidate.phone.as_ref().map(CnMobile::as_str),
            Some("+8613800138000")
        );
        let got: Vec<(u32, &str, &str)> = errors
            .iter()
            .map(|e| (e.row, e.field.as_str(), e.reason.as_str()))
            .collect();
        assert!(got.contains(&(3, "name", "required")), "{got:?}");
        assert!(got.contains(&(3, "phone", "invalid_format")), "{got:?}");
        assert!(
            got.contains(&(5, "account", "duplicate_in_file_row_2")),
            "{got:?}"
        );
    }

    #[test]
    fn a_missing_required_column_is_a_file_error() {
        let mut errors = Vec::new();
        parse_rows(
            table(&[&["name", "phone"], &["Li Lei", "13800138000"]]),
            &mut errors,
        );
        assert_eq!(errors.len(), 1);
        assert_eq!(
            (errors[0].field.as_str(), errors[0].reason.as_str()),
            ("account", "missing_column")
        );
    }

    #[test]
    fn gbk_csv_and_numeric_cells_are_read() {
        let (gbk, _, _) = encoding_rs::GBK.encode("账号,姓名,手机号\n2023001,李雷,13800138000\n");
        let t = read_table(&gbk).unwrap();
        assert_eq!(t[1].1, vec!["2023001", "李雷", "13800138000"]);
        assert_eq!(read_table(b""), Err(TableError::Invalid("empty_file")));
        assert_eq!(
            read_table(b"PK\x03\x04garbage"),
            Err(TableError::Invalid("unreadable_spreadsheet"))
        );
    }
}
