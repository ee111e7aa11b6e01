//! Property: for any sequence of events, appended in any batching, replaying the log
//! gives exactly the projections that incremental appends built, and the same views as
//! folding the events in memory.

mod common;

use common::*;
use model::case::*;
use model::event::Payload;
use model::ids::*;
use model::person::{EvidenceGrade, Relationship, RelationshipKind};
use model::place::{PlaceKind, PlaceStatus, PlaceStatusChange};
use model::projection::{apply, MemoryState};
use model::report::AttachmentHash;
use model::task::{Task, TaskKind, TaskState};
use proptest::prelude::*;
use store::Registry;

const CAMP: u128 = 1;
const SECTION: u128 = 2;
const TOWN: u128 = 3;

#[derive(Debug, Clone)]
enum Op {
    Register {
        person: u128,
        mother: Option<u128>,
    },
    Sighting {
        on: i64,
        grade: &'static str,
        place: u128,
        persons: Vec<u128>,
    },
    Status {
        place: u128,
        on: i64,
        status: PlaceStatus,
    },
    OpenTask {
        person: u128,
    },
    CloseTask {
        task: u128,
    },
    /// Raises the priority of a crisis task already open.
    Vulnerable {
        person: u128,
    },
    /// A name, nationality or birth recorded later: rewrites the person's index rows.
    Fact {
        person: u128,
        kind: u8,
    },
    /// Merges one record into another (see `model::projection::merge`).
    Merge {
        survivor: u128,
        merged: u128,
    },
    /// Undoes the k-th merge so far.
    Undo {
        k: usize,
    },
    /// Enrols an actor, or moves them to another organisation.
    Enrol {
        actor: u128,
        organisation: usize,
    },
    /// Opens (or opens again) the case of a person with a second member.
    OpenCase {
        person: u128,
        member: u128,
    },
    /// A change to the n-th case opened so far (skipped when none is).
    CaseWork {
        case: usize,
        on: i64,
        work: u8,
    },
    Interview {
        on: i64,
        persons: Vec<u128>,
    },
    /// A consent decision (research or sharing with BE; granted, refused or revoked).
    Consent {
        person: u128,
        on: i64,
        sharing: bool,
        decision: u8,
    },
}

fn op() -> impl Strategy<Value = Op> {
    let person = 10u128..16;
    let place = prop_oneof![Just(CAMP), Just(SECTION), Just(TOWN)];
    let grade = prop_oneof![Just("A1"), Just("B2"), Just("C3"), Just("F6"), Just("E5")];
    let status = prop_oneof![
        Just(PlaceStatus::Guarded),
        Just(PlaceStatus::Unguarded),
        Just(PlaceStatus::UnderFire),
        Just(PlaceStatus::Evacuated)
    ];
    prop_oneof![
        (person.clone(), proptest::option::of(10u128..16))
            .prop_map(|(person, mother)| Op::Register { person, mother }),
        (
            0i64..10,
            grade,
            place.clone(),
            proptest::collection::vec(person.clone(), 1..4)
        )
            .prop_map(|(on, grade, place, persons)| Op::Sighting {
                on,
                grade,
                place,
                persons
            }),
        (place, 0i64..10, status).prop_map(|(place, on, status)| Op::Status { place, on, status }),
        person.prop_map(|person| Op::OpenTask { person }),
        (0u128..6).prop_map(|task| Op::CloseTask { task }),
        (10u128..16).prop_map(|person| Op::Vulnerable { person }),
        (10u128..16, 0u8..3).prop_map(|(person, kind)| Op::Fact { person, kind }),
        (10u128..16, 10u128..16).prop_map(|(survivor, merged)| Op::Merge { survivor, merged }),
        (0usize..4).prop_map(|k| Op::Undo { k }),
        (1u128..4, 0usize..3).prop_map(|(actor, organisation)| Op::Enrol {
            actor,
            organisation
        }),
        (10u128..16, 10u128..16).prop_map(|(person, member)| Op::OpenCase { person, member }),
        (0usize..4, 0i64..10, 0u8..9).prop_map(|(case, on, work)| Op::CaseWork { case, on, work }),
        (0i64..10, proptest::collection::vec(10u128..16, 1..3))
            .prop_map(|(on, persons)| Op::Interview { on, persons }),
        (10u128..16, 0i64..10, any::<bool>(), 0u8..3).prop_map(
            |(person, on, sharing, decision)| {
                Op::Consent {
                    person,
                    on,
                    sharing,
                    decision,
                }
            }
        ),
    ]
}

