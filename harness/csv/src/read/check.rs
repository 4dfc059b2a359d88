//! Per-field decoding and byte checks: strict MS932 decoding, UTF-8 detection, 外字, encoder
//! artefacts and control bytes, each located to the exact input byte.
//!
//! Most checks work on the raw bytes, which is safe because the bytes they look for (C0
//! controls, `&`, `#`, digits, `;`, `?`) lie below 0x40, where no MS932 trail byte can be.

use std::cell::Cell;

use encoding_rs::{DecoderResult, SHIFT_JIS};

use super::table;
use super::types::{ByteIssue, ByteIssueKind, IssueCap, MAX_QUOTED_BYTES};

/// Where a field lies, to turn a raw byte index into an input offset and line.
pub(super) struct FieldPos<'a> {
    /// Input offset of raw byte 0 (after the opening quote, if any).
    pub(super) base: u64,
    /// Line of the field's first byte.
    pub(super) line: u64,
    /// Raw indices from which each raw byte lies one more input byte further on (sorted).
    pub(super) skips: &'a [usize],
    pub(super) record: u64,
    /// 1-based field number.
    pub(super) field: usize,
    /// The last raw index a line was asked for and the line breaks before it, so that a field
    /// with many issues and line breaks is not rescanned from its start for each.
    pub(super) line_cache: Cell<(usize, u64)>,
    /// The reader's per-kind issue cap.
    pub(super) cap: &'a IssueCap,
}

impl FieldPos<'_> {
    /// Pushes an issue of `kind` at raw index `i`, unless the issue cap counts it only.
    fn push(&self, issues: &mut Vec<ByteIssue>, kind: ByteIssueKind, raw: &[u8], i: usize) {
        if self.cap.admit(kind.class()) {
            issues.push(self.issue(kind, raw, i));
        }
    }

    fn issue(&self, kind: ByteIssueKind, raw: &[u8], i: usize) -> ByteIssue {
        let skipped = self.skips.partition_point(|&k| k <= i);
        ByteIssue {
            kind,
            byte_offset: self.base + (i + skipped) as u64,
            line: self.line + self.breaks_before(raw, i),
            record: self.record,
            field: Some(self.field),
        }
    }

    fn breaks_before(&self, raw: &[u8], i: usize) -> u64 {
        let i = i.min(raw.len());
        let (mut from, mut n) = self.line_cache.get();
        if from > i {
            (from, n) = (0, 0);
        }
        n += breaks_in(raw, from, i);
        self.line_cache.set((i, n));
        n
    }
}

/// Runs the checks a field's `flags` (the OR of [`CLASS`] over its raw bytes) call for: a field
/// with non-ASCII bytes is decoded onto `text` (the text of an ASCII field is its raw bytes, which
/// the caller copies). Pushes the field's byte issues and returns the number of line breaks inside
/// it.
pub(super) fn finish_field(
    raw: &[u8],
    flags: u8,
    text: &mut String,
    pos: &FieldPos<'_>,
    issues: &mut Vec<ByteIssue>,
) -> u64 {
    if flags & NON_ASCII != 0 {
        let text_start = text.len();
        non_ascii(raw, text, text_start, flags, pos, issues);
    }
    if flags & CONTROL != 0 {
        controls(raw, pos, issues);
    }
    if flags & AMP != 0 {
        entities(raw, pos, issues);
    }
    if flags & NEWLINE != 0 {
        line_breaks(raw)
    } else {
        0
    }
}

/// Line breaks in `bytes`: LF, CRLF and a lone CR count one each. A CR at the end counts,
/// because in the input it is followed by a quote or delimiter.
pub(super) fn line_breaks(bytes: &[u8]) -> u64 {
    breaks_in(bytes, 0, bytes.len())
}

/// Line breaks that end at indices `from..to` of `raw` (a CR whose LF is at `to` belongs to
/// the break that LF ends).
pub(super) fn breaks_in(raw: &[u8], from: usize, to: usize) -> u64 {
    let mut n = 0;
    for (j, &b) in raw.iter().enumerate().take(to).skip(from) {
        if b == b'\n' || (b == b'\r' && raw.get(j + 1) != Some(&b'\n')) {
            n += 1;
        }
    }
    n
}

