//! The folder walk of `cpcert validate`: which entries are validated, and why any other is not.
//!
//! Symlinked folders are never followed (no loops, no file reached twice through them), every
//! file is validated once (by device and inode), entries that are not regular files (FIFOs,
//! sockets, devices) and names that are not UTF-8 are listed as skipped with their reason, and a
//! dangling symlink or an unreadable folder inside a walk is one skipped entry, never the end of
//! the run. Only a path given on the command line that cannot be read is an error.

use std::collections::BTreeSet;
use std::fs::Metadata;
use std::io;
use std::path::{Path, PathBuf};

use cpcert_spec::Spec;
use serde::Serialize;

use crate::finding::Lang;
use crate::name::{NameClass, classify_name};
use crate::run::PathError;

/// Why an entry was not validated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "reason", content = "detail")]
pub enum SkipReason {
    /// The name is not one of the standard's file names (nor has their shape).
    NotStandardName,
    /// A FIFO, socket or device: reading it could block or never end.
    NotRegularFile,
    /// A symlink to a folder: never followed (loops, files reached twice).
    SymlinkedFolder,
    /// A symlink whose target does not exist.
    DanglingSymlink,
    /// The name is not valid UTF-8 (the standard's names are ASCII).
    NameNotUtf8,
    /// The same file was already reached by another path.
    SameFile,
    /// The operating system refused to read it (the reason as it said).
    Unreadable(String),
}

impl SkipReason {
    /// The reason in a language.
    pub fn text(&self, lang: Lang) -> String {
        match (self, lang) {
            (SkipReason::NotStandardName, Lang::Ja) => "標準仕様のファイル名ではありません".into(),
            (SkipReason::NotStandardName, Lang::En) => {
                "not one of the standard's file names".into()
            }
            (SkipReason::NotRegularFile, Lang::Ja) => {
                "通常のファイルではありません（FIFO・デバイスなど）".into()
            }
            (SkipReason::NotRegularFile, Lang::En) => {
                "not a regular file (FIFO, socket or device)".into()
            }
            (SkipReason::SymlinkedFolder, Lang::Ja) => {
                "フォルダーへのシンボリックリンクはたどりません".into()
            }
            (SkipReason::SymlinkedFolder, Lang::En) => "symlink to a folder: not followed".into(),
            (SkipReason::DanglingSymlink, Lang::Ja) => {
                "リンク先のないシンボリックリンクです".into()
            }
            (SkipReason::DanglingSymlink, Lang::En) => "dangling symlink".into(),
            (SkipReason::NameNotUtf8, Lang::Ja) => {
                "ファイル名が UTF-8 として読めません（標準仕様の名前は半角英数字）".into()
            }
            (SkipReason::NameNotUtf8, Lang::En) => {
                "file name is not UTF-8 (the standard's names are ASCII)".into()
            }
            (SkipReason::SameFile, Lang::Ja) => "同じファイルを別の経路で検査済みです".into(),
            (SkipReason::SameFile, Lang::En) => "the same file was already validated".into(),
            (SkipReason::Unreadable(why), Lang::Ja) => format!("読めません: {why}"),
            (SkipReason::Unreadable(why), Lang::En) => format!("cannot be read: {why}"),
        }
    }
}

/// An entry that was not validated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    /// The path, printable: control characters and bytes that are not UTF-8 escaped.
    pub path: String,
    /// Why.
    #[serde(flatten)]
    pub reason: SkipReason,
}

impl Skipped {
    fn new(path: &Path, reason: SkipReason) -> Self {
        Skipped {
            path: display_path(path),
            reason,
        }
    }

    pub(crate) fn unreadable(path: &Path, err: &io::Error) -> Self {
        Skipped::new(path, SkipReason::Unreadable(err.to_string()))
    }
}

/// A path as text that cannot forge output: control characters (a newline in a file name)
/// are escaped as `\n`, `\u{1b}`…, bytes that are not UTF-8 as `\xFF` (a backslash is kept:
/// it separates Windows paths).
pub fn display_path(path: &Path) -> String {
    match path.to_str() {
        Some(s) => escape(s),
        None => {
            let mut out = String::new();
            for chunk in path.as_os_str().as_encoded_bytes().utf8_chunks() {
                out.push_str(&escape(chunk.valid()));
                for b in chunk.invalid() {
                    out.push_str(&format!("\\x{b:02X}"));
                }
            }
            out
        }
    }
}

fn escape(s: &str) -> String {
    if !s.chars().any(char::is_control) {
        return s.to_owned();
    }
    s.chars()
        .map(|c| match c {
            '\n' => "\\n".to_owned(),
            '\r' => "\\r".to_owned(),
            '\t' => "\\t".to_owned(),
            c if c.is_control() => c.escape_unicode().to_string(),
            c => c.to_string(),
        })
        .collect()
}

