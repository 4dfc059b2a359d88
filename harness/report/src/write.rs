//! Atomic file writes for reports, and [`OutputSet`]: a run's whole output folder appears at
//! once or not at all.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use sha2::Digest as _;

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

/// Creates the folders of `rel` below `base` one by one, refusing any existing entry on the way
/// that is not a real folder (a planted symbolic link is never followed), and returns the
/// folder. `base` itself is taken as it is.
///
/// # Errors
///
/// An entry on the way is a link or a file, or a folder cannot be created.
pub fn create_dir_beneath(base: &Path, rel: &Path) -> io::Result<PathBuf> {
    let mut dir = base.to_path_buf();
    for part in rel.components() {
        let std::path::Component::Normal(name) = part else {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("`{}` is not a plain relative path", rel.display()),
            ));
        };
        dir.push(name);
        match fs::create_dir(&dir) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                if !fs::symlink_metadata(&dir)?.is_dir() {
                    return Err(io::Error::new(
                        io::ErrorKind::AlreadyExists,
                        format!(
                            "`{}` is not a folder (a link?): not followed",
                            dir.display()
                        ),
                    ));
                }
            }
            Err(e) => return Err(e),
        }
    }
    Ok(dir)
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

/// Why an output folder could not be prepared or published.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// Another run holds the lock beside this output folder.
    #[error("another cpcert run is writing `{out}` (lock `{lock}`)")]
    Locked {
        /// The output folder.
        out: PathBuf,
        /// The lock file.
        lock: PathBuf,
    },
    /// Creating, checking or publishing the folder failed.
    #[error("cannot write the output folder `{path}`")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The operating-system error.
        #[source]
        source: io::Error,
    },
    /// Something in the staging folder is not what the harness wrote there.
    #[error("the output folder was changed by someone else during the run: `{path}` {what}")]
    Tampered {
        /// The entry.
        path: PathBuf,
        /// What is wrong with it.
        what: Tamper,
    },
}

/// What is wrong with an entry of the staging folder ([`OutputError::Tampered`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tamper {
    /// The folder holds more entries than a run writes.
    TooManyEntries,
    /// A link or a special file where the harness writes regular files.
    NotRegular,
    /// A file whose content no outcome recorded.
    NotWritten,
}

impl Tamper {
    /// The reason in `lang`.
    pub fn text(self, lang: cpcert_checks::Lang) -> &'static str {
        use cpcert_checks::Lang::{En, Ja};
        match (self, lang) {
            (Tamper::TooManyEntries, En) => "(too many entries)",
            (Tamper::TooManyEntries, Ja) => "（項目が多すぎます）",
            (Tamper::NotRegular, En) => "is not a regular file (a link or a special file)",
            (Tamper::NotRegular, Ja) => "は通常のファイルではありません（リンクか特殊ファイル）",
            (Tamper::NotWritten, En) => "was not written by this run",
            (Tamper::NotWritten, Ja) => "はこの実行が書いたものではありません",
        }
    }
}

impl std::fmt::Display for Tamper {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.text(cpcert_checks::Lang::En))
    }
}

