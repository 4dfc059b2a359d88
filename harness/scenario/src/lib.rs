//! The care-plan data model a case describes ([`Scenario`]) and the reference product
//! ([`reference`]): a complete, correct exporter and importer of the standard's CSV files.
//!
//! Scenarios live in `cases/scenarios/*.yaml` and are loaded with [`load_scenario`]. They use
//! the standard's own structure: persons (利用者) with their plans (1–3表), monthly sheets
//! (6表/7表), 実績 and 介護予防 documents, and the exchanges (送信単位) that carry them.

#![warn(missing_docs)]

pub mod challenge;
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
    let yaml =
        cpcert_spec::read_text_file(path, cpcert_spec::MAX_TEXT_FILE_BYTES).map_err(|source| {
            ScenarioError::Io {
                origin: origin.clone(),
                source,
            }
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

#[cfg(test)]
mod load_tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_scenario_path_that_is_not_a_regular_file_is_an_error_not_a_hang() {
        let dir = std::env::temp_dir().join(format!("cpcert-scenario-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let fifo = dir.join("s.yaml");
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
            match load_scenario(path) {
                Err(ScenarioError::Io { source, .. }) => {
                    assert_eq!(source.to_string(), format!("not a regular file ({what})"));
                }
                other => panic!("{other:?}"),
            }
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
