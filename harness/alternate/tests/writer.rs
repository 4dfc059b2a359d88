//! The alternate writer's own choices, and clear errors for what it cannot write.

use std::path::Path;

use cpcert_alternate::{ExportError, WriteOptions, export};
use cpcert_scenario::Scenario;
use cpcert_spec::Role;

fn scenario(name: &str) -> Scenario {
    cpcert_scenario::load_scenario(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../cases/scenarios")
            .join(format!("{name}.yaml")),
    )
    .unwrap()
}

fn opts() -> WriteOptions {
    WriteOptions {
        run_started: "2026-02-28T23:59:59Z".into(),
        timestamp: String::new(),
    }
}

#[test]
fn quotes_every_value_leaves_empties_bare_and_numbers_units_from_its_clock() {
    let files = export(&scenario("minimal"), Role::Planner, &opts()).unwrap();
    let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
    // Two send units (plan, month), in their order, one second apart across the day's end.
    assert!(
        names
            .iter()
            .any(|n| n.starts_with("UP1KYO_") && n.ends_with("_20260228235959.CSV")),
        "{names:?}"
    );
    assert!(
        names
            .iter()
            .any(|n| n.starts_with("UPPLAN_202504_") && n.ends_with("_20260301000000.CSV")),
        "{names:?}"
    );
    let t1 = files.iter().find(|f| f.name.starts_with("UP1KYO")).unwrap();
    assert!(t1.bytes.ends_with(b"\r\n"));
    let line = &t1.bytes[..t1.bytes.len() - 2];
    // Every field: quoted and non-empty, or empty and bare; 作成年月日 (No.4) = the run's day.
    let fields: Vec<&[u8]> = line.split(|b| *b == b',').collect();
    assert!(
        fields
            .iter()
            .all(|f| f.is_empty() || (f.starts_with(b"\"") && f.ends_with(b"\"")))
    );
    assert_eq!(fields[3], b"\"20260228\"");
    assert!(fields.iter().any(|f| f.is_empty()));
}

#[test]
fn writes_nec_selected_codes_and_keyed_records_in_its_own_order() {
    let files = export(&scenario("nec-ibm-characters"), Role::Planner, &opts()).unwrap();
    let all: Vec<u8> = files.iter().flat_map(|f| f.bytes.clone()).collect();
    assert!(all.windows(2).any(|w| w == [0xEE, 0xE0]), "髙 as EEE0");
    assert!(!all.windows(2).any(|w| w == [0xFB, 0xFC]), "never FBFC");
    // 第2表 rows by key descending, 課題 on its group's first line only.
    let files = export(&scenario("several-providers"), Role::Planner, &opts()).unwrap();
    let t2 = files.iter().find(|f| f.name.starts_with("UP2KYO")).unwrap();
    let text = encoding_rs::SHIFT_JIS.decode(&t2.bytes).0.into_owned();
    let rows: Vec<Vec<&str>> = text.lines().map(|l| l.split(',').collect()).collect();
    let issue_nos: Vec<&str> = rows.iter().map(|r| r[5]).collect();
    let mut sorted = issue_nos.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(issue_nos, sorted);
    assert!(rows.iter().any(|r| r[6].is_empty()), "{text}");
}

#[test]
fn what_cannot_be_written_is_a_clear_error() {
    let mut s = scenario("minimal");
    s.persons[0].address1 = "東京都¥区".into();
    let e = export(&s, Role::Planner, &opts()).unwrap_err();
    assert!(matches!(e, ExportError::Unencodable { ch: '¥', .. }), "{e}");
    let text = e.to_string();
    assert!(
        text.starts_with("UPHOSOKU_000000_")
            && text.contains("record 1: field No.10 (利用者住所１)"),
        "{text}"
    );
    // 〜 has a look-alike MS932 holds: written, not refused.
    let mut s = scenario("minimal");
    s.persons[0].address1 = "東京都〜".into();
    assert!(export(&s, Role::Planner, &opts()).is_ok());
    // A comma in a field that is not free text.
    let mut s = scenario("minimal");
    s.persons[0].postal = "100,0001".into();
    let text = export(&s, Role::Planner, &opts()).unwrap_err().to_string();
    assert!(text.contains("is not free text"), "{text}");
    // A run date-time that is none.
    let bad = WriteOptions {
        run_started: "2026-02-30T00:00:00Z".into(),
        timestamp: String::new(),
    };
    assert!(matches!(
        export(&scenario("minimal"), Role::Planner, &bad),
        Err(ExportError::Clock(_))
    ));
}
