//! The `reference` adapter: the built-in reference product (`cpcert_scenario::reference`), in
//! process, optionally with an injected fault so that the checks can be shown to catch it.

use crate::error::IoContext;
use std::collections::BTreeSet;
use std::fs;
use std::path::{Component, Path, PathBuf};

use cpcert_scenario::reference::{
    self, ExportOptions, ExportedFile, Fault, ImportOptions, Variant,
};
use cpcert_scenario::{FileKind, SendSet};
use cpcert_spec::{NotKept, Role};

use crate::sandbox::Sandbox;
use crate::{
    Adapter, AdapterError, ExportRequest, ExportResult, ImportAnswer, ImportRequest, ProductInfo,
    ReexportRequest, ReturnedFile, Scenario, StderrTail,
};

/// The reference product, called in process.
#[derive(Debug, Clone, Default)]
pub struct ReferenceAdapter {
    fault: Option<Fault>,
    variant: Option<Variant>,
    today: Option<String>,
}

impl ReferenceAdapter {
    /// The correct reference product.
    pub fn new() -> ReferenceAdapter {
        ReferenceAdapter::default()
    }

    /// The reference product with an injected fault, or the correct one for `None`.
    pub fn with_fault(fault: Option<Fault>) -> ReferenceAdapter {
        ReferenceAdapter {
            fault,
            ..ReferenceAdapter::default()
        }
    }

    /// The reference product with one permitted divergence (cases/variants/). `run_started` is
    /// the run's date-time (RFC 3339, injectable): its day is the 作成年月日 of
    /// [`Variant::CreatedToday`], so that reports stay reproducible.
    pub fn with_variant(variant: Option<Variant>, run_started: &str) -> ReferenceAdapter {
        let today: String = run_started
            .chars()
            .take(10)
            .filter(char::is_ascii_digit)
            .collect();
        ReferenceAdapter {
            variant,
            today: Some(today),
            ..ReferenceAdapter::default()
        }
    }

    /// The permitted divergence, if any.
    pub fn variant(&self) -> Option<Variant> {
        self.variant
    }

    /// The injected fault, if any.
    pub fn fault(&self) -> Option<Fault> {
        self.fault
    }

    fn export_options(&self, timestamp: &str) -> ExportOptions {
        ExportOptions {
            fault: self.fault.filter(|f| f.is_export()),
            variant: self.variant,
            today: self.today.clone(),
            ..ExportOptions::with_timestamp(timestamp)
        }
    }

    fn import_files(
        &self,
        operation: &'static str,
        files: &[PathBuf],
        role: Role,
        sender: Option<Role>,
    ) -> Result<Scenario, AdapterError> {
        let files = read_files(files)?;
        let opts = ImportOptions {
            fault: self.fault.filter(|f| f.is_import()),
        };
        reference::import_with(&files, sender.unwrap_or(role.default_sender()), &opts)
            .map_err(|e| refused(operation, e.to_string()))
    }

    fn write(
        &self,
        operation: &'static str,
        scenario: &Scenario,
        role: Role,
        sandbox: &Path,
        timestamp: &str,
    ) -> Result<ExportResult, AdapterError> {
        let files = reference::export(scenario, role, &self.export_options(timestamp))
            .map_err(|e| refused(operation, e.to_string()))?;
        write_into(
            operation,
            sandbox,
            files.into_iter().map(|f| (f.name, f.bytes)),
        )
    }
}

/// Writes an in-process product's files (name, bytes) into the request's sandbox and returns
/// them. The product names its files itself; still, a name must never leave the sandbox.
pub(crate) fn write_into(
    operation: &'static str,
    sandbox: &Path,
    files: impl ExactSizeIterator<Item = (String, Vec<u8>)>,
) -> Result<ExportResult, AdapterError> {
    let sandbox = Sandbox::open(sandbox)?;
    let mut written = Vec::with_capacity(files.len());
    for (name, bytes) in files {
        let mut parts = Path::new(&name).components();
        let (Some(Component::Normal(_)), None) = (parts.next(), parts.next()) else {
            return Err(refused(operation, format!("bad file name `{name}`")));
        };
        let path = sandbox.root().join(&name);
        fs::write(&path, &bytes).map_err(|e| AdapterError::io(IoContext::Write, &path, e))?;
        written.push(ReturnedFile { path, name, bytes });
    }
    Ok(ExportResult { files: written })
}

impl Adapter for ReferenceAdapter {
    fn start(&self) -> Result<ProductInfo, AdapterError> {
        Ok(ProductInfo {
            name: "cpcert reference".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            roles: Role::ALL.to_vec(),
            kinds: FileKind::ALL
                .iter()
                .map(|k| k.prefix().to_string())
                .collect(),
            layout_versions: vec!["202407".into()],
            not_kept: NotKept::default(),
        })
    }

    fn export(&self, req: &ExportRequest) -> Result<ExportResult, AdapterError> {
        self.write(
            "export",
            &req.scenario,
            req.role,
            &req.sandbox,
            &req.timestamp,
        )
    }

    fn import(&self, req: &ImportRequest) -> Result<ImportAnswer, AdapterError> {
        let scenario = self.import_files("import", &req.files, req.role, req.sender)?;
        let held = reference::held(&scenario).map_err(|e| refused("import", e.to_string()))?;
        Ok(held.into())
    }

    fn reexport(&self, req: &ReexportRequest) -> Result<ExportResult, AdapterError> {
        let mut scenario = self.import_files("reexport", &req.files, req.role, req.sender)?;
        if req.role == Role::Provider {
            let office = match &req.office {
                Some(office) => office.clone(),
                None => sole_receiver(&scenario)?,
            };
            scenario = reference::perform(&scenario, &office);
        }
        self.write(
            "reexport",
            &scenario,
            req.role,
            &req.sandbox,
            &req.timestamp,
        )
    }

    fn stop(&self) {}
}

/// The one office the imported month sets were sent to (a provider's re-export names none).
pub(crate) fn sole_receiver(scenario: &Scenario) -> Result<String, AdapterError> {
    let offices: BTreeSet<&str> = scenario
        .exchanges
        .iter()
        .filter(|e| e.set == SendSet::Month)
        .map(|e| e.to.office.as_str())
        .collect();
    let mut iter = offices.iter();
    match (iter.next(), iter.next()) {
        (Some(office), None) => Ok((*office).to_string()),
        (None, _) => Err(refused(
            "reexport",
            "no 予定 (UPPLAN) among the imported files".into(),
        )),
        (Some(_), Some(_)) => Err(refused(
            "reexport",
            format!("the 予定 are for several offices ({offices:?}); the request must name one"),
        )),
    }
}

/// The files of a request, read whole, by their names.
pub(crate) fn read_files(files: &[PathBuf]) -> Result<Vec<ExportedFile>, AdapterError> {
    files
        .iter()
        .map(|path| {
            let bytes = fs::read(path).map_err(|e| AdapterError::io(IoContext::Read, path, e))?;
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            Ok(ExportedFile { name, bytes })
        })
        .collect()
}

/// The product refused `operation` (no process, so no stderr).
pub(crate) fn refused(operation: &'static str, message: String) -> AdapterError {
    AdapterError::Refused {
        operation,
        message,
        stderr: StderrTail::default(),
    }
}
