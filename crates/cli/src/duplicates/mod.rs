//! Duplicate detection on the registry: the store says which pairs of persons to compare
//! (blocking on its search index), the linkage `person` preset, trained on the registry's
//! own records, says how likely each pair is one person and why, and the pairs worth a
//! reviewer's time are written as `MatchCandidatesScanned` events.
//!
//! Run after every command that registers persons (`person add`, `import`, `demo`) for the
//! new persons, and on the whole registry by `homeward duplicates scan`. Decisions are
//! respected: a pair decided "not a match", or whose records are one person already, is
//! not proposed again. A full scan also withdraws undecided candidates it no longer finds
//! likely. The proposals are events, so every replica and every rebuild has the same
//! queue (see ARCHITECTURE.md for why this is not done inside the projection).

mod family;
pub mod rows;

use anyhow::Context as _;
use linkage::review::{PairEvidence, Reviewer};
use linkage::{Progress, Table};
use model::event::Payload;
use model::ids::{PersonId, PlaceId};
use model::merge::{
    candidate_id, ordered, CandidateStatus, ComparisonWeight, HouseholdSupport, MatchCandidate,
    MatchEvidence, NamePair, Weight,
};
use model::projection::PersonView;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use store::{BlockedPair, Registry};

/// Candidates below this match probability are not proposed. Nothing is merged without a
/// reviewer, whatever the probability; the figure trades a reviewer's time against
/// missed duplicates (see `docs/benchmarks.md`, "Duplicate detection", for the curve on
/// the demo: at 0.99 every known duplicate is found there).
pub const DEFAULT_MIN_PROBABILITY: f64 = 0.99;
/// Duplicates per record assumed at least and at most, whatever training found. At least:
/// a registry that held no duplicates when it was trained on must still find the first
/// ones. At most: EM (with the preset's m fixed) reads the many namesakes of camp lists
/// — children of one given, father's and family name — as duplicates and would expect
/// hundreds of thousands of them; field registries find a few in a hundred records.
const DUPLICATE_RATE: (f64, f64) = (0.001, 0.02);
/// Candidates per event.
const CHUNK: usize = 500;

/// Whom to compare with the registry.
pub enum Scope<'a> {
    /// Everyone with everyone (through the index).
    Everyone,
    /// These persons with everyone (new or imported persons).
    Persons(&'a [PersonId]),
}

/// What a scan found and did.
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct ScanReport {
    /// Persons in the registry (records compared belong to them).
    pub persons: usize,
    /// Pairs the index blocking gave, each scored once.
    pub pairs_compared: usize,
    /// Pairs at or above the minimum probability.
    pub likely: usize,
    /// Proposed for the first time.
    pub new: usize,
    /// Already proposed (pending or unsure): evidence refreshed.
    pub refreshed: usize,
    /// Decided "not a match" before: not proposed again.
    pub remembered_not_a_match: usize,
    /// Undecided candidates a full scan no longer finds likely.
    pub withdrawn: usize,
    /// Events written.
    pub events: usize,
}

