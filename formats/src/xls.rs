//! A bounded first look at a legacy `.xls` workbook before calamine reads it.
//!
//! calamine parses every sheet of an `.xls` at open: it reserves room for the cells a
//! sheet's DIMENSIONS record declares, builds each sheet as a dense range from its cells'
//! extent, and copies a shared string into every cell that uses it. So a few KB can ask for
//! petabytes. This module reads the compound file's `Workbook` stream itself (the minimum of
//! the CFB format: FAT and mini FAT chains, every chain bounded by the file's size) and walks
//! its BIFF records: each sheet's declared and real extent and the text its cells take stay
//! within the [`limits`](crate::limits), or the file is refused.

use crate::limits::{self, Exceeded, Limit};
use crate::table::TableError;

const UNREADABLE: TableError = TableError::Invalid("unreadable_spreadsheet");
const END_OF_CHAIN: u32 = 0xFFFF_FFFE;
/// How many times [`limits::MAX_CELLS`] a sheet's DIMENSIONS record may declare.
const DECLARED_CELLS_FACTOR: u64 = 4;

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// The compound file: its regular sectors and allocation tables.
struct Cfb<'a> {
    bytes: &'a [u8],
    shift: u32,
    fat: Vec<u32>,
}

impl<'a> Cfb<'a> {
    fn sector(&self, id: u32) -> Option<&'a [u8]> {
        let size = 1usize << self.shift;
        let start = (usize::try_from(id).ok()?.checked_add(1)?).checked_mul(size)?;
        self.bytes.get(start..start.checked_add(size)?)
    }

    /// The sectors of a chain, concatenated; a chain longer than the file is broken.
    fn chain(
        &self,
        mut id: u32,
        table: &[u32],
        unit: &dyn Fn(u32) -> Option<&'a [u8]>,
    ) -> Option<Vec<u8>> {
        let mut out = Vec::new();
        let mut steps = 0usize;
        while id != END_OF_CHAIN {
            steps += 1;
            if steps > table.len() {
                return None;
            }
            out.extend_from_slice(unit(id)?);
            id = *table.get(usize::try_from(id).ok()?)?;
        }
        Some(out)
    }

    fn open(bytes: &'a [u8]) -> Option<(Cfb<'a>, Vec<u8>)> {
        let shift = u32::from(u16_at(bytes, 0x1E)?);
        if shift != 9 && shift != 12 {
            return None;
        }
        let size = 1usize << shift;
        let mut cfb = Cfb {
            bytes,
            shift,
            fat: Vec::new(),
        };
        // The FAT's sectors: 109 in the header, then the DIFAT chain.
        let mut fat_sectors: Vec<u32> = (0..109)
            .filter_map(|i| u32_at(bytes, 0x4C + 4 * i))
            .collect();
        let mut difat = u32_at(bytes, 0x44)?;
        let max_sectors = bytes.len() / size;
        let mut steps = 0;
        while difat < 0xFFFF_FFFA {
            steps += 1;
            if steps > max_sectors {
                return None;
            }
            let s = cfb.sector(difat)?;
            let n = size / 4 - 1;
            fat_sectors.extend((0..n).filter_map(|i| u32_at(s, 4 * i)));
            difat = u32_at(s, 4 * n)?;
        }
        for id in fat_sectors.into_iter().filter(|id| *id < 0xFFFF_FFFA) {
            let s = cfb.sector(id)?;
            cfb.fat
                .extend((0..size / 4).filter_map(|i| u32_at(s, 4 * i)));
            if cfb.fat.len() > max_sectors.saturating_mul(size / 4).saturating_add(size) {
                return None;
            }
        }
        let dir = cfb.chain(u32_at(bytes, 0x30)?, &cfb.fat, &|id| cfb.sector(id))?;
        let cutoff = u64::from(u32_at(bytes, 0x38)?);
        let entries: Vec<&[u8]> = dir.chunks_exact(128).collect();
        let root = entries.first()?;
        let stream = entries.iter().find(|e| {
            let len = usize::from(u16_at(e, 0x40).unwrap_or(0)).min(64);
            let name: Vec<u16> = (0..len.saturating_sub(2) / 2)
                .filter_map(|i| u16_at(e, 2 * i))
                .collect();
            let name = String::from_utf16_lossy(&name);
            e.get(0x42) == Some(&2)
                && (name.eq_ignore_ascii_case("Workbook") || name.eq_ignore_ascii_case("Book"))
        })?;
        let start = u32_at(stream, 0x74)?;
        let len = u64::from(u32_at(stream, 0x78)?);
        let data = if len < cutoff {
            let mini_stream = cfb.chain(u32_at(root, 0x74)?, &cfb.fat, &|id| cfb.sector(id))?;
            let mini_fat_raw = cfb.chain(u32_at(bytes, 0x3C)?, &cfb.fat, &|id| cfb.sector(id))?;
            let mini_fat: Vec<u32> = (0..mini_fat_raw.len() / 4)
                .filter_map(|i| u32_at(&mini_fat_raw, 4 * i))
                .collect();
            let mini = |id: u32| {
                let at = usize::try_from(id).ok()?.checked_mul(64)?;
                mini_stream.get(at..at.checked_add(64)?)
            };
            let mut data = Vec::new();
            let mut id = start;
            let mut steps = 0usize;
            while id != END_OF_CHAIN {
                steps += 1;
                if steps > mini_fat.len() {
                    return None;
                }
                data.extend_from_slice(mini(id)?);
                id = *mini_fat.get(usize::try_from(id).ok()?)?;
            }
            data
        } else {
            cfb.chain(start, &cfb.fat, &|id| cfb.sector(id))?
        };
        let len = usize::try_from(len).ok()?.min(data.len());
        let mut data = data;
        data.truncate(len);
        Some((cfb, data))
    }
}

