//! Fixture builder: valid records, files and send units for every layout, built from the spec
//! data (spec/202407/*.yaml), with per-field overrides and byte-level cells for faults.

use cpcert_checks::{FileReport, Finding, ValidateOptions, check_send_units, validate_bytes};
use cpcert_csv::encode_ms932;
use cpcert_spec::{Field, FieldKind, Layout, Spec};

/// The layout version every fixture uses.
pub(crate) const VERSION: &str = "202407";
/// The service month of every fixture.
pub(crate) const MONTH: &str = "202504";
/// Sender and receiver (居宅介護支援 43 → 訪問介護 11).
pub(crate) const FROM: &str = "1310000001";
/// Receiver office.
pub(crate) const TO: &str = "1310000002";
/// The 14-digit 連番.
pub(crate) const TS: &str = "20250401093000";

pub(crate) fn spec() -> &'static Spec {
    Spec::embedded()
}

pub(crate) fn layout(kind: &str) -> &'static Layout {
    spec()
        .layout(VERSION, kind)
        .unwrap_or_else(|| panic!("no layout {kind}"))
}

/// Every CSV kind of the layout version.
pub(crate) fn kinds() -> Vec<&'static str> {
    let mut k: Vec<&str> = spec().layouts(VERSION).map(|l| l.kind.as_str()).collect();
    k.sort_unstable();
    k
}

/// One cell as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Val {
    /// A plain (unquoted) value, encoded as MS932.
    Plain(String),
    /// Free text, wrapped in quotes (inner quotes doubled), encoded as MS932.
    Text(String),
    /// Raw bytes written as they are (no quotes added): for byte-level faults.
    Raw(Vec<u8>),
}

/// Plain value.
pub(crate) fn p(s: &str) -> Val {
    Val::Plain(s.to_owned())
}
/// Quoted free text.
pub(crate) fn t(s: &str) -> Val {
    Val::Text(s.to_owned())
}
/// Raw bytes.
pub(crate) fn raw(b: &[u8]) -> Val {
    Val::Raw(b.to_vec())
}

/// A default free text: Japanese, a comma and a doubled quote, within `length` bytes.
fn default_text(field: &Field) -> String {
    match field.length {
        Some(n) if n < 24 => "1".to_owned(),
        _ => "介護,テスト\"様\"".to_owned(),
    }
}

/// The valid default value of a field (empty for unused, conditional and summary-only fields).
pub(crate) fn default_value(field: &Field) -> Val {
    use FieldKind as K;
    if !field.required.is_always() && field.required != cpcert_spec::Required::Flag(false) {
        return p(""); // conditional: empty unless a case needs it
    }
    let v = match field.kind {
        K::Version => VERSION,
        K::Date => "20250401",
        K::Month => MONTH,
        K::Time | K::TimeOr9999 => {
            if field.name.contains("終了") {
                "1000"
            } else {
                "0900"
            }
        }
        K::Code => {
            let values = field.values.as_ref().expect("code field has values");
            return p(values.keys().next().expect("at least one code"));
        }
        K::Integer => "1",
        K::Digits => "01",
        K::Text => return t(&default_text(field)),
        K::InsurerNo => "131011",
        K::InsuredNo => "0000000001",
        K::OfficeNo => TO,
        K::Postal => "100-0001",
        K::Phone => "03-0000-0000",
        K::Flags31 => "1000000000000000000000000000000",
        K::ServiceCode => "111111",
        K::DeviceCode => "",
        K::UnitPrice => "10.00",
        K::ServiceKind => "11",
        K::Unused => "",
        K::Other => "1310000001",
    };
    p(v)
}

/// A valid record of `kind` with overrides `(No., value)`.
pub(crate) fn record(kind: &str, overrides: &[(u32, Val)]) -> Vec<Val> {
    let layout = layout(kind);
    let mut rec: Vec<Val> = layout.fields.iter().map(default_value).collect();
    if kind == "UPHOSOKU" {
        // Sheet unit by default: 作成日 00000000 + 対象年月.
        rec[3] = p("00000000");
        rec[62] = p(MONTH);
    }
    for (no, v) in overrides {
        rec[*no as usize - 1] = v.clone();
    }
    rec
}

/// Overrides from string pairs (plain values).
pub(crate) fn ov(pairs: &[(u32, &str)]) -> Vec<(u32, Val)> {
    pairs.iter().map(|(n, v)| (*n, p(v))).collect()
}

