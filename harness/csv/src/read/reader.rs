//! The byte-level CSV state machine: quoting, terminators, positions.
//!
//! It is hand-written rather than built on `csv_core` because the harness must see what a
//! lenient parser hides: `csv_core` silently skips blank lines and a UTF-8 BOM, folds CR, LF and
//! CRLF into one terminator and accepts stray quotes. Recovering those facts would mean scanning
//! every field's input a second time; this parser sees them in its single pass. Its field
//! splitting matches `csv_core`'s (a proptest compares the two).

use std::cell::Cell;
use std::io::{self, Read};

use super::check::{self, FieldPos};
use super::decoded::Decoded;
use super::types::{
    ByteIssue, ByteIssueClass, ByteIssueKind, DEFAULT_MAX_ISSUES_PER_KIND, FieldMeta, IssueCap,
    LineEndings, Record,
};

/// Size of the fixed input buffer.
const BUF_SIZE: usize = 64 * 1024;

/// The default per-record limit of [`Ms932Reader::with_max_record_bytes`]: 16 MiB.
pub const DEFAULT_MAX_RECORD_BYTES: u64 = 16 * 1024 * 1024;

/// Streams records out of MS932 CSV bytes, reporting byte-level problems as data.
///
/// Memory stays at one fixed input buffer plus the largest record, and a record is kept only up
/// to a byte limit ([`Self::with_max_record_bytes`]): it does not grow with the file, even when a
/// quote left open makes the rest of the input one record.
#[derive(Debug)]
pub struct Ms932Reader<R: Read> {
    inner: R,
    buf: Box<[u8]>,
    /// Next unread byte in `buf`.
    pos: usize,
    /// End of the valid bytes in `buf`.
    end: usize,
    /// Input offset of `buf[0]`.
    buf_offset: u64,
    eof: bool,
    /// Whether the BOM check at offset 0 has run.
    started: bool,
    /// Current 1-based physical line.
    line: u64,
    /// Records returned so far.
    records: u64,
    endings: LineEndings,
    /// Raw indices (relative to the current field) from which one more input byte lies behind
    /// each raw byte: the dropped half of a `""`, or a closing quote before stray text. Kept
    /// here so that fields with doubled quotes do not allocate.
    skips: Vec<usize>,
    /// The OR of [`check::CLASS`] over the current field's raw bytes (plus [`STOP`]), gathered
    /// while scanning so that the checks need not rescan the field.
    flags: u8,
    /// The per-record limit in input bytes.
    max_record: u64,
    /// [`field_cap`] of `max_record`.
    fields_cap: usize,
    /// The input offset past which the record may be over the limit (the record's start plus
    /// the limit; 0 once it is over, so that every check takes the slow path).
    limit_at: u64,
    /// Whether the current record is over the limit: the current field is being dropped.
    over: bool,
    /// Line breaks in the current field's bytes already let go of (a dropped field).
    dropped_breaks: u64,
    /// Index in `issues` of the current record's [`ByteIssueKind::RecordTooLong`] (`usize::MAX`
    /// when the issue cap left it out).
    too_long_issue: usize,
    /// Issues kept per kind; the rest are counted.
    cap: IssueCap,
    /// `buf[..end]` with each byte's high bit cleared, as a `String` (every byte ASCII), made
    /// when [`Self::read_plain_record`] first needs it for the buffer's current contents: the
    /// text of a plain record is its bytes, sliced from here without a UTF-8 check per record.
    ascii: String,
    /// `(buf_offset, end)` of the contents `ascii` was made from.
    ascii_of: Option<(u64, usize)>,
    /// Recent Japanese fields that had nothing to report, and their text.
    decoded: Decoded,
}

/// A field just read, for [`Ms932Reader::store_field`].
struct ReadField {
    raw_start: usize,
    quoted: bool,
    byte_offset: u64,
    line: u64,
    /// Index in the issues of the field's first issue.
    issue_start: usize,
    /// The OR of [`check::CLASS`] over its raw bytes.
    flags: u8,
}

/// How a field ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FieldEnd {
    Delimiter,
    Crlf,
    Lf,
    Cr,
    Eof,
}

impl<R: Read> Ms932Reader<R> {
    /// A reader over `inner` with a fixed 64 KiB buffer (no need to wrap `inner` in a
    /// `BufReader`).
    pub fn new(inner: R) -> Self {
        Self {
            inner,
            buf: vec![0; BUF_SIZE].into_boxed_slice(),
            pos: 0,
            end: 0,
            buf_offset: 0,
            eof: false,
            started: false,
            line: 1,
            records: 0,
            endings: LineEndings::default(),
            skips: Vec::new(),
            flags: 0,
            max_record: DEFAULT_MAX_RECORD_BYTES,
            fields_cap: field_cap(DEFAULT_MAX_RECORD_BYTES),
            limit_at: u64::MAX,
            over: false,
            dropped_breaks: 0,
            too_long_issue: 0,
            cap: IssueCap::new(DEFAULT_MAX_ISSUES_PER_KIND),
            ascii: String::new(),
            ascii_of: None,
            decoded: Decoded::default(),
        }
    }

