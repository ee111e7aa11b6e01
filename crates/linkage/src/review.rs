//! Scoring chosen pairs of a registry's records for a review queue.
//!
//! The registry blocks on its own search index and hands over the pairs to compare; this
//! module scores them with the [`person`] preset, trained on all the records given (u
//! from their own values, so a common name weighs little), adds the preset's household
//! and kunya evidence, and says why each kept pair scores as it does: every comparison's
//! level and weight, and which linked relatives lent household support.
//!
//! Pure compute, like the rest of the crate: records come in as a [`Table`] with the
//! preset's columns, pairs as input row numbers.

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::cluster::Link;
use crate::engine::{weight_of, Contribution, Linker, Progress, Task};
use crate::error::LinkError;
use crate::estimate::Parameters;
use crate::person;
use crate::table::Table;

/// Household evidence for a pair: the weight it added (negative when the households are
/// matched to others) and the linked pairs of other members (input rows, a's household
/// first) it rests on.
#[derive(Debug, Clone, PartialEq)]
pub struct HouseholdEvidence {
    pub weight: f64,
    pub through: Vec<(usize, usize)>,
}

/// A pair kept for review and why.
#[derive(Debug, Clone)]
pub struct PairEvidence {
    /// Input rows, lower first.
    pub a: usize,
    pub b: usize,
    /// Match weight (log2 odds), prior and collective evidence included.
    pub weight: f64,
    /// Each comparison's level and weight on the pair's own records.
    pub comparisons: Vec<Contribution>,
    pub household: Option<HouseholdEvidence>,
    /// A kunya ("Umm Adam") singled one record out as the mother of the other's child.
    pub kunya: bool,
}

/// The `person` preset trained on a registry's records.
pub struct Reviewer {
    linker: Linker,
}

impl Reviewer {
    /// Trains the preset on `records` (the preset's columns; see [`person::COLUMNS`]).
    pub fn train(records: Table, progress: &dyn Progress) -> Result<Self, LinkError> {
        let prepared = person::prepare(&records)?;
        let linker = Linker::train(&person::model(), Task::Dedupe(prepared), progress)?;
        Ok(Self { linker })
    }

    /// The preset over `records` with parameters it learnt before ([`Reviewer::parameters`]
    /// of an earlier training on the whole registry): for checking a few new records
    /// without training again.
    pub fn with_parameters(records: Table, params: Parameters) -> Result<Self, LinkError> {
        let prepared = person::prepare(&records)?;
        let linker = Linker::with_parameters(&person::model(), Task::Dedupe(prepared), params)?;
        Ok(Self { linker })
    }

    /// Assumes between `low` and `high` duplicates per record among `records` records,
    /// whatever training found (see [`Linker::bound_prior`]).
    pub fn bound_duplicates(&mut self, low: f64, high: f64, records: usize) {
        let n = records.max(2) as f64;
        let per_pair = |rate: f64| rate * n / (n * (n - 1.0) / 2.0);
        self.linker.bound_prior(per_pair(low), per_pair(high));
    }

    /// What training learnt (u from the records' values, m, the prior).
    pub fn parameters(&self) -> &Parameters {
        self.linker.parameters()
    }

    /// The model's own decision threshold, as a probability (pairs above it would be
    /// linked by `homeward link`).
    pub fn link_probability(&self) -> f64 {
        self.linker.model().decision.threshold
    }

