//! The rule catalogue: every rule id with its level, default severity, Japanese and English text
//! and the spec place it rests on. docs/rules.md is generated from this table (and a test fails
//! when it is stale). Ids are stable: never renumber, rename or reuse one.

use crate::finding::{Lang, Severity};

/// Where in the pipeline a rule runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// The file name.
    Name,
    /// Bytes and encoding.
    Encoding,
    /// CSV syntax.
    Syntax,
    /// One field.
    Field,
    /// Several fields of one record.
    Record,
    /// The whole file.
    File,
    /// Files sharing one 連番 (send unit).
    SendUnit,
}

impl Level {
    /// Heading used in docs/rules.md.
    pub fn heading(self) -> &'static str {
        match self {
            Level::Name => "File name (ファイル名)",
            Level::Encoding => "Encoding (文字コード)",
            Level::Syntax => "CSV syntax (CSV構文)",
            Level::Field => "Field (項目)",
            Level::Record => "Record (レコード)",
            Level::File => "File (ファイル)",
            Level::SendUnit => "Send unit (送信単位)",
        }
    }
}

/// One catalogue entry.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// Stable id.
    pub id: RuleId,
    /// Pipeline level.
    pub level: Level,
    /// Default severity (unsettled spec items downgrade errors to warnings).
    pub severity: Severity,
    /// What the rule says, in Japanese.
    pub ja: &'static str,
    /// What the rule says, in English.
    pub en: &'static str,
    /// The spec place (or project policy) the rule rests on.
    pub place: &'static str,
}

impl Rule {
    /// The rule's text in a language.
    pub fn text(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Ja => self.ja,
            Lang::En => self.en,
        }
    }
}

use Level::*;
use Severity::{Error as E, Warning as W};

/// An id that is not in the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown rule id `{0}`")]
pub struct UnknownRule(pub String);

macro_rules! rules {
    ($( $var:ident = $id:literal, $level:expr, $sev:expr, $ja:literal, $en:literal, $place:literal; )*) => {
        /// A rule id. The catalogue below is its one source: the variant, its stable kebab-case
        /// text (what findings, results.json and docs carry) and its entry are written once.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum RuleId {
            $( #[doc = $en] $var, )*
        }

        impl RuleId {
            /// Every id, in catalogue order.
            pub const ALL: &'static [RuleId] = &[ $( RuleId::$var, )* ];

            /// The stable kebab-case id.
            pub const fn as_str(self) -> &'static str {
                match self { $( RuleId::$var => $id, )* }
            }
        }

        /// Every rule, in catalogue order (`RULES[id as usize].id == id`).
        pub static RULES: &[Rule] = &[
            $( Rule { id: RuleId::$var, level: $level, severity: $sev, ja: $ja, en: $en, place: $place }, )*
        ];
    };
}

impl RuleId {
    /// The catalogue entry.
    pub fn rule(self) -> &'static Rule {
        &RULES[self as usize]
    }
}

impl std::fmt::Display for RuleId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for RuleId {
    type Err = UnknownRule;
    fn from_str(s: &str) -> Result<Self, UnknownRule> {
        RuleId::ALL
            .iter()
            .copied()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| UnknownRule(s.to_owned()))
    }
}

impl PartialEq<str> for RuleId {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for RuleId {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl serde::Serialize for RuleId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// In a JSON Schema a rule id is a string: one of docs/rules.md's ids (not enumerated, so that a
/// new rule does not change every schema that holds findings).
impl schemars::JsonSchema for RuleId {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "RuleId".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "A rule id of the catalogue (docs/rules.md), kebab-case."
        })
    }
}

impl<'de> serde::Deserialize<'de> for RuleId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