    /// Sets the per-record limit (default [`DEFAULT_MAX_RECORD_BYTES`], 16 MiB): a record whose
    /// input bytes (its terminator not included) exceed `bytes` is still parsed to its end,
    /// exactly as without a limit, but the fields from the one that crosses the limit on are not
    /// stored or checked, and a [`ByteIssueKind::RecordTooLong`] issue reports it (see
    /// [`Record::truncated`]). Records within the limit read exactly as without one.
    #[must_use]
    pub fn with_max_record_bytes(mut self, bytes: u64) -> Self {
        self.max_record = bytes;
        self.fields_cap = field_cap(bytes);
        self
    }

    /// Keeps at most `n` issues of each kind ([`ByteIssueClass`]) for the whole input (1 000 by
    /// default); later ones are only counted ([`Self::issues_left_out`]). Reading costs no memory
    /// per issue past the cap, whatever the input: a blank-line flood before one record, or a
    /// stray quote every other byte of one field.
    #[must_use]
    pub fn with_max_issues_per_kind(mut self, n: u64) -> Self {
        self.cap.set_max(n);
        self
    }

    /// How many issues of `class` were counted but not kept so far (see
    /// [`Self::with_max_issues_per_kind`]).
    pub fn issues_left_out(&self, class: ByteIssueClass) -> u64 {
        self.cap.left_out(class)
    }

    /// Reads the next record into `rec` (reusing its buffers). Returns `Ok(false)` at the end of
    /// the input.
    ///
    /// Byte-level problems found while reading this record are pushed to `issues` (which is not
    /// cleared), in input order. A call that returns `Ok(false)` may still push issues: a BOM of
    /// an otherwise empty input, or trailing blank lines.
    ///
    /// # Errors
    /// Errors of the underlying reader (`Interrupted` is retried). After an error the reader's
    /// position is unspecified; stop reading.
    pub fn read_record(
        &mut self,
        rec: &mut Record,
        issues: &mut Vec<ByteIssue>,
    ) -> io::Result<bool> {
        rec.clear();
        if !self.started {
            self.started = true;
            self.skip_bom(issues)?;
        }
        if !self.skip_blank_lines(issues)? {
            return Ok(false);
        }
        self.records += 1;
        rec.number = self.records;
        rec.line = self.line;
        rec.byte_offset = self.offset();
        self.limit_at = rec.byte_offset.saturating_add(self.max_record);
        self.over = false;
        if self.read_plain_record(rec) || self.read_buffered_record(rec, issues) {
            return Ok(true);
        }
        let record_issues = issues.len();
        // The fields from raw index `run_raw` on are ASCII and their text, which is their bytes,
        // is not copied yet: it goes in one piece (text index `run_text`) at the next non-ASCII
        // field or the end of the record.
        let mut run_raw = 0;
        let mut run_text = 0;
        let fields_cap = self.fields_cap;
        loop {
            let issue_start = issues.len();
            let byte_offset = self.offset();
            let line = self.line;
            let raw_start = rec.raw.len();
            let (quoted, end) = match self.read_field(rec, issues, raw_start, byte_offset, line) {
                Ok(read) => read,
                Err(e) => {
                    copy_ascii(rec, run_raw, raw_start);
                    return Err(e);
                }
            };
            // A record is also over the limit when it has more fields than the limit's worth of
            // field bookkeeping: 16 MiB of bare commas would otherwise cost ~56 bytes a field.
            let too_many_fields = rec.fields.len() >= fields_cap;
            if too_many_fields || self.offset() > self.limit_at && self.past_limit(end) {
                let field = DroppedField {
                    record_issues,
                    field_issues: issue_start,
                    raw_start,
                    quoted,
                    byte_offset,
                    line,
                };
                (run_raw, run_text) = self.drop_field(rec, issues, field, run_raw);
                match end {
                    FieldEnd::Delimiter => continue,
                    FieldEnd::Eof => self.endings.final_newline = false,
                    FieldEnd::Crlf | FieldEnd::Lf | FieldEnd::Cr => {
                        self.count_terminator(end);
                        self.endings.final_newline = true;
                    }
                }
                let bytes = self.offset() - terminator_len(end) - rec.byte_offset;
                if let Some(issue) = issues.get_mut(self.too_long_issue) {
                    issue.kind = ByteIssueKind::RecordTooLong {
                        limit: self.max_record,
                        bytes,
                    };
                }
                return Ok(true);
            }
            let field = ReadField {
                raw_start,
                quoted,
                byte_offset,
                line,
                issue_start,
                flags: self.flags & !STOP,
            };
            (run_raw, run_text) = self.store_field(rec, issues, field, run_raw, run_text);
            match end {
                FieldEnd::Delimiter => continue,
                FieldEnd::Eof => self.endings.final_newline = false,
                FieldEnd::Crlf | FieldEnd::Lf | FieldEnd::Cr => {
                    self.count_terminator(end);
                    self.endings.final_newline = true;
                }
            }
            copy_ascii(rec, run_raw, rec.raw.len());
            return Ok(true);
        }
    }

