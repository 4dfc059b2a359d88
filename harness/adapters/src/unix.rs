//! Unix process-group control for adapter processes.

use std::os::unix::process::CommandExt;
use std::process::Command;

/// Makes the child the leader of a new process group, so that it and everything it spawns
/// can be killed together.
pub(crate) fn new_process_group(command: &mut Command) {
    command.process_group(0);
}

/// Sends SIGKILL to every process in the group led by `pgid`. Errors (the group is already
/// gone) are ignored: the goal is that nothing is left, and nothing is.
#[expect(
    unsafe_code,
    reason = "libc::kill has no safe wrapper in std; it only sends a signal"
)]
pub(crate) fn kill_process_group(pgid: u32) {
    let Ok(pgid) = libc::pid_t::try_from(pgid) else {
        return;
    };
    // Never signal group 0 or 1 (our own group, or init's): a bogus id must not kill the harness.
    if pgid <= 1 {
        return;
    }
    // SAFETY: kill(2) takes plain integers and touches no memory of ours.
    unsafe {
        libc::kill(-pgid, libc::SIGKILL);
    }
}
