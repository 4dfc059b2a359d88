//! Faults: the reference product misbehaving in exactly one way (catalogue: cases/faults/*.yaml).
//! `cpcert selftest` requires each to fail the suite for its intended reason.

use std::fmt;
use std::str::FromStr;

/// Which half of the product a fault changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// Writing files ([`super::export`]).
    Export,
    /// Reading and applying files ([`super::import_with`]).
    Import,
}

/// One way the reference product can misbehave.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Fault {
    /// UTF-8（BOM付き）で出力する
    Utf8Bom,
    /// UTF-8（BOMなし）で出力する
    Utf8,
    /// 〜などMS932に直接ない文字を「&#12316;」形式の文字参照で出力する
    WaveDashEntity,
    /// 変換できない文字を「?」に置き換えて出力する
    QuestionMark,
    /// 文字を外字（F040）のまま出力する
    Gaiji,
    /// 自由記述を「"」で囲まずに出力する（カンマ・改行が区切りになる）
    UnquotedText,
    /// 先頭に見出し行を出力する
    HeaderRow,
    /// ファイル名の事業所番号を9桁で出力する（仕様書の例をそのまま使用）
    Office9Digits,
    /// ファイル名の連番を15桁で出力する（仕様書の例をそのまま使用）
    Timestamp15Digits,
    /// サービス種類コードのないV3形式のファイル名で出力する
    V3Name,
    /// CSVバージョンを202504で出力する
    Version202504,
    /// CSVバージョンを202410で出力する
    Version202410,
    /// V4.1のデータをCSVバージョン202208で出力する
    Version202208,
    /// 1ファイル内でCSVバージョンが混在する
    VersionMixed,
    /// 2か月分の利用票を1ファイルに出力する
    TwoMonthsOneFile,
    /// 計画書の送信単位から第2表を落とす
    PlanWithoutTable2,
    /// 送信単位の子ファイルに別の連番を付ける
    CompanionOtherTimestamp,
    /// 計画書区分を1/2/3で出力する
    PlanCategory123,
    /// 保険対象区分を1/2で出力する
    Insurance12,
    /// 第1表を23列で出力する（末尾の列を落とす）
    DropTrailingColumns,
    /// 送信先事業所番号に自事業所番号を出力する
    SameOffice,
    /// 存在しない日付（20250230）を出力する
    DateInvalid,
    /// 開始時間を2530で出力する
    Time2530,
    /// 開始時間は時刻のまま終了時間だけ9999で出力する
    Time9999Single,
    /// 日割対象日を30文字で出力する
    Flags30,
    /// 福祉用具貸与の行にTAISコードも届出コードも出力しない
    NoTais,
    /// TAISコードを「-」なしで出力する
    TaisWithoutHyphen,
    /// 第7表に合計行（999999）を出力しない
    TotalRowMissing,
    /// 第7表の合計行の事業所番号を9999999999以外で出力する
    TotalOffice,
    /// 計画書に連携する利用者補足に対象年月を出力する（000000でない）
    HosokuMonthInPlan,
    /// 第2表の計画作成(変更)日を第1表と違う日付で出力する
    KeysMismatch,
    /// 生保単独の被保険者番号を小文字「h」で出力する
    HNumberLowercase,
    /// 被保険者番号の先頭の0を落とす
    InsuredNoLeadingZeroLost,
    /// サービス利用日を対象年月の翌月で出力する
    ServiceDateOutsideMonth,
    /// 第7表の小計・合計行に割引後単位数を出力する
    SikyuSubtotalValues,
    /// 引用符を見る前に改行で行を分割する（自由記述の改行で壊れる）
    LineBasedParsing,
    /// 被保険者番号がH（生保単独）の利用者を取り込まない
    DropHNumber,
    /// 削除ファイルを無視する
    IgnoreDeletions,
    /// 第1表削除で第1表だけ消し、第2表・第3表を残す
    NoDeleteCascade,
    /// 送信単位を連番順でなく逆順に反映する
    UnitsOutOfOrder,
    /// 自由記述を64文字で切り詰める
    TruncateText,
    /// 数字の項目を整数として読み、先頭の0を落とす
    LoseLeadingZeros,
    /// 髙のIBM拡張文字の符号（FBFC）を「高」として読む（NEC選定IBM拡張のEEE0は髙のまま）
    TakaVariant,
    /// 他事業所の予定行を自事業所の行として取り込む
    OtherProviderRowsAsOwn,
    /// 予定の開始・終了時間を取り込まない
    ActualTimesDropped,
    /// 予定行のサテライト枝番を取り込まない
    SatelliteDropped,
    /// 日割対象日を取り込まない
    ProRataDropped,
    /// 福祉用具のTAISコード・届出コードを取り込まない
    DeviceCodesDropped,
    /// 自由記述以外の項目を囲む「"」を値の一部として読む
    QuotesKeptOnPlainFields,
    /// 「""」で囲まれていない空の自由記述があるファイルを拒否する
    BareEmptyTextRefused,
    /// 髙のNEC選定IBM拡張の符号（EEE0）を「高」として読む（IBM拡張のFBFCは髙のまま）
    TakaNecVariant,
    /// キーの昇順を前提に、前の行よりキーが小さい行を重複として読み飛ばす
    UnsortedRecordsDropped,
    /// 第2表で課題が空の行を読み飛ばす（先頭行のみの記載を読めない）
    Table2LinesWithoutIssueSkipped,
    /// 連番の日付が作成年月日より1年を超えて後のファイルを拒否する
    SequenceAfterCreatedRefused,
    /// 改行がCRLFでない（LFのみの）ファイルを拒否する
    CrlfRequired,
    /// 拡張子が大文字「.CSV」でないファイルを拒否する
    UppercaseExtensionRequired,
    /// 作成年月日が前に取り込んだものと同じ計画・利用票・実績を取込済みとして読み飛ばす
    SameCreatedSkipped,
}

