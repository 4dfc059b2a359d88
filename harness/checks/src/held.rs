//! Judging an import answer: what the product holds ([`HeldRecords`]) against what the
//! reference holds after importing the same files, kind by kind, record by record, field by
//! field — except the fields the product declared as not kept ([`NotKept`]), unless the
//! standard requires a receiver to keep them (`spec/<version>/receiver.yaml`).
//!
//! Records are matched by value, not by position: first the records equal in both, then the
//! rest with the keyed comparison of exported files ([`compare_records`]), so a product may
//! list records in any order.

use cpcert_spec::{ComparePolicy, HeldRecord, HeldRecords, Layout, NotKept, Spec};
use serde::{Deserialize, Serialize};

use crate::compare::{DiffKind, FieldDifference, compare_records, fill_down};

/// The most differences one comparison reports (the rest are counted in [`HeldKind`]).
pub const MAX_DIFFS: usize = 500;

/// One field the product declared as not kept although a receiver must keep it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct MustKeepBreach {
    /// Field No.
    pub field: u32,
    /// Field name as in the layout.
    pub field_name: String,
    /// Why a receiver must keep it, in Japanese.
    pub reason_ja: String,
    /// The same in English.
    pub reason_en: String,
    /// Where the standard says so.
    pub spec_place: String,
}

/// One field No. with its layout name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct NamedField {
    /// Field No.
    pub field: u32,
    /// Field name as in the layout.
    pub name: String,
}

/// What an import case found for one file kind: kept / not kept / wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct HeldKind {
    /// The file kind, e.g. `UPPLAN`.
    pub kind: String,
    /// Records the reference holds.
    pub expected_records: usize,
    /// Records the product holds.
    pub actual_records: usize,
    /// Fields compared (the layout's fields less the ones declared not kept).
    pub kept: usize,
    /// Fields the product declared as not kept.
    pub not_kept: Vec<NamedField>,
    /// Kept fields with at least one wrong value.
    pub wrong: Vec<NamedField>,
    /// Fields declared not kept that a receiver must keep (each fails the case).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub must_keep: Vec<MustKeepBreach>,
}

/// The result of comparing an import answer with the expected held records.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HeldComparison {
    /// Field-level differences (`file` is the kind); at most [`MAX_DIFFS`].
    pub diffs: Vec<FieldDifference>,
    /// Per kind of the expected or actual records.
    pub kinds: Vec<HeldKind>,
}

impl HeldComparison {
    /// Whether the answer passes: no difference and no must-keep field declared not kept.
    pub fn passed(&self) -> bool {
        self.diffs.is_empty() && self.kinds.iter().all(|k| k.must_keep.is_empty())
    }
}

/// Compares what the product holds with what the reference holds, under the product's
/// declaration of fields it does not keep.
pub fn compare_held(
    spec: &Spec,
    version: &str,
    expected: &HeldRecords,
    actual: &HeldRecords,
    not_kept: &NotKept,
) -> HeldComparison {
    let mut out = HeldComparison::default();
    let kinds: std::collections::BTreeSet<&str> = expected
        .0
        .keys()
        .chain(actual.0.keys())
        .map(String::as_str)
        .collect();
    for kind in kinds {
        let (exp, act) = (expected.records(kind), actual.records(kind));
        if exp.is_empty() && act.is_empty() {
            continue;
        }
        let layout = spec
            .layout(version, kind)
            .filter(|_| !kind.starts_with("DLT"));
        let Some(layout) = layout else {
            out.diffs.push(kind_diff(
                kind,
                "(a kind that holds documents)",
                &format!("{} records", act.len()),
            ));
            continue;
        };
        let declared = not_kept.fields(kind);
        let named = |no: u32| NamedField {
            field: no,
            name: layout.field(no).map(|f| f.name.clone()).unwrap_or_default(),
        };
        let must_keep = declared
            .iter()
            .filter_map(|&no| {
                spec.must_keep_field(version, kind, no)
                    .map(|g| MustKeepBreach {
                        field: no,
                        field_name: named(no).name,
                        reason_ja: g.reason_ja.clone(),
                        reason_en: g.reason_en.clone(),
                        spec_place: g.spec_place.clone(),
                    })
            })
            .collect::<Vec<_>>();
        // A field a receiver must keep is compared even when declared not kept.
        let skip: Vec<u32> = declared
            .iter()
            .copied()
            .filter(|no| !must_keep.iter().any(|b| b.field == *no))
            .collect();
        let diffs = compare_kind(kind, layout, exp, act, &skip);
        let mut wrong: Vec<u32> = diffs.iter().filter_map(|d| d.field).collect();
        wrong.sort_unstable();
        wrong.dedup();
        for b in &must_keep {
            out.diffs.push(FieldDifference {
                file: kind.to_owned(),
                record: None,
                field: Some(b.field),
                field_name: Some(b.field_name.clone()),
                expected: format!("receiver-must-keep ({})", b.spec_place),
                actual: "not_kept".to_owned(),
                sensitive: false,
                kind: DiffKind::Value,
            });
        }
        out.diffs.extend(diffs);
        out.kinds.push(HeldKind {
            kind: kind.to_owned(),
            expected_records: exp.len(),
            actual_records: act.len(),
            kept: layout
                .fields
                .iter()
                .filter(|f| !skip.contains(&f.no))
                .count(),
            not_kept: declared.iter().map(|&no| named(no)).collect(),
            wrong: wrong.into_iter().map(named).collect(),
            must_keep,
        });
    }
    out.diffs.truncate(MAX_DIFFS);
    out
}

