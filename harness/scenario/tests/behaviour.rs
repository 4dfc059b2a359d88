//! Behaviour of the reference product on specific scenarios.

use std::path::PathBuf;

use cpcert_scenario::reference::{
    ExportError, ExportOptions, ExportedFile, Fault, export, import, perform,
};
use cpcert_scenario::{Scenario, SendSet, load_scenario};
use cpcert_spec::Role;

fn scenario(name: &str) -> Scenario {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join(format!("../../cases/scenarios/{name}.yaml"));
    load_scenario(p).unwrap()
}

fn file<'a>(files: &'a [ExportedFile], prefix: &str) -> &'a ExportedFile {
    files
        .iter()
        .find(|f| f.name.starts_with(prefix))
        .unwrap_or_else(|| panic!("no {prefix}"))
}

#[test]
fn wave_dash_becomes_8160() {
    let files = export(
        &scenario("wave-dash-mapping"),
        Role::Planner,
        &ExportOptions::default(),
    )
    .unwrap();
    let bytes = &file(&files, "UP1KYO_").bytes;
    assert!(bytes.windows(2).any(|w| w == [0x81, 0x60]));
    assert!(!bytes.windows(2).any(|w| w == b"&#") && !bytes.contains(&b'?'));
}

#[test]
fn unencodable_character_is_an_error_naming_person_and_field() {
    let mut s = scenario("minimal");
    s.persons[0].name = "𠮟 太郎".to_owned();
    match export(&s, Role::Planner, &ExportOptions::default()).unwrap_err() {
        ExportError::Unencodable {
            person,
            field,
            kind,
            ch,
            ..
        } => {
            assert_eq!(person, "0000000001");
            assert_eq!((kind.as_str(), field), ("UPHOSOKU", 6));
            assert_eq!(ch, '𠮟');
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn yen_and_overline_are_errors_of_the_export_and_minus_is_the_jis_character() {
    // ¥ U+00A5 and ‾ U+203E are not MS932 characters: the Shift_JIS encoder would write their
    // JIS X 0201 bytes 0x5C / 0x7E, which MS932 reads as `\` and `~`. The export refuses them.
    for (name, ch) in [("¥ 太郎", '¥'), ("‾ 太郎", '‾')] {
        let mut s = scenario("minimal");
        s.persons[0].name = name.to_owned();
        match export(&s, Role::Planner, &ExportOptions::default()).unwrap_err() {
            ExportError::Unencodable { ch: got, field, .. } => {
                assert_eq!((got, field), (ch, 6));
            }
            other => panic!("{other:?}"),
        }
    }
    // − U+2212 is JIS X 0208 1-61 (0x817C), which MS932 names － U+FF0D: the reference writes
    // that character's bytes (the documented mapping, as for 〜 → ～), never `-`.
    let mut s = scenario("minimal");
    s.persons[0].name = "太郎−次郎".to_owned();
    let files = export(&s, Role::Planner, &ExportOptions::default()).unwrap();
    let bytes = &file(&files, "UPHOSOKU_").bytes;
    assert!(bytes.windows(2).any(|w| w == [0x81, 0x7C]));
}

#[test]
fn names_follow_rules_4_and_timestamp_overrides() {
    let opts = ExportOptions {
        timestamp: Some("20250101000000".to_owned()),
        ..ExportOptions::default()
    };
    let files = export(&scenario("minimal"), Role::Planner, &opts).unwrap();
    let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "UP1KYO_1399100001_43_1399100101_11_20250101000000.CSV",
            "UP2KYO_1399100001_43_1399100101_11_20250101000000.CSV",
            "UP3KYO_1399100001_43_1399100101_11_20250101000000.CSV",
            "UPHOSOKU_000000_1399100001_43_1399100101_11_20250101000000.CSV",
            "UPHOSOKU_202504_1399100001_43_1399100101_11_20250101000000.CSV",
            "UPPLAN_202504_1399100001_43_1399100101_11_20250101000000.CSV",
            "UPSIKYU_202504_1399100001_43_1399100101_11_20250101000000.CSV",
        ]
    );
    let text = cpcert_scenario::text::decode_ms932(&file(&files, "UPPLAN_").bytes).unwrap();
    assert_eq!(text.trim_end().split(',').count(), 25);
    // Free text is quoted even when empty (用具名称 No.18); other fields are not.
    assert!(text.contains(",\"計画 花子\",387,,20250401,,1000,"));
    assert!(text.contains(",\"\","));
}

#[test]
fn prevention_files_share_five_parts_and_picture_is_named() {
    let files = export(
        &scenario("prevention-plans"),
        Role::PreventionPlanner,
        &ExportOptions::default(),
    )
    .unwrap();
    let image = file(&files, "UPKIHON_IMAGE_");
    assert_eq!(
        image.name,
        "UPKIHON_IMAGE_1399100501_46_1399100601_A2_20250315100000_0001.jpg"
    );
    assert!(
        files
            .iter()
            .any(|f| f.name == "UPKIHON_SUB1_1399100501_46_1399100601_A2_20250315100000.CSV")
    );
    assert!(files.iter().any(|f| f.name.starts_with("DLTKIHON_")));
    assert!(
        files
            .iter()
            .any(|f| f.name.starts_with("UPPLAN_202504_1399100501_46_"))
    );
    let back = import(&files, Role::PreventionPlanner).unwrap();
    let p = &back.persons[0];
    assert_eq!(p.basic_infos.len(), 1, "DLTKIHON removed the old one");
    assert_eq!(p.support_plans.len(), 1, "DLTYOBO removed the old one");
    assert!(p.basic_infos[0].picture.is_some());
}

#[test]
fn deletions_cascade_and_newer_replaces_older() {
    let s = scenario("deletions");
    let planner = import(
        &export(&s, Role::Planner, &ExportOptions::default()).unwrap(),
        Role::Planner,
    )
    .unwrap();
    let p = &planner.persons[0];
    assert_eq!(
        p.plans
            .iter()
            .map(|x| x.plan_date.as_str())
            .collect::<Vec<_>>(),
        ["20250401"]
    );
    assert_eq!(
        p.months
            .iter()
            .map(|m| m.month.as_str())
            .collect::<Vec<_>>(),
        ["202505"]
    );
    let provider = import(
        &export(&s, Role::Provider, &ExportOptions::default()).unwrap(),
        Role::Provider,
    )
    .unwrap();
    assert!(provider.persons[0].results.is_empty());

    // Units arriving in any order are applied by 連番.
    let s = scenario("resend-without-delete");
    let mut files = export(&s, Role::Planner, &ExportOptions::default()).unwrap();
    files.reverse();
    let back = import(&files, Role::Planner).unwrap();
    assert_eq!(back.persons[0].plans.len(), 1);
    assert_eq!(back.persons[0].months.len(), 1);
}

#[test]
fn perform_turns_own_plan_rows_into_results() {
    let s = scenario("several-providers");
    let plan_files = export(&s, Role::Planner, &ExportOptions::default()).unwrap();
    let to_day: Vec<ExportedFile> = plan_files
        .iter()
        .filter(|f| f.name.contains("_1399100201_15_"))
        .cloned()
        .collect();
    let imported = import(&to_day, Role::Planner).unwrap();
    // Other providers' rows stay as theirs.
    assert!(
        imported.persons[0].months[0]
            .plan_rows
            .iter()
            .any(|r| r.office_no == "1399100101")
    );
    let done = perform(&imported, "1399100201");
    let results = export(&done, Role::Provider, &ExportOptions::default()).unwrap();
    let expected: Vec<ExportedFile> = export(
        &s,
        Role::Provider,
        &ExportOptions {
            timestamp: Some("20250325100000".to_owned()),
            created: Some("20250325".to_owned()),
            ..ExportOptions::default()
        },
    )
    .unwrap();
    assert_eq!(results.len(), 1);
    assert_eq!(
        results[0].name,
        "UPJSK_202504_1399100201_15_1399100001_43_20250325100000.CSV"
    );
    assert_eq!(results, expected);
    assert!(done.exchanges.iter().any(|e| e.set == SendSet::Results));
}

#[test]
fn faults_are_typed() {
    let fault: Fault = "date-invalid".parse().unwrap();
    assert!(fault.is_export());
    assert_eq!(fault.to_string(), "date-invalid");
    assert!("no-such-fault".parse::<Fault>().is_err());
}

#[test]
fn bad_input_is_an_error_not_a_panic() {
    let files = export(
        &scenario("minimal"),
        Role::Planner,
        &ExportOptions::default(),
    )
    .unwrap();
    let mut broken = files.clone();
    let f = broken
        .iter_mut()
        .find(|f| f.name.starts_with("UPPLAN_"))
        .unwrap();
    f.bytes.truncate(f.bytes.len() - 10);
    f.bytes.extend(b"\r\n");
    assert!(import(&broken, Role::Planner).is_err());
    // `.csv` is read like `.CSV` (a warning for the writer, docs/rules.md「File name
    // extension」); another extension is refused.
    let mut lower = files.clone();
    lower[0].name = lower[0].name.replace(".CSV", ".csv");
    assert_eq!(
        import(&lower, Role::Planner).unwrap(),
        import(&files, Role::Planner).unwrap()
    );
    let mut other = files.clone();
    other[0].name = other[0].name.replace(".CSV", ".TXT");
    assert!(import(&other, Role::Planner).is_err());
    let orphan: Vec<ExportedFile> = files
        .iter()
        .filter(|f| !f.name.starts_with("UP1KYO_"))
        .cloned()
        .collect();
    assert!(import(&orphan, Role::Planner).is_err());
    assert!(
        import(
            &[ExportedFile {
                name: "x".into(),
                bytes: vec![0xFF]
            }],
            Role::Planner
        )
        .is_err()
    );
}

#[test]
fn json_schema_is_generated() {
    let schema = schemars::schema_for!(Scenario);
    let text = serde_json::to_string(&schema).unwrap();
    assert!(text.contains("insured_no"));
}