/// Scans `scope` and appends the proposals. `at` is the scan's time.
pub fn scan(
    reg: &mut Registry,
    scope: Scope<'_>,
    min_probability: f64,
    at: model::time::Timestamp,
    progress: &dyn Progress,
) -> anyhow::Result<ScanReport> {
    let mut report = ScanReport {
        persons: reg.stats(&[], 0)?.0 as usize,
        ..Default::default()
    };
    let blocked = match scope {
        Scope::Everyone => {
            progress.stage("reading the search index", 100);
            let mut last = 0;
            reg.blocked_pairs(&mut |done, total| {
                let pct = done * 100 / total.max(1);
                progress.advance(pct.saturating_sub(last));
                last = pct;
            })?
        }
        Scope::Persons(ids) => reg.blocked_pairs_of(ids)?,
    };
    report.pairs_compared = blocked.len();
    let kept = if report.persons < 2 || blocked.is_empty() {
        Vec::new()
    } else {
        let (records, reviewer) = match scope {
            Scope::Everyone => trained(reg, progress)?,
            Scope::Persons(ids) => match saved(reg, report.persons)? {
                Some(params) => {
                    let (records, table) = Records::new(reg, around(reg, ids, &blocked)?)?;
                    let mut reviewer = Reviewer::with_parameters(table, params)?;
                    reviewer.bound_duplicates(DUPLICATE_RATE.0, DUPLICATE_RATE.1, report.persons);
                    (records, reviewer)
                }
                None => trained(reg, progress)?,
            },
        };
        let probes: Option<BTreeSet<PersonId>> = match scope {
            Scope::Everyone => None,
            Scope::Persons(ids) => Some(ids.iter().copied().collect()),
        };
        records
            .score(&reviewer, &blocked, min_probability, progress)
            .into_iter()
            .filter(|c| {
                probes
                    .as_ref()
                    .is_none_or(|p| p.contains(&c.pair.0) || p.contains(&c.pair.1))
            })
            .collect()
    };
    let kept = with_keys(reg, kept)?;
    report.likely = kept.len();
    let proposals = respect_decisions(reg, kept, &mut report)?;
    let withdrawn: Vec<(PersonId, PersonId)> = match scope {
        Scope::Everyone => {
            let likely: BTreeSet<(PersonId, PersonId)> = proposals.iter().map(|c| c.pair).collect();
            undecided_pending(reg)?
                .into_iter()
                .filter(|p| !likely.contains(p))
                .collect()
        }
        Scope::Persons(_) => Vec::new(),
    };
    report.withdrawn = withdrawn.len();
    append(reg, at, proposals, withdrawn, &mut report)?;
    Ok(report)
}

/// Names the index keys each kept pair shares (how blocking found it).
fn with_keys(reg: &Registry, kept: Vec<MatchCandidate>) -> anyhow::Result<Vec<MatchCandidate>> {
    kept.into_iter()
        .map(|mut c| {
            c.evidence.keys = reg.shared_keys(c.pair.0, c.pair.1)?;
            Ok(c)
        })
        .collect()
}

/// Writes the proposals, one event per [`CHUNK`] of them, in one transaction.
fn append(
    reg: &mut Registry,
    at: model::time::Timestamp,
    proposals: Vec<MatchCandidate>,
    withdrawn: Vec<(PersonId, PersonId)>,
    report: &mut ScanReport,
) -> anyhow::Result<()> {
    let mut events: Vec<Payload> = proposals
        .chunks(CHUNK)
        .map(|chunk| Payload::MatchCandidatesScanned {
            at,
            candidates: chunk.to_vec(),
            withdrawn: Vec::new(),
        })
        .collect();
    if !withdrawn.is_empty() {
        events.push(Payload::MatchCandidatesScanned {
            at,
            candidates: Vec::new(),
            withdrawn,
        });
    }
    report.events = events.len();
    if !events.is_empty() {
        let actor = reg.local_actor();
        reg.append(actor, events.into_iter().map(|p| (at, p)), &mut |_| {})
            .context("the scan's proposals were not written")?;
    }
    Ok(())
}

/// What training on the registry keeps, to check new persons without training again.
#[derive(Serialize, serde::Deserialize)]
struct Saved {
    /// Persons it learnt from.
    persons: usize,
    parameters: linkage::estimate::Parameters,
}

/// Trains on every person and keeps what was learnt.
fn trained(reg: &Registry, progress: &dyn Progress) -> anyhow::Result<(Records, Reviewer)> {
    let persons = reg.scoped_persons()?;
    let n = persons.len();
    let (records, table) = Records::new(reg, persons)?;
    let mut reviewer = Reviewer::train(table, progress)
        .context("the person model could not be trained on this registry")?;
    reviewer.bound_duplicates(DUPLICATE_RATE.0, DUPLICATE_RATE.1, n);
    let saved = Saved {
        persons: n,
        parameters: reviewer.parameters().clone(),
    };
    reg.set_duplicate_parameters(&serde_json::to_string(&saved)?)?;
    Ok((records, reviewer))
}

