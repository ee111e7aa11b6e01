//! Projections: current state folded from events.
//!
//! [`apply`] is the one place where an event changes derived state. It works against a
//! [`ProjectionState`], which the store implements over SQLite tables and
//! [`MemoryState`] implements over maps (for tests and for full rebuilds). Applying the
//! same events in the same order to any state gives the same views.
//!
//! Events about a person not (yet) registered are kept, not dropped: a stub view holds
//! them until the registration arrives (events from another replica may come first).

use crate::actor::ActorView;
use crate::case::CaseView;
use crate::claim::{Claim, GradedClaim};
use crate::consent::ConsentView;
use crate::event::{Event, Payload};
use crate::ids::{
    ActorId, CandidateId, CaseId, HouseholdId, InterviewId, MergeId, PersonId, PlaceId, ReportId,
    TaskId,
};
use crate::interview::Interview;
use crate::merge::{CandidateView, MergeView};
use crate::person::{Birth, Name, NationalityClaim, Relationship, Sex, Vulnerability};
use crate::place::{Place, PlaceKind, PlaceStatusChange};
use crate::report::{Grade, Report};
use crate::task::{TaskChange, TaskNote, TaskState, TaskView};
use crate::whereabouts::{self, PlaceFacts, Whereabouts};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};

#[derive(Clone, PartialEq, Serialize, Deserialize, Debug)]
pub struct PersonView {
    pub id: PersonId,
    /// False for a stub: something refers to the person but no registration arrived yet.
    pub registered: bool,
    pub sex: Sex,
    pub birth: Option<Birth>,
    pub names: Vec<Name>,
    pub nationalities: Vec<NationalityClaim>,
    pub vulnerabilities: Vec<Vulnerability>,
    pub household: Option<HouseholdId>,
    pub relationships: Vec<Relationship>,
    pub claims: Vec<GradedClaim>,
    pub whereabouts: Whereabouts,
}

impl PersonView {
    pub fn stub(id: PersonId) -> Self {
        Self {
            id,
            registered: false,
            sex: Sex::Unknown,
            birth: None,
            names: Vec::new(),
            nationalities: Vec::new(),
            vulnerabilities: Vec::new(),
            household: None,
            relationships: Vec::new(),
            claims: Vec::new(),
            whereabouts: Whereabouts::unknown(),
        }
    }

    /// Places named by any of the person's claims (for the place index).
    pub fn places(&self) -> BTreeSet<PlaceId> {
        self.claims
            .iter()
            .filter_map(|g| g.claim.kind.place())
            .collect()
    }

    /// The first full (or given + family) name, preferring Latin script, for display.
    pub fn display_name(&self) -> String {
        let full = |script| {
            self.names
                .iter()
                .find(|n| n.script == script && matches!(n.kind, crate::person::NameKind::Full))
        };
        full(crate::person::Script::Latin)
            .or_else(|| full(crate::person::Script::Arabic))
            .or_else(|| self.names.first())
            .map(|n| n.text.clone())
            .unwrap_or_else(|| format!("(unnamed {})", self.id))
    }

    /// What the rules of a new consent decision ([`crate::consent::check`]) read of the
    /// person it is about.
    pub fn consent_subject(&self) -> crate::consent::Subject<'_> {
        crate::consent::Subject {
            id: self.id,
            birth: self.birth,
            relationships: &self.relationships,
        }
    }
}

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Debug)]
pub struct PlaceView {
    pub place: Place,
    /// In time order.
    pub statuses: Vec<PlaceStatusChange>,
}

impl PlaceView {
    pub fn current_status(&self) -> Option<&PlaceStatusChange> {
        self.statuses.last()
    }
}

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Debug)]
pub struct ReportView {
    pub report: Report,
    pub claims: Vec<Claim>,
}

