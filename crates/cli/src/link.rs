//! `homeward link`: deduplicate or link CSV files with the linkage engine.

use clap::{Args, Subcommand};
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum LinkCommand {
    /// Deduplicate one file; writes `id,cluster_id`.
    Dedupe(DedupeArgs),
    /// Link two files; writes `left_id,right_id,match_probability`.
    Between(BetweenArgs),
}

#[derive(Args)]
pub struct DedupeArgs {
    #[arg(long)]
    pub input: PathBuf,
    /// Built-in model preset (`person`).
    #[arg(long, conflicts_with = "model", required_unless_present = "model")]
    pub preset: Option<String>,
    /// A model file (TOML).
    #[arg(long)]
    pub model: Option<PathBuf>,
    #[arg(long)]
    pub output: PathBuf,
    /// Also write the scored pairs.
    #[arg(long)]
    pub pairs: Option<PathBuf>,
}

#[derive(Args)]
pub struct BetweenArgs {
    #[arg(long)]
    pub left: PathBuf,
    #[arg(long)]
    pub right: PathBuf,
    #[arg(long)]
    pub model: PathBuf,
    #[arg(long)]
    pub output: PathBuf,
}

pub fn run(cmd: LinkCommand) -> anyhow::Result<()> {
    match cmd {
        LinkCommand::Dedupe(_) | LinkCommand::Between(_) => {
            anyhow::bail!("homeward link is not built yet")
        }
    }
}