fn kind_diff(kind: &str, expected: &str, actual: &str) -> FieldDifference {
    FieldDifference::file(DiffKind::UnexpectedFile, kind, expected, actual)
}

/// One kind's records compared under `skip` (fields not compared), with the value-level keyed
/// comparison of exported files ([`compare_records`]). A product's records have no file order,
/// so records equal on both sides are set aside first and the rest are compared in a canonical
/// order; a difference names the record's number in the product's answer.
fn compare_kind(
    kind: &str,
    layout: &Layout,
    expected: &[HeldRecord],
    actual: &[HeldRecord],
    skip: &[u32],
) -> Vec<FieldDifference> {
    let count = layout.field_count;
    let mut diffs = Vec::new();
    // Fields outside the layout are an answer the standard cannot express.
    for (i, r) in actual.iter().enumerate() {
        for &no in r.0.keys().filter(|&&no| no == 0 || no > count) {
            diffs.push(FieldDifference {
                file: kind.to_owned(),
                record: Some(i as u64 + 1),
                field: None,
                field_name: None,
                expected: format!("No.1–{count}"),
                actual: format!("No.{no}"),
                sensitive: false,
                kind: DiffKind::FieldCount,
            });
        }
    }
    let view = |r: &HeldRecord| -> Vec<String> {
        (1..=count)
            .map(|no| {
                if skip.contains(&no) {
                    String::new()
                } else {
                    r.get(no).to_owned()
                }
            })
            .collect()
    };
    // First-line-only values are filled down on both sides before equal records are set aside:
    // a group's first line set aside alone would leave its later lines nothing to fill from.
    let exp: Vec<Vec<String>> = fill_down(
        &layout.compare,
        &expected.iter().map(view).collect::<Vec<_>>(),
    );
    // (the record's number in the product's answer, values)
    let mut act: Vec<(usize, Vec<String>)> = fill_down(
        &layout.compare,
        &actual.iter().map(view).collect::<Vec<_>>(),
    )
    .into_iter()
    .enumerate()
    .map(|(i, v)| (i + 1, v))
    .collect();
    let mut rest: Vec<Vec<String>> = Vec::new();
    for e in exp {
        match act.iter().position(|(_, a)| *a == e) {
            Some(j) => {
                act.remove(j);
            }
            None => rest.push(e),
        }
    }
    if rest.is_empty() && act.is_empty() {
        return diffs;
    }
    rest.sort();
    act.sort_by(|a, b| a.1.cmp(&b.1));
    let numbers: Vec<usize> = act.iter().map(|(n, _)| *n).collect();
    let act: Vec<Vec<String>> = act.into_iter().map(|(_, v)| v).collect();
    // A product's held value is the sender's, not its own: nothing is volatile here.
    let policy = ComparePolicy {
        volatile: Vec::new(),
        ..layout.compare.clone()
    };
    diffs.extend(
        compare_records(layout, &policy, &rest, &act)
            .into_iter()
            .map(|mut d| {
                d.record = d
                    .record
                    .and_then(|r| numbers.get(r as usize - 1))
                    .map(|&n| n as u64);
                d
            }),
    );
    diffs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(values: &[&str]) -> HeldRecord {
        HeldRecord::from_values(values)
    }

    fn upsikyu(units: &str, days: &str) -> HeldRecord {
        let mut v = vec![""; 37];
        v[0] = "202407";
        v[1] = "139998";
        v[2] = "0000000011";
        v[4] = "202504";
        v[6] = "1399100101";
        v[8] = "111211";
        v[12] = units;
        v[29] = days;
        rec(&v)
    }

    fn held(kind: &str, records: Vec<HeldRecord>) -> HeldRecords {
        let mut h = HeldRecords::default();
        for r in records {
            h.push(kind, r);
        }
        h
    }

    #[test]
    fn order_does_not_matter_and_values_do() {
        let spec = Spec::embedded();
        let e = held("UPSIKYU", vec![upsikyu("387", "1"), upsikyu("0", "2")]);
        let a = held("UPSIKYU", vec![upsikyu("0", "2"), upsikyu("387", "1")]);
        let nk = NotKept::default();
        assert!(compare_held(spec, "202407", &e, &a, &nk).passed());
        let a = held("UPSIKYU", vec![upsikyu("0", "2"), upsikyu("388", "1")]);
        let c = compare_held(spec, "202407", &e, &a, &nk);
        assert_eq!(c.diffs.len(), 1, "{:?}", c.diffs);
        assert_eq!(c.diffs[0].field, Some(13));
        assert_eq!(c.kinds[0].wrong[0].name, "単位数");
    }

    #[test]
    fn not_kept_fields_are_not_compared_but_listed() {
        let spec = Spec::embedded();
        let e = held("UPSIKYU", vec![upsikyu("387", "1")]);
        let a = held("UPSIKYU", vec![upsikyu("387", "")]);
        let nk: NotKept = serde_json::from_str(r#"{"UPSIKYU":[30]}"#).unwrap();
        let c = compare_held(spec, "202407", &e, &a, &nk);
        assert!(c.passed(), "{:?}", c.diffs);
        assert_eq!(c.kinds[0].not_kept[0].name, "前月までの利用日数");
        assert_eq!(c.kinds[0].kept, 36);
        // Without the declaration the same answer is wrong.
        assert!(!compare_held(spec, "202407", &e, &a, &NotKept::default()).passed());
    }

    /// 第2表 lines of one 課題/目標 group: `text` true writes 課題 (7) and 目標/期間 (9–12) on the
    /// line, false leaves them to the group's first line (a permitted writing).
    fn up2kyo(created: &str, goal: &str, content: &str, text: bool) -> HeldRecord {
        let t = |v: &'static str| if text { v } else { "" };
        let mut v = vec![""; 15];
        v[0] = "202407";
        v[1] = "139998";
        v[2] = "0000000011";
        v[3] = created;
        v[4] = "20250320";
        v[5] = "1";
        v[6] = t("入浴が一人でできない");
        v[7] = goal;
        v[8] = t("安全に入浴できる");
        v[9] = t("介助で週2回入浴する");
        v[10] = t("R7.4.1～R8.3.31");
        v[11] = t("R7.4.1～R7.9.30");
        v[12] = content;
        v[13] = "入浴介助";
        rec(&v)
    }

    #[test]
    fn first_line_only_text_holds_the_same_with_fields_left_out() {
        let spec = Spec::embedded();
        let e = held(
            "UP2KYO",
            vec![
                up2kyo("20250320", "1", "1", true),
                up2kyo("20250320", "1", "2", true),
            ],
        );
        // Held as written: text on the group's first line only, in another order, another 作成年月日.
        let a = held(
            "UP2KYO",
            vec![
                up2kyo("20261129", "1", "2", false),
                up2kyo("20261129", "1", "1", true),
            ],
        );
        let all = NotKept::default();
        let c = compare_held(spec, "202407", &e, &a, &all);
        assert_eq!(c.diffs.len(), 2, "only 作成年月日 differs: {:?}", c.diffs);
        assert!(c.diffs.iter().all(|d| d.field == Some(4)));
        // With No.4 left out, the line equal on both sides must not take its group's text away
        // from the other line.
        let nk: NotKept = serde_json::from_str(r#"{"UP2KYO":[4]}"#).unwrap();
        let c = compare_held(spec, "202407", &e, &a, &nk);
        assert!(c.passed(), "{:?}", c.diffs);
        // Text missing from the group's first line is still a difference.
        let a = held(
            "UP2KYO",
            vec![
                up2kyo("20250320", "1", "1", false),
                up2kyo("20250320", "1", "2", true),
            ],
        );
        assert!(!compare_held(spec, "202407", &e, &a, &nk).passed());
    }

    #[test]
    fn declaring_a_must_keep_field_fails_with_the_reason() {
        let spec = Spec::embedded();
        let e = held("UPSIKYU", vec![upsikyu("387", "1")]);
        let nk: NotKept = serde_json::from_str(r#"{"UPSIKYU":[9]}"#).unwrap();
        let c = compare_held(spec, "202407", &e, &e, &nk);
        assert!(!c.passed());
        assert_eq!(c.kinds[0].must_keep[0].field, 9);
        assert!(c.kinds[0].must_keep[0].reason_ja.contains("サービスコード"));
        assert_eq!(c.diffs[0].actual, "not_kept");
    }

    #[test]
    fn missing_and_extra_records_and_foreign_kinds() {
        let spec = Spec::embedded();
        let e = held("UPSIKYU", vec![upsikyu("387", "1")]);
        let c = compare_held(
            spec,
            "202407",
            &e,
            &HeldRecords::default(),
            &NotKept::default(),
        );
        assert_eq!(c.diffs.len(), 1);
        assert_eq!(c.diffs[0].kind, DiffKind::MissingRecord);
        let mut a = e.clone();
        a.push(
            "DLTPLAN",
            rec(&["202407", "139998", "0000000011", "202504"]),
        );
        a.push("UPSIKYU", upsikyu("1", "1"));
        let c = compare_held(spec, "202407", &e, &a, &NotKept::default());
        assert_eq!(c.diffs.len(), 2, "{:?}", c.diffs);
    }
}