/// UPHOSOKU of a plan unit: No.4 a real date, No.63 `000000`.
pub(crate) fn hosoku_plan() -> Vec<Val> {
    record("UPHOSOKU", &ov(&[(4, "20250401"), (63, "000000")]))
}

/// A file: name, records, line ending, or raw bytes that replace the encoding.
#[derive(Debug, Clone)]
pub(crate) struct FileFx {
    pub(crate) name: String,
    pub(crate) records: Vec<Vec<Val>>,
    pub(crate) lf: bool,
    pub(crate) raw: Option<Vec<u8>>,
    /// The validator's per-record byte limit (`ValidateOptions::max_record_bytes`).
    pub(crate) max_record_bytes: u64,
}

/// The standard name of a file of `kind` (month part `month` where the layout has one).
pub(crate) fn file_name_with(kind: &str, month: &str, ts: &str) -> String {
    if kind == cpcert_checks::IMAGE_KIND {
        return format!("{kind}_{FROM}_43_{TO}_11_{ts}_0001.jpg");
    }
    let month_part = layout(kind).name.month_part;
    // 実績 and its deletion go the other way: the 訪問介護 office (11) to the planner (43).
    let parties = if matches!(kind, "UPJSK" | "DLTJSK") {
        format!("{TO}_11_{FROM}_43")
    } else {
        format!("{FROM}_43_{TO}_11")
    };
    if month_part {
        format!("{kind}_{month}_{parties}_{ts}.CSV")
    } else {
        format!("{kind}_{parties}_{ts}.CSV")
    }
}

pub(crate) fn file_name(kind: &str) -> String {
    file_name_with(kind, MONTH, TS)
}

/// Encodes one record (CRLF or LF) as MS932.
pub(crate) fn encode_record(rec: &[Val], out: &mut Vec<u8>, lf: bool) {
    for (i, v) in rec.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        match v {
            Val::Plain(s) => out.extend(encode_ms932(s).expect("MS932")),
            Val::Text(s) => {
                out.push(b'"');
                for b in encode_ms932(s).expect("MS932") {
                    if b == b'"' {
                        out.push(b'"');
                    }
                    out.push(b);
                }
                out.push(b'"');
            }
            Val::Raw(b) => out.extend_from_slice(b),
        }
    }
    out.extend_from_slice(if lf { b"\n" } else { b"\r\n" });
}

impl FileFx {
    pub(crate) fn new(kind: &str, records: Vec<Vec<Val>>) -> Self {
        Self {
            name: file_name(kind),
            records,
            lf: false,
            raw: None,
            max_record_bytes: cpcert_csv::DEFAULT_MAX_RECORD_BYTES,
        }
    }

    pub(crate) fn named(name: String, records: Vec<Vec<Val>>) -> Self {
        Self {
            name,
            records,
            lf: false,
            raw: None,
            max_record_bytes: cpcert_csv::DEFAULT_MAX_RECORD_BYTES,
        }
    }

    pub(crate) fn raw(name: String, bytes: Vec<u8>) -> Self {
        Self {
            name,
            records: Vec::new(),
            lf: false,
            raw: Some(bytes),
            max_record_bytes: cpcert_csv::DEFAULT_MAX_RECORD_BYTES,
        }
    }

    pub(crate) fn bytes(&self) -> Vec<u8> {
        if let Some(raw) = &self.raw {
            return raw.clone();
        }
        let mut out = Vec::new();
        for rec in &self.records {
            encode_record(rec, &mut out, self.lf);
        }
        out
    }

    /// The same records written as UTF-8 (a real-world fault).
    pub(crate) fn utf8_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        for rec in &self.records {
            let line: Vec<String> = rec
                .iter()
                .map(|v| match v {
                    Val::Plain(s) => s.clone(),
                    Val::Text(s) => format!("\"{}\"", s.replace('"', "\"\"")),
                    Val::Raw(b) => String::from_utf8_lossy(b).into_owned(),
                })
                .collect();
            out.extend(line.join(",").as_bytes());
            out.extend_from_slice(b"\r\n");
        }
        out
    }

    /// Sets field `no` of record `rec` (1-based both).
    pub(crate) fn set(&mut self, rec: usize, no: u32, v: Val) {
        self.records[rec - 1][no as usize - 1] = v;
    }

    pub(crate) fn validate(&self) -> FileReport {
        validate_bytes(
            &self.name,
            &self.bytes(),
            spec(),
            &ValidateOptions {
                max_record_bytes: self.max_record_bytes,
                ..ValidateOptions::default()
            },
        )
    }
}