impl Fault {
    /// Every fault with its catalogue id and side, in catalogue order.
    pub const TABLE: [(Fault, &'static str, Side); 57] = [
        (Fault::Utf8Bom, "utf8-bom", Side::Export),
        (Fault::Utf8, "utf8", Side::Export),
        (Fault::WaveDashEntity, "wave-dash-entity", Side::Export),
        (Fault::QuestionMark, "question-mark", Side::Export),
        (Fault::Gaiji, "gaiji", Side::Export),
        (Fault::UnquotedText, "unquoted-text", Side::Export),
        (Fault::HeaderRow, "header-row", Side::Export),
        (Fault::Office9Digits, "office-9-digits", Side::Export),
        (
            Fault::Timestamp15Digits,
            "timestamp-15-digits",
            Side::Export,
        ),
        (Fault::V3Name, "v3-name", Side::Export),
        (Fault::Version202504, "version-202504", Side::Export),
        (Fault::Version202410, "version-202410", Side::Export),
        (Fault::Version202208, "version-202208", Side::Export),
        (Fault::VersionMixed, "version-mixed", Side::Export),
        (Fault::TwoMonthsOneFile, "two-months-one-file", Side::Export),
        (
            Fault::PlanWithoutTable2,
            "plan-without-table2",
            Side::Export,
        ),
        (
            Fault::CompanionOtherTimestamp,
            "companion-other-timestamp",
            Side::Export,
        ),
        (Fault::PlanCategory123, "plan-category-1-2-3", Side::Export),
        (Fault::Insurance12, "insurance-1-2", Side::Export),
        (
            Fault::DropTrailingColumns,
            "drop-trailing-columns",
            Side::Export,
        ),
        (Fault::SameOffice, "same-office", Side::Export),
        (Fault::DateInvalid, "date-invalid", Side::Export),
        (Fault::Time2530, "time-2530", Side::Export),
        (Fault::Time9999Single, "time-9999-single", Side::Export),
        (Fault::Flags30, "flags-30", Side::Export),
        (Fault::NoTais, "no-tais", Side::Export),
        (
            Fault::TaisWithoutHyphen,
            "tais-without-hyphen",
            Side::Export,
        ),
        (Fault::TotalRowMissing, "total-row-missing", Side::Export),
        (Fault::TotalOffice, "total-office", Side::Export),
        (
            Fault::HosokuMonthInPlan,
            "hosoku-month-in-plan",
            Side::Export,
        ),
        (Fault::KeysMismatch, "keys-mismatch", Side::Export),
        (Fault::HNumberLowercase, "h-number-lowercase", Side::Export),
        (
            Fault::InsuredNoLeadingZeroLost,
            "insured-no-leading-zero-lost",
            Side::Export,
        ),
        (
            Fault::ServiceDateOutsideMonth,
            "service-date-outside-month",
            Side::Export,
        ),
        (
            Fault::SikyuSubtotalValues,
            "sikyu-subtotal-values",
            Side::Export,
        ),
        (Fault::LineBasedParsing, "line-based-parsing", Side::Import),
        (Fault::DropHNumber, "drop-h-number", Side::Import),
        (Fault::IgnoreDeletions, "ignore-deletions", Side::Import),
        (Fault::NoDeleteCascade, "no-delete-cascade", Side::Import),
        (Fault::UnitsOutOfOrder, "units-out-of-order", Side::Import),
        (Fault::TruncateText, "truncate-text", Side::Import),
        (Fault::LoseLeadingZeros, "lose-leading-zeros", Side::Import),
        (Fault::TakaVariant, "taka-variant", Side::Import),
        (
            Fault::OtherProviderRowsAsOwn,
            "other-provider-rows-as-own",
            Side::Import,
        ),
        (
            Fault::ActualTimesDropped,
            "actual-times-dropped",
            Side::Import,
        ),
        (Fault::SatelliteDropped, "satellite-dropped", Side::Import),
        (Fault::ProRataDropped, "pro-rata-dropped", Side::Import),
        (
            Fault::DeviceCodesDropped,
            "device-codes-dropped",
            Side::Import,
        ),
        (
            Fault::QuotesKeptOnPlainFields,
            "quotes-kept-on-plain-fields",
            Side::Import,
        ),
        (
            Fault::BareEmptyTextRefused,
            "bare-empty-text-refused",
            Side::Import,
        ),
        (Fault::TakaNecVariant, "taka-nec-variant", Side::Import),
        (
            Fault::UnsortedRecordsDropped,
            "unsorted-records-dropped",
            Side::Import,
        ),
        (
            Fault::Table2LinesWithoutIssueSkipped,
            "table2-lines-without-issue-skipped",
            Side::Import,
        ),
        (
            Fault::SequenceAfterCreatedRefused,
            "sequence-after-created-refused",
            Side::Import,
        ),
        (Fault::CrlfRequired, "crlf-required", Side::Import),
        (
            Fault::UppercaseExtensionRequired,
            "uppercase-extension-required",
            Side::Import,
        ),
        (
            Fault::SameCreatedSkipped,
            "same-created-skipped",
            Side::Import,
        ),
    ];

    /// Every fault.
    pub fn all() -> impl Iterator<Item = Fault> {
        Fault::TABLE.into_iter().map(|(f, _, _)| f)
    }

    /// The catalogue id (kebab-case).
    pub fn id(self) -> &'static str {
        Fault::TABLE
            .iter()
            .find(|(f, _, _)| *f == self)
            .map_or("", |(_, id, _)| id)
    }