impl OutputError {
    /// The error in both languages (the English is its `Display`).
    pub fn msg(&self) -> cpcert_checks::Msg {
        let ja = match self {
            OutputError::Locked { out, lock } => format!(
                "別の cpcert が `{}` に書き込み中です（ロック `{}`）",
                out.display(),
                lock.display()
            ),
            OutputError::Io { path, source } => {
                format!("出力フォルダ `{}` に書けません: {source}", path.display())
            }
            OutputError::Tampered { path, what } => format!(
                "実行中に出力フォルダが他から変更されました: `{}` {}",
                path.display(),
                what.text(cpcert_checks::Lang::Ja)
            ),
        };
        cpcert_checks::Msg::new(ja, self.to_string())
    }
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> OutputError + '_ {
    move |source| OutputError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// A run's outputs, written into a fresh staging folder beside `--out` and published with one
/// atomic exchange of folders, under a lock that keeps a second run out.
///
/// - `.<out>.lock` beside `--out` is locked (`flock`) for the whole run; a second run into the
///   same `--out` gets [`OutputError::Locked`].
/// - The staging folder `.<out>.cpcert-<pid>-<random>` is created with mode 0700 and an
///   unpredictable name (`mkdir`, which never follows an existing entry).
/// - [`OutputSet::publish`] swaps the staging folder and `--out` in one `renameat2(EXCHANGE)`
///   (Linux; elsewhere two renames), then removes the previous outputs. A `kill -9` at any moment
///   leaves `--out` with either the previous run's complete outputs or the new ones.
/// - Dropped without publishing, the staging folder is removed; after a `kill -9` the next run
///   into the same place removes staging folders whose process is gone.
#[derive(Debug)]
pub struct OutputSet {
    out: PathBuf,
    staging: PathBuf,
    _lock: File,
    published: bool,
}

impl OutputSet {
    /// Locks `out`, sweeps stale staging folders beside it and creates a fresh one.
    ///
    /// # Errors
    ///
    /// [`OutputError::Locked`] when another run holds the lock; [`OutputError::Io`] otherwise.
    pub fn begin(out: &Path) -> Result<OutputSet, OutputError> {
        let out = if out.is_absolute() {
            out.to_path_buf()
        } else {
            std::env::current_dir()
                .map_err(io_err(Path::new(".")))?
                .join(out)
        };
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .ok_or_else(|| OutputError::Io {
                path: out.clone(),
                source: io::Error::from(io::ErrorKind::InvalidInput),
            })?;
        let parent = out.parent().unwrap_or(Path::new("/")).to_path_buf();
        fs::create_dir_all(&parent).map_err(io_err(&parent))?;
        let lock_path = parent.join(format!(".{name}.lock"));
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .custom_flags_nofollow()
            .open(&lock_path)
            .map_err(io_err(&lock_path))?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => {
                return Err(OutputError::Locked {
                    out,
                    lock: lock_path,
                });
            }
            Err(fs::TryLockError::Error(e)) => return Err(io_err(&lock_path)(e)),
        }
        let prefix = format!(".{name}.cpcert-");
        sweep_stale(&parent, &prefix);
        let staging = create_private_dir(&parent, &format!("{prefix}{}-", std::process::id()))?;
        Ok(OutputSet {
            out,
            staging,
            _lock: lock,
            published: false,
        })
    }

    /// The staging folder: write every output here.
    pub fn dir(&self) -> &Path {
        &self.staging
    }

    /// The final output folder (`--out`, absolute).
    pub fn out(&self) -> &Path {
        &self.out
    }

    /// Checks the staging folder holds only folders and regular files, and that every file
    /// `accept` is asked about is accepted (e.g. its hash is one the run recorded): links,
    /// FIFOs or files the run did not write are someone else's.
    ///
    /// # Errors
    ///
    /// [`OutputError::Tampered`] naming the first such entry.
    pub fn check(&self, accept: impl Fn(&Path, &[u8]) -> bool) -> Result<(), OutputError> {
        let mut todo = vec![self.staging.clone()];
        let mut seen = 0usize;
        while let Some(dir) = todo.pop() {
            for entry in fs::read_dir(&dir).map_err(io_err(&dir))? {
                let entry = entry.map_err(io_err(&dir))?;
                let path = entry.path();
                seen += 1;
                if seen > MAX_CHECKED {
                    return Err(tampered(&path, Tamper::TooManyEntries));
                }
                let kind = entry.file_type().map_err(io_err(&path))?;
                if kind.is_dir() {
                    todo.push(path);
                } else if !kind.is_file() {
                    return Err(tampered(&path, Tamper::NotRegular));
                } else {
                    let rel = path.strip_prefix(&self.staging).unwrap_or(&path);
                    let bytes = fs::read(&path).map_err(io_err(&path))?;
                    if !accept(rel, &bytes) {
                        return Err(tampered(&path, Tamper::NotWritten));
                    }
                }
            }
        }
        Ok(())
    }

    /// Checks what the run left in the staging folder (evidence, golden-wip copies) against the
    /// hashes `results` recorded. When something else is there (a planted link, a changed or
    /// extra file: an unconfined adapter found the folder), everything in the folder is
    /// discarded and every outcome becomes an infrastructure error naming the entry. Call it
    /// before writing the reports. Returns the problem.
    pub fn vouch_for(&self, results: &mut crate::Results) -> Option<OutputError> {
        self.vouch_for_outcomes(results.outcomes.iter_mut())
    }

