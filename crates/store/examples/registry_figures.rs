//! Prints the registry core's figures: append throughput (batched, encrypted), full
//! rebuild time, and single-person read latency, on the synthetic demo scenario; then
//! the append of 50,000 field reports about the persons it registered, and of 300 more
//! registrations one batch each.
//!
//! cargo run --release -p homeward-store --example registry_figures -- [SCALE]
//!
//! Each step is reported in wall time and in CPU time (all threads of the process), so
//! figures from a shared machine can be compared run against run.

#[path = "common/allocator.rs"]
mod allocator;
#[path = "common/cpu.rs"]
mod cpu;

use cpu::timed;
use model::claim::{Claim, ClaimKind};
use model::event::Payload;
use model::ids::{ActorId, ClaimId, PersonId, PlaceId, ReportId};
use model::place::PlaceKind;
use model::report::{Channel, Grade, Report};
use model::time::{Timestamp, MS_PER_DAY};
use std::time::Instant;
use store::Registry;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let scale: f64 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(1.0);
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("figures.db");
    let mut reg = Registry::create(&path, "benchmark passphrase")?;

    let (scenario, generated) = timed(|| demo::generate(scale, 2019, reg.sealer()));
    let persons: Vec<PersonId> = scenario
        .events
        .iter()
        .filter_map(|e| match &e.payload {
            Payload::PersonRegistered { person, .. } => Some(*person),
            _ => None,
        })
        .collect();
    let events = scenario.events.len();
    let actor = reg.local_actor();
    let camps: Vec<PlaceId> = scenario
        .events
        .iter()
        .filter_map(|e| match &e.payload {
            Payload::PlaceAdded { place } if place.kind == PlaceKind::Camp => Some(place.id),
            _ => None,
        })
        .collect();
    let last = scenario.events.iter().map(|e| e.at.0).max().unwrap_or(0);
    let actor_of_reports = scenario
        .events
        .iter()
        .find_map(|e| match &e.payload {
            Payload::ReportReceived { report, .. } => Some(report.received_by),
            _ => None,
        })
        .ok_or("the demo has no reports")?;

    let (appended, append) = timed(|| {
        reg.append(
            actor,
            scenario.events.into_iter().map(|e| (e.at, e.payload)),
            &mut |_| {},
        )
    });
    appended?;

    let (summary, rebuild) = timed(|| reg.rebuild(&mut |_, _| {}));
    let summary = summary?;
    assert_eq!(
        summary.digest_before, summary.digest_after,
        "rebuild must reproduce the projections"
    );

    let mut latencies = Vec::new();
    for (i, id) in persons
        .iter()
        .enumerate()
        .step_by((persons.len() / 2000).max(1))
    {
        let t = Instant::now();
        let view = reg.person(*id)?;
        let timeline = view.as_ref().map(|v| reg.timeline(v)).transpose()?;
        latencies.push(t.elapsed().as_secs_f64() * 1e6);
        assert!(timeline.is_some(), "person {i} missing");
    }
    latencies.sort_by(f64::total_cmp);
    let pct = |p: f64| latencies[((latencies.len() as f64 - 1.0) * p) as usize];

    println!("scale {scale}: {} persons, {events} events", persons.len());
    println!(
        "generate scenario      {:>8.2} s wall {:>8.2} s CPU",
        generated.wall, generated.cpu
    );
    println!(
        "append (one batch)     {:>8.2} s wall {:>8.2} s CPU = {:.0} events/s, signed, encrypted, projected",
        append.wall,
        append.cpu,
        events as f64 / append.wall
    );
    println!(
        "rebuild (verify+apply) {:>8.2} s wall {:>8.2} s CPU = {:.0} events/s",
        rebuild.wall,
        rebuild.cpu,
        events as f64 / rebuild.wall
    );
    println!(
        "person + timeline read p50 {:.0} µs, p95 {:.0} µs, max {:.0} µs ({} reads)",
        pct(0.5),
        pct(0.95),
        pct(1.0),
        latencies.len()
    );
    println!(
        "file size              {:>8.1} MiB",
        std::fs::metadata(&path)?.len() as f64 / 1048576.0
    );

    // Field reports after the registrations: what a registry takes in day after day.
    let grade = Grade::parse("C3")?;
    let reports = field_reports(&persons, &camps, last + MS_PER_DAY, actor_of_reports, grade);
    let report_events = reports.len();
    let (appended, appended_reports) = timed(|| reg.append(actor, reports, &mut |_| {}));
    appended?;
    println!(
        "append field reports   {:>8.2} s wall {:>8.2} s CPU = {:.0} events/s ({report_events} reports naming 1-3 registered persons each, one batch)",
        appended_reports.wall,
        appended_reports.cpu,
        report_events as f64 / appended_reports.wall
    );

    // Then one registration a batch, as a clerk's `person add` or a synced phone's.
    let newcomers = demo::generate(0.01, 2020, reg.sealer())
        .events
        .into_iter()
        .filter(|e| matches!(e.payload, Payload::PersonRegistered { .. }))
        .take(SINGLE_REGISTRATIONS);
    let mut singles = Vec::new();
    for e in newcomers {
        let t = Instant::now();
        reg.append(actor, [(e.at, e.payload)], &mut |_| {})?;
        singles.push(t.elapsed().as_secs_f64() * 1e3);
    }
    singles.sort_by(f64::total_cmp);
    let pct = |p: f64| singles[((singles.len() as f64 - 1.0) * p) as usize];
    println!(
        "one registration a batch p50 {:.2} ms, p95 {:.2} ms, max {:.2} ms ({} batches)",
        pct(0.5),
        pct(0.95),
        pct(1.0),
        singles.len()
    );
    Ok(())
}

/// How many registrations the last step appends, one a batch.
const SINGLE_REGISTRATIONS: usize = 300;

/// How many field reports the last step appends.
const FIELD_REPORTS: usize = 50_000;

/// [`FIELD_REPORTS`] text messages, each saying that one to three registered persons
/// (picked by a fixed stride, so every run appends the same) were seen in a camp, at a
/// minute apart from `from` on.
fn field_reports(
    persons: &[PersonId],
    camps: &[PlaceId],
    from: i64,
    received_by: ActorId,
    grade: Grade,
) -> Vec<(Timestamp, Payload)> {
    (0..FIELD_REPORTS)
        .map(|n| {
            let at = Timestamp(from + n as i64 * 60_000);
            let id = ReportId::from_u128(FIELD_REPORT_IDS + n as u128);
            let named = 1 + n % 3;
            let claims = (0..named)
                .map(|k| Claim {
                    id: ClaimId::from_u128(FIELD_REPORT_IDS + (n * 3 + k) as u128),
                    report: id,
                    person: persons[(n * 7919 + k * 104_729) % persons.len()],
                    observed_at: at,
                    kind: ClaimKind::SeenAt {
                        place: camps[n % camps.len()],
                    },
                })
                .collect();
            let report = Report {
                id,
                channel: Channel::TextMessage,
                received_at: at,
                received_by,
                source: None,
                content: format!("field message {n}"),
                attachments: Vec::new(),
                grade,
            };
            (at, Payload::ReportReceived { report, claims })
        })
        .collect()
}

/// Far from the demo's own ids.
const FIELD_REPORT_IDS: u128 = 0xF1E1D << 64;
