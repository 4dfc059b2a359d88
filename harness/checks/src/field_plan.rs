//! The field rules of one layout, compiled once per file: which of its fields need a look at all
//! (most fields of a 実績 or 補足 record are free, optional and unbounded), and each code field's
//! codes as small integers, so that a record costs a short loop with no string search.
//!
//! A plan makes exactly the findings the field rules make field by field (see
//! [`FieldPlan::check`]); it only skips work whose answer is known to be "nothing".

use std::collections::BTreeMap;

use cpcert_csv::Record;
use cpcert_spec::{Field, FieldKind, Layout};

use crate::fields::{ServiceKinds, check_value, required_missing};
use crate::sink::Sink;
use crate::values::Short;

/// One layout's field checks.
pub(crate) struct FieldPlan<'s> {
    /// The fields that need a look, in field order.
    steps: Vec<Step<'s>>,
}

/// One field that needs a look.
struct Step<'s> {
    /// 0-based field index.
    index: usize,
    field: &'s Field,
    /// ○: an empty value is a finding.
    required: bool,
    /// Only whether it is empty matters (the CSVバージョン: its value is the file's rules').
    empty_only: bool,
    /// The field's codes, when it is a code field.
    codes: Option<Codes>,
    /// Whether the last value that passed is remembered (the kinds whose check costs more than
    /// the comparison: not free text, whose check is its quoting and length).
    memo: bool,
    /// The last two values of this field that passed its checks, and whether each was quoted:
    /// the same bytes, quoted alike, pass again (a value's findings depend on its bytes, its
    /// quoting and the field alone). Two, so that rows alternating between two values (two
    /// services, 予定 and 実績) are not checked row after row.
    last: [Option<(Short, bool)>; 2],
    /// Which of `last` the next passing value replaces.
    next: usize,
}

impl<'s> FieldPlan<'s> {
    pub(crate) fn new(layout: &'s Layout) -> Self {
        let steps = layout
            .fields
            .iter()
            .enumerate()
            .filter_map(|(index, field)| {
                let required = field.required.is_always();
                let empty_only = field.kind == FieldKind::Version;
                // A value of kind Other with no length has no rule to break.
                let value_free =
                    empty_only || field.kind == FieldKind::Other && field.length.is_none();
                if value_free && !required {
                    return None;
                }
                Some(Step {
                    index,
                    field,
                    required,
                    empty_only: value_free,
                    codes: field.values.as_ref().map(Codes::new),
                    memo: !matches!(
                        field.kind,
                        FieldKind::Text | FieldKind::Other | FieldKind::Unused | FieldKind::Flags31
                    ),
                    last: [None; 2],
                    next: 0,
                })
            })
            .collect();
        Self { steps }
    }

    /// The field rules over a record: the same findings as checking each of the record's fields
    /// that the layout has, in order (an empty value only against `required`, a non-empty one
    /// against its kind, placeholder and length).
    #[inline]
    pub(crate) fn check(&mut self, kinds: &mut ServiceKinds<'_>, rec: &Record, sink: &mut Sink) {
        for step in &mut self.steps {
            let i = step.index;
            // Past the record's stored fields: the steps after this one are too.
            let Some((raw, quoted)) = rec.raw_of(i) else {
                break;
            };
            if raw.is_empty() {
                if step.required
                    && let Some(value) = rec.field(i)
                {
                    required_missing(step.field, value, rec.number(), sink);
                }
                continue;
            }
            if step.empty_only {
                continue;
            }
            let short = if step.memo {
                Short::of(raw).map(|s| (s, quoted))
            } else {
                None
            };
            if short.is_some() && (short == step.last[0] || short == step.last[1]) {
                continue;
            }
            let Some(value) = rec.field(i) else { break };
            let made = sink.made();
            check_value(
                kinds,
                step.field,
                step.codes.as_ref(),
                value,
                rec.number(),
                sink,
            );
            if short.is_some() && sink.made() == made {
                step.last[step.next] = short;
                step.next ^= 1;
            }
        }
    }
}

/// A code field's codes, each packed into a `u32` (its length and up to three bytes), searched
/// without comparing strings; a layout's code lists are short (nine codes at most in 202407).
pub(crate) struct Codes {
    packed: Vec<u32>,
    /// A code too long to pack: look the value up in the list itself.
    unpackable: bool,
}

impl Codes {
    fn new(values: &BTreeMap<String, String>) -> Self {
        let packed: Vec<u32> = values.keys().filter_map(|k| pack(k)).collect();
        Self {
            unpackable: packed.len() != values.len(),
            packed,
        }
    }

    /// Whether `text` is one of the codes; `None` when only the list itself can say.
    #[inline]
    pub(crate) fn contains(&self, text: &str) -> Option<bool> {
        match pack(text) {
            Some(p) if self.packed.contains(&p) => Some(true),
            _ if self.unpackable => None,
            _ => Some(false),
        }
    }
}

/// A value of up to three bytes as one `u32`: its length, then its bytes (equal packs, equal
/// values).
#[inline]
fn pack(s: &str) -> Option<u32> {
    let b = s.as_bytes();
    (b.len() <= 3).then(|| b.iter().fold(b.len() as u32, |w, &c| w << 8 | u32::from(c)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ValidateOptions, validate_bytes};
    use cpcert_spec::Spec;

    /// Findings per (rule, record) of a DLTPLAN file made of `records`.
    fn findings(records: &[&str]) -> Vec<(String, Option<u64>)> {
        let body: String = records.iter().map(|r| format!("{r}\r\n")).collect();
        let report = validate_bytes(
            "DLTPLAN_202504_1399100001_43_1399100101_11_20250426100000.CSV",
            body.as_bytes(),
            Spec::embedded(),
            &ValidateOptions::default(),
        );
        report
            .findings
            .iter()
            .map(|f| (f.rule.to_string(), f.record))
            .collect()
    }

    #[test]
    fn a_repeated_value_is_judged_each_time_whatever_came_before() {
        // A bad insured number three times, between good ones: three findings, each on its own
        // record; a good value repeated after a bad one stays good.
        let good = "202407,139998,0000000001,202504";
        let bad = "202407,139998,000000000X,202504";
        let got = findings(&[good, bad, bad, good, good, bad]);
        let insured: Vec<Option<u64>> = got
            .iter()
            .filter(|(rule, _)| rule == "field-insured-no")
            .map(|(_, record)| *record)
            .collect();
        assert_eq!(insured, [Some(2), Some(3), Some(6)], "{got:?}");
    }

    #[test]
    fn codes_answer_as_the_list_does() {
        let list: BTreeMap<String, String> = ["1", "01", "A2", "9"]
            .iter()
            .map(|c| ((*c).to_owned(), String::new()))
            .collect();
        let codes = Codes::new(&list);
        for probe in [
            "1", "01", "A2", "9", "", "0", "10", "001", "1 ", "A", "a2", "あ", "0001",
        ] {
            assert_eq!(
                codes.contains(probe),
                Some(list.contains_key(probe)),
                "{probe:?}"
            );
        }
        let long: BTreeMap<String, String> = [("1234".to_owned(), String::new())].into();
        let codes = Codes::new(&long);
        assert_eq!(codes.contains("1234"), None);
        assert_eq!(codes.contains("1"), None);
    }
}
