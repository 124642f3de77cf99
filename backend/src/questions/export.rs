//! `POST /api/question-banks/{id}/export`: a bank's questions as a file of any import format.
//! Spreadsheets (`xlsx`, `csv`) use the import template's columns, one question per row;
//! the interchange formats come from `question-formats`, with the attachments that questions
//! show carried inside the file (`media/<id>.<ext>`). Questions a format cannot express are
//! left out and counted (`X-ExamCloud-Skipped`); `check_only` lists them first.

use std::collections::HashMap;

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use diesel::prelude::*;
use question_formats::cells::neutralise;
use question_formats::{ExportItem, Format, MediaFile, Question};
use shared::access::{Level, Module};
use shared::questions::{
    QuestionContent, QuestionDto, QuestionExportCheck, QuestionExportRequest, SkippedQuestion,
};

use super::attachments;
use super::formats::srcs;
use super::import::{self, Column};
use super::model;
use super::rich_text::URL_PREFIX;
use crate::db::DbConnection;
use crate::db::schema::{question_banks, question_categories, questions};
use crate::db::types::DbUuid;
use crate::errors::ApiError;
use crate::http::Fields;
use crate::scoped;
use crate::state::AppState;
use crate::storage::Storage;
use crate::tenancy::OrgScope;

/// What an export writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Xlsx,
    Csv,
    Format(Format),
}

impl Target {
    fn parse(s: &str) -> Option<Target> {
        match s {
            "xlsx" => Some(Target::Xlsx),
            "csv" => Some(Target::Csv),
            s => Format::parse(s).map(Target::Format),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Target::Xlsx => "xlsx",
            Target::Csv => "csv",
            Target::Format(f) => f.as_str(),
        }
    }

    fn supports(self, content: &QuestionContent) -> bool {
        match self {
            Target::Xlsx | Target::Csv => import::row_of(content).is_some(),
            Target::Format(f) => f.supports(content),
        }
    }

    fn content_type(self) -> &'static str {
        match self {
            Target::Xlsx => crate::spreadsheet::XLSX,
            Target::Csv => "text/csv; charset=utf-8",
            Target::Format(f) => f.content_type(),
        }
    }

    fn extension(self) -> &'static str {
        match self {
            Target::Xlsx => "xlsx",
            Target::Csv => "csv",
            Target::Format(Format::Gift | Format::Aiken) => "txt",
            Target::Format(Format::MoodleXml) => "xml",
            Target::Format(Format::Qti21 | Format::Qti30) => "zip",
        }
    }
}

#[utoipa::path(
    post,
    path = "/api/question-banks/{id}/export",
    operation_id = "export_questions",
    tag = "questions",
    security(("session_cookie" = []), ("api_key" = ["questions:read"])),
    params(("id" = String, Path, description = "The bank id.")),
    request_body = QuestionExportRequest,
    responses(
        (status = 200, description = "With `check_only`, a `QuestionExportCheck` (JSON). Otherwise the file (`Content-Disposition: attachment`): xlsx or CSV with the import template's columns, GIFT or Aiken as text, Moodle XML, QTI 2.1/3.0 packages as zip with their media. `X-ExamCloud-Skipped` counts the questions the format cannot express (xlsx/csv cannot hold ordering, matching or composite questions).", content((QuestionExportCheck = "application/json"), ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), ("text/csv"), ("text/plain"), ("application/xml"), ("application/zip"))),
        (status = 403, description = "Needs `questions:read`.", body = shared::ErrorBody),
        (status = 404, description = "No such bank in this organisation.", body = shared::ErrorBody),
        (status = 422, description = "Unknown format or invalid question ids.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn export_questions(
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<uuid::Uuid>,
    body: web::Json<QuestionExportRequest>,
) -> Result<HttpResponse, ApiError> {
    scope.require(Module::Questions, Level::Read)?;
    let bank = DbUuid(path.into_inner());
    let request = Export::parse(body.into_inner())?;
    let target = request.target;
    let storage = state.storage.clone();
    let response = state
        .db
        .run(move |conn| export(conn, storage.as_ref(), &scope, bank, request))
        .await?;
    Ok(match response {
        Out::Check(check) => HttpResponse::Ok().json(check),
        Out::File {
            bytes,
            bank_name,
            skipped,
        } => download(bytes, target, &bank_name, skipped),
    })
}

