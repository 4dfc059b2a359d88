//! One file kind's layout: fields in column order with their kinds, lengths and code lists.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// How sure the transcription is of an item (see spec/README.md and ../shared/spec/sources.md).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    /// Read from a garbled source with a real chance of being wrong: checks only warn.
    Low,
    /// Re-aligned or inferred; likely right but unsettled: checks only warn.
    Medium,
    /// Settled.
    #[default]
    High,
}

impl Confidence {
    /// Whether a rule resting on this item may raise an error (only when settled).
    pub fn is_settled(self) -> bool {
        self == Confidence::High
    }
}

/// Per-aspect confidence of one field.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldConfidence {
    /// Of the required flag.
    #[serde(default)]
    pub required: Confidence,
    /// Of the length.
    #[serde(default)]
    pub length: Confidence,
    /// Of the code values and format notes.
    #[serde(default)]
    pub values: Confidence,
}

/// What a field holds, which decides the field rules that apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FieldKind {
    /// CSVバージョン (YYYYMM naming the layout).
    Version,
    /// A date YYYYMMDD that exists.
    Date,
    /// A month YYYYMM that exists.
    Month,
    /// A time HHMM.
    Time,
    /// A time HHMM, or `9999` for services without a time (第6表).
    #[serde(rename = "time-or-9999")]
    TimeOr9999,
    /// A value from the field's code list.
    Code,
    /// An integer (an optional leading minus for reductions).
    Integer,
    /// Digits only.
    Digits,
    /// Free text (フリーテキスト): written inside double quotes.
    Text,
    /// 保険者番号: 6 digits.
    InsurerNo,
    /// 被保険者番号: 10 characters (digits, or `H` + 9 digits for 生保単独).
    InsuredNo,
    /// 事業所番号: 10 digits.
    OfficeNo,
    /// Postal code `NNN-NNNN`.
    Postal,
    /// Telephone number: digits, hyphens, parentheses.
    Phone,
    /// 31 day flags of `0`/`1` (日割対象日).
    Flags31,
    /// 6-character サービスコード (2-character kind + 4-character item).
    ServiceCode,
    /// TAISコード / 福祉用具届出コード: `NNNNN-NNNNNN`.
    DeviceCode,
    /// 単位数単価 `99.99`.
    UnitPrice,
    /// 2-character サービス種類コード (spec/<v>/service-kinds.yaml).
    ServiceKind,
    /// Marked 'not used' (※使用しない): must be empty.
    Unused,
    /// Anything else: only length and required are checked.
    Other,
}

/// Whether a field must be filled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Required {
    /// `true` (○) or `false`.
    Flag(bool),
    /// `conditional`: a record rule decides (see the field's `condition`).
    Conditional(ConditionalTag),
}

/// The literal `conditional` in YAML.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ConditionalTag {
    /// Required under a condition stated in the spec.
    Conditional,
}

impl Required {
    /// Whether the field is unconditionally required.
    pub fn is_always(self) -> bool {
        self == Required::Flag(true)
    }
}

/// One field (column) of a layout.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// Column number, 1-based (項目No.).
    pub no: u32,
    /// Item name as in the spec (Japanese).
    pub name: String,
    /// What the field holds.
    pub kind: FieldKind,
    /// 項目長: the maximum length (bytes in MS932; see docs/rules.md for the policy); none = '―'.
    #[serde(default)]
    pub length: Option<u32>,
    /// A competing, larger length from another source; values up to it only warn.
    #[serde(default)]
    pub length_alt: Option<u32>,
    /// ○ required, optional, or conditional.
    pub required: Required,
    /// For conditional fields: the condition in words.
    #[serde(default)]
    pub condition: Option<String>,
    /// Confidence of the transcription, per aspect.
    #[serde(default)]
    pub confidence: FieldConfidence,
    /// Why an aspect is not settled.
    #[serde(default)]
    pub confidence_note: Option<String>,
    /// Allowed code values → meaning (code fields).
    #[serde(default)]
    pub values: Option<BTreeMap<String, String>>,
    /// A placeholder value the spec allows instead of a real value (`00000000`, `000000`);
    /// a record rule decides when it fits.
    #[serde(default)]
    pub sentinel: Option<String>,
    /// Slot number in repeated groups (UPHOSOKU 種類支給限度 slots 1–9).
    #[serde(default)]
    pub slot: Option<u32>,
    /// Personal data: masked in anything published.
    #[serde(default)]
    pub sensitive: bool,
    /// A remark about the spec text itself (errata).
    #[serde(default)]
    pub spec_note: Option<String>,
    /// The spec's format notes, paraphrased.
    #[serde(default)]
    pub notes: String,
}

