//! Import: file names and MS932 bytes → send units → items → the receiver's database.

use super::Fault;
use std::collections::BTreeMap;

use cpcert_spec::Role;

use super::apply::{Identity, Item, Op, apply_unit, empty_state, finish};
use super::{ExportedFile, ImportError};
use crate::layout::{FileKind, RecordIn};
use crate::model::{
    BasicInfo, BasicInfoDoc, CarePlan, DailyLifeRow, Endpoint, Exchange, MedicalHistoryRow,
    Picture, ResultSheet, Scenario, SendSet, ServiceMonth, ServiceRow, SummaryRow, Supplement,
    SupplementDoc, SupportPlan, SupportPlanDoc, SupportPlanRow, Table1, Table2Row, Table3Row,
    TypeLimit,
};
use cpcert_csv::{ByteIssueKind, Ms932Reader, Record};

use crate::text::{base64_encode, decode_ms932};

/// What a file name says.
#[derive(Debug, Clone, PartialEq, Eq)]
struct FileName {
    /// `None` for the family picture.
    kind: Option<FileKind>,
    month: Option<String>,
    from: Endpoint,
    to: Endpoint,
    sequence: String,
}

fn is_digits(v: &str, n: usize) -> bool {
    v.len() == n && v.bytes().all(|b| b.is_ascii_digit())
}

fn parse_name(name: &str) -> Result<FileName, ImportError> {
    parse_name_with(name, None)
}

fn parse_name_with(name: &str, fault: Option<Fault>) -> Result<FileName, ImportError> {
    let bad = |message: &str| ImportError::BadName {
        file: name.to_owned(),
        message: message.to_owned(),
    };
    let (stem, ext) = name.rsplit_once('.').ok_or_else(|| bad("no extension"))?;
    let (kind, rest) = if let Some(rest) = stem.strip_prefix("UPKIHON_IMAGE_") {
        if !ext.eq_ignore_ascii_case("jpg") {
            return Err(bad("a picture must end in .jpg"));
        }
        (None, rest)
    } else {
        // `.CSV` in every example; `.csv` is a warning for a writer and read all the same
        // (docs/rules.md policy「File name extension」).
        if !ext.eq_ignore_ascii_case("csv")
            || (fault == Some(Fault::UppercaseExtensionRequired) && ext != "CSV")
        {
            return Err(bad("a CSV file must end in .CSV"));
        }
        let kind = FileKind::ALL
            .into_iter()
            .find(|k| stem.starts_with(&format!("{}_", k.prefix())))
            .ok_or_else(|| bad("unknown file kind prefix"))?;
        (Some(kind), &stem[kind.prefix().len() + 1..])
    };
    let parts: Vec<&str> = rest.split('_').collect();
    let with_month = kind.is_some_and(FileKind::has_month);
    let expected = match kind {
        None => 6,
        Some(_) if with_month => 6,
        Some(_) => 5,
    };
    if parts.len() != expected {
        return Err(bad(&format!(
            "{} parts after the prefix, expected {expected}",
            parts.len()
        )));
    }
    let (month, p) = if with_month {
        (parts.first().map(|m| (*m).to_owned()), &parts[1..])
    } else {
        (None, &parts[..])
    };
    let [from, from_kind, to, to_kind, sequence, ..] = p else {
        return Err(bad("too few parts"));
    };
    if let Some(m) = &month
        && !is_digits(m, 6)
    {
        return Err(bad("the month part is not 6 digits"));
    }
    if !is_digits(from, 10) || !is_digits(to, 10) {
        return Err(bad("an office number is not 10 digits"));
    }
    for k in [from_kind, to_kind] {
        if k.len() != 2 || !k.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(bad("a service kind is not 2 characters"));
        }
    }
    if !is_digits(sequence, 14) {
        return Err(bad("the sequence number is not 14 digits"));
    }
    if kind.is_none() && !p.get(5).is_some_and(|b| is_digits(b, 4)) {
        return Err(bad("the picture branch is not 4 digits"));
    }
    Ok(FileName {
        kind,
        month,
        from: Endpoint {
            office: (*from).to_owned(),
            kind: (*from_kind).to_owned(),
        },
        to: Endpoint {
            office: (*to).to_owned(),
            kind: (*to_kind).to_owned(),
        },
        sequence: (*sequence).to_owned(),
    })
}

