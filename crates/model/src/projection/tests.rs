use super::*;
use crate::event::{EventHeader, FORMAT_VERSION};
use crate::ids::{ActorId, ClaimId, ReplicaId};
use crate::person::{EvidenceGrade, NameKind, Registration, RelationshipKind};
use crate::place::PlaceStatus;
use crate::report::Channel;
use crate::time::{Hlc, Timestamp, MS_PER_DAY};
use crate::whereabouts::WhereaboutsStatus;

const CAMP: PlaceId = PlaceId(uuid::Uuid::from_u128(100));
const MOTHER: PersonId = PersonId(uuid::Uuid::from_u128(1));
const CHILD: PersonId = PersonId(uuid::Uuid::from_u128(2));

fn event(seq: u64, payload: Payload) -> Event {
    Event {
        header: EventHeader {
            version: FORMAT_VERSION,
            replica: ReplicaId::from_u128(9),
            seq,
            prev: None,
            hlc: Hlc {
                wall_ms: seq as i64,
                counter: 0,
            },
            actor: ActorId::from_u128(8),
        },
        payload,
    }
}

fn registration(names: &[&str], relationships: Vec<Relationship>) -> Registration {
    Registration {
        sex: Sex::Female,
        birth: None,
        names: names
            .iter()
            .map(|n| Name::new(*n, NameKind::Full, None))
            .collect(),
        nationalities: vec![],
        vulnerabilities: vec![],
        household: None,
        relationships,
        source: None,
    }
}

fn day(n: i64) -> Timestamp {
    Timestamp(1_570_000_000_000 + n * MS_PER_DAY)
}

fn list_report(n: u128, on: i64, persons: &[PersonId]) -> Payload {
    let id = ReportId::from_u128(n);
    Payload::ReportReceived {
        report: Report {
            id,
            channel: Channel::OfficialList,
            received_at: day(on),
            received_by: ActorId::from_u128(8),
            source: None,
            content: "camp list".into(),
            attachments: vec![],
            grade: Grade::parse("A1").unwrap(),
        },
        claims: persons
            .iter()
            .enumerate()
            .map(|(i, p)| Claim {
                id: ClaimId::from_u128(n * 1000 + i as u128),
                report: id,
                person: *p,
                observed_at: day(on),
                kind: crate::claim::ClaimKind::SeenAt { place: CAMP },
            })
            .collect(),
    }
}

fn fold(events: &[Payload]) -> MemoryState {
    let mut state = MemoryState::default();
    for (i, p) in events.iter().enumerate() {
        apply(&event(i as u64 + 1, p.clone()), &mut state).unwrap();
    }
    state
}

fn camp() -> Payload {
    Payload::PlaceAdded {
        place: Place {
            id: CAMP,
            name: "Ain Issa".into(),
            kind: PlaceKind::Camp,
            parent: None,
        },
    }
}

#[test]
fn a_relationship_shows_on_both_people() {
    let child_of = Relationship {
        kind: RelationshipKind::ChildOf,
        other: MOTHER,
        evidence: EvidenceGrade::Asserted,
    };
    let state = fold(&[
        Payload::PersonRegistered {
            person: MOTHER,
            registration: registration(&["Samira"], vec![]),
        },
        Payload::PersonRegistered {
            person: CHILD,
            registration: registration(&["Adam"], vec![child_of]),
        },
    ]);
    let mother = &state.persons[&MOTHER];
    assert_eq!(mother.relationships.len(), 1);
    assert_eq!(mother.relationships[0].kind, RelationshipKind::ParentOf);
    assert_eq!(mother.relationships[0].other, CHILD);
}

#[test]
fn claims_before_registration_are_kept() {
    let state = fold(&[
        camp(),
        list_report(1, 0, &[MOTHER]),
        Payload::PersonRegistered {
            person: MOTHER,
            registration: registration(&["Samira"], vec![]),
        },
    ]);
    let mother = &state.persons[&MOTHER];
    assert!(mother.registered);
    assert_eq!(mother.claims.len(), 1);
    assert_eq!(mother.whereabouts.status, WhereaboutsStatus::InCamp);
}

#[test]
fn guards_leaving_makes_everyone_there_unaccounted_for_until_placed() {
    let unguarded = Payload::PlaceStatusChanged {
        place: CAMP,
        change: PlaceStatusChange {
            status: PlaceStatus::Unguarded,
            at: day(3),
            report: None,
        },
    };
    let mut events = vec![camp(), list_report(1, 0, &[MOTHER, CHILD]), unguarded];
    let state = fold(&events);
    for p in [MOTHER, CHILD] {
        assert_eq!(
            state.persons[&p].whereabouts.status,
            WhereaboutsStatus::UnaccountedFor
        );
    }
    events.push(list_report(2, 4, &[CHILD]));
    let state = fold(&events);
    assert_eq!(
        state.persons[&MOTHER].whereabouts.status,
        WhereaboutsStatus::UnaccountedFor
    );
    assert_eq!(
        state.persons[&CHILD].whereabouts.status,
        WhereaboutsStatus::InCamp
    );
}

#[test]
fn status_change_for_an_unknown_place_is_refused() {
    let mut state = MemoryState::default();
    let e = event(
        1,
        Payload::PlaceStatusChanged {
            place: CAMP,
            change: PlaceStatusChange {
                status: PlaceStatus::Unguarded,
                at: day(3),
                report: None,
            },
        },
    );
    assert!(matches!(apply(&e, &mut state), Err(ApplyError::UnknownPlace(p)) if p == CAMP));
}

#[test]
fn a_backdated_status_change_is_placed_in_time_order() {
    let change = |status, d| Payload::PlaceStatusChanged {
        place: CAMP,
        change: PlaceStatusChange {
            status,
            at: day(d),
            report: None,
        },
    };
    let state = fold(&[
        camp(),
        change(PlaceStatus::Guarded, 5),
        change(PlaceStatus::UnderFire, 2),
    ]);
    let statuses: Vec<_> = state.places[&CAMP]
        .statuses
        .iter()
        .map(|c| c.status)
        .collect();
    assert_eq!(statuses, vec![PlaceStatus::UnderFire, PlaceStatus::Guarded]);
}
