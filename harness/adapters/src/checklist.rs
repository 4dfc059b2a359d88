//! What the manual adapter puts in front of the operator, as a care office sees the data: the
//! standard's forms (帳票, `cpcert_forms`) and, for an import, a self-contained checklist page
//! (`checklist.html`: one file, inline JS, opened from disk) whose saved answer (`answer.json`)
//! becomes the import answer.
//!
//! The checklist's items are the fields of the input files' records (deletion kinds aside), in
//! the standard's terms: file kind, the record's place among that kind's records, field No. The
//! operator marks each item kept / not kept / different (with the value seen);
//! [`held_from_checklist`] turns that into held records and not-kept fields — the one place
//! that conversion happens.

use crate::error::IoContext;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use cpcert_forms::{FileSet, Source, ViewOptions, read_sources, render, write_rendered};
use cpcert_scenario::Scenario;
use cpcert_scenario::reference::{self, ExportOptions};
use cpcert_spec::{HeldRecord, HeldRecords, NotKept, Role, Spec};
use serde::{Deserialize, Serialize};

use crate::{AdapterError, ImportAnswer};

/// The folder (inside a request folder) holding the forms.
pub const FORMS: &str = "forms";
/// The checklist page of an import request.
pub const CHECKLIST: &str = "checklist.html";
/// The checklist's items as JSON (the same data the page embeds).
pub const CHECKLIST_DATA: &str = "checklist.json";
/// The operator's saved checklist answer.
pub const ANSWER: &str = "answer.json";
/// The `format` of [`ChecklistAnswer`] and [`Checklist`].
pub const FORMAT: &str = "cpcert-checklist-1";

/// One field to check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    /// File kind (`UPPLAN`).
    pub kind: String,
    /// 0-based place of the record among the kind's records (input files in name order).
    pub record: usize,
    /// Field No.
    pub field: u32,
    /// Field name from the layout.
    pub name: String,
    /// The value sent.
    pub expected: String,
}

/// One record's items, with where it is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Group {
    /// File kind.
    pub kind: String,
    /// Layout title (第6表（サービス利用票）予定, …).
    pub title: String,
    /// 0-based place among the kind's records.
    pub record: usize,
    /// The file and its 1-based record number.
    pub source: String,
    /// The forms page showing it (`forms/p01-month-202504.html`), when there is one.
    pub page: String,
    /// Every field of the record (empty ones too: a product must not invent values).
    pub items: Vec<Item>,
}

/// The whole checklist of an import request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checklist {
    /// [`FORMAT`].
    pub format: String,
    /// The request folder's name.
    pub request: String,
    /// The records to check.
    pub groups: Vec<Group>,
}

/// How the operator found an item on the product's screens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mark {
    /// Shown as sent.
    Kept,
    /// The product has no place for it.
    NotKept,
    /// Shown with another value (given in `seen`).
    Different,
}

/// One marked item of the answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerItem {
    /// File kind.
    pub kind: String,
    /// 0-based place of the record among the kind's records.
    pub record: usize,
    /// Field No.
    pub field: u32,
    /// The operator's mark.
    pub status: Mark,
    /// The value seen (for [`Mark::Different`]).
    #[serde(default)]
    pub seen: String,
}

/// What `checklist.html` saves (`answer.json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecklistAnswer {
    /// [`FORMAT`].
    pub format: String,
    /// The request folder's name (checked against the request).
    #[serde(default)]
    pub request: String,
    /// Every item, marked.
    pub items: Vec<AnswerItem>,
}

/// Held records in the standard's terms: kind → records → field No. → value (the shape of
/// [`HeldRecords`]).
pub type Held = BTreeMap<String, Vec<BTreeMap<u32, String>>>;
/// Fields not kept: kind → field Nos.
pub type NotKeptFields = BTreeMap<String, BTreeSet<u32>>;