    /// Stores a field whose raw bytes are `rec.raw[field.raw_start..]`: decodes and checks them
    /// as its flags call for (pushing its issues and counting its line breaks) and adds its
    /// [`FieldMeta`]. `run_raw`, `run_text` and the returned pair: where the run of ASCII fields
    /// whose text is not copied yet starts (see [`Self::read_record`]).
    #[inline(always)]
    fn store_field(
        &mut self,
        rec: &mut Record,
        issues: &mut Vec<ByteIssue>,
        field: ReadField,
        mut run_raw: usize,
        mut run_text: usize,
    ) -> (usize, usize) {
        let ReadField {
            raw_start,
            quoted,
            byte_offset,
            line,
            issue_start,
            flags,
        } = field;
        let raw_end = rec.raw.len();
        if flags & check::NON_ASCII != 0 {
            copy_ascii(rec, run_raw, raw_start);
        }
        let text_start = run_text + (raw_start - run_raw);
        if flags & check::NEEDS_CHECK != 0 {
            let pos = FieldPos {
                base: byte_offset + u64::from(quoted),
                line,
                skips: &self.skips,
                record: self.records,
                field: rec.fields.len() + 1,
                line_cache: Cell::new((0, 0)),
                cap: &self.cap,
            };
            let raw = &rec.raw[raw_start..raw_end];
            // Japanese text and nothing else to look at: the same bytes as a recent field that
            // had nothing to report decode the same, with nothing to report.
            let plain_japanese = flags & !check::RECALLABLE == 0;
            if let Some(text) = plain_japanese.then(|| self.decoded.get(raw)).flatten() {
                rec.text.push_str(text);
            } else {
                let (text_at, seen) = (rec.text.len(), self.cap.total());
                self.line += check::finish_field(raw, flags, &mut rec.text, &pos, issues);
                if plain_japanese && self.cap.total() == seen {
                    self.decoded.put(raw, &rec.text[text_at..]);
                }
            }
        }
        let text_end = if flags & check::NON_ASCII != 0 {
            run_raw = raw_end;
            run_text = rec.text.len();
            run_text
        } else {
            text_start + (raw_end - raw_start)
        };
        if issues.len() - issue_start > 1 {
            issues[issue_start..].sort_by_key(|issue| issue.byte_offset);
        }
        rec.fields.push(FieldMeta {
            raw_start,
            raw_end,
            text_start,
            text_end,
            quoted,
            byte_offset,
            line,
        });
        (run_raw, run_text)
    }

    /// The fastest path of [`Self::read_record`], for the records of codes, numbers and dates
    /// that most files are made of: the record starting at `buf[pos]` when the buffer holds all
    /// of it and its CRLF or LF, within the byte limit and the field cap, and every byte before
    /// the terminator printable ASCII other than `"`, `&` and `?` (bytes that no check concerns:
    /// each field's text is its bytes, with no issue to find). One pass over the record's words
    /// finds its end and its commas; its bytes are copied once into `raw` and once into `text`,
    /// commas included, the fields' ranges skipping them.
    ///
    /// Any other record is left, untouched, to [`Self::read_buffered_record`]. Returns whether
    /// the record was read here.
    #[inline]
    fn read_plain_record(&mut self, rec: &mut Record) -> bool {
        let input = &self.buf[self.pos..self.end];
        let record_offset = self.buf_offset + self.pos as u64;
        let line = self.line;
        let mut field_start = 0;
        let mut i = 0;
        let (content, end) = loop {
            let Some(word) = input.get(i..).and_then(<[u8]>::first_chunk::<8>) else {
                // The buffer's last bytes: the byte-by-byte paths know what to do there.
                rec.fields.clear();
                return false;
            };
            let w = u64::from_le_bytes(*word);
            let special =
                below(w, 0x20) | equal(w, b'"') | equal(w, b'&') | equal(w, b'?') | (w & HIGH);
            // The commas before the first special byte (all of the word's if none).
            let take = if special == 0 {
                u64::MAX
            } else {
                (special & special.wrapping_neg()) - 1
            };
            let mut commas = exactly(w, b',') & take;
            while commas != 0 {
                if rec.fields.len() >= self.fields_cap {
                    rec.fields.clear();
                    return false;
                }
                let at = i + (commas.trailing_zeros() / 8) as usize;
                commas &= commas - 1;
                rec.fields.push(FieldMeta {
                    raw_start: field_start,
                    raw_end: at,
                    text_start: field_start,
                    text_end: at,
                    quoted: false,
                    byte_offset: record_offset + field_start as u64,
                    line,
                });
                field_start = at + 1;
            }
            if special == 0 {
                i += 8;
                continue;
            }
            let k = i + (special.trailing_zeros() / 8) as usize;
            match input[k] {
                b'\n' => break (k, FieldEnd::Lf),
                b'\r' if input.get(k + 1) == Some(&b'\n') => break (k, FieldEnd::Crlf),
                _ => {
                    rec.fields.clear();
                    return false;
                }
            }
        };
        // (`>=`: the last field is yet to come.)
        if content as u64 > self.max_record || rec.fields.len() >= self.fields_cap {
            rec.fields.clear();
            return false;
        }
        rec.fields.push(FieldMeta {
            raw_start: field_start,
            raw_end: content,
            text_start: field_start,
            text_end: content,
            quoted: false,
            byte_offset: record_offset + field_start as u64,
            line,
        });
        rec.raw.extend_from_slice(&input[..content]);
        if self.ascii_of != Some((self.buf_offset, self.end)) {
            self.make_ascii();
        }
        // The record's bytes are below 0x80: here they are themselves.
        rec.text.push_str(&self.ascii[self.pos..self.pos + content]);
        self.pos += content + terminator_len(end) as usize;
        self.count_terminator(end);
        self.endings.final_newline = true;
        true
    }

