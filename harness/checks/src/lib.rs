//! Rules over the standard's CSV files: file name, bytes and encoding, CSV syntax, fields,
//! records, files and send units. Every rule returns [`Finding`]s — data, never errors.
//!
//! Main entry points: [`validate_file`] / [`validate_bytes`] (one file, streaming),
//! [`check_send_units`] (files sharing a 連番), [`validate_paths`] (what `cpcert validate` runs),
//! [`compare::compare_records`] (value-level comparison under the kind's comparison policy) and
//! [`compare::files::pair_files`] (pairing a product's files with the expected ones). The rule catalogue ([`RULES`])
//! gives every rule id its Japanese and English text; docs/rules.md is generated from it.
//!
//! Rules read the layout from `cpcert-spec`: a rule resting on a low/medium-confidence spec item
//! reports a warning, never an error.

#![warn(missing_docs)]

mod catalogue;
pub mod compare;
mod document;
mod examples;
mod field_plan;
mod fields;
mod finding;
mod held;
mod key_hash;
mod name;
mod records;
mod run;
mod send_unit;
mod sink;
mod validate;
mod values;
mod walk;

pub use catalogue::{Level, RULES, Rule, RuleId, UnknownRule, render_markdown, rule};
pub use document::{
    ErrorBody, ErrorDocument, FileEntry, MessageFinding, UnitEntry, VALIDATE_SCHEMA_VERSION,
    ValidateDocument,
};
pub use examples::{Example, example};
pub use finding::{Finding, Lang, MAX_QUOTED_CHARS, Msg, Severity, clip_quoted};
pub use held::{
    HeldComparison, HeldKind, MAX_DIFFS as MAX_HELD_DIFFS, MustKeepBreach, NamedField, compare_held,
};
pub use key_hash::{KeyHash, KeyHasher};
pub use name::{
    IMAGE_KIND, NameClass, ParsedName, classify_name, file_kind, looks_like_standard_file,
};
pub use run::{
    PathError, Progress, Summary, ValidationRun, expand_paths, validate_paths, validate_paths_with,
};
pub use send_unit::{SendUnitReport, check_send_units};
pub use validate::{
    FileReport, UnitFacts, ValidateOptions, validate_bytes, validate_file, validate_reader,
};
pub use walk::{SkipReason, Skipped, display_path};

/// The policies for points the spec leaves open, appended to docs/rules.md.
pub const POLICIES: &str = include_str!("policies.md");