/// Turns the operator's marks into what the product holds and what it does not keep.
///
/// Every item of the checklist must be marked exactly once; a kept field holds the value sent,
/// a different one the value seen, a field not kept is absent from the records and listed (per
/// kind) as not kept.
///
/// # Errors
/// A message naming the unmarked, unknown or repeated items, or the wrong request.
pub fn held_from_checklist(
    checklist: &Checklist,
    answer: &ChecklistAnswer,
) -> Result<(Held, NotKeptFields), String> {
    if answer.format != FORMAT {
        return Err(format!("format {:?}, expected {FORMAT:?}", answer.format));
    }
    if !answer.request.is_empty() && answer.request != checklist.request {
        return Err(format!(
            "the answer is for request {:?}, this is {:?}",
            answer.request, checklist.request
        ));
    }
    let mut marks: BTreeMap<(&str, usize, u32), &AnswerItem> = BTreeMap::new();
    for item in &answer.items {
        if marks
            .insert((&item.kind, item.record, item.field), item)
            .is_some()
        {
            return Err(format!(
                "{} record {} No.{} is marked twice",
                item.kind,
                item.record + 1,
                item.field
            ));
        }
    }
    let mut held = Held::new();
    let mut not_kept = NotKeptFields::new();
    let mut unmarked = Vec::new();
    for group in &checklist.groups {
        let mut record = BTreeMap::new();
        for item in &group.items {
            match marks.remove(&(group.kind.as_str(), group.record, item.field)) {
                None => unmarked.push(format!(
                    "{} {} No.{}",
                    group.kind,
                    group.record + 1,
                    item.field
                )),
                Some(a) => match a.status {
                    Mark::Kept => {
                        record.insert(item.field, item.expected.clone());
                    }
                    Mark::Different => {
                        record.insert(item.field, a.seen.clone());
                    }
                    Mark::NotKept => {
                        not_kept
                            .entry(group.kind.clone())
                            .or_default()
                            .insert(item.field);
                    }
                },
            }
        }
        record.retain(|_, v: &mut String| !v.is_empty());
        let records = held.entry(group.kind.clone()).or_default();
        if records.len() <= group.record {
            records.resize(group.record + 1, BTreeMap::new());
        }
        records[group.record] = record;
    }
    if !unmarked.is_empty() {
        return Err(format!(
            "{} items are not marked (first: {})",
            unmarked.len(),
            unmarked[0]
        ));
    }
    if let Some((k, _)) = marks.into_iter().next() {
        return Err(format!(
            "{} record {} No.{} is not in the checklist",
            k.0,
            k.1 + 1,
            k.2
        ));
    }
    Ok((held, not_kept))
}

/// The import answer from a saved checklist answer (`answer.json`'s text) and the request's
/// `checklist.json` in `dir`.
///
/// # Errors
/// Either file cannot be read or parsed, or [`held_from_checklist`] refuses the marks.
pub fn import_answer(dir: &Path, text: &str) -> Result<ImportAnswer, String> {
    let data = fs::read_to_string(dir.join(CHECKLIST_DATA))
        .map_err(|e| format!("{CHECKLIST_DATA}: {e}"))?;
    let list: Checklist =
        serde_json::from_str(&data).map_err(|e| format!("{CHECKLIST_DATA}: {e}"))?;
    let answer: ChecklistAnswer = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let (held, not_kept) = held_from_checklist(&list, &answer)?;
    Ok(ImportAnswer {
        held: HeldRecords(
            held.into_iter()
                .map(|(kind, records)| (kind, records.into_iter().map(HeldRecord).collect()))
                .collect(),
        ),
        not_kept: NotKept(
            not_kept
                .into_iter()
                .map(|(kind, fields)| (kind, fields.into_iter().collect()))
                .collect(),
        ),
    })
}

fn sources(files: &[(String, Vec<u8>)]) -> Vec<Source> {
    files
        .iter()
        .map(|(name, bytes)| Source {
            name: name.clone(),
            bytes: bytes.clone(),
        })
        .collect()
}

fn write_forms(dir: &Path, set: &FileSet) -> Result<cpcert_forms::Rendered, AdapterError> {
    let rendered = render(set, Spec::embedded(), &ViewOptions::default());
    let out = dir.join(FORMS);
    write_rendered(&rendered, &out).map_err(|e| AdapterError::io(IoContext::Write, &out, e))?;
    Ok(rendered)
}

