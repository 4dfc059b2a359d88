//! Drives a vendor's care-software product for the harness: asks it to export a scenario to
//! the standard's CSV files, to import files and say what it understood, and to re-export.
//!
//! Four kinds of [`Adapter`]:
//! - `reference`: the built-in reference product, in process (optionally with an injected fault);
//! - `alternate`: the second built-in product (`cpcert-alternate`: its own reader and writer),
//!   in process;
//! - `protocol`: a vendor's adapter process speaking line-delimited JSON on stdin/stdout
//!   ([`message`], documented in `docs/adapter-protocol.md`), with timeouts, process-group
//!   kill and sandbox checks;
//! - `manual`: a GUI-only product driven by an operator through a folder and printed instructions.
//!
//! This crate does not judge the files (that is `cpcert-checks`) and never prints; the adapter's
//! stderr is captured and handed back in errors for the report.

#![warn(missing_docs)]

mod alternate;
mod api;
pub mod checklist;
mod confine;
mod error;
mod limits;
pub mod manual;
pub mod message;
mod protocol;
mod reference;
mod sandbox;
mod unix;
pub mod vendor;
mod workspace;

pub use alternate::AlternateAdapter;
pub use api::{
    Adapter, ExportRequest, ExportResult, ImportAnswer, ImportRequest, ProductInfo,
    ReexportRequest, ReturnedFile,
};
pub use confine::{CONFINEMENT_ENV, Confinement};
pub use error::{AdapterError, Blame, Found, IoContext, StderrTail};
pub use limits::{Limit, Limits, MAX_TIMEOUT_SECONDS};
pub use manual::ManualAdapter;
pub use message::protocol_schema;
pub use protocol::{ProtocolAdapter, ProtocolConfig};
pub use reference::ReferenceAdapter;
pub use unix::cleanup_on_termination;
pub use vendor::{VendorDescription, open, unknown_fault};
pub use workspace::{CaseDir, Workspace};

/// The scenario document the adapters carry (re-exported from `cpcert-scenario`).
pub use cpcert_scenario::Scenario;

/// A (protocol version 1) scenario answer as held records, with the reference writer's mapping
/// (`cpcert_scenario::reference::held`).
///
/// # Errors
/// Why a document of the scenario cannot be written as records.
pub fn held_from_scenario(s: &Scenario) -> Result<cpcert_spec::HeldRecords, String> {
    cpcert_scenario::reference::held(s).map_err(|e| e.to_string())
}