/// What an earlier training learnt, unless the registry has grown or shrunk by more than
/// a quarter since (then what it learnt of name frequencies no longer holds).
fn saved(reg: &Registry, persons: usize) -> anyhow::Result<Option<linkage::estimate::Parameters>> {
    let Some(text) = reg.duplicate_parameters()? else {
        return Ok(None);
    };
    let Ok(saved) = serde_json::from_str::<Saved>(&text) else {
        return Ok(None);
    };
    let drift = persons.abs_diff(saved.persons) as f64 / saved.persons.max(1) as f64;
    Ok((drift <= 0.25).then_some(saved.parameters))
}

/// The persons a check of `probes` needs: themselves, those the blocking paired them
/// with, and the relatives of both (household evidence).
fn around(
    reg: &Registry,
    probes: &[PersonId],
    blocked: &[BlockedPair],
) -> anyhow::Result<Vec<store::ScopedPerson>> {
    let mut ids: BTreeSet<PersonId> = probes.iter().copied().collect();
    ids.extend(blocked.iter().flat_map(|b| [b.0, b.1]));
    let mut out = Vec::new();
    let mut relatives = BTreeSet::new();
    for id in &ids {
        if let Some(view) = reg.person(*id)?.filter(|v| v.registered) {
            relatives.extend(view.relationships.iter().map(|r| r.other));
            out.push(store::ScopedPerson {
                camp: reg.camp_of_person(*id)?,
                view,
            });
        }
    }
    for id in relatives.difference(&ids) {
        if let Some(view) = reg.person(*id)?.filter(|v| v.registered) {
            out.push(store::ScopedPerson {
                camp: reg.camp_of_person(*id)?,
                view,
            });
        }
    }
    Ok(out)
}

/// Compares persons just registered with the registry and proposes their likely
/// duplicates; says on stderr how many. The persons are registered whatever happens here:
/// a failed check is reported, not an error of the command (a full scan catches up).
pub fn check_new(reg: &mut Registry, persons: &[PersonId]) -> usize {
    if persons.is_empty() {
        return 0;
    }
    let result = scan(
        reg,
        Scope::Persons(persons),
        DEFAULT_MIN_PROBABILITY,
        crate::context::now(),
        &linkage::Silent,
    );
    match result {
        Ok(r) => {
            let proposed = r.new + r.refreshed;
            if proposed > 0 {
                eprintln!(
                    "{proposed} possible duplicate(s) proposed for review: homeward duplicates list"
                );
            }
            proposed
        }
        Err(e) => {
            eprintln!(
                "warning: the duplicate check of the new persons failed ({e:#}); they are registered. Run `homeward duplicates scan` later."
            );
            0
        }
    }
}

/// Pending candidates nobody has decided on, as pairs.
fn undecided_pending(reg: &Registry) -> anyhow::Result<Vec<(PersonId, PersonId)>> {
    Ok(reg
        .candidates_with(&[CandidateStatus::Pending])?
        .into_iter()
        .filter(|c| c.decision().is_none())
        .map(|c| c.pair)
        .collect())
}

/// Drops pairs decided "not a match" or merged; counts new and refreshed ones.
fn respect_decisions(
    reg: &Registry,
    kept: Vec<MatchCandidate>,
    report: &mut ScanReport,
) -> anyhow::Result<Vec<MatchCandidate>> {
    let mut out = Vec::with_capacity(kept.len());
    for c in kept {
        match reg.match_candidate(candidate_id(c.pair.0, c.pair.1))? {
            None => report.new += 1,
            Some(v) => match v.status {
                CandidateStatus::NotAMatch => {
                    report.remembered_not_a_match += 1;
                    continue;
                }
                CandidateStatus::Merged => continue,
                CandidateStatus::Withdrawn => report.new += 1,
                CandidateStatus::Pending | CandidateStatus::Unsure => report.refreshed += 1,
            },
        }
        out.push(c);
    }
    Ok(out)
}

/// The registry's persons as linkage records.
struct Records {
    views: Vec<PersonView>,
    row_of: HashMap<PersonId, usize>,
}

