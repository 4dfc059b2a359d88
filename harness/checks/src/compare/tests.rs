use super::*;
use cpcert_spec::Spec;

fn layout(kind: &str) -> &'static Layout {
    Spec::embedded().layout("202407", kind).unwrap()
}

fn recs(lines: &[&str]) -> Vec<Vec<String>> {
    lines
        .iter()
        .map(|l| l.split(',').map(str::to_owned).collect())
        .collect()
}

fn cmp(kind: &str, e: &[&str], a: &[&str]) -> Vec<FieldDifference> {
    let l = layout(kind);
    compare_records(l, &l.compare, &recs(e), &recs(a))
}

/// A 第2表 line: 課題ＮＯ, 課題, 援助目標ＮＯ, 長期目標, 援助内容ＮＯ, サービス内容, 作成年月日.
fn t2(
    issue: u32,
    issue_text: &str,
    goal: u32,
    goal_text: &str,
    item: u32,
    what: &str,
    made: &str,
) -> String {
    format!(
        "202407,139998,0000000001,{made},20250320,{issue},{issue_text},{goal},{goal_text},,,,{item},{what},Y,訪問介護,1399100101,架空,週2回,,,"
    )
}

#[test]
fn names_record_field_and_sensitivity() {
    let d = cmp(
        "DLTPLAN",
        &["202407,131011,0000000001,202504"],
        &["202407,131011,0000000001,202505"],
    );
    // A keyed deletion record is nothing but its key: another month is another record.
    assert_eq!(
        d.iter().map(|d| d.kind).collect::<Vec<_>>(),
        vec![DiffKind::MissingRecord, DiffKind::UnexpectedRecord]
    );
    assert!(d[0].expected.contains("削除対象年月=202504"));
    assert!(d[0].sensitive, "the key holds 被保険者番号");
    let d = cmp(
        "UP2KYO",
        &[&t2(1, "入浴", 1, "安全に", 1, "入浴介助", "20250320")],
        &[&t2(1, "入浴", 1, "安全に", 1, "入浴介護", "20250320")],
    );
    assert_eq!(d.len(), 1);
    assert_eq!((d[0].record, d[0].field), (Some(1), Some(14)));
    assert_eq!(d[0].field_name.as_deref(), Some("サービス内容"));
    assert_eq!(
        (d[0].expected.as_str(), d[0].actual.as_str()),
        ("入浴介助", "入浴介護")
    );
    assert!(d[0].sensitive);
    assert_eq!(d[0].file, "UP2KYO");
    assert_eq!(d[0].clone().in_file("x.CSV").file, "x.CSV");
}

#[test]
fn keyed_records_match_in_any_order() {
    let e = [
        t2(1, "入浴", 1, "安全に", 1, "入浴介助", "20250320"),
        t2(1, "入浴", 1, "安全に", 2, "見守り", "20250320"),
        t2(2, "外出", 1, "散歩", 1, "通所", "20250320"),
    ];
    let a = [e[2].clone(), e[0].clone(), e[1].clone()];
    let (e, a): (Vec<&str>, Vec<&str>) = (
        e.iter().map(String::as_str).collect(),
        a.iter().map(String::as_str).collect(),
    );
    assert_eq!(cmp("UP2KYO", &e, &a), vec![]);
    // A value difference after reordering names the product's record.
    let mut changed: Vec<String> = a.iter().map(|s| (*s).to_owned()).collect();
    changed[1] = changed[1].replace("入浴介助", "清拭");
    let changed: Vec<&str> = changed.iter().map(String::as_str).collect();
    let d = cmp("UP2KYO", &e, &changed);
    assert_eq!(d.len(), 1);
    assert_eq!((d[0].record, d[0].field), (Some(2), Some(14)));
}

