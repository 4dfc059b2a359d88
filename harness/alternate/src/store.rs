//! The receiver: send units applied in 連番 order to a store of documents, each document a
//! root record group (第1表, 第6表 予定 of a month, 実績 of an office, 利用者基本情報, 支援計画書)
//! with the records of its children — all of it read from `send-units.yaml` (which kinds are
//! roots, which link to which parent by which fields) and the layouts (`keys`, `month_field`,
//! attachments). Newer replaces older under the same key, and a deletion (DLT…) removes the
//! document with every child record (rules.md §7). What each deletion kind deletes is the one
//! table of this module that is not spec data: [`DELETIONS`].

use std::collections::{BTreeMap, HashMap};

use cpcert_spec::{FieldKind, HeldRecord, HeldRecords, Layout, Spec};

use crate::ImportError;
use crate::name::Office;
use crate::person::{INSURER_NO, Persons};
use crate::read::Row;

/// What one deletion kind deletes: the root kind, the deletion's fields matched to the root's
/// fields, and (for 実績) the fields naming the office and service kind that sent the root.
pub(crate) struct Deletion {
    pub(crate) kind: &'static str,
    pub(crate) target: &'static str,
    /// (deletion field No., root field No.)
    pub(crate) key: &'static [(u32, u32)],
    /// (office No., service kind No.) of the deletion, matched to the root unit's 送信元.
    pub(crate) sender: Option<(u32, u32)>,
}

/// The deletion kinds (rules.md §7, 本文 §2.3/§3.3): each removes its root document and with it
/// every record linked to it in its send unit (第1表_削除: 第2表, 第3表 and the plan's 補足;
/// 第6表予定_削除: 第7表 and the month's 補足; 利用者基本情報_削除: 別表1, 別表2 and the picture;
/// 支援計画書_削除: its 別表); 実績_削除 removes one office's 実績 of one service kind.
/// Where: 別紙 1表_削除, 第6表 予定_削除, 第6表 実績_削除 (per office and service kind),
/// 利用者基本情報_削除, 支援計画書_削除; rules.md §7.
pub(crate) const DELETIONS: [Deletion; 5] = [
    Deletion {
        kind: "DLT1KYO",
        target: "UP1KYO",
        key: &[(2, 2), (3, 3), (4, 14)],
        sender: None,
    },
    Deletion {
        kind: "DLTPLAN",
        target: "UPPLAN",
        key: &[(2, 2), (3, 3), (4, 5)],
        sender: None,
    },
    Deletion {
        kind: "DLTJSK",
        target: "UPJSK",
        key: &[(2, 2), (3, 3), (4, 5)],
        sender: Some((5, 6)),
    },
    Deletion {
        kind: "DLTKIHON",
        target: "UPKIHON",
        key: &[(2, 2), (3, 3), (4, 4)],
        sender: None,
    },
    Deletion {
        kind: "DLTYOBO",
        target: "UPYOBO",
        key: &[(2, 2), (3, 3), (4, 4)],
        sender: None,
    },
];

fn deletion(kind: &str) -> Option<&'static Deletion> {
    DELETIONS.iter().find(|d| d.kind == kind)
}

/// A child link as `send-units.yaml` gives it, with the 補足 month style of its unit.
struct ChildLink {
    child: String,
    fields: Vec<u32>,
    parent: String,
    parent_fields: Vec<u32>,
    hosoku_month: Option<String>,
}

/// The send-unit structure: root kinds in processing order, child links.
pub(crate) struct Structure {
    roots: Vec<String>,
    links: Vec<ChildLink>,
    /// Root kind → its layout's `keys`.
    keys: BTreeMap<String, Vec<u32>>,
    /// Kind → the fields the layout marks unused (※使用しない): never kept.
    unused: BTreeMap<String, Vec<u32>>,
    /// (kind, field No.) → its `sentinel` (the fixed value some units carry).
    sentinels: BTreeMap<(String, u32), String>,
}

