//! Duplicate records and merges: what linkage proposes, what a reviewer decides, and how
//! two records become one person and can be separated again.
//!
//! - A **match candidate** is a pair of records that linkage scored as probably one
//!   person, with the evidence ([`MatchEvidence`]). Its id is derived from the pair
//!   ([`candidate_id`]), so a later scan that finds the same pair again refers to the
//!   same candidate, and a decision about it sticks.
//! - A reviewer **decides**: match, not a match, or unsure ([`MatchDecision`]), with who,
//!   when and a note. "Not a match" is remembered: scans that find the pair again only
//!   refresh its evidence, the pair never returns to the queue. "Unsure" stays in the
//!   queue, marked.
//! - A **merge** makes one record (`merged`) resolve to another (`survivor`). Nothing of
//!   either record is changed or dropped: the projection keeps each record as its events
//!   made it and shows the union as one person (`projection::merge`). **Undoing** a merge
//!   removes the redirect, and the registry is exactly as if the merge never happened.
//!
//! Pure: times, names of reviewers and ids are passed in.

use crate::ids::{CandidateId, MergeId, PersonId};
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// The two records of a pair in a fixed order (lower id first), so `(a, b)` and `(b, a)`
/// are one pair.
pub fn ordered(a: PersonId, b: PersonId) -> (PersonId, PersonId) {
    if a <= b {
        (a, b)
    } else {
        (b, a)
    }
}

/// The candidate id of a pair of records: the same on every replica, for every scan,
/// whichever way round the pair is given.
pub fn candidate_id(a: PersonId, b: PersonId) -> CandidateId {
    let (a, b) = ordered(a, b);
    let mut h = blake3::Hasher::new_derive_key("homeward match candidate v1");
    h.update(a.as_bytes());
    h.update(b.as_bytes());
    let mut id = [0u8; 16];
    id.copy_from_slice(&h.finalize().as_bytes()[..16]);
    CandidateId::from_bytes(id)
}

/// A reviewer's answer to "are these two records one person?". Append-only (postcard
/// encodes by position).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Debug)]
pub enum MatchDecision {
    Match,
    NotAMatch,
    Unsure,
}

impl MatchDecision {
    pub const ALL: [Self; 3] = [Self::Match, Self::NotAMatch, Self::Unsure];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Match => "match",
            Self::NotAMatch => "not_a_match",
            Self::Unsure => "unsure",
        }
    }

    /// Reads `match`, `not_a_match` (or `not-a-match`, `no`) and `unsure`.
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().replace('-', "_").as_str() {
            "match" | "yes" => Some(Self::Match),
            "not_a_match" | "no_match" | "no" => Some(Self::NotAMatch),
            "unsure" => Some(Self::Unsure),
            _ => None,
        }
    }
}

/// A match weight (log2 odds) in thousandths, so that events stay exact and comparable.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Debug)]
pub struct Weight(pub i32);

impl Weight {
    pub fn from_bits(bits: f64) -> Self {
        Self(
            (bits * 1000.0)
                .round()
                .clamp(i32::MIN as f64, i32::MAX as f64) as i32,
        )
    }

    /// The weight in bits (log2 odds).
    pub fn bits(self) -> f64 {
        f64::from(self.0) / 1000.0
    }

    /// The match probability the weight stands for.
    pub fn probability(self) -> f64 {
        let odds = self.bits().exp2();
        if odds.is_infinite() {
            1.0
        } else {
            odds / (1.0 + odds)
        }
    }
}

/// One comparison's part of a pair's match weight (Fellegi–Sunter).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Debug)]
pub struct ComparisonWeight {
    /// The comparison, e.g. "name", "birth", "nationalities".
    pub comparison: String,
    /// The level the pair reached, e.g. "name similarity ≥ 0.92", "null", "else".
    pub level: String,
    pub weight: Weight,
}

/// Two names, one of each record, that met, and how closely (in thousandths, 0 to 1000).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Debug)]
pub struct NamePair {
    pub a: String,
    pub b: String,
    pub similarity: u16,
}

/// Household evidence: other members of the two records' households that are themselves
/// linked (a mother matched is evidence for her children).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Debug)]
pub struct HouseholdSupport {
    /// Weight the household evidence added.
    pub weight: Weight,
    /// The linked pairs of other members, (member of a's household, member of b's).
    pub through: Vec<(PersonId, PersonId)>,
}

/// Why linkage proposes a pair.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Debug)]
pub struct MatchEvidence {
    /// The pair's total match weight (prior and household evidence included).
    pub weight: Weight,
    /// Each comparison's level and weight.
    pub comparisons: Vec<ComparisonWeight>,
    /// The best-matching names of the two records.
    pub names: Vec<NamePair>,
    /// The search-index keys both records are posted under (the blocking that found them).
    pub keys: Vec<String>,
    pub household: Option<HouseholdSupport>,
    /// Whether a kunya ("Umm Adam") singled one record out as the other's mother.
    pub kunya: bool,
}

