//! Who in a case travels: members who stay behind, members taken out of the case, and
//! cases whose travellers are all children (unaccompanied).
//!
//! A member may **stay behind** — a child who stays with a relative in the region, a
//! member who refuses to go — without leaving the case: the case still holds them (their
//! wishes, legal records and documents stay in view), but the documents checklist no
//! longer asks for their travel document, a transfer needs only the travellers' papers and
//! a handover names by default only those who travel. One who stays behind may **travel
//! again** later (the relative could not keep the child). Each is a [`TravelChange`] with
//! its reason, kept in the order the changes took effect; a member's latest change decides.
//!
//! A member may also be **removed** ([`Removal`]: added by mistake, or gone home on a case
//! of their own); the principal never is. Their earlier travel changes go with them: a
//! member added again travels.
//!
//! What each change is allowed, by the stage the case is at:
//!
//! | case at | stays behind | travels again | removed |
//! |---|---|---|---|
//! | identified … approved, refused | yes | yes | yes |
//! | transfer_arranged | yes | only with their travel document received | yes |
//! | arrived, legal_proceedings, reintegration_follow_up | no: who travelled is settled | no | no |
//! | closed | no: reopen the case first | no | no |
//!
//! Always: the person is a member; a reason is given; a member is not marked as what they
//! already are; a change does not take effect before the member's previous one. These are
//! checked when a person makes the change ([`check_travel`], [`check_removal`]); like stage
//! moves, the projection records what it is given.
//!
//! A case is **unaccompanied** when everyone who travels is a child: a child's own case, or
//! a mother's case in which she stays behind ([`CaseView::unaccompanied`]).

use super::documents::DocumentKind;
use super::stage::{short, Stage};
use super::CaseView;
use crate::ids::PersonId;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// A member stays behind (`travels: false`) or travels again (`travels: true`).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Debug)]
pub struct TravelChange {
    pub person: PersonId,
    pub travels: bool,
    /// When it was decided (not when it was typed in).
    pub at: Timestamp,
    /// "stays with her grandmother in Hasakah", "refuses to leave her husband".
    pub reason: String,
}

/// A member taken out of a case.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Debug)]
pub struct Removal {
    pub person: PersonId,
    pub at: Timestamp,
    /// "added by mistake: a neighbour's child", "goes home on a case of her own".
    pub reason: String,
}

/// Why a travel change or a removal was refused. Each message says what to do instead.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TravelError {
    #[error("person {} is not a member of the case", short(*.0))]
    NotMember(PersonId),
    #[error("give the reason")]
    NoReason,
    #[error("the case is at {0}: who travelled is settled")]
    Settled(Stage),
    #[error("the case is closed: reopen it first")]
    Closed,
    #[error("person {} already stays behind", short(*.0))]
    AlreadyStaying(PersonId),
    #[error("person {} already travels", short(*.0))]
    AlreadyTravelling(PersonId),
    #[error("the transfer is arranged: person {} travels again only with a travel_document received for them; record it first", short(*.0))]
    NoTravelDocument(PersonId),
    #[error("the principal cannot be removed from the case: close it, or mark the principal as staying behind")]
    Principal,
    #[error("person {}'s travel changed on {since}; a change cannot take effect before that", short(*person))]
    BeforeLatest { person: PersonId, since: Timestamp },
}

impl CaseView {
    /// The member's latest travel change, if any.
    pub fn travel_of(&self, person: PersonId) -> Option<&TravelChange> {
        self.travel.iter().rev().find(|t| t.person == person)
    }

    /// Whether the member stays behind (by their latest travel change).
    pub fn stays_behind(&self, person: PersonId) -> bool {
        self.travel_of(person).is_some_and(|t| !t.travels)
    }

    /// The members who travel, principal first.
    pub fn travellers(&self) -> Vec<PersonId> {
        self.members
            .iter()
            .copied()
            .filter(|m| !self.stays_behind(*m))
            .collect()
    }

    /// Whether someone travels and everyone who travels is a child (`is_child`: known to
    /// be under 18; a person of unknown age is not taken for a child).
    pub fn unaccompanied(&self, is_child: impl Fn(PersonId) -> bool) -> bool {
        let travellers = self.travellers();
        !travellers.is_empty() && travellers.into_iter().all(is_child)
    }

    /// Folds a travel change in at its time (ties: the order recorded).
    pub(super) fn record_travel(&mut self, change: &TravelChange) {
        let at = self.travel.partition_point(|t| t.at <= change.at);
        self.travel.insert(at, change.clone());
    }

    /// Folds a removal: the member (never the principal) leaves, with their travel changes.
    pub(super) fn record_removal(&mut self, removal: &Removal) {
        if removal.person != self.principal {
            self.members.retain(|m| *m != removal.person);
            self.travel.retain(|t| t.person != removal.person);
        }
        self.removed.push(removal.clone());
    }
}

/// Whether members may still change: refused once the case arrived or closed.
fn open_to_change(case: &CaseView) -> Result<(), TravelError> {
    match case.stage() {
        Stage::Closed => Err(TravelError::Closed),
        s @ (Stage::Arrived | Stage::LegalProceedings | Stage::ReintegrationFollowUp) => {
            Err(TravelError::Settled(s))
        }
        _ => Ok(()),
    }
}

fn member(case: &CaseView, person: PersonId) -> Result<(), TravelError> {
    if case.members.contains(&person) {
        Ok(())
    } else {
        Err(TravelError::NotMember(person))
    }
}

fn reason(text: &str) -> Result<(), TravelError> {
    if text.trim().is_empty() {
        Err(TravelError::NoReason)
    } else {
        Ok(())
    }
}

/// Checks a travel change against the rules in the module docs.
pub fn check_travel(case: &CaseView, change: &TravelChange) -> Result<(), TravelError> {
    let person = change.person;
    member(case, person)?;
    open_to_change(case)?;
    reason(&change.reason)?;
    match (change.travels, case.stays_behind(person)) {
        (false, true) => return Err(TravelError::AlreadyStaying(person)),
        (true, false) => return Err(TravelError::AlreadyTravelling(person)),
        _ => {}
    }
    if let Some(latest) = case.travel_of(person) {
        if change.at < latest.at {
            return Err(TravelError::BeforeLatest {
                person,
                since: latest.at,
            });
        }
    }
    let has_travel_document = case
        .documents
        .iter()
        .any(|d| d.kind == DocumentKind::TravelDocument && d.person == Some(person));
    if change.travels && case.stage() == Stage::TransferArranged && !has_travel_document {
        return Err(TravelError::NoTravelDocument(person));
    }
    Ok(())
}

/// Checks a removal against the rules in the module docs.
pub fn check_removal(case: &CaseView, removal: &Removal) -> Result<(), TravelError> {
    member(case, removal.person)?;
    if removal.person == case.principal {
        return Err(TravelError::Principal);
    }
    open_to_change(case)?;
    reason(&removal.reason)
}
