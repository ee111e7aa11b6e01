//! Merges in memory: what a merged person shows, what resolves where, and that undoing a
//! merge gives exactly the registry that never had it (a property over random histories).

use crate::claim::{Claim, ClaimKind};
use crate::event::Payload;
use crate::ids::*;
use crate::merge::{
    CandidateStatus, MatchCandidate, MatchDecision, MatchEvidence, ReviewStep, Weight,
};
use crate::person::{
    Birth, EvidenceGrade, Name, NameKind, NationalityClaim, NationalityStatus, Registration,
    Relationship, RelationshipKind, Sex,
};
use crate::place::{Place, PlaceKind, PlaceStatus, PlaceStatusChange};
use crate::projection::tests::{day, fold};
use crate::projection::MemoryState;
use crate::report::{Channel, Grade, Report};
use crate::whereabouts::WhereaboutsStatus;
use crate::CountryCode;
use proptest::prelude::*;

const CAMP: u128 = 900;
const TOWN: u128 = 901;

fn p(n: u128) -> PersonId {
    PersonId::from_u128(n)
}

fn places() -> Vec<Payload> {
    [
        (CAMP, "Roj", PlaceKind::Camp),
        (TOWN, "Tal Abyad", PlaceKind::Town),
    ]
    .into_iter()
    .map(|(id, name, kind)| Payload::PlaceAdded {
        place: Place {
            id: PlaceId::from_u128(id),
            name: name.into(),
            kind,
            parent: None,
        },
    })
    .collect()
}

fn register(n: u128, name: &str, cc: Option<&str>, mother: Option<u128>) -> Payload {
    Payload::PersonRegistered {
        person: p(n),
        registration: Registration {
            sex: Sex::Female,
            birth: Some(Birth::Year(1990)),
            names: vec![Name::new(name, NameKind::Full, None)],
            nationalities: cc
                .map(|c| NationalityClaim {
                    country: c.parse::<CountryCode>().unwrap(),
                    status: NationalityStatus::Claimed,
                    evidence: None,
                    source: None,
                })
                .into_iter()
                .collect(),
            vulnerabilities: vec![],
            household: Some(HouseholdId::from_u128(n + 5000)),
            relationships: mother
                .map(|m| Relationship {
                    kind: RelationshipKind::ChildOf,
                    other: p(m),
                    evidence: EvidenceGrade::Asserted,
                })
                .into_iter()
                .collect(),
            source: None,
        },
    }
}

fn seen(report: u128, on: i64, grade: &str, place: u128, persons: &[u128]) -> Payload {
    let id = ReportId::from_u128(report);
    Payload::ReportReceived {
        report: Report {
            id,
            channel: Channel::OfficialList,
            received_at: day(on),
            received_by: ActorId::from_u128(8),
            source: None,
            content: "list".into(),
            attachments: vec![],
            grade: Grade::parse(grade).unwrap(),
        },
        claims: persons
            .iter()
            .enumerate()
            .map(|(i, who)| Claim {
                id: ClaimId::from_u128(report * 100 + i as u128),
                report: id,
                person: p(*who),
                observed_at: day(on),
                kind: ClaimKind::SeenAt {
                    place: PlaceId::from_u128(place),
                },
            })
            .collect(),
    }
}

fn unguarded(on: i64) -> Payload {
    Payload::PlaceStatusChanged {
        place: PlaceId::from_u128(CAMP),
        change: PlaceStatusChange {
            status: PlaceStatus::Unguarded,
            at: day(on),
            report: None,
        },
    }
}

fn merge(id: u128, survivor: u128, merged: u128) -> Payload {
    Payload::PersonsMerged {
        merge: MergeId::from_u128(id),
        survivor: p(survivor),
        merged: p(merged),
        candidate: None,
        by: "reviewer".into(),
        at: day(30),
        note: String::new(),
    }
}

fn undo(id: u128) -> Payload {
    Payload::MergeUndone {
        merge: MergeId::from_u128(id),
        by: "reviewer".into(),
        at: day(31),
        note: "not her".into(),
    }
}

/// The person layer and everything else but the review history.
fn persons_and_tasks(s: &MemoryState) -> impl PartialEq + std::fmt::Debug + '_ {
    (
        &s.persons,
        &s.tasks,
        &s.places,
        &s.reports,
        &s.records,
        &s.redirects,
    )
}

