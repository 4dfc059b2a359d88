//! `cpcert-alternate`: a second, independent, conformant product, so that `cpcert interop` has
//! two real products to cross (reference × alternate) and certify can show that a product
//! built another way passes.
//!
//! - **Reader** ([`import`]): generic and layout-driven. File names are parsed through the
//!   layouts' name rules, records read with `cpcert-csv`'s strict MS932 reader and checked
//!   against the layout's field count, send units applied in 連番 order to a store of documents
//!   whose shape comes from `spec/<v>/send-units.yaml` (roots, child links) and the layouts
//!   (`keys`, `month_field`, attachments): newer replaces older under the same key, deletions
//!   cascade to every linked record. The answer is the held records (kind → records → field No.
//!   → value), with a person master (the attributes several kinds carry and the 保険者番号 are
//!   the 被保険者番号's, the latest wins) and the fields a document states once (作成年月日 of a
//!   plan, 利用票 or 実績) — the two small tables that are the product's reading, not spec data,
//!   with the one saying which DLT kind deletes which root. It never calls the reference
//!   product or uses the scenario model.
//! - **Writer** ([`export`]): its own CSV serialiser and MS932 encoder, applying at once every
//!   permitted variant of `cases/variants/exporter.yaml` that draws no warning: every non-empty
//!   field quoted, every empty field bare, NEC-selected IBM extension codes (髙 as EEE0) where
//!   MS932 has two, records of keyed kinds in its own order (key descending), 第2表 課題/目標
//!   on the first line of their group only, its own 連番 (the run's date-time, one second per
//!   send unit, order kept) and 作成年月日 (the `volatile` fields) = the run date. Which scenario
//!   value goes in which field comes from the record-level mapping it shares with the reference
//!   ([`cpcert_scenario::reference::records`]); the re-export of a provider's round trip uses
//!   the reference's business step (import, then record 予定 as 実績) for its values.

#![warn(missing_docs)]

mod clock;
mod encode;
mod error;
mod name;
mod person;
mod read;
mod store;
mod write;

use std::collections::BTreeMap;

use cpcert_spec::{CURRENT_LAYOUT_VERSION, FieldKind, HeldRecords, NotKept, Spec};

pub use clock::utc_now;
pub use error::{ExportError, ImportError};
pub use name::Office;
pub use write::{WriteOptions, export};

/// The product's name in its session (`started`).
pub const PRODUCT_NAME: &str = "cpcert-alternate";

/// The fields the product does not keep when it imports: those the layouts mark unused
/// (※使用しない; it answers them empty). Every other field of every layout is kept.
pub fn not_kept() -> NotKept {
    let mut out = NotKept::default();
    for layout in Spec::embedded().layouts(CURRENT_LAYOUT_VERSION) {
        let unused: Vec<u32> = layout
            .fields
            .iter()
            .filter(|f| f.kind == FieldKind::Unused)
            .map(|f| f.no)
            .collect();
        if !unused.is_empty() && !layout.kind.starts_with("DLT") {
            out.0.insert(layout.kind.clone(), unused);
        }
    }
    out
}

/// One file the product reads or writes: its name (no folder) and bytes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct File {
    /// The file name.
    pub name: String,
    /// The bytes.
    pub bytes: Vec<u8>,
}

/// Imports a file set and answers what the product then holds: every document's records, by
/// kind. Deletion kinds never appear; a deleted document is simply absent.
///
/// # Errors
/// [`ImportError`] naming the file, record, line and field No. of what cannot be read.
pub fn import(files: &[File]) -> Result<HeldRecords, ImportError> {
    let spec = Spec::embedded();
    let version = CURRENT_LAYOUT_VERSION;
    let structure = store::Structure::new(spec, version);
    type Key = (String, Office, Office);
    let mut version_read: Option<String> = None;
    let mut units: BTreeMap<Key, (Vec<store::UnitFile<'_>>, Vec<store::UnitAttachment>)> =
        BTreeMap::new();
    for file in files {
        let parsed = name::parse(spec, version, &file.name)?;
        let key = (parsed.sequence, parsed.from, parsed.to);
        let unit = units.entry(key).or_default();
        match parsed.what {
            name::What::Attachment { parent, .. } => unit.1.push(store::UnitAttachment {
                name: file.name.clone(),
                parent,
            }),
            name::What::Csv(kind) => {
                let layout = spec
                    .layout(version, &kind)
                    .ok_or_else(|| ImportError::Name {
                        file: file.name.clone(),
                        reason: format!("no {kind} layout for {version}"),
                    })?;
                let rows = read::rows(&file.name, layout, &file.bytes)?;
                if version_read.is_none() {
                    version_read = rows.first().map(|r| r.get(1).to_owned());
                }
                unit.0.push(store::UnitFile {
                    name: file.name.clone(),
                    layout,
                    month: parsed.month,
                    rows,
                });
            }
        }
    }
    let mut held = store::Store::default();
    held.version = version_read;
    // 連番 ascending (14 digits: text order is time order), then 送信元, 送信先.
    for ((_, from, _), (files, attachments)) in units {
        held.apply(&structure, &from, files, &attachments)?;
    }
    Ok(held.held(&structure))
}
