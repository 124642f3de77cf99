//! A content package: the manifest, its item resources and the media they refer to, read
//! within the zip limits.

use std::collections::{HashMap, HashSet};
use std::io::{Cursor, Read};

use super::super::dom::{XmlError, parse_xml};
use super::super::write::normalize;
use super::{decode_text, lom_of, percent_decoded, problem, read_item};
use crate::{Located, Location, MAX_BYTES, MediaFile, Parsed, Problem, reason};

/// The bytes of a package's entries, within the size budget.
struct Package<'a> {
    zip: zip::ZipArchive<Cursor<&'a [u8]>>,
    /// Normalised name → index.
    names: HashMap<String, usize>,
    budget: usize,
}

enum Entry {
    Missing,
    Unreadable,
    TooLarge,
}

impl Package<'_> {
    fn read(&mut self, path: &str) -> Result<Vec<u8>, Entry> {
        let index = *self.names.get(path).ok_or(Entry::Missing)?;
        let file = self.zip.by_index(index).map_err(|_| Entry::Unreadable)?;
        let mut bytes = Vec::new();
        let limit = u64::try_from(self.budget)
            .unwrap_or(u64::MAX)
            .saturating_add(1);
        file.take(limit)
            .read_to_end(&mut bytes)
            .map_err(|_| Entry::Unreadable)?;
        if bytes.len() > self.budget {
            self.budget = 0;
            return Err(Entry::TooLarge);
        }
        self.budget -= bytes.len();
        Ok(bytes)
    }
}

fn file_problem(item: Option<&str>, line: u32, why: &str) -> Problem {
    Problem {
        location: Location {
            line,
            item: item.map(str::to_owned),
        },
        field: "file".to_owned(),
        reason: why.to_owned(),
    }
}

fn dir_of(path: &str) -> &str {
    path.rfind('/').map_or("", |i| &path[..=i])
}

