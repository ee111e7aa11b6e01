//! Household evidence: two lists' households that share a linked member are one family,
//! and within one family a person is told from the others by what is personal to them.
//!
//! A pair of records scores against everyone in the camps; a mother listed under her
//! maiden name in one list and her married name in another shares little with herself
//! but her given name and birth. Once another member of her household is linked across
//! the two lists (a child), the question for her pair is no longer "is she this woman
//! among thousands" but "which member of this family is she": the prior becomes one in
//! the household's size, and only the personal comparisons count — given name, birth,
//! sex. The family name, father's name, place and nationality are shared by the family
//! and say nothing about which member is which; siblings must not merge on them.
//!
//! A lifted pair is never surer than the household match it rests on (the strongest
//! other link between the two households), and it needs its own given names to agree
//! at some level: twins share a birth date, and a sibling's name is not a typo. Lifting
//! is repeated, because a mother lifted by her child is then support for her other
//! children, until nothing changes (at most [`ROUNDS`] times).

use rustc_hash::FxHashMap;

use crate::engine::Linker;
use crate::spelling;

/// Comparisons that tell members of one household apart.
const PERSONAL: &[&str] = &["given name", "birth", "sex"];
/// Comparisons that say which member of a family a record can be (the mother, a son born
/// about 2012).
const ROLE: &[&str] = &["birth", "sex"];
/// Prior weight that a family's only member of some role on one list is its only member
/// of that role on another: most people of a family are on both lists (odds 4 : 1).
const ROLE_PRIOR: f64 = 2.0;
/// The given-name column, and the similarity at which two different given names may be
/// one name with a letter lost, doubled or swapped: most such typos score 0.55 to 0.8,
/// most pairs of different names below 0.5.
const GIVEN: &str = "p_given";
const MISTYPED: f64 = 0.55;
/// The comparison whose agreement a lifted pair needs.
const OWN_NAME: &str = "given name";
/// What another linked member of the two households adds to a pair whose given names
/// agree (log2): under "different people", other members of their households are
/// linked only by chance; under "one person", most families have another member on both
/// lists.
const SUPPORT: f64 = 6.0;
/// What a pair loses (log2) when its two households are each linked to another
/// household of the other's list (see [`contradict`]).
const CONTRADICTION: f64 = 6.0;
/// A given-name weight at least this high is agreement outright, not a typo level.
const SAME_NAME_WEIGHT: f64 = 2.0;
/// At most this many rounds of lifting.
const ROUNDS: usize = 4;

/// Households and their members (record rows), keyed by the derived `p_household`.
pub(super) struct Households<'t> {
    of: Vec<&'t str>,
    members: FxHashMap<&'t str, Vec<u32>>,
    /// Per household, its family: households of several lists whose members are found
    /// to be one person (see [`Households::join_families`]).
    family: FxHashMap<&'t str, u32>,
    /// The households of each family.
    families: FxHashMap<u32, Vec<&'t str>>,
}

