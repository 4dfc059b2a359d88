//! Validating one file: name, bytes, syntax, fields, records and file rules in one streaming pass.

use crate::catalogue::RuleId;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::io::{self, Read};
use std::path::Path;

use cpcert_csv::{ByteIssue, ByteIssueClass, ByteIssueKind, Ms932Reader, Record};
use cpcert_spec::{Layout, Spec, VersionStatus};
use serde::Serialize;

use crate::field_plan::FieldPlan;
use crate::fields::ServiceKinds;
use crate::finding::Finding;
use crate::key_hash::KeyHash;
use crate::name::{ParsedName, check_name};
use crate::records::{NameFacts, RecordRules, SikyuState, finish_sikyu};
use crate::sink::{Loc, Sink};
use crate::values::{Short, same, valid_month};

/// Options for validation.
#[derive(Debug, Clone)]
pub struct ValidateOptions {
    /// The layout version files are named and checked against.
    pub layout_version: String,
    /// At most this many findings of one rule per file (then one `findings-truncated`).
    pub max_findings_per_rule: usize,
    /// A record longer than this many bytes is one `record-too-long` finding, and only its
    /// field count is checked: memory stays bounded when a quote is left open.
    pub max_record_bytes: u64,
}

impl Default for ValidateOptions {
    fn default() -> Self {
        Self {
            layout_version: cpcert_spec::CURRENT_LAYOUT_VERSION.to_owned(),
            max_findings_per_rule: 200,
            max_record_bytes: cpcert_csv::DEFAULT_MAX_RECORD_BYTES,
        }
    }
}

/// The outcome of validating one file.
#[derive(Debug, Clone, Serialize)]
pub struct FileReport {
    /// The path as given.
    pub path: String,
    /// The file kind, when the name was recognised.
    pub kind: Option<String>,
    /// The CSVバージョン of the records (first record's), when readable.
    pub layout_version: Option<String>,
    /// Number of data records read.
    pub records: u64,
    /// Line ending used: `CRLF`, `LF`, `CR` or `mixed`.
    pub line_ending: Option<&'static str>,
    /// Findings, in file order.
    pub findings: Vec<Finding>,
    /// What the send-unit rules need to know of this file.
    #[serde(skip)]
    pub facts: UnitFacts,
}

/// Facts about one file that the send-unit rules use.
#[derive(Debug, Clone, Default)]
pub struct UnitFacts {
    /// What the name says.
    pub name: ParsedName,
    /// Key tuples per projection (field Nos.) asked for by the send-unit links, each encoded as
    /// its parts, each part preceded by its length in bytes (u32, little endian): the rules only
    /// compare them.
    pub keys: BTreeMap<Vec<u32>, HashSet<Box<[u8]>, KeyHash>>,
    /// Service months found in records.
    pub months: BTreeSet<String>,
    /// Picture file names named by the records (UPKIHON No.62).
    pub image_refs: BTreeSet<String>,
    /// More keys than the cap: some were not collected.
    pub keys_truncated: bool,
}

/// Distinct key tuples kept per projection; beyond this the send-unit key rule says it did not
/// compare everything (memory stays bounded on huge files).
const KEY_CAP: usize = 100_000;

/// Validates a file on disk.
///
/// # Errors
/// The file cannot be opened or read (a usage error, not a finding).
pub fn validate_file(path: &Path, spec: &Spec, opts: &ValidateOptions) -> io::Result<FileReport> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    // Opening a FIFO for reading would wait for a writer: open without waiting, then refuse
    // anything that is not a regular file on the open handle (no race with a swapped entry).
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    let file = options.open(path)?;
    if !file.metadata()?.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "not a regular file (FIFO, socket or device)",
        ));
    }
    validate_reader(&crate::walk::display_path(path), file, spec, opts)
}

/// Validates in-memory bytes named `path`.
pub fn validate_bytes(path: &str, bytes: &[u8], spec: &Spec, opts: &ValidateOptions) -> FileReport {
    validate_reader(path, bytes, spec, opts).expect("reading from a byte slice cannot fail")
}

