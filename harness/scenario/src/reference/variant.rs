//! Permitted variants: the reference product with one divergence the standard allows (catalogue:
//! cases/variants/*.yaml). `cpcert selftest` requires every variant to pass every case: the
//! suite must not fail the innocent.

use std::fmt;
use std::str::FromStr;

/// One permitted divergence of the reference product's export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Variant {
    /// 作成年月日 (No.4 of UP1KYO/UP2KYO/UP3KYO/UPPLAN/UPJSK/UPSIKYU) = the day the product
    /// runs ([`super::ExportOptions::created`] carries the injected day).
    CreatedToday,
    /// Every non-empty field written inside double quotes.
    QuoteEveryField,
    /// Empty free text written as nothing (the reference writes `""`).
    EmptyTextBare,
    /// 髙 written with its NEC-selected IBM code EEE0 (the reference writes the IBM code FBFC).
    TakaNecSelected,
    /// Records of every keyed kind (第2表 among them) written in reverse order.
    RecordsReversed,
    /// 第2表: 課題 written on the first line of its 課題ＮＯ only, 目標/期間 on the first line of
    /// its 援助目標ＮＯ only.
    Table2FirstLineOnly,
    /// A 連番 other than the one asked for (four years later), the order of the units kept.
    OtherSequence,
    /// LF line endings (`line-ending-lf` warning).
    LfOnly,
    /// The extension written `.csv` (`name-extension-case` warning).
    LowercaseExtension,
}

impl Variant {
    /// Every variant, in catalogue order.
    pub const ALL: [Variant; 9] = [
        Variant::CreatedToday,
        Variant::QuoteEveryField,
        Variant::EmptyTextBare,
        Variant::TakaNecSelected,
        Variant::RecordsReversed,
        Variant::Table2FirstLineOnly,
        Variant::OtherSequence,
        Variant::LfOnly,
        Variant::LowercaseExtension,
    ];

    /// The catalogue id (kebab-case).
    pub fn id(self) -> &'static str {
        match self {
            Variant::CreatedToday => "created-today",
            Variant::QuoteEveryField => "quote-every-field",
            Variant::EmptyTextBare => "empty-text-bare",
            Variant::TakaNecSelected => "taka-nec-selected",
            Variant::RecordsReversed => "records-reversed",
            Variant::Table2FirstLineOnly => "table2-first-line-only",
            Variant::OtherSequence => "other-sequence",
            Variant::LfOnly => "lf-only",
            Variant::LowercaseExtension => "lowercase-ext",
        }
    }
}

impl fmt::Display for Variant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// An id that names no variant.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown variant `{0}` (known: {known})", known = Variant::ALL.map(Variant::id).join(", "))]
pub struct UnknownVariant(pub String);

impl FromStr for Variant {
    type Err = UnknownVariant;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Variant::ALL
            .into_iter()
            .find(|v| v.id() == s)
            .ok_or_else(|| UnknownVariant(s.to_owned()))
    }
}

impl serde::Serialize for Variant {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

impl<'de> serde::Deserialize<'de> for Variant {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// Variant `other-sequence`: the same instant four years later (a leap day stays valid, the
/// order of any two 連番 is kept).
pub(super) fn other_sequence(sequence: &str) -> String {
    match sequence.get(..4).and_then(|y| y.parse::<u32>().ok()) {
        Some(year) if sequence.len() == 14 => format!("{:04}{}", year + 4, &sequence[4..]),
        _ => sequence.to_owned(),
    }
}

/// Variant `taka-nec-selected`: every 髙 written FBFC becomes EEE0, walking MS932 characters
/// so that a trail byte is never taken for a lead byte.
pub(super) fn taka_nec_selected(bytes: &mut [u8]) {
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            0x81..=0x9F | 0xE0..=0xFC if i + 1 < bytes.len() => {
                if bytes[i] == 0xFB && bytes[i + 1] == 0xFC {
                    bytes[i] = 0xEE;
                    bytes[i + 1] = 0xE0;
                }
                i += 2;
            }
            _ => i += 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip() {
        for v in Variant::ALL {
            assert_eq!(v.id().parse::<Variant>(), Ok(v));
        }
        assert!("no-such".parse::<Variant>().is_err());
    }

    #[test]
    fn other_sequence_keeps_order() {
        let (a, b) = ("20240229100000", "20250320100000");
        assert_eq!(other_sequence(a), "20280229100000");
        assert!(other_sequence(a) < other_sequence(b));
    }

    #[test]
    fn taka_only_at_character_starts() {
        // 0x81 0xFB is one character (its trail byte FB must not start a pair with FC).
        let mut b = vec![0x81, 0xFB, 0xFC, 0x41, 0xFB, 0xFC];
        taka_nec_selected(&mut b);
        assert_eq!(b, vec![0x81, 0xFB, 0xFC, 0x41, 0xEE, 0xE0]);
    }
}
