//! Pairing a product's files with the expected ones: by kind, send unit and the name's other
//! parts, never by the volatile 連番 (the product numbers its own sends; only their order is
//! data) nor by the extension's case (the validator's `name-extension-case` judges that).
//!
//! 1. Files whose names agree but for the 連番 and the extension's case pair in 連番 order.
//! 2. Files left over pair by kind and send unit (the n-th 連番 of each side): a name that
//!    differs otherwise (another service kind, another month part) is one
//!    [`super::DiffKind::FileName`] difference and the contents are still compared.
//! 3. Files left over pair by kind in 連番 order; the rest are missing or unexpected.

use std::collections::{BTreeMap, BTreeSet};

use cpcert_spec::Spec;

use crate::file_kind;

/// A pairing step's key of one name, given its side's 連番 ranks.
type PairingKey<'a> = dyn Fn(&str, &BTreeMap<String, usize>) -> String + 'a;

/// One pair of files: indexes into the expected and the actual list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FilePair {
    /// The expected file, when there is one.
    pub expected: Option<usize>,
    /// The product's file, when there is one.
    pub actual: Option<usize>,
}

/// The 14-digit 連番 of a name (the part of 14 digits), or "" when it has none.
pub fn sequence(name: &str) -> &str {
    stem(name)
        .split('_')
        .find(|p| p.len() == 14 && p.bytes().all(|b| b.is_ascii_digit()))
        .unwrap_or("")
}

fn stem(name: &str) -> &str {
    name.rsplit_once('.').map_or(name, |(stem, _)| stem)
}

/// The name with its 連番 masked and upper-cased (`UPPLAN_202504_…_{連番}.CSV`): two names with
/// equal keys differ only in what the comparison leaves to the product or to the validator.
pub fn name_key(name: &str) -> String {
    let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
    let parts: Vec<String> = stem
        .split('_')
        .map(|p| {
            if p.len() == 14 && p.bytes().all(|b| b.is_ascii_digit()) {
                "{連番}".to_owned()
            } else {
                p.to_ascii_uppercase()
            }
        })
        .collect();
    format!("{}.{}", parts.join("_"), ext.to_ascii_uppercase())
}

/// Pairs expected with actual file names (see the module doc). The result lists every file of
/// both sides exactly once, expected files first in their order.
pub fn pair_files(spec: &Spec, version: &str, expected: &[&str], actual: &[&str]) -> Vec<FilePair> {
    let mut left_e: BTreeSet<usize> = (0..expected.len()).collect();
    let mut left_a: BTreeSet<usize> = (0..actual.len()).collect();
    let mut pairs = Vec::new();
    let kind = |n: &str| file_kind(n, spec, version).unwrap_or_default();
    let rank = |names: &[&str]| -> BTreeMap<String, usize> {
        let seqs: BTreeSet<&str> = names.iter().map(|n| sequence(n)).collect();
        seqs.into_iter()
            .enumerate()
            .map(|(i, s)| (s.to_owned(), i))
            .collect()
    };
    let (rank_e, rank_a) = (rank(expected), rank(actual));
    let keys: [&PairingKey<'_>; 3] = [
        &|n, _| name_key(n),
        &|n, r| format!("{}#{}", kind(n), r.get(sequence(n)).copied().unwrap_or(0)),
        &|n, _| kind(n),
    ];
    for key in keys {
        let group = |names: &[&str], left: &BTreeSet<usize>, r: &BTreeMap<String, usize>| {
            let mut g: BTreeMap<String, Vec<usize>> = BTreeMap::new();
            let mut order: Vec<usize> = left.iter().copied().collect();
            order.sort_by(|&x, &y| {
                (sequence(names[x]), names[x]).cmp(&(sequence(names[y]), names[y]))
            });
            for i in order {
                g.entry(key(names[i], r)).or_default().push(i);
            }
            g
        };
        let ge = group(expected, &left_e, &rank_e);
        let ga = group(actual, &left_a, &rank_a);
        for (k, es) in &ge {
            let Some(acts) = ga.get(k) else { continue };
            for (&e, &a) in es.iter().zip(acts) {
                left_e.remove(&e);
                left_a.remove(&a);
                pairs.push(FilePair {
                    expected: Some(e),
                    actual: Some(a),
                });
            }
        }
    }
    pairs.extend(left_e.into_iter().map(|e| FilePair {
        expected: Some(e),
        actual: None,
    }));
    pairs.sort_by_key(|p| p.expected);
    pairs.extend(left_a.into_iter().map(|a| FilePair {
        expected: None,
        actual: Some(a),
    }));
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(e: &[&str], a: &[&str]) -> Vec<(Option<usize>, Option<usize>)> {
        pair_files(cpcert_spec::Spec::embedded(), "202407", e, a)
            .into_iter()
            .map(|p| (p.expected, p.actual))
            .collect()
    }

    #[test]
    fn other_sequence_numbers_pair_in_their_order() {
        let e = [
            "UP1KYO_1399100001_43_1399100101_11_20250320100000.CSV",
            "UP1KYO_1399100001_43_1399100101_11_20250401100000.CSV",
        ];
        let a = [
            "UP1KYO_1399100001_43_1399100101_11_20261129090001.CSV",
            "UP1KYO_1399100001_43_1399100101_11_20261129090000.CSV",
        ];
        assert_eq!(pairs(&e, &a), vec![(Some(0), Some(1)), (Some(1), Some(0))]);
    }

    #[test]
    fn extension_case_is_not_a_name_difference() {
        let e = "UPPLAN_202504_1399100001_43_1399100101_11_20250325100000.CSV";
        let a = "UPPLAN_202504_1399100001_43_1399100101_11_20250325100000.csv";
        assert_eq!(name_key(e), name_key(a));
        assert_eq!(pairs(&[e], &[a]), vec![(Some(0), Some(0))]);
    }

    #[test]
    fn another_service_kind_still_pairs_by_kind_and_unit() {
        let e = [
            "UPPLAN_202504_1399100001_43_1399100101_11_20250325100000.CSV",
            "UPSIKYU_202504_1399100001_43_1399100101_11_20250325100000.CSV",
        ];
        let a = [
            "UPSIKYU_202504_1399100001_43_1399100101_15_20250325100000.CSV",
            "UPPLAN_202504_1399100001_43_1399100101_15_20250325100000.CSV",
        ];
        assert_eq!(pairs(&e, &a), vec![(Some(0), Some(1)), (Some(1), Some(0))]);
        assert_ne!(name_key(e[0]), name_key(a[1]));
    }

    #[test]
    fn missing_and_unexpected_files() {
        let e = ["UP1KYO_1399100001_43_1399100101_11_20250320100000.CSV"];
        let a = ["UP2KYO_1399100001_43_1399100101_11_20250320100000.CSV"];
        assert_eq!(pairs(&e, &a), vec![(Some(0), None), (None, Some(0))]);
    }
}
