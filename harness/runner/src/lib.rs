//! Finding, selecting, partitioning and running certification cases against a product.
//!
//! Main items: [`load_cases`] and [`Selection`] (which cases), [`run_suite`] (run them in
//! parallel through an adapter and assemble `results.json`), [`run_case`] (one case; also what
//! the libtest-mimic target `tests/conformance.rs` calls), [`judge`] (a verdict from a case's
//! files alone: what `run_case` and `cpcert verify` both call), [`tolerance`] (import cases
//! whose input is written in each permitted way, made on the fly; [`suite_cases`] is every case), [`matrix_cells`] (the listing's cells
//! from the spec's role matrix), [`selftest`] (scoring faults and permitted variants). This crate
//! prints nothing.

#![warn(missing_docs)]

mod case;
mod certify;
pub mod challenge;
mod execute;
pub mod selftest;
mod suite;
pub mod tolerance;

use std::path::PathBuf;

pub use case::{Case, CaseDirection, CaseFile, Partition, Selection, load_cases};
pub use certify::{
    Certification, CertifyRequest, resolve_suite, update_golden_requested, vendor_adapter,
    write_reports,
};
pub use execute::{
    ANSWER_FILE, CaseFiles, RunContext, Stop, adapter_msg, error_outcome, expected_answer,
    import_answer, judge, not_applicable, reference_files, run_case, suite_msg,
};
pub use suite::{
    SuiteOptions, find_suite, matrix_cells, now_rfc3339, run_suite, suite_fingerprint,
};
pub use tolerance::suite_cases;

/// A problem that stops a run before any case result.
#[derive(Debug, thiserror::Error)]
pub enum RunnerError {
    /// A suite file cannot be read.
    #[error("cannot read `{path}`")]
    Io {
        /// The path.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A case file does not parse.
    #[error("case `{path}`: {message}")]
    Case {
        /// The path.
        path: PathBuf,
        /// The parser's message.
        message: String,
    },
    /// Bad selection or option.
    #[error("{0}")]
    Usage(cpcert_checks::Msg),
    /// The product could not be started.
    #[error("the product could not be started: {0}")]
    Infra(String),
    /// The product's configuration is wrong (unknown fault, invalid vendor description).
    #[error("the product's configuration is invalid")]
    Adapter(#[source] cpcert_adapters::AdapterError),
}

impl RunnerError {
    /// The message in `lang`, with the causes that are cpcert's own words (an adapter
    /// configuration error's reason) in the same language. Operating-system and parser errors
    /// stay the cause ([`std::error::Error::source`]) and are printed after it as they are.
    pub fn localized(&self, lang: cpcert_checks::Lang) -> String {
        use cpcert_checks::Lang::{En, Ja};
        match (self, lang) {
            (RunnerError::Io { path, .. }, Ja) => format!("`{}` を読めません", path.display()),
            (RunnerError::Case { path, message }, Ja) => {
                format!("ケース `{}`: {message}", path.display())
            }
            (RunnerError::Usage(msg), _) => msg.get(lang).to_owned(),
            (RunnerError::Infra(text), Ja) => format!("製品を起動できません: {text}"),
            (RunnerError::Adapter(e), Ja) => {
                format!("製品の設定が正しくありません: {}", e.localized(lang))
            }
            (RunnerError::Adapter(e), En) => {
                format!("{self}: {}", e.localized(lang))
            }
            (_, En) => self.to_string(),
        }
    }

    /// The cause to print after [`RunnerError::localized`]: the operating system's or the
    /// parser's error, never a cpcert message already said.
    pub fn cause(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            RunnerError::Io { source, .. } => Some(source),
            RunnerError::Adapter(e) => std::error::Error::source(e),
            _ => None,
        }
    }
}
