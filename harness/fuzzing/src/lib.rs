//! The bodies of cpcert's fuzz targets, one function per target, each taking the fuzzer's bytes.
//!
//! `fuzz/` (a cargo-fuzz crate outside the workspace, nightly) calls them from libFuzzer;
//! `tests/replay.rs` (stable, part of `cargo test`) feeds them every file of the saved corpus
//! (`fuzz/corpus/<target>/`) and every past crash (`fuzz/artifacts/<target>/`). A target fails by
//! panicking: on any input the code under test returns a value or an error, never panics, and
//! the invariants checked here hold.

#![warn(missing_docs)]

use std::path::Path;

use cpcert_checks::{ValidateOptions, check_send_units, validate_bytes};
use cpcert_csv::{ByteIssueClass, Ms932Reader, Record};
use cpcert_spec::Spec;

/// A target: its name (the folder under `fuzz/corpus/` and `fuzz/artifacts/`) and its body.
pub struct Target {
    /// The name.
    pub name: &'static str,
    /// The body.
    pub run: fn(&[u8]),
}

/// Every target.
pub const TARGETS: [Target; 4] = [
    Target {
        name: "reader",
        run: reader,
    },
    Target {
        name: "validate",
        run: validate_set,
    },
    Target {
        name: "adapter_message",
        run: adapter_message,
    },
    Target {
        name: "loaders",
        run: loaders,
    },
];

/// A small record limit and issue cap, so that the over-limit and capped paths are reached by
/// small inputs.
const RECORD_LIMIT: u64 = 4096;
const ISSUE_CAP: u64 = 8;

/// The CSV reader over any bytes: records and issues come out in input order, positions inside
/// the input, and the whole input is consumed.
pub fn reader(data: &[u8]) {
    let mut reader = Ms932Reader::new(data)
        .with_max_record_bytes(RECORD_LIMIT)
        .with_max_issues_per_kind(ISSUE_CAP);
    let (mut rec, mut issues) = (Record::default(), Vec::new());
    let mut last_offset = None;
    let mut kept = 0u64;
    while reader
        .read_record(&mut rec, &mut issues)
        .expect("reading a byte slice cannot fail")
    {
        assert!(
            last_offset < Some(rec.byte_offset()),
            "records out of order"
        );
        last_offset = Some(rec.byte_offset());
        assert!(rec.byte_offset() < data.len() as u64);
        assert!(rec.len() >= rec.iter().count());
        for f in rec.iter() {
            assert!(f.byte_offset < data.len() as u64 || f.raw.is_empty());
        }
    }
    for issue in &issues {
        assert!(issue.byte_offset <= data.len() as u64, "{issue:?}");
        kept += 1;
    }
    assert_eq!(reader.bytes_read(), data.len() as u64);
    let per_kind = ByteIssueClass::ALL
        .iter()
        .map(|&c| issues.iter().filter(|i| i.kind.class() == c).count() as u64);
    assert!(
        per_kind.clone().all(|n| n <= ISSUE_CAP),
        "issue cap exceeded"
    );
    assert_eq!(kept, per_kind.sum::<u64>());
}

/// The standard file names a fuzzed file set is validated under (a planner's send unit and a
/// provider's 実績, so that the send-unit rules compare keys across files).
const NAMES: [&str; 6] = [
    "UPPLAN_202504_1399100001_43_1399100101_11_20250325100000.CSV",
    "UPHOSOKU_202504_1399100001_43_1399100101_11_20250325100000.CSV",
    "UPSIKYU_202504_1399100001_43_1399100101_11_20250325100000.CSV",
    "UP1KYO_1399100001_43_1399100101_11_20250320100000.CSV",
    "UPKIHON_1399100001_43_1399100101_11_20250320100000.CSV",
    "UPJSK_202504_1399100101_11_1399100001_43_20250502100000.CSV",
];

/// What separates the files of a fuzzed file set in one input.
pub const FILE_SEPARATOR: &[u8] = b"\n--cpcert-next-file--\n";

/// Validation of a file set: the input is split at [`FILE_SEPARATOR`] into files named in
/// turn by [`NAMES`]; every file is validated and the send-unit rules run over them all.
pub fn validate_set(data: &[u8]) {
    let spec = Spec::embedded();
    let opts = ValidateOptions {
        max_record_bytes: RECORD_LIMIT,
        max_findings_per_rule: ISSUE_CAP as usize,
        ..ValidateOptions::default()
    };
    let reports: Vec<_> = split(data, FILE_SEPARATOR)
        .zip(NAMES.iter().cycle())
        .take(16)
        .map(|(bytes, name)| validate_bytes(name, bytes, spec, &opts))
        .collect();
    for r in &reports {
        // Capped: at most the cap per rule, plus one findings-truncated per rule.
        assert!(r.findings.len() <= 2 * cpcert_checks::RULES.len() * (ISSUE_CAP as usize + 1));
        for f in &r.findings {
            assert!(f.actual.chars().count() <= cpcert_checks::MAX_QUOTED_CHARS + 1);
        }
    }
    let _ = check_send_units(&reports, spec, cpcert_spec::CURRENT_LAYOUT_VERSION);
}

fn split<'a>(data: &'a [u8], sep: &'a [u8]) -> impl Iterator<Item = &'a [u8]> {
    let mut rest = Some(data);
    std::iter::from_fn(move || {
        let r = rest?;
        match r.windows(sep.len()).position(|w| w == sep) {
            Some(i) => {
                rest = Some(&r[i + sep.len()..]);
                Some(&r[..i])
            }
            None => {
                rest = None;
                Some(r)
            }
        }
    })
}

/// The adapter protocol's message parser over each line, and an import answer: its held
/// records judged against nothing, or its (version 1) scenario converted to held records.
pub fn adapter_message(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for line in text.lines() {
        if let Ok(cpcert_adapters::message::AdapterMessage::Imported { held, scenario, .. }) =
            serde_json::from_str(line)
        {
            if let Some(held) = held {
                let spec = cpcert_spec::Spec::embedded();
                let none = cpcert_spec::HeldRecords::default();
                let _ = cpcert_checks::compare_held(
                    spec,
                    cpcert_spec::CURRENT_LAYOUT_VERSION,
                    &none,
                    &held,
                    &cpcert_spec::NotKept::default(),
                );
            }
            if let Some(Ok(s)) = scenario.map(serde_json::from_value::<cpcert_scenario::Scenario>) {
                let _ = cpcert_adapters::held_from_scenario(&s);
            }
        }
    }
}

/// The suite's YAML loaders: a vendor description, a scenario and a case file.
pub fn loaders(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = cpcert_adapters::VendorDescription::parse(
        text,
        Path::new("vendor.yaml"),
        Path::new("/nonexistent"),
    );
    let _ = cpcert_scenario::parse_scenario(text, "scenario.yaml");
    let _ = serde_saphyr::from_str::<cpcert_runner::CaseFile>(text);
}
