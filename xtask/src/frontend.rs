//! `cargo xtask build-frontend`: compiles the SPA to WASM, runs wasm-bindgen in-process (so no
//! separately installed CLI can drift from the crate's version), optionally shrinks the module
//! with wasm-opt, and writes content-hashed assets plus `index.html` into `frontend/dist`.
//!
//! The bundle is assembled in a staging directory beside `dist` and swapped in with renames, so
//! a running server never serves a half-written bundle. Hashed names let the server cache
//! `/assets/*` forever; only `index.html` must be revalidated.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, bail};
use sha2::{Digest, Sha256};
use wasm_bindgen_cli_support::Bindgen;

use crate::util::{cargo, on_path, run};
use crate::workspace_root;

const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// The name wasm-bindgen gives its outputs: `app.js` and `app_bg.wasm`.
const BINDGEN_OUT_NAME: &str = "app";

/// Older wasm-opt releases (Debian ships 108) mis-handle what current rustc emits and produce a
/// module that fails to load, so anything older is not used at all.
const MIN_WASM_OPT_VERSION: u32 = 132;

/// The WebAssembly features rustc enables by default for wasm32-unknown-unknown (LLVM's
/// `generic` CPU since Rust 1.87). wasm-opt must accept all of them, and is allowed nothing more,
/// so its output runs wherever rustc's does.
const WASM_OPT_FEATURES: &[&str] = &[
    "--enable-bulk-memory",
    "--enable-bulk-memory-opt",
    "--enable-call-indirect-overlong",
    "--enable-multivalue",
    "--enable-mutable-globals",
    "--enable-nontrapping-float-to-int",
    "--enable-reference-types",
    "--enable-sign-ext",
];

pub struct BuildOptions {
    /// Build the wasm in the dev profile: faster, bigger, with names and debug info kept.
    pub dev: bool,
}

/// Builds the SPA and returns the `dist` directory.
pub fn build(opts: &BuildOptions) -> anyhow::Result<PathBuf> {
    let started = Instant::now();
    let root = workspace_root();
    let frontend = root.join("frontend");

    ensure_wasm_target()?;
    let metadata = cargo_metadata(&root)?;
    check_bindgen_versions(&metadata)?;
    let target_dir = metadata["target_directory"]
        .as_str()
        .map(PathBuf::from)
        .context("`cargo metadata` did not report a target_directory")?;

    let wasm = compile_wasm(&root, &target_dir, opts)?;

    let scratch = target_dir.join("examcloud-frontend");
    let bindgen_dir = scratch.join("bindgen");
    run_bindgen(&wasm, &bindgen_dir, opts)?;
    let wasm_bytes = if opts.dev {
        eprintln!("xtask: wasm-opt skipped (--dev)");
        read(&bindgen_dir.join(format!("{BINDGEN_OUT_NAME}_bg.wasm")))?
    } else {
        optimise_wasm(&root, &bindgen_dir, &scratch)?
    };

    remove_stale_staging(&frontend)?;
    let staging = Staging::new(frontend.join(format!(".dist-new-{}", std::process::id())))?;
    let assets = write_bundle(&frontend, &bindgen_dir, &wasm_bytes, staging.path())?;
    let dist = frontend.join("dist");
    staging.swap_into(&dist)?;

    eprintln!("xtask: frontend bundle in {}:", dist.display());
    for (name, size) in &assets {
        eprintln!(
            "    {size:>10} bytes  {:>8.1} KiB  {name}",
            *size as f64 / 1024.0
        );
    }
    eprintln!(
        "xtask: built the frontend ({}) in {:.1?}",
        if opts.dev { "dev" } else { "release" },
        started.elapsed()
    );
    Ok(dist)
}

/// Installs the wasm32 target through rustup when it is missing.
pub fn ensure_wasm_target() -> anyhow::Result<()> {
    let installed = match Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
    {
        Ok(out) if out.status.success() => out.stdout,
        Ok(out) => bail!(
            "`rustup target list --installed` failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            // A toolchain not managed by rustup may still ship the target's standard library.
            if sysroot_has_wasm_target() {
                return Ok(());
            }
            bail!(
                "rustup is not installed and this Rust toolchain has no {WASM_TARGET} standard \
                 library. Install rustup (https://rustup.rs) or your distribution's package for \
                 the {WASM_TARGET} target"
            );
        }
        Err(err) => return Err(err).context("running rustup"),
    };
    if String::from_utf8_lossy(&installed)
        .lines()
        .any(|line| line.trim() == WASM_TARGET)
    {
        return Ok(());
    }
    eprintln!("xtask: installing the {WASM_TARGET} target");
    run(
        Command::new("rustup").args(["target", "add", WASM_TARGET]),
        &workspace_root(),
    )
}

