//! `cargo xtask fuzz-api`: an OpenAPI-driven fuzzer against a running server. Starts the
//! server (debug build, fresh SQLite, demo data) on a free port, creates a Python virtualenv
//! with schemathesis under the target directory (once), and runs `fuzz_api.py`, which makes an
//! API key of every scope and runs schemathesis over the document with each. Fails on any 5xx
//! or any response that contradicts the document. Not part of `cargo xtask test` (it takes
//! minutes per scope); JUnit reports land in `<target>/fuzz-api/reports`, the server's log in
//! `<target>/fuzz-api/server.log`.

use std::process::Command;

use anyhow::{Context, bail};

use crate::bench::{free_port, stop, target_dir};
use crate::util::{cargo, run};
use crate::workspace_root;

/// The schemathesis release line the driver is written for.
const SCHEMATHESIS: &str = "schemathesis>=4.30,<5";

pub fn fuzz(max_examples: u32) -> anyhow::Result<()> {
    let root = workspace_root();
    run(
        cargo().args(["build", "--package", "backend", "--bin", "examcloud"]),
        &root,
    )?;
    let target = target_dir(&root);
    let work = target.join("fuzz-api");
    let venv = work.join("venv");
    let python = venv.join("bin/python");
    if !python.exists() {
        run(
            Command::new("python3").args(["-m", "venv", &venv.display().to_string()]),
            &root,
        )?;
    }
    run(
        Command::new(&python).args(["-m", "pip", "install", "--quiet", SCHEMATHESIS]),
        &root,
    )?;
    let dir = work.join(format!("run-{}", std::process::id()));
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let port = free_port()?;
    // The server's own log (every refused request is a warning) would drown the report.
    let log = std::fs::File::create(work.join("server.log"))?;
    let server = Command::new(target.join("debug/examcloud"))
        .args([
            "serve",
            "--port",
            &port.to_string(),
            "--database-url",
            &dir.join("fuzz.db").display().to_string(),
            "--demo",
        ])
        .env("RUST_LOG", "warn")
        .stdout(log.try_clone()?)
        .stderr(log)
        .current_dir(&dir)
        .spawn()
        .context("starting the server")?;
    let driver = dir.join("fuzz_api.py");
    std::fs::write(&driver, include_str!("fuzz_api.py"))?;
    let result = Command::new(&python)
        .arg(&driver)
        .args([
            &format!("http://127.0.0.1:{port}"),
            &max_examples.to_string(),
            &work.join("reports").display().to_string(),
        ])
        .current_dir(&dir)
        .status();
    stop(server);
    let _ = std::fs::remove_dir_all(&dir);
    let status = result.context("running the schemathesis driver")?;
    if !status.success() {
        bail!(
            "the OpenAPI fuzz run failed (see the output above and {})",
            work.join("reports").display()
        );
    }
    Ok(())
}
