//! Merges on the registry file: search, ids, tasks and records follow a merge; undoing it
//! gives back exactly the projections and search index of a registry that never had it
//! (a property over random histories); an older registry file opens and gains the tables.

mod common;

use common::*;
use model::event::Payload;
use model::ids::*;
use model::person::{EvidenceGrade, Relationship, RelationshipKind};
use model::place::{PlaceKind, PlaceStatus};
use proptest::prelude::*;
use store::{Registry, SearchFilters};

const CAMP: u128 = 1;
const TOWN: u128 = 3;

fn merge(id: u128, survivor: u128, merged: u128) -> Payload {
    Payload::PersonsMerged {
        merge: MergeId::from_u128(id),
        survivor: PersonId::from_u128(survivor),
        merged: PersonId::from_u128(merged),
        candidate: None,
        by: "reviewer".into(),
        at: day(8),
        note: "same woman, two lists".into(),
    }
}

fn undo(id: u128) -> Payload {
    Payload::MergeUndone {
        merge: MergeId::from_u128(id),
        by: "reviewer".into(),
        at: day(9),
        note: String::new(),
    }
}

fn registry(payloads: &[Payload]) -> (tempfile::TempDir, Registry) {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = Registry::create(&dir.path().join("reg.db"), PASS).unwrap();
    let actor = reg.local_actor();
    reg.append(
        actor,
        payloads.iter().cloned().map(|p| (day(0), p)),
        &mut |_| {},
    )
    .unwrap();
    (dir, reg)
}

fn base() -> Vec<Payload> {
    vec![
        place(CAMP, "Ain Issa", PlaceKind::Camp, None),
        place(TOWN, "Tal Abyad", PlaceKind::Town, None),
        person(10, "Samira Bouazzaoui"),
        person(11, "Khadija El Amrani"),
        sighting(100, 0, "A1", CAMP, &[10]),
        sighting(101, 3, "B2", TOWN, &[11]),
    ]
}

fn hits(reg: &Registry, q: &str) -> Vec<PersonId> {
    reg.search(q, &SearchFilters::default(), 10, &|_| true)
        .unwrap()
        .into_iter()
        .map(|h| h.person)
        .collect()
}

#[test]
fn a_merged_person_is_found_by_either_record_and_every_id_resolves() {
    let (a, b) = (PersonId::from_u128(10), PersonId::from_u128(11));
    let mut events = base();
    events.push(merge(7, 10, 11));
    let (_d, reg) = registry(&events);
    assert_eq!(hits(&reg, "Khadija El Amrani"), [a]);
    assert_eq!(hits(&reg, "Samira Bouazzaoui"), [a]);
    assert!(reg.person(b).unwrap().is_none());
    let into = reg.merged_into(b).unwrap().unwrap();
    assert_eq!(into.person, a);
    assert_eq!(into.merge.note, "same woman, two lists");
    let records = reg.person_records(a).unwrap();
    assert_eq!(records.iter().map(|r| r.id).collect::<Vec<_>>(), [a, b]);
    assert_eq!(reg.person(a).unwrap().unwrap().claims.len(), 2);
    assert_eq!(reg.merges_of(a).unwrap().len(), 1);
    let (total, _) = reg.stats(&[], 2019).unwrap();
    assert_eq!(total, 1, "one person, counted once");

    let mut undone = events.clone();
    undone.push(undo(7));
    let (_d2, reg) = registry(&undone);
    assert_eq!(hits(&reg, "Khadija El Amrani"), [b]);
    assert!(reg.merged_into(b).unwrap().is_none());
    assert_eq!(reg.person_records(a).unwrap().len(), 1);
}

#[test]
fn tasks_of_a_merged_record_list_under_the_person() {
    let mut events = base();
    events.push(status_of(CAMP, 1, PlaceStatus::Unguarded));
    events.push(merge(7, 11, 10));
    let (_d, reg) = registry(&events);
    let tasks = reg.tasks(&store::TaskFilter::default()).unwrap();
    assert_eq!(tasks.len(), 1, "the crisis task of the record stays open");
    assert_eq!(tasks[0].view.task.person, PersonId::from_u128(10));
    assert_eq!(tasks[0].person, PersonId::from_u128(11));
    assert_eq!(tasks[0].person_name, "Khadija El Amrani");
}