/// Validates bytes from a reader, streaming: memory does not grow with the file's size.
///
/// # Errors
/// The reader fails.
pub fn validate_reader<R: Read>(
    path: &str,
    mut reader: R,
    spec: &Spec,
    opts: &ValidateOptions,
) -> io::Result<FileReport> {
    let version = opts.layout_version.as_str();
    let mut sink = Sink::new(path, opts.max_findings_per_rule);
    let base = path.rsplit(['/', '\\']).next().unwrap_or(path);
    let name = check_name(base, spec, version, &mut sink);
    let mut report = FileReport {
        path: path.to_owned(),
        kind: name.kind.clone(),
        layout_version: None,
        records: 0,
        line_ending: None,
        findings: Vec::new(),
        facts: UnitFacts::default(),
    };
    if let Some((_, attachment)) = name
        .kind
        .as_deref()
        .and_then(|k| spec.attachment(version, k))
    {
        let magic = attachment.magic_bytes();
        let mut head = vec![0u8; magic.len()];
        let n = read_up_to(&mut reader, &mut head)?;
        if head[..n] != magic[..] {
            sink.file(
                RuleId::ImageFormat,
                &format!(
                    "{} ({})",
                    attachment.format.to_ascii_uppercase(),
                    attachment.magic
                ),
                &format!("{:02X?}", &head[..n]),
            );
        }
        report.findings = sink.finish();
        report.facts.name = name;
        return Ok(report);
    }
    // A file that is not text (a picture, an archive, a spreadsheet saved as .CSV) is one
    // finding: parsing it as CSV would print hundreds of meaningless ones.
    let mut head = vec![0u8; SNIFF_BYTES];
    let n = read_up_to(&mut reader, &mut head)?;
    head.truncate(n);
    if let Some(why) = not_text(&head) {
        sink.file(RuleId::NotText, "MS932 のテキスト / MS932 text", &why);
        report.findings = sink.finish();
        report.facts.name = name;
        return Ok(report);
    }
    let reader = io::Cursor::new(head).chain(reader);
    let layout = name.kind.as_deref().and_then(|k| spec.layout(version, k));
    let projections = layout
        .map(|l| key_projections(spec, version, l))
        .unwrap_or_default();
    let mut facts = UnitFacts {
        name,
        ..UnitFacts::default()
    };
    for p in &projections {
        facts.keys.insert(p.clone(), HashSet::default());
    }
    let rules = layout.map(|l| RecordRules::new(l, spec, version));
    let mut plan = layout.map(FieldPlan::new);
    let mut kinds = ServiceKinds::new(spec, version);
    let mut sikyu = SikyuState::default();
    let mut file_version: Option<String> = None;
    // The file's version as a `Short`, to compare each record's with (`None` until it has one).
    let mut version_short: Option<Short> = None;
    let mut version_status: Option<Option<VersionStatus>> = None;
    let mut versions_reported = BTreeSet::new();
    // Whether the file's version is the checkable one, once the file has a version.
    let mut file_checkable: Option<bool> = None;
    let mut first_month: Option<String> = None;
    let mut months_reported = BTreeSet::new();
    // Months already taken through the name-month and month-set steps below (valid or the
    // sentinel): a record with one of them can only add a `month-mixed` finding, so it skips
    // the month's validation and set look-ups (most records repeat a few months).
    let mut months_done: Vec<Option<Short>> = Vec::new();
    let mut last_keys = KeyScratch {
        last: vec![Vec::new(); facts.keys.len()],
        buf: Vec::new(),
    };
    // The field that names an attachment (UPKIHON No.62 → the family picture).
    let image_field = layout
        .and_then(|l| l.attachments.iter().find_map(|a| a.named_by))
        .map(|no| no as usize - 1);
    // The reader keeps as many issues of a kind as the sink keeps findings of a rule, and counts
    // the rest, which go to the sink's count below: memory stays flat on a file of one fault.
    let mut csv = Ms932Reader::new(reader)
        .with_max_record_bytes(opts.max_record_bytes)
        .with_max_issues_per_kind(opts.max_findings_per_rule as u64);
    let mut rec = Record::default();
    let mut issues = Vec::new();
    loop {
        let more = csv.read_record(&mut rec, &mut issues)?;
        if !issues.is_empty() {
            for issue in issues.drain(..) {
                byte_issue(issue, layout, &mut sink);
            }
        }
        if !more {
            break;
        }
        report.records += 1;
        let Some(layout) = layout else { continue };
        let loc = Loc {
            record: Some(rec.number()),
            line: Some(rec.line()),
            byte_offset: Some(rec.byte_offset()),
        };
        // A record over the byte limit (`record-too-long`, from the reader's issue) keeps its
        // later fields empty: only its field count is checked, as anything else would make
        // false findings.
        if rec.truncated() {
            if rec.len() != layout.fields.len() {
                field_count(&rec, layout, loc, &mut sink);
            }
            continue;
        }
        if rec.number() == 1 && looks_like_header(&rec, layout) {
            let first = rec.field(0).map_or("", |f| f.text);
            sink.push(
                RuleId::HeaderRow,
                loc,
                None,
                "データレコード / data record",
                first,
                false,
            );
            continue;
        }
        // CSVバージョン decides the layout: a record of another version is never read with
        // the V4.1 columns.
        let v = rec.text(0);
        // A record whose version or field count does not say it follows this layout is still
        // checked with it (nothing hidden behind the first error), its findings marked
        // `assumed_layout`; it takes no part in the file's month and key facts.
        let mut assumed = false;
        if version_short.is_some() && Short::of(v.as_bytes()) == version_short {
            // The usual record: the file's version again, found valid on its first record.
        } else if !(v.len() == 6 && v.bytes().all(|b| b.is_ascii_digit())) {
            sink.push(
                RuleId::VersionInvalid,
                loc,
                layout.fields.first(),
                "YYYYMM",
                v,
                false,
            );
            assumed = true;
        } else {
            match &file_version {
                None => {
                    file_version = Some(v.to_owned());
                    version_short = Short::of(v.as_bytes());
                }
                Some(first) if first != v => {
                    sink.push(
                        RuleId::VersionMixed,
                        loc,
                        layout.fields.first(),
                        first,
                        v,
                        false,
                    );
                    assumed = true;
                }
                Some(_) => {}
            }
        }
        // The file's version (its first record's) decides, so its status is looked up once, and
        // whether it is checkable is decided once it is known.
        let fv = file_version.as_deref().unwrap_or(v);
        let status = *version_status.get_or_insert_with(|| spec.version(fv).map(|i| i.status));
        let checkable = match file_checkable {
            Some(checkable) => checkable,
            None => {
                let checkable = status == Some(VersionStatus::Current) && fv == version;
                if file_version.is_some() {
                    file_checkable = Some(checkable);
                }
                checkable
            }
        };
        if !checkable {
            if versions_reported.is_empty() && versions_reported.insert(fv.to_owned()) {
                let (rule, expected) = match status {
                    Some(VersionStatus::Withdrawn) => {
                        (RuleId::VersionWithdrawn, version.to_owned())
                    }
                    Some(VersionStatus::Superseded) => {
                        (RuleId::VersionSuperseded, version.to_owned())
                    }
                    _ => (RuleId::VersionUnknown, version.to_owned()),
                };
                sink.push(rule, loc, layout.fields.first(), &expected, fv, false);
            }
            assumed = true;
        }
        let count_ok = rec.len() == layout.fields.len();
        if !count_ok {
            field_count(&rec, layout, loc, &mut sink);
            assumed = true;
        }
        // A record a field or two off still most likely follows the layout (a column left out
        // at the end, one too many): its fields are checked by position. One far off does not
        // follow it, and checking it would only make noise.
        let near = rec.len().abs_diff(layout.fields.len()) <= (layout.fields.len() / 10).max(2);
        if !near {
            continue;
        }
        sink.set_assumed_layout(assumed);
        if let Some(plan) = &mut plan {
            plan.check(&mut kinds, &rec, &mut sink);
        }
        // Cross-field rules need every column where the layout puts it.
        if let Some(rules) = rules.as_ref().filter(|_| count_ok) {
            let name = NameFacts {
                month: facts.name.month.as_deref(),
                from_kind: facts.name.from_kind.as_deref(),
            };
            rules.check(&mut kinds, layout, &rec, name, &mut sikyu, &mut sink);
        }
        sink.set_assumed_layout(false);
        if assumed {
            continue;
        }
        if let Some(no) = layout.month_field {
            let i = no as usize - 1;
            let month = rec.text(i);
            let month_short = Short::of(month.as_bytes());
            let done = month_short.is_some() && months_done.contains(&month_short);
            if done || valid_month(month) || layout.fields[i].sentinel.as_deref() == Some(month) {
                // Where the month is: made only for a finding.
                let floc = || {
                    rec.field(i).map_or(loc, |f| Loc {
                        record: Some(rec.number()),
                        line: Some(f.line),
                        byte_offset: Some(f.byte_offset),
                    })
                };
                let mut known = false;
                match &first_month {
                    None => first_month = Some(month.to_owned()),
                    Some(first) if !same(first, month) => {
                        sink.push(
                            RuleId::MonthMixed,
                            floc(),
                            layout.fields.get(i),
                            first,
                            month,
                            false,
                        );
                    }
                    // The first month went into `facts.months` with the first record.
                    Some(_) => known = true,
                }
                // Done once per month: afterwards the month is reported (or is the name's) and
                // in the month set (or the set is full); neither changes back.
                if !done {
                    if let Some(name_month) = &facts.name.month
                        && name_month != month
                        && !months_reported.contains(month)
                        && months_reported.insert(month.to_owned())
                    {
                        sink.push(
                            RuleId::MonthNameMismatch,
                            floc(),
                            layout.fields.get(i),
                            name_month,
                            month,
                            false,
                        );
                    }
                    if !known && facts.months.len() < 64 && !facts.months.contains(month) {
                        facts.months.insert(month.to_owned());
                    }
                    if months_done.len() < MONTHS_DONE_CAP && month_short.is_some() {
                        months_done.push(month_short);
                    }
                }
            }
        }
        collect_keys(&rec, &mut facts, &mut last_keys);
        if let Some(i) = image_field {
            let v = rec.text(i);
            if !v.is_empty() && facts.image_refs.len() < KEY_CAP {
                facts.image_refs.insert(v.to_owned());
            }
        }
    }
    for class in ByteIssueClass::ALL {
        sink.count_only(byte_issue_rule(class), csv.issues_left_out(class));
    }
    let endings = csv.line_endings();
    report.line_ending = match (endings.crlf > 0, endings.lf > 0, endings.cr > 0) {
        (true, false, false) => Some("CRLF"),
        (false, true, false) => Some("LF"),
        (false, false, true) => Some("CR"),
        (false, false, false) => None,
        _ => Some("mixed"),
    };
    match report.line_ending {
        Some("LF") | Some("CR") => sink.file(
            RuleId::LineEndingLf,
            "CRLF",
            report.line_ending.unwrap_or_default(),
        ),
        Some("mixed") => sink.file(
            RuleId::LineEndingMixed,
            "CRLF",
            &format!("CRLF×{} LF×{} CR×{}", endings.crlf, endings.lf, endings.cr),
        ),
        _ => {}
    }
    if report.records > 0 && !endings.final_newline {
        sink.file(RuleId::FinalNewlineMissing, "CRLF", "EOF");
    }
    // A companion (別表) travels with its parent even when it has no rows (本文 §3.3); any
    // other file with no record is not a file of the standard (docs/rules.md policies).
    if report.records == 0 && layout.is_some_and(|l| l.name.companion_of.is_none()) {
        sink.file(RuleId::FileEmpty, "1件以上 / at least one record", "0");
    }
    if layout.is_some_and(|l| l.kind == "UPSIKYU") {
        finish_sikyu(sikyu, &mut sink);
    }
    report.layout_version = file_version;
    report.findings = sink.finish();
    report.facts = facts;
    Ok(report)
}

