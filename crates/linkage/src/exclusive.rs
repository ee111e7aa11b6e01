//! Match probabilities under "a list holds a person once".
//!
//! Fellegi–Sunter scores each pair on its own: the odds that records `a` and `b` are one
//! person are the prior odds times the likelihood ratio of their comparisons, whatever
//! the other records look like. When each list holds a person at most once, the other
//! records are evidence too: the records of two lists A and B that are one person form
//! a *matching* (each record in at most one pair), and a pair is one person only in the
//! matchings that hold it. With `O(a,b)` the Fellegi–Sunter odds of a pair (its
//! likelihood ratio times one in the number of people) and `cover(A→B)` the share of
//! A's records whose person is on B, a matching `M` has weight
//!
//! ```text
//! w(M) = Π_{(a,b) ∈ M} O(a,b) / ((1 - cover(A→B)) · (1 - cover(B→A)))
//! ```
//!
//! against "nobody matched" (each record left out of `M` is a person missing from the
//! other list), and `P(a = b)` is the weight of the matchings that hold `(a, b)` over
//! the weight of all. So two records that are each the other's only plausible match gain:
//! they are two people only if both people are missing from the other list. A record
//! with two plausible namesakes on the other list shares its evidence between them, and
//! neither may reach the threshold. With both covers 0 and no rivals, `P` is
//! Fellegi–Sunter's `O / (O + 1)`.
//!
//! The matchings are summed exactly over each connected group of pairs between two lists
//! (a dynamic programme over the subsets of its smaller side, up to [`EXACT_SIDE`]
//! records); a larger group, rare in practice, gets the one-sided approximation of
//! [`approximate`]. Only the scored pairs kept are summed over (the rest are far below
//! any threshold and add little). The covers come from the pairs themselves, without the
//! truth: the expected number of A's records matched on B (the sum of the pairs'
//! probabilities) over the number of A's records, starting from the Fellegi–Sunter
//! probabilities and refined for [`ROUNDS`] rounds.

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::cluster::Link;

/// Rounds of estimating the covers from the probabilities they give.
const ROUNDS: usize = 3;
/// Covers are kept inside these bounds: no list is taken to hold everyone of another,
/// or no one.
const COVER_MIN: f64 = 0.05;
const COVER_MAX: f64 = 0.95;
/// Groups whose smaller side has at most this many records are summed exactly
/// (`2^EXACT_SIDE` subsets per record of the larger side).
const EXACT_SIDE: usize = 12;
/// Odds are held within `2^±ODDS_BITS`, so that a product of [`EXACT_SIDE`] of them
/// stays a finite `f64`; a pair that sure is sure either way.
const ODDS_BITS: f64 = 50.0;

/// Rewrites the weight (log2 odds) of every link between records of two different
/// lists as its probability under "a list holds a person once" (module docs).
/// `list[r]` is record `r`'s list, `0` for a record that may be any number of times in
/// its list (or whose list is unknown): links with such a record are left as they are.
/// Links for which `settled` holds (weighed already by other evidence that takes the
/// other records into account) keep their weight, but count as rivals of the others.
pub fn one_per_list(links: &mut [Link], list: &[u32], settled: &(dyn Fn(&Link) -> bool + Sync)) {
    let groups = Groups::new(links, list);
    if groups.edges.is_empty() {
        return;
    }
    let mut probability: Vec<f64> = groups
        .edges
        .iter()
        .map(|e| e.odds / (1.0 + e.odds))
        .collect();
    let mut odds = vec![0.0; groups.edges.len()];
    for _ in 0..ROUNDS {
        let cover = groups.covers(&probability);
        for component in &groups.components {
            let (ga, gb) = component.lists;
            let missing = (1.0 - cover[&(ga, gb)]) * (1.0 - cover[&(gb, ga)]);
            component.posterior_odds(&groups.edges, missing, &mut odds);
        }
        for (p, &o) in probability.iter_mut().zip(&odds) {
            *p = o / (1.0 + o);
        }
    }
    // Only links whose weight moves are asked whether they are settled: the question may
    // cost a full comparison of the pair, so it is asked on all cores.
    let moved: Vec<(usize, f32)> = groups
        .edges
        .iter()
        .zip(&odds)
        .map(|(e, &o)| (e.link, o.log2().clamp(-ODDS_BITS, ODDS_BITS) as f32))
        .filter(|&(link, weight)| weight != links[link].weight)
        .collect();
    let shared: &[Link] = links;
    let unsettled: Vec<(usize, f32)> = moved
        .into_par_iter()
        .filter(|&(link, _)| !settled(&shared[link]))
        .collect();
    for (link, weight) in unsettled {
        links[link].weight = weight;
    }
}

