//! The reference product: a complete, correct implementation of a vendor's export and import.
//!
//! - [`export`] writes the files a role sends for the scenario's exchanges.
//! - [`import`] reads any valid file set back into a [`Scenario`]: send units in ascending
//!   連番 order, newer replaces older, deletions cascade.
//! - [`perform`] is what a サービス事業所 product does after importing 予定: it records its own
//!   services as performed (実績 = 予定).
//!
//! Round trip, under the normalisation [`Scenario::project`]:
//! `import(export(s, r), r) == s.project(r)` and, for file sets none of whose content a later
//! unit deletes or replaces, `export(import(files, r), r) == files` byte for byte.
//!
//! Every step is a small function so that a fault (a follow-up) can make the product misbehave
//! in exactly one way; [`ExportOptions::fault`] and [`ImportOptions::fault`] are accepted now and
//! refuse ids they do not know.

mod apply;
mod fault;
mod read;
mod variant;
mod write;

pub use fault::{Fault, Side, UnknownFault};
pub use variant::{UnknownVariant, Variant};

use cpcert_spec::Role;

use crate::layout::FileKind;
use crate::model::{Endpoint, Exchange, ResultSheet, Scenario, SendSet, Subject};

pub use apply::project;

/// One file a product wrote or reads: its name and bytes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ExportedFile {
    /// The file name (no folder), e.g. `UPPLAN_202504_0100000001_43_0200000002_11_20250401090000.CSV`.
    pub name: String,
    /// The bytes (MS932, CRLF; JPEG for pictures).
    pub bytes: Vec<u8>,
}

/// One exchange's records as [`records`] gives them: the send unit's name parts and its files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitRecords {
    /// The 連番 the reference writes (the exchange's own, or the requested timestamp).
    pub sequence: String,
    /// 送信元 (事業所番号, サービス種類コード).
    pub from: Endpoint,
    /// 送信先.
    pub to: Endpoint,
    /// Every file of the unit the mapping fills, empty ones included (which of them a product
    /// writes is its own choice within the standard's send-unit rules).
    pub files: Vec<FileRecords>,
    /// The family pictures (UPKIHON_IMAGE) the unit carries.
    pub pictures: Vec<PictureRecords>,
}

/// One file's records: the values of each record by field No. (index 0 = No.1), as the
/// scenario holds them (no MS932 character mapping applied yet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRecords {
    /// The file kind.
    pub kind: FileKind,
    /// The name's YYYYMM part (`000000` for a plan unit's 利用者補足情報), for kinds that have one.
    pub month: Option<String>,
    /// The records, one value per field.
    pub records: Vec<Vec<String>>,
}

/// A family picture of a 利用者基本情報 unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PictureRecords {
    /// The name the reference gives it, which the UPKIHON record's No.62 carries.
    pub name: String,
    /// The 4-digit branch number that ends the name.
    pub branch: String,
    /// The JPEG bytes.
    pub bytes: Vec<u8>,
}

/// Options of [`export`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportOptions {
    /// A 14-digit 連番 for every file, overriding each exchange's own sequence.
    pub timestamp: Option<String>,
    /// A YYYYMMDD 作成年月日 for every record that has one, overriding the scenario's.
    pub created: Option<String>,
    /// Make the product misbehave in one way (an export-side [`Fault`]; import-side ones do
    /// not change writing).
    pub fault: Option<Fault>,
    /// A permitted divergence (cases/variants/): the product still conforms.
    pub variant: Option<Variant>,
    /// The day the product runs (YYYYMMDD): the 作成年月日 of variant [`Variant::CreatedToday`],
    /// injected so that reports stay reproducible.
    pub today: Option<String>,
}

impl ExportOptions {
    /// Options with one 連番 for every file; an empty `timestamp` keeps each exchange's own
    /// 連番 (so several send units stay apart).
    pub fn with_timestamp(timestamp: &str) -> Self {
        ExportOptions {
            timestamp: (!timestamp.is_empty()).then(|| timestamp.to_owned()),
            ..ExportOptions::default()
        }
    }
}

/// Options of [`import_with`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportOptions {
    /// Make the product misbehave in one way (an import-side [`Fault`]; export-side ones do
    /// not change reading).
    pub fault: Option<Fault>,
}

