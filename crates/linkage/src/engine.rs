//! The linkage run: prepare, block, estimate, score, decide.
//!
//! Candidate pairs are walked twice, block by block in parallel: once to count the
//! distinct comparison patterns for EM, once to score and keep the pairs at or above the
//! keep threshold. Nothing else is stored per pair, so memory grows with the pairs kept,
//! not with all pairs scored.

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::blocking::{first_shared, parse_rule, RuleKeys};
use crate::cluster::{self, Link};
use crate::compare::{Gamma, Prepared};
use crate::error::LinkError;
use crate::estimate::{self, Parameters, Patterns, Sides};
use crate::model::{Clustering, Model};
use crate::table::Table;

/// Reports progress of the long stages; the binary draws a bar, tests stay silent.
pub trait Progress: Sync {
    /// A stage starts with `total` units of work.
    fn stage(&self, _name: &str, _total: u64) {}
    /// `n` units done.
    fn advance(&self, _n: u64) {}
}

/// Progress that reports nothing.
pub struct Silent;
impl Progress for Silent {}

/// What to link. The linker takes the records over, so a million records are held
/// once, not copied.
pub enum Task {
    /// Find the records of one table that are the same entity.
    Dedupe(Table),
    /// Find the records of `left` and `right` that are the same entity.
    Link {
        /// First file.
        left: Table,
        /// Second file.
        right: Table,
    },
}

/// A block too large to compare, reported in the summary.
#[derive(Debug, Clone)]
pub struct SkippedBlock {
    /// The rule, as written in the model.
    pub rule: String,
    /// Records in the block.
    pub records: usize,
}

/// Counts of one run.
#[derive(Debug, Clone, Default)]
pub struct Stats {
    /// Records linked (both sides).
    pub records: usize,
    /// Candidate pairs each rule added (after the union).
    pub pairs_per_rule: Vec<(String, u64)>,
    /// Blocks over `max_block_size`, not compared.
    pub skipped_blocks: Vec<SkippedBlock>,
    /// Pairs kept at or above the keep threshold.
    pub kept: usize,
}

/// One level of a trained comparison, for the model summary.
#[derive(Debug, Clone)]
pub struct LevelSummary {
    /// What the level means.
    pub label: String,
    /// P(level | match).
    pub m: f64,
    /// P(level | non-match).
    pub u: f64,
    /// log2(m / u): what agreeing at this level adds to the match weight.
    pub weight: f64,
}

/// A trained comparison, for the model summary.
#[derive(Debug, Clone)]
pub struct ComparisonSummary {
    /// Its name.
    pub name: String,
    /// Levels in order, then "else".
    pub levels: Vec<LevelSummary>,
    /// Whether term-frequency adjustment applies to its exact level.
    pub term_frequency: bool,
}

/// One comparison's part of a pair's match weight.
#[derive(Debug, Clone)]
pub struct Contribution {
    /// Comparison name.
    pub comparison: String,
    /// The level the pair reached ("null" when a value is missing).
    pub level: String,
    /// Weight added (including a term-frequency adjustment).
    pub weight: f64,
}

/// Options of a run that are not part of the model.
#[derive(Debug, Clone)]
pub struct Options {
    /// Keep scored pairs at or above this probability (at most the model's threshold).
    pub keep_probability: f64,
}

/// A trained linker over a set of records.
pub struct Linker {
    model: Model,
    table: Table,
    sides: Sides,
    prepared: Vec<Prepared>,
    rules: Vec<RuleKeys>,
    params: Parameters,
    weights: Vec<Vec<f64>>,
    tf_adjust: Vec<Option<Vec<f32>>>,
    rule_priors: Vec<f64>,
    /// Record `i` of the linker is record `input_row[i]` of the input (left then right).
    input_row: Vec<u32>,
    /// The inverse: input record `r` is record `position[r]` of the linker.
    position: Vec<u32>,
    /// Counts of the run.
    pub stats: Stats,
}

