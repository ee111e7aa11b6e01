//! `homeward as USER ...`: reads (and the changes a role may make: interviews, consent)
//! from the command line as a signed-in user, through the same access layer, redaction,
//! suppression and audit as the HTTP API.
//!
//! The other read commands (`person show`, `stats`, ...) run as the registry
//! administrator who holds the passphrase, and show everything; use these to work within
//! a role, or to check what a role would see.

use crate::commands::acting::Actor;
use crate::commands::over_time;
use crate::context::{now, Global};
use crate::present::print_json;
use access::gate::Gate;
use access::identity::login;
use access::Directory;
use anyhow::Context as _;
use chrono::Datelike;
use clap::{Args, Subcommand};
use serde_json::{json, Map, Value};

#[derive(Args, Debug)]
pub struct AsArgs {
    /// The user name.
    pub user: String,
    /// The user's password, on the first line of this file.
    #[arg(long)]
    pub password_file: std::path::PathBuf,
    #[command(subcommand)]
    pub command: AsCommand,
}

/// Every one of these prints JSON (what the API would answer).
#[derive(Subcommand, Debug)]
pub enum AsCommand {
    /// One person, redacted for the user's role.
    Show { id: String },
    /// A person's claims and reports, newest first, redacted.
    Timeline { id: String },
    /// Persons the user may see whose names match QUERY in any spelling or script.
    Search {
        query: String,
        #[arg(long, default_value_t = 20)]
        limit: usize,
        #[command(flatten)]
        filters: crate::commands::search::FilterArgs,
    },
    /// Counts the user may see, small cells suppressed (over time with --from).
    Stats {
        #[arg(long, value_delimiter = ',')]
        by: Vec<String>,
        /// Counts over time: the first day (YYYY-MM-DD).
        #[arg(long)]
        from: Option<String>,
        /// Counts over time: the last day (default today).
        #[arg(long, requires = "from")]
        to: Option<String>,
        /// Counts over time: day or week.
        #[arg(long, default_value = "day")]
        every: String,
    },
    /// Interviews: record one, list a person's (full ids only).
    #[command(subcommand)]
    Interview(crate::commands::interview::InterviewCommand),
    /// Consent: grant, refuse, revoke, show (full ids only).
    #[command(subcommand)]
    Consent(crate::commands::consent::ConsentCommand),
    /// Exports what the user may see.
    Export(crate::commands::export::ExportArgs),
    /// The duplicate review queue, as the user may see and decide it (pairs of persons
    /// the user may both see; full ids only).
    #[command(subcommand)]
    Duplicates(crate::commands::duplicates::DuplicatesCommand),
    /// Repatriation cases, read and changed within the user's role and scope.
    #[command(subcommand)]
    Case(crate::commands::case::CaseCommand),
}

/// The commands that act through [`Actor`] (writes, exports, counts over time), or None.
fn run_acting(
    reg: &mut store::Registry,
    user: &access::User,
    command: &AsCommand,
) -> Option<anyhow::Result<()>> {
    let actor = || Actor::user(user.clone());
    Some(match command {
        AsCommand::Interview(c) => crate::commands::interview::run_as(reg, &actor(), c),
        AsCommand::Consent(c) => crate::commands::consent::run_as(reg, &actor(), c),
        AsCommand::Export(a) => crate::commands::export::run_as(reg, &actor(), a),
        AsCommand::Stats {
            by,
            from: Some(from),
            to,
            every,
        } => over_time::Series::parse(by, from, to.as_deref(), every)
            .and_then(|s| over_time::run_as(reg, &actor(), &s, true)),
        _ => return None,
    })
}

pub fn run(global: &Global, args: &AsArgs) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(&args.password_file).with_context(|| {
        format!(
            "cannot read the password file {}",
            args.password_file.display()
        )
    })?;
    let password = text.lines().next().unwrap_or_default();
    let mut reg = global.open()?;
    let user = login(&reg, &args.user, password, "cli", now().0)?;
    if let Some(done) = run_acting(&mut reg, &user, &args.command) {
        return done;
    }
    if let AsCommand::Duplicates(cmd) = &args.command {
        return crate::commands::duplicates::run_as(&mut reg, &user, cmd, false);
    }
    let dir = Directory::build(&reg)?;
    if let AsCommand::Case(cmd) = &args.command {
        return crate::commands::case::run_as(&mut reg, &dir, &user, cmd);
    }
    let gate = Gate {
        registry: &reg,
        directory: &dir,
        user: &user,
        interface: "cli",
        now_ms: now().0,
    };
    // Ids are parsed in full: a prefix lookup would search persons outside the access layer.
    let parse = |id: &str| -> anyhow::Result<model::ids::PersonId> {
        id.parse().map_err(|_| {
            anyhow::anyhow!(
                "no person with id '{id}' that {} may see; give a full id",
                user.name
            )
        })
    };
    let not_found = |e: access::AccessError| match e {
        access::AccessError::NotFound => {
            anyhow::anyhow!("no person with that id that {} may see", user.name)
        }
        e => e.into(),
    };
    match &args.command {
        AsCommand::Show { id } => print_json(&gate.person(parse(id)?).map_err(not_found)?),
        AsCommand::Timeline { id } => print_json(&gate.timeline(parse(id)?).map_err(not_found)?),
        AsCommand::Search {
            query,
            limit,
            filters,
        } => print_json(&gate.search_with(query, &filters.resolve(&reg)?, *limit)?),
        AsCommand::Interview(_) | AsCommand::Consent(_) | AsCommand::Export(_) => Ok(()),
        AsCommand::Stats { by, .. } => {
            let dims = super::over_time::parse_dims(by)?;
            let table = gate.stats(
                &dims,
                chrono::Utc::now().year(),
                access::suppression::DEFAULT_THRESHOLD,
            )?;
            let groups: Vec<Value> = table
                .cells
                .into_iter()
                .map(|c| {
                    let mut m = Map::new();
                    for (d, v) in dims.iter().zip(c.values) {
                        m.insert(d.key().to_string(), Value::String(v));
                    }
                    m.insert("count".into(), json!(c.count));
                    if c.count.is_none() {
                        m.insert("suppressed".into(), json!(true));
                    }
                    Value::Object(m)
                })
                .collect();
            print_json(
                &json!({ "total": table.total, "threshold": table.threshold, "groups": groups }),
            )
        }
        AsCommand::Case(_) => unreachable!("handled before the gate is made"),
        AsCommand::Duplicates(_) => unreachable!("handled before the gate is made"),
    }
}