/// How the file kind's name is built (rules.md §4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NameRule {
    /// The name has a YYYYMM part after the prefix.
    pub month_part: bool,
    /// A companion file (別表) that shares its parent's five trailing name parts.
    #[serde(default)]
    pub companion_of: Option<String>,
}

/// One file kind's layout for one CSVバージョン.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Layout {
    /// File kind = file-name prefix (UPPLAN, …).
    pub kind: String,
    /// CSVバージョン value this layout belongs to.
    pub layout_version: String,
    /// Japanese title.
    pub title_ja: String,
    /// English title.
    pub title_en: String,
    /// Where in the standard the layout is defined.
    pub spec_place: String,
    /// Who sends it to whom.
    pub direction: String,
    /// File-name rule.
    pub name: NameRule,
    /// Number of fields every record has.
    pub field_count: u32,
    /// Field Nos. of the join key shared with related files (rules.md §7).
    pub keys: Vec<u32>,
    /// Field No. holding the service month (month files only).
    #[serde(default)]
    pub month_field: Option<u32>,
    /// Fields in column order.
    pub fields: Vec<Field>,
    /// Non-CSV files that travel with this kind (UPKIHON's family picture).
    #[serde(default)]
    pub attachments: Vec<Attachment>,
    /// Open questions about this layout.
    #[serde(default)]
    pub uncertainties: Vec<String>,
    /// How a product's file of this kind is compared with the expected one (golden/): which
    /// fields are the product's own, how records are matched, which writings compare equal.
    pub compare: ComparePolicy,
}

/// Whether the standard fixes the order of a kind's records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RecordOrder {
    /// The order is part of the data (rows of a form without a row number): records are
    /// compared by position.
    Fixed,
    /// The order is free: records are matched by [`ComparePolicy::record_key`].
    Keyed,
}

/// The comparison policy of one file kind (spec data: `compare:` in the layout YAML).
///
/// Byte form (quoting, empty text as `""` or nothing, the two MS932 codes of one character, line
/// endings) is never part of it: values are compared decoded, and the validator's rules judge
/// the bytes once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ComparePolicy {
    /// Whether records are compared by position or matched by key.
    pub order: RecordOrder,
    /// Field Nos. that identify a record within a file (`keyed` kinds): records with equal key
    /// values are paired in the order they occur.
    #[serde(default)]
    pub record_key: Vec<u32>,
    /// Field Nos. whose value is the product's own (作成年月日 = the day the file is made): never
    /// compared with the expected file; the validator's rules still check them.
    #[serde(default)]
    pub volatile: Vec<u32>,
    /// Values the standard lets a product write on the first line of a group only.
    #[serde(default)]
    pub first_line_only: Vec<FirstLineOnly>,
    /// Where in the standard the order (or its freedom) and the volatile fields are stated.
    pub spec_place: String,
    /// Why the policy reads the standard this way.
    pub reasoning: String,
}

/// Fields whose repeated value may be written on the first line of its group only (2表 課題 and
/// 目標): an empty value on a later line of the same group means the group's value, so both
/// writings compare equal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FirstLineOnly {
    /// The fields that may be left empty after the group's first line.
    pub fields: Vec<u32>,
    /// The fields whose equal values make a group (besides the record key's person/plan part).
    pub group: Vec<u32>,
    /// Where the standard allows it.
    pub spec_place: String,
}

/// A non-CSV companion file (添付), named `<kind>_<parent's five parts>_<branch>.<ext>`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Attachment {
    /// The name prefix, e.g. `UPKIHON_IMAGE`.
    pub kind: String,
    /// Japanese title.
    pub title_ja: String,
    /// File format (`jpeg`).
    pub format: String,
    /// The file's first bytes, in hex (`FFD8FF` for JPEG).
    pub magic: String,
    /// Accepted extensions, exactly as written (`jpg`, `JPG`).
    pub extensions: Vec<String>,
    /// Digits of the branch number that ends the name.
    pub branch_digits: u32,
    /// Field No. of the parent layout that names the file.
    #[serde(default)]
    pub named_by: Option<u32>,
    /// Where the spec is unclear.
    #[serde(default)]
    pub note: Option<String>,
}

impl Attachment {
    /// The magic bytes decoded from hex.
    pub fn magic_bytes(&self) -> Vec<u8> {
        (0..self.magic.len() / 2)
            .filter_map(|i| u8::from_str_radix(self.magic.get(2 * i..2 * i + 2)?, 16).ok())
            .collect()
    }
}

impl Layout {
    /// The field with this 1-based number.
    pub fn field(&self, no: u32) -> Option<&Field> {
        let index = usize::try_from(no.checked_sub(1)?).ok()?;
        self.fields.get(index).filter(|f| f.no == no)
    }

    /// The first field with this name.
    pub fn field_named(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }
}