/// The outcome of a walk.
#[derive(Debug, Default)]
pub(crate) struct Walk {
    /// Files to validate, each once, in walk order (sorted per folder).
    pub(crate) files: Vec<PathBuf>,
    /// Entries not validated.
    pub(crate) skipped: Vec<Skipped>,
    /// A folder was given (send units are checked).
    pub(crate) folders: bool,
}

/// A file's identity, so one file reached by two paths is validated once.
fn identity(meta: &Metadata, path: &Path) -> (u64, u64, PathBuf) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let _ = path;
        (meta.dev(), meta.ino(), PathBuf::new())
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        (
            0,
            0,
            std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned()),
        )
    }
}

struct Walker<'a> {
    spec: &'a Spec,
    version: &'a str,
    seen: BTreeSet<(u64, u64, PathBuf)>,
    out: Walk,
}

impl Walker<'_> {
    fn file(&mut self, path: PathBuf, meta: &Metadata) {
        if !self.seen.insert(identity(meta, &path)) {
            self.out
                .skipped
                .push(Skipped::new(&path, SkipReason::SameFile));
            return;
        }
        self.out.files.push(path);
    }

    fn folder(&mut self, dir: &Path) {
        let entries = match std::fs::read_dir(dir) {
            Ok(e) => e,
            Err(e) => {
                self.out.skipped.push(Skipped::unreadable(dir, &e));
                return;
            }
        };
        let mut paths = Vec::new();
        for entry in entries {
            match entry {
                Ok(e) => paths.push(e.path()),
                Err(e) => self.out.skipped.push(Skipped::unreadable(dir, &e)),
            }
        }
        paths.sort();
        for path in paths {
            self.entry(path);
        }
    }

    fn entry(&mut self, path: PathBuf) {
        let lmeta = match path.symlink_metadata() {
            Ok(m) => m,
            Err(e) => return self.out.skipped.push(Skipped::unreadable(&path, &e)),
        };
        if lmeta.is_dir() {
            return self.folder(&path);
        }
        let meta = if lmeta.file_type().is_symlink() {
            match path.metadata() {
                Ok(m) if m.is_dir() => {
                    return self
                        .out
                        .skipped
                        .push(Skipped::new(&path, SkipReason::SymlinkedFolder));
                }
                Ok(m) => m,
                Err(e) if e.kind() == io::ErrorKind::NotFound => {
                    return self
                        .out
                        .skipped
                        .push(Skipped::new(&path, SkipReason::DanglingSymlink));
                }
                Err(e) => return self.out.skipped.push(Skipped::unreadable(&path, &e)),
            }
        } else {
            lmeta
        };
        let Some(name) = path.file_name().map(|n| n.to_str()) else {
            return;
        };
        let Some(name) = name else {
            return self
                .out
                .skipped
                .push(Skipped::new(&path, SkipReason::NameNotUtf8));
        };
        if classify_name(name, self.spec, self.version) == NameClass::Other {
            return self
                .out
                .skipped
                .push(Skipped::new(&path, SkipReason::NotStandardName));
        }
        if !meta.is_file() {
            return self
                .out
                .skipped
                .push(Skipped::new(&path, SkipReason::NotRegularFile));
        }
        self.file(path, &meta);
    }
}

/// Walks the paths given on the command line. A folder given directly is walked even when it
/// is reached through a symlink (the user named it); inside it, symlinked folders are not.
/// A file given directly is validated whatever its name; one that is not a regular file is
/// skipped with its reason.
///
/// # Errors
/// A path given on the command line that does not exist or cannot be read.
pub(crate) fn walk_paths(paths: &[PathBuf], spec: &Spec, version: &str) -> Result<Walk, PathError> {
    let mut w = Walker {
        spec,
        version,
        seen: BTreeSet::new(),
        out: Walk::default(),
    };
    for path in paths {
        let meta = path.metadata().map_err(|source| PathError {
            path: path.clone(),
            source,
        })?;
        if meta.is_dir() {
            w.out.folders = true;
            std::fs::read_dir(path).map_err(|source| PathError {
                path: path.clone(),
                source,
            })?;
            w.folder(path);
        } else if meta.is_file() {
            w.file(path.clone(), &meta);
        } else {
            w.out
                .skipped
                .push(Skipped::new(path, SkipReason::NotRegularFile));
        }
    }
    Ok(w.out)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn names_cannot_forge_lines() {
        let p = Path::new("a\nb\u{1b}[31m\\x.CSV");
        assert_eq!(display_path(p), "a\\nb\\u{1b}[31m\\x.CSV");
        use std::os::unix::ffi::OsStrExt;
        let p = Path::new(std::ffi::OsStr::from_bytes(b"UP\xFFX.CSV"));
        assert_eq!(display_path(p), "UP\\xFFX.CSV");
    }
}
