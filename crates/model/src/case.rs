//! Repatriation cases: one per household and country, run by the consulate of that
//! country with the caseworkers who know the family.
//!
//! A case is opened for a **principal** — the mother, or a person alone — and holds her
//! children: children stay in their mother's case, and a child whose nationality is not
//! hers is flagged ([`flags`]). Its id is derived from the principal and the country
//! ([`case_id`]), so two replicas that open the same case offline open one case.
//!
//! Everything about a case is an event ([`CaseChange`], carried by
//! `Payload::CaseChanged`): opening, members, stage moves ([`stage`], with the rules of
//! which move is allowed and what it needs), documents received ([`documents`], with
//! the checklist per stage), custody handovers, and evidence items with the claims about
//! who authored them ([`evidence`]), and who travels ([`travel`]: members who stay
//! behind, members removed, unaccompanied cases). The person's own wishes and legal records are
//! claims with their reports, kept on the person like every other claim; a case shows
//! those of its members.
//!
//! The time a case spent in each stage is derived from its stage moves as of a time
//! passed in ([`CaseView::time_in_stages`]): nothing here reads a clock.

pub mod documents;
pub mod evidence;
pub mod flags;
pub mod stage;
pub mod transition;
pub mod travel;

pub use documents::{CaseDocument, DocumentKind};
pub use evidence::{Author, Authorship, Evidence, EvidenceKind, EvidenceView};
pub use flags::{child_flags, ChildFlag};
pub use stage::{Decision, Stage, StageEntry};
pub use transition::{check_transition, CaseFacts, Transition, TransitionError};
pub use travel::{check_removal, check_travel, Removal, TravelChange, TravelError};

use crate::country::CountryCode;
use crate::ids::{CaseId, EvidenceId, HouseholdId, PersonId};
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// A custody handover: who handed whom to whom, where and when.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Debug)]
pub struct Handover {
    /// "Autonomous Administration, Roj camp office".
    pub from: String,
    /// "Belgian consular team".
    pub to: String,
    /// "Semalka crossing", "Qamishli airport".
    pub place: String,
    pub at: Timestamp,
    /// The members handed over.
    pub persons: Vec<PersonId>,
    pub note: String,
}

/// A change to a case. Variants are append-only, like the payloads.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Debug)]
pub enum CaseChange {
    /// The case is opened at `identified`. Opening it again (another replica, offline)
    /// adds any members not yet in it and changes nothing else.
    Opened {
        country: CountryCode,
        principal: PersonId,
        household: Option<HouseholdId>,
        /// The principal first, then her children.
        members: Vec<PersonId>,
        at: Timestamp,
    },
    MemberAdded {
        person: PersonId,
    },
    StageChanged(StageEntry),
    DocumentReceived(CaseDocument),
    CustodyHandedOver(Handover),
    EvidenceCaptured(Evidence),
    AuthorshipClaimed {
        evidence: EvidenceId,
        authorship: Authorship,
    },
    /// A member is taken out of the case (never the principal).
    MemberRemoved(Removal),
    /// A member stays behind, or travels again ([`travel`]).
    TravelChanged(TravelChange),
}

/// A case as the projection keeps it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Debug)]
pub struct CaseView {
    pub id: CaseId,
    pub country: CountryCode,
    pub principal: PersonId,
    pub household: Option<HouseholdId>,
    pub members: Vec<PersonId>,
    /// In the order they took effect (ties: the order recorded). Never empty: opening
    /// enters `identified`.
    pub stages: Vec<StageEntry>,
    pub documents: Vec<CaseDocument>,
    pub handovers: Vec<Handover>,
    pub evidence: Vec<EvidenceView>,
    /// Members staying behind or travelling again, in the order the changes took effect.
    pub travel: Vec<TravelChange>,
    /// Members taken out of the case, in the order recorded.
    pub removed: Vec<Removal>,
}

/// Why a change could not be folded into a case.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CaseError {
    #[error("authorship claimed for evidence {0}, which is not in the case")]
    UnknownEvidence(EvidenceId),
}

/// The id of the case of `principal` with `country`: the same on every replica.
pub fn case_id(principal: PersonId, country: CountryCode) -> CaseId {
    let mut h = blake3::Hasher::new_derive_key("homeward repatriation case v1");
    h.update(principal.as_bytes());
    h.update(country.as_str().as_bytes());
    let mut id = [0u8; 16];
    id.copy_from_slice(&h.finalize().as_bytes()[..16]);
    CaseId::from_bytes(id)
}