/// Where projections live. Reads take `&self`; writes replace a whole view.
pub trait ProjectionState {
    type Error: std::error::Error + Send + Sync + 'static;
    fn person(&self, id: PersonId) -> Result<Option<PersonView>, Self::Error>;
    fn put_person(&mut self, view: PersonView) -> Result<(), Self::Error>;
    fn place(&self, id: PlaceId) -> Result<Option<PlaceView>, Self::Error>;
    fn put_place(&mut self, view: PlaceView) -> Result<(), Self::Error>;
    fn report(&self, id: ReportId) -> Result<Option<ReportView>, Self::Error>;
    fn put_report(&mut self, view: ReportView) -> Result<(), Self::Error>;
    fn task(&self, id: TaskId) -> Result<Option<TaskView>, Self::Error>;
    fn put_task(&mut self, task: TaskView) -> Result<(), Self::Error>;
    fn case(&self, id: CaseId) -> Result<Option<CaseView>, Self::Error>;
    fn put_case(&mut self, view: CaseView) -> Result<(), Self::Error>;
    /// Persons with a claim naming `place` or a place whose parent is `place`, by id.
    fn persons_placed_at(&self, place: PlaceId) -> Result<Vec<PersonView>, Self::Error>;
    fn actor(&self, id: ActorId) -> Result<Option<ActorView>, Self::Error>;
    fn put_actor(&mut self, view: ActorView) -> Result<(), Self::Error>;
    /// Replaces a person whose whereabouts alone changed (a place-status change): a
    /// state may write less than for [`ProjectionState::put_person`].
    fn put_whereabouts(&mut self, view: PersonView) -> Result<(), Self::Error> {
        self.put_person(view)
    }
    /// Interviews and consent decisions (see [`consent`]).
    fn put_interview(&mut self, interview: Interview) -> Result<(), Self::Error>;
    fn consents(&self, person: PersonId) -> Result<Option<ConsentView>, Self::Error>;
    fn put_consents(&mut self, view: ConsentView) -> Result<(), Self::Error>;
}

/// Why an event could not be applied.
#[derive(Debug, thiserror::Error)]
pub enum ApplyError<E: std::error::Error + 'static> {
    #[error("a claim refers to report {0}, which is not in the registry")]
    UnknownReport(ReportId),
    #[error("a status change refers to place {0}, which is not in the registry")]
    UnknownPlace(PlaceId),
    #[error("event refers to task {0}, which is not in the registry")]
    UnknownTask(TaskId),
    #[error("event refers to case {0}, which is not in the registry")]
    UnknownCase(CaseId),
    #[error("case {0}: {1}")]
    Case(CaseId, crate::case::CaseError),
    #[error(transparent)]
    State(#[from] E),
}

type Applied<S> = Result<(), ApplyError<<S as ProjectionState>::Error>>;

/// Folds one event into the state: review and merge events into the merge layer, every
/// other event into the records it names, each shown as its person (see [`merge`]).
pub fn apply<S: RecordStore>(event: &Event, state: &mut S) -> Applied<S> {
    match &event.payload {
        Payload::MatchCandidatesScanned { .. }
        | Payload::MatchDecided { .. }
        | Payload::PersonsMerged { .. }
        | Payload::MergeUndone { .. } => merge::apply_review(&event.payload, state),
        _ => apply_record(event, &mut merge::Records(state)),
    }
}

