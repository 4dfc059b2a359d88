//! The data the reader hands out: records, field views, line-ending counts and byte issues.

/// One data record, reused across [`Ms932Reader::read_record`](super::Ms932Reader::read_record)
/// calls so that reading allocates only when a record is larger than any before it.
#[derive(Debug, Default, Clone)]
pub struct Record {
    pub(super) number: u64,
    pub(super) line: u64,
    pub(super) byte_offset: u64,
    /// Every field's bytes after unquoting, back to back.
    pub(super) raw: Vec<u8>,
    /// Every field's decoded text, back to back.
    pub(super) text: String,
    pub(super) fields: Vec<FieldMeta>,
    /// Fields of a too-long record counted but not stored (see [`Record::truncated`]).
    pub(super) hidden: usize,
    /// Whether the record grew past the reader's byte limit.
    pub(super) truncated: bool,
}

/// Where one field lives inside [`Record::raw`] and [`Record::text`], and in the file.
#[derive(Debug, Clone, Copy)]
pub(super) struct FieldMeta {
    pub(super) raw_start: usize,
    pub(super) raw_end: usize,
    pub(super) text_start: usize,
    pub(super) text_end: usize,
    pub(super) quoted: bool,
    pub(super) byte_offset: u64,
    pub(super) line: u64,
}

impl Record {
    /// The 1-based number of this data record (blank lines are not records).
    #[inline]
    pub fn number(&self) -> u64 {
        self.number
    }

    /// The 1-based physical line where the record starts.
    #[inline]
    pub fn line(&self) -> u64 {
        self.line
    }

    /// The 0-based byte offset of the record's first byte (after a BOM, for record 1).
    #[inline]
    pub fn byte_offset(&self) -> u64 {
        self.byte_offset
    }

    /// The number of fields in the input (of a [truncated](Record::truncated) record too, whose
    /// last fields may be counted but not stored).
    #[inline]
    pub fn len(&self) -> usize {
        self.fields.len() + self.hidden
    }

    /// Whether the record has no fields (only a cleared [`Record::default`] has none: a read
    /// record has at least one, possibly empty, field).
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// Whether the record grew past the reader's byte limit
    /// ([`Ms932Reader::with_max_record_bytes`](super::Ms932Reader::with_max_record_bytes)); a
    /// [`ByteIssueKind::RecordTooLong`] issue says so too.
    ///
    /// Such a record is parsed to its true end (its number, line, offset and field count are
    /// right, and so are the positions of everything after it), but the fields from the one
    /// that crosses the limit on are kept empty and unchecked: no byte issue is reported from
    /// their contents (quoting faults still are). Past one stored field per 56 bytes of the
    /// limit (about 300 000 at 16 MiB; at least 1 024) further fields are only counted: [`Record::len`] says how
    /// many fields the record has, while [`Record::field`] and [`Record::iter`] give the stored
    /// ones.
    #[inline]
    pub fn truncated(&self) -> bool {
        self.truncated
    }

    /// The field at 0-based index `i` (`None` past the stored fields of a
    /// [truncated](Record::truncated) record).
    #[inline]
    pub fn field(&self, i: usize) -> Option<FieldRef<'_>> {
        self.fields.get(i).map(|m| self.view(m))
    }

    /// The text of the field at 0-based index `i`, or `""` past the stored fields: the same as
    /// `field(i).map_or("", |f| f.text)`, without making the rest of the view.
    #[inline]
    pub fn text(&self, i: usize) -> &str {
        self.fields
            .get(i)
            .map_or("", |m| &self.text[m.text_start..m.text_end])
    }

    /// The bytes (after unquoting) of the field at 0-based index `i` and whether it was quoted:
    /// the same as `field(i).map(|f| (f.raw, f.quoted))`, without making the rest of the view.
    #[inline]
    pub fn raw_of(&self, i: usize) -> Option<(&[u8], bool)> {
        self.fields
            .get(i)
            .map(|m| (&self.raw[m.raw_start..m.raw_end], m.quoted))
    }

    /// Whether the field at 0-based index `i` is empty (or past the stored fields): the same as
    /// `field(i).is_none_or(|f| f.text.is_empty())`, without making the view.
    #[inline]
    pub fn field_is_empty(&self, i: usize) -> bool {
        self.fields.get(i).is_none_or(|m| m.raw_start == m.raw_end)
    }

    /// All fields in order (the stored ones only, of a [truncated](Record::truncated) record).
    #[inline]
    pub fn iter(&self) -> impl Iterator<Item = FieldRef<'_>> {
        self.fields.iter().map(|m| self.view(m))
    }

    #[inline]
    fn view(&self, m: &FieldMeta) -> FieldRef<'_> {
        FieldRef {
            text: &self.text[m.text_start..m.text_end],
            raw: &self.raw[m.raw_start..m.raw_end],
            quoted: m.quoted,
            byte_offset: m.byte_offset,
            line: m.line,
        }
    }

    pub(super) fn clear(&mut self) {
        self.number = 0;
        self.line = 0;
        self.byte_offset = 0;
        self.raw.clear();
        self.text.clear();
        self.fields.clear();
        self.hidden = 0;
        self.truncated = false;
    }
}

