//! The strict MS932 writer: free text quoted with doubled quotes, CRLF record ends, and no
//! silent replacement of characters that MS932 cannot hold.

use std::io::{self, Write};

use encoding_rs::{EncoderResult, SHIFT_JIS};

/// A character that MS932 cannot encode.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("character {ch:?} (U+{code:04X}) at char index {index} cannot be written in MS932", code = *ch as u32)]
pub struct Unencodable {
    /// The character.
    pub ch: char,
    /// Its index (in chars) inside the text.
    pub index: usize,
}

/// Encodes `text` to MS932 bytes, failing on the first character MS932 cannot hold: every
/// character written reads back as itself.
///
/// Unlike `Encoding::encode`, this never writes an HTML entity (`&#12316;`) in place of a
/// character. The wave dash U+301C and its relatives are the classic case: MS932 writes
/// 〜 as 0x8160, which decodes to U+FF5E, so a product must map U+301C → U+FF5E itself.
///
/// It also refuses what encoding_rs's Shift_JIS encoder writes but MS932 reads back as another
/// character ([`folds_in_ms932`]): ¥ U+00A5 and ‾ U+203E (written as `\` 0x5C and `~` 0x7E,
/// their JIS X 0201 bytes, which MS932 reads as ASCII), − U+2212 (written as 0x817C, which
/// MS932 reads as － U+FF0D) and U+0080 (a lone 0x80, which MS932 does not define).
///
/// ```
/// assert_eq!(cpcert_csv::encode_ms932("表").unwrap(), vec![0x95, 0x5C]);
/// assert!(cpcert_csv::encode_ms932("〜").is_err());
/// assert!(cpcert_csv::encode_ms932("¥100").is_err());
/// ```
///
/// # Errors
/// [`Unencodable`] names the first character that has no MS932 code.
pub fn encode_ms932(text: &str) -> Result<Vec<u8>, Unencodable> {
    if let Some((index, ch)) = text.chars().enumerate().find(|(_, c)| folds_in_ms932(*c)) {
        return Err(Unencodable { ch, index });
    }
    let mut encoder = SHIFT_JIS.new_encoder();
    let mut out = Vec::with_capacity(text.len() * 2 + 4);
    let mut rest = text;
    loop {
        let needed = encoder
            .max_buffer_length_from_utf8_without_replacement(rest.len())
            .expect("buffer size fits in usize");
        let start = out.len();
        out.resize(start + needed, 0);
        let (result, read, written) =
            encoder.encode_from_utf8_without_replacement(rest, &mut out[start..], true);
        out.truncate(start + written);
        match result {
            EncoderResult::InputEmpty => return Ok(out),
            EncoderResult::OutputFull => rest = &rest[read..],
            EncoderResult::Unmappable(ch) => {
                let byte_index = text.len() - rest.len() + read - ch.len_utf8();
                let index = text[..byte_index].chars().count();
                return Err(Unencodable { ch, index });
            }
        }
    }
}

/// Whether `ch` is one of the characters encoding_rs's Shift_JIS encoder writes although MS932
/// reads the bytes back as another character (or as none): ¥ U+00A5 → 0x5C `\`, ‾ U+203E →
/// 0x7E `~`, − U+2212 → 0x817C (read as － U+FF0D), U+0080 → 0x80 (undefined in MS932).
/// [`encode_ms932`] refuses them; a test checks every BMP character that none other folds.
pub fn folds_in_ms932(ch: char) -> bool {
    matches!(ch, '\u{00A5}' | '\u{203E}' | '\u{2212}' | '\u{0080}')
}