/// How many months [`validate_reader`] remembers as done (a file has one or a few).
const MONTHS_DONE_CAP: usize = 4;

/// How much of a file's start decides whether it is text.
const SNIFF_BYTES: usize = 8192;

/// Why the first block of a file is not text: a NUL byte, or more than one byte in ten a
/// control byte other than TAB, CR and LF. (A text CSV with a stray control character gets
/// `encoding-control` findings instead.)
fn not_text(head: &[u8]) -> Option<String> {
    if let Some(at) = head.iter().position(|&b| b == 0) {
        return Some(format!("NUL (0x00) @{at}"));
    }
    let controls = head
        .iter()
        .filter(|&&b| (b < 0x20 && !matches!(b, b'\t' | b'\r' | b'\n')) || b == 0x7F)
        .count();
    (controls * 10 > head.len()).then(|| {
        format!(
            "制御バイト / control bytes {controls}/{} (先頭 / first {} bytes)",
            head.len(),
            head.len()
        )
    })
}

fn field_count(rec: &Record, layout: &Layout, loc: Loc, sink: &mut Sink) {
    sink.push(
        RuleId::FieldCount,
        loc,
        None,
        &layout.field_count.to_string(),
        &rec.len().to_string(),
        false,
    );
}

fn read_up_to<R: Read>(reader: &mut R, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match reader.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// A first record is a header when its first field is not a version and some field carries a
/// layout field name (or "CSV"/"バージョン").
fn looks_like_header(rec: &Record, layout: &Layout) -> bool {
    let first = rec.field(0).map_or("", |f| f.text);
    if first.len() == 6 && first.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    first.contains("CSV")
        || first.contains("バージョン")
        || rec
            .iter()
            .any(|f| !f.text.is_empty() && layout.fields.iter().any(|lf| lf.name == f.text))
}

fn key_projections(spec: &Spec, version: &str, layout: &Layout) -> Vec<Vec<u32>> {
    let mut out = BTreeSet::new();
    for unit in spec.send_units(version) {
        for link in &unit.links {
            if link.child == layout.kind {
                out.insert(link.fields.clone());
            }
            if link.parent == layout.kind {
                out.insert(link.parent_fields.clone());
            }
        }
    }
    out.into_iter().collect()
}

/// Appends the key tuple `parts` to `out`, each part preceded by its length (u32, little
/// endian): two tuples encode alike exactly when they are equal.
fn encode_key<'a>(parts: impl IntoIterator<Item = &'a str>, out: &mut Vec<u8>) {
    for part in parts {
        let len = u32::try_from(part.len()).unwrap_or(u32::MAX);
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(part.as_bytes());
    }
}

