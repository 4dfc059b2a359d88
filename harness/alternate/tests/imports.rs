//! The alternate reader against the reference's expected answer on every import case of the
//! suite (golden inputs): what `certify` asks of it, without the harness around it.

use cpcert_alternate::File;
use cpcert_scenario::reference::{self, ExportedFile};
use cpcert_spec::{NotKept, Spec};

mod common;
use common::{import_cases, sorted};

/// Every import case (its golden input): the alternate's held records equal the reference's,
/// record for record, and pass the suite's comparison.
#[test]
fn every_import_case_is_understood_as_the_reference_understands_it() {
    let cases = import_cases();
    assert!(cases.len() >= 20, "found only {} import cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let (sender, rel) = (case.sender, &case.rel);
        let inputs = case.inputs();
        let sent: Vec<ExportedFile> = inputs
            .iter()
            .map(|(name, bytes)| ExportedFile {
                name: name.clone(),
                bytes: bytes.clone(),
            })
            .collect();
        let expected = reference::held(&reference::import(&sent, sender).unwrap()).unwrap();
        let files: Vec<File> = inputs
            .into_iter()
            .map(|(name, bytes)| File { name, bytes })
            .collect();
        let actual = match cpcert_alternate::import(&files) {
            Ok(held) => held,
            Err(e) => {
                failures.push(format!("{}: refused: {e}", rel.display()));
                continue;
            }
        };
        let compared = cpcert_checks::compare_held(
            Spec::embedded(),
            "202407",
            &expected,
            &actual,
            &NotKept::default(),
        );
        if !compared.passed() || sorted(&expected) != sorted(&actual) {
            failures.push(format!(
                "{}: {} differences, e.g. {:?}",
                rel.display(),
                compared.diffs.len(),
                compared.diffs.first()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Rewrites field `no` of the first record of an MS932 CSV file.
fn rewrite(bytes: &[u8], no: usize, value: &str) -> Option<Vec<u8>> {
    use cpcert_csv::{Cell, Ms932Reader, Ms932Writer, Record};
    let mut reader = Ms932Reader::new(bytes);
    let mut rec = Record::default();
    let mut issues = Vec::new();
    let mut rows: Vec<Vec<String>> = Vec::new();
    while reader.read_record(&mut rec, &mut issues).ok()? {
        rows.push(rec.iter().map(|f| f.text.to_owned()).collect());
    }
    let slot = rows.first_mut()?.get_mut(no - 1)?;
    value.clone_into(slot);
    let mut w = Ms932Writer::new(Vec::new());
    for r in &rows {
        let cells: Vec<Cell<'_>> = r.iter().map(|v| Cell::Text(v)).collect();
        w.write_record(&cells).ok()?;
    }
    w.into_inner().ok()
}

/// The fields a receiver may read as the person's rather than the document's (氏名, 住所, …,
/// 保険者番号), changed in one file at a time: both importers still answer alike.
#[test]
fn person_fields_changed_in_one_file_are_understood_alike() {
    let cases = import_cases();
    let fields: &[(&str, &[(usize, &str)])] = &[
        (
            "UPHOSOKU",
            &[
                (2, "139997"),
                (5, "ｶﾜﾙ"),
                (6, "変更 氏名"),
                (7, "2"),
                (8, "19400101"),
                (9, "1000001"),
                (10, "変更住所"),
                (11, "二丁目"),
                (12, "03-0000-0000"),
            ],
        ),
        (
            "UP1KYO",
            &[
                (2, "139997"),
                (5, "1000002"),
                (6, "計画の住所"),
                (7, "三丁目"),
            ],
        ),
        (
            "UPKIHON",
            &[
                (2, "139997"),
                (14, "ｷﾎﾝ"),
                (15, "基本 氏名"),
                (16, "1"),
                (17, "19390303"),
                (19, "03-1111-1111"),
            ],
        ),
        ("UPYOBO", &[(2, "139997"), (8, "予防 氏名")]),
        ("UPPLAN", &[(2, "139997")]),
        ("UPJSK", &[(2, "139997")]),
        ("DLT1KYO", &[(2, "139997")]),
    ];
    let mut runs = 0;
    let mut failures = Vec::new();
    for case in &cases {
        let (sender, rel) = (case.sender, &case.rel);
        let inputs = case.inputs();
        for (i, (name, bytes)) in inputs.iter().enumerate() {
            let Some((_, changes)) = fields
                .iter()
                .find(|(k, _)| name.strip_prefix(k).is_some_and(|r| r.starts_with('_')))
            else {
                continue;
            };
            for (no, value) in *changes {
                let Some(changed) = rewrite(bytes, *no, value) else {
                    continue;
                };
                let mut files = inputs.clone();
                files[i].1 = changed;
                let sent: Vec<ExportedFile> = files
                    .iter()
                    .map(|(n, b)| ExportedFile {
                        name: n.clone(),
                        bytes: b.clone(),
                    })
                    .collect();
                let Ok(understood) = reference::import(&sent, sender) else {
                    continue; // (a change the reference refuses: a broken link)
                };
                let expected = reference::held(&understood).unwrap();
                let files: Vec<File> = files
                    .into_iter()
                    .map(|(name, bytes)| File { name, bytes })
                    .collect();
                runs += 1;
                match cpcert_alternate::import(&files) {
                    Ok(actual) if sorted(&actual) == sorted(&expected) => {}
                    Ok(_) => {
                        failures.push(format!("{}: {name} No.{no}: answers differ", rel.display()))
                    }
                    Err(e) => {
                        failures.push(format!("{}: {name} No.{no}: refused: {e}", rel.display()))
                    }
                }
            }
        }
    }
    assert!(runs > 100, "only {runs} changed sets");
    assert!(
        failures.is_empty(),
        "{} of {runs}:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
