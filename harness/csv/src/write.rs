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

/// Encodes `text` to MS932 bytes, failing on the first character MS932 cannot hold.
///
/// Unlike `Encoding::encode`, this never writes an HTML entity (`&#12316;`) in place of a
/// character. The wave dash U+301C and its relatives are the classic case: MS932 writes
/// 〜 as 0x8160, which decodes to U+FF5E, so a product must map U+301C → U+FF5E itself.
///
/// ```
/// assert_eq!(cpcert_csv::encode_ms932("表").unwrap(), vec![0x95, 0x5C]);
/// assert!(cpcert_csv::encode_ms932("〜").is_err());
/// ```
///
/// # Errors
/// [`Unencodable`] names the first character that has no MS932 code.
pub fn encode_ms932(text: &str) -> Result<Vec<u8>, Unencodable> {
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
}
