//! `homeward admin ...`: maintenance.

use crate::context::{audit_operator, Global};
use crate::progress;
use access::suppression::DEFAULT_THRESHOLD;
use anyhow::bail;
use clap::{Args, Subcommand};

#[derive(Subcommand, Debug)]
pub enum AdminCommand {
    /// Replays the event log into fresh projections, verifying every signature and chain.
    Rebuild,
    /// Shows or sets the smallest count any user's statistics or export may show.
    Threshold(ThresholdArgs),
}

#[derive(Args, Debug)]
pub struct ThresholdArgs {
    /// The new threshold: counts from 1 to N-1 are withheld. Never below 5.
    pub value: Option<u64>,
}

pub fn run(global: &Global, cmd: &AdminCommand) -> anyhow::Result<()> {
    match cmd {
        AdminCommand::Rebuild => rebuild(global),
        AdminCommand::Threshold(a) => threshold(global, a.value),
    }
}

fn rebuild(global: &Global) -> anyhow::Result<()> {
    let mut reg = global.open()?;
    let bar = progress::bar(reg.event_count()?, "rebuild");
    let summary = reg.rebuild(&mut |n, _| {
        if n % 1024 == 0 {
            bar.set_position(n);
        }
    })?;
    bar.finish_and_clear();
    let same = summary.digest_before == summary.digest_after;
    println!(
        "Replayed {} events from {} replica(s); every signature and chain verified. Projections {} (digest {}).",
        summary.events,
        summary.replicas,
        if same { "were already identical to the log" } else { "were rebuilt and now match the log" },
        &summary.digest_after[..16]
    );
    Ok(())
}

/// The registry's suppression threshold lives in the registry, so that every interface
/// (API, `homeward as`, exports) applies the same one; `serve --threshold` can only raise
/// it further for one server.
fn threshold(global: &Global, value: Option<u64>) -> anyhow::Result<()> {
    let reg = global.open()?;
    let Some(value) = value else {
        let current = reg.suppression_threshold()?.unwrap_or(DEFAULT_THRESHOLD);
        println!("Counts below {current} are withheld from users' statistics and exports.");
        return Ok(());
    };
    if value < DEFAULT_THRESHOLD {
        bail!(
            "threshold {value} is too low: counts below {DEFAULT_THRESHOLD} are always withheld; give {DEFAULT_THRESHOLD} or more"
        );
    }
    audit_operator(
        &reg,
        "settings.threshold",
        &["settings".into()],
        &value.to_string(),
    )?;
    reg.set_suppression_threshold(value)?;
    println!("Counts below {value} are now withheld from users' statistics and exports.");
    Ok(())
}