/// A permutation of the records grouping them by their first key under `rule`, left
/// records before right ones.
fn locality_order(table: &Table, rule: &str, sides: Sides) -> Result<Vec<u32>, LinkError> {
    let keys = RuleKeys::build(table, &parse_rule(rule)?)?;
    let left = match sides {
        Sides::One(n) => n,
        Sides::Two { left, .. } => left,
    };
    let mut order: Vec<u32> = (0..table.len() as u32).collect();
    order.par_sort_unstable_by_key(|&r| {
        let side = (r as usize) >= left;
        (side, keys.of(r).first().copied().unwrap_or(u64::MAX), r)
    });
    Ok(order)
}

/// Converts a log2 odds weight to a probability.
pub fn probability(weight: f64) -> f64 {
    let odds = weight.exp2();
    if odds.is_infinite() {
        1.0
    } else {
        odds / (1.0 + odds)
    }
}

/// Converts a probability to a log2 odds weight.
pub fn weight_of(probability: f64) -> f64 {
    let p = probability.clamp(1e-12, 1.0 - 1e-12);
    (p / (1.0 - p)).log2()
}

const MAX_COMPARISONS: usize = 28;
/// Candidate pairs (at most, counting block sizes) above which EM trains on a sample.
const TRAINING_PAIRS: f64 = 2_000_000.0;
/// Blocks per progress report: reporting every block would cost more than small blocks.
const PROGRESS_CHUNK: usize = 4096;

impl Linker {
    /// Prepares the records and trains the model on them.
    pub fn train(model: &Model, task: Task, progress: &dyn Progress) -> Result<Linker, LinkError> {
        let mut linker = Self::prepare(model, task, progress)?;
        progress.stage("estimating u", 1);
        linker.params.u = estimate::estimate_u(
            &linker.prepared,
            linker.sides,
            model.training.u_sample_pairs,
            model.training.seed,
        );
        progress.advance(1);
        linker.estimate(progress);
        Ok(linker)
    }

    /// A linker over `task`'s records with parameters learnt before (on other records of
    /// the same kind, with the same model): nothing is estimated, so scoring a few new
    /// records against a large registry costs only their preparation. Term-frequency
    /// adjustments are left out (they would come from these few records).
    pub fn with_parameters(
        model: &Model,
        task: Task,
        params: Parameters,
    ) -> Result<Linker, LinkError> {
        let mut linker = Self::prepare(model, task, &Silent)?;
        let shape = |p: &Parameters| -> Vec<usize> { p.m.iter().map(Vec::len).collect() };
        if shape(&params) != shape(&linker.params) || params.u.len() != params.m.len() {
            return Err(LinkError::Model(crate::error::ModelError::Invalid(
                "the saved parameters were learnt with another model; train again".into(),
            )));
        }
        linker.params = params;
        linker.set_weights();
        // Term frequencies are the records' own: a handful of records would make every
        // value rare. Without them an exact agreement weighs what it weighs on average.
        linker.tf_adjust = vec![None; linker.prepared.len()];
        Ok(linker)
    }