const NAMES: [&str; 6] = [
    "Samira Bouazzaoui",
    "سميرة بوعزاوي",
    "Fatima Hassan",
    "Adam Hassan",
    "Umm Adam",
    "Khadija El Amrani",
];

/// Turns ops into payloads, skipping ops that would be refused (closing a task never opened).
fn payloads(ops: &[Op]) -> Vec<Payload> {
    let mut out = vec![
        place(CAMP, "Ain Issa", PlaceKind::Camp, None),
        place(
            SECTION,
            "Ain Issa Annex",
            PlaceKind::CampSection,
            Some(CAMP),
        ),
        place(TOWN, "Tal Abyad", PlaceKind::Town, None),
    ];
    let mut tasks = 0u128;
    let mut merges = Vec::new();
    let mut cases: Vec<CaseId> = Vec::new();
    let mut evidence: Vec<(CaseId, EvidenceId)> = Vec::new();
    for (i, op) in ops.iter().enumerate() {
        let i = i as u128;
        out.push(match op {
            Op::Register { person: p, mother } => {
                // Names from a small pool, so that the search index's keys, pair keys,
                // counts and kin rows are shared, added to and re-derived.
                let name = NAMES[((*p + i) % NAMES.len() as u128) as usize];
                let mut payload = person(*p, name);
                if let (Payload::PersonRegistered { registration, .. }, Some(m)) =
                    (&mut payload, mother)
                {
                    registration.relationships.push(Relationship {
                        kind: RelationshipKind::ChildOf,
                        other: PersonId::from_u128(*m),
                        evidence: EvidenceGrade::Asserted,
                    });
                }
                payload
            }
            Op::Sighting {
                on,
                grade,
                place,
                persons,
            } => sighting(1000 + i, *on, grade, *place, persons),
            Op::Status { place, on, status } => Payload::PlaceStatusChanged {
                place: PlaceId::from_u128(*place),
                change: PlaceStatusChange {
                    status: *status,
                    at: day(*on),
                    report: None,
                },
            },
            Op::OpenTask { person } => {
                tasks += 1;
                Payload::TaskOpened {
                    task: Task {
                        id: TaskId::from_u128(tasks),
                        kind: TaskKind::Tracing,
                        person: PersonId::from_u128(*person),
                        priority: (i % 100) as u8,
                        reason: "unaccounted for".into(),
                        opened_at: day(0),
                        assignee: None,
                        state: TaskState::Open,
                    },
                }
            }
            Op::CloseTask { task } if *task >= 1 && *task <= tasks => Payload::TaskClosed {
                task: TaskId::from_u128(*task),
                at: day(5),
                by_claim: None,
                note: "placed".into(),
            },
            Op::CloseTask { .. } => continue,
            Op::Fact { person, kind } => {
                let person = PersonId::from_u128(*person);
                match kind {
                    0 => Payload::NameAdded {
                        person,
                        name: model::person::Name::new(
                            NAMES[(i % NAMES.len() as u128) as usize],
                            model::person::NameKind::Full,
                            None,
                        ),
                    },
                    1 => Payload::NationalityClaimed {
                        person,
                        claim: model::person::NationalityClaim {
                            country: "FR".parse().unwrap(),
                            status: model::person::NationalityStatus::Confirmed,
                            evidence: None,
                            source: None,
                        },
                    },
                    _ => Payload::BirthRecorded {
                        person,
                        birth: model::person::Birth::Year(2015 + (i % 4) as i32),
                    },
                }
            }
            Op::Vulnerable { person } => Payload::VulnerabilityRecorded {
                person: PersonId::from_u128(*person),
                vulnerability: model::person::Vulnerability::Pregnancy,
            },
            Op::Merge { survivor, merged } => {
                merges.push(MergeId::from_u128(5000 + i));
                Payload::PersonsMerged {
                    merge: MergeId::from_u128(5000 + i),
                    survivor: PersonId::from_u128(*survivor),
                    merged: PersonId::from_u128(*merged),
                    candidate: None,
                    by: "reviewer".into(),
                    at: day(6),
                    note: String::new(),
                }
            }
            Op::Undo { k } => match merges.get(*k) {
                Some(m) => Payload::MergeUndone {
                    merge: *m,
                    by: "reviewer".into(),
                    at: day(7),
                    note: String::new(),
                },
                None => continue,
            },
            Op::Enrol {
                actor,
                organisation,
            } => Payload::ActorEnrolled {
                enrolment: model::actor::Enrolment {
                    actor: model::ids::ActorId::from_u128(*actor),
                    name: format!("worker {actor}"),
                    organisation: Some(
                        ["Relief A", "Relief B", "Registry C"][*organisation].into(),
                    ),
                },
            },
            Op::OpenCase { person, member } => {
                let principal = PersonId::from_u128(*person);
                let id = case_id(principal, "BE".parse().unwrap());
                if !cases.contains(&id) {
                    cases.push(id);
                }
                Payload::CaseChanged {
                    case: id,
                    change: CaseChange::Opened {
                        country: "BE".parse().unwrap(),
                        principal,
                        household: None,
                        members: vec![principal, PersonId::from_u128(*member)],
                        at: day(0),
                    },
                }
            }
            Op::CaseWork { case, on, work } => {
                let Some(&id) = cases.get(*case % cases.len().max(1)) else {
                    continue;
                };
                case_work(id, i, *on, *work, &mut evidence)
            }
            Op::Interview { on, persons } => interview(i % 3, *on, persons),
            Op::Consent {
                person,
                on,
                sharing,
                decision,
            } => {
                use model::consent::{Decision, Purpose};
                let purpose = if *sharing {
                    Purpose::Sharing("BE".parse().unwrap())
                } else {
                    Purpose::Research
                };
                let decision = [Decision::Granted, Decision::Refused, Decision::Revoked]
                    [usize::from(*decision)];
                consent(i, *person, purpose, decision, *on)
            }
        });
    }
    out
}

