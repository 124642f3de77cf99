#![no_main]
//! Any bytes: the parser returns questions and problems, never panics, and everything it reads
//! can be written back and read again.

use libfuzzer_sys::fuzz_target;
use question_formats::{ExportItem, Format, export, parse};

fuzz_target!(|data: &[u8]| {
    let parsed = parse(Format::Qti30, data);
    let items: Vec<ExportItem> = parsed
        .questions
        .into_iter()
        .enumerate()
        .map(|(i, q)| ExportItem {
            id: i.to_string(),
            question: q.question,
        })
        .collect();
    let written = export(Format::Qti30, &items, &parsed.media);
    let _ = parse(Format::Qti30, &written.bytes);
});
