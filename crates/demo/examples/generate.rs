//! Generates the scenario and prints what it holds and how long it took:
//! `generate [SCALE] [SEED] [SAMPLE]`, where SAMPLE > 0 also prints that many
//! registrations, reports and tasks spread over the scenario; a fourth argument `fold`
//! folds the events into in-memory projections and prints whereabouts by first camp.

use model::event::Payload;
use model::report::{SealClass, SealedValue, Sealer};
use std::time::Instant;

struct Plain;

impl Sealer for Plain {
    fn seal(&self, _class: SealClass, plaintext: &[u8]) -> SealedValue {
        SealedValue(plaintext.to_vec())
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let scale = args.next().and_then(|a| a.parse().ok()).unwrap_or(1.0);
    let seed = args.next().and_then(|a| a.parse().ok()).unwrap_or(2019);
    let sample: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(0);
    let fold = args.next().is_some_and(|a| a == "fold");
    let started = Instant::now();
    let scenario = demo::generate(scale, seed, &Plain);
    let elapsed = started.elapsed();
    println!(
        "scale {scale}, seed {seed}: {} events in {elapsed:.2?}",
        scenario.events.len()
    );
    println!("{:#?}", scenario.summary);
    if fold {
        whereabouts(&scenario);
    }
    if sample == 0 {
        return;
    }
    let step = (scenario.events.len() / sample).max(1);
    for e in scenario.events.iter().step_by(step) {
        match &e.payload {
            Payload::PersonRegistered { registration, .. } => {
                let names: Vec<&str> = registration.names.iter().map(|n| n.text.as_str()).collect();
                let nat: Vec<String> = registration
                    .nationalities
                    .iter()
                    .map(|n| format!("{}:{:?}", n.country, n.status))
                    .collect();
                println!(
                    "{} person {:?} {:?} {names:?} {nat:?} {:?}",
                    e.at, registration.sex, registration.birth, registration.vulnerabilities
                );
            }
            Payload::ReportReceived { report, claims } => {
                let source = report
                    .source
                    .as_ref()
                    .map(|s| String::from_utf8_lossy(&s.0).into_owned());
                println!(
                    "{} report {:?} {} {:?} [{}] {} claims, first {:?}",
                    e.at,
                    report.channel,
                    report.grade,
                    source,
                    report.content,
                    claims.len(),
                    claims.first().map(|c| &c.kind)
                );
            }
            other => println!("{} {other:?}", e.at),
        }
    }
}

fn whereabouts(scenario: &demo::Scenario) {
    use model::event::{Event, EventHeader, FORMAT_VERSION};
    use model::ids::{ActorId, ReplicaId};
    use model::projection::{apply, MemoryState};
    use std::collections::BTreeMap;
    let started = Instant::now();
    let mut state = MemoryState::default();
    for (seq, e) in scenario.events.iter().enumerate() {
        let event = Event {
            header: EventHeader {
                version: FORMAT_VERSION,
                replica: ReplicaId::from_u128(1),
                seq: seq as u64 + 1,
                prev: None,
                hlc: model::time::Hlc {
                    wall_ms: e.at.0,
                    counter: 0,
                },
                actor: ActorId::from_u128(1),
            },
            payload: e.payload.clone(),
        };
        if let Err(err) = apply(&event, &mut state) {
            eprintln!("event {seq}: {err}");
        }
    }
    println!("folded in {:.2?}", started.elapsed());
    let camp_of = |place| {
        let mut p = state.places.get(&place)?;
        while let Some(parent) = p.place.parent {
            p = state.places.get(&parent)?;
        }
        Some(p.place.name.clone())
    };
    let mut table: BTreeMap<(String, &str), usize> = BTreeMap::new();
    let mut nationality: BTreeMap<String, usize> = BTreeMap::new();
    for v in state.persons.values() {
        let first = v.claims.iter().find_map(|g| g.claim.kind.place());
        let camp = first.and_then(camp_of).unwrap_or_default();
        *table
            .entry((camp, v.whereabouts.status.as_str()))
            .or_default() += 1;
        if let Some(n) = v.nationalities.first() {
            *nationality.entry(n.country.to_string()).or_default() += 1;
        }
    }
    for ((camp, status), n) in table {
        println!("{camp:>10} {status:<16} {n}");
    }
    println!("{nationality:?}");
    let contradicted = state
        .persons
        .values()
        .filter(|v| !v.whereabouts.contradictions.is_empty())
        .count();
    let open = state.tasks.values().filter(|t| t.is_open()).count();
    println!(
        "with contradictions: {contradicted}; tasks open: {open} of {}",
        state.tasks.len()
    );
}
