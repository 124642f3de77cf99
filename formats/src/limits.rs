//! The limits every reader of an outside file stays within, and the typed error that names the
//! one a file went past.
//!
//! A file is refused as soon as it goes past a limit, before anything the size of the limit's
//! excess is allocated: a 2 KB workbook that declares a cell at XFD1048576, a zip entry that
//! inflates a thousandfold or lies about its size, or XML nested ten thousand deep costs the
//! server no more than the limits below.

use std::fmt;
use std::io::{Cursor, Read};

/// Cells in a spreadsheet's first sheet: its extent (rows × the widest row) as the importers
/// see it. The templates use ≤ 30 columns and the imports ≤ 10,000 rows (300,000 cells).
pub const MAX_CELLS: u64 = 1_000_000;
/// The last row a cell may be in. Imports take 10,000 data rows; this leaves room for blank
/// and note rows without letting a far cell make the table huge.
pub const MAX_ROWS: u64 = 100_000;
/// The last column a cell may be in (the templates use fewer than 30).
pub const MAX_COLUMNS: u64 = 200;
/// All cell text of a table together (shared strings are counted each time a cell uses them,
/// so one huge shared string repeated in every cell cannot multiply).
pub const MAX_TEXT_BYTES: u64 = 64 * 1024 * 1024;

/// Entries in any zip (a workbook or a QTI package): a bank with one media file per question
/// still fits.
pub const MAX_ZIP_ENTRIES: usize = 10_000;
/// One zip entry, uncompressed: the backend's largest attachment (100 MiB).
pub const MAX_ZIP_ENTRY_BYTES: u64 = 100 * 1024 * 1024;
/// All entries of a zip together, uncompressed: twice the largest import upload (50 MiB), as
/// media barely compress and XML compresses well.
pub const MAX_ZIP_TOTAL_BYTES: u64 = 100 * 1024 * 1024;
/// One entry of a workbook (xlsx/ods), uncompressed: a 10,000-row sheet is a few MiB of XML.
pub const MAX_WORKBOOK_ENTRY_BYTES: u64 = 64 * 1024 * 1024;
/// The ratio uncompressed : compressed an entry may have once it is above
/// [`RATIO_FLOOR_BYTES`]; spreadsheet XML and QTI items compress 5–50 times, bombs
/// a thousand times.
pub const MAX_COMPRESSION_RATIO: u64 = 200;
/// Entries below this size are not checked for their ratio (tiny files compress oddly).
pub const RATIO_FLOOR_BYTES: u64 = 1024 * 1024;

/// Which limit a file went past.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Limit {
    /// The file itself is larger than a parser takes.
    FileSize,
    /// A spreadsheet cell lies beyond [`MAX_ROWS`].
    Rows,
    /// A spreadsheet cell lies beyond [`MAX_COLUMNS`].
    Columns,
    /// The table would have more than [`MAX_CELLS`] cells.
    Cells,
    /// The cells' text is more than [`MAX_TEXT_BYTES`].
    TextSize,
    /// More than [`MAX_ZIP_ENTRIES`] entries.
    ZipEntries,
    /// One entry is (or inflates to) more than its limit.
    ZipEntrySize,
    /// All entries together inflate to more than [`MAX_ZIP_TOTAL_BYTES`].
    ZipTotalSize,
    /// An entry inflates more than [`MAX_COMPRESSION_RATIO`] times.
    CompressionRatio,
    /// A workbook's shared-string table has more strings than [`MAX_CELLS`].
    SharedStrings,
    /// XML nested deeper, or with more elements, than the parser takes.
    XmlSize,
}

impl Limit {
    /// The stable snake_case name of the limit (an API error's `details.limit`).
    pub fn code(self) -> &'static str {
        match self {
            Limit::FileSize => "file_size",
            Limit::Rows => "rows",
            Limit::Columns => "columns",
            Limit::Cells => "cells",
            Limit::TextSize => "text_size",
            Limit::ZipEntries => "zip_entries",
            Limit::ZipEntrySize => "zip_entry_size",
            Limit::ZipTotalSize => "zip_total_size",
            Limit::CompressionRatio => "compression_ratio",
            Limit::SharedStrings => "shared_strings",
            Limit::XmlSize => "xml_size",
        }
    }
}

