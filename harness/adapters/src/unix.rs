//! Unix process control for adapter processes: a new process group per session, the harness as
//! child subreaper (Linux), and killing every descendant, those that left the process group
//! (`setsid`) or the process tree (double fork) included.
//!
//! On Linux the harness marks itself a child subreaper, so an adapter's orphaned descendants
//! become children of the harness instead of init. Every session leader the harness starts is
//! registered; any other child of the harness is such an orphan and is killed (with its own
//! descendants) at the end of every request and every session. Descendants still below the
//! leader are found through `/proc` and killed when the session ends.

use std::collections::{BTreeMap, BTreeSet};
use std::io;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command};
use std::sync::{Mutex, MutexGuard, Once};
use std::thread;
use std::time::{Duration, Instant};

use rustix::process::{Pid, Signal, WaitOptions};

/// The session leaders this process started and has not reaped yet.
static LEADERS: Mutex<BTreeSet<i32>> = Mutex::new(BTreeSet::new());

fn leaders() -> MutexGuard<'static, BTreeSet<i32>> {
    LEADERS.lock().unwrap_or_else(|p| p.into_inner())
}

/// Makes the child the leader of a new process group, so that it and everything it spawns
/// can be killed together.
pub(crate) fn new_process_group(command: &mut Command) {
    command.process_group(0);
}

/// Starts `command` as a registered session leader (so that it is never taken for an orphan),
/// after making the harness a child subreaper.
pub(crate) fn spawn_leader(command: &mut Command) -> io::Result<Child> {
    become_subreaper();
    // Registered under the lock: an orphan sweep running meanwhile must not see the new child
    // unregistered.
    let mut live = leaders();
    let child = command.spawn()?;
    if let Ok(pid) = i32::try_from(child.id()) {
        live.insert(pid);
    }
    Ok(child)
}

/// Forgets a leader once it has been reaped.
pub(crate) fn forget_leader(pid: u32) {
    if let Ok(pid) = i32::try_from(pid) {
        leaders().remove(&pid);
    }
}

/// Marks the harness a child subreaper (Linux; once per process).
fn become_subreaper() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        #[cfg(target_os = "linux")]
        let _ = rustix::process::set_child_subreaper(Some(rustix::process::getpid()));
    });
}

/// Sends SIGKILL to every process in the group led by `pgid`. Errors (the group is already
/// gone) are ignored: the goal is that nothing is left, and nothing is.
pub(crate) fn kill_process_group(pgid: u32) {
    let Some(pid) = pid_of(pgid) else {
        return;
    };
    let _ = rustix::process::kill_process_group(pid, Signal::KILL);
}

fn pid_of(raw: u32) -> Option<Pid> {
    let raw = i32::try_from(raw).ok()?;
    // Never signal 0 or 1 (our own group, or init): a bogus id must not kill the harness.
    if raw <= 1 {
        return None;
    }
    Pid::from_raw(raw)
}

/// `pid → parent pid` of every process visible in `/proc` (empty where there is no `/proc`).
fn parents() -> BTreeMap<i32, i32> {
    let mut map = BTreeMap::new();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return map;
    };
    for entry in entries.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<i32>().ok())
        else {
            continue;
        };
        // `pid (comm) state ppid …`; comm may hold spaces and parentheses, so parse after the
        // last `)`.
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        let Some(rest) = stat.rfind(')').map(|i| &stat[i + 1..]) else {
            continue;
        };
        if let Some(ppid) = rest
            .split_whitespace()
            .nth(1)
            .and_then(|p| p.parse::<i32>().ok())
        {
            map.insert(pid, ppid);
        }
    }
    map
}

/// Every descendant of `root` (not `root` itself) in `map`.
fn descendants(map: &BTreeMap<i32, i32>, root: i32) -> Vec<i32> {
    let mut children: BTreeMap<i32, Vec<i32>> = BTreeMap::new();
    for (&pid, &ppid) in map {
        children.entry(ppid).or_default().push(pid);
    }
    let mut out = Vec::new();
    let mut todo = vec![root];
    while let Some(pid) = todo.pop() {
        for &child in children.get(&pid).map_or(&[][..], Vec::as_slice) {
            if !out.contains(&child) {
                out.push(child);
                todo.push(child);
            }
        }
    }
    out
}

fn kill(pid: i32) {
    if let Some(pid) = Pid::from_raw(pid).filter(|p| p.as_raw_nonzero().get() > 1) {
        let _ = rustix::process::kill_process(pid, Signal::KILL);
    }
}

/// How long the harness keeps looking for processes to kill (a forking adapter may keep
/// creating them for a moment).
const SWEEP_ROUNDS: usize = 20;

/// Kills every descendant of the session leader `leader` (the leader itself is the caller's),
/// again and again until none is found, so that a process forked while the first ones died is
/// caught too.
pub(crate) fn kill_descendants(leader: u32) {
    let Ok(leader) = i32::try_from(leader) else {
        return;
    };
    for _ in 0..SWEEP_ROUNDS {
        let found = descendants(&parents(), leader);
        if found.is_empty() {
            return;
        }
        found.into_iter().for_each(kill);
        thread::sleep(Duration::from_millis(5));
    }
}

/// The environment variable that marks a session's processes, so that an orphan is told to the
/// session it came from when several run in one harness (tests; certify runs one).
pub(crate) const SESSION_ENV: &str = "CPCERT_SESSION";

/// The session an orphan belongs to, from its environment: `Some(None)` when it carries no
/// mark (it cleared its environment: anyone's), `None` when it cannot be read (gone).
fn session_of(pid: i32) -> Option<Option<String>> {
    let environ = std::fs::read(format!("/proc/{pid}/environ")).ok()?;
    let key = format!("{SESSION_ENV}=");
    Some(
        environ
            .split(|&b| b == 0)
            .find_map(|entry| entry.strip_prefix(key.as_bytes()))
            .map(|v| String::from_utf8_lossy(v).into_owned()),
    )
}

