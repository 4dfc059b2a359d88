//! Field rules: required, length, and one check per field kind.

use crate::catalogue::RuleId;
use cpcert_csv::FieldRef;
use cpcert_spec::{Field, FieldKind, ServiceKind, ServiceScope, Spec};

use crate::field_plan::Codes;
use crate::sink::{Loc, Sink};
use crate::values::{insurer_check_digit, is_digits, same, valid_date, valid_month, valid_time};

/// [`Spec::service_kind`] of one layout version, remembered per two-byte code: every record
/// looks up the kind of its service code, and a file uses few kinds.
pub(crate) struct ServiceKinds<'s> {
    spec: &'s Spec,
    version: &'s str,
    /// Direct-mapped: a code, and its kind.
    slots: [Option<([u8; 2], Option<&'s ServiceKind>)>; 64],
}

impl<'s> ServiceKinds<'s> {
    pub(crate) fn new(spec: &'s Spec, version: &'s str) -> Self {
        Self {
            spec,
            version,
            slots: [None; 64],
        }
    }

    /// The same as `spec.service_kind(version, code)`.
    pub(crate) fn get(&mut self, code: &str) -> Option<&'s ServiceKind> {
        let &[a, b] = code.as_bytes() else {
            return self.spec.service_kind(self.version, code);
        };
        let slot = &mut self.slots[usize::from(a.wrapping_mul(5) ^ b) % 64];
        match *slot {
            Some((key, kind)) if key == [a, b] => kind,
            _ => {
                let kind = self.spec.service_kind(self.version, code);
                *slot = Some(([a, b], kind));
                kind
            }
        }
    }
}

/// `field-required` for an empty value of a ○ field (out of line: the common path is a value).
#[cold]
#[inline(never)]
pub(crate) fn required_missing(field: &Field, value: FieldRef<'_>, record: u64, sink: &mut Sink) {
    sink.push(
        RuleId::FieldRequired,
        field_loc(record, value),
        Some(field),
        "値あり / a value",
        "",
        !field.confidence.required.is_settled(),
    );
}

/// Where the field `value` of record No. `record` is.
fn field_loc(record: u64, value: FieldRef<'_>) -> Loc {
    Loc {
        record: Some(record),
        line: Some(value.line),
        byte_offset: Some(value.byte_offset),
    }
}

/// The rules of a non-empty value of `field` (not the CSVバージョン, whose rules are the file's):
/// its kind's shape, and its length. `codes` are the field's codes, packed
/// ([`crate::field_plan`]).
pub(crate) fn check_value(
    kinds: &mut ServiceKinds<'_>,
    field: &Field,
    codes: Option<&Codes>,
    value: FieldRef<'_>,
    record: u64,
    sink: &mut Sink,
) {
    let text = value.text;
    let conf = field.confidence;
    if field.sentinel.as_deref().is_some_and(|s| same(s, text)) {
        return; // A record rule (hosoku-sentinel) decides whether the placeholder fits.
    }
    let mut fail = |rule: RuleId, expected: &str, unsettled: bool| {
        push_value(sink, rule, record, field, value, expected, unsettled);
    };
    match field.kind {
        FieldKind::Version => {} // File-level rules (version-*).
        FieldKind::Unused => fail(RuleId::FieldUnused, "空 / empty", false),
        FieldKind::Date => {
            if !valid_date(text) {
                fail(RuleId::FieldDate, "YYYYMMDD", false);
            }
        }
        FieldKind::Month => {
            if !valid_month(text) {
                fail(RuleId::FieldMonth, "YYYYMM", false);
            }
        }
        FieldKind::Time | FieldKind::TimeOr9999 => {
            let allow_9999 = field.kind == FieldKind::TimeOr9999;
            if text == "2400" {
                fail(RuleId::FieldTime2400, "0000–2359", false);
            } else if !(valid_time(text) || allow_9999 && text == "9999") {
                fail(
                    RuleId::FieldTime,
                    if allow_9999 {
                        "HHMM (0000–2359) / 9999"
                    } else {
                        "HHMM (0000–2359)"
                    },
                    false,
                );
            }
        }
        FieldKind::Code => {
            if let Some(values) = &field.values
                && !codes
                    .and_then(|c| c.contains(text))
                    .unwrap_or_else(|| values.contains_key(text))
            {
                code_failed(sink, record, field, value, !conf.values.is_settled());
            }
        }
        FieldKind::Integer => {
            let digits = text.strip_prefix('-').unwrap_or(text);
            if !is_digits(digits) {
                fail(RuleId::FieldInteger, "整数 / integer", false);
            }
        }
        FieldKind::Digits => {
            if !is_digits(text) {
                fail(RuleId::FieldDigits, "数字 / digits", false);
            }
        }
        FieldKind::InsurerNo => {
            if !(text.len() == 6 && is_digits(text)) {
                fail(RuleId::FieldInsurerNo, "NNNNNN (6桁)", false);
            } else if insurer_check_digit(&text[..5]) != Some(u32::from(text.as_bytes()[5] - b'0'))
            {
                check_digit_failed(sink, record, field, value);
            }
        }
        FieldKind::InsuredNo => {
            let ok = text.len() == 10
                && (is_digits(text) || text.starts_with('H') && is_digits(&text[1..]));
            if !ok {
                fail(RuleId::FieldInsuredNo, "NNNNNNNNNN / HNNNNNNNNN", false);
            }
        }
        FieldKind::OfficeNo => {
            if !(text.len() == 10 && is_digits(text)) {
                fail(RuleId::FieldOfficeNo, "NNNNNNNNNN (10桁)", false);
            }
        }
        FieldKind::Postal => {
            let b = text.as_bytes();
            let ok = b.len() == 8 && b[3] == b'-' && is_digits(&text[..3]) && is_digits(&text[4..]);
            if !ok {
                fail(RuleId::FieldPostal, "NNN-NNNN", false);
            }
        }
        FieldKind::Phone => {
            let ok = text.bytes().any(|b| b.is_ascii_digit())
                && text
                    .bytes()
                    .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'(' | b')'));
            if !ok {
                fail(RuleId::FieldPhone, "0-9 - ( )", false);
            }
        }
        FieldKind::Flags31 => {
            if !(text.len() == 31 && text.bytes().all(|b| b == b'0' || b == b'1')) {
                fail(RuleId::FieldFlags31, "[01]{31}", false);
            }
        }
        FieldKind::ServiceCode => {
            if text.len() == 6
                && text
                    .bytes()
                    .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
            {
                if let Some(kind) = kinds.get(&text[..2])
                    && kind.scope == ServiceScope::Out
                {
                    fail(
                        RuleId::FieldServiceKindScope,
                        "連携対象のサービス種類",
                        false,
                    );
                }
            } else {
                fail(RuleId::FieldServiceCode, "[0-9A-Z]{6}", false);
            }
        }
        FieldKind::DeviceCode => {
            let ascii = text.len() == 12
                && text.as_bytes()[5] == b'-'
                && is_digits(&text[..5])
                && is_digits(&text[6..]);
            if !ascii {
                // The spec's own example writes a full-width dash: accept it with a warning.
                let wide = text.split_once('－').is_some_and(|(a, b)| {
                    a.len() == 5 && b.len() == 6 && is_digits(a) && is_digits(b)
                });
                fail(RuleId::FieldDeviceCode, "NNNNN-NNNNNN", wide);
            }
        }
        FieldKind::UnitPrice => {
            let ok = text.split_once('.').is_some_and(|(a, b)| {
                (1..=2).contains(&a.len()) && is_digits(a) && b.len() == 2 && is_digits(b)
            });
            if !ok {
                fail(RuleId::FieldUnitPrice, "99.99", false);
            }
        }
        FieldKind::ServiceKind => match kinds.get(text) {
            None => fail(RuleId::FieldServiceKind, "サービス種類コード (2桁)", false),
            Some(k) if k.scope == ServiceScope::Out => fail(
                RuleId::FieldServiceKindScope,
                "連携対象のサービス種類",
                false,
            ),
            Some(_) => {}
        },
        FieldKind::Text => {
            if !value.quoted {
                fail(RuleId::TextUnquoted, "\"…\"", false);
            }
        }
        FieldKind::Other => {}
    }
    // Fixed-format kinds already check their exact shape; the length rule is for the others.
    let length_checked = matches!(
        field.kind,
        FieldKind::Text
            | FieldKind::Integer
            | FieldKind::Digits
            | FieldKind::Code
            | FieldKind::Phone
            | FieldKind::Other
    );
    if let (true, Some(max)) = (length_checked, field.length) {
        check_length(field, max, value, record, sink);
    }
}

