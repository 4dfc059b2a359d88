//! Export: scenario → file names and MS932 bytes. Each step is its own function (name,
//! record, cell, encoding) so that a fault can later change exactly one of them.

use cpcert_csv::{Cell, Ms932Writer, WriteError};
use cpcert_spec::{HeldRecord, HeldRecords, Role};

use super::apply::exchanges_of;
use super::variant::{other_sequence, taka_nec_selected};
use super::{ExportError, ExportOptions, ExportedFile, FileRecords, PictureRecords, UnitRecords};
use super::{Fault, Variant};
use crate::layout::{FileKind, RecordOut};
use crate::model::{Endpoint, Exchange, Person, Scenario, SendSet, Subject, SupplementDoc};
use crate::text::{base64_decode, is_user_defined, map_to_ms932, to_ms932_text};

/// The five trailing name parts every file of one exchange shares.
struct NameParts {
    from: String,
    from_kind: String,
    to: String,
    to_kind: String,
    sequence: String,
}

impl NameParts {
    fn suffix(&self) -> String {
        if self.from_kind.is_empty() {
            // Fault `v3-name`: no service-type segments.
            return format!("{}_{}_{}", self.from, self.to, self.sequence);
        }
        format!(
            "{}_{}_{}_{}_{}",
            self.from, self.from_kind, self.to, self.to_kind, self.sequence
        )
    }
}

/// `<PREFIX>[_<YYYYMM>]_<five parts>.CSV` (rules.md §4).
fn csv_name(kind: FileKind, month: Option<&str>, parts: &NameParts) -> String {
    match month {
        Some(m) => format!("{}_{m}_{}.CSV", kind.prefix(), parts.suffix()),
        None => format!("{}_{}.CSV", kind.prefix(), parts.suffix()),
    }
}

/// `UPKIHON_IMAGE_<five parts>_<branch>.jpg`.
fn image_name(parts: &NameParts, branch: &str) -> String {
    format!("UPKIHON_IMAGE_{}_{branch}.jpg", parts.suffix())
}

/// A file being assembled: its records and, for errors, whose they are.
struct CsvFile {
    kind: FileKind,
    name: String,
    /// The name's YYYYMM part (`000000` for a plan's 補足), for [`records`].
    month: Option<String>,
    records: Vec<(String, RecordOut)>,
}

impl CsvFile {
    fn new(kind: FileKind, month: Option<&str>, parts: &NameParts) -> Self {
        Self {
            kind,
            name: csv_name(kind, month, parts),
            month: month.map(str::to_owned),
            records: Vec::new(),
        }
    }

    fn push(&mut self, person: &Person, rec: RecordOut) {
        self.records.push((person.insured_no.clone(), rec));
    }

    fn encode(
        &self,
        fault: Option<Fault>,
        variant: Option<Variant>,
    ) -> Result<ExportedFile, ExportError> {
        if matches!(fault, Some(Fault::Utf8 | Fault::Utf8Bom)) {
            return Ok(self.encode_utf8(fault == Some(Fault::Utf8Bom)));
        }
        let mut writer = if variant == Some(Variant::LfOnly) {
            Ms932Writer::with_lf(Vec::new())
        } else {
            Ms932Writer::new(Vec::new())
        };
        let free = self.kind.free_text();
        if fault == Some(Fault::HeaderRow) {
            let header: Vec<String> = (1..=self.kind.field_count())
                .map(|no| {
                    if no == 1 {
                        "CSVバージョン".to_owned()
                    } else {
                        format!("項目{no}")
                    }
                })
                .collect();
            let cells: Vec<Cell<'_>> = header.iter().map(|h| Cell::Plain(h)).collect();
            writer
                .write_record(&cells)
                .map_err(|e| ExportError::Invalid(format!("{}: {e}", self.name)))?;
        }
        for (person, rec) in &self.records {
            let values: Vec<String> = rec.values.iter().map(|v| fault_text(fault, v)).collect();
            for (i, v) in values.iter().enumerate() {
                let no = i + 1;
                if let Some(ch) = v.chars().find(|c| is_user_defined(*c)) {
                    return Err(self.unencodable(person, no, ch));
                }
                if fault != Some(Fault::UnquotedText)
                    && !free.contains(&no)
                    && v.contains([',', '"', '\r', '\n'])
                {
                    return Err(ExportError::BadPlainValue {
                        file: self.name.clone(),
                        person: person.clone(),
                        kind: self.kind.prefix().to_owned(),
                        field: no,
                        value: v.clone(),
                    });
                }
            }
            let cells: Vec<Cell<'_>> = values
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    let text = free.contains(&(i + 1)) && fault != Some(Fault::UnquotedText);
                    match variant {
                        Some(Variant::QuoteEveryField) if !v.is_empty() => Cell::Text(v),
                        Some(Variant::EmptyTextBare) if text && v.is_empty() => Cell::Plain(v),
                        _ if text => Cell::Text(v),
                        _ => Cell::Plain(v),
                    }
                })
                .collect();
            writer.write_record(&cells).map_err(|e| match e {
                WriteError::Unencodable { field, source } => {
                    self.unencodable(person, field, source.ch)
                }
                WriteError::Io(io) => ExportError::Invalid(format!("{}: {io}", self.name)),
            })?;
        }
        let mut bytes = writer
            .into_inner()
            .map_err(|io| ExportError::Invalid(format!("{}: {io}", self.name)))?;
        if fault == Some(Fault::Gaiji) {
            first_double_byte_as_gaiji(&mut bytes);
        }
        if variant == Some(Variant::TakaNecSelected) {
            taka_nec_selected(&mut bytes);
        }
        Ok(ExportedFile {
            name: self.name.clone(),
            bytes,
        })
    }

    /// Fault `utf8`/`utf8-bom`: the same CSV written as UTF-8.
    fn encode_utf8(&self, bom: bool) -> ExportedFile {
        let mut text = String::new();
        if bom {
            text.push('\u{FEFF}');
        }
        let free = self.kind.free_text();
        for (_, rec) in &self.records {
            let cells: Vec<String> = rec
                .values
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    if free.contains(&(i + 1)) {
                        format!("\"{}\"", v.replace('"', "\"\""))
                    } else {
                        v.clone()
                    }
                })
                .collect();
            text.push_str(&cells.join(","));
            text.push_str("\r\n");
        }
        ExportedFile {
            name: self.name.clone(),
            bytes: text.into_bytes(),
        }
    }

    fn unencodable(&self, person: &str, field: usize, ch: char) -> ExportError {
        ExportError::Unencodable {
            file: self.name.clone(),
            person: person.to_owned(),
            kind: self.kind.prefix().to_owned(),
            field,
            ch,
        }
    }
}

