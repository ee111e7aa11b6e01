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

/// Candidates below this match probability are not proposed (the person preset links at
/// 0.9; the band between is what a reviewer is for).
pub const DEFAULT_MIN_PROBABILITY: f64 = 0.5;
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

/// Scans `scope` and appends the proposals. `at` is the scan's time, `actor` the event's.
pub fn scan(
    reg: &mut Registry,
    scope: Scope<'_>,
    min_probability: f64,
    at: model::time::Timestamp,
    progress: &dyn Progress,
) -> anyhow::Result<ScanReport> {
    let persons = reg.scoped_persons()?;
    let mut report = ScanReport {
        persons: persons.len(),
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
    let withdrawable = match scope {
        Scope::Everyone => Some(undecided_pending(reg)?),
        Scope::Persons(_) => None,
    };
    let probes: Option<BTreeSet<PersonId>> = match scope {
        Scope::Everyone => None,
        Scope::Persons(ids) => Some(ids.iter().copied().collect()),
    };
    let kept = if persons.len() < 2 || blocked.is_empty() {
        Vec::new()
    } else {
        let records = Records::new(reg, persons)?;
        report.pairs_compared = blocked.len();
        let evidence = records.score(&blocked, min_probability, progress)?;
        evidence
            .into_iter()
            .filter(|c| {
                probes
                    .as_ref()
                    .is_none_or(|p| p.contains(&c.pair.0) || p.contains(&c.pair.1))
            })
            .collect()
    };
    report.likely = kept.len();
    let proposals = respect_decisions(reg, kept, &mut report)?;
    let withdrawn: Vec<(PersonId, PersonId)> = match withdrawable {
        Some(pending) => {
            let likely: BTreeSet<(PersonId, PersonId)> =
                proposals.iter().map(|c| c.pair).collect();
            pending.into_iter().filter(|p| !likely.contains(p)).collect()
        }
        None => Vec::new(),
    };
    report.withdrawn = withdrawn.len();
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
    Ok(report)
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
    table: Table,
}

impl Records {
    fn new(reg: &Registry, persons: Vec<store::ScopedPerson>) -> anyhow::Result<Self> {
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
        Ok(Self {
            views,
            row_of,
            table,
        })
    }

    /// Trains on every record, scores the blocked pairs, keeps the likely ones.
    fn score(
        self,
        blocked: &[BlockedPair],
        min_probability: f64,
        progress: &dyn Progress,
    ) -> anyhow::Result<Vec<MatchCandidate>> {
        let mut keys: HashMap<(usize, usize), &[String]> = HashMap::new();
        let mut pairs = Vec::with_capacity(blocked.len());
        for b in blocked {
            if let (Some(&x), Some(&y)) = (self.row_of.get(&b.pair.0), self.row_of.get(&b.pair.1))
            {
                pairs.push((x.min(y), x.max(y)));
                keys.insert((x.min(y), x.max(y)), &b.keys);
            }
        }
        let reviewer = Reviewer::train(self.table.clone(), progress)
            .context("the person model could not be trained on this registry")?;
        let scored = reviewer.score(&pairs, min_probability, progress);
        Ok(scored
            .iter()
            .map(|e| self.candidate(e, keys.get(&(e.a, e.b)).copied().unwrap_or(&[])))
            .collect())
    }

    fn candidate(&self, e: &PairEvidence, keys: &[String]) -> MatchCandidate {
        let (x, y) = (&self.views[e.a], &self.views[e.b]);
        let flip = ordered(x.id, y.id) != (x.id, y.id);
        let (x, y) = if flip { (y, x) } else { (x, y) };
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
        MatchCandidate {
            pair: (x.id, y.id),
            evidence: MatchEvidence {
                weight: Weight::from_bits(e.weight),
                comparisons: e
                    .comparisons
                    .iter()
                    .map(|c| ComparisonWeight {
                        comparison: c.comparison.clone(),
                        level: c.level.clone(),
                        weight: Weight::from_bits(c.weight),
                    })
                    .collect(),
                names: rows::best_names(x, y)
                    .into_iter()
                    .map(|(a, b, s)| NamePair {
                        a,
                        b,
                        similarity: (s * 1000.0).round().clamp(0.0, 1000.0) as u16,
                    })
                    .collect(),
                keys: keys.to_vec(),
                household,
                kunya: e.kunya,
            },
        }
    }
}