/// Splits decoded text into records, quote-aware: a quoted field may hold commas, doubled
/// quotes and line breaks. Records end at CRLF, LF or CR outside quotes; a final line break
/// is optional.
pub(crate) fn parse_csv(text: &str) -> Result<Vec<Vec<String>>, (usize, String)> {
    let mut records = Vec::new();
    let mut record: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut at_field_start = true;
    let mut any = false;
    while let Some(c) = chars.next() {
        any = true;
        match c {
            '"' if at_field_start => {
                at_field_start = false;
                loop {
                    match chars.next() {
                        Some('"') if chars.peek() == Some(&'"') => {
                            chars.next();
                            field.push('"');
                        }
                        Some('"') => break,
                        Some(other) => field.push(other),
                        None => {
                            return Err((
                                records.len() + 1,
                                "unterminated quoted field".to_owned(),
                            ));
                        }
                    }
                }
                match chars.peek() {
                    None | Some(',' | '\r' | '\n') => {}
                    Some(_) => {
                        return Err((records.len() + 1, "text after a closing quote".to_owned()));
                    }
                }
            }
            '"' => {
                return Err((
                    records.len() + 1,
                    "a quote inside an unquoted field".to_owned(),
                ));
            }
            ',' => {
                record.push(std::mem::take(&mut field));
                at_field_start = true;
            }
            '\r' | '\n' => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
                at_field_start = true;
                any = false;
            }
            other => {
                at_field_start = false;
                field.push(other);
            }
        }
    }
    if any {
        record.push(field);
        records.push(record);
    }
    Ok(records)
}

/// A parsed CSV file.
struct CsvIn {
    name: String,
    meta: FileName,
    kind: FileKind,
    records: Vec<RecordIn>,
}

fn read_csv(
    file: &ExportedFile,
    meta: FileName,
    kind: FileKind,
    fault: Option<Fault>,
) -> Result<CsvIn, ImportError> {
    let syntax = |(record, message)| ImportError::Syntax {
        file: file.name.clone(),
        record,
        message,
    };
    if fault == Some(Fault::CrlfRequired)
        && let Some(record) = bare_lf_record(&file.bytes)
    {
        return Err(ImportError::Syntax {
            file: file.name.clone(),
            record,
            message: "a line ending is not CRLF".to_owned(),
        });
    }
    // Whether each field was quoted (unknown, so empty, for the line-based reader).
    let mut quoted: Vec<Vec<bool>> = Vec::new();
    let rows = if fault == Some(Fault::LineBasedParsing) {
        // Splits on line breaks first, then parses each line.
        let text = decode_ms932(&file.bytes).map_err(|offset| ImportError::Encoding {
            file: file.name.clone(),
            offset,
        })?;
        let mut rows = Vec::new();
        for line in text.lines() {
            rows.extend(parse_csv(line).map_err(syntax)?);
        }
        rows
    } else if fault == Some(Fault::TakaVariant) {
        read_records(
            &file.name,
            &taka_as_taka(&file.bytes, (0xFB, 0xFC)),
            &mut quoted,
        )?
    } else if fault == Some(Fault::TakaNecVariant) {
        read_records(
            &file.name,
            &taka_as_taka(&file.bytes, (0xEE, 0xE0)),
            &mut quoted,
        )?
    } else {
        read_records(&file.name, &file.bytes, &mut quoted)?
    };
    let free = kind.free_text();
    let read = rows;
    let mut rows: Vec<Vec<String>> = Vec::with_capacity(read.len());
    for (r, values) in read.into_iter().enumerate() {
        let mut out = Vec::with_capacity(values.len());
        for (i, v) in values.into_iter().enumerate() {
            let is_free = free.contains(&(i + 1));
            let was_quoted = quoted
                .get(r)
                .and_then(|q: &Vec<bool>| q.get(i))
                .copied()
                .unwrap_or(true);
            match fault {
                Some(Fault::QuotesKeptOnPlainFields) if !is_free && was_quoted => {
                    out.push(format!("\"{v}\""));
                    continue;
                }
                Some(Fault::BareEmptyTextRefused) if is_free && !was_quoted => {
                    return Err(ImportError::Syntax {
                        file: file.name.clone(),
                        record: r + 1,
                        message: format!("free text No.{} is not quoted", i + 1),
                    });
                }
                _ => {}
            }
            out.push(field_fault(fault, is_free, i + 1, v));
        }
        rows.push(out);
    }
    let rows = careless_rows(fault, kind, &file.name, rows)?;
    let mut records = Vec::with_capacity(rows.len());
    for (i, values) in rows.into_iter().enumerate() {
        if values.len() != kind.field_count() {
            return Err(ImportError::FieldCount {
                file: file.name.clone(),
                record: i + 1,
                expected: kind.field_count(),
                actual: values.len(),
            });
        }
        records.push(RecordIn { values });
    }
    Ok(CsvIn {
        name: file.name.clone(),
        meta,
        kind,
        records,
    })
}