/// A view of one field of a [`Record`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldRef<'a> {
    /// The decoded text: quotes removed, `""` undoubled. Undecodable bytes appear as U+FFFD here
    /// and as a [`ByteIssueKind::Undecodable`] issue.
    pub text: &'a str,
    /// The field's bytes after unquoting (MS932, or whatever the file really holds).
    pub raw: &'a [u8],
    /// Whether the field was written inside double quotes.
    pub quoted: bool,
    /// The 0-based offset of the field's first byte (the opening quote if quoted).
    pub byte_offset: u64,
    /// The 1-based physical line where the field starts.
    pub line: u64,
}

/// How many record terminators of each kind the reader has seen so far (blank lines included).
/// Line breaks inside quoted fields are data, not terminators, and are not counted.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct LineEndings {
    /// `\r\n` terminators.
    pub crlf: u64,
    /// Lone `\n` terminators.
    pub lf: u64,
    /// Lone `\r` terminators.
    pub cr: u64,
    /// Whether the last record ended with a terminator (false for an empty input).
    pub final_newline: bool,
}

/// A byte-level problem found while reading, with its exact position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ByteIssue {
    /// What is wrong.
    pub kind: ByteIssueKind,
    /// The 0-based offset of the first offending byte in the input.
    pub byte_offset: u64,
    /// The 1-based physical line of that byte.
    pub line: u64,
    /// The 1-based data record it belongs to. A [`ByteIssueKind::BlankLine`] belongs to no
    /// record: it carries the number of the record before it (0 at the start of the input).
    pub record: u64,
    /// The 1-based field number, or `None` for a BOM, a blank line or a too-long record.
    pub field: Option<usize>,
}

/// At most this many bytes of an undecodable run are quoted
/// ([`ByteIssueKind::Undecodable::bytes`]); its length says how long it is.
pub const MAX_QUOTED_BYTES: usize = 16;

/// The default of [`Ms932Reader::with_max_issues_per_kind`](super::Ms932Reader::with_max_issues_per_kind).
pub const DEFAULT_MAX_ISSUES_PER_KIND: u64 = 1000;

/// The kinds of [`ByteIssue`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ByteIssueKind {
    /// A byte-order mark at offset 0: UTF-8 `EF BB BF`, or UTF-16 `FF FE` / `FE FF`. Reported once
    /// (record 1); its bytes are skipped and the rest is still decoded as MS932.
    Bom {
        /// The BOM's bytes.
        bytes: Vec<u8>,
    },
    /// A field whose non-ASCII bytes form valid UTF-8 text: the file is UTF-8, not MS932. The
    /// field's MS932 decoding faults (undecodable bytes, 外字, `?`) are not reported separately,
    /// as they follow from this one.
    Utf8,
    /// Bytes that are not MS932: a bad lead or trail byte, or a lead byte cut off by the end of
    /// the field or input. Adjacent bad sequences are merged into one issue.
    Undecodable {
        /// The offending bytes: the first [`MAX_QUOTED_BYTES`] of them.
        bytes: Vec<u8>,
        /// How many offending bytes the run has in all.
        len: u64,
    },
    /// A user-defined (外字) character, MS932 F040–F9FC. It decodes "successfully" to a
    /// private-use code point (U+E000…), which the standard forbids.
    UserDefined {
        /// The two MS932 bytes as a big-endian number, e.g. `0xF040`.
        code: u16,
    },
    /// An encoder artefact: a numeric character reference such as `&#12316;` or `&#x301C;`,
    /// which is what `encoding_rs`'s replacing encoder writes for a character MS932 lacks.
    Entity {
        /// The reference as written.
        text: String,
    },
    /// A half-width `?` (or a run of them) directly next to a non-ASCII character: the mark an
    /// encoder leaves where it replaced a character it could not encode.
    QuestionMark,
    /// A C0 control byte other than CR, LF or TAB inside a field (a run of the same byte is
    /// reported once).
    Control {
        /// The byte.
        byte: u8,
    },
    /// A quoted field still open at the end of the input; reported at its opening quote.
    UnterminatedQuote,
    /// A `"` inside an unquoted field (kept in the text as is).
    StrayQuote,
    /// Bytes between a closing quote and the next delimiter, as in `"abc"x,` (kept in the text).
    TextAfterQuote,
    /// An empty physical line. It is not returned as a record.
    BlankLine,
    /// A record longer than the reader's limit
    /// ([`Ms932Reader::with_max_record_bytes`](super::Ms932Reader::with_max_record_bytes)),
    /// usually the rest of the input after a quote left open. Reported at the record's start,
    /// before the record's other issues. The record is parsed to its end, but the fields from
    /// the one that crosses the limit on are not kept or checked (see [`Record::truncated`]).
    RecordTooLong {
        /// The limit, in bytes.
        limit: u64,
        /// The record's length in input bytes (its terminator not included).
        bytes: u64,
    },
}