/// Fault `gaiji`: the first double-byte character written as the 外字 F040.
fn first_double_byte_as_gaiji(bytes: &mut [u8]) {
    let mut i = 0;
    while i + 1 < bytes.len() {
        match bytes[i] {
            0x81..=0x9F | 0xE0..=0xFC => {
                bytes[i] = 0xF0;
                bytes[i + 1] = 0x40;
                return;
            }
            _ => i += 1,
        }
    }
}

/// The character-level step of writing one value: the wave-dash style mapping, or a fault's
/// replacement of it.
fn fault_text(fault: Option<Fault>, v: &str) -> String {
    match fault {
        // An `Encoding::encode`-style exporter: unmappable characters become HTML entities.
        Some(Fault::WaveDashEntity) => v
            .chars()
            .map(|c| {
                if map_to_ms932(c) == c {
                    c.to_string()
                } else {
                    format!("&#{};", c as u32)
                }
            })
            .collect(),
        // A lossy encoder: characters needing a mapping become `?`.
        Some(Fault::QuestionMark) => v
            .chars()
            .map(|c| if map_to_ms932(c) == c { c } else { '?' })
            .collect(),
        _ => to_ms932_text(v),
    }
}

/// The record head every kind shares: CSVバージョン, 保険者番号, 被保険者番号.
fn record(kind: FileKind, version: &str, p: &Person) -> RecordOut {
    let mut rec = RecordOut::new(kind);
    rec.set(1, version);
    rec.set(2, &p.insurer_no);
    rec.set(3, &p.insured_no);
    rec
}

/// 利用者補足情報: identity No.5–12 from the person, the rest from the document.
fn supplement_record(
    version: &str,
    p: &Person,
    plan_date: &str,
    month: &str,
    doc: &SupplementDoc,
) -> Result<RecordOut, String> {
    let mut rec = record(FileKind::Uphosoku, version, p);
    rec.set(4, plan_date);
    for (no, v) in [
        (5, &p.kana),
        (6, &p.name),
        (7, &p.sex),
        (8, &p.birth_date),
        (9, &p.postal),
        (10, &p.address1),
        (11, &p.address2),
        (12, &p.phone),
    ] {
        rec.set(no, v);
    }
    doc.fields.put(&mut rec);
    if doc.type_limits.len() > 9 {
        return Err(format!(
            "person {}: {} 種類支給限度 slots, the layout has 9",
            p.insured_no,
            doc.type_limits.len()
        ));
    }
    for (i, t) in doc.type_limits.iter().enumerate() {
        let base = 20 + 4 * i;
        rec.set(base, &t.kind);
        rec.set(base + 1, &t.limit);
        rec.set(base + 2, &t.total);
        rec.set(base + 3, &t.over);
    }
    rec.set(63, month);
    Ok(rec)
}

struct Ctx<'a> {
    s: &'a Scenario,
    ex: &'a Exchange,
    version: &'a str,
    created: Option<&'a str>,
    parts: NameParts,
    fault: Option<Fault>,
    variant: Option<Variant>,
}