    /// [`Self::vouch_for`] over any run's outcomes (`cpcert interop`'s exchanges too): the files
    /// they recorded are the only ones the staging folder may hold.
    pub fn vouch_for_outcomes<'a>(
        &self,
        outcomes: impl IntoIterator<Item = &'a mut crate::Outcome>,
    ) -> Option<OutputError> {
        let mut outcomes: Vec<&mut crate::Outcome> = outcomes.into_iter().collect();
        let problem = {
            let recorded: Vec<(&str, &str)> = outcomes
                .iter()
                .flat_map(|o| o.files.iter())
                .map(|f| (f.path.as_str(), f.sha256.as_str()))
                .collect();
            let accept = |rel: &Path, bytes: &[u8]| {
                let hash = crate::results::sha256_hex(bytes);
                let name = rel.file_name().map(|n| n.to_string_lossy());
                recorded.iter().any(|(path, sha)| {
                    *sha == hash
                        && (rel.ends_with(path)
                            || (rel.starts_with("golden-wip")
                                && name.as_deref()
                                    == Path::new(path).file_name().and_then(|n| n.to_str())))
                })
            };
            match self.check(accept) {
                Ok(()) => return None,
                Err(e) => e,
            }
        };
        // Nothing of the run's files, and nothing someone else left, is published: the
        // reports are written into an empty folder afterwards.
        if let Ok(entries) = fs::read_dir(&self.staging) {
            for entry in entries.flatten() {
                remove_any(&entry.path());
            }
        }
        let msg = problem.msg();
        for outcome in &mut outcomes {
            outcome.verdict = crate::Verdict::Error;
            outcome.set_error(&msg);
            outcome.files.clear();
        }
        Some(problem)
    }

    /// Publishes the staging folder as `--out` in one step and removes the previous outputs.
    ///
    /// # Errors
    ///
    /// [`OutputError::Io`] when the exchange fails (the previous outputs are then untouched).
    pub fn publish(mut self) -> Result<(), OutputError> {
        // Readable as an ordinary output folder once complete (umask applies).
        set_mode(&self.staging, 0o777 & !current_umask());
        sync(&self.staging);
        exchange(&self.staging, &self.out).map_err(io_err(&self.out))?;
        self.published = true;
        // The staging name now holds the previous outputs (if any).
        remove_any(&self.staging);
        if let Some(parent) = self.out.parent() {
            sync(parent);
        }
        Ok(())
    }
}

impl Drop for OutputSet {
    fn drop(&mut self) {
        if !self.published {
            remove_any(&self.staging);
        }
    }
}

/// More entries than this in a staging folder are not checked one by one.
const MAX_CHECKED: usize = 1_000_000;

fn tampered(path: &Path, what: Tamper) -> OutputError {
    OutputError::Tampered {
        path: path.to_path_buf(),
        what,
    }
}

/// `O_NOFOLLOW` for the lock file: a planted symlink is refused, not followed.
trait NoFollow {
    fn custom_flags_nofollow(&mut self) -> &mut Self;
}

impl NoFollow for OpenOptions {
    fn custom_flags_nofollow(&mut self) -> &mut Self {
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt as _;
            self.custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32)
        }
        #[cfg(not(unix))]
        self
    }
}

/// A new folder `<parent>/<prefix><random>` with mode 0700.
fn create_private_dir(parent: &Path, prefix: &str) -> Result<PathBuf, OutputError> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    loop {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let random = random_suffix(n);
        let path = parent.join(format!("{prefix}{random}"));
        let mut builder = fs::DirBuilder::new();
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt as _;
            builder.mode(0o700);
        }
        match builder.create(&path) {
            Ok(()) => return Ok(path),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(io_err(&path)(e)),
        }
    }
}

/// 16 hex digits an adapter cannot predict (from the OS random source where there is one).
fn random_suffix(n: u64) -> String {
    let mut bytes = [0u8; 8];
    let filled = File::open("/dev/urandom").and_then(|mut f| {
        use std::io::Read as _;
        f.read_exact(&mut bytes)
    });
    if filled.is_err() {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let mixed = sha2::Sha256::digest(format!("{nanos}-{n}-{}", std::process::id()));
        bytes.copy_from_slice(&mixed[..8]);
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Removes staging folders `<prefix><pid>-…` of processes that are gone.
fn sweep_stale(parent: &Path, prefix: &str) {
    for entry in cpcert_spec::stale_entries(parent, prefix) {
        remove_any(&entry.path());
    }
}

/// Removes a folder tree, a file or a link (never following a link).
fn remove_any(path: &Path) {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => {
            let _ = fs::remove_dir_all(path);
        }
        Ok(_) => {
            let _ = fs::remove_file(path);
        }
        Err(_) => {}
    }
}

/// Swaps `staging` and `out` atomically (Linux), or moves `out` aside and `staging` in.
fn exchange(staging: &Path, out: &Path) -> io::Result<()> {
    if fs::symlink_metadata(out).is_err() {
        return fs::rename(staging, out);
    }
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        match renameat_with(CWD, staging, CWD, out, RenameFlags::EXCHANGE) {
            Ok(()) => return Ok(()),
            Err(e) if e != rustix::io::Errno::INVAL && e != rustix::io::Errno::NOSYS => {
                return Err(e.into());
            }
            // A file system without RENAME_EXCHANGE: the two-step fallback below.
            Err(_) => {}
        }
    }
    let aside = staging.with_extension("old");
    fs::rename(out, &aside)?;
    fs::rename(staging, out)?;
    fs::rename(&aside, staging)
}