impl CaseView {
    /// A case just opened.
    pub fn opened(
        id: CaseId,
        country: CountryCode,
        principal: PersonId,
        household: Option<HouseholdId>,
        members: &[PersonId],
        at: Timestamp,
    ) -> Self {
        let mut view = Self {
            id,
            country,
            principal,
            household,
            members: vec![principal],
            stages: vec![StageEntry {
                stage: Stage::Identified,
                at,
                decision: None,
                note: String::new(),
            }],
            documents: Vec::new(),
            handovers: Vec::new(),
            evidence: Vec::new(),
            travel: Vec::new(),
            removed: Vec::new(),
        };
        view.add_members(members);
        view
    }

    fn add_members(&mut self, members: &[PersonId]) {
        for m in members {
            if !self.members.contains(m) {
                self.members.push(*m);
            }
        }
    }

    /// Folds a change other than the opening into the case.
    pub fn apply(&mut self, change: &CaseChange) -> Result<(), CaseError> {
        match change {
            CaseChange::Opened { members, .. } => self.add_members(members),
            CaseChange::MemberAdded { person } => self.add_members(&[*person]),
            CaseChange::StageChanged(entry) => {
                let at = self.stages.partition_point(|e| e.at <= entry.at);
                self.stages.insert(at, entry.clone());
            }
            CaseChange::DocumentReceived(d) => self.documents.push(d.clone()),
            CaseChange::CustodyHandedOver(h) => self.handovers.push(h.clone()),
            CaseChange::EvidenceCaptured(e) => {
                if !self.evidence.iter().any(|v| v.evidence.id == e.id) {
                    self.evidence.push(EvidenceView {
                        evidence: e.clone(),
                        authorship: Vec::new(),
                    });
                }
            }
            CaseChange::AuthorshipClaimed {
                evidence,
                authorship,
            } => self
                .evidence
                .iter_mut()
                .find(|v| v.evidence.id == *evidence)
                .ok_or(CaseError::UnknownEvidence(*evidence))?
                .authorship
                .push(authorship.clone()),
            CaseChange::MemberRemoved(removal) => self.record_removal(removal),
            CaseChange::TravelChanged(change) => self.record_travel(change),
        }
        Ok(())
    }

    fn current(&self) -> Option<&StageEntry> {
        self.stages.last()
    }

    /// The stage the case is at now (as recorded).
    pub fn stage(&self) -> Stage {
        self.current().map_or(Stage::Identified, |e| e.stage)
    }

    /// When the case entered its current stage.
    pub fn stage_since(&self) -> Timestamp {
        self.current().map_or(Timestamp(0), |e| e.at)
    }

    /// When the case was opened.
    pub fn opened_at(&self) -> Timestamp {
        self.stages.first().map_or(Timestamp(0), |e| e.at)
    }

    /// The stage a closed case was closed from.
    pub fn closed_from(&self) -> Option<Stage> {
        let n = self.stages.len();
        (n >= 2 && self.stage() == Stage::Closed).then(|| self.stages[n - 2].stage)
    }

    /// The stages the case may move to next (see [`stage`]).
    pub fn allowed_next(&self) -> Vec<Stage> {
        self.stage().next(self.closed_from())
    }

    /// The latest decision (approved or refused), with its stage.
    pub fn decision(&self) -> Option<(Stage, &Decision)> {
        self.stages
            .iter()
            .rev()
            .find_map(|e| e.decision.as_ref().map(|d| (e.stage, d)))
    }

    /// The stage the case was at, at `as_of` (None before it was opened).
    pub fn stage_as_of(&self, as_of: Timestamp) -> Option<&StageEntry> {
        self.stages.iter().rev().find(|e| e.at <= as_of)
    }

    /// Milliseconds spent in each stage up to `as_of`, in the order the stages were first
    /// entered; a stage entered twice (a refused case reopened) adds up.
    pub fn time_in_stages(&self, as_of: Timestamp) -> Vec<(Stage, i64)> {
        let mut out: Vec<(Stage, i64)> = Vec::new();
        for (i, e) in self.stages.iter().enumerate() {
            if e.at > as_of {
                break;
            }
            let end = self
                .stages
                .get(i + 1)
                .map_or(as_of, |next| next.at.min(as_of));
            let spent = (end.0 - e.at.0).max(0);
            match out.iter_mut().find(|(s, _)| *s == e.stage) {
                Some((_, total)) => *total += spent,
                None => out.push((e.stage, spent)),
            }
        }
        out
    }
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod travel_tests;