/// The BIFF records of a stream: (type, data).
fn records(stream: &[u8]) -> impl Iterator<Item = (u16, &[u8])> {
    let mut at = 0usize;
    std::iter::from_fn(move || {
        let typ = u16_at(stream, at)?;
        let len = usize::from(u16_at(stream, at + 2)?);
        let data = stream.get(at + 4..at + 4 + len)?;
        at += 4 + len;
        Some((typ, data))
    })
}

/// The length in UTF-16 units of every string of the shared-string table (SST with its
/// CONTINUE records) as far as it parses, `None` for more strings than the cell limit.
fn shared_string_lengths(sst: &[&[u8]]) -> Option<Vec<u64>> {
    // One buffer with the offsets where each CONTINUE starts (a string's characters split
    // there start again with a flags byte).
    let mut data = Vec::new();
    let mut breaks = Vec::new();
    for (i, part) in sst.iter().enumerate() {
        if i > 0 {
            breaks.push(data.len());
        }
        data.extend_from_slice(part);
    }
    // Like calamine, read strings until the data ends (the declared count may be wrong); a
    // string cut short ends the table.
    let next = |at: &mut usize| -> Option<u64> {
        let cch = usize::from(u16_at(&data, *at)?);
        let flags = *data.get(*at + 2)?;
        *at += 3;
        let mut runs = 0usize;
        let mut ext = 0usize;
        if flags & 0x8 != 0 {
            runs = usize::from(u16_at(&data, *at)?);
            *at += 2;
        }
        if flags & 0x4 != 0 {
            ext = usize::try_from(u32_at(&data, *at)?).ok()?;
            *at += 4;
        }
        let mut high = flags & 0x1 != 0;
        let mut left = cch;
        while left > 0 {
            let next_break = breaks
                .iter()
                .copied()
                .find(|b| *b > *at)
                .unwrap_or(data.len());
            let width = if high { 2 } else { 1 };
            let n = left.min(next_break.saturating_sub(*at) / width);
            *at += n * width;
            left -= n;
            if left > 0 {
                high = *data.get(*at)? & 0x1 != 0;
                *at += 1;
            }
        }
        *at = at.checked_add(4 * runs)?.checked_add(ext)?;
        u64::try_from(cch).ok()
    };
    let mut lengths = Vec::new();
    let mut at = 8usize;
    while at < data.len() {
        if u64::try_from(lengths.len()).unwrap_or(u64::MAX) >= limits::MAX_CELLS {
            return None;
        }
        match next(&mut at) {
            Some(len) => lengths.push(len),
            None => break,
        }
    }
    Some(lengths)
}