/// An export request, parsed.
struct Export {
    target: Target,
    /// The questions to export; `None`: every active question of the bank.
    ids: Option<Vec<DbUuid>>,
    /// Only say what would be exported and what skipped.
    check_only: bool,
}

impl Export {
    fn parse(request: QuestionExportRequest) -> Result<Export, ApiError> {
        let target = Target::parse(&request.format)
            .ok_or_else(|| Fields::single("format", "invalid_format"))?;
        let ids = match &request.question_ids {
            None => None,
            Some(ids) => Some(
                ids.iter()
                    .map(|i| uuid::Uuid::parse_str(i).map(DbUuid))
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|_| Fields::single("question_ids", "invalid_format"))?,
            ),
        };
        Ok(Export {
            target,
            ids,
            check_only: request.check_only,
        })
    }
}

/// The bank's questions in the requested format (those it cannot hold skipped), or only the
/// check of what would be.
fn export(
    conn: &mut DbConnection,
    storage: &dyn Storage,
    scope: &OrgScope,
    bank: DbUuid,
    request: Export,
) -> Result<Out, ApiError> {
    model::find_bank(conn, scope, bank)?;
    let bank_name: String = scoped!(question_banks, scope)
        .filter(question_banks::id.eq(bank))
        .select(question_banks::name)
        .first(conn)?;
    let ids = match request.ids {
        Some(ids) => ids,
        None => scoped!(questions, scope)
            .filter(questions::bank_id.eq(bank))
            .filter(questions::status.eq("active"))
            .order((questions::created_at, questions::id))
            .select(questions::id)
            .load(conn)?,
    };
    let mut list = Vec::new();
    for chunk in ids.chunks(500) {
        list.extend(
            model::load_current(conn, scope, chunk)?
                .into_iter()
                .filter(|q| q.bank_id == bank.to_string()),
        );
    }
    let skipped: Vec<SkippedQuestion> = list
        .iter()
        .filter(|q| !request.target.supports(&q.content))
        .map(|q| SkippedQuestion {
            question_id: q.id.clone(),
            question_type: q.content.question_type(),
        })
        .collect();
    if request.check_only {
        let check = QuestionExportCheck {
            exportable: u32::try_from(list.len() - skipped.len()).unwrap_or(u32::MAX),
            skipped,
        };
        return Ok(Out::Check(check));
    }
    let paths = category_paths(conn, scope, bank)?;
    let bytes = match request.target {
        Target::Xlsx | Target::Csv => {
            let rows: Vec<Vec<String>> = list.iter().filter_map(|q| table_row(q, &paths)).collect();
            if request.target == Target::Xlsx {
                write_xlsx(&rows)?
            } else {
                write_csv(&rows)?
            }
        }
        Target::Format(format) => write_format(conn, storage, scope, format, list, &paths)?,
    };
    Ok(Out::File {
        bytes,
        bank_name,
        skipped: skipped.len(),
    })
}

/// What the blocking part of an export produced.
enum Out {
    Check(QuestionExportCheck),
    File {
        bytes: Vec<u8>,
        bank_name: String,
        skipped: usize,
    },
}

/// The file as a download named after the bank, with the skipped count.
fn download(bytes: Vec<u8>, target: Target, bank_name: &str, skipped: usize) -> HttpResponse {
    let file_name = format!("{bank_name}-{}.{}", target.name(), target.extension());
    let ascii: String = file_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded =
        percent_encoding::utf8_percent_encode(&file_name, percent_encoding::NON_ALPHANUMERIC);
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, target.content_type()))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}"),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header(("x-examcloud-skipped", skipped.to_string()))
        .body(bytes)
}

