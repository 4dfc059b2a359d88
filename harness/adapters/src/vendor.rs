//! Vendor description files (`cases/vendors/<vendor>.yaml`): which adapter drives a product and
//! how to start it.
//!
//! ```yaml
//! name: example-product
//! adapter: protocol            # reference | alternate | protocol | manual
//! command: ["python3", "adapter.py"]
//! working_dir: .               # relative to this file's folder (the default)
//! env: { EXAMPLE_HOME: /opt/example }
//! timeout_seconds: 60          # per call (1 to 604800)
//! limits: { files: 100 }       # per request; see `Limits` for every key and default
//! fault: null                  # reference faults, for the harness's self-tests
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use cpcert_checks::Msg;
use cpcert_scenario::reference::Fault;
use serde::Deserialize;

use crate::alternate::AlternateAdapter;
use crate::limits::{Limits, MAX_TIMEOUT_SECONDS};
use crate::manual::ManualAdapter;
use crate::protocol::{ProtocolAdapter, ProtocolConfig};
use crate::reference::ReferenceAdapter;
use crate::{Adapter, AdapterError};

/// The default time limit per call when the description gives none.
pub const DEFAULT_TIMEOUT_SECONDS: u64 = 120;

/// The environment variable that carries a vendor description's `fault` to a protocol adapter
/// process (the example adapter passes it on to `cpcert reference … --fault`).
pub const FAULT_ENV: &str = "CPCERT_FAULT";

/// Which kind of adapter drives the product.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum AdapterKind {
    /// The built-in reference product, in process.
    Reference,
    /// The second built-in product (`cpcert-alternate`), in process.
    Alternate,
    /// A vendor's adapter process speaking the stdio JSON protocol.
    Protocol,
    /// An operator working through a folder.
    Manual,
}

/// A parsed vendor description; relative paths are resolved against `base_dir`.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VendorDescription {
    /// Vendor or product name (kebab-case id).
    pub name: String,
    /// Which adapter drives the product.
    pub adapter: AdapterKind,
    /// `protocol`: program and arguments. A program containing `/` is relative to `base_dir`;
    /// otherwise it is looked up on `PATH`.
    #[serde(default)]
    pub command: Vec<String>,
    /// `protocol`: the folder the process runs in, relative to `base_dir` (default: `base_dir`).
    #[serde(default)]
    pub working_dir: Option<PathBuf>,
    /// `protocol`: extra environment variables.
    #[serde(default)]
    pub env: BTreeMap<String, String>,
    /// Time limit per call (`manual`: per request, for the operator).
    #[serde(default = "default_timeout")]
    pub timeout_seconds: u64,
    /// What one request may send back (lines, stderr, files, bytes); defaults apply to keys
    /// left out.
    #[serde(default)]
    pub limits: Limits,
    /// A reference fault id: `reference` passes it to the exporter, `protocol` sets
    /// [`FAULT_ENV`] for the process.
    #[serde(default)]
    pub fault: Option<String>,
    /// `manual`: the folder where request folders are created, relative to `base_dir`.
    #[serde(default)]
    pub folder: Option<PathBuf>,
    /// The folder the description was read from.
    #[serde(skip)]
    pub base_dir: PathBuf,
    /// The description file, for messages.
    #[serde(skip)]
    pub path: PathBuf,
    /// The run's start (RFC 3339), set by the harness: a built-in product's clock
    /// (`alternate`: its 作成年月日 and 連番), so that reports stay reproducible.
    #[serde(skip)]
    pub run_started: Option<String>,
}

fn default_timeout() -> u64 {
    DEFAULT_TIMEOUT_SECONDS
}

impl VendorDescription {
    /// Reads and checks a vendor description file.
    ///
    /// # Errors
    ///
    /// [`AdapterError::Config`] when the file cannot be read, parsed, or is incomplete.
    pub fn load(path: &Path) -> Result<VendorDescription, AdapterError> {
        // A regular file of bounded size: a FIFO or `/dev/zero` named as a vendor file is an
        // error, not a hang.
        let text =
            cpcert_spec::read_text_file(path, cpcert_spec::MAX_TEXT_FILE_BYTES).map_err(|e| {
                config(
                    path,
                    Msg::new(format!("読めません: {e}"), format!("cannot read: {e}")),
                )
            })?;
        let base = path
            .parent()
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        VendorDescription::parse(&text, path, &base)
    }

