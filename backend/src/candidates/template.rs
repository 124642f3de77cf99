//! `GET /api/candidates/import/template`: the import template as `.xlsx` or `.csv`, with
//! column headers in Chinese or English (either language is accepted on import).

use actix_web::{HttpResponse, web};
use question_formats::cells::neutralise;
use rust_xlsxwriter::{Format, Workbook};
use serde::Deserialize;
use shared::Lang;
use shared::access::{Level, Module};

use super::import_rows::Column;
use crate::errors::ApiError;
use crate::tenancy::OrgScope;

/// Which template.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TemplateQuery {
    /// `xlsx` (default) or `csv`.
    #[param(value_type = Option<shared::schema::TableFormat>)]
    pub format: Option<String>,
    /// `zh-CN` (default) or `en` (any tag of those languages: `zh`, `zh-TW`, `en-GB`, …): the
    /// language of the headers and instructions.
    #[param(pattern = r"^\s*([Zz][Hh]|[Ee][Nn])([-_][\s\S]*|\s*)$")]
    pub lang: Option<String>,
}

#[utoipa::path(
    get,
    path = "/api/candidates/import/template",
    operation_id = "import_template",
    tag = "candidates",
    security(("session_cookie" = []), ("api_key" = ["candidates:read"])),
    params(TemplateQuery),
    responses(
        (status = 200, description = "The template file (a download): an .xlsx workbook, or CSV (UTF-8) with `format=csv`.", content(("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), ("text/csv"))),
        (status = 403, description = "Needs `candidates:read`.", body = shared::ErrorBody),
        (status = 422, description = "Unknown format or language.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn import_template(
    scope: OrgScope,
    query: web::Query<TemplateQuery>,
) -> Result<HttpResponse, ApiError> {
    scope.require(Module::Candidates, Level::Read)?;
    let lang = match query.lang.as_deref() {
        None => Lang::ZhCn,
        Some(l) => Lang::from_tag(l)
            .ok_or_else(|| crate::http::Fields::single("lang", "invalid_format"))?,
    };
    let (body, content_type, ext) = match query.format.as_deref().unwrap_or("xlsx") {
        "xlsx" => (xlsx(lang)?, crate::spreadsheet::XLSX, "xlsx"),
        "csv" => (csv(lang)?, "text/csv; charset=utf-8", "csv"),
        _ => return Err(crate::http::Fields::single("format", "invalid_format")),
    };
    let name = match lang {
        Lang::ZhCn => "candidates-template-zh",
        Lang::En => "candidates-template-en",
    };
    Ok(crate::spreadsheet::download(
        body,
        content_type,
        &format!("{name}.{ext}"),
    ))
}

fn header_of(column: Column, lang: Lang) -> String {
    let name = column.names(lang)[0];
    if column.required() {
        format!("{name}*")
    } else {
        name.to_owned()
    }
}

/// Instruction lines of the second sheet.
fn instructions(lang: Lang) -> Vec<(String, String)> {
    Column::ALL
        .iter()
        .map(|c| (header_of(*c, lang), c.help(lang).to_owned()))
        .collect()
}

fn xlsx(lang: Lang) -> Result<Vec<u8>, ApiError> {
    let build = || -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
        let mut book = Workbook::new();
        let bold = Format::new().set_bold();
        // Text format, so phone and ID numbers typed in stay text instead of becoming numbers.
        let text = Format::new().set_num_format("@");
        let sheet = book.add_worksheet();
        sheet.set_name(match lang {
            Lang::ZhCn => "考生",
            Lang::En => "Candidates",
        })?;
        for (i, column) in Column::ALL.iter().enumerate() {
            let col = u16::try_from(i).unwrap_or(0);
            sheet.write_string_with_format(0, col, neutralise(&header_of(*column, lang)), &bold)?;
            sheet.set_column_width(col, 18)?;
            sheet.set_column_format(col, &text)?;
        }
        sheet.set_freeze_panes(1, 0)?;
        let help = book.add_worksheet();
        help.set_name(match lang {
            Lang::ZhCn => "填写说明",
            Lang::En => "Instructions",
        })?;
        help.set_column_width(0, 18)?;
        help.set_column_width(1, 90)?;
        for (i, (name, text)) in instructions(lang).into_iter().enumerate() {
            let row = u32::try_from(i).unwrap_or(0);
            help.write_string_with_format(row, 0, neutralise(&name), &bold)?;
            help.write_string(row, 1, neutralise(&text))?;
        }
        book.save_to_buffer()
    };
    build().map_err(|e| ApiError::Internal(anyhow::Error::new(e).context("writing the template")))
}

fn csv(lang: Lang) -> Result<Vec<u8>, ApiError> {
    // A BOM, so spreadsheet programs open it as UTF-8.
    let mut out = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    out.write_record(
        Column::ALL
            .iter()
            .map(|c| neutralise(&header_of(*c, lang)).into_owned()),
    )
    .map_err(anyhow::Error::from)?;
    out.into_inner()
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("writing the template: {e}")))
}
