//! Comparators: plain string metrics, token-set similarity over keys, and the
//! cross-script name similarity.

use crate::key::spellings;
use crate::sound::{key_similarity, spelling_similarity, Spelling};

/// Jaro–Winkler similarity in [0, 1] of two strings as given (no normalisation:
/// pass [`crate::normalise`]d forms or keys). Good for Latin given names where the
/// start is most reliable.
pub fn jaro_winkler(a: &str, b: &str) -> f64 {
    strsim::jaro_winkler(a, b)
}

/// Levenshtein edit distance in characters of two strings as given.
pub fn levenshtein(a: &str, b: &str) -> usize {
    strsim::levenshtein(a, b)
}

/// Optimal-string-alignment distance (Levenshtein plus adjacent transpositions,
/// the usual typing error) of two strings as given.
pub fn osa_distance(a: &str, b: &str) -> usize {
    strsim::osa_distance(a, b)
}

/// Levenshtein distance scaled to a similarity in [0, 1] (1 for two empty strings).
pub fn normalised_levenshtein(a: &str, b: &str) -> f64 {
    strsim::normalized_levenshtein(a, b)
}

/// How much an extra or missing token counts against a name, relative to a token
/// that does not match at all (1.0). Small, because lists add or drop a father's
/// name, a married name or a nisba all the time; not zero, so that a name with
/// exactly the same tokens still ranks first.
pub const EXTRA_TOKEN_PENALTY: f64 = 0.15;

/// Scores the best one-to-one pairing of `n` tokens with `m` tokens, given their
/// pairwise similarities, independent of order.
///
/// score = Σ paired similarities / (pairs + EXTRA_TOKEN_PENALTY × unpaired tokens).
/// Two tokens that exist on both sides are always paired, so a *different* given
/// name (Aisha Ahmed / Fatima Ahmed) costs fully, while an *extra* token costs little.
///
/// The pairing is the optimal one (a small assignment problem solved exactly over
/// subsets) when the longer name has at most [`EXACT_PAIRING`] tokens — every real
/// name — and greedy on the best remaining pair beyond that. Exactness also makes
/// the score symmetric.
fn pair_tokens(n: usize, m: usize, sim: impl Fn(usize, usize) -> f64) -> f64 {
    let (n, m) = (n.min(MAX_TOKENS), m.min(MAX_TOKENS));
    if n == 0 || m == 0 {
        return 0.0;
    }
    // Rows are the shorter name, columns the longer one.
    let (rows, cols, transposed) = if n <= m { (n, m, false) } else { (m, n, true) };
    let mut matrix = [[0f64; MAX_TOKENS]; MAX_TOKENS];
    for (r, row) in matrix.iter_mut().enumerate().take(rows) {
        for (c, cell) in row.iter_mut().enumerate().take(cols) {
            *cell = if transposed { sim(c, r) } else { sim(r, c) };
        }
    }
    let total = if cols <= EXACT_PAIRING {
        best_assignment(&matrix, rows, cols)
    } else {
        greedy_assignment(&matrix, rows, cols)
    };
    let extra = (cols - rows) as f64;
    (total / (rows as f64 + EXTRA_TOKEN_PENALTY * extra)).clamp(0.0, 1.0)
}

/// Longest name (in tokens) whose pairing is solved exactly.
const EXACT_PAIRING: usize = 8;

/// The largest total similarity of a one-to-one assignment of every row to a
/// distinct column: dynamic programme over the subsets of used columns.
fn best_assignment(matrix: &[[f64; MAX_TOKENS]; MAX_TOKENS], rows: usize, cols: usize) -> f64 {
    let mut best = [f64::NEG_INFINITY; 1 << EXACT_PAIRING];
    best[0] = 0.0;
    let mut answer = 0.0f64;
    for mask in 0..(1usize << cols) {
        let done = mask.count_ones() as usize;
        let here = best[mask];
        if here == f64::NEG_INFINITY {
            continue;
        }
        if done == rows {
            answer = answer.max(here);
            continue;
        }
        for (c, &s) in matrix[done].iter().enumerate().take(cols) {
            if mask & (1 << c) == 0 {
                let next = mask | (1 << c);
                if here + s > best[next] {
                    best[next] = here + s;
                }
            }
        }
    }
    answer
}

/// Greedy assignment for overlong names: the best remaining pair first; ties go to
/// the earliest, so results are deterministic.
fn greedy_assignment(matrix: &[[f64; MAX_TOKENS]; MAX_TOKENS], rows: usize, cols: usize) -> f64 {
    let (mut used_r, mut used_c) = (0u32, 0u32);
    let mut total = 0.0;
    for _ in 0..rows {
        let mut best: Option<(f64, usize, usize)> = None;
        for (r, row) in matrix.iter().enumerate().take(rows) {
            if used_r & (1 << r) != 0 {
                continue;
            }
            for (c, &s) in row.iter().enumerate().take(cols) {
                if used_c & (1 << c) == 0 && best.is_none_or(|(b, _, _)| s > b) {
                    best = Some((s, r, c));
                }
            }
        }
        if let Some((s, r, c)) = best {
            used_r |= 1 << r;
            used_c |= 1 << c;
            total += s;
        }
    }
    total
}

