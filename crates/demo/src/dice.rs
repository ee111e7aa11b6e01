//! Seeded randomness for the generator.
//!
//! Every draw goes through [`Dice`], which reads only the raw 64-bit output of ChaCha8.
//! Ranges, choices and probabilities are computed here with integer arithmetic, not with
//! a library's distributions (whose algorithms may change between versions) nor with
//! floating point, so one seed gives the same scenario on every platform and build.

use rand::rngs::ChaCha8Rng;
use rand::{Rng, SeedableRng};

pub struct Dice {
    rng: ChaCha8Rng,
}

impl Dice {
    /// The seed is spread over the 32-byte ChaCha key with SplitMix64, so that nearby
    /// seeds (1, 2, 3) give unrelated streams.
    pub fn new(seed: u64) -> Self {
        let mut key = [0u8; 32];
        let mut state = seed;
        for chunk in key.chunks_exact_mut(8) {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^= z >> 31;
            chunk.copy_from_slice(&z.to_le_bytes());
        }
        Self {
            rng: ChaCha8Rng::from_seed(key),
        }
    }

    pub fn next_u64(&mut self) -> u64 {
        self.rng.next_u64()
    }

    /// 128 random bits, for ids.
    pub fn id_bits(&mut self) -> u128 {
        (u128::from(self.next_u64()) << 64) | u128::from(self.next_u64())
    }

    /// A number in `0..n` (0 when `n` is 0). Multiply-shift: the bias is below 2^-32 for
    /// the small ranges used here.
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// A number in `lo..=hi` (`lo` when the range is empty).
    pub fn between(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        let span = hi.abs_diff(lo).saturating_add(1);
        lo.saturating_add_unsigned(self.below(span))
    }

    /// True with probability `per_mille` / 1000.
    pub fn chance(&mut self, per_mille: u32) -> bool {
        self.below(1000) < u64::from(per_mille)
    }

    /// An index into a collection of `len` items (0 for an empty one: callers check).
    pub fn index(&mut self, len: usize) -> usize {
        self.below(len as u64) as usize
    }

    /// One item of a non-empty table (a compile-time check refuses an empty one).
    pub fn pick<'a, T, const N: usize>(&mut self, items: &'a [T; N]) -> &'a T {
        const { assert!(N > 0, "cannot pick from an empty table") };
        &items[self.index(N)]
    }

    /// A copy of one item of a non-empty table.
    pub fn draw<T: Copy, const N: usize>(&mut self, items: &[T; N]) -> T {
        *self.pick(items)
    }

    /// One item of a table of `(item, weight)`; the last item if all weights are zero.
    pub fn weighted<'a, T, const N: usize>(&mut self, items: &'a [(T, u32); N]) -> &'a T {
        const { assert!(N > 0, "cannot pick from an empty table") };
        let total: u64 = items.iter().map(|(_, w)| u64::from(*w)).sum();
        let mut roll = self.below(total);
        for (item, weight) in items {
            if roll < u64::from(*weight) {
                return item;
            }
            roll -= u64::from(*weight);
        }
        &items[N - 1].0
    }

    /// An item of a slice, or `None` for an empty one.
    pub fn choose<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        items.get(self.index(items.len()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_stream_and_ranges_hold() {
        let mut a = Dice::new(7);
        let mut b = Dice::new(7);
        for _ in 0..1000 {
            assert_eq!(a.next_u64(), b.next_u64());
            let x = a.between(-3, 5);
            assert!((-3..=5).contains(&x));
            b.between(-3, 5);
        }
        assert_ne!(Dice::new(1).next_u64(), Dice::new(2).next_u64());
        assert_eq!(a.below(0), 0);
        assert_eq!(a.between(4, 4), 4);
    }

    #[test]
    fn weighted_respects_zero_weights() {
        let mut d = Dice::new(3);
        let table = [("never", 0), ("always", 5)];
        for _ in 0..100 {
            assert_eq!(*d.weighted(&table), "always");
        }
    }
}