/// A [`ByteIssueKind`] without its data: what the reader's issue cap counts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[allow(missing_docs)] // named as the ByteIssueKind variants
pub enum ByteIssueClass {
    Bom,
    Utf8,
    Undecodable,
    UserDefined,
    Entity,
    QuestionMark,
    Control,
    UnterminatedQuote,
    StrayQuote,
    TextAfterQuote,
    BlankLine,
    RecordTooLong,
}

impl ByteIssueClass {
    /// Every class, in declaration order.
    pub const ALL: [ByteIssueClass; 12] = [
        Self::Bom,
        Self::Utf8,
        Self::Undecodable,
        Self::UserDefined,
        Self::Entity,
        Self::QuestionMark,
        Self::Control,
        Self::UnterminatedQuote,
        Self::StrayQuote,
        Self::TextAfterQuote,
        Self::BlankLine,
        Self::RecordTooLong,
    ];
}

impl ByteIssueKind {
    /// The kind without its data.
    pub fn class(&self) -> ByteIssueClass {
        match self {
            Self::Bom { .. } => ByteIssueClass::Bom,
            Self::Utf8 => ByteIssueClass::Utf8,
            Self::Undecodable { .. } => ByteIssueClass::Undecodable,
            Self::UserDefined { .. } => ByteIssueClass::UserDefined,
            Self::Entity { .. } => ByteIssueClass::Entity,
            Self::QuestionMark => ByteIssueClass::QuestionMark,
            Self::Control { .. } => ByteIssueClass::Control,
            Self::UnterminatedQuote => ByteIssueClass::UnterminatedQuote,
            Self::StrayQuote => ByteIssueClass::StrayQuote,
            Self::TextAfterQuote => ByteIssueClass::TextAfterQuote,
            Self::BlankLine => ByteIssueClass::BlankLine,
            Self::RecordTooLong { .. } => ByteIssueClass::RecordTooLong,
        }
    }
}

/// The reader's cap on issues of one class per input: past it, issues are counted, not kept,
/// so that an input made of one fault (a blank-line flood, a stray quote every other byte)
/// costs no memory per fault. Counters are cells so that the field checks can count through a
/// shared reference while the reader is borrowed.
#[derive(Debug)]
pub(super) struct IssueCap {
    max: u64,
    seen: [std::cell::Cell<u64>; ByteIssueClass::ALL.len()],
}

impl IssueCap {
    pub(super) fn new(max: u64) -> Self {
        Self {
            max,
            seen: Default::default(),
        }
    }

    pub(super) fn set_max(&mut self, max: u64) {
        self.max = max;
    }

    /// Counts one issue of `class`; whether it is kept.
    #[inline]
    pub(super) fn admit(&self, class: ByteIssueClass) -> bool {
        let seen = &self.seen[class as usize];
        seen.set(seen.get().saturating_add(1));
        seen.get() <= self.max
    }

    /// Issues of every class counted so far (kept or not): unchanged across a step, it found
    /// none.
    #[inline]
    pub(super) fn total(&self) -> u64 {
        self.seen.iter().map(std::cell::Cell::get).sum()
    }

    /// Pushes `issue` unless it is only counted.
    #[inline]
    pub(super) fn push(&self, issues: &mut Vec<ByteIssue>, issue: ByteIssue) {
        if self.admit(issue.kind.class()) {
            issues.push(issue);
        }
    }

    /// The counts so far, to [`Self::restore`] them.
    #[inline]
    pub(super) fn counts(&self) -> [u64; ByteIssueClass::ALL.len()] {
        std::array::from_fn(|i| self.seen[i].get())
    }

    /// Puts the counts back as [`Self::counts`] gave them.
    pub(super) fn restore(&self, counts: &[u64; ByteIssueClass::ALL.len()]) {
        for (seen, &n) in self.seen.iter().zip(counts) {
            seen.set(n);
        }
    }

    /// Issues of `class` counted but not kept.
    pub(super) fn left_out(&self, class: ByteIssueClass) -> u64 {
        self.seen[class as usize].get().saturating_sub(self.max)
    }
}