#[test]
fn a_merged_person_shows_both_records_and_the_old_id_resolves() {
    // B escaped (unaccounted for after the camp lost its guards); A is the same woman,
    // registered again and seen in town later, with her child.
    let mut events = places();
    events.extend([
        register(1, "Samira Bouazzaoui", Some("BE"), None),
        register(2, "سميرة بوعزاوي", Some("FR"), None),
        register(3, "Adam", None, Some(2)),
        seen(1, 0, "A1", CAMP, &[2]),
        unguarded(2),
        seen(2, 5, "B2", TOWN, &[1]),
        merge(7, 1, 2),
    ]);
    let s = fold(&events);
    let a = &s.persons[&p(1)];
    assert!(
        !s.persons.contains_key(&p(2)),
        "the merged record has no view of its own"
    );
    assert_eq!(crate::projection::merge::resolve(&s, p(2)).unwrap(), p(1));
    let names: Vec<&str> = a.names.iter().map(|n| n.text.as_str()).collect();
    assert_eq!(names, ["Samira Bouazzaoui", "سميرة بوعزاوي"]);
    assert_eq!(a.nationalities.len(), 2);
    assert_eq!(a.claims.len(), 2);
    // Whereabouts from the union: seen in town after the camp was dispersed.
    assert_ne!(a.whereabouts.status, WhereaboutsStatus::UnaccountedFor);
    assert_eq!(a.whereabouts.place, Some(PlaceId::from_u128(TOWN)));
    // B's child is the merged person's child, both ways.
    assert!(a
        .relationships
        .iter()
        .any(|r| r.other == p(3) && r.kind == RelationshipKind::ParentOf));
    assert_eq!(s.persons[&p(3)].relationships[0].other, p(1));
    // Each record is kept as its own events made it.
    assert_eq!(s.records[&p(2)].names.len(), 1);
    assert_eq!(
        s.records[&p(2)].whereabouts.status,
        WhereaboutsStatus::UnaccountedFor
    );
}

#[test]
fn events_about_a_merged_record_show_under_the_survivor_and_leave_with_it() {
    let mut events = places();
    events.extend([
        register(1, "Samira Bouazzaoui", None, None),
        register(2, "Sameera Bu Azawi", None, None),
        merge(7, 1, 2),
        seen(1, 3, "A1", CAMP, &[2]),
        Payload::NameAdded {
            person: p(2),
            name: Name::new("Umm Adam", NameKind::Kunya, None),
        },
    ]);
    let merged = fold(&events);
    assert_eq!(merged.persons[&p(1)].claims.len(), 1);
    assert_eq!(merged.persons[&p(1)].names.len(), 3);
    events.push(undo(7));
    let after = fold(&events);
    assert_eq!(after.persons[&p(1)].claims.len(), 0);
    assert_eq!(after.persons[&p(2)].claims.len(), 1);
    assert_eq!(after.persons[&p(2)].names.len(), 2);
    assert!(after.records.is_empty() && after.redirects.is_empty());
}

#[test]
fn chains_of_merges_resolve_to_the_root_and_undo_one_link_at_a_time() {
    let mut events = places();
    events.extend([
        register(1, "One", None, None),
        register(2, "Two", None, None),
        register(3, "Three", None, None),
        merge(7, 1, 2),
        merge(8, 3, 1),
    ]);
    let s = fold(&events);
    assert_eq!(s.persons.len(), 1);
    assert_eq!(s.persons[&p(3)].names.len(), 3);
    assert_eq!(crate::projection::merge::resolve(&s, p(2)).unwrap(), p(3));
    events.push(undo(8));
    let s = fold(&events);
    assert_eq!(s.persons[&p(1)].names.len(), 2, "Two stays with One");
    assert_eq!(s.persons[&p(3)].names.len(), 1);
    assert_eq!(crate::projection::merge::resolve(&s, p(2)).unwrap(), p(1));
}

#[test]
fn merges_that_cannot_take_effect_change_nothing_even_when_undone() {
    let mut events = places();
    events.extend([
        register(1, "One", None, None),
        register(2, "Two", None, None),
        register(3, "Three", None, None),
    ]);
    let plain = fold(&events);
    events.push(merge(7, 1, 1)); // itself
    events.push(merge(8, 2, 1));
    events.push(merge(9, 1, 2)); // the other way round: already one person
    events.push(merge(10, 3, 1)); // 1 is already merged into 2
    let s = fold(&events);
    assert!(s.merges[&MergeId::from_u128(7)].effective.eq(&false));
    assert!(s.merges[&MergeId::from_u128(8)].effective);
    assert!(!s.merges[&MergeId::from_u128(9)].effective);
    assert!(!s.merges[&MergeId::from_u128(10)].effective);
    events.extend([undo(9), undo(10), undo(7), undo(8)]);
    assert_eq!(persons_and_tasks(&fold(&events)), persons_and_tasks(&plain));
}