    /// Checks the model, takes the records over and prepares comparisons and blocks.
    fn prepare(model: &Model, task: Task, progress: &dyn Progress) -> Result<Linker, LinkError> {
        model.validate()?;
        if model.comparisons.len() > MAX_COMPARISONS {
            return Err(LinkError::Model(crate::error::ModelError::Invalid(
                format!(
                    "the model has {} comparisons; at most {MAX_COMPARISONS}",
                    model.comparisons.len()
                ),
            )));
        }
        let (table, sides) = match task {
            Task::Dedupe(t) => {
                let n = t.len();
                (t, Sides::One(n))
            }
            Task::Link { left, right } => {
                let sides = Sides::Two {
                    left: left.len(),
                    right: right.len(),
                };
                let mut t = left;
                t.append(&right);
                (t, sides)
            }
        };
        if let Some(c) = &model.decision.one_record_per {
            if table.column(c).is_none() {
                return Err(LinkError::MissingColumn {
                    column: c.clone(),
                    used_by: "decision.one_record_per".into(),
                });
            }
        }
        if table.len() < 2 {
            return Err(LinkError::Empty(
                "there are fewer than two records to compare".into(),
            ));
        }
        // Records likely to be compared are put next to each other in memory (ordered by
        // the first blocking rule's key, each side apart): scoring then reads memory
        // mostly in cache rather than at random, which is most of its cost at scale.
        let order = locality_order(&table, &model.blocking[0], sides)?;
        let table = table.permuted(&order);
        let mut input_row = order;
        let mut position = vec![0u32; input_row.len()];
        for (p, &r) in input_row.iter().enumerate() {
            position[r as usize] = p as u32;
        }
        let unmap = |e: LinkError, input_row: &[u32]| match e {
            LinkError::BadValue {
                row,
                column,
                value,
                expected,
            } => LinkError::BadValue {
                row: input_row[row] as usize,
                column,
                value,
                expected,
            },
            other => other,
        };
        progress.stage("preparing comparisons", model.comparisons.len() as u64);
        let mut prepared = Vec::new();
        for spec in &model.comparisons {
            prepared.push(Prepared::build(&table, spec).map_err(|e| unmap(e, &input_row))?);
            progress.advance(1);
        }
        progress.stage("building blocks", model.blocking.len() as u64);
        let mut rules = Vec::new();
        for rule in &model.blocking {
            rules.push(RuleKeys::build(&table, &parse_rule(rule)?)?);
            progress.advance(1);
        }
        let u = prepared
            .iter()
            .map(|p| vec![0.0; p.spec.levels.len() + 2])
            .collect();
        Ok(Linker {
            model: model.clone(),
            table,
            sides,
            params: Parameters {
                prior: 0.0,
                m: prepared
                    .iter()
                    .map(|p| match &p.spec.m {
                        Some(m) => {
                            let total: f64 = m.iter().sum();
                            std::iter::once(0.0)
                                .chain(m.iter().map(|x| x / total.max(1e-12)))
                                .collect()
                        }
                        None => Parameters::initial_m(p.spec.levels.len()),
                    })
                    .collect(),
                u,
                iterations: 0,
                converged: false,
            },
            prepared,
            rules,
            weights: Vec::new(),
            tf_adjust: Vec::new(),
            rule_priors: Vec::new(),
            input_row: std::mem::take(&mut input_row),
            position,
            stats: Stats::default(),
        })
    }

    /// Estimates m and the prior by EM over the candidate pairs (u already estimated).
    fn estimate(&mut self, progress: &dyn Progress) {
        let linker = self;
        let model = linker.model.clone();
        let model = &model;
        let patterns = linker.count_patterns(progress);
        let n_rules = linker.rules.len();
        let mut per_rule = vec![0f64; n_rules];
        for p in &patterns {
            per_rule[p.1] += p.2;
        }
        // Start each rule from "one match per record" among its candidates.
        let n = linker.table.len() as f64;
        let mut priors: Vec<f64> = per_rule
            .iter()
            .map(|c| (n / 2.0 / c.max(1.0)).clamp(1e-6, 0.5))
            .collect();
        let masked: Vec<Vec<bool>> = model
            .blocking
            .iter()
            .map(|rule| {
                let cols: Vec<String> = parse_rule(rule)
                    .map(|keys| keys.into_iter().map(|k| k.column).collect())
                    .unwrap_or_default();
                model
                    .comparisons
                    .iter()
                    .map(|c| cols.contains(&c.column))
                    .collect()
            })
            .collect();
        progress.stage("estimating m by EM", 1);
        let fixed_m: Vec<bool> = model.comparisons.iter().map(|c| c.m.is_some()).collect();
        let setup = estimate::EmSetup {
            masked: &masked,
            fixed_m: &fixed_m,
            fix_u: true,
            max_iterations: model.training.em_iterations,
            tolerance: model.training.em_tolerance,
        };
        linker.params = estimate::em(&patterns, &setup, &mut priors, linker.params.clone());
        // The scoring prior is per random pair: the expected matches among the candidates
        // spread over all possible pairs (blocking is meant to miss almost none).
        let matches: f64 = priors.iter().zip(&per_rule).map(|(p, c)| p * c).sum();
        let all_pairs = match linker.sides {
            Sides::One(n) => n as f64 * (n as f64 - 1.0) / 2.0,
            Sides::Two { left, right } => left as f64 * right as f64,
        };
        linker.params.prior = (matches / all_pairs.max(1.0)).clamp(1e-12, 0.5);
        linker.rule_priors = priors;
        progress.advance(1);
        linker.set_weights();
    }

