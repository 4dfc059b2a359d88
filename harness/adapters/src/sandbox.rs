//! Sandbox rules: every file an adapter reports must resolve inside the request's sandbox, and
//! nothing next to the sandbox may change during a call.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::fs;
use std::path::{Component, Path, PathBuf};
use std::time::SystemTime;

use crate::{AdapterError, StderrTail};

/// A request's sandbox folder, canonicalized once so that returned paths can be compared.
#[derive(Debug)]
pub(crate) struct Sandbox {
    /// The path as the harness gave it (what adapters see in messages).
    given: PathBuf,
    /// The canonical path (symlinks such as macOS `/tmp` resolved).
    root: PathBuf,
}

impl Sandbox {
    /// Opens an existing sandbox folder.
    pub(crate) fn open(path: &Path) -> Result<Sandbox, AdapterError> {
        let root = fs::canonicalize(path)
            .map_err(|e| AdapterError::io("failed to open sandbox", path, e))?;
        if !root.is_dir() {
            return Err(AdapterError::io(
                "sandbox is not a folder",
                path,
                std::io::Error::from(std::io::ErrorKind::NotADirectory),
            ));
        }
        Ok(Sandbox {
            given: path.to_path_buf(),
            root,
        })
    }

    /// The path as given, for messages to the adapter.
    pub(crate) fn given(&self) -> &Path {
        &self.given
    }

    /// The canonical path.
    pub(crate) fn root(&self) -> &Path {
        &self.root
    }

    /// Resolves a path an adapter returned (absolute, or relative to the sandbox) to a canonical
    /// path of an existing regular file inside the sandbox.
    pub(crate) fn resolve(&self, returned: &str) -> Result<PathBuf, AdapterError> {
        let path = Path::new(returned);
        // Rejected before touching the file system: `..` is never needed inside a sandbox, and
        // refusing it outright keeps the rule simple to state in the protocol document.
        if path.components().any(|c| c == Component::ParentDir) {
            return Err(AdapterError::ParentComponent {
                path: path.to_path_buf(),
                stderr: StderrTail::default(),
            });
        }
        let joined = if path.is_absolute() {
            path.to_path_buf()
        } else {
            self.root.join(path)
        };
        let outside = || AdapterError::OutsideSandbox {
            path: path.to_path_buf(),
            stderr: StderrTail::default(),
        };
        let missing = || AdapterError::MissingFile {
            path: path.to_path_buf(),
            stderr: StderrTail::default(),
        };
        let canonical = match fs::canonicalize(&joined) {
            Ok(canonical) => canonical,
            // A missing file that would be outside anyway is reported as outside: that is the
            // more serious fault and the one the vendor must fix first.
            Err(_) if !joined.starts_with(&self.root) && !joined.starts_with(&self.given) => {
                return Err(outside());
            }
            Err(_) => return Err(missing()),
        };
        // Canonicalizing follows symlinks, so a link inside the sandbox pointing out is caught here.
        if !canonical.starts_with(&self.root) || canonical == self.root {
            return Err(outside());
        }
        if !canonical.is_file() {
            return Err(missing());
        }
        Ok(canonical)
    }

    /// Resolves every returned path; the first bad one decides the error.
    pub(crate) fn resolve_all(&self, returned: &[String]) -> Result<Vec<PathBuf>, AdapterError> {
        returned.iter().map(|p| self.resolve(p)).collect()
    }
}

/// What the sandbox's parent folder held before a call (name → size, modification time).
///
/// Catches the common escape (writing to `sandbox/..`) without watching the whole disk.
#[derive(Debug)]
pub(crate) struct ParentSnapshot {
    parent: PathBuf,
    sandbox_name: OsString,
    entries: BTreeMap<OsString, (u64, Option<SystemTime>)>,
}

impl ParentSnapshot {
    /// Lists the sandbox's parent; `None` when there is no readable parent.
    pub(crate) fn take(sandbox: &Sandbox) -> Option<ParentSnapshot> {
        let parent = sandbox.root().parent()?.to_path_buf();
        let sandbox_name = sandbox.root().file_name()?.to_os_string();
        let entries = list(&parent)?;
        Some(ParentSnapshot {
            parent,
            sandbox_name,
            entries,
        })
    }

    /// The first entry that appeared, vanished or changed since the snapshot, if any.
    pub(crate) fn changed(&self) -> Option<PathBuf> {
        let now = list(&self.parent)?;
        let differs =
            |name: &OsString| *name != self.sandbox_name && now.get(name) != self.entries.get(name);
        now.keys()
            .chain(self.entries.keys())
            .find(|name| differs(name))
            .map(|name| self.parent.join(name))
    }
}

fn list(dir: &Path) -> Option<BTreeMap<OsString, (u64, Option<SystemTime>)>> {
    let mut entries = BTreeMap::new();
    for entry in fs::read_dir(dir).ok()?.flatten() {
        let meta = entry.path().symlink_metadata().ok();
        let len = meta.as_ref().map_or(0, fs::Metadata::len);
        let modified = meta.and_then(|m| m.modified().ok());
        entries.insert(entry.file_name(), (len, modified));
    }
    Some(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("cpcert-sandbox-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("box")).unwrap();
        dir
    }

    #[test]
    fn resolves_relative_and_absolute_inside() {
        let dir = temp("inside");
        fs::write(dir.join("box/A.CSV"), b"x").unwrap();
        let sandbox = Sandbox::open(&dir.join("box")).unwrap();
        let a = sandbox.resolve("A.CSV").unwrap();
        let b = sandbox
            .resolve(dir.join("box/A.CSV").to_str().unwrap())
            .unwrap();
        assert_eq!(a, b);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn rejects_escapes() {
        let dir = temp("escape");
        fs::write(dir.join("out.csv"), b"x").unwrap();
        std::os::unix::fs::symlink(dir.join("out.csv"), dir.join("box/link.csv")).unwrap();
        let sandbox = Sandbox::open(&dir.join("box")).unwrap();
        assert!(matches!(
            sandbox.resolve("../out.csv"),
            Err(AdapterError::ParentComponent { .. })
        ));
        assert!(matches!(
            sandbox.resolve("link.csv"),
            Err(AdapterError::OutsideSandbox { .. })
        ));
        let abs = dir.join("out.csv");
        assert!(matches!(
            sandbox.resolve(abs.to_str().unwrap()),
            Err(AdapterError::OutsideSandbox { .. })
        ));
        assert!(matches!(
            sandbox.resolve("nope.csv"),
            Err(AdapterError::MissingFile { .. })
        ));
        assert!(matches!(
            sandbox.resolve("."),
            Err(AdapterError::OutsideSandbox { .. })
        ));
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn parent_snapshot_sees_new_sibling() {
        let dir = temp("parent");
        let sandbox = Sandbox::open(&dir.join("box")).unwrap();
        let snap = ParentSnapshot::take(&sandbox).unwrap();
        fs::write(dir.join("box/inside.csv"), b"x").unwrap();
        assert_eq!(snap.changed(), None);
        fs::write(dir.join("escaped.csv"), b"x").unwrap();
        assert_eq!(
            snap.changed(),
            Some(sandbox.root().parent().unwrap().join("escaped.csv"))
        );
        fs::remove_dir_all(&dir).unwrap();
    }
}
