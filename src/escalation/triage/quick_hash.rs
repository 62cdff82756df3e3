//! A quick hasher for the triage look-ups, which run for every word of every message in every
//! lexicon. SipHash, the standard one, guards a map against keys chosen to collide; these maps
//! hold only the lexicon's own words, and a message word is only looked up, never inserted, so
//! her words cannot lengthen a probe. This is the multiply-rotate hash of rustc's FxHasher.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

pub type QuickMap<K, V> = HashMap<K, V, BuildHasherDefault<QuickHasher>>;
pub type QuickSet<T> = HashSet<T, BuildHasherDefault<QuickHasher>>;

#[derive(Default, Clone, Copy)]
pub struct QuickHasher(u64);

const SEED: u64 = 0xf135_7aea_2e62_a9c5;

impl QuickHasher {
    fn add(&mut self, value: u64) {
        self.0 = self.0.wrapping_add(value).wrapping_mul(SEED);
    }
}

impl Hasher for QuickHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            self.add(u64::from_le_bytes(chunk.try_into().unwrap_or_default()));
        }
        let mut last = [0u8; 8];
        last[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
        self.add(u64::from_le_bytes(last));
    }

    fn write_u8(&mut self, value: u8) {
        self.add(u64::from(value));
    }

    fn write_u32(&mut self, value: u32) {
        self.add(u64::from(value));
    }

    fn write_u64(&mut self, value: u64) {
        self.add(value);
    }

    fn write_usize(&mut self, value: usize) {
        self.add(value as u64);
    }

    /// The multiply leaves the low bits, which pick the bucket, poorly mixed: rotate the high
    /// ones down.
    fn finish(&self) -> u64 {
        self.0.rotate_left(26)
    }
}