/// Each category of the bank by id, as its path from the top (`数学/代数`).
fn category_paths(
    conn: &mut DbConnection,
    scope: &OrgScope,
    bank: DbUuid,
) -> Result<HashMap<String, String>, ApiError> {
    let rows: Vec<(DbUuid, Option<DbUuid>, String)> = scoped!(question_categories, scope)
        .filter(question_categories::bank_id.eq(bank))
        .select((
            question_categories::id,
            question_categories::parent_id,
            question_categories::name,
        ))
        .load(conn)?;
    let by_id: HashMap<DbUuid, (Option<DbUuid>, &str)> = rows
        .iter()
        .map(|(id, parent, name)| (*id, (*parent, name.as_str())))
        .collect();
    let mut out = HashMap::new();
    for (id, _, _) in &rows {
        let mut names = Vec::new();
        let mut at = Some(*id);
        // The depth bound guards against a cycle in damaged data.
        while let Some(c) = at.filter(|_| names.len() < 64) {
            let Some((parent, name)) = by_id.get(&c) else {
                break;
            };
            names.push(*name);
            at = *parent;
        }
        names.reverse();
        out.insert(id.to_string(), names.join("/"));
    }
    Ok(out)
}

/// A question as a row of the template's columns, if a row can hold it.
fn table_row(q: &QuestionDto, paths: &HashMap<String, String>) -> Option<Vec<String>> {
    let mut cells = import::row_of(&q.content)?;
    let points = if q.points.fract() == 0.0 {
        format!("{:.0}", q.points)
    } else {
        q.points.to_string()
    };
    let category = q
        .category_id
        .as_ref()
        .and_then(|c| paths.get(c))
        .cloned()
        .unwrap_or_default();
    for (c, value) in [
        (Column::Points, points),
        (Column::Difficulty, q.difficulty.to_string()),
        (
            Column::Explanation,
            question_formats::html_to_plain(&q.explanation),
        ),
        (Column::Tags, q.tags.join(";")),
        (Column::Category, category),
    ] {
        if let Some(i) = Column::all().iter().position(|x| *x == c) {
            cells[i] = value;
        }
    }
    Some(cells)
}

fn write_xlsx(rows: &[Vec<String>]) -> Result<Vec<u8>, ApiError> {
    let build = || -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
        let mut book = rust_xlsxwriter::Workbook::new();
        let text = rust_xlsxwriter::Format::new().set_num_format("@");
        let sheet = book.add_worksheet();
        for (i, c) in Column::all().into_iter().enumerate() {
            let col = u16::try_from(i).unwrap_or(0);
            sheet.write_string(0, col, neutralise(&c.header(shared::Lang::En)))?;
            sheet.set_column_format(col, &text)?;
        }
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                if !cell.is_empty() {
                    sheet.write_string(
                        u32::try_from(r + 1).unwrap_or(u32::MAX),
                        u16::try_from(c).unwrap_or(0),
                        neutralise(cell),
                    )?;
                }
            }
        }
        book.save_to_buffer()
    };
    build().map_err(|e| ApiError::Internal(anyhow::Error::new(e).context("xlsx export")))
}

fn write_csv(rows: &[Vec<String>]) -> Result<Vec<u8>, ApiError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let headers: Vec<String> = Column::all()
        .into_iter()
        .map(|c| neutralise(&c.header(shared::Lang::En)).into_owned())
        .collect();
    let fail = |e: csv::Error| ApiError::Internal(anyhow::Error::new(e).context("csv export"));
    w.write_record(&headers).map_err(fail)?;
    for row in rows {
        w.write_record(row.iter().map(|c| neutralise(c).into_owned()))
            .map_err(fail)?;
    }
    w.into_inner()
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("csv export: {e}")))
}