impl Ctx<'_> {
    fn missing(&self, message: String) -> ExportError {
        ExportError::Missing {
            sequence: self.ex.sequence.clone(),
            set: self.ex.set,
            message,
        }
    }

    fn person(&self, insured_no: &str) -> Result<&Person, ExportError> {
        self.s
            .person(insured_no)
            .ok_or_else(|| self.missing(format!("no person with 被保険者番号 {insured_no}")))
    }

    fn created<'b>(&'b self, own: &'b str) -> &'b str {
        self.created.unwrap_or(own)
    }
}

/// Writes one exchange's files.
fn export_exchange(ctx: &Ctx<'_>) -> Result<Vec<ExportedFile>, ExportError> {
    let (mut files, pictures) = exchange_records(ctx)?;
    if let Some(fault) = ctx.fault {
        record_fault(fault, &mut files, &ctx.parts);
    }
    if let Some(variant) = ctx.variant {
        record_variant(variant, &mut files);
    }
    let mut out = Vec::new();
    for file in files {
        // A child file with no record is not written (a plan without 3表 rows, say); the
        // parent always is, and so are the 別表 that travel with it (本文 §3.3), empty or not.
        if file.records.is_empty()
            && is_optional_child(file.kind)
            && !travels_with_parent(file.kind)
        {
            continue;
        }
        out.push(file.encode(ctx.fault, ctx.variant)?);
    }
    out.extend(pictures);
    Ok(out)
}