/// Pushes a finding about the value of `field` (out of line: the checks' common path is a pass).
#[cold]
#[inline(never)]
fn push_value(
    sink: &mut Sink,
    rule: RuleId,
    record: u64,
    field: &Field,
    value: FieldRef<'_>,
    expected: &str,
    unsettled: bool,
) {
    sink.push(
        rule,
        field_loc(record, value),
        Some(field),
        expected,
        value.text,
        unsettled,
    );
}

/// `field-insurer-check-digit` for a six-digit value whose sixth digit is not its check digit.
#[cold]
#[inline(never)]
fn check_digit_failed(sink: &mut Sink, record: u64, field: &Field, value: FieldRef<'_>) {
    let text = value.text;
    let cd = insurer_check_digit(&text[..5]).unwrap_or_default();
    let expected = format!("{}{cd}", &text[..5]);
    push_value(
        sink,
        RuleId::FieldInsurerCheckDigit,
        record,
        field,
        value,
        &expected,
        false,
    );
}

/// `field-code` for a value that is not one of the field's codes.
#[cold]
#[inline(never)]
fn code_failed(sink: &mut Sink, record: u64, field: &Field, value: FieldRef<'_>, unsettled: bool) {
    let list: Vec<&str> = field
        .values
        .iter()
        .flat_map(|v| v.keys())
        .map(String::as_str)
        .collect();
    let expected = list.join("|");
    push_value(
        sink,
        RuleId::FieldCode,
        record,
        field,
        value,
        &expected,
        unsettled,
    );
}

/// 項目長 is measured in MS932 bytes (the unit is not stated; bytes is the stricter reading):
/// a value within the length in characters but not in bytes only warns.
#[inline]
fn check_length(field: &Field, max: u32, value: FieldRef<'_>, record: u64, sink: &mut Sink) {
    if value.raw.len() <= max as usize {
        return;
    }
    length_failed(field, max, value, record, sink);
}

/// [`check_length`] for a value longer than `max` bytes.
#[cold]
#[inline(never)]
fn length_failed(field: &Field, max: u32, value: FieldRef<'_>, record: u64, sink: &mut Sink) {
    let bytes = value.raw.len();
    let chars = value.text.chars().count();
    let actual = format!("{bytes} bytes / {chars} chars: {}", value.text);
    let (rule, unsettled) = if chars <= max as usize {
        (RuleId::FieldLengthBytes, false)
    } else if field.length_alt.is_some_and(|alt| bytes <= alt as usize) {
        // Within a competing, larger length from another source: warn only.
        (RuleId::FieldLength, true)
    } else {
        (RuleId::FieldLength, !field.confidence.length.is_settled())
    };
    sink.push(
        rule,
        field_loc(record, value),
        Some(field),
        &format!("≤ {max}"),
        &actual,
        unsettled,
    );
}
