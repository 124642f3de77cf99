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
use rust_xlsxwriter::{Format, Workbook};
use serde::Deserialize;
use shared::Lang;
use shared::access::{Level, Module};
use shared::candidates::ImportRowError;
use shared::questions::{
    Blank, Choice, QuestionContent, QuestionImportReport, QuestionInput, QuestionPreviewRow,
};

use super::attachments;
use super::formats::{self, FileKind};
use super::model::{self, Checked};
use crate::accounts::ClientInfo;
use crate::db::DbConnection;
use crate::db::schema::{question_categories, questions};
use crate::db::types::{DbUuid, Timestamp};
use crate::errors::ApiError;
use crate::scoped;
use crate::spreadsheet::{Sheet, headers_and_rows, read_table};
use crate::state::AppState;
use crate::tenancy::OrgScope;

/// Most questions in one file.
pub(super) const MAX_ROWS: usize = 10_000;
const PREVIEW_ROWS: usize = 100;
/// Option columns A to H.
const OPTION_LETTERS: [char; 8] = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Column {
    Type,
    Stem,
    Option(usize),
    Answer,
    Points,
    Difficulty,
    Explanation,
    Tags,
    Category,
}

impl Column {
    pub(super) fn all() -> Vec<Column> {
        let mut v = vec![Column::Type, Column::Stem];
        v.extend((0..OPTION_LETTERS.len()).map(Column::Option));
        v.extend([
            Column::Answer,
            Column::Points,
            Column::Difficulty,
            Column::Explanation,
            Column::Tags,
            Column::Category,
        ]);
        v
    }

    fn field(self) -> String {
        match self {
            Column::Type => "type".to_owned(),
            Column::Stem => "stem".to_owned(),
            Column::Option(i) => format!("option_{}", OPTION_LETTERS[i]),
            Column::Answer => "answer".to_owned(),
            Column::Points => "points".to_owned(),
            Column::Difficulty => "difficulty".to_owned(),
            Column::Explanation => "explanation".to_owned(),
            Column::Tags => "tags".to_owned(),
            Column::Category => "category".to_owned(),
        }
    }

    /// The template's header.
    pub(super) fn header(self, lang: Lang) -> String {
        let required = matches!(self, Column::Type | Column::Stem | Column::Answer);
        let name = match (self, lang) {
            (Column::Type, Lang::ZhCn) => "题型".to_owned(),
            (Column::Type, Lang::En) => "type".to_owned(),
            (Column::Stem, Lang::ZhCn) => "题干".to_owned(),
            (Column::Stem, Lang::En) => "stem".to_owned(),
            (Column::Option(i), Lang::ZhCn) => format!("选项{}", OPTION_LETTERS[i]),
            (Column::Option(i), Lang::En) => format!("option {}", OPTION_LETTERS[i]),
            (Column::Answer, Lang::ZhCn) => "答案".to_owned(),
            (Column::Answer, Lang::En) => "answer".to_owned(),
            (Column::Points, Lang::ZhCn) => "分值".to_owned(),
            (Column::Points, Lang::En) => "points".to_owned(),
            (Column::Difficulty, Lang::ZhCn) => "难度".to_owned(),
            (Column::Difficulty, Lang::En) => "difficulty".to_owned(),
            (Column::Explanation, Lang::ZhCn) => "解析".to_owned(),
            (Column::Explanation, Lang::En) => "explanation".to_owned(),
            (Column::Tags, Lang::ZhCn) => "标签".to_owned(),
            (Column::Tags, Lang::En) => "tags".to_owned(),
            (Column::Category, Lang::ZhCn) => "分类".to_owned(),
            (Column::Category, Lang::En) => "category".to_owned(),
        };
        if required { format!("{name}*") } else { name }
    }

    fn from_header(h: &str) -> Option<Column> {
        let h = h.trim().trim_end_matches(['*', '＊']).trim().to_lowercase();
        let h = h.replace(['_', '-'], " ");
        Column::all().into_iter().find(|c| {
            [Lang::ZhCn, Lang::En].iter().any(|l| {
                c.header(*l)
                    .trim_end_matches('*')
                    .to_lowercase()
                    .replace('_', " ")
                    == h
            }) || match c {
                Column::Option(i) => h == OPTION_LETTERS[*i].to_ascii_lowercase().to_string(),
                Column::Stem => h == "题目" || h == "question",
                Column::Difficulty => h == "难易度",
                _ => false,
            }
        })
    }
}

