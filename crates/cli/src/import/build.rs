//! Read rows into events: one registration per person, then the list itself as one report
//! whose claims place each person where the list says. Families hold together: a child
//! of a family with a wife or mother is recorded as her child, in her household.

use super::rows::{Entry, Relation};
use model::claim::{Claim, ClaimKind};
use model::event::Payload;
use model::ids::{ClaimId, HouseholdId, PersonId, ReportId};
use model::person::{EvidenceGrade, Registration, Relationship, RelationshipKind, Vulnerability};
use model::report::Report;
use model::time::Timestamp;
use std::collections::HashMap;

/// Fresh ids, from the caller (random in the CLI, fixed in tests).
pub trait Ids {
    fn next(&mut self) -> u128;
}

/// The events of one import, in append order, and the persons they register.
pub struct Batch {
    pub events: Vec<Payload>,
    pub persons: Vec<PersonId>,
}

/// Builds the events. `report` is complete but for its claims.
pub fn events(
    entries: &[Entry],
    report: Report,
    observed_at: Timestamp,
    ids: &mut dyn Ids,
) -> Batch {
    let person_ids: Vec<PersonId> = entries
        .iter()
        .map(|_| PersonId::from_u128(ids.next()))
        .collect();
    let mut households: HashMap<&str, HouseholdId> = HashMap::new();
    for e in entries {
        if let Some(h) = e.household.as_deref() {
            households
                .entry(h)
                .or_insert_with(|| HouseholdId::from_u128(ids.next()));
        }
    }
    let mothers = mothers(entries, &person_ids);
    let mut order: Vec<usize> = (0..entries.len()).collect();
    // Mothers are registered before the children who name them.
    order.sort_by_key(|&i| entries[i].relation == Relation::Child);

    let mut events = Vec::with_capacity(entries.len() + 1);
    for i in order {
        let e = &entries[i];
        let household = e
            .household
            .as_deref()
            .and_then(|h| households.get(h).copied());
        let mother = (e.relation == Relation::Child)
            .then(|| e.household.as_deref().and_then(|h| mothers.get(h)))
            .flatten()
            .filter(|m| **m != person_ids[i]);
        events.push(Payload::PersonRegistered {
            person: person_ids[i],
            registration: registration(e, report.id, household, mother.copied()),
        });
    }
    let claims = entries
        .iter()
        .zip(&person_ids)
        .filter_map(|(e, p)| {
            e.place.map(|place| Claim {
                id: ClaimId::from_u128(ids.next()),
                report: report.id,
                person: *p,
                observed_at,
                kind: ClaimKind::SeenAt { place },
            })
        })
        .collect();
    events.push(Payload::ReportReceived { report, claims });
    Batch {
        events,
        persons: person_ids,
    }
}

/// The mother of each family: its first wife or mother, else a head who is a woman.
fn mothers<'e>(entries: &'e [Entry], ids: &[PersonId]) -> HashMap<&'e str, PersonId> {
    let mut out = HashMap::new();
    for rank in [Relation::Mother, Relation::Head] {
        for (e, id) in entries.iter().zip(ids) {
            let is_mother = e.relation == rank
                && (rank == Relation::Mother || e.sex == model::person::Sex::Female);
            if let (true, Some(h)) = (is_mother, e.household.as_deref()) {
                out.entry(h).or_insert(*id);
            }
        }
    }
    out
}

fn registration(
    e: &Entry,
    report: ReportId,
    household: Option<HouseholdId>,
    mother: Option<PersonId>,
) -> Registration {
    let mut names = e.names.clone();
    for n in &mut names {
        n.source = Some(report);
    }
    let mut nationalities = e.nationalities.clone();
    for n in &mut nationalities {
        n.source = Some(report);
    }
    Registration {
        sex: e.sex,
        birth: e.birth,
        names,
        nationalities,
        vulnerabilities: e
            .condition
            .iter()
            .map(|c| Vulnerability::MedicalCondition(c.clone()))
            .collect(),
        household,
        relationships: mother
            .map(|m| Relationship {
                kind: RelationshipKind::ChildOf,
                other: m,
                evidence: EvidenceGrade::Asserted,
            })
            .into_iter()
            .collect(),
        source: Some(report),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::person::{Name, NameKind, Sex};
    use model::report::{Channel, Grade};

    struct Counter(u128);
    impl Ids for Counter {
        fn next(&mut self) -> u128 {
            self.0 += 1;
            self.0
        }
    }

    fn entry(name: &str, sex: Sex, family: &str, relation: Relation) -> Entry {
        Entry {
            line: 2,
            names: vec![Name::new(name, NameKind::Full, None)],
            sex,
            birth: None,
            nationalities: vec![],
            place: Some(model::ids::PlaceId::from_u128(99)),
            household: Some(family.into()),
            relation,
            condition: None,
        }
    }

    fn report() -> Report {
        Report {
            id: ReportId::from_u128(1_000_000),
            channel: Channel::OfficialList,
            received_at: Timestamp(0),
            received_by: model::ids::ActorId::from_u128(5),
            source: None,
            content: "synthetic list".into(),
            attachments: vec![],
            grade: Grade::parse("B2").unwrap(),
        }
    }

    #[test]
    fn children_are_their_familys_mothers_and_registered_after_her() {
        let entries = [
            entry("Adam", Sex::Male, "F1", Relation::Child),
            entry("Samira", Sex::Female, "F1", Relation::Mother),
            entry("Yusuf", Sex::Male, "F2", Relation::Child),
            entry("Khadija", Sex::Female, "F2", Relation::Head),
        ];
        let batch = events(&entries, report(), Timestamp(0), &mut Counter(0));
        let regs: Vec<(PersonId, &Registration)> = batch
            .events
            .iter()
            .filter_map(|p| match p {
                Payload::PersonRegistered {
                    person,
                    registration,
                } => Some((*person, registration)),
                _ => None,
            })
            .collect();
        assert_eq!(regs.len(), 4);
        let pos = |i: usize| {
            regs.iter()
                .position(|(p, _)| *p == batch.persons[i])
                .unwrap()
        };
        assert!(pos(1) < pos(0) && pos(3) < pos(2), "mothers first");
        let adam = regs[pos(0)].1;
        assert_eq!(adam.relationships[0].other, batch.persons[1]);
        assert_eq!(adam.household, regs[pos(1)].1.household);
        assert_eq!(
            regs[pos(2)].1.relationships[0].other,
            batch.persons[3],
            "a woman at the head is the mother"
        );
        assert_ne!(regs[pos(0)].1.household, regs[pos(2)].1.household);
        assert!(regs
            .iter()
            .all(|(_, r)| r.source == Some(report().id) && r.names[0].source == Some(report().id)));
        let Some(Payload::ReportReceived { claims, .. }) = batch.events.last() else {
            panic!("the list comes last, as a report");
        };
        assert_eq!(claims.len(), 4);
    }
}
