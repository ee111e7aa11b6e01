//! Crises over many persons at once, appended as separate commands: the paths a large
//! camp takes (tasks answered from one read of the stored task ids, persons rewritten
//! with their unchanged index rows kept) give the same projections as a rebuild and as
//! folding the same events in memory.

mod common;

use common::*;
use model::event::{Event, EventHeader, Payload, FORMAT_VERSION};
use model::ids::PersonId;
use model::place::{PlaceKind, PlaceStatus};
use model::projection::{apply, MemoryState};
use store::{Registry, TaskFilter};

const CAMP: u128 = 1;
const OTHER_CAMP: u128 = 2;
/// A camp too small to be read by a pass over all persons: its persons are looked up by id.
const SMALL_CAMP: u128 = 3;
const PERSONS: u128 = 300;
const FEW: u128 = 10;

fn status(on: i64, status: PlaceStatus) -> Payload {
    status_of(CAMP, on, status)
}

#[test]
fn repeated_crises_over_a_large_camp_rebuild_identically() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = Registry::create(&dir.path().join("reg.db"), PASS).unwrap();
    let actor = reg.local_actor();
    let persons: Vec<u128> = (100..100 + PERSONS).collect();
    let others: Vec<u128> = (1_000..1_000 + PERSONS).collect();
    let few: Vec<u128> = (9_000..9_000 + FEW).collect();
    let mut commands: Vec<Vec<Payload>> = vec![[
        place(CAMP, "Al-Hol", PlaceKind::Camp, None),
        place(OTHER_CAMP, "Roj", PlaceKind::Camp, None),
        place(SMALL_CAMP, "Ain Issa", PlaceKind::Camp, None),
    ]
    .into_iter()
    .chain(persons.iter().map(|p| person(*p, "Mariam Haddad")))
    .chain(others.iter().map(|p| person(*p, "Amal Saleh")))
    .chain(few.iter().map(|p| person(*p, "Huda Nasser")))
    .chain([sighting(900, 0, "A1", OTHER_CAMP, &others)])
    .chain([sighting(901, 0, "B2", SMALL_CAMP, &few)])
    .collect()];
    for round in 0..3 {
        let on = 10 * round;
        // A list places everyone (closing last round's tasks), then the camp disperses.
        commands.push(vec![sighting(
            500 + round as u128,
            on,
            "A1",
            CAMP,
            &persons,
        )]);
        commands.push(vec![status(on + 1, PlaceStatus::Unguarded)]);
        // Some surface again, one command each.
        for p in persons.iter().step_by(37) {
            commands.push(vec![sighting(
                1_000 + round as u128 * 1_000 + p,
                on + 2,
                "B2",
                CAMP,
                &[*p],
            )]);
        }
        commands.push(vec![status(on + 3, PlaceStatus::Guarded)]);
    }
    // One command: the other camp's crisis (hundreds of tasks looked for and not found,
    // so the stored ids are read at once), then a list placing everyone in the first camp,
    // which must find and close their stored tasks.
    commands.push(vec![status(40, PlaceStatus::Unguarded)]);
    commands.push(vec![
        status_of(OTHER_CAMP, 41, PlaceStatus::UnderFire),
        sighting(950, 42, "A1", CAMP, &persons),
    ]);
    commands.push(vec![status_of(SMALL_CAMP, 43, PlaceStatus::UnderFire)]);
    let mut memory = MemoryState::default();
    let mut seq = 0;
    for command in &commands {
        reg.append(
            actor,
            command.iter().cloned().map(|p| (day(0), p)),
            &mut |_| {},
        )
        .unwrap();
        for payload in command {
            seq += 1;
            let event = Event {
                header: EventHeader {
                    version: FORMAT_VERSION,
                    replica: reg.replica(),
                    seq,
                    prev: None,
                    hlc: Default::default(),
                    actor,
                },
                payload: payload.clone(),
            };
            apply(&event, &mut memory).unwrap();
        }
    }
    let all = TaskFilter {
        include_closed: true,
        ..Default::default()
    };
    let tasks = reg.tasks(&all).unwrap();
    assert_eq!(tasks.len(), memory.tasks.len());
    assert!(tasks.len() > 4 * PERSONS as usize, "{}", tasks.len());
    let open = tasks.iter().filter(|t| t.view.is_open()).count();
    assert_eq!(
        open,
        (PERSONS + FEW) as usize,
        "the other camps' tasks only"
    );
    for row in &tasks {
        assert_eq!(Some(&row.view), memory.tasks.get(&row.view.task.id));
    }
    for p in persons.iter().chain(&few) {
        let id = PersonId::from_u128(*p);
        assert_eq!(reg.person(id).unwrap().as_ref(), memory.persons.get(&id));
    }
    let digest = reg.projection_digest().unwrap();
    let summary = reg.rebuild(&mut |_, _| {}).unwrap();
    assert_eq!(summary.digest_after, digest);
}