pub(super) const NON_ASCII: u8 = 1;
const CONTROL: u8 = 2;
const AMP: u8 = 4;
const NEWLINE: u8 = 8;
/// A byte that may start a user-defined character (F0–F9), or 0x80.
const SPECIAL: u8 = 16;
const QMARK: u8 = 32;
/// The flags that make [`finish_field`] do anything: without them a field's text is its bytes.
pub(super) const NEEDS_CHECK: u8 = NON_ASCII | CONTROL | AMP | NEWLINE;
/// The flags of a field whose text and issues [`finish_field`] makes from its bytes alone, with
/// no line break, control byte, `&` or `?` to look at: such a field can be recalled by its bytes
/// (see `decoded.rs`).
pub(super) const RECALLABLE: u8 = NON_ASCII | SPECIAL;
/// The highest bit is left free for the reader's scanner (see `reader.rs`).
pub(super) const FREE_BIT: u8 = 128;

/// What each byte value means to the checks: the OR over a field's bytes says which checks
/// the field needs.
pub(super) const CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = if b >= 0x80 { NON_ASCII } else { 0 };
        if b < 0x20 && b != 0x09 && b != 0x0A && b != 0x0D {
            t[b] |= CONTROL;
        }
        if b == 0x80 || (b >= 0xF0 && b <= 0xF9) {
            t[b] |= SPECIAL;
        }
        b += 1;
    }
    t[b'&' as usize] |= AMP;
    t[b'\r' as usize] |= NEWLINE;
    t[b'\n' as usize] |= NEWLINE;
    t[b'?' as usize] |= QMARK;
    t
};

fn is_lead(b: u8) -> bool {
    matches!(b, 0x81..=0x9F | 0xE0..=0xFC)
}

fn is_trail(b: u8) -> bool {
    matches!(b, 0x40..=0x7E | 0x80..=0xFC)
}

/// Decodes a field with non-ASCII bytes and runs the checks that concern them.
fn non_ascii(
    raw: &[u8],
    text: &mut String,
    text_start: usize,
    flags: u8,
    pos: &FieldPos<'_>,
    issues: &mut Vec<ByteIssue>,
) {
    let first_non_ascii = raw.iter().position(|&b| b >= 0x80).unwrap_or(0);
    let utf8 = std::str::from_utf8(raw).is_ok();
    // In valid UTF-8, bytes from 0xE0 start 3- and 4-byte sequences: Japanese text. Valid MS932
    // is almost never valid UTF-8 with those. Two-byte UTF-8 (C2–DF + 80–BF) is also valid
    // half-width kana pairs (ﾃｱ = C3 B1), so such a field counts as UTF-8 only if it is not
    // clean MS932.
    if utf8 {
        let mut faults = decode(raw, text, pos, None);
        if flags & SPECIAL != 0 {
            faults += double_byte_scan(raw, text, text_start, pos, None);
        }
        if faults > 0 || raw.iter().any(|&b| b >= 0xE0) {
            pos.push(issues, ByteIssueKind::Utf8, raw, first_non_ascii);
            return;
        }
    } else if !table::decode_clean(raw, text) {
        // Clean text was decoded by table above, with nothing to report; the rest is decoded
        // here, every fault reported.
        decode(raw, text, pos, Some(issues));
        if flags & SPECIAL != 0 {
            double_byte_scan(raw, text, text_start, pos, Some(issues));
        }
    }
    if flags & QMARK != 0 {
        question_marks(raw, &text[text_start..], pos, issues);
    }
}