/// One exchange's records, file by file, before faults and encoding (and its pictures): the
/// single mapping from scenario documents to the standard's records, shared by export and
/// [`held`].
fn exchange_records(ctx: &Ctx<'_>) -> Result<(Vec<CsvFile>, Vec<ExportedFile>), ExportError> {
    let ex = ctx.ex;
    let v = ctx.version;
    let month = ex.month.as_str();
    let mut files: Vec<CsvFile> = Vec::new();
    let mut pictures: Vec<ExportedFile> = Vec::new();
    match ex.set {
        SendSet::Plan => {
            // Fault `hosoku-month-in-plan`: the plan's 補足 carries a service month.
            let hosoku_month = match (ctx.fault, ex.subjects.first()) {
                (Some(Fault::HosokuMonthInPlan), Some(s)) => s.date.chars().take(6).collect(),
                _ => "000000".to_owned(),
            };
            let mut hosoku = CsvFile::new(FileKind::Uphosoku, Some(&hosoku_month), &ctx.parts);
            let mut t1 = CsvFile::new(FileKind::Up1kyo, None, &ctx.parts);
            let mut t2 = CsvFile::new(FileKind::Up2kyo, None, &ctx.parts);
            let mut t3 = CsvFile::new(FileKind::Up3kyo, None, &ctx.parts);
            for subject in &ex.subjects {
                let p = ctx.person(&subject.insured_no)?;
                let plan = p
                    .plans
                    .iter()
                    .find(|x| x.plan_date == subject.date)
                    .ok_or_else(|| {
                        ctx.missing(format!(
                            "person {}: no plan dated {}",
                            p.insured_no, subject.date
                        ))
                    })?;
                let created = ctx.created(&plan.created);
                let rec = supplement_record(v, p, &plan.plan_date, &hosoku_month, &plan.supplement)
                    .map_err(ExportError::Invalid)?;
                hosoku.push(p, rec);
                let mut rec = record(FileKind::Up1kyo, v, p);
                rec.set(4, created);
                rec.set(5, &p.postal);
                rec.set(6, &p.address1);
                rec.set(7, &p.address2);
                rec.set(14, &plan.plan_date);
                plan.table1.put(&mut rec);
                t1.push(p, rec);
                for row in &plan.table2 {
                    let mut rec = record(FileKind::Up2kyo, v, p);
                    rec.set(4, created);
                    rec.set(5, &plan.plan_date);
                    row.put(&mut rec);
                    t2.push(p, rec);
                }
                for row in &plan.table3 {
                    let mut rec = record(FileKind::Up3kyo, v, p);
                    rec.set(4, created);
                    rec.set(5, &plan.plan_date);
                    row.put(&mut rec);
                    t3.push(p, rec);
                }
            }
            files.extend([hosoku, t1, t2, t3]);
        }
        SendSet::Month => {
            let mut plan_file = CsvFile::new(FileKind::Upplan, Some(month), &ctx.parts);
            let mut summary = CsvFile::new(FileKind::Upsikyu, Some(month), &ctx.parts);
            let mut hosoku = CsvFile::new(FileKind::Uphosoku, Some(month), &ctx.parts);
            for subject in &ex.subjects {
                let p = ctx.person(&subject.insured_no)?;
                let m = p.months.iter().find(|m| m.month == month).ok_or_else(|| {
                    ctx.missing(format!("person {}: no service month {month}", p.insured_no))
                })?;
                if m.plan_rows.is_empty() {
                    // The 6表 is the parent: without a row the month cannot travel.
                    return Err(ctx.missing(format!(
                        "person {}: service month {month} has no 予定 rows",
                        p.insured_no
                    )));
                }
                let created = ctx.created(&m.created);
                for row in &m.plan_rows {
                    let mut rec = record(FileKind::Upplan, v, p);
                    rec.set(4, created);
                    rec.set(5, month);
                    rec.set(6, &m.planner_office);
                    rec.set(7, &m.planner_name);
                    row.put(&mut rec);
                    plan_file.push(p, rec);
                }
                for row in &m.summary_rows {
                    let mut rec = record(FileKind::Upsikyu, v, p);
                    rec.set(4, created);
                    rec.set(5, month);
                    row.put(&mut rec);
                    summary.push(p, rec);
                }
                let rec = supplement_record(v, p, "00000000", month, &m.supplement)
                    .map_err(ExportError::Invalid)?;
                hosoku.push(p, rec);
            }
            files.extend([plan_file, summary, hosoku]);
        }
        SendSet::Results => {
            let mut file = CsvFile::new(FileKind::Upjsk, Some(month), &ctx.parts);
            for subject in &ex.subjects {
                let p = ctx.person(&subject.insured_no)?;
                let sheet = p
                    .results
                    .iter()
                    .find(|r| {
                        r.month == month && r.office == ex.from.office && r.kind == ex.from.kind
                    })
                    .ok_or_else(|| {
                        ctx.missing(format!(
                            "person {}: no 実績 for {month} of {} {}",
                            p.insured_no, ex.from.office, ex.from.kind
                        ))
                    })?;
                if sheet.rows.is_empty() {
                    return Err(ctx.missing(format!(
                        "person {}: 実績 for {month} has no rows (send DLTJSK instead)",
                        p.insured_no
                    )));
                }
                for row in &sheet.rows {
                    let mut rec = record(FileKind::Upjsk, v, p);
                    rec.set(4, ctx.created(&sheet.created));
                    rec.set(5, month);
                    rec.set(6, &sheet.planner_office);
                    rec.set(7, &sheet.planner_name);
                    row.put(&mut rec);
                    // 更新業者コード (No.24): the サービス事業所's number in 実績 (layout note),
                    // unless the row names another updater.
                    if row.updater_code.is_empty() {
                        rec.set(24, &sheet.office);
                    }
                    file.push(p, rec);
                }
            }
            files.push(file);
        }
        SendSet::BasicInfo => {
            let mut main = CsvFile::new(FileKind::Upkihon, None, &ctx.parts);
            let mut sub1 = CsvFile::new(FileKind::UpkihonSub1, None, &ctx.parts);
            let mut sub2 = CsvFile::new(FileKind::UpkihonSub2, None, &ctx.parts);
            for subject in &ex.subjects {
                let p = ctx.person(&subject.insured_no)?;
                let doc = p
                    .basic_infos
                    .iter()
                    .find(|b| b.consult_date == subject.date)
                    .ok_or_else(|| {
                        ctx.missing(format!(
                            "person {}: no 利用者基本情報 of 相談日 {}",
                            p.insured_no, subject.date
                        ))
                    })?;
                let mut rec = record(FileKind::Upkihon, v, p);
                rec.set(4, &doc.consult_date);
                rec.set(14, &p.kana);
                rec.set(15, &p.name);
                rec.set(16, &p.sex);
                rec.set(17, &p.birth_date);
                rec.set(19, &p.phone);
                doc.fields.put(&mut rec);
                if let Some(pic) = &doc.picture {
                    let name = image_name(&ctx.parts, &pic.branch);
                    if pic.branch.len() != 4 || !pic.branch.bytes().all(|b| b.is_ascii_digit()) {
                        return Err(ExportError::Invalid(format!(
                            "person {}: picture branch {:?} is not 4 digits",
                            p.insured_no, pic.branch
                        )));
                    }
                    let bytes = base64_decode(&pic.jpeg_base64).ok_or_else(|| {
                        ExportError::Invalid(format!(
                            "person {}: picture is not valid base64",
                            p.insured_no
                        ))
                    })?;
                    rec.set(62, &name);
                    pictures.push(ExportedFile { name, bytes });
                }
                main.push(p, rec);
                for row in &doc.daily_life_rows {
                    let mut rec = record(FileKind::UpkihonSub1, v, p);
                    rec.set(4, &doc.consult_date);
                    row.put(&mut rec);
                    sub1.push(p, rec);
                }
                for row in &doc.medical_history {
                    let mut rec = record(FileKind::UpkihonSub2, v, p);
                    rec.set(4, &doc.consult_date);
                    row.put(&mut rec);
                    sub2.push(p, rec);
                }
            }
            files.extend([main, sub1, sub2]);
        }
        SendSet::SupportPlan => {
            let mut main = CsvFile::new(FileKind::Upyobo, None, &ctx.parts);
            let mut sub = CsvFile::new(FileKind::UpyoboSub, None, &ctx.parts);
            for subject in &ex.subjects {
                let p = ctx.person(&subject.insured_no)?;
                let doc = p
                    .support_plans
                    .iter()
                    .find(|y| y.plan_date == subject.date)
                    .ok_or_else(|| {
                        ctx.missing(format!(
                            "person {}: no 支援計画書 dated {}",
                            p.insured_no, subject.date
                        ))
                    })?;
                let mut rec = record(FileKind::Upyobo, v, p);
                rec.set(4, &doc.plan_date);
                rec.set(8, &p.name);
                doc.fields.put(&mut rec);
                main.push(p, rec);
                for row in &doc.rows {
                    let mut rec = record(FileKind::UpyoboSub, v, p);
                    rec.set(4, &doc.plan_date);
                    row.put(&mut rec);
                    sub.push(p, rec);
                }
            }
            files.extend([main, sub]);
        }
        SendSet::DeletePlan
        | SendSet::DeleteMonth
        | SendSet::DeleteResults
        | SendSet::DeleteBasicInfo
        | SendSet::DeleteSupportPlan => {
            let (kind, name_month) = match ex.set {
                SendSet::DeletePlan => (FileKind::Dlt1kyo, None),
                SendSet::DeleteMonth => (FileKind::Dltplan, Some(month)),
                SendSet::DeleteResults => (FileKind::Dltjsk, Some(month)),
                SendSet::DeleteBasicInfo => (FileKind::Dltkihon, None),
                _ => (FileKind::Dltyobo, None),
            };
            let mut file = CsvFile::new(kind, name_month, &ctx.parts);
            for subject in &ex.subjects {
                let p = ctx.person(&subject.insured_no)?;
                let mut rec = record(kind, v, p);
                match kind {
                    FileKind::Dltplan => rec.set(4, month),
                    FileKind::Dltjsk => {
                        rec.set(4, month);
                        rec.set(5, &ex.from.office);
                        rec.set(6, &ex.from.kind);
                    }
                    _ => rec.set(4, &subject.date),
                }
                file.push(p, rec);
            }
            files.push(file);
        }
    }
    Ok((files, pictures))
}