/// Kills every orphan the harness inherited as subreaper (a child that is not a registered
/// session leader) that belongs to `session` or carries no session mark, with all its
/// descendants, and reaps them. Returns how many were killed.
pub(crate) fn kill_orphans(session: &str) -> usize {
    let me = rustix::process::getpid().as_raw_nonzero().get();
    let mut killed = BTreeSet::new();
    for _ in 0..SWEEP_ROUNDS {
        // Held for the round: no leader is spawned (and so mistaken for an orphan) meanwhile.
        let live = leaders();
        let map = parents();
        let orphans: Vec<i32> = map
            .iter()
            .filter(|&(pid, &ppid)| ppid == me && !live.contains(pid))
            .map(|(&pid, _)| pid)
            .filter(|&pid| match session_of(pid) {
                Some(Some(mark)) => mark == session,
                Some(None) | None => true,
            })
            .collect();
        drop(live);
        if orphans.is_empty() {
            break;
        }
        for &orphan in &orphans {
            descendants(&map, orphan).into_iter().for_each(kill);
            kill(orphan);
            killed.insert(orphan);
        }
        for &orphan in &orphans {
            reap(orphan);
        }
    }
    killed.len()
}

/// Waits (briefly) for a killed child so that no zombie is left.
fn reap(pid: i32) {
    let Some(pid) = Pid::from_raw(pid) else {
        return;
    };
    let deadline = Instant::now() + Duration::from_secs(2);
    while Instant::now() < deadline {
        match rustix::process::waitpid(Some(pid), WaitOptions::NOHANG) {
            Ok(None) => thread::sleep(Duration::from_millis(2)),
            Ok(Some(_)) | Err(_) => return,
        }
    }
}

/// Folders to remove when the harness is terminated by a signal (workspaces).
static DOOMED: Mutex<Vec<std::path::PathBuf>> = Mutex::new(Vec::new());

/// Removes `path` if the harness is terminated by SIGINT, SIGTERM or SIGHUP before
/// [`spare`] is called for it.
pub(crate) fn doom(path: &std::path::Path) {
    DOOMED
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .push(path.to_path_buf());
}

/// Takes `path` off the list of [`doom`].
pub(crate) fn spare(path: &std::path::Path) {
    DOOMED
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .retain(|p| p != path);
}

/// On SIGINT, SIGTERM or SIGHUP: kills every adapter process (sessions, their descendants and
/// orphans), removes the workspaces, runs `cleanup` (the caller's temporary outputs), then exits
/// with 128 + the signal number. Call it before any other thread is started: the signals are
/// blocked in the calling thread (so in every thread started after) and taken by a dedicated
/// one. Processes the harness starts get an empty signal mask (std resets it).
#[expect(
    unsafe_code,
    reason = "sigwait/pthread_sigmask have no safe wrapper in std or rustix"
)]
pub fn cleanup_on_termination(cleanup: impl Fn() + Send + 'static) {
    // SAFETY: plain libc calls on a local, initialized sigset_t.
    let set = unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&raw mut set);
        for sig in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
            libc::sigaddset(&raw mut set, sig);
        }
        if libc::pthread_sigmask(libc::SIG_BLOCK, &raw const set, std::ptr::null_mut()) != 0 {
            return;
        }
        set
    };
    thread::spawn(move || {
        let mut sig: libc::c_int = 0;
        // SAFETY: waits for one of the blocked signals; `set` and `sig` are valid for the call.
        if unsafe { libc::sigwait(&raw const set, &raw mut sig) } != 0 {
            return;
        }
        // Folders first, while the harness is most likely still waiting on the adapter (and so
        // writes nothing); processes next; the folders once more in case the harness went on
        // writing meanwhile; then exit at once.
        let remove = || {
            for path in DOOMED.lock().unwrap_or_else(|p| p.into_inner()).iter() {
                let _ = std::fs::remove_dir_all(path);
            }
            cleanup();
        };
        remove();
        let live: Vec<i32> = leaders().iter().copied().collect();
        for leader in live {
            if let Ok(raw) = u32::try_from(leader) {
                kill_descendants(raw);
                kill_process_group(raw);
            }
            kill(leader);
        }
        kill_any_orphans();
        remove();
        std::process::exit(128 + sig);
    });
}

/// Kills every orphan whatever its session (the harness is going away).
fn kill_any_orphans() {
    let me = rustix::process::getpid().as_raw_nonzero().get();
    for _ in 0..SWEEP_ROUNDS {
        let map = parents();
        let live = leaders();
        let orphans: Vec<i32> = map
            .iter()
            .filter(|&(pid, &ppid)| ppid == me && !live.contains(pid))
            .map(|(&pid, _)| pid)
            .collect();
        drop(live);
        if orphans.is_empty() {
            return;
        }
        for orphan in orphans {
            descendants(&map, orphan).into_iter().for_each(kill);
            kill(orphan);
        }
        thread::sleep(Duration::from_millis(5));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descendants_walks_the_whole_tree() {
        let map = BTreeMap::from([(10, 1), (11, 10), (12, 11), (13, 1), (14, 12)]);
        let mut found = descendants(&map, 10);
        found.sort_unstable();
        assert_eq!(found, [11, 12, 14]);
        assert!(descendants(&map, 14).is_empty());
    }

    #[test]
    fn parents_sees_this_process() {
        if std::path::Path::new("/proc/self/stat").exists() {
            let me = rustix::process::getpid().as_raw_nonzero().get();
            assert!(parents().contains_key(&me));
        }
    }
}