/// Why [`export`] could not write a file set.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExportError {
    /// A value holds a character MS932 cannot encode (after the wave-dash style mapping) or a
    /// 外字 (user-defined) character.
    #[error(
        "{file}: person {person}: field No.{field} ({kind}): character {ch:?} (U+{code:04X}) cannot be written in MS932",
        code = *ch as u32
    )]
    Unencodable {
        /// The file being written.
        file: String,
        /// 被保険者番号 of the record's person.
        person: String,
        /// The file kind.
        kind: String,
        /// 1-based field No.
        field: usize,
        /// The character.
        ch: char,
    },
    /// A value of a non-free-text field holds a comma, quote or line break.
    #[error(
        "{file}: person {person}: field No.{field} ({kind}): {value:?} is not free text and cannot hold , \" or line breaks"
    )]
    BadPlainValue {
        /// The file being written.
        file: String,
        /// 被保険者番号.
        person: String,
        /// The file kind.
        kind: String,
        /// 1-based field No.
        field: usize,
        /// The value.
        value: String,
    },
    /// An exchange names a person or document the scenario does not have.
    #[error("exchange {sequence} ({set:?}): {message}")]
    Missing {
        /// The exchange's 連番.
        sequence: String,
        /// Its set.
        set: SendSet,
        /// What is missing.
        message: String,
    },
    /// An option or scenario value that names cannot be built from.
    #[error("{0}")]
    Invalid(String),
    /// Two exchanges would write the same file name.
    #[error("two exchanges write {0}")]
    DuplicateFile(String),
}

/// Why [`import`] could not read a file set.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    /// A file name that does not follow rules.md §4.
    #[error("{file}: bad file name: {message}")]
    BadName {
        /// The file name.
        file: String,
        /// What is wrong.
        message: String,
    },
    /// Bytes that are not MS932 (or are 外字).
    #[error("{file}: byte offset {offset}: not MS932")]
    Encoding {
        /// The file name.
        file: String,
        /// Byte offset of the first bad byte.
        offset: usize,
    },
    /// A CSV syntax error (e.g. a quote in the wrong place, an unterminated quote).
    #[error("{file}: record {record}: {message}")]
    Syntax {
        /// The file name.
        file: String,
        /// 1-based record number.
        record: usize,
        /// What is wrong.
        message: String,
    },
    /// A record with the wrong number of fields.
    #[error("{file}: record {record}: {actual} fields, the layout has {expected}")]
    FieldCount {
        /// The file name.
        file: String,
        /// 1-based record number.
        record: usize,
        /// The layout's count.
        expected: usize,
        /// The record's count.
        actual: usize,
    },
    /// A field whose value contradicts the file name or its parent record.
    #[error("{file}: record {record}: field No.{field} ({name}): {message}")]
    Field {
        /// The file name.
        file: String,
        /// 1-based record number.
        record: usize,
        /// 1-based field No.
        field: usize,
        /// The field's name.
        name: String,
        /// What is wrong.
        message: String,
    },
    /// A file that does not belong to a send unit's set (an orphan child, an unreferenced
    /// picture, a missing picture).
    #[error("{file}: {message}")]
    Unit {
        /// The file name.
        file: String,
        /// What is wrong.
        message: String,
    },
}

/// Writes the files `role` sends for the scenario's exchanges, sorted by name.
///
/// # Errors
/// [`ExportError`] naming the file, person and field that cannot be written.
pub fn export(
    s: &Scenario,
    role: Role,
    opts: &ExportOptions,
) -> Result<Vec<ExportedFile>, ExportError> {
    write::export(s, role, opts)
}

/// The record-level mapping of [`export`]: which scenario value goes in which field of which
/// file, per send unit in processing order, before the reference's own choices (file
/// selection, quoting, MS932 bytes, faults, variants). Another product (`cpcert-alternate`)
/// serialises these records its own way; [`export`]'s output is unchanged by this function.
///
/// # Errors
/// As [`export`]: a document the scenario lacks, a value that cannot go in a file name.
pub fn records(
    s: &Scenario,
    role: Role,
    timestamp: Option<&str>,
) -> Result<Vec<UnitRecords>, ExportError> {
    write::records(s, role, timestamp.filter(|t| !t.is_empty()))
}

/// Reads a file set into a scenario, as the reference product's database after import.
///
/// `role` is the role of the office that wrote the files. The bytes of a 予防 利用票 are the
/// same as a 居宅 one, so it is what tells them apart (a month set imported with
/// [`Role::PreventionPlanner`] becomes an exchange with that role); the reference product
/// otherwise reads every file kind.
///
/// # Errors
/// [`ImportError`] naming file, record, field No. and name.
pub fn import(files: &[ExportedFile], role: Role) -> Result<Scenario, ImportError> {
    import_with(files, role, &ImportOptions::default())
}

