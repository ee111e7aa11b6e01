//! Kunya evidence: a record known only as "Umm Adam" (perhaps with a nationality and a
//! place) is linked to the mother of a child named Adam when the evidence singles her out.
//!
//! The candidates are people, not records: the persons found so far (clusters of the
//! records already linked) who are a parent of a listed child of that name, of the right
//! sex, at least [`PARENT_AGE_GAP`] years older than the child. What the message says
//! besides the name (place, nationality) is compared with what the lists say of each
//! candidate and her household, using the trained weights of those comparisons: a
//! candidate of whom the lists say nothing is neither favoured nor ruled out, one of
//! whom they say the same gains, one of whom they say otherwise loses. The weights are
//! likelihood ratios, so the candidates' posterior is their share of `2^weight`, beside
//! a share for "a mother on no list, or whose child is on none" (prior odds
//! [`UNLISTED`] against the candidates together; of her nothing is known, so what the
//! message says is as likely of her as of anyone). The message is linked to the best
//! candidate only when her posterior reaches the model's threshold; when several
//! mothers fit about equally, nothing is linked.
//!
//! A message names one person, so it is linked to one person at most; a mother may be
//! named by many messages.

use rustc_hash::FxHashMap;

use super::household::Households;
use crate::birth::Birth;
use crate::cluster::Link;
use crate::engine::{probability, weight_of, Linker};
use crate::spelling;

/// A parent is at least this many years older than the child.
const PARENT_AGE_GAP: i32 = 12;
/// Comparisons of a message with what the lists say of a candidate and her household.
const EVIDENCE: &[&str] = &["place", "nationalities"];
/// A kunya names a mother's eldest child, or her eldest son, about nine times in ten;
/// a child of that name in another family is her eldest or the eldest son about six
/// times in ten: log2(0.9 / 0.6) when the lists show the named child is the eldest,
/// log2(0.1 / 0.4) when they show an elder sibling.
const ELDEST: f64 = 0.585;
const NOT_ELDEST: f64 = -2.0;
/// Prior odds that the mother a message speaks of is on no list, or her named child on
/// none, against her being one of the candidates: about one in twenty.
const UNLISTED: f64 = 0.05 / 0.95;

/// The columns the resolution reads, per record.
struct Records<'t> {
    kunya: Vec<&'t str>,
    given: Vec<&'t str>,
    sex: Vec<&'t str>,
    birth: Vec<Option<Birth>>,
}

impl<'t> Records<'t> {
    fn new(linker: &'t Linker) -> Records<'t> {
        let t = linker.table();
        let col = |name: &str| -> Vec<&'t str> {
            match t.column(name) {
                Some(c) => (0..t.len()).map(|r| c.get(r)).collect(),
                None => vec![""; t.len()],
            }
        };
        Records {
            kunya: col("p_kunya"),
            given: col("p_given"),
            sex: col("sex"),
            birth: col("birth_date").into_iter().map(Birth::parse).collect(),
        }
    }

    /// Whether record `r` is of the sex a kunya of `relation` names (unknown is allowed).
    fn sex_fits(&self, r: usize, mother: bool) -> bool {
        match self.sex[r].trim().to_lowercase().as_str() {
            "" => true,
            "f" | "female" | "w" | "woman" => mother,
            "m" | "male" | "man" => !mother,
            _ => true,
        }
    }

    /// Whether record `r` is of a man (`None`: not said).
    fn male(&self, r: usize) -> Option<bool> {
        match self.sex[r].trim().to_lowercase().as_str() {
            "f" | "female" | "w" | "woman" => Some(false),
            "m" | "male" | "man" => Some(true),
            _ => None,
        }
    }

    /// Whether record `child` can be a child of record `parent` (unknown births allow it).
    fn younger(&self, child: usize, parent: usize) -> bool {
        match (&self.birth[child], &self.birth[parent]) {
            (Some(c), Some(p)) => c.year_hi >= p.year_lo + PARENT_AGE_GAP,
            _ => true,
        }
    }
}

/// Records by the phonetic key of their given name, to find a kunya's child quickly.
fn children_by_sound(records: &Records) -> FxHashMap<String, Vec<u32>> {
    let mut index: FxHashMap<String, Vec<u32>> = FxHashMap::default();
    for (r, g) in records.given.iter().enumerate() {
        if !g.is_empty() && records.kunya[r].is_empty() {
            for key in spelling::phonetic_keys(g) {
                index.entry(key).or_default().push(r as u32);
            }
        }
    }
    index
}

