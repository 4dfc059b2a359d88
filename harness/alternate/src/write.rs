//! The product's writer: the scenario's records (the mapping shared with the reference,
//! [`cpcert_scenario::reference::records`]) serialised its own way.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use cpcert_scenario::Scenario;
use cpcert_scenario::reference::{self, FileRecords, UnitRecords};
use cpcert_spec::{CURRENT_LAYOUT_VERSION, FieldKind, Layout, RecordOrder, Role, Spec};

use crate::{ExportError, File, clock, encode};

/// What the writer needs besides the scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteOptions {
    /// The run's date-time (RFC 3339, injectable): 作成年月日 is its day, and the 連番 of the
    /// send units are this moment, one second apart, in the order the units are to be read.
    pub run_started: String,
    /// One 連番 requested for every file (empty: each exchange's own). The product numbers
    /// units itself; the request only says which exchanges share one send unit.
    pub timestamp: String,
}

/// Writes the files `role` sends for the scenario's exchanges, sorted by name.
///
/// # Errors
/// [`ExportError`] naming the file, record and field that cannot be written.
pub fn export(s: &Scenario, role: Role, opts: &WriteOptions) -> Result<Vec<File>, ExportError> {
    let spec = Spec::embedded();
    let now = clock::timestamp(&opts.run_started)?;
    let today = &now[..8];
    let start = clock::seconds(&now)
        .ok_or_else(|| ExportError::Clock(format!("{now} is not a date-time")))?;
    let units = reference::records(s, role, Some(opts.timestamp.as_str()))
        .map_err(|e| ExportError::Records(e.to_string()))?;
    // Units that share a requested 連番 share one of the product's own; the order is kept.
    let mut own: BTreeMap<&str, String> = BTreeMap::new();
    for u in &units {
        own.entry(u.sequence.as_str()).or_default();
    }
    for (i, v) in own.values_mut().enumerate() {
        *v = clock::format(start + i as i64);
    }
    let mut out: Vec<File> = Vec::new();
    for unit in &units {
        let sequence = &own[unit.sequence.as_str()];
        for file in unit_files(spec, unit, sequence, today)? {
            if out.iter().any(|f| f.name == file.name) {
                return Err(ExportError::Duplicate(file.name));
            }
            out.push(file);
        }
    }
    out.sort();
    Ok(out)
}

fn suffix(unit: &UnitRecords, sequence: &str) -> String {
    format!(
        "{}_{}_{}_{}_{sequence}",
        unit.from.office, unit.from.kind, unit.to.office, unit.to.kind
    )
}

fn unit_files(
    spec: &Spec,
    unit: &UnitRecords,
    sequence: &str,
    today: &str,
) -> Result<Vec<File>, ExportError> {
    let suffix = suffix(unit, sequence);
    let mut out = Vec::new();
    // Pictures: named after the unit's own parts; the UPKIHON record names the new name.
    let mut renamed: Vec<(&str, String)> = Vec::new();
    for p in &unit.pictures {
        let name = format!("UPKIHON_IMAGE_{suffix}_{}.jpg", p.branch);
        renamed.push((p.name.as_str(), name.clone()));
        out.push(File {
            name,
            bytes: p.bytes.clone(),
        });
    }
    for file in &unit.files {
        let prefix = file.kind.prefix();
        let layout = spec.layout(CURRENT_LAYOUT_VERSION, prefix).ok_or_else(|| {
            ExportError::Records(format!("no {prefix} layout for {CURRENT_LAYOUT_VERSION}"))
        })?;
        // An empty file is written only for a companion (別表), which travels with its parent.
        if file.records.is_empty() && layout.name.companion_of.is_none() {
            continue;
        }
        let name = match &file.month {
            Some(m) if layout.name.month_part => format!("{prefix}_{m}_{suffix}.CSV"),
            _ => format!("{prefix}_{suffix}.CSV"),
        };
        let records = arrange(layout, file, today, &renamed);
        out.push(File {
            bytes: serialise(&name, layout, &records)?,
            name,
        });
    }
    Ok(out)
}