/// The rows × columns calamine reserves for a DIMENSIONS record (its arithmetic, done here
/// without overflow); `None` for a record it would get wrong.
fn dimensions(data: &[u8]) -> Option<(u64, u64)> {
    let (rf, rl, cf, cl) = match data.len() {
        10 => (
            i64::from(u16_at(data, 0)?),
            i64::from(u16_at(data, 2)?),
            i64::from(u16_at(data, 4)?),
            i64::from(u16_at(data, 6)?),
        ),
        14 | 16 => (
            i64::from(u32_at(data, 0)?),
            i64::from(u32_at(data, 4)?),
            i64::from(u16_at(data, 8)?),
            i64::from(u16_at(data, 10)?),
        ),
        _ => return None,
    };
    let cf = if cf > 0xFF || cl < cf { 0 } else { cf };
    if rl < 1 || cl < 1 {
        return Some((1, 1));
    }
    let rows = rl - 1 - rf + 1;
    let cols = cl - 1 - cf + 1;
    if rows < 1 || cols < 1 {
        return None;
    }
    Some((u64::try_from(rows).ok()?, u64::try_from(cols).ok()?))
}

/// Refuses an `.xls` whose sheets declare or hold more than the table limits allow.
pub(crate) fn check_extent(bytes: &[u8]) -> Result<(), TableError> {
    let (_cfb, stream) = Cfb::open(bytes).ok_or(UNREADABLE)?;
    let too = |limit: Limit, max: u64| TableError::TooLarge(Exceeded::new(limit, max));
    let check = |rows: u64, cols: u64| -> Result<(), TableError> {
        if rows > limits::MAX_ROWS {
            return Err(too(Limit::Rows, limits::MAX_ROWS));
        }
        if cols > limits::MAX_COLUMNS {
            return Err(too(Limit::Columns, limits::MAX_COLUMNS));
        }
        if rows.saturating_mul(cols) > limits::MAX_CELLS {
            return Err(too(Limit::Cells, limits::MAX_CELLS));
        }
        Ok(())
    };
    // The shared strings come first, in the workbook globals.
    let mut sst: Vec<&[u8]> = Vec::new();
    let mut in_sst = false;
    for (typ, data) in records(&stream) {
        match typ {
            0x00FC => {
                sst = vec![data];
                in_sst = true;
            }
            0x003C if in_sst => sst.push(data),
            _ => in_sst = false,
        }
    }
    let lengths = if sst.is_empty() {
        Vec::new()
    } else {
        shared_string_lengths(&sst).ok_or(UNREADABLE)?
    };
    // Per sheet (each BOF starts one): one past the last row and column with a cell.
    let (mut rows, mut cols, mut text) = (0u64, 0u64, 0u64);
    for (typ, data) in records(&stream) {
        let at = |row: Option<u16>, col: Option<u16>| -> Option<(u64, u64)> {
            Some((u64::from(row?) + 1, u64::from(col?) + 1))
        };
        let extent = match typ {
            0x0809 => {
                (rows, cols) = (0, 0);
                None
            }
            // DIMENSIONS: first row, last row + 1, first column, last column + 1.
            0x0200 => {
                // Only the room calamine reserves matters here: a declared extent includes
                // formatted blank cells (whole formatted rows reach column IV), so it is held
                // to a multiple of the cell limit, not to the row and column limits.
                let (declared_rows, declared_cols) = dimensions(data).ok_or(UNREADABLE)?;
                let max = limits::MAX_CELLS.saturating_mul(DECLARED_CELLS_FACTOR);
                if declared_rows.saturating_mul(declared_cols) > max {
                    return Err(too(Limit::Cells, max));
                }
                None
            }
            0x0006 | 0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E => {
                at(u16_at(data, 0), u16_at(data, 2))
            }
            0x00FD => {
                let index = u32_at(data, 6).and_then(|i| usize::try_from(i).ok());
                let len = index.and_then(|i| lengths.get(i)).copied().unwrap_or(0);
                // A UTF-16 unit is at most 3 bytes of UTF-8.
                text = text.saturating_add(len.saturating_mul(3));
                if text > limits::MAX_TEXT_BYTES {
                    return Err(too(Limit::TextSize, limits::MAX_TEXT_BYTES));
                }
                at(u16_at(data, 0), u16_at(data, 2))
            }
            // MULRK: row, first column, …, last column.
            0x00BD if data.len() >= 6 => at(u16_at(data, 0), u16_at(data, data.len() - 2)),
            _ => None,
        };
        if let Some((r, c)) = extent {
            rows = rows.max(r);
            cols = cols.max(c);
            check(rows, cols)?;
        }
    }
    Ok(())
}