/// Most tokens considered in a name; more is noise (a whole sentence pasted in).
const MAX_TOKENS: usize = 16;

/// Token-set similarity in [0, 1] of two names over their comparison keys
/// ([`crate::tokens`]): order-insensitive, tolerant of an extra or missing token,
/// each token pair scored by a weighted edit distance on keys in which confusable
/// consonant classes (d/z, s/t, j/g, …) cost half.
///
/// Cheaper and coarser than [`name_similarity`] (keys have no medial vowels).
pub fn token_set_similarity(a: &str, b: &str) -> f64 {
    let ka = crate::tokens(a);
    let kb = crate::tokens(b);
    let (ka, kb) = (
        &ka[..ka.len().min(MAX_TOKENS)],
        &kb[..kb.len().min(MAX_TOKENS)],
    );
    pair_tokens(ka.len(), kb.len(), |i, j| key_similarity(&ka[i], &kb[j]))
}

/// A name read once for many comparisons: linkage compares each record with many
/// candidates, so the reading (splitting, folding, sounds) should not be repeated.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PreparedName {
    tokens: Vec<Spelling>,
}

impl PreparedName {
    /// Reads `s` (any script, full name or single token).
    pub fn new(s: &str) -> Self {
        let mut tokens = spellings(s);
        tokens.truncate(MAX_TOKENS);
        PreparedName { tokens }
    }

    /// Number of comparison tokens (particles folded).
    pub fn len(&self) -> usize {
        self.tokens.len()
    }

    /// True if the name has no comparable token.
    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }

    /// The comparison-key tokens, as [`crate::tokens`] gives them.
    pub fn keys(&self) -> Vec<String> {
        self.tokens
            .iter()
            .map(|t| {
                let mut k = String::new();
                t.skeleton_into(&mut k);
                k
            })
            .collect()
    }

    /// The phonetic (blocking) key of every token, as [`crate::phonetic_keys`] gives them.
    pub fn phonetic_keys(&self) -> Vec<String> {
        self.tokens
            .iter()
            .map(crate::key::phonetic_of)
            .filter(|k| !k.is_empty())
            .collect()
    }

    /// Same as [`name_similarity`] on the two original strings.
    pub fn similarity(&self, other: &PreparedName) -> f64 {
        pair_tokens(self.tokens.len(), other.tokens.len(), |i, j| {
            spelling_similarity(&self.tokens[i], &other.tokens[j])
        })
    }

    /// Similarity of the best-matching single token pair: for comparing one given
    /// name against a full name without penalising the other tokens.
    pub fn best_token_similarity(&self, other: &PreparedName) -> f64 {
        let mut best = 0.0f64;
        for a in &self.tokens {
            for b in &other.tokens {
                best = best.max(spelling_similarity(a, b));
            }
        }
        best
    }
}

/// The similarity in [0, 1] of two names in any script or romanisation.
///
/// Each name is split into tokens with particles folded; each token is read into
/// the shared sound alphabet; token pairs are scored by a weighted alignment in
/// which what one script cannot express costs almost nothing (a Latin short vowel
/// against Arabic) and what both express costs in full (consonants, long and final
/// vowels); tokens are paired order-insensitively, with a small penalty for an
/// extra token. Symmetric. A name without any letters scores 0 against anything.
///
/// Calibration (see the tests): spellings of one name score ≥ [`crate::SAME_NAME`]
/// (0.85), mostly ≥ 0.9; different names that share a skeleton (Hassan/Hussein,
/// Mohammed/Mahmoud, Samira/Samir) score below it.
///
/// ```
/// use names::name_similarity as sim;
/// assert!(sim("Samira Bouazzaoui", "سميرة بوعزاوي") >= 0.9);
/// assert!(sim("Mohammed", "Mahmoud") < 0.85);
/// assert!(sim("Aisha Ahmed", "Fatima Ahmed") < 0.7);
/// ```
pub fn name_similarity(a: &str, b: &str) -> f64 {
    PreparedName::new(a).similarity(&PreparedName::new(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics() {
        assert_eq!(levenshtein("hasan", "hassan"), 1);
        assert_eq!(osa_distance("smaira", "samira"), 1);
        assert!(jaro_winkler("samira", "sameera") > 0.85);
        assert_eq!(normalised_levenshtein("", ""), 1.0);
    }

    #[test]
    fn exact_pairing_beats_greedy() {
        // Greedy takes the 0.9 first and is left with 0.0; the best pairing is 0.8 + 0.8.
        let m = [[0.9, 0.8], [0.8, 0.0]];
        let exact = pair_tokens(2, 2, |i, j| m[i][j]);
        assert!((exact - 0.8).abs() < 1e-9, "{exact}");
        let transposed = pair_tokens(2, 2, |i, j| m[j][i]);
        assert!((exact - transposed).abs() < 1e-12);
    }

    #[test]
    fn pairing() {
        assert_eq!(pair_tokens(0, 2, |_, _| 1.0), 0.0);
        assert_eq!(
            pair_tokens(2, 2, |i, j| if i == j { 1.0 } else { 0.0 }),
            1.0
        );
        let extra = pair_tokens(2, 3, |i, j| if i == j { 1.0 } else { 0.0 });
        assert!(extra > 0.9 && extra < 1.0);
    }
}
