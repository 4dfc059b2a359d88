//! Property tests: the validator never panics, whatever the bytes.

use cpcert_checks::{IMAGE_KIND, ValidateOptions, validate_bytes};
use proptest::prelude::*;

use crate::fixture::*;

fn names() -> Vec<String> {
    let mut n: Vec<String> = kinds().into_iter().map(file_name).collect();
    n.push(file_name_with(IMAGE_KIND, "", TS));
    n.push("UPPLAN_202504_1310000001_43_1310000002_11_20250401093000.csv".to_owned());
    n.push("garbage.bin".to_owned());
    n
}

/// Bytes that look like CSV more often than uniform bytes would.
fn csvish() -> impl Strategy<Value = Vec<u8>> {
    let byte = prop_oneof![
        4 => any::<u8>(),
        2 => prop::sample::select(b",\"\r\n0123456789".to_vec()),
        1 => prop::sample::select(vec![0x81u8, 0x82, 0x88, 0xA0, 0xE0, 0xEF, 0xF0, 0xFC, 0xFF, 0x3F, 0x26, 0x23, 0x3B]),
    ];
    prop::collection::vec(byte, 0..1500)
}

#[derive(Debug, Clone)]
enum Edit {
    Flip(usize, u8),
    Insert(usize, Vec<u8>),
    Delete(usize, usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Edit::Flip(i, b)),
        (any::<usize>(), prop::collection::vec(any::<u8>(), 1..8))
            .prop_map(|(i, b)| Edit::Insert(i, b)),
        (any::<usize>(), 1usize..40).prop_map(|(i, n)| Edit::Delete(i, n)),
    ]
}

fn apply(bytes: &mut Vec<u8>, e: &Edit) {
    let len = bytes.len().max(1);
    match e {
        Edit::Flip(i, b) if !bytes.is_empty() => bytes[i % len] = *b,
        Edit::Flip(..) => {}
        Edit::Insert(i, b) => {
            let at = i % (bytes.len() + 1);
            bytes.splice(at..at, b.iter().copied());
        }
        Edit::Delete(i, n) if !bytes.is_empty() => {
            let at = i % len;
            let end = (at + n).min(bytes.len());
            bytes.drain(at..end);
        }
        Edit::Delete(..) => {}
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(which in any::<prop::sample::Index>(), bytes in csvish()) {
        let names = names();
        let name = which.get(&names);
        let report = validate_bytes(name, &bytes, spec(), &cpcert_checks::ValidateOptions::default());
        prop_assert_eq!(&report.path, name);
    }

    #[test]
    fn mutated_valid_files_never_panic(which in any::<prop::sample::Index>(), edits in prop::collection::vec(edit(), 1..6)) {
        let ks = kinds();
        let kind = *which.get(&ks);
        let f = valid_file(kind);
        let mut bytes = f.bytes();
        for e in &edits {
            apply(&mut bytes, e);
        }
        let report = validate_bytes(&f.name, &bytes, spec(), &ValidateOptions::default());
        for finding in &report.findings {
            prop_assert!(cpcert_checks::RULES.iter().any(|r| r.id == finding.rule));
        }
    }
}

/// Regressions: values whose byte length fits a fixed format but which are not ASCII used to
/// panic (slicing inside a character, or subtracting below `'0'`).
#[test]
fn non_ascii_fixed_width_values_do_not_panic() {
    for (kind, no, value) in [
        ("UPPLAN", 4, "20250\u{3042}"),
        ("UPPLAN", 4, "2025040a"),
        ("UPPLAN", 15, "\u{3042}\u{3044}"),
        ("UPSIKYU", 9, "\u{3042}\u{3044}"),
        ("UPSIKYU", 9, "11\u{3042}A"),
        ("UPHOSOKU", 20, "\u{3042}"),
    ] {
        let mut f = valid_file(kind);
        f.set(1, no, p(value));
        let report = f.validate();
        assert!(
            !report.findings.is_empty(),
            "{kind} No.{no} = {value:?} is reported"
        );
    }
}
