//! Tidy checks over the whole repository (after rust-analyzer's `xtask/src/tidy.rs`):
//!
//! - a line budget: every Rust file git tracks stays within [`MAX_LINES`] lines, unless it is
//!   declarative (its length is its content) or named below as waiting to be split. A file
//!   that grows over the budget fails with its name; so does a file on the waiting list that
//!   has come under it, so the list only shrinks.
//! - a duplicate budget: in each area of [`DUPLICATE_BUDGET`], the lines that repeat another
//!   place of the same area (runs of [`RUN`] identical significant lines) stay at the number
//!   written there. More fails with the places; fewer fails too, asking to lower the number.
//!
//! Run alone: `cargo test -p xtask --test tidy`.

// Tests fail by panicking: `expect` names what was expected.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Lines a Rust file may have ("split by concept before 500 lines", `STYLE.md`; 600 is the
/// hard limit).
const MAX_LINES: usize = 600;

/// Files and folders (a path ending in `/`) whose length is their content, not their design:
/// they may be any length.
const DECLARATIVE: &[&str] = &[
    // The hand-written diesel schema: one `table!` per table.
    "backend/src/db/schema.rs",
    // The SPA's message tables, one text per variant and language.
    "frontend/src/i18n/",
];

/// Files over the budget that are to be split. Each entry must still be over it: remove the
/// entry when its file is split.
const SPLIT_PENDING: &[&str] = &[];

/// What is wrong with `files` (path relative to the repository root, line count) against the
/// budget and the two lists; empty when all is well.
fn line_budget_problems(
    files: &[(String, usize)],
    declarative: &[&str],
    split_pending: &[&str],
) -> Vec<String> {
    let is_declarative = |path: &str| {
        declarative.iter().any(|d| {
            if d.ends_with('/') {
                path.starts_with(d)
            } else {
                path == *d
            }
        })
    };
    let mut problems = Vec::new();
    for (path, lines) in files {
        let over = *lines > MAX_LINES;
        let pending = split_pending.contains(&path.as_str());
        if over && !pending && !is_declarative(path) {
            problems.push(format!(
                "{path} has {lines} lines, over the budget of {MAX_LINES}: split it by concept \
                 (or, if its length is its content, add it to DECLARATIVE in xtask/tests/tidy.rs)"
            ));
        }
        if !over && pending {
            problems.push(format!(
                "{path} has {lines} lines, within the budget: remove it from SPLIT_PENDING in \
                 xtask/tests/tidy.rs"
            ));
        }
    }
    for pending in split_pending {
        if !files.iter().any(|(path, _)| path == pending) {
            problems.push(format!(
                "{pending} is in SPLIT_PENDING but no such file is tracked: remove the entry"
            ));
        }
        if is_declarative(pending) {
            problems.push(format!("{pending} is both DECLARATIVE and SPLIT_PENDING"));
        }
    }
    problems
}

/// How many identical significant lines in a row make a repeat.
const RUN: usize = 8;

/// Per area (a folder of the repository), how many of its lines repeat another place of the
/// same area. The areas are those cleaned up so far (issue 12); add an area with its count to
/// hold it, and lower a count when a change removes repeats.
const DUPLICATE_BUDGET: &[(&str, usize)] = &[
    ("backend/src/", 0),
    ("backend/tests/", 0),
    ("bench/", 0),
    ("formats/", 0),
    // `Field` and `TextField` pass the same props to the `FieldInput` they share.
    ("frontend/", 24),
    ("shared/", 0),
    ("xtask/", 0),
];

/// A line as the duplicate check compares it, or `None` for a line that does not count:
/// blank, a comment, an import or an attribute, or too short to mean anything alone (`}`,
/// `.await;`, `&app,`). White space is folded.
fn significant(line: &str) -> Option<String> {
    let folded = line.split_whitespace().collect::<Vec<_>>().join(" ");
    let skipped = folded.len() < 8
        || ["//", "use ", "pub use ", "#["]
            .iter()
            .any(|p| folded.starts_with(p));
    (!skipped).then_some(folded)
}

/// The lines of `files` (path, text) that are part of a run of [`RUN`] significant lines
/// standing in another place too: the count, and the places (`path:line`, the first line of
/// each repeated run) to look at.
fn repeated_lines(files: &[(String, String)]) -> (usize, Vec<String>) {
    let lines: Vec<(&str, Vec<(usize, String)>)> = files
        .iter()
        .map(|(path, text)| {
            let kept = text
                .lines()
                .enumerate()
                .filter_map(|(i, l)| significant(l).map(|s| (i + 1, s)))
                .collect();
            (path.as_str(), kept)
        })
        .collect();
    let mut places: HashMap<Vec<&str>, usize> = HashMap::new();
    for (_, kept) in &lines {
        for window in kept.windows(RUN) {
            let key: Vec<&str> = window.iter().map(|(_, s)| s.as_str()).collect();
            *places.entry(key).or_default() += 1;
        }
    }
    let mut count = 0;
    let mut starts = Vec::new();
    for (path, kept) in &lines {
        let mut covered = vec![false; kept.len()];
        for (at, window) in kept.windows(RUN).enumerate() {
            let key: Vec<&str> = window.iter().map(|(_, s)| s.as_str()).collect();
            if places.get(&key).copied().unwrap_or(0) > 1 {
                if at == 0 || !covered[at] {
                    starts.push(format!("{path}:{}", window[0].0));
                }
                covered[at..at + RUN].iter_mut().for_each(|c| *c = true);
            }
        }
        count += covered.iter().filter(|c| **c).count();
    }
    (count, starts)
}

