//! The strict MS932 CSV reader: file bytes → records with exact byte and line positions.
//!
//! [`Ms932Reader`] parses the raw bytes (the CSV syntax is ASCII, and MS932 trail bytes are never
//! `"`, `,`, CR or LF, so splitting before decoding is safe), then decodes each field strictly as
//! MS932. Everything odd about the bytes is reported as a [`ByteIssue`] (data, not an error) and
//! reading goes on: a BOM, UTF-8 text, undecodable bytes, 外字, `&#…;` and `?` encoder artefacts,
//! control bytes, quoting faults and blank lines. The reader never switches encoding.
//!
//! Memory is a fixed 64 KiB input buffer plus the current record (which the caller reuses),
//! kept to a per-record limit ([`Ms932Reader::with_max_record_bytes`], 16 MiB by default), plus
//! fixed-size tables: an ASCII copy of the buffer, the MS932 table and the last Japanese fields.
//!
//! Speed comes from doing the usual thing once: an all-ASCII record is split in one pass over its
//! words; clean Japanese text is decoded by a table (`table.rs`, made from encoding_rs and tested
//! against it byte pair by byte pair); a Japanese field seen recently with nothing to report is
//! recalled (`decoded.rs`). Anything with something to report takes the strict path, which
//! reports it where it is.
//!
//! ```
//! use cpcert_csv::{ByteIssueKind, Ms932Reader, Record};
//!
//! let bytes = b"202407,\"\x95\x5C,\"\"x\"\"\"\r\n1,&#12316;\r\n";
//! let mut reader = Ms932Reader::new(&bytes[..]);
//! let (mut rec, mut issues) = (Record::default(), Vec::new());
//! assert!(reader.read_record(&mut rec, &mut issues).unwrap());
//! assert_eq!(rec.field(1).unwrap().text, "表,\"x\"");
//! assert!(reader.read_record(&mut rec, &mut issues).unwrap());
//! assert_eq!(issues[0].kind, ByteIssueKind::Entity { text: "&#12316;".into() });
//! assert_eq!((issues[0].record, issues[0].field, issues[0].byte_offset), (2, Some(2), 21));
//! assert!(!reader.read_record(&mut rec, &mut issues).unwrap());
//! assert_eq!(reader.line_endings().crlf, 2);
//! ```

mod check;
mod decoded;
mod reader;
mod table;
mod types;

pub use reader::{DEFAULT_MAX_RECORD_BYTES, Ms932Reader};
pub use types::{
    ByteIssue, ByteIssueClass, ByteIssueKind, DEFAULT_MAX_ISSUES_PER_KIND, FieldRef, LineEndings,
    MAX_QUOTED_BYTES, Record,
};

#[cfg(test)]
mod tests;
