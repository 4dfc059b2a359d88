//! Bytes → records: the strict MS932 reader of `cpcert-csv`, the layout's field count.

use cpcert_csv::{ByteIssueKind, Ms932Reader, Record};
use cpcert_spec::Layout;

use crate::ImportError;

/// One record as read: its values (index 0 = No.1) and where it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Row {
    pub(crate) values: Vec<String>,
    pub(crate) record: u64,
    pub(crate) line: u64,
}

impl Row {
    /// The value of field `no` (1-based); empty when the record has no such field.
    pub(crate) fn get(&self, no: u32) -> &str {
        usize::try_from(no)
            .ok()
            .and_then(|n| n.checked_sub(1))
            .and_then(|i| self.values.get(i))
            .map_or("", String::as_str)
    }
}

/// Reads every record of a CSV file of `layout`. Both MS932 codes of a NEC/IBM duplicate read
/// as the one character; encoder artefacts (`&#…;`, `?`) and control characters are kept as
/// text (they may be what the sender meant; the validator judges them); a blank line is skipped.
pub(crate) fn rows(file: &str, layout: &Layout, bytes: &[u8]) -> Result<Vec<Row>, ImportError> {
    let mut reader = Ms932Reader::new(bytes);
    let mut rec = Record::default();
    let mut issues = Vec::new();
    let mut out = Vec::new();
    loop {
        let more = reader
            .read_record(&mut rec, &mut issues)
            .map_err(|e| ImportError::Bytes {
                file: file.to_owned(),
                record: out.len() as u64 + 1,
                line: rec.line(),
                offset: rec.byte_offset(),
                reason: e.to_string(),
            })?;
        if let Some(issue) = issues.iter().find(|i| refused(&i.kind)) {
            return Err(ImportError::Bytes {
                file: file.to_owned(),
                record: issue.record,
                line: issue.line,
                offset: issue.byte_offset,
                reason: describe(&issue.kind),
            });
        }
        issues.clear();
        if !more {
            break;
        }
        if rec.len() != layout.field_count as usize {
            return Err(ImportError::FieldCount {
                file: file.to_owned(),
                kind: layout.kind.clone(),
                record: rec.number(),
                line: rec.line(),
                expected: layout.field_count,
                actual: rec.len(),
            });
        }
        out.push(Row {
            values: rec.iter().map(|f| f.text.to_owned()).collect(),
            record: rec.number(),
            line: rec.line(),
        });
    }
    Ok(out)
}

fn refused(kind: &ByteIssueKind) -> bool {
    !matches!(
        kind,
        ByteIssueKind::Entity { .. }
            | ByteIssueKind::QuestionMark
            | ByteIssueKind::Control { .. }
            | ByteIssueKind::BlankLine
    )
}

fn describe(kind: &ByteIssueKind) -> String {
    match kind {
        ByteIssueKind::Bom { .. } => "a byte order mark (the files are MS932 without BOM)".into(),
        ByteIssueKind::Utf8 => "UTF-8 text (the files are MS932)".into(),
        ByteIssueKind::Undecodable { bytes, .. } => format!("bytes {bytes:02X?} are not MS932"),
        ByteIssueKind::UserDefined { code } => {
            format!("user-defined character (外字) {code:04X}")
        }
        ByteIssueKind::UnterminatedQuote => "a quoted field is not closed".into(),
        ByteIssueKind::StrayQuote => "a quote inside an unquoted field".into(),
        ByteIssueKind::TextAfterQuote => "text after a closing quote".into(),
        ByteIssueKind::RecordTooLong { limit, bytes } => {
            format!("a record of {bytes} bytes, longer than the reader's limit of {limit}")
        }
        other => format!("{other:?}"),
    }
}
