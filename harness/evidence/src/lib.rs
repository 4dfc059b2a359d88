//! Evidence a certifying body can re-judge offline: the bundle a `certify` run writes
//! (results, every file sent to and received from the product, the expected files, the suite
//! fingerprint, a SHA-256 manifest, an optional Ed25519 signature), `verify` (re-judge a bundle
//! with the runner's own [`cpcert_runner::judge`]), `merge` (join the shards of a partitioned run)
//! and `publish` (a static site in the shape of the public pass list).
//!
//! Main items: [`bundle::build`] and [`bundle::Bundle`], [`verify::verify`], [`keys`],
//! [`manifest::SuiteIndex`]. This crate prints nothing.

#![warn(missing_docs)]

pub mod archive;
pub mod bundle;
pub mod keys;
pub mod manifest;
pub mod merge;
pub mod publish;
pub mod verify;

use std::path::PathBuf;

/// A problem that stops making or reading a bundle.
#[derive(Debug, thiserror::Error)]
pub enum EvidenceError {
    /// A file cannot be read or written.
    #[error("cannot read `{path}`")]
    Io {
        /// The path.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// An evidence file changed after the run (its hash is not results.json's).
    #[error(
        "evidence file `{0}` is not the one the run recorded (its SHA-256 differs from results.json)"
    )]
    Stale(PathBuf),
    /// The archive is malformed or past the limits.
    #[error("bundle: {0}")]
    Archive(String),
    /// A key file or key.
    #[error("key: {0}")]
    Key(String),
    /// Shard bundles that do not join.
    #[error("merge: {0}")]
    Merge(String),
    /// The suite cannot be read.
    #[error("suite: {0}")]
    Suite(String),
}
