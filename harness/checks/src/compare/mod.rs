//! Comparison of what a product wrote with what is expected, as the standard sees it: decoded
//! values, field by field, under the kind's comparison policy (spec data, `compare:` in the
//! layout YAML, [`cpcert_spec::ComparePolicy`]).
//!
//! - **Volatile** fields (the product's own values, such as 作成年月日) are never compared; the
//!   validator's rules still check them.
//! - Records of a **keyed** kind are matched by the policy's record key, whatever their order;
//!   records of a **fixed** kind by position.
//! - Values the standard lets a product write on the **first line of a group only** (2表 課題 and
//!   目標) are filled down before comparing, so both writings compare equal.
//! - A field naming an attachment (the layout's `attachments[].named_by`, UPKIHON No.62) is
//!   compared with its 連番 masked, as file names are paired.
//! - Byte form (quoting, `""` or nothing for empty text, the two MS932 codes of 髙, line endings)
//!   never reaches this module: values are decoded first, and the validator judges the bytes.
//!
//! [`compare_records`] is the one entry point for decoded records (export files and held records
//! of an import answer alike); [`compare_bytes`] decodes two files first. Files are paired by
//! [`files::pair_files`].

pub mod files;
mod freedoms;

pub use freedoms::freedoms_markdown;

use std::cmp::Ordering;
use std::collections::{BTreeMap, VecDeque};

use cpcert_csv::{Ms932Reader, Record};
use cpcert_spec::{ComparePolicy, Layout, RecordOrder};
use serde::{Deserialize, Serialize};

use crate::Lang;

/// What kind of difference a [`FieldDifference`] is.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum DiffKind {
    /// A field's value differs (`field` names it).
    #[default]
    Value,
    /// An expected record has no counterpart (`expected` = its key).
    MissingRecord,
    /// A record the product wrote has no expected counterpart (`actual` = its key).
    UnexpectedRecord,
    /// A record has another number of fields than expected.
    FieldCount,
    /// An expected file has no counterpart.
    MissingFile,
    /// A file the product wrote has no expected counterpart.
    UnexpectedFile,
    /// The files were paired by kind, unit and key, but their names differ (`expected`/`actual`
    /// = the names); the contents are still compared.
    FileName,
    /// A non-CSV file (the family picture) has other bytes.
    FileBytes,
}

impl DiffKind {
    /// Whether this is a plain value difference (omitted from JSON).
    pub fn is_value(&self) -> bool {
        *self == DiffKind::Value
    }

    /// A short label in the language asked for.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (DiffKind::Value, Lang::Ja) => "値の相違",
            (DiffKind::Value, Lang::En) => "value differs",
            (DiffKind::MissingRecord, Lang::Ja) => "レコードがありません",
            (DiffKind::MissingRecord, Lang::En) => "record missing",
            (DiffKind::UnexpectedRecord, Lang::Ja) => "期待されないレコード",
            (DiffKind::UnexpectedRecord, Lang::En) => "unexpected record",
            (DiffKind::FieldCount, Lang::Ja) => "項目数の相違",
            (DiffKind::FieldCount, Lang::En) => "field count differs",
            (DiffKind::MissingFile, Lang::Ja) => "ファイルがありません",
            (DiffKind::MissingFile, Lang::En) => "file missing",
            (DiffKind::UnexpectedFile, Lang::Ja) => "期待されないファイル",
            (DiffKind::UnexpectedFile, Lang::En) => "unexpected file",
            (DiffKind::FileName, Lang::Ja) => "ファイル名の相違",
            (DiffKind::FileName, Lang::En) => "file name differs",
            (DiffKind::FileBytes, Lang::Ja) => "ファイル内容の相違",
            (DiffKind::FileBytes, Lang::En) => "file content differs",
        }
    }
}

/// One difference between an expected (golden or original) file and an actual one.
/// This is also the `diffs` entry of results.json (`cpcert_report::FieldDiff`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct FieldDifference {
    /// File name the difference is in.
    pub file: String,
    /// 1-based data record: the product's record for value differences and unexpected
    /// records, the expected record for missing ones.
    pub record: Option<u64>,
    /// Field No. (1-based, as in the layout).
    pub field: Option<u32>,
    /// Field name as in the layout (Japanese).
    pub field_name: Option<String>,
    /// The golden (or original) value, decoded; for a missing record its key.
    pub expected: String,
    /// The value the product wrote, decoded; for an unexpected record its key.
    pub actual: String,
    /// Personal data: masked (both values) in published output.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub sensitive: bool,
    /// What kind of difference this is.
    #[serde(default, skip_serializing_if = "DiffKind::is_value")]
    pub kind: DiffKind,
}

