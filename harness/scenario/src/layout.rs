//! File kinds (ファイル種別) as the reference product needs them: prefix, field count, which fields
//! are free text, whether the name has a month part. The checks crate reads the full layouts from
//! `spec/`; this table is the product's own copy, as a vendor's product would have.

use std::fmt;

/// A CSV file kind (ファイル種別), named by its file-name prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FileKind {
    /// 利用者補足情報.
    Uphosoku,
    /// 居宅サービス計画1表.
    Up1kyo,
    /// 居宅サービス計画2表.
    Up2kyo,
    /// 居宅サービス計画3表.
    Up3kyo,
    /// 第6表 予定.
    Upplan,
    /// 第7表.
    Upsikyu,
    /// 第6表 実績.
    Upjsk,
    /// 1表_削除.
    Dlt1kyo,
    /// 6表予定_削除.
    Dltplan,
    /// 実績_削除.
    Dltjsk,
    /// 利用者基本情報.
    Upkihon,
    /// 利用者基本情報 別表1.
    UpkihonSub1,
    /// 利用者基本情報 別表2.
    UpkihonSub2,
    /// 利用者基本情報_削除.
    Dltkihon,
    /// 介護予防サービス・支援計画書.
    Upyobo,
    /// 支援計画書 別表.
    UpyoboSub,
    /// 支援計画書_削除.
    Dltyobo,
}

impl FileKind {
    /// Every CSV kind. Longer prefixes come before their own prefixes (`UPKIHON_SUB1` before
    /// `UPKIHON`) so that name parsing can take the first match.
    pub const ALL: [FileKind; 17] = [
        FileKind::UpkihonSub1,
        FileKind::UpkihonSub2,
        FileKind::UpyoboSub,
        FileKind::Uphosoku,
        FileKind::Up1kyo,
        FileKind::Up2kyo,
        FileKind::Up3kyo,
        FileKind::Upplan,
        FileKind::Upsikyu,
        FileKind::Upjsk,
        FileKind::Dlt1kyo,
        FileKind::Dltplan,
        FileKind::Dltjsk,
        FileKind::Upkihon,
        FileKind::Dltkihon,
        FileKind::Upyobo,
        FileKind::Dltyobo,
    ];

    /// The file-name prefix.
    pub fn prefix(self) -> &'static str {
        match self {
            FileKind::Uphosoku => "UPHOSOKU",
            FileKind::Up1kyo => "UP1KYO",
            FileKind::Up2kyo => "UP2KYO",
            FileKind::Up3kyo => "UP3KYO",
            FileKind::Upplan => "UPPLAN",
            FileKind::Upsikyu => "UPSIKYU",
            FileKind::Upjsk => "UPJSK",
            FileKind::Dlt1kyo => "DLT1KYO",
            FileKind::Dltplan => "DLTPLAN",
            FileKind::Dltjsk => "DLTJSK",
            FileKind::Upkihon => "UPKIHON",
            FileKind::UpkihonSub1 => "UPKIHON_SUB1",
            FileKind::UpkihonSub2 => "UPKIHON_SUB2",
            FileKind::Dltkihon => "DLTKIHON",
            FileKind::Upyobo => "UPYOBO",
            FileKind::UpyoboSub => "UPYOBO_SUB",
            FileKind::Dltyobo => "DLTYOBO",
        }
    }

    /// Number of fields every record has.
    pub fn field_count(self) -> usize {
        match self {
            FileKind::Uphosoku => 63,
            FileKind::Up1kyo => 28,
            FileKind::Up2kyo => 22,
            FileKind::Up3kyo => 13,
            FileKind::Upplan | FileKind::Upjsk => 25,
            FileKind::Upsikyu => 37,
            FileKind::Dlt1kyo | FileKind::Dltplan | FileKind::Dltkihon | FileKind::Dltyobo => 4,
            FileKind::Dltjsk => 6,
            FileKind::Upkihon => 71,
            FileKind::UpkihonSub1 => 7,
            FileKind::UpkihonSub2 => 11,
            FileKind::Upyobo => 57,
            FileKind::UpyoboSub => 17,
        }
    }

    /// Whether the name carries a `_YYYYMM` month part after the prefix.
    pub fn has_month(self) -> bool {
        matches!(
            self,
            FileKind::Uphosoku
                | FileKind::Upplan
                | FileKind::Upsikyu
                | FileKind::Upjsk
                | FileKind::Dltplan
                | FileKind::Dltjsk
        )
    }

    /// Whether field No.4 is the 作成年月日 the product writes (第1–3表, 第6表, 第7表, 実績).
    pub fn has_created(self) -> bool {
        matches!(
            self,
            FileKind::Up1kyo
                | FileKind::Up2kyo
                | FileKind::Up3kyo
                | FileKind::Upplan
                | FileKind::Upjsk
                | FileKind::Upsikyu
        )
    }

    /// The field numbers (1-based) whose format is フリーテキスト: always written quoted.
    pub fn free_text(self) -> &'static [usize] {
        match self {
            FileKind::Uphosoku => &[5, 6, 10, 11],
            FileKind::Up1kyo => &[6, 7, 8, 9, 11, 12, 22, 23, 24, 26],
            FileKind::Up2kyo => &[7, 9, 10, 11, 12, 14, 16, 18, 19, 20],
            FileKind::Up3kyo => &[6, 10, 13],
            FileKind::Upplan | FileKind::Upjsk => &[7, 18, 21],
            FileKind::Upsikyu => &[6, 12],
            FileKind::Dlt1kyo
            | FileKind::Dltplan
            | FileKind::Dltjsk
            | FileKind::Dltkihon
            | FileKind::Dltyobo => &[],
            FileKind::Upkihon => &[
                7, 9, 13, 14, 15, 18, 33, 41, 42, 43, 45, 46, 47, 48, 50, 51, 52, 54, 55, 56, 58,
                59, 60, 62, 63, 64, 65, 66, 67, 68, 69, 71,
            ],
            FileKind::UpkihonSub1 => &[5, 6, 7],
            FileKind::UpkihonSub2 => &[5, 6, 7, 11],
            FileKind::Upyobo => &[
                7, 8, 15, 16, 17, 18, 21, 22, 23, 24, 25, 27, 28, 29, 31, 32, 33, 35, 36, 37, 39,
                40, 41, 42, 55, 57,
            ],
            FileKind::UpyoboSub => &[5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17],
        }
    }

    /// Parses a prefix.
    pub fn from_prefix(prefix: &str) -> Option<FileKind> {
        FileKind::ALL.into_iter().find(|k| k.prefix() == prefix)
    }
}

