//! Strict MS932 (Shift_JIS, code page 932) CSV bytes ⇄ records, with exact byte positions.
//!
//! [`read`] turns file bytes into records whose fields keep both their raw bytes and their
//! decoded text, and reports byte-level problems ([`read::ByteIssue`]) as data: a BOM, UTF-8
//! content, undecodable bytes, user-defined (外字) code points, encoder artefacts, quoting faults.
//! [`write`](mod@write) is the strict writer the reference product uses: it refuses characters MS932 cannot
//! hold instead of writing `&#…;` or `?`.
//!
//! This crate knows nothing of layouts, rules or cases.

#![warn(missing_docs)]

pub mod read;
pub mod write;

pub use read::{
    ByteIssue, ByteIssueClass, ByteIssueKind, DEFAULT_MAX_ISSUES_PER_KIND,
    DEFAULT_MAX_RECORD_BYTES, FieldRef, LineEndings, MAX_QUOTED_BYTES, Ms932Reader, Record,
};
pub use write::{Cell, Ms932Writer, Unencodable, WriteError, encode_ms932, folds_in_ms932};

/// Decodes MS932 bytes for display only (never for checking): no BOM sniffing, undecodable
/// bytes become U+FFFD. Checks use [`Ms932Reader`], which reports every such byte.
pub fn decode_lossy(bytes: &[u8]) -> String {
    encoding_rs::SHIFT_JIS
        .decode_without_bom_handling(bytes)
        .0
        .into_owned()
}