#[test]
fn an_older_registry_opens_and_gains_the_merge_tables() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    {
        let mut reg = Registry::create(&path, PASS).unwrap();
        let actor = reg.local_actor();
        reg.append(actor, base().into_iter().map(|p| (day(0), p)), &mut |_| {})
            .unwrap();
    }
    store::testing::raw_execute(
        &path,
        PASS,
        "DROP TABLE person_records; DROP TABLE person_redirects; DROP TABLE person_merges;
         DROP TABLE match_candidates; UPDATE meta SET value = 2 WHERE key = 'schema_version';",
    )
    .unwrap();
    let mut reg = Registry::open(&path, PASS).unwrap();
    let before = reg.projection_digest().unwrap();
    let summary = reg.rebuild(&mut |_, _| {}).unwrap();
    assert_eq!(
        summary.digest_after, before,
        "the new tables start as a rebuild leaves them"
    );
    let actor = reg.local_actor();
    reg.append_one(actor, day(1), merge(7, 10, 11)).unwrap();
    assert_eq!(
        reg.resolve_person(PersonId::from_u128(11)).unwrap(),
        PersonId::from_u128(10)
    );
}

#[derive(Debug, Clone)]
enum Op {
    Register {
        person: u128,
        mother: Option<u128>,
        name: usize,
    },
    Seen {
        on: i64,
        place: u128,
        persons: Vec<u128>,
    },
    Unguarded {
        on: i64,
    },
    Merge {
        survivor: u128,
        merged: u128,
    },
    Undo {
        k: usize,
    },
}

const NAMES: [&str; 5] = [
    "Samira Bouazzaoui",
    "سميرة بوعزاوي",
    "Adam Hassan",
    "Umm Adam",
    "Khadija El Amrani",
];

fn op() -> impl Strategy<Value = Op> {
    let person = 10u128..16;
    prop_oneof![
        (person.clone(), proptest::option::of(10u128..16), 0usize..5).prop_map(
            |(person, mother, name)| Op::Register {
                person,
                mother,
                name
            }
        ),
        (
            0i64..6,
            prop_oneof![Just(CAMP), Just(TOWN)],
            proptest::collection::vec(person.clone(), 1..3)
        )
            .prop_map(|(on, place, persons)| Op::Seen { on, place, persons }),
        (0i64..6).prop_map(|on| Op::Unguarded { on }),
        (person.clone(), person).prop_map(|(survivor, merged)| Op::Merge { survivor, merged }),
        (0usize..4).prop_map(|k| Op::Undo { k }),
    ]
}

/// (with merges and undos, every merge undone at the end) and (without any).
fn histories(ops: &[Op]) -> (Vec<Payload>, Vec<Payload>) {
    let mut with = vec![
        place(CAMP, "Ain Issa", PlaceKind::Camp, None),
        place(TOWN, "Tal Abyad", PlaceKind::Town, None),
    ];
    let mut without = with.clone();
    let mut merges = Vec::new();
    for (i, op) in ops.iter().enumerate() {
        let i = i as u128;
        let payload = match op {
            Op::Register {
                person: p,
                mother,
                name,
            } => {
                let mut payload = person(*p, NAMES[*name]);
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
            Op::Seen { on, place, persons } => sighting(1000 + i, *on, "A1", *place, persons),
            Op::Unguarded { on } => status_of(CAMP, *on, PlaceStatus::Unguarded),
            Op::Merge { survivor, merged } => {
                merges.push(5000 + i);
                with.push(merge(5000 + i, *survivor, *merged));
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
    with.extend(merges.iter().rev().map(|m| undo(*m)));
    (with, without)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, .. ProptestConfig::default() })]

    #[test]
    fn merge_then_undo_leaves_projections_and_index_as_if_never_merged(
        ops in proptest::collection::vec(op(), 1..30),
        cut in 1usize..6,
    ) {
        let (with, without) = histories(&ops);
        let dir = tempfile::tempdir().unwrap();
        let mut merged = Registry::create(&dir.path().join("with.db"), PASS).unwrap();
        let actor = merged.local_actor();
        // In batches, as separate commands would append them.
        for batch in with.chunks(cut) {
            merged.append(actor, batch.iter().cloned().map(|p| (day(0), p)), &mut |_| {}).unwrap();
        }
        let (_d, plain) = registry(&without);
        prop_assert_eq!(merged.person_layer_digest().unwrap(), plain.person_layer_digest().unwrap());
        // And the registry with its merge history still rebuilds to itself.
        let before = merged.projection_digest().unwrap();
        let summary = merged.rebuild(&mut |_, _| {}).unwrap();
        prop_assert_eq!(summary.digest_after, before);
    }
}
