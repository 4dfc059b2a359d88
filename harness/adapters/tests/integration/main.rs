//! Integration tests of cpcert-adapters: fake adapter processes, the manual adapter with a
//! thread playing the operator, the reference adapter, the example Python adapter and the
//! committed protocol schema.

mod manual;
mod protocol;
mod python_example;
mod reference;
mod schema;

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

/// A temporary folder removed on drop (tempfile is not a dependency of the workspace yet).
pub(crate) struct TempDir(PathBuf);

impl TempDir {
    pub(crate) fn new(name: &str) -> TempDir {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir =
            std::env::temp_dir().join(format!("cpcert-adapters-{name}-{}-{n}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        TempDir(dir.canonicalize().unwrap())
    }

    pub(crate) fn path(&self) -> &Path {
        &self.0
    }

    /// A fresh sandbox `<self>/<name>/sandbox`, with a parent private to it.
    pub(crate) fn sandbox(&self, name: &str) -> PathBuf {
        let dir = self.0.join(name).join("sandbox");
        fs::create_dir_all(&dir).unwrap();
        dir
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}