impl<'t> Households<'t> {
    pub(super) fn new(linker: &'t Linker) -> Households<'t> {
        let t = linker.table();
        let of: Vec<&str> = match t.column("p_household") {
            Some(c) => (0..t.len()).map(|r| c.get(r)).collect(),
            None => vec![""; t.len()],
        };
        Households::of_records(of)
    }

    /// Households from each record's household key ("" for none).
    fn of_records(of: Vec<&'t str>) -> Households<'t> {
        let mut members: FxHashMap<&str, Vec<u32>> = FxHashMap::default();
        for (r, h) in of.iter().enumerate() {
            if !h.is_empty() {
                members.entry(h).or_default().push(r as u32);
            }
        }
        let family = members
            .keys()
            .enumerate()
            .map(|(i, &h)| (h, i as u32))
            .collect();
        let mut households = Households {
            of,
            members,
            family,
            families: FxHashMap::default(),
        };
        households.index_families();
        households
    }

    /// Joins into one family the households whose members are found to be one person
    /// (`person`: each record's person, its cluster so far).
    pub(super) fn join_families(&mut self, person: &[u32]) {
        let mut keys: Vec<&'t str> = self.members.keys().copied().collect();
        keys.sort_unstable();
        let index: FxHashMap<&str, u32> = keys
            .iter()
            .enumerate()
            .map(|(i, &h)| (h, i as u32))
            .collect();
        let mut parent: Vec<u32> = (0..keys.len() as u32).collect();
        fn root(parent: &mut [u32], mut x: u32) -> u32 {
            while parent[x as usize] != x {
                parent[x as usize] = parent[parent[x as usize] as usize];
                x = parent[x as usize];
            }
            x
        }
        let mut first_household: FxHashMap<u32, u32> = FxHashMap::default();
        for (r, h) in self.of.iter().enumerate() {
            if h.is_empty() {
                continue;
            }
            let here = index[h];
            let there = *first_household.entry(person[r]).or_insert(here);
            let (a, b) = (root(&mut parent, here), root(&mut parent, there));
            parent[a.max(b) as usize] = a.min(b);
        }
        self.family = keys
            .iter()
            .enumerate()
            .map(|(i, &h)| (h, root(&mut parent, i as u32)))
            .collect();
        self.index_families();
    }

    fn index_families(&mut self) {
        self.families.clear();
        for (&h, &f) in &self.family {
            self.families.entry(f).or_default().push(h);
        }
        for hs in self.families.values_mut() {
            hs.sort_unstable();
        }
    }

    /// The family of household `h` (households of one family share it).
    pub(super) fn family(&self, h: &str) -> Option<u32> {
        self.family.get(h).copied()
    }

    /// Every member of every household of the family of household `h`, in every list.
    pub(super) fn family_members(&self, h: &str) -> Vec<u32> {
        let Some(f) = self.family(h) else {
            return Vec::new();
        };
        let mut out: Vec<u32> = self.families[&f]
            .iter()
            .flat_map(|k| self.members(k).iter().copied())
            .collect();
        out.sort_unstable();
        out
    }

    /// The household of record `r` ("" for none).
    pub(super) fn of(&self, r: u32) -> &'t str {
        self.of[r as usize]
    }

    /// The members of household `h`.
    pub(super) fn members(&self, h: &str) -> &[u32] {
        self.members.get(h).map(Vec::as_slice).unwrap_or(&[])
    }
}

/// The list (source) part of a household key.
fn list_of(household: &str) -> &str {
    household.split('\u{1f}').next().unwrap_or("")
}

/// How a pair sits in two households known to be one family: the number of members of
/// the larger household, and whether each record is the other's only member of the same
/// sex and about the same age (their "role": the mother, the son born in 2012).
#[derive(Clone, Copy)]
struct Place {
    family_size: usize,
    only_one_of_role: bool,
}

/// The weight of pair `(x, y)` given that their two households are one family
/// (`support`: the weight of the strongest other link between them), or `None` when its
/// own evidence cannot single it out.
///
/// Two readings, the larger kept:
/// - as members of one family: the prior is one in the family's size, or
///   [`ROLE_PRIOR`] when each is the other's only member of that role; then only the
///   personal comparisons count; never surer than `support`. The given names must agree
///   at some level, unless the role is unique and the names could be one mistyped;
/// - as a pair whose households agree: its own weight plus [`SUPPORT`], when the given
///   names agree outright (a sibling's name is not a spelling).
fn within_family(linker: &Linker, x: u32, y: u32, place: Place, support: f32) -> Option<f32> {
    let parts = linker.explain(x as usize, y as usize);
    let own_name = parts.iter().find(|c| c.comparison == OWN_NAME)?.weight;
    if own_name <= 0.0 && !(place.only_one_of_role && mistyped(linker, x, y)) {
        return None;
    }
    let personal: f64 = parts
        .iter()
        .filter(|c| PERSONAL.contains(&c.comparison.as_str()))
        .map(|c| c.weight)
        .sum();
    let prior = if place.only_one_of_role {
        ROLE_PRIOR
    } else {
        // One member of the other household is this person: odds 1 : (size - 1).
        -((place.family_size.max(2) - 1) as f64).log2()
    };
    let as_member = ((prior + personal) as f32).min(support);
    let agreeing = if own_name >= SAME_NAME_WEIGHT {
        (linker.weight(x as usize, y as usize) + SUPPORT) as f32
    } else {
        f32::NEG_INFINITY
    };
    Some(as_member.max(agreeing))
}

/// Whether the given names of `x` and `y`, though different, could be one name mistyped
/// (Maiam for مريم, Waaa for Wafa), not two names (Yahya and Zakaria).
fn mistyped(linker: &Linker, x: u32, y: u32) -> bool {
    let Some(given) = linker.table().column(GIVEN) else {
        return false;
    };
    let (a, b) = (given.get(x as usize), given.get(y as usize));
    let similarity = spelling::name_similarity(
        &spelling::PreparedName::new(a),
        &spelling::PreparedName::new(b),
    );
    similarity >= MISTYPED
}

/// Whether records `x` and `y` could be one person by sex and age alone: neither their
/// sexes nor their births disagree.
fn same_role(linker: &Linker, x: u32, y: u32) -> bool {
    linker
        .explain(x as usize, y as usize)
        .iter()
        .filter(|c| ROLE.contains(&c.comparison.as_str()))
        .all(|c| c.weight >= 0.0)
}

/// Per member of `ma`, the members of `mb` of the same role.
fn roles(linker: &Linker, ma: &[u32], mb: &[u32]) -> Vec<Vec<u32>> {
    ma.iter()
        .map(|&x| {
            mb.iter()
                .copied()
                .filter(|&y| same_role(linker, x, y))
                .collect()
        })
        .collect()
}

/// Links between the members of two households, oriented first household to second.
type Between<'t> = FxHashMap<(&'t str, &'t str), Vec<(u32, u32, f32)>>;

/// Pairs of households of different lists taken to be one family, and per household
/// and list, the household it is matched to there.
#[derive(Default)]
pub(super) struct Matching<'t> {
    pairs: Between<'t>,
    partner: FxHashMap<(&'t str, &'t str), &'t str>,
}