    /// Scores `pairs` (input rows), adds household and kunya evidence, and keeps the
    /// pairs at or above `keep_probability`, strongest first. Household evidence may add
    /// pairs that were not given (other members of two linked households).
    pub fn score(
        &self,
        pairs: &[(usize, usize)],
        keep_probability: f64,
        progress: &dyn Progress,
    ) -> Vec<PairEvidence> {
        let l = &self.linker;
        progress.stage("scoring pairs", pairs.len() as u64);
        let compared: Vec<(Link, bool)> = pairs
            .par_chunks(4096)
            .flat_map_iter(|chunk| {
                progress.advance(chunk.len() as u64);
                chunk.iter().filter(|(a, b)| a != b).map(|&(a, b)| {
                    let (pa, pb) = (l.position(a), l.position(b));
                    let (pa, pb) = (pa.min(pb), pa.max(pb));
                    let (weight, least) = l.weight_and_least(pa, pb);
                    let link = Link {
                        a: pa as u32,
                        b: pb as u32,
                        weight: weight as f32,
                    };
                    (link, person::contradicts(least))
                })
            })
            .collect();
        let contradicted: FxHashSet<(u32, u32)> = compared
            .iter()
            .filter(|(_, c)| *c)
            .map(|(x, _)| (x.a, x.b))
            .collect();
        let scored: Vec<Link> = compared.into_iter().map(|(x, _)| x).collect();
        // Collective evidence may give a pair twice (a kunya's link beside the pair's own):
        // the stronger counts.
        let mut best: FxHashMap<(u32, u32), f32> = FxHashMap::default();
        let collective = person::collective_with(l, scored, &|a, b| contradicted.contains(&(a, b)));
        for x in collective {
            let w = best.entry((x.a, x.b)).or_insert(x.weight);
            *w = w.max(x.weight);
        }
        let all: Vec<Link> = best
            .into_iter()
            .map(|((a, b), weight)| Link { a, b, weight })
            .collect();
        let keep = weight_of(keep_probability) as f32;
        let support = Support::new(l, &all);
        let mut out: Vec<PairEvidence> = all
            .iter()
            .filter(|x| x.weight >= keep)
            .map(|x| self.evidence(x, &support))
            .collect();
        out.sort_by(|x, y| {
            y.weight
                .total_cmp(&x.weight)
                .then((x.a, x.b).cmp(&(y.a, y.b)))
        });
        out
    }

    fn evidence(&self, link: &Link, support: &Support) -> PairEvidence {
        let l = &self.linker;
        let (pa, pb) = (link.a as usize, link.b as usize);
        let own = l.weight(pa, pb);
        // Collective evidence moved the pair's weight: up (linked relatives, a kunya) or
        // down (the households are matched elsewhere, or one list's person in two).
        let moved = (f64::from(link.weight) - own).abs() > 1e-3;
        let kunya = moved && support.has_kunya(pa, pb);
        let household = (moved && !kunya).then(|| HouseholdEvidence {
            weight: f64::from(link.weight) - own,
            through: support
                .through(pa, pb)
                .into_iter()
                .map(|(x, y)| (l.input_row(x as usize), l.input_row(y as usize)))
                .collect(),
        });
        let (a, b) = (l.input_row(pa), l.input_row(pb));
        let (a, b, household) = if a <= b {
            (a, b, household)
        } else {
            let flipped = household.map(|h| HouseholdEvidence {
                weight: h.weight,
                through: h.through.into_iter().map(|(x, y)| (y, x)).collect(),
            });
            (b, a, flipped)
        };
        let household = household.map(|mut h| {
            h.through.sort_unstable();
            h
        });
        PairEvidence {
            a,
            b,
            weight: f64::from(link.weight),
            comparisons: l.explain(pa, pb),
            household,
            kunya,
        }
    }
}

/// Which strong links join which households, to name a pair's household support.
struct Support<'a> {
    linker: &'a Linker,
    household: Vec<&'a str>,
    kunya: Vec<bool>,
    /// Strong links by (household, household), as (record of the first, of the second).
    links: FxHashMap<(&'a str, &'a str), Vec<(u32, u32)>>,
}

