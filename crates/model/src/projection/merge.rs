//! Merges in the projection: every record keeps the view its own events made, and a
//! person made of several records is shown as their union.
//!
//! Two layers:
//! - **records**: what [`super::apply`] folds each event into, by the id the event
//!   names, as if no merge existed. Tasks, including derived crisis tasks, follow the
//!   records too: a merge is a reviewer's judgement that may be undone, so it never
//!   closes a search for someone on its own (closing a task stays a person's decision).
//! - **persons**: what readers see ([`ProjectionState::person`]). A record nobody merged,
//!   and that points at no merged record, *is* its person view (and is stored once). A
//!   group of merged records is shown under the root record's id as their union
//!   ([`compose`]): every name, nationality claim, vulnerability, relationship and claim of
//!   every record, whereabouts derived again from the union of claims. A record merged
//!   into another has no person view of its own; its id resolves to the root
//!   ([`RecordStore::redirect`]). Relationships show the root for a merged record.
//!
//! The person layer is a pure function of the records and the merges in effect, and
//! undoing a merge only removes its redirect, so after an undo the person layer (and
//! everything derived from it: search index, counts) is exactly what it would be had the
//! merge never happened. The property tests in `tests.rs` and the store check this.
//!
//! A merge takes effect only between two different persons both known to the registry,
//! and only if the merged record is not already merged elsewhere (events from another
//! replica may cross): it is otherwise recorded as not effective, and undoing it changes
//! nothing.

use super::{Applied, PersonView, PlaceCache, ProjectionState};
use crate::event::Payload;
use crate::ids::{CandidateId, MergeId, PersonId, PlaceId};
use crate::merge::{
    candidate_id, CandidateStatus, CandidateView, MatchDecision, MergeView, ReviewEntry,
    ReviewStep, Undo,
};
use crate::person::{Birth, Sex};
use crate::whereabouts;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A record merged into another, while the merge is in effect.
#[derive(Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Debug)]
pub struct Redirect {
    /// The record it was merged into (which may itself be merged further).
    pub survivor: PersonId,
    /// The root of its group: the person it is shown as.
    pub resolved: PersonId,
    pub merge: MergeId,
}

/// Storage for merges, beside the person layer of [`ProjectionState`].
pub trait RecordStore: ProjectionState {
    /// The kept record view of `id`: kept only while the record belongs to a group of
    /// merged records or points at a merged record (otherwise its person view is it).
    fn record(&self, id: PersonId) -> Result<Option<PersonView>, Self::Error>;
    fn put_record(&mut self, view: PersonView) -> Result<(), Self::Error>;
    fn remove_record(&mut self, id: PersonId) -> Result<(), Self::Error>;
    /// Removes a person view (with whatever is derived from it, such as search rows).
    fn remove_person(&mut self, id: PersonId) -> Result<(), Self::Error>;
    fn redirect(&self, id: PersonId) -> Result<Option<Redirect>, Self::Error>;
    fn put_redirect(&mut self, merged: PersonId, redirect: Redirect) -> Result<(), Self::Error>;
    fn remove_redirect(&mut self, merged: PersonId) -> Result<(), Self::Error>;
    /// Records merged directly into `survivor`, by id.
    fn merged_into(&self, survivor: PersonId) -> Result<Vec<PersonId>, Self::Error>;
    fn merge(&self, id: MergeId) -> Result<Option<MergeView>, Self::Error>;
    fn put_merge(&mut self, view: MergeView) -> Result<(), Self::Error>;
    fn candidate(&self, id: CandidateId) -> Result<Option<CandidateView>, Self::Error>;
    fn put_candidate(&mut self, view: CandidateView) -> Result<(), Self::Error>;
}

/// The person a record is shown as.
pub fn resolve<S: RecordStore + ?Sized>(state: &S, id: PersonId) -> Result<PersonId, S::Error> {
    Ok(state.redirect(id)?.map_or(id, |r| r.resolved))
}

/// `root` and every record merged into it, directly or not: root first, then by id.
/// `merged_into` gives the records merged directly into a record.
pub fn group<E>(
    root: PersonId,
    merged_into: impl Fn(PersonId) -> Result<Vec<PersonId>, E>,
) -> Result<Vec<PersonId>, E> {
    let mut out = vec![root];
    let mut below = subtree(&merged_into, root)?;
    below.sort();
    out.extend(below);
    Ok(out)
}