/// One link between records of two lists, as an edge of its group.
struct Edge {
    link: usize,
    /// Index of the record of the first list (of the component's two) within the
    /// component, and of the record of the second.
    first: usize,
    second: usize,
    odds: f64,
}

/// A connected group of links between the records of two lists.
struct Component {
    /// The two lists, the first one's records being `first`.
    lists: (u32, u32),
    first: usize,
    second: usize,
    edges: Vec<usize>,
}

/// The links between lists, in connected groups, with the records of each list counted.
struct Groups {
    edges: Vec<Edge>,
    components: Vec<Component>,
    records: FxHashMap<u32, f64>,
    /// Per edge, its ordered pair of lists.
    lists: Vec<(u32, u32)>,
}

impl Groups {
    fn new(links: &[Link], list: &[u32]) -> Groups {
        let mut records: FxHashMap<u32, f64> = FxHashMap::default();
        for &g in list.iter().filter(|&&g| g != 0) {
            *records.entry(g).or_default() += 1.0;
        }
        // Links oriented from the smaller list number to the larger, then grouped by
        // connected records within each pair of lists.
        let mut oriented: Vec<(u32, u32, u32, u32, usize)> = Vec::new();
        for (i, l) in links.iter().enumerate() {
            let (ga, gb) = (list[l.a as usize], list[l.b as usize]);
            if ga == 0 || gb == 0 || ga == gb {
                continue;
            }
            let (a, b, ga, gb) = if ga < gb {
                (l.a, l.b, ga, gb)
            } else {
                (l.b, l.a, gb, ga)
            };
            oriented.push((ga, gb, a, b, i));
        }
        let mut dsu = Dsu::default();
        for &(ga, gb, a, b, _) in &oriented {
            dsu.union((ga, gb, a, true), (ga, gb, b, false));
        }
        let mut by_root: FxHashMap<usize, Vec<usize>> = FxHashMap::default();
        for (k, &(ga, gb, a, _, _)) in oriented.iter().enumerate() {
            let root = dsu.find((ga, gb, a, true));
            by_root.entry(root).or_default().push(k);
        }
        let mut roots: Vec<usize> = by_root.keys().copied().collect();
        roots.sort_unstable();
        let mut groups = Groups {
            edges: Vec::with_capacity(oriented.len()),
            components: Vec::with_capacity(roots.len()),
            records,
            lists: Vec::with_capacity(oriented.len()),
        };
        for root in roots {
            let members = &by_root[&root];
            let (mut firsts, mut seconds) = (FxHashMap::default(), FxHashMap::default());
            let mut component = Component {
                lists: (oriented[members[0]].0, oriented[members[0]].1),
                first: 0,
                second: 0,
                edges: Vec::with_capacity(members.len()),
            };
            for &k in members {
                let (ga, gb, a, b, i) = oriented[k];
                component.edges.push(groups.edges.len());
                groups.edges.push(Edge {
                    link: i,
                    first: index_of(&mut firsts, a),
                    second: index_of(&mut seconds, b),
                    odds: (links[i].weight as f64).clamp(-ODDS_BITS, ODDS_BITS).exp2(),
                });
                groups.lists.push((ga, gb));
            }
            component.first = firsts.len();
            component.second = seconds.len();
            groups.components.push(component);
        }
        groups
    }

    /// Per ordered pair of lists (A, B), the share of A's records whose person is on B:
    /// the expected number of matched records over the number of records.
    fn covers(&self, probability: &[f64]) -> FxHashMap<(u32, u32), f64> {
        let mut expected: FxHashMap<(u32, u32), f64> = FxHashMap::default();
        for (&(ga, gb), &p) in self.lists.iter().zip(probability) {
            *expected.entry((ga, gb)).or_default() += p;
            *expected.entry((gb, ga)).or_default() += p;
        }
        expected
            .into_iter()
            .map(|((ga, gb), e)| {
                let share = e / self.records[&ga].max(1.0);
                ((ga, gb), share.clamp(COVER_MIN, COVER_MAX))
            })
            .collect()
    }
}

/// The index of `r` among the records `seen` so far, the next one when new.
fn index_of(seen: &mut FxHashMap<u32, usize>, r: u32) -> usize {
    let next = seen.len();
    *seen.entry(r).or_insert(next)
}

