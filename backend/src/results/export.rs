//! The results table as an xlsx or CSV file, headers in Chinese or English.
//!
//! The file is written to a temporary file row by row (xlsx through rust_xlsxwriter's constant
//! memory mode, which keeps no worksheet in memory) and then streamed to the client, so an
//! export of 10,000 candidates holds at most one chunk of 500 decrypted rows at a time.
//! Names and accounts are decrypted only for a caller who may read candidates; without that
//! permission those columns are left out.

use std::collections::HashMap;
use std::io::{Seek, SeekFrom, Write};

use anyhow::Context;
use diesel::prelude::*;
use rust_xlsxwriter::{Format, Workbook};
use shared::Lang;
use shared::results::{GradingState, ResultRow};

use crate::crypto::FieldCipher;
use crate::db::DbConnection;
use crate::db::schema::candidates;
use crate::db::types::DbUuid;
use crate::errors::ModelError;
use crate::tenancy::OrgScope;

/// How many rows are decrypted at a time.
const CHUNK: usize = 500;

/// The file's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    Xlsx,
    Csv,
}

impl FileFormat {
    pub fn parse(s: &str) -> Option<FileFormat> {
        match s {
            "xlsx" => Some(FileFormat::Xlsx),
            "csv" => Some(FileFormat::Csv),
            _ => None,
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            FileFormat::Xlsx => crate::spreadsheet::XLSX,
            FileFormat::Csv => "text/csv; charset=utf-8",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            FileFormat::Xlsx => "xlsx",
            FileFormat::Csv => "csv",
        }
    }
}

/// The columns, in order (`with_names`: account and name after the rank).
pub fn headers(lang: Lang, with_names: bool) -> Vec<&'static str> {
    let zh = lang == Lang::ZhCn;
    let pick = |z: &'static str, e: &'static str| if zh { z } else { e };
    let mut h = vec![pick("排名", "Rank")];
    if with_names {
        h.push(pick("账号", "Account"));
        h.push(pick("姓名", "Name"));
    }
    h.extend([
        pick("考生 ID", "Candidate ID"),
        pick("成绩", "Score"),
        pick("满分", "Max score"),
        pick("得分率 (%)", "Percent"),
        pick("是否通过", "Passed"),
        pick("用时 (秒)", "Time used (s)"),
        pick("提交时间", "Submitted at"),
        pick("提交方式", "Submission"),
        pick("作答次数", "Attempts"),
        pick("计分作答", "Counted attempt"),
        pick("评分状态", "Grading"),
    ]);
    h
}

/// One cell's value.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
}

/// A row's cells, in the order of [`headers`].
pub fn cells(row: &ResultRow, lang: Lang, names: Option<&(String, String)>) -> Vec<Cell> {
    let zh = lang == Lang::ZhCn;
    let pick = |z: &str, e: &str| Cell::Text(if zh { z } else { e }.to_owned());
    let mut c = vec![Cell::Number(f64::from(row.rank))];
    if let Some((account, name)) = names {
        c.push(Cell::Text(account.clone()));
        c.push(Cell::Text(name.clone()));
    }
    let reason = match row.submitted_reason {
        Some(shared::exams::SubmitReason::Candidate) | None => pick("考生提交", "Candidate"),
        Some(shared::exams::SubmitReason::Deadline) => pick("到时自动提交", "Time up"),
        Some(shared::exams::SubmitReason::IntegrityLimit) => {
            pick("违规自动提交", "Integrity limit")
        }
        Some(shared::exams::SubmitReason::Proctor) => pick("监考收卷", "Proctor"),
    };
    c.extend([
        Cell::Text(row.candidate_id.clone()),
        Cell::Number(row.score),
        Cell::Number(row.max_score),
        Cell::Number(row.percent),
        if row.passed {
            pick("通过", "Passed")
        } else {
            pick("未通过", "Failed")
        },
        Cell::Number(row.time_used_seconds as f64),
        Cell::Text(row.submitted_at.clone()),
        reason,
        Cell::Number(f64::from(row.attempts)),
        Cell::Number(f64::from(row.attempt_number)),
        match row.grading {
            GradingState::Graded => pick("已评分", "Graded"),
            GradingState::Pending => pick("待评分", "Pending"),
        },
    ]);
    c
}