/// A tiny JPEG (SOI + APP0 JFIF header + EOI).
pub(crate) fn tiny_jpeg() -> Vec<u8> {
    let mut b = vec![
        0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0x00, 0x01, 0x01, 0x00,
    ];
    b.extend_from_slice(&[0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xFF, 0xD9]);
    b
}

/// The 第7表 rows of one person: two kind-11 rows, their subtotal and the total.
pub(crate) fn sikyu_records() -> Vec<Vec<Val>> {
    let summary = |code: &str, office: &str| {
        record(
            "UPSIKYU",
            &ov(&[(7, office), (9, code), (13, "0"), (14, ""), (15, "")]),
        )
    };
    vec![
        record("UPSIKYU", &ov(&[(9, "111111"), (13, "100")])),
        record("UPSIKYU", &ov(&[(9, "111112"), (13, "200")])),
        summary("11AAAA", TO),
        summary("999999", "9999999999"),
    ]
}

/// The valid single file of a kind (UPSIKYU with its summary rows; two records elsewhere, for
/// two persons).
pub(crate) fn valid_file(kind: &str) -> FileFx {
    let records = match kind {
        "UPSIKYU" => sikyu_records(),
        _ => vec![record(kind, &[]), record(kind, &ov(&[(3, "0000000002")]))],
    };
    FileFx::new(kind, records)
}

/// A send unit: files sharing one 連番.
pub(crate) type Unit = Vec<FileFx>;

/// A valid send unit for every set in send-units.yaml, by id.
pub(crate) fn valid_unit(id: &str) -> Unit {
    let f = |kind: &str| FileFx::new(kind, vec![record(kind, &[])]);
    match id {
        "plan" => vec![
            f("UP1KYO"),
            f("UP2KYO"),
            f("UP3KYO"),
            FileFx::named(
                file_name_with("UPHOSOKU", "000000", TS),
                vec![hosoku_plan()],
            ),
        ],
        "sheet" => vec![
            f("UPPLAN"),
            FileFx::new("UPSIKYU", sikyu_records()),
            f("UPHOSOKU"),
        ],
        "plan-deletion" => vec![f("DLT1KYO")],
        "sheet-deletion" => vec![f("DLTPLAN")],
        "actual" => vec![f("UPJSK")],
        "actual-deletion" => vec![f("DLTJSK")],
        "basic-info" => kihon_unit(),
        "prevention-plan" => vec![f("UPYOBO"), f("UPYOBO_SUB")],
        "prevention-plan-with-basic-info" => {
            let mut u = kihon_unit();
            u.push(f("UPYOBO"));
            u.push(f("UPYOBO_SUB"));
            u
        }
        "basic-info-deletion" => vec![f("DLTKIHON")],
        "prevention-plan-deletion" => vec![f("DLTYOBO")],
        other => panic!("no fixture for send unit {other}"),
    }
}

fn kihon_unit() -> Unit {
    let image = file_name_with(cpcert_checks::IMAGE_KIND, "", TS);
    let kihon = record("UPKIHON", &[(62, t(&image))]);
    vec![
        FileFx::new("UPKIHON", vec![kihon]),
        FileFx::new("UPKIHON_SUB1", vec![record("UPKIHON_SUB1", &[])]),
        FileFx::new("UPKIHON_SUB2", vec![record("UPKIHON_SUB2", &[])]),
        FileFx::raw(image, tiny_jpeg()),
    ]
}

/// Validates every file of a unit and the unit itself: all findings.
pub(crate) fn validate_unit(unit: &[FileFx]) -> Vec<Finding> {
    let reports: Vec<FileReport> = unit.iter().map(FileFx::validate).collect();
    let units = check_send_units(&reports, spec(), VERSION);
    let mut out: Vec<Finding> = reports.into_iter().flat_map(|r| r.findings).collect();
    out.extend(units.into_iter().flat_map(|u| u.findings));
    out
}

/// The id each unit fixture should be recognised as.
pub(crate) fn unit_ids() -> Vec<&'static str> {
    spec()
        .send_units(VERSION)
        .iter()
        .map(|u| u.id.as_str())
        .collect()
}
