//! The [`Adapter`] trait and the requests and results that cross it.

use crate::error::IoContext;
use std::path::PathBuf;

use cpcert_spec::{HeldRecords, NotKept, Role};
use serde::{Deserialize, Serialize};

use crate::{AdapterError, CaseDir, Confinement, Scenario};

/// The answer to an import: what the product now holds, as the standard's records.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportAnswer {
    /// File kind → records → field No. → value (decoded text). Deletion kinds never appear.
    pub held: HeldRecords,
    /// Fields not kept, declared with this answer (the manual adapter's operator marks them);
    /// added to the product's own declaration ([`ProductInfo::not_kept`]).
    #[serde(default, skip_serializing_if = "NotKept::is_empty")]
    pub not_kept: NotKept,
}

impl From<HeldRecords> for ImportAnswer {
    fn from(held: HeldRecords) -> Self {
        ImportAnswer {
            held,
            not_kept: NotKept::default(),
        }
    }
}

/// What a product says about itself when its session starts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductInfo {
    /// Product name, as shown in the report and the pass list.
    pub name: String,
    /// Product version.
    pub version: String,
    /// The office roles the product can play.
    pub roles: Vec<Role>,
    /// The file kinds (ファイル種別) it exports or imports, e.g. `UPPLAN`.
    pub kinds: Vec<String>,
    /// The layout versions (CSVバージョン) it supports, e.g. `202407`.
    pub layout_versions: Vec<String>,
    /// The fields the product does not keep when it imports (file kind → field Nos.): not
    /// compared, listed in the report; a field a receiver must keep fails the case.
    #[serde(default, skip_serializing_if = "NotKept::is_empty")]
    pub not_kept: NotKept,
}

/// Ask the product to export a scenario for one role.
#[derive(Debug, Clone)]
pub struct ExportRequest {
    /// The care situation to enter into the product and export.
    pub scenario: Scenario,
    /// The office role the product plays.
    pub role: Role,
    /// A fresh, empty folder the harness created; every file must be written inside it.
    ///
    /// Its parent should be private to this request (e.g. `<work>/<case>/sandbox`): the protocol
    /// adapter checks that nothing next to the sandbox changed during the call.
    pub sandbox: PathBuf,
    /// The 14-digit send-unit timestamp (`YYYYMMDDHHMMSS`) the file names must carry.
    pub timestamp: String,
}

/// The files an export (or re-export) wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportResult {
    /// The written files, in the order the product reported them, each read once by the harness
    /// (the bytes are what was checked: nothing is read from the sandbox again).
    pub files: Vec<ReturnedFile>,
}

impl ExportResult {
    /// Where the files were, in order (e.g. to hand them to an import).
    pub fn paths(&self) -> Vec<PathBuf> {
        self.files.iter().map(|f| f.path.clone()).collect()
    }
}

/// One file an adapter returned, as the harness read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnedFile {
    /// Where it was: an absolute path inside the sandbox.
    pub path: PathBuf,
    /// Its file name (the last component of `path`, lossily decoded).
    pub name: String,
    /// Its content, read from the one handle that was checked.
    pub bytes: Vec<u8>,
}

/// Ask the product to import files and report what it understood.
#[derive(Debug, Clone)]
pub struct ImportRequest {
    /// The files to import (absolute paths).
    pub files: Vec<PathBuf>,
    /// The office role the product plays.
    pub role: Role,
    /// The role of the office that wrote the files, when the harness knows it (a 予防 利用票
    /// has the same bytes as a 居宅 one). Products may ignore it.
    pub sender: Option<Role>,
    /// A fresh, empty folder the product may use as scratch space.
    pub sandbox: PathBuf,
}

/// Ask the product to import files and then export for a role: the provider round trip
/// (import 予定, record the services as performed, export 実績 `UPJSK`) and the import cases'
/// re-export.
#[derive(Debug, Clone)]
pub struct ReexportRequest {
    /// The files to import (absolute paths).
    pub files: Vec<PathBuf>,
    /// The office role the product plays for both the import and the export.
    pub role: Role,
    /// The role of the office that wrote the files, when the harness knows it.
    pub sender: Option<Role>,
    /// The office the product plays (事業所番号), when the files concern several; a provider
    /// records as performed only its own services.
    pub office: Option<String>,
    /// A fresh, empty folder; the exported files must be written inside it.
    pub sandbox: PathBuf,
    /// The 14-digit send-unit timestamp for the exported files.
    pub timestamp: String,
}

/// A way to drive one care-software product: in process, over the stdio protocol, or by hand.
///
/// A session is `start`, any number of requests (possibly from several threads; an adapter
/// serializes them if the product needs it), then `stop`.
pub trait Adapter: Send + Sync {
    /// Starts the product session and returns what the product supports.
    ///
    /// # Errors
    ///
    /// Infrastructure errors when the product cannot be started or speaks another protocol.
    fn start(&self) -> Result<ProductInfo, AdapterError>;

    /// Exports a scenario; the files are written inside `req.sandbox`.
    ///
    /// # Errors
    ///
    /// [`AdapterError::Refused`] when the product refuses; infrastructure errors otherwise.
    fn export(&self, req: &ExportRequest) -> Result<ExportResult, AdapterError>;

    /// Imports files and returns what the product now holds, as the standard's records (file
    /// kind → records → field No. → value).
    ///
    /// # Errors
    ///
    /// [`AdapterError::Refused`] when the product refuses; infrastructure errors otherwise.
    fn import(&self, req: &ImportRequest) -> Result<ImportAnswer, AdapterError>;

    /// Imports files, then exports for `req.role` (recording services as performed when the
    /// role is [`Role::Provider`]).
    ///
    /// # Errors
    ///
    /// [`AdapterError::Refused`] when the product refuses; infrastructure errors otherwise.
    fn reexport(&self, req: &ReexportRequest) -> Result<ExportResult, AdapterError>;

    /// Ends the session; the product's processes are gone afterwards. Never fails: a product
    /// that does not stop cleanly is killed.
    fn stop(&self);

    /// A fresh folder for one request; the request's sandbox is its `sandbox()`. An adapter
    /// whose processes are confined creates it where they may write; the default is a private
    /// folder in the system's temporary folder.
    ///
    /// # Errors
    ///
    /// [`AdapterError::Io`] when the folder cannot be created.
    fn case_dir(&self) -> Result<CaseDir, AdapterError> {
        CaseDir::temp().map_err(|e| AdapterError::io(IoContext::CreateSandbox, "", e))
    }

    /// How the product's processes are kept from writing outside their sandbox.
    fn confinement(&self) -> Confinement {
        Confinement::NotApplicable
    }
}
