//! Write confinement of adapter processes: on Linux with Landlock, an adapter process (and
//! everything it starts) may write only below its run's sandboxes folder, its private
//! temporary folder and `/dev/null`, and may not signal processes outside its own domain
//! (Landlock ABI 6 and later). Reading and executing stay unrestricted: products read their own
//! installation.
//!
//! Where the kernel has no Landlock (or `CPCERT_CONFINEMENT=off`), nothing is prevented and
//! the harness relies on detection (listing the folders around the sandbox before and after
//! each request, checking its own output folder before publishing it).

use std::path::PathBuf;
use std::process::Command;

use serde::Serialize;

/// How an adapter's processes are kept from writing outside their sandbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "mode", rename_all = "kebab-case")]
pub enum Confinement {
    /// Landlock confines writes (the ABI version the kernel offers).
    Landlock {
        /// The Landlock ABI version in use.
        abi: u32,
    },
    /// Nothing is prevented; writes outside the sandbox are only detected.
    DetectionOnly,
    /// The product runs inside the harness (the reference) or by hand (manual): no process to
    /// confine.
    NotApplicable,
}

/// The environment variable that turns Landlock off (`off`), to run and test the detection-only
/// path on a kernel that has Landlock.
pub const CONFINEMENT_ENV: &str = "CPCERT_CONFINEMENT";

/// What this machine offers an adapter process (probed once per process).
pub(crate) fn available() -> Confinement {
    if std::env::var(CONFINEMENT_ENV).is_ok_and(|v| v == "off") {
        return Confinement::DetectionOnly;
    }
    probe()
}

#[cfg(target_os = "linux")]
fn probe() -> Confinement {
    use std::sync::OnceLock;
    static PROBED: OnceLock<Confinement> = OnceLock::new();
    *PROBED.get_or_init(|| {
        // Restricting a throw-away thread tells what the kernel enforces without restricting
        // the harness: Landlock (and no_new_privs) apply to the calling thread only.
        std::thread::spawn(|| {
            let status = landlock_rules(&[])
                .ok()
                .and_then(|ruleset| ruleset.restrict_self().ok());
            match status {
                Some(status) if status.ruleset != landlock::RulesetStatus::NotEnforced => {
                    match status.landlock {
                        landlock::LandlockStatus::Available { effective_abi, .. } => {
                            Confinement::Landlock {
                                abi: effective_abi as u32,
                            }
                        }
                        _ => Confinement::DetectionOnly,
                    }
                }
                _ => Confinement::DetectionOnly,
            }
        })
        .join()
        .unwrap_or(Confinement::DetectionOnly)
    })
}

#[cfg(not(target_os = "linux"))]
fn probe() -> Confinement {
    Confinement::DetectionOnly
}

/// The ruleset: writes handled (so denied) everywhere except below `writable`.
#[cfg(target_os = "linux")]
fn landlock_rules(
    writable: &[PathBuf],
) -> Result<landlock::RulesetCreated, landlock::RulesetError> {
    use landlock::{
        ABI, AccessFs, CompatLevel, Compatible, Ruleset, RulesetAttr, RulesetCreatedAttr, Scope,
        path_beneath_rules,
    };
    // The newest ABI this code was written against; older kernels get what they support.
    let abi = ABI::V6;
    Ruleset::default()
        .set_compatibility(CompatLevel::BestEffort)
        .handle_access(AccessFs::from_write(abi))?
        .scope(Scope::Signal)?
        .create()?
        .add_rules(path_beneath_rules(writable, AccessFs::from_write(abi)))?
        .add_rules(path_beneath_rules(
            ["/dev/null"],
            AccessFs::from_write(abi) & AccessFs::from_file(abi),
        ))
}

/// Confines the process `command` will start to writing below `writable` (when
/// [`available`] says Landlock), and returns the confinement in force.
#[cfg(target_os = "linux")]
#[expect(
    unsafe_code,
    reason = "pre_exec is unsafe; the closure only calls landlock_restrict_self and prctl"
)]
pub(crate) fn confine(command: &mut Command, writable: &[PathBuf]) -> Confinement {
    use std::os::unix::process::CommandExt as _;
    use std::sync::Mutex;
    let confinement = available();
    if !matches!(confinement, Confinement::Landlock { .. }) {
        return confinement;
    }
    // Built in the harness (allocations, opening the folders); the child only applies it.
    let Ok(ruleset) = landlock_rules(writable) else {
        return Confinement::DetectionOnly;
    };
    let ruleset = Mutex::new(Some(ruleset));
    // SAFETY: after fork the closure takes the prepared ruleset out of a mutex no other thread
    // of the child can hold (only the forking thread exists there) and calls prctl(2) and
    // landlock_restrict_self(2); it allocates nothing.
    unsafe {
        command.pre_exec(move || {
            let taken = ruleset.lock().ok().and_then(|mut r| r.take());
            match taken.map(landlock::RulesetCreated::restrict_self) {
                Some(Ok(_)) => Ok(()),
                // A process that could not be confined must not run unconfined.
                Some(Err(_)) | None => {
                    Err(std::io::Error::from(std::io::ErrorKind::PermissionDenied))
                }
            }
        });
    }
    confinement
}

#[cfg(not(target_os = "linux"))]
pub(crate) fn confine(_command: &mut Command, _writable: &[PathBuf]) -> Confinement {
    Confinement::DetectionOnly
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_probe_agrees_with_the_kernel() {
        // Landlock's own version query: the probe must report Landlock exactly when the kernel
        // has it (both outcomes are valid machines; a mismatch is a bug).
        let kernel_has_it = std::fs::read_to_string("/sys/kernel/security/lsm")
            .map(|l| l.contains("landlock"))
            .ok();
        let probed = probe();
        if let Some(true) = kernel_has_it {
            assert!(matches!(probed, Confinement::Landlock { .. }), "{probed:?}");
        }
        if let Confinement::Landlock { abi } = probed {
            assert!(abi >= 1);
        }
    }
}
