//! Reading the suite's own text files (vendor descriptions, cases, scenarios) with bounded work:
//! whatever a path names — a FIFO, `/dev/zero`, a huge file — reading it ends quickly.

use std::fs::{File, OpenOptions};
use std::io::{self, Read};
use std::path::Path;

/// The largest vendor description, case or scenario file read: 4 MiB (the suite's largest is a
/// few KB).
pub const MAX_TEXT_FILE_BYTES: u64 = 4 << 20;

/// Reads a UTF-8 text file of at most `max_bytes` bytes (see [`read_regular_file`]).
///
/// # Errors
/// As [`read_regular_file`], and text that is not UTF-8 (kind [`io::ErrorKind::InvalidData`]).
pub fn read_text_file(path: &Path, max_bytes: u64) -> io::Result<String> {
    String::from_utf8(read_regular_file(path, max_bytes)?).map_err(|e| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("not UTF-8 text (at byte {})", e.utf8_error().valid_up_to()),
        )
    })
}

/// Reads a regular file of at most `max_bytes` bytes.
///
/// The file is opened without blocking (a FIFO with no writer would otherwise hang the open),
/// checked to be a regular file on the open handle (not a FIFO, device or socket; a symlink to a
/// regular file is fine), and read through a size cap, so that neither a never-ending source
/// such as `/dev/zero` nor a path swapped after a check can make it hang or grow.
///
/// # Errors
/// The file cannot be opened or read; or (kind [`io::ErrorKind::InvalidData`], with a message
/// saying which) it is not a regular file or is larger than `max_bytes`.
pub fn read_regular_file(path: &Path, max_bytes: u64) -> io::Result<Vec<u8>> {
    let file = open_no_block(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("not a regular file ({})", describe(&meta.file_type())),
        ));
    }
    let mut bytes = Vec::new();
    file.take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max_bytes {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("larger than {max_bytes} bytes"),
        ));
    }
    Ok(bytes)
}

#[cfg(unix)]
fn open_no_block(path: &Path) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    // O_NONBLOCK only matters to the open of a FIFO (or device); reads of a regular file ignore it.
    OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_no_block(path: &Path) -> io::Result<File> {
    OpenOptions::new().read(true).open(path)
}

fn describe(t: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if t.is_dir() { "a folder" } else { "not a file" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_regular_file_within_the_cap_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.yaml");
        std::fs::write(&p, "name: x\n").unwrap();
        assert_eq!(read_text_file(&p, 8).unwrap(), "name: x\n");
        let err = read_text_file(&p, 7).unwrap_err();
        assert_eq!(err.to_string(), "larger than 7 bytes");
        std::fs::write(&p, b"\xFF").unwrap();
        assert!(
            read_text_file(&p, 8)
                .unwrap_err()
                .to_string()
                .contains("not UTF-8")
        );
    }

    #[test]
    fn a_folder_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let err = read_text_file(dir.path(), 8).unwrap_err();
        assert!(err.to_string().contains("not a regular file"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_and_dev_zero_are_refused_without_hanging() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("vendor.yaml");
        let status = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(status.success());
        let err = read_text_file(&fifo, MAX_TEXT_FILE_BYTES).unwrap_err();
        assert_eq!(err.to_string(), "not a regular file (a FIFO)");
        let err = read_text_file(Path::new("/dev/zero"), MAX_TEXT_FILE_BYTES).unwrap_err();
        assert_eq!(err.to_string(), "not a regular file (a device)");
    }
}
