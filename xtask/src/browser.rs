//! Makes sure Chromium and ChromeDriver are installed for the browser tests: installs Debian's
//! packages when they are missing and we may (root with apt-get), otherwise says exactly what
//! to install.

use std::process::Command;

use anyhow::bail;

use crate::util::{is_root, on_path, run};

pub fn ensure_chromium() -> anyhow::Result<()> {
    let have = |name: &str| on_path(name).is_some();
    if (have("chromium") || have("chromium-browser")) && have("chromedriver") {
        return Ok(());
    }
    if is_root() && have("apt-get") {
        eprintln!("xtask: installing chromium and chromium-driver for the browser tests");
        let root = crate::workspace_root();
        run(
            Command::new("apt-get")
                .arg("update")
                .env("DEBIAN_FRONTEND", "noninteractive"),
            &root,
        )?;
        run(
            Command::new("apt-get")
                .args([
                    "install",
                    "-y",
                    "--no-install-recommends",
                    "chromium",
                    "chromium-driver",
                ])
                .env("DEBIAN_FRONTEND", "noninteractive"),
            &root,
        )?;
        if have("chromedriver") {
            return Ok(());
        }
    }
    bail!(
        "the browser tests need Chromium and ChromeDriver. On Debian/Ubuntu run:\n    \
         sudo apt-get install -y chromium chromium-driver\n\
         (or put `chromium` and `chromedriver` of the same version on PATH)"
    )
}