/// An interchange-format file, with the attachments the questions show as `media/<id>.<ext>`.
fn write_format(
    conn: &mut DbConnection,
    storage: &dyn Storage,
    scope: &OrgScope,
    format: Format,
    list: Vec<QuestionDto>,
    paths: &HashMap<String, String>,
) -> Result<Vec<u8>, ApiError> {
    let mut media: Vec<MediaFile> = Vec::new();
    let mut names: HashMap<String, Option<String>> = HashMap::new();
    let mut items = Vec::with_capacity(list.len());
    for q in list {
        let mut question = Question {
            content: q.content,
            points: q.points,
            difficulty: q.difficulty,
            explanation: q.explanation,
            tags: q.tags,
            category: q.category_id.as_ref().and_then(|c| paths.get(c)).cloned(),
        };
        let mut texts = question.content.texts_mut();
        texts.push(&mut question.explanation);
        for text in texts {
            for src in srcs(text) {
                let Some(id) = src
                    .strip_prefix(URL_PREFIX)
                    .and_then(|i| uuid::Uuid::parse_str(i).ok())
                else {
                    continue;
                };
                let name = match names.get(&src) {
                    Some(n) => n.clone(),
                    None => {
                        let loaded = attachments::load(conn, storage, scope, DbUuid(id))?;
                        let name = loaded.map(|(mime, bytes)| {
                            let name = format!("media/{}.{}", id, attachments::ext_of(&mime));
                            media.push(MediaFile {
                                name: name.clone(),
                                bytes,
                            });
                            name
                        });
                        names.insert(src.clone(), name.clone());
                        name
                    }
                };
                if let Some(name) = name {
                    *text = text.replace(&format!("src=\"{src}\""), &format!("src=\"{name}\""));
                }
            }
        }
        items.push(ExportItem { id: q.id, question });
    }
    Ok(question_formats::export(format, &items, &media).bytes)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use shared::questions::{Blank, Choice, QuestionInput};

    use super::*;
    use question_formats::sheet::rich;

    /// Plain words as a spreadsheet cell holds them (no list separators).
    fn word() -> impl Strategy<Value = String> {
        "[a-z0-9一二三<&>\\$^]{1,8}"
    }

    fn options(n: usize, texts: Vec<String>) -> Vec<Choice> {
        (0..n)
            .map(|i| Choice {
                id: ["A", "B", "C", "D", "E", "F", "G", "H"][i].to_owned(),
                text: rich(&format!("{}{i}", texts[i % texts.len()])),
            })
            .collect()
    }

    /// A question of a type a row can hold, with plain-text rich text.
    fn content() -> impl Strategy<Value = QuestionContent> {
        prop_oneof![
            (
                word(),
                2usize..=8,
                prop::collection::vec(word(), 1..4),
                0usize..8
            )
                .prop_map(|(s, n, t, a)| QuestionContent::SingleChoice {
                    stem: rich(&s),
                    options: options(n, t),
                    answer: ["A", "B", "C", "D", "E", "F", "G", "H"][a % n].to_owned(),
                }),
            (
                word(),
                2usize..=8,
                prop::collection::vec(word(), 1..4),
                1u8..=255
            )
                .prop_map(|(s, n, t, mask)| {
                    let mut answers: Vec<String> = (0..n)
                        .filter(|i| mask & (1 << i) != 0)
                        .map(|i| ["A", "B", "C", "D", "E", "F", "G", "H"][i].to_owned())
                        .collect();
                    if answers.is_empty() {
                        answers.push("A".to_owned());
                    }
                    QuestionContent::MultipleChoice {
                        stem: rich(&s),
                        options: options(n, t),
                        answers,
                    }
                }),
            (word(), any::<bool>()).prop_map(|(s, answer)| QuestionContent::TrueFalse {
                stem: rich(&s),
                answer,
            }),
            (
                word(),
                prop::collection::vec(prop::collection::vec(word(), 1..3), 1..4)
            )
                .prop_map(|(s, blanks)| {
                    let markers: String = (1..=blanks.len())
                        .map(|i| format!(" {{{{{i}}}}}"))
                        .collect();
                    QuestionContent::FillBlank {
                        stem: rich(&format!("{s}{markers}")),
                        blanks: blanks
                            .into_iter()
                            .map(|answers| Blank {
                                answers,
                                case_sensitive: false,
                                exact_spaces: false,
                                width_sensitive: false,
                                numeric_tolerance: None,
                            })
                            .collect(),
                    }
                }),
            (word(), prop::option::of(word())).prop_map(|(s, r)| QuestionContent::Essay {
                stem: rich(&s),
                reference_answer: r.map(|r| rich(&r)).unwrap_or_default(),
                rubric: Vec::new(),
            }),
        ]
    }

    fn question() -> impl Strategy<Value = QuestionInput> {
        (
            content(),
            prop::sample::select(vec![0.5, 1.0, 2.0, 2.5, 10.0]),
            1i32..=5,
            prop::option::of(word()),
            prop::collection::vec("[a-z一二]{1,6}", 0..3),
        )
            .prop_map(
                |(content, points, difficulty, explanation, tags)| QuestionInput {
                    content,
                    points,
                    difficulty,
                    explanation: explanation.map(|e| rich(&e)).unwrap_or_default(),
                    tags,
                    category_id: None,
                },
            )
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        #[test]
        fn xlsx_and_csv_exports_import_back_equal(
            inputs in prop::collection::vec(question(), 1..6),
            category in prop::option::of(prop::sample::select(vec!["a", "a/b", "数学/代数"])),
        ) {
            let mut expected = Vec::new();
            let mut dtos = Vec::new();
            for (i, mut input) in inputs.into_iter().enumerate() {
                // Distinct stems: an import refuses the same question twice.
                for text in input.content.texts_mut().into_iter().take(1) {
                    *text = text.replacen("<p>", &format!("<p>Q{i} "), 1);
                }
                let checked = model::check(input.clone());
                prop_assert!(checked.is_ok(), "{:?}", input);
                let Ok(checked) = checked else {
                    continue;
                };
                expected.push((
                    checked.content.clone(),
                    checked.points_centi,
                    checked.difficulty,
                    checked.explanation.clone(),
                    checked.tags.clone(),
                    category.map(str::to_owned),
                ));
                dtos.push(QuestionDto {
                    id: i.to_string(),
                    bank_id: String::new(),
                    category_id: category.map(|_| "c".to_owned()),
                    version: 1,
                    content: checked.content,
                    points: f64::from(checked.points_centi) / 100.0,
                    difficulty: checked.difficulty,
                    explanation: checked.explanation,
                    tags: checked.tags,
                    updated_at: String::new(),
                });
            }
            let paths: HashMap<String, String> =
                category.map(|c| ("c".to_owned(), c.to_owned())).into_iter().collect();
            let rows: Vec<Vec<String>> = dtos.iter().filter_map(|q| table_row(q, &paths)).collect();
            prop_assert_eq!(rows.len(), dtos.len());
            for bytes in [write_xlsx(&rows).unwrap(), write_csv(&rows).unwrap()] {
                let (errors, back) = import::read_back(&bytes);
                prop_assert_eq!(errors, vec![]);
                prop_assert_eq!(&back, &expected);
            }
        }
    }

    #[test]
    fn rows_cannot_hold_ordering_matching_or_composite_questions() {
        let ordering = QuestionContent::Ordering {
            stem: rich("排序"),
            items: options(2, vec!["x".to_owned()]),
        };
        assert!(!Target::Xlsx.supports(&ordering));
        assert!(!Target::Csv.supports(&ordering));
        assert!(Target::Format(Format::MoodleXml).supports(&ordering));
    }
}
