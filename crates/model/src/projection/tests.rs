use super::*;
use crate::event::{EventHeader, FORMAT_VERSION};
use crate::ids::{ActorId, ClaimId, ReplicaId};
use crate::person::{EvidenceGrade, NameKind, Registration, RelationshipKind};
use crate::place::PlaceStatus;
use crate::report::Channel;
use crate::task::TaskChange;
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

pub(super) fn day(n: i64) -> Timestamp {
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

pub(super) fn fold(events: &[Payload]) -> MemoryState {
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

fn status(d: i64, status: PlaceStatus) -> Payload {
    Payload::PlaceStatusChanged {
        place: CAMP,
        change: PlaceStatusChange {
            status,
            at: day(d),
            report: None,
        },
    }
}

fn crisis_tasks(state: &MemoryState) -> Vec<&TaskView> {
    let mut tasks: Vec<&TaskView> = state
        .tasks
        .values()
        .filter(|t| t.crisis.is_some())
        .collect();
    tasks.sort_by_key(|t| t.rank_key());
    tasks
}

fn young_child() -> Payload {
    let mut r = registration(&["Adam"], vec![]);
    r.birth = Some(Birth::Year(2018));
    r.vulnerabilities = vec![Vulnerability::MedicalCondition("chronic bronchitis".into())];
    Payload::PersonRegistered {
        person: CHILD,
        registration: r,
    }
}

#[test]
fn a_crisis_opens_ranked_tracing_tasks_that_close_when_people_are_placed() {
    let mut events = vec![
        camp(),
        Payload::PersonRegistered {
            person: MOTHER,
            registration: registration(&["Samira"], vec![]),
        },
        young_child(),
        list_report(1, 0, &[MOTHER]),
        list_report(2, 1, &[CHILD]),
        status(3, PlaceStatus::Unguarded),
    ];
    let state = fold(&events);
    let tasks = crisis_tasks(&state);
    assert_eq!(tasks.len(), 2);
    // The sick child under two outranks the mother, though seen more recently.
    assert_eq!(tasks[0].task.person, CHILD);
    assert_eq!(tasks[0].task.priority, 75);
    assert!(tasks[0].task.reason.contains("chronic bronchitis"));
    assert_eq!(tasks[1].task.person, MOTHER);
    assert_eq!(tasks[1].task.priority, crate::crisis::TRACING_BASE as u8);
    let origin = tasks[0].crisis.as_ref().unwrap();
    assert_eq!(origin.last_seen, day(1));
    assert_eq!(origin.change.at, day(3));
    assert!(tasks.iter().all(|t| t.is_open()));

    // A later status change opens nothing new; a list finding the child closes its task
    // with the claim that placed her.
    events.push(status(4, PlaceStatus::UnderFire));
    events.push(list_report(3, 5, &[CHILD]));
    let state = fold(&events);
    let tasks = crisis_tasks(&state);
    assert_eq!(tasks.len(), 2);
    let child = tasks.iter().find(|t| t.task.person == CHILD).unwrap();
    let placing = ClaimId::from_u128(3000);
    assert!(matches!(
        &child.task.state,
        TaskState::Closed { by_claim: Some(c), at, .. } if *c == placing && *at == day(5)
    ));
    let mother = tasks.iter().find(|t| t.task.person == MOTHER).unwrap();
    assert!(mother.is_open());
}

#[test]
fn tasks_follow_claims_that_arrive_out_of_order() {
    // The list placing the child after the crisis arrives before the crisis is recorded;
    // a registration arriving last raises the priority of the task already open.
    let state = fold(&[
        camp(),
        list_report(1, 0, &[MOTHER, CHILD]),
        list_report(2, 5, &[CHILD]),
        status(3, PlaceStatus::Unguarded),
        Payload::PersonRegistered {
            person: MOTHER,
            registration: {
                let mut r = registration(&["Samira"], vec![]);
                r.vulnerabilities = vec![Vulnerability::Pregnancy];
                r
            },
        },
    ]);
    let tasks = crisis_tasks(&state);
    assert_eq!(tasks.len(), 1, "the child was seen after the crisis");
    assert_eq!(tasks[0].task.person, MOTHER);
    assert_eq!(tasks[0].task.priority, 50);
    assert!(tasks[0].task.reason.contains("pregnant"));
}

#[test]
fn work_on_a_task_is_recorded_and_a_task_closed_by_hand_stays_closed() {
    let mut events = vec![
        camp(),
        list_report(1, 0, &[MOTHER]),
        status(3, PlaceStatus::Evacuated),
    ];
    let id = crisis_tasks(&fold(&events))[0].task.id;
    events.extend([
        Payload::TaskUpdated {
            task: id,
            at: day(4),
            change: TaskChange::AssignedTo(Some("Tracing team Roj".into())),
        },
        Payload::TaskUpdated {
            task: id,
            at: day(4),
            change: TaskChange::Note("called her sister, no answer".into()),
        },
        Payload::TaskUpdated {
            task: id,
            at: day(4),
            change: TaskChange::Due(Some(day(6))),
        },
        Payload::TaskClosed {
            task: id,
            at: day(5),
            by_claim: None,
            note: "family says she is in Idlib".into(),
        },
        status(6, PlaceStatus::Unguarded),
    ]);
    let state = fold(&events);
    let t = &state.tasks[&id];
    assert_eq!(t.assigned_to.as_deref(), Some("Tracing team Roj"));
    assert_eq!(t.due, Some(day(6)));
    assert_eq!(t.notes.len(), 1);
    assert!(!t.is_open());
    assert_eq!(crisis_tasks(&state).len(), 1);
    // A task that does not exist is refused.
    let mut fresh = MemoryState::default();
    let e = event(
        1,
        Payload::TaskUpdated {
            task: TaskId::from_u128(77),
            at: day(1),
            change: TaskChange::Note("x".into()),
        },
    );
    assert!(matches!(
        apply(&e, &mut fresh),
        Err(ApplyError::UnknownTask(_))
    ));
}
