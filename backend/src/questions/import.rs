//! Importing questions from a spreadsheet (`.xlsx`/`.xls`/`.ods`/`.csv`, one question per row
//! with a type column) or an interchange format (see `formats.rs`), with a preview and every
//! error located by row (or line) and field; all or nothing. `GET /api/question-import/template` gives the template in Chinese or English.
//!
//! A cell is plain text: it is HTML-escaped (line breaks kept) so `<` in `a<b` stays text;
//! LaTeX between `$…$` is kept as typed. Types a row cannot express (ordering, matching,
//! composite) are reported, not dropped.

use std::collections::HashMap;

use actix_web::{HttpRequest, HttpResponse, web};
use diesel::prelude::*;
use question_formats::limits::Exceeded;
use serde::Deserialize;
use shared::Lang;
use shared::access::{Level, Module};
use shared::candidates::ImportRowError;
use shared::questions::{QuestionImportReport, QuestionInput, QuestionPreviewRow};

use super::attachments;
use super::attachments::Pending;
use super::categories::CategoryPaths;
use super::formats::{self, FileKind};
use super::model::{self, Checked};
use super::template;
use crate::db::DbConnection;
use crate::db::schema::questions;
use crate::db::types::DbUuid;
use crate::errors::{ApiError, FieldErrors, ModelError};
use crate::http::ClientInfo;
use crate::scoped;
use crate::spreadsheet::{Sheet, TableError, headers_and_rows, read_table};
use crate::state::AppState;
use crate::tenancy::OrgScope;
pub(super) use question_formats::sheet::{Column, OPTION_LETTERS, row_of};

/// Most questions in one file.
pub(super) const MAX_ROWS: usize = question_formats::sheet::MAX_ROWS;
const PREVIEW_ROWS: usize = 100;

/// One row that parsed into a question.
struct Parsed {
    row: u32,
    /// The item identifier (XML formats) or the file inside a package.
    item: Option<String>,
    input: Checked,
    category: Option<String>,
}

/// A question read from a file, before it is checked.
struct Row {
    row: u32,
    item: Option<String>,
    input: QuestionInput,
    category: Option<String>,
}

/// Every row of the sheet as a question input, or the errors that stop it.
fn parse_rows(sheet: Sheet<Column>, errors: &mut Vec<ImportRowError>) -> (u32, Vec<Row>) {
    let (total, rows) = question_formats::sheet::parse_rows(sheet, errors);
    let rows = rows
        .into_iter()
        .map(|r| Row {
            row: r.row,
            item: None,
            input: r.input,
            category: r.category,
        })
        .collect();
    (total, rows)
}

/// Checks each input as the API would. For spreadsheets, `content.options[1].text` becomes
/// the row's column (`option_B`); other formats keep the field path.
fn check_rows(rows: Vec<Row>, spreadsheet: bool, errors: &mut Vec<ImportRowError>) -> Vec<Parsed> {
    let mut out = Vec::new();
    let mut seen: HashMap<String, u32> = HashMap::new();
    for Row {
        row,
        item,
        input,
        category,
    } in rows
    {
        match model::check(input) {
            Ok(checked) => {
                let key = format!(
                    "{}|{}",
                    checked.content.question_type().as_str(),
                    checked.content.stem()
                );
                if let Some(first) = seen.get(&key) {
                    errors.push(ImportRowError {
                        row,
                        field: "stem".to_owned(),
                        reason: format!("duplicate_in_file_row_{first}"),
                        item,
                    });
                    continue;
                }
                seen.insert(key, row);
                out.push(Parsed {
                    row,
                    item,
                    input: checked,
                    category,
                });
            }
            Err(ModelError::Invalid(FieldErrors(fields))) => {
                for f in fields {
                    errors.push(ImportRowError {
                        row,
                        field: if spreadsheet {
                            column_of(&f.field)
                        } else {
                            f.field
                        },
                        reason: f.reason,
                        item: item.clone(),
                    });
                }
            }
            Err(other) => {
                tracing::warn!(error = %other, "unexpected error checking an imported row")
            }
        }
    }
    out
}

