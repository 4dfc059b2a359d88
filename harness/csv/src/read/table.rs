//! MS932 decoding of clean text by table: the usual Japanese field decoded a character at a
//! time, without the per-call set-up of a streaming decoder (which cost a short field several
//! times its characters).
//!
//! The table is made once per process from encoding_rs itself, pair by pair, so that it maps
//! every byte and pair exactly as the strict decoder ([`super::check`]) does. [`decode_clean`]
//! only answers for text that decoder would decode with nothing to report: anything else (a
//! pair encoding_rs refuses, a user-defined character, a lone byte it would flag, a lead byte at
//! the end) is left to that decoder, which reports it.

use std::sync::OnceLock;

use encoding_rs::SHIFT_JIS;

/// MS932 lead bytes: 81–9F and E0–FC (as `check::is_lead`).
fn lead_index(b: u8) -> Option<usize> {
    match b {
        0x81..=0x9F => Some(usize::from(b - 0x81)),
        0xE0..=0xFC => Some(usize::from(b - 0xE0) + 31),
        _ => None,
    }
}

const LEADS: usize = 31 + 29;

/// What each byte from 0x80 and each lead/trail pair decodes to; `'\0'` where the clean path
/// does not answer.
struct Table {
    /// Bytes 0x80–0xFF that are a character alone (the half-width katakana A1–DF).
    single: [char; 128],
    /// `pairs[lead_index * 256 + trail]`.
    pairs: Box<[char]>,
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let one = |bytes: &[u8]| -> char {
            let Some(text) = SHIFT_JIS.decode_without_bom_handling_and_without_replacement(bytes)
            else {
                return '\0';
            };
            let mut chars = text.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => c,
                _ => '\0',
            }
        };
        let mut single = ['\0'; 128];
        for b in 0x80..=0xFFu8 {
            // A lone 0x80 decodes (to U+0080) but is reported as undecodable, and a lead byte
            // is never a character alone.
            if b != 0x80 && lead_index(b).is_none() {
                single[usize::from(b - 0x80)] = one(&[b]);
            }
        }
        let mut pairs = vec!['\0'; LEADS * 256].into_boxed_slice();
        for lead in (0x81..=0x9Fu8).chain(0xE0..=0xFC) {
            // F0–F9: user-defined characters (外字), always reported.
            if (0xF0..=0xF9).contains(&lead) {
                continue;
            }
            let at = lead_index(lead).unwrap_or_default() * 256;
            for trail in (0x40..=0x7Eu8).chain(0x80..=0xFC) {
                pairs[at + usize::from(trail)] = one(&[lead, trail]);
            }
        }
        Table { single, pairs }
    })
}

/// Appends the text of `raw` to `text` and returns true when `raw` is clean MS932: every byte
/// below 0x80, a half-width katakana, or a lead byte with a trail that together map to a
/// character outside the user-defined area. Otherwise leaves `text` as it was and returns false.
#[inline]
pub(super) fn decode_clean(raw: &[u8], text: &mut String) -> bool {
    let table = table();
    let start = text.len();
    // The worst case, as the strict decoder reserves it: a half-width katakana byte is three
    // bytes of UTF-8 (and the record's text keeps a like capacity from record to record).
    text.reserve(raw.len().saturating_mul(3));
    let mut i = 0;
    while let Some(&b) = raw.get(i) {
        let c = if b < 0x80 {
            i += 1;
            char::from(b)
        } else if let Some(lead) = lead_index(b) {
            let pair = raw
                .get(i + 1)
                .map_or('\0', |&t| table.pairs[lead * 256 + usize::from(t)]);
            i += 2;
            pair
        } else {
            i += 1;
            table.single[usize::from(b - 0x80)]
        };
        if c == '\0' && b != 0 {
            text.truncate(start);
            return false;
        }
        text.push(c);
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The strict decoder's answer: the text when encoding_rs decodes without a fault and
    /// nothing is user-defined or a lone 0x80 (what `check::non_ascii` reports).
    fn strict(raw: &[u8]) -> Option<String> {
        let text = SHIFT_JIS.decode_without_bom_handling_and_without_replacement(raw)?;
        let mut i = 0;
        while i < raw.len() {
            let b = raw[i];
            if lead_index(b).is_some()
                && raw
                    .get(i + 1)
                    .is_some_and(|t| matches!(t, 0x40..=0x7E | 0x80..=0xFC))
            {
                if (0xF0..=0xF9).contains(&b) {
                    return None;
                }
                i += 2;
            } else {
                if b == 0x80 {
                    return None;
                }
                i += 1;
            }
        }
        Some(text.into_owned())
    }

    #[test]
    fn every_byte_and_pair_decodes_as_the_strict_decoder_says() {
        let mut probes: Vec<Vec<u8>> = Vec::new();
        for b in 0..=0xFFu8 {
            probes.push(vec![b]);
            probes.push(vec![b, b'A']);
            for t in 0..=0xFFu8 {
                probes.push(vec![b, t]);
            }
        }
        for raw in &probes {
            let mut text = String::from("前");
            let ok = decode_clean(raw, &mut text);
            match strict(raw) {
                Some(expected) => {
                    assert!(ok, "{raw:02X?} declined though clean");
                    assert_eq!(text, format!("前{expected}"), "{raw:02X?}");
                }
                None => {
                    assert!(!ok, "{raw:02X?} decoded as {text:?} but has a fault");
                    assert_eq!(text, "前", "{raw:02X?}");
                }
            }
        }
    }

    proptest::proptest! {
        /// Longer texts: the table decodes exactly the texts the strict decoder decodes with
        /// nothing to report, and alike (pairs do not depend on what comes before them).
        #[test]
        fn any_text_decodes_as_the_strict_decoder_says(
            raw in proptest::collection::vec(
                proptest::prop_oneof![
                    0x20..0x7Fu8,
                    0x81..0xA0u8,
                    0xA0..0xE0u8,
                    0xE0..0xFDu8,
                    0x40..0xFDu8,
                    proptest::prelude::any::<u8>(),
                ],
                0..40,
            )
        ) {
            let mut text = String::new();
            let ok = decode_clean(&raw, &mut text);
            match strict(&raw) {
                Some(expected) => {
                    proptest::prop_assert!(ok, "{:02X?} declined", raw);
                    proptest::prop_assert_eq!(text, expected);
                }
                None => proptest::prop_assert!(!ok && text.is_empty(), "{:02X?}", raw),
            }
        }
    }

    #[test]
    fn the_fast_path_answers_for_all_clean_text() {
        // Kanji, kana (full and half width), symbols, ASCII: nothing here is declined.
        let (raw, _, _) = SHIFT_JIS.encode("山田 太郎（ﾔﾏﾀﾞ）様、訪問介護×２回・①～⑩ 〒123-4567 ¥");
        let mut text = String::new();
        assert!(decode_clean(&raw, &mut text));
        assert_eq!(text, SHIFT_JIS.decode_without_bom_handling(&raw).0);
    }
}