/// Record-level faults: one wrong value (or one dropped file, record or column) per fault.
fn record_fault(fault: Fault, files: &mut Vec<CsvFile>, parts: &NameParts) {
    let each = |files: &mut Vec<CsvFile>, kind: FileKind, f: &dyn Fn(&mut Vec<String>)| {
        for file in files.iter_mut().filter(|x| x.kind == kind) {
            for (_, rec) in &mut file.records {
                f(&mut rec.values);
            }
        }
    };
    let set = |vals: &mut Vec<String>, no: usize, v: &str| {
        if let Some(slot) = vals.get_mut(no - 1) {
            v.clone_into(slot);
        }
    };
    let service_rows = [FileKind::Upplan, FileKind::Upjsk];
    match fault {
        Fault::PlanWithoutTable2 => files.retain(|f| f.kind != FileKind::Up2kyo),
        Fault::CompanionOtherTimestamp => {
            let mut other = parts.sequence.clone().into_bytes();
            if let Some(last) = other.last_mut() {
                *last = if *last == b'9' { b'0' } else { *last + 1 };
            }
            let other = String::from_utf8(other).unwrap_or_default();
            for f in files.iter_mut().filter(|f| is_optional_child(f.kind)) {
                f.name = f.name.replace(&parts.sequence, &other);
            }
        }
        Fault::PlanCategory123 => each(files, FileKind::Up1kyo, &|v| {
            let code = match v[15].as_str() {
                "11" => "1",
                "12" => "2",
                _ => "3",
            };
            set(v, 16, code);
        }),
        Fault::Insurance12 => each(files, FileKind::Up2kyo, &|v| {
            let code = if v[14] == "N" { "2" } else { "1" };
            set(v, 15, code);
        }),
        Fault::DropTrailingColumns => each(files, FileKind::Up1kyo, &|v| v.truncate(23)),
        Fault::DateInvalid => each(files, FileKind::Up1kyo, &|v| set(v, 4, "20250230")),
        Fault::KeysMismatch => each(files, FileKind::Up2kyo, &|v| set(v, 5, "20000101")),
        Fault::TwoMonthsOneFile => {
            for f in files.iter_mut().filter(|f| f.kind == FileKind::Upplan) {
                if let Some((_, rec)) = f.records.last_mut() {
                    let next = next_month(&rec.values[4]);
                    set(&mut rec.values, 5, &next);
                }
            }
        }
        Fault::Time2530 => {
            for kind in service_rows {
                each(files, kind, &|v| {
                    if !v[11].is_empty() && v[11] != "9999" {
                        set(v, 12, "2530");
                    }
                });
            }
        }
        Fault::Flags30 => {
            for kind in service_rows {
                each(files, kind, &|v| set(v, 11, &"0".repeat(30)));
            }
        }
        Fault::ServiceDateOutsideMonth => {
            for kind in service_rows {
                each(files, kind, &|v| {
                    if v[9].len() == 8 {
                        let date = format!("{}01", next_month(&v[4]));
                        set(v, 10, &date);
                    }
                });
            }
        }
        Fault::NoTais => {
            for kind in service_rows {
                each(files, kind, &|v| {
                    set(v, 16, "");
                    set(v, 17, "");
                });
            }
            each(files, FileKind::Upsikyu, &|v| {
                set(v, 10, "");
                set(v, 11, "");
            });
        }
        Fault::TaisWithoutHyphen => {
            for kind in service_rows {
                each(files, kind, &|v| {
                    let code = v[15].replace('-', "");
                    set(v, 16, &code);
                });
            }
        }
        Fault::Time9999Single => {
            for kind in service_rows {
                each(files, kind, &|v| {
                    if v[11].len() == 4 && v[11] != "9999" {
                        set(v, 13, "9999");
                    }
                });
            }
        }
        Fault::TotalRowMissing => {
            for f in files.iter_mut().filter(|f| f.kind == FileKind::Upsikyu) {
                f.records.retain(|(_, r)| r.values[8] != "999999");
            }
        }
        Fault::TotalOffice => each(files, FileKind::Upsikyu, &|v| {
            if v[8] == "999999" {
                set(v, 7, "0100000001");
            }
        }),
        Fault::SikyuSubtotalValues => each(files, FileKind::Upsikyu, &|v| {
            let code = v[8].clone();
            if code == "999999" || code.ends_with("AAAA") {
                set(v, 15, "1");
            }
        }),
        Fault::HNumberLowercase => {
            for f in files.iter_mut() {
                for (_, rec) in &mut f.records {
                    let no = rec.values[2].replacen('H', "h", 1);
                    set(&mut rec.values, 3, &no);
                }
            }
        }
        Fault::InsuredNoLeadingZeroLost => {
            for f in files.iter_mut() {
                for (_, rec) in &mut f.records {
                    let no = rec.values[2].trim_start_matches('0').to_owned();
                    set(&mut rec.values, 3, &no);
                }
            }
        }
        Fault::VersionMixed => {
            for f in files.iter_mut() {
                let several = f.records.len() > 1;
                if let Some((_, rec)) = f.records.last_mut()
                    && several
                {
                    set(&mut rec.values, 1, "202208");
                }
            }
            for f in files.iter_mut() {
                if f.records.len() == 1
                    && let Some((p, rec)) = f.records.first().cloned()
                {
                    let mut rec = rec;
                    set(&mut rec.values, 1, "202208");
                    f.records.push((p, rec));
                }
            }
        }
        _ => {}
    }
}