    /// Makes [`Self::ascii`] for the buffer's current contents: one pass that the compiler turns
    /// into vector instructions, and one UTF-8 check over the whole buffer (fast on ASCII).
    #[cold]
    #[inline(never)]
    fn make_ascii(&mut self) {
        let mut bytes = std::mem::take(&mut self.ascii).into_bytes();
        bytes.clear();
        bytes.extend(self.buf[..self.end].iter().map(|&b| b & 0x7F));
        self.ascii = String::from_utf8(bytes).expect("bytes below 0x80 are UTF-8");
        self.ascii_of = Some((self.buf_offset, self.end));
    }

    /// The fast path of [`Self::read_record`]: reads the record starting at `buf[pos]` when the
    /// buffer holds all of it and its terminator, and it is plain — every field either unquoted
    /// without a quote, or quoted with only doubled quotes inside and a delimiter or terminator
    /// right after the closing one; CRLF or LF at its end; within the byte limit and the field
    /// cap. It reads the fields straight out of the buffer, with none of the refill, limit and
    /// quoting bookkeeping of the byte-by-byte path, and stores them as that path does.
    ///
    /// Any other record is left to that path: the fields stored so far are let go of and the
    /// issues, issue counts and line number put back as they were, so the record is read (and
    /// reported) from its start exactly once. Returns whether the record was read here.
    fn read_buffered_record(&mut self, rec: &mut Record, issues: &mut Vec<ByteIssue>) -> bool {
        let start = self.pos;
        let record_offset = self.offset();
        let (line, record_issues, counts) = (self.line, issues.len(), self.cap.counts());
        let fields_cap = self.fields_cap;
        let (mut run_raw, mut run_text) = (0, 0);
        let mut i = start;
        let read = loop {
            if rec.fields.len() >= fields_cap {
                break None;
            }
            let input = &self.buf[..self.end];
            let Some(&first) = input.get(i) else {
                break None;
            };
            let raw_start = rec.raw.len();
            if first == b',' {
                // An empty field before a delimiter (most fields of many layouts): what
                // `store_field` would store for it, directly.
                if (i + 1 - start) as u64 > self.max_record {
                    break None;
                }
                let text = run_text + (raw_start - run_raw);
                rec.fields.push(FieldMeta {
                    raw_start,
                    raw_end: raw_start,
                    text_start: text,
                    text_end: text,
                    quoted: false,
                    byte_offset: record_offset + (i - start) as u64,
                    line: self.line,
                });
                i += 1;
                continue;
            }
            let mut flags = 0;
            self.skips.clear();
            let quoted = first == b'"';
            let stop = if quoted {
                // To the closing quote, past doubled ones (one quote of data each; the raw byte
                // stands for the first, see `read_field`).
                let mut j = i + 1;
                loop {
                    let Some(k) = input
                        .get(j..)
                        .and_then(|rest| scan::<true>(rest, &mut flags))
                    else {
                        break None;
                    };
                    append(&mut rec.raw, &input[j..], k);
                    let q = j + k;
                    if input.get(q + 1) != Some(&b'"') {
                        break Some(q + 1);
                    }
                    rec.raw.push(b'"');
                    self.skips.push(rec.raw.len() - raw_start);
                    j = q + 2;
                }
            } else if matches!(first, b'\r' | b'\n') {
                Some(i)
            } else {
                scan::<false>(&input[i..], &mut flags).map(|k| {
                    append(&mut rec.raw, &input[i..], k);
                    i + k
                })
            };
            // After the field: a delimiter or CRLF/LF; anything else (a stray quote, text after
            // the closing quote, a lone CR, the buffer's end) is the byte-by-byte path's.
            let end = match stop.and_then(|at| input.get(at)) {
                Some(b',') => FieldEnd::Delimiter,
                Some(b'\n') => FieldEnd::Lf,
                Some(b'\r') if stop.and_then(|at| input.get(at + 1)) == Some(&b'\n') => {
                    FieldEnd::Crlf
                }
                _ => break None,
            };
            let Some(stop) = stop else { break None };
            // The record's bytes up to this field's end, its delimiter counted (`past_limit`).
            let bytes = stop + usize::from(end == FieldEnd::Delimiter) - start;
            if bytes as u64 > self.max_record {
                break None;
            }
            let field = ReadField {
                raw_start,
                quoted,
                byte_offset: record_offset + (i - start) as u64,
                line: self.line,
                issue_start: issues.len(),
                flags: flags & !STOP,
            };
            (run_raw, run_text) = self.store_field(rec, issues, field, run_raw, run_text);
            match end {
                FieldEnd::Delimiter => i = stop + 1,
                _ => break Some((stop + terminator_len(end) as usize, end)),
            }
        };
        let Some((next, end)) = read else {
            rec.raw.clear();
            rec.text.clear();
            rec.fields.clear();
            issues.truncate(record_issues);
            self.line = line;
            self.cap.restore(&counts);
            return false;
        };
        copy_ascii(rec, run_raw, rec.raw.len());
        self.pos = next;
        self.count_terminator(end);
        self.endings.final_newline = true;
        true
    }