    fn set_weights(&mut self) {
        let fixed_m: Vec<bool> = self.prepared.iter().map(|p| p.spec.m.is_some()).collect();
        self.weights = self.params.weights(&fixed_m);
        self.tf_adjust = self
            .prepared
            .iter()
            .enumerate()
            .map(|(c, p)| {
                let exact = p.exact_level?;
                if !p.spec.term_frequency {
                    return None;
                }
                let u_exact = self.params.u[c][exact as usize];
                let non_null: u64 = p.counts.iter().map(|&x| x as u64).sum();
                Some(
                    (0..p.counts.len())
                        .map(|id| {
                            let f = p.frequency(id as u32, non_null);
                            if f > 0.0 {
                                (u_exact / f).log2() as f32
                            } else {
                                0.0
                            }
                        })
                        .collect(),
                )
            })
            .collect();
    }

    /// Keeps the prior (the share of matches among all pairs) within `[low, high]`:
    /// records that held no duplicates yet when they were trained on would otherwise teach
    /// that a match is next to impossible, and records full of namesakes that the blocks
    /// pair up teach EM (with m fixed) that matches are everywhere.
    pub fn bound_prior(&mut self, low: f64, high: f64) {
        self.params.prior = self.params.prior.clamp(low.min(high), high.min(0.5));
    }

    /// The trained parameters.
    pub fn parameters(&self) -> &Parameters {
        &self.params
    }

    /// The records (for a link, left then right), in the linker's own order: record
    /// indexes in links and explanations refer to this table.
    pub fn table(&self) -> &Table {
        &self.table
    }

    /// The input position (left then right) of the linker's record `i`.
    pub fn input_row(&self, i: usize) -> usize {
        self.input_row[i] as usize
    }

    /// The linker's index of input record `r`.
    pub fn position(&self, r: usize) -> usize {
        self.position[r] as usize
    }

    /// Number of left records in a link (all records in a dedupe).
    pub fn n_left(&self) -> usize {
        match self.sides {
            Sides::One(n) => n,
            Sides::Two { left, .. } => left,
        }
    }

    /// The model it was trained with.
    pub fn model(&self) -> &Model {
        &self.model
    }

    /// The trained model in words: each comparison's levels with m, u and weight.
    pub fn summary(&self) -> Vec<ComparisonSummary> {
        self.prepared
            .iter()
            .enumerate()
            .map(|(c, p)| {
                let mut levels: Vec<LevelSummary> = p
                    .spec
                    .levels
                    .iter()
                    .enumerate()
                    .map(|(i, l)| LevelSummary {
                        label: l.label(),
                        m: self.params.m[c][i + 1],
                        u: self.params.u[c][i + 1],
                        weight: self.weights[c][i + 1],
                    })
                    .collect();
                let e = p.spec.levels.len() + 1;
                levels.push(LevelSummary {
                    label: "else".into(),
                    m: self.params.m[c][e],
                    u: self.params.u[c][e],
                    weight: self.weights[c][e],
                });
                ComparisonSummary {
                    name: p.spec.name.clone(),
                    levels,
                    term_frequency: p.spec.term_frequency,
                }
            })
            .collect()
    }