/// What is wrong with the repeats of each area of `budget` among `files`.
fn duplicate_budget_problems(files: &[(String, String)], budget: &[(&str, usize)]) -> Vec<String> {
    let mut problems = Vec::new();
    for (area, allowed) in budget {
        let in_area: Vec<(String, String)> = files
            .iter()
            .filter(|(path, _)| path.starts_with(area))
            .cloned()
            .collect();
        let (count, places) = repeated_lines(&in_area);
        if count > *allowed {
            problems.push(format!(
                "{area}: {count} lines repeat another place of {area}, over the budget of \
                 {allowed}: give the repeated code a name (runs of {RUN} lines start at {})",
                places.join(", ")
            ));
        } else if count < *allowed {
            problems.push(format!(
                "{area}: {count} lines repeat another place, fewer than the budget of {allowed}: \
                 lower it to {count} in DUPLICATE_BUDGET (xtask/tests/tidy.rs)"
            ));
        }
    }
    problems
}

fn repository_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask sits in the repository root")
        .to_path_buf()
}

/// Every `.rs` file git tracks, as it is in the working tree: (path, text).
fn tracked_rust_files(root: &Path) -> Vec<(String, String)> {
    let out = Command::new("git")
        .args(["ls-files", "-z", "--", "*.rs"])
        .current_dir(root)
        .output()
        .expect("run `git ls-files` (the tidy test needs git and a checkout)");
    assert!(
        out.status.success(),
        "git ls-files failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let names = String::from_utf8(out.stdout).expect("UTF-8 file names");
    let files: Vec<(String, String)> = names
        .split('\0')
        .filter(|name| !name.is_empty())
        .filter_map(|name| {
            // A file deleted in the working tree but still in the index is not there to count.
            let text = std::fs::read_to_string(root.join(name)).ok()?;
            Some((name.to_owned(), text))
        })
        .collect();
    assert!(
        files.iter().any(|(name, _)| name == "xtask/src/main.rs"),
        "git lists no Rust files under {}",
        root.display()
    );
    files
}

#[test]
fn every_rust_file_is_within_the_line_budget_or_listed() {
    let files: Vec<(String, usize)> = tracked_rust_files(&repository_root())
        .into_iter()
        .map(|(path, text)| (path, text.lines().count()))
        .collect();
    let problems = line_budget_problems(&files, DECLARATIVE, SPLIT_PENDING);
    assert!(problems.is_empty(), "\n{}\n", problems.join("\n"));
}

#[test]
fn repeated_code_stays_within_each_areas_duplicate_budget() {
    let files = tracked_rust_files(&repository_root());
    let problems = duplicate_budget_problems(&files, DUPLICATE_BUDGET);
    assert!(problems.is_empty(), "\n{}\n", problems.join("\n"));
}

#[test]
fn the_duplicate_check_counts_runs_of_eight_lines_in_one_area() {
    let body = |n: usize, tag: &str| -> String {
        (0..n)
            .map(|i| format!("    let value_{i} = compute(\"{tag}\", {i});\n"))
            .collect()
    };
    // Eight identical lines in two files of the area (and blank lines, comments and short
    // lines between them, which do not count); seven elsewhere; the same eight outside it.
    let spaced: String = body(8, "a")
        .lines()
        .map(|l| format!("{l}\n\n    // a comment\n    }}\n"))
        .collect();
    let files = vec![
        ("area/one.rs".to_owned(), body(8, "a")),
        ("area/two.rs".to_owned(), format!("fn f() {{\n{spaced}}}\n")),
        ("area/three.rs".to_owned(), body(7, "b")),
        ("area/four.rs".to_owned(), body(7, "b")),
        ("other/five.rs".to_owned(), body(8, "a")),
    ];
    let (count, places) = repeated_lines(&files[..4]);
    assert_eq!(count, 16, "{places:?}");
    assert_eq!(places, ["area/one.rs:1", "area/two.rs:2"]);
    assert!(duplicate_budget_problems(&files, &[("area/", 16)]).is_empty());
    let over = duplicate_budget_problems(&files, &[("area/", 10)]);
    assert!(over[0].contains("over the budget"), "{over:?}");
    let stale = duplicate_budget_problems(&files, &[("area/", 20)]);
    assert!(stale[0].contains("lower it to 16"), "{stale:?}");
}

#[test]
fn the_line_budget_check_catches_long_files_and_stale_entries() {
    let file = |path: &str, lines: usize| (path.to_owned(), lines);
    let files = [
        file("a/short.rs", MAX_LINES),
        file("a/long.rs", MAX_LINES + 1),
        file("a/pending_long.rs", 900),
        file("a/pending_short.rs", 120),
        file("tables/messages.rs", 5000),
        file("schema.rs", 700),
    ];
    let problems = line_budget_problems(
        &files,
        &["tables/", "schema.rs"],
        &["a/pending_long.rs", "a/pending_short.rs", "a/gone.rs"],
    );
    let named = |what: &str| problems.iter().filter(|p| p.starts_with(what)).count();
    assert_eq!(named("a/long.rs "), 1, "{problems:#?}");
    assert_eq!(named("a/pending_short.rs "), 1, "{problems:#?}");
    assert_eq!(named("a/gone.rs "), 1, "{problems:#?}");
    assert_eq!(problems.len(), 3, "{problems:#?}");
}
