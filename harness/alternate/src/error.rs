//! Why the alternate product refuses a file set or a scenario. Every error names the file and,
//! where there is one, the record, line and field No. with its layout name.

/// Why [`crate::import`] refuses a file set.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    /// A name that does not follow rules.md §4 (or names no layout of the version).
    #[error("{file}: bad file name: {reason}")]
    Name {
        /// The file name.
        file: String,
        /// What is wrong.
        reason: String,
    },
    /// Bytes that are not MS932 CSV the product can read (BOM, UTF-8, undecodable bytes,
    /// 外字, quoting faults, a record longer than the reader's limit).
    #[error("{file}: record {record}, line {line}, byte offset {offset}: {reason}")]
    Bytes {
        /// The file name.
        file: String,
        /// 1-based record.
        record: u64,
        /// 1-based line.
        line: u64,
        /// Byte offset in the file.
        offset: u64,
        /// What is wrong.
        reason: String,
    },
    /// A record whose field count is not the layout's.
    #[error(
        "{file}: record {record} (line {line}): {actual} fields, the {kind} layout has {expected}"
    )]
    FieldCount {
        /// The file name.
        file: String,
        /// The file kind.
        kind: String,
        /// 1-based record.
        record: u64,
        /// 1-based line.
        line: u64,
        /// The layout's field count.
        expected: u32,
        /// The record's.
        actual: usize,
    },
    /// A field that contradicts the file name or its send unit.
    #[error("{file}: record {record} (line {line}): field No.{field} ({name}): {reason}")]
    Field {
        /// The file name.
        file: String,
        /// 1-based record.
        record: u64,
        /// 1-based line.
        line: u64,
        /// Field No.
        field: u32,
        /// The field's name in the layout.
        name: String,
        /// What is wrong, with the expected and the actual value.
        reason: String,
    },
    /// A file that does not fit its send unit (a child without a parent, a picture no record
    /// names, two layout versions).
    #[error("{file}: {reason}")]
    Unit {
        /// The file name.
        file: String,
        /// What is wrong.
        reason: String,
    },
}

/// Why [`crate::export`] cannot write a scenario.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExportError {
    /// The scenario's records could not be made (a document the scenario lacks, a bad name part).
    #[error("{0}")]
    Records(String),
    /// A character MS932 cannot hold (or that reads back as another one, or a 外字).
    #[error(
        "{file}: record {record}: field No.{field} ({name}): character {ch:?} (U+{code:04X}) cannot be written in MS932",
        code = *ch as u32
    )]
    Unencodable {
        /// The file name.
        file: String,
        /// 1-based record.
        record: usize,
        /// Field No.
        field: u32,
        /// The field's layout name.
        name: String,
        /// The character.
        ch: char,
    },
    /// A comma, quote or line break in a field that is not free text.
    #[error(
        "{file}: record {record}: field No.{field} ({name}): {value:?} is not free text and cannot hold , \" or line breaks"
    )]
    NotText {
        /// The file name.
        file: String,
        /// 1-based record.
        record: usize,
        /// Field No.
        field: u32,
        /// The field's layout name.
        name: String,
        /// The value.
        value: String,
    },
    /// A run date-time that is not `YYYY-MM-DD…` / `YYYYMMDD…` or a 連番 that is no date-time.
    #[error("{0}")]
    Clock(String),
    /// Two units would write the same file name.
    #[error("two send units write {0}")]
    Duplicate(String),
}
