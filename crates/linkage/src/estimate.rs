//! Estimating the Fellegi–Sunter parameters.
//!
//! u (the chance that a non-matching pair sits at a level) is estimated outside EM, as
//! is usual and robust: exactly from value frequencies for exact agreement, and from a
//! seeded sample of random pairs for the other levels (random pairs are nearly all
//! non-matches). m (the same chance for matching pairs) and the prior (the share of
//! matches among candidate pairs) come from expectation–maximisation over the candidate
//! pairs, run on the counts of distinct comparison patterns so its cost does not grow
//! with the number of pairs.

use crate::compare::{Gamma, Prepared};

/// Trained parameters. `m[c][g]` and `u[c][g]` for comparison `c` and level `g`
/// (`g = 0`, null, is unused).
#[derive(Debug, Clone)]
pub struct Parameters {
    /// Share of matches among the candidate pairs.
    pub prior: f64,
    /// Per comparison, per level: P(level | match).
    pub m: Vec<Vec<f64>>,
    /// Per comparison, per level: P(level | non-match).
    pub u: Vec<Vec<f64>>,
    /// EM iterations run.
    pub iterations: usize,
    /// Whether EM met its tolerance.
    pub converged: bool,
}

const FLOOR: f64 = 1e-9;

impl Parameters {
    /// Log2 Bayes factors per comparison and level; 0 for null.
    ///
    /// For a comparison whose m is fixed (`fixed_m`), a level never weighs more than the
    /// level before it ("else" aside): the fixed m say the levels are ordered strongest
    /// first, and where m / u says otherwise it is because u of a rare level was
    /// estimated from the few sampled pairs that reach it (a cross-script spelling whose
    /// key differs, say), so the weight is capped at the stronger level's. Where EM
    /// learnt m, the data may order the levels otherwise, and do.
    pub fn weights(&self, fixed_m: &[bool]) -> Vec<Vec<f64>> {
        self.m
            .iter()
            .zip(&self.u)
            .zip(fixed_m.iter().copied().chain(std::iter::repeat(false)))
            .map(|((m, u), fixed)| {
                let mut w: Vec<f64> = m
                    .iter()
                    .zip(u)
                    .enumerate()
                    .map(|(g, (m, u))| {
                        if g == 0 {
                            0.0
                        } else {
                            (m.max(FLOOR) / u.max(FLOOR)).log2()
                        }
                    })
                    .collect();
                let levels = w.len().saturating_sub(2);
                for g in 2..=levels {
                    if fixed {
                        w[g] = w[g].min(w[g - 1]);
                    }
                }
                w
            })
            .collect()
    }

    /// Starting m: most matches agree at the strongest level.
    pub fn initial_m(levels: usize) -> Vec<f64> {
        // gammas: null, levels..., else
        let mut m = vec![0.0; levels + 2];
        let mut rest = 1.0;
        for (g, slot) in m.iter_mut().enumerate().skip(1).take(levels) {
            let share = if g == 1 { 0.8 } else { 0.5 };
            *slot = rest * share;
            rest -= *slot;
        }
        m[levels + 1] = rest;
        m
    }
}

/// A tiny, seeded generator (splitmix64): enough for sampling pairs reproducibly.
pub struct SplitMix(pub u64);

impl SplitMix {
    /// Next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() as u128 * n as u128) >> 64) as usize
    }
}

/// Where the records of each side are: dedupe has one side `0..n`; a link has left
/// `0..n_left` and right `n_left..n`.
#[derive(Debug, Clone, Copy)]
pub enum Sides {
    /// Deduplicate `n` records.
    One(usize),
    /// Link `left` records (first) with `right` records (after them).
    Two { left: usize, right: usize },
}

/// Estimates u for every comparison.
pub fn estimate_u(prepared: &[Prepared], sides: Sides, samples: usize, seed: u64) -> Vec<Vec<f64>> {
    let mut rng = SplitMix(seed);
    let pairs: Vec<(usize, usize)> = (0..samples)
        .filter_map(|_| match sides {
            Sides::One(n) if n >= 2 => {
                let a = rng.below(n);
                let b = rng.below(n);
                (a != b).then_some((a, b))
            }
            Sides::Two { left, right } if left > 0 && right > 0 => {
                Some((rng.below(left), left + rng.below(right)))
            }
            _ => None,
        })
        .collect();
    use rayon::prelude::*;
    prepared
        .par_iter()
        .map(|p| {
            let k = p.n_gammas();
            let mut counts = vec![0f64; k];
            for &(a, b) in &pairs {
                counts[p.gamma(a, b) as usize] += 1.0;
            }
            counts[0] = 0.0;
            let total: f64 = counts.iter().sum();
            let mut u: Vec<f64> = if total > 0.0 {
                counts.iter().map(|c| c / total).collect()
            } else {
                let mut v = vec![0.0; k];
                v[k - 1] = 1.0;
                v
            };
            let floor = 0.5 / total.max(1.0);
            if p.exact_level == Some(1) {
                let exact = exact_u(p, sides);
                let others: f64 = u[2..].iter().sum();
                let scale = if others > 0.0 {
                    (1.0 - exact) / others
                } else {
                    0.0
                };
                for x in u[2..].iter_mut() {
                    *x *= scale;
                }
                u[1] = exact;
            }
            for x in u.iter_mut().skip(1) {
                *x = x.max(floor);
            }
            u[0] = 0.0;
            let s: f64 = u.iter().sum();
            u.iter().map(|x| x / s).collect()
        })
        .collect()
}

