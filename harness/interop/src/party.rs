//! The parties of an interop run: who sends, who receives, parsed from their ids.

use std::path::{Path, PathBuf};

use cpcert_adapters::{Adapter, AlternateAdapter, ReferenceAdapter};
use cpcert_report::interop::PartyKind;
use cpcert_runner::selftest::{FaultEntry, VariantEntry};
use cpcert_scenario::reference::{Fault, UnknownVariant, Variant};

use crate::bundle::SenderBundle;
use crate::{InteropError, usage};

/// The products built into cpcert, in matrix order: the default senders and receivers.
pub const BUILT_IN: &[&str] = &["reference", "alternate"];

/// A built-in product's adapter (not started); its clock, where it has one, is the run's start.
fn built_in(id: &str, started: &str) -> Option<Box<dyn Adapter>> {
    match id {
        "reference" => Some(Box::new(ReferenceAdapter::new())),
        "alternate" => Some(Box::new(AlternateAdapter::new(Some(started)))),
        _ => None,
    }
}

/// The prefix of a faulty reference product's id: `reference:fault=ID`.
pub(crate) const FAULT_PREFIX: &str = "reference:fault=";

/// The prefix of the reference writing a permitted variant: `reference:variant=ID`.
pub(crate) const VARIANT_PREFIX: &str = "reference:variant=";

/// What a party is besides its adapter or bundle.
pub(crate) struct Described {
    /// The id as given.
    pub(crate) id: String,
    pub(crate) kind: PartyKind,
    pub(crate) fault: Option<String>,
    pub(crate) fault_title: Option<String>,
    pub(crate) variant: Option<String>,
    pub(crate) variant_title: Option<String>,
    /// A vendor description's file, a bundle's run.
    pub(crate) source: Option<String>,
}

/// Where a sender's files come from.
pub(crate) enum SenderSource {
    /// A product, asked to export.
    Product(Box<dyn Adapter>),
    /// The received files of an earlier certification's export cases.
    Bundle(Box<SenderBundle>),
}

/// A sender.
pub(crate) struct Sender {
    pub(crate) about: Described,
    pub(crate) source: SenderSource,
}

/// A receiver.
pub(crate) struct Receiver {
    pub(crate) about: Described,
    pub(crate) adapter: Box<dyn Adapter>,
}

/// The fault of `reference:fault=ID`, which must be of `side` (true: import).
fn fault_of(
    id: &str,
    import: bool,
    catalogue: &[FaultEntry],
) -> Result<Option<(Fault, String)>, InteropError> {
    let Some(name) = id.strip_prefix(FAULT_PREFIX) else {
        return Ok(None);
    };
    let fault: Fault = name
        .parse()
        .map_err(|e: cpcert_scenario::reference::UnknownFault| {
            usage(
                format!("`{id}`: 誤り `{name}` は cases/faults/ にありません（{e}）"),
                e.to_string(),
            )
        })?;
    if fault.is_import() != import {
        return Err(if import {
            usage(
                format!(
                    "`{id}`: `{name}` は出力側の誤りです。受信側としては正しく取り込みます（--sender に指定してください）"
                ),
                format!(
                    "`{id}`: `{name}` is an exporter fault; as a receiver it imports correctly (use it as --sender)"
                ),
            )
        } else {
            usage(
                format!(
                    "`{id}`: `{name}` は取込側の誤りです。送信側としては正しく出力します（--receiver に指定してください）"
                ),
                format!(
                    "`{id}`: `{name}` is an importer fault; as a sender it exports correctly (use it as --receiver)"
                ),
            )
        });
    }
    let title = catalogue
        .iter()
        .find(|e| e.id == fault)
        .map(|e| e.title.clone())
        .unwrap_or_default();
    Ok(Some((fault, title)))
}

/// A party that is a product: what it is and its adapter (not started).
type Product = (Described, Box<dyn Adapter>);

/// A built-in or faulty reference product, or None for anything else.
fn product(
    id: &str,
    import: bool,
    (catalogue, variants): (&[FaultEntry], &[VariantEntry]),
    started: &str,
) -> Result<Option<Product>, InteropError> {
    if let Some(adapter) = built_in(id, started) {
        return Ok(Some((
            Described {
                id: id.to_owned(),
                kind: PartyKind::BuiltIn,
                fault: None,
                fault_title: None,
                variant: None,
                variant_title: None,
                source: None,
            },
            adapter,
        )));
    }
    if let Some(name) = id.strip_prefix(VARIANT_PREFIX) {
        let variant: Variant = name.parse().map_err(|e: UnknownVariant| {
            usage(
                format!("`{id}`: 書き方 `{name}` は cases/variants/ にありません（{e}）"),
                e.to_string(),
            )
        })?;
        if import {
            return Err(usage(
                format!(
                    "`{id}`: 書き方の違いは出力だけのもので、受信側としては参照製品と同じです（--sender に指定してください）"
                ),
                format!(
                    "`{id}`: a variant changes only what is written; as a receiver it is the reference (use it as --sender)"
                ),
            ));
        }
        let title = variants
            .iter()
            .find(|e| e.id == variant)
            .map(|e| format!("{}（{}）", e.title, e.spec_place))
            .unwrap_or_default();
        return Ok(Some((
            Described {
                id: id.to_owned(),
                kind: PartyKind::Variant,
                fault: None,
                fault_title: None,
                variant: Some(variant.id().to_owned()),
                variant_title: Some(title),
                source: None,
            },
            Box::new(ReferenceAdapter::with_variant(Some(variant), started)),
        )));
    }
    if let Some((fault, title)) = fault_of(id, import, catalogue)? {
        return Ok(Some((
            Described {
                id: id.to_owned(),
                kind: PartyKind::Faulty,
                fault: Some(fault.id().to_owned()),
                fault_title: Some(title),
                variant: None,
                variant_title: None,
                source: None,
            },
            Box::new(ReferenceAdapter::with_fault(Some(fault))),
        )));
    }
    Ok(None)
}

