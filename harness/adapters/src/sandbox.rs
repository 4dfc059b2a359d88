//! Sandbox rules: every file an adapter reports must be a regular file inside the request's
//! sandbox, read once through a handle that never followed a link, and nothing next to the
//! sandbox may change during a call.

use crate::error::{Found, IoContext};
use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsString;
use std::fs::{self, File};
use std::io::Read as _;
use std::os::fd::OwnedFd;
use std::os::unix::fs::FileTypeExt as _;
use std::path::{Component, Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use rustix::fs::{AtFlags, FileType, Mode, OFlags};

use std::sync::Arc;

use crate::workspace::Workspace;
use crate::{AdapterError, Limit, Limits, ReturnedFile, StderrTail};

/// A request's sandbox folder: canonicalized once so that returned absolute paths can be
/// compared, and opened once so that files are looked up in that very folder even if a path
/// leading to it is swapped afterwards.
#[derive(Debug)]
pub(crate) struct Sandbox {
    /// The path as the harness gave it (what adapters see in messages).
    given: PathBuf,
    /// The canonical path (symlinks such as macOS `/tmp` resolved).
    root: PathBuf,
    /// The folder itself, opened without following a link.
    dir: OwnedFd,
}

/// The deadline of the request whose files are read, for the error when it passes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Deadline {
    pub(crate) at: Instant,
    pub(crate) timeout: Duration,
}