/// Record-level variants: another order of keyed records, or 第2表's first-line-only style.
fn record_variant(variant: Variant, files: &mut [CsvFile]) {
    let spec = cpcert_spec::Spec::embedded();
    let keyed = |kind: FileKind| {
        spec.layout(cpcert_spec::CURRENT_LAYOUT_VERSION, kind.prefix())
            .is_some_and(|l| l.compare.order == cpcert_spec::RecordOrder::Keyed)
    };
    match variant {
        Variant::RecordsReversed => {
            for f in files.iter_mut().filter(|f| keyed(f.kind)) {
                f.records.reverse();
            }
        }
        Variant::Table2FirstLineOnly => {
            for f in files.iter_mut().filter(|f| f.kind == FileKind::Up2kyo) {
                // The reference writes 第2表 in the printed order (課題ＮＯ, 援助目標ＮＯ,
                // 援助内容ＮＯ): a line repeating its predecessor's group leaves the text out.
                let mut previous: Option<Vec<String>> = None;
                for (_, rec) in &mut f.records {
                    let v = &mut rec.values;
                    if let Some(prev) = &previous {
                        let same = |nos: &[usize]| nos.iter().all(|&no| prev[no - 1] == v[no - 1]);
                        let issue = same(&[2, 3, 5, 6]);
                        let goal = issue && same(&[8]);
                        let next = v.clone();
                        if issue && prev[6] == v[6] {
                            v[6].clear();
                        }
                        if goal {
                            for no in [9, 10, 11, 12] {
                                if prev[no - 1] == v[no - 1] {
                                    v[no - 1].clear();
                                }
                            }
                        }
                        previous = Some(next);
                    } else {
                        previous = Some(v.clone());
                    }
                }
            }
        }
        _ => {}
    }
}

/// The month after `YYYYMM`.
fn next_month(month: &str) -> String {
    let (y, m) = (
        month
            .get(..4)
            .and_then(|y| y.parse::<u32>().ok())
            .unwrap_or(2025),
        month
            .get(4..6)
            .and_then(|m| m.parse::<u32>().ok())
            .unwrap_or(4),
    );
    if m >= 12 {
        format!("{:04}01", y + 1)
    } else {
        format!("{y:04}{:02}", m + 1)
    }
}