impl<'a> Support<'a> {
    fn new(linker: &'a Linker, links: &[Link]) -> Self {
        let t = linker.table();
        let column = |name: &str| -> Vec<&'a str> {
            match t.column(name) {
                Some(c) => (0..t.len()).map(|r| c.get(r)).collect(),
                None => vec![""; t.len()],
            }
        };
        let household = column("p_household");
        let kunya = column("p_kunya")
            .into_iter()
            .map(|k| !k.is_empty())
            .collect();
        let threshold = weight_of(linker.model().decision.threshold) as f32;
        let mut by_households: FxHashMap<(&str, &str), Vec<(u32, u32)>> = FxHashMap::default();
        for l in links.iter().filter(|l| l.weight >= threshold) {
            let (ha, hb) = (household[l.a as usize], household[l.b as usize]);
            if !ha.is_empty() && !hb.is_empty() && ha != hb {
                by_households.entry((ha, hb)).or_default().push((l.a, l.b));
                by_households.entry((hb, ha)).or_default().push((l.b, l.a));
            }
        }
        Support {
            linker,
            household,
            kunya,
            links: by_households,
        }
    }

    fn has_kunya(&self, a: usize, b: usize) -> bool {
        self.kunya[a] || self.kunya[b]
    }

    /// Strong links between the households of `a` and `b`, not involving either.
    fn through(&self, a: usize, b: usize) -> Vec<(u32, u32)> {
        let _ = self.linker;
        let key = (self.household[a], self.household[b]);
        let mut out: Vec<(u32, u32)> = self
            .links
            .get(&key)
            .into_iter()
            .flatten()
            .copied()
            .filter(|&(x, y)| ![a, b].contains(&(x as usize)) && ![a, b].contains(&(y as usize)))
            .collect();
        out.sort_unstable();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Silent;

    /// A mother and two children in a camp list (Arabic script) and again in a transfer
    /// list (Latin script, vaguer births), and unrelated people around them.
    fn records() -> Table {
        let mut t = Table::new(person::COLUMNS.iter().map(|c| c.to_string()).collect());
        let rows: &[(&str, [&str; 10])] = &[
            (
                "m1",
                [
                    "camp",
                    "سميرة بوعزاوي",
                    "",
                    "",
                    "female",
                    "1990",
                    "BE",
                    "Roj",
                    "",
                    "h1",
                ],
            ),
            (
                "c1",
                [
                    "camp",
                    "آدم بوعزاوي",
                    "",
                    "",
                    "male",
                    "2014",
                    "BE",
                    "Roj",
                    "",
                    "h1",
                ],
            ),
            (
                "d1",
                [
                    "camp",
                    "هند بوعزاوي",
                    "",
                    "",
                    "female",
                    "2016",
                    "BE",
                    "Roj",
                    "",
                    "h1",
                ],
            ),
            (
                "m2",
                [
                    "transfer",
                    "Samira Bouazzaoui",
                    "",
                    "",
                    "female",
                    "age 29 @ 2019-10-18",
                    "BE",
                    "Al-Hol",
                    "",
                    "h2",
                ],
            ),
            (
                "c2",
                [
                    "transfer",
                    "Adam Bouazzaoui",
                    "",
                    "",
                    "male",
                    "age 5 @ 2019-10-18",
                    "BE",
                    "Al-Hol",
                    "",
                    "h2",
                ],
            ),
            (
                "d2",
                [
                    "transfer",
                    "Hind Bouazaoui",
                    "",
                    "",
                    "female",
                    "age 3 @ 2019-10-18",
                    "BE",
                    "Al-Hol",
                    "",
                    "h2",
                ],
            ),
            (
                "x1",
                [
                    "camp",
                    "Fatima Hassan",
                    "",
                    "",
                    "female",
                    "1985",
                    "IQ",
                    "Al-Hol",
                    "",
                    "h3",
                ],
            ),
            (
                "x2",
                [
                    "camp",
                    "Khadija El Amrani",
                    "",
                    "",
                    "female",
                    "1992",
                    "MA",
                    "Roj",
                    "",
                    "h4",
                ],
            ),
            (
                "x3",
                [
                    "camp",
                    "Amina Yusuf",
                    "",
                    "",
                    "female",
                    "1970",
                    "SY",
                    "Al-Hol",
                    "",
                    "h5",
                ],
            ),
        ];
        for (id, values) in rows {
            t.push(id, values);
        }
        t
    }

    #[test]
    fn a_family_in_two_lists_is_kept_with_its_evidence() {
        let reviewer = Reviewer::train(records(), &Silent).unwrap();
        let pairs = [(0, 3), (1, 4), (2, 5), (0, 6), (6, 7)];
        let kept = reviewer.score(&pairs, 0.5, &Silent);
        let found: Vec<(usize, usize)> = kept.iter().map(|p| (p.a, p.b)).collect();
        assert!(found.contains(&(0, 3)), "the mother: {found:?}");
        assert!(found.contains(&(1, 4)), "her son: {found:?}");
        assert!(!found.contains(&(6, 7)), "strangers: {found:?}");
        let mother = kept.iter().find(|p| (p.a, p.b) == (0, 3)).unwrap();
        assert!(mother
            .comparisons
            .iter()
            .any(|c| c.comparison == "given name" && c.weight > 0.0));
        let parts: f64 = mother.comparisons.iter().map(|c| c.weight).sum();
        assert!(parts < mother.weight + 30.0);
        assert!(
            kept.windows(2).all(|w| w[0].weight >= w[1].weight),
            "strongest first"
        );
    }

    #[test]
    fn saved_parameters_score_new_records_as_training_did() {
        let trained = Reviewer::train(records(), &Silent).unwrap();
        let full = trained.score(&[(0, 3)], 0.0, &Silent);
        // Only the mother's two records, scored with what the whole list taught.
        let mut two = Table::new(person::COLUMNS.iter().map(|c| c.to_string()).collect());
        let all = records();
        for r in [0, 3] {
            let values: Vec<&str> = person::COLUMNS
                .iter()
                .map(|c| all.column(c).unwrap().get(r))
                .collect();
            two.push(all.id(r), &values);
        }
        let again = Reviewer::with_parameters(two, trained.parameters().clone()).unwrap();
        let alone = again.score(&[(0, 1)], 0.0, &Silent);
        let pick = |v: &[PairEvidence], a, b| v.iter().find(|p| (p.a, p.b) == (a, b)).cloned();
        let (full, alone) = (pick(&full, 0, 3).unwrap(), pick(&alone, 0, 1).unwrap());
        // Every comparison weighs the same, but the given name's term frequency (which
        // comes from the records at hand, so is left out for a few).
        let own = |e: &PairEvidence| -> f64 {
            e.comparisons
                .iter()
                .filter(|c| c.comparison != "given name")
                .map(|c| c.weight)
                .sum()
        };
        assert!((own(&full) - own(&alone)).abs() < 1e-9);
        // Parameters of another model are refused.
        let mut wrong = trained.parameters().clone();
        wrong.m.pop();
        assert!(Reviewer::with_parameters(records(), wrong).is_err());
    }

    #[test]
    fn household_support_names_the_relatives_it_rests_on() {
        // The transfer list has the mother under her married name: her own record says
        // little, her children say it is her.
        let mut t = records();
        let married: Vec<String> = person::COLUMNS
            .iter()
            .map(|c| match *c {
                "full_name" => "Samira Lindberg".to_string(),
                c => t.column(c).unwrap().get(3).to_string(),
            })
            .collect();
        let mut with_married = Table::new(person::COLUMNS.iter().map(|c| c.to_string()).collect());
        for r in 0..t.len() {
            let values: Vec<String> = if r == 3 {
                married.clone()
            } else {
                person::COLUMNS
                    .iter()
                    .map(|c| t.column(c).unwrap().get(r).to_string())
                    .collect()
            };
            let values: Vec<&str> = values.iter().map(String::as_str).collect();
            with_married.push(t.id(r), &values);
        }
        t = with_married;
        let reviewer = Reviewer::train(t, &Silent).unwrap();
        let kept = reviewer.score(&[(0, 3), (1, 4), (2, 5)], 0.0, &Silent);
        let mother = kept.iter().find(|p| (p.a, p.b) == (0, 3)).unwrap();
        let support = mother
            .household
            .as_ref()
            .expect("her children support the mother");
        assert_eq!(support.through, [(1, 4), (2, 5)]);
        for p in kept.iter().filter(|p| p.household.is_some()) {
            let h = p.household.as_ref().unwrap();
            assert!(h.weight > 0.0);
            assert!(!h.through.is_empty());
            assert!(h.through.iter().all(|(x, y)| *x != p.a && *y != p.b));
        }
    }
}