/// Writes the forms of what the operator is to enter: the reference product's export of the
/// scenario for `role`, rendered (the files themselves are not given). Returns the number of
/// pages, or why there are none (the scenario cannot be written as files).
///
/// # Errors
/// The forms cannot be written.
pub fn export_forms(
    dir: &Path,
    scenario: &Scenario,
    role: Role,
    timestamp: &str,
) -> Result<Result<usize, String>, AdapterError> {
    let files = match reference::export(scenario, role, &ExportOptions::with_timestamp(timestamp)) {
        Ok(files) => files,
        Err(e) => return Ok(Err(e.to_string())),
    };
    let files: Vec<(String, Vec<u8>)> = files.into_iter().map(|f| (f.name, f.bytes)).collect();
    let set = read_sources(&sources(&files), Spec::embedded());
    Ok(Ok(write_forms(dir, &set)?.pages.len()))
}

/// The checklist of input files (name, bytes), in name order; `request` names the folder.
pub fn checklist(
    request: &str,
    files: &[(String, Vec<u8>)],
    pages: &[(String, String)],
) -> Checklist {
    let spec = Spec::embedded();
    let set = read_sources(&sources(files), spec);
    let mut order: Vec<usize> = (0..set.files.len()).collect();
    order.sort_by(|&a, &b| set.files[a].name.cmp(&set.files[b].name));
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut groups = Vec::new();
    let version = cpcert_checks::ValidateOptions::default().layout_version;
    for fi in order {
        let file = &set.files[fi];
        let Some(kind) = file.kind.clone() else {
            continue;
        };
        if kind.starts_with("DLT") {
            continue;
        }
        let Some(layout) = spec.layout(&version, &kind) else {
            continue;
        };
        for rec in &file.records {
            let n = counts.entry(kind.clone()).or_default();
            let record = *n;
            *n += 1;
            let page = pages
                .iter()
                .find(|(f, _)| f == &format!("{}:{}", file.name, rec.number))
                .map(|(_, p)| format!("{FORMS}/{p}"))
                .unwrap_or_default();
            groups.push(Group {
                kind: kind.clone(),
                title: layout.title_ja.clone(),
                record,
                source: format!("{} {}件目", file.name, rec.number),
                page,
                items: layout
                    .fields
                    .iter()
                    .map(|f| Item {
                        kind: kind.clone(),
                        record,
                        field: f.no,
                        name: f.name.clone(),
                        expected: rec.get(f.no).to_owned(),
                    })
                    .collect(),
            });
        }
    }
    Checklist {
        format: FORMAT.into(),
        request: request.into(),
        groups,
    }
}

/// Writes the forms of the input files, `checklist.json` and `checklist.html` into `dir`.
///
/// # Errors
/// An input cannot be read or an output cannot be written.
pub fn write_import_checklist(dir: &Path, files: &[PathBuf]) -> Result<Checklist, AdapterError> {
    let mut inputs = Vec::with_capacity(files.len());
    for path in files {
        let bytes = fs::read(path).map_err(|e| AdapterError::io(IoContext::Read, path, e))?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        inputs.push((name, bytes));
    }
    let set = read_sources(&sources(&inputs), Spec::embedded());
    let rendered = write_forms(dir, &set)?;
    // Which page shows which record: the page's HTML names its source files, and every record of
    // a kind with a form is on the person's page for its date or month.
    let mut pages = Vec::new();
    for file in &set.files {
        for rec in &file.records {
            let person = (rec.get(2), rec.get(3));
            let _ = person.0;
            let page = rendered.pages.iter().find(|p| {
                p.html.contains(&file.name)
                    && p.html.contains(person.1)
                    && page_matches(p, file.kind.as_deref().unwrap_or(""), rec)
            });
            if let Some(p) = page {
                pages.push((format!("{}:{}", file.name, rec.number), p.file.clone()));
            }
        }
    }
    let request = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let list = checklist(&request, &inputs, &pages);
    let json = serde_json::to_string_pretty(&list)
        .map_err(|e| AdapterError::io(IoContext::Write, dir.join(CHECKLIST_DATA), e.into()))?;
    write(&dir.join(CHECKLIST_DATA), &json)?;
    write(&dir.join(CHECKLIST), &page_html(&json))?;
    Ok(list)
}

/// Whether a rendered page is the one for this record's date or month.
fn page_matches(page: &cpcert_forms::Page, kind: &str, rec: &cpcert_forms::Rec) -> bool {
    let date_no = match kind {
        "UP1KYO" => 14,
        "UP2KYO" | "UP3KYO" | "UPPLAN" | "UPJSK" | "UPSIKYU" => 5,
        "UPKIHON" | "UPKIHON_SUB1" | "UPKIHON_SUB2" | "UPYOBO" | "UPYOBO_SUB" => 4,
        "UPHOSOKU" => match rec.get(63) {
            "" | "000000" => 4,
            _ => 63,
        },
        _ => return true,
    };
    let key: String = rec
        .get(date_no)
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(16)
        .collect();
    page.file.contains(&format!("-{key}.html"))
}