#[test]
fn an_undo_that_arrives_before_its_merge_keeps_the_merge_from_taking_effect() {
    let mut events = places();
    events.extend([
        register(1, "One", None, None),
        register(2, "Two", None, None),
    ]);
    let plain = fold(&events);
    events.extend([undo(7), merge(7, 1, 2)]);
    let s = fold(&events);
    assert_eq!(persons_and_tasks(&s), persons_and_tasks(&plain));
    assert!(!s.merges[&MergeId::from_u128(7)].in_effect());
}

fn evidence(bits: f64) -> MatchEvidence {
    MatchEvidence {
        weight: Weight::from_bits(bits),
        comparisons: vec![],
        names: vec![],
        keys: vec!["smr bzw".into()],
        household: None,
        kunya: false,
    }
}

fn scan(pairs: &[(u128, u128)], withdrawn: &[(u128, u128)]) -> Payload {
    Payload::MatchCandidatesScanned {
        at: day(20),
        candidates: pairs
            .iter()
            .map(|(a, b)| MatchCandidate {
                pair: crate::merge::ordered(p(*a), p(*b)),
                evidence: evidence(9.0),
            })
            .collect(),
        withdrawn: withdrawn.iter().map(|(a, b)| (p(*a), p(*b))).collect(),
    }
}

fn decide(a: u128, b: u128, decision: MatchDecision) -> Payload {
    Payload::MatchDecided {
        pair: (p(a), p(b)),
        decision,
        by: "reviewer".into(),
        at: day(21),
        note: "checked the lists".into(),
    }
}

#[test]
fn decisions_stick_across_later_scans() {
    let status =
        |s: &MemoryState, a, b| s.candidates[&crate::merge::candidate_id(p(a), p(b))].status;
    let mut events = places();
    events.extend([
        scan(&[(1, 2), (1, 3), (2, 3), (4, 5)], &[]),
        decide(2, 1, MatchDecision::NotAMatch),
        decide(1, 3, MatchDecision::Unsure),
        scan(&[(1, 2), (1, 3)], &[(2, 3), (1, 2), (1, 3)]),
    ]);
    let s = fold(&events);
    assert_eq!(status(&s, 1, 2), CandidateStatus::NotAMatch);
    assert_eq!(status(&s, 1, 3), CandidateStatus::Unsure);
    assert_eq!(status(&s, 2, 3), CandidateStatus::Withdrawn);
    assert_eq!(status(&s, 4, 5), CandidateStatus::Pending);
    events.push(scan(&[(3, 2)], &[]));
    assert_eq!(status(&fold(&events), 2, 3), CandidateStatus::Pending);
}

#[test]
fn a_candidate_merged_and_undone_returns_to_the_queue_with_its_history() {
    let mut events = places();
    events.extend([
        register(1, "One", None, None),
        register(2, "Two", None, None),
        scan(&[(1, 2)], &[]),
        decide(1, 2, MatchDecision::Match),
        Payload::PersonsMerged {
            merge: MergeId::from_u128(7),
            survivor: p(1),
            merged: p(2),
            candidate: Some(crate::merge::candidate_id(p(1), p(2))),
            by: "reviewer".into(),
            at: day(22),
            note: String::new(),
        },
    ]);
    let id = crate::merge::candidate_id(p(1), p(2));
    let s = fold(&events);
    assert_eq!(s.candidates[&id].status, CandidateStatus::Merged);
    events.push(undo(7));
    let s = fold(&events);
    let c = &s.candidates[&id];
    assert_eq!(c.status, CandidateStatus::Pending);
    let steps: Vec<&ReviewStep> = c.history.iter().map(|e| &e.step).collect();
    assert_eq!(
        steps,
        [
            &ReviewStep::Decided(MatchDecision::Match),
            &ReviewStep::Merged(MergeId::from_u128(7)),
            &ReviewStep::MergeUndone(MergeId::from_u128(7)),
        ]
    );
}

