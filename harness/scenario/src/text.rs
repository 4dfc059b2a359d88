//! Text helpers: the MS932 character mapping the reference product applies before writing,
//! a strict MS932 decoder for import, and base64 for pictures.

use std::collections::HashMap;
use std::sync::OnceLock;

/// Maps the characters MS932 cannot hold but has a well-known look-alike for (the JIS/CP932
/// mapping differences) to that look-alike. The result encodes; anything else unencodable is
/// left for the writer to refuse.
///
/// 〜 U+301C→U+FF5E, ‖ U+2016→U+2225, − U+2212→U+FF0D, — U+2014→U+2015,
/// ¢ U+00A2→U+FFE0, £ U+00A3→U+FFE1, ¬ U+00AC→U+FFE2.
pub fn map_to_ms932(ch: char) -> char {
    match ch {
        '\u{301C}' => '\u{FF5E}',
        '\u{2016}' => '\u{2225}',
        '\u{2212}' => '\u{FF0D}',
        '\u{2014}' => '\u{2015}',
        '\u{00A2}' => '\u{FFE0}',
        '\u{00A3}' => '\u{FFE1}',
        '\u{00AC}' => '\u{FFE2}',
        other => other,
    }
}

/// [`map_to_ms932`] over a string.
pub fn to_ms932_text(text: &str) -> String {
    text.chars().map(map_to_ms932).collect()
}

/// What a string reads as after an MS932 round trip: [`map_to_ms932`] (〜→～ …). Characters
/// MS932 cannot hold (¥ U+00A5, ‾ U+203E among them: the encoder would fold them onto `\` and
/// `~`) are refused by the writer, never folded. This is the normalisation the round-trip
/// property compares under.
pub fn ms932_round_trip(text: &str) -> String {
    to_ms932_text(text)
}

/// Decodes MS932 bytes strictly: `None` at the first byte sequence that is not a character
/// the reference encoder writes. The table is the inverse of [`cpcert_csv::encode_ms932`] over
/// the BMP, so it accepts exactly what the reference product writes (NEC-selected IBM
/// duplicates such as `EEE0` are not accepted; `cpcert_csv`'s reader replaces this later).
pub fn decode_ms932(bytes: &[u8]) -> Result<String, usize> {
    let table = decode_table();
    let mut out = String::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b < 0x80 {
            out.push(char::from(b));
            i += 1;
            continue;
        }
        if let Some(&ch) = table.get(&u16::from(b)) {
            out.push(ch);
            i += 1;
            continue;
        }
        let Some(&trail) = bytes.get(i + 1) else {
            return Err(i);
        };
        match table.get(&(u16::from(b) << 8 | u16::from(trail))) {
            Some(&ch) => {
                out.push(ch);
                i += 2;
            }
            None => return Err(i),
        }
    }
    Ok(out)
}

fn decode_table() -> &'static HashMap<u16, char> {
    static TABLE: OnceLock<HashMap<u16, char>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = HashMap::new();
        for code in 0x80u32..0x1_0000 {
            let Some(ch) = char::from_u32(code) else {
                continue;
            };
            // (`encode_ms932` refuses what MS932 reads back as another character: U+2212, ¥, ‾.)
            if is_user_defined(ch) {
                continue;
            }
            let mut buf = [0u8; 4];
            let Ok(bytes) = cpcert_csv::encode_ms932(ch.encode_utf8(&mut buf)) else {
                continue;
            };
            let key = match bytes.as_slice() {
                [b] if *b >= 0x80 => u16::from(*b),
                [a, b] => u16::from(*a) << 8 | u16::from(*b),
                _ => continue,
            };
            table.entry(key).or_insert(ch);
        }
        table
    })
}

/// Whether `ch` is in the Private Use Area, where 外字 (user-defined characters, F040–F9FC)
/// decode to. The encoder would write them; the standard forbids them.
pub fn is_user_defined(ch: char) -> bool {
    ('\u{E000}'..='\u{F8FF}').contains(&ch)
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with padding.
pub fn base64_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(B64[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Decodes standard base64 (padding optional, ASCII whitespace ignored); `None` on any other
/// character.
pub fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let mut acc = 0u32;
    let mut bits = 0;
    for c in text
        .bytes()
        .filter(|c| !c.is_ascii_whitespace() && *c != b'=')
    {
        let v = B64.iter().position(|&b| b == c)? as u32;
        acc = acc << 6 | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits & 0xFF) as u8);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trips() {
        for len in 0..10 {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 37 + 5) as u8).collect();
            assert_eq!(base64_decode(&base64_encode(&bytes)).unwrap(), bytes);
        }
        assert_eq!(base64_encode(b"Man"), "TWFu");
        assert_eq!(base64_encode(b"Ma"), "TWE=");
    }

    #[test]
    fn decodes_what_the_writer_writes() {
        let text = "ソ表能～①㈱髙﨑－∥―￠￡￢\\~abc";
        let bytes = cpcert_csv::encode_ms932(text).unwrap();
        assert_eq!(decode_ms932(&bytes).unwrap(), text);
        assert_eq!(
            cpcert_csv::encode_ms932(&to_ms932_text("〜")).unwrap(),
            vec![0x81, 0x60]
        );
        assert_eq!(decode_ms932(&[0x82, 0xA0, 0xF0, 0x40]), Err(2));
    }
}