    /// The record terminators seen so far.
    pub fn line_endings(&self) -> LineEndings {
        self.endings
    }

    /// The number of input bytes parsed so far: the offset of the next unread byte.
    pub fn bytes_read(&self) -> u64 {
        self.offset()
    }

    /// Returns the underlying reader.
    pub fn into_inner(self) -> R {
        self.inner
    }

    fn offset(&self) -> u64 {
        self.buf_offset + self.pos as u64
    }

    /// Whether the field just read, which ended with `end`, is dropped: the record was over the
    /// limit already, or its bytes up to this field's end (its delimiter counted, a terminator
    /// not) exceed it. Only asked once the input offset is past `limit_at`.
    #[cold]
    #[inline(never)]
    fn past_limit(&self, end: FieldEnd) -> bool {
        self.over || self.offset() - terminator_len(end) > self.limit_at
    }

    /// Called inside a field once the input offset is past `limit_at`: the record is over the
    /// limit and this field is dropped. Lets go of its bytes so far, counting their line breaks
    /// (the last byte is kept, so that a CR LF split across calls still counts once).
    #[cold]
    #[inline(never)]
    fn drop_field_bytes(&mut self, raw: &mut Vec<u8>, raw_start: usize) {
        self.over = true;
        self.limit_at = 0;
        self.skips.clear();
        let len = raw.len() - raw_start;
        if len > 1 {
            self.dropped_breaks += check::breaks_in(&raw[raw_start..], 0, len - 1);
            raw.drain(raw_start..raw.len() - 1);
        }
    }

    /// Finishes a field of a record over the limit: reports the record (once), counts the
    /// field's line breaks and keeps it empty (or only counts it, past the stored field cap).
    /// Returns the new ASCII run start (raw and text indices).
    #[cold]
    #[inline(never)]
    fn drop_field(
        &mut self,
        rec: &mut Record,
        issues: &mut Vec<ByteIssue>,
        field: DroppedField,
        run_raw: usize,
    ) -> (usize, usize) {
        let mut field_issues = field.field_issues;
        if !rec.truncated {
            rec.truncated = true;
            self.over = true;
            self.limit_at = 0;
            let issue = ByteIssue {
                kind: ByteIssueKind::RecordTooLong {
                    limit: self.max_record,
                    bytes: self.offset() - rec.byte_offset,
                },
                byte_offset: rec.byte_offset,
                line: rec.line,
                record: rec.number,
                field: None,
            };
            if self.cap.admit(ByteIssueClass::RecordTooLong) {
                issues.insert(field.record_issues, issue);
                self.too_long_issue = field.record_issues;
                field_issues += 1;
            } else {
                self.too_long_issue = usize::MAX;
            }
        }
        if rec.hidden > 0 {
            // `read_field` numbered this field's quoting issues by the stored fields.
            for issue in &mut issues[field_issues..] {
                issue.field = Some(rec.len() + 1);
            }
        }
        copy_ascii(rec, run_raw, field.raw_start);
        self.line += self.dropped_breaks + check::line_breaks(&rec.raw[field.raw_start..]);
        self.dropped_breaks = 0;
        rec.raw.truncate(field.raw_start);
        let text = rec.text.len();
        let cap = self.fields_cap;
        if rec.fields.len() < cap {
            rec.fields.push(FieldMeta {
                raw_start: field.raw_start,
                raw_end: field.raw_start,
                text_start: text,
                text_end: text,
                quoted: field.quoted,
                byte_offset: field.byte_offset,
                line: field.line,
            });
        } else {
            rec.hidden += 1;
        }
        (field.raw_start, text)
    }

