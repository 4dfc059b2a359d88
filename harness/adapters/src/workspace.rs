//! [`Workspace`]: the private folder of one adapter session's run, holding the request
//! sandboxes (`cases/case-…/sandbox`) and the adapter's own temporary folder (`tmp/`).
//!
//! Created with an unpredictable name and mode 0700 in the system's temporary folder, removed
//! on drop; a run killed before it could remove it leaves `cpcert-run-<pid>-…`, which the next
//! run removes once that pid is gone.

use std::collections::BTreeSet;
use std::ffi::OsString;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use tempfile::TempDir;

const PREFIX: &str = "cpcert-run-";
const CASE_PREFIX: &str = "cpcert-case-";

/// One run's private folder; see the module docs.
#[derive(Debug)]
pub struct Workspace {
    dir: TempDir,
    cases: PathBuf,
    tmp: PathBuf,
    /// Names of the case folders the harness created under `cases/` (and has not removed).
    created: Arc<Mutex<BTreeSet<OsString>>>,
}

impl Workspace {
    /// Creates a fresh workspace in the system's temporary folder, after removing those of
    /// runs that died.
    ///
    /// # Errors
    ///
    /// The folder cannot be created.
    pub fn create() -> io::Result<Workspace> {
        let parent = std::env::temp_dir();
        sweep_stale(&parent, PREFIX);
        let dir = tempfile::Builder::new()
            .prefix(&format!("{PREFIX}{}-", std::process::id()))
            .rand_bytes(12)
            .permissions(private())
            .tempdir_in(&parent)?;
        let root = fs::canonicalize(dir.path())?;
        let cases = root.join("cases");
        let tmp = root.join("tmp");
        crate::unix::doom(&root);
        for sub in [&cases, &tmp] {
            fs::create_dir(sub)?;
        }
        Ok(Workspace {
            dir,
            cases,
            tmp,
            created: Arc::default(),
        })
    }

    /// The workspace folder.
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// The folder holding the case folders (an adapter may write below it).
    pub fn cases(&self) -> &Path {
        &self.cases
    }

    /// The adapter's temporary folder (`TMPDIR` of the adapter process).
    pub fn tmp(&self) -> &Path {
        &self.tmp
    }

    /// A fresh case folder with an empty `sandbox/` in it, removed when dropped.
    ///
    /// # Errors
    ///
    /// The folder cannot be created.
    pub fn case_dir(&self) -> io::Result<CaseDir> {
        // Created and registered under the lock: whoever lists `cases/` and then asks
        // [`Workspace::created`] never sees an unregistered harness folder.
        let mut created = self.lock();
        let dir = tempfile::Builder::new()
            .prefix("case-")
            .permissions(private())
            .tempdir_in(&self.cases)?;
        let name = dir.path().file_name().map(OsString::from);
        if let Some(name) = &name {
            created.insert(name.clone());
        }
        drop(created);
        CaseDir::finish(dir, name.map(|n| (Arc::clone(&self.created), n)))
    }

    /// Whether `name` under [`Workspace::cases`] is a case folder the harness created.
    pub(crate) fn created(&self, name: &OsString) -> bool {
        self.lock().contains(name)
    }

    /// The case folders the harness has created and not yet removed.
    pub(crate) fn created_now(&self) -> BTreeSet<OsString> {
        self.lock().clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeSet<OsString>> {
        self.created.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Drop for Workspace {
    fn drop(&mut self) {
        if let Ok(root) = fs::canonicalize(self.dir.path()) {
            crate::unix::spare(&root);
        }
    }
}

/// One case's private folder and the sandbox in it; removed on drop.
#[derive(Debug)]
pub struct CaseDir {
    dir: Option<TempDir>,
    sandbox: PathBuf,
    registry: Option<(Arc<Mutex<BTreeSet<OsString>>>, OsString)>,
}

impl CaseDir {
    /// A case folder in the system's temporary folder (for adapters without a workspace).
    ///
    /// # Errors
    ///
    /// The folder cannot be created.
    pub fn temp() -> io::Result<CaseDir> {
        // Named after this process, so that a later run removes those a killed one left.
        static SWEPT: std::sync::Once = std::sync::Once::new();
        SWEPT.call_once(|| sweep_stale(&std::env::temp_dir(), CASE_PREFIX));
        let dir = tempfile::Builder::new()
            .prefix(&format!("{CASE_PREFIX}{}-", std::process::id()))
            .permissions(private())
            .tempdir()?;
        CaseDir::finish(dir, None)
    }

    fn finish(
        dir: TempDir,
        registry: Option<(Arc<Mutex<BTreeSet<OsString>>>, OsString)>,
    ) -> io::Result<CaseDir> {
        let sandbox = dir.path().join("sandbox");
        fs::create_dir(&sandbox)?;
        Ok(CaseDir {
            dir: Some(dir),
            sandbox,
            registry,
        })
    }

    /// The case folder (the sandbox's parent, private to this case).
    pub fn path(&self) -> &Path {
        self.dir.as_ref().map_or(Path::new(""), TempDir::path)
    }

    /// The empty sandbox to hand to the adapter.
    pub fn sandbox(&self) -> &Path {
        &self.sandbox
    }
}

impl Drop for CaseDir {
    fn drop(&mut self) {
        // Removed first, unregistered after: a sibling never looks like a stranger's folder.
        drop(self.dir.take());
        if let Some((registry, name)) = &self.registry {
            registry
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .remove(name);
        }
    }
}

fn private() -> fs::Permissions {
    use std::os::unix::fs::PermissionsExt as _;
    fs::Permissions::from_mode(0o700)
}

/// Removes `<prefix><pid>-…` folders of processes that no longer exist.
fn sweep_stale(parent: &Path, prefix: &str) {
    for entry in cpcert_spec::stale_entries(parent, prefix) {
        // Only real folders (never through a link).
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt as _;

    #[test]
    fn private_folders_removed_on_drop() {
        let ws = Workspace::create().unwrap();
        let mode = fs::metadata(ws.root()).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700);
        let case = ws.case_dir().unwrap();
        assert!(case.sandbox().is_dir());
        let name = case.path().file_name().unwrap().to_os_string();
        assert!(ws.created(&name));
        let path = case.path().to_path_buf();
        drop(case);
        assert!(!path.exists());
        assert!(!ws.created(&name));
        let root = ws.root().to_path_buf();
        drop(ws);
        assert!(!root.exists());
    }

    #[test]
    fn stale_workspaces_of_dead_processes_are_swept() {
        let parent = tempfile::tempdir().unwrap();
        // pid 2^22+1 exceeds the default pid_max; no such process exists.
        let dead = parent.path().join(format!("{PREFIX}4194305-abc"));
        let live = parent
            .path()
            .join(format!("{PREFIX}{}-abc", std::process::id()));
        fs::create_dir_all(dead.join("cases")).unwrap();
        fs::create_dir_all(&live).unwrap();
        sweep_stale(parent.path(), PREFIX);
        assert!(!dead.exists());
        assert!(live.exists());
    }
}