rules! {
    NamePattern = "name-pattern", Name, E, "ファイル名が標準仕様の形式ではありません", "file name does not follow the standard's pattern", "本文 §2.4/§3.4, 別紙 各ファイル名規則";
    NameUnknownKind = "name-unknown-kind", Name, E, "ファイル種別（接頭辞）が標準仕様にありません", "unknown file kind (prefix)", "本文 §2.3/§3.3";
    NameExtensionCase = "name-extension-case", Name, W, "拡張子が大文字の .CSV ではありません", "extension is not upper-case .CSV", "別紙 ファイル名の例 (policy: docs/rules.md)";
    NameMonth = "name-month", Name, E, "ファイル名の年月が正しくありません", "month part of the file name is wrong", "別紙 ファイル名規則 (対象年月/提供年月)";
    NameOfficeNo = "name-office-no", Name, E, "ファイル名の事業所番号が10桁の数字ではありません", "office number in the file name is not 10 digits", "本文 §2.4 (例の9桁は誤記)";
    NameServiceKind = "name-service-kind", Name, E, "ファイル名のサービス種類コードが2桁の既知のコードではありません", "service kind in the file name is not a known 2-character code", "第4.1版 ファイル名 サービス種類コード(2桁)";
    NameServiceKindScope = "name-service-kind-scope", Name, W, "ファイル名のサービス種類コードが連携対象外です", "service kind in the file name is outside the linkage scope", "本文 §1 連携対象サービス";
    NameTimestamp = "name-timestamp", Name, E, "ファイル名の作成日時（連番）が実在する14桁の日時ではありません", "timestamp (sequence) in the file name is not a real 14-digit date-time", "本文 §2.5 (例の15桁は誤記)";
    NameSameOffice = "name-same-office", Name, E, "送信元と送信先の事業所番号が同じです", "sender and receiver office numbers are the same", "ヘルプデスクFAQ";
    NameImageBranch = "name-image-branch", Name, E, "家族構成画像の枝番が4桁の数字ではありません", "family picture branch number is not 4 digits", "別紙 UPKIHON No.62";
    EncodingBom = "encoding-bom", Encoding, E, "BOM があります（MS932 に BOM はありません）", "file starts with a byte order mark (MS932 has none)", "本文 §4.3 文字コード";
    EncodingUtf8 = "encoding-utf8", Encoding, E, "UTF-8 の文字列です（MS932 ではありません）", "text is UTF-8, not MS932", "本文 §4.3 文字コード";
    EncodingUndecodable = "encoding-undecodable", Encoding, E, "MS932 として解読できないバイトがあります", "bytes that are not MS932", "本文 §4.3 文字コード";
    EncodingUserDefined = "encoding-user-defined", Encoding, E, "外字（ユーザー定義領域 F040–F9FC）が使われています", "user-defined character (外字, F040–F9FC)", "本文 §4.3 外字の利用は不可";
    EncodingEntity = "encoding-entity", Encoding, W, "文字参照（&#…;）があります。エンコーダーが置き換えた文字と思われます", "character reference (&#…;): an encoder replaced a character", "本文 §4.3 (MS932 へ変換すること)";
    EncodingQuestionMark = "encoding-question-mark", Encoding, W, "全角文字の隣に半角「?」があります。変換できない文字が置き換えられた可能性があります", "half-width ? next to a wide character: probably a replaced character", "本文 §4.3 (MS932 へ変換すること)";
    EncodingControl = "encoding-control", Encoding, E, "制御文字があります", "control character in a field", "本文 §4.3";
    CsvUnterminatedQuote = "csv-unterminated-quote", Syntax, E, "ダブルクォートが閉じられていません", "quoted field is not closed", "本文 §4.2 フリーテキスト";
    CsvStrayQuote = "csv-stray-quote", Syntax, E, "クォートされていない項目にダブルクォートがあります", "double quote inside an unquoted field", "本文 §4.2 フリーテキスト (\" は \"\" とする)";
    CsvTextAfterQuote = "csv-text-after-quote", Syntax, E, "閉じクォートの後に文字があります", "characters after the closing quote", "本文 §4.2";
    RecordTooLong = "record-too-long", Syntax, E, "レコードが長すぎます（上限を超えた部分は検査していません）", "record too long: the part beyond the limit was not checked", "policy: docs/rules.md";
    CsvBlankLine = "csv-blank-line", Syntax, W, "空行があります", "blank line", "policy: docs/rules.md (ヘッダー・空行)";
    LineEndingLf = "line-ending-lf", Syntax, W, "改行コードが CRLF ではありません（LF）", "line ending is LF, not CRLF", "policy: docs/rules.md (改行コード: 仕様に記載なし)";
    LineEndingMixed = "line-ending-mixed", Syntax, W, "改行コードが混在しています", "mixed line endings", "policy: docs/rules.md (改行コード)";
    FinalNewlineMissing = "final-newline-missing", Syntax, W, "最終レコードの後に改行がありません", "no line ending after the last record", "policy: docs/rules.md (改行コード)";
    FieldCount = "field-count", File, E, "項目数がレイアウトと一致しません", "number of fields differs from the layout", "別紙 各レイアウト 項目数";
    HeaderRow = "header-row", File, E, "見出し行があります（レイアウトに見出し行はありません）", "header row present (the layout defines none)", "別紙 (見出し行の定義なし)";
    FileEmpty = "file-empty", File, E, "レコードがありません（0バイトのファイルを含む）", "file has no records (a 0-byte file included)", "本文 §2.6/§3.6 出力単位 (policy: docs/rules.md)";
    NotText = "file-not-text", File, E, "テキストのCSVファイルではありません（バイナリ）。以降は検査していません", "not a text CSV file (binary): not checked further", "本文 §4.1/§4.3 CSV・文字コード (policy: docs/rules.md)";
    VersionInvalid = "version-invalid", File, E, "CSVバージョンが6桁の年月ではありません", "CSV version is not a 6-digit YYYYMM", "別紙 No.1 CSVバージョン";
    VersionMixed = "version-mixed", File, E, "1ファイルに複数のCSVバージョンがあります", "several CSV versions in one file", "別紙 CSVバージョン (1ファイル1バージョン)";
    VersionWithdrawn = "version-withdrawn", File, E, "CSVバージョン 202504 は第4.0版の値で、第4.1版で 202407 に置き換えられました", "CSV version 202504 is the withdrawn V4.0 value (V4.1 uses 202407)", "別紙 CSVバージョン履歴";
    VersionSuperseded = "version-superseded", File, E, "旧版のCSVバージョンです。このレイアウトでは検証できません", "an earlier layout version: not validated against V4.1", "別紙 CSVバージョン履歴";
    VersionUnknown = "version-unknown", File, E, "標準仕様に定義のないCSVバージョンです", "CSV version not defined by the standard", "別紙 CSVバージョン履歴";
    MonthMixed = "month-mixed", File, E, "1ファイルに複数の対象年月があります", "several service months in one file", "別紙 ファイル作成単位 (1ファイル1提供月)";
    MonthNameMismatch = "month-name-mismatch", File, E, "対象年月がファイル名の年月と一致しません", "service month differs from the month in the file name", "別紙 ファイル名規則";
    ImageFormat = "image-format", File, E, "家族構成画像が JPEG ではありません", "family picture is not a JPEG", "別紙 UPKIHON No.62 (JPEG)";
    FindingsTruncated = "findings-truncated", File, W, "同じ規則の指摘が多いため以降を省略しました", "further findings of this rule were left out", "policy: docs/rules.md";
    FieldRequired = "field-required", Field, E, "必須項目が空です", "required field is empty", "別紙 必須欄 (○)";
    FieldLength = "field-length", Field, E, "項目長を超えています", "longer than the field length", "別紙 項目長";
    FieldLengthBytes = "field-length-bytes", Field, W, "文字数は項目長以内ですが、MS932 のバイト数では超えています", "within the length in characters but not in MS932 bytes", "policy: docs/rules.md (項目長の単位: 仕様に記載なし)";
    FieldDate = "field-date", Field, E, "実在する日付（YYYYMMDD）ではありません", "not a real date (YYYYMMDD)", "別紙 書式 YYYYMMDD";
    FieldMonth = "field-month", Field, E, "実在する年月（YYYYMM）ではありません", "not a real month (YYYYMM)", "別紙 書式 YYYYMM";
    FieldTime = "field-time", Field, E, "時刻（HHMM）ではありません", "not a time (HHMM)", "別紙 書式 HHMM / 9999";
    FieldTime2400 = "field-time-2400", Field, W, "2400 は 0000–2359 の範囲外です（日をまたぐ扱いは仕様に記載なし）", "2400 is outside 0000–2359 (midnight handling is not stated)", "policy: docs/rules.md (時刻)";
    FieldCode = "field-code", Field, E, "コード値が定義されていません", "code value not defined for this field", "別紙 書式・選択肢";
    FieldInteger = "field-integer", Field, E, "整数ではありません", "not an integer", "別紙 書式";
    FieldDigits = "field-digits", Field, E, "数字ではありません", "not digits", "別紙 書式";
    FieldInsurerNo = "field-insurer-no", Field, E, "保険者番号が6桁の数字ではありません", "insurer number is not 6 digits", "別紙 保険者番号";
    FieldInsurerCheckDigit = "field-insurer-check-digit", Field, W, "保険者番号の検証番号（6桁目）が一致しません", "insurer number check digit does not match", "保険者番号の検証番号 (policy: docs/rules.md)";
    FieldInsuredNo = "field-insured-no", Field, E, "被保険者番号が10桁（生保単独は H＋9桁）ではありません", "insured number is not 10 characters (H + 9 digits for 生保単独)", "別紙 被保険者番号";
    FieldOfficeNo = "field-office-no", Field, E, "事業所番号が10桁の数字ではありません", "office number is not 10 digits", "別紙 事業所番号";
    FieldPostal = "field-postal", Field, E, "郵便番号が NNN-NNNN の形式ではありません", "postal code is not NNN-NNNN", "別紙 郵便番号";
    FieldPhone = "field-phone", Field, E, "電話番号に使えない文字があります", "phone number holds characters other than digits, hyphens, parentheses", "別紙 電話番号";
    FieldFlags31 = "field-flags31", Field, E, "日割対象日が 0/1 の31文字ではありません", "日割 flags are not 31 characters of 0/1", "別紙 第6表 No.11";
    FieldServiceCode = "field-service-code", Field, E, "サービスコードが6文字の英数字ではありません", "service code is not 6 alphanumeric characters", "別紙 サービスコード";
    FieldDeviceCode = "field-device-code", Field, E, "TAISコード／届出コードが NNNNN-NNNNNN の形式ではありません", "TAIS/notification code is not NNNNN-NNNNNN", "別紙 第6表 No.16/17";
    FieldUnitPrice = "field-unit-price", Field, E, "単位数単価が 99.99 の形式ではありません", "unit price is not in 99.99 form", "別紙 第7表 No.23";
    FieldServiceKind = "field-service-kind", Field, E, "サービス種類コードが定義されていません", "service kind code is not defined", "サービスコード表 (spec/202407/service-kinds.yaml)";
    FieldServiceKindScope = "field-service-kind-scope", Field, W, "連携対象外のサービス種類です（レコードを作らないこと）", "service kind outside the linkage scope (no records should be sent)", "本文 §1 連携対象サービス / §2.6";
    FieldUnused = "field-unused", Field, W, "使用しない項目に値があります", "a 'not used' field holds a value", "別紙 ※使用しない";
    TextUnquoted = "text-unquoted", Field, E, "フリーテキストがダブルクォートで囲まれていません", "free text is not wrapped in double quotes", "本文 §4.2 フリーテキスト; 別紙 各レイアウト 備考「※フリーテキストは\"\"（半角）で囲い…」";
    ServiceDateInMonth = "service-date-in-month", Record, E, "サービス利用日が対象年月の中にありません", "service date is outside the service month", "別紙 第6表 No.10";
    Flags31DayExists = "flags31-day-exists", Record, E, "その月にない日に日割対象日のフラグが立っています", "日割 flag set on a day the month does not have", "別紙 第6表 No.11";
    TimeOrder = "time-order", Record, W, "終了時刻が開始時刻より前です（日をまたぐサービスか確認してください）", "end time before start time (check for a service crossing midnight)", "別紙 第6表 No.12/13 (policy: docs/rules.md)";
    Time9999Pair = "time-9999-pair", Record, E, "開始・終了時刻の一方だけが 9999 です", "only one of start/end time is 9999", "別紙 第6表 No.12/13";
    DeviceCodeRequired = "device-code-required", Record, E, "福祉用具貸与（17/67）には TAISコードか届出コードが必要です", "福祉用具貸与 (17/67) needs a TAIS or notification code", "別紙 第6表 No.16/17, 第7表 No.10/11";
    DeviceCodeUnexpected = "device-code-unexpected", Record, W, "福祉用具貸与以外のサービスに TAISコード／届出コードがあります", "TAIS/notification code on a service other than 福祉用具貸与", "別紙 第6表 No.16/17";
    DateOrder = "date-order", Record, E, "開始日が終了日より後です", "start date after end date", "別紙 認定有効期間・限度額適用期間";
    CertifiedWithoutCareLevel = "certified-without-care-level", Record, W, "認定済なのに要介護状態区分が空です", "認定済 but the care level is empty", "edge-cases #48";
    HosokuSet = "hosoku-set", Record, E, "利用者補足情報の作成日・対象年月がファイル名の年月と合いません（名前の年月 000000: 作成日＝実在日・対象年月 000000、名前の年月 YYYYMM: 作成日 00000000・対象年月 YYYYMM）", "UPHOSOKU plan date / month do not fit the name's month (000000: a real date and month 000000; YYYYMM: date 00000000 and that month)", "本文 §2.3 利用者補足情報の紐づけ; 別紙 利用者補足情報 ファイル名規則";
    SenderKindMismatch = "sender-kind-mismatch", Record, E, "ファイル名の送信元サービス種類コードとレコードのサービス種類が一致しません", "the sender's service kind in the file name differs from the record's service kind", "別紙 実績 ファイル作成単位 (事業所番号＋サービス種類ごと); ファイル名 送信元サービス種類コード (policy: docs/rules.md)";
    HosokuSentinel = "hosoku-sentinel", Record, E, "利用者補足情報の 作成日 と 対象年月 の組合せが正しくありません（計画: 対象年月 000000、利用票: 作成日 00000000）", "UPHOSOKU plan date / month combination is wrong (plan: month 000000; sheet: date 00000000)", "本文 §2.3 利用者補足情報の紐づけ";
    SikyuTotalOffice = "sikyu-total-office", Record, E, "合計行（999999）のサービス事業所コードが 9999999999 ではありません", "total row (999999) office code is not 9999999999", "別紙 第7表 補足";
    SikyuSummaryValues = "sikyu-summary-values", Record, E, "集計行の単位数が 0 でない、または割引後率・割引後単位数が空ではありません", "summary row: units not 0, or discount fields not empty", "別紙 第7表 補足";
    SikyuTotalMissing = "sikyu-total-missing", File, E, "利用者の合計行（999999）がありません", "a person has no total row (999999)", "別紙 第7表 補足";
    SikyuSubtotalMissing = "sikyu-subtotal-missing", File, W, "複数のサービスコード行がある種類に小計行（種類＋AAAA）がありません", "a service kind with several rows has no subtotal row (kind + AAAA)", "別紙 第7表 補足";
    UnitCombination = "unit-combination", SendUnit, E, "同じ連番のファイルの組合せが送信単位になっていません", "files sharing one sequence number do not form a send unit", "本文 §2.4 / §3.4 送信単位";
    UnitExpectedKind = "unit-expected-kind", SendUnit, W, "送信単位に含まれるはずのファイルがありません（仕様上未確定）", "a file the send unit should contain is missing (unsettled in the spec)", "本文 §2.4 (3表)";
    UnitHosokuMonth = "unit-hosoku-month", SendUnit, E, "利用者補足情報の年月が送信単位と合いません", "UPHOSOKU month does not fit its send unit", "別紙 利用者補足情報 ファイル名規則";
    UnitKeys = "unit-keys", SendUnit, E, "送信単位内で関連キーが一致しません", "join keys do not agree within the send unit", "本文 §2.3 / §3.3 ファイルの関連";
    UnitMonthMismatch = "unit-month-mismatch", SendUnit, E, "送信単位内のファイルの対象年月が異なります", "files of one send unit name different months", "本文 §2.4";
    CompanionWithoutParent = "companion-without-parent", SendUnit, E, "別表・画像ファイルに同じ送信単位の親ファイルがありません", "companion (別表/picture) has no parent file with the same name tail", "別紙 別表ファイル名規則";
    CompanionImageMissing = "companion-image-missing", SendUnit, E, "利用者基本情報が指す家族構成画像ファイルがありません", "the family picture named in UPKIHON is missing", "別紙 UPKIHON No.62; 本文 §3.3 (画像も一緒に送る)";
    CompanionMissing = "companion-missing", SendUnit, E, "親ファイルと一緒に送るべき別表ファイルがありません", "a 別表 file that travels with its parent is missing", "本文 §3.3 (利用者基本情報は別表1・別表2と、支援計画書は別表と一緒に送る)";
    UnitKeysNotChecked = "unit-keys-not-checked", SendUnit, W, "関連キーが多すぎるため一部を照合していません", "too many join keys: some were not compared", "policy: docs/rules.md";
}