/// Fault `crlf-required`: the 1-based record ending in LF alone (outside quotes; `"` and LF
/// are never MS932 trail bytes), if any.
fn bare_lf_record(bytes: &[u8]) -> Option<usize> {
    let (mut quoted, mut record) = (false, 1);
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => {
                if i == 0 || bytes[i - 1] != b'\r' {
                    return Some(record);
                }
                record += 1;
            }
            _ => {}
        }
    }
    None
}

/// Record-level faults of a careless reader, on the values of one file in file order.
fn careless_rows(
    fault: Option<Fault>,
    kind: FileKind,
    name: &str,
    rows: Vec<Vec<String>>,
) -> Result<Vec<Vec<String>>, ImportError> {
    let get = |r: &[String], no: usize| r.get(no - 1).cloned().unwrap_or_default();
    match fault {
        Some(Fault::UnsortedRecordsDropped) => {
            let spec = cpcert_spec::Spec::embedded();
            let Some(layout) = spec
                .layout(cpcert_spec::CURRENT_LAYOUT_VERSION, kind.prefix())
                .filter(|l| l.compare.order == cpcert_spec::RecordOrder::Keyed)
            else {
                return Ok(rows);
            };
            let key = |r: &[String]| -> Vec<(u8, u64, String)> {
                layout
                    .compare
                    .record_key
                    .iter()
                    .map(|&no| {
                        let v = get(r, no as usize);
                        match v.parse::<u64>() {
                            Ok(n) => (0, n, String::new()),
                            Err(_) => (1, 0, v),
                        }
                    })
                    .collect()
            };
            let mut out: Vec<Vec<String>> = Vec::with_capacity(rows.len());
            for r in rows {
                // Taken for a repeat of a line already read: the file was assumed sorted.
                if out.last().is_some_and(|prev| key(&r) < key(prev)) {
                    continue;
                }
                out.push(r);
            }
            Ok(out)
        }
        Some(Fault::Table2LinesWithoutIssueSkipped) if kind == FileKind::Up2kyo => {
            Ok(rows.into_iter().filter(|r| !get(r, 7).is_empty()).collect())
        }
        Some(Fault::SequenceAfterCreatedRefused) if kind.has_created() => {
            let meta = parse_name(name)?;
            let day = |v: &str| v.get(..8).and_then(|d| d.parse::<u64>().ok());
            for (i, r) in rows.iter().enumerate() {
                if let (Some(seq), Some(created)) = (day(&meta.sequence), day(&get(r, 4)))
                    && seq > created + 10_000
                {
                    return Err(ImportError::Field {
                        file: name.to_owned(),
                        record: i + 1,
                        field: 4,
                        name: "作成年月日".to_owned(),
                        message: format!(
                            "the file's 連番 {} is more than a year after it",
                            meta.sequence
                        ),
                    });
                }
            }
            Ok(rows)
        }
        _ => Ok(rows),
    }
}

/// Reads records with the strict MS932 reader of `cpcert_csv`: both byte forms of the NEC/IBM
/// duplicates (EEE0 and FBFC 髙) read as the same character; a BOM, UTF-8, undecodable bytes,
/// 外字 and quote errors are refused. A blank line is skipped. `quoted` gets, per record,
/// whether each field was quoted.
fn read_records(
    name: &str,
    bytes: &[u8],
    quoted: &mut Vec<Vec<bool>>,
) -> Result<Vec<Vec<String>>, ImportError> {
    let mut reader = Ms932Reader::new(bytes);
    let mut rec = Record::default();
    let mut issues = Vec::new();
    let mut rows = Vec::new();
    loop {
        let more = reader
            .read_record(&mut rec, &mut issues)
            .map_err(|e| ImportError::Syntax {
                file: name.to_owned(),
                record: rows.len() + 1,
                message: e.to_string(),
            })?;
        if !more {
            break;
        }
        rows.push(rec.iter().map(|f| f.text.to_owned()).collect());
        quoted.push(rec.iter().map(|f| f.quoted).collect());
    }
    for issue in issues {
        let message = match issue.kind {
            ByteIssueKind::Bom { .. }
            | ByteIssueKind::Utf8
            | ByteIssueKind::Undecodable { .. }
            | ByteIssueKind::UserDefined { .. } => {
                return Err(ImportError::Encoding {
                    file: name.to_owned(),
                    offset: usize::try_from(issue.byte_offset).unwrap_or(usize::MAX),
                });
            }
            ByteIssueKind::UnterminatedQuote => "unterminated quoted field",
            ByteIssueKind::StrayQuote => "a quote inside an unquoted field",
            ByteIssueKind::TextAfterQuote => "text after a closing quote",
            ByteIssueKind::RecordTooLong { .. } => "a record too long to read",
            // Text the product keeps as it is (it may be what the sender meant).
            ByteIssueKind::Entity { .. }
            | ByteIssueKind::QuestionMark
            | ByteIssueKind::Control { .. }
            | ByteIssueKind::BlankLine => continue,
        };
        return Err(ImportError::Syntax {
            file: name.to_owned(),
            record: usize::try_from(issue.record).unwrap_or(usize::MAX),
            message: message.to_owned(),
        });
    }
    Ok(rows)
}

