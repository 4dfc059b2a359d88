//! The alternate reader against the reference, field by field: a differential test.

use cpcert_alternate::File;
use cpcert_scenario::reference::{self, ExportedFile};

use std::collections::BTreeMap;

mod common;
use common::{import_cases, sorted};

fn rows(bytes: &[u8]) -> Vec<Vec<String>> {
    use cpcert_csv::{Ms932Reader, Record};
    let mut reader = Ms932Reader::new(bytes);
    let mut rec = Record::default();
    let mut issues = Vec::new();
    let mut rows = Vec::new();
    while reader.read_record(&mut rec, &mut issues).unwrap() {
        rows.push(rec.iter().map(|f| f.text.to_owned()).collect());
    }
    rows
}
fn write(rows: &[Vec<String>]) -> Vec<u8> {
    use cpcert_csv::{Cell, Ms932Writer};
    let mut w = Ms932Writer::new(Vec::new());
    for r in rows {
        let cells: Vec<Cell<'_>> = r.iter().map(|v| Cell::Text(v)).collect();
        w.write_record(&cells).unwrap();
    }
    w.into_inner().unwrap()
}
fn other(v: &str) -> String {
    if v.is_empty() {
        return "1".into();
    }
    let mut c: Vec<char> = v.chars().collect();
    let last = c.last_mut().unwrap();
    *last = match *last {
        '0'..='8' => char::from_u32(*last as u32 + 1).unwrap(),
        '9' => '0',
        _ => 'X',
    };
    c.into_iter().collect()
}
#[test]
fn every_field_changed_alone_is_understood_as_the_reference_understands_it() {
    let cases = import_cases();
    let mut diffs: BTreeMap<(String, usize), (usize, String)> = BTreeMap::new();
    let mut runs = 0;
    for case in &cases {
        let (sender, rel) = (case.sender, &case.rel);
        let inputs = case.inputs();
        for (i, (name, bytes)) in inputs.iter().enumerate() {
            if !name.ends_with(".CSV") {
                continue;
            }
            let r = rows(bytes);
            let Some(first) = r.first() else { continue };
            for no in 1..=first.len() {
                for which in [0, r.len() - 1] {
                    let mut rr = r.clone();
                    rr[which][no - 1] = other(&rr[which][no - 1]);
                    let mut files = inputs.clone();
                    files[i].1 = write(&rr);
                    let sent: Vec<ExportedFile> = files
                        .iter()
                        .map(|(n, b)| ExportedFile {
                            name: n.clone(),
                            bytes: b.clone(),
                        })
                        .collect();
                    let Ok(u) = reference::import(&sent, sender) else {
                        continue;
                    };
                    let Ok(expected) = reference::held(&u) else {
                        continue;
                    };
                    let files: Vec<File> = files
                        .into_iter()
                        .map(|(name, bytes)| File { name, bytes })
                        .collect();
                    runs += 1;
                    let kind = name.split('_').next().unwrap().to_owned();
                    let kind = if name.starts_with("UPKIHON_SUB") || name.starts_with("UPYOBO_SUB")
                    {
                        name.split('_').take(2).collect::<Vec<_>>().join("_")
                    } else {
                        kind
                    };
                    match cpcert_alternate::import(&files) {
                        Ok(a) if sorted(&a) == sorted(&expected) => {}
                        Ok(_) => {
                            let e = diffs
                                .entry((kind, no))
                                .or_insert((0, format!("{} row{which}", rel.display())));
                            e.0 += 1;
                        }
                        Err(er) => {
                            let e = diffs
                                .entry((kind, no))
                                .or_insert((0, format!("refused {er}")));
                            e.0 += 1;
                        }
                    }
                }
            }
        }
    }
    for (k, v) in &diffs {
        println!("{k:?} {v:?}");
    }
    println!("runs {runs} diffs {}", diffs.len());
}
