//! `cargo xtask bench <scenario>`: builds the server and the load generator in release mode,
//! starts the server as its own process on a fresh database (SQLite file and/or PostgreSQL),
//! runs `examcloud-bench` against it, and prints the server's peak resident memory.

use std::path::{Path, PathBuf};
use std::process::{Child, Command};

use anyhow::{Context, bail};

use crate::util::{cargo, run as run_cmd};
use crate::workspace_root;

/// The PostgreSQL server of the tests; the benchmark uses its own database on it.
fn postgres_base() -> String {
    let url = std::env::var("TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned());
    match url.rfind('/') {
        Some(i) if url[..i].contains("://") && url[..i].matches('/').count() >= 2 => {
            url[..i].to_owned()
        }
        _ => url,
    }
}

pub(crate) fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|d| if d.is_absolute() { d } else { root.join(d) })
        .unwrap_or_else(|| root.join("target"))
}

pub(crate) fn free_port() -> anyhow::Result<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    Ok(listener.local_addr()?.port())
}

/// Peak resident set size of a process in MiB (Linux `VmHWM`).
fn peak_rss_mib(pid: u32) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

pub(crate) fn stop(mut server: Child) {
    // SIGTERM for a graceful shutdown, then make sure it is gone.
    let _ = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status();
    for _ in 0..50 {
        if matches!(server.try_wait(), Ok(Some(_))) {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let _ = server.kill();
    let _ = server.wait();
}

pub fn run(scenario: &str, database: &str, args: &[String]) -> anyhow::Result<()> {
    let root = workspace_root();
    let engines: Vec<&str> = match database {
        "sqlite" => vec!["sqlite"],
        "postgres" => vec!["postgres"],
        "both" => vec!["sqlite", "postgres"],
        other => bail!("--database must be sqlite, postgres or both, not {other}"),
    };
    run_cmd(
        cargo().args([
            "build",
            "--release",
            "--package",
            "backend",
            "--package",
            "examcloud-bench",
            "--bin",
            "examcloud",
            "--bin",
            "examcloud-bench",
        ]),
        &root,
    )?;
    let release = target_dir(&root).join("release");
    for engine in engines {
        let dir =
            std::env::temp_dir().join(format!("examcloud-bench-{}-{engine}", std::process::id()));
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        let url = if engine == "sqlite" {
            dir.join("bench.db").display().to_string()
        } else {
            let base = postgres_base();
            for sql in [
                "DROP DATABASE IF EXISTS examcloud_bench WITH (FORCE)",
                "CREATE DATABASE examcloud_bench",
            ] {
                run_cmd(
                    Command::new("psql").args([&format!("{base}/postgres"), "-q", "-c", sql]),
                    &root,
                )?;
            }
            format!("{base}/examcloud_bench")
        };
        let port = free_port()?;
        eprintln!("\n== bench {scenario} on {engine} (server on port {port}) ==");
        let server = Command::new(release.join("examcloud"))
            .args([
                "serve",
                "--port",
                &port.to_string(),
                "--database-url",
                &url,
                "--demo",
            ])
            .env("RUST_LOG", "warn")
            .current_dir(&dir)
            .spawn()
            .context("starting the server")?;
        let pid = server.id();
        let result = run_cmd(
            Command::new(release.join("examcloud-bench"))
                .args(["--base-url", &format!("http://127.0.0.1:{port}"), scenario])
                .args(args),
            &root,
        );
        match peak_rss_mib(pid) {
            Some(mib) => println!("server peak RSS ({engine}): {mib:.1} MiB"),
            None => println!("server peak RSS ({engine}): unavailable"),
        }
        stop(server);
        let _ = std::fs::remove_dir_all(&dir);
        result?;
    }
    Ok(())
}