/// Faults `taka-variant` and `taka-nec-variant`: one byte form of 髙 (`form`: the IBM
/// extension's FBFC or the NEC-selected EEE0) read as 高 (8D82), while the other still reads
/// as 髙.
fn taka_as_taka(bytes: &[u8], form: (u8, u8)) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let double = matches!(b, 0x81..=0x9F | 0xE0..=0xFC);
        match (double, bytes.get(i + 1)) {
            (true, Some(&t)) => {
                if (b, t) == form {
                    out.extend([0x8D, 0x82]);
                } else {
                    out.extend([b, t]);
                }
                i += 2;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}

/// One send unit: the files sharing (連番, 送信元, 送信先).
#[derive(Default)]
struct Unit {
    csv: Vec<CsvIn>,
    pictures: Vec<(String, Vec<u8>)>,
}

type UnitKey = (String, Endpoint, Endpoint);

/// The field-level step of reading one value, or a fault's change of it.
fn field_fault(fault: Option<Fault>, free: bool, no: usize, v: String) -> String {
    match fault {
        Some(Fault::TruncateText) if free => v.chars().take(64).collect(),
        Some(Fault::LoseLeadingZeros)
            if !free && no > 3 && v.len() > 1 && v.bytes().all(|b| b.is_ascii_digit()) =>
        {
            let trimmed = v.trim_start_matches('0');
            if trimmed.is_empty() {
                "0".to_owned()
            } else {
                trimmed.to_owned()
            }
        }
        _ => v,
    }
}

pub(super) fn import(
    files: &[ExportedFile],
    role: Role,
    fault: Option<Fault>,
) -> Result<Scenario, ImportError> {
    let mut units: BTreeMap<UnitKey, Unit> = BTreeMap::new();
    let mut version: Option<String> = None;
    for file in files {
        let meta = parse_name_with(&file.name, fault)?;
        let key = (meta.sequence.clone(), meta.from.clone(), meta.to.clone());
        match meta.kind {
            None => units
                .entry(key)
                .or_default()
                .pictures
                .push((file.name.clone(), file.bytes.clone())),
            Some(kind) => {
                let csv = read_csv(file, meta, kind, fault)?;
                if version.is_none() {
                    version = csv.records.first().map(|r| r.get(1));
                }
                units.entry(key).or_default().csv.push(csv);
            }
        }
    }
    let mut state = empty_state(version.as_deref().unwrap_or_default());
    let mut units: Vec<(UnitKey, Unit)> = units.into_iter().collect();
    if fault == Some(Fault::UnitsOutOfOrder) {
        // Applies units newest first (as they might arrive), not in 連番 order.
        units.reverse();
    }
    // Fault `same-created-skipped`: documents already read with the same 作成年月日.
    let mut seen_created: std::collections::BTreeSet<(String, &'static str, String, String)> =
        std::collections::BTreeSet::new();
    for ((sequence, from, to), unit) in units {
        let ex = |set: SendSet, month: &str| Exchange {
            sequence: sequence.clone(),
            // 予防 利用票 and their deletions have the same bytes as 居宅 ones: the sender's role
            // is what tells them apart.
            role: (matches!(set, SendSet::Month | SendSet::DeleteMonth)
                && role == Role::PreventionPlanner)
                .then_some(Role::PreventionPlanner),
            from: from.clone(),
            to: to.clone(),
            set,
            month: month.to_owned(),
            subjects: Vec::new(),
        };
        for (set, month, mut items) in unit_items(&unit, &from)? {
            if fault == Some(Fault::SameCreatedSkipped) {
                items.retain(|item| {
                    let key = match &item.op {
                        Op::PutPlan(p) => ("plan", String::new(), p.created.clone()),
                        Op::PutMonth(m) => ("month", m.month.clone(), m.created.clone()),
                        Op::PutResults(r) => ("results", r.month.clone(), r.created.clone()),
                        _ => return true,
                    };
                    seen_created.insert((item.insured_no.clone(), key.0, key.1, key.2))
                });
            }
            apply_unit(&mut state, &ex(set, &month), items, fault);
        }
    }
    finish(&mut state);
    Ok(state)
}

fn field_error(
    file: &CsvIn,
    record: usize,
    field: usize,
    name: &str,
    message: String,
) -> ImportError {
    ImportError::Field {
        file: file.name.clone(),
        record,
        field,
        name: name.to_owned(),
        message,
    }
}

fn find<'a>(unit: &'a Unit, kind: FileKind, month: Option<&str>) -> Option<&'a CsvIn> {
    unit.csv
        .iter()
        .find(|f| f.kind == kind && f.meta.month.as_deref() == month.or(f.meta.month.as_deref()))
}

