//! Architecture invariant: no import cycles between the crate's source files.
//!
//! A test reads every file of `src/`, follows what it names of the crate (`use` trees and
//! inline `crate::`, `super::` and `self::` paths; re-exports are followed to the file that
//! defines the item, `mod` declarations and `#[cfg(test)]` code are not counted) and fails
//! naming every group of files that import each other in a loop. `AppState` (`state.rs`)
//! holding services whose extractors read it is fine: no file imports back a file that
//! imports it.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// A module path (`["exams", "attempts", "model"]`).
type ModPath = Vec<String>;

struct Crate {
    /// Module path → file (relative to `src/`).
    files: BTreeMap<ModPath, String>,
    /// File → its source with comments, literals and test code removed.
    code: BTreeMap<String, String>,
    /// Module → re-exported name → the absolute path it names.
    reexports: HashMap<ModPath, HashMap<String, ModPath>>,
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn mod_path(rel: &str) -> ModPath {
    let mut parts: ModPath = rel
        .trim_end_matches(".rs")
        .split('/')
        .map(str::to_owned)
        .collect();
    if parts.last().is_some_and(|l| l == "mod" || l == "lib") {
        parts.pop();
    }
    parts
}

/// The source without comments, string and char literals (kept as `""` and `' '`).
fn strip_literals(src: &str) -> String {
    let b: Vec<char> = src.chars().collect();
    let mut out = String::with_capacity(src.len());
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let next = b.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < b.len() && b[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            i += 2;
            while i + 1 < b.len() && !(b[i] == '*' && b[i + 1] == '/') {
                i += 1;
            }
            i += 2;
        } else if c == 'r'
            && (next == Some('"') || next == Some('#'))
            && !b
                .get(i.wrapping_sub(1))
                .is_some_and(|p| p.is_alphanumeric() || *p == '_')
        {
            let mut j = i + 1;
            let mut hashes = 0;
            while b.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if b.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            j += 1;
            loop {
                if j >= b.len() {
                    break;
                }
                if b[j] == '"' && (1..=hashes).all(|k| b.get(j + k) == Some(&'#')) {
                    j += 1 + hashes;
                    break;
                }
                j += 1;
            }
            out.push_str("\"\"");
            i = j;
        } else if c == '"' {
            i += 1;
            while i < b.len() && b[i] != '"' {
                if b[i] == '\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
            out.push_str("\"\"");
        } else if c == '\'' && (b.get(i + 2) == Some(&'\'') || next == Some('\\')) {
            // A char literal ('a', '\n', '\u{..}'); a lifetime has no closing quote.
            i += 1;
            while i < b.len() && b[i] != '\'' {
                if b[i] == '\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
            out.push_str("' '");
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// Removes `#[cfg(test)]` items (a `mod tests { … }` or any other braced item).
fn strip_test_code(src: &str) -> String {
    let mut out = src.to_owned();
    while let Some(at) = out.find("#[cfg(test)]") {
        let rest = &out[at..];
        let end = match (rest.find('{'), rest.find(';')) {
            (Some(brace), semi) if semi.is_none_or(|s| brace < s) => {
                let mut depth = 0;
                let mut end = rest.len();
                for (k, ch) in rest.char_indices().skip(brace) {
                    match ch {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                end = k + 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                end
            }
            (_, Some(semi)) => semi + 1,
            _ => rest.len(),
        };
        out.replace_range(at..at + end, "");
    }
    out
}

/// The `use` statements of `code` as `(is pub, tree)`, and the code without them.
fn use_statements(code: &str) -> (Vec<(bool, String)>, String) {
    let mut uses = Vec::new();
    let mut rest = String::with_capacity(code.len());
    let mut i = 0;
    let bytes = code.as_bytes();
    while i < code.len() {
        let at_word = i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_');
        if at_word && code[i..].starts_with("use ") {
            let before = rest.trim_end();
            let public = before.ends_with("pub") || before.ends_with(')');
            let end = code[i..].find(';').map_or(code.len(), |e| i + e);
            uses.push((public, code[i + 4..end].trim().to_owned()));
            i = end + 1;
        } else {
            let ch = code[i..].chars().next().unwrap_or(' ');
            rest.push(ch);
            i += ch.len_utf8();
        }
    }
    (uses, rest)
}

/// Every path of a use tree (`a::{b, c::{d as e}}` → `a::b`, `a::c::d`).
fn expand(tree: &str, prefix: &[String], out: &mut Vec<ModPath>) {
    let tree = tree.trim();
    if tree.is_empty() {
        return;
    }
    let (head, inner) = match tree.find('{') {
        Some(open) if tree.ends_with('}') => (&tree[..open], Some(&tree[open + 1..tree.len() - 1])),
        _ => (tree, None),
    };
    let mut path: ModPath = prefix.to_vec();
    let head = head.split(" as ").next().unwrap_or(head);
    path.extend(
        head.split("::")
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned),
    );
    match inner {
        None => out.push(path),
        Some(inner) => {
            let mut depth = 0;
            let mut part = String::new();
            for ch in inner.chars().chain(std::iter::once(',')) {
                match ch {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    _ => {}
                }
                if ch == ',' && depth == 0 {
                    expand(&part, &path, out);
                    part.clear();
                } else {
                    part.push(ch);
                }
            }
        }
    }
}

impl Crate {
    fn load(src: &Path) -> Crate {
        let mut paths = Vec::new();
        rust_files(src, &mut paths);
        let mut raw = BTreeMap::new();
        for p in paths {
            let rel = p
                .strip_prefix(src)
                .expect("under src")
                .to_string_lossy()
                .replace('\\', "/");
            if rel != "main.rs" {
                raw.insert(rel, std::fs::read_to_string(&p).expect("read source"));
            }
        }
        // Files that are test modules (`#[cfg(test)] mod x;`) are not part of the graph.
        let mut test_only = BTreeSet::new();
        for (rel, text) in &raw {
            let code = strip_literals(text);
            let dir = if rel.ends_with("mod.rs") || rel == "lib.rs" {
                rel.rsplit_once('/').map_or("", |(d, _)| d).to_owned()
            } else {
                rel.trim_end_matches(".rs").to_owned()
            };
            let mut rest = code.as_str();
            while let Some(at) = rest.find("#[cfg(test)]") {
                rest = &rest[at + "#[cfg(test)]".len()..];
                let item = rest.trim_start();
                let item = item.strip_prefix("pub ").unwrap_or(item);
                if let Some(decl) = item.strip_prefix("mod ")
                    && let Some((name, _)) = decl.split_once(';')
                    && !name.contains('{')
                {
                    let base = if dir.is_empty() {
                        name.trim().to_owned()
                    } else {
                        format!("{dir}/{}", name.trim())
                    };
                    test_only.insert(format!("{base}.rs"));
                    test_only.insert(format!("{base}/mod.rs"));
                }
            }
        }
        let mut krate = Crate {
            files: BTreeMap::new(),
            code: BTreeMap::new(),
            reexports: HashMap::new(),
        };
        for (rel, text) in raw {
            if test_only.contains(&rel) {
                continue;
            }
            krate.files.insert(mod_path(&rel), rel.clone());
            krate
                .code
                .insert(rel, strip_test_code(&strip_literals(&text)));
        }
        let mut reexports = HashMap::new();
        for (rel, code) in &krate.code {
            let here = mod_path(rel);
            for (public, tree) in use_statements(code).0 {
                if !public {
                    continue;
                }
                let mut paths = Vec::new();
                expand(&tree, &[], &mut paths);
                for p in paths {
                    let name = p.last().cloned().unwrap_or_default();
                    if name == "self" || name == "*" {
                        continue;
                    }
                    if let Some(abs) = krate.absolute(&here, &p) {
                        reexports
                            .entry(here.clone())
                            .or_insert_with(HashMap::new)
                            .insert(name, abs);
                    }
                }
            }
        }
        krate.reexports = reexports;
        krate
    }

    /// `path` as written in module `here`, made absolute; `None` for other crates.
    fn absolute(&self, here: &ModPath, path: &ModPath) -> Option<ModPath> {
        let first = path.first()?;
        let mut base: ModPath = match first.as_str() {
            "crate" | "$crate" => Vec::new(),
            "self" => here.clone(),
            "super" => here.clone(),
            _ => {
                let mut child = here.clone();
                child.push(first.clone());
                if !self.files.contains_key(&child) {
                    return None;
                }
                let mut abs = here.clone();
                abs.extend(path.iter().cloned());
                return Some(abs);
            }
        };
        let mut rest = path.as_slice();
        if first == "crate" || first == "$crate" || first == "self" {
            rest = &rest[1..];
        }
        while rest.first().is_some_and(|s| s == "super") {
            base.pop();
            rest = &rest[1..];
        }
        base.extend(rest.iter().cloned());
        Some(base)
    }

    /// The file that defines what `path` names.
    fn resolve(&self, path: &ModPath, depth: usize) -> Option<&String> {
        for n in (0..=path.len()).rev() {
            let prefix = path[..n].to_vec();
            let Some(file) = self.files.get(&prefix) else {
                continue;
            };
            if let Some(next) = path.get(n)
                && depth < 8
                && let Some(target) = self.reexports.get(&prefix).and_then(|r| r.get(next))
                && target.starts_with(&prefix)
                && target != path
            {
                let mut followed = target.clone();
                followed.extend(path[n + 1..].iter().cloned());
                if let Some(found) = self.resolve(&followed, depth + 1) {
                    return Some(found);
                }
            }
            return Some(file);
        }
        None
    }

    fn edges(&self) -> BTreeMap<String, BTreeSet<String>> {
        let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (rel, code) in &self.code {
            let here = mod_path(rel);
            let (uses, rest) = use_statements(code);
            let mut named = Vec::new();
            for (_, tree) in uses {
                expand(&tree, &[], &mut named);
            }
            named.extend(inline_paths(&rest));
            for p in named {
                if let Some(abs) = self.absolute(&here, &p)
                    && let Some(target) = self.resolve(&abs, 0)
                    && target != rel
                    && target != "lib.rs"
                {
                    edges.entry(rel.clone()).or_default().insert(target.clone());
                }
            }
        }
        edges
    }
}

/// `crate::a::b`, `super::x`, `self::y` paths written inline.
fn inline_paths(code: &str) -> Vec<ModPath> {
    let mut out = Vec::new();
    let bytes = code.as_bytes();
    for start in ["crate::", "super::", "self::", "$crate::"] {
        let mut from = 0;
        while let Some(found) = code[from..].find(start) {
            let at = from + found;
            from = at + start.len();
            if at > 0
                && (bytes[at - 1].is_ascii_alphanumeric()
                    || bytes[at - 1] == b'_'
                    || bytes[at - 1] == b':')
            {
                continue;
            }
            let end = code[at..]
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':' || c == '$'))
                .map_or(code.len(), |e| at + e);
            let path: ModPath = code[at..end]
                .split("::")
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect();
            out.push(path);
        }
    }
    out
}

/// Groups of more than one file that reach each other (Tarjan's strongly connected components).
fn cycles(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct Walk<'a> {
        edges: &'a BTreeMap<String, BTreeSet<String>>,
        index: HashMap<&'a str, usize>,
        low: HashMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        out: Vec<Vec<String>>,
    }
    fn visit<'a>(w: &mut Walk<'a>, v: &'a str) {
        let i = w.index.len();
        w.index.insert(v, i);
        w.low.insert(v, i);
        w.stack.push(v);
        w.on_stack.insert(v);
        for next in w.edges.get(v).into_iter().flatten() {
            let next = next.as_str();
            if !w.index.contains_key(next) {
                visit(w, next);
                let low = w.low[v].min(w.low[next]);
                w.low.insert(v, low);
            } else if w.on_stack.contains(next) {
                let low = w.low[v].min(w.index[next]);
                w.low.insert(v, low);
            }
        }
        if w.low[v] == w.index[v] {
            let mut group = Vec::new();
            while let Some(top) = w.stack.pop() {
                w.on_stack.remove(top);
                group.push(top.to_owned());
                if top == v {
                    break;
                }
            }
            if group.len() > 1 {
                group.sort();
                w.out.push(group);
            }
        }
    }
    let mut w = Walk {
        edges,
        index: HashMap::new(),
        low: HashMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        out: Vec::new(),
    };
    for v in edges.keys() {
        if !w.index.contains_key(v.as_str()) {
            visit(&mut w, v);
        }
    }
    w.out
}

#[test]
fn no_source_file_imports_a_file_that_imports_it_back() {
    let krate = Crate::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    let edges = krate.edges();
    // The check sees what it should: attempts' handlers use its model, which they import.
    assert!(
        edges
            .get("exams/attempts/handlers.rs")
            .is_some_and(|e| e.contains("exams/attempts/model.rs")),
        "the graph misses a known import"
    );
    let found = cycles(&edges);
    assert!(found.is_empty(), "import cycles: {found:#?}");
}

#[test]
fn a_child_importing_what_its_parent_defines_is_a_cycle() {
    let dir = tempfile::tempdir().expect("temp dir");
    let src = dir.path();
    std::fs::create_dir(src.join("shop")).expect("mkdir");
    std::fs::write(src.join("lib.rs"), "pub mod shop;\n").expect("write");
    std::fs::write(
        src.join("shop/mod.rs"),
        "mod cart;\n#[cfg(test)]\nmod tests;\npub use cart::Cart;\npub struct Price;\n",
    )
    .expect("write");
    std::fs::write(
        src.join("shop/cart.rs"),
        "use super::Price;\npub struct Cart(Price);\n",
    )
    .expect("write");
    std::fs::write(src.join("shop/tests.rs"), "use crate::shop::cart::Cart;\n").expect("write");
    let found = cycles(&Crate::load(src).edges());
    assert_eq!(found, vec![vec!["shop/cart.rs", "shop/mod.rs"]]);
    // Defined in a file of its own, the price breaks the loop.
    std::fs::write(
        src.join("shop/mod.rs"),
        "mod cart;\nmod price;\npub use cart::Cart;\npub use price::Price;\n",
    )
    .expect("write");
    std::fs::write(src.join("shop/price.rs"), "pub struct Price;\n").expect("write");
    std::fs::write(
        src.join("shop/cart.rs"),
        "use super::Price;\npub struct Cart(Price);\n",
    )
    .expect("write");
    assert!(cycles(&Crate::load(src).edges()).is_empty());
}

#[test]
fn a_cycle_is_found() {
    let mut edges = BTreeMap::new();
    edges.insert("a.rs".to_owned(), BTreeSet::from(["b.rs".to_owned()]));
    edges.insert("b.rs".to_owned(), BTreeSet::from(["c.rs".to_owned()]));
    edges.insert("c.rs".to_owned(), BTreeSet::from(["a.rs".to_owned()]));
    edges.insert("d.rs".to_owned(), BTreeSet::from(["a.rs".to_owned()]));
    assert_eq!(cycles(&edges), vec![vec!["a.rs", "b.rs", "c.rs"]]);
}

#[test]
fn use_trees_expand_and_literals_hide_paths() {
    let mut out = Vec::new();
    expand(
        "crate::exams::{grading, model as exam_model, attempts::{self, x}}",
        &[],
        &mut out,
    );
    let joined: Vec<String> = out.iter().map(|p| p.join("::")).collect();
    assert_eq!(
        joined,
        [
            "crate::exams::grading",
            "crate::exams::model",
            "crate::exams::attempts::self",
            "crate::exams::attempts::x"
        ]
    );
    let code = strip_literals("let s = \"crate::x\"; // crate::y\nlet c = '\"'; crate::z::f();");
    let (_, rest) = use_statements(&code);
    let paths: Vec<String> = inline_paths(&rest).iter().map(|p| p.join("::")).collect();
    assert_eq!(paths, ["crate::z::f"]);
}