#[derive(Debug, Clone)]
enum Op {
    Register {
        person: u128,
        mother: Option<u128>,
    },
    Seen {
        on: i64,
        grade: &'static str,
        place: u128,
        persons: Vec<u128>,
    },
    Unguarded {
        on: i64,
    },
    Name {
        person: u128,
    },
    Merge {
        survivor: u128,
        merged: u128,
    },
    /// Undo the k-th merge so far (if any).
    Undo {
        k: usize,
    },
}

fn op() -> impl Strategy<Value = Op> {
    let person = 1u128..7;
    prop_oneof![
        (person.clone(), proptest::option::of(1u128..7))
            .prop_map(|(person, mother)| Op::Register { person, mother }),
        (
            0i64..10,
            prop_oneof![Just("A1"), Just("C3"), Just("F6")],
            prop_oneof![Just(CAMP), Just(TOWN)],
            proptest::collection::vec(person.clone(), 1..4)
        )
            .prop_map(|(on, grade, place, persons)| Op::Seen {
                on,
                grade,
                place,
                persons
            }),
        (0i64..10).prop_map(|on| Op::Unguarded { on }),
        person.clone().prop_map(|person| Op::Name { person }),
        (person.clone(), person).prop_map(|(survivor, merged)| Op::Merge { survivor, merged }),
        (0usize..6).prop_map(|k| Op::Undo { k }),
    ]
}

/// The history with its merges and undos, then every merge undone (undoing an undone
/// merge again changes nothing); and the same history without any merge or undo.
fn histories(ops: &[Op]) -> (Vec<Payload>, Vec<Payload>) {
    let (mut with, undos, without) = history_parts(ops);
    with.extend(undos);
    (with, without)
}

/// The history with merges and undos, the final undos, the history without merges.
fn history_parts(ops: &[Op]) -> (Vec<Payload>, Vec<Payload>, Vec<Payload>) {
    let mut with = places();
    let mut without = places();
    let mut merges: Vec<u128> = Vec::new();
    for (i, op) in ops.iter().enumerate() {
        let i = i as u128;
        let payload = match op {
            Op::Register { person, mother } => {
                register(*person, &format!("Person {person}"), Some("BE"), *mother)
            }
            Op::Seen {
                on,
                grade,
                place,
                persons,
            } => seen(100 + i, *on, grade, *place, persons),
            Op::Unguarded { on } => unguarded(*on),
            Op::Name { person } => Payload::NameAdded {
                person: p(*person),
                name: Name::new(format!("Alias {i}"), NameKind::Alias, None),
            },
            Op::Merge { survivor, merged } => {
                merges.push(1000 + i);
                with.push(merge(1000 + i, *survivor, *merged));
                continue;
            }
            Op::Undo { k } => {
                if let Some(m) = merges.get(*k) {
                    with.push(undo(*m));
                }
                continue;
            }
        };
        with.push(payload.clone());
        without.push(payload);
    }
    let undos = merges.iter().rev().map(|m| undo(*m)).collect();
    (with, undos, without)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, .. ProptestConfig::default() })]

    #[test]
    fn merging_then_undoing_is_as_if_never_merged(ops in proptest::collection::vec(op(), 1..40)) {
        let (with, without) = histories(&ops);
        let merged = fold(&with);
        let plain = fold(&without);
        prop_assert_eq!(persons_and_tasks(&merged), persons_and_tasks(&plain));
    }

    #[test]
    fn a_merged_person_is_the_union_of_its_records(ops in proptest::collection::vec(op(), 1..40)) {
        let (with, _, _) = history_parts(&ops);
        let s = fold(&with);
        for (id, r) in &s.redirects {
            prop_assert!(!s.persons.contains_key(id), "a merged record has no view");
            prop_assert!(!s.redirects.contains_key(&r.resolved), "redirects name the root");
            let root = &s.persons[&r.resolved];
            for record in [id, &r.resolved] {
                for claim in &s.records[record].claims {
                    prop_assert!(root.claims.iter().any(|c| c.claim.id == claim.claim.id));
                }
                for name in &s.records[record].names {
                    prop_assert!(root.names.contains(name));
                }
            }
        }
        // Every person's relationships name persons that have a view.
        for v in s.persons.values() {
            for rel in &v.relationships {
                prop_assert!(!s.redirects.contains_key(&rel.other));
            }
        }
    }
}