/// Folds one event into the records it names.
fn apply_record<S: ProjectionState>(event: &Event, state: &mut S) -> Applied<S> {
    match &event.payload {
        Payload::PersonRegistered {
            person,
            registration: r,
        } => {
            let mut view = load_person(state, *person)?;
            view.registered = true;
            view.sex = r.sex;
            view.birth = r.birth.or(view.birth);
            view.names.extend(r.names.iter().cloned());
            view.nationalities.extend(r.nationalities.iter().cloned());
            view.vulnerabilities
                .extend(r.vulnerabilities.iter().cloned());
            view.household = r.household.or(view.household);
            for rel in &r.relationships {
                add_relationship(state, &mut view, rel.clone())?;
            }
            tracing::refresh(state, &view)?;
            state.put_person(view)?;
        }
        Payload::NameAdded { person, name } => {
            update_person(state, *person, |v| v.names.push(name.clone()))?;
        }
        Payload::NationalityClaimed { person, claim } => {
            update_person(state, *person, |v| v.nationalities.push(claim.clone()))?;
        }
        Payload::BirthRecorded { person, birth } => {
            update_person(state, *person, |v| v.birth = Some(*birth))?;
            refresh_task(state, *person)?;
        }
        Payload::VulnerabilityRecorded {
            person,
            vulnerability,
        } => {
            update_person(state, *person, |v| {
                v.vulnerabilities.push(vulnerability.clone())
            })?;
            refresh_task(state, *person)?;
        }
        Payload::RelationshipRecorded {
            person,
            relationship,
        } => {
            let mut view = load_person(state, *person)?;
            add_relationship(state, &mut view, relationship.clone())?;
            state.put_person(view)?;
        }
        Payload::HouseholdJoined { person, household } => {
            update_person(state, *person, |v| v.household = Some(*household))?;
        }
        Payload::PlaceAdded { place } => {
            let statuses = state
                .place(place.id)?
                .map(|v| v.statuses)
                .unwrap_or_default();
            state.put_place(PlaceView {
                place: place.clone(),
                statuses,
            })?;
        }
        Payload::PlaceStatusChanged { place, change } => apply_place_status(state, *place, change)?,
        Payload::ReportReceived { report, claims } => {
            state.put_report(ReportView {
                report: report.clone(),
                claims: claims.clone(),
            })?;
            add_claims(state, report.grade, claims)?;
        }
        Payload::ClaimRecorded { claim } => {
            let mut view = state
                .report(claim.report)?
                .ok_or(ApplyError::UnknownReport(claim.report))?;
            view.claims.push(claim.clone());
            let grade = view.report.grade;
            state.put_report(view)?;
            add_claims(state, grade, std::slice::from_ref(claim))?;
        }
        Payload::TaskOpened { task } => state.put_task(TaskView::new(task.clone()))?,
        Payload::TaskAssigned { task, assignee } => {
            let mut t = state.task(*task)?.ok_or(ApplyError::UnknownTask(*task))?;
            t.task.assignee = *assignee;
            state.put_task(t)?;
        }
        Payload::TaskClosed {
            task,
            at,
            by_claim,
            note,
        } => {
            let mut t = state.task(*task)?.ok_or(ApplyError::UnknownTask(*task))?;
            t.task.state = TaskState::Closed {
                at: *at,
                by_claim: *by_claim,
                note: note.clone(),
            };
            state.put_task(t)?;
        }
        Payload::TaskUpdated { task, at, change } => {
            let mut t = state.task(*task)?.ok_or(ApplyError::UnknownTask(*task))?;
            match change {
                TaskChange::AssignedTo(who) => t.assigned_to = who.clone(),
                TaskChange::Due(due) => t.due = *due,
                TaskChange::Note(text) => t.notes.push(TaskNote {
                    at: *at,
                    by: event.header.actor,
                    text: text.clone(),
                }),
            }
            state.put_task(t)?;
        }
        Payload::ActorEnrolled { enrolment } => {
            actors::enrol(state, enrolment, event.header.hlc)?;
        }
        Payload::CaseChanged { case: id, change } => case::apply(state, *id, change)?,
        Payload::InterviewRecorded { interview } => state.put_interview(interview.clone())?,
        Payload::ConsentRecorded { consent } => consent::record(state, consent)?,
        Payload::MatchCandidatesScanned { .. }
        | Payload::MatchDecided { .. }
        | Payload::PersonsMerged { .. }
        | Payload::MergeUndone { .. } => {}
    }
    Ok(())
}

/// After something that bears on priority was recorded about a person.
fn refresh_task<S: ProjectionState>(state: &mut S, person: PersonId) -> Applied<S> {
    if let Some(view) = state.person(person)? {
        tracing::refresh(state, &view)?;
    }
    Ok(())
}

fn load_person<S: ProjectionState>(state: &S, id: PersonId) -> Result<PersonView, S::Error> {
    Ok(state.person(id)?.unwrap_or_else(|| PersonView::stub(id)))
}

fn update_person<S: ProjectionState>(
    state: &mut S,
    id: PersonId,
    change: impl FnOnce(&mut PersonView),
) -> Applied<S> {
    let mut view = load_person(state, id)?;
    change(&mut view);
    state.put_person(view)?;
    Ok(())
}

/// Records a relationship on both people, so each view shows it.
fn add_relationship<S: ProjectionState>(
    state: &mut S,
    view: &mut PersonView,
    rel: Relationship,
) -> Applied<S> {
    if rel.other != view.id {
        let mut other = load_person(state, rel.other)?;
        let inverse = Relationship {
            kind: rel.kind.inverse(),
            other: view.id,
            evidence: rel.evidence,
        };
        if !other.relationships.contains(&inverse) {
            other.relationships.push(inverse);
            state.put_person(other)?;
        }
    }
    if !view.relationships.contains(&rel) {
        view.relationships.push(rel);
    }
    Ok(())
}

fn add_claims<S: ProjectionState>(state: &mut S, grade: Grade, claims: &[Claim]) -> Applied<S> {
    let mut places = PlaceCache::default();
    // Group by person so a person named in many claims of one report is written once.
    let mut by_person: BTreeMap<PersonId, Vec<&Claim>> = BTreeMap::new();
    for c in claims {
        by_person.entry(c.person).or_default().push(c);
    }
    for (person, claims) in by_person {
        let mut view = load_person(state, person)?;
        view.claims.extend(claims.into_iter().map(|c| GradedClaim {
            claim: c.clone(),
            grade,
        }));
        let before = view.whereabouts.clone();
        rederive(state, &mut places, &mut view)?;
        tracing::reconcile(state, &before, &view)?;
        state.put_person(view)?;
    }
    Ok(())
}

