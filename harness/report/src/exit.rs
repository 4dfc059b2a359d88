//! The process exit codes (DESIGN.md), one table for every command: "the product failed" and
//! "we could not test" differ.

/// Everything passed (or only warnings).
pub const OK: u8 = 0;
/// At least one conformance failure (an error finding, a failed case).
pub const FAILED: u8 = 1;
/// Usage, configuration or spec error: nothing was run, no report was written.
pub const USAGE: u8 = 2;
/// The product could not be run or a case could not finish (infrastructure).
pub const INFRA: u8 = 3;
