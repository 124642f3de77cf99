//! Every file of every fuzz target's corpus (`fuzz/corpus/<target>/`) and every fixture goes
//! through the same steps as the fuzz target: parse, write back, parse again, without a panic.
//! A crash that `cargo fuzz` finds is added to the corpus and stays a test.

use std::path::Path;

use question_formats::{Format, parse_write_parse};

/// What the fuzz target of a corpus directory does with one input.
fn target(name: &str) -> fn(&[u8]) {
    match name {
        "gift" => |d| parse_write_parse(Format::Gift, d),
        "aiken" => |d| parse_write_parse(Format::Aiken, d),
        "moodle_xml" => |d| parse_write_parse(Format::MoodleXml, d),
        "qti21" => |d| parse_write_parse(Format::Qti21, d),
        "qti30" => |d| parse_write_parse(Format::Qti30, d),
        "spreadsheet" => |d| {
            let _ = question_formats::sheet::parse_bytes(d);
        },
        other => panic!("corpus directory {other} has no fuzz target"),
    }
}

#[test]
fn every_corpus_file_of_every_target_runs_without_a_panic() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/corpus");
    let mut targets = 0;
    let mut files = 0;
    for dir in std::fs::read_dir(&corpus).expect("fuzz/corpus exists") {
        let dir = dir.expect("corpus entry").path();
        let run = target(dir.file_name().and_then(|n| n.to_str()).expect("name"));
        targets += 1;
        let mut here = 0;
        for file in std::fs::read_dir(&dir).expect("target corpus") {
            let path = file.expect("corpus file").path();
            let data = std::fs::read(&path).expect("read corpus file");
            run(&data);
            here += 1;
        }
        assert!(here > 0, "the corpus of {} is empty", dir.display());
        files += here;
    }
    // One per interchange format, and the spreadsheet.
    assert_eq!(targets, Format::ALL.len() + 1, "one corpus per fuzz target");
    println!("{files} corpus files over {targets} targets");
}
