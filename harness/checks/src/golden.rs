//! Byte-and-position comparison kept until the runner pairs files and compares values
//! ([`crate::compare`]); to be removed with that change.
//!
//! Field-level comparison of an expected (golden) file with an actual one: decoded text, record
//! by record and field by field, so that a mismatch names record, field No. and name.

use cpcert_csv::{Ms932Reader, Record};
use cpcert_spec::Layout;

use crate::compare::DiffKind;
pub use crate::compare::FieldDifference;

fn records(bytes: &[u8]) -> Vec<Vec<String>> {
    let mut reader = Ms932Reader::new(bytes);
    let mut rec = Record::default();
    let mut issues = Vec::new();
    let mut out = Vec::new();
    while reader.read_record(&mut rec, &mut issues).unwrap_or(false) {
        out.push(rec.iter().map(|f| f.text.to_owned()).collect());
    }
    out
}

/// Compares two files. Fields whose No. is in `ignore` (volatile values such as 作成年月日) are
/// skipped. When every decoded value matches but the bytes differ (quoting, line endings, a
/// character with two MS932 codes such as 髙), one byte-level difference is reported.
pub fn compare(
    file: &str,
    expected: &[u8],
    actual: &[u8],
    layout: Option<&Layout>,
    ignore: &[u32],
) -> Vec<FieldDifference> {
    let mut diffs = Vec::new();
    let (exp, act) = (records(expected), records(actual));
    let diff = |record: Option<u64>, field: Option<u32>, expected: String, actual: String| {
        let lf = field.and_then(|no| layout.and_then(|l| l.field(no)));
        FieldDifference {
            file: file.to_owned(),
            record,
            field,
            field_name: lf.map(|f| f.name.clone()),
            expected,
            actual,
            sensitive: lf.is_some_and(|f| f.sensitive),
            kind: DiffKind::Value,
        }
    };
    for (i, (e, a)) in exp.iter().zip(&act).enumerate() {
        let record = Some(i as u64 + 1);
        if e.len() != a.len() {
            diffs.push(diff(
                record,
                None,
                format!("{} fields", e.len()),
                format!("{} fields", a.len()),
            ));
            continue;
        }
        for (j, (ev, av)) in e.iter().zip(a).enumerate() {
            let no = j as u32 + 1;
            if ev != av && !ignore.contains(&no) {
                diffs.push(diff(record, Some(no), ev.clone(), av.clone()));
            }
        }
    }
    if exp.len() != act.len() {
        diffs.push(diff(
            None,
            None,
            format!("{} records", exp.len()),
            format!("{} records", act.len()),
        ));
    }
    if diffs.is_empty() && ignore.is_empty() && expected != actual {
        let at = expected
            .iter()
            .zip(actual)
            .position(|(x, y)| x != y)
            .unwrap_or(expected.len().min(actual.len()));
        diffs.push(diff(
            None,
            None,
            format!("bytes identical (first difference at byte {at})"),
            format!("{} vs {} bytes", expected.len(), actual.len()),
        ));
    }
    diffs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_record_and_field() {
        let spec = cpcert_spec::Spec::embedded();
        let layout = spec.layout("202407", "DLTPLAN");
        let d = compare(
            "x",
            b"202407,131011,0000000001,202504\r\n",
            b"202407,131011,0000000002,202504\r\n",
            layout,
            &[],
        );
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].record, Some(1));
        assert_eq!(d[0].field, Some(3));
        assert_eq!(d[0].field_name.as_deref(), Some("被保険者番号"));
        assert!(d[0].sensitive);
    }

    #[test]
    fn same_text_other_bytes_is_still_a_difference() {
        let d = compare("x", b"1,\"a\"\r\n", b"1,a\r\n", None, &[]);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].field, None);
        assert!(compare("x", b"1,\"a\"\r\n", b"1,\"a\"\r\n", None, &[]).is_empty());
    }

    #[test]
    fn ignored_fields_and_record_counts() {
        let d = compare("x", b"1,a\r\n2,b\r\n", b"1,z\r\n", None, &[2]);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].expected, "2 records");
    }
}