/// [`import`] with options.
///
/// # Errors
/// As [`import`].
pub fn import_with(
    files: &[ExportedFile],
    role: Role,
    opts: &ImportOptions,
) -> Result<Scenario, ImportError> {
    read::import(files, role, opts.fault)
}

/// What a receiver holding `s` holds, as the standard's records (file kind → records → field
/// No. → value): every document as the records its send unit carries, with the same mapping as
/// [`export`]. Deletion kinds never appear; a deleted document is simply absent. This is how
/// an import answer is expressed ([`cpcert_spec::HeldRecords`]): the reference product's
/// answer is `held(&import(files, role)?)`.
///
/// # Errors
/// [`ExportError`] for a document that cannot be written as records (a month without 予定 rows,
/// more than 9 種類支給限度 slots, …).
pub fn held(s: &Scenario) -> Result<cpcert_spec::HeldRecords, ExportError> {
    write::held(s)
}

/// What a サービス事業所 product does after importing 予定: for every 予定 (month set) the
/// scenario received at `provider_office`, it records that office's own rows of the service
/// kind it received them as, field by field, as 実績 (a [`ResultSheet`]) and adds a
/// [`SendSet::Results`] exchange back to the sender with the same 連番. Other providers' rows
/// stay in the 予定 untouched. When several month sets for the same month and kind were
/// received, the one with the highest 連番 counts.
pub fn perform(s: &Scenario, provider_office: &str) -> Scenario {
    let mut out = s.clone();
    let mut received: Vec<&Exchange> = s
        .exchanges
        .iter()
        .filter(|e| e.set == SendSet::Month && e.to.office == provider_office)
        .collect();
    received.sort_by(|a, b| a.sequence.cmp(&b.sequence));
    // Latest unit per (month, kind) wins.
    let mut latest: Vec<&Exchange> = Vec::new();
    for ex in received {
        latest.retain(|e| !(e.month == ex.month && e.to.kind == ex.to.kind));
        latest.push(ex);
    }
    for ex in latest {
        let mut subjects = Vec::new();
        for subject in &ex.subjects {
            let Some(person) = out
                .persons
                .iter_mut()
                .find(|p| p.insured_no == subject.insured_no)
            else {
                continue;
            };
            let Some(month) = person.months.iter().find(|m| m.month == ex.month) else {
                continue;
            };
            let rows: Vec<_> = month
                .plan_rows
                .iter()
                .filter(|r| {
                    r.office_no == provider_office && service_kind(&r.service_code) == ex.to.kind
                })
                .cloned()
                .collect();
            if rows.is_empty() {
                continue;
            }
            let sheet = ResultSheet {
                month: ex.month.clone(),
                office: provider_office.to_owned(),
                kind: ex.to.kind.clone(),
                created: month.created.clone(),
                planner_office: month.planner_office.clone(),
                planner_name: month.planner_name.clone(),
                rows,
            };
            person.results.retain(|r| {
                !(r.month == sheet.month && r.office == sheet.office && r.kind == sheet.kind)
            });
            person.results.push(sheet);
            subjects.push(Subject {
                insured_no: subject.insured_no.clone(),
                date: String::new(),
            });
        }
        if subjects.is_empty() {
            continue;
        }
        let reply = Exchange {
            sequence: ex.sequence.clone(),
            role: None,
            from: Endpoint {
                office: provider_office.to_owned(),
                kind: ex.to.kind.clone(),
            },
            to: ex.from.clone(),
            set: SendSet::Results,
            month: ex.month.clone(),
            subjects,
        };
        out.exchanges.retain(|e| {
            !(e.set == SendSet::Results
                && e.from == reply.from
                && e.to == reply.to
                && e.month == reply.month
                && e.sequence == reply.sequence)
        });
        out.exchanges.push(reply);
    }
    apply::sort_scenario(&mut out);
    out
}

/// The サービス種類コード of a サービスコード: its first two characters.
pub fn service_kind(service_code: &str) -> String {
    service_code.chars().take(2).collect()
}

impl Scenario {
    /// What the files `role` sends carry of this scenario, in the form [`import`] gives it
    /// back: the normalisation of the round-trip property. See [`project`].
    pub fn project(&self, role: Role) -> Scenario {
        project(self, role)
    }
}