/// The records as this product writes them: 作成年月日 its own, values the standard lets it
/// write on a group's first line only left out on the others, keyed kinds in its own order.
fn arrange(
    layout: &Layout,
    file: &FileRecords,
    today: &str,
    renamed: &[(&str, String)],
) -> Vec<Vec<String>> {
    let mut records = file.records.clone();
    let created: Vec<usize> = layout
        .compare
        .volatile
        .iter()
        .filter(|no| {
            layout
                .field(**no)
                .is_some_and(|f| f.kind == FieldKind::Date)
        })
        .filter_map(|no| (*no as usize).checked_sub(1))
        .collect();
    for rec in &mut records {
        for &i in &created {
            if let Some(v) = rec.get_mut(i) {
                today.clone_into(v);
            }
        }
        for v in rec.iter_mut() {
            if let Some((_, new)) = renamed.iter().find(|(old, _)| v == old) {
                new.clone_into(v);
            }
        }
    }
    let key = &layout.compare.record_key;
    let by_key = |a: &Vec<String>, b: &Vec<String>| {
        key.iter()
            .map(|no| numeric(value(a, *no), value(b, *no)))
            .find(|o| o.is_ne())
            .unwrap_or(Ordering::Equal)
    };
    // First line only: in the printed order (the record key), a value equal to its group's
    // first line's is left empty.
    if !layout.compare.first_line_only.is_empty() {
        let mut printed: Vec<usize> = (0..records.len()).collect();
        printed.sort_by(|&x, &y| by_key(&records[x], &records[y]));
        for rule in &layout.compare.first_line_only {
            let mut heads: BTreeMap<Vec<String>, usize> = BTreeMap::new();
            for &i in &printed {
                let group: Vec<String> = rule
                    .group
                    .iter()
                    .map(|no| value(&records[i], *no).to_owned())
                    .collect();
                let Some(&head) = heads.get(&group) else {
                    heads.insert(group, i);
                    continue;
                };
                for no in &rule.fields {
                    let Some(idx) = (*no as usize).checked_sub(1) else {
                        continue;
                    };
                    if records[head].get(idx) == records[i].get(idx)
                        && let Some(v) = records[i].get_mut(idx)
                    {
                        v.clear();
                    }
                }
            }
        }
    }
    if layout.compare.order == RecordOrder::Keyed {
        records.sort_by(|a, b| by_key(b, a));
    }
    records
}

fn value(rec: &[String], no: u32) -> &str {
    (no as usize)
        .checked_sub(1)
        .and_then(|i| rec.get(i))
        .map_or("", String::as_str)
}

/// Digits compare as numbers (課題ＮＯ 2 before 10), anything else as text.
fn numeric(a: &str, b: &str) -> Ordering {
    match (a.parse::<u64>(), b.parse::<u64>()) {
        (Ok(x), Ok(y))
            if a.bytes().all(|c| c.is_ascii_digit()) && b.bytes().all(|c| c.is_ascii_digit()) =>
        {
            x.cmp(&y).then_with(|| a.cmp(b))
        }
        _ => a.cmp(b),
    }
}

/// The CSV bytes: every non-empty field in double quotes (inner quotes doubled), every empty
/// field bare, CRLF after every record, MS932 by [`encode::encode`].
fn serialise(name: &str, layout: &Layout, records: &[Vec<String>]) -> Result<Vec<u8>, ExportError> {
    let mut out = Vec::new();
    for (r, rec) in records.iter().enumerate() {
        for (i, v) in rec.iter().enumerate() {
            let no = i as u32 + 1;
            let field = layout.field(no);
            let field_name = || field.map(|f| f.name.clone()).unwrap_or_default();
            if field.is_some_and(|f| f.kind != FieldKind::Text)
                && v.contains([',', '"', '\r', '\n'])
            {
                return Err(ExportError::NotText {
                    file: name.to_owned(),
                    record: r + 1,
                    field: no,
                    name: field_name(),
                    value: v.clone(),
                });
            }
            if i > 0 {
                out.push(b',');
            }
            if v.is_empty() {
                continue;
            }
            out.push(b'"');
            encode::encode(&v.replace('"', "\"\""), &mut out).map_err(|ch| {
                ExportError::Unencodable {
                    file: name.to_owned(),
                    record: r + 1,
                    field: no,
                    name: field_name(),
                    ch,
                }
            })?;
            out.push(b'"');
        }
        out.extend_from_slice(b"\r\n");
    }
    Ok(out)
}