/// One cell of a record to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell<'a> {
    /// Free text (フリーテキスト): always wrapped in double quotes, inner quotes doubled, commas
    /// and line breaks kept. An empty text is written as `""`.
    Text(&'a str),
    /// Any other value: written as is, never quoted. An empty value is written as nothing.
    Plain(&'a str),
}

/// Writes records as MS932 bytes with CRLF record ends.
#[derive(Debug)]
pub struct Ms932Writer<W: Write> {
    out: W,
    line_end: &'static [u8],
}

/// A write failure: an unencodable character in a given field, or an I/O error.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// A cell holds a character MS932 cannot encode.
    #[error("field {field}: {source}")]
    Unencodable {
        /// 1-based field number.
        field: usize,
        /// What could not be encoded.
        #[source]
        source: Unencodable,
    },
    /// The sink failed.
    #[error("write failed")]
    Io(#[from] io::Error),
}

impl<W: Write> Ms932Writer<W> {
    /// A writer with CRLF record ends (the Windows/MS932 convention the examples use).
    pub fn new(out: W) -> Self {
        Self {
            out,
            line_end: b"\r\n",
        }
    }

    /// A writer with LF record ends (only for tests of readers' line-ending tolerance).
    pub fn with_lf(out: W) -> Self {
        Self {
            out,
            line_end: b"\n",
        }
    }

    /// Writes one record.
    ///
    /// # Errors
    /// [`WriteError::Unencodable`] when a cell holds a character outside MS932; nothing of
    /// that record has been written then.
    pub fn write_record(&mut self, cells: &[Cell<'_>]) -> Result<(), WriteError> {
        let mut line = Vec::with_capacity(cells.len() * 8);
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                line.push(b',');
            }
            let unencodable = |source| WriteError::Unencodable {
                field: i + 1,
                source,
            };
            match *cell {
                Cell::Plain(v) => line.extend(encode_ms932(v).map_err(unencodable)?),
                Cell::Text(v) => {
                    line.push(b'"');
                    for b in encode_ms932(v).map_err(unencodable)? {
                        if b == b'"' {
                            line.push(b'"');
                        }
                        line.push(b);
                    }
                    line.push(b'"');
                }
            }
        }
        line.extend_from_slice(self.line_end);
        self.out.write_all(&line)?;
        Ok(())
    }

    /// Flushes and returns the sink.
    ///
    /// # Errors
    /// The sink's flush error.
    pub fn into_inner(mut self) -> io::Result<W> {
        self.out.flush()?;
        Ok(self.out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_text_and_keeps_trail_byte_5c() {
        let mut w = Ms932Writer::new(Vec::new());
        w.write_record(&[
            Cell::Plain("202407"),
            Cell::Text("表,\"能\"\r\nソ"),
            Cell::Text(""),
        ])
        .unwrap();
        let bytes = w.into_inner().unwrap();
        let mut expected = b"202407,\"".to_vec();
        expected.extend([
            0x95, 0x5C, b',', b'"', b'"', 0x94, 0x5C, b'"', b'"', b'\r', b'\n', 0x83, 0x5C,
        ]);
        expected.extend(b"\",\"\"\r\n");
        assert_eq!(bytes, expected);
    }

    #[test]
    fn refuses_wave_dash_and_names_the_field() {
        let mut w = Ms932Writer::new(Vec::new());
        let err = w
            .write_record(&[Cell::Plain("1"), Cell::Text("9時〜10時")])
            .unwrap_err();
        match err {
            WriteError::Unencodable { field, source } => {
                assert_eq!(field, 2);
                assert_eq!(source.ch, '〜');
                assert_eq!(source.index, 2);
            }
            other => panic!("unexpected {other:?}"),
        }
        assert_eq!(encode_ms932("～").unwrap(), vec![0x81, 0x60]);
    }

    #[test]
    fn refuses_what_ms932_reads_back_as_another_character() {
        for (text, ch, index) in [
            ("¥1,000", '¥', 0),
            ("a‾b", '‾', 1),
            ("−5", '−', 0),
            ("x\u{80}", '\u{80}', 1),
        ] {
            assert_eq!(encode_ms932(text), Err(Unencodable { ch, index }), "{text}");
        }
        // Their MS932 look-alikes are characters of their own and encode.
        assert_eq!(
            encode_ms932("\\~－￥￣").unwrap(),
            b"\\~\x81\x7C\x81\x8F\x81\x50"
        );
    }

    /// Every BMP character `encode_ms932` accepts reads back as itself with MS932 decoding, and
    /// never as a lone 0x80: `folds_in_ms932` names all that would not.
    #[test]
    fn every_character_written_reads_back_as_itself() {
        let mut buf = [0u8; 4];
        for ch in (0..=0xFFFFu32).filter_map(char::from_u32) {
            let Ok(bytes) = encode_ms932(ch.encode_utf8(&mut buf)) else {
                continue;
            };
            let (back, malformed) = SHIFT_JIS.decode_without_bom_handling(&bytes);
            assert!(!malformed && bytes != [0x80], "U+{:04X}", ch as u32);
            assert_eq!(
                back.chars().collect::<Vec<_>>(),
                [ch],
                "U+{:04X}",
                ch as u32
            );
        }
    }
}
