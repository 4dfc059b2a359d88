//! The decoded text of recent Japanese fields, by their bytes.
//!
//! The files repeat their Japanese values record after record (a person's name and office on
//! each of their rows, the same service and 続柄 names down a 実績 or a 別表), and decoding a
//! short field costs the decoder's set-up several times over its few characters. A field whose
//! decoding found nothing to report is remembered here, and the same bytes met again take the
//! same text without decoding. A field with anything to report is never remembered, so its
//! issues are made afresh, at its own position, every time.

/// Fields up to this many bytes are remembered (longer ones are free text that rarely repeats).
const MAX_BYTES: usize = 64;

/// Slots of the direct-mapped table.
const SLOTS: usize = 256;

/// A direct-mapped table of (bytes, text): memory is at most [`SLOTS`] × ([`MAX_BYTES`] + its
/// text), whatever the input.
#[derive(Debug)]
pub(super) struct Decoded {
    slots: Vec<Option<(Vec<u8>, String)>>,
}

impl Default for Decoded {
    fn default() -> Self {
        Self {
            slots: vec![None; SLOTS],
        }
    }
}

/// The slot of `raw`: a multiplicative hash of its words (collisions only cost a miss).
#[inline]
fn slot(raw: &[u8]) -> usize {
    let mut h = raw.len() as u64;
    let mut words = raw.chunks_exact(8);
    for word in &mut words {
        let mut w = [0u8; 8];
        w.copy_from_slice(word);
        h = (h ^ u64::from_le_bytes(w)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
    for &b in words.remainder() {
        h = (h ^ u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
    (h >> 56) as usize % SLOTS
}

impl Decoded {
    /// The text remembered for exactly these bytes.
    #[inline]
    pub(super) fn get(&self, raw: &[u8]) -> Option<&str> {
        if raw.len() > MAX_BYTES {
            return None;
        }
        match &self.slots[slot(raw)] {
            Some((bytes, text)) if bytes.as_slice() == raw => Some(text),
            _ => None,
        }
    }

    /// Remembers that `raw` decodes to `text` with nothing to report.
    #[inline]
    pub(super) fn put(&mut self, raw: &[u8], text: &str) {
        if raw.len() > MAX_BYTES {
            return;
        }
        match &mut self.slots[slot(raw)] {
            Some((bytes, t)) => {
                bytes.clear();
                bytes.extend_from_slice(raw);
                t.clear();
                t.push_str(text);
            }
            empty => *empty = Some((raw.to_vec(), text.to_owned())),
        }
    }
}
