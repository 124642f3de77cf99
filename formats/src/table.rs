//! Reading tabular import files: `.xlsx`/`.xls`/`.ods` workbooks (calamine) and `.csv` files
//! (UTF-8, or GB18030/GBK as spreadsheet programs in China save them), recognised by content.
//! Every cell comes back as text with the row number a spreadsheet program shows.

use std::collections::BTreeMap;
use std::io::{BufReader, Cursor};

use calamine::{Data, Ods, Reader, Xls, Xlsx};
use quick_xml::events::{BytesStart, Event};

use crate::limits::{self, Exceeded, Limit};
use crate::xls;

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

/// Why a file could not be read into a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableError {
    /// Not a readable file: a stable snake_case reason (`empty_file`,
    /// `unreadable_spreadsheet`, `malformed_csv`, …).
    Invalid(&'static str),
    /// The file goes past one of the [`limits`](crate::limits).
    TooLarge(Exceeded),
}

impl TableError {
    /// The stable snake_case reason of an import's file problem.
    pub fn reason(self) -> &'static str {
        match self {
            TableError::Invalid(reason) => reason,
            TableError::TooLarge(_) => "file_too_large",
        }
    }
}

impl From<Exceeded> for TableError {
    fn from(e: Exceeded) -> Self {
        TableError::TooLarge(e)
    }
}

const UNREADABLE: TableError = TableError::Invalid("unreadable_spreadsheet");

/// Rows being collected from cells in any order, within the table limits: only cells with a
/// value take room, and a row is only as wide as its last such cell.
#[derive(Default)]
struct Collector {
    rows: BTreeMap<u32, Vec<String>>,
    cells: u64,
    text: u64,
}

impl Collector {
    /// Places the value at 0-based (`row`, `col`).
    fn put(&mut self, row: u32, col: u32, value: String) -> Result<(), Exceeded> {
        if value.is_empty() {
            return Ok(());
        }
        if u64::from(row) >= limits::MAX_ROWS {
            return Err(Exceeded::new(Limit::Rows, limits::MAX_ROWS));
        }
        if u64::from(col) >= limits::MAX_COLUMNS {
            return Err(Exceeded::new(Limit::Columns, limits::MAX_COLUMNS));
        }
        self.text += u64::try_from(value.len()).unwrap_or(u64::MAX);
        if self.text > limits::MAX_TEXT_BYTES {
            return Err(Exceeded::new(Limit::TextSize, limits::MAX_TEXT_BYTES));
        }
        let cells = self.rows.entry(row).or_default();
        // Both are below MAX_COLUMNS, so the casts cannot truncate.
        let col = col as usize;
        if cells.len() <= col {
            self.cells += (col + 1 - cells.len()) as u64;
            if self.cells > limits::MAX_CELLS {
                return Err(Exceeded::new(Limit::Cells, limits::MAX_CELLS));
            }
            cells.resize(col + 1, String::new());
        }
        cells[col] = value;
        Ok(())
    }

    fn into_table(self) -> Table {
        self.rows
            .into_iter()
            .map(|(r, cells)| (r + 1, cells))
            .collect()
    }
}

/// An `.xlsx` file: its cells streamed one by one (calamine's dense `Range` of a sheet whose
/// cells are at A1 and XFD1048576 would be billions of cells).
fn read_xlsx(bytes: &[u8]) -> Result<Table, TableError> {
    check_shared_strings(bytes)?;
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|_| UNREADABLE)?;
    let name = book
        .sheet_names()
        .first()
        .cloned()
        .ok_or(TableError::Invalid("empty_file"))?;
    let mut reader = book.worksheet_cells_reader(&name).map_err(|_| UNREADABLE)?;
    let mut collector = Collector::default();
    while let Some(cell) = reader.next_cell().map_err(|_| UNREADABLE)? {
        let (row, col) = cell.get_position();
        let value = cell_text(&Data::from(cell.get_value().clone()));
        collector.put(row, col, value)?;
    }
    Ok(collector.into_table())
}

