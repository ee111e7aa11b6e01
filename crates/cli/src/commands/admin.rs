//! `homeward admin ...`: maintenance.

use crate::context::Global;
use crate::progress;
use clap::Subcommand;

#[derive(Subcommand, Debug)]
pub enum AdminCommand {
    /// Replays the event log into fresh projections, verifying every signature and chain.
    Rebuild,
}

pub fn run(global: &Global, cmd: &AdminCommand) -> anyhow::Result<()> {
    match cmd {
        AdminCommand::Rebuild => rebuild(global),
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
