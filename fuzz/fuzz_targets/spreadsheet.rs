#![no_main]
//! Any bytes as a question spreadsheet (xlsx/xls/ods/csv): read, rows parsed, never a panic.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = question_formats::sheet::parse_bytes(data);
});