    /// Per blocking rule, the share of matches EM found among the pairs it added.
    pub fn rule_priors(&self) -> &[f64] {
        &self.rule_priors
    }

    /// The prior weight: log2 odds that two random records match.
    pub fn prior_weight(&self) -> f64 {
        weight_of(self.params.prior)
    }

    fn gammas(&self, a: usize, b: usize, out: &mut [Gamma]) {
        for (p, g) in self.prepared.iter().zip(out.iter_mut()) {
            *g = p.gamma(a, b);
        }
    }

    /// The match weight of any pair of records.
    pub fn weight(&self, a: usize, b: usize) -> f64 {
        self.weight_and_least(a, b).0
    }

    /// The pair's weight and the least of its comparisons' weights (how strongly one
    /// comparison speaks against it), in one pass and without allocating.
    pub fn weight_and_least(&self, a: usize, b: usize) -> (f64, f64) {
        let mut w = self.prior_weight();
        let mut least = f64::INFINITY;
        for (c, p) in self.prepared.iter().enumerate() {
            let g = p.gamma(a, b);
            let mut part = self.weights[c][g as usize];
            if Some(g) == p.exact_level {
                if let Some(tf) = &self.tf_adjust[c] {
                    part += tf[p.ids[a] as usize] as f64;
                }
            }
            w += part;
            least = least.min(part);
        }
        (w, least)
    }

    /// Why a pair scores as it does: each comparison's level and weight.
    pub fn explain(&self, a: usize, b: usize) -> Vec<Contribution> {
        self.prepared
            .iter()
            .enumerate()
            .map(|(c, p)| {
                let g = p.gamma(a, b);
                let mut w = self.weights[c][g as usize];
                if Some(g) == p.exact_level {
                    if let Some(tf) = &self.tf_adjust[c] {
                        w += tf[p.ids[a] as usize] as f64;
                    }
                }
                let level = match g as usize {
                    0 => "null".to_string(),
                    i if i <= p.spec.levels.len() => p.spec.levels[i - 1].label(),
                    _ => "else".to_string(),
                };
                Contribution {
                    comparison: p.spec.name.clone(),
                    level,
                    weight: w,
                }
            })
            .collect()
    }

    /// Blocks to walk: (rule index, range in that rule's sorted entries), kept compact
    /// (12 bytes a block) as there can be millions.
    fn blocks(&self) -> (Vec<(u32, u32, u32)>, Vec<SkippedBlock>) {
        let mut compact: Vec<(u32, u32, u32)> = Vec::new();
        let mut skipped = Vec::new();
        for (r, rk) in self.rules.iter().enumerate() {
            for range in rk.blocks() {
                if range.len() > self.model.decision.max_block_size {
                    skipped.push(SkippedBlock {
                        rule: self.model.blocking[r].clone(),
                        records: range.len(),
                    });
                } else {
                    compact.push((r as u32, range.start as u32, range.end as u32));
                }
            }
        }
        // Big blocks first, so the parallel walk does not end on one long block.
        compact.sort_by_key(|&(_, a, b)| std::cmp::Reverse(b - a));
        (compact, skipped)
    }

    /// Calls `f(a, b, state)` once for every candidate pair of one block.
    fn walk_block<S>(
        &self,
        rule: usize,
        range: std::ops::Range<usize>,
        rows: &mut Vec<u32>,
        state: &mut S,
        f: &impl Fn(&Linker, u32, u32, &mut S),
    ) -> u64 {
        let (key, members) = self.rules[rule].block(range);
        rows.clear();
        rows.extend(members);
        let split = match self.sides {
            Sides::One(_) => 0,
            Sides::Two { left, .. } => rows.partition_point(|&r| (r as usize) < left),
        };
        let mut emitted = 0u64;
        let mut visit = |a: u32, b: u32, state: &mut S| {
            let rk = &self.rules[rule];
            let (ka, kb) = (rk.of(a), rk.of(b));
            if (ka.len() > 1 || kb.len() > 1) && first_shared(ka, kb) != Some(key) {
                return;
            }
            for earlier in &self.rules[..rule] {
                if first_shared(earlier.of(a), earlier.of(b)).is_some() {
                    return;
                }
            }
            emitted += 1;
            f(self, a, b, state);
        };
        match self.sides {
            Sides::One(_) => {
                for i in 0..rows.len() {
                    for j in i + 1..rows.len() {
                        visit(rows[i], rows[j], state);
                    }
                }
            }
            Sides::Two { .. } => {
                for i in 0..split {
                    for j in split..rows.len() {
                        visit(rows[i], rows[j], state);
                    }
                }
            }
        }
        emitted
    }