/// Every record merged into `id`, directly or through others.
fn subtree<E>(
    merged_into: impl Fn(PersonId) -> Result<Vec<PersonId>, E>,
    id: PersonId,
) -> Result<Vec<PersonId>, E> {
    let mut out = Vec::new();
    let mut todo = vec![id];
    while let Some(next) = todo.pop() {
        for child in merged_into(next)? {
            out.push(child);
            todo.push(child);
        }
    }
    Ok(out)
}

/// [`group`] over a state.
fn members<S: RecordStore>(state: &S, root: PersonId) -> Result<Vec<PersonId>, S::Error> {
    group(root, |id| state.merged_into(id))
}

/// The records' side of a state: [`super::apply`] folds events into it. Reads give
/// record views; writes store the record and show its person again.
pub(super) struct Records<'s, S: RecordStore>(pub &'s mut S);

impl<S: RecordStore> Records<'_, S> {
    fn record_or_person(&self, id: PersonId) -> Result<Option<PersonView>, S::Error> {
        match self.0.record(id)? {
            Some(r) => Ok(Some(r)),
            None => self.0.person(id),
        }
    }

    fn points_at_merged(&self, view: &PersonView) -> Result<bool, S::Error> {
        for rel in &view.relationships {
            if self.0.redirect(rel.other)?.is_some() {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Stores a record view and shows the person it belongs to.
    fn put(&mut self, view: PersonView, whereabouts_only: bool) -> Result<(), S::Error> {
        let kept = self.0.record(view.id)?.is_some();
        if !kept && !self.points_at_merged(&view)? {
            // The common case: no merge involved, the record is the person.
            return if whereabouts_only {
                self.0.put_whereabouts(view)
            } else {
                self.0.put_person(view)
            };
        }
        let root = resolve(self.0, view.id)?;
        self.0.put_record(view)?;
        present(self.0, root)
    }

    /// Whether a record names `place`, or a section of it, in a claim.
    fn placed_at(&self, view: &PersonView, place: PlaceId) -> Result<bool, S::Error> {
        for p in view.places() {
            if p == place || self.0.place(p)?.and_then(|v| v.place.parent) == Some(place) {
                return Ok(true);
            }
        }
        Ok(false)
    }
}

impl<S: RecordStore> ProjectionState for Records<'_, S> {
    type Error = S::Error;

    fn person(&self, id: PersonId) -> Result<Option<PersonView>, S::Error> {
        self.record_or_person(id)
    }
    fn put_person(&mut self, view: PersonView) -> Result<(), S::Error> {
        self.put(view, false)
    }
    fn put_whereabouts(&mut self, view: PersonView) -> Result<(), S::Error> {
        self.put(view, true)
    }
    fn place(&self, id: PlaceId) -> Result<Option<super::PlaceView>, S::Error> {
        self.0.place(id)
    }
    fn put_place(&mut self, view: super::PlaceView) -> Result<(), S::Error> {
        self.0.put_place(view)
    }
    fn report(&self, id: crate::ids::ReportId) -> Result<Option<super::ReportView>, S::Error> {
        self.0.report(id)
    }
    fn put_report(&mut self, view: super::ReportView) -> Result<(), S::Error> {
        self.0.put_report(view)
    }
    fn task(&self, id: crate::ids::TaskId) -> Result<Option<crate::task::TaskView>, S::Error> {
        self.0.task(id)
    }
    fn put_task(&mut self, task: crate::task::TaskView) -> Result<(), S::Error> {
        self.0.put_task(task)
    }
    fn case(&self, id: crate::ids::CaseId) -> Result<Option<crate::case::CaseView>, S::Error> {
        self.0.case(id)
    }
    fn put_case(&mut self, view: crate::case::CaseView) -> Result<(), S::Error> {
        self.0.put_case(view)
    }
    fn actor(&self, id: crate::ids::ActorId) -> Result<Option<crate::actor::ActorView>, S::Error> {
        self.0.actor(id)
    }
    fn put_actor(&mut self, view: crate::actor::ActorView) -> Result<(), S::Error> {
        self.0.put_actor(view)
    }
    /// Interviews and consent decisions stay with the record they name, so undoing a merge
    /// needs nothing of them; readers combine a person's records (see `access::directory`).
    fn put_interview(&mut self, interview: crate::interview::Interview) -> Result<(), S::Error> {
        self.0.put_interview(interview)
    }
    fn consents(&self, person: PersonId) -> Result<Option<crate::consent::ConsentView>, S::Error> {
        self.0.consents(person)
    }
    fn put_consents(&mut self, view: crate::consent::ConsentView) -> Result<(), S::Error> {
        self.0.put_consents(view)
    }
    /// The records placed at `place`: a merged person's view names the places of all its
    /// records, so each of its records is looked at on its own.
    fn persons_placed_at(&self, place: PlaceId) -> Result<Vec<PersonView>, S::Error> {
        let mut out = BTreeMap::new();
        for view in self.0.persons_placed_at(place)? {
            if self.0.record(view.id)?.is_none() {
                out.insert(view.id, view);
                continue;
            }
            for member in members(self.0, view.id)? {
                if let Some(r) = self.0.record(member)? {
                    if self.placed_at(&r, place)? {
                        out.insert(member, r);
                    }
                }
            }
        }
        Ok(out.into_values().collect())
    }
}

/// How precise a birth is, to choose the one a merged person shows.
fn precision(b: &Birth) -> u8 {
    match b {
        Birth::Exact(_) => 3,
        Birth::Month { .. } => 2,
        Birth::Year(_) => 1,
        Birth::StatedAge { .. } => 0,
    }
}

fn push_new<T: PartialEq + Clone>(into: &mut Vec<T>, items: &[T]) {
    for item in items {
        if !into.contains(item) {
            into.push(item.clone());
        }
    }
}

/// The union of a group's records (root first), shown under the root's id; without
/// whereabouts, which [`present`] derives again from the union of claims. Relationships
/// name the person each record resolves to (`resolved`); a relationship between two
/// records of the group is dropped. For a group of one record, nothing but relationships can differ.
pub fn compose(records: &[PersonView], resolved: &dyn Fn(PersonId) -> PersonId) -> PersonView {
    let Some(first) = records.first() else {
        return PersonView::stub(PersonId::from_u128(0));
    };
    let mut out = first.clone();
    out.relationships.clear();
    for r in records {
        out.registered |= r.registered;
        if out.sex == Sex::Unknown {
            out.sex = r.sex;
        }
        if let Some(b) = r.birth {
            if out.birth.is_none_or(|o| precision(&b) > precision(&o)) {
                out.birth = Some(b);
            }
        }
        if r.id != first.id {
            push_new(&mut out.names, &r.names);
            push_new(&mut out.nationalities, &r.nationalities);
            push_new(&mut out.vulnerabilities, &r.vulnerabilities);
            out.household = out.household.or(r.household);
            for c in &r.claims {
                if !out.claims.iter().any(|o| o.claim.id == c.claim.id) {
                    out.claims.push(c.clone());
                }
            }
        }
        for rel in &r.relationships {
            let mut mapped = rel.clone();
            mapped.other = resolved(rel.other);
            // Two records of one person related to each other say nothing of the person.
            let joined = mapped.other == out.id && rel.other != r.id;
            if !joined && !out.relationships.contains(&mapped) {
                out.relationships.push(mapped);
            }
        }
    }
    out
}

/// Shows the person whose group has root `root` again, from the kept records. A record
/// that no longer needs keeping (alone, pointing at no merged record) stops being kept.
fn present<S: RecordStore>(state: &mut S, root: PersonId) -> Result<(), S::Error> {
    let group = members(state, root)?;
    let mut records = Vec::with_capacity(group.len());
    for m in &group {
        let view = match state.record(*m)? {
            Some(v) => v,
            None => state.person(*m)?.unwrap_or_else(|| PersonView::stub(*m)),
        };
        records.push(view);
    }
    let mut resolved: BTreeMap<PersonId, PersonId> = BTreeMap::new();
    for r in &records {
        for rel in &r.relationships {
            resolved.insert(rel.other, resolve(state, rel.other)?);
        }
    }
    let lookup = |id: PersonId| resolved.get(&id).copied().unwrap_or(id);
    let mut view = compose(&records, &lookup);
    if group.len() == 1 {
        view.whereabouts = records[0].whereabouts.clone();
        if view == records[0] {
            state.remove_record(root)?;
        }
    } else {
        let mut places = PlaceCache::default();
        for p in view.places() {
            places.load(state, p)?;
        }
        view.whereabouts = whereabouts::derive(&view.claims, &places);
    }
    state.put_person(view)
}

/// Keeps the current view of every record in the group of `root` (before it changes).
fn keep_group<S: RecordStore>(state: &mut S, root: PersonId) -> Result<Vec<PersonId>, S::Error> {
    let group = members(state, root)?;
    for m in &group {
        if state.record(*m)?.is_none() {
            let view = state.person(*m)?.unwrap_or_else(|| PersonView::stub(*m));
            state.put_record(view)?;
        }
    }
    Ok(group)
}

/// Shows again every person related to one of `members` (their relationships name the
/// person a member resolves to, which just changed).
fn touch_relatives<S: RecordStore>(state: &mut S, members: &[PersonId]) -> Result<(), S::Error> {
    let mut others = Vec::new();
    for m in members {
        if let Some(r) = state.record(*m)?.or(state.person(*m)?) {
            others.extend(r.relationships.iter().map(|rel| rel.other));
        }
    }
    others.sort();
    others.dedup();
    for o in others {
        let Some(view) = Records(state).record_or_person(o)? else {
            continue;
        };
        Records(state).put(view, false)?;
    }
    Ok(())
}

/// Sets the root of every record below `top` (and of `top` if it is merged).
fn set_resolved<S: RecordStore>(
    state: &mut S,
    top: PersonId,
    root: PersonId,
) -> Result<(), S::Error> {
    for id in std::iter::once(top).chain(subtree(|i| state.merged_into(i), top)?) {
        if let Some(mut r) = state.redirect(id)? {
            r.resolved = root;
            state.put_redirect(id, r)?;
        }
    }
    Ok(())
}

/// Joins record `merged` (and what was merged into it) to the group of `survivor`.
fn join<S: RecordStore>(state: &mut S, m: &MergeView) -> Result<(), S::Error> {
    let root = resolve(state, m.survivor)?;
    keep_group(state, root)?;
    let moved = keep_group(state, m.merged)?;
    state.put_redirect(
        m.merged,
        Redirect {
            survivor: m.survivor,
            resolved: root,
            merge: m.id,
        },
    )?;
    set_resolved(state, m.merged, root)?;
    state.remove_person(m.merged)?;
    present(state, root)?;
    touch_relatives(state, &moved)
}

/// Separates record `merged` (and what was merged into it) from its group again.
fn separate<S: RecordStore>(state: &mut S, m: &MergeView) -> Result<(), S::Error> {
    let old_root = resolve(state, m.merged)?;
    state.remove_redirect(m.merged)?;
    set_resolved(state, m.merged, m.merged)?;
    let moved = members(state, m.merged)?;
    present(state, m.merged)?;
    present(state, old_root)?;
    touch_relatives(state, &moved)
}

/// Folds the review and merge events; other events are the records' ([`Records`]).
pub(super) fn apply_review<S: RecordStore>(payload: &Payload, state: &mut S) -> Applied<S> {
    match payload {
        Payload::MatchCandidatesScanned {
            at,
            candidates,
            withdrawn,
        } => {
            for c in candidates {
                let id = candidate_id(c.pair.0, c.pair.1);
                let mut v = state
                    .candidate(id)?
                    .unwrap_or_else(|| CandidateView::new(c.pair));
                v.evidence = Some(c.evidence.clone());
                v.proposed_at = Some(*at);
                if v.status == CandidateStatus::Withdrawn {
                    v.status = CandidateStatus::Pending;
                }
                state.put_candidate(v)?;
            }
            for (a, b) in withdrawn {
                if let Some(mut v) = state.candidate(candidate_id(*a, *b))? {
                    if v.status == CandidateStatus::Pending && v.decision().is_none() {
                        v.status = CandidateStatus::Withdrawn;
                        state.put_candidate(v)?;
                    }
                }
            }
        }
        Payload::MatchDecided {
            pair,
            decision,
            by,
            at,
            note,
        } => {
            let id = candidate_id(pair.0, pair.1);
            let mut v = state
                .candidate(id)?
                .unwrap_or_else(|| CandidateView::new(*pair));
            v.history.push(ReviewEntry {
                step: ReviewStep::Decided(*decision),
                by: by.clone(),
                at: *at,
                note: note.clone(),
            });
            v.status = match decision {
                MatchDecision::NotAMatch => CandidateStatus::NotAMatch,
                MatchDecision::Unsure => CandidateStatus::Unsure,
                // The merge that follows settles it.
                MatchDecision::Match => CandidateStatus::Pending,
            };
            state.put_candidate(v)?;
        }
        Payload::PersonsMerged {
            merge,
            survivor,
            merged,
            candidate,
            by,
            at,
            note,
        } => {
            let earlier = state.merge(*merge)?;
            let undone_first = earlier.as_ref().and_then(|e| e.undone.clone());
            let effective = undone_first.is_none()
                && earlier.is_none()
                && survivor != merged
                && known(state, *survivor)?
                && known(state, *merged)?
                && state.redirect(*merged)?.is_none()
                && resolve(state, *survivor)? != *merged;
            let view = MergeView {
                id: *merge,
                survivor: *survivor,
                merged: *merged,
                candidate: *candidate,
                by: by.clone(),
                at: *at,
                note: note.clone(),
                effective,
                undone: undone_first,
            };
            if effective {
                join(state, &view)?;
            }
            state.put_merge(view)?;
            if let Some(c) = candidate {
                mark_candidate(state, *c, ReviewStep::Merged(*merge), by, *at, note)?;
            }
        }
        Payload::MergeUndone {
            merge,
            by,
            at,
            note,
        } => {
            let undo = Undo {
                by: by.clone(),
                at: *at,
                note: note.clone(),
            };
            match state.merge(*merge)? {
                Some(mut m) if m.undone.is_none() => {
                    if m.effective {
                        separate(state, &m)?;
                    }
                    m.undone = Some(undo);
                    if let Some(c) = m.candidate {
                        mark_candidate(state, c, ReviewStep::MergeUndone(*merge), by, *at, note)?;
                    }
                    state.put_merge(m)?;
                }
                Some(_) => {}
                // Undone before the merge arrived (from another replica): remembered, so
                // the merge never takes effect.
                None => state.put_merge(MergeView {
                    id: *merge,
                    survivor: PersonId::from_u128(0),
                    merged: PersonId::from_u128(0),
                    candidate: None,
                    by: String::new(),
                    at: *at,
                    note: String::new(),
                    effective: false,
                    undone: Some(undo),
                })?,
            }
        }
        _ => {}
    }
    Ok(())
}

/// Whether any event has named the record (a merge makes no stub: undoing it could not
/// take the stub away again).
fn known<S: RecordStore>(state: &S, id: PersonId) -> Result<bool, S::Error> {
    Ok(state.record(id)?.is_some() || state.person(id)?.is_some() || state.redirect(id)?.is_some())
}

fn mark_candidate<S: RecordStore>(
    state: &mut S,
    id: CandidateId,
    step: ReviewStep,
    by: &str,
    at: crate::time::Timestamp,
    note: &str,
) -> Result<(), S::Error> {
    let Some(mut v) = state.candidate(id)? else {
        return Ok(());
    };
    match step {
        ReviewStep::Merged(m) => {
            v.status = CandidateStatus::Merged;
            v.merge = Some(m);
        }
        ReviewStep::MergeUndone(m) if v.merge == Some(m) => {
            v.status = CandidateStatus::Pending;
            v.merge = None;
        }
        _ => {}
    }
    v.history.push(ReviewEntry {
        step,
        by: by.to_string(),
        at,
        note: note.to_string(),
    });
    state.put_candidate(v)
}

#[cfg(test)]
mod tests;