/// Every (set, month, items) of a unit, in set order.
fn unit_items(
    unit: &Unit,
    from: &Endpoint,
) -> Result<Vec<(SendSet, String, Vec<Item>)>, ImportError> {
    let mut out = Vec::new();
    let mut used = vec![false; unit.csv.len()];
    let mut used_pictures = vec![false; unit.pictures.len()];
    let mut mark = |f: &CsvIn| {
        if let Some(i) = unit.csv.iter().position(|x| std::ptr::eq(x, f))
            && let Some(u) = used.get_mut(i)
        {
            *u = true;
        }
    };
    // ① plan set.
    if let Some(t1) = find(unit, FileKind::Up1kyo, None) {
        let hosoku = unit
            .csv
            .iter()
            .find(|f| f.kind == FileKind::Uphosoku && f.meta.month.as_deref() == Some("000000"));
        let t2 = find(unit, FileKind::Up2kyo, None);
        let t3 = find(unit, FileKind::Up3kyo, None);
        for f in [Some(t1), hosoku, t2, t3].into_iter().flatten() {
            mark(f);
        }
        out.push((
            SendSet::Plan,
            String::new(),
            plan_items(t1, hosoku, t2, t3)?,
        ));
    }
    // ② month sets, one per month.
    let months: Vec<&CsvIn> = unit
        .csv
        .iter()
        .filter(|f| f.kind == FileKind::Upplan)
        .collect();
    for plan in &months {
        let month = plan.meta.month.clone().unwrap_or_default();
        let summary = find(unit, FileKind::Upsikyu, Some(&month));
        let hosoku = find(unit, FileKind::Uphosoku, Some(&month));
        for f in [Some(*plan), summary, hosoku].into_iter().flatten() {
            mark(f);
        }
        out.push((
            SendSet::Month,
            month.clone(),
            month_items(plan, summary, hosoku, &month)?,
        ));
    }
    for f in unit.csv.iter().filter(|f| f.kind == FileKind::Upjsk) {
        mark(f);
        let month = f.meta.month.clone().unwrap_or_default();
        out.push((
            SendSet::Results,
            month.clone(),
            results_items(f, from, &month)?,
        ));
    }
    if let Some(main) = find(unit, FileKind::Upkihon, None) {
        let sub1 = find(unit, FileKind::UpkihonSub1, None);
        let sub2 = find(unit, FileKind::UpkihonSub2, None);
        for f in [Some(main), sub1, sub2].into_iter().flatten() {
            mark(f);
        }
        out.push((
            SendSet::BasicInfo,
            String::new(),
            basic_info_items(main, sub1, sub2, &unit.pictures, &mut used_pictures)?,
        ));
    }
    if let Some(main) = find(unit, FileKind::Upyobo, None) {
        let sub = find(unit, FileKind::UpyoboSub, None);
        for f in [Some(main), sub].into_iter().flatten() {
            mark(f);
        }
        out.push((
            SendSet::SupportPlan,
            String::new(),
            support_plan_items(main, sub)?,
        ));
    }
    for f in &unit.csv {
        let (set, op): (SendSet, fn(&RecordIn) -> Op) = match f.kind {
            FileKind::Dlt1kyo => (SendSet::DeletePlan, |r| Op::DeletePlan(r.get(4))),
            FileKind::Dltplan => (SendSet::DeleteMonth, |r| Op::DeleteMonth(r.get(4))),
            FileKind::Dltjsk => (SendSet::DeleteResults, |r| Op::DeleteResults {
                month: r.get(4),
                office: r.get(5),
                kind: r.get(6),
            }),
            FileKind::Dltkihon => (SendSet::DeleteBasicInfo, |r| Op::DeleteBasicInfo(r.get(4))),
            FileKind::Dltyobo => (SendSet::DeleteSupportPlan, |r| {
                Op::DeleteSupportPlan(r.get(4))
            }),
            _ => continue,
        };
        mark(f);
        if let Some(m) = &f.meta.month {
            for (i, r) in f.records.iter().enumerate() {
                if &r.get(4) != m {
                    return Err(field_error(
                        f,
                        i + 1,
                        4,
                        "削除対象年月",
                        format!("{} differs from the file name's month {m}", r.get(4)),
                    ));
                }
            }
        }
        let items = f
            .records
            .iter()
            .map(|r| Item {
                insurer_no: r.get(2),
                insured_no: r.get(3),
                identity: Identity::default(),
                op: op(r),
            })
            .collect();
        out.push((set, f.meta.month.clone().unwrap_or_default(), items));
    }
    if let Some(i) = used.iter().position(|u| !u) {
        let name = unit.csv.get(i).map(|f| f.name.clone()).unwrap_or_default();
        return Err(ImportError::Unit {
            file: name,
            message: "no parent file in its send unit".to_owned(),
        });
    }
    if let Some(i) = used_pictures.iter().position(|u| !u) {
        let name = unit
            .pictures
            .get(i)
            .map(|p| p.0.clone())
            .unwrap_or_default();
        return Err(ImportError::Unit {
            file: name,
            message: "no UPKIHON record names this picture".to_owned(),
        });
    }
    out.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    Ok(out)
}

