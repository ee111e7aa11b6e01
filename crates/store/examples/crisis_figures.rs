//! Prints the cost of applying a crisis: Al-Hol (the largest camp of the demo) becoming
//! unguarded, as one appended place-status change that re-derives the whereabouts of
//! everyone recorded there and opens their tracing tasks.
//!
//! cargo run --release -p homeward-store --example crisis_figures -- [SCALE] [RUNS]
//!
//! Before each timed run an official list places everyone in Al-Hol again (not timed),
//! so every run is a real crisis: all of the camp re-derived, a task opened for each.
//! The list's checkpoint is let finish before the crisis starts.
//! Each run is reported in wall time and in CPU time (all threads of the process).

#[path = "common/allocator.rs"]
mod allocator;
#[path = "common/cpu.rs"]
mod cpu;

use cpu::timed;
use model::claim::{Claim, ClaimKind};
use model::event::Payload;
use model::ids::{ActorId, ClaimId, PlaceId, ReportId};
use model::place::{PlaceStatus, PlaceStatusChange};
use model::projection::PersonView;
use model::report::{Channel, Grade, Report};
use model::time::{Timestamp, MS_PER_DAY};
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
    // Each run: a camp list places everyone again (not timed), then the camp becomes
    // unguarded (timed): every run re-derives the whole camp and opens its tasks.
    let mut times = Vec::new();
    for run in 0..runs {
        let listed = last.plus_ms((2 * run as i64 + 1) * MS_PER_DAY);
        reg.append_one(
            actor,
            listed,
            camp_list(&counted, al_hol.place.id, listed, run as u128),
        )?;
        // Each crisis starts from a quiet registry: the list's pages already copied from
        // the log into the file, as they are minutes after a real list arrives.
        reg.settle_checkpoints();
        let at = listed.plus_ms(MS_PER_DAY);
        let (applied, took) = timed(|| {
            reg.append_one(
                actor,
                at,
                Payload::PlaceStatusChanged {
                    place: al_hol.place.id,
                    change: PlaceStatusChange {
                        status: PlaceStatus::Unguarded,
                        at,
                        report: None,
                    },
                },
            )
        });
        applied?;
        let open = reg
            .tasks(&store::TaskFilter {
                camp: Some(al_hol.place.id),
                ..Default::default()
            })?
            .iter()
            .filter(|t| t.view.crisis.as_ref().is_some_and(|c| c.change.at == at))
            .count();
        println!(
            "run {run}: unguarded applied in {:>7.3} s wall, {:>7.3} s CPU; tracing tasks opened {open}",
            took.wall, took.cpu
        );
        times.push(took);
    }
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        (v[v.len() / 2], v[0], v[v.len() - 1])
    };
    let (wall, lo, hi) = median(times.iter().map(|t| t.wall).collect());
    let (cpu, _, _) = median(times.iter().map(|t| t.cpu).collect());
    println!(
        "crisis (unguarded) on Al-Hol: median {wall:.3} s wall (min {lo:.3}, max {hi:.3}), {cpu:.3} s CPU, over {} runs",
        times.len()
    );
    Ok(())
}

/// One official list seeing every given person in the camp.
fn camp_list(persons: &[PersonView], place: PlaceId, at: Timestamp, n: u128) -> Payload {
    let report = ReportId::from_u128(0x00C0_FFEE_0000 + n);
    Payload::ReportReceived {
        report: Report {
            id: report,
            channel: Channel::OfficialList,
            received_at: at,
            received_by: ActorId::from_u128(1),
            source: None,
            content: "benchmark camp list".into(),
            attachments: vec![],
            grade: Grade::parse("A1").unwrap_or_else(|_| unreachable!("A1 is a grade")),
        },
        claims: persons
            .iter()
            .enumerate()
            .map(|(i, p)| Claim {
                id: ClaimId::from_u128((n << 64) + 0xC1A1_0000_0000 + i as u128),
                report,
                person: p.id,
                observed_at: at,
                kind: ClaimKind::SeenAt { place },
            })
            .collect(),
    }
}
