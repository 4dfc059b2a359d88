//! Headless Chromium for the browser tests (a dev-dependency only): found once, launched with
//! the team's flags and a fresh profile each time, so every test that shows a page to a person
//! runs it the same way.
//!
//! Absent Chromium skips a test with a loud message, unless `CPCERT_REQUIRE_CHROMIUM=1` (set by
//! `.ci/run`), which makes its absence a failure. `CPCERT_CHROMIUM` names another binary.

#![warn(missing_docs)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// The flags every launch gets (BRIEF.md): headless, no sandbox or GPU, nothing from the network.
pub const FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
];

/// A Chromium binary.
#[derive(Debug, Clone)]
pub struct Chromium {
    bin: PathBuf,
}

impl Chromium {
    /// Chromium (`CPCERT_CHROMIUM`, else `chromium`, `chromium-browser` or `google-chrome` in
    /// /usr/bin), or None after a loud SKIPPED message naming `test`.
    ///
    /// # Panics
    /// When it is absent and `CPCERT_REQUIRE_CHROMIUM=1`.
    pub fn find(test: &str) -> Option<Chromium> {
        let candidates: Vec<PathBuf> = match std::env::var_os("CPCERT_CHROMIUM") {
            Some(p) => vec![PathBuf::from(p)],
            None => ["chromium", "chromium-browser", "google-chrome"]
                .iter()
                .map(|n| Path::new("/usr/bin").join(n))
                .collect(),
        };
        if let Some(bin) = candidates.into_iter().find(|p| p.exists()) {
            return Some(Chromium { bin });
        }
        assert!(
            std::env::var("CPCERT_REQUIRE_CHROMIUM").as_deref() != Ok("1"),
            "CPCERT_REQUIRE_CHROMIUM=1 but no chromium (CPCERT_CHROMIUM or /usr/bin/chromium): {test} cannot run"
        );
        eprintln!(
            "\n!!!!! SKIPPED: {test} needs headless Chromium (apt-get install chromium fonts-noto-cjk) !!!!!\n"
        );
        None
    }

    /// The binary.
    pub fn path(&self) -> &Path {
        &self.bin
    }

    /// Runs Chromium with [`FLAGS`], a fresh profile and `args`; returns its stdout.
    ///
    /// # Panics
    /// When it cannot be started or exits with a failure (its stderr in the message).
    pub fn run(&self, args: &[&str]) -> String {
        let profile = tempfile::tempdir().expect("a temporary profile folder");
        let out = Command::new(&self.bin)
            .args(FLAGS)
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .args(args)
            .output()
            .expect("chromium runs");
        assert!(
            out.status.success(),
            "chromium failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// The DOM of `page` after it loaded (`--dump-dom`), with `extra` flags before it.
    pub fn dump_dom(&self, page: &Path, extra: &[&str]) -> String {
        let url = file_url(page);
        let mut args: Vec<&str> = extra.to_vec();
        args.push("--dump-dom");
        args.push(&url);
        self.run(&args)
    }
}

/// `file://` URL of a local file (made absolute).
///
/// # Panics
/// When the file does not exist.
pub fn file_url(path: &Path) -> String {
    let path = path.canonicalize().expect("the page exists");
    format!("file://{}", path.display())
}