/// The catalogue entry of a rule id.
pub fn rule(id: RuleId) -> &'static Rule {
    id.rule()
}

/// Renders the catalogue as docs/rules.md (Markdown).
pub fn render_markdown(policies: &str) -> String {
    let mut out = String::from(
        "# Rule catalogue\n\n<!-- Generated by `cargo run -- rules --markdown > docs/rules.md`; \
         a test fails when this file is stale. Edit harness/checks/src/catalogue.rs. -->\n\n\
         Every finding names one of these rules. Ids are stable: never renumbered, renamed or reused.\n\
         A rule whose spec item is marked low/medium confidence (spec/README.md) reports a warning \
         instead of an error, and says so.\n",
    );
    let mut level = None;
    for r in RULES {
        if level != Some(r.level) {
            level = Some(r.level);
            out.push_str(&format!("\n## {}\n\n| id | severity | 日本語 | English | spec place |\n|---|---|---|---|---|\n", r.level.heading()));
        }
        let sev = match r.severity {
            E => "error",
            W => "warning",
        };
        out.push_str(&format!(
            "| `{}` | {sev} | {} | {} | {} |\n",
            r.id,
            r.ja,
            r.en,
            r.place.replace('|', "\\|")
        ));
    }
    out.push('\n');
    out.push_str(policies);
    out.push('\n');
    out.push_str(&crate::compare::freedoms_markdown(
        cpcert_spec::Spec::embedded(),
        cpcert_spec::CURRENT_LAYOUT_VERSION,
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_kebab_case() {
        let mut seen = std::collections::BTreeSet::new();
        for r in RULES {
            assert!(seen.insert(r.id.as_str()), "duplicate rule id {}", r.id);
            assert!(
                r.id.as_str()
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{}",
                r.id
            );
        }
    }

    #[test]
    fn ids_index_the_catalogue_and_round_trip() {
        for (i, r) in RULES.iter().enumerate() {
            assert_eq!(r.id as usize, i);
            assert_eq!(r.id.as_str().parse::<RuleId>(), Ok(r.id));
            let json = serde_json::to_string(&r.id).unwrap();
            assert_eq!(json, format!("\"{}\"", r.id.as_str()));
            assert_eq!(serde_json::from_str::<RuleId>(&json).unwrap(), r.id);
        }
        assert!("no-such-rule".parse::<RuleId>().is_err());
    }

    #[test]
    fn docs_rules_md_is_current() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/rules.md");
        let expected = render_markdown(crate::POLICIES);
        let actual = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            actual == expected,
            "docs/rules.md is stale: run `cargo run -- rules --markdown > docs/rules.md`"
        );
    }
}