/// One change to an open case: a stage move (not checked: the projection records what
/// was decided), a document, a handover, a member staying behind or travelling again,
/// removed or added, evidence, or authorship of evidence captured.
fn case_work(
    id: CaseId,
    i: u128,
    on: i64,
    work: u8,
    evidence: &mut Vec<(CaseId, EvidenceId)>,
) -> Payload {
    let stages = [Stage::NationalityVerified, Stage::Refused, Stage::Closed];
    let change = match work {
        0 | 1 => CaseChange::StageChanged(StageEntry {
            stage: stages[(i as usize) % stages.len()],
            at: day(on),
            decision: None,
            note: format!("move {i}"),
        }),
        2 => CaseChange::DocumentReceived(CaseDocument {
            kind: DocumentKind::TravelDocument,
            person: None,
            hash: Some(AttachmentHash([i as u8; 32])),
            received_at: day(on),
            note: String::new(),
        }),
        3 => CaseChange::CustodyHandedOver(Handover {
            from: "camp office".into(),
            to: "consular team".into(),
            place: "crossing".into(),
            at: day(on),
            persons: vec![],
            note: String::new(),
        }),
        6 => CaseChange::TravelChanged(TravelChange {
            person: PersonId::from_u128(10 + i % 6),
            travels: i % 3 == 0,
            at: day(on),
            reason: format!("decision {i}"),
        }),
        7 => CaseChange::MemberRemoved(Removal {
            person: PersonId::from_u128(10 + i % 6),
            at: day(on),
            reason: format!("removal {i}"),
        }),
        8 => CaseChange::MemberAdded {
            person: PersonId::from_u128(10 + i % 6),
        },
        _ => match evidence.iter().find(|(c, _)| *c == id) {
            Some((_, e)) if work == 5 => CaseChange::AuthorshipClaimed {
                evidence: *e,
                authorship: Authorship {
                    author: Author::Described(format!("author {i}")),
                    report: ReportId::from_u128(i),
                    note: String::new(),
                },
            },
            _ => {
                let e = EvidenceId::from_u128(i);
                evidence.push((id, e));
                CaseChange::EvidenceCaptured(Evidence {
                    id: e,
                    kind: EvidenceKind::SocialMediaPost,
                    hash: AttachmentHash([1; 32]),
                    captured_at: day(on),
                    captured_by: "analyst".into(),
                    description: "a post".into(),
                    about: None,
                })
            }
        },
    };
    Payload::CaseChanged { case: id, change }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, .. ProptestConfig::default() })]

    #[test]
    fn rebuild_gives_identical_projections(ops in proptest::collection::vec(op(), 1..40), cuts in proptest::collection::vec(1usize..8, 1..6)) {
        let payloads = payloads(&ops);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("reg.db");
        let mut reg = Registry::create(&path, PASS).unwrap();
        let actor = reg.local_actor();

        // Append in batches of varying size, as separate commands would.
        let mut rest = payloads.as_slice();
        let mut cut = cuts.iter().cycle();
        while !rest.is_empty() {
            let n = (*cut.next().unwrap()).min(rest.len());
            let (batch, tail) = rest.split_at(n);
            reg.append(actor, batch.iter().cloned().map(|p| (day(0), p)), &mut |_| {}).unwrap();
            rest = tail;
        }
        let incremental = reg.projection_digest().unwrap();
        let summary = reg.rebuild(&mut |_, _| {}).unwrap();
        prop_assert_eq!(&summary.digest_before, &incremental);
        prop_assert_eq!(&summary.digest_after, &incremental);

        // And the stored views equal an in-memory fold of the same events.
        let mut memory = MemoryState::default();
        let header = |seq| model::event::EventHeader {
            version: model::event::FORMAT_VERSION, replica: reg.replica(), seq, prev: None,
            hlc: Default::default(), actor,
        };
        for (i, p) in payloads.iter().enumerate() {
            apply(&model::event::Event { header: header(i as u64 + 1), payload: p.clone() }, &mut memory).unwrap();
        }
        for (id, view) in &memory.persons {
            let stored = reg.person(*id).unwrap();
            prop_assert_eq!(stored.as_ref(), Some(view));
        }
        // Merged records resolve alike, and have no person view of their own.
        for (id, r) in &memory.redirects {
            prop_assert_eq!(reg.resolve_person(*id).unwrap(), r.resolved);
            prop_assert!(reg.person(*id).unwrap().is_none());
        }
        // Tasks too, including those crises opened and claims closed.
        for (id, task) in &memory.tasks {
            let stored = reg.task(*id).unwrap();
            prop_assert_eq!(stored.as_ref(), Some(task));
        }
        let all = store::TaskFilter { include_closed: true, ..Default::default() };
        prop_assert_eq!(reg.tasks(&all).unwrap().len(), memory.tasks.len());
        // And repatriation cases, with their members indexed.
        for (id, case) in &memory.cases {
            let stored = reg.case(*id).unwrap();
            prop_assert_eq!(stored.as_ref(), Some(case));
            for m in &case.members {
                prop_assert!(reg.cases_of_person(*m).unwrap().contains(id));
            }
        }
        prop_assert_eq!(reg.cases(&Default::default()).unwrap().len(), memory.cases.len());
        // Interviews (re-recorded under the same id: the latest wins) and consent.
        for (id, interview) in &memory.interviews {
            let stored = reg.interview(*id).unwrap();
            prop_assert_eq!(stored.as_ref(), Some(interview));
            for p in &interview.persons {
                prop_assert!(reg.interviews_of(*p).unwrap().contains(interview));
            }
        }
        for (person, view) in &memory.consents {
            let stored = reg.consents(*person).unwrap();
            prop_assert_eq!(stored.as_ref(), Some(view));
        }
        prop_assert_eq!(reg.consent_views().unwrap().len(), memory.consents.len());
    }
}