    fn count_patterns(&mut self, progress: &dyn Progress) -> Patterns {
        let (mut blocks, skipped) = self.blocks();
        self.stats.skipped_blocks = skipped;
        self.stats.records = self.table.len();
        // EM needs the distribution of comparison patterns, not every pair: past a few
        // million candidate pairs a seeded sample of whole blocks gives it, and its
        // counts are scaled back up. Scoring still walks every block.
        let bound: f64 = blocks
            .iter()
            .map(|&(_, a, b)| {
                let k = (b - a) as f64;
                k * (k - 1.0) / 2.0
            })
            .sum();
        let rate = (TRAINING_PAIRS / bound.max(1.0)).min(1.0);
        if rate < 1.0 {
            let cut = (rate * u64::MAX as f64) as u64;
            let seed = self.model.training.seed;
            blocks.retain(|&(r, a, _)| {
                let mut h = estimate::SplitMix(seed ^ ((r as u64) << 40) ^ a as u64);
                h.next_u64() <= cut
            });
        }
        let scale = 1.0 / rate;
        progress.stage("counting comparison patterns", blocks.len() as u64);
        let n_rules = self.rules.len();
        let this = &*self;
        type Acc = (FxHashMap<u128, f64>, Vec<u64>, Vec<u32>);
        let rule_shift = 4 * MAX_COMPARISONS;
        let (counts, per_rule, _) = blocks
            .par_chunks(PROGRESS_CHUNK)
            .flat_map_iter(|chunk| {
                progress.advance(chunk.len() as u64);
                chunk.iter()
            })
            .fold(
                || -> Acc { (FxHashMap::default(), vec![0u64; n_rules], Vec::new()) },
                |mut acc, &(r, start, end)| {
                    let r = r as usize;
                    let mut rows = std::mem::take(&mut acc.2);
                    let rule_bits = (r as u128) << rule_shift;
                    let range = start as usize..end as usize;
                    let n = this.walk_block(r, range, &mut rows, &mut acc.0, &|l, a, b, map| {
                        let mut key = rule_bits;
                        for (i, p) in l.prepared.iter().enumerate() {
                            key |= (p.gamma(a as usize, b as usize) as u128) << (4 * i);
                        }
                        *map.entry(key).or_default() += scale;
                    });
                    acc.1[r] += n;
                    acc.2 = rows;
                    acc
                },
            )
            .reduce(
                || (FxHashMap::default(), vec![0u64; n_rules], Vec::new()),
                |mut x, y| {
                    for (k, v) in y.0 {
                        *x.0.entry(k).or_default() += v;
                    }
                    for (a, b) in x.1.iter_mut().zip(&y.1) {
                        *a += b;
                    }
                    x
                },
            );
        self.stats.pairs_per_rule = self
            .model
            .blocking
            .iter()
            .cloned()
            .zip(per_rule.into_iter().map(|n| (n as f64 * scale) as u64))
            .collect();
        let n_comp = self.prepared.len();
        counts
            .into_iter()
            .map(|(k, v)| {
                let g: Vec<Gamma> = (0..n_comp)
                    .map(|i| ((k >> (4 * i)) & 0xF) as Gamma)
                    .collect();
                (g, (k >> rule_shift) as usize, v)
            })
            .collect()
    }