/// Union-find over (first list, second list, record, is of the first list).
#[derive(Default)]
struct Dsu {
    index: FxHashMap<(u32, u32, u32, bool), usize>,
    parent: Vec<usize>,
}

impl Dsu {
    fn id(&mut self, key: (u32, u32, u32, bool)) -> usize {
        let next = self.parent.len();
        let id = *self.index.entry(key).or_insert(next);
        if id == next {
            self.parent.push(next);
        }
        id
    }

    fn find(&mut self, key: (u32, u32, u32, bool)) -> usize {
        let mut x = self.id(key);
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }

    fn union(&mut self, a: (u32, u32, u32, bool), b: (u32, u32, u32, bool)) {
        let (ra, rb) = (self.find(a), self.find(b));
        self.parent[ra.max(rb)] = ra.min(rb);
    }
}

impl Component {
    /// Writes each edge's posterior odds into `out` (indexed like `edges`); `missing` is
    /// the weight of two records both left unmatched, `(1 - cover) · (1 - cover')`.
    fn posterior_odds(&self, edges: &[Edge], missing: f64, out: &mut [f64]) {
        let rho: Vec<f64> = self
            .edges
            .iter()
            .map(|&e| (edges[e].odds / missing).clamp(ODDS_BITS.exp2().recip(), ODDS_BITS.exp2()))
            .collect();
        // The smaller side is enumerated by subsets, the larger walked record by record.
        let first_small = self.first <= self.second;
        let (small, large) = if first_small {
            (self.first, self.second)
        } else {
            (self.second, self.first)
        };
        let sides: Vec<(usize, usize)> = self
            .edges
            .iter()
            .map(|&e| {
                let (f, s) = (edges[e].first, edges[e].second);
                if first_small {
                    (s, f)
                } else {
                    (f, s)
                }
            })
            .collect();
        let odds = if small <= EXACT_SIDE {
            exact(large, small, &sides, &rho)
        } else {
            approximate(large, small, &sides, &rho)
        };
        for (&e, o) in self.edges.iter().zip(odds) {
            out[e] = o;
        }
    }
}

/// Exact posterior odds of each edge `(large record, small record)` with weight `rho`:
/// the summed weight of the matchings holding it over that of those that do not.
fn exact(large: usize, small: usize, edges: &[(usize, usize)], rho: &[f64]) -> Vec<f64> {
    let states = 1usize << small;
    let mut adjacent: Vec<Vec<usize>> = vec![Vec::new(); large];
    for (k, &(l, _)) in edges.iter().enumerate() {
        adjacent[l].push(k);
    }
    // forward[i][mask]: weight of the matchings of large records 0..i using exactly the
    // small records in `mask`.
    let mut forward = vec![vec![0.0f64; states]; large + 1];
    forward[0][0] = 1.0;
    for i in 0..large {
        let (done, rest) = forward.split_at_mut(i + 1);
        let (from, to) = (&done[i], &mut rest[0]);
        to.copy_from_slice(from);
        for &k in &adjacent[i] {
            let bit = 1usize << edges[k].1;
            for mask in (0..states).filter(|m| m & bit == 0) {
                to[mask | bit] += from[mask] * rho[k];
            }
        }
    }
    // backward[mask]: weight of the matchings of large records i.. given `mask` taken.
    let mut backward = vec![1.0f64; states];
    let mut holding = vec![0.0f64; edges.len()];
    for i in (0..large).rev() {
        for &k in &adjacent[i] {
            let bit = 1usize << edges[k].1;
            holding[k] = (0..states)
                .filter(|m| m & bit == 0)
                .map(|mask| forward[i][mask] * rho[k] * backward[mask | bit])
                .sum();
        }
        let mut before = backward.clone();
        for &k in &adjacent[i] {
            let bit = 1usize << edges[k].1;
            for (mask, b) in before.iter_mut().enumerate().filter(|(m, _)| m & bit == 0) {
                *b += rho[k] * backward[mask | bit];
            }
        }
        backward = before;
    }
    let total = backward[0];
    holding
        .into_iter()
        .map(|h| h / (total - h).max(total * f64::EPSILON))
        .collect()
}