    fn count_terminator(&mut self, end: FieldEnd) {
        match end {
            FieldEnd::Crlf => self.endings.crlf += 1,
            FieldEnd::Lf => self.endings.lf += 1,
            FieldEnd::Cr => self.endings.cr += 1,
            FieldEnd::Delimiter | FieldEnd::Eof => return,
        }
        self.line += 1;
    }

    /// Makes `buf[pos]` valid if any input is left; false at the end of the input.
    #[inline]
    fn fill(&mut self) -> io::Result<bool> {
        if self.pos < self.end {
            return Ok(true);
        }
        self.refill()
    }

    /// [`Self::fill`] once `buf` is used up.
    fn refill(&mut self) -> io::Result<bool> {
        if self.eof {
            return Ok(false);
        }
        self.buf_offset += self.end as u64;
        self.pos = 0;
        self.end = 0;
        let n = self.read_into(0)?;
        self.end = n;
        Ok(n > 0)
    }

    /// One `read` into `buf[at..]`, retrying `Interrupted`; sets `eof` on 0.
    fn read_into(&mut self, at: usize) -> io::Result<usize> {
        loop {
            match self.inner.read(&mut self.buf[at..]) {
                Ok(0) => {
                    self.eof = true;
                    return Ok(0);
                }
                // A misbehaving reader may claim more than it was given room for.
                Ok(n) => return Ok(n.min(self.buf.len() - at)),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        }
    }

    #[inline]
    fn peek(&mut self) -> io::Result<Option<u8>> {
        Ok(if self.fill()? {
            Some(self.buf[self.pos])
        } else {
            None
        })
    }

    /// At offset 0: reports and skips a UTF-8 or UTF-16 BOM. Never switches encoding.
    fn skip_bom(&mut self, issues: &mut Vec<ByteIssue>) -> io::Result<()> {
        // Short reads are legal, so gather up to three bytes first.
        while self.end < 3 && !self.eof {
            let n = self.read_into(self.end)?;
            self.end += n;
        }
        let head = &self.buf[..self.end];
        let len = if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
            3
        } else if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
            2
        } else {
            return Ok(());
        };
        self.cap.push(
            issues,
            ByteIssue {
                kind: ByteIssueKind::Bom {
                    bytes: head[..len].to_vec(),
                },
                byte_offset: 0,
                line: 1,
                record: 1,
                field: None,
            },
        );
        self.pos = len;
        Ok(())
    }

    /// Skips and reports empty lines; false when the input ends first.
    fn skip_blank_lines(&mut self, issues: &mut Vec<ByteIssue>) -> io::Result<bool> {
        loop {
            let kind = match self.peek()? {
                None => return Ok(false),
                Some(b'\n') => {
                    self.pos += 1;
                    FieldEnd::Lf
                }
                Some(b'\r') => {
                    self.pos += 1;
                    self.after_cr()?
                }
                Some(_) => return Ok(true),
            };
            let len = if kind == FieldEnd::Crlf { 2 } else { 1 };
            self.cap.push(
                issues,
                ByteIssue {
                    kind: ByteIssueKind::BlankLine,
                    byte_offset: self.offset() - len,
                    line: self.line,
                    record: self.records,
                    field: None,
                },
            );
            self.count_terminator(kind);
        }
    }

    /// After a consumed CR: consumes a following LF and says which terminator it was.
    fn after_cr(&mut self) -> io::Result<FieldEnd> {
        if self.peek()? == Some(b'\n') {
            self.pos += 1;
            Ok(FieldEnd::Crlf)
        } else {
            Ok(FieldEnd::Cr)
        }
    }

    /// Reads one field's bytes into `rec.raw`, consuming its delimiter or terminator. Pushes
    /// quoting issues; returns whether it was quoted and how it ended.
    #[inline]
    fn read_field(
        &mut self,
        rec: &mut Record,
        issues: &mut Vec<ByteIssue>,
        raw_start: usize,
        byte_offset: u64,
        line: u64,
    ) -> io::Result<(bool, FieldEnd)> {
        self.skips.clear();
        self.flags = 0;
        // (A field of a record with fields only counted is renumbered by `drop_field`.)
        let field = rec.fields.len() + 1;
        let issue = |kind, byte_offset, line| ByteIssue {
            kind,
            byte_offset,
            line,
            record: rec.number,
            field: Some(field),
        };
        if self.peek()? != Some(b'"') {
            let end = self.read_unquoted(&mut rec.raw, raw_start, issues, &issue, line)?;
            return Ok((false, end));
        }
        self.pos += 1;
        loop {
            if !self.fill()? {
                let unterminated = issue(ByteIssueKind::UnterminatedQuote, byte_offset, line);
                self.cap.push(issues, unterminated);
                return Ok((true, FieldEnd::Eof));
            }
            let chunk = &self.buf[self.pos..self.end];
            let found = scan::<true>(chunk, &mut self.flags);
            let Some(i) = found else {
                rec.raw.extend_from_slice(chunk);
                self.pos = self.end;
                if self.offset() > self.limit_at {
                    self.drop_field_bytes(&mut rec.raw, raw_start);
                }
                continue;
            };
            append(&mut rec.raw, chunk, i);
            self.pos += i + 1;
            if self.peek()? == Some(b'"') {
                // `""`: one quote of data; the raw byte stands for the first, so later raw
                // bytes lie one further on in the input.
                rec.raw.push(b'"');
                self.pos += 1;
                self.skips.push(rec.raw.len() - raw_start);
                if self.offset() > self.limit_at {
                    self.drop_field_bytes(&mut rec.raw, raw_start);
                }
                continue;
            }
            break;
        }
        let end = match self.peek()? {
            None => FieldEnd::Eof,
            Some(b',') => {
                self.pos += 1;
                FieldEnd::Delimiter
            }
            Some(b'\n') => {
                self.pos += 1;
                FieldEnd::Lf
            }
            Some(b'\r') => {
                self.pos += 1;
                self.after_cr()?
            }
            Some(_) => {
                // Text after the closing quote: keep it (as csv_core does) and read on as if
                // unquoted. The closing quote is dropped from the raw bytes.
                let tail_line =
                    line + self.dropped_breaks + check::line_breaks(&rec.raw[raw_start..]);
                self.cap.push(
                    issues,
                    issue(ByteIssueKind::TextAfterQuote, self.offset(), tail_line),
                );
                self.skips.push(rec.raw.len() - raw_start);
                self.read_unquoted(&mut rec.raw, raw_start, issues, &issue, tail_line)?
            }
        };
        Ok((true, end))
    }

    /// Reads unquoted bytes up to and including the delimiter or terminator. A `"` here is
    /// data (reported as stray).
    #[inline(always)]
    fn read_unquoted(
        &mut self,
        raw: &mut Vec<u8>,
        raw_start: usize,
        issues: &mut Vec<ByteIssue>,
        issue: &impl Fn(ByteIssueKind, u64, u64) -> ByteIssue,
        line: u64,
    ) -> io::Result<FieldEnd> {
        loop {
            if !self.fill()? {
                return Ok(FieldEnd::Eof);
            }
            let chunk = &self.buf[self.pos..self.end];
            let found = scan::<false>(chunk, &mut self.flags);
            let Some(i) = found else {
                raw.extend_from_slice(chunk);
                self.pos = self.end;
                if self.offset() > self.limit_at {
                    self.drop_field_bytes(raw, raw_start);
                }
                continue;
            };
            append(raw, chunk, i);
            let stop = chunk[i];
            self.pos += i + 1;
            match stop {
                b',' => return Ok(FieldEnd::Delimiter),
                b'\n' => return Ok(FieldEnd::Lf),
                b'\r' => return self.after_cr(),
                _ => {
                    let stray = issue(ByteIssueKind::StrayQuote, self.offset() - 1, line);
                    self.cap.push(issues, stray);
                    raw.push(b'"');
                    if self.offset() > self.limit_at {
                        self.drop_field_bytes(raw, raw_start);
                    }
                }
            }
        }
    }
}

