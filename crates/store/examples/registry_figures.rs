//! Prints the registry core's figures: append throughput (batched, encrypted), full
//! rebuild time, and single-person read latency, on the synthetic demo scenario.
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
use model::ids::PersonId;
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
            model::event::Payload::PersonRegistered { person, .. } => Some(*person),
            _ => None,
        })
        .collect();
    let events = scenario.events.len();
    let actor = reg.local_actor();

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
    Ok(())
}