impl Structure {
    pub(crate) fn new(spec: &Spec, version: &str) -> Structure {
        let units = spec.send_units(version);
        let mut roots: Vec<String> = Vec::new();
        for unit in units {
            for kind in unit
                .required
                .iter()
                .chain(&unit.optional)
                .chain(&unit.expected)
            {
                let child = unit.links.iter().any(|l| &l.child == kind);
                if !child && !roots.contains(kind) {
                    roots.push(kind.clone());
                }
            }
        }
        let mut links = Vec::new();
        for unit in units {
            for l in &unit.links {
                if roots.contains(&l.child) {
                    // A root tied to another root (支援計画書 with 利用者基本情報): both stay
                    // documents of their own.
                    continue;
                }
                links.push(ChildLink {
                    child: l.child.clone(),
                    fields: l.fields.clone(),
                    parent: l.parent.clone(),
                    parent_fields: l.parent_fields.clone(),
                    hosoku_month: unit.hosoku_month.clone(),
                });
            }
        }
        let keys = roots
            .iter()
            .filter_map(|r| {
                let keys = spec.layout(version, r)?.keys.iter();
                Some((
                    r.clone(),
                    keys.copied().filter(|no| *no != INSURER_NO).collect(),
                ))
            })
            .collect();
        let mut unused: BTreeMap<String, Vec<u32>> = BTreeMap::new();
        let mut sentinels = BTreeMap::new();
        for layout in spec.layouts(version) {
            for f in &layout.fields {
                if f.kind == FieldKind::Unused {
                    unused.entry(layout.kind.clone()).or_default().push(f.no);
                }
                if let Some(v) = &f.sentinel {
                    sentinels.insert((layout.kind.clone(), f.no), v.clone());
                }
            }
        }
        Structure {
            roots,
            links,
            keys,
            unused,
            sentinels,
        }
    }

    pub(crate) fn is_root(&self, kind: &str) -> bool {
        self.roots.iter().any(|r| r == kind)
    }
}

/// A CSV file of one send unit.
pub(crate) struct UnitFile<'l> {
    pub(crate) name: String,
    pub(crate) layout: &'l Layout,
    pub(crate) month: Option<String>,
    pub(crate) rows: Vec<Row>,
}

/// An attachment of one send unit.
pub(crate) struct UnitAttachment {
    pub(crate) name: String,
    pub(crate) parent: String,
}

/// One document the receiver holds.
#[derive(Debug, Clone)]
struct Doc {
    root: String,
    key: Vec<String>,
    sender: Option<Office>,
    /// kind → records, the root's first.
    records: BTreeMap<String, Vec<Vec<String>>>,
    /// The root's first record (what children and deletions are matched against).
    head: Vec<String>,
}

/// A document's identity: its root kind, the root's `keys` values but the 保険者番号 (the person
/// is the 被保険者番号; [`Persons`]) and, for a root deleted per sender (実績), the sending office.
type DocId = (String, Vec<String>, Option<Office>);

impl Doc {
    fn id(&self) -> DocId {
        (self.root.clone(), self.key.clone(), self.sender.clone())
    }

    fn value(&self, no: u32) -> &str {
        value(&self.head, no)
    }
}

fn value(values: &[String], no: u32) -> &str {
    usize::try_from(no)
        .ok()
        .and_then(|n| n.checked_sub(1))
        .and_then(|i| values.get(i))
        .map_or("", String::as_str)
}

/// What one send unit does: documents put, deletions made.
enum Step {
    Put(Doc),
    Delete {
        target: &'static str,
        /// (root field No., value)
        key: Vec<(u32, String)>,
        sender: Option<Office>,
        /// The deletion record (its person).
        record: Vec<String>,
    },
}

/// Where a document's stated-once field comes from.
enum Source {
    /// The root's first record, this field No.
    Root(u32),
    /// The field's `sentinel` (UPHOSOKU No.4 in a 利用票 unit: fixed 00000000).
    Sentinel,
}

/// Fields a document states once although each of its records repeats them: the receiver keeps
/// one 作成年月日 per plan (第1表's), one per 利用票 and per 実績 (the first line's), one
/// 作成者 per 利用票/実績, and answers every record with it. (kind, field No., root kind, source)
const STATED_ONCE: [(&str, u32, &str, Source); 11] = [
    ("UP2KYO", 4, "UP1KYO", Source::Root(4)),
    ("UP3KYO", 4, "UP1KYO", Source::Root(4)),
    ("UPPLAN", 4, "UPPLAN", Source::Root(4)),
    ("UPPLAN", 6, "UPPLAN", Source::Root(6)),
    ("UPPLAN", 7, "UPPLAN", Source::Root(7)),
    ("UPSIKYU", 4, "UPPLAN", Source::Root(4)),
    ("UPHOSOKU", 4, "UPPLAN", Source::Sentinel),
    ("UPJSK", 4, "UPJSK", Source::Root(4)),
    ("UPJSK", 6, "UPJSK", Source::Root(6)),
    ("UPJSK", 7, "UPJSK", Source::Root(7)),
    // The plan's 補足 is the plan's (its key, linked both ways).
    ("UPHOSOKU", 4, "UP1KYO", Source::Root(14)),
];

fn set(values: &mut [String], no: u32, v: &str) {
    if let Some(slot) = usize::try_from(no)
        .ok()
        .and_then(|n| n.checked_sub(1))
        .and_then(|i| values.get_mut(i))
    {
        v.clone_into(slot);
    }
}