/// The question type named in a cell (Chinese or English).
fn parse_type(s: &str) -> Option<&'static str> {
    let s = s.trim().to_lowercase().replace([' ', '-'], "_");
    Some(match s.as_str() {
        "单选" | "单选题" | "single_choice" | "single" => "single_choice",
        "多选" | "多选题" | "multiple_choice" | "multiple" => "multiple_choice",
        "判断" | "判断题" | "true_false" | "truefalse" => "true_false",
        "填空" | "填空题" | "fill_blank" | "fill_in_blank" => "fill_blank",
        "简答" | "简答题" | "问答题" | "论述题" | "essay" | "short_answer" => "essay",
        "排序" | "排序题" | "ordering" | "配对" | "连线题" | "matching" | "组合题"
        | "composite" => "unsupported",
        _ => return None,
    })
}

/// The type, stem, option and answer cells of a question as the template's row (the other
/// cells empty), if a row can hold it: the inverse of [`parse_rows`].
pub(super) fn row_of(content: &QuestionContent) -> Option<Vec<String>> {
    let plain = question_formats::html_to_plain;
    let columns = Column::all();
    let mut cells = vec![String::new(); columns.len()];
    let mut set = |c: Column, v: String| {
        if let Some(i) = columns.iter().position(|x| *x == c) {
            cells[i] = v;
        }
    };
    let letter = |options: &[Choice], id: &str| {
        options
            .iter()
            .position(|o| o.id == id)
            .and_then(|i| OPTION_LETTERS.get(i))
            .map(char::to_string)
    };
    let mut set_options = |options: &[Choice]| -> Option<()> {
        if options.len() > OPTION_LETTERS.len() {
            return None;
        }
        for (i, o) in options.iter().enumerate() {
            set(Column::Option(i), plain(&o.text));
        }
        Some(())
    };
    let (kind, stem, answer) = match content {
        QuestionContent::SingleChoice {
            stem,
            options,
            answer,
        } => {
            set_options(options)?;
            ("single_choice", stem, letter(options, answer)?)
        }
        QuestionContent::MultipleChoice {
            stem,
            options,
            answers,
        } => {
            set_options(options)?;
            let letters: Option<Vec<String>> = answers.iter().map(|a| letter(options, a)).collect();
            ("multiple_choice", stem, letters?.concat())
        }
        QuestionContent::TrueFalse { stem, answer } => ("true_false", stem, answer.to_string()),
        QuestionContent::FillBlank { stem, blanks } => (
            "fill_blank",
            stem,
            blanks
                .iter()
                .map(|b| b.answers.join(";"))
                .collect::<Vec<_>>()
                .join("|"),
        ),
        QuestionContent::Essay {
            stem,
            reference_answer,
            ..
        } => ("essay", stem, plain(reference_answer)),
        QuestionContent::Ordering { .. }
        | QuestionContent::Matching { .. }
        | QuestionContent::Composite { .. } => return None,
    };
    set(Column::Type, kind.to_owned());
    set(Column::Stem, plain(stem));
    set(Column::Answer, answer);
    Some(cells)
}

/// A cell's plain text as rich text: escaped, line breaks kept.
pub(super) fn rich(text: &str) -> String {
    let escaped = text
        .trim()
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;");
    format!(
        "<p>{}</p>",
        escaped.replace("\r\n", "\n").replace('\n', "<br>")
    )
}