#[test]
fn unmatched_records_are_missing_or_unexpected() {
    let e = [
        t2(1, "入浴", 1, "安全に", 1, "入浴介助", "20250320"),
        t2(1, "入浴", 1, "安全に", 2, "見守り", "20250320"),
    ];
    let a = [
        t2(1, "入浴", 1, "安全に", 1, "入浴介助", "20250320"),
        t2(1, "入浴", 1, "安全に", 3, "見守り", "20250320"),
    ];
    let d = cmp(
        "UP2KYO",
        &[e[0].as_str(), e[1].as_str()],
        &[a[0].as_str(), a[1].as_str()],
    );
    assert_eq!(d.len(), 2, "{d:?}");
    assert_eq!((d[0].kind, d[0].record), (DiffKind::MissingRecord, Some(2)));
    assert!(
        d[0].expected.contains("援助内容ＮＯ=2"),
        "{}",
        d[0].expected
    );
    assert_eq!(
        (d[1].kind, d[1].record),
        (DiffKind::UnexpectedRecord, Some(2))
    );
    assert!(d[1].actual.contains("援助内容ＮＯ=3"));
}

#[test]
fn equal_keys_pair_in_file_order() {
    // Two identical 明細 lines (the same handrail twice) pair one to one.
    let line = "202407,139998,0000000001,20250325,202504,1399100001,計画,100,,20250401,,9999,9999,1,171001,00001-000001,,手すり,1,1399100301,用具,,0,,";
    assert_eq!(cmp("UPPLAN", &[line, line], &[line, line]), vec![]);
    let d = cmp("UPPLAN", &[line, line], &[line]);
    assert_eq!(d.len(), 1);
    assert_eq!((d[0].kind, d[0].record), (DiffKind::MissingRecord, Some(2)));
}

#[test]
fn volatile_fields_are_never_compared() {
    let e = t2(1, "入浴", 1, "安全に", 1, "入浴介助", "20250320");
    let a = t2(1, "入浴", 1, "安全に", 1, "入浴介助", "20261129");
    assert_eq!(cmp("UP2KYO", &[&e], &[&a]), vec![]);
    // A field that is not volatile is compared (UP2KYO No.5 is the plan key).
    let other = e.replacen(",20250320,1,", ",20250321,1,", 1);
    assert_eq!(cmp("UP2KYO", &[&e], &[&other]).len(), 2);
}

#[test]
fn fixed_order_kinds_compare_by_position() {
    let a = "202407,139998,0000000001,20250301,\"6:00\",起床,";
    let b = "202407,139998,0000000001,20250301,\"7:00\",朝食,";
    let d = cmp("UPKIHON_SUB1", &[a, b], &[b, a]);
    assert_eq!(d.len(), 4, "{d:?}");
    assert!(d.iter().all(|d| d.kind == DiffKind::Value));
    let d = cmp("UPKIHON_SUB1", &[a, b], &[a]);
    assert_eq!((d[0].kind, d[0].record), (DiffKind::MissingRecord, Some(2)));
}

#[test]
fn first_line_only_and_repeated_text_compare_equal() {
    let repeated = [
        t2(1, "入浴", 1, "安全に", 1, "入浴介助", "20250320"),
        t2(1, "入浴", 1, "安全に", 2, "見守り", "20250320"),
        t2(1, "入浴", 2, "清潔に", 1, "清拭", "20250320"),
        t2(2, "外出", 1, "散歩", 1, "通所", "20250320"),
    ];
    let first_only = [
        t2(1, "入浴", 1, "安全に", 1, "入浴介助", "20250320"),
        t2(1, "", 1, "", 2, "見守り", "20250320"),
        t2(1, "", 2, "清潔に", 1, "清拭", "20250320"),
        t2(2, "外出", 1, "散歩", 1, "通所", "20250320"),
    ];
    let r: Vec<&str> = repeated.iter().map(String::as_str).collect();
    let f: Vec<&str> = first_only.iter().map(String::as_str).collect();
    assert_eq!(cmp("UP2KYO", &r, &f), vec![]);
    assert_eq!(cmp("UP2KYO", &f, &r), vec![]);
    // First-line-only written in another order: the first line is the first in key order.
    let shuffled = [f[3], f[2], f[1], f[0]];
    assert_eq!(cmp("UP2KYO", &r, &shuffled), vec![]);
    // A new goal (援助目標ＮＯ 2) left empty is not the previous goal's text.
    let mut wrong = first_only.clone();
    wrong[2] = t2(1, "", 2, "", 1, "清拭", "20250320");
    let w: Vec<&str> = wrong.iter().map(String::as_str).collect();
    let d = cmp("UP2KYO", &r, &w);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].field, Some(9));
}

