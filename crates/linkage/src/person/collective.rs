//! Collective evidence for the person preset: households first, then kunyas against the
//! persons found so far.

use rustc_hash::FxHashMap;

use super::household::{self, Households};
use super::kunya;
use crate::cluster::Link;
use crate::engine::{weight_of, Linker};
use crate::exclusive;

/// A comparison weight (log2 of its likelihood ratio) below which a pair is not lifted
/// by [`exclusive::one_per_list`].
const CONTRADICTION: f64 = -2.0;

/// Whether a pair whose weakest comparison weighs `least` (see
/// [`Linker::weight_and_least`]) is one that comparison speaks strongly against.
pub fn contradicts(least: f64) -> bool {
    least < CONTRADICTION
}

/// Applies household and kunya evidence to the scored pairs (see [`household`] and
/// [`kunya`]); returns the new set of scored pairs, sorted.
pub fn collective(linker: &Linker, scored: Vec<Link>) -> Vec<Link> {
    collective_with(linker, scored, &|a, b| {
        contradicts(linker.weight_and_least(a as usize, b as usize).1)
    })
}

/// [`collective`], told which pairs one comparison speaks strongly against: a caller
/// that scored the pairs knows already, and asking again compares each pair twice.
pub fn collective_with(
    linker: &Linker,
    scored: Vec<Link>,
    contradicted: &(dyn Fn(u32, u32) -> bool + Sync),
) -> Vec<Link> {
    let threshold = weight_of(linker.model().decision.threshold) as f32;
    let n_left = linker.n_left() as u32;
    let two_files = (n_left as usize) < linker.table().len();
    let allowed = |a: u32, b: u32| a != b && (!two_files || ((a < n_left) != (b < n_left)));
    let own = pairs_of(&scored);
    let mut pairs = own.clone();
    let mut households = Households::new(linker);
    household::lift(linker, &households, &mut pairs, threshold, &allowed);
    household::contradict(&households, &mut pairs);
    let mut out: Vec<Link> = pairs
        .into_iter()
        .map(|((a, b), weight)| Link { a, b, weight })
        .collect();
    // A list holds a person once: the other records of the two lists weigh in. Pairs
    // the households moved, or inside two matched households, were weighed against
    // their rivals already and keep their weight; so does a pair that one comparison
    // speaks strongly against (Aisha Ahmed and Fatima Ahmed): a missing rival is no
    // reason to take two different given names for one person.
    let matching = household::Matching::new(&households, &pairs_of(&out));
    exclusive::one_per_list(&mut out, &lists(linker), &|l| {
        own.get(&(l.a, l.b)) != Some(&l.weight)
            || matching.matched(households.of(l.a), households.of(l.b))
            || contradicted(l.a, l.b)
    });
    out.sort_by_key(|l| (l.a, l.b));
    // The persons so far, for the kunyas to be resolved against.
    let clusters = linker.cluster(&linker.decide(&out));
    let person: Vec<u32> = (0..linker.table().len())
        .map(|r| clusters[linker.input_row(r)])
        .collect();
    households.join_families(&person);
    out.extend(kunya::resolve(
        linker,
        &households,
        &person,
        threshold,
        &allowed,
    ));
    out.sort_by_key(|l| (l.a, l.b));
    out
}

/// Per record, its list for [`exclusive::one_per_list`]: a number per value of the
/// model's `one_record_per` column, `0` for a kunya-only record (a message list may
/// speak of one mother many times) or a record without a list.
fn lists(linker: &Linker) -> Vec<u32> {
    let t = linker.table();
    let (Some(source), kunya) = (
        linker
            .model()
            .decision
            .one_record_per
            .as_deref()
            .and_then(|c| t.column(c)),
        t.column("p_kunya"),
    ) else {
        return vec![0; t.len()];
    };
    let mut ids: FxHashMap<&str, u32> = FxHashMap::default();
    (0..t.len())
        .map(|r| {
            let v = source.get(r);
            if v.is_empty() || kunya.is_some_and(|k| !k.get(r).is_empty()) {
                return 0;
            }
            let next = ids.len() as u32 + 1;
            *ids.entry(v).or_insert(next)
        })
        .collect()
}

fn pairs_of(links: &[Link]) -> FxHashMap<(u32, u32), f32> {
    links.iter().map(|l| ((l.a, l.b), l.weight)).collect()
}