/// The person key of a record.
fn person_key(r: &RecordIn) -> (String, String) {
    (r.get(2), r.get(3))
}

/// Children of a parent: records whose (保険者番号, 被保険者番号, field `key_no`) match.
/// Marks them used so orphans can be reported.
fn children<'a>(
    file: Option<&'a CsvIn>,
    used: &mut Vec<bool>,
    key: &(String, String, String),
    key_no: usize,
) -> Vec<&'a RecordIn> {
    let Some(file) = file else { return Vec::new() };
    if used.len() < file.records.len() {
        used.resize(file.records.len(), false);
    }
    let mut out = Vec::new();
    for (i, r) in file.records.iter().enumerate() {
        if (r.get(2), r.get(3), r.get(key_no)) == *key {
            if let Some(u) = used.get_mut(i) {
                *u = true;
            }
            out.push(r);
        }
    }
    out
}

fn orphans(file: Option<&CsvIn>, used: &[bool], what: &str) -> Result<(), ImportError> {
    let Some(file) = file else { return Ok(()) };
    match (0..file.records.len()).find(|i| !used.get(*i).copied().unwrap_or(false)) {
        Some(i) => Err(ImportError::Unit {
            file: file.name.clone(),
            message: format!("record {} has no {what} in its send unit", i + 1),
        }),
        None => Ok(()),
    }
}

fn supplement_doc(r: &RecordIn) -> SupplementDoc {
    let mut type_limits: Vec<TypeLimit> = (0..9)
        .map(|i| {
            let base = 20 + 4 * i;
            TypeLimit {
                kind: r.get(base),
                limit: r.get(base + 1),
                total: r.get(base + 2),
                over: r.get(base + 3),
            }
        })
        .collect();
    while type_limits.last().is_some_and(|t| {
        t.kind.is_empty() && t.limit.is_empty() && t.total.is_empty() && t.over.is_empty()
    }) {
        type_limits.pop();
    }
    SupplementDoc {
        fields: Supplement::take(r),
        type_limits,
    }
}

fn supplement_identity(r: &RecordIn) -> Identity {
    Identity {
        kana: Some(r.get(5)),
        name: Some(r.get(6)),
        sex: Some(r.get(7)),
        birth_date: Some(r.get(8)),
        postal: Some(r.get(9)),
        address1: Some(r.get(10)),
        address2: Some(r.get(11)),
        phone: Some(r.get(12)),
    }
}

fn plan_items(
    t1: &CsvIn,
    hosoku: Option<&CsvIn>,
    t2: Option<&CsvIn>,
    t3: Option<&CsvIn>,
) -> Result<Vec<Item>, ImportError> {
    let (mut u_h, mut u2, mut u3) = (Vec::new(), Vec::new(), Vec::new());
    let mut items = Vec::new();
    for (i, r) in t1.records.iter().enumerate() {
        let (insurer_no, insured_no) = person_key(r);
        let key = (insurer_no.clone(), insured_no.clone(), r.get(14));
        let sup = children(hosoku, &mut u_h, &key, 4);
        let Some(sup) = sup.first() else {
            return Err(field_error(
                t1,
                i + 1,
                14,
                "居宅サービス計画作成（変更）日",
                "no 利用者補足情報 (000000) for this plan in its send unit".to_owned(),
            ));
        };
        let mut identity = supplement_identity(sup);
        identity.postal = Some(r.get(5));
        identity.address1 = Some(r.get(6));
        identity.address2 = Some(r.get(7));
        let plan = CarePlan {
            plan_date: r.get(14),
            created: r.get(4),
            table1: Table1::take(r),
            table2: children(t2, &mut u2, &key, 5)
                .into_iter()
                .map(Table2Row::take)
                .collect(),
            table3: children(t3, &mut u3, &key, 5)
                .into_iter()
                .map(Table3Row::take)
                .collect(),
            supplement: supplement_doc(sup),
        };
        items.push(Item {
            insurer_no,
            insured_no,
            identity,
            op: Op::PutPlan(plan),
        });
    }
    orphans(hosoku, &u_h, "UP1KYO record")?;
    orphans(t2, &u2, "UP1KYO record")?;
    orphans(t3, &u3, "UP1KYO record")?;
    Ok(items)
}