/// Runs of 3+ underscores or an empty pair of brackets mark blanks; they become `{{1}}`, `{{2}}`…
fn mark_blanks(stem: &str) -> String {
    if !shared::questions::blank_markers(stem).is_empty() {
        return stem.to_owned();
    }
    let mut out = String::new();
    let mut n = 0;
    let chars: Vec<char> = stem.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let underscores = chars[i..].iter().take_while(|c| **c == '_').count();
        let bracket = matches!(
            (chars.get(i), chars.get(i + 1), chars.get(i + 2)),
            (Some('（'), Some('）'), _) | (Some('('), Some(')'), _)
        );
        if underscores >= 3 {
            n += 1;
            out.push_str(&format!("{{{{{n}}}}}"));
            i += underscores;
        } else if bracket {
            n += 1;
            out.push_str(&format!("{{{{{n}}}}}"));
            i += 2;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

fn split_list(s: &str) -> Vec<String> {
    s.split([';', '；', '、', ',', '，', '\n'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

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

/// Every row of the sheet as a question input or the errors that stop it.
fn parse_rows(sheet: Sheet<Column>, errors: &mut Vec<ImportRowError>) -> (u32, Vec<Row>) {
    let Sheet {
        header_row,
        columns,
        duplicates,
        rows,
    } = sheet;
    let err = |errors: &mut Vec<ImportRowError>, row: u32, field: String, reason: &str| {
        errors.push(ImportRowError {
            row,
            field,
            reason: reason.to_owned(),
            item: None,
        })
    };
    for c in duplicates {
        err(errors, header_row, c.field(), "duplicate_column");
    }
    for c in [Column::Type, Column::Stem, Column::Answer] {
        if !columns.contains_key(&c) {
            err(errors, header_row, c.field(), "missing_column");
        }
    }
    if !errors.is_empty() {
        return (0, Vec::new());
    }
    let total = u32::try_from(rows.len()).unwrap_or(u32::MAX);
    if rows.len() > MAX_ROWS {
        err(errors, 1, "file".to_owned(), "too_many_rows");
        return (total, Vec::new());
    }
    let mut out = Vec::new();
    for (row, cells) in rows {
        let get = |c: Column| -> &str {
            columns
                .get(&c)
                .and_then(|i| cells.get(*i))
                .map_or("", |s| s.trim())
        };
        let before = errors.len();
        let Some(kind) = parse_type(get(Column::Type)) else {
            err(errors, row, "type".to_owned(), "unknown_type");
            continue;
        };
        if kind == "unsupported" {
            err(
                errors,
                row,
                "type".to_owned(),
                "type_not_supported_by_format",
            );
            continue;
        }
        let stem_text = get(Column::Stem);
        let options: Vec<Choice> = (0..OPTION_LETTERS.len())
            .filter(|i| !get(Column::Option(*i)).is_empty())
            .map(|i| Choice {
                id: OPTION_LETTERS[i].to_string(),
                text: rich(get(Column::Option(i))),
            })
            .collect();
        let answer = get(Column::Answer);
        let letters = || -> Vec<String> {
            answer
                .chars()
                .filter(|c| c.is_ascii_alphabetic())
                .map(|c| c.to_ascii_uppercase().to_string())
                .collect()
        };
        let content = match kind {
            "single_choice" => {
                let l = letters();
                if l.len() != 1 {
                    err(errors, row, "answer".to_owned(), "invalid_format");
                }
                QuestionContent::SingleChoice {
                    stem: rich(stem_text),
                    options,
                    answer: l.into_iter().next().unwrap_or_default(),
                }
            }
            "multiple_choice" => QuestionContent::MultipleChoice {
                stem: rich(stem_text),
                options,
                answers: letters(),
            },
            "true_false" => {
                let value = match answer.to_lowercase().as_str() {
                    "对" | "正确" | "是" | "√" | "✓" | "true" | "t" | "yes" | "y" => {
                        Some(true)
                    }
                    "错" | "错误" | "否" | "×" | "✗" | "false" | "f" | "no" | "n" => {
                        Some(false)
                    }
                    _ => None,
                };
                if value.is_none() {
                    err(errors, row, "answer".to_owned(), "invalid_format");
                }
                QuestionContent::TrueFalse {
                    stem: rich(stem_text),
                    answer: value.unwrap_or(false),
                }
            }
            "fill_blank" => QuestionContent::FillBlank {
                stem: rich(&mark_blanks(stem_text)),
                blanks: answer
                    .split(['|', '｜'])
                    .map(|b| Blank {
                        answers: b
                            .split([';', '；'])
                            .map(str::trim)
                            .filter(|a| !a.is_empty())
                            .map(str::to_owned)
                            .collect(),
                        case_sensitive: false,
                        exact_spaces: false,
                        width_sensitive: false,
                        numeric_tolerance: None,
                    })
                    .collect(),
            },
            _ => QuestionContent::Essay {
                stem: rich(stem_text),
                reference_answer: if answer.is_empty() {
                    String::new()
                } else {
                    rich(answer)
                },
                rubric: Vec::new(),
            },
        };
        let points = match get(Column::Points) {
            "" => 1.0,
            p => p.parse::<f64>().unwrap_or(f64::NAN),
        };
        let difficulty = match get(Column::Difficulty) {
            "" => 3,
            "易" | "容易" => 1,
            "较易" => 2,
            "中" | "中等" => 3,
            "较难" => 4,
            "难" | "困难" => 5,
            d => d.parse::<i32>().unwrap_or(0),
        };
        let input = QuestionInput {
            content,
            points,
            difficulty,
            explanation: match get(Column::Explanation) {
                "" => String::new(),
                e => rich(e),
            },
            tags: split_list(get(Column::Tags)),
            category_id: None,
        };
        let category = Some(get(Column::Category))
            .filter(|c| !c.is_empty())
            .map(str::to_owned);
        if errors.len() == before {
            out.push(Row {
                row,
                item: None,
                input,
                category,
            });
        }
    }
    (total, out)
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
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The file as the raw body: a spreadsheet (.xlsx, .xls, .ods, .csv), GIFT, Aiken, Moodle XML, or QTI 2.1/3.0 (one item XML file or a content package zip). At most 50 MiB (one limit for every format, so packages can carry their media) and 10,000 questions. Images, audio and video that questions show (Moodle's embedded files, a package's files) are checked like uploads and stored as attachments of the bank on commit; their `src` becomes `/api/attachments/<id>`."),
    responses(
        (status = 200, description = "The preview (`dry_run`) or the committed import.", body = QuestionImportReport),
        (status = 403, description = "Needs `questions:write`.", body = shared::ErrorBody),
        (status = 404, description = "No such bank in this organisation.", body = shared::ErrorBody),
        (status = 413, description = "Larger than 50 MiB.", body = shared::ErrorBody),
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
                    let (total, parsed) = parse_table(&body, &mut errors);
                    (total, parsed, Vec::new())
                }
                FileKind::Format(format) => {
                    let file = question_formats::parse(format, &body);
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

/// The questions of a spreadsheet or CSV file, checked.
fn parse_table(body: &[u8], errors: &mut Vec<ImportRowError>) -> (u32, Vec<Parsed>) {
    match read_table(body) {
        Err(reason) => {
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
    }
}

/// What an import reads from a spreadsheet or CSV file: the errors, and each question's
/// content, points in hundredths, difficulty, explanation, tags and category path.
#[cfg(test)]
pub(super) type ReadBack = (
    Vec<ImportRowError>,
    Vec<(
        QuestionContent,
        i32,
        i32,
        String,
        Vec<String>,
        Option<String>,
    )>,
);

#[cfg(test)]
pub(super) fn read_back(body: &[u8]) -> ReadBack {
    let mut errors = Vec::new();
    let (_, parsed) = parse_table(body, &mut errors);
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
    /// `zh-CN` (default) or `en`.
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
            sheet.write_string_with_format(0, col, c.header(lang), &bold)?;
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
            help.write_string_with_format(0, col, c.header(lang), &bold)?;
        }
        for (r, row) in examples.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                help.write_string(
                    u32::try_from(r + 1).unwrap_or(1),
                    u16::try_from(c).unwrap_or(0),
                    *cell,
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
        help.write_string(u32::try_from(examples.len() + 2).unwrap_or(7), 0, note)?;
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
    fn cells_become_escaped_rich_text_and_blanks_are_marked() {
        assert_eq!(rich("a<b\n第二行"), "<p>a&lt;b<br>第二行</p>");
        assert_eq!(
            mark_blanks("水是____，圆周率（）。"),
            "水是{{1}}，圆周率{{2}}。"
        );
        assert_eq!(mark_blanks("已有{{1}}"), "已有{{1}}");
        assert_eq!(parse_type(" 单选题 "), Some("single_choice"));
        assert_eq!(parse_type("Multiple Choice"), Some("multiple_choice"));
        assert_eq!(parse_type("连线题"), Some("unsupported"));
        assert_eq!(parse_type("诗歌"), None);
        assert_eq!(column_of("content.options[2].text"), "option_C");
        assert_eq!(column_of("content.blanks[0].answers"), "answer");
        assert_eq!(Column::from_header("选项A"), Some(Column::Option(0)));
        assert_eq!(Column::from_header("Option b"), Some(Column::Option(1)));
        assert_eq!(Column::from_header("题干*"), Some(Column::Stem));
    }
}
