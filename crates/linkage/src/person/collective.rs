//! Collective evidence for the person preset: households first, then kunyas against the
//! persons found so far.

use rustc_hash::FxHashMap;

use super::household::{self, Households};
use super::kunya;
use crate::cluster::Link;
use crate::engine::{weight_of, Linker};

/// Applies household and kunya evidence to the scored pairs (see [`household`] and
/// [`kunya`]); returns the new set of scored pairs, sorted.
pub fn collective(linker: &Linker, scored: Vec<Link>) -> Vec<Link> {
    let threshold = weight_of(linker.model().decision.threshold) as f32;
    let n_left = linker.n_left() as u32;
    let two_files = (n_left as usize) < linker.table().len();
    let allowed = |a: u32, b: u32| a != b && (!two_files || ((a < n_left) != (b < n_left)));
    let mut pairs: FxHashMap<(u32, u32), f32> =
        scored.iter().map(|l| ((l.a, l.b), l.weight)).collect();
    let mut households = Households::new(linker);
    household::lift(linker, &households, &mut pairs, threshold, &allowed);
    household::contradict(&households, &mut pairs);
    let mut out: Vec<Link> = pairs
        .into_iter()
        .map(|((a, b), weight)| Link { a, b, weight })
        .collect();
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