/// Persons of a file in order of first appearance, with their records.
fn by_person(file: &CsvIn) -> Vec<((String, String), Vec<&RecordIn>)> {
    let mut out: Vec<((String, String), Vec<&RecordIn>)> = Vec::new();
    for r in &file.records {
        let key = person_key(r);
        match out.iter_mut().find(|(k, _)| *k == key) {
            Some((_, rows)) => rows.push(r),
            None => out.push((key, vec![r])),
        }
    }
    out
}

fn check_month(file: &CsvIn, no: usize, month: &str) -> Result<(), ImportError> {
    for (i, r) in file.records.iter().enumerate() {
        if r.get(no) != month {
            return Err(field_error(
                file,
                i + 1,
                no,
                "対象年月",
                format!("{} differs from the file name's month {month}", r.get(no)),
            ));
        }
    }
    Ok(())
}

fn month_items(
    plan: &CsvIn,
    summary: Option<&CsvIn>,
    hosoku: Option<&CsvIn>,
    month: &str,
) -> Result<Vec<Item>, ImportError> {
    check_month(plan, 5, month)?;
    if let Some(s) = summary {
        check_month(s, 5, month)?;
    }
    if let Some(h) = hosoku {
        check_month(h, 63, month)?;
    }
    let (mut u_s, mut u_h) = (Vec::new(), Vec::new());
    let mut items = Vec::new();
    for ((insurer_no, insured_no), rows) in by_person(plan) {
        let Some(first) = rows.first() else { continue };
        let key = (insurer_no.clone(), insured_no.clone(), month.to_owned());
        let sup = children(hosoku, &mut u_h, &key, 63);
        let Some(sup) = sup.first() else {
            return Err(ImportError::Unit {
                file: plan.name.clone(),
                message: format!(
                    "person {insured_no}: no 利用者補足情報 for {month} in its send unit"
                ),
            });
        };
        let m = ServiceMonth {
            month: month.to_owned(),
            created: first.get(4),
            planner_office: first.get(6),
            planner_name: first.get(7),
            plan_rows: rows.iter().map(|r| ServiceRow::take(r)).collect(),
            summary_rows: children(summary, &mut u_s, &key, 5)
                .into_iter()
                .map(SummaryRow::take)
                .collect(),
            supplement: supplement_doc(sup),
        };
        items.push(Item {
            insurer_no,
            insured_no,
            identity: supplement_identity(sup),
            op: Op::PutMonth(m),
        });
    }
    orphans(summary, &u_s, "UPPLAN record")?;
    orphans(hosoku, &u_h, "UPPLAN record")?;
    Ok(items)
}

fn results_items(file: &CsvIn, from: &Endpoint, month: &str) -> Result<Vec<Item>, ImportError> {
    check_month(file, 5, month)?;
    let mut items = Vec::new();
    for ((insurer_no, insured_no), rows) in by_person(file) {
        let Some(first) = rows.first() else { continue };
        let sheet = ResultSheet {
            month: month.to_owned(),
            office: from.office.clone(),
            kind: from.kind.clone(),
            created: first.get(4),
            planner_office: first.get(6),
            planner_name: first.get(7),
            rows: rows
                .iter()
                .map(|r| {
                    let mut row = ServiceRow::take(r);
                    // 更新業者コード = the sending サービス事業所 is what the writer puts in by
                    // default (the layout note); only another updater is kept as data.
                    if row.updater_code == from.office {
                        row.updater_code.clear();
                    }
                    row
                })
                .collect(),
        };
        items.push(Item {
            insurer_no,
            insured_no,
            identity: Identity::default(),
            op: Op::PutResults(sheet),
        });
    }
    Ok(items)
}

