//! The `cpcert validate --format json` document (docs/validate-json.md): one typed definition.
//! Findings have exactly the shape they have in results.json ([`Finding`]'s serde form), with
//! the message in the run's language added beside them.

use serde::Serialize;

use crate::finding::{Finding, Lang};
use crate::run::{Summary, ValidationRun};
use crate::walk::Skipped;

/// The `schema_version` of the validate document. Fields are added, never removed or renamed;
/// a change that breaks a reader raises it.
pub const VALIDATE_SCHEMA_VERSION: u32 = 1;

/// A finding as the validate document writes it: every field of results.json's finding, and
/// `message` in the chosen language.
#[derive(Debug, Serialize)]
pub struct MessageFinding<'a> {
    /// The finding (results.json's shape).
    #[serde(flatten)]
    pub finding: &'a Finding,
    /// [`Finding::message`] in the run's language.
    pub message: String,
}

/// One file of the document.
#[derive(Debug, Serialize)]
pub struct FileEntry<'a> {
    /// The path as given (escaped).
    pub path: &'a str,
    /// The file kind, when the name was recognised.
    pub kind: Option<&'a str>,
    /// The CSVバージョン of its first record.
    pub layout_version: Option<&'a str>,
    /// Data records read.
    pub records: u64,
    /// `CRLF`, `LF`, `CR` or `mixed`.
    pub line_ending: Option<&'static str>,
    /// Findings, in file order.
    pub findings: Vec<MessageFinding<'a>>,
}

/// One send unit of the document.
#[derive(Debug, Serialize)]
pub struct UnitEntry<'a> {
    /// The shared 連番.
    pub timestamp: &'a str,
    /// The permitted set it forms.
    pub unit: Option<&'a str>,
    /// Its files.
    pub files: &'a [String],
    /// Findings.
    pub findings: Vec<MessageFinding<'a>>,
}

/// The whole validate document.
#[derive(Debug, Serialize)]
pub struct ValidateDocument<'a> {
    /// [`VALIDATE_SCHEMA_VERSION`].
    pub schema_version: u32,
    /// Language of the messages.
    pub lang: Lang,
    /// Files validated.
    pub files: Vec<FileEntry<'a>>,
    /// Send units (when a folder or several files were given).
    pub send_units: Vec<UnitEntry<'a>>,
    /// Entries not validated, with the reason.
    pub skipped: &'a [Skipped],
    /// Totals.
    pub summary: Summary,
}

fn with_messages(findings: &[Finding], lang: Lang) -> Vec<MessageFinding<'_>> {
    findings
        .iter()
        .map(|f| MessageFinding {
            finding: f,
            message: f.message(lang),
        })
        .collect()
}

impl<'a> ValidateDocument<'a> {
    /// The document of a run, messages in `lang`.
    pub fn new(run: &'a ValidationRun, lang: Lang) -> Self {
        ValidateDocument {
            schema_version: VALIDATE_SCHEMA_VERSION,
            lang,
            files: run
                .files
                .iter()
                .map(|f| FileEntry {
                    path: &f.path,
                    kind: f.kind.as_deref(),
                    layout_version: f.layout_version.as_deref(),
                    records: f.records,
                    line_ending: f.line_ending,
                    findings: with_messages(&f.findings, lang),
                })
                .collect(),
            send_units: run
                .send_units
                .iter()
                .map(|u| UnitEntry {
                    timestamp: &u.timestamp,
                    unit: u.unit.as_deref(),
                    files: &u.files,
                    findings: with_messages(&u.findings, lang),
                })
                .collect(),
            skipped: &run.skipped,
            summary: run.summary,
        }
    }
}

/// The document `--format json` writes on stdout when the run could not be made (a missing
/// path, say): exit code 2, the error and its causes.
#[derive(Debug, Serialize)]
pub struct ErrorDocument {
    /// [`VALIDATE_SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The error.
    pub error: ErrorBody,
}

/// An error and its cause chain.
#[derive(Debug, Serialize)]
pub struct ErrorBody {
    /// The error, in the run's language.
    pub message: String,
    /// Its causes, outermost first (as the operating system or library said them).
    pub causes: Vec<String>,
}

impl ErrorDocument {
    /// The document of an error whose first line is `message` and whose causes are
    /// `source`'s chain.
    pub fn new(message: String, source: Option<&(dyn std::error::Error + 'static)>) -> Self {
        let mut causes = Vec::new();
        let mut next = source;
        while let Some(e) = next {
            causes.push(e.to_string());
            next = e.source();
        }
        ErrorDocument {
            schema_version: VALIDATE_SCHEMA_VERSION,
            error: ErrorBody { message, causes },
        }
    }
}
