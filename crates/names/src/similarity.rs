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
/// pairwise similarities, independent of order. Greedy on the best remaining pair,
/// which is exact for the few tokens names have in nearly every case.
///
/// score = Σ paired similarities / (pairs + EXTRA_TOKEN_PENALTY × unpaired tokens).
/// Two tokens that exist on both sides are always paired, so a *different* given
/// name (Aisha Ahmed / Fatima Ahmed) costs fully, while an *extra* token costs little.
fn pair_tokens(n: usize, m: usize, sim: impl Fn(usize, usize) -> f64) -> f64 {
    if n == 0 || m == 0 {
        return 0.0;
    }
    let mut scores: Vec<(f64, usize, usize)> = Vec::with_capacity(n * m);
    for i in 0..n {
        for j in 0..m {
            scores.push((sim(i, j), i, j));
        }
    }
    // Highest first; ties broken by position so the result is deterministic.
    scores.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
    let (mut used_a, mut used_b) = (0u64, 0u64);
    let pairs = n.min(m);
    let mut total = 0.0;
    let mut paired = 0;
    for (s, i, j) in scores {
        if paired == pairs {
            break;
        }
        let (bi, bj) = (1u64 << (i % 64), 1u64 << (j % 64));
        if used_a & bi != 0 || used_b & bj != 0 {
            continue;
        }
        used_a |= bi;
        used_b |= bj;
        total += s;
        paired += 1;
    }
    let extra = (n.max(m) - pairs) as f64;
    (total / (pairs as f64 + EXTRA_TOKEN_PENALTY * extra)).clamp(0.0, 1.0)
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
