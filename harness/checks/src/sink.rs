//! Collects one file's findings, with a cap per rule so memory stays bounded on huge bad files.

use cpcert_spec::Field;

use crate::catalogue::RuleId;
use crate::finding::{Finding, Severity, clip_quoted};

/// Where a finding is.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Loc {
    pub(crate) record: Option<u64>,
    pub(crate) line: Option<u64>,
    pub(crate) byte_offset: Option<u64>,
}

pub(crate) struct Sink {
    file: String,
    cap: usize,
    /// Findings of each rule so far, by `RuleId as usize`.
    counts: Vec<u64>,
    findings: Vec<Finding>,
    assumed_layout: bool,
    /// Findings pushed so far, kept or counted past the cap.
    made: u64,
}

impl Sink {
    pub(crate) fn new(file: &str, cap: usize) -> Self {
        Self {
            file: file.to_owned(),
            cap,
            counts: vec![0; RuleId::ALL.len()],
            findings: Vec::new(),
            assumed_layout: false,
            made: 0,
        }
    }

    /// Pushes a finding of `rule_id`. `unsettled` downgrades an error to a warning because the
    /// spec item it rests on is low/medium confidence.
    pub(crate) fn push(
        &mut self,
        rule_id: RuleId,
        loc: Loc,
        field: Option<&Field>,
        expected: &str,
        actual: &str,
        unsettled: bool,
    ) {
        self.made += 1;
        let count = &mut self.counts[rule_id as usize];
        *count += 1;
        if *count as usize > self.cap {
            return;
        }
        let mut severity = rule_id.rule().severity;
        if unsettled {
            severity = Severity::Warning;
        }
        let (actual, actual_chars) = clip_quoted(actual);
        self.findings.push(Finding {
            rule: rule_id,
            severity,
            file: self.file.clone(),
            record: loc.record,
            line: loc.line,
            byte_offset: loc.byte_offset,
            field: field.map(|f| f.no),
            field_name: field.map(|f| f.name.clone()),
            expected: expected.to_owned(),
            actual,
            actual_chars,
            sensitive: field.is_some_and(|f| f.sensitive),
            unsettled,
            assumed_layout: self.assumed_layout,
        });
    }

    /// [`Self::push`] with `expected` and `actual` made by `make` only when the finding is kept:
    /// a rule that fires on every record of a huge file formats no text past its cap.
    pub(crate) fn push_with(
        &mut self,
        rule_id: RuleId,
        loc: Loc,
        field: Option<&Field>,
        unsettled: bool,
        make: impl FnOnce() -> (String, String),
    ) {
        let count = &mut self.counts[rule_id as usize];
        if *count as usize >= self.cap {
            *count += 1;
            self.made += 1;
            return;
        }
        let (expected, actual) = make();
        self.push(rule_id, loc, field, &expected, &actual, unsettled);
    }

    /// How many findings [`Self::push`] and [`Self::push_with`] have taken so far (kept or only
    /// counted): unchanged across a check, the check found nothing.
    pub(crate) fn made(&self) -> u64 {
        self.made
    }

    /// Counts `n` more findings of `rule_id` that were never made (the CSV reader counted them
    /// past its own cap); they show in the rule's `findings-truncated` count.
    pub(crate) fn count_only(&mut self, rule_id: RuleId, n: u64) {
        self.counts[rule_id as usize] += n;
    }

    /// Marks the findings pushed from now on as made with a layout the record did not declare.
    pub(crate) fn set_assumed_layout(&mut self, assumed: bool) {
        self.assumed_layout = assumed;
    }

    /// A finding about the file name.
    pub(crate) fn name(&mut self, rule_id: RuleId, expected: &str, actual: &str) {
        self.push(rule_id, Loc::default(), None, expected, actual, false);
    }

    /// A finding about the whole file.
    pub(crate) fn file(&mut self, rule_id: RuleId, expected: &str, actual: &str) {
        self.push(rule_id, Loc::default(), None, expected, actual, false);
    }

    /// The findings, plus one `findings-truncated` per rule that hit the cap.
    pub(crate) fn finish(mut self) -> Vec<Finding> {
        let counts = std::mem::replace(&mut self.counts, vec![0; RuleId::ALL.len()]);
        for (&id, &count) in RuleId::ALL.iter().zip(&counts) {
            if count as usize > self.cap {
                let left = count - self.cap as u64;
                self.counts[RuleId::FindingsTruncated as usize] = 0;
                self.push(
                    RuleId::FindingsTruncated,
                    Loc::default(),
                    None,
                    &format!("≤ {} × {id}", self.cap),
                    &format!("{count} × {id} ({left} 件省略 / left out)"),
                    false,
                );
            }
        }
        self.findings
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Lang, MAX_QUOTED_CHARS};

    #[test]
    fn findings_past_the_cap_and_counted_elsewhere_show_in_one_count() {
        let mut sink = Sink::new("F.CSV", 2);
        for _ in 0..3 {
            sink.file(RuleId::CsvBlankLine, "", "");
        }
        sink.count_only(RuleId::CsvBlankLine, 7);
        sink.count_only(RuleId::CsvStrayQuote, 0);
        let findings = sink.finish();
        assert_eq!(findings.len(), 3);
        let truncated = &findings[2];
        assert_eq!(truncated.rule, RuleId::FindingsTruncated);
        assert_eq!(
            truncated.actual,
            "10 × csv-blank-line (8 件省略 / left out)"
        );
    }

    #[test]
    fn a_long_value_is_quoted_up_to_the_limit_with_its_length() {
        let mut sink = Sink::new("F.CSV", 10);
        let long = "表".repeat(10_000);
        sink.file(RuleId::FieldDate, "YYYYMMDD", &long);
        sink.file(RuleId::FieldDate, "YYYYMMDD", &"x".repeat(MAX_QUOTED_CHARS));
        let findings = sink.finish();
        let clipped = &findings[0];
        assert_eq!(clipped.actual.chars().count(), MAX_QUOTED_CHARS + 1);
        assert!(clipped.actual.ends_with("表…"));
        assert_eq!(clipped.actual_chars, Some(10_000));
        assert!(clipped.message(Lang::Ja).ends_with("…（全10000文字）"));
        assert!(
            clipped
                .message(Lang::En)
                .ends_with("… (10000 characters in all)")
        );
        let json = serde_json::to_string(clipped).unwrap();
        assert!(
            json.len() < 1_000 && json.contains("\"actual_chars\":10000"),
            "{json}"
        );
        // A value at the limit is whole.
        assert_eq!(findings[1].actual.len(), MAX_QUOTED_CHARS);
        assert_eq!(findings[1].actual_chars, None);
    }
}