    /// Parses a vendor description; `path` is used in messages, `base_dir` resolves relative paths.
    ///
    /// # Errors
    ///
    /// [`AdapterError::Config`] when the text is not a valid description.
    pub fn parse(
        text: &str,
        path: &Path,
        base_dir: &Path,
    ) -> Result<VendorDescription, AdapterError> {
        let mut desc: VendorDescription = serde_saphyr::from_str(text).map_err(|e| {
            config(
                path,
                Msg::new(format!("YAML として読めません: {e}"), e.to_string()),
            )
        })?;
        desc.base_dir = base_dir.to_path_buf();
        desc.path = path.to_path_buf();
        if let Some(fault) = &desc.fault
            && let Err(e) = fault.parse::<Fault>()
        {
            return Err(config(path, unknown_fault(&e)));
        }
        match desc.adapter {
            AdapterKind::Protocol if desc.command.is_empty() => {
                return Err(config(
                    path,
                    Msg::new(
                        "`adapter: protocol` には `command` が必要です",
                        "`command` is required for `adapter: protocol`",
                    ),
                ));
            }
            AdapterKind::Manual if desc.folder.is_none() => {
                return Err(config(
                    path,
                    Msg::new(
                        "`adapter: manual` には `folder` が必要です",
                        "`folder` is required for `adapter: manual`",
                    ),
                ));
            }
            _ => {}
        }
        if !(1..=MAX_TIMEOUT_SECONDS).contains(&desc.timeout_seconds) {
            return Err(config(
                path,
                Msg::new(
                    format!(
                        "`timeout_seconds` は 1 以上 {MAX_TIMEOUT_SECONDS} 以下にしてください（値: {}）",
                        desc.timeout_seconds
                    ),
                    format!(
                        "`timeout_seconds` must be between 1 and {MAX_TIMEOUT_SECONDS} (got {})",
                        desc.timeout_seconds
                    ),
                ),
            ));
        }
        desc.limits.check().map_err(|reason| config(path, reason))?;
        Ok(desc)
    }

    /// The per-call time limit.
    pub fn timeout(&self) -> Duration {
        Duration::from_secs(self.timeout_seconds)
    }

    /// The protocol adapter's start configuration, with paths resolved.
    pub fn protocol_config(&self) -> ProtocolConfig {
        let mut command = self.command.clone();
        if let Some(program) = command.first_mut()
            && program.contains('/')
            && Path::new(program.as_str()).is_relative()
        {
            *program = self
                .base_dir
                .join(program.as_str())
                .to_string_lossy()
                .into_owned();
        }
        let mut env = self.env.clone();
        if let Some(fault) = &self.fault {
            env.insert(FAULT_ENV.into(), fault.clone());
        }
        ProtocolConfig {
            name: self.name.clone(),
            command,
            working_dir: self.resolve(self.working_dir.as_deref()),
            env,
            timeout: self.timeout(),
            limits: self.limits,
            check_parent: true,
            confine: true,
        }
    }

    /// Builds the adapter this description asks for (not started yet).
    pub fn adapter(&self) -> Box<dyn Adapter> {
        match self.adapter {
            // `parse` refused a fault id that names no fault.
            AdapterKind::Reference => Box::new(ReferenceAdapter::with_fault(
                self.fault.as_deref().and_then(|f| f.parse().ok()),
            )),
            AdapterKind::Alternate => Box::new(AlternateAdapter::new(self.run_started.as_deref())),
            AdapterKind::Protocol => Box::new(ProtocolAdapter::new(self.protocol_config())),
            AdapterKind::Manual => Box::new(
                ManualAdapter::new(
                    &self.name,
                    self.resolve(self.folder.as_deref()),
                    self.timeout(),
                )
                .with_limits(self.limits),
            ),
        }
    }