/// P(two non-null values agree exactly) for a random pair, from value frequencies.
fn exact_u(p: &Prepared, sides: Sides) -> f64 {
    match sides {
        Sides::One(_) => {
            let n: f64 = p.counts.iter().map(|&c| c as f64).sum();
            if n < 2.0 {
                return 0.0;
            }
            let same: f64 = p.counts.iter().map(|&c| c as f64 * (c as f64 - 1.0)).sum();
            same / (n * (n - 1.0))
        }
        Sides::Two { left, .. } => {
            let mut l = vec![0f64; p.counts.len()];
            let mut r = vec![0f64; p.counts.len()];
            for (i, &id) in p.ids.iter().enumerate() {
                if id != 0 {
                    if i < left {
                        l[id as usize] += 1.0;
                    } else {
                        r[id as usize] += 1.0;
                    }
                }
            }
            let (nl, nr): (f64, f64) = (l.iter().sum(), r.iter().sum());
            if nl == 0.0 || nr == 0.0 {
                return 0.0;
            }
            l.iter().zip(&r).map(|(a, b)| a * b).sum::<f64>() / (nl * nr)
        }
    }
}

/// Counted comparison patterns: each distinct vector of levels, the blocking rule that
/// produced the pairs, and how many pairs had it.
pub type Patterns = Vec<(Vec<Gamma>, usize, f64)>;

/// What EM may change and when it stops.
#[derive(Debug, Clone, Copy)]
pub struct EmSetup<'a> {
    /// `masked[rule][comparison]`: left out for pairs found by that rule.
    pub masked: &'a [Vec<bool>],
    /// Comparisons whose m is fixed by the model.
    pub fixed_m: &'a [bool],
    /// Keep u as estimated outside EM.
    pub fix_u: bool,
    /// Iteration limit.
    pub max_iterations: usize,
    /// Stop when no parameter moves more than this.
    pub tolerance: f64,
}