/// Streams every shared-string table of a workbook (before calamine reads it, which reserves
/// room for as many strings as the file declares): the declared and the real number of
/// strings stay within the cell limit.
fn check_shared_strings(bytes: &[u8]) -> Result<(), TableError> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Err(UNREADABLE);
    };
    let too_many = Exceeded::new(Limit::SharedStrings, limits::MAX_CELLS);
    for i in 0..zip.len() {
        let Ok(entry) = zip.by_index(i) else {
            return Err(UNREADABLE);
        };
        let is_sst = entry
            .name()
            .is_ok_and(|n| n.to_ascii_lowercase().ends_with("sharedstrings.xml"));
        if !is_sst {
            continue;
        }
        let mut xml = quick_xml::Reader::from_reader(BufReader::new(entry));
        let mut buf = Vec::new();
        let mut count = 0u64;
        loop {
            buf.clear();
            match xml.read_event_into(&mut buf) {
                Ok(Event::Start(e) | Event::Empty(e)) => match e.local_name().as_ref() {
                    "sst" => {
                        for attr in e.attributes().flatten() {
                            let name = attr.key.local_name();
                            if matches!(name.as_ref(), "count" | "uniqueCount") {
                                let n = attr.value.trim().parse::<u64>().ok();
                                if n.is_none_or(|n| n > limits::MAX_CELLS) {
                                    return Err(too_many.into());
                                }
                            }
                        }
                    }
                    "si" => {
                        count += 1;
                        if count > limits::MAX_CELLS {
                            return Err(too_many.into());
                        }
                    }
                    _ => {}
                },
                Ok(Event::Eof) => break,
                Err(_) => return Err(UNREADABLE),
                Ok(_) => {}
            }
        }
    }
    Ok(())
}

/// The attribute `name` of an element as a number (`default` when absent).
fn number_attr(e: &BytesStart<'_>, name: &str, default: u64) -> Result<u64, TableError> {
    match e.try_get_attribute(name) {
        Ok(None) => Ok(default),
        Ok(Some(a)) => a.value.trim().parse::<u64>().map_err(|_| UNREADABLE),
        Err(_) => Err(UNREADABLE),
    }
}