impl Sandbox {
    /// Opens an existing sandbox folder.
    pub(crate) fn open(path: &Path) -> Result<Sandbox, AdapterError> {
        let root = fs::canonicalize(path)
            .map_err(|e| AdapterError::io(IoContext::OpenSandbox, path, e))?;
        let dir = rustix::fs::open(
            &root,
            OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
            Mode::empty(),
        )
        .map_err(|e| AdapterError::io(IoContext::OpenSandbox, path, e.into()))?;
        Ok(Sandbox {
            given: path.to_path_buf(),
            root,
            dir,
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

    /// The components of a returned path (absolute, or relative to the sandbox) below the
    /// sandbox; every one must be a plain name.
    fn relative(&self, returned: &Path) -> Result<Vec<OsString>, AdapterError> {
        // Rejected before touching the file system: `..` is never needed inside a sandbox, and
        // refusing it outright keeps the rule simple to state in the protocol document.
        if returned.components().any(|c| c == Component::ParentDir) {
            return Err(AdapterError::ParentComponent {
                path: returned.to_path_buf(),
                stderr: StderrTail::default(),
            });
        }
        let outside = || AdapterError::OutsideSandbox {
            path: returned.to_path_buf(),
            stderr: StderrTail::default(),
        };
        let rest = if returned.is_absolute() {
            returned
                .strip_prefix(&self.root)
                .or_else(|_| returned.strip_prefix(&self.given))
                .map_err(|_| outside())?
        } else {
            returned
        };
        let names: Vec<OsString> = rest
            .components()
            .filter_map(|c| match c {
                Component::Normal(name) => Some(Ok(name.to_os_string())),
                Component::CurDir => None,
                _ => Some(Err(outside())),
            })
            .collect::<Result<_, _>>()?;
        if names.is_empty() {
            return Err(outside());
        }
        Ok(names)
    }

    /// Reads one returned file: every component is opened relative to the sandbox folder without
    /// following a link, the final handle is checked to be a regular file (a FIFO is opened
    /// non-blocking, so it cannot hang the harness), and the bytes come from that handle, at
    /// most `max_bytes` of them.
    pub(crate) fn read(
        &self,
        operation: &'static str,
        returned: &str,
        max_bytes: u64,
    ) -> Result<ReturnedFile, AdapterError> {
        let shown = Path::new(returned);
        let names = self.relative(shown)?;
        let not_regular = |found| AdapterError::NotRegularFile {
            path: shown.to_path_buf(),
            found,
            stderr: StderrTail::default(),
        };
        let (last, folders) = names
            .split_last()
            .ok_or_else(|| not_regular(Found::Sandbox))?;
        let mut folder: Option<OwnedFd> = None;
        for name in folders {
            let at = folder.as_ref().unwrap_or(&self.dir);
            let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
            match rustix::fs::openat(at, name.as_os_str(), flags, Mode::empty()) {
                Ok(fd) => folder = Some(fd),
                Err(e) => return Err(self.open_failed(at, name, shown, e)),
            }
        }
        let at = folder.as_ref().unwrap_or(&self.dir);
        let flags =
            OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::NOCTTY | OFlags::CLOEXEC;
        let fd = rustix::fs::openat(at, last.as_os_str(), flags, Mode::empty())
            .map_err(|e| self.open_failed(at, last, shown, e))?;
        let file = File::from(fd);
        let path = self.root.join(names.iter().collect::<PathBuf>());
        let meta = file
            .metadata()
            .map_err(|e| AdapterError::io(IoContext::ReadReturned, &path, e))?;
        if !meta.is_file() {
            return Err(not_regular(describe(meta.file_type())));
        }
        let too_large = |size: String| AdapterError::LimitExceeded {
            operation,
            limit: Limit::FileBytes,
            allowed: max_bytes,
            detail: format!("`{returned}` has {size} bytes"),
            stderr: StderrTail::default(),
        };
        if meta.len() > max_bytes {
            return Err(too_large(meta.len().to_string()));
        }
        let mut bytes = Vec::new();
        file.take(max_bytes.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(|e| AdapterError::io(IoContext::ReadReturned, &path, e))?;
        // The file may have grown after the size check; what was read decides.
        if bytes.len() as u64 > max_bytes {
            return Err(too_large(format!("more than {max_bytes}")));
        }
        let name = last.to_string_lossy().into_owned();
        Ok(ReturnedFile { path, name, bytes })
    }

    /// Why opening `name` in `at` failed, as the adapter's fault where it is one.
    fn open_failed(
        &self,
        at: &OwnedFd,
        name: &OsString,
        shown: &Path,
        err: rustix::io::Errno,
    ) -> AdapterError {
        // Every open here refuses to follow a link, so ELOOP means the entry was a link when it
        // was opened, whatever a later look at it finds (an adapter may swap it back and forth).
        if err == rustix::io::Errno::LOOP {
            return AdapterError::NotRegularFile {
                path: shown.to_path_buf(),
                found: Found::SymbolicLink,
                stderr: StderrTail::default(),
            };
        }
        let found = match rustix::fs::statat(at, name.as_os_str(), AtFlags::SYMLINK_NOFOLLOW) {
            Ok(stat) => match FileType::from_raw_mode(stat.st_mode) {
                FileType::Symlink => Found::SymbolicLink,
                FileType::RegularFile | FileType::Directory => {
                    return AdapterError::io(IoContext::OpenReturned, shown, err.into());
                }
                FileType::Fifo => Found::Fifo,
                FileType::Socket => Found::Socket,
                FileType::CharacterDevice | FileType::BlockDevice => Found::Device,
                FileType::Unknown => Found::Unknown,
            },
            Err(_) => {
                return AdapterError::MissingFile {
                    path: shown.to_path_buf(),
                    stderr: StderrTail::default(),
                };
            }
        };
        AdapterError::NotRegularFile {
            path: shown.to_path_buf(),
            found,
            stderr: StderrTail::default(),
        }
    }

    /// Reads every returned file within the request's limits (count, bytes per file, bytes in
    /// total) and deadline; the first bad one decides the error.
    pub(crate) fn read_all(
        &self,
        operation: &'static str,
        returned: &[String],
        limits: &Limits,
        deadline: Option<Deadline>,
    ) -> Result<Vec<ReturnedFile>, AdapterError> {
        if returned.len() as u64 > limits.files {
            return Err(AdapterError::LimitExceeded {
                operation,
                limit: Limit::Files,
                allowed: limits.files,
                detail: format!("{} files returned", returned.len()),
                stderr: StderrTail::default(),
            });
        }
        let mut files = Vec::with_capacity(returned.len());
        let mut total: u64 = 0;
        for path in returned {
            if let Some(d) = deadline
                && Instant::now() >= d.at
            {
                return Err(AdapterError::Timeout {
                    operation,
                    seconds: d.timeout.as_secs(),
                    stderr: StderrTail::default(),
                });
            }
            let left = limits.total_bytes - total;
            let file = self
                .read(operation, path, limits.file_bytes.min(left))
                .map_err(|e| match e {
                    // Past the total, name the total rather than the per-file limit.
                    AdapterError::LimitExceeded { detail, .. } if left < limits.file_bytes => {
                        AdapterError::LimitExceeded {
                            operation,
                            limit: Limit::TotalBytes,
                            allowed: limits.total_bytes,
                            detail,
                            stderr: StderrTail::default(),
                        }
                    }
                    other => other,
                })?;
            total += file.bytes.len() as u64;
            files.push(file);
        }
        Ok(files)
    }
}

fn describe(kind: fs::FileType) -> Found {
    if kind.is_dir() {
        Found::Folder
    } else if kind.is_symlink() {
        Found::SymbolicLink
    } else if kind.is_fifo() {
        Found::Fifo
    } else if kind.is_socket() {
        Found::Socket
    } else if kind.is_block_device() || kind.is_char_device() {
        Found::Device
    } else {
        Found::Unknown
    }
}

/// What the folders around the sandbox held before a call (name → size, modification time):
/// its parent and, for a sandbox in a [`Workspace`], the workspace's `cases/` folder (other
/// cases' folders excepted) and the workspace itself (`cases/` and `tmp/` excepted).
///
/// Catches writes to `sandbox/..` and `sandbox/../..` without watching the whole disk; with
/// Landlock in force such writes are refused anyway, this is the detection where it is not.
#[derive(Debug)]
pub(crate) struct ParentSnapshot {
    watched: Vec<Watched>,
    workspace: Option<Arc<Workspace>>,
}

#[derive(Debug)]
struct Watched {
    dir: PathBuf,
    skip: Skip,
    entries: Option<Listing>,
}

/// Entries of a watched folder that may change.
#[derive(Debug)]
enum Skip {
    /// The sandbox itself.
    Name(OsString),
    /// Case folders the harness created (other requests' sandboxes): those registered when
    /// the snapshot was taken (they may be gone since) or when it is compared (new ones).
    CaseDirs(BTreeSet<OsString>),
    /// The workspace's own subfolders.
    WorkspaceDirs,
}

type Listing = BTreeMap<OsString, (u64, Option<SystemTime>)>;

/// More entries than this in a watched folder count as a change (listing stays bounded).
const MAX_LISTED: usize = 10_000;

impl ParentSnapshot {
    /// Lists the watched folders; `None` when the sandbox has no parent.
    pub(crate) fn take(
        sandbox: &Sandbox,
        workspace: Option<Arc<Workspace>>,
    ) -> Option<ParentSnapshot> {
        let parent = sandbox.root().parent()?.to_path_buf();
        let sandbox_name = sandbox.root().file_name()?.to_os_string();
        let mut watched = vec![Watched::new(parent.clone(), Skip::Name(sandbox_name))];
        if let Some(ws) = &workspace
            && parent.parent() == Some(ws.cases())
        {
            let mut cases = Watched::new(ws.cases().to_path_buf(), Skip::CaseDirs(BTreeSet::new()));
            // Listed first, registry read after: every harness folder listed is registered.
            cases.skip = Skip::CaseDirs(ws.created_now());
            watched.push(cases);
            if let Some(root) = ws.cases().parent() {
                watched.push(Watched::new(root.to_path_buf(), Skip::WorkspaceDirs));
            }
        }
        Some(ParentSnapshot { watched, workspace })
    }

    /// The first entry that appeared, vanished or changed since the snapshot, if any.
    pub(crate) fn changed(&self) -> Option<PathBuf> {
        self.watched.iter().find_map(|w| w.changed(self))
    }
}

impl Watched {
    fn new(dir: PathBuf, skip: Skip) -> Watched {
        let entries = list(&dir);
        Watched { dir, skip, entries }
    }

    fn skipped(&self, name: &OsString, snapshot: &ParentSnapshot) -> bool {
        match &self.skip {
            Skip::Name(n) => name == n,
            Skip::CaseDirs(before) => {
                before.contains(name)
                    || snapshot
                        .workspace
                        .as_ref()
                        .is_some_and(|ws| ws.created(name))
            }
            Skip::WorkspaceDirs => name == "cases" || name == "tmp",
        }
    }

    fn changed(&self, snapshot: &ParentSnapshot) -> Option<PathBuf> {
        let before = self.entries.as_ref()?;
        let Some(now) = list(&self.dir) else {
            return Some(self.dir.clone());
        };
        if now.len() > MAX_LISTED {
            return Some(self.dir.clone());
        }
        let differs =
            |name: &OsString| !self.skipped(name, snapshot) && now.get(name) != before.get(name);
        now.keys()
            .chain(before.keys())
            .find(|name| differs(name))
            .map(|name| self.dir.join(name))
    }
}

fn list(dir: &Path) -> Option<Listing> {
    let mut entries = BTreeMap::new();
    for entry in fs::read_dir(dir).ok()?.flatten() {
        if entries.len() > MAX_LISTED {
            break;
        }
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

    const BIG: u64 = 1 << 20;

    #[test]
    fn reads_relative_and_absolute_inside() {
        let dir = temp("inside");
        fs::create_dir_all(dir.join("box/sub")).unwrap();
        fs::write(dir.join("box/A.CSV"), b"x").unwrap();
        fs::write(dir.join("box/sub/B.CSV"), b"yy").unwrap();
        let sandbox = Sandbox::open(&dir.join("box")).unwrap();
        let a = sandbox.read("t", "A.CSV", BIG).unwrap();
        let b = sandbox
            .read("t", dir.join("box/A.CSV").to_str().unwrap(), BIG)
            .unwrap();
        assert_eq!(a, b);
        assert_eq!((a.name.as_str(), a.bytes.as_slice()), ("A.CSV", &b"x"[..]));
        assert_eq!(sandbox.read("t", "./sub/B.CSV", BIG).unwrap().bytes, b"yy");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn rejects_escapes_links_and_special_files() {
        let dir = temp("escape");
        fs::write(dir.join("out.csv"), b"x").unwrap();
        fs::create_dir_all(dir.join("box/sub")).unwrap();
        fs::write(dir.join("box/sub/in.csv"), b"x").unwrap();
        std::os::unix::fs::symlink(dir.join("out.csv"), dir.join("box/link.csv")).unwrap();
        std::os::unix::fs::symlink(dir.join("box/sub"), dir.join("box/linkdir")).unwrap();
        let fifo = dir.join("box/fifo.csv");
        rustix::fs::mknodat(
            rustix::fs::CWD,
            &fifo,
            FileType::Fifo,
            Mode::from_raw_mode(0o600),
            0,
        )
        .unwrap();
        let sandbox = Sandbox::open(&dir.join("box")).unwrap();
        let read = |p: &str| sandbox.read("t", p, BIG);
        assert!(matches!(
            read("../out.csv"),
            Err(AdapterError::ParentComponent { .. })
        ));
        assert!(matches!(
            read("link.csv"),
            Err(AdapterError::NotRegularFile {
                found: Found::SymbolicLink,
                ..
            })
        ));
        assert!(matches!(
            read("linkdir/in.csv"),
            Err(AdapterError::NotRegularFile {
                found: Found::SymbolicLink,
                ..
            })
        ));
        // Opened non-blocking and refused on the handle: never hangs.
        assert!(matches!(
            read("fifo.csv"),
            Err(AdapterError::NotRegularFile {
                found: Found::Fifo,
                ..
            })
        ));
        assert!(matches!(
            read("sub"),
            Err(AdapterError::NotRegularFile {
                found: Found::Folder,
                ..
            })
        ));
        assert!(matches!(
            read(dir.join("out.csv").to_str().unwrap()),
            Err(AdapterError::OutsideSandbox { .. })
        ));
        assert!(matches!(
            read("nope.csv"),
            Err(AdapterError::MissingFile { .. })
        ));
        assert!(matches!(
            read("."),
            Err(AdapterError::OutsideSandbox { .. })
        ));
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn limits_count_size_and_total() {
        let dir = temp("limits");
        fs::write(dir.join("box/a"), vec![b'a'; 10]).unwrap();
        fs::write(dir.join("box/b"), vec![b'b'; 10]).unwrap();
        // A sparse file: huge by size, never read.
        let big = File::create(dir.join("box/sparse")).unwrap();
        big.set_len(1 << 40).unwrap();
        let sandbox = Sandbox::open(&dir.join("box")).unwrap();
        let limits = Limits {
            files: 2,
            file_bytes: 10,
            total_bytes: 15,
            ..Limits::default()
        };
        let names = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        let limit_of = |r: Result<Vec<ReturnedFile>, AdapterError>| match r {
            Err(AdapterError::LimitExceeded { limit, .. }) => Some(limit),
            _ => None,
        };
        let read = |v: &[&str]| sandbox.read_all("t", &names(v), &limits, None);
        assert_eq!(limit_of(read(&["a", "b", "a"])), Some(Limit::Files));
        assert_eq!(limit_of(read(&["sparse"])), Some(Limit::FileBytes));
        assert_eq!(limit_of(read(&["a", "b"])), Some(Limit::TotalBytes));
        assert_eq!(read(&["a"]).unwrap().len(), 1);
        let past = Deadline {
            at: Instant::now(),
            timeout: Duration::from_secs(1),
        };
        assert!(matches!(
            sandbox.read_all("t", &names(&["a"]), &limits, Some(past)),
            Err(AdapterError::Timeout { .. })
        ));
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn parent_snapshot_sees_new_sibling() {
        let dir = temp("parent");
        let sandbox = Sandbox::open(&dir.join("box")).unwrap();
        let snap = ParentSnapshot::take(&sandbox, None).unwrap();
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