/// The spreadsheet column of a field path of the question input.
fn column_of(field: &str) -> String {
    if let Some(rest) = field.strip_prefix("content.options[")
        && let Some(i) = rest.split(']').next().and_then(|i| i.parse::<usize>().ok())
        && i < OPTION_LETTERS.len()
    {
        return format!("option_{}", OPTION_LETTERS[i]);
    }
    match field {
        "content.stem" => "stem".to_owned(),
        f if f.starts_with("content.answer") || f.starts_with("content.blanks") => {
            "answer".to_owned()
        }
        "content.options" => "option_A".to_owned(),
        f => f.trim_start_matches("content.").to_owned(),
    }
}

/// Query of the import.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QuestionImportQuery {
    /// Only check the file and return the preview; write nothing.
    #[serde(default)]
    pub dry_run: bool,
    /// `xlsx`, `csv`, `gift`, `aiken`, `moodle_xml`, `qti21` or `qti30`. When absent the
    /// format is recognised by content: a zip with `imsmanifest.xml` is a QTI package, any
    /// other zip a workbook (`.xlsx`; `.xls` and `.ods` too); XML with `<quiz>` is Moodle XML,
    /// `<assessmentItem>` QTI 2.1, `<qti-assessment-item>` QTI 3.0; text with the template's
    /// headers is CSV, text with `ANSWER:` lines and no `{` Aiken, other text GIFT.
    #[param(value_type = Option<shared::schema::QuestionFileFormat>)]
    pub format: Option<String>,
}

/// Largest import file (a QTI package with its media).
pub const MAX_IMPORT_BYTES: usize = 50 * 1024 * 1024;