/// A pair a scan proposes, with its evidence.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Debug)]
pub struct MatchCandidate {
    /// The two records, lower id first ([`ordered`]).
    pub pair: (PersonId, PersonId),
    pub evidence: MatchEvidence,
}

/// Where a candidate stands. Only `Pending` and `Unsure` candidates are in the queue.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Debug)]
pub enum CandidateStatus {
    /// Proposed, not decided.
    Pending,
    /// A reviewer could not tell; stays in the queue, marked.
    Unsure,
    /// Decided not one person; never proposed again.
    NotAMatch,
    /// Decided one person and merged (undoing the merge puts it back in the queue).
    Merged,
    /// A full scan no longer finds the pair likely; an undecided candidate only.
    Withdrawn,
}

impl CandidateStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Unsure => "unsure",
            Self::NotAMatch => "not_a_match",
            Self::Merged => "merged",
            Self::Withdrawn => "withdrawn",
        }
    }

    /// Whether the candidate waits for a reviewer.
    pub fn in_queue(self) -> bool {
        matches!(self, Self::Pending | Self::Unsure)
    }
}

/// Something that happened to a candidate, for its history.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Debug)]
pub enum ReviewStep {
    Decided(MatchDecision),
    Merged(MergeId),
    MergeUndone(MergeId),
}

/// One step of a candidate's history: what, who, when, and the reviewer's note.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Debug)]
pub struct ReviewEntry {
    pub step: ReviewStep,
    pub by: String,
    pub at: Timestamp,
    pub note: String,
}

/// A candidate as the projection keeps it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Debug)]
pub struct CandidateView {
    pub id: CandidateId,
    pub pair: (PersonId, PersonId),
    /// The latest scan's evidence (None if a decision arrived before any proposal).
    pub evidence: Option<MatchEvidence>,
    /// When the latest scan proposed it.
    pub proposed_at: Option<Timestamp>,
    pub status: CandidateStatus,
    /// The merge that decided it, while in effect.
    pub merge: Option<MergeId>,
    pub history: Vec<ReviewEntry>,
}

impl CandidateView {
    pub fn new(pair: (PersonId, PersonId)) -> Self {
        let pair = ordered(pair.0, pair.1);
        Self {
            id: candidate_id(pair.0, pair.1),
            pair,
            evidence: None,
            proposed_at: None,
            status: CandidateStatus::Pending,
            merge: None,
            history: Vec::new(),
        }
    }

    /// The match weight of the latest evidence (none: lowest).
    pub fn weight(&self) -> Weight {
        self.evidence
            .as_ref()
            .map_or(Weight(i32::MIN), |e| e.weight)
    }

    /// The latest decision, if any.
    pub fn decision(&self) -> Option<&ReviewEntry> {
        self.history
            .iter()
            .rev()
            .find(|e| matches!(e.step, ReviewStep::Decided(_)))
    }
}

/// Who undid a merge, when and why.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Debug)]
pub struct Undo {
    pub by: String,
    pub at: Timestamp,
    pub note: String,
}

/// A merge as the projection keeps it (its history stays after an undo).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Debug)]
pub struct MergeView {
    pub id: MergeId,
    pub survivor: PersonId,
    pub merged: PersonId,
    pub candidate: Option<CandidateId>,
    pub by: String,
    pub at: Timestamp,
    pub note: String,
    /// False when the two records were already one person when the merge arrived (a
    /// merge from another replica, say): it redirected nothing, and undoing it does
    /// nothing either.
    pub effective: bool,
    pub undone: Option<Undo>,
}

impl MergeView {
    /// Whether the merge currently joins its two records.
    pub fn in_effect(&self) -> bool {
        self.effective && self.undone.is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn candidate_ids_are_derived_from_the_pair_either_way_round() {
        let (a, b, c) = (
            PersonId::from_u128(1),
            PersonId::from_u128(2),
            PersonId::from_u128(3),
        );
        assert_eq!(candidate_id(a, b), candidate_id(b, a));
        assert_ne!(candidate_id(a, b), candidate_id(a, c));
        assert_eq!(ordered(b, a), (a, b));
        assert_eq!(CandidateView::new((b, a)).pair, (a, b));
    }

    #[test]
    fn decisions_read_as_typed() {
        for d in MatchDecision::ALL {
            assert_eq!(MatchDecision::parse(d.as_str()), Some(d));
        }
        assert_eq!(
            MatchDecision::parse("Not-A-Match"),
            Some(MatchDecision::NotAMatch)
        );
        assert_eq!(MatchDecision::parse("perhaps"), None);
    }
}
