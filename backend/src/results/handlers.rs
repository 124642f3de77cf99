//! The results operations: an exam's results table and its export, one attempt's score sheet,
//! and the candidate's own released results.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use shared::Lang;
use shared::access::{Level, Module};
use shared::results::{GradingState, MyResult, ResultPage, ResultSort, ScoreSheet};
use utoipa::IntoParams;

use super::export::{self, FileFormat};
use super::{mine, sheet, table};
use crate::db::types::{DbUuid, Timestamp};
use crate::errors::{ApiError, FieldErrors};
use crate::http::{ClientInfo, Fields};
use crate::state::AppState;
use crate::tenancy::{CandidateScope, OrgScope};

/// Filters and order of the results table and its export.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ResultQuery {
    /// Only passed (`true`) or failed (`false`) candidates.
    pub passed: Option<bool>,
    /// `graded` or `pending` (an answer still waits for a person).
    #[param(value_type = Option<GradingState>)]
    pub grading: Option<String>,
    /// Only candidates of this group.
    #[param(value_type = Option<uuid::Uuid>)]
    pub group_id: Option<uuid::Uuid>,
    /// `rank` (default: best score first), `time_used` (quickest first) or `submitted`
    /// (latest first).
    #[param(value_type = Option<ResultSort>)]
    pub sort: Option<String>,
    /// `asc` (default) or `desc`: `desc` reverses the sort.
    #[param(pattern = "^(asc|desc)$")]
    pub order: Option<String>,
    /// Skip this many (default 0; the table only).
    #[param(minimum = 0)]
    pub offset: Option<i64>,
    /// Page size 1–200 (default 50; the table only).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    /// The export's format: `xlsx` (default) or `csv` (the export only).
    #[param(pattern = "^(xlsx|csv)$")]
    pub format: Option<String>,
    /// The export's header language: `zh-CN` (default) or `en` (the export only).
    pub lang: Option<String>,
}

struct Parsed {
    filter: table::Filter,
    offset: i64,
    limit: i64,
    format: FileFormat,
    lang: Lang,
}

fn parse(q: ResultQuery) -> Result<Parsed, FieldErrors> {
    let mut fields = Fields::default();
    let grading = match q.grading.as_deref() {
        None => None,
        Some("graded") => Some(GradingState::Graded),
        Some("pending") => Some(GradingState::Pending),
        Some(_) => {
            fields.push("grading", "invalid_format");
            None
        }
    };
    let sort = match q.sort.as_deref() {
        None | Some("rank") => ResultSort::Rank,
        Some("time_used") => ResultSort::TimeUsed,
        Some("submitted") => ResultSort::Submitted,
        Some(_) => {
            fields.push("sort", "invalid_format");
            ResultSort::Rank
        }
    };
    let descending = match q.order.as_deref() {
        None | Some("asc") => false,
        Some("desc") => true,
        Some(_) => {
            fields.push("order", "invalid_format");
            false
        }
    };
    let format = match q.format.as_deref() {
        None => FileFormat::Xlsx,
        Some(f) => FileFormat::parse(f).unwrap_or_else(|| {
            fields.push("format", "invalid_format");
            FileFormat::Xlsx
        }),
    };
    let lang = match q.lang.as_deref() {
        None => Lang::ZhCn,
        Some(l) => Lang::from_tag(l).unwrap_or_else(|| {
            fields.push("lang", "invalid_format");
            Lang::ZhCn
        }),
    };
    let (offset, limit) = fields.page(q.offset, q.limit);
    fields.finish()?;
    Ok(Parsed {
        filter: table::Filter {
            passed: q.passed,
            grading,
            group: q.group_id.map(DbUuid),
            sort,
            descending,
        },
        offset,
        limit,
        format,
        lang,
    })
}