/// Strict MS932 decoding: each malformed sequence becomes U+FFFD in `text` and, when `issues`
/// is given, an `Undecodable` issue (adjacent ones merged). Returns the number of sequences.
///
/// One pass over `raw` whatever it holds: the field is decoded straight into `text` up to the
/// first malformed sequence, and the rest through a fixed scratch buffer. (Each call of
/// `decode_to_string_without_replacement` touches every page of the string's spare capacity,
/// which is at least the rest of the field's worth: calling it again after each of many
/// malformed sequences made a field of `FF 41` pairs quadratic, 623 s for 16 MB.)
fn decode(
    raw: &[u8],
    text: &mut String,
    pos: &FieldPos<'_>,
    mut issues: Option<&mut Vec<ByteIssue>>,
) -> usize {
    let mut decoder = SHIFT_JIS.new_decoder_without_bom_handling();
    let need = decoder
        .max_utf8_buffer_length_without_replacement(raw.len())
        .expect("a field held in memory has a representable UTF-8 length");
    text.reserve(need);
    let (mut result, mut done) = decoder.decode_to_string_without_replacement(raw, text, true);
    if let DecoderResult::InputEmpty = result {
        // The usual case: no scratch buffer to set up.
        return 0;
    }
    let mut scratch = [0u8; SCRATCH];
    let scratch = std::str::from_utf8_mut(&mut scratch).expect("zero bytes are UTF-8");
    let mut faults = 0;
    // The last Undecodable run: the index of its issue (`None` when the issue cap left it out)
    // and the raw index where its bytes end.
    let mut last: Option<(Option<usize>, usize)> = None;
    loop {
        match result {
            DecoderResult::InputEmpty => return faults,
            DecoderResult::OutputFull => {}
            DecoderResult::Malformed(bad, extra) => {
                faults += 1;
                text.push('\u{FFFD}');
                if let Some(issues) = issues.as_deref_mut() {
                    let end = done.saturating_sub(usize::from(extra));
                    let start = end.saturating_sub(usize::from(bad));
                    last = Some(undecodable(&raw[start..end], start, last, raw, pos, issues));
                }
            }
        }
        let (r, read, written) =
            decoder.decode_to_str_without_replacement(&raw[done..], scratch, true);
        text.push_str(&scratch[..written]);
        done += read;
        result = r;
    }
}

/// The scratch buffer of [`decode`] after a malformed sequence.
const SCRATCH: usize = 1024;

/// Reports the undecodable `bytes` at raw index `start`, merged into the previous run `last`
/// when adjacent to it; returns the run it now belongs to.
fn undecodable(
    bytes: &[u8],
    start: usize,
    last: Option<(Option<usize>, usize)>,
    raw: &[u8],
    pos: &FieldPos<'_>,
    issues: &mut Vec<ByteIssue>,
) -> (Option<usize>, usize) {
    let end = start + bytes.len();
    match last {
        Some((idx, prev_end)) if prev_end == start => {
            if let Some(ByteIssueKind::Undecodable { bytes: kept, len }) = idx
                .and_then(|i| issues.get_mut(i))
                .map(|issue| &mut issue.kind)
            {
                let room = MAX_QUOTED_BYTES.saturating_sub(kept.len());
                kept.extend_from_slice(&bytes[..bytes.len().min(room)]);
                *len += bytes.len() as u64;
            }
            (idx, end)
        }
        _ => {
            let kind = ByteIssueKind::Undecodable {
                bytes: bytes[..bytes.len().min(MAX_QUOTED_BYTES)].to_vec(),
                len: bytes.len() as u64,
            };
            let before = issues.len();
            pos.push(issues, kind, raw, start);
            ((issues.len() > before).then_some(before), end)
        }
    }
}

