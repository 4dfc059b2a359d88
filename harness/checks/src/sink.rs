//! Collects one file's findings, with a cap per rule so memory stays bounded on huge bad files.

use std::collections::BTreeMap;

use cpcert_spec::Field;

use crate::catalogue::rule;
use crate::finding::{Finding, Severity};

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
    counts: BTreeMap<&'static str, u64>,
    findings: Vec<Finding>,
}

impl Sink {
    pub(crate) fn new(file: &str, cap: usize) -> Self {
        Self {
            file: file.to_owned(),
            cap,
            counts: BTreeMap::new(),
            findings: Vec::new(),
        }
    }

    /// Pushes a finding of `rule_id`. `unsettled` downgrades an error to a warning because the
    /// spec item it rests on is low/medium confidence.
    pub(crate) fn push(
        &mut self,
        rule_id: &'static str,
        loc: Loc,
        field: Option<&Field>,
        expected: &str,
        actual: &str,
        unsettled: bool,
    ) {
        let count = self.counts.entry(rule_id).or_default();
        *count += 1;
        if *count as usize > self.cap {
            return;
        }
        let mut severity = rule(rule_id).severity;
        if unsettled {
            severity = Severity::Warning;
        }
        self.findings.push(Finding {
            rule: rule_id.to_owned(),
            severity,
            file: self.file.clone(),
            record: loc.record,
            line: loc.line,
            byte_offset: loc.byte_offset,
            field: field.map(|f| f.no),
            field_name: field.map(|f| f.name.clone()),
            expected: expected.to_owned(),
            actual: actual.to_owned(),
            sensitive: field.is_some_and(|f| f.sensitive),
            unsettled,
        });
    }

    /// A finding about the file name.
    pub(crate) fn name(&mut self, rule_id: &'static str, expected: &str, actual: &str) {
        self.push(rule_id, Loc::default(), None, expected, actual, false);
    }

    /// A finding about the whole file.
    pub(crate) fn file(&mut self, rule_id: &'static str, expected: &str, actual: &str) {
        self.push(rule_id, Loc::default(), None, expected, actual, false);
    }

    /// The findings, plus one `findings-truncated` per rule that hit the cap.
    pub(crate) fn finish(mut self) -> Vec<Finding> {
        for (id, count) in std::mem::take(&mut self.counts) {
            if count as usize > self.cap {
                let left = count - self.cap as u64;
                self.counts.insert("findings-truncated", 0);
                self.push(
                    "findings-truncated",
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