/// What [`Ms932Reader::drop_field`] needs to know of the field just read.
struct DroppedField {
    /// Index in `issues` of the record's first issue.
    record_issues: usize,
    /// Index in `issues` of the field's first issue.
    field_issues: usize,
    raw_start: usize,
    quoted: bool,
    byte_offset: u64,
    line: u64,
}

/// How many fields a record over the limit `max_record` stores (each costs about its size; past
/// `max_record` bytes of them, or 1 024 fields, they are only counted).
pub(super) fn field_cap(max_record: u64) -> usize {
    usize::try_from(max_record / size_of::<FieldMeta>() as u64)
        .unwrap_or(usize::MAX)
        .max(1024)
}

/// The input bytes of a terminator that ended a field (a delimiter counts as the record's).
fn terminator_len(end: FieldEnd) -> u64 {
    match end {
        FieldEnd::Crlf => 2,
        FieldEnd::Lf | FieldEnd::Cr => 1,
        FieldEnd::Delimiter | FieldEnd::Eof => 0,
    }
}

/// Appends `chunk[..n]` to `raw`. Most fields are short: those are copied as one fixed-size
/// block (then cut to length), which needs no call to `memcpy`.
#[inline(always)]
fn append(raw: &mut Vec<u8>, chunk: &[u8], n: usize) {
    if n <= 16
        && let Some(block) = chunk.first_chunk::<16>()
    {
        let len = raw.len();
        raw.extend_from_slice(block);
        raw.truncate(len + n);
    } else {
        raw.extend_from_slice(&chunk[..n]);
    }
}