fn sysroot_has_wasm_target() -> bool {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    Command::new(rustc)
        .args(["--print", "sysroot"])
        .output()
        .ok()
        .filter(|out| out.status.success())
        .map(|out| {
            let sysroot = String::from_utf8_lossy(&out.stdout).trim().to_owned();
            Path::new(&sysroot)
                .join("lib/rustlib")
                .join(WASM_TARGET)
                .is_dir()
        })
        .unwrap_or(false)
}

/// `cargo metadata` for the workspace. Resolving also brings Cargo.lock up to date, and the
/// target directory it reports honours `CARGO_TARGET_DIR` and cargo's config files.
fn cargo_metadata(root: &Path) -> anyhow::Result<serde_json::Value> {
    let out = cargo()
        .args(["metadata", "--format-version", "1"])
        .current_dir(root)
        .output()
        .context("running `cargo metadata`")?;
    if !out.status.success() {
        bail!(
            "`cargo metadata` failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    serde_json::from_slice(&out.stdout).context("parsing the output of `cargo metadata`")
}

/// The glue that wasm-bindgen-cli-support generates must come from the same version as the
/// `wasm-bindgen` crate compiled into the module, or the two disagree at run time.
fn check_bindgen_versions(metadata: &serde_json::Value) -> anyhow::Result<()> {
    let versions_of = |name: &str| -> Vec<&str> {
        let packages = metadata["packages"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default();
        let mut versions: Vec<&str> = packages
            .iter()
            .filter(|package| package["name"] == name)
            .filter_map(|package| package["version"].as_str())
            .collect();
        versions.sort_unstable();
        versions.dedup();
        versions
    };
    let runtime = versions_of("wasm-bindgen");
    let cli = versions_of("wasm-bindgen-cli-support");
    match (runtime.as_slice(), cli.as_slice()) {
        ([runtime], [cli]) if runtime == cli => Ok(()),
        _ => bail!(
            "Cargo.lock has wasm-bindgen {runtime:?} but wasm-bindgen-cli-support {cli:?}; they \
             must be exactly one and the same version. Pin both with `=x.y.z` in the root \
             Cargo.toml's [workspace.dependencies]"
        ),
    }
}

fn compile_wasm(root: &Path, target_dir: &Path, opts: &BuildOptions) -> anyhow::Result<PathBuf> {
    let (profile, profile_dir) = if opts.dev {
        ("dev", "debug")
    } else {
        ("wasm-release", "wasm-release")
    };
    run(
        cargo().args([
            "build",
            "--package",
            "frontend",
            "--target",
            WASM_TARGET,
            "--profile",
            profile,
        ]),
        root,
    )?;
    let wasm = target_dir
        .join(WASM_TARGET)
        .join(profile_dir)
        .join("frontend.wasm");
    if !wasm.is_file() {
        bail!(
            "cargo reported success but {} does not exist",
            wasm.display()
        );
    }
    Ok(wasm)
}

fn run_bindgen(wasm: &Path, out_dir: &Path, opts: &BuildOptions) -> anyhow::Result<()> {
    recreate_dir(out_dir)?;
    let mut bindgen = Bindgen::new();
    bindgen
        .input_path(wasm)
        .web(true)
        .context("selecting wasm-bindgen's web target")?
        .out_name(BINDGEN_OUT_NAME)
        .typescript(false)
        // The assets get hashed names, so the default `new URL('app_bg.wasm', import.meta.url)`
        // would point nowhere; boot.js always passes the real path.
        .omit_default_module_path(true)
        .debug(opts.dev)
        .keep_debug(opts.dev)
        .remove_name_section(!opts.dev)
        .remove_producers_section(!opts.dev);
    bindgen
        .generate(out_dir)
        .with_context(|| format!("running wasm-bindgen on {}", wasm.display()))
}

/// Runs wasm-opt when a recent enough one is installed; returns the module to ship.
fn optimise_wasm(root: &Path, bindgen_dir: &Path, scratch: &Path) -> anyhow::Result<Vec<u8>> {
    let input = bindgen_dir.join(format!("{BINDGEN_OUT_NAME}_bg.wasm"));
    let Some(wasm_opt) = find_wasm_opt(root) else {
        return read(&input);
    };
    let output = scratch.join("optimised.wasm");
    let mut cmd = Command::new(&wasm_opt);
    cmd.arg("-Oz")
        .args(WASM_OPT_FEATURES)
        .arg(&input)
        .arg("-o")
        .arg(&output);
    run(&mut cmd, root)?;
    read(&output)
}

/// The first wasm-opt on PATH or in the repository's `node_modules/.bin` (npm's `binaryen`)
/// whose version is at least [`MIN_WASM_OPT_VERSION`]. Nothing is ever downloaded.
fn find_wasm_opt(root: &Path) -> Option<PathBuf> {
    let candidates = [
        on_path("wasm-opt"),
        Some(root.join("node_modules/.bin/wasm-opt")),
    ];
    let mut rejected = Vec::new();
    for candidate in candidates
        .into_iter()
        .flatten()
        .filter(|path| path.is_file())
    {
        match wasm_opt_version(&candidate) {
            Some(version) if version >= MIN_WASM_OPT_VERSION => return Some(candidate),
            Some(version) => rejected.push(format!("{} is version {version}", candidate.display())),
            None => rejected.push(format!(
                "{} did not report its version",
                candidate.display()
            )),
        }
    }
    if rejected.is_empty() {
        eprintln!("xtask: wasm-opt skipped: none on PATH or in node_modules/.bin");
    } else {
        eprintln!(
            "xtask: wasm-opt skipped: {} (need {MIN_WASM_OPT_VERSION} or newer)",
            rejected.join(", ")
        );
    }
    None
}

fn wasm_opt_version(wasm_opt: &Path) -> Option<u32> {
    let out = Command::new(wasm_opt).arg("--version").output().ok()?;
    parse_wasm_opt_version(&String::from_utf8_lossy(&out.stdout))
}

/// Parses `wasm-opt version 132 (version_132)`.
fn parse_wasm_opt_version(text: &str) -> Option<u32> {
    let after = text.split("version").nth(1)?;
    let digits: String = after
        .trim_start()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// Writes `assets/` and `index.html` into `out`; returns each file's path and size.
fn write_bundle(
    frontend: &Path,
    bindgen_dir: &Path,
    wasm: &[u8],
    out: &Path,
) -> anyhow::Result<Vec<(String, u64)>> {
    let assets = out.join("assets");
    fs::create_dir_all(&assets).with_context(|| format!("creating {}", assets.display()))?;
    let mut written = Vec::new();
    let mut put = |name: String, bytes: &[u8]| -> anyhow::Result<String> {
        let path = assets.join(&name);
        fs::write(&path, bytes).with_context(|| format!("writing {}", path.display()))?;
        written.push((format!("assets/{name}"), bytes.len() as u64));
        Ok(format!("/assets/{name}"))
    };

    let wasm_url = put(
        format!("{BINDGEN_OUT_NAME}-{}_bg.wasm", short_hash(wasm)),
        wasm,
    )?;
    let js = read(&bindgen_dir.join(format!("{BINDGEN_OUT_NAME}.js")))?;
    let js_name = format!("{BINDGEN_OUT_NAME}-{}.js", short_hash(&js));
    let js_url = put(js_name.clone(), &js)?;
    let css = read(&frontend.join("style.css"))?;
    let css_url = put(format!("style-{}.css", short_hash(&css)), &css)?;
    // A dynamic import, so a bundle that fails to load (network, 404, a WASM that does not
    // compile) turns the loading screen of index.html into its error message.
    let boot = format!(
        "const failed = (e) => {{ document.documentElement.classList.add('boot-failed'); console.error(e); }};\n\
         import('./{js_name}').then((m) => m.default({{ module_or_path: '{wasm_url}' }})).catch(failed);\n"
    );
    let boot_url = put(
        format!("boot-{}.js", short_hash(boot.as_bytes())),
        boot.as_bytes(),
    )?;

    // Modules from `#[wasm_bindgen(module = ...)]` or `inline_js`, imported relative to app.js.
    let snippets = bindgen_dir.join("snippets");
    if snippets.is_dir() {
        copy_dir(&snippets, &assets.join("snippets"))?;
        written.push(("assets/snippets/".to_owned(), dir_size(&snippets)?));
    }

    let template_path = frontend.join("index.html");
    let template = fs::read_to_string(&template_path)
        .with_context(|| format!("reading {}", template_path.display()))?;
    let mut html = template;
    for (placeholder, value) in [
        ("{{STYLE}}", &css_url),
        ("{{BOOT}}", &boot_url),
        ("{{APP_JS}}", &js_url),
        ("{{APP_WASM}}", &wasm_url),
    ] {
        if !html.contains(placeholder) {
            bail!(
                "{} lacks the placeholder {placeholder}",
                template_path.display()
            );
        }
        html = html.replace(placeholder, value);
    }
    if let Some(at) = html.find("{{") {
        let rest: String = html[at..].chars().take(40).collect();
        bail!(
            "{} has an unknown placeholder at `{rest}`",
            template_path.display()
        );
    }
    let index = out.join("index.html");
    fs::write(&index, &html).with_context(|| format!("writing {}", index.display()))?;
    written.push(("index.html".to_owned(), html.len() as u64));
    Ok(written)
}

/// The first 16 hex digits of the SHA-256 of `bytes`.
fn short_hash(bytes: &[u8]) -> String {
    let mut hex = hex::encode(Sha256::digest(bytes));
    hex.truncate(16);
    hex
}

/// A directory that is deleted on drop unless it has been swapped into place.
struct Staging {
    path: PathBuf,
}

impl Staging {
    fn new(path: PathBuf) -> anyhow::Result<Self> {
        recreate_dir(&path)?;
        Ok(Staging { path })
    }

    fn path(&self) -> &Path {
        &self.path
    }

    /// Replaces `dist` with the staged bundle: two renames on one file system, so `dist` is
    /// always either the whole old bundle or the whole new one (and absent only between them).
    fn swap_into(self, dist: &Path) -> anyhow::Result<()> {
        let old = self
            .path
            .with_file_name(format!(".dist-old-{}", std::process::id()));
        let had_old = dist.exists();
        if had_old {
            fs::rename(dist, &old).with_context(|| format!("moving {} aside", dist.display()))?;
        }
        if let Err(err) = fs::rename(&self.path, dist) {
            if had_old {
                // Put the previous bundle back rather than leave no bundle at all.
                let _ = fs::rename(&old, dist);
            }
            return Err(err)
                .with_context(|| format!("moving the new bundle to {}", dist.display()));
        }
        if had_old {
            fs::remove_dir_all(&old).with_context(|| format!("removing {}", old.display()))?;
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        // After a successful swap the directory no longer exists and this does nothing.
        let _ = fs::remove_dir_all(&self.path);
    }
}

/// Removes staging directories left by an earlier build that was killed.
fn remove_stale_staging(frontend: &Path) -> anyhow::Result<()> {
    let entries =
        fs::read_dir(frontend).with_context(|| format!("listing {}", frontend.display()))?;
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(".dist-new-") || name.starts_with(".dist-old-") {
            fs::remove_dir_all(entry.path())
                .with_context(|| format!("removing {}", entry.path().display()))?;
        }
    }
    Ok(())
}

fn recreate_dir(dir: &Path) -> anyhow::Result<()> {
    if dir.exists() {
        fs::remove_dir_all(dir).with_context(|| format!("removing {}", dir.display()))?;
    }
    fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))
}

fn read(path: &Path) -> anyhow::Result<Vec<u8>> {
    fs::read(path).with_context(|| format!("reading {}", path.display()))
}

fn copy_dir(from: &Path, to: &Path) -> anyhow::Result<()> {
    fs::create_dir_all(to).with_context(|| format!("creating {}", to.display()))?;
    for entry in fs::read_dir(from).with_context(|| format!("listing {}", from.display()))? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            fs::copy(entry.path(), &target)
                .with_context(|| format!("copying {}", entry.path().display()))?;
        }
    }
    Ok(())
}