impl<'t> Matching<'t> {
    /// Matches households: each pair of households of two lists is scored by a one-to-one
    /// pairing of their members (strongest links first, positive weights summed), and two
    /// households are one family when each is the other's best in its list.
    pub(super) fn new(households: &Households<'t>, pairs: &FxHashMap<(u32, u32), f32>) -> Self {
        let mut between: Between<'t> = FxHashMap::default();
        for (&(a, b), &w) in pairs {
            let (ha, hb) = (households.of(a), households.of(b));
            if w <= 0.0 || ha.is_empty() || hb.is_empty() || list_of(ha) == list_of(hb) {
                continue;
            }
            if ha < hb {
                between.entry((ha, hb)).or_default().push((a, b, w));
            } else {
                between.entry((hb, ha)).or_default().push((b, a, w));
            }
        }
        let mut best: FxHashMap<(&str, &str), (&str, f32)> = FxHashMap::default();
        let mut keys: Vec<(&str, &str)> = between.keys().copied().collect();
        keys.sort_unstable();
        for key in keys {
            let score = one_to_one_sum(
                between
                    .get_mut(&key)
                    .map(Vec::as_mut_slice)
                    .unwrap_or(&mut []),
            );
            let (ha, hb) = key;
            for (h, other) in [(ha, hb), (hb, ha)] {
                let e = best
                    .entry((h, list_of(other)))
                    .or_insert((other, f32::NEG_INFINITY));
                if score > e.1 {
                    *e = (other, score);
                }
            }
        }
        let mut matching = Matching::default();
        for ((ha, hb), links) in between {
            let mutual = best.get(&(ha, list_of(hb))).is_some_and(|b| b.0 == hb)
                && best.get(&(hb, list_of(ha))).is_some_and(|b| b.0 == ha);
            if mutual {
                matching.partner.insert((ha, list_of(hb)), hb);
                matching.partner.insert((hb, list_of(ha)), ha);
                matching.pairs.insert((ha, hb), links);
            }
        }
        matching
    }

    /// Whether households `a` and `b` are matched.
    pub(super) fn matched(&self, a: &str, b: &str) -> bool {
        self.partner.get(&(a, list_of(b))).is_some_and(|&p| p == b)
    }

    /// Whether household `h` is matched to a household of `other`'s list other than it.
    fn matched_elsewhere(&self, h: &str, other: &str) -> bool {
        self.partner
            .get(&(h, list_of(other)))
            .is_some_and(|&p| p != other)
    }
}

/// The sum of the weights of a one-to-one pairing of `links` (strongest first).
fn one_to_one_sum(links: &mut [(u32, u32, f32)]) -> f32 {
    links.sort_by(|x, y| y.2.total_cmp(&x.2).then((x.0, x.1).cmp(&(y.0, y.1))));
    let (mut left, mut right) = (Vec::new(), Vec::new());
    let mut sum = 0.0;
    for &(a, b, w) in links.iter() {
        if !left.contains(&a) && !right.contains(&b) {
            left.push(a);
            right.push(b);
            sum += w;
        }
    }
    sum
}

