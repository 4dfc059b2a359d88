//! Rules over the standard's CSV files: file name, bytes and encoding, fields, records, files and
//! send units. Every rule returns [`Finding`]s — data, never errors.

#![warn(missing_docs)]

mod finding;

pub use finding::{Finding, Lang, Severity};
