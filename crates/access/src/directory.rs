//! An index of every registered person with what scoping needs: camp of record,
//! nationalities, parents, household, and consent decisions in force. Built from one scan
//! of the registry; a server keeps it until the event log grows, so a consent decision
//! (an event) takes effect on the next request. (Name search has its own index in the store.)

use crate::policy::{ConsentFacts, PersonFacts};
use model::actor::organisation_key;
use model::consent::{ConsentView, Purpose};
use model::ids::ReportId;
use model::ids::{HouseholdId, PersonId, PlaceId};
use model::person::RelationshipKind;
use model::projection::PersonView;
use model::CountryCode;
use std::collections::HashMap;
use store::{Registry, StoreError};

#[derive(Clone, Debug)]
struct Entry {
    camp: Option<PlaceId>,
    nationalities: Vec<CountryCode>,
    parents: Vec<PersonId>,
    household: Option<HouseholdId>,
    /// Organisation keys of those who entered reports about the person.
    organisations: Vec<String>,
    /// Research consent in force.
    research: bool,
    /// The other consent decisions in force (None: nothing recorded, most persons).
    consent: Option<ConsentFacts>,
}

/// See the module doc.
#[derive(Clone, Debug, Default)]
pub struct Directory {
    entries: HashMap<PersonId, Entry>,
    households: HashMap<HouseholdId, Vec<PersonId>>,
    /// Consent decisions of the persons who have any.
    consents: HashMap<PersonId, ConsentView>,
    /// Log position ([`Registry::log_position`]) the directory was built at.
    pub built_at_events: u64,
}

/// Every person's consent decisions. A decision stays with the record it was recorded
/// on (undoing a merge needs nothing of it); a person made of several records is bound
/// by the decisions on all of them, the latest per purpose in force.
fn consents_by_person(reg: &Registry) -> Result<HashMap<PersonId, ConsentView>, StoreError> {
    let mut out: HashMap<PersonId, ConsentView> = HashMap::new();
    for view in reg.consent_views()? {
        let person = reg.resolve_person(view.person)?;
        out.entry(person)
            .or_insert_with(|| ConsentView::new(person))
            .absorb(view);
    }
    Ok(out)
}

impl Directory {
    pub fn build(reg: &Registry) -> Result<Self, StoreError> {
        let built_at_events = reg.log_position()?;
        let mut dir = Directory {
            built_at_events,
            consents: consents_by_person(reg)?,
            ..Default::default()
        };
        let recorders = Recorders::load(reg)?;
        for p in reg.scoped_persons()? {
            let v = &p.view;
            if let Some(h) = v.household {
                dir.households.entry(h).or_default().push(v.id);
            }
            dir.entries.insert(
                v.id,
                Entry {
                    camp: p.camp,
                    nationalities: v.nationalities.iter().map(|n| n.country).collect(),
                    parents: v
                        .relationships
                        .iter()
                        .filter(|r| r.kind == RelationshipKind::ChildOf)
                        .map(|r| r.other)
                        .collect(),
                    household: v.household,
                    organisations: recorders.organisations_of(v),
                    research: dir
                        .consents
                        .get(&v.id)
                        .is_some_and(|c| c.grants(&Purpose::Research)),
                    consent: dir.consents.get(&v.id).map(ConsentFacts::of),
                },
            );
        }
        Ok(dir)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The camp of record of a registered person.
    pub fn camp_of(&self, id: PersonId) -> Option<PlaceId> {
        self.entries.get(&id).and_then(|e| e.camp)
    }

    /// The other members of a person's household (empty when none is recorded).
    pub fn household_members(&self, id: PersonId) -> Vec<PersonId> {
        self.entries
            .get(&id)
            .and_then(|e| e.household)
            .and_then(|h| self.households.get(&h))
            .map(|m| m.iter().copied().filter(|p| *p != id).collect())
            .unwrap_or_default()
    }

    /// The facts the policy needs about `id`, or None if no such registered person.
    pub fn facts(&self, id: PersonId) -> Option<PersonFacts> {
        let e = self.entries.get(&id)?;
        let household: &[PersonId] = e
            .household
            .and_then(|h| self.households.get(&h))
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        Some(PersonFacts {
            camp: e.camp,
            nationalities: e.nationalities.clone(),
            parent_nationalities: self.nationalities_of(e.parents.iter()),
            household_nationalities: self.nationalities_of(household.iter()),
            research_consent: e.research,
            consent: e.consent.clone().unwrap_or_default(),
            organisations: e.organisations.clone(),
        })
    }

    /// The consent decisions recorded about `id` (None: none).
    pub fn consent(&self, id: PersonId) -> Option<&ConsentView> {
        self.consents.get(&id)
    }

    /// Countries of the claims of `ids`, leaving out those each has refused sharing with:
    /// a relative who said no to a government is no way for its consuls to find anyone.
    fn nationalities_of<'a>(&self, ids: impl Iterator<Item = &'a PersonId>) -> Vec<CountryCode> {
        let mut out: Vec<CountryCode> = ids
            .filter_map(|p| self.entries.get(p))
            .flat_map(|e| {
                let withheld = e.consent.as_ref().map(|c| c.sharing_withheld.as_slice());
                e.nationalities
                    .iter()
                    .copied()
                    .filter(move |c| !withheld.is_some_and(|w| w.contains(c)))
            })
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// Every registered person id.
    pub fn ids(&self) -> impl Iterator<Item = PersonId> + '_ {
        self.entries.keys().copied()
    }
}

/// Which organisation entered each report: the enrolment of the actor who received it.
struct Recorders {
    by_report: HashMap<ReportId, String>,
}

impl Recorders {
    fn load(reg: &Registry) -> Result<Self, StoreError> {
        let actors = reg.actors()?;
        let by_report = reg
            .report_receivers()?
            .into_iter()
            .filter_map(|(report, actor)| {
                let org = actors.get(&actor)?.enrolment.organisation.as_deref()?;
                Some((report, organisation_key(org)))
            })
            .collect();
        Ok(Self { by_report })
    }

    /// Organisations whose reports name the person in a claim or gave one of their names.
    fn organisations_of(&self, view: &PersonView) -> Vec<String> {
        let reports = view
            .claims
            .iter()
            .map(|c| c.claim.report)
            .chain(view.names.iter().filter_map(|n| n.source));
        let mut out: Vec<String> = reports
            .filter_map(|r| self.by_report.get(&r).cloned())
            .collect();
        out.sort();
        out.dedup();
        out
    }
}
