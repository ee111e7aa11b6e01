//! Prints the cost of applying a crisis: Al-Hol (the largest camp of the demo) becoming
//! unguarded, as one appended place-status change that re-derives the whereabouts of
//! everyone recorded there and opens their tracing tasks.
//!
//! cargo run --release -p homeward-store --example crisis_figures -- [SCALE] [RUNS]

use model::event::Payload;
use model::place::{PlaceStatus, PlaceStatusChange};
use model::time::{Timestamp, MS_PER_DAY};
use std::time::Instant;
use store::Registry;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let scale: f64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(1.0);
    let runs: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(3);
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("crisis.db");
    let mut reg = Registry::create(&path, "benchmark passphrase")?;
    let scenario = demo::generate(scale, 2019, reg.sealer());
    let last = scenario.events.last().map_or(Timestamp(0), |e| e.at);
    let actor = reg.local_actor();
    reg.append(
        actor,
        scenario.events.into_iter().map(|e| (e.at, e.payload)),
        &mut |_| {},
    )?;
    let al_hol = reg
        .find_places("Al-Hol")?
        .into_iter()
        .next()
        .ok_or("the demo has no Al-Hol")?;
    let counted = reg.persons(&store::PersonFilter {
        camp: Some(al_hol.place.id),
        ..Default::default()
    })?;
    println!(
        "scale {scale}: Al-Hol holds {} registered persons of record",
        counted.len()
    );
    // Each run is a new status change later than the one before, alternating a dispersing
    // status with `guarded`, so every dispersing run re-derives the whole camp.
    let statuses = [PlaceStatus::Unguarded, PlaceStatus::Guarded];
    let mut times = Vec::new();
    for run in 0..runs * 2 {
        let status = statuses[run % 2];
        let at = last.plus_ms((run as i64 + 1) * MS_PER_DAY);
        let started = Instant::now();
        reg.append_one(
            actor,
            at,
            Payload::PlaceStatusChanged {
                place: al_hol.place.id,
                change: PlaceStatusChange {
                    status,
                    at,
                    report: None,
                },
            },
        )?;
        let took = started.elapsed().as_secs_f64();
        let unaccounted = reg
            .persons(&store::PersonFilter {
                camp: Some(al_hol.place.id),
                status: Some(model::whereabouts::WhereaboutsStatus::UnaccountedFor),
                ..Default::default()
            })?
            .len();
        println!(
            "{:<10} applied in {:>7.3} s; unaccounted for in Al-Hol now {unaccounted}",
            status.as_str(),
            took
        );
        if status.disperses_people() {
            times.push(took);
        }
    }
    times.sort_by(f64::total_cmp);
    println!(
        "crisis (unguarded) on Al-Hol: median {:.3} s over {} runs (min {:.3}, max {:.3})",
        times[times.len() / 2],
        times.len(),
        times[0],
        times[times.len() - 1]
    );
    Ok(())
}
