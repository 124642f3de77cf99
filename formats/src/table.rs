//! Reading tabular import files: `.xlsx`/`.xls`/`.ods` workbooks (calamine) and `.csv` files
//! (UTF-8, or GB18030/GBK as spreadsheet programs in China save them), recognised by content.
//! Every cell comes back as text with the row number a spreadsheet program shows.

use std::io::Cursor;

use calamine::{Data, Reader};

/// The cells of a file as text, row by row, with their spreadsheet row numbers.
pub type Table = Vec<(u32, Vec<String>)>;

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) => s.clone(),
        // Numbers typed into a general-format cell: print integers without ".0".
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        other => other.to_string(),
    }
}

fn read_workbook(bytes: &[u8]) -> Result<Table, &'static str> {
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|_| "unreadable_spreadsheet")?;
    let range = book
        .worksheet_range_at(0)
        .ok_or("empty_file")?
        .map_err(|_| "unreadable_spreadsheet")?;
    let first_row = range.start().map_or(0, |(r, _)| r);
    Ok(range
        .rows()
        .enumerate()
        .map(|(i, row)| {
            let n = first_row + u32::try_from(i).unwrap_or(u32::MAX - first_row - 1) + 1;
            (n, row.iter().map(cell_text).collect())
        })
        .collect())
}

fn read_csv(bytes: &[u8]) -> Result<Table, &'static str> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t.to_owned(),
        Err(_) => {
            let (text, _, had_errors) = encoding_rs::GB18030.decode(bytes);
            if had_errors {
                return Err("unreadable_text_encoding");
            }
            text.into_owned()
        }
    };
    if text.contains('\0') {
        return Err("unsupported_file_type");
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut table = Vec::new();
    // A spreadsheet program shows each record as one row, even a record whose quoted cells
    // span several lines: the row number is the record's, counted from 1.
    for (index, record) in reader.records().enumerate() {
        let record = record.map_err(|_| "malformed_csv")?;
        table.push((
            u32::try_from(index + 1).unwrap_or(u32::MAX),
            record.iter().map(str::to_owned).collect(),
        ));
    }
    Ok(table)
}

/// Reads the file by its content: a ZIP or OLE signature is a workbook, anything else CSV.
pub fn read_table(bytes: &[u8]) -> Result<Table, &'static str> {
    if bytes.is_empty() {
        return Err("empty_file");
    }
    let workbook = bytes.starts_with(b"PK\x03\x04")
        || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    if workbook {
        read_workbook(bytes)
    } else {
        read_csv(bytes)
    }
}

/// A table split into its header row and its data rows.
pub struct Sheet<C> {
    /// The row number of the header row.
    pub header_row: u32,
    /// Where each recognised column is.
    pub columns: std::collections::HashMap<C, usize>,
    /// Columns whose header appears more than once.
    pub duplicates: Vec<C>,
    /// The non-empty rows after the header.
    pub rows: Table,
}

/// The first non-empty row, as column headers mapped by `recognise`, and the rows after it
/// that are not empty; `None` for a file without any.
pub fn headers_and_rows<C: Copy + Eq + std::hash::Hash>(
    table: Table,
    recognise: impl Fn(&str) -> Option<C>,
) -> Option<Sheet<C>> {
    let mut rows = table
        .into_iter()
        .filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()));
    let (header_row, headers) = rows.next()?;
    let mut columns = std::collections::HashMap::new();
    let mut duplicates = Vec::new();
    for (i, h) in headers.iter().enumerate() {
        if let Some(c) = recognise(h)
            && columns.insert(c, i).is_some()
        {
            duplicates.push(c);
        }
    }
    Some(Sheet {
        header_row,
        columns,
        duplicates,
        rows: rows.collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_typed_into_cells_read_as_written() {
        assert_eq!(cell_text(&Data::Float(13_800_138_000.0)), "13800138000");
        assert_eq!(cell_text(&Data::Float(2.5)), "2.5");
        assert_eq!(cell_text(&Data::Int(7)), "7");
    }
}
