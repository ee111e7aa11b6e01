//! Prints the registry core's figures: append throughput (batched, encrypted), full
//! rebuild time, and single-person read latency, on the synthetic demo scenario.
//!
//! cargo run --release -p homeward-store --example registry_figures -- [SCALE]

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

    let started = Instant::now();
    let scenario = demo::generate(scale, 2019, reg.sealer());
    let generated = started.elapsed();
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

    let started = Instant::now();
    reg.append(
        actor,
        scenario.events.into_iter().map(|e| (e.at, e.payload)),
        &mut |_| {},
    )?;
    let appended = started.elapsed();

    let started = Instant::now();
    let summary = reg.rebuild(&mut |_, _| {})?;
    let rebuilt = started.elapsed();
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
    println!("generate scenario      {:>8.2} s", generated.as_secs_f64());
    println!(
        "append (one batch)     {:>8.2} s  = {:.0} events/s, signed, encrypted, projected",
        appended.as_secs_f64(),
        events as f64 / appended.as_secs_f64()
    );
    println!(
        "rebuild (verify+apply) {:>8.2} s  = {:.0} events/s",
        rebuilt.as_secs_f64(),
        events as f64 / rebuilt.as_secs_f64()
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
