//! The standard as data: layouts (one per file kind and layout version), the role matrix, send
//! units, known CSVバージョン values and service-kind codes, loaded from `spec/` at the top of the
//! repository and embedded in the binary so that `cpcert` works from any folder.
//!
//! Main types: [`Spec`] (everything, [`Spec::embedded`]), [`Layout`] and [`Field`] (one file
//! kind), [`RoleMatrix`], [`SendUnit`], [`VersionInfo`]. Items transcribed with low or medium
//! confidence carry a [`Confidence`]; rules built on them only ever warn.
//!
//! This crate holds types and loading only; rules live in `cpcert-checks`.

#![warn(missing_docs)]

mod held;
mod layout;
mod load;
mod role;
mod stale;
mod tables;
mod textfile;

pub use held::{HeldRecord, HeldRecords, MustKeep, NotKept};
pub use layout::{
    Attachment, ComparePolicy, Confidence, Field, FieldConfidence, FieldKind, FirstLineOnly,
    Layout, NameRule, RecordOrder, Required,
};
pub use load::{Spec, SpecError};
pub use role::{Direction, MatrixSide, Role};
pub use stale::{process_alive, stale_entries};
pub use tables::{
    Link, Requirement, RoleMatrix, RoleRow, SendUnit, ServiceKind, ServiceScope, VersionInfo,
    VersionStatus,
};
pub use textfile::{MAX_TEXT_FILE_BYTES, read_regular_file, read_text_file};

/// The layout version this release of cpcert certifies against (V4.1).
pub const CURRENT_LAYOUT_VERSION: &str = "202407";