/// Lifts the pairs of matched households linked through another member (see the module
/// docs). `pairs` maps `(a, b)`, `a < b`, to a match weight; `allowed` says which pairs
/// may be linked at all (records of the two files, when linking two files).
pub(super) fn lift(
    linker: &Linker,
    households: &Households,
    pairs: &mut FxHashMap<(u32, u32), f32>,
    threshold: f32,
    allowed: &dyn Fn(u32, u32) -> bool,
) {
    for _ in 0..ROUNDS {
        let matching = Matching::new(households, pairs);
        let mut changed = false;
        for ((ha, hb), links) in &matching.pairs {
            let (ma, mb) = (households.members(ha), households.members(hb));
            let size = ma.len().max(mb.len());
            let (of_a, of_b) = (roles(linker, ma, mb), roles(linker, mb, ma));
            for (i, &x) in ma.iter().enumerate() {
                for (j, &y) in mb.iter().enumerate() {
                    let place = Place {
                        family_size: size,
                        only_one_of_role: of_a[i] == [y] && of_b[j] == [x],
                    };
                    let (a, b) = (x.min(y), x.max(y));
                    if !allowed(a, b) {
                        continue;
                    }
                    // The household match without this pair: the strongest link between
                    // other members.
                    let others = links
                        .iter()
                        .filter(|&&(p, q, _)| p != x && q != y && p != y && q != x)
                        .map(|&(_, _, w)| w)
                        .fold(f32::NEG_INFINITY, f32::max);
                    if others < threshold {
                        continue;
                    }
                    let Some(w) = within_family(linker, x, y, place, others) else {
                        continue;
                    };
                    let e = pairs.entry((a, b)).or_insert(f32::NEG_INFINITY);
                    if w > *e {
                        changed |= *e < threshold && w >= threshold;
                        *e = w;
                    }
                }
            }
        }
        if !changed {
            break;
        }
    }
}

/// Lowers, by [`CONTRADICTION`], each pair whose households say it is two people: a
/// list holds a person once, in one household, so two records of one list with
/// households are two people (in one household, siblings, who share all but their own
/// name and birth); and a family has one household per list, so when the household of
/// `a` is matched to a household of `b`'s list other than `b`'s (or the other way
/// round), the pair says two families are one.
pub(super) fn contradict(households: &Households, pairs: &mut FxHashMap<(u32, u32), f32>) {
    let matching = Matching::new(households, pairs);
    for (&(a, b), w) in pairs.iter_mut() {
        let (ha, hb) = (households.of(a), households.of(b));
        if ha.is_empty() || hb.is_empty() {
            continue;
        }
        let two_people = list_of(ha) == list_of(hb)
            || (!matching.matched(ha, hb)
                && (matching.matched_elsewhere(ha, hb) || matching.matched_elsewhere(hb, ha)));
        if two_people {
            *w -= CONTRADICTION as f32;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(list: &str, h: &str) -> String {
        format!("{list}\u{1f}{h}")
    }

    #[test]
    fn households_are_one_family_only_when_each_is_the_others_best() {
        // Records 0-2: camp household c1 (mother, two children); 3-5: gov household g1;
        // 6-7: gov household g2, another family whose child shares a name with one of c1.
        let keys = [key("camp", "c1"), key("gov", "g1"), key("gov", "g2")];
        let of: Vec<&str> = [0, 0, 0, 1, 1, 1, 2, 2]
            .iter()
            .map(|&i| keys[i].as_str())
            .collect();
        let households = Households::of_records(of);
        let mut pairs: FxHashMap<(u32, u32), f32> = FxHashMap::default();
        pairs.insert((0, 3), 9.0); // the mother
        pairs.insert((1, 4), 12.0); // a child
        pairs.insert((2, 5), 11.0); // the other child
        pairs.insert((2, 7), 11.5); // that child's namesake in another family
        let matching = Matching::new(&households, &pairs);
        assert!(matching.matched(&keys[0], &keys[1]));
        assert!(
            !matching.matched(&keys[0], &keys[2]),
            "one link against three"
        );
        assert!(matching.matched_elsewhere(&keys[0], &keys[2]));
        contradict(&households, &mut pairs);
        assert_eq!(pairs[&(2, 5)], 11.0);
        assert_eq!(
            pairs[&(2, 7)],
            11.5 - CONTRADICTION as f32,
            "two families made one"
        );
        assert_eq!(pairs[&(0, 3)], 9.0);
    }

    #[test]
    fn a_household_without_a_match_elsewhere_contradicts_nothing() {
        let keys = [key("camp", "c1"), key("gov", "g2")];
        let of: Vec<&str> = vec![&keys[0], &keys[0], &keys[1], &keys[1]];
        let households = Households::of_records(of);
        let mut pairs: FxHashMap<(u32, u32), f32> = FxHashMap::default();
        pairs.insert((0, 2), 4.0);
        contradict(&households, &mut pairs);
        assert_eq!(pairs[&(0, 2)], 4.0);
    }

    #[test]
    fn one_to_one_pairing_takes_each_record_once() {
        let mut links = vec![(1, 10, 5.0), (1, 11, 7.0), (2, 11, 6.0), (2, 12, 1.0)];
        assert_eq!(one_to_one_sum(&mut links), 8.0);
    }
}
