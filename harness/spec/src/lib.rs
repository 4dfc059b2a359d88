//! The standard as data: layouts (one per file kind and layout version), the role matrix, send
//! units, known CSVバージョン values and service-kind codes, loaded from `spec/` at the top of the
//! repository and embedded in the binary so that `cpcert` works from any folder.
//!
//! This crate holds types and loading only; rules live in `cpcert-checks`.

#![warn(missing_docs)]

mod role;

pub use role::Role;