/// The previous record's encoded key per projection (one entry each), and a buffer:
/// [`collect_keys`] allocates only for a key it keeps.
struct KeyScratch {
    last: Vec<Vec<u8>>,
    buf: Vec<u8>,
}

/// Adds the record's key tuples to the file's facts. Consecutive records of one person share
/// their keys, so a key equal to the previous record's is not looked up (or allocated) again.
fn collect_keys(rec: &Record, facts: &mut UnitFacts, scratch: &mut KeyScratch) {
    let mut truncated = false;
    let KeyScratch { last, buf } = scratch;
    for ((projection, set), prev) in facts.keys.iter_mut().zip(last.iter_mut()) {
        let text = |no: &u32| rec.text(*no as usize - 1);
        buf.clear();
        encode_key(projection.iter().map(text), buf);
        if buf == prev {
            continue;
        }
        if set.len() < KEY_CAP {
            if !set.contains(buf.as_slice()) {
                set.insert(buf.as_slice().into());
            }
        } else if !set.contains(buf.as_slice()) {
            truncated = true;
        }
        std::mem::swap(prev, buf);
    }
    facts.keys_truncated |= truncated;
}

/// The rule of a byte issue's kind.
fn byte_issue_rule(class: ByteIssueClass) -> RuleId {
    match class {
        ByteIssueClass::Bom => RuleId::EncodingBom,
        ByteIssueClass::Utf8 => RuleId::EncodingUtf8,
        ByteIssueClass::Undecodable => RuleId::EncodingUndecodable,
        ByteIssueClass::UserDefined => RuleId::EncodingUserDefined,
        ByteIssueClass::Entity => RuleId::EncodingEntity,
        ByteIssueClass::QuestionMark => RuleId::EncodingQuestionMark,
        ByteIssueClass::Control => RuleId::EncodingControl,
        ByteIssueClass::UnterminatedQuote => RuleId::CsvUnterminatedQuote,
        ByteIssueClass::StrayQuote => RuleId::CsvStrayQuote,
        ByteIssueClass::TextAfterQuote => RuleId::CsvTextAfterQuote,
        ByteIssueClass::BlankLine => RuleId::CsvBlankLine,
        ByteIssueClass::RecordTooLong => RuleId::RecordTooLong,
    }
}