pub(super) fn package(bytes: &[u8]) -> Parsed {
    let mut parsed = Parsed::default();
    let zip = match zip::ZipArchive::new(Cursor::new(bytes)) {
        Ok(z) => z,
        Err(_) => {
            parsed
                .problems
                .push(file_problem(None, 0, reason::INVALID_FILE));
            return parsed;
        }
    };
    // Entries, sizes and ratio checked before any entry is read (entries are still read
    // through the package's budget below).
    if let Err(exceeded) = crate::limits::check_zip(bytes, crate::limits::PACKAGE_ZIP) {
        parsed
            .problems
            .push(file_problem(None, 0, reason::TOO_LARGE));
        parsed.exceeded = Some(exceeded);
        return parsed;
    }
    let mut names = HashMap::new();
    for i in 0..zip.len() {
        if let Some(n) = zip
            .name_for_index(i)
            .and_then(|n| n.ok())
            .and_then(|n| normalize(&n))
        {
            names.entry(n).or_insert(i);
        }
    }
    let mut pkg = Package {
        zip,
        names,
        budget: usize::try_from(crate::limits::MAX_ZIP_TOTAL_BYTES).unwrap_or(MAX_BYTES),
    };
    let manifest_path = pkg
        .names
        .keys()
        .filter(|n| {
            n.rsplit('/')
                .next()
                .is_some_and(|f| f.eq_ignore_ascii_case("imsmanifest.xml"))
        })
        .min_by_key(|n| (n.matches('/').count(), n.len()))
        .cloned();
    let Some(manifest_path) = manifest_path else {
        parsed.problems.push(file_problem(
            Some("imsmanifest.xml"),
            0,
            reason::INVALID_FILE,
        ));
        return parsed;
    };
    let base = dir_of(&manifest_path).to_owned();
    let manifest = match pkg.read(&manifest_path) {
        Ok(b) => b,
        Err(e) => {
            let why = if matches!(e, Entry::TooLarge) {
                reason::TOO_LARGE
            } else {
                reason::INVALID_FILE
            };
            parsed
                .problems
                .push(file_problem(Some(&manifest_path), 0, why));
            return parsed;
        }
    };
    let root = match decode_text(&manifest).map(|t| parse_xml(&t)) {
        None => {
            parsed
                .problems
                .push(file_problem(Some(&manifest_path), 0, reason::INVALID_FILE));
            return parsed;
        }
        Some(Err(XmlError::Syntax(line))) => {
            parsed
                .problems
                .push(file_problem(Some(&manifest_path), line, reason::SYNTAX));
            return parsed;
        }
        Some(Err(XmlError::TooLarge(line))) => {
            parsed
                .problems
                .push(file_problem(Some(&manifest_path), line, reason::TOO_LARGE));
            return parsed;
        }
        Some(Ok(root)) => root,
    };
    if root.name != "manifest" {
        parsed.problems.push(file_problem(
            Some(&manifest_path),
            root.line,
            reason::INVALID_FILE,
        ));
        return parsed;
    }
    let mut resources = Vec::new();
    root.descendants(
        &|e| {
            e.name == "resource"
                && e.attr("type")
                    .is_some_and(|t| t.trim().starts_with("imsqti_item_xml"))
        },
        &mut resources,
    );
    let mut identifiers: HashSet<String> = HashSet::new();
    let mut hrefs: HashSet<String> = HashSet::new();
    let mut media_names: HashSet<String> = HashSet::new();
    for res in resources {
        let href = res
            .attr("href")
            .or_else(|| res.child("file").and_then(|f| f.attr("href")))
            .unwrap_or_default();
        let href = href.trim().to_owned();
        let Some(path) = normalize(&format!("{base}{href}")) else {
            parsed.problems.push(file_problem(
                Some(&manifest_path),
                res.line,
                reason::INVALID_FILE,
            ));
            continue;
        };
        if !hrefs.insert(path.clone()) {
            continue;
        }
        let found = match pkg.read(&path) {
            Err(Entry::Missing) => match percent_decoded(&path) {
                Some(decoded) => pkg.read(&decoded),
                None => Err(Entry::Missing),
            },
            other => other,
        };
        let bytes = match found {
            Ok(b) => b,
            Err(Entry::TooLarge) => {
                parsed
                    .problems
                    .push(file_problem(Some(&href), 0, reason::TOO_LARGE));
                return parsed;
            }
            Err(_) => {
                parsed
                    .problems
                    .push(file_problem(Some(&href), 0, reason::INVALID_FILE));
                continue;
            }
        };
        let Some(item) = read_item(&bytes, Some(&href), &lom_of(res), &mut parsed.problems) else {
            continue;
        };
        let mut ok = item.question.is_some();
        if !item.identifier.is_empty() && !identifiers.insert(item.identifier.clone()) {
            parsed.problems.push(problem(
                &item.location,
                item.location.line,
                "identifier",
                reason::DUPLICATE,
            ));
            ok = false;
        }
        let item_dir = dir_of(&path).to_owned();
        for (src, line) in &item.sources {
            if media_names.contains(src) {
                continue;
            }
            let decoded = percent_decoded(src);
            let candidates = [
                normalize(&format!("{item_dir}{src}")),
                normalize(&format!("{base}{src}")),
                decoded
                    .as_ref()
                    .and_then(|d| normalize(&format!("{item_dir}{d}"))),
                decoded
                    .as_ref()
                    .and_then(|d| normalize(&format!("{base}{d}"))),
            ];
            let mut found = None;
            for c in candidates.into_iter().flatten() {
                match pkg.read(&c) {
                    Ok(b) => {
                        found = Some(b);
                        break;
                    }
                    Err(Entry::TooLarge) => {
                        parsed
                            .problems
                            .push(file_problem(Some(&href), *line, reason::TOO_LARGE));
                        return parsed;
                    }
                    Err(_) => {}
                }
            }
            match found {
                Some(bytes) => {
                    media_names.insert(src.clone());
                    parsed.media.push(MediaFile {
                        name: src.clone(),
                        bytes,
                    });
                }
                None => parsed.problems.push(problem(
                    &item.location,
                    *line,
                    "media",
                    reason::MISSING_MEDIA,
                )),
            }
        }
        if let (true, Some(q)) = (ok, item.question) {
            parsed.questions.push(Located {
                location: item.location,
                question: q,
            });
        }
    }
    parsed
}
