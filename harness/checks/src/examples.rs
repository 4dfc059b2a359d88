//! One failing and one passing example per rule, for `cpcert rules ID`. The values are the
//! ones the rule fixtures (tests/rules/cases.rs) use where a value shows the rule; an
//! exhaustive `match`, so a new rule does not compile without its examples.

use crate::catalogue::RuleId;

/// A failing and a passing example of a rule (values and file names: language-neutral).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Example {
    /// What makes the rule fire.
    pub fails: &'static str,
    /// The same thing written so it does not.
    pub passes: &'static str,
}

/// The examples of a rule.
pub fn example(id: RuleId) -> Example {
    use RuleId::*;
    let (fails, passes) = match id {
        NamePattern => (
            "UPPLAN_202504_1310000001_43_11_20250401093000.CSV",
            "UPPLAN_202504_1310000001_43_1310000002_11_20250401093000.CSV",
        ),
        NameUnknownKind => (
            "UP4KYO_1399100001_43_1399100101_11_20250605083000.CSV",
            "UP1KYO_1399100001_43_1399100101_11_20250605083000.CSV",
        ),
        NameExtensionCase => ("UP1KYO_…_20250401093000.csv", "UP1KYO_…_20250401093000.CSV"),
        NameMonth => ("UPPLAN_202513_…", "UPPLAN_202504_…"),
        NameOfficeNo => ("UP1KYO_123456789_43_…", "UP1KYO_1310000001_43_…"),
        NameServiceKind => ("UP1KYO_1310000001_999_…", "UP1KYO_1310000001_43_…"),
        NameServiceKindScope => ("…_1310000002_51_… (介護福祉施設)", "…_1310000002_11_…"),
        NameTimestamp => ("…_201911110102233.CSV (15桁)", "…_20191111010223.CSV"),
        NameSameOffice => (
            "UP1KYO_1310000001_43_1310000001_11_…",
            "UP1KYO_1310000001_43_1310000002_11_…",
        ),
        NameImageBranch => (
            "UPKIHON_IMAGE_…_20250401093000_1.jpg",
            "UPKIHON_IMAGE_…_20250401093000_0001.jpg",
        ),
        EncodingBom => (
            "EF BB BF 32 30 32 34 30 37 2C …",
            "32 30 32 34 30 37 2C … (202407,…)",
        ),
        EncodingUtf8 => (
            "\"介護\" as UTF-8 E4 BB 8B E8 AD B7",
            "\"介護\" as MS932 89 EE 8C EC",
        ),
        EncodingUndecodable => ("82 FF", "82 A0 (あ)"),
        EncodingUserDefined => ("F0 40 (外字)", "88 9F (亜)"),
        EncodingEntity => ("\"&#37434;田\"", "\"髙田\" (MS932 FB FC)"),
        EncodingQuestionMark => ("\"?田\"", "\"高田\""),
        EncodingControl => ("\"介護<0x07>\"", "\"介護\""),
        CsvUnterminatedQuote => ("202407,\"介護,…(EOF)", "202407,\"介護\",…"),
        CsvStrayQuote => ("202407,介\"護,…", "202407,\"介\"\"護\",…"),
        CsvTextAfterQuote => ("202407,\"介護\"x,…", "202407,\"介護\",…"),
        RecordTooLong => (
            "a record of 17 MiB (a quote left open)",
            "a record under 16 MiB",
        ),
        CsvBlankLine => ("202407,…\\r\\n\\r\\n202407,…", "202407,…\\r\\n202407,…"),
        LineEndingLf => ("202407,…\\n", "202407,…\\r\\n"),
        LineEndingMixed => ("202407,…\\r\\n202407,…\\n", "202407,…\\r\\n202407,…\\r\\n"),
        FinalNewlineMissing => ("…,最後の項目(EOF)", "…,最後の項目\\r\\n(EOF)"),
        FieldCount => ("UPPLAN record of 28 fields", "UPPLAN record of 29 fields"),
        HeaderRow => ("CSVバージョン,保険者番号,…", "202407,131011,…"),
        FileEmpty => (
            "UPPLAN_202504_….CSV (0 bytes)",
            "UPPLAN_202504_….CSV (1 record or more)",
        ),
        NotText => (
            "50 4B 03 04 … (a ZIP named .CSV)",
            "202407,131011,… (MS932 text)",
        ),
        VersionInvalid => ("No.1 = 2024", "No.1 = 202407"),
        VersionMixed => ("record 1: 202407, record 2: 202504", "every record: 202407"),
        VersionWithdrawn => ("No.1 = 202504", "No.1 = 202407"),
        VersionSuperseded => ("No.1 = 201910", "No.1 = 202407"),
        VersionUnknown => ("No.1 = 202404", "No.1 = 202407"),
        MonthMixed => (
            "対象年月: 202504, 202505 in one file",
            "対象年月: 202504 in every record",
        ),
        MonthNameMismatch => (
            "UPPLAN_202504_… with 対象年月 202505",
            "UPPLAN_202504_… with 対象年月 202504",
        ),
        ImageFormat => (
            "UPKIHON_IMAGE_….jpg = 89 50 4E 47 (PNG)",
            "UPKIHON_IMAGE_….jpg = FF D8 FF (JPEG)",
        ),
        FindingsTruncated => ("201 × field-date in one file", "≤ 200 × field-date"),
        FieldRequired => (
            "UPPLAN No.4 作成年月日 = (空)",
            "UPPLAN No.4 作成年月日 = 20250401",
        ),
        FieldLength => (
            "a 10-byte field holding 11 bytes",
            "a 10-byte field holding 10 bytes",
        ),
        FieldLengthBytes => (
            "10 bytes: \"介護介護介護\" (6 chars, 12 bytes)",
            "\"介護介護介\" (10 bytes)",
        ),
        FieldDate => ("20250230", "20250228"),
        FieldMonth => ("202513", "202512"),
        FieldTime => ("2530", "2330"),
        FieldTime2400 => ("2400", "2359"),
        FieldCode => ("性別 = 3", "性別 = 1"),
        FieldInteger => ("1a", "12"),
        FieldDigits => ("0a", "01"),
        FieldInsurerNo => ("13101", "131011"),
        FieldInsurerCheckDigit => ("131012", "131011"),
        FieldInsuredNo => ("000000001", "0000000001 / H000000001"),
        FieldOfficeNo => ("131000000", "1310000001"),
        FieldPostal => ("1000001", "100-0001"),
        FieldPhone => ("03-0000-000x", "03-0000-0000"),
        FieldFlags31 => ("11111", "1111100000000000000000000000000"),
        FieldServiceCode => ("11111", "111111"),
        FieldDeviceCode => ("00001000010", "00001-000010"),
        FieldUnitPrice => ("10.0", "10.00"),
        FieldServiceKind => ("99", "11"),
        FieldServiceKindScope => ("51 (介護福祉施設)", "11 (訪問介護)"),
        FieldUnused => ("a value in a ※使用しない field", "(空)"),
        TextUnquoted => ("…,山田,…", "…,\"山田\",…"),
        ServiceDateInMonth => (
            "対象年月 202504, サービス利用日 20250501",
            "対象年月 202504, サービス利用日 20250430",
        ),
        Flags31DayExists => ("202504 (30日), day 31 = 1", "202504, days 1–30 only"),
        TimeOrder => ("開始 1000, 終了 0900", "開始 0900, 終了 1000"),
        Time9999Pair => ("開始 9999, 終了 1000", "開始 9999, 終了 9999"),
        DeviceCodeRequired => (
            "サービスコード 171111, TAISコード (空), 届出コード (空)",
            "サービスコード 171111, TAISコード 00001-000010",
        ),
        DeviceCodeUnexpected => (
            "サービスコード 111111, TAISコード 00001-000010",
            "サービスコード 111111, TAISコード (空)",
        ),
        DateOrder => (
            "開始 20250501, 終了 20250401",
            "開始 20250401, 終了 20250501",
        ),
        CertifiedWithoutCareLevel => (
            "認定状況区分 2, 要介護状態区分 (空)",
            "認定状況区分 2, 要介護状態区分 21",
        ),
        HosokuSet => (
            "UPHOSOKU_202504_… with 作成日 20250401",
            "UPHOSOKU_202504_… with 作成日 00000000, 対象年月 202504",
        ),
        SenderKindMismatch => (
            "UPJSK_202504_1310000002_11_… with サービスコード 131111",
            "UPJSK_202504_1310000002_11_… with サービスコード 111111",
        ),
        HosokuSentinel => (
            "作成日 00000000, 対象年月 000000",
            "作成日 20250401, 対象年月 000000",
        ),
        SikyuTotalOffice => (
            "999999 row, サービス事業所コード 1310000002",
            "999999 row, サービス事業所コード 9999999999",
        ),
        SikyuSummaryValues => (
            "11AAAA row, 単位数 300",
            "11AAAA row, 単位数 0, 割引後率/割引後単位数 (空)",
        ),
        SikyuTotalMissing => ("a person's rows without 999999", "… and one 999999 row"),
        SikyuSubtotalMissing => ("111111 + 111112 without 11AAAA", "111111 + 111112 + 11AAAA"),
        UnitCombination => (
            "UP1KYO + UPJSK sharing one 連番",
            "UP1KYO + UP2KYO + UP3KYO + UPHOSOKU (000000)",
        ),
        UnitExpectedKind => (
            "UP1KYO + UP2KYO + UPHOSOKU",
            "UP1KYO + UP2KYO + UP3KYO + UPHOSOKU",
        ),
        UnitHosokuMonth => (
            "plan unit with UPHOSOKU_202504_…",
            "plan unit with UPHOSOKU_000000_…",
        ),
        UnitKeys => (
            "UP2KYO for 被保険者番号 0000000009 not in UP1KYO",
            "every UP2KYO key in UP1KYO",
        ),
        UnitMonthMismatch => (
            "UPPLAN_202504_… + UPSIKYU_202505_…",
            "UPPLAN_202504_… + UPSIKYU_202504_…",
        ),
        CompanionWithoutParent => (
            "UPKIHON_SUB1_…_20250401093001.CSV, UPKIHON_…_20250401093000.CSV",
            "UPKIHON_SUB1_… and UPKIHON_… with the same tail",
        ),
        CompanionImageMissing => (
            "UPKIHON No.62 names UPKIHON_IMAGE_…_0001.jpg, not sent",
            "… and the picture sent",
        ),
        CompanionMissing => (
            "UPKIHON_… + UPKIHON_SUB1_… (no SUB2)",
            "UPKIHON_… + UPKIHON_SUB1_… + UPKIHON_SUB2_… (empty is fine)",
        ),
        UnitKeysNotChecked => (
            "more than 100,000 distinct keys in one file",
            "≤ 100,000 distinct keys",
        ),
    };

    Example { fails, passes }
}