impl Records {
    /// The records, and their table of linkage values for the reviewer to own.
    fn new(reg: &Registry, persons: Vec<store::ScopedPerson>) -> anyhow::Result<(Self, Table)> {
        let places: BTreeMap<PlaceId, String> = reg
            .places()?
            .into_iter()
            .map(|p| (p.place.id, p.place.name))
            .collect();
        let mut table = Table::new(
            linkage::person::COLUMNS
                .iter()
                .map(|c| c.to_string())
                .collect(),
        );
        let mut views = Vec::with_capacity(persons.len());
        let mut row_of = HashMap::with_capacity(persons.len());
        for p in persons {
            let camp = p
                .camp
                .and_then(|c| places.get(&c))
                .map_or("", String::as_str);
            let values = rows::record(&p.view, camp);
            let values: Vec<&str> = values.iter().map(String::as_str).collect();
            table.push(&p.view.id.to_string(), &values);
            row_of.insert(p.view.id, views.len());
            views.push(p.view);
        }
        Ok((Self { views, row_of }, table))
    }

    /// Scores the blocked pairs among these records, keeps the likely ones.
    fn score(
        &self,
        reviewer: &Reviewer,
        blocked: &[BlockedPair],
        min_probability: f64,
        progress: &dyn Progress,
    ) -> Vec<MatchCandidate> {
        let mut pairs = Vec::with_capacity(blocked.len());
        for (a, b) in blocked {
            if let (Some(&x), Some(&y)) = (self.row_of.get(a), self.row_of.get(b)) {
                pairs.push((x.min(y), x.max(y)));
            }
        }
        // Family evidence can lift a pair by at most this much: score below the minimum.
        let min_bits = linkage::weight_of(min_probability);
        let floor = linkage::probability(min_bits - family::MAX_BITS);
        let scored = reviewer.score(&pairs, floor, progress);
        scored
            .iter()
            .filter_map(|e| self.candidate(e, min_bits))
            .collect()
    }

    fn view(&self, id: PersonId) -> Option<&PersonView> {
        self.row_of.get(&id).map(|r| &self.views[*r])
    }

    /// The pair as a candidate with its evidence, if it weighs `min_bits` or more with
    /// its family evidence (weighed first: most scored pairs stop there).
    fn candidate(&self, e: &PairEvidence, min_bits: f64) -> Option<MatchCandidate> {
        let (x, y) = (&self.views[e.a], &self.views[e.b]);
        let flip = ordered(x.id, y.id) != (x.id, y.id);
        let (x, y) = if flip { (y, x) } else { (x, y) };
        let family = family::compare(x, y, &|id| self.view(id));
        let bits = e.weight + family.iter().map(|c| c.weight.bits()).sum::<f64>();
        // Compared as stored (in thousandths of a bit), so the cut is where it always was.
        if Weight::from_bits(bits).bits() < min_bits {
            return None;
        }
        let person = |row: usize| self.views[row].id;
        let household = e.household.as_ref().map(|h| HouseholdSupport {
            weight: Weight::from_bits(h.weight),
            through: h
                .through
                .iter()
                .map(|&(p, q)| {
                    if flip {
                        (person(q), person(p))
                    } else {
                        (person(p), person(q))
                    }
                })
                .collect(),
        });
        let mut comparisons: Vec<ComparisonWeight> = e
            .comparisons
            .iter()
            .map(|c| ComparisonWeight {
                comparison: c.comparison.clone(),
                level: c.level.clone(),
                weight: Weight::from_bits(c.weight),
            })
            .collect();
        comparisons.extend(family);
        Some(MatchCandidate {
            pair: (x.id, y.id),
            evidence: MatchEvidence {
                weight: Weight::from_bits(bits),
                comparisons,
                names: rows::best_names(x, y)
                    .into_iter()
                    .map(|(a, b, s)| NamePair {
                        a,
                        b,
                        similarity: (s * 1000.0).round().clamp(0.0, 1000.0) as u16,
                    })
                    .collect(),
                keys: Vec::new(),
                household,
                kunya: e.kunya,
            },
        })
    }
}
