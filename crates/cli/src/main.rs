//! The `homeward` binary: parses the command line, runs one command, reports errors.
//!
//! Exit codes follow CONTRACT.md: 0 success, 1 error (one paragraph on stderr), 2 usage.

mod link;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "homeward", version, about = "Offline-first, encrypted case registry")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Record linkage on files: deduplicate one list or link two.
    #[command(subcommand)]
    Link(link::LinkCommand),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Link(cmd) => link::run(cmd),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(1)
        }
    }
}