    /// Scores every candidate pair and keeps those at or above `options.keep_probability`.
    pub fn score(&mut self, options: &Options, progress: &dyn Progress) -> Vec<Link> {
        let keep = weight_of(options.keep_probability.min(self.model.decision.threshold)) as f32;
        let (blocks, _) = self.blocks();
        progress.stage("scoring pairs", blocks.len() as u64);
        let this = &*self;
        let n_rules = self.rules.len();
        type Acc = (Vec<Link>, Vec<u32>, Vec<Gamma>, Vec<u64>);
        let (mut links, per_rule) = blocks
            .par_chunks(PROGRESS_CHUNK)
            .flat_map_iter(|chunk| {
                progress.advance(chunk.len() as u64);
                chunk.iter()
            })
            .fold(
                || -> Acc {
                    (
                        Vec::new(),
                        Vec::new(),
                        vec![0 as Gamma; MAX_COMPARISONS],
                        vec![0u64; n_rules],
                    )
                },
                |mut acc, &(r, start, end)| {
                    let mut rows = std::mem::take(&mut acc.1);
                    let mut state = (std::mem::take(&mut acc.0), std::mem::take(&mut acc.2));
                    let range = start as usize..end as usize;
                    let n = this.walk_block(
                        r as usize,
                        range,
                        &mut rows,
                        &mut state,
                        &|l, a, b, st| {
                            let w = l.weight_fast(a as usize, b as usize, &mut st.1) as f32;
                            if w >= keep {
                                st.0.push(Link { a, b, weight: w });
                            }
                        },
                    );
                    acc.3[r as usize] += n;
                    (state.0, rows, state.1, acc.3)
                },
            )
            .map(|acc| (acc.0, acc.3))
            .reduce(
                || (Vec::new(), vec![0u64; n_rules]),
                |(mut x, mut xr), (mut y, yr)| {
                    if x.len() < y.len() {
                        std::mem::swap(&mut x, &mut y);
                    }
                    x.extend(y);
                    for (a, b) in xr.iter_mut().zip(&yr) {
                        *a += b;
                    }
                    (x, xr)
                },
            );
        // The exact number of candidate pairs per rule (training may have sampled).
        self.stats.pairs_per_rule = self.model.blocking.iter().cloned().zip(per_rule).collect();
        links.sort_by_key(|l| (l.a, l.b));
        self.stats.kept = links.len();
        links
    }

    fn weight_fast(&self, a: usize, b: usize, scratch: &mut [Gamma]) -> f64 {
        self.gammas(a, b, scratch);
        let mut w = self.prior_weight();
        for (c, p) in self.prepared.iter().enumerate() {
            let g = scratch[c];
            w += self.weights[c][g as usize];
            if Some(g) == p.exact_level {
                if let Some(tf) = &self.tf_adjust[c] {
                    w += tf[p.ids[a] as usize] as f64;
                }
            }
        }
        w
    }

    /// The links at or above the model's threshold, as the model's decision settings say:
    /// for a link between files, one-to-one when asked.
    pub fn decide(&self, scored: &[Link]) -> Vec<Link> {
        let t = weight_of(self.model.decision.threshold) as f32;
        let links: Vec<Link> = scored.iter().copied().filter(|l| l.weight >= t).collect();
        if self.model.decision.one_to_one && matches!(self.sides, Sides::Two { .. }) {
            let mut kept = cluster::one_to_one(&links);
            kept.sort_by_key(|l| (l.a, l.b));
            kept
        } else {
            links
        }
    }