/// 別表 that always travel with their parent (利用者基本情報 with 別表1/別表2, 支援計画書 with
/// its 別表), written even without rows.
fn travels_with_parent(kind: FileKind) -> bool {
    matches!(
        kind,
        FileKind::UpkihonSub1 | FileKind::UpkihonSub2 | FileKind::UpyoboSub
    )
}

fn is_optional_child(kind: FileKind) -> bool {
    matches!(
        kind,
        FileKind::Up2kyo
            | FileKind::Up3kyo
            | FileKind::Upsikyu
            | FileKind::UpkihonSub1
            | FileKind::UpkihonSub2
            | FileKind::UpyoboSub
    )
}

fn is_digits(v: &str, n: usize) -> bool {
    v.len() == n && v.bytes().all(|b| b.is_ascii_digit())
}

fn check_exchange(ex: &Exchange, sequence: &str) -> Result<(), ExportError> {
    let bad = |what: &str, v: &str| {
        Err(ExportError::Invalid(format!(
            "exchange {} ({:?}): {what} {v:?} cannot go in a file name",
            ex.sequence, ex.set
        )))
    };
    if !is_digits(sequence, 14) {
        return bad("連番", sequence);
    }
    for (what, v) in [
        ("送信元事業所番号", &ex.from.office),
        ("送信先事業所番号", &ex.to.office),
    ] {
        if !is_digits(v, 10) {
            return bad(what, v);
        }
    }
    for (what, v) in [
        ("送信元サービス種類コード", &ex.from.kind),
        ("送信先サービス種類コード", &ex.to.kind),
    ] {
        if v.len() != 2 || !v.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return bad(what, v);
        }
    }
    if ex.set.is_monthly() && !is_digits(&ex.month, 6) {
        return bad("対象年月", &ex.month);
    }
    Ok(())
}

pub(super) fn export(
    s: &Scenario,
    role: Role,
    opts: &ExportOptions,
) -> Result<Vec<ExportedFile>, ExportError> {
    if let Some(created) = &opts.created
        && !is_digits(created, 8)
    {
        return Err(ExportError::Invalid(format!(
            "作成年月日 override {created:?} is not YYYYMMDD"
        )));
    }
    let fault = opts.fault;
    let variant = opts.variant;
    let created = match variant {
        Some(Variant::CreatedToday) => match opts.today.as_deref() {
            Some(today) if is_digits(today, 8) => Some(today),
            other => {
                return Err(ExportError::Invalid(format!(
                    "variant created-today needs the day the product runs as YYYYMMDD, not {other:?}"
                )));
            }
        },
        _ => opts.created.as_deref(),
    };
    let version = match fault {
        Some(Fault::Version202504) => "202504",
        Some(Fault::Version202410) => "202410",
        Some(Fault::Version202208) => "202208",
        _ if s.csv_version.is_empty() => "202407",
        _ => s.csv_version.as_str(),
    };
    let mut out: Vec<ExportedFile> = Vec::new();
    for ex in exchanges_of(s, role) {
        let sequence = opts.timestamp.as_deref().unwrap_or(&ex.sequence);
        check_exchange(ex, sequence)?;
        let sequence = if variant == Some(Variant::OtherSequence) {
            other_sequence(sequence)
        } else {
            sequence.to_owned()
        };
        let mut parts = NameParts {
            from: ex.from.office.clone(),
            from_kind: ex.from.kind.clone(),
            to: ex.to.office.clone(),
            to_kind: ex.to.kind.clone(),
            sequence,
        };
        match fault {
            Some(Fault::Office9Digits) => {
                parts.from = parts.from[1..].to_owned();
                parts.to = parts.to[1..].to_owned();
            }
            Some(Fault::Timestamp15Digits) => parts.sequence.push('0'),
            Some(Fault::SameOffice) => parts.to.clone_from(&parts.from),
            Some(Fault::V3Name) => {
                parts.from_kind.clear();
                parts.to_kind.clear();
            }
            _ => {}
        }
        let ctx = Ctx {
            s,
            ex,
            version,
            created,
            parts,
            fault,
            variant,
        };
        for mut file in export_exchange(&ctx)? {
            if variant == Some(Variant::LowercaseExtension) {
                file.name = file.name.replace(".CSV", ".csv");
            }
            if out.iter().any(|f| f.name == file.name) {
                return Err(ExportError::DuplicateFile(file.name));
            }
            out.push(file);
        }
    }
    out.sort();
    Ok(out)
}