fn byte_issue(issue: ByteIssue, layout: Option<&Layout>, sink: &mut Sink) {
    let field = issue
        .field
        .and_then(|i| layout.and_then(|l| l.fields.get(i - 1)));
    let loc = Loc {
        record: Some(issue.record),
        line: Some(issue.line),
        byte_offset: Some(issue.byte_offset),
    };
    let hex = |bytes: &[u8]| {
        bytes
            .iter()
            .map(|b| format!("{b:02X}"))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let rule = byte_issue_rule(issue.kind.class());
    let (_, expected, actual) = match &issue.kind {
        ByteIssueKind::Bom { bytes } => (
            RuleId::EncodingBom,
            "MS932 (BOMなし)".to_owned(),
            hex(bytes),
        ),
        ByteIssueKind::Utf8 => (RuleId::EncodingUtf8, "MS932".to_owned(), "UTF-8".to_owned()),
        ByteIssueKind::Undecodable { bytes, len } => {
            let mut shown = hex(bytes);
            if *len > bytes.len() as u64 {
                shown.push_str(&format!(" … ({len} bytes)"));
            }
            (RuleId::EncodingUndecodable, "MS932".to_owned(), shown)
        }
        ByteIssueKind::UserDefined { code } => (
            RuleId::EncodingUserDefined,
            "MS932 (外字なし)".to_owned(),
            format!("{code:04X}"),
        ),
        ByteIssueKind::Entity { text } => (
            RuleId::EncodingEntity,
            "MS932の文字".to_owned(),
            text.clone(),
        ),
        ByteIssueKind::QuestionMark => (
            RuleId::EncodingQuestionMark,
            "元の文字".to_owned(),
            "?".to_owned(),
        ),
        ByteIssueKind::Control { byte } => (
            RuleId::EncodingControl,
            "印字可能文字".to_owned(),
            format!("0x{byte:02X}"),
        ),
        ByteIssueKind::UnterminatedQuote => (
            RuleId::CsvUnterminatedQuote,
            "\"…\"".to_owned(),
            "EOF".to_owned(),
        ),
        ByteIssueKind::StrayQuote => (
            RuleId::CsvStrayQuote,
            "\"…\" / \"\"".to_owned(),
            "\"".to_owned(),
        ),
        ByteIssueKind::TextAfterQuote => (
            RuleId::CsvTextAfterQuote,
            "\"…\",".to_owned(),
            "\"…\"x".to_owned(),
        ),
        ByteIssueKind::BlankLine => (
            RuleId::CsvBlankLine,
            "レコード / record".to_owned(),
            "(空行)".to_owned(),
        ),
        ByteIssueKind::RecordTooLong { limit, bytes } => (
            RuleId::RecordTooLong,
            format!("≤ {limit} bytes"),
            format!("{bytes} bytes"),
        ),
    };
    // A blank line is not a record: do not name one.
    let loc = if matches!(issue.kind, ByteIssueKind::BlankLine) {
        Loc {
            record: None,
            ..loc
        }
    } else {
        loc
    };
    sink.push(rule, loc, field, &expected, &actual, false);
}