impl FieldDifference {
    /// A difference about a whole file (no record, no field).
    pub fn file(kind: DiffKind, file: &str, expected: &str, actual: &str) -> Self {
        FieldDifference {
            file: file.to_owned(),
            record: None,
            field: None,
            field_name: None,
            expected: expected.to_owned(),
            actual: actual.to_owned(),
            sensitive: false,
            kind,
        }
    }

    /// The same difference, placed in the file `name`.
    pub fn in_file(mut self, name: &str) -> Self {
        name.clone_into(&mut self.file);
        self
    }
}

/// The data records of an MS932 CSV file, decoded. Unreadable bytes decode lossily: the
/// validator reports them; the comparison sees what a reader would.
pub fn decode_records(bytes: &[u8]) -> Vec<Vec<String>> {
    let mut reader = Ms932Reader::new(bytes);
    let mut rec = Record::default();
    let mut issues = Vec::new();
    let mut out = Vec::new();
    while reader.read_record(&mut rec, &mut issues).unwrap_or(false) {
        out.push(rec.iter().map(|f| f.text.to_owned()).collect());
        issues.clear();
    }
    out
}

/// Compares two files of the kind `layout` by decoded value ([`compare_records`]); every
/// difference names `file`.
pub fn compare_bytes(
    file: &str,
    layout: &Layout,
    expected: &[u8],
    actual: &[u8],
) -> Vec<FieldDifference> {
    compare_records(
        layout,
        &layout.compare,
        &decode_records(expected),
        &decode_records(actual),
    )
    .into_iter()
    .map(|d| d.in_file(file))
    .collect()
}

/// Compares decoded records of one file kind under `policy` (normally `&layout.compare`).
///
/// - Keyed kinds: records are matched on `policy.record_key` (equal keys pair in the order
///   they occur), whatever their order; fixed kinds: by position.
/// - An expected record without a match → one [`DiffKind::MissingRecord`] (its key in
///   `expected`); an actual one without a match → one [`DiffKind::UnexpectedRecord`].
/// - Matched records: one [`DiffKind::Value`] difference per differing field, naming the
///   product's record number, the field No. and name; `policy.volatile` fields are skipped;
///   `policy.first_line_only` values are filled down within their group first (both writings
///   of 2表 compare equal). A record with another field count → one [`DiffKind::FieldCount`].
/// - `file` of every difference is the layout's kind; callers name the file with
///   [`FieldDifference::in_file`].
///
/// Records are compared as given: decode them first ([`decode_records`]). This signature is
/// stable (the import answers' held records are compared with it too).
pub fn compare_records(
    layout: &Layout,
    policy: &ComparePolicy,
    expected: &[Vec<String>],
    actual: &[Vec<String>],
) -> Vec<FieldDifference> {
    let expected = fill_down(policy, expected);
    let actual = fill_down(policy, actual);
    let pairs = match policy.order {
        RecordOrder::Fixed => pair_by_position(expected.len(), actual.len()),
        RecordOrder::Keyed => pair_by_key(&policy.record_key, &expected, &actual),
    };
    let mut out = Vec::new();
    for pair in pairs {
        match pair {
            (Some(e), Some(a)) => {
                compare_pair(layout, policy, a, &expected[e], &actual[a], &mut out);
            }
            (Some(e), None) => out.push(record_diff(
                layout,
                policy,
                DiffKind::MissingRecord,
                e,
                key_text(layout, policy, &expected[e]),
                String::new(),
            )),
            (None, Some(a)) => out.push(record_diff(
                layout,
                policy,
                DiffKind::UnexpectedRecord,
                a,
                String::new(),
                key_text(layout, policy, &actual[a]),
            )),
            (None, None) => {}
        }
    }
    out
}

fn compare_pair(
    layout: &Layout,
    policy: &ComparePolicy,
    index: usize,
    e: &[String],
    a: &[String],
    out: &mut Vec<FieldDifference>,
) {
    let record = Some(index as u64 + 1);
    if e.len() != a.len() {
        out.push(FieldDifference {
            file: layout.kind.clone(),
            record,
            field: None,
            field_name: None,
            expected: e.len().to_string(),
            actual: a.len().to_string(),
            sensitive: false,
            kind: DiffKind::FieldCount,
        });
        return;
    }
    for (j, (ev, av)) in e.iter().zip(a).enumerate() {
        let no = j as u32 + 1;
        if ev == av || policy.volatile.contains(&no) {
            continue;
        }
        // A field naming an attachment (UPKIHON No.62 names the family picture) carries the
        // file's 連番, which is the product's own: compared as the file names are paired.
        let names_a_file = layout.attachments.iter().any(|x| x.named_by == Some(no));
        if names_a_file && files::name_key(ev) == files::name_key(av) {
            continue;
        }
        let field = layout.field(no);
        out.push(FieldDifference {
            file: layout.kind.clone(),
            record,
            field: Some(no),
            field_name: field.map(|f| f.name.clone()),
            expected: ev.clone(),
            actual: av.clone(),
            sensitive: field.is_some_and(|f| f.sensitive),
            kind: DiffKind::Value,
        });
    }
}