/// A vendor description (a file, or a name in `cases/vendors/`).
fn vendor(suite: &Path, id: &str, started: &str) -> Result<Product, InteropError> {
    let (adapter, desc) = cpcert_runner::vendor_adapter(suite, id, started)?;
    Ok((
        Described {
            id: id.to_owned(),
            kind: PartyKind::Vendor,
            fault: desc.fault.clone(),
            fault_title: None,
            variant: None,
            variant_title: None,
            source: Some(desc.path.display().to_string()),
        },
        adapter,
    ))
}

/// A bundle file: `*.cpcert`, or a certify output folder holding `bundle.cpcert`.
fn bundle_path(id: &str) -> Option<PathBuf> {
    let path = PathBuf::from(id);
    if path.is_dir() {
        let inner = path.join(cpcert_evidence::bundle::BUNDLE_FILE);
        return inner.is_file().then_some(inner);
    }
    (path.extension().is_some_and(|e| e == "cpcert")).then_some(path)
}

fn no_repeats(ids: &[String], what: &str) -> Result<(), InteropError> {
    for (i, id) in ids.iter().enumerate() {
        if ids[..i].contains(id) {
            return Err(usage(
                format!("{what} `{id}` が2回指定されています"),
                format!("{what} `{id}` is given twice"),
            ));
        }
    }
    Ok(())
}

/// The senders: `given`, or the built-in products.
pub(crate) fn senders(
    suite: &Path,
    given: &[String],
    variant_senders: bool,
    (catalogue, variants): (&[FaultEntry], &[VariantEntry]),
    started: &str,
) -> Result<Vec<Sender>, InteropError> {
    let mut ids: Vec<String> = if given.is_empty() {
        BUILT_IN.iter().map(|s| (*s).to_owned()).collect()
    } else {
        given.to_vec()
    };
    no_repeats(&ids, "--sender")?;
    if variant_senders {
        for entry in variants {
            let id = format!("{VARIANT_PREFIX}{}", entry.id.id());
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
    let mut out = Vec::new();
    for id in ids {
        if let Some((about, adapter)) = product(&id, false, (catalogue, variants), started)? {
            out.push(Sender {
                about,
                source: SenderSource::Product(adapter),
            });
        } else if let Some(path) = bundle_path(&id) {
            let bundle = SenderBundle::open(&path)?;
            out.push(Sender {
                about: Described {
                    id: id.clone(),
                    kind: PartyKind::Bundle,
                    fault: None,
                    fault_title: None,
                    variant: None,
                    variant_title: None,
                    source: Some(bundle.source_note()),
                },
                source: SenderSource::Bundle(Box::new(bundle)),
            });
        } else {
            let (about, adapter) = vendor(suite, &id, started)?;
            out.push(Sender {
                about,
                source: SenderSource::Product(adapter),
            });
        }
    }
    Ok(out)
}

/// The receivers: `given` (or the built-in products), then with `faults` the reference
/// product with each importer fault of the catalogue.
pub(crate) fn receivers(
    suite: &Path,
    given: &[String],
    faults: bool,
    (catalogue, variants): (&[FaultEntry], &[VariantEntry]),
    started: &str,
) -> Result<Vec<Receiver>, InteropError> {
    let mut ids: Vec<String> = if given.is_empty() {
        BUILT_IN.iter().map(|s| (*s).to_owned()).collect()
    } else {
        given.to_vec()
    };
    no_repeats(&ids, "--receiver")?;
    if faults {
        for entry in catalogue.iter().filter(|e| e.id.is_import()) {
            let id = format!("{FAULT_PREFIX}{}", entry.id.id());
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
    let mut out = Vec::new();
    for id in ids {
        if bundle_path(&id).is_some() {
            return Err(usage(
                format!(
                    "--receiver `{id}`: バンドルは認証時のファイルで、取込はできません（--sender に指定してください）"
                ),
                format!(
                    "--receiver `{id}`: a bundle holds a certification's files; it cannot import (use it as --sender)"
                ),
            ));
        }
        let (about, adapter) = match product(&id, true, (catalogue, variants), started)? {
            Some(p) => p,
            None => vendor(suite, &id, started)?,
        };
        out.push(Receiver { about, adapter });
    }
    Ok(out)
}
