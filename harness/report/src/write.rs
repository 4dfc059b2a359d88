//! Atomic file writes for reports.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Writes `bytes` to `path` atomically: to a temporary file in the same folder, fsync, rename.
///
/// Readers (a CI step, `cpcert verify`) see either the old file or the complete new one, never a
/// partial report. The temporary file is in the same folder because a rename is only atomic within
/// one file system.
///
/// # Errors
///
/// Any I/O error creating, writing, syncing or renaming; the temporary file is removed on failure.
pub fn write_atomic(path: impl AsRef<Path>, bytes: &[u8]) -> io::Result<()> {
    let path = path.as_ref();
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let (tmp, mut file) = create_temp(dir, path)?;
    let result = file
        .write_all(bytes)
        .and_then(|()| file.sync_all())
        .and_then(|()| {
            drop(file);
            fs::rename(&tmp, path)
        });
    if let Err(err) = result {
        let _ = fs::remove_file(&tmp);
        return Err(err);
    }
    sync_dir(dir);
    Ok(())
}

/// Creates a fresh temporary file next to `path`; names are unique per process and call, and
/// `create_new` refuses to reuse one left behind by a crash.
fn create_temp(dir: &Path, path: &Path) -> io::Result<(PathBuf, File)> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    loop {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let tmp = dir.join(format!(".{name}.{}.{n}.tmp", std::process::id()));
        match OpenOptions::new().write(true).create_new(true).open(&tmp) {
            Ok(file) => return Ok((tmp, file)),
            Err(err) if err.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(err) => return Err(err),
        }
    }
}

/// Makes the rename durable on Unix; best effort because the file itself is already complete.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_replaces_and_leaves_no_temp_files() {
        let dir = std::env::temp_dir().join(format!("cpcert-report-write-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let path = dir.join("index.html");
        write_atomic(&path, b"one").unwrap();
        write_atomic(&path, b"two").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        let names: Vec<_> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["index.html"]);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn missing_folder_is_an_error() {
        let path = std::env::temp_dir()
            .join("cpcert-no-such-folder-xyz")
            .join("a.json");
        assert!(write_atomic(path, b"x").is_err());
    }
}