/// Posterior odds for a group too large to sum exactly: each edge `(l, s)` is weighed
/// among the other edges of `l`, each discounted by how much its own small record is
/// wanted elsewhere, and the same from `s`'s side; the lower of the two is kept.
fn approximate(large: usize, small: usize, edges: &[(usize, usize)], rho: &[f64]) -> Vec<f64> {
    let (mut of_large, mut of_small) = (vec![0.0; large], vec![0.0; small]);
    for (&(l, s), &r) in edges.iter().zip(rho) {
        of_large[l] += r;
        of_small[s] += r;
    }
    // Each edge as an alternative: seen from its large record, its weight discounted by
    // its small record's other edges; seen from its small record, the same the other
    // way. Summed per record, so that an edge's rivals are its record's sum less itself.
    let via_small = |s: usize, r: f64| r / (1.0 + of_small[s] - r);
    let via_large = |l: usize, r: f64| r / (1.0 + of_large[l] - r);
    let (mut rivals_of_large, mut rivals_of_small) = (vec![0.0; large], vec![0.0; small]);
    for (&(l, s), &r) in edges.iter().zip(rho) {
        rivals_of_large[l] += via_small(s, r);
        rivals_of_small[s] += via_large(l, r);
    }
    edges
        .iter()
        .zip(rho)
        .map(|(&(l, s), &r)| {
            let (own_large, own_small) = (via_small(s, r), via_large(l, r));
            let large_side = (rivals_of_large[l] - own_large).max(0.0);
            let small_side = (rivals_of_small[s] - own_small).max(0.0);
            let from_large = own_large / (1.0 + large_side);
            let from_small = own_small / (1.0 + small_side);
            from_large.min(from_small)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::probability;

    fn link(a: u32, b: u32, weight: f32) -> Link {
        Link { a, b, weight }
    }

    /// A link's match probability.
    fn chance(l: &Link) -> f64 {
        probability(l.weight as f64)
    }

    /// Lists 1 and 2 of `n` records each; records `0..n` are list 1, `n..2n` list 2.
    fn two_lists(n: u32) -> Vec<u32> {
        (0..2 * n).map(|r| if r < n { 1 } else { 2 }).collect()
    }

    /// Ten people on both lists of `n` records each, linked surely (records `i` and
    /// `n + i`), as the background that the covers are estimated from.
    fn sure_links(n: u32) -> Vec<Link> {
        (0..10).map(|i| link(i, n + i, 20.0)).collect()
    }

    /// Sums the matchings of a small group by brute force: per edge, the posterior odds.
    fn brute_force(edges: &[(usize, usize)], rho: &[f64]) -> Vec<f64> {
        let n = edges.len();
        let (mut holding, mut total) = (vec![0.0; n], 0.0);
        for set in 0..1usize << n {
            let chosen: Vec<usize> = (0..n).filter(|k| set >> k & 1 == 1).collect();
            let disjoint = chosen.iter().enumerate().all(|(x, &i)| {
                chosen[x + 1..]
                    .iter()
                    .all(|&j| edges[i].0 != edges[j].0 && edges[i].1 != edges[j].1)
            });
            if !disjoint {
                continue;
            }
            let w: f64 = chosen.iter().map(|&k| rho[k]).product();
            total += w;
            for &k in &chosen {
                holding[k] += w;
            }
        }
        holding.iter().map(|h| h / (total - h)).collect()
    }

    #[test]
    fn the_exact_sum_agrees_with_brute_force() {
        // Three records of one list, two of the other, five pairs among them.
        let edges = [(0, 0), (0, 1), (1, 0), (2, 1), (2, 0)];
        let rho = [3.0, 0.5, 2.0, 7.0, 0.25];
        let got = exact(3, 2, &edges, &rho);
        for (g, want) in got.iter().zip(brute_force(&edges, &rho)) {
            assert!((g - want).abs() < 1e-9 * want.max(1.0), "{g} {want}");
        }
    }

    #[test]
    fn the_approximation_is_near_the_exact_sum() {
        let edges = [(0, 0), (0, 1), (1, 0), (2, 1), (2, 0)];
        let rho = [3.0, 0.5, 2.0, 7.0, 0.25];
        let exact_odds = exact(3, 2, &edges, &rho);
        let approx = approximate(3, 2, &edges, &rho);
        for (e, a) in exact_odds.iter().zip(approx) {
            let (pe, pa) = (e / (1.0 + e), a / (1.0 + a));
            assert!((pe - pa).abs() < 0.2, "{pe} {pa}");
        }
        // A lone pair: both give its own odds.
        assert!((approximate(1, 1, &[(0, 0)], &[4.0])[0] - 4.0).abs() < 1e-12);
        assert!((exact(1, 1, &[(0, 0)], &[4.0])[0] - 4.0).abs() < 1e-12);
    }

    #[test]
    fn a_pair_without_rivals_gains_and_namesakes_do_not_link() {
        let list = two_lists(14);
        let mut links = sure_links(14);
        // Record 10 of list 1 has one plausible record on list 2 (24), which has no other.
        links.push(link(10, 24, -1.0));
        // Record 11 of list 1 has two equally plausible records on list 2 (25 and 26):
        // namesakes; neither may link.
        links.push(link(11, 25, 1.0));
        links.push(link(11, 26, 1.0));
        one_per_list(&mut links, &list, &|_| false);
        assert!(chance(&links[10]) > 0.5, "{:?}", links[10]);
        let (p25, p26) = (chance(&links[11]), chance(&links[12]));
        assert!(p25 < 0.5 && p26 < 0.5, "{:?} {:?}", links[11], links[12]);
        // The namesakes share record 11's evidence: alike, and together at most one.
        assert!(
            (p25 - p26).abs() < 1e-6 && p25 + p26 <= 1.0 + 1e-6,
            "{p25} {p26}"
        );
        // Sure links stay sure.
        assert!(links[..10].iter().all(|l| l.weight > 15.0));
    }

    /// One lone pair of lists 1 and 2 with odds `odds`, as its own group.
    fn lone_pair(odds: f64) -> (Vec<Edge>, Component) {
        let edges = vec![Edge {
            link: 0,
            first: 0,
            second: 0,
            odds,
        }];
        let component = Component {
            lists: (1, 2),
            first: 1,
            second: 1,
            edges: vec![0],
        };
        (edges, component)
    }

    #[test]
    fn with_covers_0_and_no_rivals_a_pair_keeps_fellegi_sunters_probability() {
        for odds in [0.01, 0.5, 1.0, 3.0, 1e6] {
            let (edges, component) = lone_pair(odds);
            let mut out = [0.0];
            // Both covers 0: a record left unmatched costs (1 - 0) · (1 - 0).
            component.posterior_odds(&edges, 1.0, &mut out);
            let p = out[0] / (1.0 + out[0]);
            assert!((p - odds / (odds + 1.0)).abs() < 1e-12, "{odds}: {p}");
        }
    }

    #[test]
    fn a_lone_pair_gains_as_the_covers_rise() {
        // Covers 0.5 both ways: two records each the other's only match are two people
        // only if both are missing from the other list, a quarter of the time.
        let (edges, component) = lone_pair(0.5);
        let mut out = [0.0];
        component.posterior_odds(&edges, 0.5 * 0.5, &mut out);
        assert!((out[0] - 2.0).abs() < 1e-12, "{}", out[0]);
    }

    #[test]
    fn a_rival_on_the_other_side_counts_too() {
        let list = two_lists(14);
        let mut links = sure_links(14);
        // Records 10 and 11 of list 1 (sisters, say) both fit record 24 of list 2.
        links.push(link(10, 24, 2.0));
        links.push(link(11, 24, 2.0));
        one_per_list(&mut links, &list, &|_| false);
        assert!(chance(&links[10]) < 0.5);
        assert!(chance(&links[11]) < 0.5);
    }

    #[test]
    fn a_rival_taken_by_a_better_match_does_not_count() {
        let list = two_lists(14);
        let mut links = sure_links(14);
        // Record 10 fits 24 and 25 alike, but 25 is surely record 11.
        links.push(link(10, 24, 1.0));
        links.push(link(10, 25, 1.0));
        links.push(link(11, 25, 15.0));
        one_per_list(&mut links, &list, &|_| false);
        assert!(chance(&links[10]) > 0.5, "{:?}", links[10]);
        assert!(chance(&links[11]) < 0.5, "{:?}", links[11]);
    }

    #[test]
    fn links_within_a_list_or_with_records_of_no_list_are_left_alone() {
        let mut list = two_lists(12);
        list[11] = 0;
        let mut links = sure_links(12);
        links.push(link(10, 4, -1.0)); // both of list 1
        links.push(link(11, 22, -1.0)); // record 11 has no list
        one_per_list(&mut links, &list, &|_| false);
        assert_eq!(links[10].weight, -1.0);
        assert_eq!(links[11].weight, -1.0);
    }

    #[test]
    fn a_lone_pair_gains_at_most_what_the_covers_allow() {
        // Every record of both lists is linked: the covers are as high as they go, and
        // a lone pair's odds rise by at most 1 / (1 - COVER_MAX)^2.
        let list = two_lists(10);
        let mut links = sure_links(10);
        links[9].weight = 0.0;
        one_per_list(&mut links, &list, &|_| false);
        let gain = links[9].weight as f64;
        assert!(gain > 0.0 && gain <= -2.0 * (1.0 - COVER_MAX).log2() + 1e-4);
    }
}