/// Links for the kunya-only records. `person` gives each record's person so far (its
/// cluster); `allowed` says which pairs may be linked at all.
pub(super) fn resolve(
    linker: &Linker,
    households: &Households,
    person: &[u32],
    threshold: f32,
    allowed: &dyn Fn(u32, u32) -> bool,
) -> Vec<Link> {
    let records = Records::new(linker);
    let index = children_by_sound(&records);
    let mut members: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
    for (r, &p) in person.iter().enumerate() {
        members.entry(p).or_default().push(r as u32);
    }
    let mut out = Vec::new();
    for (k, kunya) in records.kunya.iter().enumerate() {
        let Some((relation, child)) = kunya.split_once(':') else {
            continue;
        };
        let mother = relation == "umm";
        let found = parents_of(
            &records, households, &index, child, mother, k as u32, allowed,
        );
        let candidates = by_family(&found, households, person);
        let scored: Vec<(u32, f64)> = candidates
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let records_of: Vec<u32> = c
                    .persons
                    .iter()
                    .flat_map(|p| members[p].iter().copied())
                    .collect();
                let eldest = eldest_evidence(&records, households, person, c);
                (
                    i as u32,
                    evidence_for(linker, households, &records_of, k) + eldest,
                )
            })
            .collect();
        let Some((best, share)) = singled_out(&scored) else {
            continue;
        };
        if share < probability(threshold as f64) {
            continue;
        }
        let weight = weight_of(share) as f32;
        for p in &candidates[best as usize].persons {
            for &r in &members[p] {
                if allowed(k as u32, r) {
                    out.push(Link {
                        a: r.min(k as u32),
                        b: r.max(k as u32),
                        weight,
                    });
                }
            }
        }
    }
    out
}

/// One candidate: a family's parent of a child of the kunya's name.
struct Candidate {
    /// The persons (clusters) of the parent's records.
    persons: Vec<u32>,
    /// The parent's records.
    parents: Vec<u32>,
    /// The records of the named child.
    named: Vec<u32>,
}

/// Candidates by family: one mother's records that are not linked to each other (maiden
/// and married names, a typo) are still one candidate when they are in one family's
/// households.
fn by_family(found: &[(u32, u32)], households: &Households, person: &[u32]) -> Vec<Candidate> {
    let mut keys: Vec<u64> = Vec::new();
    let mut out: Vec<Candidate> = Vec::new();
    for &(p, c) in found {
        let who = person[p as usize];
        let key = match households.family(households.of(p)) {
            Some(f) => f as u64,
            None => (1 << 32) | who as u64,
        };
        let at = match keys.iter().position(|&k| k == key) {
            Some(at) => at,
            None => {
                keys.push(key);
                out.push(Candidate {
                    persons: Vec::new(),
                    parents: Vec::new(),
                    named: Vec::new(),
                });
                out.len() - 1
            }
        };
        let cand = &mut out[at];
        for (list, x) in [
            (&mut cand.persons, who),
            (&mut cand.parents, p),
            (&mut cand.named, c),
        ] {
            if !list.contains(&x) {
                list.push(x);
            }
        }
    }
    out
}

/// Records that are a parent of a listed child named `child`, with that child's record:
/// members of the child's family (its household in every list), of the right sex and
/// age, other than kunya-only records.
fn parents_of(
    records: &Records,
    households: &Households,
    index: &FxHashMap<String, Vec<u32>>,
    child: &str,
    mother: bool,
    k: u32,
    allowed: &dyn Fn(u32, u32) -> bool,
) -> Vec<(u32, u32)> {
    let wanted = spelling::PreparedName::new(child);
    let mut found = Vec::new();
    for key in spelling::phonetic_keys(child) {
        for &c in index.get(&key).map(Vec::as_slice).unwrap_or(&[]) {
            let h = households.of(c);
            let given = spelling::PreparedName::new(records.given[c as usize]);
            if h.is_empty() || spelling::name_similarity(&wanted, &given) < spelling::SAME_NAME {
                continue;
            }
            for p in households.family_members(h) {
                let pu = p as usize;
                if p != c
                    && records.kunya[pu].is_empty()
                    && records.sex_fits(pu, mother)
                    && records.younger(c as usize, pu)
                    && allowed(k, p)
                {
                    found.push((p, c));
                }
            }
        }
    }
    found.sort_unstable();
    found.dedup();
    found
}

