//! Finding what a killed cpcert run left behind: folders named `<prefix><pid>-…` whose process is
//! gone. The adapters' private workspaces and the report's staging folders are swept this way; each
//! caller decides how an entry is removed.

use std::fs::{self, DirEntry};
use std::path::Path;

/// The entries of `parent` named `<prefix><pid>-…` whose process `pid` no longer exists.
/// An unreadable folder has none.
pub fn stale_entries(parent: &Path, prefix: &str) -> Vec<DirEntry> {
    let Ok(entries) = fs::read_dir(parent) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter(|entry| {
            entry
                .file_name()
                .to_str()
                .and_then(|n| n.strip_prefix(prefix))
                .and_then(|rest| rest.split('-').next())
                .and_then(|pid| pid.parse::<i32>().ok())
                .is_some_and(|pid| !process_alive(pid))
        })
        .collect()
}

/// Whether a process with this id exists. Where the OS cannot tell (not unix), every process is
/// taken to be alive, so that nothing of a running process is ever removed.
pub fn process_alive(pid: i32) -> bool {
    #[cfg(unix)]
    {
        match rustix::process::Pid::from_raw(pid) {
            Some(pid) => !matches!(
                rustix::process::test_kill_process(pid),
                Err(rustix::io::Errno::SRCH)
            ),
            None => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_entries_of_gone_processes_with_the_prefix() {
        let dir = tempfile::tempdir().unwrap();
        let me = std::process::id();
        // A pid above the kernel's maximum (4194304) never exists.
        for name in [
            format!("run-{me}-a"),
            "run-999999999-b".to_owned(),
            "other-999999999-c".to_owned(),
            "run-notapid-d".to_owned(),
        ] {
            fs::create_dir(dir.path().join(name)).unwrap();
        }
        let names: Vec<String> = stale_entries(dir.path(), "run-")
            .iter()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["run-999999999-b"]);
        assert!(process_alive(i32::try_from(me).unwrap()));
        assert!(stale_entries(&dir.path().join("missing"), "run-").is_empty());
    }
}