fn apply_place_status<S: ProjectionState>(
    state: &mut S,
    place: PlaceId,
    change: &PlaceStatusChange,
) -> Applied<S> {
    let mut view = state.place(place)?.ok_or(ApplyError::UnknownPlace(place))?;
    let at = view.statuses.partition_point(|c| c.at <= change.at);
    view.statuses.insert(at, change.clone());
    state.put_place(view)?;
    let mut places = PlaceCache::default();
    for mut view in state.persons_placed_at(place)? {
        let before = view.whereabouts.clone();
        rederive(state, &mut places, &mut view)?;
        if view.whereabouts != before {
            tracing::reconcile(state, &before, &view)?;
            state.put_whereabouts(view)?;
        }
    }
    Ok(())
}

/// Re-derives whereabouts with the place facts the person's claims need.
fn rederive<S: ProjectionState>(
    state: &S,
    places: &mut PlaceCache,
    view: &mut PersonView,
) -> Applied<S> {
    for place in view.places() {
        places.load(state, place)?;
    }
    view.whereabouts = whereabouts::derive(&view.claims, places);
    Ok(())
}

/// Place views loaded once per applied event (a list report names the same camp 1,000 times).
#[derive(Default)]
struct PlaceCache {
    views: HashMap<PlaceId, Option<PlaceView>>,
}

impl PlaceCache {
    fn load<S: ProjectionState>(&mut self, state: &S, id: PlaceId) -> Result<(), S::Error> {
        if self.views.contains_key(&id) {
            return Ok(());
        }
        let view = state.place(id)?;
        let parent = view.as_ref().and_then(|v| v.place.parent);
        self.views.insert(id, view);
        if let Some(parent) = parent {
            self.load(state, parent)?;
        }
        Ok(())
    }
}

impl PlaceFacts for PlaceCache {
    fn kind(&self, place: PlaceId) -> Option<PlaceKind> {
        self.views.get(&place)?.as_ref().map(|v| v.place.kind)
    }
    fn parent(&self, place: PlaceId) -> Option<PlaceId> {
        self.views.get(&place)?.as_ref()?.place.parent
    }
    fn status_changes(&self, place: PlaceId) -> Vec<PlaceStatusChange> {
        self.views
            .get(&place)
            .and_then(|v| v.as_ref())
            .map(|v| v.statuses.clone())
            .unwrap_or_default()
    }
}

/// Projections held in memory: for tests, and for rebuilding the whole registry at once.
#[derive(Default, Clone, PartialEq, Debug)]
pub struct MemoryState {
    pub persons: BTreeMap<PersonId, PersonView>,
    pub places: BTreeMap<PlaceId, PlaceView>,
    pub reports: BTreeMap<ReportId, ReportView>,
    pub tasks: BTreeMap<TaskId, TaskView>,
    pub actors: BTreeMap<ActorId, ActorView>,
    pub cases: BTreeMap<CaseId, CaseView>,
    pub interviews: BTreeMap<InterviewId, Interview>,
    pub consents: BTreeMap<PersonId, ConsentView>,
    /// Records kept beside their person views while merges involve them (see [`merge`]).
    pub records: BTreeMap<PersonId, PersonView>,
    pub redirects: BTreeMap<PersonId, merge::Redirect>,
    pub merges: BTreeMap<MergeId, MergeView>,
    pub candidates: BTreeMap<CandidateId, CandidateView>,
    placed_at: HashMap<PlaceId, BTreeSet<PersonId>>,
}

impl ProjectionState for MemoryState {
    type Error = std::convert::Infallible;

