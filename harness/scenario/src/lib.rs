//! The care-plan data model a case describes ([`Scenario`]) and the reference product
//! ([`reference`]): a complete, correct exporter and importer of the standard's CSV files.
//!
//! Scenarios live in `cases/scenarios/*.yaml` and are loaded with [`load_scenario`]. They use
//! the standard's own structure: persons (利用者) with their plans (1–3表), monthly sheets
//! (6表/7表), 実績 and 介護予防 documents, and the exchanges (送信単位) that carry them.

#![warn(missing_docs)]

pub mod layout;
pub mod model;
mod records;
pub mod reference;
pub mod text;

use std::path::Path;

pub use layout::FileKind;
pub use model::*;

/// A scenario file that could not be read or parsed.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    /// The file could not be read.
    #[error("{origin}: cannot read: {source}")]
    Io {
        /// The path.
        origin: String,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The YAML is malformed or does not match the model.
    #[error("{origin}: {message}")]
    Parse {
        /// The path or other origin label.
        origin: String,
        /// The parser's message (with line and column where it gives them).
        message: String,
    },
}

/// Loads a scenario from a YAML file.
///
/// # Errors
/// [`ScenarioError`] naming the file.
pub fn load_scenario(path: impl AsRef<Path>) -> Result<Scenario, ScenarioError> {
    let path = path.as_ref();
    let origin = path.display().to_string();
    let yaml = std::fs::read_to_string(path).map_err(|source| ScenarioError::Io {
        origin: origin.clone(),
        source,
    })?;
    parse_scenario(&yaml, &origin)
}

/// Parses a scenario from YAML text; `origin` names it in errors.
///
/// # Errors
/// [`ScenarioError::Parse`] with the parser's message.
pub fn parse_scenario(yaml: &str, origin: &str) -> Result<Scenario, ScenarioError> {
    serde_saphyr::from_str::<Scenario>(yaml).map_err(|e| ScenarioError::Parse {
        origin: origin.to_owned(),
        message: e.to_string(),
    })
}
