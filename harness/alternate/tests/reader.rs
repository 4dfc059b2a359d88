//! The alternate reader on its own: what it keeps, replaces and deletes, and a clear error
//! (file, record, line, field No. and name) for every input it cannot understand.

use cpcert_alternate::{File, ImportError, import};

mod common;
use common::golden;

fn named<'a>(files: &'a mut [File], prefix: &str) -> &'a mut File {
    files
        .iter_mut()
        .find(|f| f.name.starts_with(prefix))
        .unwrap_or_else(|| panic!("no {prefix} file"))
}

/// Replaces the first occurrence of an ASCII pattern (never part of a double-byte character:
/// MS932 trail bytes are 0x40 and up, digits and commas below).
fn replace_once(bytes: &mut Vec<u8>, from: &[u8], to: &[u8]) {
    let at = bytes
        .windows(from.len())
        .position(|w| w == from)
        .unwrap_or_else(|| panic!("no {:?}", String::from_utf8_lossy(from)));
    bytes.splice(at..at + from.len(), to.iter().copied());
}

const MINIMAL: &str = "provider/minimal-from-planner";

#[test]
fn keeps_every_record_of_every_kind() {
    let held = import(&golden(MINIMAL)).unwrap();
    let kinds: Vec<&str> = held.kinds().collect();
    assert_eq!(
        kinds,
        [
            "UP1KYO", "UP2KYO", "UP3KYO", "UPHOSOKU", "UPPLAN", "UPSIKYU"
        ]
    );
    assert_eq!(
        held.records("UPHOSOKU").len(),
        2,
        "the plan's and the month's"
    );
}

#[test]
fn a_deletion_removes_its_root_with_every_linked_record() {
    // 実績 then 実績_削除 of the same office and kind: nothing left.
    let held = import(&golden("planner/deletions-from-provider")).unwrap();
    assert!(held.records("UPJSK").is_empty(), "{held:?}");
    // Without the deletion the 実績 stays.
    let files: Vec<File> = golden("planner/deletions-from-provider")
        .into_iter()
        .filter(|f| !f.name.starts_with("DLT"))
        .collect();
    assert!(!import(&files).unwrap().records("UPJSK").is_empty());
    // A DLTJSK naming another office deletes nothing.
    let mut files = golden("planner/deletions-from-provider");
    let dlt = named(&mut files, "DLTJSK");
    replace_once(&mut dlt.bytes, b",1399100101,", b",1399100199,");
    assert!(!import(&files).unwrap().records("UPJSK").is_empty());
    // 利用者基本情報_削除 / 支援計画書_削除 / 予定_削除 remove their documents with their 別表.
    let held = import(&golden(
        "prevention-planner/prevention-plans-from-prevention-planner",
    ))
    .unwrap();
    assert_eq!(held.records("UPKIHON").len(), 1, "one of two deleted");
    assert_eq!(held.records("UPYOBO").len(), 1, "one of two deleted");
    for r in held.records("UPKIHON_SUB1") {
        assert_eq!(r.get(4), held.records("UPKIHON")[0].get(4));
    }
}

#[test]
fn a_later_unit_replaces_the_document_under_the_same_key() {
    let files = golden(MINIMAL);
    let before = import(&files).unwrap();
    // The same plan sent again later with another 1表 text: one plan, the later text.
    let mut again = files.clone();
    for f in files.iter().filter(|f| f.name.contains("20250320100000")) {
        let mut g = f.clone();
        g.name = g.name.replace("20250320100000", "20250321100000");
        if g.name.starts_with("UP3KYO") {
            continue; // the resend has no 3表: the old 3表 rows go with the old plan
        }
        again.push(g);
    }
    let after = import(&again).unwrap();
    assert_eq!(
        after.records("UP1KYO").len(),
        before.records("UP1KYO").len()
    );
    assert!(
        after.records("UP3KYO").is_empty(),
        "{:?}",
        after.records("UP3KYO")
    );
}

fn error(files: &[File]) -> String {
    let e: ImportError = import(files).unwrap_err();
    e.to_string()
}

#[test]
fn bad_inputs_are_clear_errors() {
    // A name that follows no layout's rule.
    let mut files = golden(MINIMAL);
    named(&mut files, "UP1KYO").name =
        "UP1KYO_139910000_43_1399100101_11_20250320100000.CSV".into();
    assert!(error(&files).contains("bad file name: an office number is not 10 digits"));
    // A record with a field too few.
    let mut files = golden(MINIMAL);
    let f = named(&mut files, "UP3KYO");
    let end = f.bytes.iter().position(|b| *b == b'\r').unwrap();
    let comma = f.bytes[..end].iter().rposition(|b| *b == b',').unwrap();
    f.bytes.drain(comma..end);
    let text = error(&files);
    assert!(
        text.contains("record 1 (line 1)") && text.contains("the UP3KYO layout has"),
        "{text}"
    );
    // A BOM.
    let mut files = golden(MINIMAL);
    named(&mut files, "UP2KYO")
        .bytes
        .splice(0..0, [0xEF, 0xBB, 0xBF]);
    assert!(error(&files).contains("byte order mark"));
    // A month file whose record names another month.
    let mut files = golden(MINIMAL);
    let f = named(&mut files, "UPSIKYU");
    replace_once(&mut f.bytes, b",202504,", b",202505,");
    let text = error(&files);
    assert!(
        text.contains("field No.5 (対象年月)") && text.contains("202504"),
        "{text}"
    );
    // A child without its parent file, and a child record without its parent record.
    let files: Vec<File> = golden(MINIMAL)
        .into_iter()
        .filter(|f| !f.name.starts_with("UP1KYO"))
        .collect();
    assert!(error(&files).contains("no parent file in its send unit"));
    let mut files = golden(MINIMAL);
    let f = named(&mut files, "UP2KYO");
    replace_once(&mut f.bytes, b",0000000001,", b",0000000009,");
    let text = error(&files);
    assert!(text.contains("has no UP1KYO record"), "{text}");
    // A picture no record names; a record naming a picture that is not there.
    let case = "prevention-planner/prevention-plans-from-prevention-planner";
    let mut files = golden(case);
    let mut extra = named(&mut files, "UPKIHON_IMAGE").clone();
    extra.name = extra.name.replace("_0001.jpg", "_0002.jpg");
    files.push(extra);
    assert!(error(&files).contains("no record of its send unit names this file"));
    let files: Vec<File> = golden(case)
        .into_iter()
        .filter(|f| !f.name.starts_with("UPKIHON_IMAGE"))
        .collect();
    let text = error(&files);
    assert!(
        text.contains("field No.62 (家族構成 画像ファイル名)")
            && text.contains("is not in the send unit"),
        "{text}"
    );
}

/// What it declares not kept: the layouts' unused fields (※使用しない), answered empty, none of
/// them a field a receiver must keep.
#[test]
fn declares_the_unused_fields_not_kept() {
    let spec = cpcert_spec::Spec::embedded();
    let declared = cpcert_alternate::not_kept();
    assert_eq!(declared.fields("UPPLAN"), [25]);
    assert!(declared.fields("UP2KYO").len() == 1 && declared.fields("UPKIHON").is_empty());
    for (kind, fields) in &declared.0 {
        for no in fields {
            assert!(
                spec.must_keep_field("202407", kind, *no).is_none(),
                "{kind} {no}"
            );
        }
    }
    let held = import(&golden(MINIMAL)).unwrap();
    for r in held.records("UPPLAN") {
        assert_eq!(r.get(25), "");
    }
}