    fn person(&self, id: PersonId) -> Result<Option<PersonView>, Self::Error> {
        Ok(self.persons.get(&id).cloned())
    }
    fn put_person(&mut self, view: PersonView) -> Result<(), Self::Error> {
        for place in view.places() {
            self.placed_at.entry(place).or_default().insert(view.id);
        }
        self.persons.insert(view.id, view);
        Ok(())
    }
    fn place(&self, id: PlaceId) -> Result<Option<PlaceView>, Self::Error> {
        Ok(self.places.get(&id).cloned())
    }
    fn put_place(&mut self, view: PlaceView) -> Result<(), Self::Error> {
        self.places.insert(view.place.id, view);
        Ok(())
    }
    fn report(&self, id: ReportId) -> Result<Option<ReportView>, Self::Error> {
        Ok(self.reports.get(&id).cloned())
    }
    fn put_report(&mut self, view: ReportView) -> Result<(), Self::Error> {
        self.reports.insert(view.report.id, view);
        Ok(())
    }
    fn task(&self, id: TaskId) -> Result<Option<TaskView>, Self::Error> {
        Ok(self.tasks.get(&id).cloned())
    }
    fn put_task(&mut self, task: TaskView) -> Result<(), Self::Error> {
        self.tasks.insert(task.task.id, task);
        Ok(())
    }
    fn actor(&self, id: ActorId) -> Result<Option<ActorView>, Self::Error> {
        Ok(self.actors.get(&id).cloned())
    }
    fn put_actor(&mut self, view: ActorView) -> Result<(), Self::Error> {
        self.actors.insert(view.enrolment.actor, view);
        Ok(())
    }
    fn case(&self, id: CaseId) -> Result<Option<CaseView>, Self::Error> {
        Ok(self.cases.get(&id).cloned())
    }
    fn put_case(&mut self, view: CaseView) -> Result<(), Self::Error> {
        self.cases.insert(view.id, view);
        Ok(())
    }
    fn put_interview(&mut self, interview: Interview) -> Result<(), Self::Error> {
        self.interviews.insert(interview.id, interview);
        Ok(())
    }
    fn consents(&self, person: PersonId) -> Result<Option<ConsentView>, Self::Error> {
        Ok(self.consents.get(&person).cloned())
    }
    fn put_consents(&mut self, view: ConsentView) -> Result<(), Self::Error> {
        self.consents.insert(view.person, view);
        Ok(())
    }
    fn persons_placed_at(&self, place: PlaceId) -> Result<Vec<PersonView>, Self::Error> {
        let children = self
            .places
            .values()
            .filter(|v| v.place.parent == Some(place))
            .map(|v| v.place.id);
        let mut out = BTreeSet::new();
        for p in std::iter::once(place).chain(children) {
            out.extend(self.placed_at.get(&p).into_iter().flatten().copied());
        }
        Ok(out
            .into_iter()
            .filter_map(|id| self.persons.get(&id).cloned())
            .collect())
    }
}

impl RecordStore for MemoryState {
    fn record(&self, id: PersonId) -> Result<Option<PersonView>, Self::Error> {
        Ok(self.records.get(&id).cloned())
    }
    fn put_record(&mut self, view: PersonView) -> Result<(), Self::Error> {
        self.records.insert(view.id, view);
        Ok(())
    }
    fn remove_record(&mut self, id: PersonId) -> Result<(), Self::Error> {
        self.records.remove(&id);
        Ok(())
    }
    fn remove_person(&mut self, id: PersonId) -> Result<(), Self::Error> {
        self.persons.remove(&id);
        Ok(())
    }
    fn redirect(&self, id: PersonId) -> Result<Option<merge::Redirect>, Self::Error> {
        Ok(self.redirects.get(&id).copied())
    }
    fn put_redirect(&mut self, merged: PersonId, r: merge::Redirect) -> Result<(), Self::Error> {
        self.redirects.insert(merged, r);
        Ok(())
    }
    fn remove_redirect(&mut self, merged: PersonId) -> Result<(), Self::Error> {
        self.redirects.remove(&merged);
        Ok(())
    }
    fn merged_into(&self, survivor: PersonId) -> Result<Vec<PersonId>, Self::Error> {
        Ok(self
            .redirects
            .iter()
            .filter(|(_, r)| r.survivor == survivor)
            .map(|(id, _)| *id)
            .collect())
    }
    fn merge(&self, id: MergeId) -> Result<Option<MergeView>, Self::Error> {
        Ok(self.merges.get(&id).cloned())
    }
    fn put_merge(&mut self, view: MergeView) -> Result<(), Self::Error> {
        self.merges.insert(view.id, view);
        Ok(())
    }
    fn candidate(&self, id: CandidateId) -> Result<Option<CandidateView>, Self::Error> {
        Ok(self.candidates.get(&id).cloned())
    }
    fn put_candidate(&mut self, view: CandidateView) -> Result<(), Self::Error> {
        self.candidates.insert(view.id, view);
        Ok(())
    }
}

mod actors;
mod case;
mod consent;
pub mod merge;
pub(crate) mod tracing;

pub use merge::RecordStore;

#[cfg(test)]
mod tests;