fn basic_info_items(
    main: &CsvIn,
    sub1: Option<&CsvIn>,
    sub2: Option<&CsvIn>,
    pictures: &[(String, Vec<u8>)],
    used_pictures: &mut [bool],
) -> Result<Vec<Item>, ImportError> {
    let (mut u1, mut u2) = (Vec::new(), Vec::new());
    let mut items = Vec::new();
    for (i, r) in main.records.iter().enumerate() {
        let (insurer_no, insured_no) = person_key(r);
        let key = (insurer_no.clone(), insured_no.clone(), r.get(4));
        let picture_name = r.get(62);
        let picture = if picture_name.is_empty() {
            None
        } else {
            let Some(pos) = pictures.iter().position(|(n, _)| *n == picture_name) else {
                return Err(field_error(
                    main,
                    i + 1,
                    62,
                    "家族構成 画像ファイル名",
                    format!("{picture_name} is not in the send unit"),
                ));
            };
            if let Some(u) = used_pictures.get_mut(pos) {
                *u = true;
            }
            let bytes = pictures
                .get(pos)
                .map(|p| p.1.as_slice())
                .unwrap_or_default();
            let branch = picture_name
                .rsplit_once('.')
                .and_then(|(stem, _)| stem.rsplit_once('_'))
                .map(|(_, b)| b.to_owned())
                .unwrap_or_default();
            Some(Picture {
                branch,
                jpeg_base64: base64_encode(bytes),
            })
        };
        let doc = BasicInfoDoc {
            consult_date: r.get(4),
            fields: BasicInfo::take(r),
            daily_life_rows: children(sub1, &mut u1, &key, 4)
                .into_iter()
                .map(DailyLifeRow::take)
                .collect(),
            medical_history: children(sub2, &mut u2, &key, 4)
                .into_iter()
                .map(MedicalHistoryRow::take)
                .collect(),
            picture,
        };
        let identity = Identity {
            kana: Some(r.get(14)),
            name: Some(r.get(15)),
            sex: Some(r.get(16)),
            birth_date: Some(r.get(17)),
            phone: Some(r.get(19)),
            ..Identity::default()
        };
        items.push(Item {
            insurer_no,
            insured_no,
            identity,
            op: Op::PutBasicInfo(Box::new(doc)),
        });
    }
    orphans(sub1, &u1, "UPKIHON record")?;
    orphans(sub2, &u2, "UPKIHON record")?;
    Ok(items)
}

fn support_plan_items(main: &CsvIn, sub: Option<&CsvIn>) -> Result<Vec<Item>, ImportError> {
    let mut used = Vec::new();
    let mut items = Vec::new();
    for r in &main.records {
        let (insurer_no, insured_no) = person_key(r);
        let key = (insurer_no.clone(), insured_no.clone(), r.get(4));
        let doc = SupportPlanDoc {
            plan_date: r.get(4),
            fields: SupportPlan::take(r),
            rows: children(sub, &mut used, &key, 4)
                .into_iter()
                .map(SupportPlanRow::take)
                .collect(),
        };
        let identity = Identity {
            name: Some(r.get(8)),
            ..Identity::default()
        };
        items.push(Item {
            insurer_no,
            insured_no,
            identity,
            op: Op::PutSupportPlan(Box::new(doc)),
        });
    }
    orphans(sub, &used, "UPYOBO record")?;
    Ok(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_quoted_fields_with_breaks_and_quotes() {
        let recs = parse_csv("a,\"b,\"\"c\"\"\r\nd\",\r\n1,2,3").unwrap();
        assert_eq!(
            recs,
            vec![vec!["a", "b,\"c\"\r\nd", ""], vec!["1", "2", "3"]]
        );
        assert!(parse_csv("\"abc").is_err());
        assert!(parse_csv("a\"b").is_err());
        assert_eq!(parse_csv("").unwrap(), Vec::<Vec<String>>::new());
    }

    #[test]
    fn parses_names() {
        let n = parse_name("UPPLAN_202504_0100000001_43_0200000002_11_20250401090000.CSV").unwrap();
        assert_eq!(n.kind, Some(FileKind::Upplan));
        assert_eq!(n.month.as_deref(), Some("202504"));
        let n = parse_name("UPKIHON_SUB1_0100000001_46_0200000002_A2_20250401090000.CSV").unwrap();
        assert_eq!(n.kind, Some(FileKind::UpkihonSub1));
        let n = parse_name("UPKIHON_IMAGE_0100000001_46_0200000002_A2_20250401090000_0001.jpg")
            .unwrap();
        assert_eq!(n.kind, None);
        assert!(parse_name("UP1KYO_0100000001_43_0200000002_11_20250401090000.csv").is_ok());
        assert!(parse_name("UP1KYO_0100000001_43_0200000002_11_20250401090000.txt").is_err());
        assert!(parse_name("UP1KYO_100000001_43_0200000002_11_20250401090000.CSV").is_err());
        assert!(parse_name("UP1KYO_0100000001_43_0200000002_11_202504010900001.CSV").is_err());
    }
}