#[test]
fn field_count_difference() {
    let d = cmp(
        "DLTPLAN",
        &["202407,131011,0000000001,202504"],
        &["202407,131011,0000000001,202504,"],
    );
    // The key matches; the record is one field longer.
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].kind, DiffKind::FieldCount);
}

#[test]
fn byte_form_is_not_a_difference() {
    // Quoting, `""` for empty text, LF endings and the two codes of 髙 decode alike.
    let l = layout("DLTPLAN");
    let e = b"202407,131011,0000000001,202504\r\n";
    let a = b"\"202407\",\"131011\",\"0000000001\",\"202504\"\n";
    assert_eq!(compare_bytes("x", l, e, a), vec![]);
    let l = layout("UP1KYO");
    let line = |name: &[u8]| {
        let mut v = b"202407,139998,0000000001,20250320,100-0001,\"".to_vec();
        v.extend_from_slice(name);
        v.extend_from_slice(b"\",,,,,,,,,,,,,,,,,,,,,,\r\n");
        v
    };
    assert_eq!(
        decode_records(&line(&[0xEE, 0xE0]))[0][5],
        decode_records(&line(&[0xFB, 0xFC]))[0][5]
    );
    assert_eq!(
        compare_bytes("x", l, &line(&[0xEE, 0xE0]), &line(&[0xFB, 0xFC])),
        vec![]
    );
    assert_eq!(
        compare_bytes("x", l, &line(b""), &line(b"").replace_empty_quotes()),
        vec![]
    );
}

trait ReplaceEmptyQuotes {
    fn replace_empty_quotes(&self) -> Vec<u8>;
}

impl ReplaceEmptyQuotes for Vec<u8> {
    /// `""` → nothing (empty text written bare).
    fn replace_empty_quotes(&self) -> Vec<u8> {
        String::from_utf8_lossy(self)
            .replace("\"\"", "")
            .into_bytes()
    }
}

/// Every keyed kind's record key identifies a record in every golden file of the suite (equal
/// keys would pair in file order, which is a position again, not a key).
#[test]
fn record_keys_identify_records_in_every_golden_file() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../golden");
    let mut stack = vec![root];
    let mut seen = 0;
    let mut problems = Vec::new();
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let Some(layout) = crate::file_kind(&name, Spec::embedded(), "202407")
                .and_then(|k| Spec::embedded().layout("202407", &k))
            else {
                continue;
            };
            if layout.compare.order != RecordOrder::Keyed {
                continue;
            }
            seen += 1;
            let records = decode_records(&std::fs::read(&path).unwrap());
            let mut keys = std::collections::BTreeSet::new();
            for r in &records {
                let key: Vec<&str> = layout
                    .compare
                    .record_key
                    .iter()
                    .map(|no| value(r, *no))
                    .collect();
                if !keys.insert(key.clone()) {
                    problems.push(format!("{}: key {key:?} twice", path.display()));
                }
            }
        }
    }
    assert!(seen > 100, "only {seen} golden files");
    assert_eq!(problems, Vec::<String>::new());
}

#[test]
fn attachment_names_compare_without_their_sequence() {
    let l = layout("UPKIHON");
    let mut e = vec![String::new(); 71];
    let mut a = e.clone();
    for r in [&mut e, &mut a] {
        r[0] = "202407".into();
        r[1] = "139998".into();
        r[2] = "0000000001".into();
        r[3] = "20250315".into();
    }
    e[61] = "UPKIHON_IMAGE_1399100501_46_1399100601_A2_20250315100000_0001.jpg".into();
    a[61] = "UPKIHON_IMAGE_1399100501_46_1399100601_A2_20290315100000_0001.jpg".into();
    assert_eq!(
        compare_records(l, &l.compare, &[e.clone()], &[a.clone()]),
        vec![]
    );
    a[61] = "UPKIHON_IMAGE_1399100501_46_1399100601_A2_20290315100000_0002.jpg".into();
    assert_eq!(compare_records(l, &l.compare, &[e], &[a]).len(), 1);
}