    /// Which half of the product it changes.
    pub fn side(self) -> Side {
        Fault::TABLE
            .iter()
            .find(|(f, _, _)| *f == self)
            .map_or(Side::Export, |(_, _, side)| *side)
    }

    /// A fault of writing files.
    pub fn is_export(self) -> bool {
        self.side() == Side::Export
    }

    /// A fault of reading or applying files.
    pub fn is_import(self) -> bool {
        self.side() == Side::Import
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// An id that names no fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown fault `{0}` (the faults are listed in cases/faults/: {known})", known = Fault::TABLE.map(|(_, id, _)| id).join(", "))]
pub struct UnknownFault(pub String);

impl FromStr for Fault {
    type Err = UnknownFault;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Fault::TABLE
            .iter()
            .find(|(_, id, _)| *id == s)
            .map(|(f, _, _)| *f)
            .ok_or_else(|| UnknownFault(s.to_owned()))
    }
}

impl serde::Serialize for Fault {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

impl<'de> serde::Deserialize<'de> for Fault {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_are_unique() {
        let mut seen = std::collections::BTreeSet::new();
        for f in Fault::all() {
            assert_eq!(f.id().parse::<Fault>(), Ok(f));
            assert!(seen.insert(f.id()), "{f} twice");
        }
        assert!("no-such-fault".parse::<Fault>().is_err());
    }
}
