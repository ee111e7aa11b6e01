//! The `homeward` binary: parses the command line, runs one command, reports errors.
//!
//! Exit codes follow CONTRACT.md: 0 success, 1 error (one paragraph on stderr saying what,
//! where and how to fix it), 2 usage error (clap's own).

mod chart;
mod commands;
mod context;
mod duplicates;
mod files;
mod import;
mod link;
mod person_ids;
mod present;
mod progress;

use clap::{Parser, Subcommand};
use commands::{
    admin, audit, case, consent, crisis, duplicates as review, export, init, interview, person,
    place, report, scoped, search, serve, stats, tasks, user,
};
use context::Global;
use std::process::ExitCode;

/// The registry's work is a great many small allocations (decoded views, names, index
/// rows) on both cores; mimalloc does them faster than the system allocator (see
/// `docs/benchmarks.md`, "The allocator").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "homeward",
    version,
    about = "Offline-first, encrypted case registry for tracing, protecting and repatriating people held in camps"
)]
struct Cli {
    #[command(flatten)]
    global: Global,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Creates a new, empty, encrypted registry.
    Init,
    /// Creates a registry filled with the synthetic October-2019 scenario.
    Demo(init::DemoArgs),
    /// Counts of persons, broken down by camp, nationality, sex, age band or status.
    Stats(stats::StatsArgs),
    /// Persons: list, show, add.
    #[command(subcommand)]
    Person(person::PersonCommand),
    /// Places: add, list, record a status change.
    #[command(subcommand)]
    Place(place::PlaceCommand),
    /// Reports and the claims they make.
    #[command(subcommand)]
    Report(report::ReportCommand),
    /// A person's claims and the reports behind them, newest first.
    Timeline(report::TimelineArgs),
    /// Open tasks, highest priority first (then longest missing).
    Tasks(tasks::TasksArgs),
    /// One task: show, assign, note, set a due date, close.
    #[command(subcommand)]
    Task(tasks::TaskCommand),
    /// Per camp: accounted for, unaccounted for, on the move, in custody, and the trend
    /// since a status change.
    Crisis(crisis::CrisisArgs),
    /// Persons by any spelling in any script, kunya, nationality or camp.
    Search(search::SearchArgs),
    /// Record linkage on files: deduplicate one list or link two.
    #[command(subcommand)]
    Link(link::LinkCommand),
    /// Records that may be one person: the review queue, decisions, merges and undoing them.
    #[command(subcommand)]
    Duplicates(review::DuplicatesCommand),
    /// Imports a camp, government or NGO list (CSV or XLSX) as one graded report.
    Import(import::ImportArgs),
    /// Maintenance: rebuild projections from the log.
    #[command(subcommand)]
    Admin(admin::AdminCommand),
    /// Users: add, list.
    #[command(subcommand)]
    User(user::UserCommand),
    /// The audit chain: verify, who looked at a person, latest entries.
    #[command(subcommand)]
    Audit(audit::AuditCommand),
    /// Serves the HTTP API.
    Serve(serve::ServeArgs),
    /// Reads as a signed-in user, scoped, redacted and audited like the API.
    As(scoped::AsArgs),
    /// Repatriation cases: open, show, list, stage, doc, member, handover, wish, legal,
    /// evidence, author, board.
    #[command(subcommand)]
    Case(case::CaseCommand),
    /// Interviews: record one (transcript sealed, files by hash), list a person's.
    #[command(subcommand)]
    Interview(interview::InterviewCommand),
    /// Consent per purpose: grant, refuse, revoke, show.
    #[command(subcommand)]
    Consent(consent::ConsentCommand),
    /// Exports what the caller may see: person records, or suppressed counts (JSON Lines,
    /// CSV or HXL-tagged CSV).
    Export(export::ExportArgs),
}

fn main() -> ExitCode {
    let Cli { global, command } = Cli::parse();
    let g = &global;
    let result = match command {
        Command::Init => init::init(g),
        Command::Demo(a) => init::demo(g, &a),
        Command::Stats(a) => stats::run(g, &a),
        Command::Person(c) => person::run(g, &c),
        Command::Place(c) => place::run(g, &c),
        Command::Report(c) => report::run(g, &c),
        Command::Timeline(a) => report::timeline(g, &a),
        Command::Tasks(a) => tasks::run(g, &a),
        Command::Task(c) => tasks::task(g, &c),
        Command::Crisis(a) => crisis::run(g, &a),
        Command::Search(a) => search::run(g, &a),
        Command::Link(c) => link::run(c),
        Command::Duplicates(c) => review::run(g, &c),
        Command::Import(a) => import::run(g, &a),
        Command::Admin(c) => admin::run(g, &c),
        Command::User(c) => user::run(g, &c),
        Command::Audit(c) => audit::run(g, &c),
        Command::Serve(a) => serve::run(g, &a),
        Command::As(a) => scoped::run(g, &a),
        Command::Case(c) => case::run(g, &c),
        Command::Interview(c) => interview::run(g, &c),
        Command::Consent(c) => consent::run(g, &c),
        Command::Export(a) => export::run(g, &a),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(1)
        }
    }
}