/// Streams an `.ods` file's `content.xml` before calamine reads it (calamine builds every
/// sheet as a dense range at once, repeats expanded): the extent of the cells with a value in
/// every sheet, repeated rows and columns counted, stays within the table limits.
fn check_ods_extent(bytes: &[u8]) -> Result<(), TableError> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Err(UNREADABLE);
    };
    let Ok(entry) = zip.by_name("content.xml") else {
        return Err(UNREADABLE);
    };
    let mut xml = quick_xml::Reader::from_reader(BufReader::new(entry));
    let mut buf = Vec::new();
    // Per sheet: the next row's index, this row's repeat count and next column, and the
    // extent (one past the last row and column with a value).
    let (mut row, mut row_repeats, mut col) = (0u64, 1u64, 0u64);
    let (mut rows, mut cols) = (0u64, 0u64);
    loop {
        buf.clear();
        let (e, empty) = match xml.read_event_into(&mut buf) {
            Ok(Event::Start(e)) => (e, false),
            Ok(Event::Empty(e)) => (e, true),
            Ok(Event::End(e)) => {
                if e.name().as_ref() == "table:table-row" {
                    row = row.saturating_add(row_repeats);
                }
                continue;
            }
            Ok(Event::Eof) => break,
            Err(_) => return Err(UNREADABLE),
            Ok(_) => continue,
        };
        match e.name().as_ref() {
            "table:table" => (row, rows, cols) = (0, 0, 0),
            "table:table-row" => {
                row_repeats = number_attr(&e, "table:number-rows-repeated", 1)?;
                col = 0;
                if empty {
                    row = row.saturating_add(row_repeats);
                }
            }
            "table:table-cell" | "table:covered-table-cell" => {
                let repeats = number_attr(&e, "table:number-columns-repeated", 1)?;
                let has_value = !empty
                    || e.try_get_attribute("office:value-type")
                        .ok()
                        .flatten()
                        .is_some()
                    || e.try_get_attribute("table:formula")
                        .ok()
                        .flatten()
                        .is_some();
                col = col.saturating_add(repeats);
                if has_value {
                    cols = cols.max(col);
                    rows = rows.max(row.saturating_add(row_repeats));
                    if rows > limits::MAX_ROWS {
                        return Err(Exceeded::new(Limit::Rows, limits::MAX_ROWS).into());
                    }
                    if cols > limits::MAX_COLUMNS {
                        return Err(Exceeded::new(Limit::Columns, limits::MAX_COLUMNS).into());
                    }
                    if rows.saturating_mul(cols) > limits::MAX_CELLS {
                        return Err(Exceeded::new(Limit::Cells, limits::MAX_CELLS).into());
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// An `.ods` file, once its extent is known to be within the limits.
fn read_ods(bytes: &[u8]) -> Result<Table, TableError> {
    check_ods_extent(bytes)?;
    let mut book: Ods<_> = Ods::new(Cursor::new(bytes)).map_err(|_| UNREADABLE)?;
    let range = book
        .worksheet_range_at(0)
        .ok_or(TableError::Invalid("empty_file"))?
        .map_err(|_| UNREADABLE)?;
    table_of_range(&range)
}

/// The cells of a (bounded) range, at their sheet positions.
fn table_of_range(range: &calamine::Range<Data>) -> Result<Table, TableError> {
    let mut collector = Collector::default();
    for (row, col, cell) in range.used_cells() {
        let (r0, c0) = range.start().unwrap_or((0, 0));
        let row = r0.saturating_add(u32::try_from(row).unwrap_or(u32::MAX));
        let col = c0.saturating_add(u32::try_from(col).unwrap_or(u32::MAX));
        collector.put(row, col, cell_text(cell))?;
    }
    Ok(collector.into_table())
}

/// A zip workbook (`.xlsx` or `.ods`), once the zip itself is known to be within the limits.
fn read_zip_workbook(bytes: &[u8]) -> Result<Table, TableError> {
    limits::check_zip(bytes, limits::WORKBOOK_ZIP)?;
    let is_ods = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|_| UNREADABLE)?
        .index_for_name("content.xml")
        .is_some();
    if is_ods {
        read_ods(bytes)
    } else {
        read_xlsx(bytes)
    }
}

/// A legacy `.xls` file (OLE compound document).
fn read_xls(bytes: &[u8]) -> Result<Table, TableError> {
    xls::check_extent(bytes)?;
    let mut book: Xls<_> = Xls::new(Cursor::new(bytes)).map_err(|_| UNREADABLE)?;
    let range = book
        .worksheet_range_at(0)
        .ok_or(TableError::Invalid("empty_file"))?
        .map_err(|_| UNREADABLE)?;
    table_of_range(&range)
}

fn read_csv(bytes: &[u8]) -> Result<Table, TableError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t.to_owned(),
        Err(_) => {
            let (text, _, had_errors) = encoding_rs::GB18030.decode(bytes);
            if had_errors {
                return Err(TableError::Invalid("unreadable_text_encoding"));
            }
            text.into_owned()
        }
    };
    if text.contains('\0') {
        return Err(TableError::Invalid("unsupported_file_type"));
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut table = Vec::new();
    // A spreadsheet program shows each record as one row, even a record whose quoted cells
    // span several lines: the row number is the record's, counted from 1.
    for (index, record) in reader.records().enumerate() {
        let record = record.map_err(|_| TableError::Invalid("malformed_csv"))?;
        if u64::try_from(table.len()).unwrap_or(u64::MAX) >= limits::MAX_ROWS {
            return Err(Exceeded::new(Limit::Rows, limits::MAX_ROWS).into());
        }
        if u64::try_from(record.len()).unwrap_or(u64::MAX) > limits::MAX_COLUMNS {
            return Err(Exceeded::new(Limit::Columns, limits::MAX_COLUMNS).into());
        }
        table.push((
            u32::try_from(index + 1).unwrap_or(u32::MAX),
            record.iter().map(str::to_owned).collect(),
        ));
    }
    Ok(table)
}

/// Reads the file by its content: a ZIP signature is an `.xlsx` or `.ods` workbook, an OLE
/// signature an `.xls` one, anything else CSV. Every reader stays within the
/// [`limits`](crate::limits) and refuses a file that goes past one with
/// [`TableError::TooLarge`], before allocating for it.
pub fn read_table(bytes: &[u8]) -> Result<Table, TableError> {
    if bytes.is_empty() {
        return Err(TableError::Invalid("empty_file"));
    }
    if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > limits::MAX_ZIP_TOTAL_BYTES {
        return Err(Exceeded::new(Limit::FileSize, limits::MAX_ZIP_TOTAL_BYTES).into());
    }
    if bytes.starts_with(b"PK\x03\x04") {
        read_zip_workbook(bytes)
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        read_xls(bytes)
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