fn dir_size(dir: &Path) -> anyhow::Result<u64> {
    let mut total = 0;
    for entry in fs::read_dir(dir).with_context(|| format!("listing {}", dir.display()))? {
        let entry = entry?;
        total += if entry.file_type()?.is_dir() {
            dir_size(&entry.path())?
        } else {
            entry.metadata()?.len()
        };
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::{check_bindgen_versions, parse_wasm_opt_version, short_hash};

    fn metadata(runtime: &str, cli: &str) -> serde_json::Value {
        serde_json::json!({ "packages": [
            { "name": "wasm-bindgen", "version": runtime },
            { "name": "serde", "version": "1.0.0" },
            { "name": "wasm-bindgen-cli-support", "version": cli },
        ]})
    }

    #[test]
    fn bindgen_versions_must_match_exactly() {
        assert!(check_bindgen_versions(&metadata("0.2.130", "0.2.130")).is_ok());
        assert!(check_bindgen_versions(&metadata("0.2.130", "0.2.131")).is_err());
        assert!(check_bindgen_versions(&serde_json::json!({ "packages": [] })).is_err());
    }

    #[test]
    fn wasm_opt_versions_parse_from_the_release_and_distro_formats() {
        assert_eq!(
            parse_wasm_opt_version("wasm-opt version 132 (version_132)\n"),
            Some(132)
        );
        assert_eq!(parse_wasm_opt_version("wasm-opt version 108"), Some(108));
        assert_eq!(parse_wasm_opt_version("wasm-opt"), None);
    }

    #[test]
    fn short_hash_is_16_hex_digits_of_sha256() {
        // SHA-256("") = e3b0c44298fc1c149afbf4c8996fb924...
        assert_eq!(short_hash(b""), "e3b0c44298fc1c14");
    }
}