/// Runs EM for m and the prior (and u too when `fix_u` is false) over patterns.
///
/// Pairs found by a blocking rule agree on that rule's columns because of the rule, not
/// because they match, so within each rule the comparisons of its columns are left out
/// (`masked[rule][comparison]`), and each rule has its own share of matches
/// (`priors[rule]`, updated in place). `params.prior` is left to the caller.
pub fn em(
    patterns: &Patterns,
    setup: &EmSetup<'_>,
    priors: &mut [f64],
    mut params: Parameters,
) -> Parameters {
    let EmSetup {
        masked,
        fixed_m,
        fix_u,
        max_iterations,
        tolerance,
    } = *setup;
    let n_comp = params.m.len();
    let total: f64 = patterns.iter().map(|p| p.2).sum();
    if total == 0.0 {
        return params;
    }
    params.converged = false;
    for it in 0..max_iterations {
        let mut m_acc: Vec<Vec<f64>> = params.m.iter().map(|v| vec![0.0; v.len()]).collect();
        let mut u_acc = m_acc.clone();
        let mut matched = vec![0.0; priors.len()];
        let mut totals = vec![0.0; priors.len()];
        let lps: Vec<f64> = priors
            .iter()
            .map(|p| (p.max(FLOOR) / (1.0 - p).max(FLOOR)).ln())
            .collect();
        for (gammas, rule, count) in patterns {
            let mask = &masked[*rule];
            let mut logit = lps[*rule];
            for c in 0..n_comp {
                let g = gammas[c] as usize;
                if g != 0 && !mask[c] {
                    logit += (params.m[c][g].max(FLOOR) / params.u[c][g].max(FLOOR)).ln();
                }
            }
            let post = 1.0 / (1.0 + (-logit).exp());
            matched[*rule] += post * count;
            totals[*rule] += count;
            for c in 0..n_comp {
                if mask[c] {
                    continue;
                }
                let g = gammas[c] as usize;
                m_acc[c][g] += post * count;
                u_acc[c][g] += (1.0 - post) * count;
            }
        }
        let mut change: f64 = 0.0;
        for (r, prior) in priors.iter_mut().enumerate() {
            if totals[r] > 0.0 {
                let new_prior = (matched[r] / totals[r]).clamp(FLOOR, 1.0 - FLOOR);
                change = change.max((new_prior - *prior).abs());
                *prior = new_prior;
            }
        }
        for c in 0..n_comp {
            let normalise = |acc: &mut Vec<f64>| {
                acc[0] = 0.0;
                let s: f64 = acc.iter().sum();
                if s > 0.0 {
                    for x in acc.iter_mut() {
                        *x = (*x / s).max(FLOOR);
                    }
                }
                s > 0.0
            };
            if !fixed_m[c] && normalise(&mut m_acc[c]) {
                for (old, new) in params.m[c].iter_mut().zip(&m_acc[c]).skip(1) {
                    change = change.max((*old - new).abs());
                    *old = *new;
                }
            }
            if !fix_u && normalise(&mut u_acc[c]) {
                for (old, new) in params.u[c].iter_mut().zip(&u_acc[c]).skip(1) {
                    change = change.max((*old - new).abs());
                    *old = *new;
                }
            }
        }
        params.iterations = it + 1;
        if change < tolerance {
            params.converged = true;
            break;
        }
    }
    params
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn with_fixed_m_a_weaker_level_never_weighs_more_than_a_stronger_one() {
        let p = Parameters {
            prior: 0.01,
            // null, exact, similar (u from a handful of sampled pairs), typo, else
            m: vec![vec![0.0, 0.7, 0.12, 0.06, 0.12]],
            u: vec![vec![0.0, 0.015, 0.00005, 0.015, 0.97]],
            iterations: 0,
            converged: true,
        };
        let w = p.weights(&[true]);
        let exact = (0.7f64 / 0.015).log2();
        assert!((w[0][1] - exact).abs() < 1e-9);
        assert!(
            (w[0][2] - exact).abs() < 1e-9,
            "capped at the exact level: {:?}",
            w[0]
        );
        assert!((w[0][3] - 2.0).abs() < 1e-9, "a weaker level keeps its own");
        assert!(w[0][4] < 0.0, "else is not capped: {:?}", w[0]);
        // m learnt by EM is the data's word: nothing capped.
        let learnt = p.weights(&[false]);
        assert!(learnt[0][2] > learnt[0][1], "{:?}", learnt[0]);
    }

    /// Draws comparison vectors from a known two-class model and checks that EM finds
    /// m, u and the prior again.
    #[test]
    fn em_recovers_known_parameters() {
        let true_m = [
            vec![0.0, 0.85, 0.10, 0.05],
            vec![0.0, 0.7, 0.2, 0.1],
            vec![0.0, 0.9, 0.1],
        ];
        let true_u = [
            vec![0.0, 0.02, 0.08, 0.90],
            vec![0.0, 0.05, 0.15, 0.8],
            vec![0.0, 0.3, 0.7],
        ];
        let true_prior = 0.2;
        let mut rng = SplitMix(7);
        let mut counts: HashMap<Vec<Gamma>, f64> = HashMap::new();
        let draw = |rng: &mut SplitMix, dist: &[f64]| -> Gamma {
            let x = rng.next_u64() as f64 / u64::MAX as f64;
            let mut acc = 0.0;
            for (g, p) in dist.iter().enumerate().skip(1) {
                acc += p;
                if x < acc {
                    return g as Gamma;
                }
            }
            (dist.len() - 1) as Gamma
        };
        for _ in 0..200_000 {
            let is_match = (rng.next_u64() as f64 / u64::MAX as f64) < true_prior;
            let dists = if is_match { &true_m } else { &true_u };
            let v: Vec<Gamma> = dists.iter().map(|d| draw(&mut rng, d)).collect();
            *counts.entry(v).or_default() += 1.0;
        }
        let patterns: Patterns = counts.into_iter().map(|(g, n)| (g, 0, n)).collect();
        let init = Parameters {
            prior: 0.05,
            m: true_m
                .iter()
                .map(|d| Parameters::initial_m(d.len() - 2))
                .collect(),
            u: true_u
                .iter()
                .map(|d| {
                    let k = d.len();
                    let mut v = vec![0.0; k];
                    for (g, x) in v.iter_mut().enumerate().skip(1) {
                        *x = if g == k - 1 {
                            0.7
                        } else {
                            0.3 / (k - 2) as f64
                        };
                    }
                    v
                })
                .collect(),
            iterations: 0,
            converged: false,
        };
        let mut priors = vec![0.05];
        let setup = EmSetup {
            masked: &[vec![false; 3]],
            fixed_m: &[false; 3],
            fix_u: false,
            max_iterations: 500,
            tolerance: 1e-7,
        };
        let fitted = em(&patterns, &setup, &mut priors, init);
        assert!((priors[0] - true_prior).abs() < 0.01, "prior {}", priors[0]);
        for c in 0..3 {
            for g in 1..true_m[c].len() {
                assert!(
                    (fitted.m[c][g] - true_m[c][g]).abs() < 0.02,
                    "m[{c}][{g}] = {}",
                    fitted.m[c][g]
                );
                assert!(
                    (fitted.u[c][g] - true_u[c][g]).abs() < 0.02,
                    "u[{c}][{g}] = {}",
                    fitted.u[c][g]
                );
            }
        }
    }

    #[test]
    fn initial_m_sums_to_one() {
        let m = Parameters::initial_m(3);
        assert_eq!(m.len(), 5);
        assert!((m.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        assert!(m[1] > m[2]);
    }
}
