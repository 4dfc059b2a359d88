//! Reading a file set: every file's records by field No. (through the layouts of the spec data)
//! and validate's findings, without the scenario model, so that any vendor's files render.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use cpcert_checks::{
    Finding, ParsedName, SendUnitReport, ValidateOptions, check_send_units, expand_paths,
    validate_bytes,
};
use cpcert_csv::{ByteIssue, Ms932Reader, Record};
use cpcert_spec::Spec;

/// Records kept per file for display; a file with more still has all its findings.
pub const MAX_RECORDS: usize = 20_000;
/// Bytes read per file; a larger file is rendered up to this size (validate reads all of it).
pub const MAX_FILE_BYTES: u64 = 64 << 20;
/// Attachments (the family picture) inlined up to this size.
pub const MAX_IMAGE_BYTES: usize = 8 << 20;

/// One input: a name (the file name decides the kind) and its bytes.
#[derive(Debug, Clone)]
pub struct Source {
    /// The path or name as given (its last component is the file name).
    pub name: String,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

/// One data record: its 1-based number and its fields' decoded text (index = field No. − 1).
#[derive(Debug, Clone, Default)]
pub struct Rec {
    /// 1-based record number (as in findings).
    pub number: u64,
    /// Field texts; a record with fewer fields than the layout simply has fewer.
    pub fields: Vec<String>,
}

impl Rec {
    /// The text of field No. `no` (1-based); empty when the record has no such field.
    pub fn get(&self, no: u32) -> &str {
        usize::try_from(no)
            .ok()
            .and_then(|n| n.checked_sub(1))
            .and_then(|i| self.fields.get(i))
            .map_or("", String::as_str)
    }
}

/// One file as read.
#[derive(Debug, Clone)]
pub struct SheetFile {
    /// The file name (last path component).
    pub name: String,
    /// The path as given.
    pub path: String,
    /// The file kind its name gives (`UPPLAN`, `UPKIHON_IMAGE`, …), if any.
    pub kind: Option<String>,
    /// What the name says.
    pub parsed: ParsedName,
    /// The records (CSV files), up to [`MAX_RECORDS`].
    pub records: Vec<Rec>,
    /// Whether records were left out (the file had more than [`MAX_RECORDS`] or more bytes than
    /// [`MAX_FILE_BYTES`]).
    pub truncated: bool,
    /// The bytes of an attachment (the family picture), when it is one and small enough.
    pub image: Option<Vec<u8>>,
    /// validate's findings for this file.
    pub findings: Vec<Finding>,
}

/// Everything read: the files in the order given and the send-unit findings over them.
#[derive(Debug, Clone, Default)]
pub struct FileSet {
    /// The files.
    pub files: Vec<SheetFile>,
    /// Send-unit reports (files sharing a 連番).
    pub send_units: Vec<SendUnitReport>,
}

/// Why a file set cannot be read (a usage error, not a finding).
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// A path that does not exist or a folder that cannot be read.
    #[error(transparent)]
    Path(#[from] cpcert_checks::PathError),
    /// A file that cannot be read.
    #[error("cannot read `{path}`")]
    File {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: io::Error,
    },
}

/// Reads files and folders (folders are searched for the standard's file names, as validate does).
///
/// # Errors
/// A path that does not exist, or a file or folder that cannot be read.
pub fn read_paths(paths: &[PathBuf], spec: &Spec) -> Result<FileSet, ReadError> {
    let opts = ValidateOptions::default();
    let files = expand_paths(paths, spec, &opts.layout_version)?;
    let mut sources = Vec::with_capacity(files.len());
    for path in files {
        let bytes = read_capped(&path).map_err(|source| ReadError::File {
            path: path.clone(),
            source,
        })?;
        sources.push(Source {
            name: path.display().to_string(),
            bytes,
        });
    }
    Ok(read_sources(&sources, spec))
}

fn read_capped(path: &Path) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    File::open(path)?
        .take(MAX_FILE_BYTES)
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Reads in-memory files: validates each one and keeps its records by field No.
pub fn read_sources(sources: &[Source], spec: &Spec) -> FileSet {
    let opts = ValidateOptions::default();
    let mut reports = Vec::with_capacity(sources.len());
    let mut files = Vec::with_capacity(sources.len());
    for source in sources {
        let report = validate_bytes(&source.name, &source.bytes, spec, &opts);
        let name = source
            .name
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or(&source.name)
            .to_owned();
        let kind = report.kind.clone();
        let is_attachment = kind
            .as_deref()
            .is_some_and(|k| spec.attachment(&opts.layout_version, k).is_some());
        let (records, truncated, image) = if is_attachment {
            let ok = report.findings.is_empty() && source.bytes.len() <= MAX_IMAGE_BYTES;
            (Vec::new(), false, ok.then(|| source.bytes.clone()))
        } else {
            let (records, truncated) = records(&source.bytes);
            let capped = source.bytes.len() as u64 >= MAX_FILE_BYTES;
            (records, truncated || capped, None)
        };
        files.push(SheetFile {
            name,
            path: source.name.clone(),
            kind,
            parsed: report.facts.name.clone(),
            records,
            truncated,
            image,
            findings: report.findings.clone(),
        });
        reports.push(report);
    }
    let send_units = if sources.len() > 1 {
        check_send_units(&reports, spec, &opts.layout_version)
    } else {
        Vec::new()
    };
    FileSet { files, send_units }
}

/// The records of CSV bytes, as far as they can be read.
fn records(bytes: &[u8]) -> (Vec<Rec>, bool) {
    let mut reader = Ms932Reader::new(bytes);
    let mut rec = Record::default();
    let mut issues: Vec<ByteIssue> = Vec::new();
    let mut out = Vec::new();
    // Reading from a slice cannot fail; an error would end the file here.
    while let Ok(true) = reader.read_record(&mut rec, &mut issues) {
        issues.clear();
        if out.len() >= MAX_RECORDS {
            return (out, true);
        }
        out.push(Rec {
            number: rec.number(),
            fields: rec.iter().map(|f| f.text.to_owned()).collect(),
        });
    }
    (out, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_by_number_and_short_records() {
        let rec = Rec {
            number: 1,
            fields: vec!["a".into(), "b".into()],
        };
        assert_eq!(rec.get(1), "a");
        assert_eq!(rec.get(2), "b");
        assert_eq!(rec.get(3), "");
        assert_eq!(rec.get(0), "");
    }

    #[test]
    fn reads_ms932_records_and_keeps_findings() {
        let bytes = cpcert_csv::encode_ms932("202407,139998,0000000016,\"計画 花子\"\r\n").unwrap();
        let set = read_sources(
            &[Source {
                name: "dir/UPPLAN_202504_1399100001_43_1399100101_11_20250325100000.CSV".into(),
                bytes,
            }],
            Spec::embedded(),
        );
        let file = &set.files[0];
        assert_eq!(file.kind.as_deref(), Some("UPPLAN"));
        assert_eq!(file.records.len(), 1);
        assert_eq!(file.records[0].get(4), "計画 花子");
        assert!(
            !file.findings.is_empty(),
            "a 4-field UPPLAN record has findings"
        );
    }
}