/// Account and name of each of `ids` the scope may see.
pub fn names_of(
    conn: &mut DbConnection,
    cipher: &FieldCipher,
    scope: &OrgScope,
    ids: &[DbUuid],
) -> Result<HashMap<String, (String, String)>, ModelError> {
    let rows = crate::candidates::model::visible(scope)
        .filter(candidates::id.eq_any(ids.to_vec()))
        .select(crate::candidates::model::Row::as_select())
        .load(conn)?;
    Ok(
        crate::candidates::model::to_dtos(conn, cipher, scope, rows)?
            .into_iter()
            .map(|d| (d.id, (d.account, d.name)))
            .collect(),
    )
}

fn ids_of(rows: &[ResultRow]) -> Vec<DbUuid> {
    rows.iter()
        .filter_map(|r| uuid::Uuid::parse_str(&r.candidate_id).ok().map(DbUuid))
        .collect()
}

/// Writes `rows` as a file into `out` (rewound to its start afterwards).
pub fn write(
    conn: &mut DbConnection,
    cipher: Option<&FieldCipher>,
    scope: &OrgScope,
    rows: &[ResultRow],
    format: FileFormat,
    lang: Lang,
    out: &mut std::fs::File,
) -> Result<(), ModelError> {
    let with_names = cipher.is_some();
    // Each chunk's cells, names decrypted for that chunk only.
    let lines = |conn: &mut DbConnection, chunk: &[ResultRow]| {
        let names = match cipher {
            Some(c) => names_of(conn, c, scope, &ids_of(chunk))?,
            None => HashMap::new(),
        };
        Ok::<_, ModelError>(
            chunk
                .iter()
                .map(|row| cells(row, lang, names.get(&row.candidate_id)))
                .collect::<Vec<_>>(),
        )
    };
    match format {
        FileFormat::Csv => {
            // A BOM, so spreadsheet programs read the UTF-8 Chinese headers correctly.
            out.write_all(b"\xEF\xBB\xBF").context("csv")?;
            let mut w = csv::Writer::from_writer(&mut *out);
            w.write_record(headers(lang, with_names)).context("csv")?;
            for chunk in rows.chunks(CHUNK) {
                for line in lines(conn, chunk)? {
                    let text: Vec<String> = line
                        .into_iter()
                        .map(|c| match c {
                            Cell::Text(t) => question_formats::cells::neutralise(&t).into_owned(),
                            Cell::Number(n) => n.to_string(),
                        })
                        .collect();
                    w.write_record(&text).context("csv")?;
                }
            }
            w.flush().context("csv")?;
        }
        FileFormat::Xlsx => {
            let mut book = Workbook::new();
            book.set_tempdir(std::env::temp_dir()).context("xlsx")?;
            let sheet = book.add_worksheet_with_constant_memory().context("xlsx")?;
            let bold = Format::new().set_bold();
            for (i, h) in headers(lang, with_names).iter().enumerate() {
                let col = u16::try_from(i).context("columns")?;
                sheet
                    .write_string_with_format(0, col, *h, &bold)
                    .context("xlsx")?;
            }
            let mut r: u32 = 1;
            for chunk in rows.chunks(CHUNK) {
                for line in lines(conn, chunk)? {
                    for (i, cell) in line.into_iter().enumerate() {
                        let col = u16::try_from(i).context("columns")?;
                        match cell {
                            Cell::Text(t) => sheet.write_string(r, col, t),
                            Cell::Number(n) => sheet.write_number(r, col, n),
                        }
                        .context("xlsx")?;
                    }
                    r += 1;
                }
            }
            book.save_to_writer(&mut *out).context("xlsx")?;
        }
    }
    out.seek(SeekFrom::Start(0))
        .context("rewinding the export")?;
    Ok(())
}