/// The receiver's documents and persons.
#[derive(Default)]
pub(crate) struct Store {
    docs: BTreeMap<DocId, Doc>,
    persons: Persons,
    /// The layout version of the data set (the first record read): the receiver keeps its
    /// data under one CSVバージョン.
    pub(crate) version: Option<String>,
}

impl Store {
    /// Applies one send unit (files sharing 連番, 送信元 and 送信先).
    pub(crate) fn apply(
        &mut self,
        structure: &Structure,
        from: &Office,
        files: Vec<UnitFile<'_>>,
        attachments: &[UnitAttachment],
    ) -> Result<(), ImportError> {
        for step in unit_steps(structure, from, files, attachments)? {
            match step {
                Step::Put(doc) => {
                    self.persons.put(&doc.root, doc.records.iter());
                    self.docs.insert(doc.id(), doc);
                }
                Step::Delete {
                    target,
                    key,
                    sender,
                    record,
                } => {
                    self.persons.touch(&record);
                    // The deletion names the root's whole key: one look-up.
                    let direct: Option<Vec<String>> = structure.keys.get(target).and_then(|ks| {
                        ks.iter()
                            .map(|k| key.iter().find(|(no, _)| no == k).map(|(_, v)| v.clone()))
                            .collect()
                    });
                    match direct {
                        Some(k) => {
                            self.docs.remove(&(target.to_owned(), k, sender));
                        }
                        None => self.docs.retain(|_, d| {
                            !(d.root == target
                                && key
                                    .iter()
                                    .filter(|(no, _)| *no != INSURER_NO)
                                    .all(|(no, v)| d.value(*no) == v)
                                && (sender.is_none() || d.sender == sender))
                        }),
                    }
                }
            }
        }
        Ok(())
    }

    /// What the store holds, as the standard's records.
    pub(crate) fn held(&self, structure: &Structure) -> HeldRecords {
        let mut held = HeldRecords::default();
        for doc in self.docs.values() {
            for (kind, records) in &doc.records {
                for values in records {
                    let mut values = values.clone();
                    if let Some(version) = &self.version {
                        set(&mut values, 1, version);
                    }
                    for (k, no, root, source) in &STATED_ONCE {
                        if k != kind || *root != doc.root {
                            continue;
                        }
                        let v = match source {
                            Source::Root(from) => Some(doc.value(*from).to_owned()),
                            Source::Sentinel => {
                                structure.sentinels.get(&(kind.clone(), *no)).cloned()
                            }
                        };
                        if let Some(v) = v {
                            set(&mut values, *no, &v);
                        }
                    }
                    for no in structure.unused.get(kind).into_iter().flatten() {
                        set(&mut values, *no, "");
                    }
                    self.persons.render(kind, &mut values);
                    held.push(kind, HeldRecord::from_values(&values));
                }
            }
        }
        held
    }
}

fn field_error(file: &UnitFile<'_>, row: &Row, no: u32, reason: String) -> ImportError {
    ImportError::Field {
        file: file.name.clone(),
        record: row.record,
        line: row.line,
        field: no,
        name: file
            .layout
            .field(no)
            .map(|f| f.name.clone())
            .unwrap_or_default(),
        reason,
    }
}

/// A month file's records must be of the name's month (the layout's `month_field`).
fn check_month(file: &UnitFile<'_>) -> Result<(), ImportError> {
    let (Some(no), Some(month)) = (file.layout.month_field, &file.month) else {
        return Ok(());
    };
    for row in &file.rows {
        if row.get(no) != month {
            return Err(field_error(
                file,
                row,
                no,
                format!(
                    "expected the file name's month {month}, found {:?}",
                    row.get(no)
                ),
            ));
        }
    }
    Ok(())
}