/// A file refused because it went past `limit`, whose value is `max`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exceeded {
    pub limit: Limit,
    pub max: u64,
}

impl Exceeded {
    pub fn new(limit: Limit, max: u64) -> Exceeded {
        Exceeded { limit, max }
    }
}

impl fmt::Display for Exceeded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the file exceeds the {} limit ({})",
            self.limit.code(),
            self.max
        )
    }
}

/// The limits a zip is checked against.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ZipLimits {
    pub entry_bytes: u64,
    pub total_bytes: u64,
}

/// For workbooks (xlsx, ods).
pub(crate) const WORKBOOK_ZIP: ZipLimits = ZipLimits {
    entry_bytes: MAX_WORKBOOK_ENTRY_BYTES,
    total_bytes: MAX_ZIP_TOTAL_BYTES,
};

/// For QTI content packages (media included).
pub(crate) const PACKAGE_ZIP: ZipLimits = ZipLimits {
    entry_bytes: MAX_ZIP_ENTRY_BYTES,
    total_bytes: MAX_ZIP_TOTAL_BYTES,
};

/// Checks a zip before anyone reads it: the number of entries, each entry's declared size and
/// ratio, then each entry inflated through a `take` of its limit (a header that lies about the
/// size cannot get past it) into nothing, counting the real bytes. Afterwards every entry is
/// known to inflate to at most its limit, whoever reads it. An unreadable zip is `Ok`: the
/// reader that follows reports it as unreadable in its own terms.
pub(crate) fn check_zip(bytes: &[u8], limits: ZipLimits) -> Result<(), Exceeded> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    if zip.len() > MAX_ZIP_ENTRIES {
        return Err(Exceeded::new(
            Limit::ZipEntries,
            u64::try_from(MAX_ZIP_ENTRIES).unwrap_or(u64::MAX),
        ));
    }
    let ratio_ok = |size: u64, compressed: u64| {
        size <= RATIO_FLOOR_BYTES || size / compressed.max(1) <= MAX_COMPRESSION_RATIO
    };
    let mut declared_total = 0u64;
    for i in 0..zip.len() {
        let Ok(entry) = zip.by_index_raw(i) else {
            return Ok(());
        };
        let (size, compressed) = (entry.size(), entry.compressed_size());
        if size > limits.entry_bytes {
            return Err(Exceeded::new(Limit::ZipEntrySize, limits.entry_bytes));
        }
        if !ratio_ok(size, compressed) {
            return Err(Exceeded::new(
                Limit::CompressionRatio,
                MAX_COMPRESSION_RATIO,
            ));
        }
        declared_total = declared_total.saturating_add(size);
        if declared_total > limits.total_bytes {
            return Err(Exceeded::new(Limit::ZipTotalSize, limits.total_bytes));
        }
    }
    // The headers may lie: inflate every entry, never past its limit or the total's rest.
    let mut total = 0u64;
    let mut sink = [0u8; 64 * 1024];
    for i in 0..zip.len() {
        let Ok(entry) = zip.by_index(i) else {
            return Ok(());
        };
        let compressed = entry.compressed_size();
        let cap = limits.entry_bytes.min(limits.total_bytes - total);
        let mut limited = entry.take(cap.saturating_add(1));
        let mut size = 0u64;
        loop {
            match limited.read(&mut sink) {
                Ok(0) | Err(_) => break,
                Ok(n) => size += u64::try_from(n).unwrap_or(u64::MAX),
            }
            if size > RATIO_FLOOR_BYTES && !ratio_ok(size, compressed) {
                return Err(Exceeded::new(
                    Limit::CompressionRatio,
                    MAX_COMPRESSION_RATIO,
                ));
            }
        }
        if size > cap {
            return Err(if size > limits.entry_bytes {
                Exceeded::new(Limit::ZipEntrySize, limits.entry_bytes)
            } else {
                Exceeded::new(Limit::ZipTotalSize, limits.total_bytes)
            });
        }
        total += size;
    }
    Ok(())
}