#[utoipa::path(
    get,
    path = "/api/exams/{id}/results",
    operation_id = "list_results",
    tag = "results",
    security(("session_cookie" = []), ("api_key" = ["exams:read"])),
    params(("id" = String, Path, description = "The exam id."), ResultQuery),
    responses(
        (status = 200, description = "One row per candidate with a finished attempt: the attempt that counts under the exam's scoring (best, last; with average the mean of the finished attempts and the latest one), score, percent, pass/fail, rank (equal scores share a rank: 1, 2, 2, 4), time used, submission reason, grading state and whether the candidate sees it yet. `account` and `name` only for callers with `candidates:read`. The summary covers every candidate the caller may see, whatever the filters.", body = ResultPage),
        (status = 403, description = "Needs `exams:read`.", body = shared::ErrorBody),
        (status = 404, description = "No such exam in this organisation.", body = shared::ErrorBody),
        (status = 422, description = "`grading`, `sort`, `order`: `invalid_format`; `offset`, `limit`: `out_of_range`.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn list_results(
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<uuid::Uuid>,
    query: web::Query<ResultQuery>,
) -> Result<web::Json<ResultPage>, ApiError> {
    scope.require(Module::Exams, Level::Read)?;
    let exam_id = DbUuid(path.into_inner());
    let parsed = parse(query.into_inner())?;
    let names = scope.can(Module::Candidates, Level::Read);
    let cipher = state.cipher.clone();
    let page = state
        .db
        .run(move |conn| {
            let exam = crate::exams::model::find(conn, &scope, exam_id)?;
            let t = table::table(conn, &scope, &exam, &parsed.filter, Timestamp::now())?;
            let total = t.rows.len() as i64;
            let start = usize::try_from(parsed.offset).unwrap_or(usize::MAX);
            let mut rows: Vec<_> = t
                .rows
                .into_iter()
                .skip(start)
                .take(usize::try_from(parsed.limit).unwrap_or(0))
                .collect();
            if names {
                let ids: Vec<DbUuid> = rows
                    .iter()
                    .filter_map(|r| uuid::Uuid::parse_str(&r.candidate_id).ok().map(DbUuid))
                    .collect();
                let found = export::names_of(conn, &cipher, &scope, &ids)?;
                for row in &mut rows {
                    if let Some((account, name)) = found.get(&row.candidate_id) {
                        row.account = Some(account.clone());
                        row.name = Some(name.clone());
                    }
                }
            }
            Ok::<_, ApiError>(ResultPage {
                rows,
                total,
                offset: parsed.offset,
                limit: parsed.limit,
                summary: t.summary,
            })
        })
        .await?;
    Ok(web::Json(page))
}

#[utoipa::path(
    get,
    path = "/api/exams/{id}/results/export",
    operation_id = "export_results",
    tag = "results",
    security(("session_cookie" = []), ("api_key" = ["exams:read"])),
    params(("id" = String, Path, description = "The exam id."), ResultQuery),
    responses(
        (status = 200, description = "The results table (every row matching the filters, in the table's order) as a file (`Content-Disposition: attachment`), headers in `lang`; account and name columns only for callers with `candidates:read`. CSV is UTF-8 with a byte order mark; cells that a spreadsheet would run as formulas are neutralised. Audited (`results.export`).", content(("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), ("text/csv"))),
        (status = 403, description = "Needs `exams:read`.", body = shared::ErrorBody),
        (status = 404, description = "No such exam in this organisation.", body = shared::ErrorBody),
        (status = 422, description = "`format`, `lang`, `grading`, `sort`, `order`: `invalid_format`.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn export_results(
    req: HttpRequest,
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<uuid::Uuid>,
    query: web::Query<ResultQuery>,
) -> Result<HttpResponse, ApiError> {
    scope.require(Module::Exams, Level::Read)?;
    let exam_id = DbUuid(path.into_inner());
    let parsed = parse(query.into_inner())?;
    let names = scope.can(Module::Candidates, Level::Read);
    let client = ClientInfo::of(&req);
    let (format, lang) = (parsed.format, parsed.lang);
    let (file, exam_name) = state
        .transaction(move |conn, st| {
            let exam = crate::exams::model::find(conn, &scope, exam_id)?;
            let t = table::table(conn, &scope, &exam, &parsed.filter, Timestamp::now())?;
            let mut file = tempfile::tempfile().map_err(anyhow::Error::from)?;
            let cipher = names.then_some(&st.cipher);
            export::write(conn, cipher, &scope, &t.rows, format, lang, &mut file)?;
            client.log_change(
                conn,
                &st.cipher,
                &scope,
                "results.export",
                Some(("exam", exam_id.to_string())),
                serde_json::json!({
                    "format": format.extension(),
                    "rows": t.rows.len(),
                    "with_names": names,
                }),
            )?;
            Ok((file, exam.settings.name.clone()))
        })
        .await?;
    let name = format!("results-{}.{}", exam_id, format.extension());
    let file = actix_files::NamedFile::from_file(file, &name).map_err(anyhow::Error::from)?;
    let disposition = header::ContentDisposition {
        disposition: header::DispositionType::Attachment,
        parameters: vec![
            header::DispositionParam::Filename(name),
            header::DispositionParam::FilenameExt(header::ExtendedValue {
                charset: header::Charset::Ext("UTF-8".to_owned()),
                language_tag: None,
                value: format!("{exam_name}.{}", format.extension()).into_bytes(),
            }),
        ],
    };
    let mut response = file
        .set_content_type(
            format
                .content_type()
                .parse()
                .map_err(|_| anyhow::anyhow!("content type"))?,
        )
        .set_content_disposition(disposition)
        .use_etag(false)
        .use_last_modified(false)
        .into_response(&req);
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    Ok(response)
}

#[utoipa::path(
    get,
    path = "/api/exams/{id}/attempts/{attempt_id}/score-sheet",
    operation_id = "get_score_sheet",
    tag = "results",
    security(("session_cookie" = []), ("api_key" = ["exams:read"])),
    params(
        ("id" = String, Path, description = "The exam id."),
        ("attempt_id" = String, Path, description = "An attempt at that exam."),
    ),
    responses(
        (status = 200, description = "Each question of the attempt in the candidate's order: the question with its key as authored, the candidate's answer, points earned of points, whether it waits for a person, and the graders' comments to the candidate. `candidate_name` only with `candidates:read`.", body = ScoreSheet),
        (status = 403, description = "Needs `exams:read`.", body = shared::ErrorBody),
        (status = 404, description = "No such exam, or no such attempt at it, in this organisation.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn get_score_sheet(
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<(uuid::Uuid, uuid::Uuid)>,
) -> Result<web::Json<ScoreSheet>, ApiError> {
    scope.require(Module::Exams, Level::Read)?;
    let (exam_id, attempt) = path.into_inner();
    let (exam_id, attempt) = (DbUuid(exam_id), DbUuid(attempt));
    let names = scope.can(Module::Candidates, Level::Read);
    let cipher = state.cipher.clone();
    let sheet = state
        .db
        .run(move |conn| {
            let exam = crate::exams::model::find(conn, &scope, exam_id)?;
            let mut sheet = sheet::score_sheet(conn, &scope, &exam, attempt, None)?;
            if names && let Ok(id) = uuid::Uuid::parse_str(&sheet.candidate_id) {
                sheet.candidate_name = export::names_of(conn, &cipher, &scope, &[DbUuid(id)])?
                    .remove(&sheet.candidate_id)
                    .map(|(_, name)| name);
            }
            Ok::<_, ApiError>(sheet)
        })
        .await?;
    Ok(web::Json(sheet))
}

#[utoipa::path(
    get,
    path = "/api/candidate/results",
    operation_id = "list_my_results",
    tag = "results",
    security(("portal_cookie" = [])),
    responses(
        (status = 200, description = "The signed-in candidate's released results, latest first: per exam the counted score, percent, pass/fail, the rank among released results when the exam shows ranks, whether the review may be opened, and the certificates issued. Exams whose results are not released are absent.", body = Vec<MyResult>),
        (status = 401, description = "Not signed in to the portal.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn list_my_results(
    cand: CandidateScope,
    state: web::Data<AppState>,
) -> Result<web::Json<Vec<MyResult>>, ApiError> {
    let list = state
        .db
        .run(move |conn| Ok::<_, ApiError>(mine::my_results(conn, &cand, Timestamp::now())?))
        .await?;
    Ok(web::Json(list))
}
