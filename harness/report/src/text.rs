//! Finding messages and masking shared by the renderers.

use cpcert_checks::Finding;

use crate::results::FieldDiff;

/// What replaces a personal-data value in published output.
pub const MASK: &str = "＊＊＊";

/// The finding as it may be shown: with `mask`, a personal-data value is replaced by
/// [`Finding::masked`] (the `expected` side is a rule's description, not a person's data).
pub(crate) fn shown_finding(finding: &Finding, mask: bool) -> Finding {
    if mask {
        finding.masked()
    } else {
        finding.clone()
    }
}

/// The diff as it may be shown: both values masked when personal data and `mask` is on, because
/// in a field diff the expected value is data too (the golden file or the other product's export).
pub(crate) fn shown_diff(diff: &FieldDiff, mask: bool) -> FieldDiff {
    let mut shown = diff.clone();
    if mask && diff.sensitive {
        shown.expected = MASK.to_owned();
        shown.actual = MASK.to_owned();
    }
    shown
}

/// A diff as one line of text (JUnit failure bodies).
pub(crate) fn diff_line(diff: &FieldDiff) -> String {
    let mut at = diff.file.clone();
    if let Some(record) = diff.record {
        at.push_str(&format!(" record {record}"));
    }
    if let Some(field) = diff.field {
        at.push_str(&format!(" field {field}"));
        if let Some(name) = &diff.field_name {
            at.push_str(&format!(" ({name})"));
        }
    }
    if !diff.kind.is_value() {
        at.push_str(&format!(" [{}]", diff.kind.label(cpcert_checks::Lang::En)));
    }
    format!(
        "{at}: expected {:?}, actual {:?}",
        diff.expected, diff.actual
    )
}

/// Where a finding is, as one line (JUnit failure bodies).
pub(crate) fn finding_place(finding: &Finding) -> String {
    let mut at = finding.file.clone();
    for (label, value) in [("record", finding.record), ("line", finding.line)] {
        if let Some(value) = value {
            at.push_str(&format!(" {label} {value}"));
        }
    }
    if let Some(field) = finding.field {
        at.push_str(&format!(" field {field}"));
        if let Some(name) = &finding.field_name {
            at.push_str(&format!(" ({name})"));
        }
    }
    at
}

/// Adapter output made readable: ANSI escape sequences (colours, cursor moves) removed and other
/// control characters except tab and newline shown as U+FFFD. Vendor tools often colour their
/// stderr, and the codes are noise in a report (and invalid in XML).
pub(crate) fn clean_output(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => {
                // CSI: ESC [ parameters… final byte in @..~; other escapes: drop ESC and one char.
                if chars.next_if_eq(&'[').is_some() {
                    for c in chars.by_ref() {
                        if ('@'..='~').contains(&c) {
                            break;
                        }
                    }
                } else {
                    chars.next();
                }
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\t' | '\n' => out.push(c),
            c if c.is_control() => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ansi_sequences_and_controls_are_cleaned() {
        assert_eq!(
            clean_output("\u{1b}[31mred\u{1b}[0m\r\nok\u{7}"),
            "red\nok\u{FFFD}"
        );
        assert_eq!(clean_output("a\tb"), "a\tb");
    }

    #[test]
    fn masking_hides_only_sensitive_values() {
        let diff = FieldDiff {
            file: "F".into(),
            record: None,
            field: None,
            field_name: None,
            expected: "e".into(),
            actual: "a".into(),
            sensitive: true,
            kind: Default::default(),
        };
        let shown = shown_diff(&diff, true);
        assert_eq!(
            (shown.expected.as_str(), shown.actual.as_str()),
            (MASK, MASK)
        );
        assert_eq!(shown_diff(&diff, false), diff);
        let plain = FieldDiff {
            sensitive: false,
            ..diff
        };
        assert_eq!(shown_diff(&plain, true), plain);
    }
}