fn record_diff(
    layout: &Layout,
    policy: &ComparePolicy,
    kind: DiffKind,
    index: usize,
    expected: String,
    actual: String,
) -> FieldDifference {
    let sensitive = policy
        .record_key
        .iter()
        .any(|no| layout.field(*no).is_some_and(|f| f.sensitive))
        || policy.order == RecordOrder::Fixed;
    FieldDifference {
        file: layout.kind.clone(),
        record: Some(index as u64 + 1),
        field: None,
        field_name: None,
        expected,
        actual,
        sensitive,
        kind,
    }
}

/// A record's key as `name=value` pairs (fixed kinds: the whole record).
fn key_text(layout: &Layout, policy: &ComparePolicy, record: &[String]) -> String {
    if policy.order == RecordOrder::Fixed {
        return record.join(",");
    }
    policy
        .record_key
        .iter()
        .map(|no| {
            let name = layout.field(*no).map_or("?", |f| f.name.as_str());
            format!("{name}={}", value(record, *no))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn value(record: &[String], no: u32) -> &str {
    no.checked_sub(1)
        .and_then(|i| record.get(i as usize))
        .map_or("", String::as_str)
}

fn pair_by_position(expected: usize, actual: usize) -> Vec<(Option<usize>, Option<usize>)> {
    (0..expected.max(actual))
        .map(|i| ((i < expected).then_some(i), (i < actual).then_some(i)))
        .collect()
}

/// Pairs records with equal keys in the order they occur. The pairs come in expected order;
/// unmatched actual records follow in their own order.
fn pair_by_key(
    key: &[u32],
    expected: &[Vec<String>],
    actual: &[Vec<String>],
) -> Vec<(Option<usize>, Option<usize>)> {
    let key_of =
        |r: &[String]| -> Vec<String> { key.iter().map(|no| value(r, *no).to_owned()).collect() };
    let mut by_key: BTreeMap<Vec<String>, VecDeque<usize>> = BTreeMap::new();
    for (i, r) in actual.iter().enumerate() {
        by_key.entry(key_of(r)).or_default().push_back(i);
    }
    let mut used = vec![false; actual.len()];
    let mut out = Vec::with_capacity(expected.len());
    for (i, r) in expected.iter().enumerate() {
        let found = by_key.get_mut(&key_of(r)).and_then(VecDeque::pop_front);
        if let Some(j) = found {
            used[j] = true;
        }
        out.push((Some(i), found));
    }
    out.extend(
        used.iter()
            .enumerate()
            .filter(|(_, u)| !**u)
            .map(|(j, _)| (None, Some(j))),
    );
    out
}

/// Orders two values as the standard's numbers sort: numerically when both are integers,
/// as text otherwise.
fn numeric_order(a: &str, b: &str) -> Ordering {
    match (a.parse::<i64>(), b.parse::<i64>()) {
        (Ok(x), Ok(y)) => x.cmp(&y),
        _ => a.cmp(b),
    }
}

/// Fills first-line-only values down within their group: in the order the standard prints
/// (the record key, numerically; fixed kinds: file order), an empty value on a later line of a
/// group means the value of the group's first line.
pub(crate) fn fill_down(policy: &ComparePolicy, records: &[Vec<String>]) -> Vec<Vec<String>> {
    let mut out = records.to_vec();
    if policy.first_line_only.is_empty() {
        return out;
    }
    let mut order: Vec<usize> = (0..records.len()).collect();
    if policy.order == RecordOrder::Keyed {
        order.sort_by(|&x, &y| {
            policy
                .record_key
                .iter()
                .map(|no| numeric_order(value(&records[x], *no), value(&records[y], *no)))
                .find(|o| o.is_ne())
                .unwrap_or(Ordering::Equal)
        });
    }
    for rule in &policy.first_line_only {
        let mut first: BTreeMap<Vec<String>, usize> = BTreeMap::new();
        for &i in &order {
            let group: Vec<String> = rule
                .group
                .iter()
                .map(|no| value(&out[i], *no).to_owned())
                .collect();
            let Some(&head) = first.get(&group) else {
                first.insert(group, i);
                continue;
            };
            for no in &rule.fields {
                let Some(idx) = (*no as usize).checked_sub(1) else {
                    continue;
                };
                let fill = out[head].get(idx).cloned().unwrap_or_default();
                if let Some(slot) = out[i].get_mut(idx)
                    && slot.is_empty()
                {
                    *slot = fill;
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests;
