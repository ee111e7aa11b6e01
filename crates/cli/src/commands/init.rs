//! `homeward init` and `homeward demo`: new registries.

use crate::context::Global;
use crate::progress;
use anyhow::bail;
use clap::Args;
use store::StatsDimension;

/// Creates a new, empty, encrypted registry.
pub fn init(global: &Global) -> anyhow::Result<()> {
    let reg = global.create()?;
    eprintln!(
        "Created an empty encrypted registry at {} (replica {}).",
        reg.path().display(),
        reg.replica()
    );
    Ok(())
}

#[derive(Args, Debug)]
pub struct DemoArgs {
    /// 1 is real scale (about 81,700 persons); 0.01 is a quick look.
    #[arg(long, default_value_t = 1.0)]
    pub scale: f64,
    /// The same seed always gives the same people.
    #[arg(long, default_value_t = 2019)]
    pub seed: u64,
    /// Propose duplicates at or above this match probability (lower it to see how the
    /// queue's recall and precision on the scenario's known duplicates change).
    #[arg(long, default_value_t = crate::duplicates::DEFAULT_MIN_PROBABILITY)]
    pub min_probability: f64,
}

/// Creates a registry filled with the synthetic October-2019 scenario.
pub fn demo(global: &Global, args: &DemoArgs) -> anyhow::Result<()> {
    if !(0.0..1.0).contains(&args.min_probability) {
        bail!("--min-probability must be at least 0 and below 1");
    }
    if !(args.scale > 0.0 && args.scale <= 10.0) {
        bail!(
            "--scale must be above 0 and at most 10 (1 is real scale); got {}",
            args.scale
        );
    }
    let mut reg = global.create()?;
    let result = fill(&mut reg, args);
    if result.is_err() {
        // A half-built demo is worse than none: remove what we created.
        let path = reg.path().to_path_buf();
        drop(reg);
        remove_registry_files(&path);
    }
    result
}

fn fill(reg: &mut store::Registry, args: &DemoArgs) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let scenario = demo::generate(args.scale, args.seed, reg.sealer());
    let total = scenario.events.len() as u64;
    let bar = progress::bar(total, "demo");
    let actor = reg.local_actor();
    let items = scenario.events.into_iter().map(|e| (e.at, e.payload));
    reg.append(actor, items, &mut |n| {
        if n % 1024 == 0 {
            bar.set_position(n);
        }
    })?;
    bar.finish_and_clear();
    let built = started.elapsed().as_secs_f64();
    let same_person = scenario.summary.same_person;
    let review = review_queue(reg, &same_person, args.min_probability)?;
    let scanned = started.elapsed().as_secs_f64() - built;
    let (persons, rows) = reg.stats(&[StatsDimension::Camp, StatsDimension::Status], 2019)?;
    let mut t = crate::present::table(&["camp", "whereabouts", "persons"]);
    for r in rows {
        t.add_row(vec![
            r.values[0].clone(),
            r.values[1].clone(),
            r.count.to_string(),
        ]);
    }
    println!("{t}");
    println!(
        "Created the demo registry at {}: {persons} synthetic persons, {total} events (seed {}, scale {}), \
         built in {built:.1} s; the duplicate scan took {scanned:.1} s.",
        reg.path().display(),
        args.seed,
        args.scale
    );
    println!("{review}");
    println!("Try: homeward person list --camp \"Ain Issa\" --status unaccounted_for");
    println!("     homeward case board --as-of 2019-12-31   (repatriation cases by stage)");
    Ok(())
}

/// Scans the new registry for duplicates, so that the review queue holds real candidates,
/// and says how they compare with the persons the scenario registered twice.
fn review_queue(
    reg: &mut store::Registry,
    same_person: &[(model::ids::PersonId, model::ids::PersonId)],
    min_probability: f64,
) -> anyhow::Result<String> {
    let bar = crate::link::Bar::new();
    let report = crate::duplicates::scan(
        reg,
        crate::duplicates::Scope::Everyone,
        min_probability,
        crate::context::now(),
        &bar,
    )?;
    bar.finish();
    let queue = reg.duplicate_queue()?;
    let truth: std::collections::BTreeSet<_> = same_person
        .iter()
        .map(|(a, b)| model::merge::ordered(*a, *b))
        .collect();
    let known = |min: f64| {
        let above: Vec<_> = queue
            .iter()
            .filter(|i| i.candidate.weight().probability() >= min)
            .collect();
        let hits = above
            .iter()
            .filter(|i| truth.contains(&model::merge::ordered(i.persons.0, i.persons.1)))
            .count();
        (above.len(), hits)
    };
    let mut out = format!(
        "Duplicate review queue: {} candidates from {} pairs compared.",
        queue.len(),
        report.pairs_compared,
    );
    if truth.is_empty() {
        out.push_str(" (At this scale the scenario registers nobody a second time.)");
        out.push_str("\nReview them: homeward duplicates list");
        return Ok(out);
    }
    out.push_str(&format!(
        " The scenario registered {} persons a second time under other spellings; of those pairs, in the queue:",
        truth.len()
    ));
    let levels = [0.5, 0.9, 0.99, 0.999, 0.9999];
    for min in
        std::iter::once(min_probability).chain(levels.into_iter().filter(|l| *l > min_probability))
    {
        let (n, hits) = known(min);
        out.push_str(&format!(
            "\n  p >= {min}: {hits} of {} (recall {:.2}) among {n} candidates (precision {:.2})",
            truth.len(),
            hits as f64 / truth.len().max(1) as f64,
            hits as f64 / n.max(1) as f64
        ));
    }
    out.push_str("\nReview them: homeward duplicates list");
    Ok(out)
}

fn remove_registry_files(path: &std::path::Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(std::path::PathBuf::from(p));
    }
}