fn unit_steps(
    structure: &Structure,
    from: &Office,
    files: Vec<UnitFile<'_>>,
    attachments: &[UnitAttachment],
) -> Result<Vec<Step>, ImportError> {
    for f in &files {
        check_month(f)?;
    }
    let mut used_attachments = vec![false; attachments.len()];
    let (mut roots, children): (Vec<UnitFile<'_>>, Vec<UnitFile<'_>>) = files
        .into_iter()
        .partition(|f| structure.is_root(&f.layout.kind));
    let order = |kind: &str| structure.roots.iter().position(|r| r == kind);
    roots.sort_by(|a, b| {
        (order(&a.layout.kind), &a.month, &a.name).cmp(&(order(&b.layout.kind), &b.month, &b.name))
    });
    // Documents of the unit, in root order and, within a file, in order of first record.
    let mut docs: Vec<Doc> = Vec::new();
    let mut index: HashMap<DocId, usize> = HashMap::new();
    let mut steps_before: Vec<(usize, Step)> = Vec::new();
    for file in &roots {
        let kind = file.layout.kind.as_str();
        if let Some(d) = deletion(kind) {
            for row in &file.rows {
                steps_before.push((
                    docs.len(),
                    Step::Delete {
                        target: d.target,
                        key: d
                            .key
                            .iter()
                            .map(|(no, root_no)| (*root_no, row.get(*no).to_owned()))
                            .collect(),
                        sender: d.sender.map(|(office, service)| Office {
                            number: row.get(office).to_owned(),
                            service: row.get(service).to_owned(),
                        }),
                        record: row.values.clone(),
                    },
                ));
            }
            continue;
        }
        let sender = DELETIONS
            .iter()
            .any(|d| d.target == kind && d.sender.is_some())
            .then(|| from.clone());
        for row in &file.rows {
            // Records group into documents by the whole key (保険者番号 too, as the children
            // link to it); the store knows a document without it (the person's number).
            let group: Vec<String> = file
                .layout
                .keys
                .iter()
                .map(|no| row.get(*no).to_owned())
                .collect();
            let unit_id = (kind.to_owned(), group, sender.clone());
            match index.get(&unit_id).and_then(|&i| docs.get_mut(i)) {
                Some(doc) => doc
                    .records
                    .entry(kind.to_owned())
                    .or_default()
                    .push(row.values.clone()),
                None => {
                    index.insert(unit_id, docs.len());
                    docs.push(Doc {
                        root: kind.to_owned(),
                        key: file
                            .layout
                            .keys
                            .iter()
                            .filter(|no| **no != INSURER_NO)
                            .map(|no| row.get(*no).to_owned())
                            .collect(),
                        sender: sender.clone(),
                        records: BTreeMap::from([(kind.to_owned(), vec![row.values.clone()])]),
                        head: row.values.clone(),
                    });
                }
            }
            if let Some(attachment) = file.layout.attachments.first()
                && let Some(no) = attachment.named_by
                && !row.get(no).is_empty()
            {
                let named = row.get(no);
                match attachments
                    .iter()
                    .position(|a| a.name == named && a.parent == kind)
                {
                    Some(i) => used_attachments[i] = true,
                    None => {
                        return Err(field_error(
                            file,
                            row,
                            no,
                            format!("{named} is not in the send unit"),
                        ));
                    }
                }
            }
        }
    }
    for file in &children {
        let kind = file.layout.kind.as_str();
        let present = |parent: &str| roots.iter().any(|r| r.layout.kind == parent);
        let candidates: Vec<&ChildLink> = structure
            .links
            .iter()
            .filter(|l| l.child == kind && present(&l.parent))
            .collect();
        let link = match candidates.as_slice() {
            [] => None,
            [one] => Some(*one),
            several => {
                // A 補足 in a unit with both a plan and a month: its month part says which.
                let plan_month = file.month.as_deref() == Some("000000");
                several
                    .iter()
                    .find(|l| (l.hosoku_month.as_deref() == Some("000000")) == plan_month)
                    .copied()
            }
        };
        let Some(link) = link else {
            return Err(ImportError::Unit {
                file: file.name.clone(),
                reason: "no parent file in its send unit".into(),
            });
        };
        // The unit's parents by the link's parent fields.
        let mut parents: HashMap<Vec<String>, usize> = HashMap::new();
        for (i, d) in docs
            .iter()
            .enumerate()
            .filter(|(_, d)| d.root == link.parent)
        {
            let key = link
                .parent_fields
                .iter()
                .map(|no| d.value(*no).to_owned())
                .collect();
            parents.entry(key).or_insert(i);
        }
        for row in &file.rows {
            let key: Vec<String> = link
                .fields
                .iter()
                .map(|no| row.get(*no).to_owned())
                .collect();
            let parent = parents.get(&key).and_then(|&i| docs.get_mut(i));
            let Some(parent) = parent else {
                return Err(ImportError::Unit {
                    file: file.name.clone(),
                    reason: format!(
                        "record {} (line {}) has no {} record with field No.{:?} = {:?} in its send unit",
                        row.record, row.line, link.parent, link.parent_fields, key
                    ),
                });
            };
            parent
                .records
                .entry(kind.to_owned())
                .or_default()
                .push(row.values.clone());
        }
    }
    if let Some(i) = used_attachments.iter().position(|u| !u) {
        return Err(ImportError::Unit {
            file: attachments[i].name.clone(),
            reason: "no record of its send unit names this file".into(),
        });
    }
    // Deletions and documents in root order.
    let mut steps = Vec::new();
    let mut deletions = steps_before.into_iter().peekable();
    for (i, doc) in docs.into_iter().enumerate() {
        while let Some((_, step)) = deletions.next_if(|(at, _)| *at <= i) {
            steps.push(step);
        }
        steps.push(Step::Put(doc));
    }
    steps.extend(deletions.map(|(_, s)| s));
    Ok(steps)
}