/// The records of every exchange `role` sends, unit by unit in processing order: the mapping
/// [`export`] writes, before any fault, variant, file selection or byte. `timestamp` overrides
/// each exchange's own 連番 as in [`ExportOptions::timestamp`].
pub(super) fn records(
    s: &Scenario,
    role: Role,
    timestamp: Option<&str>,
) -> Result<Vec<UnitRecords>, ExportError> {
    let version = if s.csv_version.is_empty() {
        "202407"
    } else {
        s.csv_version.as_str()
    };
    let mut out = Vec::new();
    for ex in exchanges_of(s, role) {
        let sequence = timestamp.unwrap_or(&ex.sequence);
        check_exchange(ex, sequence)?;
        let ctx = Ctx {
            s,
            ex,
            version,
            created: None,
            parts: NameParts {
                from: ex.from.office.clone(),
                from_kind: ex.from.kind.clone(),
                to: ex.to.office.clone(),
                to_kind: ex.to.kind.clone(),
                sequence: sequence.to_owned(),
            },
            fault: None,
            variant: None,
        };
        let (files, pictures) = exchange_records(&ctx)?;
        out.push(UnitRecords {
            sequence: sequence.to_owned(),
            from: ex.from.clone(),
            to: ex.to.clone(),
            files: files
                .into_iter()
                .map(|f| FileRecords {
                    kind: f.kind,
                    month: f.month,
                    records: f.records.into_iter().map(|(_, r)| r.values).collect(),
                })
                .collect(),
            pictures: pictures
                .into_iter()
                .map(|p| {
                    let branch = p
                        .name
                        .rsplit_once('.')
                        .and_then(|(stem, _)| stem.rsplit_once('_'))
                        .map(|(_, b)| b.to_owned())
                        .unwrap_or_default();
                    PictureRecords {
                        name: p.name,
                        branch,
                        bytes: p.bytes,
                    }
                })
                .collect(),
        });
    }
    Ok(out)
}

/// What a receiver holding the scenario's documents holds, as the standard's records: every
/// document of every person as the records its send unit carries (the mapping [`export`]
/// uses), values as MS932 carries them. Deletion kinds never appear: a deleted document is
/// simply absent. Each document is written once, with the name parts (for UPKIHON No.62, the
/// picture's file name) of the latest exchange that carried it.
pub(super) fn held(s: &Scenario) -> Result<HeldRecords, ExportError> {
    let version = if s.csv_version.is_empty() {
        "202407"
    } else {
        s.csv_version.as_str()
    };
    let mut held = HeldRecords::default();
    for p in &s.persons {
        let subject = |date: &str| Subject {
            insured_no: p.insured_no.clone(),
            date: date.to_owned(),
        };
        let mut docs: Vec<Exchange> = Vec::new();
        for plan in &p.plans {
            docs.push(carrier(
                s,
                SendSet::Plan,
                "",
                None,
                subject(&plan.plan_date),
            ));
        }
        for m in &p.months {
            docs.push(carrier(s, SendSet::Month, &m.month, None, subject("")));
        }
        for r in &p.results {
            let from = Endpoint {
                office: r.office.clone(),
                kind: r.kind.clone(),
            };
            docs.push(carrier(
                s,
                SendSet::Results,
                &r.month,
                Some(from),
                subject(""),
            ));
        }
        for b in &p.basic_infos {
            docs.push(carrier(
                s,
                SendSet::BasicInfo,
                "",
                None,
                subject(&b.consult_date),
            ));
        }
        for y in &p.support_plans {
            docs.push(carrier(
                s,
                SendSet::SupportPlan,
                "",
                None,
                subject(&y.plan_date),
            ));
        }
        for ex in &docs {
            let ctx = Ctx {
                s,
                ex,
                version,
                created: None,
                parts: NameParts {
                    from: ex.from.office.clone(),
                    from_kind: ex.from.kind.clone(),
                    to: ex.to.office.clone(),
                    to_kind: ex.to.kind.clone(),
                    sequence: ex.sequence.clone(),
                },
                fault: None,
                variant: None,
            };
            let (files, _pictures) = exchange_records(&ctx)?;
            for file in files {
                for (_, rec) in &file.records {
                    let values: Vec<String> = rec.values.iter().map(|v| to_ms932_text(v)).collect();
                    held.push(file.kind.prefix(), HeldRecord::from_values(&values));
                }
            }
        }
    }
    Ok(held)
}

/// The exchange that carried one document: the latest of the scenario's exchanges of `set`
/// naming it, narrowed to that one subject; a bare one when none does.
fn carrier(
    s: &Scenario,
    set: SendSet,
    month: &str,
    from: Option<Endpoint>,
    subject: Subject,
) -> Exchange {
    let carries = |e: &&Exchange| {
        e.set == set
            && (!set.is_monthly() || e.month == month)
            && from.as_ref().is_none_or(|f| *f == e.from)
            && e.subjects.iter().any(|x| {
                x.insured_no == subject.insured_no && (set.is_monthly() || x.date == subject.date)
            })
    };
    let found = s
        .exchanges
        .iter()
        .filter(carries)
        .max_by(|a, b| super::apply::exchange_order(a).cmp(&super::apply::exchange_order(b)));
    let mut ex = found.cloned().unwrap_or_else(|| Exchange {
        sequence: String::new(),
        role: None,
        from: from.clone().unwrap_or_default(),
        to: Endpoint::default(),
        set,
        month: month.to_owned(),
        subjects: Vec::new(),
    });
    ex.subjects = vec![subject];
    ex
}