/// Walks the field character by character (by MS932 lead/trail ranges) to find user-defined
/// characters (lead F0–F9, which encoding_rs silently maps to U+E000–U+E757, the only private
/// use code points it produces) and lone 0x80 (which it maps to U+0080, a C1 control, instead of
/// failing). Replaces those U+0080 with U+FFFD in the field's text. Returns the faults found.
fn double_byte_scan(
    raw: &[u8],
    text: &mut String,
    text_start: usize,
    pos: &FieldPos<'_>,
    mut issues: Option<&mut Vec<ByteIssue>>,
) -> usize {
    let mut faults = 0;
    let mut lone_80 = false;
    let mut i = 0;
    while i < raw.len() {
        let b = raw[i];
        let kind = match raw.get(i + 1) {
            Some(&t) if is_lead(b) && is_trail(t) => {
                let at = i;
                i += 2;
                if !(0xF0..=0xF9).contains(&b) {
                    continue;
                }
                (
                    ByteIssueKind::UserDefined {
                        code: u16::from_be_bytes([b, t]),
                    },
                    at,
                )
            }
            _ => {
                i += 1;
                if b != 0x80 {
                    continue;
                }
                lone_80 = true;
                (
                    ByteIssueKind::Undecodable {
                        bytes: vec![0x80],
                        len: 1,
                    },
                    i - 1,
                )
            }
        };
        faults += 1;
        if let Some(issues) = issues.as_deref_mut() {
            pos.push(issues, kind.0, raw, kind.1);
        }
    }
    if lone_80 {
        let fixed = text[text_start..].replace('\u{80}', "\u{FFFD}");
        text.truncate(text_start);
        text.push_str(&fixed);
    }
    faults
}

/// Reports each run of `?` that touches a non-ASCII character (one issue per run).
fn question_marks(raw: &[u8], text: &str, pos: &FieldPos<'_>, issues: &mut Vec<ByteIssue>) {
    // 0x3F is never a trail byte, so the k-th `?` of the text is the k-th 0x3F of the bytes.
    let mut raw_marks = raw
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'?')
        .map(|(i, _)| i);
    let mut chars = text.chars().peekable();
    let mut prev: Option<char> = None;
    while let Some(c) = chars.next() {
        if c != '?' {
            prev = Some(c);
            continue;
        }
        let at = raw_marks.next();
        while chars.peek() == Some(&'?') {
            chars.next();
            raw_marks.next();
        }
        let next = chars.peek().copied();
        let touches = |c: Option<char>| c.is_some_and(|c| !c.is_ascii());
        if let Some(at) = at.filter(|_| touches(prev) || touches(next)) {
            pos.push(issues, ByteIssueKind::QuestionMark, raw, at);
        }
        prev = Some('?');
    }
}

/// Reports numeric character references (`&#12316;`, `&#x301C;`).
fn entities(raw: &[u8], pos: &FieldPos<'_>, issues: &mut Vec<ByteIssue>) {
    let mut i = 0;
    while let Some(k) = raw[i..].iter().position(|&b| b == b'&') {
        let at = i + k;
        let len = entity_len(&raw[at..]);
        if len > 0 {
            let text = String::from_utf8_lossy(&raw[at..at + len]).into_owned();
            pos.push(issues, ByteIssueKind::Entity { text }, raw, at);
        }
        i = at + len.max(1);
    }
}

/// The length of a numeric character reference at the start of `s` (which starts with `&`),
/// or 0.
fn entity_len(s: &[u8]) -> usize {
    if s.get(1) != Some(&b'#') {
        return 0;
    }
    let (digits_at, hex) = match s.get(2) {
        Some(b'x' | b'X') => (3, true),
        _ => (2, false),
    };
    let digits = s.get(digits_at..).unwrap_or_default();
    let n = digits
        .iter()
        .take_while(|b| {
            if hex {
                b.is_ascii_hexdigit()
            } else {
                b.is_ascii_digit()
            }
        })
        .count();
    if (1..=8).contains(&n) && digits.get(n) == Some(&b';') {
        digits_at + n + 1
    } else {
        0
    }
}

/// Reports C0 control bytes other than TAB, CR and LF (one issue per run of the same byte).
fn controls(raw: &[u8], pos: &FieldPos<'_>, issues: &mut Vec<ByteIssue>) {
    let mut prev = None;
    for (i, &b) in raw.iter().enumerate() {
        if CLASS[usize::from(b)] & CONTROL == 0 {
            prev = None;
            continue;
        }
        if prev != Some(b) {
            pos.push(issues, ByteIssueKind::Control { byte: b }, raw, i);
        }
        prev = Some(b);
    }
}