/// Whether the child a kunya names is the eldest of the candidate's children, or her
/// eldest son, as their births on the lists show: a weight for the candidate (see
/// [`ELDEST`]), 0 when the births leave it open.
fn eldest_evidence(
    records: &Records,
    households: &Households,
    person: &[u32],
    candidate: &Candidate,
) -> f64 {
    let Some(&parent) = candidate.parents.first() else {
        return 0.0;
    };
    // The candidate's children, as persons, each with its most precise birth.
    let mut children: FxHashMap<u32, (Birth, Option<bool>)> = FxHashMap::default();
    for r in households.family_members(households.of(parent)) {
        let ru = r as usize;
        let Some(b) = records.birth[ru] else {
            continue;
        };
        if candidate.parents.contains(&r)
            || !records.kunya[ru].is_empty()
            || !candidate
                .parents
                .iter()
                .all(|&p| records.younger(ru, p as usize))
        {
            continue;
        }
        let male = records.male(ru);
        let e = children.entry(person[ru]).or_insert((b, male));
        if b.precision() > e.0.precision() {
            e.0 = b;
        }
        e.1 = e.1.or(male);
    }
    let named: Vec<u32> = candidate
        .named
        .iter()
        .map(|&c| person[c as usize])
        .collect();
    let mut best = NOT_ELDEST;
    for who in &named {
        let Some(&(birth, male)) = children.get(who) else {
            continue;
        };
        let older = |sons_only: bool| {
            children.iter().any(|(other, (b, m))| {
                !named.contains(other)
                    && (!sons_only || *m == Some(true))
                    && b.certainly_before(&birth)
            })
        };
        let open = |sons_only: bool| {
            children.iter().any(|(other, (b, m))| {
                !named.contains(other)
                    && (!sons_only || *m != Some(false))
                    && !birth.certainly_before(b)
            })
        };
        let eldest_child = !older(false);
        let eldest_son = male == Some(true) && !older(true);
        let weight = if !eldest_child && !eldest_son {
            NOT_ELDEST
        } else if (eldest_child && !open(false)) || (eldest_son && !open(true)) {
            ELDEST
        } else {
            0.0
        };
        best = best.max(weight);
    }
    if named.iter().all(|w| !children.contains_key(w)) {
        return 0.0;
    }
    best
}

/// What the lists say of a candidate (her records and every household of her family, in
/// every list) against the message `k`: per evidence comparison, the strongest weight any
/// of those records gives (records without the value give none).
fn evidence_for(linker: &Linker, households: &Households, person: &[u32], k: usize) -> f64 {
    let mut records: Vec<u32> = person.to_vec();
    for &r in person {
        records.extend(households.family_members(households.of(r)));
    }
    records.sort_unstable();
    records.dedup();
    let mut best: FxHashMap<&str, f64> = FxHashMap::default();
    for x in records {
        for c in linker.explain(k, x as usize) {
            if c.level == "null" {
                continue;
            }
            if let Some(&name) = EVIDENCE.iter().find(|&&e| e == c.comparison) {
                let e = best.entry(name).or_insert(f64::NEG_INFINITY);
                *e = e.max(c.weight);
            }
        }
    }
    best.values().sum()
}

/// The candidate with the largest posterior share and that share, beside the share of
/// "a mother on no list". Her attributes are unknown, so what the message says is as
/// likely of her as of anyone: her likelihood ratio is 1 (weight 0).
fn singled_out(scored: &[(u32, f64)]) -> Option<(u32, f64)> {
    let (best, top) = scored
        .iter()
        .copied()
        .max_by(|x, y| x.1.total_cmp(&y.1).then(y.0.cmp(&x.0)))?;
    // Each candidate's prior is 1 / n of the listed mothers' share.
    let n = scored.len() as f64;
    let total: f64 =
        scored.iter().map(|&(_, s)| (s - top).exp2()).sum::<f64>() + UNLISTED * n * (-top).exp2();
    Some((best, 1.0 / total))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_share_of_the_best_candidate() {
        // One candidate of whom the lists say what the message says.
        let (best, share) = singled_out(&[(7, 5.0)]).unwrap();
        assert_eq!(best, 7);
        assert!((share - 1.0 / (1.0 + UNLISTED * 0.5f64.powi(5))).abs() < 1e-9);
        // The only candidate, and the lists say nothing of her: a mother on no list
        // is one chance in twenty.
        assert!((singled_out(&[(7, 0.0)]).unwrap().1 - 0.95).abs() < 1e-9);
        // Two equal candidates: neither reaches one half.
        assert!(singled_out(&[(1, 4.0), (2, 4.0)]).unwrap().1 < 0.5);
        // One far better than the other.
        assert!(singled_out(&[(1, 5.0), (2, 0.0)]).unwrap().1 > 0.9);
        // Twenty namesakes the message says nothing about.
        let many: Vec<(u32, f64)> = (0..20).map(|i| (i, 0.0)).collect();
        assert!(singled_out(&many).unwrap().1 < 0.05);
        assert!(singled_out(&[]).is_none());
    }
}