    fn resolve(&self, path: Option<&Path>) -> PathBuf {
        match path {
            Some(p) => self.base_dir.join(p),
            None => self.base_dir.clone(),
        }
    }
}

/// Loads a vendor description and builds its adapter.
///
/// # Errors
///
/// [`AdapterError::Config`] as [`VendorDescription::load`].
pub fn open(path: &Path) -> Result<Box<dyn Adapter>, AdapterError> {
    Ok(VendorDescription::load(path)?.adapter())
}

/// An unknown `fault` id, with the known ones, in both languages.
pub fn unknown_fault(e: &cpcert_scenario::reference::UnknownFault) -> Msg {
    let known = Fault::all().map(Fault::id).collect::<Vec<_>>().join(", ");
    Msg::new(
        format!(
            "不明な故障 `{}`（故障の一覧は cases/faults/ にあります: {known}）",
            e.0
        ),
        format!(
            "unknown fault `{}` (the faults are listed in cases/faults/: {known})",
            e.0
        ),
    )
}

fn config(path: &Path, reason: Msg) -> AdapterError {
    AdapterError::Config {
        path: path.to_path_buf(),
        reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_vendor_file_that_is_a_fifo_or_dev_zero_is_an_error_not_a_hang() {
        let dir = std::env::temp_dir().join(format!("cpcert-vendor-fifo-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let fifo = dir.join("vendor.yaml");
        let _ = std::fs::remove_file(&fifo);
        assert!(
            std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap()
                .success()
        );
        for (path, what) in [
            (fifo.as_path(), "a FIFO"),
            (Path::new("/dev/zero"), "a device"),
        ] {
            let err = VendorDescription::load(path).unwrap_err();
            assert!(
                err.to_string()
                    .contains(&format!("cannot read: not a regular file ({what})")),
                "{err}"
            );
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn parses_protocol_description() {
        let text = "name: acme\nadapter: protocol\ncommand: [./bin/adapter, --fast]\n\
                    working_dir: work\nenv: { A: b }\ntimeout_seconds: 5\nfault: date-invalid\n";
        let desc =
            VendorDescription::parse(text, Path::new("v.yaml"), Path::new("/vendors")).unwrap();
        let config = desc.protocol_config();
        assert_eq!(config.command, ["/vendors/./bin/adapter", "--fast"]);
        assert_eq!(config.working_dir, Path::new("/vendors/work"));
        assert_eq!(
            config.env.get(FAULT_ENV).map(String::as_str),
            Some("date-invalid")
        );
        assert_eq!(config.timeout, Duration::from_secs(5));
    }

    #[test]
    fn rejects_incomplete_or_unknown() {
        let base = Path::new("/v");
        let no_command = "name: acme\nadapter: protocol\n";
        assert!(VendorDescription::parse(no_command, base, base).is_err());
        let typo = "name: acme\nadapter: protocol\ncommand: [x]\ntimeout: 3\n";
        assert!(VendorDescription::parse(typo, base, base).is_err());
        let reference = "name: ref\nadapter: reference\n";
        assert!(VendorDescription::parse(reference, base, base).is_ok());
    }

    #[test]
    fn huge_numbers_are_config_errors_not_panics() {
        let base = Path::new("/v");
        for text in [
            "name: a\nadapter: reference\ntimeout_seconds: 18446744073709551615\n",
            "name: a\nadapter: reference\ntimeout_seconds: 99999999999999999999999\n",
            "name: a\nadapter: reference\ntimeout_seconds: 0\n",
            "name: a\nadapter: reference\nlimits: { files: 18446744073709551615 }\n",
            "name: a\nadapter: reference\nlimits: { lines: 0 }\n",
            "name: a\nadapter: reference\nlimits: { bogus: 1 }\n",
        ] {
            let err = VendorDescription::parse(text, base, base).unwrap_err();
            assert!(matches!(err, AdapterError::Config { .. }), "{text}: {err}");
        }
        let ok = "name: a\nadapter: reference\nlimits: { files: 5 }\n";
        let desc = VendorDescription::parse(ok, base, base).unwrap();
        assert_eq!(desc.limits.files, 5);
        assert_eq!(desc.limits.lines, Limits::default().lines);
    }
}