fn set_mode(path: &Path, mode: u32) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let _ = fs::set_permissions(path, fs::Permissions::from_mode(mode));
    }
    #[cfg(not(unix))]
    let _ = (path, mode);
}

fn current_umask() -> u32 {
    #[cfg(unix)]
    {
        // Read from /proc where available; 022 is the usual default otherwise.
        fs::read_to_string("/proc/self/status")
            .ok()
            .and_then(|s| {
                s.lines()
                    .find_map(|l| l.strip_prefix("Umask:"))
                    .and_then(|v| u32::from_str_radix(v.trim(), 8).ok())
            })
            .unwrap_or(0o022)
    }
    #[cfg(not(unix))]
    0
}

fn sync(dir: &Path) {
    sync_dir(dir);
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
    fn output_set_is_locked_swapped_whole_and_cleaned() {
        let parent = std::env::temp_dir().join(format!("cpcert-outset-{}", std::process::id()));
        let _ = fs::remove_dir_all(&parent);
        fs::create_dir_all(&parent).unwrap();
        let out = parent.join("out");
        // First run: no --out yet.
        let set = OutputSet::begin(&out).unwrap();
        assert!(matches!(
            OutputSet::begin(&out),
            Err(OutputError::Locked { .. })
        ));
        fs::write(set.dir().join("a.json"), b"one").unwrap();
        set.publish().unwrap();
        assert_eq!(fs::read(out.join("a.json")).unwrap(), b"one");
        // Second run: exchanged over the old folder, which is removed.
        let set = OutputSet::begin(&out).unwrap();
        fs::write(set.dir().join("b.json"), b"two").unwrap();
        set.publish().unwrap();
        assert!(!out.join("a.json").exists());
        assert_eq!(fs::read(out.join("b.json")).unwrap(), b"two");
        // A run dropped unpublished leaves nothing and the old outputs untouched.
        let set = OutputSet::begin(&out).unwrap();
        let staging = set.dir().to_path_buf();
        drop(set);
        assert!(!staging.exists());
        assert!(out.join("b.json").exists());
        // A killed run's staging folder (dead pid) is swept by the next run.
        let stale = parent.join(".out.cpcert-4194305-deadbeef");
        fs::create_dir(&stale).unwrap();
        drop(OutputSet::begin(&out).unwrap());
        assert!(!stale.exists());
        let mut names: Vec<_> = fs::read_dir(&parent)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(names, [".out.lock", "out"]);
        fs::remove_dir_all(&parent).unwrap();
    }

    #[test]
    fn planted_links_are_refused_and_found() {
        let parent = std::env::temp_dir().join(format!("cpcert-plant-{}", std::process::id()));
        let _ = fs::remove_dir_all(&parent);
        fs::create_dir_all(parent.join("elsewhere")).unwrap();
        let set = OutputSet::begin(&parent.join("out")).unwrap();
        std::os::unix::fs::symlink(parent.join("elsewhere"), set.dir().join("evidence")).unwrap();
        assert!(create_dir_beneath(set.dir(), Path::new("evidence/case/sent")).is_err());
        assert!(
            fs::read_dir(parent.join("elsewhere"))
                .unwrap()
                .next()
                .is_none()
        );
        let err = set.check(|_, _| true).unwrap_err();
        assert!(matches!(err, OutputError::Tampered { .. }), "{err}");
        fs::remove_file(set.dir().join("evidence")).unwrap();
        let dir = create_dir_beneath(set.dir(), Path::new("evidence/case/sent")).unwrap();
        fs::write(dir.join("A.CSV"), b"x").unwrap();
        assert!(set.check(|_, bytes| bytes == b"x").is_ok());
        assert!(set.check(|_, bytes| bytes == b"y").is_err());
        drop(set);
        fs::remove_dir_all(&parent).unwrap();
    }

    #[test]
    fn missing_folder_is_an_error() {
        let path = std::env::temp_dir()
            .join("cpcert-no-such-folder-xyz")
            .join("a.json");
        assert!(write_atomic(path, b"x").is_err());
    }
}