#[utoipa::path(
    post,
    path = "/api/question-banks/{id}/questions/import",
    operation_id = "import_questions",
    tag = "questions",
    security(("session_cookie" = []), ("api_key" = ["questions:write"])),
    params(("id" = String, Path, description = "The bank id."), QuestionImportQuery),
    request_body(content(("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), ("application/vnd.ms-excel"), ("application/vnd.oasis.opendocument.spreadsheet"), ("text/csv"), ("text/plain"), ("application/xml"), ("application/zip"), ("application/octet-stream")), description = "The file as the raw body (the format is recognised by content or named by `format`, so any `Content-Type` is accepted; these are the usual ones): a spreadsheet (.xlsx, .xls, .ods, .csv), GIFT, Aiken, Moodle XML, or QTI 2.1/3.0 (one item XML file or a content package zip). At most 50 MiB (one limit for every format, so packages can carry their media) and 10,000 questions. Images, audio and video that questions show (Moodle's embedded files, a package's files) are checked like uploads and stored as attachments of the bank on commit; their `src` becomes `/api/attachments/<id>`."),
    responses(
        (status = 200, description = "The preview (`dry_run`) or the committed import.", body = QuestionImportReport),
        (status = 403, description = "Needs `questions:write`.", body = shared::ErrorBody),
        (status = 404, description = "No such bank in this organisation.", body = shared::ErrorBody),
        (status = 413, description = "`payload_too_large`: larger than 50 MiB. `file_too_large`: the file goes past an import limit, named by `details.limit` (`rows`, `columns`, `cells`, `text_size`, `shared_strings`, `zip_entries`, `zip_entry_size`, `zip_total_size`, `compression_ratio`, `xml_size`, `file_size`) with its value in `details.max`; nothing was read further.", body = shared::ErrorBody),
        (status = 422, description = "`import_rejected`: errors in the file, nothing imported; `details` names every row (the line for text and XML formats), column or field path, and item. `validation_failed` with field `format`/`invalid_format`: unknown format.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn import_questions(
    req: HttpRequest,
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<uuid::Uuid>,
    query: web::Query<QuestionImportQuery>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    scope.require(Module::Questions, Level::Write)?;
    let bank = DbUuid(path.into_inner());
    let requested = match query.format.as_deref() {
        None | Some("") => None,
        Some(f) => Some(
            FileKind::parse(f)
                .ok_or_else(|| crate::http::Fields::single("format", "invalid_format"))?,
        ),
    };
    let client = ClientInfo::of(&req);
    let check_scope = scope.clone();
    // Parse and check on the blocking pool (CPU work for large files).
    let CheckedFile {
        mut report,
        parsed,
        media,
    } = state
        .db
        .run(move |conn| check_file(conn, &check_scope, bank, requested, &body))
        .await?;
    if query.dry_run {
        return Ok(HttpResponse::Ok().json(report));
    }
    if !report.errors.is_empty() {
        return Err(ApiError::import_rejected(&report));
    }
    let imported = commit(&state, scope, bank, (parsed, media), client).await?;
    if imported >= ANALYZE_AFTER {
        refresh_statistics(&state).await;
    }
    report.committed = true;
    report.imported = imported;
    Ok(HttpResponse::Ok().json(report))
}

/// A file parsed and checked: the report (errors and preview), the questions, their media.
struct CheckedFile {
    report: QuestionImportReport,
    parsed: Vec<Parsed>,
    media: Vec<Pending>,
}

/// Parses the file as `requested` (or the kind its content shows) and checks every row, in
/// the file and against the bank; nothing is written.
fn check_file(
    conn: &mut DbConnection,
    scope: &OrgScope,
    bank: DbUuid,
    requested: Option<FileKind>,
    body: &[u8],
) -> Result<CheckedFile, ApiError> {
    model::find_bank(conn, scope, bank)?;
    let kind =
        requested.unwrap_or_else(|| formats::detect(body, |h| Column::from_header(h).is_some()));
    let mut errors = Vec::new();
    let (total, parsed, media) = match kind {
        FileKind::Table => {
            let (total, parsed) = parse_table(body, &mut errors)?;
            (total, parsed, Vec::new())
        }
        FileKind::Format(format) => {
            let file = question_formats::parse(format, body);
            // A file past a limit is refused as a whole, not listed as a row error.
            if let Some(exceeded) = file.exceeded {
                return Err(exceeded.into());
            }
            let total = u32::try_from(file.questions.len()).unwrap_or(u32::MAX);
            if file.questions.len() > MAX_ROWS {
                errors.push(file_problem("too_many_rows"));
                (total, Vec::new(), Vec::new())
            } else {
                let (rows, media) = formats::rows_of(file, &mut errors);
                let rows = rows
                    .into_iter()
                    .map(|r| Row {
                        row: r.line,
                        item: r.item,
                        input: r.input,
                        category: r.category,
                    })
                    .collect();
                (total, check_rows(rows, false, &mut errors), media)
            }
        }
    };
    duplicates_in_bank(conn, scope, bank, &parsed, &mut errors)?;
    if errors.is_empty() && total == 0 {
        errors.push(file_problem("no_rows"));
    }
    errors.sort_by_key(|e| e.row);
    let preview = parsed
        .iter()
        .take(PREVIEW_ROWS)
        .map(|p| QuestionPreviewRow {
            row: p.row,
            question_type: p.input.content.question_type(),
            stem: p.input.content.stem().to_owned(),
            points: f64::from(p.input.points_centi) / 100.0,
            category: p.category.clone(),
        })
        .collect();
    let report = QuestionImportReport {
        committed: false,
        total_rows: total,
        imported: 0,
        errors,
        preview,
    };
    Ok(CheckedFile {
        report,
        parsed,
        media,
    })
}

/// Writes the media files, then the questions and their attachments in one transaction; the
/// files are removed again if the transaction fails. Returns how many questions were written.
async fn commit(
    state: &AppState,
    scope: OrgScope,
    bank: DbUuid,
    (parsed, media): (Vec<Parsed>, Vec<Pending>),
    client: ClientInfo,
) -> Result<u32, ApiError> {
    // Media files are written first; if the transaction fails they are removed again.
    let storage = state.storage.clone();
    let files_scope = scope.clone();
    let (media, keys) = tokio::task::spawn_blocking(move || {
        let keys = attachments::store_files(storage.as_ref(), &files_scope, &media)?;
        Ok::<_, ApiError>((media, keys))
    })
    .await??;
    let cleanup = keys.clone();
    let imported = state
        .transaction(move |conn, st| {
            attachments::insert_rows(conn, &scope, bank, &media, &keys)?;
            let mut categories = CategoryPaths::default();
            let mut count = 0u32;
            for mut p in parsed {
                p.input.category_id = match &p.category {
                    Some(path) => Some(categories.ensure(conn, &scope, bank, path)?),
                    None => None,
                };
                model::write_version(conn, &scope, bank, DbUuid::new_v7(), 1, &p.input)?;
                count += 1;
            }
            client.log_change(
                conn,
                &st.cipher,
                &scope,
                "question.import",
                Some(("question_bank", bank.to_string())),
                serde_json::json!({ "imported": count, "attachments": media.len() }),
            )?;
            Ok(count)
        })
        .await;
    if imported.is_err() {
        let storage = state.storage.clone();
        let _ = tokio::task::spawn_blocking(move || {
            attachments::remove_files(storage.as_ref(), &cleanup)
        })
        .await;
    }
    imported
}

/// Refreshes the planner's statistics after a large import.
async fn refresh_statistics(state: &AppState) {
    // A bulk import changes the tables' shape at once; PostgreSQL's planner keeps its old
    // statistics until autovacuum gets round to them, and with an empty bank's statistics
    // it plans the tag filter as a nested loop over every row (measured: minutes instead
    // of milliseconds for 10,000 questions). Refresh them now. Best effort: the import is
    // committed either way.
    let analyzed = state
        .db
        .run(|conn| {
            match conn {
                DbConnection::Pg(c) => {
                    diesel::sql_query("ANALYZE questions, question_tags, question_versions")
                        .execute(c)
                }
                DbConnection::Sqlite(c) => diesel::sql_query("PRAGMA optimize").execute(c),
            }
            .map(|_| ())
            .map_err(ApiError::from)
        })
        .await;
    if let Err(e) = analyzed {
        tracing::warn!(error = %e, "refreshing planner statistics after an import failed");
    }
}

/// Imports at least this large refresh the database's planner statistics.
const ANALYZE_AFTER: u32 = 500;

/// The questions of a spreadsheet or CSV file, checked; a file past one of the table limits
/// is an error of its own.
fn parse_table(
    body: &[u8],
    errors: &mut Vec<ImportRowError>,
) -> Result<(u32, Vec<Parsed>), Exceeded> {
    Ok(match read_table(body) {
        Err(TableError::TooLarge(exceeded)) => return Err(exceeded),
        Err(TableError::Invalid(reason)) => {
            errors.push(file_problem(reason));
            (0, Vec::new())
        }
        Ok(table) => match headers_and_rows(table, Column::from_header) {
            None => {
                errors.push(file_problem("empty_file"));
                (0, Vec::new())
            }
            Some(sheet) => {
                let (total, rows) = parse_rows(sheet, errors);
                (total, check_rows(rows, true, errors))
            }
        },
    })
}

/// What an import reads from a spreadsheet or CSV file: the errors, and each question's
/// content, points in hundredths, difficulty, explanation, tags and category path.
#[cfg(test)]
pub(crate) type ReadBack = (
    Vec<ImportRowError>,
    Vec<(
        shared::questions::QuestionContent,
        i32,
        i32,
        String,
        Vec<String>,
        Option<String>,
    )>,
);

#[cfg(test)]
pub(crate) fn read_back(body: &[u8]) -> ReadBack {
    let mut errors = Vec::new();
    let (_, parsed) = match parse_table(body, &mut errors) {
        Ok(parsed) => parsed,
        Err(exceeded) => {
            errors.push(file_problem(exceeded.limit.code()));
            (0, Vec::new())
        }
    };
    let questions = parsed
        .into_iter()
        .map(|p| {
            (
                p.input.content,
                p.input.points_centi,
                p.input.difficulty,
                p.input.explanation,
                p.input.tags,
                p.category,
            )
        })
        .collect();
    (errors, questions)
}

fn file_problem(reason: &str) -> ImportRowError {
    ImportRowError {
        row: 1,
        field: "file".to_owned(),
        reason: reason.to_owned(),
        item: None,
    }
}

/// Rows whose question (type and stem) is already in the bank.
fn duplicates_in_bank(
    conn: &mut DbConnection,
    scope: &OrgScope,
    bank: DbUuid,
    parsed: &[Parsed],
    errors: &mut Vec<ImportRowError>,
) -> Result<(), ApiError> {
    if parsed.is_empty() {
        return Ok(());
    }
    let existing: Vec<DbUuid> = scoped!(questions, scope)
        .filter(questions::bank_id.eq(bank))
        .filter(questions::status.eq("active"))
        .select(questions::id)
        .load(conn)?;
    let mut known = std::collections::HashSet::new();
    for chunk in existing.chunks(500) {
        for q in model::load_current(conn, scope, chunk)? {
            known.insert(format!(
                "{}|{}",
                q.content.question_type().as_str(),
                q.content.stem()
            ));
        }
    }
    for p in parsed {
        let key = format!(
            "{}|{}",
            p.input.content.question_type().as_str(),
            p.input.content.stem()
        );
        if known.contains(&key) {
            errors.push(ImportRowError {
                row: p.row,
                field: "stem".to_owned(),
                reason: "duplicate_in_bank".to_owned(),
                item: p.item.clone(),
            });
        }
    }
    Ok(())
}

/// Which template.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QuestionTemplateQuery {
    /// `zh-CN` (default) or `en` (any tag of those languages: `zh`, `zh-TW`, `en-GB`, …).
    #[param(pattern = r"^\s*([Zz][Hh]|[Ee][Nn])([-_][\s\S]*|\s*)$")]
    pub lang: Option<String>,
}

#[utoipa::path(
    get,
    path = "/api/question-import/template",
    operation_id = "question_import_template",
    tag = "questions",
    security(("session_cookie" = []), ("api_key" = ["questions:read"])),
    params(QuestionTemplateQuery),
    responses(
        (status = 200, description = "The .xlsx template with an example of each type it can hold.", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 403, description = "Needs `questions:read`.", body = shared::ErrorBody),
        (status = 422, description = "Unknown language.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn question_import_template(
    scope: OrgScope,
    query: web::Query<QuestionTemplateQuery>,
) -> Result<HttpResponse, ApiError> {
    scope.require(Module::Questions, Level::Read)?;
    let lang = match query.lang.as_deref() {
        None => Lang::ZhCn,
        Some(l) => Lang::from_tag(l)
            .ok_or_else(|| crate::http::Fields::single("lang", "invalid_format"))?,
    };
    let body = template::workbook(lang)
        .map_err(|e| ApiError::Internal(anyhow::Error::new(e).context("template")))?;
    Ok(crate::spreadsheet::download(
        body,
        crate::spreadsheet::XLSX,
        template::file_name(lang),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_field_paths_map_to_the_sheet_columns() {
        assert_eq!(column_of("content.options[2].text"), "option_C");
        assert_eq!(column_of("content.blanks[0].answers"), "answer");
    }
}
