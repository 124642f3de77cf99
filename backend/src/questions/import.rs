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
use question_formats::cells::neutralise;
use question_formats::limits::Exceeded;
use rust_xlsxwriter::{Format, Workbook};
use serde::Deserialize;
use shared::Lang;
use shared::access::{Level, Module};
use shared::candidates::ImportRowError;
use shared::questions::{QuestionImportReport, QuestionInput, QuestionPreviewRow};

use super::attachments;
use super::formats::{self, FileKind};
use super::model::{self, Checked};
use crate::accounts::ClientInfo;
use crate::db::DbConnection;
use crate::db::schema::{question_categories, questions};
use crate::db::types::{DbUuid, Timestamp};
use crate::errors::ApiError;
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
            Err(ApiError::Validation { fields }) => {
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
    let dry_run = query.dry_run;
    let requested = match query.format.as_deref() {
        None | Some("") => None,
        Some(f) => Some(
            FileKind::parse(f)
                .ok_or_else(|| crate::accounts::Fields::single("format", "invalid_format"))?,
        ),
    };
    let client = ClientInfo::of(&req);
    let scope2 = scope.clone();
    // Parse and check on the blocking pool (CPU work for large files).
    let (mut report, parsed, media) = state
        .db
        .run(move |conn| {
            model::find_bank(conn, &scope2, bank)?;
            let kind = requested
                .unwrap_or_else(|| formats::detect(&body, |h| Column::from_header(h).is_some()));
            let mut errors = Vec::new();
            let (total, parsed, media) = match kind {
                FileKind::Table => {
                    let (total, parsed) = parse_table(&body, &mut errors)?;
                    (total, parsed, Vec::new())
                }
                FileKind::Format(format) => {
                    let file = question_formats::parse(format, &body);
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
            duplicates_in_bank(conn, &scope2, bank, &parsed, &mut errors)?;
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
            Ok::<_, ApiError>((report, parsed, media))
        })
        .await?;
    if dry_run {
        return Ok(HttpResponse::Ok().json(report));
    }
    if !report.errors.is_empty() {
        return Err(ApiError::import_rejected(&report));
    }
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
    let imported = match imported {
        Ok(n) => n,
        Err(e) => {
            let storage = state.storage.clone();
            let _ = tokio::task::spawn_blocking(move || {
                attachments::remove_files(storage.as_ref(), &cleanup)
            })
            .await;
            return Err(e);
        }
    };
    if imported >= ANALYZE_AFTER {
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
    report.committed = true;
    report.imported = imported;
    Ok(HttpResponse::Ok().json(report))
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

/// Categories named by path (`数学/代数`) in an import, found or created once each.
#[derive(Default)]
struct CategoryPaths(HashMap<String, DbUuid>);

impl CategoryPaths {
    fn ensure(
        &mut self,
        conn: &mut DbConnection,
        scope: &OrgScope,
        bank: DbUuid,
        path: &str,
    ) -> Result<DbUuid, ApiError> {
        let mut parent: Option<DbUuid> = None;
        let mut so_far = String::new();
        for name in path
            .split(['/', '／', '>'])
            .map(str::trim)
            .filter(|n| !n.is_empty())
        {
            so_far.push('/');
            so_far.push_str(name);
            if let Some(id) = self.0.get(&so_far) {
                parent = Some(*id);
                continue;
            }
            let existing: Option<DbUuid> = scoped!(question_categories, scope)
                .filter(question_categories::bank_id.eq(bank))
                .filter(question_categories::name.eq(name))
                .select((question_categories::id, question_categories::parent_id))
                .load::<(DbUuid, Option<DbUuid>)>(conn)?
                .into_iter()
                .find(|(_, p)| *p == parent)
                .map(|(id, _)| id);
            let id = match existing {
                Some(id) => id,
                None => {
                    let id = DbUuid::new_v7();
                    diesel::insert_into(question_categories::table)
                        .values((
                            question_categories::id.eq(id),
                            question_categories::org_id.eq(scope.org_id()),
                            question_categories::bank_id.eq(bank),
                            question_categories::parent_id.eq(parent),
                            question_categories::name.eq(name),
                            question_categories::created_at.eq(Timestamp::now()),
                        ))
                        .execute(conn)?;
                    id
                }
            };
            self.0.insert(so_far.clone(), id);
            parent = Some(id);
        }
        parent.ok_or_else(|| crate::accounts::Fields::single("category", "invalid_format"))
    }
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
            .ok_or_else(|| crate::accounts::Fields::single("lang", "invalid_format"))?,
    };
    let build = || -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
        let mut book = Workbook::new();
        let bold = Format::new().set_bold();
        let text = Format::new().set_num_format("@");
        let sheet = book.add_worksheet();
        sheet.set_name(match lang {
            Lang::ZhCn => "试题",
            Lang::En => "Questions",
        })?;
        for (i, c) in Column::all().into_iter().enumerate() {
            let col = u16::try_from(i).unwrap_or(0);
            sheet.write_string_with_format(0, col, neutralise(&c.header(lang)), &bold)?;
            sheet.set_column_format(col, &text)?;
            sheet.set_column_width(col, if c == Column::Stem { 40 } else { 14 })?;
        }
        sheet.set_freeze_panes(1, 0)?;
        let examples: &[[&str; 16]] = match lang {
            Lang::ZhCn => &[
                [
                    "单选题",
                    "中国的首都是？",
                    "上海",
                    "北京",
                    "广州",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "B",
                    "2",
                    "1",
                    "北京是首都。",
                    "地理;常识",
                    "地理/中国",
                ],
                [
                    "多选题",
                    "下列哪些是质数？",
                    "2",
                    "4",
                    "5",
                    "9",
                    "",
                    "",
                    "",
                    "",
                    "AC",
                    "3",
                    "2",
                    "",
                    "数学",
                    "数学/数论",
                ],
                [
                    "判断题",
                    "$e^{i\\pi}+1=0$",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "对",
                    "1",
                    "3",
                    "",
                    "数学",
                    "",
                ],
                [
                    "填空题",
                    "水的化学式是____，圆周率约为____。",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "H2O;H₂O|3.14",
                    "2",
                    "2",
                    "",
                    "",
                    "化学",
                ],
                [
                    "简答题",
                    "简述光合作用的过程。",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "参考答案要点……",
                    "10",
                    "4",
                    "",
                    "",
                    "生物",
                ],
            ],
            Lang::En => &[
                [
                    "single_choice",
                    "What is the capital of China?",
                    "Shanghai",
                    "Beijing",
                    "Guangzhou",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "B",
                    "2",
                    "1",
                    "",
                    "geography",
                    "Geography/China",
                ],
                [
                    "multiple_choice",
                    "Which are primes?",
                    "2",
                    "4",
                    "5",
                    "9",
                    "",
                    "",
                    "",
                    "",
                    "AC",
                    "3",
                    "2",
                    "",
                    "maths",
                    "Maths/Numbers",
                ],
                [
                    "true_false",
                    "$e^{i\\pi}+1=0$",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "true",
                    "1",
                    "3",
                    "",
                    "maths",
                    "",
                ],
                [
                    "fill_blank",
                    "Water is ____; pi is about ____.",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "H2O|3.14",
                    "2",
                    "2",
                    "",
                    "",
                    "Chemistry",
                ],
                [
                    "essay",
                    "Describe photosynthesis.",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "Key points…",
                    "10",
                    "4",
                    "",
                    "",
                    "Biology",
                ],
            ],
        };
        let help = book.add_worksheet();
        help.set_name(match lang {
            Lang::ZhCn => "示例与说明",
            Lang::En => "Examples",
        })?;
        for (i, c) in Column::all().into_iter().enumerate() {
            let col = u16::try_from(i).unwrap_or(0);
            help.write_string_with_format(0, col, neutralise(&c.header(lang)), &bold)?;
        }
        for (r, row) in examples.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                help.write_string(
                    u32::try_from(r + 1).unwrap_or(1),
                    u16::try_from(c).unwrap_or(0),
                    neutralise(cell),
                )?;
            }
        }
        let note = match lang {
            Lang::ZhCn => {
                "题型：单选题/多选题/判断题/填空题/简答题。答案：单选填字母，多选填多个字母，判断填对/错，填空题用 | 分隔各空、用 ; 分隔同一空的多个答案（题干中用 ____ 或 （） 标出空位），简答题填参考答案。难度 1–5，分值默认 1。分类用 / 表示层级。将示例行复制到“试题”工作表即可导入。"
            }
            Lang::En => {
                "Types: single_choice, multiple_choice, true_false, fill_blank, essay. Answer: a letter, several letters, true/false, blanks separated by | with alternatives separated by ; (mark blanks in the stem with ____), or the reference answer. Difficulty 1–5; points default to 1. Category levels are separated by /. Copy example rows to the first sheet to import them."
            }
        };
        help.write_string(
            u32::try_from(examples.len() + 2).unwrap_or(7),
            0,
            neutralise(note),
        )?;
        book.save_to_buffer()
    };
    let body =
        build().map_err(|e| ApiError::Internal(anyhow::Error::new(e).context("template")))?;
    let name = match lang {
        Lang::ZhCn => "questions-template-zh.xlsx",
        Lang::En => "questions-template-en.xlsx",
    };
    Ok(crate::spreadsheet::download(
        body,
        crate::spreadsheet::XLSX,
        name,
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