fn write(path: &Path, text: &str) -> Result<(), AdapterError> {
    fs::write(path, text).map_err(|e| AdapterError::io(IoContext::Write, path, e))
}

/// The checklist page: the data inline (as JSON in a `<script type="application/json">`, with
/// `<` escaped so no value can end the element), the marks kept in the page, saved as a download.
fn page_html(json: &str) -> String {
    let data = json
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026");
    CHECKLIST_TEMPLATE.replace("/*DATA*/", &data)
}

/// `checklist.html`. The answer is built by `buildAnswer` (between the ANSWER markers, so that
/// a test can run it alone in node).
pub const CHECKLIST_TEMPLATE: &str = include_str!("checklist.html");

#[cfg(test)]
mod tests {
    use super::*;

    fn list() -> Checklist {
        let item = |field: u32, expected: &str| Item {
            kind: "UPPLAN".into(),
            record: 0,
            field,
            name: format!("No.{field}"),
            expected: expected.into(),
        };
        Checklist {
            format: FORMAT.into(),
            request: "0001-import-provider".into(),
            groups: vec![Group {
                kind: "UPPLAN".into(),
                title: "第6表".into(),
                record: 0,
                source: "UPPLAN_X.CSV 1件目".into(),
                page: String::new(),
                items: vec![
                    item(1, "202407"),
                    item(7, "計画 花子"),
                    item(9, ""),
                    item(21, "架空"),
                ],
            }],
        }
    }

    fn mark(field: u32, status: Mark, seen: &str) -> AnswerItem {
        AnswerItem {
            kind: "UPPLAN".into(),
            record: 0,
            field,
            status,
            seen: seen.into(),
        }
    }

    #[test]
    fn kept_different_and_not_kept_become_held_records() {
        let answer = ChecklistAnswer {
            format: FORMAT.into(),
            request: "0001-import-provider".into(),
            items: vec![
                mark(1, Mark::Kept, ""),
                mark(7, Mark::Different, "計画 華子"),
                mark(9, Mark::Kept, ""),
                mark(21, Mark::NotKept, ""),
            ],
        };
        let (held, not_kept) = held_from_checklist(&list(), &answer).unwrap();
        let rec = &held["UPPLAN"][0];
        assert_eq!(rec.get(&1).map(String::as_str), Some("202407"));
        assert_eq!(rec.get(&7).map(String::as_str), Some("計画 華子"));
        assert_eq!(rec.get(&9), None, "an empty field is absent");
        assert_eq!(rec.get(&21), None, "a field not kept is absent");
        assert_eq!(not_kept["UPPLAN"], BTreeSet::from([21]));
    }

    #[test]
    fn incomplete_repeated_or_foreign_answers_are_refused() {
        let base = ChecklistAnswer {
            format: FORMAT.into(),
            request: String::new(),
            items: vec![
                mark(1, Mark::Kept, ""),
                mark(7, Mark::Kept, ""),
                mark(9, Mark::Kept, ""),
            ],
        };
        let err = held_from_checklist(&list(), &base).unwrap_err();
        assert!(
            err.contains("1 items are not marked") && err.contains("No.21"),
            "{err}"
        );
        let mut twice = base.clone();
        twice.items.push(mark(9, Mark::Kept, ""));
        assert!(
            held_from_checklist(&list(), &twice)
                .unwrap_err()
                .contains("twice")
        );
        let mut other = base.clone();
        other.items.push(mark(21, Mark::Kept, ""));
        other.request = "0002-import-provider".into();
        assert!(
            held_from_checklist(&list(), &other)
                .unwrap_err()
                .contains("request")
        );
        let mut unknown = base;
        unknown.items.push(mark(21, Mark::Kept, ""));
        unknown.items.push(mark(22, Mark::Kept, ""));
        assert!(
            held_from_checklist(&list(), &unknown)
                .unwrap_err()
                .contains("not in the checklist")
        );
    }
}
