//! The case table: for every rule id, one or more mutations of a valid fixture and where the
//! rule must fire (record and field No.; `None` for name, file and send-unit findings).

use cpcert_checks::{IMAGE_KIND, RuleId, Severity};

use crate::fixture::*;

/// Where a finding must be.
#[derive(Debug, Clone, Copy)]
pub(crate) struct At {
    pub(crate) record: Option<u64>,
    pub(crate) field: Option<u32>,
    pub(crate) severity: Option<Severity>,
    pub(crate) unsettled: Option<bool>,
}

impl At {
    /// The whole file, name or unit.
    pub(crate) fn file() -> Self {
        At {
            record: None,
            field: None,
            severity: None,
            unsettled: None,
        }
    }
    /// A record, no field.
    pub(crate) fn rec(record: u64) -> Self {
        At {
            record: Some(record),
            ..At::file()
        }
    }
    /// A record's field.
    pub(crate) fn field(record: u64, no: u32) -> Self {
        At {
            record: Some(record),
            field: Some(no),
            ..At::file()
        }
    }
    pub(crate) fn error(self) -> Self {
        At {
            severity: Some(Severity::Error),
            unsettled: Some(false),
            ..self
        }
    }
    pub(crate) fn warning(self) -> Self {
        At {
            severity: Some(Severity::Warning),
            ..self
        }
    }
    /// A warning because the spec item is unsettled.
    pub(crate) fn unsettled(self) -> Self {
        At {
            severity: Some(Severity::Warning),
            unsettled: Some(true),
            ..self
        }
    }
}

type Build = Box<dyn Fn() -> Vec<FileFx>>;
type Mutate = Box<dyn Fn(&mut Vec<FileFx>)>;

pub(crate) struct Case {
    pub(crate) rule: RuleId,
    pub(crate) what: &'static str,
    /// Validate the files as a send unit too.
    pub(crate) unit: bool,
    pub(crate) base: Build,
    pub(crate) mutate: Mutate,
    pub(crate) at: At,
}

/// A case on the valid file of `kind` (mutating it).
fn file(
    rule: RuleId,
    what: &'static str,
    kind: &'static str,
    m: impl Fn(&mut FileFx) + 'static,
    at: At,
) -> Case {
    Case {
        rule,
        what,
        unit: false,
        base: Box::new(move || vec![valid_file(kind)]),
        mutate: Box::new(move |files| m(&mut files[0])),
        at,
    }
}

/// A case setting fields of record 1 of the valid file of `kind`.
fn set(
    rule: RuleId,
    what: &'static str,
    kind: &'static str,
    vals: &'static [(u32, &'static str)],
    at: At,
) -> Case {
    file(
        rule,
        what,
        kind,
        move |f| {
            for (no, v) in vals {
                f.set(1, *no, p(v));
            }
        },
        at,
    )
}

/// A case setting field `no` of record 1 to a cell.
fn cell(rule: RuleId, what: &'static str, kind: &'static str, no: u32, v: Val, at: At) -> Case {
    file(rule, what, kind, move |f| f.set(1, no, v.clone()), at)
}

/// A case renaming the valid UPPLAN file.
fn name(rule: RuleId, what: &'static str, new_name: &'static str) -> Case {
    file(
        rule,
        what,
        "UPPLAN",
        move |f| f.name = new_name.to_owned(),
        At::file(),
    )
}

/// A case on a valid send unit.
fn unit(
    rule: RuleId,
    what: &'static str,
    id: &'static str,
    m: impl Fn(&mut Unit) + 'static,
    at: At,
) -> Case {
    Case {
        rule,
        what,
        unit: true,
        base: Box::new(move || valid_unit(id)),
        mutate: Box::new(m),
        at,
    }
}

fn image_file() -> FileFx {
    FileFx::raw(file_name_with(IMAGE_KIND, "", TS), tiny_jpeg())
}

fn without(u: &mut Unit, prefix: &str) {
    u.retain(|f| !f.name.starts_with(&format!("{prefix}_")));
}

fn find<'a>(u: &'a mut Unit, prefix: &str) -> &'a mut FileFx {
    u.iter_mut()
        .find(|f| f.name.starts_with(&format!("{prefix}_")))
        .expect("file in unit")
}

