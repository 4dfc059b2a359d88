//! Reports of a certification run: the results model (`results.json`), the listing-style role
//! matrix, and renderers for HTML (askama), JUnit XML (quick-xml), JSON and text diffs (similar).
//!
//! Main types: [`Results`] with its [`Outcome`]s, [`Matrix`] from [`Results::matrix`]. Every
//! renderer is a pure function of its inputs returning a `String`: no clock, no hash-map order,
//! so the same run renders byte-identical reports. This crate does not run cases, load the spec or
//! print; the CLI writes files, with [`write_atomic`].

#![warn(missing_docs)]

mod diff;
pub mod exit;
pub mod html;
pub mod interop;
pub mod json;
pub mod junit;
mod labels;
mod matrix;
pub mod results;
mod scope;
pub mod summary;
mod text;
mod write;

pub use diff::text_diff;
pub use matrix::{
    CellState, Matrix, MatrixCell, MatrixColumn, MatrixDirection, MatrixEntry, MatrixRow,
};
pub use results::{
    Confinement, Counts, Direction, FaultOutcome, FaultStatus, FieldDiff, FileDirection,
    FileEvidence, HeldKind, MustKeepBreach, NamedField, Outcome, Product, Requirement, Results,
    Run, Score, SelfTest, Suite, TextDiff, ToleranceOutcome, Tool, VariantOutcome, Verdict,
};
pub use scope::{CaseRef, Coverage, CoverageInput, KindCoverage, RoleCoverage, Selection};
pub use text::MASK;
pub use write::{OutputError, OutputSet, Tamper, create_dir_beneath, write_atomic};