    /// Clusters of a deduplication, in input order: per input record, the input index of
    /// its cluster's earliest input record.
    pub fn cluster(&self, links: &[Link]) -> Vec<u32> {
        let n = self.table.len();
        // Cluster in input numbering, so that "earliest" means earliest in the input.
        let input_links: Vec<Link> = links
            .iter()
            .map(|l| {
                let (a, b) = (self.input_row[l.a as usize], self.input_row[l.b as usize]);
                Link {
                    a: a.min(b),
                    b: a.max(b),
                    weight: l.weight,
                }
            })
            .collect();
        let fraction = self.model.decision.min_link_fraction;
        match (self.model.decision.clustering, self.exclusive_groups()) {
            (Clustering::ConnectedComponents, _) => cluster::connected_components(n, &input_links),
            (Clustering::Constrained, None) => cluster::constrained(n, &input_links, fraction),
            (Clustering::Constrained, Some(groups)) => {
                cluster::constrained_exclusive(n, &input_links, fraction, &groups)
            }
        }
    }

    /// Per input record, its group under `decision.one_record_per` (0 when the value is
    /// empty: such a record is exclusive of nothing).
    fn exclusive_groups(&self) -> Option<Vec<u32>> {
        let column = self
            .table
            .column(self.model.decision.one_record_per.as_deref()?)?;
        let mut ids: FxHashMap<&str, u32> = FxHashMap::default();
        let mut groups = vec![0u32; self.table.len()];
        for (row, &input) in self.input_row.iter().enumerate() {
            let v = column.get(row);
            if !v.is_empty() {
                let next = ids.len() as u32 + 1;
                groups[input as usize] = *ids.entry(v).or_insert(next);
            }
        }
        Some(groups)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Table {
        let mut t = Table::new(vec!["name".into(), "city".into()]);
        t.push("1", &["anna", "oslo"]);
        t.push("2", &["anna", "oslo"]);
        t.push("3", &["anna", "bergen"]);
        t.push("4", &["boris", "oslo"]);
        t
    }

    const MODEL: &str = r#"
blocking = ["name", "city", "name, city"]
[training]
u_sample_pairs = 100
[[comparison]]
name = "name"
column = "name"
levels = [{ kind = "exact" }]
[[comparison]]
name = "city"
column = "city"
levels = [{ kind = "exact" }]
"#;

    #[test]
    fn the_union_of_rules_scores_each_pair_once() {
        let model = Model::from_toml(MODEL).unwrap();
        let mut linker = Linker::train(&model, Task::Dedupe(table()), &Silent).unwrap();
        let per_rule: Vec<u64> = linker.stats.pairs_per_rule.iter().map(|r| r.1).collect();
        // name: 1-2, 1-3, 2-3; city adds 1-4, 2-4 (1-2 already taken); name+city adds none.
        assert_eq!(per_rule, vec![3, 2, 0]);
        let scored = linker.score(
            &Options {
                keep_probability: 0.0,
            },
            &Silent,
        );
        assert_eq!(scored.len(), 5);
        let mut seen: Vec<(u32, u32)> = scored.iter().map(|l| (l.a, l.b)).collect();
        seen.dedup();
        assert_eq!(seen.len(), 5);
    }

    #[test]
    fn explanation_adds_up_to_the_weight() {
        let model = Model::from_toml(MODEL).unwrap();
        let linker = Linker::train(&model, Task::Dedupe(table()), &Silent).unwrap();
        let (a, b) = (linker.position(0), linker.position(1));
        let parts: f64 = linker.explain(a, b).iter().map(|c| c.weight).sum();
        assert!((linker.prior_weight() + parts - linker.weight(a, b)).abs() < 1e-9);
    }

    #[test]
    fn linking_two_files_pairs_only_across_them() {
        let model = Model::from_toml(MODEL).unwrap();
        let mut right = Table::new(vec!["name".into(), "city".into()]);
        right.push("r1", &["anna", "oslo"]);
        let mut linker = Linker::train(
            &model,
            Task::Link {
                left: table(),
                right,
            },
            &Silent,
        )
        .unwrap();
        let scored = linker.score(
            &Options {
                keep_probability: 0.0,
            },
            &Silent,
        );
        let n_left = linker.n_left() as u32;
        assert!(!scored.is_empty());
        assert!(scored.iter().all(|l| l.a < n_left && l.b >= n_left));
    }
}