fn replace_first(bytes: &mut Vec<u8>, from: &[u8], to: &[u8]) {
    let at = bytes
        .windows(from.len())
        .position(|w| w == from)
        .expect("pattern present");
    bytes.splice(at..at + from.len(), to.iter().copied());
}

/// UPJSK No. of サービスコード.
const SERVICE_CODE_JSK: u32 = 15;

const BOM: &[u8] = &[0xEF, 0xBB, 0xBF];

pub(crate) fn cases() -> Vec<Case> {
    vec![
        // ---- file name ----
        name(
            RuleId::NamePattern,
            "receiver part missing",
            "UPPLAN_202504_1310000001_43_11_20250401093000.CSV",
        ),
        name(
            RuleId::NamePattern,
            "V3-style name without service kinds",
            "UPPLAN_202504_1310000001_1310000002_20250401093000.CSV",
        ),
        name(
            RuleId::NamePattern,
            "other extension",
            "UPPLAN_202504_1310000001_43_1310000002_11_20250401093000.TXT",
        ),
        name(
            RuleId::NameUnknownKind,
            "unknown prefix",
            "UPFOO_202504_1310000001_43_1310000002_11_20250401093000.CSV",
        ),
        name(
            RuleId::NameExtensionCase,
            "lower-case .csv",
            "UPPLAN_202504_1310000001_43_1310000002_11_20250401093000.csv",
        ),
        name(
            RuleId::NameMonth,
            "month 13",
            "UPPLAN_202513_1310000001_43_1310000002_11_20250401093000.CSV",
        ),
        name(
            RuleId::NameOfficeNo,
            "9-digit office number",
            "UPPLAN_202504_131000001_43_1310000002_11_20250401093000.CSV",
        ),
        name(
            RuleId::NameServiceKind,
            "unknown service kind",
            "UPPLAN_202504_1310000001_9Z_1310000002_11_20250401093000.CSV",
        ),
        name(
            RuleId::NameServiceKindScope,
            "out-of-scope kind 33",
            "UPPLAN_202504_1310000001_43_1310000002_33_20250401093000.CSV",
        ),
        name(
            RuleId::NameTimestamp,
            "15-digit timestamp",
            "UPPLAN_202504_1310000001_43_1310000002_11_201911110102233.CSV",
        ),
        name(
            RuleId::NameTimestamp,
            "impossible date",
            "UPPLAN_202504_1310000001_43_1310000002_11_20250431093000.CSV",
        ),
        name(
            RuleId::NameSameOffice,
            "sender = receiver",
            "UPPLAN_202504_1310000001_43_1310000001_11_20250401093000.CSV",
        ),
        Case {
            rule: RuleId::NameImageBranch,
            what: "2-digit branch",
            unit: false,
            base: Box::new(|| vec![image_file()]),
            mutate: Box::new(|f| f[0].name = f[0].name.replace("_0001.jpg", "_01.jpg")),
            at: At::file(),
        },
        // ---- encoding ----
        file(
            RuleId::EncodingBom,
            "UTF-8 with BOM",
            "UPPLAN",
            |f| f.raw = Some([BOM, &f.utf8_bytes()].concat()),
            At::rec(1).error(),
        ),
        file(
            RuleId::EncodingBom,
            "MS932 with a BOM",
            "UPPLAN",
            |f| f.raw = Some([BOM, &f.bytes()].concat()),
            At::rec(1),
        ),
        file(
            RuleId::EncodingUtf8,
            "UTF-8 with BOM",
            "UPPLAN",
            |f| f.raw = Some([BOM, &f.utf8_bytes()].concat()),
            At::field(1, 7),
        ),
        file(
            RuleId::EncodingUtf8,
            "UTF-8 without BOM",
            "UPPLAN",
            |f| f.raw = Some(f.utf8_bytes()),
            At::field(1, 7).error(),
        ),
        cell(
            RuleId::EncodingUndecodable,
            "byte FF",
            "UPPLAN",
            7,
            raw(b"\"\x82\xA0\xFF\""),
            At::field(1, 7).error(),
        ),
        cell(
            RuleId::EncodingUserDefined,
            "外字 F040",
            "UPPLAN",
            7,
            raw(b"\"\x82\xA0\xF0\x40\""),
            At::field(1, 7).error(),
        ),
        cell(
            RuleId::EncodingEntity,
            "&#12316; for 〜",
            "UPPLAN",
            7,
            t("10時&#12316;12時"),
            At::field(1, 7).warning(),
        ),
        cell(
            RuleId::EncodingQuestionMark,
            "? replacing a character",
            "UPPLAN",
            7,
            t("髙?郎"),
            At::field(1, 7).warning(),
        ),
        cell(
            RuleId::EncodingControl,
            "control byte 01",
            "UPPLAN",
            7,
            t("山田\u{1}太郎"),
            At::field(1, 7).error(),
        ),
        // ---- CSV syntax ----
        file(
            RuleId::CsvUnterminatedQuote,
            "quote never closed",
            "UPPLAN",
            |f| f.set(2, 21, raw(b"\"abc")),
            At::field(2, 21).error(),
        ),
        Case {
            rule: RuleId::RecordTooLong,
            what: "4000 characters of text past a 4 KiB record limit",
            unit: false,
            base: Box::new(|| {
                let mut f = valid_file("UPPLAN");
                f.max_record_bytes = 4096;
                vec![f]
            }),
            mutate: Box::new(|f| f[0].set(1, 21, t(&"あ".repeat(4000)))),
            at: At::rec(1).error(),
        },
        cell(
            RuleId::CsvStrayQuote,
            "quote inside unquoted field",
            "UPPLAN",
            21,
            raw(b"ab\"c"),
            At::field(1, 21).error(),
        ),
        cell(
            RuleId::CsvTextAfterQuote,
            "text after closing quote",
            "UPPLAN",
            21,
            raw(b"\"abc\"x"),
            At::field(1, 21).error(),
        ),
        file(
            RuleId::CsvBlankLine,
            "blank line between records",
            "UPPLAN",
            |f| f.records.insert(1, Vec::new()),
            At::file().warning(),
        ),
        file(
            RuleId::LineEndingLf,
            "LF-only",
            "UPPLAN",
            |f| f.lf = true,
            At::file().warning(),
        ),
        file(
            RuleId::LineEndingMixed,
            "one LF among CRLF",
            "UPPLAN",
            |f| {
                let mut b = f.bytes();
                replace_first(&mut b, b"\r\n", b"\n");
                f.raw = Some(b);
            },
            At::file().warning(),
        ),
        file(
            RuleId::FinalNewlineMissing,
            "no CRLF after the last record",
            "UPPLAN",
            |f| {
                let mut b = f.bytes();
                b.truncate(b.len() - 2);
                f.raw = Some(b);
            },
            At::file().warning(),
        ),
        // ---- file ----
        cell(
            RuleId::FieldCount,
            "text with a comma, not quoted",
            "UPPLAN",
            7,
            p("山田,太郎"),
            At::rec(1).error(),
        ),
        file(
            RuleId::FieldCount,
            "dropped trailing columns",
            "UPPLAN",
            |f| f.records[0].truncate(23),
            At::rec(1),
        ),
        file(
            RuleId::FieldCount,
            "dropped trailing columns (第7表)",
            "UPSIKYU",
            |f| f.records[1].truncate(33),
            At::rec(2),
        ),
        file(
            RuleId::HeaderRow,
            "header row of field names",
            "UPPLAN",
            |f| {
                f.records.insert(
                    0,
                    layout("UPPLAN").fields.iter().map(|x| p(&x.name)).collect(),
                )
            },
            At::rec(1).error(),
        ),
        file(
            RuleId::FileEmpty,
            "no records",
            "UPPLAN",
            |f| f.records.clear(),
            At::file().error(),
        ),
        file(
            RuleId::FileEmpty,
            "0-byte deletion file",
            "DLTPLAN",
            |f| f.raw = Some(Vec::new()),
            At::file().error(),
        ),
        file(
            RuleId::NotText,
            "a ZIP archive named .CSV",
            "UPPLAN",
            |f| f.raw = Some(b"PK\x03\x04\x14\x00\x00\x00\x08\x00[Content_Types].xml".to_vec()),
            At::file().error(),
        ),
        file(
            RuleId::NotText,
            "control bytes without NUL",
            "UPJSK",
            |f| f.raw = Some([0x01u8, 0x02, 0x03, b'a'].repeat(100)),
            At::file().error(),
        ),
        set(
            RuleId::VersionInvalid,
            "4-digit version",
            "UPPLAN",
            &[(1, "2024")],
            At::field(1, 1).error(),
        ),
        file(
            RuleId::VersionMixed,
            "second record 202504",
            "UPPLAN",
            |f| f.set(2, 1, p("202504")),
            At::field(2, 1).error(),
        ),
        set(
            RuleId::VersionWithdrawn,
            "CSVバージョン 202504",
            "UPPLAN",
            &[(1, "202504")],
            At::field(1, 1).error(),
        ),
        set(
            RuleId::VersionSuperseded,
            "CSVバージョン 202208",
            "UPPLAN",
            &[(1, "202208")],
            At::field(1, 1).error(),
        ),
        set(
            RuleId::VersionUnknown,
            "CSVバージョン 202410",
            "UPPLAN",
            &[(1, "202410")],
            At::field(1, 1).error(),
        ),
        set(
            RuleId::VersionUnknown,
            "CSVバージョン 202404",
            "UP1KYO",
            &[(1, "202404")],
            At::field(1, 1),
        ),
        file(
            RuleId::MonthMixed,
            "two months in one 6表 file",
            "UPPLAN",
            |f| {
                f.set(2, 5, p("202505"));
                f.set(2, 10, p("20250501"));
            },
            At::field(2, 5).error(),
        ),
        file(
            RuleId::MonthNameMismatch,
            "records for 202505 in a 202504 file",
            "UPPLAN",
            |f| {
                for r in 1..=2 {
                    f.set(r, 5, p("202505"));
                    f.set(r, 10, p("20250501"));
                }
            },
            At::field(1, 5).error(),
        ),
        Case {
            rule: RuleId::ImageFormat,
            what: "GIF under a .jpg name",
            unit: false,
            base: Box::new(|| vec![image_file()]),
            mutate: Box::new(|f| f[0].raw = Some(b"GIF89a\x01\x00\x01\x00".to_vec())),
            at: At::file().error(),
        },
        file(
            RuleId::FindingsTruncated,
            "201 bad dates",
            "UPPLAN",
            |f| {
                f.records = (0..201)
                    .map(|_| record("UPPLAN", &ov(&[(4, "2025")])))
                    .collect()
            },
            At::file().warning(),
        ),
        // ---- field ----
        set(
            RuleId::FieldRequired,
            "作成年月日 empty",
            "UPPLAN",
            &[(4, "")],
            At::field(1, 4).error(),
        ),
        set(
            RuleId::FieldRequired,
            "プラン担当業者コード empty (unsettled)",
            "UPPLAN",
            &[(6, "")],
            At::field(1, 6).unsettled(),
        ),
        set(
            RuleId::FieldRequired,
            "保険者番号 empty (削除)",
            "DLT1KYO",
            &[(2, "")],
            At::field(1, 2).error(),
        ),
        cell(
            RuleId::FieldLength,
            "課題ＮＯ of 3 bytes",
            "UPYOBO_SUB",
            5,
            t("123"),
            At::field(1, 5).error(),
        ),
        set(
            RuleId::FieldLength,
            "サービス回数 of 3 digits",
            "UPPLAN",
            &[(14, "123")],
            At::field(1, 14).error(),
        ),
        set(
            RuleId::FieldLength,
            "前月までの利用日数 within the competing length",
            "UPSIKYU",
            &[(30, "123")],
            At::field(1, 30).unsettled(),
        ),
        cell(
            RuleId::FieldLengthBytes,
            "2 wide characters in 2",
            "UPYOBO_SUB",
            5,
            t("ああ"),
            At::field(1, 5).warning(),
        ),
        set(
            RuleId::FieldDate,
            "30 February",
            "UPPLAN",
            &[(4, "20250230")],
            At::field(1, 4).error(),
        ),
        set(
            RuleId::FieldDate,
            "slashed date",
            "UP1KYO",
            &[(15, "2025/04/01")],
            At::field(1, 15),
        ),
        set(
            RuleId::FieldMonth,
            "month 13",
            "UPPLAN",
            &[(5, "202513")],
            At::field(1, 5).error(),
        ),
        set(
            RuleId::FieldTime,
            "minute 60",
            "UPPLAN",
            &[(12, "0960")],
            At::field(1, 12).error(),
        ),
        set(
            RuleId::FieldTime,
            "9999 where not allowed",
            "UP3KYO",
            &[(8, "9999"), (9, "9999")],
            At::field(1, 8),
        ),
        set(
            RuleId::FieldTime2400,
            "end 2400",
            "UPPLAN",
            &[(13, "2400")],
            At::field(1, 13).warning(),
        ),
        set(
            RuleId::FieldCode,
            "計画書区分 1",
            "UP1KYO",
            &[(16, "1")],
            At::field(1, 16).error(),
        ),
        set(
            RuleId::FieldCode,
            "保険対象区分 1",
            "UP2KYO",
            &[(15, "1")],
            At::field(1, 15).error(),
        ),
        set(
            RuleId::FieldInteger,
            "1a",
            "UPPLAN",
            &[(14, "1a")],
            At::field(1, 14).error(),
        ),
        set(
            RuleId::FieldDigits,
            "0A",
            "UPPLAN",
            &[(22, "0A")],
            At::field(1, 22).error(),
        ),
        set(
            RuleId::FieldInsurerNo,
            "5 digits",
            "UPPLAN",
            &[(2, "13101")],
            At::field(1, 2).error(),
        ),
        set(
            RuleId::FieldInsurerCheckDigit,
            "check digit 2",
            "UPPLAN",
            &[(2, "131012")],
            At::field(1, 2).warning(),
        ),
        set(
            RuleId::FieldInsuredNo,
            "3 digits",
            "UPPLAN",
            &[(3, "123")],
            At::field(1, 3).error(),
        ),
        set(
            RuleId::FieldOfficeNo,
            "9-digit office",
            "UPPLAN",
            &[(20, "131000001")],
            At::field(1, 20).error(),
        ),
        set(
            RuleId::FieldPostal,
            "no hyphen",
            "UP1KYO",
            &[(5, "1000001")],
            At::field(1, 5).error(),
        ),
        set(
            RuleId::FieldPhone,
            "letter in a phone number",
            "UPHOSOKU",
            &[(12, "03-0000-000A")],
            At::field(1, 12).error(),
        ),
        set(
            RuleId::FieldFlags31,
            "3 flags",
            "UPPLAN",
            &[(11, "101")],
            At::field(1, 11).error(),
        ),
        set(
            RuleId::FieldServiceCode,
            "hyphen in a code",
            "UPPLAN",
            &[(15, "11-111")],
            At::field(1, 15).error(),
        ),
        set(
            RuleId::FieldDeviceCode,
            "TAIS code of 11 characters",
            "UPPLAN",
            &[(15, "171111"), (16, "12345-12345")],
            At::field(1, 16).error(),
        ),
        set(
            RuleId::FieldDeviceCode,
            "full-width dash (spec example)",
            "UPPLAN",
            &[(15, "171111"), (16, "12345－123456")],
            At::field(1, 16).unsettled(),
        ),
        set(
            RuleId::FieldUnitPrice,
            "one decimal",
            "UPSIKYU",
            &[(23, "10.0")],
            At::field(1, 23).error(),
        ),
        set(
            RuleId::FieldServiceKind,
            "unknown kind",
            "UPHOSOKU",
            &[(20, "ZZ")],
            At::field(1, 20).error(),
        ),
        set(
            RuleId::FieldServiceKind,
            "unknown kind (実績削除)",
            "DLTJSK",
            &[(6, "99")],
            At::field(1, 6),
        ),
        set(
            RuleId::FieldServiceKindScope,
            "kind 33",
            "UPHOSOKU",
            &[(20, "33")],
            At::field(1, 20).warning(),
        ),
        set(
            RuleId::FieldServiceKindScope,
            "service code of kind 33",
            "UPPLAN",
            &[(15, "331111")],
            At::field(1, 15).warning(),
        ),
        set(
            RuleId::FieldUnused,
            "識別子 filled",
            "UPPLAN",
            &[(25, "1")],
            At::field(1, 25).warning(),
        ),
        cell(
            RuleId::TextUnquoted,
            "name not quoted",
            "UPPLAN",
            7,
            p("山田"),
            At::field(1, 7).error(),
        ),
        cell(
            RuleId::TextUnquoted,
            "2表 free text not quoted",
            "UP2KYO",
            7,
            p("歩行が不安定"),
            At::field(1, 7).error(),
        ),
        // ---- record ----
        set(
            RuleId::ServiceDateInMonth,
            "May date in April",
            "UPPLAN",
            &[(10, "20250501")],
            At::field(1, 10).error(),
        ),
        set(
            RuleId::Flags31DayExists,
            "31st in April",
            "UPPLAN",
            &[(11, "0000000000000000000000000000001")],
            At::field(1, 11).error(),
        ),
        set(
            RuleId::TimeOrder,
            "end before start",
            "UPPLAN",
            &[(12, "1000"), (13, "0900")],
            At::field(1, 12).warning(),
        ),
        set(
            RuleId::TimeOrder,
            "end before start (3表)",
            "UP3KYO",
            &[(11, "1000"), (12, "0900")],
            At::field(1, 11),
        ),
        set(
            RuleId::Time9999Pair,
            "only start 9999",
            "UPPLAN",
            &[(12, "9999")],
            At::field(1, 12).error(),
        ),
        set(
            RuleId::DeviceCodeRequired,
            "福祉用具貸与 without code",
            "UPPLAN",
            &[(15, "171111")],
            At::field(1, 16).error(),
        ),
        set(
            RuleId::DeviceCodeRequired,
            "福祉用具貸与 without code (第7表)",
            "UPSIKYU",
            &[(9, "171111")],
            At::field(1, 10),
        ),
        set(
            RuleId::DeviceCodeUnexpected,
            "TAIS code on 訪問介護",
            "UPPLAN",
            &[(16, "12345-123456")],
            At::field(1, 16).warning(),
        ),
        set(
            RuleId::DateOrder,
            "認定有効期間 reversed",
            "UP1KYO",
            &[(19, "20250501"), (20, "20250401")],
            At::field(1, 19).error(),
        ),
        set(
            RuleId::CertifiedWithoutCareLevel,
            "認定済, no level",
            "UP1KYO",
            &[(17, "2"), (21, "")],
            At::field(1, 21).warning(),
        ),
        set(
            RuleId::HosokuSentinel,
            "both placeholders",
            "UPHOSOKU",
            &[(4, "00000000"), (63, "000000")],
            At::field(1, 4).error(),
        ),
        set(
            RuleId::HosokuSentinel,
            "plan placeholder with an invalid date",
            "UPHOSOKU",
            &[(4, "20250431"), (63, "000000")],
            At::field(1, 4),
        ),
        set(
            RuleId::HosokuSet,
            "sheet set (name month 202504) with a real 作成日",
            "UPHOSOKU",
            &[(4, "20250401")],
            At::field(1, 4).error(),
        ),
        Case {
            rule: RuleId::HosokuSet,
            what: "plan set (name month 000000) with a real 対象年月",
            unit: false,
            base: Box::new(|| {
                vec![FileFx::named(
                    file_name_with("UPHOSOKU", "000000", TS),
                    vec![hosoku_plan()],
                )]
            }),
            mutate: Box::new(|f| f[0].set(1, 63, p(MONTH))),
            at: At::field(1, 63).error(),
        },
        Case {
            rule: RuleId::HosokuSet,
            what: "plan set (name month 000000) with the sheet's 00000000",
            unit: false,
            base: Box::new(|| {
                vec![FileFx::named(
                    file_name_with("UPHOSOKU", "000000", TS),
                    vec![hosoku_plan()],
                )]
            }),
            mutate: Box::new(|f| f[0].set(1, 4, p("00000000"))),
            at: At::field(1, 4).error(),
        },
        file(
            RuleId::SenderKindMismatch,
            "訪問看護 (13) rows in a 実績 named as 訪問介護 (_11_)",
            "UPJSK",
            |f| f.set(1, SERVICE_CODE_JSK, p("131111")),
            At::field(1, SERVICE_CODE_JSK).error(),
        ),
        file(
            RuleId::SenderKindMismatch,
            "実績 deletion of another service kind",
            "DLTJSK",
            |f| f.set(1, 6, p("13")),
            At::field(1, 6).error(),
        ),
        file(
            RuleId::SikyuTotalOffice,
            "total row office",
            "UPSIKYU",
            |f| f.set(4, 7, p(TO)),
            At::field(4, 7).error(),
        ),
        file(
            RuleId::SikyuSummaryValues,
            "total row with units",
            "UPSIKYU",
            |f| f.set(4, 13, p("300")),
            At::field(4, 13).error(),
        ),
        file(
            RuleId::SikyuSummaryValues,
            "subtotal with a discount",
            "UPSIKYU",
            |f| f.set(3, 14, p("90")),
            At::field(3, 13),
        ),
        file(
            RuleId::SikyuTotalMissing,
            "no 999999 row",
            "UPSIKYU",
            |f| drop(f.records.remove(3)),
            At::rec(1).error(),
        ),
        file(
            RuleId::SikyuSubtotalMissing,
            "no 11AAAA row",
            "UPSIKYU",
            |f| drop(f.records.remove(2)),
            At::rec(1).warning(),
        ),
        // ---- send unit ----
        unit(
            RuleId::UnitCombination,
            "1表 without 2表",
            "plan",
            |u| without(u, "UP2KYO"),
            At::file().error(),
        ),
        unit(
            RuleId::UnitCombination,
            "6表 without 7表",
            "sheet",
            |u| without(u, "UPSIKYU"),
            At::file(),
        ),
        unit(
            RuleId::UnitCombination,
            "UPJSK sharing the plan's 連番",
            "plan",
            |u| {
                u.push(FileFx::named(
                    format!("UPJSK_{MONTH}_{FROM}_43_{TO}_11_{TS}.CSV"),
                    vec![record("UPJSK", &[])],
                ))
            },
            At::file(),
        ),
        unit(
            RuleId::UnitExpectedKind,
            "plan without 3表",
            "plan",
            |u| without(u, "UP3KYO"),
            At::file().warning(),
        ),
        unit(
            RuleId::UnitHosokuMonth,
            "UPHOSOKU named with a month in a plan unit",
            "plan",
            |u| find(u, "UPHOSOKU").name = file_name_with("UPHOSOKU", MONTH, TS),
            At::file().error(),
        ),
        unit(
            RuleId::UnitHosokuMonth,
            "UPHOSOKU of another month in a sheet unit",
            "sheet",
            |u| find(u, "UPHOSOKU").name = file_name_with("UPHOSOKU", "202505", TS),
            At::file(),
        ),
        unit(
            RuleId::UnitKeys,
            "2表 with another plan date",
            "plan",
            |u| find(u, "UP2KYO").set(1, 5, p("20250402")),
            At::file().error(),
        ),
        unit(
            RuleId::UnitKeys,
            "7表 missing a person of 6表",
            "sheet",
            |u| find(u, "UPPLAN").set(1, 3, p("0000000009")),
            At::file(),
        ),
        unit(
            RuleId::UnitMonthMismatch,
            "7表 of another month",
            "sheet",
            |u| {
                let f = find(u, "UPSIKYU");
                f.name = file_name_with("UPSIKYU", "202505", TS);
            },
            At::file().error(),
        ),
        unit(
            RuleId::CompanionWithoutParent,
            "別表1 with another timestamp",
            "basic-info",
            |u| find(u, "UPKIHON_SUB1").name = file_name_with("UPKIHON_SUB1", "", "20250401093001"),
            At::file().error(),
        ),
        unit(
            RuleId::CompanionWithoutParent,
            "picture with another timestamp",
            "basic-info",
            |u| find(u, IMAGE_KIND).name = file_name_with(IMAGE_KIND, "", "20250401093001"),
            At::file(),
        ),
        unit(
            RuleId::CompanionImageMissing,
            "picture not sent",
            "basic-info",
            |u| without(u, IMAGE_KIND),
            At::file().error(),
        ),
        unit(
            RuleId::CompanionMissing,
            "利用者基本情報 without 別表2",
            "basic-info",
            |u| without(u, "UPKIHON_SUB2"),
            At::file().error(),
        ),
        unit(
            RuleId::CompanionMissing,
            "支援計画書 without its 別表",
            "prevention-plan",
            |u| without(u, "UPYOBO_SUB"),
            At::file().error(),
        ),
        unit(
            RuleId::UnitKeysNotChecked,
            "over 100,000 distinct keys",
            "basic-info",
            |u| {
                find(u, "UPKIHON_SUB1").records = (0..100_001)
                    .map(|i| record("UPKIHON_SUB1", &ov(&[(3, &format!("{i:010}"))])))
                    .collect();
            },
            At::file().warning(),
        ),
    ]
}