impl fmt::Display for FileKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.prefix())
    }
}

/// One record being built for export: field values by No., all empty at first.
#[derive(Debug, Clone)]
pub(crate) struct RecordOut {
    pub(crate) values: Vec<String>,
}

impl RecordOut {
    pub(crate) fn new(kind: FileKind) -> Self {
        Self {
            values: vec![String::new(); kind.field_count()],
        }
    }

    /// Sets field `no` (1-based). Numbers come from code, not from input; an out-of-range
    /// number is ignored rather than panicking (the exact-count test catches such a slip).
    pub(crate) fn set(&mut self, no: usize, value: &str) {
        if let Some(slot) = no.checked_sub(1).and_then(|i| self.values.get_mut(i)) {
            value.clone_into(slot);
        }
    }
}

/// One parsed record: decoded field texts by position.
#[derive(Debug, Clone)]
pub(crate) struct RecordIn {
    pub(crate) values: Vec<String>,
}

impl RecordIn {
    /// Field `no` (1-based), empty when absent.
    pub(crate) fn get(&self, no: usize) -> String {
        no.checked_sub(1)
            .and_then(|i| self.values.get(i))
            .cloned()
            .unwrap_or_default()
    }
}

/// Declares a record struct whose fields are the strings of layout fields by No., with the
/// mapping both ways. Every field is a `String`; empty = Null (空).
macro_rules! layout_struct {
    (
        $(#[$m:meta])*
        pub struct $name:ident {
            $( $(#[$fm:meta])* $no:literal => $field:ident, )*
        }
    ) => {
        $(#[$m])*
        #[derive(
            Debug, Clone, PartialEq, Eq, Default,
            serde::Serialize, serde::Deserialize, schemars::JsonSchema,
        )]
        #[serde(default, deny_unknown_fields)]
        pub struct $name {
            $( $(#[$fm])* pub $field: String, )*
        }

        impl $name {
            /// Writes the struct's fields into a record under construction.
            #[allow(dead_code)]
            pub(crate) fn put(&self, rec: &mut $crate::layout::RecordOut) {
                $( rec.set($no, &self.$field); )*
            }

            /// Reads the struct's fields from a parsed record.
            #[allow(dead_code)]
            pub(crate) fn take(rec: &$crate::layout::RecordIn) -> Self {
                Self { $( $field: rec.get($no), )* }
            }

            /// Applies `f` to every value (used for the MS932 normalisation).
            #[allow(dead_code)]
            pub(crate) fn map_values(&mut self, f: &dyn Fn(&str) -> String) {
                $( self.$field = f(&self.$field); )*
            }
        }
    };
}

pub(crate) use layout_struct;
