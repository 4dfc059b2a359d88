//! The product's own MS932 encoder. Where MS932 has two codes for one character (the IBM
//! extension rows FA–FC and their NEC-selected copies in rows ED–EE), it writes the
//! NEC-selected code: 髙 is EEE0, not FBFC (edge-cases #5: both read as the same character).
//! Characters MS932 has no code for but a well-known look-alike (the JIS/CP932 differences:
//! 〜 ‖ − — ¢ £ ¬) are written as that look-alike; anything else it cannot hold is refused,
//! never replaced.

use std::collections::HashMap;
use std::sync::OnceLock;

use encoding_rs::{EncoderResult, SHIFT_JIS};

/// The look-alike MS932 holds for a character it does not.
fn look_alike(ch: char) -> char {
    match ch {
        '〜' => '～',
        '‖' => '∥',
        '−' => '－',
        '—' => '―',
        '¢' => '￠',
        '£' => '￡',
        '¬' => '￢',
        other => other,
    }
}

/// Characters Shift_JIS encoders write but MS932 reads back as another character or none
/// (¥ and ‾ as ASCII `\` and `~`, U+0080), and the private use area (外字).
fn refused(ch: char) -> bool {
    matches!(
        ch,
        '\u{00A5}' | '\u{203E}' | '\u{0080}' | '\u{E000}'..='\u{F8FF}'
    )
}

/// Character → its NEC-selected IBM extension code (rows ED–EE).
fn nec_selected() -> &'static HashMap<char, [u8; 2]> {
    static TABLE: OnceLock<HashMap<char, [u8; 2]>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = HashMap::new();
        for lead in 0xEDu8..=0xEE {
            for trail in (0x40u8..=0xFC).filter(|t| *t != 0x7F) {
                let bytes = [lead, trail];
                if let Some(text) =
                    SHIFT_JIS.decode_without_bom_handling_and_without_replacement(&bytes)
                    && let [ch] = text.chars().collect::<Vec<_>>().as_slice()
                {
                    table.entry(*ch).or_insert(bytes);
                }
            }
        }
        table
    })
}

/// Appends the MS932 bytes of `text` to `out`; the first character that cannot be written is
/// the error.
pub(crate) fn encode(text: &str, out: &mut Vec<u8>) -> Result<(), char> {
    let mut encoder = SHIFT_JIS.new_encoder();
    let mut utf8 = [0u8; 4];
    let mut buf = [0u8; 8];
    for ch in text.chars() {
        let ch = look_alike(ch);
        if ch.is_ascii() {
            out.push(ch as u8);
            continue;
        }
        if refused(ch) {
            return Err(ch);
        }
        let (result, _, written) = encoder.encode_from_utf8_without_replacement(
            ch.encode_utf8(&mut utf8),
            &mut buf,
            false,
        );
        if !matches!(result, EncoderResult::InputEmpty) || written == 0 {
            return Err(ch);
        }
        match (buf[0], nec_selected().get(&ch)) {
            (0xFA..=0xFC, Some(nec)) if written == 2 => out.extend_from_slice(nec),
            _ => out.extend_from_slice(&buf[..written]),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes(text: &str) -> Result<Vec<u8>, char> {
        let mut out = Vec::new();
        encode(text, &mut out).map(|()| out)
    }

    #[test]
    fn nec_selected_codes_and_look_alikes() {
        assert_eq!(bytes("髙").unwrap(), [0xEE, 0xE0]);
        assert_eq!(bytes("ⅰ").unwrap(), [0xEE, 0xEF]);
        assert_eq!(bytes("表").unwrap(), [0x95, 0x5C]);
        assert_eq!(bytes("〜").unwrap(), bytes("～").unwrap());
        assert_eq!(bytes("A,1").unwrap(), b"A,1");
        for bad in ["¥", "‾", "\u{E000}", "😀"] {
            assert!(bytes(bad).is_err(), "{bad}");
        }
        // Every NEC-selected code reads back as the character written.
        for (ch, code) in nec_selected() {
            let back = SHIFT_JIS.decode_without_bom_handling(code).0;
            assert_eq!(back.chars().next(), Some(*ch));
        }
    }
}
