//! The hash of the key sets of [`crate::UnitFacts`]: every record of a file looks its key tuple
//! up, so the standard library's SipHash was a tenth of a `validate` run.
//!
//! A folded multiply over eight-byte words (the scheme of the foldhash crate), started from a
//! random seed drawn once per process: the keys come from the files being checked, and without
//! the seed a file could be written whose keys all collide and make each look-up walk the set.

use std::hash::{BuildHasher, Hasher, RandomState};
use std::sync::OnceLock;

/// Builds [`KeyHasher`]s from the process's seed.
#[derive(Debug, Clone, Copy)]
pub struct KeyHash {
    seed: u64,
}

impl Default for KeyHash {
    fn default() -> Self {
        static SEED: OnceLock<u64> = OnceLock::new();
        let seed = *SEED.get_or_init(|| RandomState::new().hash_one(0x6370_6365_7274_u64));
        Self { seed }
    }
}

impl BuildHasher for KeyHash {
    type Hasher = KeyHasher;

    #[inline]
    fn build_hasher(&self) -> KeyHasher {
        KeyHasher {
            state: self.seed,
            seed: self.seed,
        }
    }
}

/// One key's hash under way; see [`KeyHash`].
#[derive(Debug, Clone)]
pub struct KeyHasher {
    state: u64,
    seed: u64,
}

/// An odd constant with mixed bits (the fractional part of π).
const MULTIPLIER: u64 = 0x243F_6A88_85A3_08D3;

/// The 128-bit product of `a` and `b`, its halves XORed.
#[inline(always)]
fn folded_multiply(a: u64, b: u64) -> u64 {
    let p = u128::from(a) * u128::from(b);
    (p as u64) ^ ((p >> 64) as u64)
}

impl Hasher for KeyHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut state = self.state;
        let mut words = bytes.chunks_exact(8);
        for word in &mut words {
            let mut w = [0u8; 8];
            w.copy_from_slice(word);
            state = folded_multiply(state ^ u64::from_le_bytes(w), MULTIPLIER);
        }
        let rest = words.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            // The length goes in too, so that a short tail differs from its zero-padded form.
            state = folded_multiply(
                state ^ u64::from_le_bytes(w),
                MULTIPLIER ^ (rest.len() as u64),
            );
        }
        self.state = state;
    }

    #[inline]
    fn write_usize(&mut self, n: usize) {
        self.state = folded_multiply(self.state ^ n as u64, MULTIPLIER);
    }

    #[inline]
    fn finish(&self) -> u64 {
        folded_multiply(self.state, self.seed ^ MULTIPLIER)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn equal_keys_hash_alike_and_near_keys_apart() {
        let h = KeyHash::default();
        let one = |b: &[u8]| h.hash_one(b);
        assert_eq!(one(b"0000000001"), one(b"0000000001"));
        let mut seen = HashSet::new();
        // Keys that differ in one byte, in length only, or by a trailing zero byte.
        for key in [
            &b""[..],
            b"\0",
            b"\0\0",
            b"0000000001",
            b"0000000002",
            b"1000000001",
            b"00000000010",
            b"0000000001\0",
            b"12345678",
            b"123456780",
        ] {
            assert!(seen.insert(one(key)), "{key:?} collides");
        }
    }

    #[test]
    fn a_set_of_keys_works() {
        let mut set: HashSet<Box<[u8]>, KeyHash> = HashSet::default();
        for n in 0..10_000u32 {
            set.insert(format!("{n:010}").into_bytes().into_boxed_slice());
        }
        assert_eq!(set.len(), 10_000);
        assert!(set.contains(&b"0000001234"[..]));
        assert!(!set.contains(&b"0000010000"[..]));
    }
}
