//! Exit codes (DESIGN.md): "the product failed" and "we could not test" differ.

/// Everything passed (or only warnings).
pub const OK: u8 = 0;
/// At least one conformance failure (an error finding, a failed case).
pub const FAILED: u8 = 1;
/// Usage, configuration or spec error: nothing was certified.
pub const USAGE: u8 = 2;
/// The vendor product could not be run (infrastructure).
pub const INFRA: u8 = 3;
