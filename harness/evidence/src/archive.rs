//! The bundle's container: a plain ustar archive, written deterministically (sorted paths, fixed
//! mtime, owner and mode) and read with limits (entry count, entry size, total size).

use std::collections::BTreeMap;
use std::io::Read;

use crate::EvidenceError;

/// Most entries a bundle may hold.
pub const MAX_ENTRIES: usize = 100_000;
/// Most bytes one entry may hold.
pub const MAX_ENTRY_BYTES: u64 = 256 * 1024 * 1024;
/// Most bytes all entries together may hold.
pub const MAX_TOTAL_BYTES: u64 = 1024 * 1024 * 1024;

/// Writes `entries` (path → bytes) as a ustar archive: paths in byte order, mtime 0, owner 0,
/// mode 0644 — the same entries always give the same bytes.
///
/// # Errors
/// A path the ustar format cannot hold.
pub fn write(entries: &BTreeMap<String, Vec<u8>>) -> Result<Vec<u8>, EvidenceError> {
    let mut builder = tar::Builder::new(Vec::new());
    builder.mode(tar::HeaderMode::Deterministic);
    for (path, bytes) in entries {
        let mut header = tar::Header::new_ustar();
        header.set_size(bytes.len() as u64);
        header.set_mode(0o644);
        header.set_mtime(0);
        header.set_uid(0);
        header.set_gid(0);
        header.set_entry_type(tar::EntryType::Regular);
        builder
            .append_data(&mut header, path, bytes.as_slice())
            .map_err(|e| EvidenceError::Archive(format!("{path}: {e}")))?;
    }
    builder
        .into_inner()
        .map_err(|e| EvidenceError::Archive(e.to_string()))
}

/// Reads a bundle archive into path → bytes, refusing anything but regular files with relative,
/// `..`-free paths, duplicate paths, and archives past the limits.
///
/// # Errors
/// [`EvidenceError::Archive`] naming the problem.
pub fn read(bytes: &[u8]) -> Result<BTreeMap<String, Vec<u8>>, EvidenceError> {
    let bad = |m: String| EvidenceError::Archive(m);
    let mut archive = tar::Archive::new(bytes);
    let mut out = BTreeMap::new();
    let mut total = 0u64;
    for entry in archive.entries().map_err(|e| bad(e.to_string()))? {
        let mut entry = entry.map_err(|e| bad(e.to_string()))?;
        let path = entry
            .path()
            .map_err(|e| bad(e.to_string()))?
            .to_string_lossy()
            .into_owned();
        if entry.header().entry_type() != tar::EntryType::Regular {
            return Err(bad(format!("{path}: not a regular file")));
        }
        if path.starts_with('/') || path.split('/').any(|p| p == ".." || p.is_empty()) {
            return Err(bad(format!("{path}: not a plain relative path")));
        }
        let size = entry.size();
        total += size;
        if size > MAX_ENTRY_BYTES || total > MAX_TOTAL_BYTES || out.len() >= MAX_ENTRIES {
            return Err(bad(format!(
                "{path}: past the bundle limits ({MAX_ENTRIES} entries, {MAX_ENTRY_BYTES} bytes an entry, {MAX_TOTAL_BYTES} in all)"
            )));
        }
        let mut data = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
        entry
            .read_to_end(&mut data)
            .map_err(|e| bad(format!("{path}: {e}")))?;
        if out.insert(path.clone(), data).is_some() {
            return Err(bad(format!("{path}: stored twice")));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_entries_same_bytes_and_back() {
        let mut e = BTreeMap::new();
        e.insert("b/x.csv".to_owned(), b"1,2\r\n".to_vec());
        e.insert("a.json".to_owned(), b"{}".to_vec());
        let one = write(&e).unwrap();
        assert_eq!(one, write(&e.clone()).unwrap());
        assert_eq!(read(&one).unwrap(), e);
    }

    #[test]
    fn refuses_parent_paths() {
        let mut builder = tar::Builder::new(Vec::new());
        let mut h = tar::Header::new_gnu();
        h.set_size(1);
        h.set_entry_type(tar::EntryType::Regular);
        // set_path refuses `..`, so write the name bytes directly.
        h.as_gnu_mut().unwrap().name[..7].copy_from_slice(b"../evil");
        h.set_cksum();
        builder.append(&h, &b"x"[..]).unwrap();
        let bytes = builder.into_inner().unwrap();
        assert!(read(&bytes).is_err());
    }
}