/// Appends the text of the ASCII fields in `rec.raw[from..to]`, which is their bytes.
fn copy_ascii(rec: &mut Record, from: usize, to: usize) {
    let ascii = std::str::from_utf8(&rec.raw[from..to]).expect("bytes below 0x80 are UTF-8");
    rec.text.push_str(ascii);
}

/// Finds the first byte of `chunk` that ends a run of field data (`"` if `QUOTED_FIELD`, else
/// `,` CR LF `"`), ORing the [`check::CLASS`] of the bytes before it into `flags`.
///
/// Eight bytes at a time: a word is skipped when none of its bytes can stop the run or add a
/// flag (once the field has a non-ASCII byte, only 0x80 and F0–F9 can add one among those), so
/// the typical short ASCII field costs one word, and a run of Japanese text one step per eight
/// bytes. Bytes that may matter are looked up one by one in the class table.
#[inline(always)]
fn scan<const QUOTED_FIELD: bool>(chunk: &[u8], flags: &mut u8) -> Option<usize> {
    let table = if QUOTED_FIELD { &QUOTED } else { &UNQUOTED };
    let mut i = 0;
    while let Some(word) = chunk.get(i..).and_then(<[u8]>::first_chunk::<8>) {
        let w = u64::from_le_bytes(*word);
        // Bytes that may need a look: C0 controls (CR and LF among them), `"`, `&`, `?`, `,` in
        // unquoted data, and non-ASCII bytes (once the field has one: only 0x80 and F0–F9).
        let mut m = below(w, 0x20) | equal(w, b'"') | equal(w, b'&') | equal(w, b'?');
        if !QUOTED_FIELD {
            m |= equal(w, b',');
        }
        if *flags & check::NON_ASCII == 0 {
            m |= w & HIGH;
        } else {
            m |= equal(w, 0x80) | below(w ^ (LOW * 0xF0), 0x0A);
        }
        if m == 0 {
            i += 8;
            continue;
        }
        // The lowest flagged byte is exact (see `below`).
        let k = i + (m.trailing_zeros() / 8) as usize;
        let class = table[usize::from(chunk[k])];
        if class & STOP != 0 {
            return Some(k);
        }
        *flags |= class;
        i = k + 1;
    }
    let tail = chunk.get(i..).unwrap_or_default();
    let mut tail_flags = 0;
    let found = tail.iter().position(|&b| {
        let class = table[usize::from(b)];
        tail_flags |= class;
        class & STOP != 0
    });
    *flags |= tail_flags;
    found.map(|k| i + k)
}

const LOW: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `w` below `n` (`n` ≤ 0x80). A borrow can also mark a byte above
/// a marked one, so only the lowest marked byte is exact; but some byte is marked exactly when
/// some byte is below `n`.
#[inline(always)]
fn below(w: u64, n: u8) -> u64 {
    w.wrapping_sub(LOW * u64::from(n)) & !w & HIGH
}

/// The high bit of each byte of `w` equal to `b`, every one exact (no borrow crosses bytes).
#[inline(always)]
fn exactly(w: u64, b: u8) -> u64 {
    let v = w ^ (LOW * u64::from(b));
    !((v & !HIGH).wrapping_add(!HIGH) | v | !HIGH)
}

/// The high bit of each byte of `w` equal to `b` (exact as [`below`] is).
#[inline(always)]
fn equal(w: u64, b: u8) -> u64 {
    below(w ^ (LOW * u64::from(b)), 1)
}

/// The scanner's class bit for a byte that ends a run of field data.
const STOP: u8 = check::FREE_BIT;

/// Unquoted field data: [`check::CLASS`], and [`STOP`] at `,` CR LF `"` (CR and LF without their
/// class, since they never become field bytes here; a stray `"` has no class).
static UNQUOTED: [u8; 256] = {
    let mut t = check::CLASS;
    t[b',' as usize] = STOP;
    t[b'\r' as usize] = STOP;
    t[b'\n' as usize] = STOP;
    t[b'"' as usize] = STOP;
    t
};

/// Quoted field data: [`check::CLASS`], and [`STOP`] at `"`.
static QUOTED: [u8; 256] = {
    let mut t = check::CLASS;
    t[b'"' as usize] = STOP;
    t
};
